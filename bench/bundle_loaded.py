"""Which of the bundle's native files a run of the frozen app actually maps, and which it never does.

    xvfb-run -a python bench/bundle_loaded.py dist/zn-ladder -- selftest --seconds 8
    python bench/bundle_loaded.py dist/zn-ladder --offscreen -- selftest

Runs the bundled `zn-ladder` with the given arguments and samples /proc/PID/maps of it and of its child
processes every 20 ms until they exit (Linux only). Prints every shared library / extension / plugin of
the bundle with its size, marked LOADED or never; and, with QT_DEBUG_PLUGINS, which Qt plugins Qt
looked at. This is how build.spec's filters were chosen (issue 17): a file no run maps is a candidate to
leave out; one that any run maps is not. Numbers for a person, no asserts.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

NATIVE = re.compile(r"\.(so(\.\d+)*|dll|pyd)$")


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            for child in text.split():
                found.append(int(child))
                found.extend(children(int(child)))
    except OSError:
        pass
    return found


def mapped(pid: int) -> set[str]:
    try:
        lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    except OSError:
        return set()
    return {line.split(maxsplit=5)[5] for line in lines if len(line.split(maxsplit=5)) == 6}


def run(bundle: Path, args: list[str], offscreen: bool) -> tuple[set[str], int, str]:
    env = dict(os.environ, QT_DEBUG_PLUGINS="1")
    if offscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
    home = Path(os.environ.get("TMPDIR", "/tmp")) / f"bundle_loaded_{os.getpid()}"
    env["ZN_LADDER_HOME"] = str(home)
    proc = subprocess.Popen([str(bundle / "zn-ladder"), *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    seen: set[str] = set()
    output: list[str] = []
    import threading
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    while proc.poll() is None:
        for pid in [proc.pid, *children(proc.pid)]:
            seen |= mapped(pid)
        time.sleep(0.02)
    reader.join(5)
    return seen, proc.returncode, "".join(output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--offscreen", action="store_true", help="QT_QPA_PLATFORM=offscreen")
    parser.add_argument("args", nargs="*", help="the zn-ladder command to run (after --)")
    opts = parser.parse_args(argv)
    bundle = opts.bundle.resolve()
    seen, code, output = run(bundle, opts.args, opts.offscreen)
    plugins = sorted({m.group(1) for m in re.finditer(r'loaded library "?([^"\n]+)"?', output)})
    natives = sorted(p for p in bundle.rglob("*") if p.is_file() and NATIVE.search(p.name))
    loaded_total = never_total = 0
    print(f"zn-ladder {' '.join(opts.args)}: exit {code}")
    for path in natives:
        size = path.stat().st_size
        hit = str(path) in seen or str(path.resolve()) in seen
        loaded_total += size if hit else 0
        never_total += 0 if hit else size
        print(f"{'LOADED' if hit else 'never ':6} {size / 1e6:8.2f} MB  {path.relative_to(bundle)}")
    print(f"native files loaded: {loaded_total / 1e6:.1f} MB; never loaded: {never_total / 1e6:.1f} MB")
    if plugins:
        print("Qt plugins Qt loaded (QT_DEBUG_PLUGINS):", *plugins, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
