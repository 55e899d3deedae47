"""A valid, non-default value for every setting (as typed text) and what it parses to.

Shared by the model tests and the dialog's round-trip test; `test_every_key_has_an_example` fails
when a setting is added without one, so no field escapes the round trip.
"""

from fractions import Fraction

OTHER_VALUES: dict[str, tuple[str, object]] = {
    "tt.environment": ("UAT", "UAT"),
    "tt.simulator": ("never", "never"),
    "tt.app_name": ("DeskLadder2", "DeskLadder2"),
    "tt.company": ("Acme", "Acme"),
    "tt.base_url": ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
    "tt.usage_plan": ("medium", "medium"),
    "tt.accounts": ("ACC1, ACC2", ("ACC1", "ACC2")),
    "tt.contracts": ("ZN Dec26, ZN Mar27", ("ZN Dec26", "ZN Mar27")),
    "tt.market": ("CME_Delayed", "CME_Delayed"),
    "tt.product": ("ZF", "ZF"),
    "polling.orders_s": ("12.5", 12.5),
    "polling.fills_s": ("4", 4.0),
    "polling.positions_s": ("90", 90.0),
    "polling.spot_s": ("0.5", 0.5),
    "storage.database_path": ("/srv/ladder/zn.sqlite3", "/srv/ladder/zn.sqlite3"),
    "storage.url": ("postgresql://desk@db.example.com:5433/zn_desk", "postgresql://desk@db.example.com:5433/zn_desk"),
    "storage.sod_path": ("C:\\SOD\\today.csv", "C:\\SOD\\today.csv"),
    "storage.sod_auto_import": ("true", True),
    "storage.export_dir": ("/srv/ladder/exports", "/srv/ladder/exports"),
    "sod.account_map": ("73050503=1334001, 73050502 = 1334000",
                        (("73050502", "1334000"), ("73050503", "1334001"))),
    "spot.source": ("pricing_monkey", "pricing_monkey"),
    "spot.pm_url": ("https://pricingmonkey.com/b/desk-1", "https://pricingmonkey.com/b/desk-1"),
    "spot.locator": ("#grid >> text=ZN Dec26", "#grid >> text=ZN Dec26"),
    "spot.browser": ("/usr/bin/chromium", "/usr/bin/chromium"),
    "spot.page_refresh_s": ("600", 600.0),
    "spot.max_jump_points": ("0.3", Fraction(3, 10)),
    "ladder.ticks_shown": ("80", 80),
    "ladder.recenter_band_ticks": ("12", 12),
    "ladder.font_size": ("14", 14),
    "ladder.pnl_units": ("ticks", "ticks"),
    "ladder.price_format": ("cme", "cme"),
    "ladder.theme": ("light", "light"),
    "ladder.buy_colour": ("#0000ff", "#0000ff"),
    "ladder.sell_colour": ("#FF0000", "#ff0000"),
    "ladder.spot_colour": ("#ffff00", "#ffff00"),
    "ladder.profit_colour": ("#00aa00", "#00aa00"),
    "ladder.loss_colour": ("#aa0000", "#aa0000"),
    "notifications.sound": ("false", False),
    "notifications.desktop": ("no", False),
    "alerts.loss_limit": ("5000", Fraction(5000)),
    "alerts.profit_target": ("12500.5", Fraction(25001, 2)),
    "alerts.max_position": ("40", 40),
    "alerts.large_fill_lots": ("25", 25),
    "alerts.stale_feed_s": ("45", 45.0),
    "alerts.sound": ("off", False),
    "survival.levels": ("110.75, 110'15 110-20+, 110'150", (Fraction(3535, 32), Fraction(7081, 64),
                                                            Fraction(443, 4))),
    "survival.stop_loss": ("-50000.5", Fraction(-100001, 2)),
    "survival.nbm_sixteenths": ("32", 32),
    "capture.schedule": ("sun-fri 16:45 - 16:15 America/Chicago", "Sun-Fri 16:45-16:15 America/Chicago"),
}


def all_changed():
    """Settings with every key set to its example value."""
    from zn_ladder.config.settings import Settings

    settings = Settings()
    for key, (text, _) in OTHER_VALUES.items():
        settings = settings.replace_value(key, text)
    return settings
