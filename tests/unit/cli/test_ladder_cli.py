"""`zn-ladder ladder` in a subprocess on the TT orders fixture: JSON contract, a ladder checked by hand,
through-spot orders, SOD base, and exit code 2 with one line on stderr for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.actant import live_sample

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ORDERS = FIXTURES / "tt_working_orders_response.json"
ROW_KEYS = ["price", "buy_qty", "sell_qty", "position", "projected_pnl", "risk", "breakeven", "is_spot",
            "through_spot", "at_spot"]
TICK = 15.625  # ZN: half of 1/32 x $1000


def ladder(run_cli, *args):
    out = run_cli("ladder", "--orders", str(ORDERS), "--product", "ZN", *map(str, args), "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def rows_by_price(data):
    return {row["price"]: row for row in data["rows"]}


def test_json_contract(run_cli):
    data = ladder(run_cli, "--spot", "110'090")
    assert list(data) == ["product", "contract", "market", "spot", "rows", "warnings"]
    assert (data["product"], data["spot"]) == ("ZN", "110'090")
    for row in data["rows"]:
        assert list(row) == ROW_KEYS
        assert isinstance(row["price"], str)
        assert all(isinstance(row[k], int) for k in ("buy_qty", "sell_qty", "position"))
        assert all(isinstance(row[k], (int, float)) and not isinstance(row[k], bool)
                   for k in ("projected_pnl", "risk", "breakeven"))
        assert isinstance(row["is_spot"], bool) and isinstance(row["through_spot"], list)
        assert isinstance(row["at_spot"], list)
    # The parent order with no price and no quantity is skipped with a warning naming it.
    assert len(data["warnings"]) == 1 and "d5474dbc-ed45-44e1-b036-60d65bc2da53" in data["warnings"][0]


def test_ladder_by_hand_from_the_orders_fixture(run_cli):
    # Orders (TT format): buy 160 @ 110'040, buy 80 @ 110'055, buy 40 @ 110'070, sell 15 @ 110'100,
    # sell 4 @ 110'120, sell stop 1 @ 110'015. Spot 110'090; flat, no P&L at spot.
    data = ladder(run_cli, "--spot", "110'090")
    prices = [row["price"] for row in data["rows"]]
    assert prices[0] == "110'170" and prices[-1] == "109'285"  # 110'120 + 10 ticks .. 110'015 - 10 ticks
    assert len(prices) == 42 and len(set(prices)) == 42       # one row per tick, high to low
    rows = rows_by_price(data)
    assert [p for p, r in rows.items() if r["is_spot"]] == ["110'090"]
    spot = rows["110'090"]
    assert (spot["position"], spot["projected_pnl"], spot["risk"], spot["breakeven"]) == (0, 0, 0, 0)
    # Up: at 110'100 the P&L is still 0 (flat until then), the sell 15 fills -> -15.
    assert (rows["110'100"]["sell_qty"], rows["110'100"]["position"], rows["110'100"]["projected_pnl"]) == (15, -15, 0)
    # 110'120 is 4 ticks higher: -15 x 4 ticks = -60 ticks = -$937.50; then the sell 4 -> -19.
    assert (rows["110'120"]["position"], rows["110'120"]["projected_pnl"]) == (-19, -60 * TICK)
    # Top row 110'170, 10 ticks further at -19: -60 - 190 = -250 ticks; risk -19 ticks; breakeven 250/19.
    top = rows["110'170"]
    assert (top["projected_pnl"], top["risk"]) == (-250 * TICK, -19 * TICK)
    assert top["breakeven"] == pytest.approx(250 / 19)
    # Down: buy 40 at 110'070 (4 ticks below spot, flat on the way): P&L 0, position 40.
    assert (rows["110'070"]["buy_qty"], rows["110'070"]["position"], rows["110'070"]["projected_pnl"]) == (40, 40, 0)
    # 110'055 is 3 ticks lower: 40 x -3 = -120 ticks; then buy 80 -> 120.
    assert (rows["110'055"]["position"], rows["110'055"]["projected_pnl"]) == (120, -120 * TICK)
    # 110'040: -120 + 120 x -3 = -480 ticks = -$7,500; then buy 160 -> 280.
    assert (rows["110'040"]["position"], rows["110'040"]["projected_pnl"]) == (280, -7500)
    # 110'015: -480 + 280 x -5 = -1880 ticks; the sell stop triggers -> 279; risk 279 ticks.
    stop = rows["110'015"]
    assert (stop["sell_qty"], stop["position"], stop["projected_pnl"], stop["risk"]) == (
        1, 279, -1880 * TICK, 279 * TICK)
    # Bottom 109'285: -1880 + 279 x -10 = -4670 ticks.
    assert rows["109'285"]["projected_pnl"] == -4670 * TICK
    assert all(not row["through_spot"] for row in data["rows"])


def test_buys_above_spot_are_through_the_spot_and_not_applied(run_cli):
    data = ladder(run_cli, "--spot", "110'050")
    rows = rows_by_price(data)
    assert rows["110'055"]["through_spot"] == ["0aca0322-8ef1-4607-951d-93224663017b"]
    assert rows["110'070"]["through_spot"] == ["93d784cb-7686-492a-92e9-6d4f3f8897a6"]
    assert rows["110'055"]["buy_qty"] == 80  # shown ...
    assert rows["110'100"]["position"] == -15  # ... but not applied: the walk up only meets the sells
    assert rows["110'040"]["position"] == 160


def test_orders_at_an_on_tick_spot_are_at_spot_not_filled_on_the_spot_row(run_cli):
    # Spot exactly at the buy 40 @ 110'070 (and, a second run, at the sell 15 @ 110'100): the spot row
    # is the flat base; the buy counts from one tick down, the sell from one tick up.
    data = ladder(run_cli, "--spot", "110'070")
    rows = rows_by_price(data)
    spot = rows["110'070"]
    assert (spot["is_spot"], spot["position"], spot["buy_qty"]) == (True, 0, 40)
    assert spot["at_spot"] == ["93d784cb-7686-492a-92e9-6d4f3f8897a6"] and spot["through_spot"] == []
    assert (rows["110'065"]["position"], rows["110'065"]["projected_pnl"]) == (40, -40 * TICK)
    assert rows["110'075"]["position"] == 0
    data = ladder(run_cli, "--spot", "110'100")
    rows = rows_by_price(data)
    assert (rows["110'100"]["position"], rows["110'100"]["at_spot"]) == (0, ["a3343ea2-1f53-4d5c-bd2a-0a2e872b552c"])
    assert (rows["110'105"]["position"], rows["110'105"]["projected_pnl"]) == (-15, -15 * TICK)
    assert rows["110'095"]["position"] == 0
    assert all(not r["at_spot"] for p, r in rows.items() if p != "110'100")
    out = run_cli("ladder", "--orders", str(ORDERS), "--spot", "110'100")
    assert "at spot: 1 order(s), not filled yet" in out.stdout


def test_sod_lots_set_the_base_position_and_pnl(run_cli, tmp_path):
    # Actant: long 1 ZN Sep25 (taken as CME's) @ 111'280; marked at spot 110'090: 102 ticks lower = -$1,593.75.
    # No working orders (the fixture's are on CME_Delayed, another instrument): the base alone.
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps({"status": "Ok", "orders": []}))
    out = run_cli("ladder", "--orders", str(orders), "--product", "ZN", "--spot", "110'090", "--contract", "zn sep25",
                  "--sod", str(live_sample(tmp_path / "sod.csv")), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["contract"], data["market"]) == ("ZN Sep25", "CME")
    spot = rows_by_price(data)["110'090"]
    assert (spot["position"], spot["projected_pnl"], spot["risk"]) == (1, -102 * TICK, TICK)
    assert any("zero quantity" in w for w in data["warnings"])


def test_spot_between_ticks_and_fills_base(run_cli, tmp_path):
    fills = tmp_path / "fills.json"
    fills.write_text(json.dumps({"fills": [{"execID": "E1", "orderId": "o", "accountId": 1334000, "side": "1",
                                            "lastQty": 2.0, "lastPx": 110.25, "timeStamp": 1_751_900_000_000_000_001,
                                            "marketId": 183}]}))  # the orders' market
    data = ladder(run_cli, "--spot", "110-08.75", "--fills", fills)  # 110.2734375, between 110'085 and 110'090
    assert data["spot"] == "110.2734375"
    rows = rows_by_price(data)
    assert [p for p, r in rows.items() if r["is_spot"]] == ["110'085"]
    # Long 2 from 110'080 marked at the spot: 2 x 1.5 ticks = 3 ticks; at 110'085 (half a tick lower) 2 ticks.
    assert rows["110'085"]["position"] == 2 and rows["110'085"]["projected_pnl"] == 2 * TICK


def test_account_filter_and_text_table(run_cli):
    data = ladder(run_cli, "--spot", "110'090", "--account", "999")
    assert all(row["position"] == 0 for row in data["rows"])
    assert any("6 orders of other contracts, markets or accounts" in w for w in data["warnings"])
    out = run_cli("ladder", "--orders", str(ORDERS), "--spot", "110'090")
    assert out.returncode == 0
    assert "110'090" in out.stdout and "<- spot" in out.stdout and "-7,500.00" in out.stdout


@pytest.mark.parametrize(("args", "needle"), [
    (["--orders", "nope.json", "--spot", "110'090"], "no such file"),
    (["--orders", "{orders}", "--spot", "abc"], "'abc' is not a valid ZN price"),
    (["--orders", "{orders}", "--spot", "110'090", "--product", "QQ"], "unknown product 'QQ'"),
    (["--orders", "{sod}", "--spot", "110'090"], "not a TT orders JSON"),
    (["--orders", "{orders}", "--spot", "110'090", "--sod", "{orders}"], "not an Actant SOD CSV"),
    (["--spot", "110'090"], "required: --orders"),
])
def test_bad_input_exits_2_with_one_line(run_cli, args, needle):
    args = [a.format(orders=ORDERS, sod=FIXTURES / "actant_sod_sample.csv") for a in args]
    out = run_cli("ladder", *args, "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
