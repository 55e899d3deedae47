"""What the support commands (`config`, `credentials`) share: the LIVE prompt and the audit trail.

Every change a support engineer makes from the command line lands in the store's audit log (who, when,
what: key, old and new value; never a secret). A settings change that cannot be audited is undone, so
the log never misses one: the LIVE switch in particular must always leave a trace.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by the CLI's command discovery: nothing heavy at import time
    from zn_ladder.config.settings import Settings


def write_audit(settings: Settings, event: str, detail: dict[str, Any]) -> None:
    """One audit entry in the store the settings point at (created if absent)."""
    from zn_ladder.store import audit, db

    path = settings.storage.resolved_store()
    conn = db.connect(path)
    try:
        with db.write_transaction(conn, path, "write the audit log"):
            audit.record(conn, event, detail)
    finally:
        conn.close()


def typed_live_word(given: str | None) -> str | None:
    """The confirmation: `--confirm-live WORD`, else a prompt when a person is at the terminal."""
    from zn_ladder.config.live_guard import PROMPT

    if given is not None:
        return given
    if not sys.stdin.isatty():
        return None
    try:
        return input(f"{PROMPT}: ")
    except EOFError:
        return None


def apply_change(old: Settings, new: Settings, path: Path | None, confirm_live: str | None,
                 action: str) -> list[str]:
    """Save `new` over `old` after the LIVE guard, audit it, and return the keys that need a restart.

    If the audit cannot be written the previous file is put back and the error raised.
    """
    from zn_ladder.config.live_guard import check_live_confirmation, environment_change, needs_live_confirmation
    from zn_ladder.config.settings import restart_keys
    from zn_ladder.config.settings_file import save_settings, settings_path
    from zn_ladder.domain.errors import ConfigError, StoreError
    from zn_ladder.store.audit import ENVIRONMENT_CHANGED, SETTINGS_CHANGED

    changed = old.changed_keys(new)
    if not changed:
        return []
    typed = typed_live_word(confirm_live) if needs_live_confirmation(old, new) else None
    check_live_confirmation(old, new, typed)
    target = path if path is not None else settings_path()
    before = target.read_bytes() if target.exists() else None
    save_settings(new, target)
    try:
        env = environment_change(old, new)
        if env is not None:
            write_audit(old, ENVIRONMENT_CHANGED, {**env, "via": f"zn-ladder config {action}"})
        write_audit(old, SETTINGS_CHANGED, {
            "via": f"zn-ladder config {action}",
            "changes": {k: [old.text_value(k), new.text_value(k)] for k in changed}})
    except (StoreError, ConfigError, OSError) as exc:
        if before is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(before)
        raise ConfigError(f"the change was not saved because the audit log could not be written: {exc}") from None
    needs_restart = set(restart_keys())
    return [k for k in changed if k in needs_restart]
