"""Timing whole `zn-ladder` processes the way an installed app runs, shared by the CLI benches."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def command() -> list[str]:
    script = Path(sys.executable).with_name("zn-ladder")
    return [str(script)] if script.exists() else [sys.executable, "-m", "zn_ladder"]


def child_env(cache: str) -> dict[str, str]:
    """The environment of the timed processes: with a bytecode cache (in `cache`), as an installed app
    runs (pip compiles the .pyc files), even when the shell sets PYTHONDONTWRITEBYTECODE (this
    machine's does: every run would compile ~50 modules from source, ~30 ms)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def run_once(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
