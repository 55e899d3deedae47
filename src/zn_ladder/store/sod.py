"""Start-of-day lots per account, contract and date (from Actant or TT's SOD).

Importing the same SOD again changes nothing; importing a different SOD for the same account,
contract and date replaces it (audited), because the desk re-runs Actant when a position was wrong.
The latest date stored decides where a book starts (see `matching.session_start_ns`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.records import SodLot
from zn_ladder.store.where import Filter, matches
from zn_ladder.store.backend import Connection

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%d-%b-%y", "%d-%b-%Y")


def normalise_date(text: str) -> str:
    """ISO `YYYY-MM-DD` from the forms Actant and TT use (`08/11/2022` is Actant's month/day/year)."""
    text = (text or "").strip()
    if not text:
        return ""
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise InputError(f"SOD date {text!r} is not a date (expected YYYY-MM-DD or MM/DD/YYYY)")


@dataclass(slots=True)
class SodWrite:
    added: int = 0
    duplicate: int = 0
    replaced: int = 0
    #: (account, market, contract) whose SOD changed.
    affected: set[tuple[str, str, str]] = field(default_factory=set)
    groups: list[dict] = field(default_factory=list)


#: Sources whose file is the whole desk's start of day for its dates: a new file for a date replaces
#: every lot that source stored for that date (a row gone, or an account now mapped to TT's, must not
#: stay beside the new one and count twice).
WHOLE_DAY_SOURCES = frozenset({"actant_sod"})


def put_sod(conn: Connection, lots: Sequence[SodLot], stored_ns: int, source: str = "") -> SodWrite:
    """Store SOD lots grouped by (date, account, contract); the caller holds the write transaction."""
    out = SodWrite()
    groups: dict[tuple[str, str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for lot in lots:
        groups[(normalise_date(lot.date), lot.account, lot.market, lot.contract)].append((int(lot.qty), int(lot.price)))
    if source in WHOLE_DAY_SOURCES:
        _drop_missing(conn, source, set(groups), out)
    for (date, account, market, contract), new in groups.items():
        where = "account=? AND market=? AND contract=? AND date=?"
        old = conn.execute(f"SELECT qty, price FROM sod_lots WHERE {where} ORDER BY seq",
                           (account, market, contract, date)).fetchall()
        if [tuple(r) for r in old] == new:
            out.duplicate += len(new)
            continue
        if old:
            conn.execute(f"DELETE FROM sod_lots WHERE {where}", (account, market, contract, date))
            out.replaced += len(old)
        conn.executemany("INSERT INTO sod_lots (date, account, market, contract, seq, qty, price, source, stored_ns, "
                         "checksum) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         [(date, account, market, contract, i, q, p, source, stored_ns,
                           lot_checksum(date, account, market, contract, i, q, p)) for i, (q, p) in enumerate(new)])
        out.added += len(new)
        out.affected.add((account, market, contract))
        out.groups.append({"date": date, "account": account, "market": market, "contract": contract,
                           "lots": len(new), "replaced": len(old)})
    return out


def _drop_missing(conn: Connection, source: str, keep: set[tuple[str, str, str, str]], out: SodWrite) -> None:
    """Delete the lots `source` stored for the new file's dates under books the file no longer names."""
    for date in {key[0] for key in keep}:
        rows = conn.execute("SELECT DISTINCT account, market, contract FROM sod_lots WHERE source=? AND date=?",
                            (source, date)).fetchall()
        for account, market, contract in rows:
            if (date, account, market, contract) in keep:
                continue
            gone = conn.execute("DELETE FROM sod_lots WHERE source=? AND date=? AND account=? AND market=? "
                                "AND contract=?", (source, date, account, market, contract)).rowcount
            out.replaced += gone
            out.affected.add((account, market, contract))
            out.groups.append({"date": date, "account": account, "market": market, "contract": contract,
                               "lots": 0, "replaced": gone})


def lot_checksum(*fields: object) -> str:
    """What was imported for one SOD lot, hashed (see `fills.checksum`)."""
    return hashlib.blake2b("\x1f".join(map(str, fields)).encode("utf-8"), digest_size=8).hexdigest()


def changed_lots(conn: Connection) -> list[str]:
    """Describe every SOD lot that no longer matches its checksum (older rows get theirs now)."""
    changed, unsummed = [], []
    for row in conn.execute("SELECT checksum, date, account, market, contract, seq, qty, price FROM sod_lots"):
        stored, *fields = row
        if not stored:
            unsummed.append((lot_checksum(*fields), *fields[:5]))
        elif stored != lot_checksum(*fields):
            date, account, market, contract, _, qty, price = fields
            changed.append(f"SOD lot {account} {market} {contract} {date} ({qty:+d} @ {price} ticks)")
    if unsummed:
        conn.executemany("UPDATE sod_lots SET checksum=? WHERE date=? AND account=? AND market=? AND contract=? "
                         "AND seq=?", unsummed)
    return changed


def sod_lots(conn: Connection, account: Filter = None, contract: str | None = None,
             market: str | None = None) -> list[SodLot]:
    """The latest SOD of each account/market/contract (what the books start from)."""
    rows = conn.execute(
        "SELECT s.account, s.contract, s.qty, s.price, s.date, s.market FROM sod_lots s JOIN "
        "(SELECT account, market, contract, max(date) AS d FROM sod_lots GROUP BY account, market, contract) m "
        "ON s.account = m.account AND s.market = m.market AND s.contract = m.contract AND s.date = m.d "
        "ORDER BY s.account, s.market, s.contract, s.seq")
    return [SodLot(a, c, q, p, d, m) for a, c, q, p, d, m in rows
            if matches(a, account) and matches(c, contract) and matches(m, market)]
