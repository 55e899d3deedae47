"""The spot worker's sources and the reader settings it is given: one vocabulary with the spot package."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from zn_ladder.config.settings import Settings
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_price
from zn_ladder.spot.pricing_monkey import ReaderSettings
from zn_ladder.spot.snapshot import SOURCES
from zn_ladder.workers.session import SPOT_LABELS
from zn_ladder.workers.spot_worker import MODES, SpotWorker
from zn_ladder.workers.threads import WorkerThread

ZF = get_product("ZF")


def test_the_demo_spot_is_a_known_source_named_in_the_status_strip(qtbot) -> None:
    price = parse_price("108-12+", ZF, spot=True)
    worker = SpotWorker(ZF, "simulator", 0.05, read_price=lambda: price)
    thread = WorkerThread(worker)
    seen: list = []
    worker.spotReady.connect(seen.append)
    thread.start()
    try:
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    finally:
        thread.request_stop()
        assert thread.wait(5.0)
    snap = seen[0]
    assert (snap.source, snap.price, snap.product) == ("simulator", price, ZF)
    assert snap.source in SOURCES
    # Every source a worker can publish (its live modes and the board's fallback) has a status label.
    assert set(MODES) | {"last_good"} <= set(SOURCES) <= set(SPOT_LABELS)


def test_pricing_monkey_reader_settings_keep_every_spot_key() -> None:
    from zn_ladder.app import spot_reader_settings

    s = Settings()
    s = dataclasses.replace(
        s, tt=dataclasses.replace(s.tt, product="ZF"),
        spot=dataclasses.replace(s.spot, source="pricing_monkey", pm_url="https://pricingmonkey.com/b/zf",
                                 locator="#zf-mid", browser="chromium", page_refresh_s=600.0,
                                 max_jump_points=Fraction(3, 2)))
    reader = spot_reader_settings(s)
    assert reader == ReaderSettings.from_config(s.spot, ZF)
    assert reader.reload_every_s == 600.0  # the page reload the settings ask for is not dropped
    assert (reader.url, reader.locator, reader.browser.browser) == ("https://pricingmonkey.com/b/zf", "#zf-mid",
                                                                    "chromium")
    assert reader.sanity.max_move_points == Fraction(3, 2) and reader.product is ZF
