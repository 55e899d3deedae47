"""The desk capture's local buffer and its upload (`store.desk.buffer`): the fills count once however
often an upload is repeated (a capture killed after the upload's commit and before the file's removal
uploads again at its next start), the buffered TT requests are added to the desk's count once, and the
desk's fills cursor only moves forward."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest

from zn_ladder.domain.errors import StoreError, StoreUnreachable
from zn_ladder.domain.records import Fill, Side
from zn_ladder.store import db
from zn_ladder.store.desk.buffer import add_pending_budget, buffer_path, open_buffer, upload
from zn_ladder.store.store import Store

BASE_NS = 1_796_000_000_000_000_000
SOURCE = "tt_fills:ext_prod_sim:http://127.0.0.1:1"
BUDGET = "tt_budget:ext_prod_sim:abcd"


def _fill(n: int) -> Fill:
    return Fill(f"x{n}", "A1", "ZN Mar27", Side.BUY if n % 2 else Side.SELL, 1 + n % 3, 35_200 + n,
                BASE_NS + n * 1_000, f"o{n}", f"x{n}", "tt_api", "", 1 + n % 3)


def _cursor(last: int, seen: list[int]) -> dict:
    return {"v": 1, "min_timestamp": BASE_NS + last * 1_000, "holds": 0,
            "seen": [[BASE_NS + n * 1_000, f"x{n}"] for n in seen]}


@pytest.fixture
def desk(pg_url: str) -> str:
    """The desk holds fills 0..4 and its cursor after them (its capture's last commit before the outage)."""
    with Store.open(pg_url) as store:
        store.ingest([_fill(n) for n in range(5)], source="tt_api", environment="ext_prod_sim",
                     cursor=(SOURCE, _cursor(4, [4])))
    return pg_url


def _buffer(tmp_path: Path, fills: range, cursor: dict, requests: int) -> Path:
    path = buffer_path(tmp_path, "postgresql://x@h/d", "abcd")
    with open_buffer(path) as store:
        store.ingest([_fill(n) for n in fills], source="tt_api", environment="ext_prod_sim", cursor=(SOURCE, cursor))
        add_pending_budget(store, BUDGET, "2026-12-03", requests)
    return path


def _desk_state(url: str) -> tuple[list[str], int, dict]:
    with psycopg.connect(url) as conn:
        keys = [k for (k,) in conn.execute("SELECT key FROM fills ORDER BY key")]
        used = conn.execute("SELECT coalesce(sum(used), 0) FROM desk_budget").fetchone()[0]
    with Store.open(url, readonly=True) as store:
        return keys, used, store.get_cursor(SOURCE)


def test_an_upload_repeated_after_a_crash_adds_nothing_twice(desk: str, tmp_path: Path) -> None:
    # the buffer went on from the desk's cursor: fill 4 again (TT's inclusive boundary), then 5..11
    path = _buffer(tmp_path, range(4, 12), _cursor(11, [11]), requests=37)
    kept = tmp_path / "kept.sqlite3"
    shutil.copy(path, kept)  # the file as a capture killed before removing it would leave it
    done = upload(path, desk, cursor_source=SOURCE, who="test")
    assert (done.copied.fills_added, done.copied.fills_duplicate, done.requests_added) == (7, 1, 37)
    assert not path.exists()
    first = _desk_state(desk)
    assert first == ([f"x{n}" for n in sorted(range(12), key=lambda n: f"x{n}")], 37, _cursor(11, [11]))
    shutil.copy(kept, path)
    again = upload(path, desk, cursor_source=SOURCE, who="test")
    assert (again.copied.fills_added, again.requests_added, again.cursor_moved) == (0, 0, False)
    assert _desk_state(desk) == first


def test_the_desk_cursor_never_moves_back(desk: str, tmp_path: Path) -> None:
    """Another capture took over when the server returned and got further than the buffer did."""
    with Store.open(desk) as store:
        store.ingest([_fill(n) for n in range(5, 20)], source="tt_api", environment="ext_prod_sim",
                     cursor=(SOURCE, _cursor(19, [19])))
    path = _buffer(tmp_path, range(4, 9), _cursor(8, [8]), requests=3)
    done = upload(path, desk, cursor_source=SOURCE, who="test")
    assert not done.cursor_moved
    assert _desk_state(desk)[2] == _cursor(19, [19])


def test_at_the_same_timestamp_both_deliveries_are_seen(desk: str, tmp_path: Path) -> None:
    """Two executions at one timestamp, one delivered to the desk and one to the buffer: the cursor that
    goes on names both, so neither is asked for as new, and neither is skipped."""
    with Store.open(desk) as store:
        store.put_cursor(SOURCE, {**_cursor(4, [4]), "seen": [[BASE_NS + 4_000, "x4"], [BASE_NS + 4_000, "y4"]]})
    path = _buffer(tmp_path, range(4, 5), {**_cursor(4, [4]), "seen": [[BASE_NS + 4_000, "x4"],
                                                                        [BASE_NS + 4_000, "z4"]]}, requests=1)
    assert upload(path, desk, cursor_source=SOURCE, who="test").cursor_moved
    assert _desk_state(desk)[2]["seen"] == [[BASE_NS + 4_000, k] for k in ("x4", "y4", "z4")]


def test_an_unreachable_desk_keeps_the_buffer_and_names_the_server(tmp_path: Path, pg_cluster) -> None:
    path = _buffer(tmp_path, range(3), _cursor(2, [2]), requests=2)
    before = path.read_bytes()
    gone = f"postgresql://postgres@127.0.0.1:{_closed_port()}/desk"
    with pytest.raises(StoreUnreachable, match="cannot be reached"):
        upload(path, gone, cursor_source=SOURCE, who="test")
    assert path.exists() and path.read_bytes() == before


def test_an_unreachable_server_is_its_own_error(pg_cluster) -> None:
    """Only a server that cannot be reached makes a capture buffer: a refused login stays an error."""
    with pytest.raises(StoreUnreachable):
        db.connect(f"postgresql://postgres@127.0.0.1:{_closed_port()}/desk").close()
    with pytest.raises(StoreError) as refused:
        db.connect(pg_cluster.url("no_such_database_here")).close()
    assert not isinstance(refused.value, StoreUnreachable)


def _closed_port() -> int:
    """A loopback port nothing listens on (bound and released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_buffer_is_removed_only_when_every_fill_is_in_the_desk(desk: str, tmp_path: Path, monkeypatch) -> None:
    """An upload whose copy left fills out (it broke off, or another writer lost them) keeps the buffer."""
    import zn_ladder.store.desk.buffer as buffer

    path = _buffer(tmp_path, range(4, 9), _cursor(8, [8]), requests=5)
    monkeypatch.setattr(buffer, "copy_store", lambda *a, **k: None)  # a copy that took nothing
    with pytest.raises(StoreError, match="lacks 4 fills"):
        upload(path, desk, cursor_source=SOURCE, who="test")
    assert path.exists()
    assert _desk_state(desk) == ([f"x{n}" for n in range(5)], 0, _cursor(4, [4]))  # nothing moved or counted
