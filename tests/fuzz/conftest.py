"""Shared harness of the property-based (hypothesis) fuzz suites of issue 13.

Each suite feeds generated hostile input to the real code path (the `zn-ladder` command in this
process, the importers, the TT record parsers, the TT client over loopback HTTP) and holds one property:
exit 2 with exactly one stderr line (the store's bytes unchanged), or a stored result equal to a
reference; never a traceback. `ZN_FUZZ_EXAMPLES` sets the examples per test (default 40, CI-sized);
the number of inputs each suite ran is printed at the end of the session.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("ZN_FUZZ_EXAMPLES", "40"))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

#: suite name -> generated inputs run (printed by `pytest_terminal_summary`).
RAN: Counter[str] = Counter()

fuzz_settings = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                HealthCheck.data_too_large, HealthCheck.filter_too_much])


def pytest_terminal_summary(terminalreporter) -> None:
    if RAN:
        terminalreporter.write_sep("-", "fuzz inputs run per suite")
        for name, count in sorted(RAN.items()):
            terminalreporter.write_line(f"{name}: {count}")


@pytest.fixture(autouse=True)
def _isolated_home(monkeypatch, tmp_path_factory) -> None:
    """Config, data and logs of the in-process `zn-ladder` runs go to a temporary home, and the files a
    generated relative name makes (`export --out 0.5`) to a temporary working folder, never the checkout."""
    monkeypatch.setenv("ZN_LADDER_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def run_cli(*args: str) -> tuple[int, str, str]:
    """`zn-ladder ARGS` in this process: (exit code, stdout, stderr)."""
    from zn_ladder.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return code, out.getvalue(), err.getvalue()


def assert_one_line_refusal(code: int, stderr: str) -> None:
    assert code == 2, (code, stderr[-500:])
    assert stderr.count("\n") == 1 and stderr.endswith("\n"), stderr[-500:]
    assert "Traceback" not in stderr


def store_digest(path: Path) -> str:
    """The bytes of the store file and its WAL: changed by any write."""
    digest = hashlib.sha256()
    for p in (path, Path(f"{path}-wal")):
        if p.exists():
            digest.update(p.read_bytes())
    return digest.hexdigest()


def stored(path: Path, *, times: bool = True) -> tuple:
    """What a store holds, without its own bookkeeping (row ids, arrival times, audit): fills in
    arrival order and SOD lots. `times=False` drops fill times (exports whose time is only row order)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        fills = conn.execute("SELECT key, account, contract, side, qty, price, time_ns, order_id, exec_id, source, "
                             "user, cum_qty FROM fills ORDER BY time_ns, id").fetchall()
        sod = conn.execute("SELECT date, account, contract, seq, qty, price FROM sod_lots ORDER BY 1, 2, 3, 4").fetchall()
    finally:
        conn.close()
    if not times:
        fills = [f[:6] + f[7:] for f in fills]
    return tuple(fills), tuple(sod)


class Stores:
    """Fresh copies of a baseline store (already holding fills), one per generated input."""

    def __init__(self, baseline: Path) -> None:
        self.baseline = baseline
        self.folder = Path(tempfile.mkdtemp(prefix="zn-fuzz-"))
        self._n = 0

    def fresh(self) -> Path:
        self._n += 1
        path = self.folder / f"s{self._n}.sqlite3"
        shutil.copyfile(self.baseline, path)
        return path

    def drop(self, *paths: Path) -> None:
        for p in paths:
            for q in (p, Path(f"{p}-wal"), Path(f"{p}-shm")):
                q.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def baseline_store(tmp_path_factory) -> Path:
    """A store holding the Actant SOD fixture and a few TT fills JSON fills (so it is not empty)."""
    import json

    folder = tmp_path_factory.mktemp("baseline")
    fills = folder / "base.json"
    fills.write_text(json.dumps({"fills": [
        {"execID": f"BASE{i}", "orderId": f"base-{i}", "accountId": "B", "side": "1", "lastQty": 1 + i,
         "lastPx": 110.5, "timeStamp": 1_700_000_000_000_000_000 + i, "alias": "ZN Dec26"} for i in range(3)]}))
    path = folder / "baseline.sqlite3"
    code, _, err = run_cli("import", str(fills), str(FIXTURES / "actant_sod_sample.csv"), "--db", str(path))
    assert code == 0, err
    return path
