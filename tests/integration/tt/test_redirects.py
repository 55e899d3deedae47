"""TT's gateway may answer 303 See Other: the client follows it (and counts every hop in the budget).

The redirecting front is same-origin (as TT's is): it sends each request to `/moved/...` on itself and
forwards that to the simulator. requests drops the Authorization header on a redirect to another
origin, on purpose: a bearer token must never leak to a host we did not choose.
"""

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
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
