"""Connections to the desk database for the lease, the heartbeat and the listener.

Why keepalives on both ends: a capture PC that loses its network (or freezes) without closing its
socket would otherwise hold its session, and so its advisory lock, for the kernel's default two hours.
Server-side keepalives (`tcp_keepalives_*`, `tcp_user_timeout`, set per session through `options`) make
the server drop such a session within about `DEAD_AFTER_S`, which releases the lock for the standby; the
client-side ones make the holder's own next query fail, so it stops capturing instead of writing on
as a holder that no longer holds anything.
"""

from __future__ import annotations

from typing import Any

#: Idle seconds before the first keepalive probe, seconds between probes, probes before giving up.
KEEPALIVE_IDLE_S, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT = 2, 1, 3
#: About when a silent peer is declared dead (idle + interval * count), well inside the 10 s takeover.
DEAD_AFTER_S = KEEPALIVE_IDLE_S + KEEPALIVE_INTERVAL_S * KEEPALIVE_COUNT


def _options() -> str:
    user_timeout_ms = DEAD_AFTER_S * 1000
    return (f"-c tcp_keepalives_idle={KEEPALIVE_IDLE_S} -c tcp_keepalives_interval={KEEPALIVE_INTERVAL_S} "
            f"-c tcp_keepalives_count={KEEPALIVE_COUNT} -c tcp_user_timeout={user_timeout_ms}")


def connect(url: str, *, purpose: str, connect_timeout_s: int = 5) -> Any:
    """An autocommit psycopg connection to the desk database, named `zn_ladder <purpose>` in
    `pg_stat_activity` (so support staff can see which process is the capture). The password comes
    from the OS keyring as the store's own connection takes it (`backend.keyring_password`), else from
    libpq's `.pgpass`/service file; never from the URL (which `backend.locate` refuses with one)."""
    import psycopg

    from zn_ladder.store.backend import keyring_password, locate

    location = locate(url)
    password = keyring_password(location) if hasattr(location, "keyring_user") else None
    extra = {"password": password} if password else {}
    try:
        return psycopg.connect(url, autocommit=True, **extra, connect_timeout=connect_timeout_s,
                               application_name=f"zn_ladder {purpose}"[:63], keepalives=1,
                               keepalives_idle=KEEPALIVE_IDLE_S, keepalives_interval=KEEPALIVE_INTERVAL_S,
                               keepalives_count=KEEPALIVE_COUNT, options=_options())
    except psycopg.Error as exc:
        from zn_ladder.store.pg import describe_error

        raise describe_error(exc, location, f"connect for the {purpose}") from None


def safe_url(url: str) -> str:
    """The URL without a password, for logs and messages."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)

