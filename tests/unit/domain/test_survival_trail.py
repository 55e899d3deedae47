"""Position and P&L after each fill (the survival log's inputs), against a hand-written cash flow.

Expected values are worked out here from the definition (the books' own: an account's latest SOD,
then its fills of the session; P&L = what the lots cost against the mark), never with `LotBook`.
"""

from __future__ import annotations

from fractions import Fraction

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.records import Fill, Side, SodLot
from zn_ladder.domain.survival import ZN_RISK_PER_LOT, risk_per_lot
from zn_ladder.domain.survival_trail import marks_after_fills

ZN = get_product("ZN")
C = "ZN Sep25"
T = 1_800_000_000_000_000_000


def fill(key: str, account: str, qty: int, ticks: int, t: int, market: str = "CME") -> Fill:
    return Fill(key, account, C, Side.BUY if qty > 0 else Side.SELL, abs(qty), ticks, T + t, market=market)


def test_each_fill_leaves_the_summed_position_and_pnl_marked_at_its_price():
    sod = [SodLot("A", C, 5, 7040, "2026-12-03")]  # long 5 @ 110'000 (7040 64ths)
    fills = [fill("1", "A", -3, 7048, 1), fill("2", "B", 4, 7044, 2), fill("3", "A", -4, 7036, 3),
             fill("4", "B", -4, 7050, 4)]
    marks = list(marks_after_fills(fills, sod, ZN, {}))
    lots = [(5, 7040)]
    for mark, f in zip(marks, fills):
        lots.append((f.signed_qty, f.price))
        # $15.625 per 64th per lot: what every lot made from its price to this fill's price
        pnl = sum(q * (f.price - p) for q, p in lots) * Fraction(125, 8)
        assert (mark.fill, mark.position, mark.pnl) == (f, sum(q for q, _ in lots), pnl)
    assert [m.position for m in marks] == [2, 6, 2, -2]


def test_fills_before_an_accounts_session_are_not_its_books():
    sod = [SodLot("A", C, 2, 7040, "2026-12-03")]
    fills = [fill("old", "A", 10, 7000, 0), fill("new", "A", 1, 7044, 50), fill("other", "B", 1, 7044, 10)]
    marks = list(marks_after_fills(fills, sod, ZN, {("A", "CME"): T + 10}))
    assert [(m.fill.key, m.position) for m in marks] == [("new", 3), ("other", 4)]


def test_markets_are_books_of_their_own():
    fills = [fill("1", "A", 2, 7040, 1), fill("2", "A", -2, 7044, 2, market="CME_DELAYED")]
    marks = list(marks_after_fills(fills, [], ZN, {}))
    # two books: the delayed sell does not close the CME buy, but the position and P&L add up
    assert [m.position for m in marks] == [2, 0]
    assert marks[-1].pnl == 2 * (7044 - 7040) * Fraction(125, 8)


def test_risk_per_lot_is_the_desks_constant_for_zn():
    assert risk_per_lot(ZN) == ZN_RISK_PER_LOT == Fraction(125, 2)
    # ZB: $1000 a point too, whatever its tick: R0 is per 1/16 of a point
    assert risk_per_lot(get_product("ZB")) == Fraction(125, 2)
