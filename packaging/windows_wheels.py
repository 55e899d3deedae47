"""The Windows dependency set, resolved for Windows, with a win_amd64 wheel for every pin (issue 17).

    python packaging/windows_wheels.py --uv build/windows-check/tools/bin/uv --out build/windows-check/wheels

For each Python version the desks may get (3.11, 3.12):
1. `uv pip compile pyproject.toml --extra test --extra build --python-platform x86_64-pc-windows-msvc`:
   what `pip install -e ".[test,build]"` installs on the windows-latest runner, with every environment
   marker evaluated for Windows (`pip download --platform win_amd64` evaluates them for the machine it
   runs on: it fetched jeepney and secretstorage, and missed pywin32-ctypes and pefile);
2. `pip install --dry-run --no-deps --only-binary=:all: --platform win_amd64 --python-version X` on those
   pins, with `--report`: pip picks for each pin the wheel a 64-bit Windows CPython X accepts, as
   `pip download` with the same options would, or fails naming the pin; it reads each wheel's metadata
   only, so nothing large is downloaded (Requires-Python was honoured by uv's resolution; pip would
   test it against the interpreter running this script). The chosen file names are checked again here (a wheel, for
   `any` or `win_amd64`) and written beside the pins.
Exit 0 when every pin of every version has one; else 1 with the pins that do not.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHONS = ("3.11", "3.12")
#: Markers resolved for Windows: keyring's Windows backend needs pywin32-ctypes; the Linux Secret Service
#: stack must not be there.
WINDOWS_ONLY = ("pywin32-ctypes",)
NOT_ON_WINDOWS = ("secretstorage", "jeepney")


def pins(requirements: str) -> dict[str, str]:
    """name -> version of a `uv pip compile` output (names normalised as PEP 503 does)."""
    found = {}
    for line in requirements.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found[normalise(name)] = version.split(";", 1)[0].strip()
    return found


def normalise(name: str) -> str:
    return "-".join(name.replace("_", "-").replace(".", "-").lower().split("-"))


def wheel_problem(filename: str) -> str | None:
    """Why a distribution file is not a wheel that installs on 64-bit Windows (None: it is one)."""
    if not filename.endswith(".whl"):
        return f"{filename} is not a wheel"
    platforms = filename[:-4].split("-")[-1].split(".")
    if not all(tag in ("any", "win_amd64") for tag in platforms):
        return f"{filename} is not for win_amd64"
    return None


def check_python(uv: Path, python: str, out: Path) -> list[str]:
    problems = []
    requirements = out / f"windows-py{python}.txt"
    done = subprocess.run([str(uv), "pip", "compile", str(ROOT / "pyproject.toml"), "--extra", "test",
                           "--extra", "build", "--python-platform", "x86_64-pc-windows-msvc", "--python-version",
                           python, "--no-header", "--no-annotate", "--quiet", "-o", str(requirements)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return [f"uv pip compile for Windows / Python {python} failed:\n{done.stderr[-2000:]}"]
    pinned = pins(requirements.read_text())
    problems += [f"Python {python}: {name} missing from the Windows set" for name in WINDOWS_ONLY if name not in pinned]
    problems += [f"Python {python}: {name} (Linux only) in the Windows set" for name in NOT_ON_WINDOWS if name in pinned]

    report = out / f"windows-py{python}-wheels.json"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps",
                           "--only-binary=:all:", "--platform", "win_amd64", "--python-version", python,
                           "--implementation", "cp", "--target", str(out / "never-written"),
                           # uv has already honoured Requires-Python for this version; pip's own check
                           # would compare it with the interpreter running this script instead
                           "--ignore-requires-python",
                           "--disable-pip-version-check", "--quiet", "--report", str(report),
                           "-r", str(requirements)], capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if "Location 'file:" not in line]
        return problems + [f"Python {python}: no win_amd64 wheel for a pin:\n" + "\n".join(lines[-20:])]
    chosen = {normalise(item["metadata"]["name"]): item["download_info"]["url"].rsplit("/", 1)[-1]
              for item in json.loads(report.read_text())["install"]}
    for name, version in sorted(pinned.items()):
        filename = chosen.get(name)
        if filename is None:
            problems.append(f"Python {python}: pip chose nothing for {name}=={version}")
        elif problem := wheel_problem(filename):
            problems.append(f"Python {python}: {name}=={version}: {problem}")
    (out / f"windows-py{python}-wheels.txt").write_text("".join(f"{chosen.get(n, '?')}\n" for n in sorted(pinned)))
    native = sum(1 for n in pinned if "win_amd64" in chosen.get(n, ""))
    print(f"  Python {python}: {len(pinned)} pins for Windows, each with a wheel ({native} win_amd64, "
          f"{len(pinned) - native} pure); {requirements}", flush=True)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uv", type=Path, default="uv")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "windows-check" / "wheels")
    parser.add_argument("--python", action="append", help="Python version (default: 3.11 and 3.12)")
    opts = parser.parse_args(argv)
    opts.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with ThreadPoolExecutor() as pool:  # the versions at once: the time goes in waiting for the index
        results = list(pool.map(lambda python: check_python(opts.uv, python, opts.out.resolve()),
                                opts.python or PYTHONS))
    problems = [problem for result in results for problem in result]
    for problem in problems:
        print(f"windows_wheels: {problem}", file=sys.stderr)
    print(f"  Windows wheels: {'FAILED' if problems else 'every pin has one'} ({time.monotonic() - started:.0f} s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
