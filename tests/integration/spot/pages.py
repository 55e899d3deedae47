"""Pages like Pricing Monkey's, served on 127.0.0.1 by the tests (and the spot benchmark).

Each path is one situation the reader must handle: the grid itself, a value filled in by JavaScript
after a delay, a value ticking up on a timer, a page behind a cookie login, a page that never answers,
a cell with garbage.
"""

from __future__ import annotations

import threading
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

SESSION_COOKIE = "pm_session"

_GRID = """<!doctype html><html><head><title>Pricing Monkey</title></head><body>
<table role="grid" id="sheet">
 <tr role="row"><th role="columnheader">Contract</th><th role="columnheader">Bid</th>
  <th role="columnheader">Mid</th><th role="columnheader">Ask</th></tr>
 <tr role="row" data-row="ZN"><td role="gridcell">ZN Dec26</td><td role="gridcell" class="bid">110-08.0</td>
  <td role="gridcell" class="mid" aria-label="ZN mid" id="zn-mid">{zn}</td><td role="gridcell" class="ask">110-09.0</td></tr>
 <tr role="row" data-row="ZF"><td role="gridcell">ZF Dec26</td><td role="gridcell" class="bid">108-01.25</td>
  <td role="gridcell" class="mid" aria-label="ZF mid" id="zf-mid">108-01.375</td><td role="gridcell" class="ask">108-01.5</td></tr>
 <tr role="row" data-row="ZB"><td role="gridcell">ZB Dec26</td><td role="gridcell" class="bid">115-08</td>
  <td role="gridcell" class="mid" aria-label="ZB mid" id="zb-mid">115-08.5</td><td role="gridcell" class="ask">115-09</td></tr>
</table></body></html>"""

_DELAYED = """<!doctype html><html><body><table><tr><td>ZN</td><td id="zn-mid"></td></tr></table>
<script>setTimeout(() => {{ document.getElementById('zn-mid').textContent = '{value}'; }}, {ms});</script>
</body></html>"""

_LATE_CELL = """<!doctype html><html><body><div id="grid">loading...</div>
<script>setTimeout(() => {{ document.getElementById('grid').innerHTML =
  '<span id="zn-mid">{value}</span>'; }}, {ms});</script></body></html>"""

# Starts at 110-08.0 and adds 1/64 (half a 32nd) every `ms` milliseconds; `data-n` counts the ticks.
_TICKING = """<!doctype html><html><body><div id="zn-mid" data-n="0">110-08.0</div>
<script>let n = 0; setInterval(() => {{ n += 1; const t = 110 * 64 + 16 + n, h = t % 64;
  const cell = document.getElementById('zn-mid');
  cell.textContent = Math.floor(t / 64) + '-' + String(Math.floor(h / 2)).padStart(2, '0') + (h % 2 ? '.5' : '.0');
  cell.dataset.n = n; }}, {ms});</script></body></html>"""

_LOGIN = """<!doctype html><html><body><form action="/login"><input name="user"><button>Log in</button></form>
</body></html>"""

_INPUT = """<!doctype html><html><body><input id="zn-mid" value="110-16+"></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    server: PagesServer

    def log_message(self, *_: object) -> None:  # keep test output quiet
        pass

    def _send(self, body: str, status: int = 200, headers: dict[str, str] | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlparse(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        self.server.hits[url.path] = self.server.hits.get(url.path, 0) + 1
        if url.path == "/grid":
            self._send(_GRID.format(zn=q.get("zn", self.server.zn_mid)))
        elif url.path == "/delayed":
            self._send(_DELAYED.format(value=q.get("value", "110-16.5"), ms=int(q.get("ms", "500"))))
        elif url.path == "/late-cell":
            self._send(_LATE_CELL.format(value=q.get("value", "110-16.5"), ms=int(q.get("ms", "500"))))
        elif url.path == "/ticking":
            self._send(_TICKING.format(ms=int(q.get("ms", "1000"))))
        elif url.path == "/garbage":
            self._send('<html><body><div id="zn-mid">#N/A</div></body></html>')
        elif url.path == "/input":
            self._send(_INPUT)
        elif url.path == "/never":
            # Accept the connection, never answer (until the server stops).
            self.server.stopping.wait(30)
        elif url.path == "/login":
            if "user" in q:
                self._send("", 302, {"Location": "/secure",
                                     "Set-Cookie": f"{SESSION_COOKIE}=ok; Path=/; Max-Age=86400; SameSite=Lax"})
            else:
                self._send(_LOGIN)
        elif url.path == "/secure":
            cookie = SimpleCookie(self.headers.get("Cookie", ""))
            if cookie.get(SESSION_COOKIE) and cookie[SESSION_COOKIE].value == "ok":
                self._send(_GRID.format(zn=self.server.zn_mid))
            else:
                self._send("", 302, {"Location": "/login"})
        else:
            self._send("<html><body>not found</body></html>", 404)


class PagesServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()
        self.hits: dict[str, int] = {}
        self.zn_mid = "110-08.5"
        self._thread = threading.Thread(target=self.serve_forever, name="spot-pages", daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> PagesServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self._thread.join(5)
