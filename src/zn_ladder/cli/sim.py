"""`zn-ladder sim`: run the TT-compatible simulator on loopback until SIGINT/SIGTERM.

For support staff and developers: point the app (or curl) at the printed URL to see the DEMO TT, with
the strictness, limits and faults a test needs. The URL is the first line on stdout, flushed at once,
so a script can start the command and read where it listens.
"""

from __future__ import annotations

import argparse

from zn_ladder.cli.arg_types import fraction, port, seconds, whole

ORDER = 90


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sim", help="serve the built-in TT simulator (DEMO TT) on loopback until stopped")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=port, default=0, help="port (default 0: any free port)")
    p.add_argument("--seed", type=whole(0, 2 ** 63 - 1), default=1, help="random seed of the market and faults (default 1)")
    p.add_argument("--api-key", default=None, help="app key clients must send (default: the DEMO key)")
    p.add_argument("--api-secret", default=None, help="app secret (default: the DEMO secret)")
    p.add_argument("--env", default="ext_prod_sim", help="environment segment (default ext_prod_sim)")
    p.add_argument("--token-lifetime", type=seconds(0, 86400 * 30, low_open=True), default=3600.0,
                   help="token lifetime in seconds")
    p.add_argument("--rate-limit", type=fraction(0.001, 100000, "a number of requests per second from 0.001 to 100000"),
                   default=None, help="requests per second before 429")
    p.add_argument("--fault-rate", type=fraction(0, 1, "a probability from 0 to 1"), default=0.0,
                   help="probability of a fault per data request")
    p.add_argument("--latency-ms", type=whole(0, 600_000), default=0, help="delay added to every answer")
    p.add_argument("--page-size", type=whole(1, 100_000), default=500, help="records per page of orders and fills")
    p.add_argument("--step-interval", type=seconds(0, 3600), default=0.5,
                   help="seconds between market moves, 0 to 3600 (0: the market stands still)")
    p.add_argument("--history-fills", type=whole(0, 1_000_000), default=0, help="fills already published at start")
    p.add_argument("--hang-seconds", type=seconds(0, 3600), default=30.0, help="how long a 'hang' fault holds a request")
    p.add_argument("--no-retry-after", action="store_true", help="answer 429 without a Retry-After header")
    p.add_argument("--tt-post-rule", action="store_true", help="enforce TT's one token POST per 10 seconds")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import signal
    import threading

    from zn_ladder.domain.errors import InputError
    from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

    if (args.api_key is None) != (args.api_secret is None):
        raise InputError("give both --api-key and --api-secret, or neither (the DEMO credentials)")
    try:
        config = SimConfig(
            seed=args.seed, api_key=args.api_key or DEMO_API_KEY, api_secret=args.api_secret or DEMO_API_SECRET,
            env=args.env, token_lifetime=args.token_lifetime, rate_limit=args.rate_limit,
            fault_rate=args.fault_rate, latency_ms=args.latency_ms, page_size=args.page_size,
            step_interval=args.step_interval or None, history_fills=max(0, args.history_fills),
            hang_seconds=args.hang_seconds, retry_after=not args.no_retry_after,
            token_post_interval=10.0 if args.tt_post_rule else None)
    except ValueError as exc:
        raise InputError(f"simulator settings: {exc}") from None
    try:
        sim = SimulatorServer(config, host=args.host, port=args.port)
        sim.start()
    except OSError as exc:
        raise InputError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None

    stopping = threading.Event()

    def _on_signal(signum: int, frame: object) -> None:
        stopping.set()

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(sim.url, flush=True)
        while not stopping.wait(0.5):
            pass
    finally:
        sim.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0
