"""Crash reports: an exception escaping a worker thread or the main thread leaves a report, no secret.

Real processes: the hooks are process-wide, so each scenario runs in its own interpreter with
ZN_LADDER_HOME in tmp_path, and the test reads what that process left in its log folder.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

KEY = "3f2a9c1e-0b7d-4e21-9a55-6c1d2e3f4a5b"
SECRET = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"

SCRIPT = textwrap.dedent(f"""
    import logging, threading
    from zn_ladder import crash
    from zn_ladder.config.logging_setup import setup_file_logging
    from zn_ladder.config.redaction import register_secret

    setup_file_logging()
    crash.install()
    register_secret("{SECRET}")
    logging.getLogger("zn_ladder.tt.client").warning("about to poll with secret {SECRET}")

    def poll_fills():
        raise RuntimeError("401 for Authorization: Bearer {SECRET}")

    t = threading.Thread(target=poll_fills, name="fills-poller")
    t.start()
    t.join()
    print("main thread still running after the worker crashed", flush=True)
    raise ValueError("bad app_key={KEY}:{SECRET}")
""")


def _run(code: str, cli_env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=cli_env, capture_output=True, text=True, timeout=60)


def _reports(home: Path) -> list[Path]:
    return sorted((home / "logs").glob("crash-*.txt"))


def _all_text(home: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in home.rglob("*") if p.is_file())


def test_worker_and_main_thread_crashes_write_reports_without_secrets(cli_env, tmp_path: Path) -> None:
    home = Path(cli_env["ZN_LADDER_HOME"])
    done = _run(SCRIPT, cli_env)
    assert done.returncode == 1
    assert "main thread still running after the worker crashed" in done.stdout
    reports = _reports(home)
    assert len(reports) == 2, (done.stderr, reports)
    texts = [p.read_text(encoding="utf-8") for p in reports]
    worker = next(t for t in texts if "thread: fills-poller" in t)
    main = next(t for t in texts if "thread: MainThread" in t)
    assert "RuntimeError: 401 for Authorization: ***" in worker and "poll_fills" in worker
    assert "ValueError: bad app_key=***" in main and "Traceback" in main
    for text in texts:
        assert "version: " in text and "platform: " in text
        assert "about to poll with secret ***" in text  # the log's tail, redacted
    # one line per crash on stderr naming the report
    assert sum("crash report" in line for line in done.stderr.splitlines()) >= 2
    assert str(reports[0]) in done.stderr or str(reports[1]) in done.stderr
    assert SECRET not in _all_text(home)


def test_a_crashing_cli_command_writes_a_report(cli_env) -> None:
    """The `zn-ladder` entry installs the hooks itself: a bug in a subcommand leaves a report."""
    home = Path(cli_env["ZN_LADDER_HOME"])
    code = textwrap.dedent(f"""
        import sys
        import zn_ladder.cli as cli
        import zn_ladder.cli.price as price

        def boom(args):
            raise KeyError("password={SECRET}")

        original = price.register
        def register(sub):
            original(sub)
            sub.choices["price"].set_defaults(run=boom)
        price.register = register
        sys.exit(cli.main(["price", "110'165", "--product", "ZN"]))
    """)
    done = _run(code, cli_env)
    assert done.returncode == 1
    reports = _reports(home)
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "KeyError" in text and "boom" in text and SECRET not in text
    assert f"crash report {reports[0]}" in done.stderr


def test_bad_input_is_not_a_crash(run_cli, cli_env) -> None:
    """A ZnLadderError stays one line on stderr with exit 2 and leaves no report."""
    done = run_cli("price", "garbage", "--product", "ZN")
    assert done.returncode == 2
    assert _reports(Path(cli_env["ZN_LADDER_HOME"])) == []


def test_report_folder_not_writable_still_tells_the_user(cli_env, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the log folder should be")
    code = textwrap.dedent(f"""
        from pathlib import Path
        from zn_ladder import crash
        seen = []
        crash.install(folder=Path({str(blocked / "logs")!r}))
        crash.add_notifier(seen.append)
        try:
            raise RuntimeError("disk trouble")
        except RuntimeError as exc:
            report = crash.handle(type(exc), exc, exc.__traceback__)
        print(report.path, "|", report.summary, "|", len(seen))
    """)
    done = _run(code, cli_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("None | RuntimeError: disk trouble (the crash report could not be written")
    assert done.stdout.strip().endswith("| 1")


def test_a_crash_report_never_holds_a_secret_given_on_the_command_line(cli_env) -> None:
    """`sim --api-secret S` is a real command line: its report masks S (`--flag S` and `--flag=S`)."""
    home = Path(cli_env["ZN_LADDER_HOME"])
    code = textwrap.dedent(f"""
        import sys
        import zn_ladder.cli as cli
        import zn_ladder.cli.sim as sim

        def boom(args):
            raise RuntimeError("the simulator broke")

        original = sim.register
        def register(sub):
            original(sub)
            sub.choices["sim"].set_defaults(run=boom)
        sim.register = register
        sys.argv = ["zn-ladder", "sim", "--api-key=plainkey12", "--api-secret", "s3cr3t-on-argv"]
        sys.exit(cli.main(sys.argv[1:]))
    """)
    done = _run(code, cli_env)
    assert done.returncode == 1, done.stderr
    text = _reports(home)[0].read_text(encoding="utf-8")
    assert "command: zn-ladder sim --api-key=*** --api-secret ***" in text
    for secret in ("plainkey12", "s3cr3t-on-argv"):
        assert secret not in _all_text(home)
