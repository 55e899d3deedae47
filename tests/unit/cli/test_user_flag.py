"""`--user` names a trader; an empty one names nobody: exit 2 with one line naming the flag (every command
that takes it, through the one shared argument of `cli.inputs`)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("command", [("export", "--db", "x.sqlite3", "--what", "fills"),
                                     ("pnl", "x.csv", "--contract", "ZN Sep25"),
                                     ("ladder", "--orders", "o.json", "--spot", "110'160"),
                                     ("tt", "fills", "--demo")])
@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_trader_is_refused_in_one_line(run_cli, command, value):
    done = run_cli(*command, "--user", value)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--user" in lines[0] and "not a trader" in lines[0]
    assert done.stdout == ""
