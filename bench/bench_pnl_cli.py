"""Whole-process `zn-ladder pnl` on a generated 200,000-fill fill-monitor CSV (target <= 0.4 s).

Prints the median wall time of 5 runs for LIFO and FIFO (and the CPU time of the process, which the
other jobs on a shared machine disturb less), then the old tool's way for comparison: pandas
`read_csv` + an `iterrows` LIFO loop on the same file (run once: it takes seconds).

    /work/venv/bin/python bench/bench_pnl_cli.py [--fills 200000] [--runs 5] [--skip-pandas]

The pandas comparison needs the `bench` extra (`pip install -e ".[bench]"`); the app itself never imports
pandas.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from process_timing import child_env, command, run_once  # noqa: E402 (bench/ sibling)

HEADER = ("Date,Time,InstrumentId,InstrumentName,Side,SideName,Quantity,Price,OrderId,AccountId,MarketId,"
          "TransactTime,TimeStamp,ExecId,OrderStatus,Exchange,Contract,Originator,CurrentUser")
CONTRACT = "ZN Sep25"


def generate(path: Path, n: int, seed: int = 7) -> None:
    """A day-like stream: a random walk around 110'160 in ZN ticks (1/64), orders filling in 1-3 parts,
    empty ExecId (as the real fill monitor writes it), two users."""
    rng = random.Random(seed)
    tick = 7050  # ticks of 1/64
    stamp = 1_751_900_000_000_000_000
    lines = [HEADER]
    written = 0
    while written < n:
        tick += rng.choice((-1, 0, 0, 1))
        side = rng.choice((1, 2))
        order = uuid.UUID(int=rng.getrandbits(128))
        for _ in range(min(rng.choice((1, 1, 2, 3)), n - written)):
            stamp += rng.randint(1_000, 400_000_000)
            qty = rng.choice((1, 1, 1, 2, 5, 10))
            price = repr(tick / 64)
            secs = (stamp // 1_000_000) % 86_400_000
            clock = f"{secs // 3_600_000:02d}:{secs // 60_000 % 60:02d}:{secs // 1000 % 60:02d}.{secs % 1000:03d}"
            lines.append(f"2025-07-07,{clock},1375333834396392980,Unknown_1375333834396392980,{side},"
                         f"{'BUY' if side == 1 else 'SELL'},{qty}.0,{price},{order},1334000,7,{stamp},{stamp},,"
                         f"{2 if rng.random() < 0.7 else 3},CME,{CONTRACT},,{rng.choice(('Eric', 'SPatoliya'))}")
            written += 1
    path.write_text("\n".join(lines) + "\n")


def pandas_lifo(path: Path) -> float:
    """The old tool's approach: pandas read_csv + iterrows + a LIFO list of lots (floats)."""
    code = f"""
import time
start = time.perf_counter()
import pandas as pd
df = pd.read_csv({str(path)!r})
df = df[df["Contract"] == {CONTRACT!r}]
lots = []
realized = 0.0
for _, row in df.iterrows():
    qty = row["Quantity"] if row["Side"] == 1 else -row["Quantity"]
    price = row["Price"]
    while qty and lots and (lots[-1][0] > 0) != (qty > 0):
        lot_qty, lot_price = lots[-1]
        matched = min(abs(qty), abs(lot_qty))
        sign = 1 if lot_qty > 0 else -1
        realized += sign * matched * (price - lot_price) * 1000
        if matched == abs(lot_qty):
            lots.pop()
        else:
            lots[-1] = [lot_qty - sign * matched, lot_price]
        qty += sign * matched
    if qty:
        lots.append([qty, price])
print(time.perf_counter() - start)
"""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fills", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="time the processes in the shell's environment as it is (see child_env)")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fills.csv"
        generate(path, opts.fills)
        size_mb = path.stat().st_size / 1e6
        env = None if opts.no_bytecode_cache else child_env(str(Path(tmp) / "pycache"))
        print(f"file: {opts.fills:,} fills, {size_mb:.1f} MB; machine: {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.2f}; bytecode cache: {'as the shell has it' if env is None else 'yes'}")
        medians = {}
        for method in ("lifo", "fifo"):
            args = [*command(), "pnl", str(path), "--contract", CONTRACT, "--method", method, "--mark", "110'160",
                    "--json"]
            run_once(args, env)  # warm the page cache and .pyc files
            samples = [run_once(args, env) for _ in range(opts.runs)]
            wall = statistics.median(s[0] for s in samples)
            cpu = statistics.median(s[1] for s in samples)
            medians[method] = wall
            print(f"zn-ladder pnl --method {method}: median wall {wall * 1000:.0f} ms, cpu {cpu * 1000:.0f} ms "
                  f"over {opts.runs} runs (target <= 400 ms)")
        if not opts.skip_pandas:
            old = pandas_lifo(path)
            print(f"pandas iterrows LIFO (the old tool's way), whole process: {old:.2f} s "
                  f"= {old / medians['lifo']:.0f}x the new LIFO")


if __name__ == "__main__":
    main()
