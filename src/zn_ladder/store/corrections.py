"""Trade busts and corrections, applied to the fill they refer to; the original is kept.

A correction is stored once (by its own key) and marks the fill it names (`ref_key`): a bust sets
`busted`, a correction sets `corr_qty`/`corr_price`. The fill row's original qty and price are never
rewritten, so the audit shows what TT first reported and what it became. A fill's state is always
rebuilt from *all* its corrections in time order, so corrections arriving out of order, twice, or
before the fill itself (they stay pending until it arrives) give the same result.

Limitation: a correction names the execution by TT's exec id. A fill that reached the store only
from a file without exec ids (Audit Trail) cannot be named that way; its correction stays pending
and is listed by `pending_corrections`, and the Audit Trail's own later rows carry the corrected
figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from zn_ladder.domain.records import CorrectionKind, FillCorrection
from zn_ladder.store.backend import Connection


@dataclass(frozen=True, slots=True)
class AppliedCorrection:
    """A fill whose state changed: for the audit log and to recompute its book."""

    fill_key: str
    account: str
    market: str
    contract: str
    corrections: tuple[str, ...]
    before: tuple[int, int | None, int | None]  # busted, qty, price (None = as reported)
    after: tuple[int, int | None, int | None]


def insert_corrections(conn: Connection, corrections: Sequence[FillCorrection], stored_ns: int,
                       source: str = "") -> tuple[list[FillCorrection], int]:
    """Store new corrections; returns (the new ones, duplicates)."""
    new: list[FillCorrection] = []
    for c in corrections:
        kind = c.kind.value if isinstance(c.kind, CorrectionKind) else str(c.kind)
        cur = conn.execute(
            "INSERT INTO corrections (key, ref_key, kind, time_ns, qty, price, source, stored_ns) "
            "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING", (c.key, c.ref_key, kind, c.time_ns, c.qty, c.price, source, stored_ns))
        if cur.rowcount == 1:
            new.append(c)
    return new, len(corrections) - len(new)


def pending_refs(conn: Connection) -> set[str]:
    """Fill keys named by corrections not applied yet (their fill has not arrived)."""
    return {root_fill_key(conn, r[0]) for r in conn.execute("SELECT ref_key FROM corrections WHERE applied = 0")}


def root_fill_key(conn: Connection, ref_key: str) -> str:
    """The fill a correction ultimately names: TT may reference an earlier correction of it."""
    seen = {ref_key}
    while True:
        row = conn.execute("SELECT ref_key FROM corrections WHERE key=?", (ref_key,)).fetchone()
        if row is None or row[0] in seen:
            return ref_key
        ref_key = row[0]
        seen.add(ref_key)


def _chain(conn: Connection, fill_key: str) -> list[tuple]:
    """Every correction of a fill, directly or through earlier corrections, in time order."""
    found: dict[str, tuple] = {}
    frontier = [fill_key]
    while frontier:
        ref = frontier.pop()
        for row in conn.execute("SELECT key, kind, qty, price, time_ns FROM corrections WHERE ref_key=?", (ref,)):
            if row[0] not in found:
                found[row[0]] = row
                frontier.append(row[0])
    return sorted(found.values(), key=lambda r: (r[4], r[0]))


def apply_for(conn: Connection, ref_keys: Iterable[str]) -> list[AppliedCorrection]:
    """Rebuild the corrected state of each named fill that is stored; the rest stay pending.

    A bust (or a correction to qty 0) removes the fill from the books; corrections after a bust are
    ignored, as TT cannot correct a trade that no longer exists.
    """
    applied: list[AppliedCorrection] = []
    for ref in sorted({root_fill_key(conn, r) for r in ref_keys}):
        row = conn.execute("SELECT id, account, market, contract, busted, corr_qty, corr_price FROM fills WHERE key=?",
                           (ref,)).fetchone()
        if row is None:
            continue
        fill_id, account, market, contract, *before = row
        busted, qty, price = 0, None, None
        keys = []
        for key, kind, c_qty, c_price, _ in _chain(conn, ref):
            keys.append(key)
            if busted:
                continue
            if kind == CorrectionKind.BUST.value or c_qty == 0:
                busted = 1
                continue
            qty = c_qty if c_qty is not None else qty
            price = c_price if c_price is not None else price
        conn.execute("UPDATE fills SET busted=?, corr_qty=?, corr_price=? WHERE id=?", (busted, qty, price, fill_id))
        conn.executemany("UPDATE corrections SET applied=1 WHERE key=? AND applied=0", [(k,) for k in keys])
        after = (busted, qty, price)
        if tuple(before) != after:
            applied.append(AppliedCorrection(ref, account, market, contract, tuple(keys), tuple(before), after))
    return applied


def pending_corrections(conn: Connection) -> list[FillCorrection]:
    return [FillCorrection(k, r, CorrectionKind(kind), t, q, p) for k, r, kind, t, q, p in conn.execute(
        "SELECT key, ref_key, kind, time_ns, qty, price FROM corrections WHERE applied=0 ORDER BY time_ns, key")]


def all_corrections(conn: Connection) -> list[FillCorrection]:
    return [FillCorrection(k, r, CorrectionKind(kind), t, q, p) for k, r, kind, t, q, p in conn.execute(
        "SELECT key, ref_key, kind, time_ns, qty, price FROM corrections ORDER BY time_ns, key")]
