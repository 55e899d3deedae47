"""A fill record TT sends without a usable field: the cursor holds on it (asked again next poll); if it
stays unreadable it is skipped with a warning naming it, and the fills after it still arrive."""

import json
from http.server import BaseHTTPRequestHandler

from tests.loopback import serve, stop, url_of
from urllib.parse import parse_qs, urlsplit

from zn_ladder.tt.client import TTClient
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.fills_cursor import MAX_HOLDS

from .conftest import UNLIMITED

INSTRUMENT = {"id": "77", "alias": "ZN Dec26", "productSymbol": "ZN", "marketId": 7}


#: Stamps are T0 + ts: in the trading era (values.ERA_START_NS..ERA_END_NS).
T0 = 1_751_900_000_000_000_000


def fill(exec_id, ts, px=110.5):
    return {"execID": exec_id, "orderId": "o", "accountId": 1, "instrumentId": "77", "side": "1", "lastQty": 1.0,
            "lastPx": px, "timeStamp": T0 + ts, "execType": "F", "cumQty": 0}


class ScriptedTT:
    """A loopback TT whose fills list the test edits between polls."""

    def __init__(self) -> None:
        self.fills: list[dict] = []
        self.min_timestamps: list[int] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._send({"status": "Ok", "access_token": "t", "token_type": "bearer",
                            "seconds_until_expiry": 3600})

            def do_GET(self):  # noqa: N802
                url = urlsplit(self.path)
                if "/instrument/" in url.path:
                    return self._send({"status": "Ok", "instrument": [INSTRUMENT]})
                if url.path.rstrip("/").endswith(("/orders", "/position")):  # a desk capture reads these too
                    key = "orders" if url.path.rstrip("/").endswith("/orders") else "positions"
                    return self._send({"status": "Ok", "lastPage": "true", key: []})
                if url.path.rstrip("/").endswith("/orderdata"):  # the status names the orders are shown with
                    return self._send({"status": "Ok", "orderData": {"orderStatus": {"1": "Working"}}})
                since = int(parse_qs(url.query)["minTimestamp"][0])
                owner.min_timestamps.append(since)
                self._send({"status": "Ok", "lastPage": "true",
                            "fills": [f for f in owner.fills if f["timeStamp"] >= since]})

            def log_message(self, *args):
                pass

        self.server = serve(Handler)
        self.url = url_of(self.server)

    def close(self) -> None:
        stop(self.server)


def test_unreadable_fill_is_asked_again_then_skipped_with_a_warning():
    tt = ScriptedTT()
    client = TTClient(TTConnection(base_url=tt.url, app_key="k", app_secret="s", plan=UNLIMITED,
                                   token_min_interval=0))
    try:
        broken = fill("B", 200, px=None)
        tt.fills = [fill("A", 100), broken, fill("C", 300)]
        page = client.fills_since(None)
        assert [f.key for f in page.fills] == ["A", "C"] and page.warnings == ()
        assert page.cursor.min_timestamp == T0 + 200  # held on the broken record
        # TT sends it whole on the next poll: it arrives, C is not repeated
        broken["lastPx"] = 110.25
        page = client.fills_since(page.cursor)
        assert [f.key for f in page.fills] == ["B"] and page.cursor.min_timestamp == T0 + 300

        # a record that never becomes readable: held MAX_HOLDS polls, then skipped with a warning
        tt.fills.append(fill("D", 400, px="garbage"))
        tt.fills.append(fill("E", 500))
        cursor, delivered, warnings = page.cursor, [], []
        for _ in range(MAX_HOLDS + 1):
            page = client.fills_since(cursor)
            delivered += [f.key for f in page.fills]
            warnings += page.warnings
            cursor = page.cursor
        assert delivered == ["E"]
        assert len(warnings) == 1 and "execID D" in warnings[0] and "lastPx" in warnings[0]
        assert cursor.min_timestamp == T0 + 500 and not cursor.should_give_up
        assert tt.min_timestamps[-MAX_HOLDS - 1:] == [T0 + 300] + [T0 + 400] * MAX_HOLDS  # held, asked again, given up
    finally:
        client.close()
        tt.close()


def test_a_record_that_stays_unreadable_is_quarantined_then_recovered_at_the_next_start(cli_env, store_url):
    """Issue 13 §2: after MAX_HOLDS malformed answers a fill was marked seen and never fetched again. Now it
    is kept in the store's quarantine with its raw text (the fills around it stored), and the next start
    asks TT again from its time: served whole, it is stored and the quarantine entry resolved."""
    import subprocess
    import sys

    from zn_ladder.store.store import Store

    tt = ScriptedTT()
    db = store_url
    env = {**cli_env, "ZN_LADDER_TT_KEY": "k-123456", "ZN_LADDER_TT_SECRET": "s-123456"}

    def monitor(seconds: float) -> None:
        proc = subprocess.Popen([sys.executable, "-m", "zn_ladder", "monitor", "--no-sod", "--db", str(db),
                                 "--base-url", tt.url, "--env", "sim", "--plan", "high", "--interval", "0.05"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().startswith("monitoring")
        try:
            proc.wait(seconds)
        except subprocess.TimeoutExpired:
            proc.terminate()
        proc.communicate(timeout=30)

    try:
        broken = fill("D", 400, px="garbage")
        tt.fills = [fill("A", 100), broken, fill("E", 500)]
        monitor(3.0)
        with Store.open(db) as store:
            assert sorted(f.key for f in store.fills()) == ["A", "E"]
            (held,) = store.quarantined()
            assert held.name == "D" and held.time_ns == broken["timeStamp"] and '"garbage"' in held.raw and "lastPx" in held.reason
        broken["lastPx"] = 110.25  # TT serves it whole now
        monitor(3.0)
        with Store.open(db) as store:
            assert sorted(f.key for f in store.fills()) == ["A", "D", "E"]  # once each
            assert store.quarantined() == []
    finally:
        tt.close()


def test_doctor_lists_what_is_set_aside(cli_env, store_url):
    """Issue 13 §2: a quarantined record is shown by `doctor` too (a FAIL line naming it, its raw text)."""
    import subprocess
    import sys
    from types import SimpleNamespace

    from zn_ladder.store.store import Store
    from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

    db = store_url
    record = SimpleNamespace(name="X9", time_ns=1_751_900_000_000_000_000, raw='{"lastPx": "garbage"}',
                             reason="lastPx 'garbage' is not a price")
    with Store.open(db) as store:
        store.ingest([], quarantined=[record], environment="ext_prod_sim")
    env = {**cli_env, "ZN_LADDER_TT_KEY": DEMO_API_KEY, "ZN_LADDER_TT_SECRET": DEMO_API_SECRET}
    with SimulatorServer(SimConfig(step_interval=None), host="127.0.0.1", port=0) as sim:
        out = subprocess.run([sys.executable, "-m", "zn_ladder", "doctor", "--base-url", sim.url, "--env", "sim",
                              "--db", str(db)], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "quarantine X9" in out.stdout and "garbage" in out.stdout
