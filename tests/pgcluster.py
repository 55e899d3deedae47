"""A throwaway PostgreSQL cluster for the tests: Debian's server binaries, a temporary data directory,
a free loopback port, trust authentication on 127.0.0.1 only, removed when the test run ends.

Why a real server: the desk store's guarantees (one transaction per poll, advisory-lock leases,
LISTEN/NOTIFY, row-level security) are PostgreSQL's own behaviour, which no fake reproduces.

PostgreSQL refuses to run as root, so under root (CI containers) the server runs as the `postgres`
user that Debian's package creates. When no server binaries are installed, `start_cluster` raises
`ClusterUnavailable` naming what is missing; `.ci/run` installs them, so CI always has them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

#: Where Debian puts the server binaries (`postgresql-NN` package); newest first.
_DEBIAN_BIN = Path("/usr/lib/postgresql")


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine (install Debian's `postgresql` package)."""


def _bin_dir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    if _DEBIAN_BIN.is_dir():
        versions = sorted((p for p in _DEBIAN_BIN.iterdir() if (p / "bin" / "pg_ctl").exists()),
                          key=lambda p: int(p.name) if p.name.isdigit() else 0, reverse=True)
        if versions:
            return versions[0] / "bin"
    raise ClusterUnavailable("no PostgreSQL server found (pg_ctl): apt-get install postgresql")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    """PostgreSQL will not start as root: run its commands as Debian's `postgres` user then."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@dataclass
class Cluster:
    """A running throwaway cluster. `url(db)` is a libpq URL for the superuser on loopback TCP."""

    root: Path
    port: int
    bin_dir: Path
    superuser: str = "postgres"
    #: The server's command-line options (port, socket folder, durability), for `resume`.
    options: str = ""
    databases: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres", user: str | None = None) -> str:
        return f"postgresql://{user or self.superuser}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "zn") -> str:
        """A new empty database with a unique name; returns its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self.url(name)

    def pause(self) -> None:
        """Stop the server as an outage does (every session cut at once), keeping its data to `resume`."""
        done = subprocess.run(_as_server_user([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast",
                                               "-w", "stop"]), capture_output=True, text=True, timeout=60)
        if done.returncode:
            raise RuntimeError(f"pg_ctl stop failed: {done.stderr.strip()}")

    def resume(self) -> None:
        """Start the paused server again on its port, with its data."""
        _pg_start(self.bin_dir, self.data_dir, self.root, self.options)
        _wait_ready(self)

    def stop(self) -> None:
        subprocess.run(_as_server_user([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate",
                                        "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(*, durable: bool = False) -> Cluster:
    """initdb + start on a free loopback port; the caller stops it (`Cluster.stop`). `durable`: fsync on,
    as a real server runs (the benchmarks); the tests' default leaves it off."""
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="zn-pg-"))
    root.chmod(0o755)
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(sock, "postgres", "postgres")
    init = subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                                           "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
                          capture_output=True, text=True, timeout=120)
    if init.returncode:
        shutil.rmtree(root, ignore_errors=True)
        raise ClusterUnavailable(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
    port = _free_port()
    # fsync off: a test cluster is thrown away; durability is PostgreSQL's, not what the tests measure.
    opts = f"-h 127.0.0.1 -p {port} -k {sock}"
    if not durable:
        opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    try:
        _pg_start(bin_dir, data, root, opts)
    except ClusterUnavailable:
        shutil.rmtree(root, ignore_errors=True)
        raise
    cluster = Cluster(root, port, bin_dir, options=opts)
    _wait_ready(cluster)
    return cluster


def _pg_start(bin_dir: Path, data: Path, root: Path, opts: str) -> None:
    start = subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-t", "60",
                                            "-l", str(root / "server.log"), "-o", opts, "start"]),
                           capture_output=True, text=True, timeout=90)
    if start.returncode:
        log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
        raise ClusterUnavailable(f"PostgreSQL did not start: {start.stderr.strip()} {log[-500:]}")


def _wait_ready(cluster: Cluster, timeout: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(cluster.url(), connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
