"""Copying one store into another (a PC's SQLite file into the desk database): `zn-ladder store copy`.

What is copied, and why:
- Fills: every stored row as it was received (original qty and price, source, user, environment, time),
  through the target's own `ingest`: the same identity rules (exec key; order id + cumulative qty), so
  a fill the desk already holds (captured by the desk, or copied from another PC) counts once.
- Busts and corrections: every one, pending ones included; the target applies them as on any ingest.
- SOD: the lots of each (account, market, contract, date) the target has no SOD for. Where it has, the
  target's is kept: the desk's own import is the reference, and a PC's older copy must not replace it
  (nor, copied as Actant's whole day, drop the other accounts of that day). Copied lots are labelled
  `<source> (copied)`.
- Audit log: every entry once (an entry equal in time, who, event and detail is not copied again), and
  one `store_copied` entry saying what came from where.
- TT reference data (instrument names) the target lacks; quarantined records whose fill it lacks.
- Not copied: poll cursors (where that PC resumed against TT: the desk capture keeps its own, and
  another's would make it skip or re-read fills) and matching books (derived: the target builds them
  from the copied fills and they are verified against a recompute at the end).
The source is opened read-only and never changed. Fills go in chunks, one transaction each, in arrival
order, each chunk sorted by time (so books mostly grow incrementally); an interrupted copy is completed by running it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from zn_ladder.domain.errors import StoreError
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side, SodLot
from zn_ladder.store import db
from zn_ladder.store.backend import Connection, Location, locate
from zn_ladder.store.store import Store

CHUNK = 20_000
STORE_COPIED = "store_copied"


@dataclass
class CopyResult:
    fills_added: int = 0
    fills_duplicate: int = 0
    fills_skipped: int = 0
    corrections_added: int = 0
    corrections_duplicate: int = 0
    sod_lots_copied: int = 0
    sod_days_kept: int = 0
    audit_copied: int = 0
    refdata_copied: int = 0
    quarantine_copied: int = 0
    books_verified: int = 0
    book_differences: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def copy_store(source: str | Location, target: str | Location, *, who: str | None = None,
               verify: bool = True) -> CopyResult:
    """Copy `source` into `target` (created or migrated if needed); see the module's docstring.
    `verify=False` leaves the target's books unchecked on open and after the copy: for a caller that
    opens the target for writing next, which checks them then (the desk capture after its upload)."""
    src_loc, dst_loc = locate(source), locate(target)
    if str(src_loc) == str(dst_loc):
        raise StoreError(f"--from and --to name the same store ({src_loc}): nothing to copy")
    out = CopyResult()
    src = db.connect(src_loc, readonly=True)
    try:
        with Store.open(dst_loc, verify=verify) as store:
            with db.translated(src_loc, "read fills"):
                for chunk in _fill_chunks(src):
                    _ingest_fills(store, chunk, out)
                by_source = _corrections(src)
            for source_name, corrections in by_source.items():
                result = store.ingest((), corrections, source=source_name)
                out.corrections_added += result.corrections_added
                out.corrections_duplicate += result.corrections_duplicate
            _copy_sod(store, src, src_loc, out)
            _copy_small_tables(store, src, src_loc, out)
            if verify:
                out.book_differences = len(store.verify_matching())
                out.books_verified = store.book_count()
            store.audit(STORE_COPIED, {"from": str(src_loc), **{k: v for k, v in out.as_dict().items()
                                                                 if k != "warnings"}}, who)
    finally:
        src.close()
    return out


_FILL_COLUMNS = ('id, key, account, contract, side, qty, price, time_ns, order_id, exec_id, source, "user", cum_qty, '
                 "market, instrument_id, environment")


def _fill_chunks(src: Connection) -> Iterator[list[tuple]]:
    """The source's fills as received, CHUNK rows at a time in arrival order (keyset paging on the primary
    key: a 1M-fill store is never held in memory whole, nor sorted whole), each chunk in time order."""
    after = 0
    while True:
        rows = src.execute(f"SELECT {_FILL_COLUMNS} FROM fills WHERE id > ? ORDER BY id LIMIT {CHUNK}",
                           (after,)).fetchall()
        if not rows:
            return
        after = rows[-1][0]
        yield sorted(rows, key=lambda r: (r[7], r[0]))


def _ingest_fills(store: Store, rows: list[tuple], out: CopyResult) -> None:
    by_env: dict[str, list[Fill]] = defaultdict(list)
    for (_, key, account, contract, side, qty, price, time_ns, order_id, exec_id, source, user, cum_qty, market,
         instrument_id, environment) in rows:
        by_env[environment].append(Fill(key, account, contract, Side(side), qty, price, time_ns, order_id, exec_id,
                                        source, user, cum_qty, market, instrument_id))
    for environment, fills in by_env.items():
        result = store.ingest(fills, source="copy", environment=environment)
        out.fills_added += result.added
        out.fills_duplicate += result.duplicate
        out.fills_skipped += result.skipped
        out.warnings.extend(result.warnings)


def _corrections(src: Connection) -> dict[str, list[FillCorrection]]:
    """Every bust and correction of the source, grouped by the source that sent it (kept on the target)."""
    grouped: dict[str, list[FillCorrection]] = defaultdict(list)
    for key, ref, kind, time_ns, qty, price, source in src.execute(
            "SELECT key, ref_key, kind, time_ns, qty, price, source FROM corrections ORDER BY time_ns, key"):
        grouped[source].append(FillCorrection(key, ref, CorrectionKind(kind), time_ns, qty, price))
    return grouped


def _copy_sod(store: Store, src: Connection, src_loc: Location, out: CopyResult) -> None:
    with db.translated(src_loc, "read SOD"):
        rows = src.execute("SELECT date, account, market, contract, qty, price, source FROM sod_lots "
                           "ORDER BY date, account, market, contract, seq").fetchall()
    held = {tuple(r) for r in store.conn.execute("SELECT DISTINCT date, account, market, contract FROM sod_lots")}
    by_source: dict[str, list[SodLot]] = defaultdict(list)
    kept: set[tuple] = set()
    for date, account, market, contract, qty, price, source in rows:
        if (date, account, market, contract) in held:
            kept.add((date, account, market, contract))
            continue
        by_source[f"{source} (copied)" if source else "copied"].append(
            SodLot(account, contract, qty, price, date, market))
    for source, lots in by_source.items():
        out.sod_lots_copied += store.put_sod(lots, source=source).added
    out.sod_days_kept = len(kept)


def _copy_small_tables(store: Store, src: Connection, src_loc: Location, out: CopyResult) -> None:
    with db.translated(src_loc, "read the audit log"):
        audit_rows = src.execute("SELECT time_ns, who, event, detail FROM audit ORDER BY id").fetchall()
        refdata_rows = src.execute("SELECT kind, id, value, fetched_ns FROM refdata").fetchall()
        held = src.execute("SELECT name, time_ns, environment, raw, reason, stored_ns FROM quarantine "
                           "WHERE resolved_ns IS NULL").fetchall()
    with store.transaction("copy the audit log and reference data") as conn:
        for row in audit_rows:
            if conn.execute("SELECT 1 FROM audit WHERE event = ? AND time_ns = ? AND who = ? AND detail = ?",
                            (row[2], row[0], row[1], row[3])).fetchone() is None:
                conn.execute("INSERT INTO audit (time_ns, who, event, detail) VALUES (?,?,?,?)", tuple(row))
                out.audit_copied += 1
        for row in refdata_rows:
            out.refdata_copied += conn.execute("INSERT INTO refdata (kind, id, value, fetched_ns) VALUES (?,?,?,?) "
                                               "ON CONFLICT DO NOTHING", tuple(row)).rowcount
        for row in held:
            if conn.execute("SELECT 1 FROM fills WHERE key = ?", (row[0],)).fetchone() is None:
                out.quarantine_copied += conn.execute(
                    "INSERT INTO quarantine (name, time_ns, environment, raw, reason, stored_ns) VALUES (?,?,?,?,?,?) "
                    "ON CONFLICT DO NOTHING", tuple(row)).rowcount
