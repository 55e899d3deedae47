"""`zn-ladder monitor --schedule`, on a SQLite store and as a desk's capture: outside the capture window it sends TT nothing and stops at once on
SIGTERM; inside it captures as usual; the settings' capture.schedule applies when the flag is absent.

"TT" for the closed-window tests is a loopback HTTP server that counts every request it gets.
"""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET


def window(start_in: timedelta, length: timedelta) -> str:
    """A daily window in UTC opening `start_in` from now (negative: it opened already)."""
    now = datetime.now(timezone.utc)
    start, end = now + start_in, now + start_in + length
    return f"Mon-Sun {start:%H:%M}-{end:%H:%M} UTC"


def closed() -> str:
    return window(timedelta(hours=12), timedelta(minutes=1))


def open_now() -> str:
    return window(timedelta(hours=-2), timedelta(hours=4))


def lines_of(proc: subprocess.Popen) -> queue.Queue:
    """The process's stdout lines as they come, so a test waits with a deadline, not forever."""
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


@pytest.fixture
def counting_tt():
    """A server that answers 500 to anything and counts requests: the monitor must send it none."""
    count = {"n": 0}

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            count["n"] += 1
            self.send_response(500)
            self.end_headers()

        do_GET = do_POST = _any

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", count
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env.update({"ZN_LADDER_TT_KEY": DEMO_API_KEY, "ZN_LADDER_TT_SECRET": DEMO_API_SECRET})
    return cli_env


def test_outside_the_window_it_sleeps_without_a_request_and_stops_at_once(counting_tt, env, store_url: str):
    url, count = counting_tt
    proc = subprocess.Popen([sys.executable, "-m", "zn_ladder", "monitor", "--db", store_url,
                             "--base-url", url, "--interval", "0.05", "--schedule", closed()],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = lines_of(proc)
    try:
        assert lines.get(timeout=30).startswith("monitoring")
        line = lines.get(timeout=30)
        if "took the capture lease" in line:  # a desk database: the desk's one capture
            line = lines.get(timeout=30)
        assert "outside the capture window" in line and "sleeping until" in line, line
        time.sleep(1.5)
        assert count["n"] == 0
        asked = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        assert time.monotonic() - asked < 3  # a slice of at most a second, then a clean exit
    finally:
        proc.kill()
    assert proc.returncode == 0, proc.stderr.read()
    last = lines.get(timeout=10)  # the process has exited: its last line is already on its way
    assert last.startswith("stopped: 0 polls") and count["n"] == 0


def test_once_outside_the_window_polls_nothing(counting_tt, env, run_cli, store_url: str):
    url, count = counting_tt
    result = run_cli("monitor", "--db", store_url, "--base-url", url, "--once",
                     "--schedule", closed())
    assert result.returncode == 0, result.stderr
    assert "nothing polled" in result.stdout and count["n"] == 0


def test_inside_the_window_it_captures(env, run_cli, store_url: str):
    result = run_cli("monitor", "--db", store_url, "--demo", "--once", "--schedule", open_now())
    assert result.returncode == 0, result.stderr
    assert "capture window open until" in result.stdout and "stopped: 1 polls" in result.stdout


def test_the_settings_window_applies_unless_the_flag_says_always(counting_tt, env, run_cli, store_url: str):
    url, count = counting_tt
    assert run_cli("config", "set", "capture.schedule", closed()).returncode == 0
    db = store_url
    asleep = run_cli("monitor", "--db", db, "--base-url", url, "--once")
    assert asleep.returncode == 0 and "nothing polled" in asleep.stdout and count["n"] == 0
    always = run_cli("monitor", "--db", db, "--demo", "--once", "--schedule", "always")
    assert always.returncode == 0, always.stderr
    assert "stopped: 1 polls" in always.stdout


def test_a_bad_schedule_is_one_line_and_exit_2(env, run_cli, store_url: str):
    result = run_cli("monitor", "--db", store_url, "--schedule", "Sun-Fri 16:45-16:15 Mars/Base")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "--schedule" in result.stderr and "Mars/Base" in result.stderr
