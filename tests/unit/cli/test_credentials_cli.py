"""`zn-ladder credentials ...` against a real file keyring kept outside the app's folders, and a scan
proving the secret reaches no file under the config, data and log folders and no output or log."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

SECRET = "Zq9-very-secret-Value-77"
KEY = "c0ffee00-1111-2222-3333-444455556666"


@pytest.fixture
def keyring_env(cli_env, tmp_path) -> dict[str, str]:
    """A real keyrings.alt plain-text file backend under tmp_path/xdg (not under ZN_LADDER_HOME)."""
    cli_env["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    cli_env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    return cli_env


def _all_text_under(folder: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in folder.rglob("*") if p.is_file()]


def test_full_run_never_writes_the_secret_anywhere(run_cli, keyring_env, tmp_path):
    home = Path(keyring_env["ZN_LADDER_HOME"])
    outputs = []

    def cli(*args, **kw):
        out = run_cli("--log-level", "DEBUG", *args, **kw)
        outputs.append(out.stdout + out.stderr)
        return out

    out = cli("credentials", "set", "--env", "UAT", input=f"{KEY}\n{SECRET}\n")
    assert out.returncode == 0, out.stderr
    assert "stored in the OS keyring (key c0ff…)" in out.stdout
    out = cli("credentials", "set", "--env", "live", "--key", KEY, input=f"{SECRET}\n")
    assert out.returncode == 0, out.stderr
    status = json.loads(cli("credentials", "status", "--json").stdout)
    assert [(s["env"], s["source"], s["key"]) for s in status] == [
        ("SIM", "none", ""), ("UAT", "keyring", "c0ff…"), ("LIVE", "keyring", "c0ff…")]
    table = cli("credentials", "status", "--env", "UAT").stdout
    assert "keyring" in table and "unencrypted" in table
    for args in (("config", "path"), ("config", "show"), ("config", "set", "ladder.font_size", "13"),
                 ("config", "set", "tt.environment", "UAT"), ("config", "get", "tt.environment"),
                 ("config", "export", str(home / "data" / "desk.toml")),
                 ("config", "import", str(home / "data" / "desk.toml")),
                 ("config", "set", "tt.environment", "LIVE", "--confirm-live", "LIVE"), ("config", "reset")):
        assert cli(*args).returncode == 0, args
    assert cli("credentials", "clear", "--env", "UAT").returncode == 0
    assert "no TT credentials were stored for UAT" in cli("credentials", "clear", "--env", "UAT").stdout

    # The secret really went somewhere: the keyring file, outside the app's folders.
    keyring_file = tmp_path / "xdg" / "python_keyring" / "keyring_pass.cfg"
    assert keyring_file.exists()
    encoded = [SECRET.encode(), base64.b64encode(SECRET.encode()), SECRET.encode("utf-16-le"),
               SECRET[:12].encode()]
    files = _all_text_under(home)
    assert {p.parent.name for p, _ in files} >= {"config", "data"}
    for path, content in files:
        for needle in encoded:
            assert needle not in content, f"secret found in {path}"
        assert KEY.encode() not in content, f"app key found in {path}"
    for text in outputs:
        assert SECRET not in text and SECRET[:12] not in text and KEY not in text


def test_secret_is_never_taken_from_the_command_line(run_cli, keyring_env):
    out = run_cli("credentials", "set", "--env", "SIM", "--key", KEY, "--secret", SECRET)
    assert out.returncode == 2 and "unrecognized arguments" in out.stderr


def test_empty_secret_is_refused(run_cli, keyring_env):
    out = run_cli("credentials", "set", "--env", "SIM", "--key", KEY, input="\n")
    assert out.returncode == 2 and out.stderr.strip() == "zn-ladder: the app secret is empty"
    status = json.loads(run_cli("credentials", "status", "--env", "SIM", "--json").stdout)
    assert status[0]["source"] == "none"


def test_unknown_environment_is_refused(run_cli, keyring_env):
    out = run_cli("credentials", "status", "--env", "staging")
    assert out.returncode == 2 and "environment: expected one of SIM, UAT, LIVE, got 'staging'" in out.stderr


def test_missing_keyring_backend_is_a_clear_error(run_cli, cli_env):
    cli_env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    out = run_cli("credentials", "set", "--env", "SIM", "--key", KEY, input=f"{SECRET}\n")
    assert out.returncode == 2
    assert "no OS keyring is available to hold TT credentials" in out.stderr and SECRET not in out.stderr
    status = run_cli("credentials", "status", "--env", "SIM")
    assert status.returncode == 0 and "no OS keyring is available" in status.stdout
