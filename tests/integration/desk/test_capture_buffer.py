"""The desk database goes down while the capture runs (or is down when it starts): the capture polls TT
into its local SQLite buffer meanwhile and uploads it when the server returns. The ground truth is the
simulator's: every published fill is in the desk exactly once, the ones TT sent during the outage came
through the buffer (not read again from TT), the buffer file is gone, and the desk's request count is the
simulator's own count of what it was asked."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import psycopg
import pytest

from tests.integration.desk.capture_procs import Capture
from tests.integration.desk.test_capture_soak import _check_against_the_simulator
from tests.integration.store.test_monitor_faults import _Stepper
from tests.pgcluster import start_cluster
from zn_ladder.store.store import Store
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

ENV = "ext_prod_sim"


@pytest.fixture
def own_cluster():
    """A cluster of this test's own: it is stopped and started again, which the run's shared one must not be."""
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def reap():
    """Registers capture processes; any still running when the test ends (it failed midway) is killed."""
    started: list[Capture] = []
    yield started.append
    for capture in started:
        if capture.proc.poll() is None:
            capture.kill()


@pytest.fixture
def desk_env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env.update({"ZN_LADDER_TT_KEY": DEMO_API_KEY, "ZN_LADDER_TT_SECRET": DEMO_API_SECRET})
    return cli_env


def _buffer_in(line: str) -> Path:
    """The buffer's path, as the capture names it: `... into the local buffer PATH until it can; ...`."""
    return Path(line.split("the local buffer ", 1)[1].split(" until it can", 1)[0])


def _buffered_fills(path: Path) -> int:
    """Fills in the buffer so far (0 while it is being created)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM fills").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.1)


def _holds_all(url: str, sim: SimulatorServer) -> bool:
    want = {r["execID"] for r in sim.market.published_records()}
    with Store.open(url, readonly=True) as store:
        have = {f.key for f in store.fills()} | {k for c in store.corrections() for k in (c.key, c.ref_key)}
    return have >= want


def _through_the_outage(capture: Capture, cluster, *, fills: int, resumes: bool) -> Path:
    """While the server is down: the capture names its buffer, starts it (from the desk's last cursor
    when it `resumes` a capture) and holds `fills` fills in it; then the server is back, and the capture
    uploads the buffer and takes the lease. Returns the buffer's path."""
    _, line = capture.wait_for("capturing into the local buffer", timeout=30)
    buffer = _buffer_in(line)
    if resumes:
        _, line = capture.wait_for("monitoring", timeout=30)
        assert f"into the local buffer {buffer}; resuming from the stored cursor" in line  # the desk's last one
    _wait(lambda: buffer.exists() and _buffered_fills(buffer) >= fills, 30, "fills in the buffer")
    cluster.resume()
    capture.wait_for("uploaded the local buffer", timeout=30)
    capture.wait_for("took the capture lease", timeout=30)
    return buffer


def _after_the_outage(url: str, sim: SimulatorServer, capture: Capture, buffer: Path) -> None:
    """What must hold once the capture has uploaded and caught up: the simulator's truth, the fills of
    the outage in the desk through the buffer, no buffer left, every TT request counted once."""
    _check_against_the_simulator(url, sim)  # 0 lost, 0 doubled, books equal an independent replay
    with psycopg.connect(url) as conn:
        uploads = [json.loads(d) for (d,) in conn.execute("SELECT detail FROM audit WHERE event = 'store_copied'")]
        (used,) = conn.execute("SELECT sum(used) FROM desk_budget").fetchone()
    assert [u["from"] for u in uploads] == [str(buffer)]  # one upload, of this buffer
    assert uploads[0]["fills_added"] > 0  # TT sent them during the outage; the desk got them from the buffer
    assert not buffer.exists()
    assert used == len(sim.requests)


def test_an_outage_is_captured_into_the_local_buffer_and_uploaded(own_cluster, desk_env, reap) -> None:
    url = own_cluster.create_database()
    Store.open(url).close()
    cfg = SimConfig(seed=5, step_interval=None, step_ns=50_000_000, correction_rate=0.01, page_size=50)
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as sim:
        stepper = _Stepper(sim)
        stepper.start()
        capture = Capture(desk_env, url, sim.url, interval="0.1")
        reap(capture)
        try:
            capture.wait_for("took the capture lease")
            capture.wait_for(" fills (")  # fills committed into the desk
            own_cluster.pause()
            buffer = _through_the_outage(capture, own_cluster, fills=20, resumes=True)
        finally:
            stepper.done.set()
            stepper.join()
        _wait(lambda: _holds_all(url, sim), 60, "the desk holds every published fill")
        out = capture.stop()
    assert capture.proc.returncode == 0, out[-3000:]
    _after_the_outage(url, sim, capture, buffer)


