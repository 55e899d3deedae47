"""One book from the SOD file to the numbers (issue 12): `pnl FILE --sod`, `ladder --sod` and `import` +
`pnl --db` give the same base for the same inputs, with Actant's accounts mapped to TT's through the
settings' `sod.account_map`, one contract on one market, and every refusal is exit 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.actant import actant_row, write_actant

HEADER = ("Date,Time,InstrumentId,InstrumentName,Side,SideName,Quantity,Price,OrderId,AccountId,MarketId,"
          "TransactTime,TimeStamp,ExecId,OrderStatus,Exchange,Contract,Originator,CurrentUser")
TICK = 15.625


def fm_row(side: int, qty: int, price: str, order: str, stamp: int, account: str, exchange: str = "CME",
           contract: str = "ZN Sep25") -> str:
    return (f"2025-08-11,10:00:00.000,1,x,{side},{'BUY' if side == 1 else 'SELL'},{qty}.0,{price},{order},{account},7,"
            f"{stamp},{stamp},,2,{exchange},{contract},,Eric")


def _json(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sod_through_the_account_map_gives_one_base_everywhere(run_cli, tmp_path: Path) -> None:
    # Actant: 73050502 (mapped to TT's 1334000) long 5 @ 111'280 and 73050503 (unmapped) short 2 @ 111'300
    # in ZN Sep25; a 2022 row of an expired contract; today's fills: 1334000 sells 2 @ 111'300 on CME,
    # and the same contract on CME_Delayed, which is another instrument.
    sod = write_actant(tmp_path / "sod.csv",
                       actant_row("73050502", "5.0", "111'280", run="08/11/2025", expire="09/19/2025"),
                       actant_row("73050503", "2.0", "111'300", side="S", run="08/11/2025", expire="09/19/2025"),
                       actant_row("73050502", "9.0", "110'000", run="08/11/2025", expire="06/17/2022"))
    fills = tmp_path / "fills.csv"
    stamp = 1_754_906_400_000_000_000  # 2025-08-11 10:00 UTC, in the SOD's session
    fills.write_text("\n".join([HEADER, fm_row(2, 2, "111.9375", "o1", stamp, "1334000"),
                                fm_row(1, 7, "111.9375", "o2", stamp + 1, "1334000", exchange="CME_Delayed")]) + "\n")
    assert run_cli("config", "set", "sod.account_map", "73050502 = 1334000").returncode == 0

    by_file = _json(run_cli("pnl", str(fills), "--contract", "zn sep25", "--market", "CME", "--sod", str(sod),
                            "--json"))
    # By hand: 1334000: 5 long @ 111'280 (7168 ticks) minus 2 sold @ 111'300 (7172): +3, realized 2 x 4
    # ticks; 73050503: short 2 @ 111'300. Net +1; realized $125.
    assert (by_file["position"], by_file["realized"]) == (1, 2 * 4 * TICK)
    assert any("expired on 2022-06-17" in w for w in by_file["warnings"])
    one = _json(run_cli("pnl", str(fills), "--contract", "ZN Sep25", "--market", "CME", "--sod", str(sod),
                        "--account", "1334000", "--json"))
    unmapped = _json(run_cli("pnl", str(fills), "--contract", "ZN Sep25", "--market", "CME", "--sod", str(sod),
                             "--account", "73050503", "--json"))
    assert (one["position"], unmapped["position"]) == (3, -2)

    db = tmp_path / "s.sqlite3"
    for path in (sod, fills):
        assert run_cli("import", str(path), "--db", str(db)).returncode == 0
    by_store = _json(run_cli("pnl", "--db", str(db), "--contract", "ZN SEP25", "--market", "cme", "--json"))
    for key in ("position", "realized", "open_lots", "average_open_price", "market", "contract"):
        assert by_store[key] == by_file[key], key
    delayed = _json(run_cli("pnl", "--db", str(db), "--contract", "ZN Sep25", "--market", "CME_Delayed", "--json"))
    assert delayed["position"] == 7  # no SOD there: Actant's lots are CME positions

    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps({"orders": [
        {"orderId": "w1", "accountId": 1334000, "instrumentId": "1", "marketId": 7, "side": "1", "orderType": "2",
         "price": 111.9375, "orderQty": 1.0, "leavesQuantity": 1.0, "contract": "ZN Sep25"}]}))
    ladder = _json(run_cli("ladder", "--orders", str(orders), "--spot", "111'300", "--sod", str(sod),
                           "--fills", str(fills), "--market", "CME", "--json"))
    spot = next(r for r in ladder["rows"] if r["is_spot"])
    assert ladder["contract"] == "ZN Sep25" and spot["position"] == by_file["position"]


def test_a_contract_not_held_and_an_ambiguous_market_are_refused_in_one_line(run_cli, tmp_path: Path) -> None:
    fills = tmp_path / "fills.csv"
    stamp = 1_754_906_400_000_000_000
    fills.write_text("\n".join([HEADER, fm_row(1, 1, "111.9375", "o1", stamp, "A"),
                                fm_row(1, 2, "111.9375", "o2", stamp + 1, "A", exchange="CME_Delayed")]) + "\n")
    for args, needle in ((["--contract", "ZN Dec25"], "contracts present: ZN Sep25"),
                         (["--contract", "ZN Sep25"], "CME, CME_DELAYED"),
                         (["--contract", "ZN Sep25", "--market", "CBOT"], "markets present: CME, CME_DELAYED")):
        out = run_cli("pnl", str(fills), *args)
        assert out.returncode == 2 and out.stderr.count("\n") == 1 and needle in out.stderr, out.stderr
    db = tmp_path / "s.sqlite3"
    assert run_cli("import", str(fills), "--db", str(db)).returncode == 0
    out = run_cli("pnl", "--db", str(db), "--contract", "ZN Dec99")
    assert out.returncode == 2 and "contracts present: ZN Sep25" in out.stderr
