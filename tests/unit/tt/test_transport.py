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


def answer(status: int, body: bytes, kind: str = "application/json"):
    import requests

    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers["Content-Type"] = kind
    response.headers["Date"] = "Thu, 26 Nov 2026 14:00:00 GMT"
    return response


def decode(response):
    conn = TTConnection(base_url="http://127.0.0.1:9")
    transport = Transport(conn, RequestBudget(Plan("t", 1000, 100_000)))
    try:
        return transport._decode("ttledger/fills", response, 0.01)
    finally:
        transport.close()


def test_status_not_ok_in_a_200_is_an_error_naming_endpoint_and_message():
    import pytest

    from zn_ladder.tt.errors import TTBodyError, TTRequestError

    with pytest.raises(TTRequestError, match=r"ttledger/fills with status 'Failed': bad minTimestamp \(HTTP 200\)"
                       ) as info:
        decode(answer(200, b'{"status": "Failed", "status_message": "bad minTimestamp"}'))
    assert (info.value.endpoint, info.value.status) == ("ttledger/fills", 200)
    with pytest.raises(TTBodyError, match="not a JSON object"):
        decode(answer(200, b"[1, 2]"))
    with pytest.raises(TTRequestError, match="HTTP 403.*another environment"):
        decode(answer(403, b'{"message": "Forbidden"}'))


def test_ok_answer_carries_the_server_clock():
    ok = decode(answer(200, b'{"status": "Ok", "fills": []}'))
    assert ok.body == {"status": "Ok", "fills": []} and ok.status == 200
    assert ok.server_time == 1_795_701_600.0
