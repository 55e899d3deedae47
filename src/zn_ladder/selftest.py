"""`zn-ladder selftest`: open the real window on the embedded simulator and check what it shows.

It lets the simulated market trade for a few seconds, then holds it still and waits until the screen
settles (nothing on it changes for a few poll intervals), and checks what the window shows against
values computed independently of the window's code (`selftest_truth`: the simulator's ground-truth
fills and SOD through the domain's lot matching, the simulator's working orders and price, and a
ladder walk written apart from `domain.ladder`):
- the cards: POSITION, SOD, realized LIFO and FIFO, unrealized, TOTAL P&L, risk;
- the spot the ladder walks from;
- every visible ladder row: working quantities, position and projected P&L;
- the spot row equals the POSITION and TOTAL P&L cards (DESIGN §3.4);
- the accounts table: each account's row against its own lot books, the total row against the cards;
- the fills table holds the trades in force, the order grid is not empty;
- the projected-P&L chart's x range covers the ladder's levels (and does not run far beyond them).
It runs in roll week, as the DEMO's first launch: each month's ladder against its own month's truth,
the cards against their sum (and against the sum of the tabs), the accounts table per account and month.
A screen that shows fills with POSITION 0 and realized $0, or a chart from 0'000 to spot, fails.
Exit 0 when all hold, 1 with the reasons otherwise. CI runs it with QT_QPA_PLATFORM=offscreen; the
packaged app uses it as its smoke test. It never touches the user's settings, store or window layout.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Fast polling against the embedded simulator (seconds).
SELFTEST_INTERVALS = {"orders_s": 0.5, "fills_s": 0.5, "positions_s": 2.0, "spot_s": 0.3}
#: The market trades for at least TRADE_S, until NEW_FILLS fill records are new (or TRADE_MAX_S passed).
TRADE_S = 2.0
TRADE_MAX_S = 8.0
NEW_FILLS = 6
#: Then it stands still; the screen is settled when nothing on it changed for this long.
SETTLE_S = 2.5
#: Seconds between two market steps while trading.
STEP_S = 0.1
#: The ladder rows reported at most (the rest is the same story).
MAX_ROW_PROBLEMS = 8

CARDS = (("position", "POSITION"), ("sod", "SOD"), ("realized_lifo", "REALIZED LIFO"),
         ("realized_fifo", "REALIZED FIFO"), ("unrealized", "UNREALIZED @ SPOT"), ("total", "TOTAL P&L"),
         ("risk", "RISK / TICK"))


def _qty(n: int) -> str:
    return f"{n:+d}" if n else "0"


def _dollars(value: Fraction) -> str:
    """The cards' form: $1,234.56, -$1,234.56, $0.00 (written here, not borrowed from the window)."""
    text = f"{abs(float(value)):,.2f}"
    return f"-${text}" if value < 0 and text != "0.00" else f"${text}"


def _ladder_pnl(value: Fraction, units: str, tick_value: Fraction) -> str:
    if units == "ticks":
        text = f"{float(value / tick_value):,.1f}"
        return "0.0" if text == "-0.0" else text
    text = f"{float(value):,.0f}"
    return "0" if text == "-0" else text


def expected_cards(truth: Any) -> dict[str, str]:
    return {"position": _qty(truth.position), "sod": _qty(truth.sod), "realized_lifo": _dollars(truth.realized_lifo),
            "realized_fifo": _dollars(truth.realized_fifo), "unrealized": _dollars(truth.unrealized),
            "total": _dollars(truth.total), "risk": _dollars(truth.risk)}


