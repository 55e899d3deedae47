"""`LotBook.apply_trade` / `apply_trades` (fills as numbers, no `Fill` records) must book exactly what
`apply` books for the same fills: same realized, lots, position, counts, duplicates."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.lots import Lot, LotBook
from zn_ladder.domain.records import Fill, Side, SodLot

ZN = get_product("ZN")
P = 7040


def state(book: LotBook) -> tuple:
    return (book.position, book.realized_ticks, book.open_lots, book.fills_applied, book.duplicates,
            book.cash_flow_pnl(book.average_open_price or _mark()))


def _mark():
    from zn_ladder.domain.prices import Price

    return Price.from_ticks(P, ZN)


def test_apply_trade_by_hand_lifo_fifo_and_keys():
    lifo, fifo = LotBook(ZN, "lifo"), LotBook(ZN, "fifo")
    for book in (lifo, fifo):
        assert book.apply_trade(1, P, "e1")
        assert book.apply_trade(1, P + 4)
        assert not book.apply_trade(5, P, "e1")  # repeated key: nothing changes
        assert book.apply_trade(-1, P + 6, "")
        assert book.fills_applied == 3 and book.duplicates == 1 and book.position == 1
    assert lifo.realized_ticks == 2 and lifo.open_lots == (Lot(1, P),)
    assert fifo.realized_ticks == 6 and fifo.open_lots == (Lot(1, P + 4),)


def test_apply_trades_walks_several_lots_and_flips():
    book = LotBook(ZN, "fifo", [SodLot("A", "ZN Sep25", 2, P - 2)])
    assert book.apply_trades([1, 3, -8, 0, 2], [P, P + 1, P + 5, P, P + 3]) == 5
    # FIFO: -8 closes 2@P-2 (+14), 1@P (+5), 3@P+1 (+12), opens -2@P+5; then 0 is a no-op fill;
    # +2@P+3 closes the short (+4).
    assert book.realized_ticks == 14 + 5 + 12 + 4
    assert book.position == 0 and book.open_lots == ()
    assert book.fills_applied == 5


def test_apply_trades_keys_count_once_across_calls():
    book = LotBook(ZN, "lifo")
    book.apply_trade(2, P, "k1")
    assert book.apply_trades([1, 1, 1, 1], [P, P, P, P], ["k1", "", "k2", "k2"]) == 2
    assert book.duplicates == 2 and book.fills_applied == 3 and book.position == 4


trades = st.lists(st.tuples(st.integers(-12, 12), st.integers(-30, 30), st.integers(0, 5)), max_size=80)


@settings(max_examples=150, deadline=None)
@given(trades, st.lists(st.tuples(st.integers(-9, 9), st.integers(-30, 30)), max_size=3),
       st.sampled_from(["lifo", "fifo"]), st.booleans())
def test_batch_and_one_by_one_equal_apply(stream, sod, method, with_keys):
    sod_lots = [SodLot("A", "ZN Sep25", q, P + dp) for q, dp in sod]
    keys = [f"x{k}" if k and with_keys else "" for _, _, k in stream]
    qtys = [q for q, _, _ in stream]
    prices = [P + dp for _, dp, _ in stream]
    by_fill, one_by_one, batch = (LotBook(ZN, method, sod_lots) for _ in range(3))
    for i, (qty, price, key) in enumerate(zip(qtys, prices, keys)):
        if qty:  # a Fill has a positive quantity; zero-qty trades are checked against one_by_one only
            by_fill.apply(Fill(key or f"u{i}", "A", "ZN Sep25", Side.BUY if qty > 0 else Side.SELL, abs(qty),
                               price, i))
        else:
            by_fill.apply_trade(0, price, key)
        one_by_one.apply_trade(qty, price, key)
    batch.apply_trades(qtys, prices, keys if with_keys else None)
    assert state(batch) == state(one_by_one) == state(by_fill)
