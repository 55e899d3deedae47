"""Lot matching (DESIGN §3.5): LIFO/FIFO by hand, the fill-monitor fixture, corrections and the identity.

ZN: one tick = 1/64 point = $15.625. Prices below are ticks; 7040 = 110'000.
"""

from __future__ import annotations

import csv
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.lots import Lot, LotBook, apply_corrections, match_fills
from zn_ladder.domain.prices import Price, parse_price, ticks_from_number
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side, SodLot

ZN = get_product("ZN")
TV = ZN.tick_value
P = 7040
_n = 0


def fill(side: Side, qty: int, price: int, key: str | None = None, *, account="A1", contract="ZN Sep25",
         market="CME") -> Fill:
    global _n
    _n += 1
    return Fill(key or f"k{_n}", account, contract, side, qty, price, _n, market=market)


def B(qty, price, key=None, **kw):
    return fill(Side.BUY, qty, price, key, **kw)


def S(qty, price, key=None, **kw):
    return fill(Side.SELL, qty, price, key, **kw)


def identity_holds(book: LotBook, mark: Price) -> bool:
    return (book.realized + book.unrealized(mark) == book.cash_flow_pnl(mark)
            and sum(lot.qty for lot in book.open_lots) == book.position)


def test_lifo_and_fifo_by_hand():
    fills = [B(1, P), B(1, P + 4), S(1, P + 6)]
    lifo, fifo = LotBook(ZN, "lifo"), LotBook(ZN, "fifo")
    for f in fills:
        assert lifo.apply(f) and fifo.apply(f)
    # LIFO closes the newer buy at P+4: 2 ticks = $31.25; the buy at P stays open.
    assert lifo.realized == 2 * TV == Fraction(125, 4)
    assert lifo.open_lots == (Lot(1, P),)
    # FIFO closes the older buy at P: 6 ticks = $93.75; the buy at P+4 stays open.
    assert fifo.realized == 6 * TV == Fraction(375, 4)
    assert fifo.open_lots == (Lot(1, P + 4),)
    # Mark at P+8: LIFO unrealized 8 ticks, FIFO 4 ticks; totals equal (10 ticks = $156.25).
    mark = Price.from_ticks(P + 8, ZN)
    assert lifo.unrealized(mark) == 8 * TV and fifo.unrealized(mark) == 4 * TV
    assert lifo.total_pnl(mark) == fifo.total_pnl(mark) == Fraction(15625, 100)
    assert identity_holds(lifo, mark) and identity_holds(fifo, mark)


def test_position_flips_through_zero_and_short_lots_realize_the_mirror():
    book = LotBook(ZN, "lifo")
    book.apply(B(2, P))
    book.apply(S(5, P + 3))  # closes 2 long (+3 ticks each = 6 ticks), opens 3 short at P+3
    assert book.position == -3 and book.open_lots == (Lot(-3, P + 3),)
    assert book.realized_ticks == 6
    book.apply(B(1, P + 1))  # covers 1 short: sold P+3, bought P+1 -> +2 ticks
    assert book.realized_ticks == 8 and book.realized == 8 * TV == 125
    assert book.open_lots == (Lot(-2, P + 3),)
    assert book.average_open_price == Price.from_ticks(P + 3, ZN)
    assert identity_holds(book, parse_price("110-01.25", ZN, spot=True))


def test_partial_closes_walk_several_lots():
    book = LotBook(ZN, "fifo")
    for f in (B(2, P), B(3, P + 2), B(4, P + 4)):
        book.apply(f)
    book.apply(S(6, P + 5))  # FIFO: 2 @P (+5 each), 3 @P+2 (+3 each), 1 @P+4 (+1) = 10 + 9 + 1 = 20 ticks
    assert book.realized_ticks == 20 and book.open_lots == (Lot(3, P + 4),)
    lifo = LotBook(ZN, "lifo")
    for f in (B(2, P), B(3, P + 2), B(4, P + 4)):
        lifo.apply(f)
    lifo.apply(S(6, P + 5))  # LIFO: 4 @P+4 (+1), 2 @P+2 (+3) = 4 + 6 = 10 ticks; left 2 @P, 1 @P+2
    assert lifo.realized_ticks == 10 and lifo.open_lots == (Lot(2, P), Lot(1, P + 2))
    # Average of 2 @ P and 1 @ P+2 = P + 2/3 tick, exact.
    assert lifo.average_open_price == Price.from_ticks(Fraction(3 * P + 2, 3), ZN)