def check_screen(window: Any, truth: Any, per_contract: dict[str, Any] | None = None) -> list[str]:
    """Problems found comparing what `window` shows with `truth` (a `selftest_truth.GroundTruth`). In
    roll week `truth` is the cards' (the contracts' total) and `per_contract` each ladder's own."""
    product = truth.product
    problems: list[str] = []
    cards = {key: window.summary.text(key) for key, _ in CARDS}
    for (key, caption), want in zip(CARDS, expected_cards(truth).values()):
        if cards[key] != want:
            problems.append(f"{caption} card shows {cards[key]!r}, the simulator's fills and SOD give {want!r}")
    ladders = [(window.ladder_model, truth, "")]
    if per_contract:
        tabs = window.contracts
        ladders = [(window.ladder_model, per_contract.get(tabs.first), tabs.first)]
        ladders += [(tabs.panes[c].view.model if c in tabs.panes else None, t, c) for c, t in per_contract.items()
                    if c != tabs.first]
    for model, own, contract in ladders:
        if model is None or own is None or model.snapshot is None or model.rowCount() == 0:
            return [*problems, f"the {contract or 'ladder'} ladder shows nothing"]
        # The spot row reads the cards (one contract) or its own contract's numbers (roll week).
        spot_wants = (cards["position"], cards["total"]) if not per_contract else (_qty(own.position),
                                                                                 _dollars(own.total))
        problems += _check_ladder(model, own, spot_wants, f"{contract} " if contract else "")
    if per_contract:  # the cards are the tabs taken together (one contract: its spot row is the cards)
        parts = [window.contracts.pnl.get(c) for c in per_contract]
        if all(parts):
            sums = {"position": _qty(sum(p.position for p in parts)), "total": _dollars(sum(p.total for p in parts))}
            problems += [f"{key.upper()} card shows {cards[key]}, its contracts' tabs add up to {want}"
                         for key, want in sums.items() if cards[key] != want]
    model = window.ladder_model
    prices = [model.price_at(r) for r in range(model.rowCount())]
    problems += _check_chart(window, model.snapshot, min(prices), max(prices), product)
    fills = window.fills.model.rowCount()
    if fills != truth.fills:
        problems.append(f"the fills table shows {fills} fills, the simulator has {truth.fills} trades in force")
    if truth.exec_ids:
        shown = {getattr(f, "exec_id", "") for f in window.fills.model.records()}
        for ids, what in ((truth.exec_ids - shown, "lacks {n} of the simulator's trades"),
                          (shown - truth.exec_ids, "shows {n} fills the simulator does not have in force")):
            if ids:
                problems.append(f"the fills table {what.format(n=len(ids))} (e.g. exec id {min(ids)})")
    problems += _check_accounts(window, truth, cards)
    if window.orders.model.rowCount() == 0 and truth.orders:
        problems.append(f"the order grid is empty, the simulator has {len(truth.orders)} working orders")
    return problems


def _check_ladder(model: Any, truth: Any, spot_wants: tuple[str, str], label: str) -> list[str]:
    """Every row of one ladder against an independent walk from its contract's orders, spot and books."""
    from zn_ladder.domain.prices import Price, format_price, format_ticks
    from zn_ladder.selftest_truth import reference_walk
    from zn_ladder.ui.ladder.model import Col

    product, snap, problems = truth.product, model.snapshot, []
    spot_text = format_price(Price.from_ticks(truth.spot, product), product, "pricing_monkey")
    if snap.spot.ticks(product) != truth.spot:
        shown = format_price(snap.spot, product, "pricing_monkey")
        problems.append(f"the {label}ladder walks from spot {shown}, the simulator's price is {spot_text}")
    prices = [model.price_at(r) for r in range(model.rowCount())]
    want = reference_walk(truth, min(prices), max(prices))
    working: dict[int, list[int]] = {}
    for order in truth.orders:
        working.setdefault(order.price, [0, 0])[0 if order.qty > 0 else 1] += abs(order.qty)
    bad_rows, spot_row = 0, None
    for r, price in enumerate(prices):
        cells = model.cells(r)
        texts, row = cells.texts, cells.row
        pos, pnl = want[price]
        buy, sell = working.get(price, (0, 0))
        expect = {Col.BUY: str(buy) if buy else "", Col.SELL: str(sell) if sell else "", Col.POSITION: _qty(pos),
                  Col.PNL: _ladder_pnl(pnl, model.pnl_units, product.tick_value)}
        wrong = [f"{Col(c).name.lower()} {texts[c]!r} (expected {w!r})" for c, w in expect.items() if texts[c] != w]
        if row is None:
            wrong.append("no ladder row behind the cells")
        elif not wrong and (row.position, Fraction(row.projected_pnl)) != (pos, pnl):
            wrong.append(f"exact position/P&L {row.position}/{row.projected_pnl} (expected {pos}/{pnl})")
        if wrong:
            bad_rows += 1
            if bad_rows <= MAX_ROW_PROBLEMS:
                problems.append(f"{label}ladder row {format_ticks(price, product)}: " + ", ".join(wrong)
                                + " by an independent walk from the simulator's orders")
        if truth.spot.denominator == 1 and price == truth.spot:
            spot_row = cells
    if bad_rows > MAX_ROW_PROBLEMS:
        problems.append(f"... and {bad_rows - MAX_ROW_PROBLEMS} more {label}ladder rows")
    if spot_row is not None and spot_row.row is not None:
        shown = (_qty(spot_row.row.position), _dollars(Fraction(spot_row.row.projected_pnl)))
        if shown != spot_wants:
            problems.append(f"{label}spot row {spot_text} shows position {shown[0]} and P&L {shown[1]}, "
                            f"expected {spot_wants[0]} and {spot_wants[1]}")
    return problems


