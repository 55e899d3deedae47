from __future__ import annotations

from fractions import Fraction

from zn_ladder.config.settings import SpotSettings
from zn_ladder.domain.instruments import get_product
from zn_ladder.spot.pricing_monkey import ReaderSettings


def test_reader_settings_follow_the_apps_spot_settings():
    spot = SpotSettings(pm_url="https://pricingmonkey.com/b/desk", locator="#zn-mid", browser="msedge",
                        page_refresh_s=600.0, max_jump_points=Fraction(3, 2))
    settings = ReaderSettings.from_config(spot, get_product("ZN"), read_timeout_s=2.0)
    assert settings.url == "https://pricingmonkey.com/b/desk" and settings.locator == "#zn-mid"
    assert settings.browser.browser == "msedge" and settings.browser.profile_dir is None
    assert settings.reload_every_s == 600.0 and settings.read_timeout_s == 2.0
    assert settings.sanity.max_move_points == Fraction(3, 2)
    assert settings.product.symbol == "ZN"
