"""An independent model of the report's trade statistics, for the tests: no LotBook, no lots.

Round trips by cash flow alone: per (account, market, contract) the position and the cash paid
(-qty x price, in ticks) since the position left flat; when it comes back to zero the cash is the
trip's P&L (nothing is open any more, so no matching method is needed); a fill through zero is cut
in two at its own price. The day's P&L curve marks every traded instrument at its last price:
sum(cash) + position x last price over its books. Drawdown by trying every pair of points. Busts and
corrections applied by hand on a dict of fills. Money in exact Fractions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from fractions import Fraction

from zn_ladder.domain.instruments import product_of_contract
from zn_ladder.domain.records import Fill, SodLot


def tick_value(contract: str) -> Fraction:
    product = product_of_contract(contract)
    return Fraction(product.point_value) / product.ticks_per_point


def model_trips(fills: Sequence[Fill], opening: dict[tuple, list[tuple[int, int]]], day_start_ns: int):
    """([(book, direction, open_ns, close_ns, pnl, carried, largest position)], {book: (direction, open_ns,
    carried)})."""
    pos: dict[tuple, int] = {}
    largest: dict[tuple, int] = {}
    cash: dict[tuple, int] = {}
    opened: dict[tuple, tuple[int, int, bool]] = {}
    closed = []
    for book, lots in opening.items():
        pos[book] = sum(q for q, _ in lots)
        cash[book] = -sum(q * p for q, p in lots)
        if pos[book]:
            opened[book] = (1 if pos[book] > 0 else -1, day_start_ns, True)
            largest[book] = abs(pos[book])
    for f in fills:
        book = (f.account, f.market, f.contract)
        q = f.qty if int(f.side) > 0 else -f.qty
        p0 = pos.get(book, 0)
        if p0 == 0:
            opened[book] = (1 if q > 0 else -1, f.time_ns, False)
            cash[book] = 0
            largest[book] = 0
        if p0 and abs(q) > abs(p0) and (q > 0) != (p0 > 0):  # through zero: close at this price, reopen
            cash[book] += p0 * f.price  # pays back -p0 contracts
            direction, t0, carried = opened.pop(book)
            closed.append((book, direction, t0, f.time_ns, cash[book] * tick_value(book[2]), carried, largest[book]))
            rest = q + p0
            pos[book], cash[book], largest[book] = rest, -rest * f.price, abs(rest)
            opened[book] = (1 if rest > 0 else -1, f.time_ns, False)
            continue
        pos[book] = p0 + q
        cash[book] -= q * f.price
        largest[book] = max(largest[book], abs(pos[book]))
        if pos[book] == 0:
            direction, t0, carried = opened.pop(book)
            closed.append((book, direction, t0, f.time_ns, cash[book] * tick_value(book[2]), carried, largest[book]))
    return closed, opened


def model_curve(fills: Sequence[Fill], opening: dict[tuple, list[tuple[int, int]]]) -> list[Fraction]:
    """The day's P&L after each fill (the day's start, 0, first)."""
    pos: dict[tuple, int] = {b: sum(q for q, _ in lots) for b, lots in opening.items()}
    cash: dict[tuple, int] = {b: -sum(q * p for q, p in lots) for b, lots in opening.items()}
    last: dict[tuple, int] = {}
    out = [Fraction(0)]
    for f in fills:
        book = (f.account, f.market, f.contract)
        q = f.qty if int(f.side) > 0 else -f.qty
        pos[book] = pos.get(book, 0) + q
        cash[book] = cash.get(book, 0) - q * f.price
        last[(f.market, f.contract)] = f.price
        out.append(sum((cash[b] + pos[b] * last[(b[1], b[2])]) * tick_value(b[2])
                       for b in pos if (b[1], b[2]) in last))
    return out


def model_drawdown(values: Sequence[Fraction]) -> Fraction:
    """The largest fall from any point to any later one (0 when it never falls)."""
    falls = [values[i] - values[j] for i in range(len(values)) for j in range(i + 1, len(values))]
    return max([Fraction(0), *falls])


def model_stats(pnls: Sequence[Fraction]) -> dict:
    wins = [p for p in pnls if p > 0]
    losses = [p for p in pnls if p < 0]
    return {
        "round_trips": len(pnls), "wins": len(wins), "losses": len(losses),
        "scratches": sum(1 for p in pnls if p == 0),
        "win_rate": Fraction(len(wins), len(pnls)) if pnls else None,
        "average_win": sum(wins) / len(wins) if wins else None,
        "average_loss": sum(losses) / len(losses) if losses else None,
        "largest_win": max(wins) if wins else None, "largest_loss": min(losses) if losses else None,
        "profit_factor": sum(wins) / -sum(losses) if losses else None,
    }


def apply_busts(fills: Iterable[Fill], corrections: Iterable[tuple[str, str, int | None, int | None]]) -> list[Fill]:
    """(kind, ref key, qty, price) in order: "bust" drops the fill, "correct" sets its qty and price."""
    by_key = {f.key: f for f in fills}
    for kind, ref, qty, price in corrections:
        if ref not in by_key:
            continue
        if kind == "bust" or qty == 0:
            del by_key[ref]
        else:
            by_key[ref] = replace(by_key[ref], qty=qty, price=price)
    return list(by_key.values())


def opening_from_sod(sod: Iterable[SodLot]) -> dict[tuple, list[tuple[int, int]]]:
    out: dict[tuple, list[tuple[int, int]]] = {}
    for lot in sod:
        out.setdefault((lot.account, lot.market, lot.contract), []).append((lot.qty, lot.price))
    return out
