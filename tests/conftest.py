"""Suite-wide fixtures. Qt runs offscreen; subprocess CLIs see this checkout's `src`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running `python -m zn_ladder` in a subprocess against this checkout.

    Config, data and log directories point into tmp_path so a test never touches the user's files.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["ZN_LADDER_HOME"] = str(tmp_path / "home")
    env.pop("ZN_LADDER_TT_KEY", None)
    env.pop("ZN_LADDER_TT_SECRET", None)
    return env


@pytest.fixture
def run_cli(cli_env):
    """Run the real `zn-ladder` command in a subprocess; returns CompletedProcess (text)."""
    import subprocess

    def run(*args: str, timeout: float = 120, **kw):
        return subprocess.run([sys.executable, "-m", "zn_ladder", *args], env=cli_env, capture_output=True,
                              text=True, timeout=timeout, **kw)

    return run


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL cluster for the whole run (tests/pgcluster.py); removed at the end."""
    from tests.pgcluster import start_cluster

    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """A fresh, empty database on the run's cluster: each test gets its own."""
    return pg_cluster.create_database()