def test_sod_lots_are_opening_trades_and_duplicates_count_once():
    sod = [SodLot("A1", "ZN Sep25", 2, P), SodLot("A1", "ZN Sep25", 0, P + 50)]  # zero-qty row ignored
    book = LotBook(ZN, "lifo", sod)
    assert book.position == 2 and book.fills_applied == 0
    f = S(1, P + 4, "exec-1")
    assert book.apply(f) is True
    assert book.apply(f) is False and book.apply(S(1, P + 4, "exec-1")) is False
    assert book.fills_applied == 1 and book.duplicates == 2
    assert book.position == 1 and book.realized == 4 * TV
    # Cash flow counts the SOD lot as bought at P: -2P + (P+4) + 1 x mark.
    mark = Price.from_ticks(P + 1, ZN)
    assert book.cash_flow_pnl(mark) == (-2 * P + (P + 4) + (P + 1)) * TV == 5 * TV
    assert identity_holds(book, mark)


def test_flat_book_and_bad_method():
    book = LotBook(ZN, "FIFO")
    assert book.method == "fifo" and book.position == 0 and book.average_open_price is None
    assert book.realized == 0 and book.unrealized(Price.from_ticks(P, ZN)) == 0
    with pytest.raises(InputError, match="lifo or fifo"):
        LotBook(ZN, "avg")


def test_match_fills_groups_by_account_and_contract_and_keeps_to_the_product():
    fills = [B(1, P, account="A1"), B(2, P, account="A2"), S(1, P + 2, account="A1"),
             B(1, 3000, contract="ZB Sep25"), B(1, P, contract="???")]
    sod = [SodLot("A3", "ZN Sep25", -4, P + 1), SodLot("A1", "ZB Sep25", 9, 3000)]
    books = match_fills(fills, ZN, "lifo", sod)
    a1, a2, a3 = (("A1", "CME", "ZN Sep25"), ("A2", "CME", "ZN Sep25"), ("A3", "CME", "ZN Sep25"))
    assert set(books) == {a1, a2, a3}
    assert books[a1].realized_ticks == 2 and books[a1].position == 0
    assert books[a2].position == 2
    assert books[a3].open_lots == (Lot(-4, P + 1),)
    # Runs of other products between our fills: skipped without losing ours.
    mixed = [B(1, 3000, contract="ZB Sep25"), B(1, 3000, contract="ZB Sep25"), B(1, P), B(1, P, contract="???"),
             B(2, P), S(1, P, account="A2"), B(5, P)]
    books = match_fills(mixed, ZN, "fifo")
    assert {k: b.position for k, b in books.items()} == {a1: 8, a2: -1}


def test_one_contract_on_two_markets_is_two_books():
    """ZN Sep25 on CME and on CME_Delayed are different instruments: never one book (issue 12 §3)."""
    fills = [B(3, P, market="CME"), B(55, P + 4, market="CME_DELAYED"), S(2, P + 8, market="CME")]
    books = match_fills(fills, ZN, "lifo")
    assert books[("A1", "CME", "ZN Sep25")].position == 1
    assert books[("A1", "CME", "ZN Sep25")].realized_ticks == 16
    assert books[("A1", "CME_DELAYED", "ZN Sep25")].position == 55
    assert books[("A1", "CME_DELAYED", "ZN Sep25")].realized_ticks == 0


def read_fill_monitor(path) -> list[Fill]:
    """A minimal read of the fill-monitor CSV (the real importer lives elsewhere)."""
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [Fill(f"{r['OrderId']}/{i}", r["AccountId"], r["Contract"], Side.parse(r["Side"]),
                 int(float(r["Quantity"])), ticks_from_number(r["Price"], ZN), int(r["TimeStamp"]),
                 market=r["Exchange"].upper())
            for i, r in enumerate(rows)]


def naive_realized(fills: list[Fill], method: str) -> int:
    """Unit-by-unit matching: one list entry per contract; obviously right, slow, independent."""
    units: list[tuple[int, int]] = []  # (sign, price)
    realized = 0
    for f in fills:
        sign = int(f.side)
        for _ in range(f.qty):
            if units and units[0][0] != sign:
                lot_sign, price = units.pop() if method == "lifo" else units.pop(0)
                realized += lot_sign * (f.price - price)
            else:
                units.append((sign, f.price))
    return realized


def test_fill_monitor_fixture_matches_unit_by_unit_replay(fixtures_dir):
    fills = read_fill_monitor(fixtures_dir / "fill_monitor_sample.csv")
    assert len(fills) == 300
    mark = parse_price("110'165", ZN)
    totals = {}
    for method in ("lifo", "fifo"):
        books = match_fills(fills, ZN, method)
        # Two ZN contracts, ZN Sep25 on two markets; the 3 ES fills are another product and stay out.
        assert set(books) == {("1334000", "CME_DELAYED", "ZN Jun25"), ("1334000", "CME_DELAYED", "ZN Sep25"),
                              ("1334000", "CME", "ZN Sep25")}
        assert books[("1334000", "CME", "ZN Sep25")].position == 3  # the old tool's CME-only book
        for (account, market, contract), book in books.items():
            mine = [f for f in fills if f.contract == contract and f.market == market]
            assert book.fills_applied == len(mine)
            assert book.realized_ticks == naive_realized(mine, method)
            assert book.position == sum(f.signed_qty for f in mine)
            assert identity_holds(book, mark)
            totals.setdefault((market, contract), set()).add(book.total_pnl(mark))
    assert sum(b.fills_applied for b in books.values()) == 297
    assert all(len(t) == 1 for t in totals.values())  # the total does not depend on the method


