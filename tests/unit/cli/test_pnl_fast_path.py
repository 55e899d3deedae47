"""The fast paths of `pnl` (one fill-monitor file read as columns and matched in one batch per account, or
its scanned rows; no `Fill` records) must give exactly what the row reader and the general path (Fill
records, as for every other source) give."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from zn_ladder.cli.inputs import FillBatch, fill_columns, read_fills
from zn_ladder.cli.pnl import Matcher, match, pnl_payload
from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import parse_price
from zn_ladder.importers.fill_monitor import scan_rows
from zn_ladder.importers.text import read_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ZN = get_product("ZN")
HEADER = ("Date,Time,InstrumentId,InstrumentName,Side,SideName,Quantity,Price,OrderId,AccountId,MarketId,"
          "TransactTime,TimeStamp,ExecId,OrderStatus,Exchange,Contract,Originator,CurrentUser")


def payload(books, batch, contract, method):
    return pnl_payload(books.by_account, method=method, contract=contract, product=ZN,
                       mark=parse_price("111'000", ZN), batch=batch, fills=books.fills, duplicates=books.duplicates)


def payloads(path: Path, contract: str, method: str, account: str | None = None, market: str = "CME"):
    """(columns, scanned rows, Fill records) payloads, each checked against the row reader's;
    columns is None for an irregular file (a broken row: the command reads rows instead)."""
    rows, warnings, _ = scan_rows(path, read_text(path))
    batch = FillBatch(warnings=tuple(f"{path.name}: {w}" for w in warnings), skipped=len(warnings), rows=rows)
    reference = payload(match(rows, ZN, method, contract, account, (), market), batch, contract, method)
    found = fill_columns([str(path)], None)
    out = [None]
    if found is not None:
        matcher = Matcher(ZN, method, contract, account, (), market)
        matcher.add_columns(found[0])
        out = [payload(matcher.books(), found[1], contract, method)]
    for records in (False, True):
        batch = read_fills([str(path)], default_contract=contract, records=records)
        assert (len(batch.fills) == 0) is (not records)
        out.append(payload(match(batch.rows, ZN, method, contract, account, (), market), batch, contract, method))
    assert out[1] == out[2] == reference
    return out


@pytest.mark.parametrize("method", ["lifo", "fifo"])
@pytest.mark.parametrize("contract, market, fills", [("ZN Sep25", "CME", 83), ("ZN Sep25", "CME_DELAYED", 39),
                                                     ("ZN Jun25", "CME_DELAYED", 175), ("ZN Jun25", "CME", 0)])
def test_fixture_fast_equals_general(method, contract, market, fills):
    """Counted by hand from the file: ZN Sep25 has 83 rows on CME and 39 on CME_Delayed (one contract,
    two instruments), ZN Jun25 175 rows, all on CME_Delayed."""
    streamed, fast, general = payloads(FIXTURES / "fill_monitor_sample.csv", contract, method, market=market)
    assert streamed == fast == general
    assert fast["fills"] == fills


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
    streamed, fast, general = payloads(path, "ZN Sep25", method)
    assert streamed is None  # the cut-off row: the command reads the rows one by one instead
    assert fast == general
    assert fast["fills"] + fast["skipped"] == 401
    assert any("counted once" in w for w in fast["warnings"])


#: A stamp in the trading era (values.ERA_START_NS..ERA_END_NS); only the order of stamps matters here.
T0 = 1_751_900_000_000_000_000


def test_streamed_file_in_time_order_equals_general(tmp_path):
    lines = [HEADER]
    for i in range(200):
        side = 1 + i % 2
        exec_id = f"E{i % 40}" if i % 3 == 0 else ""
        lines.append(f"2025-07-07,10:00:00.000,1,x,{side},{'BUY' if side == 1 else 'SELL'},{1 + i % 4}.0,"
                     f"{110 + (i * 7 % 30) / 64!r},ord{i % 25},{'AB'[i % 2]},7,{T0 + i},{T0 + i},{exec_id},2,CME,"
                     f"ZN Sep25,,Eric")
    path = tmp_path / "ordered.csv"
    path.write_text("\n".join(lines) + "\n")
    for method in ("lifo", "fifo"):
        streamed, fast, general = payloads(path, "ZN Sep25", method)
        assert streamed == fast == general
        assert streamed["fills"] + streamed["skipped"] == 200


@pytest.mark.parametrize("method", ["lifo", "fifo"])
@pytest.mark.parametrize("account", [None, "B"])
def test_columns_out_of_time_order_several_accounts_and_contracts_equal_general(tmp_path, method, account):
    # Regular (no broken row), so the command reads it by columns: it sorts by time, drops other
    # contracts and repeated exec ids, and matches each account apart.
    rng = random.Random(5)
    lines = [HEADER]
    for i in range(600):
        side = rng.choice((1, 2))
        exec_id = f"E{i // 5 % 20}" if i % 5 == 0 else ""  # each exec id on 6 rows of account A: 5 repeats
        acct = "A" if exec_id else "ABCDEF"[rng.randint(0, i % 6)]
        contract = "ZN Sep25" if exec_id else rng.choice(("ZN Sep25", "ZN Dec25", "ES Jun25", "zn sep25"))
        exchange = "CME" if exec_id else rng.choice(("CME", "CME_Delayed"))
        stamp = 1_751_900_000_000_000_000 + rng.randint(0, 10**12)
        lines.append(f"2025-07-07,10:00:00.000,1,x,{side},{'BUY' if side == 1 else 'SELL'},{rng.randint(1, 9)}.0,"
                     f"{110 + rng.randint(0, 40) / 64!r},ord{rng.randint(0, 60)},{acct},7,"
                     f"{stamp},{stamp},{exec_id},2,{exchange},{contract},,Eric")
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(lines) + "\n")
    columns, fast, general = payloads(path, "ZN Sep25", method, account)
    assert columns == fast == general
    assert columns["fills"] > (100 if account is None else 10)
    delayed = payloads(path, "ZN Sep25", method, account, market="CME_DELAYED")
    assert delayed[0] == delayed[1] == delayed[2] and delayed[0]["position"] != columns["position"]
    expected = independent_position(path, "ZN Sep25", account)
    assert (columns["position"], delayed[0]["position"]) == (expected["CME"], expected["CME_DELAYED"])
    assert sum("ES Jun25" in w for w in columns["warnings"]) > 100  # one warning per ES row
    assert any("100 fills repeated an execution" in w for w in columns["warnings"]) is (account is None)


def independent_position(path: Path, contract: str, account: str | None) -> dict[str, int]:
    """Net position per market straight from the CSV (csv module; repeated exec ids once)."""
    import csv

    out: dict[str, int] = {}
    seen: set[str] = set()
    rows = sorted(csv.DictReader(path.open()), key=lambda r: int(r["TimeStamp"]))
    for r in rows:
        if r["Contract"].upper() != contract.upper() or (account is not None and r["AccountId"] != account):
            continue
        if r["ExecId"]:
            if r["ExecId"] in seen:
                continue
            seen.add(r["ExecId"])
        qty = int(float(r["Quantity"])) * (1 if r["Side"] == "1" else -1)
        out[r["Exchange"].upper()] = out.get(r["Exchange"].upper(), 0) + qty
    return out
