"""The installer's optional fill capture at log-on (issue 15 §6): per user, unchecked by default, and
never an "any user" log-on trigger (which a user without admin rights cannot register)."""

from __future__ import annotations

import re
from pathlib import Path

ISS = Path(__file__).resolve().parents[2] / "installer" / "zn_ladder.iss"


def test_capture_at_logon_is_an_optional_per_user_startup_entry():
    iss = ISS.read_text(encoding="utf-8")
    task = re.search(r'^Name: "captureatlogon";.*$', iss, re.M)
    assert task and "Flags: unchecked" in task.group(0)
    icon = re.search(r"^Name: \"\{userstartup\}.*Tasks: captureatlogon$", iss, re.M)
    assert icon and '{#ConsoleExe}' in icon.group(0) and 'Parameters: "monitor"' in icon.group(0)
    assert not re.search(r"^[^;]*schtasks", iss, re.M | re.I)
