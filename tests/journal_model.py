"""An independent realized P&L journal for the tests: contract by contract, no lots.

Written without zn_ladder's matching (no LotBook, no deque of lots): every contract of every opening
trade is its own unit on a list; a trade against the position takes units one at a time from the end
(LIFO) or the front (FIFO) of the list; the units a trade takes from one opening trade in a row make one
journal row. The rows are plain tuples in the field order of `JournalEntry` minus the dollar fields:
(account, market, contract, method, time_ns, open_key, open_time_ns, open_qty, open_price, close_key,
close_qty, close_price, matched_qty, realized_ticks, cumulative_ticks).
"""

from __future__ import annotations

from collections.abc import Iterable

from zn_ladder.domain.records import Fill, SodLot


def model_journal(fills: Iterable[Fill], method: str, sod: Iterable[SodLot] = (),
                  contracts: tuple[str, ...] | None = None) -> list[tuple]:
    """Rows for the fills (execution order) and SOD lots; `contracts`, when given, are the only ones
    kept (the others belong to another product). A key seen before in the same book is skipped."""
    units: dict[tuple, list[tuple]] = {}  # book -> [(opening id, sign, price, key, time, whole qty)]
    cumulative: dict[tuple, int] = {}
    seen: dict[tuple, set] = {}
    rows: list[tuple] = []
    trades: list[tuple] = []
    for lot in sod:
        trades.append(((lot.account, lot.market, lot.contract), lot.qty, lot.price,
                       f"SOD {lot.date}" if lot.date else "SOD", 0, None))
    for f in fills:
        trades.append(((f.account, f.market, f.contract), f.qty if int(f.side) > 0 else -f.qty, f.price, f.key,
                       f.time_ns, f.key))
    for number, (book, qty, price, key, time_ns, dedupe_key) in enumerate(trades):
        if contracts is not None and book[2] not in contracts:
            continue
        if dedupe_key is not None:
            keys = seen.setdefault(book, set())
            if dedupe_key in keys:
                continue
            keys.add(dedupe_key)
        stack = units.setdefault(book, [])
        sign = 1 if qty > 0 else -1
        taken: list[tuple] = []
        left = abs(qty)
        while left and stack and stack[-1][1] != sign:
            taken.append(stack.pop() if method == "lifo" else stack.pop(0))
            left -= 1
        # group the units taken from one opening trade in a row
        groups: list[list[tuple]] = []
        for unit in taken:
            if groups and groups[-1][0][0] == unit[0]:
                groups[-1].append(unit)
            else:
                groups.append([unit])
        for group in groups:
            opening_id, lot_sign, open_price, open_key, open_time, open_qty = group[0]
            matched = len(group)
            realized = lot_sign * matched * (price - open_price)
            cumulative[book] = cumulative.get(book, 0) + realized
            rows.append((*book, method, time_ns, open_key, open_time, open_qty, open_price, key, qty, price,
                         matched, realized, cumulative[book]))
        stack.extend([(number, sign, price, key, time_ns, qty)] * left)
    return rows


def model_realized(rows: Iterable[tuple]) -> dict[tuple, int]:
    """Sum of realized ticks per (account, market, contract)."""
    out: dict[tuple, int] = {}
    for row in rows:
        out[row[:3]] = out.get(row[:3], 0) + row[13]
    return out
