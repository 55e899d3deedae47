"""Immutable snapshots the workers hand to the window, one type per pane.

Why values and not live objects: a worker thread builds a snapshot, emits it through a queued signal and
never touches it again; the GUI thread renders whichever snapshot is the latest. Frozen dataclasses of
frozen records make that hand-over safe without locks, and let the window be driven (and tested) by
feeding it snapshots directly. Nothing here imports Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import Price
from zn_ladder.domain.reconcile import PositionDifference
from zn_ladder.domain.journal import JournalEntry
from zn_ladder.domain.records import Fill, WorkingOrder

if TYPE_CHECKING:  # the ladder module is the domain's; only its type is needed here
    from zn_ladder.domain.ladder import Ladder

HealthState = Literal["ok", "stale", "failing"]
Environment = Literal["SIM", "UAT", "LIVE"]


@dataclass(frozen=True, slots=True)
class LadderSnapshot:
    """A projected ladder ready to draw.

    `ladder` is the domain's projection (rows high -> low, every number final); the window never
    recomputes it. `orders` are the orders it was projected from (what-if ones included), kept so the
    window can explain a through-spot flag in a tooltip.
    """

    ladder: Ladder
    product: Product
    contract: str = ""
    average_open_price: Price | None = None
    orders: tuple[WorkingOrder, ...] = ()
    received_at: datetime | None = None

    @property
    def spot(self) -> Price:
        return self.ladder.spot


@dataclass(frozen=True, slots=True)
class OrdersSnapshot:
    """The working orders as of one good poll; `warnings` are non-fatal notes (e.g. an unknown order type)."""

    orders: tuple[WorkingOrder, ...]
    received_at: datetime
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FillsQuery:
    """Where the fills of a `FillsSnapshot` are stored, and which: the store file, the contract, the
    accounts (one, a set, or None for all) and the market. The window's fills table pages them from
    there (`ui/fills_model.py`) rather than keeping the day's fills in memory. In roll week `contract`
    is the set of the contracts open (the table lists every month's fills, as the ladders' tabs do)."""

    path: str
    contract: str | frozenset[str]
    account: str | frozenset[str] | None = None
    market: str | None = None


@dataclass(frozen=True, slots=True)
class FillsSnapshot:
    """Fills, newest first: today's, or with a `query` the newest ones only (the store worker's
    `KEEP_NS`), the fills table then reading the day's from the store `query` names, a page at a time.
    `new_keys` are the fills that arrived since the previous snapshot: the window notifies (sound,
    desktop message) for those only."""

    fills: tuple[Fill, ...]
    received_at: datetime
    new_keys: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    query: FillsQuery | None = None


@dataclass(frozen=True, slots=True)
class JournalSnapshot:
    """The realized P&L journal of the ladder's contract as stored (`domain.journal.JournalEntry`, oldest
    first): this trading day's newest matches, both methods."""

    entries: tuple[JournalEntry, ...]
    received_at: datetime


@dataclass(frozen=True, slots=True)
class AccountPnl:
    """One account's position and P&L in the contract at the current spot (one row of the accounts
    table). Realized and unrealized under each method; `total` (realized + unrealized) is the same under
    both, and the accounts' rows add up to the `PnlSnapshot` they belong to."""

    account: str
    contract: str
    position: int
    sod_position: int
    realized_lifo: Fraction
    realized_fifo: Fraction
    unrealized: Fraction
    unrealized_fifo: Fraction
    total: Fraction
    average_open_price: Price | None
    market: str = "CME"


@dataclass(frozen=True, slots=True)
class PnlSnapshot:
    """Position and P&L at the current spot, all dollars exact. `history` is (time, total P&L) for the
    intraday chart, oldest first."""

    position: int
    sod_position: int
    realized_lifo: Fraction
    realized_fifo: Fraction
    unrealized: Fraction
    total: Fraction
    average_open_price: Price | None
    risk: Fraction
    product: Product | None = None
    spot: Price | None = None
    history: tuple[tuple[datetime, Fraction], ...] = ()
    #: The same per account (account, then market), for the accounts table and AVG OPEN per account.
    by_account: tuple[AccountPnl, ...] = ()
    #: The contract these numbers are of; "" for the total across the contracts open (roll week).
    contract: str = ""
    #: The total's parts: each open contract's own snapshot, in the order the contracts were opened
    #: (empty for a contract's own snapshot).
    by_contract: tuple[PnlSnapshot, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """How one data source (orders, fills, positions, spot) is doing.

    `since` is when the current state began (e.g. failing since 14:02:11); `last_ok_at` is the last good
    read, whose age the status strip shows.
    """

    name: str
    state: HealthState = "ok"
    last_ok_at: datetime | None = None
    since: datetime | None = None
    last_error: str = ""
    #: The source's poll interval (0: not polled); a snapshot older than twice it is shown amber.
    interval_s: float = 0.0


@dataclass(frozen=True, slots=True)
class StatusSnapshot:
    """Everything the status strip shows. `budget_used`/`budget_limit` is TT's request budget in the
    current window (e.g. requests in the last minute against the plan's limit)."""

    env: Environment
    demo: bool
    connection: str
    health: tuple[SourceHealth, ...] = ()
    budget_used: int = 0
    budget_limit: int = 0
    spot_source: str = ""
    spot_at: datetime | None = None
    at: datetime | None = None
    messages: tuple[str, ...] = field(default=())
    #: Accounts/contracts whose position in the store differs from TT's `netPosition` over two
    #: consecutive position polls (`workers.position_check`), and when that was last checked.
    position_differences: tuple[PositionDifference, ...] = ()
    positions_checked_at: datetime | None = None
    #: When the orders snapshot on screen was taken (the last good orders poll): between polls the
    #: grid and the ladder are that poll net of the fills since, so its age matters to the trader.
    orders_at: datetime | None = None
    #: The live spot source standing by while a typed spot is in force (its label), or "".
    spot_standby: str = ""

    def source(self, name: str) -> SourceHealth | None:
        for health in self.health:
            if health.name == name:
                return health
        return None
