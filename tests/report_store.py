"""A trading day in a real store for the report tests: SOD lots, fills of two accounts and two products,
busts and corrections, the day before and the day after; and the day's fills as they stand, worked out
by hand (tests/trade_model.apply_busts), for the independent checks."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.trade_model import apply_busts
from zn_ladder.domain.records import CorrectionKind, Fill, FillCorrection, Side, SodLot
from zn_ladder.store.store import Store

DAY = date(2025, 7, 15)
#: 2025-07-15 13:30 UTC = 08:30 Chicago: trading day 2025-07-15 runs 2025-07-14 21:00 UTC to 07-15 21:00 UTC.
OPEN_NS = 1_752_586_200_000_000_000
S = 1_000_000_000
BASES = {"ZN Sep25": 7040, "ZF Sep25": 13500}


@dataclass
class StoredDay:
    path: Path
    #: The day's fills as they stand (busts dropped, corrections applied), in time order.
    fills: list[Fill]
    sod: list[SodLot]


def make_fills(rng: random.Random, count: int, *, t0: int = OPEN_NS, prefix: str = "x",
               accounts: tuple[str, ...] = ("ACC1", "ACC2"), contracts: tuple[str, ...] = ("ZN Sep25", "ZF Sep25"),
               step_s: int = 97) -> list[Fill]:
    out = []
    for i in range(count):
        contract = rng.choice(contracts)
        out.append(Fill(f"{prefix}{i}", rng.choice(accounts), contract, Side(rng.choice([1, -1])), rng.randint(1, 6),
                        BASES[contract] + rng.randint(-6, 6), t0 + i * step_s * S + rng.randint(0, 50) * S // 100,
                        order_id=f"o{prefix}{i}", source="tt_api", user="trader1"))
    return out


def corrections_for(rng: random.Random, fills: list[Fill], count: int) -> list[tuple[str, str, int | None, int | None]]:
    picks = rng.sample(range(len(fills)), min(count, len(fills)))
    out = []
    for j, i in enumerate(picks):
        f = fills[i]
        if j % 2:
            out.append(("bust", f.key, None, None))
        else:
            out.append(("correct", f.key, rng.randint(1, 6), BASES[f.contract] + rng.randint(-6, 6)))
    return out


def store_day(path: Path, fills: list[Fill], corrections: list[tuple], sod: list[SodLot],
              extra: list[Fill] = ()) -> StoredDay:
    """Ingest `fills` (+ `extra`, other days) and then `corrections` into a new store at `path`."""
    last = max(f.time_ns for f in fills) if fills else OPEN_NS
    records = [FillCorrection(f"c{j}", ref, CorrectionKind.BUST if kind == "bust" else CorrectionKind.CORRECT,
                              last + (j + 1) * S, qty, price) for j, (kind, ref, qty, price) in enumerate(corrections)]
    with Store.open(path) as store:
        if sod:
            store.put_sod(sod, source="test")
        store.ingest([*extra, *fills])
        if records:
            store.ingest([], records)
    standing = sorted(apply_busts(fills, corrections), key=lambda f: f.time_ns)
    return StoredDay(path, standing, sod)


def sample_day(path: Path, seed: int = 7, count: int = 80) -> StoredDay:
    """A busy, fixed day: SOD for both accounts, 80 fills, 6 busts/corrections, fills the day before."""
    rng = random.Random(seed)
    fills = make_fills(rng, count)
    sod = [SodLot("ACC1", "ZN Sep25", 4, 7036, DAY.isoformat()), SodLot("ACC2", "ZF Sep25", -3, 13504, DAY.isoformat())]
    # the day before, in a book whose SOD of the day supersedes it (the store's books leave it out too)
    before = make_fills(rng, 5, t0=OPEN_NS - 86_400 * S, prefix="y", accounts=("ACC1",), contracts=("ZN Sep25",))
    return store_day(path, fills, corrections_for(rng, fills, 6), sod, before)
