"""The simulator's HTTP server: TT's gateway rules in front of the routes, on loopback threads.

Checks run in the order TT's gateway applies them, so a client sees the same status for the same
mistake: path casing and a GET's Content-Type (403, with the AWS gateway's confusing message),
requestId (403), environment and app key (403), rate limits (429), faults, then the token (401),
then the endpoint. HTTP/1.1 keep-alive is on (clients pool connections); `stop()` closes open
connections, ends hangs and latency waits at once, and joins every thread it started.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qs, parse_qsl, urlsplit

from zn_ladder.tt.sim import faults
from zn_ladder.tt.sim.config import SimConfig
from zn_ladder.tt.sim.market import Market
from zn_ladder.tt.sim.ratelimit import RateLimiter
from zn_ladder.tt.sim.routes import Answer, Routes, error, ok
from zn_ladder.tt.sim.tokens import TokenStore

log = logging.getLogger(__name__)

SERVICES = ("ttid", "ttledger", "ttmonitor", "ttpds", "ttuser")
GATEWAY_MESSAGE = "Invalid key=value pair (missing equal-sign) in Authorization header"
_UUID4 = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
#: Marks a request that followed a "redirect" fault, so that it is not faulted again.
_REDIRECTED = "ttsimRedirected"
REQUEST_ID = re.compile(rf"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+--{_UUID4}$")


class LoggedRequest(NamedTuple):
    method: str
    path: str
    status: int
    time: float


@dataclass(frozen=True)
class RequestRecord:
    """One request as the simulator saw it (for tests of headers, ids and budgets)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int
    time: float
    fault: str | None = None


def _gateway_403(message: str = GATEWAY_MESSAGE) -> Answer:
    answer = error(403, "Forbidden", message)
    answer.body["message"] = message
    return answer


class _HTTPServer(ThreadingHTTPServer):
    # Non-daemon handler threads, joined by server_close(): a stopped simulator leaves no thread behind.
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sim: SimulatorServer) -> None:
        self.sim = sim
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ttsim/1.0"
    #: Idle keep-alive connections close after this long (stop() closes them at once).
    timeout = 30
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms per answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.sim._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.sim._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self.server.sim._serve(self, "GET")

    def do_POST(self) -> None:
        self.server.sim._serve(self, "POST")

    def do_PUT(self) -> None:
        self.server.sim._serve(self, "PUT")

    def do_DELETE(self) -> None:
        self.server.sim._serve(self, "DELETE")


