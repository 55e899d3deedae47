"""A trader's real window on the desk database, logged in as the trader's own role (issue 16).

The desk database holds three accounts' fills (one busted), SOD and working orders, written as the
owner (the capture's login). Row-level security is on (`desk secure`); `alice` may see A1, `bob` A2 and
A3 (`desk allow`): logins that may only SELECT. The app's own controller and main window (offscreen)
open the desk as each of them, exactly as `storage.url` makes a trader's PC do.

What the window shows (accounts table, summary cards, fills table, working orders) is checked against a
book computed here from the fills written, with code of the test's own (SOD first, units matched one
by one, LIFO and FIFO), never with the store's. And nothing was written or refused: the window opened
the store read-only, no banner, no warning in the app's log, and the PostgreSQL server logged no
permission error or write refused by a read-only transaction.
"""

from __future__ import annotations

import logging
import time
from fractions import Fraction
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.actant import actant_row, write_actant
from tests.units_model import match_units
from zn_ladder.config.settings import Settings
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, OrderType, Side, SodLot, WorkingOrder
from zn_ladder.domain.trading_day import DEFAULT_RULE, trading_day
from zn_ladder.store.desk import heartbeat
from zn_ladder.store.desk.orders import order_row
from zn_ladder.store.desk.security import allow, secure
from zn_ladder.store.store import Store
from zn_ladder.tt.environments import resolve_env
from zn_ladder.tt.fills_cursor import LEGACY_CURSOR_SOURCE
from zn_ladder.ui.money import dollars
from zn_ladder.ui.table_columns import ACCOUNT_COLUMNS

ZN = get_product("ZN")
C = "ZN Mar27"
ENV = resolve_env("SIM")
TICK_VALUE = Fraction(125, 8)  # ZN: a 1/64 point is $15.625
SPOT = 110 * 64 + 48  # 110'240: the manual spot the trader types
BASE = 110 * 64
#: account -> SOD (qty, price ticks) and the day's fills (side, qty, price ticks); "busted" marks the one TT busts.
SOD = {"A1": (3, BASE), "A2": (-2, BASE + 50)}
FILLS = {
    "A1": [(Side.BUY, 5, BASE + 44), (Side.SELL, 2, BASE + 50), (Side.BUY, 1, BASE + 46), (Side.SELL, 4, BASE + 52)],
    "A2": [(Side.SELL, 3, BASE + 48), (Side.BUY, 4, BASE + 42)],
    "A3": [(Side.BUY, 2, BASE + 41), (Side.SELL, 1, BASE + 47)],
}
BUSTED = "A1-x2"
TITLES = [c.title for c in ACCOUNT_COLUMNS]


def _fills(now_ns: int) -> list[Fill]:
    out = []
    for account, trades in FILLS.items():
        for i, (side, qty, price) in enumerate(trades):
            out.append(Fill(f"{account}-x{i}", account, C, side, qty, price, now_ns - 60_000_000_000 + i * 1_000_000_000,
                            f"{account}-o{i}", f"{account}-x{i}", "tt_api", "", qty))
    return out


def _orders(now_ns: int) -> list[WorkingOrder]:
    return [WorkingOrder(f"{a}-w", a, C, Side.BUY, OrderType.LIMIT, BASE + 30 + n, 2 + n, 2 + n, None, "Working",
                         now_ns, False, "CME") for n, a in enumerate(FILLS)]


# --- the truth, computed here -------------------------------------------------------------------------

def _book(account: str, method: str) -> tuple[int, int, int]:
    """(position, realized tick-contracts, unrealized tick-contracts at SPOT) of one account."""
    opening = []
    if account in SOD:
        qty, price = SOD[account]
        opening.append((1 if qty > 0 else -1, abs(qty), price))
    trades = [(1 if side == Side.BUY else -1, qty, price) for i, (side, qty, price) in enumerate(FILLS[account])
              if f"{account}-x{i}" != BUSTED]
    units, realized = match_units([*opening, *trades], method)
    return sum(s for s, _ in units), realized, sum(s * (SPOT - p) for s, p in units)


def _expected_row(account: str) -> dict[str, str]:
    position, realized_lifo, unrealized_lifo = _book(account, "lifo")
    _, realized_fifo, unrealized_fifo = _book(account, "fifo")
    assert realized_lifo + unrealized_lifo == realized_fifo + unrealized_fifo  # the two methods' totals agree
    sod = SOD.get(account, (0, 0))[0]
    return {"Position": f"{position:+d}" if position else "0", "SOD": f"{sod:+d}" if sod else "0",
            "Realized LIFO": dollars(realized_lifo * TICK_VALUE), "Unrealized LIFO": dollars(unrealized_lifo * TICK_VALUE),
            "Realized FIFO": dollars(realized_fifo * TICK_VALUE), "Unrealized FIFO": dollars(unrealized_fifo * TICK_VALUE),
            "Total P&L": dollars((realized_lifo + unrealized_lifo) * TICK_VALUE)}


