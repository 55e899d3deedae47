"""The TT client against the simulator over real HTTP on 127.0.0.1, with backoff kept small."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from zn_ladder.tt.budget import Plan, RequestBudget
from zn_ladder.tt.client import TTClient
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

#: A fixed simulated clock so that a seed gives the same market on every run.
START_NS = 1_790_000_000_000_000_000
#: A plan that never paces (tests that are not about the budget must not wait on it).
UNLIMITED = Plan("unlimited", 100_000, 10_000_000)


@pytest.fixture
def sim_server():
    """`with sim_server(**SimConfig fields) as sim:` a manual-stepping simulator on a free port."""

    @contextlib.contextmanager
    def start(**kw) -> Iterator[SimulatorServer]:
        kw.setdefault("step_interval", None)
        kw.setdefault("start_time_ns", START_NS)
        kw.setdefault("seed", 7)
        with SimulatorServer(SimConfig(**kw), host="127.0.0.1", port=0) as sim:
            yield sim

    return start


def connection(sim: SimulatorServer, **kw) -> TTConnection:
    base = {"base_url": sim.url, "env": "ext_prod_sim", "app_key": DEMO_API_KEY, "app_secret": DEMO_API_SECRET,
            "app_name": "znladder", "company": "tests", "plan": UNLIMITED, "timeout": (1.0, 2.0), "retries": 4,
            "backoff_factor": 0.01, "backoff_max": 0.05, "backoff_jitter": 0.01, "retry_after_max": 1,
            "token_min_interval": 0.0}
    base.update(kw)
    return TTConnection(**base)


@pytest.fixture
def make_client():
    """`make_client(sim, budget=None, **TTConnection fields)`; every client is closed after the test."""
    clients: list[TTClient] = []

    def make(sim: SimulatorServer, budget: RequestBudget | None = None, **kw) -> TTClient:
        client = TTClient(connection(sim, **kw), budget=budget)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def log_entries(sim: SimulatorServer) -> list[tuple[str, str, int]]:
    """(method, path without query, status) of every request the simulator answered, in order."""
    return [(e[0], e[1].split("?")[0], int(e[2])) for e in list(sim.request_log)]


def requests_to(sim: SimulatorServer, fragment: str) -> list[tuple]:
    return [e for e in log_entries(sim) if fragment in e[1]]
