"""The survival curve in the live window (issue 15 §5), on the built-in simulator over HTTP.

The expected curve is `domain.survival.survival_curve` called by the test with the position and the P&L
the test recomputes itself from what the simulator published (TT's SOD records plus the trades of the
window's market: position = their signed quantities, P&L = the cash flow marked at the price), never
with the window's numbers: the ladder's marks after a simulated fill and a spot change, and the store's
log row of each fill (the curve at the fill's own price), must equal it.
"""

from __future__ import annotations

import sqlite3
from fractions import Fraction
from pathlib import Path

import pytest

from zn_ladder.config.settings import Settings
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price
from zn_ladder.domain.survival import SEED_LEVELS, survival_curve

from .live_app import make_controller

ZN = get_product("ZN")
CME = 7  # TT's market id of the window's market (the demo's delayed accounts trade another)
#: ZN: $1000 a point, so $62.50 per 1/16 of a point per lot (the desk's R0 unit).
POINT_VALUE, R_PER_LOT = 1000, Fraction(125, 2)
#: The desk's stop loss for this test: tight enough that the P&L so far decides where the curve ends.
STOP = -20_000


@pytest.fixture
def app(qtbot, tmp_path: Path, ui_home: Path):
    settings = Settings().replace_value("survival.stop_loss", str(STOP))
    controller = make_controller(tmp_path, sim={"step_interval": None, "history_fills": 20, "correction_rate": 0.0},
                                 settings=settings)
    qtbot.addWidget(controller.window)
    controller.window.resize(1400, 900)
    controller.window.show()
    controller.start()
    qtbot.waitUntil(lambda: controller.sim.server is not None and controller.session is not None, timeout=15_000)
    yield controller
    controller.window.close()
    controller.shutdown()


def trades(market) -> list[tuple[str, int, Fraction, int]]:
    """(execID, signed qty, price in points, timeStamp) of the window's market's trades, in order."""
    return [(r["execID"], round(r["lastQty"]) * (1 if r["side"] == "1" else -1), Fraction(r["lastPx"]),
             r["timeStamp"]) for r in market.published_fills() if r["marketId"] == CME]


def sod(market, accounts) -> list[tuple[int, Fraction]]:
    return [(round(s["sodNetPos"]), Fraction(s["sodPrice"])) for a in accounts for s in market.sods(a)
            if s["marketId"] == CME and s["sodNetPos"]]


def position_and_pnl(lots: list[tuple[int, Fraction]], mark: Fraction) -> tuple[int, Fraction]:
    """Position and the cash-flow P&L of signed lots marked at `mark` (any matching method's total)."""
    return sum(q for q, _ in lots), sum((q * (mark - p) for q, p in lots), Fraction(0)) * POINT_VALUE


def expected_at(market, accounts, spot: Fraction):
    lots = sod(market, accounts) + [(q, p) for _, q, p, _ in trades(market)]
    position, pnl = position_and_pnl(lots, spot)
    return position, survival_curve(spot, position * R_PER_LOT, SEED_LEVELS, pnl=pnl, stop_loss=STOP)


def settled(w, market, accounts) -> bool:
    """The window's last P&L snapshot counts every published trade (its position equals the truth's)."""
    snap = w.survival._last
    return snap is not None and snap.position == expected_at(market, accounts, snap.spot.value)[0]


