"""`zn-ladder pnl` in a subprocess: the JSON contract (keys and types), hand-checked LIFO/FIFO numbers,
merging of overlapping exports, SOD lots, and exit code 2 with one line on stderr for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.actant import live_sample

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HEADER = ("Date,Time,InstrumentId,InstrumentName,Side,SideName,Quantity,Price,OrderId,AccountId,MarketId,"
          "TransactTime,TimeStamp,ExecId,OrderStatus,Exchange,Contract,Originator,CurrentUser")
KEYS = ["method", "contract", "market", "position", "realized", "unrealized", "mark", "average_open_price", "open_lots",
        "fills", "skipped", "warnings"]


#: Stamps are T0 + n: in the trading era (values.ERA_START_NS..ERA_END_NS); only their order matters.
T0 = 1_751_900_000_000_000_000


def fm_row(side, qty, price, order, stamp, account="A1", contract="ZN Sep25"):
    stamp = T0 + stamp
    return (f"2025-07-07,14:53:09.377,1,x,{side},{'BUY' if side == 1 else 'SELL'},{qty}.0,{price},{order},{account},7,"
            f"{stamp},{stamp},,3,CME,{contract},,Eric")


@pytest.fixture
def small(tmp_path) -> Path:
    # buy 2 @ 110'000, buy 1 @ 110'010 (110.03125), sell 2 @ 110'020 (110.0625); one ZN Jun25 fill to ignore.
    rows = [fm_row(1, 2, "110.0", "o1", 1), fm_row(1, 1, "110.03125", "o2", 2), fm_row(2, 2, "110.0625", "o3", 3),
            fm_row(1, 9, "111.0", "o4", 4, contract="ZN Jun25")]
    path = tmp_path / "fills.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def pnl(run_cli, *args):
    out = run_cli("pnl", *map(str, args), "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_json_contract_keys_and_types(run_cli, small):
    data = pnl(run_cli, small, "--contract", "ZN Sep25", "--product", "ZN", "--method", "lifo", "--mark", "110'030")
    assert list(data) == KEYS
    assert isinstance(data["method"], str) and isinstance(data["contract"], str)
    assert isinstance(data["position"], int)
    assert isinstance(data["realized"], (int, float)) and isinstance(data["unrealized"], (int, float))
    assert isinstance(data["mark"], str) and isinstance(data["average_open_price"], str)
    assert all(list(lot) == ["qty", "price"] and isinstance(lot["qty"], int) and isinstance(lot["price"], str)
               for lot in data["open_lots"])
    assert isinstance(data["fills"], int) and isinstance(data["skipped"], int)
    assert isinstance(data["warnings"], list)


def test_lifo_by_hand(run_cli, small):
    data = pnl(run_cli, small, "--contract", "ZN Sep25", "--method", "lifo", "--mark", "110'030")
    # The sale of 2 @ 110'020 closes the newest lot first: 1 @ 110'010 (+2 ticks) and 1 @ 110'000 (+4 ticks):
    # 6 ticks x $15.625 = $93.75. Open: 1 @ 110'000, marked at 110'030: +6 ticks = $93.75.
    assert (data["method"], data["contract"], data["position"]) == ("lifo", "ZN Sep25", 1)
    assert data["realized"] == 93.75
    assert data["unrealized"] == 93.75
    assert data["mark"] == "110'030"
    assert data["open_lots"] == [{"qty": 1, "price": "110'000"}]
    assert data["average_open_price"] == "110'000"
    assert (data["fills"], data["skipped"], data["warnings"]) == (3, 0, [])


def test_fifo_by_hand_same_total(run_cli, small):
    data = pnl(run_cli, small, "--contract", "ZN Sep25", "--method", "FIFO", "--mark", "110.09375")
    # FIFO closes the oldest lot: 2 @ 110'000, +4 ticks each = 8 ticks = $125. Open 1 @ 110'010, +4 ticks = $62.50.
    assert (data["method"], data["realized"], data["unrealized"]) == ("fifo", 125, 62.5)
    assert data["open_lots"] == [{"qty": 1, "price": "110'010"}]
    assert data["realized"] + data["unrealized"] == 93.75 + 93.75  # the total does not depend on the method


def test_without_mark_unrealized_is_null(run_cli, small):
    data = pnl(run_cli, small, "--contract", "ZN Sep25")
    assert data["unrealized"] is None and data["mark"] is None and data["method"] == "lifo"


def test_overlapping_exports_count_each_execution_once(run_cli):
    monitor = FIXTURES / "fill_monitor_sample.csv"
    # ZN Sep25 trades on CME (83 rows) and CME_Delayed (39 rows): two instruments, so --market is needed.
    out = run_cli("pnl", str(monitor), "--contract", "ZN Sep25")
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "CME, CME_DELAYED" in out.stderr
    alone = pnl(run_cli, monitor, "--contract", "zn sep25", "--market", "CME")
    assert alone["fills"] == 83 and alone["skipped"] == 3  # the three ES Jun25 rows
    assert alone["position"] == 3 and alone["market"] == "CME" and alone["contract"] == "ZN Sep25"
    assert len(alone["warnings"]) == 3 and all("ES Jun25" in w for w in alone["warnings"])
    # Every Audit Trail and Fills-widget fill is also in the fill monitor (same order id + cumulative qty).
    both = pnl(run_cli, monitor, FIXTURES / "tt_audit_trail_sample.csv", FIXTURES / "tt_fills_widget_copy_sample.csv",
               "--contract", "ZN Sep25", "--market", "CME")
    assert both["fills"] == 83 and both["position"] == alone["position"] and both["realized"] == alone["realized"]
    assert both["skipped"] == 3 + 56 + 60
    assert any("56 fills already read" in w for w in both["warnings"])


def test_sod_lots_of_the_contract_open_the_book(run_cli, tmp_path):
    # Actant: long 1 ZN Sep25 @ 111'280 in account 73050502; today a sale of 1 @ 111'300 in that account.
    fills = tmp_path / "f.csv"
    fills.write_text("\n".join([HEADER, fm_row(2, 1, "111.9375", "s1", 5, account="73050502")]))
    sod = live_sample(tmp_path / "sod.csv", run="07/07/2025")  # ZN Sep25 (expires 09/19/2025)
    data = pnl(run_cli, fills, "--contract", "ZN Sep25", "--sod", sod, "--account", "73050502")
    assert data["position"] == 0 and data["open_lots"] == [] and data["average_open_price"] is None
    assert data["realized"] == 4 * 15.625  # 111'300 - 111'280 = 2/32 = 4 ticks
    assert any("zero quantity" in w for w in data["warnings"])


def test_table_output_uses_tt_prices(run_cli, small):
    out = run_cli("pnl", str(small), "--contract", "ZN Sep25", "--mark", "110'030")
    assert out.returncode == 0
    assert "110'000" in out.stdout and "93.75" in out.stdout and "LIFO" in out.stdout


@pytest.mark.parametrize(("args", "needle"), [
    (["--contract", "ZN Sep25"], "give at least one fill FILE"),
    (["missing.csv", "--contract", "ZN Sep25"], "no such file"),
    (["{small}", "--contract", "ES Sep25"], "unknown product 'ES'"),
    (["{small}", "--contract", "ZN Sep25", "--product", "ZB"], "not ZB"),
    (["{small}", "--contract", "ZN Sep25", "--mark", "110'04x"], "110'04x"),
    (["{sod}", "--contract", "ZN Sep25"], "holds no fills"),
    (["{sod}", "--contract", "ZN Sep25", "--kind", "audit_trail"], "not a TT Audit Trail export"),
    (["{small}", "--contract", "ZN Sep25", "--method", "avg"], "invalid choice: 'avg'"),
    (["{small}"], "required: --contract"),
])
def test_bad_input_exits_2_with_one_line(run_cli, small, args, needle, tmp_path):
    args = [a.format(small=small, sod=live_sample(tmp_path / "sod.csv")) for a in args]
    out = run_cli("pnl", *args, "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]


def test_tt_fills_json_busts_and_corrections_are_applied(run_cli, tmp_path):
    def fill(exec_id, side, qty, px, ts, **extra):
        return {"execID": exec_id, "orderId": f"o-{exec_id}", "accountId": 1334000, "instrumentId": "1", "side": side,
                "lastQty": qty, "lastPx": px, "timeStamp": 1_751_900_000_000_000_000 + ts, "execType": "F", **extra}

    records = [
        fill("E1", "1", 2.0, 110.0, 1),                                    # buy 2 @ 110'000
        fill("E2", "2", 2.0, 110.0625, 2),                                 # sell 2 @ 110'020 ...
        fill("C1", "2", 2.0, 110.09375, 3, execType="G", execRefID="E2"),  # ... corrected to 110'030
        fill("E3", "1", 1.0, 110.03125, 4),                                # buy 1 @ 110'010 ...
        fill("B1", "1", 1.0, 110.03125, 5, execType="H", execRefID="E3"),  # ... busted
    ]
    path = tmp_path / "fills.json"
    path.write_text(json.dumps({"status": "Ok", "fills": records}))
    data = pnl(run_cli, path, "--contract", "ZN Dec26")
    # The file names no contract: its one instrument is taken as --contract.
    assert (data["position"], data["fills"], data["open_lots"]) == (0, 2, [])
    assert data["realized"] == 2 * 6 * 15.625  # 110'030 - 110'000 = 3/32 = 6 ticks, on 2 lots
