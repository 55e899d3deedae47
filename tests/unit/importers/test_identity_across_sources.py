"""The same executions exported three ways (fill monitor, Audit Trail, Fills widget) get the same keys
(order id + cumulative quantity), in the same execution order, whatever the partial fills look like."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zn_ladder.domain.instruments import get_product
from zn_ladder.domain.prices import format_ticks
from zn_ladder.importers.audit_trail import read_audit_trail
from zn_ladder.importers.fill_monitor import read_fill_monitor
from zn_ladder.importers.fills_widget import read_fills_widget

from .conftest import FIXTURES

ZN = get_product("ZN")
FM_HEADER = ("Date,Time,InstrumentId,InstrumentName,Side,SideName,Quantity,Price,OrderId,AccountId,MarketId,"
             "TransactTime,TimeStamp,ExecId,OrderStatus,Exchange,Contract,Originator,CurrentUser")
AT_HEADER = (FIXTURES / "tt_audit_trail_sample.csv").read_text(encoding="utf-8-sig").splitlines()[0]

executions = st.lists(st.tuples(st.integers(0, 4), st.integers(1, 3), st.integers(7040, 7060),
                                st.sampled_from("BS")), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None)
@given(executions)
def test_three_exports_of_the_same_executions_agree(tmp_path_factory, fills):
    tmp = tmp_path_factory.mktemp("exports")
    cum: dict[str, int] = {}
    fm, at, widget = [FM_HEADER], [], []
    for i, (order_no, qty, ticks, side) in enumerate(fills):  # execution order
        order = f"order-{order_no}"
        cum[order] = cum.get(order, 0) + qty
        price_tt = format_ticks(ticks, ZN, "tt")
        stamp = 1_751_500_800_000_000_000 + i
        fm.append(f"2025-07-03,10:00:00.000,1,x,{1 if side == 'B' else 2},{'BUY' if side == 'B' else 'SELL'},{qty}.0,"
                  f"{ticks / 64!r},{order},1334000,7,{stamp},{stamp},,2,CME,ZN Sep25,,Eric")
        at.append(f"12:34.5,CME,ZN Sep25,ExecutionReport,Trade,{side},99,{qty},,{cum[order]},{price_tt},Limit,,Day,,"
                  f"Trading,,,,TT SIM,Eric,Eric,{order},,,3-Jul-25")
        widget.append(f"3-Jul-25,12:34.5,CME,ZN Sep25,{side},{qty},{price_tt},F,TT SIM,Trading,Eric,Eric,{order},")
    (tmp / "fm.csv").write_text("\n".join(fm))
    (tmp / "at.csv").write_text("\n".join([AT_HEADER, *reversed(at)]))  # TT writes newest first
    (tmp / "w.csv").write_text("\n".join(reversed(widget)))
    results = [read_fill_monitor(tmp / "fm.csv"), read_audit_trail(tmp / "at.csv"), read_fills_widget(tmp / "w.csv")]
    views = [[(f.key, f.cum_qty, f.side, f.qty, f.price) for f in r.fills] for r in results]
    assert views[0] == views[1] == views[2]
    assert len(views[0]) == len(fills) and len({v[0] for v in views[0]}) == len(fills)
    assert all(r.warnings == () for r in results)
