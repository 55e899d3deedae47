"""The retry policy as configured from a connection: GETs only, capped exponential backoff, Retry-After."""

from urllib3.exceptions import ProtocolError

from zn_ladder.tt.budget import Plan, RequestBudget
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.transport import Transport


def retry_of(**kw):
    conn = TTConnection(base_url="http://127.0.0.1:9", backoff_jitter=0.0, **kw)
    transport = Transport(conn, RequestBudget(Plan("t", 1000, 100_000)))
    try:
        return transport.session.get_adapter("http://127.0.0.1:9").max_retries
    finally:
        transport.close()


def test_only_idempotent_gets_are_retried_even_on_429_with_retry_after():
    retry = retry_of()
    assert retry.is_retry("GET", 503) and retry.is_retry("GET", 429, has_retry_after=True)
    assert not retry.is_retry("POST", 429, has_retry_after=True)
    assert not retry.is_retry("POST", 503)
    assert not retry.is_retry("GET", 404) and not retry.is_retry("GET", 401)


def test_backoff_grows_exponentially_and_is_capped():
    retry = retry_of(backoff_factor=0.5, backoff_max=3.0, retries=8)
    waits = []
    for _ in range(6):
        retry = retry.increment("GET", "/ttledger/ext_prod_sim/orders", error=ProtocolError("connection reset"))
        waits.append(retry.get_backoff_time())
    assert waits == [0, 1.0, 2.0, 3.0, 3.0, 3.0]
    assert retry.budget is not None  # each copy keeps counting against the budget


def test_retry_after_is_honoured_up_to_the_cap():
    retry = retry_of(retry_after_max=30)
    assert retry.parse_retry_after("5") == 5
    assert retry.parse_retry_after("600") == 30
