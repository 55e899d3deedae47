"""A reader that closes the pipe early (`| head`) is not a crash: no traceback, no crash report."""

import subprocess
import sys


def test_closed_stdout_on_json_output(cli_env, tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "zn_ladder", "price", "110'165", "--json"], env=cli_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err
    assert b"BrokenPipe" not in err
    logs = tmp_path / "home" / "logs"
    crash_reports = list(logs.glob("crash-*")) if logs.exists() else []
    assert crash_reports == []