def test_a_capture_started_while_the_server_is_down_buffers_until_it_is_up(own_cluster, desk_env, reap) -> None:
    url = own_cluster.create_database()
    Store.open(url).close()
    own_cluster.pause()
    with SimulatorServer(SimConfig(seed=9, step_interval=None, step_ns=50_000_000, page_size=50),
                         host="127.0.0.1", port=0) as sim:
        stepper = _Stepper(sim)
        stepper.start()
        capture = Capture(desk_env, url, sim.url, interval="0.1")
        reap(capture)
        try:
            capture.wait_for("cannot be reached")  # said in one line, naming the database
            buffer = _through_the_outage(capture, own_cluster, fills=10, resumes=False)
        finally:
            stepper.done.set()
            stepper.join()
        _wait(lambda: _holds_all(url, sim), 60, "the desk holds every published fill")
        out = capture.stop()
    assert capture.proc.returncode == 0, out[-3000:]
    _after_the_outage(url, sim, capture, buffer)


def test_a_standby_does_not_buffer_and_uploads_what_a_killed_capture_buffered(own_cluster, desk_env, reap) -> None:
    """Two captures on one PC: the holder buffers through the outage and is killed (kill -9) while
    buffering; the standby never buffers, takes the lease when the server returns, and uploads the
    buffer the dead capture left."""
    url = own_cluster.create_database()
    Store.open(url).close()
    cfg = SimConfig(seed=13, step_interval=None, step_ns=50_000_000, page_size=50)
    with SimulatorServer(cfg, host="127.0.0.1", port=0) as sim:
        stepper = _Stepper(sim)
        stepper.start()
        holder = Capture(desk_env, url, sim.url, interval="0.1")
        reap(holder)
        holder.wait_for("took the capture lease")
        standby = Capture(desk_env, url, sim.url, interval="0.1")
        reap(standby)
        try:
            standby.wait_for("standing by")
            own_cluster.pause()
            _, line = holder.wait_for("capturing into the local buffer", timeout=30)
            buffer = _buffer_in(line)
            _wait(lambda: buffer.exists() and _buffered_fills(buffer) >= 20, 30, "fills in the buffer")
            holder.kill()
            assert "local buffer" not in standby.text  # a standby stands by through the outage
            own_cluster.resume()
            standby.wait_for("uploaded the local buffer", timeout=30)
            standby.wait_for("took the capture lease", timeout=30)
        finally:
            stepper.done.set()
            stepper.join()
        _wait(lambda: _holds_all(url, sim), 60, "the desk holds every published fill")
        out = standby.stop()
    assert standby.proc.returncode == 0, out[-3000:]
    _check_against_the_simulator(url, sim)
    assert not buffer.exists()


def test_a_buffer_that_cannot_be_read_is_kept_and_the_capture_goes_on(own_cluster, desk_env, reap) -> None:
    """A damaged buffer file (not a store) is named and kept as it is, and the capture does not stall on
    it: it captures into the desk from the desk's own cursor, and when the server goes down it sets the
    damaged file aside (its bytes intact, for support) and buffers into a new one."""
    from zn_ladder.store.desk.buffer import buffer_path
    from zn_ladder.store.desk.lease import lease_identity

    url = own_cluster.create_database()
    Store.open(url).close()
    path = buffer_path(Path(desk_env["ZN_LADDER_HOME"]) / "data", url, lease_identity(ENV, DEMO_API_KEY)[1])
    path.parent.mkdir(parents=True)
    damaged = b"not a store" * 100
    path.write_bytes(damaged)
    with SimulatorServer(SimConfig(step_interval=None, history_fills=7, page_size=50), host="127.0.0.1",
                         port=0) as sim:
        capture = Capture(desk_env, url, sim.url, interval="0.1")
        reap(capture)
        try:
            _, line = capture.wait_for("could not be uploaded", timeout=30)
            assert str(path) in line and "kept" in line
            capture.wait_for("took the capture lease", timeout=30)
            _wait(lambda: _holds_all(url, sim), 30, "the desk holds every published fill")
            assert path.read_bytes() == damaged
            own_cluster.pause()
            capture.wait_for("capturing into the local buffer", timeout=30)
            for _ in range(10):
                sim.market.step(1)
            _wait(lambda: _buffered_fills(path) > 0, 30, "fills in a new buffer")
            own_cluster.resume()
            capture.wait_for("uploaded the local buffer", timeout=30)
            _wait(lambda: _holds_all(url, sim), 30, "the desk holds every published fill")
        finally:
            out = capture.stop()
    assert capture.proc.returncode == 0, out[-3000:]
    assert out.count("could not be uploaded") == 1  # named once, not on every turn of the loop
    [aside] = path.parent.glob(path.name + ".unreadable-*")
    assert aside.read_bytes() == damaged
    _check_against_the_simulator(url, sim)


def test_once_with_the_server_down_is_one_line_and_exit_2(desk_env, run_cli) -> None:
    """`--once` is a check, not a capture: a desk database that cannot be reached is said in one line
    (naming it, without a password) and nothing is buffered."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://zn_capture@127.0.0.1:{port}/zn_desk"
    result = run_cli("monitor", "--once", "--db", url, "--demo")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot be reached" in result.stderr and f"127.0.0.1:{port}/zn_desk" in result.stderr
    assert not (Path(desk_env["ZN_LADDER_HOME"]) / "data" / "desk-buffer").exists()