def _check_accounts(window: Any, truth: Any, cards: dict[str, str]) -> list[str]:
    """Each account's row against its own book from the simulator; the total row against the cards."""
    table = getattr(window, "accounts", None)
    if table is None:
        return []
    titles = [c.title for c in table.model.columns]
    roll = any(a.contract for a in truth.accounts)  # roll week: a row per account and contract
    shown = {(row[0], row[1] if roll and row[0] != "Total" else ""): dict(zip(titles, row))
             for row in table.row_texts()}
    problems = []
    for a in truth.accounts:
        want = {"Position": _qty(a.position), "SOD": _qty(a.sod), "Realized LIFO": _dollars(a.realized_lifo),
                "Unrealized LIFO": _dollars(a.unrealized), "Realized FIFO": _dollars(a.realized_fifo),
                "Unrealized FIFO": _dollars(a.unrealized_fifo), "Total P&L": _dollars(a.total)}
        row = shown.get((a.account, a.contract))
        if row is None:
            problems.append(f"the accounts table has no row for account {a.account}")
            continue
        wrong = [f"{k} {row[k]!r} (expected {v!r})" for k, v in want.items() if row[k] != v]
        if wrong:
            problems.append(f"accounts table, account {a.account}: " + ", ".join(wrong)
                            + " by the simulator's fills and SOD")
    extra = set(shown) - {(a.account, a.contract) for a in truth.accounts} - {("Total", "")}
    if extra:
        problems.append(f"the accounts table shows accounts the simulator has no trade or SOD for: {sorted(extra)}")
    total = shown.get(("Total", ""))
    keys = {"Position": "position", "SOD": "sod", "Realized LIFO": "realized_lifo", "Unrealized LIFO": "unrealized",
            "Realized FIFO": "realized_fifo", "Total P&L": "total"}
    if total is None:
        problems.append("the accounts table has no total row")
    else:
        wrong = [f"{k} {total[k]!r} (the card reads {cards[v]!r})" for k, v in keys.items() if total[k] != cards[v]]
        if wrong:
            problems.append("accounts table total row: " + ", ".join(wrong))
    return problems


