"""A day's report built from a real store (busts and corrections applied by the store) against the
store's own books and an independent recompute of the fills as they stand (tests/trade_model.py,
tests/journal_model.py)."""

from __future__ import annotations

import random
import tempfile
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.journal_model import model_journal
from tests.report_store import DAY, OPEN_NS, S, make_fills, sample_day, store_day
from tests.trade_model import model_curve, model_drawdown, model_stats, model_trips, opening_from_sod, tick_value
from zn_ladder.domain.day_report import report_for_day
from zn_ladder.domain.records import SodLot
from zn_ladder.domain.trading_day import DEFAULT_RULE, day_bounds_ns
from zn_ladder.store.day import read_day
from zn_ladder.store.db import connect
from zn_ladder.store.snapshot import read_books


def _report(path: Path, account: str | None = None, method: str = "lifo"):
    start, end = day_bounds_ns(DAY, DEFAULT_RULE)
    conn = connect(path, readonly=True)
    try:
        return report_for_day(read_day(conn, DAY, start, end, account), day=DAY, rule=DEFAULT_RULE, account=account,
                              method=method), read_books(conn)
    finally:
        conn.close()


def _check_against_model(report, fills, sod, method) -> None:
    opening = opening_from_sod(sod)
    start = day_bounds_ns(DAY, DEFAULT_RULE)[0]
    assert [f.key for f in report.fills] == [f.key for f in fills]
    closed, _ = model_trips(fills, opening, start)
    assert [(t.account, t.market, t.contract, t.pnl) for t in report.trips] == [
        (*b, pnl) for b, _, _, _, pnl, *_ in closed]
    stats = model_stats([c[4] for c in closed])
    assert {k: getattr(report.stats, k) for k in stats} == stats
    curve = model_curve(fills, opening)
    assert [p.pnl for p in report.curve] == curve
    assert report.stats.max_drawdown.amount == model_drawdown(curve)
    # the books' totals (each at its contract's last traded price) add up to the curve's last point
    assert sum((b.total for b in report.books if b.total is not None), Fraction(0)) == curve[-1] == report.total
    rows = model_journal(fills, method, [SodLot(l.account, l.contract, l.qty, l.price, DAY.isoformat(), l.market)
                                         for l in sod])
    assert [(e.account, e.contract, e.close_key, e.matched_qty, e.realized) for e in report.journal] == [
        (r[0], r[2], r[9], r[12], r[13] * tick_value(r[2])) for r in rows]


def _check_against_books(report, books) -> None:
    """Every figure of a book in the report is the store's persisted book (LIFO and FIFO). A book left
    empty (its only fill busted) stays in the store as zeros; the report has nothing to say of it."""
    stored = {(b.account, b.market, b.contract, b.method): b for b in books
              if b.fills_applied or b.position or b.realized_units}
    assert {(b.account, b.market, b.contract) for b in report.books} == {k[:3] for k in stored}
    for b in report.books:
        for method in ("lifo", "fifo"):
            s = stored[(b.account, b.market, b.contract, method)]
            assert b.position == s.position
            assert getattr(b, f"realized_{method}") == s.realized_units * tick_value(b.contract)
        assert b.fills == s.fills_applied


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), count=st.integers(0, 40), busts=st.integers(0, 6),
       sod=st.lists(st.tuples(st.sampled_from([("ACC1", "ZN Sep25"), ("ACC2", "ZN Sep25"), ("ACC1", "ZF Sep25")]),
                              st.integers(-4, 4).filter(bool), st.integers(-5, 5)),
                    max_size=3, unique_by=lambda s: s[0]),
       method=st.sampled_from(["lifo", "fifo"]))
def test_report_from_the_store_equals_the_books_and_the_model(seed, count, busts, sod, method) -> None:
    from tests.report_store import BASES, corrections_for

    rng = random.Random(seed)
    fills = make_fills(rng, count)
    lots = [SodLot(a, c, q, BASES[c] + d, DAY.isoformat()) for (a, c), q, d in sod]
    with tempfile.TemporaryDirectory() as tmp:
        day = store_day(Path(tmp) / "s.sqlite3", fills, corrections_for(rng, fills, busts), lots)
        report, books = _report(day.path, method=method)
    _check_against_model(report, day.fills, lots, method)
    _check_against_books(report, books)
    assert report.realized == sum((getattr(b, f"realized_{method}") for b in report.books), Fraction(0))


