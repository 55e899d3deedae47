"""TT's gateway may answer 303 See Other: the client follows it (and counts every hop in the budget).

The redirecting front is same-origin (as TT's is): it sends each request to `/moved/...` on itself and
forwards that to the simulator. requests drops the Authorization header on a redirect to another
origin, on purpose: a bearer token must never leak to a host we did not choose.
"""

import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.loopback import serve, stop, url_of

from .conftest import log_entries

FORWARDED = ("x-api-key", "authorization", "accept", "content-type")


def redirecting_front(target: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if not self.path.startswith("/moved/"):
                # GET: 303 See Other; POST: 307 keeps the method and body (the token request survives)
                self.send_response(303 if method == "GET" else 307)
                self.send_header("Location", "/moved" + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() in FORWARDED}
            request = urllib.request.Request(target + self.path[len("/moved"):], data=body, headers=headers,
                                             method=method)
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:
                    status, payload, kind = answer.status, answer.read(), answer.headers.get("Content-Type")
            except urllib.error.HTTPError as exc:
                status, payload, kind = exc.code, exc.read(), exc.headers.get("Content-Type")
            self.send_response(status)
            self.send_header("Content-Type", kind or "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):  # noqa: N802
            self._handle("GET")

        def do_POST(self):  # noqa: N802
            self._handle("POST")

        def log_message(self, *args):
            pass

    server = serve(Handler)
    return server


def test_303_is_followed_and_every_hop_is_budgeted(sim_server, make_client):
    with sim_server() as sim:
        front = redirecting_front(sim.url)
        try:
            client = make_client(sim, base_url=f"http://127.0.0.1:{front.server_address[1]}")
            result = client.orders()
            assert {o.order_id for o in result.orders} == {o["orderId"] for o in sim.market.working_orders()}
            served = log_entries(sim)
            assert [(m, s) for m, p, s in served] == [("POST", 200), ("GET", 200), ("GET", 200)]
            assert client.budget.usage().used_today == 2 * len(served)  # the 303/307 hops count too
        finally:
            front.shutdown()
            front.server_close()


class _Recorder:
    """A second loopback server, another origin: it records every request that reaches it."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict, bytes]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                owner.seen.append((method, self.path, dict(self.headers), self.rfile.read(length) if length else b""))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                body = b'{"status": "Ok", "access_token": "stolen", "seconds_until_expiry": 3600, "orders": []}'
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802
                self._record("GET")

            def do_POST(self):  # noqa: N802
                self._record("POST")

            def log_message(self, *args):
                pass

        self.server = serve(Handler)
        self.url = url_of(self.server)

    def close(self) -> None:
        stop(self.server)


def _front_to(target: str, *, post_status: int, get_status: int, forward_post: str | None = None) -> ThreadingHTTPServer:
    """A TT front that redirects POSTs and GETs to `target` (another origin), or forwards POSTs."""

    class Handler(BaseHTTPRequestHandler):
        def _redirect(self, status: int) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if status == 0 and forward_post:  # pass the token request through to the real TT
                request = urllib.request.Request(forward_post + self.path, data=body, method="POST",
                                                 headers={k: v for k, v in self.headers.items()
                                                          if k.lower() in FORWARDED})
                with urllib.request.urlopen(request, timeout=5) as answer:
                    payload = answer.read()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            self.send_response(status)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            self._redirect(get_status)

        def do_POST(self):  # noqa: N802
            self._redirect(post_status)

        def log_message(self, *args):
            pass

    server = serve(Handler)
    return server


import pytest  # noqa: E402

from zn_ladder.domain.errors import TTError  # noqa: E402


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_of_the_token_post_to_another_origin_is_not_followed(sim_server, make_client, status):
    """The token POST carries app_key=KEY:SECRET: a 307/308 would resend it to the other host."""
    evil = _Recorder()
    with sim_server() as sim:
        front = _front_to(evil.url, post_status=status, get_status=303)
        try:
            client = make_client(sim, base_url=f"http://127.0.0.1:{front.server_address[1]}")
            with pytest.raises(TTError, match="another origin"):
                client.orders()
            assert evil.seen == []  # nothing at all reached the other origin: no key, no secret
        finally:
            front.shutdown()
            front.server_close()
            evil.close()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_of_a_data_get_to_another_origin_is_not_followed(sim_server, make_client, status):
    """A GET carries x-api-key and the bearer token: neither may reach another host."""
    evil = _Recorder()
    with sim_server() as sim:
        front = _front_to(evil.url, post_status=0, get_status=status, forward_post=sim.url)
        try:
            client = make_client(sim, base_url=f"http://127.0.0.1:{front.server_address[1]}")
            with pytest.raises(TTError, match="another origin"):
                client.orders()
            assert evil.seen == []
            assert client.budget.usage().used_today >= 2  # the token POST and the refused GET were counted
        finally:
            front.shutdown()
            front.server_close()
            evil.close()
