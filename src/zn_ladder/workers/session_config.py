"""`SessionConfig`: everything a `Session` is started with, as one frozen value.

The app builds it from the settings (or the demo's fixed choices) and hands it over whole, so a
session's inputs can be read in one place and a test can start a session without a settings file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import Price
from zn_ladder.domain.trading_day import DEFAULT_RULE, TradingDayRule


@dataclass(frozen=True)
class SessionConfig:
    conn: Any  # TTConnection
    product: Product
    env: str = "SIM"
    demo: bool = False
    db_path: Path | None = None
    contracts: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    #: The market the window shows (canonical; see `domain.instruments.canonical_market`).
    market: str = "CME"
    #: Actant account -> TT account (`sod.account_map`) for the SOD file imported at start.
    sod_account_map: tuple[tuple[str, str], ...] = ()
    orders_s: float = 30.0
    fills_s: float = 8.0
    positions_s: float = 120.0
    spot_s: float = 1.0
    spot_mode: str = "manual"
    reader_settings: Any = None
    sim_price: Callable[[], Price] | None = None
    #: The DEMO's price of any contract it trades (roll week: each lane's spot), by contract name.
    sim_price_of: Callable[[str], Price] | None = None
    #: Read the start-of-day positions from TT once; outside the demo they are used only when the
    #: store has none for the contract (a desk's imported Actant file wins).
    fetch_sod: bool = False
    #: An Actant SOD file, or a folder (its newest file), imported into the store at start; empty: none.
    sod_path: str = ""
    #: The desk's survival curve settings (`config.settings.SurvivalSettings`; None: the seed's).
    survival: Any = None
    status_interval_s: float = 1.0
    stop_timeout_s: float = 4.0
    #: The desk's trading-day rule (`trading_day.close`): the store's sessions and closed days, the chart's day.
    day_rule: TradingDayRule = DEFAULT_RULE
