"""Connection checks a support engineer (or the settings dialog's "Test connection") runs against TT.

Each check says OK or FAIL in one line with what to do; later checks that need an earlier one (a
token) are skipped rather than failing with a second, misleading message. The checks cost about eight
requests, counted in the client's budget like any other.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from zn_ladder.domain.errors import ZnLadderError
from zn_ladder.tt.client import TTClient
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.environments import short_name
from zn_ladder.tt.fills_cursor import FillCursor

log = logging.getLogger(__name__)

#: Beyond this the ages shown beside TT's data ("fills 3 s old") would mislead.
MAX_CLOCK_SKEW_S = 5.0
#: The fills check looks back this far (one small page, not the whole day).
FILLS_LOOKBACK_S = 300


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    skipped: bool = False
    elapsed_ms: float = 0.0

    @property
    def label(self) -> str:
        return "SKIP" if self.skipped else ("OK" if self.ok else "FAIL")

    def line(self) -> str:
        return f"{self.label:<4}  {self.name:<19} {self.detail}"


def _key_hint(key: str) -> str:
    return key[:4] + "…" if len(key) > 8 else "…"


def _timed(name: str, action: Callable[[], str]) -> Check:
    started = time.monotonic()
    try:
        detail = action()
        ok = True
    except ZnLadderError as exc:
        detail, ok = str(exc), False
    except Exception as exc:  # a check must report, never crash the dialog
        log.exception("check %s failed unexpectedly", name)
        detail, ok = f"unexpected {type(exc).__name__}: {exc}", False
    return Check(name, ok, detail, elapsed_ms=(time.monotonic() - started) * 1000)


def run_checks(conn: TTConnection, client: TTClient | None = None) -> list[Check]:
    """Every check, in order. Pass the app's `client` to share its token and budget."""
    checks: list[Check] = []
    env = f"{conn.env} ({short_name(conn.env).upper()}) at {conn.base_url}"
    if not conn.has_credentials:
        checks.append(Check("credentials", False, f"no TT app key and secret for {env}: store them with "
                            f"`zn-ladder credentials set --env {short_name(conn.env)}` or in the settings"))
        for name in ("token", "clock skew", "endpoints", "budget"):
            checks.append(Check(name, False, "skipped: no credentials", skipped=True))
        return checks
    checks.append(Check("credentials", True, f"app key {_key_hint(conn.app_key)} for {env}"))
    own = client is None
    client = client or TTClient(conn)
    try:
        def token() -> str:
            client.tokens.get()
            left = client.tokens.seconds_left
            return f"token obtained, valid for {left:.0f} s" if left is not None else "token obtained"

        token_check = _timed("token", token)
        checks.append(token_check)
        if not token_check.ok:
            for name in ("clock skew", "endpoints", "budget"):
                checks.append(Check(name, False, "skipped: no token", skipped=True))
            return checks
        checks.extend(_endpoint_checks(client))
        checks.append(_skew_check(client))
        usage = client.budget.usage()
        checks.append(Check("budget", not usage.near_limit, usage.text()))
        return checks
    finally:
        if own:
            client.close()


def _skew_check(client: TTClient) -> Check:
    answer = client.last_answer
    if answer is None or answer.server_time is None:
        return Check("clock skew", False, "TT's answers carry no Date header; the clock cannot be checked")
    # The Date header has whole seconds: half a second of the difference is its rounding. Only the
    # answered attempt's round trip counts: retries and backoff before it say nothing about the clock.
    skew = answer.local_time - answer.round_trip / 2 - (answer.server_time + 0.5)
    direction = "ahead of" if skew > 0 else "behind"
    ok = abs(skew) <= MAX_CLOCK_SKEW_S
    advice = "" if ok else "; fix the PC's time (Windows: Settings > Time > Sync now), fill ages will be wrong"
    return Check("clock skew", ok, f"this PC's clock is {abs(skew):.1f} s {direction} TT's{advice}")


def _endpoint_checks(client: TTClient) -> list[Check]:
    checks: list[Check] = []
    accounts: list[str] = []

    def orders() -> str:
        result = client.orders()
        warn = f", {len(result.warnings)} skipped" if result.warnings else ""
        return f"{len(result.orders)} working orders{warn}"

    def fills() -> str:
        since = time.time_ns() - FILLS_LOOKBACK_S * 1_000_000_000
        page = client.fills_since(FillCursor.starting_at(since))
        return f"{len(page.fills)} fills and {len(page.corrections)} corrections in the last {FILLS_LOOKBACK_S // 60} min"

    def positions() -> str:
        found = client.positions()
        accounts.extend(sorted({p.account for p in found}))
        return f"{len(found)} positions in {len(accounts)} accounts"

    def sod() -> str:
        if not accounts:
            return "no account to ask for (no positions)"
        lots = client.sod(accounts[0])
        return f"{len(lots)} start-of-day records for account {accounts[0]}"

    def markets() -> str:
        return f"{len(client.markets())} markets"

    def order_data() -> str:
        return f"{len(client.order_data())} code tables"

    for name, action in (("orders", orders), ("fills", fills), ("positions", positions), ("sod", sod),
                         ("markets", markets), ("orderdata", order_data)):
        checks.append(_timed(f"endpoint {name}", action))
    return checks
