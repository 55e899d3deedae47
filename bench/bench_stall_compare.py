"""The event-loop stall with a 2 s-latency TT, before vs after, in one run (issue 14 §18: < 50 ms).

Runs `bench_event_loop_stall.py` (each run a fresh process: the app on the simulator, every TT answer
2 s late, a 5 ms heartbeat on the GUI thread) alternately against two source trees, `--runs` times
each, so both see the same load of a shared machine. Prints each side's longest stall per run, their
median and worst, and the after/before ratios. Numbers only.

    python bench/bench_stall_compare.py --before /path/to/main/src [--runs 10] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "bench_event_loop_stall.py"


def one_run(src: Path, seconds: float, latency_ms: int) -> tuple[float, float, float, float]:
    """(longest stall ms, p99 gap ms, longest GUI-thread CPU time between beats ms, one full GC pass ms)
    of one run of the stall bench on the tree `src` (the bench script is this tree's, so `before` gets
    the CPU and GC figures too)."""
    env = dict(os.environ, PYTHONPATH=str(src), ZN_LADDER_BENCH_SRC=str(src), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, str(BENCH), "--seconds", str(seconds), "--latency-ms", str(latency_ms)],
                         env=env, capture_output=True, text=True, timeout=300, check=True).stdout
    longest = re.search(r"longest event-loop stall: (\d+) ms", out)
    p99 = re.search(r"p99 (\d+) ms", out)
    cpu = re.search(r"CPU time between two beats: (\d+) ms", out)
    full_gc = re.search(r"full garbage-collector pass on the running window: (\d+) ms", out)
    if longest is None or p99 is None or cpu is None or full_gc is None:
        raise SystemExit(f"unexpected output of {BENCH.name}:\n{out}")
    return float(longest[1]), float(p99[1]), float(cpu[1]), float(full_gc[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the src/ folder of the tree to compare against")
    parser.add_argument("--after", type=Path, default=ROOT / "src")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--latency-ms", type=int, default=2000)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float, float, float]]] = {"before": [], "after": []}
    for i in range(args.runs):
        for side in ("before", "after") if i % 2 == 0 else ("after", "before"):
            results[side].append(one_run(getattr(args, side), args.seconds, args.latency_ms))
            stall, p99, cpu, full_gc = results[side][-1]
            print(f"run {i + 1} {side}: longest stall {stall:.0f} ms (GUI-thread CPU {cpu:.0f} ms), p99 {p99:.0f} ms, "
                  f"full GC pass {full_gc:.0f} ms", flush=True)
    summary = {}
    for side, runs in results.items():
        worst = [r[0] for r in runs]
        cpu = [r[2] for r in runs]
        summary[side] = (statistics.median(worst), max(worst), statistics.median(r[1] for r in runs),
                         statistics.median(cpu), max(cpu), statistics.median(r[3] for r in runs))
        print(f"{side}: longest stall over {len(runs)} runs: median {summary[side][0]:.0f} ms, worst "
              f"{summary[side][1]:.0f} ms; median p99 gap {summary[side][2]:.0f} ms; runs under 50 ms: "
              f"{sum(w < 50 for w in worst)}/{len(worst)}; GUI-thread CPU between beats: median "
              f"{summary[side][3]:.0f} ms, worst {summary[side][4]:.0f} ms; a full GC pass: median "
              f"{summary[side][5]:.0f} ms")
    b, a = summary["before"], summary["after"]
    print(f"after/before: median stall {a[0] / b[0]:.2f}, worst {a[1] / b[1]:.2f}, p99 gap {a[2] / b[2]:.2f}, "
          f"GUI-thread CPU median {a[3] / b[3]:.2f}, worst {a[4] / b[4]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