def test_sample_day_with_the_day_before_and_one_account(tmp_path: Path) -> None:
    day = sample_day(tmp_path / "s.sqlite3")
    report, books = _report(day.path)
    _check_against_books(report, books)
    _check_against_model(report, day.fills, day.sod, "lifo")
    acc2, _ = _report(day.path, account="ACC2")
    assert {b.account for b in acc2.books} == {"ACC2"}
    _check_against_model(acc2, [f for f in day.fills if f.account == "ACC2"],
                         [l for l in day.sod if l.account == "ACC2"], "lifo")


def test_the_day_after_is_not_in_the_day_and_carries_its_position(tmp_path: Path) -> None:
    # buy 2 on the 15th and sell 1 on the 16th (no SOD): the 16th opens long 2 at the 15th's price
    from tests.report_store import store_day as put
    from zn_ladder.domain.records import Fill, Side

    first = Fill("a", "ACC1", "ZN Sep25", Side.BUY, 2, 7040, OPEN_NS)
    second = Fill("b", "ACC1", "ZN Sep25", Side.SELL, 1, 7044, OPEN_NS + 86_400 * S)
    put(tmp_path / "s.sqlite3", [first, second], [], [])
    report, _ = _report(tmp_path / "s.sqlite3")
    assert [f.key for f in report.fills] == ["a"]
    start, end = day_bounds_ns(DAY.replace(day=16), DEFAULT_RULE)
    conn = connect(tmp_path / "s.sqlite3", readonly=True)
    nxt = report_for_day(read_day(conn, DAY.replace(day=16), start, end), day=DAY.replace(day=16), rule=DEFAULT_RULE)
    conn.close()
    (book,) = nxt.books
    # opened long 2 @ 7040, sold 1 @ 7044: +4 ticks = $62.50
    assert (book.opening_position, book.position, book.realized_lifo) == (2, 1, 4 * tick_value("ZN Sep25"))


def test_a_fill_at_the_close_belongs_to_the_next_day(tmp_path: Path) -> None:
    from zn_ladder.domain.records import Fill, Side

    start, end = day_bounds_ns(DAY, DEFAULT_RULE)
    at_open = Fill("open", "ACC1", "ZN Sep25", Side.BUY, 1, 7040, start)
    at_close = Fill("close", "ACC1", "ZN Sep25", Side.SELL, 1, 7041, end)  # 16:00:00.000 Chicago
    store_day(tmp_path / "s.sqlite3", [at_open, at_close], [], [])
    report, _ = _report(tmp_path / "s.sqlite3")
    assert [f.key for f in report.fills] == ["open"]
    conn = connect(tmp_path / "s.sqlite3", readonly=True)
    try:  # the store's own selection, not only the report's
        assert [f.key for f in read_day(conn, DAY, start, end).fills] == ["open"]
        assert [f.key for f in read_day(conn, DAY, end, end + 86_400 * S).earlier] == ["open"]
    finally:
        conn.close()


def test_the_desk_database_gives_the_same_report(tmp_path: Path, pg_url: str, run_cli) -> None:
    """The same day in a file and in the desk database (PostgreSQL): `zn-ladder report` writes the same CSV."""
    in_file = sample_day(tmp_path / "s.sqlite3")
    sample_day(pg_url)  # type: ignore[arg-type]  (Store.open takes a postgresql:// location too)
    outs = []
    for db in (str(in_file.path), pg_url):
        out = tmp_path / f"{len(outs)}.csv"
        result = run_cli("report", "--db", db, "--day", DAY.isoformat(), "--out", str(out))
        assert result.returncode == 0, result.stderr
        outs.append(out.read_text())
    assert outs[0] == outs[1] and f",{len(in_file.fills)}\n" in outs[0]


def test_the_reports_journal_is_the_stores(tmp_path: Path) -> None:
    """The journal the store keeps with its books (issue 15 §1) and the report's, for a day with its SOD."""
    from zn_ladder.store import journal as stored_journal

    day = sample_day(tmp_path / "s.sqlite3")
    start, end = day_bounds_ns(DAY, DEFAULT_RULE)
    for method in ("lifo", "fifo"):
        report, _ = _report(day.path, method=method)
        conn = connect(day.path, readonly=True)
        try:
            kept = stored_journal.read(conn, method=method, since_ns=start, until_ns=end)
        finally:
            conn.close()

        def row(e):
            return (e.account, e.market, e.contract, e.time_ns, e.open_key, e.close_key, e.matched_qty, e.realized,
                    e.cumulative_realized)

        assert sorted(map(row, report.journal)) == sorted(map(row, kept))
        assert len(kept) > 20