class SimulatorServer:
    """`with SimulatorServer(SimConfig(...)) as sim:` serves on `sim.url` until the block ends."""

    def __init__(self, config: SimConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimConfig()
        self.market = Market(self.config)
        self._host, self._port = host, port
        self._tokens = TokenStore(self.config.token_lifetime)
        self._limits = RateLimiter(self.config.rate_limit, self.config.daily_limit,
                                   self.config.token_post_interval)
        self._faults = faults.FaultPlan(self.config.seed, self.config.fault_rate, self.config.fault_kinds)
        self._routes = Routes(self.market, self.config.page_size, self.config.accounts)
        self._stop = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        #: Every request seen (the latest 100,000: a demo left running all day must not grow without bound).
        self.requests: deque[RequestRecord] = deque(maxlen=100_000)

    # ------------------------------------------------------------------ lifecycle
    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the simulator is not running; call start() or use it as a context manager")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SimulatorServer:
        if self._httpd is not None:
            return self
        self._stop.clear()
        self._httpd = _HTTPServer((self._host, self._port), self)
        serve = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                 name="ttsim-http", daemon=True)
        self._threads = [serve]
        if self.config.step_interval is not None:
            self._threads.append(threading.Thread(target=self._run_market, name="ttsim-market", daemon=True))
        for thread in self._threads:
            thread.start()
        log.info("TT simulator serving %s (env %s, seed %s)", self.url, self.config.env, self.config.seed)
        return self

    def stop(self) -> None:
        """Stop serving: ends hangs and waits, closes connections, joins every thread. Idempotent."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stop.set()
        httpd.shutdown()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        httpd.server_close()  # joins the handler threads
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until stop() (or the timeout); True when stopped."""
        return self._stop.wait(timeout)

    # ------------------------------------------------------------------ test controls
    def revoke_key(self) -> None:
        self._tokens.revoke_key()

    def restore_key(self) -> None:
        self._tokens.restore_key()

    def expire_tokens(self) -> None:
        self._tokens.expire_all()

    @property
    def tokens_issued(self) -> int:
        return self._tokens.issued

    @property
    def faults_drawn(self) -> dict[str, int]:
        return dict(self._faults.drawn)

    @property
    def request_log(self) -> list[LoggedRequest]:
        """(method, path without query, status, time.time()) of every request answered so far."""
        with self._lock:
            return [LoggedRequest(r.method, r.path, r.status, r.time) for r in self.requests]

    # ------------------------------------------------------------------ internals
    def _run_market(self) -> None:
        interval = float(self.config.step_interval or 0.5)
        while not self._stop.wait(interval):
            try:
                self.market.step(1)
            except Exception:  # keep serving even if a step breaks; the log says why
                log.exception("market step failed")

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def _serve(self, handler: _Handler, method: str) -> None:
        split = urlsplit(handler.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in handler.headers.items()}
        try:
            length = int(headers.get("content-length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            answer, fault = error(400, "Failed", "Content-Length is not a number"), None
            handler.close_connection = True  # the rest of the stream cannot be framed
        else:
            try:
                body = handler.rfile.read(length) if length else b""
                answer, fault = self._decide(method, split.path, query, headers, body)
            except Exception:  # a bug here must answer 500, not drop the connection
                log.exception("simulator failed on %s %s", method, split.path)
                answer, fault = error(500, "Error", "the simulator failed on this request"), None
        if fault == "redirect" and method == "GET":
            answer = Answer(303, {"status": "See Other", "status_message": "moved"},
                            {"Location": f"{split.path}?{split.query}&{_REDIRECTED}=1"})
        if fault == "hang":
            if self._stop.wait(self.config.hang_seconds):
                handler.close_connection = True
                self._record(method, split.path, query, headers, 0, fault)
                return
            answer = error(504, "Gateway Timeout", "the endpoint did not answer in time")
        if self.config.latency_ms and self._stop.wait(self.config.latency_ms / 1000):
            handler.close_connection = True
            return
        payload, content_type = self._encode(answer, fault)
        self._record(method, split.path, query, headers, answer.status, fault)
        try:
            handler.send_response(answer.status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(payload)))
            for name, value in answer.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            handler.close_connection = True

    def _record(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
                status: int, fault: str | None) -> None:
        with self._lock:
            self.requests.append(RequestRecord(method, path, query, headers, status, time.time(), fault))

    @staticmethod
    def _encode(answer: Answer, fault: str | None) -> tuple[bytes, str]:
        if answer.status == 200 and fault == "non_json":
            return faults.NON_JSON_BODY, "text/html"
        body = answer.body
        if answer.status == 200 and fault == "not_ok":
            body = {"status": "Failed", "status_message": "simulated: the service could not answer now"}
        elif answer.status == 200 and fault == "null_field":
            body = faults.null_a_field(body)
        elif answer.status == 200 and fault == "missing_field":
            body = faults.drop_a_field(body)
        elif answer.status == 200 and fault == "string_numbers":
            body = faults.numbers_as_strings(body)
        return json.dumps(body).encode(), "application/json"

    def _decide(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
                body: bytes) -> tuple[Answer, str | None]:
        segments = [s for s in path.split("/") if s]
        if len(segments) < 3:
            return _gateway_403("Missing Authentication Token"), None
        service, env, parts = segments[0], segments[1], segments[2:]
        if service != service.lower() or env != env.lower():
            return _gateway_403(), None
        if service not in SERVICES:
            return _gateway_403("Missing Authentication Token"), None
        if method == "GET" and "content-type" in headers:
            return _gateway_403(), None
        request_id = query.get("requestId")
        if not request_id or not REQUEST_ID.match(request_id):
            return error(403, "Forbidden", "requestId is missing or not <app>-<company>--<uuid4>"), None
        if env != self.config.env:
            return error(403, "Forbidden", f"this app key is not valid for environment {env!r}"), None
        if headers.get("x-api-key") != self.config.api_key:
            return error(403, "Forbidden", "missing or unknown x-api-key"), None
        is_token = service == "ttid"
        if is_token and not (method == "POST" and parts == ["token"]):
            return error(404 if method == "POST" else 405, "Failed", "ttid serves POST /ttid/<env>/token"), None
        if not is_token and method != "GET":
            return error(405, "Failed", "the data endpoints are read with GET"), None
        if not is_token and not self._routes.knows(service, parts[0]):
            return error(404, "Not Found", f"no endpoint {path}"), None
        wait = self._limits.admit(is_post=is_token)
        if wait is not None:
            answer = error(429, "Too Many Requests", "request rate above the app key's usage plan")
            if self.config.retry_after:
                answer.headers["Retry-After"] = self._limits.retry_after_header(wait)
            return answer, None
        eligible = (not is_token or self.config.fault_token) and _REDIRECTED not in query
        fault = self._faults.draw() if eligible else None
        if fault in ("500", "502", "503", "504"):
            return error(int(fault), "Error", f"simulated server error {fault}"), fault
        if is_token:
            return self._token(headers, body), fault
        bearer = headers.get("authorization", "")
        token = bearer[7:].strip() if bearer[:7].lower() == "bearer " else None
        problem = self._tokens.problem(token)
        if problem is not None:
            return error(401, "Unauthorized", f"access token {problem}: request a new token"), None
        return self._routes.answer(service, parts, query), fault

    def _token(self, headers: dict[str, str], body: bytes) -> Answer:
        if "application/x-www-form-urlencoded" not in headers.get("content-type", ""):
            return error(400, "Failed", "the token request body must be application/x-www-form-urlencoded")
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "user_app":
            return error(400, "Failed", "grant_type must be user_app")
        expected = f"{self.config.api_key}:{self.config.api_secret}"
        if form.get("app_key") != expected or self._tokens.key_revoked:
            return error(401, "Unauthorized", "invalid app key or secret")
        token, lifetime = self._tokens.issue()
        seconds = int(lifetime) if float(lifetime).is_integer() else lifetime
        return ok(access_token=token, token_type="bearer", seconds_until_expiry=seconds)
