"""Orders, positions, SOD and reference data from the simulator over real HTTP."""

from zn_ladder.domain.records import OrderType

from .conftest import log_entries


def test_orders_match_the_simulated_book(sim_server, make_client):
    with sim_server(page_size=4) as sim:
        client = make_client(sim)
        result = client.orders()
        book = sim.market.working_orders()
        assert {o.order_id for o in result.orders} == {o["orderId"] for o in book}
        assert result.warnings == ()
        by_id = {o["orderId"]: o for o in book}
        for order in result.orders:
            raw = by_id[order.order_id]
            expected = raw.get("stopPrice") if raw["orderType"] == "4" else raw["price"]
            assert order.price == round(expected * 64)
            assert order.quantity == round(raw["leavesQuantity"]) and order.contract == "ZN Dec26"
        assert any(o.order_type is OrderType.STOP for o in result.orders)


def test_reference_data_is_fetched_once_across_polls(sim_server, make_client):
    with sim_server(history_fills=20) as sim:
        client = make_client(sim)
        cursor = None
        for _ in range(4):
            client.orders()
            client.positions()
            cursor = client.fills_since(cursor).cursor
            sim.market.step(5)
        client.markets()
        client.markets()
        client.user("1168910")
        client.user("1168910")
        paths = [p for m, p, s in log_entries(sim)]
        assert sum("/instrument/" in p for p in paths) == 1
        assert sum(p.endswith("/markets") for p in paths) == 1
        # one lookup per user the fills name (userId and currUserId), however many polls and calls
        named = {str(r[k]) for r in sim.market.published_fills() for k in ("userId", "currUserId")}
        assert sum("/user/" in p for p in paths) == len(named | {"1168910"}) > 1
        assert client.user("1168910").company == "Demo Capital LLC"


def test_positions_agree_with_sod_plus_fills(sim_server, make_client):
    with sim_server(history_fills=30) as sim:
        client = make_client(sim)
        positions = {p.account: p for p in client.positions()}
        assert {int(a): p.net_position for a, p in positions.items()} == sim.market.net_positions()
        for account, pos in positions.items():
            (lot,) = client.sod(account)
            assert lot.contract == "ZN Dec26" and lot.qty == pos.sod_net
            assert pos.net_position == pos.sod_net + pos.buy_qty - pos.sell_qty
        one = client.positions(next(iter(positions)))
        assert len(one) == 1
