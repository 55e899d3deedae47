"""The survival curve after each fill, logged in the store (issue 15 §5; the old `r_survival_streaming.csv`).

Runs on the store's writer thread, after each snapshot of the ladder's contract (`Session` submits it):
the fills not logged yet get, in time order, the curve of the position they left at their own price
with the P&L made so far (`domain.survival_trail`), computed with the desk's survival settings. The
books are kept between snapshots and take only the fills a snapshot adds; a bust, a correction or a
late fill replays the day from the snapshot (microseconds per fill). At most `MAX_PER_UPDATE` curves are
computed per snapshot so a window opened late in a busy day never holds the writer for long: the rest
follow with the next snapshots, oldest first.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from typing import Any

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import product_of_contract
from zn_ladder.domain.prices import Price
from zn_ladder.domain.survival import (DEFAULT_NBM_SIXTEENTHS, DEFAULT_STOP_LOSS, SEED_LEVELS, risk_per_lot,
                                       survival_curve)
from zn_ladder.domain.survival_trail import FillMark, FillTrail
from zn_ladder.store.matching import session_start_ns
from zn_ladder.store.survival_log import SurvivalRow

log = logging.getLogger(__name__)

#: Curves computed per snapshot at most (~0.2 ms each).
MAX_PER_UPDATE = 500


class SurvivalLog:
    """Logs each new fill's survival curve; `settings` is the desk's `SurvivalSettings` (or None: the
    seed's defaults). Only the writer's thread calls `update`."""

    def __init__(self, settings: Any = None) -> None:
        self.settings = settings
        self._contract: tuple[str, str | None] | None = None
        #: Fill keys logged (or not to log: an earlier session's) for `_contract`.
        self._done: set[str] = set()
        #: The books after `_applied` (the snapshot's fills so far, in order) from `_sod`; None: replay.
        self._trail: FillTrail | None = None
        self._applied: tuple[Any, ...] = ()
        self._sod: tuple[Any, ...] = ()

    def inputs(self) -> tuple[tuple[Fraction, ...], Fraction, Fraction]:
        """(levels, stop loss, NBM sixteenths) from the settings, read once per update."""
        s = self.settings
        if s is None:
            return SEED_LEVELS, DEFAULT_STOP_LOSS, DEFAULT_NBM_SIXTEENTHS
        return tuple(s.levels), Fraction(s.stop_loss), Fraction(s.nbm_sixteenths)

    def update(self, store: Any, snap: Any) -> int:
        """Log the snapshot's fills not logged yet (at most `MAX_PER_UPDATE`); the rows added."""
        try:
            product = product_of_contract(snap.contract)
        except InputError:
            return 0
        scope = (snap.contract, snap.market)
        if scope != self._contract:
            self._contract, self._done = scope, store.survival_logged(snap.contract, snap.market)
            self._trail = None
        fills, sod = tuple(snap.fills), tuple(snap.sod)
        start = len(self._applied)
        # The day grew by new fills at its end (the norm): only those are applied. Anything else (a
        # bust, a correction, a late fill, a new SOD) replays the day. Unchanged fills are the very same
        # objects between snapshots, so the prefix test is a walk of pointers.
        if self._trail is None or sod != self._sod or fills[:start] != self._applied:
            self._trail = FillTrail(product, sod, {(lot.account, lot.market): session_start_ns(lot.date)
                                                   for lot in sod})
            self._sod, start = sod, 0
        levels, stop_loss, nbm = self.inputs()
        rows: list[SurvivalRow] = []
        end = len(fills)
        for i in range(start, len(fills)):
            fill = fills[i]
            if fill.key not in self._done and len(rows) == MAX_PER_UPDATE:
                end = i  # the rest of a backlog with the next snapshot, the books kept where they are
                break
            mark = self._trail.apply(fill)
            if mark is None:
                self._done.add(fill.key)  # an earlier session's fill: not in today's books, never logged
            elif fill.key not in self._done:
                rows.append(survival_row(mark, product, levels, stop_loss, nbm))
        self._applied = fills[:end]
        added = store.log_survival(rows)
        self._done.update(r.fill_key for r in rows)
        if added:
            log.debug("survival curve logged for %d fills of %s", added, snap.contract)
        return added


def survival_row(mark: FillMark, product: Any, levels: tuple[Fraction, ...], stop_loss: Fraction,
                 nbm: Fraction) -> SurvivalRow:
    """The curve after one fill: R0 = the position it left x $ per 1/16 point, at the fill's price,
    with the P&L so far (`FillMark`)."""
    f = mark.fill
    price = Price.from_ticks(f.price, product).value
    risk = mark.position * risk_per_lot(product)
    curve = survival_curve(price, risk, levels, pnl=mark.pnl, stop_loss=stop_loss, nbm_sixteenths=nbm)
    return SurvivalRow(f.key, f.time_ns, f.account, f.market, f.contract, int(f.side), f.qty, f.price, f.order_id,
                       f.user, mark.position, risk, mark.pnl, stop_loss, nbm, curve.extreme_level,
                       curve.sixteenths_to_extreme, tuple((pt.level, pt.risk) for pt in curve.points))
