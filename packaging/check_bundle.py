"""Check a built bundle the way a desk would use it; exit 1 with the reason when anything is off.

    python packaging/check_bundle.py dist/zn-ladder [--browser /usr/bin/chromium|msedge]

1. `zn-ladder --version` answers the package's version (the frozen app starts and reads its metadata);
2. `zn-ladder selftest` passes offscreen: the window, the workers, the embedded TT simulator and the
   store all run from the bundle and the numbers on screen equal the domain's (this proves the frozen
   app imports everything it needs, including the modules reached only through importlib);
3. with `--browser`: `zn-ladder spot` reads a price from a page served on 127.0.0.1 through the bundled
   Playwright driver and the system's browser (the bundle carries node, never a browser);
4. the bundle holds no browser (no `.local-browsers`, no chrome/msedge executable).
Every step runs with ZN_LADDER_HOME in a temporary folder: nothing touches the user's settings.
Prints each step's wall time; CI (.ci/run, .github/workflows/windows.yml) runs this after the build.
"""

from __future__ import annotations

import argparse
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = b"""<!doctype html><html><head><title>Pricing Monkey</title></head><body><table>
<tr><td>ZN</td><td id="zn-mid">110-08.5</td></tr></table></body></html>"""


def executable(bundle: Path) -> Path:
    exe = bundle / ("zn-ladder.exe" if sys.platform == "win32" else "zn-ladder")
    if not exe.is_file():
        raise SystemExit(f"check_bundle: {exe} not found (build with `pyinstaller build.spec` first)")
    return exe


def run(step: str, cmd: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    started = time.monotonic()
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise SystemExit(f"check_bundle: {step}: no answer within {timeout:.0f}s") from None
    print(f"{step:<10} {time.monotonic() - started:6.2f} s  exit {done.returncode}  {done.stdout.strip()[:150]}")
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"check_bundle: {step} failed (exit {done.returncode})")
    return done


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *_: object) -> None:
        pass


def check_no_browser(bundle: Path) -> None:
    names = {"chrome", "chrome.exe", "msedge", "msedge.exe", "chromium", "chromium.exe", "headless_shell",
             "headless_shell.exe", "firefox", "firefox.exe"}
    found = [p for p in bundle.rglob("*")
             if (p.is_file() and p.name in names) or (p.is_dir() and p.name in (".local-browsers", "ms-playwright"))]
    if found:
        raise SystemExit(f"check_bundle: the bundle carries a browser: {found[:3]}")
    drivers = [p for p in bundle.rglob("*") if p.name in ("node", "node.exe") and "playwright" in p.parts]
    if not drivers:
        raise SystemExit("check_bundle: Playwright's driver (node) is missing from the bundle")
    print(f"{'browser':<10} none bundled; Playwright driver {drivers[0].relative_to(bundle)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, nargs="?", default=ROOT / "dist" / "zn-ladder")
    parser.add_argument("--browser", help="check the spot reader with this browser (path, msedge, chrome)")
    parser.add_argument("--selftest-seconds", type=float, default=60.0)
    opts = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from zn_ladder import __version__

    exe = executable(opts.bundle)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="zn-bundle-check-") as home:
        env = dict(os.environ, ZN_LADDER_HOME=home, QT_QPA_PLATFORM="offscreen")
        for var in ("ZN_LADDER_TT_KEY", "ZN_LADDER_TT_SECRET", "PYTHONPATH", "PYTHONHOME"):
            env.pop(var, None)
        done = run("version", [str(exe), "--version"], env, 60)
        if done.stdout.strip() != f"zn-ladder {__version__}":
            raise SystemExit(f"check_bundle: --version says {done.stdout.strip()!r}, the source says {__version__}")
        run("selftest", [str(exe), "selftest", "--seconds", str(opts.selftest_seconds)], env,
            opts.selftest_seconds + 60)
        if opts.browser:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            try:
                url = f"http://127.0.0.1:{server.server_address[1]}/pm"
                done = run("spot", [str(exe), "spot", "--url", url, "--locator", "#zn-mid", "--browser",
                                    opts.browser, "--json"], env, 120)
            finally:
                server.shutdown()
            if '"tt": "110\'085"' not in done.stdout:
                raise SystemExit(f"check_bundle: spot read {done.stdout.strip()!r}, expected 110'085")
        check_no_browser(opts.bundle)
        crashes = list(Path(home).rglob("crash-*.txt"))
        if crashes:
            raise SystemExit(f"check_bundle: crash reports were written: {crashes}")
    print(f"bundle ok in {time.monotonic() - started:.1f} s: {opts.bundle}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
