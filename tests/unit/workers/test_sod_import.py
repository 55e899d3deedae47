"""The start-of-day import at start: which file, idempotent, and a bad file changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.actant import live_sample
from zn_ladder.domain.errors import InputError
from zn_ladder.store.store import Store
from zn_ladder.workers.sod_import import import_sod, resolve_sod_file

HEADER = "ACCOUNT,UNDERLYING,ASSET,RUN_DATE,PRODUCT_CODE,LONG_SHORT,PUT_CALL,STRIKE_PRICE,QUANTITY,EXPIRE_DATE,LOT_SIZE,PRICE_TODAY,IS_AMERICAN\n"


def actant(path: Path, account: str, qty: str, side: str = "L", date: str = "11/25/2026",
           price: str = "110'080") -> Path:
    path.write_text(HEADER + f"{account},ZN,ZN,{date},FUTURE,{side},,,{qty},12/19/2026,1000.0,{price},\n")
    return path


def touch(path: Path, mtime: int) -> Path:
    if not path.exists():
        path.write_text(HEADER)
    os.utime(path, (mtime, mtime))
    return path


def test_a_folder_means_its_newest_sod_like_file(tmp_path: Path) -> None:
    folder = tmp_path / "actant"
    folder.mkdir()
    touch(actant(folder / "sod_monday.csv", "1", "1.0"), 1_700_000_000)
    newest = touch(actant(folder / "sod_tuesday.csv", "1", "2.0"), 1_700_090_000)
    touch(folder / "notes.docx", 1_700_099_999)  # not an export, however new
    touch(folder / ".sod_wed.csv", 1_700_099_999)  # hidden (an editor's lock or temp file)
    assert resolve_sod_file(str(folder)) == newest
    assert resolve_sod_file(str(newest)) == newest
    with pytest.raises(InputError, match="does not exist"):
        resolve_sod_file(str(tmp_path / "missing"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"holds no \.csv or \.txt file"):
        resolve_sod_file(str(empty))


def test_import_stores_the_lots_once_and_again_changes_nothing(tmp_path: Path) -> None:
    sod = live_sample(tmp_path / "sod.csv")  # the desk's sample, on a day its contract (ZN Sep25) is live
    with Store.open(tmp_path / "s.sqlite3") as store:
        first = import_sod(store, str(sod))
        assert first.ok and (first.added, first.duplicate) == (1, 0)
        assert first.products == {"ZN"} and len(first.warnings) == 1  # the zero-quantity row
        again = import_sod(store, str(tmp_path))  # the folder: its newest (only) file
        assert again.ok and (again.added, again.duplicate, again.replaced) == (0, 1, 0)
        assert "already in the store" in again.message()
        lots = store.conn.execute("SELECT account, contract, qty, price, date, source FROM sod_lots").fetchall()
    assert [tuple(r) for r in lots] == [("73050502", "ZN Sep25", 1, 7160, "2025-08-11", "actant_sod")]


@pytest.mark.parametrize("content, problem", [
    ("ACCOUNT,WHATEVER\n1,2\n", "Actant"),
    ("", "empty"),
    (HEADER + "1,ZN,ZN,11/25/2026,FUTURE,L,,,0.0,12/19/2026,1000.0,110'080,\n", "no start-of-day position"),
])
def test_a_bad_file_is_named_with_its_problem_and_the_store_is_unchanged(tmp_path: Path, content: str,
                                                                          problem: str) -> None:
    good = actant(tmp_path / "good.csv", "7", "3.0")
    with Store.open(tmp_path / "s.sqlite3") as store:
        assert import_sod(store, str(good)).added == 1
        before = [tuple(r) for r in store.conn.execute("SELECT * FROM sod_lots ORDER BY date, account, contract, seq")]
        audits = store.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        bad = tmp_path / "bad.csv"
        bad.write_text(content)
        result = import_sod(store, str(bad))
        assert not result.ok and result.path == bad
        message = result.message()
        assert message.startswith(f"start-of-day file {bad} not imported: ") and problem in message
        assert message.count(str(bad)) == 1
        assert [tuple(r) for r in store.conn.execute("SELECT * FROM sod_lots ORDER BY date, account, contract, seq")] == before
        assert store.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == audits


def test_the_snapshot_shows_the_sod_the_books_start_from(tmp_path: Path) -> None:
    """The contract's snapshot shows the SOD of each account whose book on the contract starts from it
    (Actant's row expiring in December 2026 is ZN Dec26's), so the SOD on screen equals the P&L's."""
    from zn_ladder.domain.records import Fill, Side
    from zn_ladder.store.snapshot import take_snapshot

    sod = live_sample(tmp_path / "sod.csv", run="11/25/2026", expire="12/18/2026")  # 73050502 long 1 ZN Dec26
    with Store.open(tmp_path / "s.sqlite3") as store:
        assert import_sod(store, str(sod)).added == 1
        # The SOD names its contract, so it is shown before the first fill (issue 12: no flat book at 06:59).
        before = take_snapshot(store.conn, "ZN Dec26")
        assert [(lot.account, lot.contract, lot.qty) for lot in before.sod] == [("73050502", "ZN Dec26", 1)]
        assert take_snapshot(store.conn, "ZN Mar27").sod == ()  # another month of the product: not its SOD
        t = 1_800_000_000_000_000_000
        store.ingest([Fill("e1", "73050502", "ZN Dec26", Side.SELL, 3, 7170, t),
                      Fill("e2", "999", "ZN Dec26", Side.BUY, 2, 7165, t + 1)], source="test")
        snap = take_snapshot(store.conn, "ZN Dec26")
        mine = take_snapshot(store.conn, "ZN Dec26", "73050502")
    assert [(lot.account, lot.contract, lot.qty, lot.price) for lot in snap.sod] == [("73050502", "ZN Dec26", 1, 7160)]
    assert snap.pnl["lifo"].position == 1 - 3 + 2 and mine.pnl["lifo"].position == 1 - 3
    assert [lot.account for lot in mine.sod] == ["73050502"]
