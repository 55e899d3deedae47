"""A TT-compatible REST simulator on loopback: the desktop's DEMO mode and the client's test double.

`SimulatorServer(SimConfig(...))` serves TT's paths, headers, status codes and body shapes
(see shared TT_API.md) from a seeded `Market`; it can be strict, rate-limited and faulty on demand.
"""

from __future__ import annotations

from zn_ladder.tt.sim.config import DEMO_API_KEY, DEMO_API_SECRET, FAULT_KINDS, SimConfig
from zn_ladder.tt.sim.market import Market
from zn_ladder.tt.sim.server import SimulatorServer

__all__ = ["DEMO_API_KEY", "DEMO_API_SECRET", "FAULT_KINDS", "Market", "SimConfig", "SimulatorServer"]
