"""Reconciliation: the app's position per account and contract against TT's `netPosition`.

TT_API.md: the two must be equal, and a difference is shown to the trader, never hidden. The app's
position is the store's book (start of day plus today's fills, busts removed, corrections applied);
TT's is what ttmonitor reports. `compare_positions` is the one comparison, used by the headless
`zn-ladder reconcile` and by the window.

TT's ledger and monitor are not a real-time feed: a fill can be in one and not yet in the other, and
the app's fills poll and TT's positions poll do not run at the same instant. A difference seen once is
therefore often just lag. `PersistentDifferences` keeps only the differences that persist over two
consecutive TT position polls (the same gap at both, with no agreement seen in between), which is what
the window shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import product_of_contract

#: (account, contract)
PositionKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class PositionDifference:
    """One account and contract: the app's net position and TT's (`netPosition`), signed lots."""

    account: str
    contract: str
    app: int
    tt: int

    @property
    def key(self) -> PositionKey:
        return (self.account, self.contract)

    @property
    def gap(self) -> int:
        """App minus TT: +3 means the app counts three lots more long (or fewer short) than TT."""
        return self.app - self.tt

    @property
    def agrees(self) -> bool:
        return self.app == self.tt


class NetPosition(Protocol):
    """What the comparison needs of TT's position record (`tt.records.Position`)."""

    @property
    def account(self) -> str: ...
    @property
    def contract(self) -> str: ...
    @property
    def net_position(self) -> int: ...


def net_positions(records: Iterable[NetPosition]) -> dict[PositionKey, int]:
    """TT's positions by (account, contract), summed: TT may list one contract more than once for an
    account (e.g. per market or per instrument id of the same alias)."""
    out: dict[PositionKey, int] = {}
    for r in records:
        key = (str(r.account), r.contract)
        out[key] = out.get(key, 0) + int(r.net_position)
    return out


def _product_symbol(contract: str) -> str | None:
    try:
        return product_of_contract(contract).symbol
    except InputError:
        return None


def fold_product_books(app: Mapping[PositionKey, int]) -> dict[PositionKey, int]:
    """The app's positions without the books kept under a bare product name ("ZN", from a product-wide
    Actant SOD) for an account that has a contract of that product: those lots are counted in the
    contract's book already, and TT only ever names contracts."""
    has_contract: set[PositionKey] = set()
    for account, contract in app:
        symbol = _product_symbol(contract)
        if symbol and symbol != contract:
            has_contract.add((account, symbol))
    return {k: v for k, v in app.items() if k not in has_contract}


def compare_positions(app: Mapping[PositionKey, int], tt: Mapping[PositionKey, int], *,
                      include_agreeing: bool = False) -> tuple[PositionDifference, ...]:
    """The differences between the app's and TT's positions, sorted by account and contract.

    A key that only one side knows counts as 0 on the other (a fill TT never reported, or a position
    the store has no fill for). With `include_agreeing` every key is returned, equal ones included
    (the CLI prints the whole table).
    """
    ours = fold_product_books(app)
    out = []
    for key in sorted(set(ours) | set(tt)):
        row = PositionDifference(key[0], key[1], int(ours.get(key, 0)), int(tt.get(key, 0)))
        if include_agreeing or not row.agrees:
            out.append(row)
    return tuple(out)


class PersistentDifferences:
    """The differences that have lasted over `polls_needed` consecutive TT position polls.

    Feed every comparison to `observe`: `poll=True` for one made right after a positions poll, False
    for one made after the store changed (the TT side is then the last poll's). A key counts a poll
    when it differs with the same gap as at the previous poll; any comparison where it agrees (e.g.
    the store catching up with a fill) forgets it, and a different gap at a poll starts the count
    again, since lag moves the gap and a missing or extra fill does not. Not thread-safe: one owner
    (the window's store thread) calls it.
    """

    def __init__(self, polls_needed: int = 2) -> None:
        self.polls_needed = max(1, polls_needed)
        #: key -> (gap at the last poll, consecutive polls with that gap)
        self._streaks: dict[PositionKey, tuple[int, int]] = {}

    def observe(self, differences: Iterable[PositionDifference], *, poll: bool
                ) -> tuple[PositionDifference, ...]:
        """The differences to show now: those of `differences` whose streak is long enough, with
        their current values."""
        current = {d.key: d for d in differences if not d.agrees}
        streaks = {k: v for k, v in self._streaks.items() if k in current}
        if poll:
            for key, diff in current.items():
                gap, count = streaks.get(key, (diff.gap, 0))
                streaks[key] = (diff.gap, count + 1 if gap == diff.gap else 1)
        self._streaks = streaks
        return tuple(d for k, d in sorted(current.items())
                     if streaks.get(k, (0, 0))[1] >= self.polls_needed)

    def reset(self) -> None:
        self._streaks = {}