def test_the_truth_is_not_trivial() -> None:
    """The data exercise what the window must get right: LIFO and FIFO differ, SOD long and short."""
    assert _book("A1", "lifo")[1] != _book("A1", "fifo")[1]
    assert _book("A2", "lifo")[0] == -2 - 3 + 4 and _book("A1", "lifo")[0] == 3 + 5 - 2 - 4  # the bust left out


# --- the desk ---------------------------------------------------------------------------------------------

def _role(url: str, name: str) -> str:
    """Roles belong to the whole cluster, which the run shares: one name per test database."""
    return f"{name}_{url.rsplit('/', 1)[1]}"


@pytest.fixture
def desk(pg_url: str) -> str:
    return make_desk(pg_url)


def make_desk(pg_url: str) -> str:
    """The desk as its capture left it, secured, with alice (A1) and bob (A2, A3) allowed."""
    now = time.time_ns()
    today = trading_day(now, DEFAULT_RULE).isoformat()
    with Store.open(pg_url) as store:  # the owner: the capture's login
        store.put_sod([SodLot(a, C, q, p, today) for a, (q, p) in SOD.items()], source="actant_sod")
        store.ingest(_fills(now), [FillCorrection(f"{BUSTED}-bust", BUSTED, CorrectionKind.BUST, now)],
                     source="tt_api", environment=ENV)
        # a window's old global fills cursor (before issue 12), which a writer's window moves at start
        store.put_cursor(LEGACY_CURSOR_SOURCE, {"since_ns": now})
    with psycopg.connect(pg_url, autocommit=True) as conn:
        heartbeat.put_snapshot(conn, ENV, "orders", [order_row(o) for o in _orders(now)], now)
        for feed in heartbeat.FEEDS:  # a live capture, whose slow schedule keeps every feed fresh for the test
            heartbeat.beat(conn, ENV, feed, ok=True, interval_s=600, holder="capture-pc:1")
        for login in ("alice", "bob"):
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(_role(pg_url, login))))
        secure(conn)
        allow(conn, _role(pg_url, "alice"), ["A1"])
        allow(conn, _role(pg_url, "bob"), ["A2", "A3"])
    return pg_url


def _server_refusals(pg_cluster) -> list[str]:
    """The server log's lines where PostgreSQL refused a statement for want of permission or because the
    session was read-only (what a window writing as a trader would cause)."""
    text = (pg_cluster.root / "server.log").read_text(errors="replace")
    return [line for line in text.splitlines()
            if "permission denied" in line or "read-only transaction" in line or "row-level security" in line]


def _open_window(qtbot, url: str, tmp_path: Path, monkeypatch):
    from zn_ladder.app import AppController

    monkeypatch.delenv("ZN_LADDER_TT_KEY", raising=False)  # a trader's PC on the desk has no TT key: the
    monkeypatch.delenv("ZN_LADDER_TT_SECRET", raising=False)  # capture holds the desk's
    # The PC's settings name an SOD file too (set before the desk): a trader's login must not import it.
    sod = write_actant(tmp_path / "sod.csv", actant_row("73050509", "3.0", "110'100", run=time.strftime("%m/%d/%Y"),
                                                        expire="03/19/2027"))
    settings = Settings()
    for key, value in (("storage.url", url), ("spot.source", "manual"),
                       ("tt.base_url", "http://127.0.0.1:9"), ("storage.sod_auto_import", "true"),
                       ("storage.sod_path", str(sod))):
        settings = settings.replace_value(key, value)
    controller = AppController(settings, ui_state=tmp_path / "window.ini")
    qtbot.addWidget(controller.window)
    controller.window.resize(1400, 900)
    controller.window.show()
    controller.start()
    assert not controller.plan.demo and controller.plan.env == "SIM"  # the desk, not the built-in simulator
    return controller


def _cells(row: tuple[str, ...]) -> dict[str, str]:
    return {title: row[TITLES.index(title)] for title in _expected_row("A1")}


