"""The redaction that every log line and crash report passes through: secrets go, the rest stays."""

from __future__ import annotations

import logging

import pytest

from zn_ladder.config.redaction import MASK, RedactingFilter, forget_secrets, redact, register_secret

KEY = "3f2a9c1e-0b7d-4e21-9a55-6c1d2e3f4a5b"
SECRET = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0cmFkZXIifQ.c2lnbmF0dXJlLXZhbHVl"


@pytest.fixture(autouse=True)
def _no_registered_secrets():
    forget_secrets()
    yield
    forget_secrets()


@pytest.mark.parametrize("text", [
    f"POST /ttid/ext_uat_cert/token body grant_type=user_app&app_key={KEY}:{SECRET}",
    f"headers {{'x-api-key': '{KEY}', 'Authorization': 'Bearer {JWT}'}}",
    f'{{"access_token": "{JWT}", "token_type": "bearer", "seconds_until_expiry": 3600}}',
    f"Authorization: Bearer {SECRET}",
    f"client_secret={SECRET} password: {SECRET}",
    f"app key pair {KEY}:{SECRET} refused",
    f"token {JWT} expired",
    f"Cookie: session={SECRET}",
])
def test_secrets_in_every_usual_form_are_masked(text: str) -> None:
    out = redact(text)
    assert SECRET not in out and JWT not in out
    assert MASK in out


def test_the_key_is_masked_where_it_is_named() -> None:
    out = redact(f"x-api-key: {KEY} rejected (403)")
    assert KEY not in out and out == f"x-api-key: {MASK} rejected (403)"


def test_registered_values_are_masked_anywhere() -> None:
    register_secret("hunter2-desk-secret")
    out = redact("the dialog said hunter2-desk-secret was wrong")
    assert out == f"the dialog said {MASK} was wrong"


def test_short_registered_values_are_ignored_so_the_log_stays_readable() -> None:
    register_secret("abc")
    assert redact("abc def") == "abc def"


def test_ordinary_lines_are_unchanged() -> None:
    line = ("fills: 12 new since 1723456789000000000, order 5b1e9c3a-1111-4222-8333-944455566677 "
            "ZN Sep25 BUY 10 @ 110'165, budget 180/200 requests")
    assert redact(line) == line


def _record(msg: str, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("zn_ladder.tt.client", logging.ERROR, __file__, 1, msg, args, exc_info)


def test_filter_redacts_arguments_and_keeps_the_record() -> None:
    rec = _record("token request failed: %s", f"app_key={KEY}:{SECRET}")
    assert RedactingFilter().filter(rec) is True
    text = logging.Formatter("%(message)s").format(rec)
    assert SECRET not in text and "token request failed" in text


def test_filter_redacts_tracebacks() -> None:
    try:
        raise RuntimeError(f"401 for Authorization: Bearer {JWT}")
    except RuntimeError:
        import sys

        rec = _record("poll failed", exc_info=sys.exc_info())
    RedactingFilter().filter(rec)
    text = logging.Formatter("%(message)s").format(rec)
    assert "RuntimeError" in text and "Traceback" in text
    assert JWT not in text


def test_filter_survives_a_bad_format_string() -> None:
    rec = _record("half %s %s", f"password={SECRET}")  # one argument for two placeholders
    RedactingFilter().filter(rec)
    assert SECRET not in rec.getMessage()
