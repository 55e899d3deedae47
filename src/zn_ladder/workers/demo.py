"""DEMO mode: the built-in TT simulator, started off the GUI thread, and a connection to it.

With no credentials the app runs against `zn_ladder.tt.sim` on 127.0.0.1 (a random free port), so the
first launch shows a moving ladder, working orders and fills with no set-up. The simulator binds a
socket and starts its threads; that happens on a plain thread and the result comes back as a signal,
so the window paints at once. Its request budget is a generous private plan: the demo polls fast to
look alive, and the simulator counts nothing against a real TT key.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import Price
from zn_ladder.tt.budget import Plan

log = logging.getLogger(__name__)

#: The demo's budget: far above what its fast polling uses in a day.
DEMO_PLAN = Plan("demo", 50, 10_000_000)
#: Poll intervals of the demo (seconds): orders, fills, positions, spot.
DEMO_INTERVALS = {"orders_s": 1.0, "fills_s": 1.0, "positions_s": 5.0, "spot_s": 0.5}


#: The DEMO's first launch is in roll week: the first account holds and trades the next month (ZN
#: Mar27) beside the front (ZN Dec26), so the window opens a ladder for each (issue 14 §15).
ROLL_WEEK = {"next_accounts": (1334000,)}


def demo_sim_config(seed: int = 24, step_interval: float = 0.5, **overrides: Any) -> Any:
    from zn_ladder.tt.sim import SimConfig

    values: dict[str, Any] = {"seed": seed, "step_interval": step_interval, "history_fills": 30}
    values.update(overrides)
    return SimConfig(**values)


def demo_connection(url: str, env: str = "ext_prod_sim", **overrides: Any) -> Any:
    from zn_ladder.tt.connection import TTConnection
    from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET

    values: dict[str, Any] = {"base_url": url, "env": env, "app_key": DEMO_API_KEY,
                              "app_secret": DEMO_API_SECRET, "app_name": "znladder", "company": "demo",
                              "plan": DEMO_PLAN, "token_min_interval": 0.0, "timeout": (2.0, 5.0), "retries": 1,
                              "backoff_max": 1.0}
    values.update(overrides)
    return TTConnection(**values)


class SimulatorHost(QObject):
    """Owns one `SimulatorServer`; `ready(url)` or `failed(message)` once it is listening."""

    ready = Signal(str)
    failed = Signal(str)

    def __init__(self, config: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.server: Any = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stopped = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="zn-sim-start", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            from zn_ladder.tt.sim import SimulatorServer

            server = SimulatorServer(self.config, host="127.0.0.1", port=0)
            server.__enter__()
        except Exception as exc:  # reported in the banner; the window stays usable (manual spot)
            log.exception("the built-in simulator did not start")
            self.failed.emit(f"the built-in TT simulator did not start: {exc}")
            return
        with self._lock:
            if self._stopped:
                server.__exit__(None, None, None)
                return
            self.server = server
        log.info("DEMO: built-in TT simulator on %s", server.url)
        self.ready.emit(server.url)

    def wait_started(self, timeout_s: float = 10.0) -> bool:
        if self._thread is not None:
            self._thread.join(timeout_s)
        return self.server is not None

    def price(self) -> Price:
        """The simulated market's price: the demo's spot."""
        server = self.server
        if server is None:
            raise RuntimeError("the simulator is not running")
        return Price.from_ticks(server.market.price_ticks, get_product("ZN"))

    def price_of(self, contract: str) -> Price:
        """The simulated market's price of one contract it trades (roll week: the next month trades the
        roll spread under the front); a contract it does not trade has no price."""
        from zn_ladder.tt.sim import reference as ref

        server = self.server
        if server is None:
            raise RuntimeError("the simulator is not running")
        ids = {ref.INSTRUMENT_ALIAS: ref.INSTRUMENT_ID, ref.NEXT_ALIAS: ref.NEXT_INSTRUMENT_ID}
        if contract not in ids:
            raise RuntimeError(f"the simulator does not trade {contract}")
        return Price.from_ticks(server.market.price_of(ids[contract]), get_product("ZN"))

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.join(10.0)
        with self._lock:
            self._stopped = True
            server, self.server = self.server, None
        if server is not None:
            server.__exit__(None, None, None)
