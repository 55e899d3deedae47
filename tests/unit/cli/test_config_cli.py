"""`zn-ladder config ...` in a subprocess, with ZN_LADDER_HOME in tmp_path: values, messages, the
LIVE guard and the audit trail in the real SQLite store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from zn_ladder.config.settings import Settings


@pytest.fixture
def home(cli_env) -> Path:
    return Path(cli_env["ZN_LADDER_HOME"])


def audit_rows(home: Path, db: Path | None = None) -> list[tuple[str, dict]]:
    with sqlite3.connect(db or home / "data" / "zn_ladder.sqlite3") as conn:
        return [(e, json.loads(d)) for e, d in conn.execute("SELECT event, detail FROM audit ORDER BY id")]


def test_path_show_get_on_defaults(run_cli, home):
    out = run_cli("config", "path")
    assert out.returncode == 0 and out.stdout.strip() == str(home / "config" / "settings.toml")
    paths = json.loads(run_cli("config", "path", "--json").stdout)
    assert paths["data_dir"] == str(home / "data")
    shown = json.loads(run_cli("config", "show", "--json").stdout)
    assert shown["tt.environment"] == "SIM" and shown["ladder.font_size"] == 11 and len(shown) == len(Settings.keys())
    table = run_cli("config", "show").stdout
    assert "ladder.font_size" in table and "restart" in table
    assert run_cli("config", "get", "tt.product").stdout.strip() == "ZN"
    assert not (home / "config" / "settings.toml").exists()  # reading never writes


def test_set_get_reset_and_audit(run_cli, home):
    out = run_cli("config", "set", "ladder.font_size", "14")
    assert out.returncode == 0, out.stderr
    assert "saved: ladder.font_size" in out.stdout and "restart" not in out.stdout
    assert run_cli("config", "get", "ladder.font_size").stdout.strip() == "14"
    out = run_cli("config", "set", "tt.contracts", "ZN Dec26,ZN Mar27")
    assert json.loads(run_cli("config", "get", "tt.contracts", "--json").stdout)["value"] == ["ZN Dec26", "ZN Mar27"]
    out = run_cli("config", "set", "storage.database_path", str(home / "other.sqlite3"))
    assert "takes effect after a restart of the app: storage.database_path" in out.stdout
    out = run_cli("config", "reset", "ladder.font_size")
    assert out.returncode == 0 and run_cli("config", "get", "ladder.font_size").stdout.strip() == "11"
    out = run_cli("config", "reset")
    assert out.returncode == 0
    assert json.loads(run_cli("config", "show", "--json").stdout)["tt.contracts"] == []
    rows = audit_rows(home)
    assert rows[0] == ("settings_changed", {"via": "zn-ladder config set",
                                            "changes": {"ladder.font_size": ["11", "14"]}})
    assert [e for e, _ in rows] == ["settings_changed"] * 3
    # Once the database moved, changes are audited in the store the app now uses.
    moved = audit_rows(home, home / "other.sqlite3")
    assert [d["changes"] for _, d in moved] == [{"ladder.font_size": ["14", "11"]},
                                                {"storage.database_path": [str(home / "other.sqlite3"), ""],
                                                 "tt.contracts": ["ZN Dec26, ZN Mar27", ""]}]


@pytest.mark.parametrize("args, message", [
    (("set", "ladder.font_size", "huge"), "ladder.font_size: expected a whole number from 6 to 40, got 'huge'"),
    (("set", "ladder.fontsize", "12"), "unknown setting 'ladder.fontsize'"),
    (("get", "nope"), "unknown setting 'nope'"),
    (("set", "tt.base_url", "https://me:pw@proxy/"), "no user name or password"),
    (("set", "sod.account_map", "73050502=1334000, 73050503"),
     "sod.account_map: entry '73050503' is not one ACTANT = TT pair"),
])
def test_bad_input_exits_2_with_one_line(run_cli, home, args, message):
    out = run_cli("config", *args)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and message in out.stderr
    assert not (home / "config" / "settings.toml").exists()


def test_support_staff_map_actant_accounts_to_tt_accounts(run_cli, home):
    out = run_cli("config", "set", "sod.account_map", "73050502=1334000, 73050503 = 1334001")
    assert out.returncode == 0, out.stderr
    assert "saved: sod.account_map" in out.stdout and "restart" in out.stdout
    assert run_cli("config", "get", "sod.account_map").stdout.strip() == "73050502 = 1334000, 73050503 = 1334001"
    assert json.loads(run_cli("config", "get", "sod.account_map", "--json").stdout)["value"] == {
        "73050502": "1334000", "73050503": "1334001"}
    table = run_cli("config", "show").stdout
    assert any("sod.account_map" in line and "73050502 = 1334000" in line for line in table.splitlines())
    assert audit_rows(home)[-1][1]["changes"] == {"sod.account_map": ["", "73050502 = 1334000, 73050503 = 1334001"]}
    assert run_cli("config", "reset", "sod.account_map").returncode == 0
    assert run_cli("config", "get", "sod.account_map").stdout.strip() == ""


def test_live_needs_the_exact_word_and_is_audited(run_cli, home):
    for confirm in ([], ["--confirm-live", "live"], ["--confirm-live", "LIVE "], ["--confirm-live", "yes"]):
        out = run_cli("config", "set", "tt.environment", "LIVE", *confirm, input="LIVE\n")  # stdin is no terminal
        assert out.returncode == 2, confirm
        assert "needs the word LIVE typed exactly" in out.stderr
        assert run_cli("config", "get", "tt.environment").stdout.strip() == "SIM"
    assert not (home / "data" / "zn_ladder.sqlite3").exists()
    out = run_cli("config", "set", "tt.environment", "LIVE", "--confirm-live", "LIVE")
    assert out.returncode == 0, out.stderr
    assert "takes effect after a restart of the app: tt.environment" in out.stdout
    assert run_cli("config", "get", "tt.environment").stdout.strip() == "LIVE"
    # Already LIVE: changing something else needs no confirmation.
    assert run_cli("config", "set", "ladder.theme", "light").returncode == 0
    rows = audit_rows(home)
    assert rows[0] == ("environment_changed", {"from": "SIM", "to": "LIVE", "confirmed_live": True,
                                               "via": "zn-ladder config set"})
    assert rows[1][0] == "settings_changed" and rows[1][1]["changes"] == {"tt.environment": ["SIM", "LIVE"]}
    # Leaving LIVE is audited too.
    assert run_cli("config", "reset").returncode == 0
    assert audit_rows(home)[-2] == ("environment_changed", {"from": "LIVE", "to": "SIM", "confirmed_live": False,
                                                            "via": "zn-ladder config reset"})


def test_export_and_import(run_cli, home, tmp_path):
    run_cli("config", "set", "ladder.font_size", "16")
    desk = tmp_path / "desk.toml"
    out = run_cli("config", "export", str(desk))
    assert out.returncode == 0 and "no credentials" in out.stdout
    assert "font_size = 16" in desk.read_text()
    run_cli("config", "reset")
    assert run_cli("config", "import", str(desk)).returncode == 0
    assert run_cli("config", "get", "ladder.font_size").stdout.strip() == "16"
    # A file that switches to LIVE is held to the same guard.
    live = tmp_path / "live.toml"
    live.write_text('schema_version = 2\n[tt]\nenvironment = "LIVE"\n')
    assert run_cli("config", "import", str(live)).returncode == 2
    assert run_cli("config", "get", "tt.environment").stdout.strip() == "SIM"
    assert run_cli("config", "import", str(live), "--confirm-live", "LIVE").returncode == 0
    assert run_cli("config", "get", "tt.environment").stdout.strip() == "LIVE"


def test_corrupt_file_warns_keeps_it_and_runs_on_defaults(run_cli, home):
    path = home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"[ladder\n")
    out = run_cli("config", "get", "ladder.font_size")
    assert out.returncode == 0 and out.stdout.strip() == "11"
    assert "warning: the settings file could not be read" in out.stderr
    kept = list(path.parent.glob("settings.corrupt-*.toml"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"[ladder\n"


def test_unauditable_change_is_undone(run_cli, home, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert run_cli("config", "set", "storage.database_path", str(blocker / "zn.sqlite3")).returncode == 0
    before = (home / "config" / "settings.toml").read_bytes()
    out = run_cli("config", "set", "ladder.font_size", "20")
    assert out.returncode == 2 and "the audit log could not be written" in out.stderr
    assert (home / "config" / "settings.toml").read_bytes() == before
