"""The fills table's pages (`store.fill_pages`) read from the store on either backend: the same live
fills as `live_fills`, users by their TT names as the snapshots show them, roll week's contracts together."""

from __future__ import annotations

from dataclasses import replace

from zn_ladder.store import fill_pages
from zn_ladder.store.fills import live_fills
from zn_ladder.store.refdata import USER
from zn_ladder.store.store import Store

from .conftest import make_fill


def test_pages_name_users_and_cover_every_contract_asked(store_url: str) -> None:
    fills = [replace(make_fill("a", t=1), user="1168911", originator="1168910"),
             replace(make_fill("b", t=2, contract="ZN Dec26"), user="1168910"),
             replace(make_fill("c", t=3, contract="ZN Mar27"), user="999")]  # 999: a user TT could not name
    with Store.open(store_url) as store:
        store.ingest(fills)
        store.put_refdata(USER, "1168911", {"alias": "Eric", "company": "Demo Capital LLC"})
        store.put_refdata(USER, "1168910", {"alias": "DEMO TRADER", "company": "Demo Capital LLC"})
        conn = store.conn
        both = frozenset({"ZN Dec26", "ZN Mar27"})
        ids = fill_pages.fill_ids(conn, both)
        paged = fill_pages.fills_by_id(conn, ids)
        assert [paged[i].key for i in ids] == ["c", "b"]  # newest first, the two months together
        assert [(paged[i].key, paged[i].user) for i in ids] == [("c", "999"), ("b", "DEMO TRADER")]
        streamed = dict(fill_pages.iter_fills(conn, "ZN Sep25"))
        (only,) = streamed.values()
        assert (only.user, only.originator) == ("Eric", "DEMO TRADER")
        # the rows are the live fills otherwise: only the user names differ
        assert [replace(f, user=fills[0].user, originator=fills[0].originator) for f in streamed.values()] == \
            live_fills(conn, "ZN Sep25")
