"""Fixtures that start real simulators on 127.0.0.1 and talk to them with `requests`, as TT's clients do."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

START_NS = 1_790_000_000_000_000_000


def request_id() -> str:
    return f"znladder-tests--{uuid.uuid4()}"


class TTCaller:
    """A deliberately plain TT caller: the headers and form body of TT_API.md, nothing more."""

    def __init__(self, sim: SimulatorServer, key: str = DEMO_API_KEY, secret: str = DEMO_API_SECRET) -> None:
        self.sim = sim
        self.key, self.secret = key, secret
        self.session = requests.Session()
        self.token: str | None = None

    def post_token(self, **overrides: Any) -> requests.Response:
        env = overrides.pop("env", self.sim.config.env)
        data = overrides.pop("data", {"grant_type": "user_app", "app_key": f"{self.key}:{self.secret}"})
        headers = {"x-api-key": self.key, **overrides.pop("headers", {})}
        return self.session.post(f"{self.sim.url}/ttid/{env}/token", params={"requestId": request_id()},
                                 headers=headers, data=data, timeout=10)

    def login(self) -> str:
        answer = self.post_token()
        assert answer.status_code == 200, answer.text
        self.token = answer.json()["access_token"]
        return self.token

    def get(self, path: str, *, headers: dict[str, str] | None = None, timeout: float = 10,
            request_id_value: str | None = "fresh", **params: Any) -> requests.Response:
        """GET /<service>/<env>/<path> (path without the env, e.g. "ttledger/orders")."""
        service, _, rest = path.partition("/")
        url = f"{self.sim.url}/{service}/{self.sim.config.env}/{rest}"
        if request_id_value == "fresh":
            params["requestId"] = request_id()
        elif request_id_value is not None:
            params["requestId"] = request_id_value
        base = {"x-api-key": self.key, "accept": "application/json"}
        if self.token:
            base["Authorization"] = f"Bearer {self.token}"
        return self.session.get(url, params=params, headers={**base, **(headers or {})}, timeout=timeout)

    def all_fills(self, min_ts: int = 0) -> list[dict[str, Any]]:
        """Every record of the fills list from min_ts, following nextPageKey."""
        out: list[dict[str, Any]] = []
        key = None
        while True:
            params: dict[str, Any] = {"minTimestamp": min_ts}
            if key:
                params["nextPageKey"] = key
            body = self.get("ttledger/fills", **params).json()
            assert body["status"] == "Ok"
            out.extend(body["fills"])
            if body["lastPage"] == "true":
                return out
            assert body["lastPage"] == "false"
            key = body["nextPageKey"]


@pytest.fixture
def start_sim() -> Iterator:
    """start_sim(**SimConfig fields) -> a running SimulatorServer (manual market by default), stopped after."""
    started: list[SimulatorServer] = []
    baseline = set(threading.enumerate())

    def start(**fields: Any) -> SimulatorServer:
        fields.setdefault("step_interval", None)
        fields.setdefault("start_time_ns", START_NS)
        sim = SimulatorServer(SimConfig(**fields)).start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()
    leaked = [t for t in threading.enumerate() if t not in baseline and t.name.startswith(("ttsim", "Thread"))]
    assert not leaked, f"threads left running: {leaked}"


@pytest.fixture
def sim(start_sim) -> SimulatorServer:
    return start_sim()


@pytest.fixture
def tt(sim) -> TTCaller:
    caller = TTCaller(sim)
    caller.login()
    return caller
