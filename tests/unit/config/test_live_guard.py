"""The LIVE guard shared by the dialog and the command line: the exact word, nothing else."""

from __future__ import annotations

import pytest

from zn_ladder.config.live_guard import (
    check_live_confirmation,
    environment_change,
    is_live_confirmation,
    needs_live_confirmation,
)
from zn_ladder.config.settings import Settings
from zn_ladder.domain.errors import ConfigError

SIM = Settings()
UAT = SIM.replace_value("tt.environment", "UAT")
LIVE = SIM.replace_value("tt.environment", "LIVE")


@pytest.mark.parametrize("typed", [None, "", "live", "Live", "LIVE ", " LIVE", "LIVE\n", "LIVE!", "ЛIVE", "yes"])
def test_anything_but_the_exact_word_is_refused(typed):
    assert not is_live_confirmation(typed)
    with pytest.raises(ConfigError, match="needs the word LIVE typed exactly") as info:
        check_live_confirmation(UAT, LIVE, typed)
    assert "Nothing was changed" in str(info.value)


def test_the_exact_word_confirms():
    assert is_live_confirmation("LIVE")
    check_live_confirmation(SIM, LIVE, "LIVE")


def test_only_a_switch_to_live_needs_it():
    assert needs_live_confirmation(SIM, LIVE) and needs_live_confirmation(UAT, LIVE)
    assert not needs_live_confirmation(LIVE, LIVE)
    assert not needs_live_confirmation(LIVE, SIM) and not needs_live_confirmation(SIM, UAT)
    check_live_confirmation(LIVE, LIVE.replace_value("ladder.font_size", "12"), None)
    check_live_confirmation(LIVE, SIM, None)


def test_environment_change_detail_for_the_audit_log():
    assert environment_change(SIM, SIM.replace_value("ladder.font_size", "12")) is None
    assert environment_change(UAT, LIVE) == {"from": "UAT", "to": "LIVE", "confirmed_live": True}
    assert environment_change(LIVE, SIM) == {"from": "LIVE", "to": "SIM", "confirmed_live": False}
