"""The doctor's clock skew is measured on the answered attempt alone (issue 13 §15): an answer that
came after retries and backoff said "2.8 s behind" against a simulator on the same PC."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from zn_ladder.tt.client import TTClient
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.doctor import _skew_check

from .conftest import UNLIMITED


def _flaky_tt(failures: int) -> ThreadingHTTPServer:
    """A TT on this PC (same clock) whose orders answer is 503 + Retry-After: 1 `failures` times."""
    left = [failures]

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)  # adds the Date header from this PC's clock
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._send(200, {"status": "Ok", "access_token": "t", "seconds_until_expiry": 3600})

        def do_GET(self):  # noqa: N802
            if left[0] > 0:
                left[0] -= 1
                return self._send(503, {"status": "Failed"}, {"Retry-After": "1"})
            self._send(200, {"status": "Ok", "lastPage": "true", "orders": []})

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_skew_after_retries_and_backoff_is_the_clock_not_the_wait():
    server = _flaky_tt(failures=3)
    client = TTClient(TTConnection(base_url=f"http://127.0.0.1:{server.server_address[1]}", app_key="k",
                                   app_secret="s", plan=UNLIMITED, token_min_interval=0, retries=4,
                                   backoff_factor=0.01, retry_after_max=1))
    try:
        client.orders()
        answer = client.last_answer
        assert answer.elapsed > 2.5 and answer.round_trip < 0.5  # three 1 s waits, then a quick answer
        check = _skew_check(client)
        assert check.ok
        seconds = float(check.detail.split(" s ")[0].split()[-1])
        assert seconds <= 0.75, check.detail  # the Date header's whole seconds, nothing more
    finally:
        client.close()
        server.shutdown()
        server.server_close()
