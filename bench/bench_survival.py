"""Survival curve speed: one call per fill or spot change in the window (issue 15 §5).

Prints the median time of `survival_curve` on the desk's 38 levels for long and short positions at
prices across the list, and on 1000 levels with a wide margin (a support engineer's worst list).

Run: .venv/bin/python bench/bench_survival.py [N]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from fractions import Fraction

from zn_ladder.domain.survival import SEED_LEVELS, ZN_RISK_PER_LOT, survival_curve


def median_us(calls: list, n: int) -> float:
    times = []
    for i in range(n):
        fn = calls[i % len(calls)]
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rng = random.Random(15)
    prices = [Fraction(rng.randint(108 * 64, 115 * 64), 64) for _ in range(200)]
    desk = [lambda p=p, r=rng.choice((-1, 1)) * rng.randint(1, 200) * ZN_RISK_PER_LOT: survival_curve(p, r, SEED_LEVELS)
            for p in prices]
    print(f"desk list (38 levels, NBM 25/16): {median_us(desk, n):.0f} us per call (median of {n})")
    wide_levels = sorted({Fraction(rng.randint(100 * 64, 120 * 64), 64) for _ in range(1000)})
    wide = [lambda p=p: survival_curve(p, 625, wide_levels, nbm_sixteenths=160) for p in prices]
    print(f"1000 levels, NBM 160/16: {median_us(wide, n // 5):.0f} us per call")


if __name__ == "__main__":
    main()
