"""The status strip's snapshot, assembled from what the session knows at one moment.

Kept apart from `Session` because it is a pure read: the health board's judgement, the request budget,
where spot came from and the last position check, folded into one frozen `StatusSnapshot` that the
window renders as it is. Nothing here emits or changes anything.
"""

from __future__ import annotations

from typing import Any

from zn_ladder.store.desk import is_desk_url
from zn_ladder.workers.health import HealthBoard, connection_text, utc_now
from zn_ladder.workers.snapshots import StatusSnapshot

SOURCES = ("orders", "fills", "positions", "spot")
SPOT_LABELS = {"simulator": "simulator", "pricing_monkey": "Pricing Monkey", "manual": "manual",
               "last_good": "last good", "last fill": "last fill"}


def build_status(config: Any, health_board: HealthBoard, client: Any, *, result: Any, spot: Any, check: Any,
                 messages: tuple[str, ...], orders: Any = None, desk_requests: int | None = None) -> StatusSnapshot:
    """The snapshot for `config` (a `SessionConfig`): the store is listed only while it is not ok.
    `desk_requests`: on a desk database, the desk's TT requests today (the window spends none itself)."""
    now = utc_now()
    names = list(SOURCES) + (["store"] if health_board.health("store").state != "ok" else [])
    health = health_board.snapshot(names, now)
    try:
        usage = client.budget.usage()
        used, limit = usage.used_today, 0 if config.demo else usage.per_day  # the demo has no plan
    except Exception:  # a client without a budget (tests) shows none
        used, limit = 0, 0
    if desk_requests is not None:
        used = desk_requests
    source = result.spot_source if result is not None else (spot.source if spot else "")
    spot_at = spot.read_at if spot is not None else None
    manual = spot is not None and spot.source == "manual"
    if manual:
        source = "manual"  # at once, not after the next projection
    standby = SPOT_LABELS.get(config.spot_mode, config.spot_mode) if manual and config.spot_mode != "manual" else ""
    return StatusSnapshot(env=config.env, demo=config.demo,  # type: ignore[arg-type]
                          # on a desk database TT is the capture's (its key, its heartbeat's health)
                          connection=connection_text(health, has_credentials=config.conn.has_credentials
                                                     or is_desk_url(config.db_path)),
                          health=health, budget_used=used, budget_limit=limit,
                          spot_source=SPOT_LABELS.get(source, source), spot_at=spot_at, at=now,
                          messages=messages,
                          position_differences=check.differences if check is not None else (),
                          positions_checked_at=check.checked_at if check is not None else None,
                          orders_at=orders.received_at if orders is not None else None, spot_standby=standby)
