"""TT's user lookup over real HTTP (issue 15 §4): the simulator's fills name their users by id (userId:
who entered the order, currUserId: who owns it now); the client names each user once per process,
hands the new ones to the store with the page, and asks nothing for users the store named before.
A user TT cannot name costs one request, not one per poll, and never holds a fill back."""

from __future__ import annotations

from tests.integration.tt.test_desk_fields import DeskTT, fixture_rows
from zn_ladder.tt.client import TTClient
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.sim import reference as ref

from .conftest import UNLIMITED, requests_to


def test_fills_keep_both_users_and_each_is_named_once(sim_server, make_client):
    with sim_server(history_fills=60, accounts=(1334000, 1334001, 1334002), correction_rate=0.0) as sim:
        client = make_client(sim)
        page = client.fills_since(None)
        raw = {r["execID"]: r for r in sim.market.published_fills()}
        assert [f.key for f in page.fills] == list(raw)
        for fill in page.fills:
            record = raw[fill.key]
            assert (fill.user, fill.originator) == (str(record["currUserId"]), str(record["userId"]))
            assert (fill.market_id, fill.order_status) == (str(record["marketId"]), record["ordStatus"])
        ids = {str(r[k]) for r in raw.values() for k in ("userId", "currUserId")}
        # the simulated desk: three traders, and orders one entered for another
        assert len(ids) == 3 and any(r["userId"] != str(r["currUserId"]) for r in raw.values())
        aliases = dict((str(i), a) for i, a in ref.USERS)
        assert {u.user_id: u.alias for u in page.users} == {i: aliases[i] for i in ids}
        assert len(requests_to(sim, "/ttuser/")) == 3
        sim.market.step_until_fills(10)
        later = client.fills_since(page.cursor)
        assert later.fills and later.users == ()
        assert len(requests_to(sim, "/ttuser/")) == 3  # cached: no second request for any user


def test_users_the_store_named_before_are_never_asked_again(sim_server, make_client):
    with sim_server(history_fills=30, accounts=(1334000, 1334001)) as sim:
        first = make_client(sim).fills_since(None)
        assert first.users and len(requests_to(sim, "/ttuser/")) == len(first.users)
        restarted = make_client(sim)
        restarted.know_users((u.user_id, u.refdata()) for u in first.users)  # what the store gives back
        again = restarted.fills_since(None)
        assert len(again.fills) == len(first.fills) and again.users == ()
        assert len(requests_to(sim, "/ttuser/")) == len(first.users)


def test_a_user_tt_cannot_name_costs_one_request_and_holds_no_fill_back():
    rows = fixture_rows()[:20]
    tt = DeskTT(rows)
    tt.users.pop(1168912)  # SPatoliya is unknown to this TT
    client = TTClient(TTConnection(base_url=tt.url, app_key="k", app_secret="s", plan=UNLIMITED, token_min_interval=0,
                                   retries=0))
    try:
        page = client.fills_since(None)
        assert len(page.fills) == 20
        assert {u.alias for u in page.users} == {r["CurrentUser"] for r in rows} - {"SPatoliya"}
        assert [w for w in page.warnings if "1168912" in w and "cannot be named" in w]
        named = tt.requests["user"]
        client.fills_since(None)
        assert tt.requests["user"] == named  # the failed lookup is not repeated every poll
    finally:
        client.close()
        tt.close()


def test_tt_fills_lists_one_trader_with_both_users_named(run_cli):
    import json

    everyone = json.loads(run_cli("tt", "fills", "--demo", "--json").stdout)["fills"]
    eric = json.loads(run_cli("tt", "fills", "--demo", "--json", "--user", "ERIC").stdout)["fills"]
    names = dict((str(i), a) for i, a in ref.USERS)
    assert all(f["user_name"] == names[f["user"]] and f["originator_name"] == names[f["originator"]]
               for f in everyone)
    assert eric and [f["key"] for f in eric] == [f["key"] for f in everyone if f["user"] == "1168911"]
    assert len(eric) < len(everyone)
