"""Roll week (issue 14 §15): the front and the next month each on its own ladder, the cards their total.

The real app (window, session, store, workers) on the built-in simulator over HTTP on 127.0.0.1, in roll
week: account 1334000 holds and trades ZN Mar27 beside ZN Dec26 (its own SOD, working orders and fills,
priced the roll spread under the front) and now and then rolls by a calendar spread, reported as one
fill on each leg. The market only moves when the test steps it, so the window settles on a state the
test recomputes by itself from the simulator's published records (corrections applied by hand, lots
matched unit by unit in `test_desk_day`), contract by contract: each ladder's position and P&L, the
total on the cards and the accounts table, and each ladder's working orders (never the other month's).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from tests.gui.test_desk_day import trades_in_force, units_book
from zn_ladder.config.settings import Settings
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price, format_price
from zn_ladder.tt.sim import SimConfig
from zn_ladder.tt.sim import reference as ref
from zn_ladder.ui.money import dollars

ZN = get_product("ZN")
TICK_VALUE = Fraction(125, 8)  # ZN: half of 1/32 x $1000
FRONT, NEXT = "ZN Dec26", "ZN Mar27"
INSTRUMENT = {FRONT: ref.INSTRUMENT_ID, NEXT: ref.NEXT_INSTRUMENT_ID}
FAST = {"orders_s": 0.3, "fills_s": 0.3, "positions_s": 1.0, "spot_s": 0.2}


def expected(sim: Any, contract: str) -> dict[str, Any]:
    """The contract's position, realized LIFO and total P&L at the simulator's price, and its working
    orders, from the simulator's records alone."""
    market, instrument = sim.market, INSTRUMENT[contract]
    trades = sorted((t for t in trades_in_force(sim).values() if t["instrumentId"] == instrument),
                    key=lambda t: t["timeStamp"])
    sods = {r["accountId"]: (round(r["sodNetPos"]), round(r["sodPrice"] * 64))
            for a in sim.config.accounts for r in market.sods(a) if r["instrumentId"] == instrument and r["sodNetPos"]}
    accounts = {t["accountId"] for t in trades} | set(sods)
    books = [units_book([t for t in trades if t["accountId"] == a], sods.get(a), "lifo") for a in accounts]
    spot = market.price_of(instrument)
    realized = sum(r for _, r, _ in books) * TICK_VALUE
    unrealized = sum(s * (spot - p) for _, _, units in books for s, p in units) * TICK_VALUE
    working = {o["orderId"]: round(o["leavesQuantity"]) for o in market.working_orders()
               if o["instrumentId"] == instrument}
    return {"position": sum(p for p, _, _ in books), "realized": realized, "total": realized + unrealized,
            "sod": sum(q for q, _ in sods.values()), "orders": working, "spot": spot}


def shown(window: Any, contract: str) -> tuple[Any, Any]:
    """The contract's ladder snapshot as drawn, and its own P&L (its tab's numbers)."""
    tabs = window.contracts
    pane = tabs.panes.get(contract)
    ladder = pane.view.model.snapshot if pane is not None else window.ladder_model.snapshot
    return ladder, tabs.pnl.get(contract)


def differences(window: Any, sim: Any) -> list[str]:
    """What the window shows that the simulator's records do not say (empty once settled)."""
    out = []
    for contract in (FRONT, NEXT):
        want = expected(sim, contract)
        ladder, pnl = shown(window, contract)
        if ladder is None or pnl is None:
            out.append(f"{contract}: no ladder yet")
            continue
        got = {"position": pnl.position, "realized": pnl.realized_lifo, "total": pnl.total, "sod": pnl.sod_position,
               "orders": {o.order_id: o.quantity for o in ladder.orders if not o.what_if},
               "spot": ladder.spot.ticks(ladder.product)}
        out += [f"{contract} {key}: shows {str(got[key])[:200]}, truth {str(want[key])[:200]}"
                for key in want if got[key] != want[key]]
    return out


def step_and_settle(qtbot, window: Any, sim: Any, steps: int) -> None:
    for _ in range(steps):
        sim.market.step(10)
        qtbot.wait(300)
    try:
        qtbot.waitUntil(lambda: not differences(window, sim), timeout=40_000)
    except Exception:
        raise AssertionError("the window never settled on the simulator's records: "
                             + "; ".join(differences(window, sim))) from None
    qtbot.wait(400)  # the cards and titles follow the last snapshots


