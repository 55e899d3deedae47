"""Incremental fills over real HTTP: paging, the inclusive minTimestamp boundary, resuming after a restart,
and every published fill received exactly once even when a fifth of the answers are faults."""

import collections
import math

import requests

from zn_ladder.domain.errors import TTError
from zn_ladder.domain.records import Fill
from zn_ladder.tt.fills_cursor import FillCursor
from zn_ladder.tt.sim import DEMO_API_KEY

from .conftest import log_entries


def truth(sim):
    return [r["execID"] for r in sim.market.published_fills()]


def truth_corrections(sim):
    return [r["execID"] for r in sim.market.published_corrections()]


def test_first_poll_pages_through_the_whole_history(sim_server, make_client):
    with sim_server(history_fills=60, page_size=7) as sim:
        client = make_client(sim)
        page = client.fills_since(None)
        records = len(sim.market.published_records())
        assert page.pages == math.ceil(records / 7) or page.pages == math.ceil(records / 7) + 1
        assert [f.key for f in page.fills] == truth(sim)
        assert sorted(c.key for c in page.corrections) == sorted(truth_corrections(sim))
        assert all(isinstance(f, Fill) and f.contract == "ZN Dec26" and f.source == "tt_api" for f in page.fills)
        gets = [p for m, p, s in log_entries(sim) if p.endswith("/fills")]
        assert len(gets) == page.pages
        # reference data looked up once, not once per fill
        assert len([p for m, p, s in log_entries(sim) if "/instrument/" in p]) == 1


def test_fill_values_match_what_the_simulator_published(sim_server, make_client):
    with sim_server(history_fills=30) as sim:
        page = make_client(sim).fills_since(None)
        by_key = {f.key: f for f in page.fills}
        for raw in sim.market.published_fills():
            fill = by_key[raw["execID"]]
            assert fill.price == round(raw["lastPx"] * 64) and fill.qty == round(raw["lastQty"])
            assert fill.time_ns == raw["timeStamp"] and fill.account == str(raw["accountId"])
            assert fill.side.value == (1 if raw["side"] == "1" else -1)
            assert fill.cum_qty == round(raw["cumQty"]) and fill.order_id == raw["orderId"]


def test_inclusive_boundary_record_comes_back_and_is_dropped(sim_server, make_client):
    with sim_server(history_fills=20) as sim:
        client = make_client(sim)
        first = client.fills_since(None)
        last_ts = first.cursor.min_timestamp
        # TT (and the simulator) return the boundary record again for minTimestamp == its timestamp
        token = client.tokens.get()
        raw = requests.get(f"{sim.url}/ttledger/ext_prod_sim/fills",
                           params={"requestId": "znladder-tests--6f1c1d3e-8c1b-4c53-9a57-1d6f0a2b3c4d",
                                   "minTimestamp": last_ts},
                           headers={"x-api-key": DEMO_API_KEY, "Authorization": f"Bearer {token}",
                                    "accept": "application/json"}, timeout=5).json()
        assert raw["fills"] and all(r["timeStamp"] == last_ts for r in raw["fills"])
        again = client.fills_since(first.cursor)
        assert again.fills == () and again.corrections == ()
        assert again.cursor == first.cursor
        sim.market.step_until_fills(5)
        new = client.fills_since(again.cursor)
        delivered = [f.key for f in first.fills] + [f.key for f in new.fills]
        assert delivered == truth(sim)


def test_resume_from_a_saved_cursor_after_a_restart(sim_server, make_client):
    with sim_server(history_fills=25, page_size=10) as sim:
        client = make_client(sim)
        first = client.fills_since(None)
        got, cursor = list(first.fills), first.cursor
        for _ in range(3):
            sim.market.step_until_fills(4)
            page = client.fills_since(cursor)
            got.extend(page.fills)
            cursor = page.cursor
        saved = cursor.to_json()
        client.close()
        sim.market.step_until_fills(6)
        restarted = make_client(sim)  # a new process: new token, empty caches, only the saved cursor
        page = restarted.fills_since(FillCursor.from_json(saved))
        got.extend(page.fills)
        keys = [f.key for f in got]
        assert keys == truth(sim)
        assert len(set(keys)) == len(keys)


SEED = 5  # a seed whose draws include every fault kind


def test_every_published_fill_arrives_exactly_once_under_20_percent_faults(sim_server, make_client):
    with sim_server(history_fills=40, page_size=4, fault_rate=0.2, hang_seconds=1.0, seed=SEED) as sim:
        client = make_client(sim, retries=3, timeout=(1.0, 0.25))
        fills, corrections, cursor, errors = [], [], None, 0
        for _ in range(50):
            sim.market.step(4)
            try:
                page = client.fills_since(cursor)
            except TTError:
                errors += 1
                continue
            fills.extend(page.fills)
            corrections.extend(page.corrections)
            cursor = page.cursor
        for _ in range(20):  # drain: poll until nothing is missing (bounded)
            if len(fills) >= len(truth(sim)):
                break
            try:
                page = client.fills_since(cursor)
            except TTError:
                continue
            fills.extend(page.fills)
            corrections.extend(page.corrections)
            cursor = page.cursor
        counts = collections.Counter(f.key for f in fills)
        assert sorted(counts) == sorted(truth(sim)) and max(counts.values()) == 1
        assert sorted(c.key for c in corrections) == sorted(truth_corrections(sim))
        drawn = sim.faults_drawn
        print("faults drawn", drawn, "errors", errors, "requests", len(log_entries(sim)))
        assert sum(drawn.values()) >= 10 and len(drawn) >= 4, "the simulator must have injected faults of many kinds"