def test_marks_follow_fills_and_spot_and_each_fill_is_logged(qtbot, app, tmp_path: Path, run_cli):
    w = app.window
    market = app.sim.server.market
    accounts = app.sim.server.config.accounts
    qtbot.waitUntil(lambda: w.fills.model.rowCount() > 0 and settled(w, market, accounts), timeout=20_000)
    for round_ in range(3):  # a fill, then another: the marks follow each
        before = len(trades(market))
        while len(trades(market)) == before:
            market.step(1)
        qtbot.waitUntil(lambda: settled(w, market, accounts), timeout=20_000)
        spot = w.survival._last.spot.value
        position, expected = expected_at(market, accounts, spot)
        assert position != 0 and len(expected.points) > 1, "the demo should hold risk near the levels"
        assert w.survival.curve == expected
        extreme = [m for m in w.survival.marks if m.extreme]
        assert [(Fraction(m.price, 64), m.risk) for m in w.survival.marks] == \
            [(pt.level, pt.risk) for pt in expected.points[1:]]
        assert [Fraction(m.price, 64) for m in extreme] == [expected.extreme_level]

    # a spot change alone (a typed spot) moves the curve, with the P&L the move makes: the test picks a
    # spot where that P&L decides how far the position survives (the curve without it differs)
    def pnl_decides_at(price: Fraction) -> bool:
        position, with_pnl = expected_at(market, accounts, price)
        return with_pnl != survival_curve(price, position * R_PER_LOT, SEED_LEVELS, stop_loss=STOP)

    typed = next((Price(spot + Fraction(d, 64)) for d in (8, -8, 16, -16, 24, -24, 32, -32, 48, -48)
                  if pnl_decides_at(spot + Fraction(d, 64))), None)
    assert typed is not None, "no spot near this one where the P&L decides the curve"
    app.session.set_manual_spot(typed)
    qtbot.waitUntil(lambda: w.survival._last.spot.value == typed.value, timeout=10_000)
    assert w.survival.curve == expected_at(market, accounts, typed.value)[1] != expected

    # the store's log: one row per fill, the curve at the fill's own price with what the fill left
    published = trades(market)
    db = tmp_path / "app.sqlite3"

    def logged() -> dict[str, tuple]:
        conn = sqlite3.connect(db)
        try:
            return {r[0]: r[1:] for r in conn.execute(
                "SELECT fill_key, position, risk, pnl, extreme_level, to_extreme, curve FROM survival_log")}
        finally:
            conn.close()

    qtbot.waitUntil(lambda: set(logged()) >= {k for k, *_ in published}, timeout=20_000)
    rows = logged()
    lots = sod(market, accounts)
    pnl_decides = 0
    import json

    for key, qty, price, _ in published:
        lots.append((qty, price))
        position, pnl = position_and_pnl(lots, price)
        curve = survival_curve(price, position * R_PER_LOT, SEED_LEVELS, pnl=pnl, stop_loss=STOP)
        pnl_decides += curve != survival_curve(price, position * R_PER_LOT, SEED_LEVELS, stop_loss=STOP)
        row = rows[key]
        assert (row[0], Fraction(row[1]), Fraction(row[2])) == (position, position * R_PER_LOT, pnl)
        assert (Fraction(row[3]), Fraction(row[4])) == (curve.extreme_level, curve.sixteenths_to_extreme)
        assert [(Fraction(a), Fraction(b)) for a, b in json.loads(row[5])] == [(p.level, p.risk) for p in curve.points]
    assert pnl_decides, "some fill's curve must depend on the P&L so far"

    # exported as the old r_survival_streaming.csv: its columns first, then the inputs it left implicit
    import csv
    import io

    from zn_ladder.tt.sim import reference as ref

    done = run_cli("export", "--db", str(db), "--what", "survival")
    assert done.returncode == 0, done.stderr
    table = list(csv.reader(io.StringIO(done.stdout)))
    assert table[0] == ["Date", "Time", "SideName", "Quantity", "Price", "OrderId", "Exchange", "Contract",
                        "CurrentUser", "risk_curve", "extreme_level", "ticks_to_extreme", "AccountId", "Position",
                        "R0", "PnL", "StopLoss", "NBM"]
    raw = {r["execID"]: r for r in market.published_fills()}
    names = dict(ref.USERS)
    lots = sod(market, accounts)
    assert len(table) - 1 == len(published)
    for (key, qty, price, _), row in zip(published, table[1:]):
        record = raw[key]
        lots.append((qty, price))
        position, pnl = position_and_pnl(lots, price)
        curve = survival_curve(price, position * R_PER_LOT, SEED_LEVELS, pnl=pnl, stop_loss=STOP)
        side, quantity, px, order, exchange, contract, user, risk_curve, extreme, away = row[2:12]
        assert (side, quantity, px, order) == ("BUY" if qty > 0 else "SELL", f"{abs(qty)}.0", str(record["lastPx"]),
                                               record["orderId"])
        assert (exchange, contract, user) == ("CME", "ZN Dec26", names[record["currUserId"]])
        assert (Fraction(extreme), Fraction(away)) == (curve.extreme_level, curve.sixteenths_to_extreme)
        pairs = [item.split(": ") for item in risk_curve.strip("{}").split(", ")]
        assert [Fraction(a) for a, _ in pairs] == [pt.level for pt in curve.points]
        assert all(abs(Fraction(b) - pt.risk) < Fraction(1, 10**9) for (_, b), pt in zip(pairs, curve.points))
        assert (row[12], int(row[13]), Fraction(row[14]), Fraction(row[15])) == (
            str(record["accountId"]), position, position * R_PER_LOT, pnl)
        assert (Fraction(row[16]), Fraction(row[17])) == (STOP, 25)