def test_roll_week_a_ladder_per_contract_and_their_total(qtbot, tmp_path: Path, ui_home) -> None:
    from zn_ladder.app import AppController

    config = SimConfig(seed=17, step_interval=None, history_fills=40, accounts=(1334000, 1334001),
                       next_accounts=(1334000,), spread_rate=0.15, correction_rate=0.03)
    c = AppController(Settings(), force_demo=True, db_path=tmp_path / "roll.sqlite3", ui_state=tmp_path / "w.ini",
                      intervals=FAST, sim_config=config)
    w = c.window
    qtbot.addWidget(w)
    c.start()
    try:
        qtbot.waitUntil(lambda: c.session is not None and NEXT in w.contracts.panes, timeout=20_000)
        sim = c.sim.server
        step_and_settle(qtbot, w, sim, 6)

        # The roll happened by calendar spreads: two legs of one account at one timeStamp, one on each month.
        legs: dict[tuple[int, int], set[str]] = {}
        for t in sim.market.published_fills():
            legs.setdefault((t["accountId"], t["timeStamp"]), set()).add(t["instrumentId"])
        assert any(len(instruments) == 2 for instruments in legs.values()), "a calendar spread was traded"

        assert c.session.contract == FRONT and list(c.session.roll.lanes) == [NEXT]
        truth = {contract: expected(sim, contract) for contract in (FRONT, NEXT)}
        for contract in (FRONT, NEXT):
            want = truth[contract]
            ladder, pnl = shown(w, contract)
            # Each ladder holds its own month's orders only, level by level, as the simulator's book says.
            assert {o.contract for o in ladder.orders} == {contract}
            for side, attr in (("1", "buy_qty"), ("2", "sell_qty")):
                per_level: dict[int, int] = {}
                for o in sim.market.working_orders():
                    if o["instrumentId"] == INSTRUMENT[contract] and o["side"] == side:
                        price = round(o.get("stopPrice", o["price"]) * 64)
                        per_level[price] = per_level.get(price, 0) + round(o["leavesQuantity"])
                rows = ladder.ladder.rows
                drawn = {r.price: getattr(r, attr) for r in rows if getattr(r, attr)}
                assert drawn == {p: q for p, q in per_level.items() if rows.low <= p <= rows.high}, (contract, side)
            # Its tab says its own position and P&L.
            title = (w.contracts.docks[contract] if contract == NEXT else w.docks.docks["ladder"]).windowTitle()
            position = f"{want['position']:+d}" if want["position"] else "0"
            assert title == f"{contract}  {position}  {dollars(want['total'])}"

        # The cards and the accounts table's total row: the sum of the two months.
        position = sum(t["position"] for t in truth.values())
        total = sum(t["total"] for t in truth.values())
        assert w.summary.text("position") == (f"{position:+d}" if position else "0")
        assert w.summary.text("total") == dollars(total)
        assert w.summary.text("realized_lifo") == dollars(sum(t["realized"] for t in truth.values()))
        assert w.summary.text("sod") == f"{sum(t['sod'] for t in truth.values()):+d}"
        rows = w.accounts.row_texts()
        assert rows[-1][:3] == ("Total", "All", w.summary.text("position"))
        assert rows[-1][9] == dollars(total)
        assert {(r[0], r[1]) for r in rows[:-1]} == {("1334000", FRONT), ("1334001", FRONT), ("1334000", NEXT)}
        by_contract = w.summary.by_contract.text().splitlines()
        assert [line.split()[1] for line in by_contract] == [FRONT.split()[1], NEXT.split()[1]]
        # The fills table lists both months' fills: every trade in force, once.
        table = [f.key for f in w.fills.model.records()]
        assert sorted(table) == sorted(trades_in_force(sim)) and {f.contract for f in w.fills.model.records()} == {
            FRONT, NEXT}
        # No "orders on another contract" warning: each month's orders are on their own ladder.
        assert not w.mismatch.isVisible() and not w.mismatch.text()
        # TT's positions (one record per account and month) agree with the store's, the next month's too.
        qtbot.waitUntil(lambda: (check := c.session.last_position_check) is not None and check.poll
                        and not check.seen, timeout=10_000)
        assert not w.summary.position_marker.isVisible()
    finally:
        w.close()
        assert c.shutdown(8.0)


def test_the_demo_first_launch_is_in_roll_week(qtbot, tmp_path: Path, ui_home) -> None:
    """With no simulator configuration, the DEMO opens the front and the next month, each with a ladder."""
    from zn_ladder.app import AppController

    c = AppController(Settings(), force_demo=True, db_path=tmp_path / "demo.sqlite3", ui_state=tmp_path / "w.ini",
                      intervals=FAST)
    w = c.window
    qtbot.addWidget(w)
    w.show()
    c.start()
    try:
        qtbot.waitUntil(lambda: NEXT in w.contracts.panes and w.contracts.panes[NEXT].view.model.snapshot is not None
                        and w.ladder_model.snapshot is not None, timeout=30_000)
        assert w.contracts.first == FRONT
        front, following = w.ladder_model.snapshot, w.contracts.panes[NEXT].view.model.snapshot
        assert (front.contract, following.contract) == (FRONT, NEXT)
        # Each walks from its own month's price: the next month trades the roll spread under the front.
        assert front.spot != following.spot
        # A typed spot is the spot of the ladder in front only: bring ZN Mar27's tab forward and type one.
        w.contracts.show(NEXT)
        qtbot.waitUntil(lambda: w.contracts.active == NEXT, timeout=5_000)
        typed = Price.from_ticks(following.spot.ticks(ZN) + 3, ZN)
        w.spot_entry.edit.setText(format_price(typed, ZN, "tt"))
        assert w.spot_entry.submit() == typed
        pane = w.contracts.panes[NEXT]
        qtbot.waitUntil(lambda: pane.view.model.snapshot.spot == typed, timeout=10_000)
        qtbot.wait(1_500)  # the front's spot reads go on meanwhile (the simulator's, twice a second)
        assert w.ladder_model.snapshot.spot != typed and pane.view.model.snapshot.spot == typed
        assert c.session.roll.lanes[NEXT].last_spot.source == "manual" and c.session.spot.source == "simulator"
    finally:
        w.close()
        assert c.shutdown(8.0)
