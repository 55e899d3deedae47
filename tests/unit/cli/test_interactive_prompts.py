"""The prompts a support engineer answers at a terminal, on a real pseudo-terminal: the secret is read
with echo off (nothing typed comes back on the terminal), and the LIVE word is asked for and checked.
POSIX pseudo-terminals: these run on the Linux CI."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

SECRET = "Pty-typed-secret-9090"
KEY = "beef0000-aaaa-bbbb-cccc-ddddeeeeffff"


def _read_until(fd: int, needle: bytes, deadline: float) -> bytes:
    seen = b""
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{needle!r} never came; got {seen!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise AssertionError(f"stream closed before {needle!r}; got {seen!r}")
            seen += chunk
    return seen


def _drain(fd: int) -> bytes:
    out = b""
    while select.select([fd], [], [], 0)[0]:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the pty's other side closed
            break
        if not chunk:
            break
        out += chunk
    return out


def _on_a_terminal(cli_env, *args: str):
    """Start `zn-ladder ARGS` with a pseudo-terminal as stdin and no controlling terminal (so getpass
    uses that stdin, as it uses the console on a desk PC). Returns (process, pty master fd)."""
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "zn_ladder", *args], stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=cli_env, start_new_session=True)
    os.close(slave)
    return proc, master


@pytest.fixture
def keyring_env(cli_env, tmp_path):
    cli_env["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    cli_env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    return cli_env


def test_secret_prompt_does_not_echo(run_cli, keyring_env):
    proc, master = _on_a_terminal(keyring_env, "credentials", "set", "--env", "UAT")
    try:
        deadline = time.monotonic() + 60
        _read_until(proc.stdout.fileno(), b"TT app key for UAT: ", deadline)
        os.write(master, f"{KEY}\n".encode())
        _read_until(proc.stderr.fileno(), b"TT app secret for UAT (not shown): ", deadline)
        os.write(master, f"{SECRET}\n".encode())
        out, err = proc.communicate(timeout=60)
        echoed = _drain(master)
    finally:
        os.close(master)
    assert proc.returncode == 0, err
    assert b"stored in the OS keyring (key beef" in out
    assert KEY.encode() in echoed  # the key was echoed as typed (it is not a secret)...
    assert SECRET.encode() not in echoed + out + err  # ...the secret was not
    status = json.loads(run_cli("credentials", "status", "--env", "UAT", "--json").stdout)
    assert status[0]["source"] == "keyring"


@pytest.mark.parametrize("typed, ok", [("live", False), ("LIVE", True)])
def test_live_word_is_asked_for_at_a_terminal(run_cli, cli_env, typed, ok):
    proc, master = _on_a_terminal(cli_env, "config", "set", "tt.environment", "LIVE")
    try:
        _read_until(proc.stdout.fileno(), b"Type LIVE to confirm: ", time.monotonic() + 60)
        os.write(master, f"{typed}\n".encode())
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
    home = Path(cli_env["ZN_LADDER_HOME"])
    env = run_cli("config", "get", "tt.environment").stdout.strip()
    if ok:
        assert proc.returncode == 0 and env == "LIVE", err
        assert (home / "data" / "zn_ladder.sqlite3").exists()
    else:
        assert proc.returncode == 2 and env == "SIM"
        assert b"needs the word LIVE typed exactly; got 'live'" in err
