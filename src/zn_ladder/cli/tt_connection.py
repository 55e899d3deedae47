"""Shared by `zn-ladder tt ...` and `zn-ladder doctor`: which TT to talk to, from flags and settings.

Not a command itself (it has no `register`). Flags override the settings file; credentials come from
`zn_ladder.config.credentials` (environment variables, else the OS keyring). `--demo` starts the
built-in simulator in this process, so support staff can try the commands with nothing configured.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)

PLANS = ("free", "low", "medium", "high")


def add_connection_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", help="TT environment: sim, uat or live (default: the settings' environment)")
    parser.add_argument("--base-url", help="talk to this URL instead of TT (a proxy or a simulator)")
    parser.add_argument("--plan", choices=PLANS, help="the app key's usage plan (default: from the settings)")
    parser.add_argument("--demo", action="store_true",
                        help="start the built-in TT simulator and use it (needs no credentials)")


def _settings() -> Any | None:
    try:
        from zn_ladder.config.settings_file import load_settings

        return load_settings().settings
    except Exception as exc:  # settings problems must not stop a support command; defaults then
        log.warning("settings could not be read (%s); using defaults", exc)
        return None


@contextlib.contextmanager
def open_connection(args: argparse.Namespace) -> Iterator[Any]:
    """Yields a `TTConnection`; with --demo the simulator runs until the block ends."""
    from zn_ladder.tt.connection import TTConnection
    from zn_ladder.tt.environments import DEFAULT_BASE_URL, resolve_env

    settings = _settings()
    tt = settings.tt if settings is not None else None
    env = resolve_env(args.env or (tt.environment if tt else "sim"))
    common = {"env": env, "app_name": tt.app_name if tt else "znladder", "company": tt.company if tt else "desk",
              "plan": args.plan or (tt.usage_plan if tt else "low")}
    if args.demo:
        from zn_ladder.tt.sim import DEMO_API_KEY, DEMO_API_SECRET, SimConfig, SimulatorServer

        with SimulatorServer(SimConfig(env=env, history_fills=40), host="127.0.0.1", port=0) as sim:
            yield TTConnection(base_url=sim.url, app_key=DEMO_API_KEY, app_secret=DEMO_API_SECRET,
                               token_min_interval=0.0, **common)
        return
    from zn_ladder.config.credentials import load_credentials
    from zn_ladder.domain.errors import ConfigError

    try:
        creds = load_credentials(env)
    except ConfigError as exc:
        log.warning("%s", exc)
        creds = None
    base_url = args.base_url or (tt.base_url if tt and tt.base_url else DEFAULT_BASE_URL)
    yield TTConnection(base_url=base_url, app_key=creds.app_key if creds else "",
                       app_secret=creds.app_secret if creds else "", **common)


def require_credentials(conn: Any) -> None:
    from zn_ladder.domain.errors import ConfigError
    from zn_ladder.tt.environments import short_name

    if not conn.has_credentials:
        env = short_name(conn.env)
        raise ConfigError(f"no TT app key and secret for {conn.env}: store them with `zn-ladder credentials set "
                          f"--env {env}` (or set ZN_LADDER_TT_KEY and ZN_LADDER_TT_SECRET), or try --demo")
