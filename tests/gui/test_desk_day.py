"""A desk's day end to end (issue 12): the window's numbers equal an independent recompute from the
simulator's ground truth, with nothing lost, doubled or mixed.

Real simulator over HTTP on 127.0.0.1, a real SQLite store, the window's own session (pollers, store
writer, scenario): fills polled every second, orders every ten. Two TT accounts on CME and a third that
trades the same contract on CME_Delayed (another instrument, never in the CME book); an Actant SOD for
the front month with a mapped and an unmapped account; busts and corrections; a restart in UAT and then
LIVE on the same store.

Everything expected is computed here from the simulator's published records (its ground truth) with
code written for the test: corrections applied by hand, lots matched unit by unit, the ladder walked
level by level. Between order polls the invariant is checked at every result: no quantity is counted
both in POSITION and in a working order.
"""

from __future__ import annotations

import datetime as dt
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from tests.actant import actant_row, write_actant
from tests.units_model import match_units
from zn_ladder.domain.instruments import get_product
from zn_ladder.store.store import Store
from zn_ladder.tt.sim import SimConfig, SimulatorServer
from zn_ladder.tt.sim import reference as ref
from zn_ladder.workers.demo import demo_connection
from zn_ladder.workers.session import Session, SessionConfig

ZN = get_product("ZN")
TICK_VALUE = Fraction(125, 8)  # ZN: half of 1/32 x $1000
UAT, LIVE = "ext_uat_cert", "ext_prod_live"
UAT_ACCOUNTS, DELAYED = (1334000, 1334001), 1334002
LIVE_ACCOUNTS = (2334000, 2334001)
#: Actant: 73050502 is mapped to LIVE's 2334000 (long 5 @ 110'080); 73050509 stays itself (short 3 @ 110'100).
SOD = {"2334000": (5, 110 * 64 + 16), "73050509": (-3, 110 * 64 + 20)}
ACCOUNT_MAP = (("73050502", "2334000"),)


def sod_file(tmp_path: Path) -> Path:
    # The simulator trades ZN Dec26 (expires 12/18/2026); a run date on or before it keeps the row live.
    run = min(dt.date.today(), dt.date(2026, 12, 18)).strftime("%m/%d/%Y")
    return write_actant(tmp_path / "sod.csv",
                        actant_row("73050502", "5.0", "110'080", run=run, expire="12/18/2026"),
                        actant_row("73050509", "3.0", "110'100", side="S", run=run, expire="12/18/2026"))


# --- the ground truth, computed independently ------------------------------------------------------------

def trades_in_force(sim: SimulatorServer) -> dict[str, dict[str, Any]]:
    """execID -> the trade as it stands: a correction replaces qty and price, a bust removes it."""
    trades = {r["execID"]: dict(r) for r in sim.market.published_fills()}
    for c in sorted(sim.market.published_corrections(), key=lambda r: r["timeStamp"]):
        original = trades.get(c["execRefID"])
        if original is None:
            continue
        if c["execType"] == "H":
            del trades[c["execRefID"]]
        else:
            original.update(lastQty=c["lastQty"], lastPx=c["lastPx"])
    return trades