def _check_chart(window: Any, snap: Any, low: int, high: int, product: Any) -> list[str]:
    """The projected-P&L chart must show the ladder's levels: its x range covers the visible rows and
    stays within the projected ladder (plus a margin for the plot's own padding)."""
    from zn_ladder.domain.prices import format_ticks

    x0, x1 = window.charts.projected.getPlotItem().getViewBox().viewRange()[0]
    ladder = snap.ladder
    margin = max(4, (ladder.high - ladder.low) // 4)

    def text(x: float) -> str:
        return format_ticks(round(x), product) if abs(x) < 1e9 else f"{x:g}"

    where = f"projected-P&L chart x range {text(x0)}..{text(x1)}"
    problems = []
    if x0 > low or x1 < high:
        problems.append(f"{where} does not cover the ladder's levels {text(low)}..{text(high)}")
    if x0 < ladder.low - margin or x1 > ladder.high + margin:
        problems.append(f"{where} runs far beyond the ladder's levels {text(ladder.low)}..{text(ladder.high)}")
    return problems


def ladder_shows_orders(window: Any) -> bool:
    model = window.ladder_model
    return any(model.cells(r).texts[0].strip() or model.cells(r).texts[2].strip() for r in range(model.rowCount()))


def screen_state(window: Any) -> tuple[Any, ...]:
    """Everything the checks read, to tell when the screen has stopped changing."""
    tabs = getattr(window, "contracts", None)
    models = [window.ladder_model, *(p.view.model for p in (tabs.panes.values() if tabs is not None else ()))]
    return (tuple(window.summary.text(k) for k, _ in CARDS),
            tuple(m.cells(r).texts for m in models for r in range(m.rowCount())),
            window.fills.model.rowCount(), window.orders.model.rowCount(),
            tuple(window.charts.projected.getPlotItem().getViewBox().viewRange()[0]))


class SelfTestRun:
    """The self-test's clock, driven by a timer on the GUI thread: trade, stand still, settle, check.

    The market is stepped here (the simulator runs without its own stepping thread), so that it can be
    held still: a screen compared with a market that keeps moving would always be a poll behind.
    """

    def __init__(self, window: Any, market: Any, accounts: tuple[int, ...], product: Any, start: float,
                 instruments: dict[str, str] | None = None) -> None:
        self.window, self.market, self.accounts, self.product = window, market, accounts, product
        #: Roll week: contract -> TT instrument id of each month traded (a ladder each, the cards their sum).
        self.instruments = dict(instruments or {})
        self.started = start
        self.records_at_start = len(market.published_records())
        self.last_step = start
        self.trading = True
        self.state: Any = None
        self.since = start
        self.attempts = 0
        self.problems: list[str] = []
        self.done = False
        self.why = "starting"

    def tick(self, now: float) -> None:
        if self.trading:
            new = len(self.market.published_records()) - self.records_at_start
            if now - self.started >= TRADE_S and (new >= NEW_FILLS or now - self.started >= TRADE_MAX_S):
                self.trading = False
                self.since = now
                log.info("selftest: market held still after %.1fs, %d new fill records", now - self.started, new)
            elif now - self.last_step >= STEP_S:
                self.market.step(1)
                self.last_step = now
            self.why = f"the market is trading ({new} new fill records)"
            return
        window = self.window
        tabs = window.contracts
        if window.ladder_model.snapshot is None:
            self.why = "no ladder on screen yet"
        elif any(c != tabs.first and (c not in tabs.panes or tabs.panes[c].view.model.snapshot is None)
                 for c in self.instruments):
            self.why = "not every contract has its ladder yet"
        elif not ladder_shows_orders(window):
            self.why = "the ladder shows no working orders"
        elif window.orders.model.rowCount() == 0:
            self.why = "the order grid is empty"
        elif window.fills.model.rowCount() == 0:
            self.why = "no fill has arrived"
        else:
            state = screen_state(window)
            if state != self.state:
                self.state, self.since = state, now
                self.why = "the screen has not settled"
            elif now - self.since >= SETTLE_S:
                self.attempts += 1
                self.problems = check_screen(window, *self.truth())
                log.info("selftest check %d after %.1fs: %s", self.attempts, now - self.started,
                         "; ".join(self.problems) or "all agree")
                # A settled screen that is wrong stays wrong; one more settle period rules out a poll
                # that was merely slow (e.g. the positions poll that brings the SOD).
                if not self.problems or self.attempts >= 2:
                    self.done = True
                else:
                    self.since = now
            return


    def truth(self) -> tuple[Any, dict[str, Any] | None]:
        """The cards' ground truth, and in roll week each contract's."""
        from zn_ladder.selftest_truth import ground_truth, total_truth

        if not self.instruments:
            return ground_truth(self.market, self.accounts, self.product), None
        parts = {c: ground_truth(self.market, self.accounts, self.product, i, c) for c, i in self.instruments.items()}
        return total_truth(parts.values()), parts


def run_selftest(args: argparse.Namespace) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from zn_ladder.app import AppController
    from zn_ladder.config.settings import Settings
    from zn_ladder.domain.instruments import get_product
    from zn_ladder.tt.sim import reference as ref
    from zn_ladder.workers.demo import ROLL_WEEK, demo_sim_config

    seconds = float(getattr(args, "seconds", 30) or 30)
    shot = getattr(args, "screenshot", None)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="zn-selftest-") as tmp:
        folder = Path(tmp)
        # In roll week, as the DEMO's first launch: two ladders, the cards their total.
        sim_config = demo_sim_config(seed=11, step_interval=None, history_fills=20, **ROLL_WEEK)
        months = {ref.INSTRUMENT_ALIAS: ref.INSTRUMENT_ID, ref.NEXT_ALIAS: ref.NEXT_INSTRUMENT_ID}
        controller = AppController(Settings(), force_demo=True, db_path=folder / "selftest.sqlite3",
                                   ui_state=folder / "window.ini", intervals=SELFTEST_INTERVALS,
                                   sim_config=sim_config)
        window = controller.window
        window.resize(1600, 1000)
        window.show()
        run: list[SelfTestRun] = []
        loop = QEventLoop()

        def tick() -> None:
            now = time.monotonic()
            server = controller.sim.server if controller.sim is not None else None
            if not run:
                if server is None or controller.session is None:
                    if now - started > seconds:
                        loop.quit()
                    return
                run.append(SelfTestRun(window, server.market, sim_config.accounts, get_product("ZN"), now, months))
            run[0].tick(now)
            if run[0].done or now - started > seconds:
                loop.quit()

        controller.start()
        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(100)
        loop.exec()
        timer.stop()
        problems = list(run[0].problems) if run else []
        if shot:
            Path(shot).parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(shot)):
                problems.append(f"the screenshot could not be written to {shot}")
        status = controller.session.status() if controller.session is not None else None
        fills, orders = window.fills.model.rowCount(), window.orders.model.rowCount()
        clean = controller.shutdown()
        window.close()
        app.processEvents()
        from zn_ladder.workers.threads import wait_orphans

        clean = wait_orphans(10.0) and clean
    elapsed = time.monotonic() - started
    if not run or not run[0].done:
        why = run[0].why if run else "the simulator has not started"
        detail = f"; TT {status.connection}" if status is not None else ""
        print(f"selftest FAILED after {elapsed:.1f}s: {why}{detail}", file=sys.stderr)
        return 1
    if problems:
        print("selftest FAILED: the window disagrees with the simulator's ground truth:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if not clean:
        print("selftest FAILED: some workers did not stop in time", file=sys.stderr)
        return 1
    print(f"selftest ok in {elapsed:.1f}s: {orders} working orders, {fills} fills; cards, ladder rows and chart "
          f"match the simulator's ground truth" + (f"; screenshot {shot}" if shot else ""))
    return 0
