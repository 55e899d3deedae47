"""The fast path of `pnl` (one fill-monitor file matched from its CSV scan, no `Fill` records) must give
exactly what the general path (Fill records, as for every other source) gives."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from zn_ladder.cli.inputs import read_fills
from zn_ladder.cli.pnl import match, pnl_payload
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_price

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ZN = get_product("ZN")
HEADER = ("Date,Time,InstrumentId,InstrumentName,Side,SideName,Quantity,Price,OrderId,AccountId,MarketId,"
          "TransactTime,TimeStamp,ExecId,OrderStatus,Exchange,Contract,Originator,CurrentUser")


def payloads(path: Path, contract: str, method: str):
    out = []
    for records in (False, True):
        batch = read_fills([str(path)], default_contract=contract, records=records)
        assert (len(batch.fills) == 0) is (not records)
        books = match(batch.rows, ZN, method, contract, None, ())
        out.append(pnl_payload(books.by_account, method=method, contract=contract, product=ZN,
                               mark=parse_price("111'000", ZN), batch=batch, fills=books.fills,
                               duplicates=books.duplicates))
    return out


@pytest.mark.parametrize("method", ["lifo", "fifo"])
@pytest.mark.parametrize("contract", ["ZN Sep25", "ZN Jun25"])
def test_fixture_fast_equals_general(method, contract):
    fast, general = payloads(FIXTURES / "fill_monitor_sample.csv", contract, method)
    assert fast == general
    assert fast["fills"] == {"ZN Sep25": 122, "ZN Jun25": 175}[contract]


@pytest.mark.parametrize("method", ["lifo", "fifo"])
def test_messy_generated_file_fast_equals_general(tmp_path, method):
    # Two accounts, exec ids on some rows (one repeated: counted once), rows out of time order, a bad row.
    rng = random.Random(3)
    lines = [HEADER]
    for i in range(400):
        side = rng.choice((1, 2))
        exec_id = f"E{i % 50}" if i % 7 == 0 else ""
        stamp = 1_751_900_000_000_000_000 + rng.randint(0, 10**12)
        lines.append(f"2025-07-07,10:00:00.000,1,x,{side},{'BUY' if side == 1 else 'SELL'},{rng.randint(1, 9)}.0,"
                     f"{110 + rng.randint(0, 40) / 64!r},ord{rng.randint(0, 60)},{rng.choice(('A', 'B'))},7,"
                     f"{stamp},{stamp},{exec_id},2,CME,ZN Sep25,,Eric")
    lines.insert(100, "2025-07-07,10:00:00.000,1,x,1,BUY,1.0")
    path = tmp_path / "messy.csv"
    path.write_text("\n".join(lines) + "\n")
    fast, general = payloads(path, "ZN Sep25", method)
    assert fast == general
    assert fast["fills"] + fast["skipped"] == 401
    assert any("counted once" in w for w in fast["warnings"])