def on_cme(trades: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted((t for t in trades.values() if t["instrumentId"] == ref.INSTRUMENT_ID),
                  key=lambda t: t["timeStamp"])


def units_book(trades: list[dict[str, Any]], sod: tuple[int, int] | None, method: str) -> tuple[int, int, list]:
    """(position, realized tick-contracts, open units) matching one contract at a time."""
    opening = [(1 if sod[0] > 0 else -1, abs(sod[0]), sod[1])] if sod else []
    units, realized = match_units([*opening, *((1 if t["side"] == "1" else -1, round(t["lastQty"]),
                                                round(t["lastPx"] * 64)) for t in trades)], method)
    return sum(s for s, _ in units), realized, units


def expected_books(trades: list[dict[str, Any]], method: str) -> dict[str, tuple[int, int, list]]:
    accounts = {str(t["accountId"]) for t in trades} | set(SOD)
    return {a: units_book([t for t in trades if str(t["accountId"]) == a], SOD.get(a), method) for a in accounts}


def walk(base_position: int, base_pnl: Fraction, spot: Fraction, orders: list[tuple[int, int, str, int]],
         levels: list[int]) -> dict[int, tuple[int, Fraction]]:
    """Row price -> (position after the level's fills, P&L before them), walking tick by tick from spot:
    down, buy limits and sell stops fill; up, sell limits and buy stops. An order at an on-tick spot has
    not filled on the spot row (the base); it fills at spot on the first move away in its direction
    (DESIGN §3.4). orders: (side +1/-1, qty, "limit"/"stop", price ticks)."""
    spot_ticks = spot * 64
    on_tick = spot_ticks.denominator == 1

    def filling(level: int, down: bool) -> int:
        return sum(side * qty for side, qty, kind, price in orders
                   if price == level and ((side > 0) == (kind == "limit")) == down)

    out: dict[int, tuple[int, Fraction]] = {}
    for down in (True, False):
        pos, pnl, prev = base_position, base_pnl, spot_ticks
        if on_tick:
            out[int(spot_ticks)] = (base_position, base_pnl)
            pos += filling(int(spot_ticks), down)  # at spot: fills as price leaves it this way
        ahead = sorted((lv for lv in levels if (lv < spot_ticks if down else lv > spot_ticks)), reverse=down)
        for level in ahead:
            pnl += pos * (level - prev) * TICK_VALUE
            prev = level
            pos += filling(level, down)
            out[level] = (pos, pnl)
    return out


# --- the window ---------------------------------------------------------------------------------------

def start_session(db: Path, sim: SimulatorServer, env: str, sod: Path) -> Session:
    config = SessionConfig(conn=demo_connection(sim.url, env=env), product=ZN, env=env, db_path=db,
                           orders_s=10.0, fills_s=1.0, positions_s=3.0, spot_mode="manual",
                           sod_path=str(sod), sod_account_map=ACCOUNT_MAP, market="CME", fetch_sod=True)
    session = Session(config)
    session.start()
    return session


def settle(qtbot, session: Session, sim: SimulatorServer, after_ns: int) -> tuple[Any, list[dict[str, Any]]]:
    """Wait for a result that holds every CME trade of the accounts in view and an orders poll made
    after `after_ns`; the simulator does not move meanwhile (it only steps when the test says so)."""
    truth = on_cme(trades_in_force(sim))
    keys = {t["execID"] for t in truth}

    def settled() -> bool:
        result = session.last_result
        if result is None or result.inputs.store is None or session.last_orders is None:
            return False
        held = {f.key for f in result.inputs.store.fills}
        return held == keys and session.last_orders.received_at.timestamp() * 1e9 > after_ns

    try:
        qtbot.waitUntil(settled, timeout=40_000)
    except Exception:
        result = session.last_result
        held = {f.key for f in result.inputs.store.fills} if result and result.inputs.store else set()
        raise AssertionError(f"the window never settled on the ground truth: missing {sorted(keys - held)[:5]}, "
                             f"extra {sorted(held - keys)[:5]} ({len(held)} held, {len(keys)} expected)") from None
    qtbot.wait(300)  # the scenario recomputes from the last inputs
    return session.last_result, truth


def check_numbers(result: Any, truth: list[dict[str, Any]], sim: SimulatorServer) -> None:
    """Every number of the settled window against the ground truth."""
    snap = result.inputs.store
    assert all(f.market == "CME" for f in snap.fills) and not any(f.account == str(DELAYED) for f in snap.fills)
    books = {m: expected_books(truth, m) for m in ("lifo", "fifo")}
    position = sum(p for p, _, _ in books["lifo"].values())
    assert result.pnl.position == position == sum(p for p, _, _ in books["fifo"].values())
    assert result.pnl.sod_position == sum(q for q, _ in SOD.values())
    assert {(lot.account, lot.qty, lot.price) for lot in snap.sod} == {(a, q, p) for a, (q, p) in SOD.items()}
    assert result.pnl.realized_lifo == sum(r for _, r, _ in books["lifo"].values()) * TICK_VALUE
    assert result.pnl.realized_fifo == sum(r for _, r, _ in books["fifo"].values()) * TICK_VALUE
    spot = result.spot.value
    open_units = [u for _, _, units in books["lifo"].values() for u in units]
    unrealized = sum((s * (spot * 64 - p) for s, p in open_units), Fraction(0)) * TICK_VALUE
    assert result.pnl.unrealized == unrealized

    # The working orders: the simulator's book at the settled orders poll (CME accounts in view).
    working = [o for o in sim.market.working_orders() if o["instrumentId"] == ref.INSTRUMENT_ID]
    shown = {o.order_id: o.quantity for o in result.ladder.orders}
    assert shown == {o["orderId"]: round(o["leavesQuantity"]) for o in working}
    orders = [(1 if o["side"] == "1" else -1, round(o["leavesQuantity"]), "limit" if o["orderType"] == "2" else "stop",
               round(o["price"] * 64)) for o in working]
    ladder = result.ladder.ladder
    rows = {row.price: row for row in ladder.rows}
    expected = walk(position, result.pnl.total, spot, orders, list(rows))
    assert result.pnl.total == sum(r for _, r, _ in books["lifo"].values()) * TICK_VALUE + unrealized
    for price, row in rows.items():
        assert (row.position, row.projected_pnl) == expected[price], price
    if result.spot.on_tick(ZN):  # the spot row is the cards: POSITION (and TOTAL P&L, the walk's base)
        spot_row = next(row for row in ladder.rows if row.is_spot)
        assert (spot_row.position, spot_row.projected_pnl) == (result.pnl.position, result.pnl.total)


def no_double_count(result: Any, order_qty: dict[str, int]) -> None:
    """Between order polls: an order's leaves on the ladder plus what its fills put in POSITION never
    exceed what it was for."""
    received: dict[str, int] = {}
    for f in result.inputs.store.fills:
        received[f.order_id] = received.get(f.order_id, 0) + f.qty
    for o in result.ladder.orders:
        if o.order_id in order_qty:
            assert o.quantity + received.get(o.order_id, 0) <= order_qty[o.order_id], o.order_id


def trade_day(qtbot, session: Session, sim: SimulatorServer, steps: int) -> tuple[Any, list[dict[str, Any]]]:
    """Step the market in bursts while the window polls; check the invariant on every result; settle."""
    order_qty: dict[str, int] = {}
    seen: list[Any] = []
    session.scenario.computed.connect(seen.append)
    for _ in range(steps):
        sim.market.step(8)
        for o in sim.market.working_orders():
            order_qty[o["orderId"]] = round(o["orderQty"])
        qtbot.wait(400)
    for r in sim.market.published_fills():
        order_qty.setdefault(r["orderId"], round(r["orderQty"]))
    after = time.time_ns()
    result, truth = settle(qtbot, session, sim, after)
    session.scenario.computed.disconnect(seen.append)
    assert seen, "the window computed results while the market moved"
    for r in seen:
        if r.inputs.store is not None:
            no_double_count(r, order_qty)
    return result, truth


def test_a_desk_day_matches_the_ground_truth_through_restarts(qtbot, tmp_path: Path, ui_home) -> None:
    db = tmp_path / "desk.sqlite3"
    sod = sod_file(tmp_path)
    common = {"step_interval": None, "correction_rate": 0.08, "history_fills": 0}
    uat_config = SimConfig(env=UAT, seed=31, accounts=(*UAT_ACCOUNTS, DELAYED), delayed_accounts=(DELAYED,), **common)
    with SimulatorServer(uat_config, host="127.0.0.1", port=0) as uat:
        session = start_session(db, uat, UAT, sod)
        try:
            result, truth = trade_day(qtbot, session, uat, 8)
            check_numbers(result, truth, uat)
            assert any(c["execType"] == "H" for c in uat.market.published_corrections()), "a bust happened"
            assert any(c["execType"] == "G" for c in uat.market.published_corrections()), "a correction happened"
        finally:
            assert session.stop(5.0)
        # Restart on the same store and TT: nothing doubled, the day goes on.
        session = start_session(db, uat, UAT, sod)
        try:
            result, truth = trade_day(qtbot, session, uat, 4)
            check_numbers(result, truth, uat)
        finally:
            assert session.stop(5.0)
        uat_trades = trades_in_force(uat)
    with Store.open(db) as store:
        stored = [f.key for f in store.fills()]
    assert len(stored) == len(set(stored)) == len(uat_trades)  # every execution once, the delayed one too
    assert set(stored) == set(uat_trades)

    live_config = SimConfig(env=LIVE, seed=32, accounts=LIVE_ACCOUNTS, **common)
    with SimulatorServer(live_config, host="127.0.0.1", port=0) as live:
        session = start_session(db, live, LIVE, sod)
        try:
            result, truth = trade_day(qtbot, session, live, 6)
            check_numbers(result, truth, live)  # LIVE's accounts and the SOD only: no UAT book mixed in
            assert not {f.account for f in result.inputs.store.fills} & {str(a) for a in UAT_ACCOUNTS}
        finally:
            assert session.stop(5.0)
    with Store.open(db) as store:
        stored = [f.key for f in store.fills()]
    assert len(stored) == len(set(stored)) == len(uat_trades) + len(trades_in_force(live))
