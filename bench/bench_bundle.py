"""Bundle size and cold start to the first painted ladder, for the PyInstaller folder (issue 9).

    python bench/bench_bundle.py [dist/zn-ladder] [--runs 5] [--no-compress]

Size: the folder on disk (target <= 150 MB), its biggest parts, and the zip-deflated size (about what a
download or the installer carries; Inno Setup's lzma2 is smaller still).

Start: launches the bundled `zn-ladder` with no command (the window, DEMO on the built-in simulator, a
fresh ZN_LADDER_HOME each run) and watches the real screen from outside the app: on Linux on a private
Xvfb display, on Windows the desktop. The clock runs from the process start to the first screen grab
that shows the ladder's buy or sell order cells (the dark theme's #1f5fae / #b3262f), i.e. the first
ladder painted with live orders (target <= 2 s). Run 1 is the coldest this machine allows without
dropping the OS file cache; the median of the other runs is the warm start. Numbers, no asserts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# QImage.Format_RGB32 pixels as bytes on a little-endian machine: B, G, R, 0xff.
LADDER_COLOURS = (bytes((0xAE, 0x5F, 0x1F, 0xFF)), bytes((0x2F, 0x26, 0xB3, 0xFF)))


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def parts(bundle: Path) -> list[tuple[str, int]]:
    internal = bundle / "_internal"
    groups = {
        "Playwright driver (node + JS)": [internal / "playwright"],
        "Qt (PySide6, shiboken6)": [internal / "PySide6", internal / "shiboken6"],
        "numpy (+ OpenBLAS)": [internal / "numpy", internal / "numpy.libs"],
    }
    sizes = [(name, sum(folder_size(p) for p in paths if p.exists())) for name, paths in groups.items()]
    sizes.append(("everything else (Python, libs, app)", folder_size(bundle) - sum(s for _, s in sizes)))
    return sizes


def deflated_size(bundle: Path) -> int:
    total = 0
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            packer = zlib.compressobj(6)
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    total += len(packer.compress(chunk))
            total += len(packer.flush())
    return total


def start_display() -> tuple[subprocess.Popen | None, dict[str, str]]:
    """Linux: a private Xvfb (its own display number through -displayfd). Windows: the desktop."""
    if sys.platform == "win32":
        return None, {"QT_QPA_PLATFORM": "windows"}
    if shutil.which("Xvfb") is None:
        raise SystemExit("bench_bundle: needs Xvfb on Linux (apt-get install xvfb)")
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(read, 16)
        if not chunk:
            raise SystemExit("bench_bundle: Xvfb did not start")
        number += chunk
    os.close(read)
    return xvfb, {"DISPLAY": f":{number.decode().strip()}", "QT_QPA_PLATFORM": "xcb"}


def ladder_on_screen(screen) -> bool:
    from PySide6.QtGui import QImage

    image = screen.grabWindow(0).toImage().convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(image.constBits())
    return any(colour in data for colour in LADDER_COLOURS)


def first_ladder(exe: Path, display_env: dict[str, str], screen, timeout: float) -> float | None:
    """Seconds from process start to the first grab showing ladder order cells (None: not seen)."""
    with tempfile.TemporaryDirectory(prefix="zn-bench-bundle-") as home:
        env = dict(os.environ, ZN_LADDER_HOME=home, **display_env)
        for var in ("ZN_LADDER_TT_KEY", "ZN_LADDER_TT_SECRET", "PYTHONPATH"):
            env.pop(var, None)
        if ladder_on_screen(screen):
            raise SystemExit("bench_bundle: the screen already shows ladder colours before the start")
        started = time.perf_counter()
        app = subprocess.Popen([str(exe)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            while time.perf_counter() - started < timeout:
                if ladder_on_screen(screen):
                    return time.perf_counter() - started
                if app.poll() is not None:
                    sys.stderr.write(app.stderr.read().decode(errors="replace"))
                    return None
                time.sleep(0.01)
            return None
        finally:
            if app.poll() is None:
                app.terminate()
                try:
                    app.wait(10)
                except subprocess.TimeoutExpired:
                    app.kill()
                    app.wait()
            # let the window disappear before the next run looks at the screen
            deadline = time.perf_counter() + 5
            while ladder_on_screen(screen) and time.perf_counter() < deadline:
                time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description="bundle size and cold start to the first painted ladder")
    parser.add_argument("bundle", type=Path, nargs="?", default=ROOT / "dist" / "zn-ladder")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--no-compress", action="store_true", help="skip the (10-20 s) deflated size")
    opts = parser.parse_args()
    exe = opts.bundle / ("zn-ladder.exe" if sys.platform == "win32" else "zn-ladder")
    if not exe.is_file():
        raise SystemExit(f"bench_bundle: {exe} not found (pyinstaller build.spec first)")

    total = folder_size(opts.bundle)
    print(f"bundle: {opts.bundle}")
    print(f"size on disk: {total / 1e6:.1f} MB (target <= 150 MB), {sum(1 for _ in opts.bundle.rglob('*'))} entries")
    sizes = parts(opts.bundle)
    for name, size in sizes:
        print(f"  {name:<38} {size / 1e6:7.1f} MB")
    print(f"without the Playwright driver: {(total - sizes[0][1]) / 1e6:.1f} MB")
    if not opts.no_compress:
        print(f"zip-deflated (download/installer size, approx.): {deflated_size(opts.bundle) / 1e6:.1f} MB")

    xvfb, display_env = start_display()
    try:
        os.environ.update(display_env)
        from PySide6.QtGui import QGuiApplication

        app = QGuiApplication(sys.argv[:1])  # noqa: F841 (needed for screen grabs)
        screen = QGuiApplication.primaryScreen()
        times = [first_ladder(exe, display_env, screen, opts.timeout) for _ in range(opts.runs)]
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
    shown = ", ".join("not seen" if t is None else f"{t:.2f}" for t in times)
    print(f"start to first painted ladder (s), per run: {shown}")
    if times and times[0] is not None:
        print(f"  first (coldest) run: {times[0]:.2f} s (target <= 2 s)")
    warm = [t for t in times[1:] if t is not None]
    if warm:
        print(f"  warm median of {len(warm)}: {statistics.median(warm):.2f} s, min {min(warm):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
