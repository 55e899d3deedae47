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


@pytest.fixture(params=["sqlite", "postgresql"])
def store_backend(request) -> str:
    """Which store backend a test runs on: every store test that is not about a SQLite file runs on both."""
    return request.param


@pytest.fixture
def new_store_url(store_backend, tmp_path, request):
    """A factory of fresh, empty store locations on the test's backend: a SQLite file path under
    tmp_path, or a new database on the run's PostgreSQL cluster (`postgresql://...`)."""
    made: list[str] = []

    def make() -> str:
        if store_backend == "sqlite":
            name = "zn_ladder.sqlite3" if not made else f"zn_ladder-{len(made)}.sqlite3"
            made.append(str(tmp_path / "store" / name))
        else:
            made.append(request.getfixturevalue("pg_cluster").create_database())
        return made[-1]

    return make


@pytest.fixture
def store_url(new_store_url) -> str:
    """One fresh store location on the test's backend (see `new_store_url`)."""
    return new_store_url()