# --- busts and corrections ------------------------------------------------------------------------------

def test_bust_and_correct_then_replay():
    fills = [B(2, P, "e1"), S(1, P + 4, "e2"), S(1, P + 6, "e3")]
    corrections = [FillCorrection("c1", "e2", CorrectionKind.CORRECT, 10, price=P + 8),
                   FillCorrection("c2", "e3", CorrectionKind.BUST, 11),
                   FillCorrection("c1", "e2", CorrectionKind.CORRECT, 10, price=P + 8)]  # seen twice: once
    unmatched: list[FillCorrection] = []
    fixed = apply_corrections(fills, corrections, unmatched=unmatched)
    assert [(f.key, f.qty, f.price) for f in fixed] == [("e1", 2, P), ("e2", 1, P + 8)]
    assert unmatched == []
    book = LotBook(ZN, "fifo")
    book.apply_all(fixed)
    assert book.realized_ticks == 8 and book.position == 1  # sold 1 at P+8 against the buy at P
    assert fills[1].price == P + 4  # the input list is untouched


def test_corrections_chain_zero_qty_and_unmatched():
    fills = [B(3, P, "e1"), B(1, P, "e9")]
    corrections = [FillCorrection("c2", "c1", CorrectionKind.CORRECT, 2, qty=1),  # corrects the correction
                   FillCorrection("c1", "e1", CorrectionKind.CORRECT, 1, qty=2, price=P - 1),
                   FillCorrection("c3", "e9", CorrectionKind.CORRECT, 3, qty=0),  # qty 0 = busted
                   FillCorrection("c4", "nope", CorrectionKind.BUST, 4)]
    unmatched: list[FillCorrection] = []
    fixed = apply_corrections(fills, corrections, unmatched=unmatched)
    assert [(f.key, f.qty, f.price) for f in fixed] == [("e1", 1, P - 1)]
    assert [c.key for c in unmatched] == ["c4"]
    assert apply_corrections(fills, []) == fills


# --- properties -------------------------------------------------------------------------------------------

fill_streams = st.lists(st.tuples(st.sampled_from([Side.BUY, Side.SELL]), st.integers(1, 20), st.integers(-40, 40),
                                  st.integers(0, 4)), max_size=60)
sod_lots = st.lists(st.tuples(st.integers(-10, 10), st.integers(-40, 40)), max_size=3)


@settings(max_examples=200, deadline=None)
@given(fill_streams, sod_lots, st.integers(-80, 80), st.sampled_from([1, 2, 3, 4]))
def test_identity_and_open_qty_for_every_method(stream, sod, mark_num, mark_den):
    fills = [Fill(f"x{key}-{i % 7}" if key else f"u{i}", "A", "ZN Sep25", side, qty, P + dp, i)
             for i, (side, qty, dp, key) in enumerate(stream)]  # some keys repeat: duplicates
    sod_records = [SodLot("A", "ZN Sep25", q, P + dp) for q, dp in sod]
    mark = Price.from_ticks(Fraction(P * mark_den + mark_num, mark_den), ZN)  # may lie between ticks
    totals = []
    for method in ("lifo", "fifo"):
        book = LotBook(ZN, method, sod_records)
        for f in fills:
            book.apply(f)
        assert book.realized + book.unrealized(mark) == book.cash_flow_pnl(mark)
        unique = {f.key: f for f in reversed(fills)}  # first occurrence of each key
        expected_position = sum(q for q, _ in sod) + sum(f.signed_qty for f in unique.values())
        assert sum(lot.qty for lot in book.open_lots) == book.position == expected_position
        assert book.fills_applied == len(unique)
        # Open lots all on one side of zero: matching never leaves both longs and shorts.
        assert all(lot.qty > 0 for lot in book.open_lots) or all(lot.qty < 0 for lot in book.open_lots)
        assert book.realized_ticks == naive_realized(
            [Fill("", "A", "", Side.BUY if q > 0 else Side.SELL, abs(q), P + dp, 0) for q, dp in sod if q]
            + [f for f in fills if unique[f.key] is f], method)
        totals.append(book.total_pnl(mark))
    assert totals[0] == totals[1]