@pytest.mark.parametrize("login, mine", [("alice", ("A1",)), ("bob", ("A2", "A3"))])
def test_a_traders_window_shows_its_accounts_only_and_writes_nothing(qtbot, desk, pg_cluster, tmp_path, ui_home,
                                                                     monkeypatch, caplog, login, mine) -> None:
    caplog.set_level(logging.INFO, logger="zn_ladder")
    refused_before = _server_refusals(pg_cluster)
    url = pg_cluster.url(desk.rsplit("/", 1)[1], user=_role(desk, login))
    controller = _open_window(qtbot, url, tmp_path, monkeypatch)
    w = controller.window
    try:
        want_fills = {f"{a}-x{i}" for a in mine for i in range(len(FILLS[a]))} - {BUSTED}
        qtbot.waitUntil(lambda: controller.session is not None and controller.session.contract == C, timeout=20_000)
        controller.session.set_manual_spot(Price.from_ticks(SPOT, ZN))
        rows = lambda: w.accounts.row_texts()  # noqa: E731
        qtbot.waitUntil(lambda: [r[0] for r in rows()] == [*mine, "Total"] and w.orders.model.rowCount() == len(mine)
                        and controller.session.last_result is not None
                        and controller.session.last_result.spot.value == Price.from_ticks(SPOT, ZN).value
                        and _cells(rows()[0]) == _expected_row(mine[0]), timeout=30_000)
        for row in rows()[:-1]:
            assert _cells(row) == _expected_row(row[0]), row[0]
        # the cards: the accounts taken together, from the same independent books
        position = sum(_book(a, "lifo")[0] for a in mine)
        total = sum(_book(a, "lifo")[1] + _book(a, "lifo")[2] for a in mine) * TICK_VALUE
        assert w.summary.text("position") == (f"{position:+d}" if position else "0")
        assert w.summary.text("total") == dollars(total)
        # the fills table (paged from the store on its own read-only connection) and the working orders
        qtbot.waitUntil(lambda: w.fills.model.rowCount() == len(want_fills), timeout=20_000)
        assert {f.key for f in w.fills.model.records()} == want_fills
        assert {w.orders.model.record(r).order_id for r in range(w.orders.model.rowCount())} == {f"{a}-w" for a in mine}
        # read-only, said once as a standing note, never as a problem
        assert controller.session.store.readonly
        assert w.status_strip.note.isVisibleTo(w) and "Read-only desk" in w.status_strip.note.text()
        # TT is the capture's: connected by its heartbeat, though this PC holds no TT key
        qtbot.waitUntil(lambda: w.status_strip.connection.text() == "TT: connected", timeout=5_000)
        qtbot.wait(1500)  # a few status ticks and curve points: anything written would have failed by now
        assert not w.banner.isVisibleTo(w), w.banner.text()
        assert controller.session.health.health("store").state == "ok"
    finally:
        w.close()
        assert controller.shutdown()
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems == []
    assert _server_refusals(pg_cluster) == refused_before  # the server refused nothing: nothing was attempted
    with Store.open(desk) as store:  # the owner: nothing written by the window (no curve, no survival rows)
        assert store.conn.execute("SELECT count(*) FROM pnl_curve").fetchone()[0] == 0
        assert store.conn.execute("SELECT count(*) FROM survival_log").fetchone()[0] == 0
        assert store.get_cursor(LEGACY_CURSOR_SOURCE) is not None  # a read-only window moves no cursor


def test_a_book_that_differs_from_its_fills_is_said_not_repaired(qtbot, desk, pg_cluster) -> None:
    """Verified on open, read-only: the trader is told (one line naming the book), the desk is left as it
    is for the capture's next open to repair."""
    from zn_ladder.workers.store_worker import StoreWorker

    with psycopg.connect(desk, autocommit=True) as conn:
        conn.execute("UPDATE books SET realized_units = realized_units + 3 WHERE account = 'A1' AND method = 'fifo'")
    worker = StoreWorker(pg_cluster.url(desk.rsplit("/", 1)[1], user=_role(desk, "alice")), env=ENV, scoped=True)
    said, failed = [], []
    worker.readOnly.connect(said.append)
    worker.failed.connect(failed.append)
    try:
        worker.start()
        qtbot.waitUntil(lambda: bool(said and failed), timeout=20_000)
        qtbot.wait(200)
        assert len(failed) == 1, failed
        assert "books of A1 ZN Mar27 differ" in failed[0] and "not repaired" in failed[0] and "\n" not in failed[0]
    finally:
        worker.stop()
    with psycopg.connect(desk) as conn:
        assert conn.execute("SELECT count(*) FROM audit WHERE event = 'matching_repaired'").fetchone()[0] == 0


@pytest.mark.parametrize("env", ["SIM", "LIVE"])
def test_a_desk_window_needs_no_tt_credentials_of_its_own(env, monkeypatch) -> None:
    from zn_ladder.app import plan_launch

    monkeypatch.delenv("ZN_LADDER_TT_KEY", raising=False)
    monkeypatch.delenv("ZN_LADDER_TT_SECRET", raising=False)
    monkeypatch.setattr("zn_ladder.config.credentials.load_credentials", lambda env: None)
    settings = Settings().replace_value("tt.environment", env)
    on_a_pc = plan_launch(settings)
    assert on_a_pc.demo if env == "SIM" else "no credentials for LIVE" in on_a_pc.messages[0]  # as before
    on_the_desk = plan_launch(settings.replace_value("storage.url", "postgresql://zn_alice@dbhost/zn_desk"))
    assert (on_the_desk.demo, on_the_desk.env, on_the_desk.messages) == (False, env, ())
