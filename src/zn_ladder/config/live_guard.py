"""The LIVE guard: nobody points a trader's ladder at TT's production environment by accident.

Switching to LIVE (from the dialog, `zn-ladder config set`, `config import` or an imported file) needs
the word LIVE typed exactly; anything else ("live", " LIVE", "yes") is refused. The switch, and every
other environment change, is written to the audit log by the caller.
"""

from __future__ import annotations

from typing import Any

from zn_ladder.config.settings import Settings
from zn_ladder.domain.errors import ConfigError

LIVE = "LIVE"
PROMPT = f"This points zn_ladder at TT's production environment. Type {LIVE} to confirm"


def needs_live_confirmation(old: Settings, new: Settings) -> bool:
    return new.tt.environment == LIVE and old.tt.environment != LIVE


def is_live_confirmation(typed: str | None) -> bool:
    """True only for the exact word (case and spaces matter: a stray keystroke must not confirm)."""
    return typed == LIVE


def check_live_confirmation(old: Settings, new: Settings, typed: str | None) -> None:
    """Raise `ConfigError` when `new` switches to LIVE and `typed` is not the exact word."""
    if needs_live_confirmation(old, new) and not is_live_confirmation(typed):
        shown = "nothing" if not typed else repr(typed)
        raise ConfigError(f"switching tt.environment to LIVE needs the word {LIVE} typed exactly; got {shown}. "
                          "Nothing was changed")


def environment_change(old: Settings, new: Settings) -> dict[str, Any] | None:
    """Audit detail for an environment change, or None when the environment did not change."""
    if old.tt.environment == new.tt.environment:
        return None
    return {"from": old.tt.environment, "to": new.tt.environment,
            "confirmed_live": new.tt.environment == LIVE}
