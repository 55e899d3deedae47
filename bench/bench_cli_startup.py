"""`zn-ladder --help` start-up: median wall time of 20 whole processes (target <= 150 ms).

Also prints the CPU time of the process (less disturbed by other jobs on a shared machine) and the
slowest imports of one run (`python -X importtime`), which is where start-up time goes.

    /work/venv/bin/python bench/bench_cli_startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from process_timing import child_env, command, run_once  # noqa: E402 (bench/ sibling)


def slowest_imports(env: dict[str, str] | None, top: int = 8) -> list[tuple[int, str]]:
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "zn_ladder", "--help"], capture_output=True,
                         text=True, check=True, env=env)
    rows = []
    for line in out.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="time the processes in the shell's environment as it is (see child_env)")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measure(opts, None if opts.no_bytecode_cache else child_env(tmp))


def measure(opts: argparse.Namespace, env: dict[str, str] | None) -> None:
    args = [*command(), "--help"]
    run_once(args, env)  # warm the page cache and .pyc files
    samples = [run_once(args, env) for _ in range(opts.runs)]
    baseline = [run_once([sys.executable, "-c", "pass"], env) for _ in range(5)]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
          f"bytecode cache: {'as the shell has it' if env is None else 'yes'}")
    print(f"zn-ladder --help: median wall {statistics.median(s[0] for s in samples) * 1000:.0f} ms, "
          f"cpu {statistics.median(s[1] for s in samples) * 1000:.0f} ms over {opts.runs} runs (target <= 150 ms); "
          f"bare python: {statistics.median(s[0] for s in baseline) * 1000:.0f} ms")
    print("slowest imports (cumulative us):")
    for micros, name in slowest_imports(env):
        print(f"  {micros:>8}  {name}")


if __name__ == "__main__":
    main()
