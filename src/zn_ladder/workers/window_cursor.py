"""The window's fills cursor: one per TT environment and address, as `zn-ladder monitor` keeps them.

Before issue 12 the window kept one cursor for every environment (`tt_api_fills`): a desk that ran UAT
and then LIVE on the same store started LIVE from UAT's timestamp and skipped the earlier LIVE fills.
Now the cursor's name is `tt.fills_cursor.cursor_source(env, base_url)`, shared with `monitor`. At
start an old global cursor is moved to the environment that wrote it when the audit log says which one
was in force when it was last written (the environment entries the settings dialog and `config` write),
and dropped otherwise: a fresh catch-up from the start of TT's day costs one larger poll, and the store
recognises every fill it already holds, whereas a cursor given to the wrong environment loses fills.
The move and its audit entry are one transaction. Everything here runs on the store's writer thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from zn_ladder.store.audit import ENVIRONMENT_CHANGED, SETTINGS_CHANGED, AuditEntry
from zn_ladder.tt.environments import resolve_env
from zn_ladder.tt.fills_cursor import LEGACY_CURSOR_SOURCE, FillCursor, cursor_source

log = logging.getLogger(__name__)

CURSOR_MIGRATED = "fills_cursor_migrated"
CURSOR_DROPPED = "fills_cursor_dropped"


def _changes(entries: Iterable[AuditEntry]) -> list[tuple[int, str, str]]:
    """(time, from, to) of every environment change the audit log records, oldest first."""
    out = []
    for e in entries:
        if e.event == ENVIRONMENT_CHANGED and e.detail.get("from") and e.detail.get("to"):
            out.append((e.time_ns, str(e.detail["from"]), str(e.detail["to"])))
        elif e.event == SETTINGS_CHANGED:
            pair = (e.detail.get("changes") or {}).get("tt.environment")
            if isinstance(pair, (list, tuple)) and len(pair) == 2 and all(pair):
                out.append((e.time_ns, str(pair[0]), str(pair[1])))
    return sorted(out)


def environment_at(entries: Iterable[AuditEntry], time_ns: int) -> str | None:
    """The environment (as the settings name it: SIM, UAT, LIVE) in force at `time_ns`: the one the
    last change before it switched to, or the one the first change after it switched from; None when
    the log records no environment change at all."""
    changes = _changes(entries)
    before = [to for t, _, to in changes if t <= time_ns]
    if before:
        return before[-1]
    after = [frm for t, frm, _ in changes if t > time_ns]
    return after[0] if after else None


def load_window_cursor(store: Any, env: str, base_url: str) -> Any | None:
    """The persisted cursor for TT environment segment `env` at `base_url` (None: start of TT's day),
    after moving or dropping an old global cursor."""
    source = cursor_source(env, base_url)
    updated = store.cursor_updated_ns(LEGACY_CURSOR_SOURCE)
    if updated is not None and not getattr(store, "readonly", False):  # a trader's desk login reads, never moves, cursors
        writer = environment_at(store.audit_entries(limit=100_000), updated)
        target = None
        if writer is not None:
            try:
                target = cursor_source(resolve_env(writer), base_url)
            except Exception:  # an environment name the log holds but TT does not know: unknown
                target = None
        if target is not None and store.get_cursor(target) is None:
            log.info("fills cursor %s moved to %s (written in %s)", LEGACY_CURSOR_SOURCE, target, writer)
            store.move_cursor(LEGACY_CURSOR_SOURCE, target, CURSOR_MIGRATED, {"environment": writer})
        else:
            why = (f"{writer} already has its own cursor" if target is not None
                   else "the environment that wrote it is not known")
            log.info("fills cursor %s dropped (%s); %s catches up from the start of the day",
                     LEGACY_CURSOR_SOURCE, why, source)
            store.move_cursor(LEGACY_CURSOR_SOURCE, None, CURSOR_DROPPED, {"environment": writer, "reason": why})
    return resume_quarantined(store, env, store.get_cursor(source))


def resume_quarantined(store: Any, env: str, saved: Any) -> Any:
    """The saved cursor, rewound to the oldest fill record of `env` still set aside, so it is asked for
    again (the window and `monitor` alike)."""
    entries = store.quarantined(env)
    if not entries or saved is None:
        return saved
    try:
        cursor = FillCursor.from_dict(saved)
    except Exception:  # an unreadable cursor: the caller starts from the day's beginning anyway
        return saved
    return cursor.rewound_to(entries[0].time_ns).to_dict()
