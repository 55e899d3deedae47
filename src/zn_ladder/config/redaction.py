"""Keep secrets out of log files and crash reports: `redact(text)` and the `RedactingFilter`.

Why a filter on top of careful code: the TT modules already keep keys and tokens out of their messages,
but a log line is also written by libraries (urllib3 debug lines carry URLs and headers), by exception
messages that quote a request, and by tracebacks that show local values. A support engineer collects
these files from a desk and mails them around; one leaked app secret is a LIVE key in someone's inbox.
So everything that reaches a file passes through `redact`, which removes:
- values registered at run time with `register_secret` (the loaded app key and secret), wherever they
  appear;
- `Bearer <token>`, JWTs (`eyJ...`), TT `key:secret` pairs;
- the value of any `name=value` / `"name": "value"` / `Name: value` whose name says token, secret,
  password, api key, app key, authorization, cookie or credential.
Over-redacting a harmless word costs nothing; under-redacting costs a key.
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "***"

_NAME = r"[\w.-]*(?:token|secret|passw(?:or)?d|pwd|api[_-]?key|app[_-]?key|authorization|cookie|credential)[\w.-]*"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # name=value, name: value, "name": "value" (JSON, headers, query strings, reprs)
    (re.compile(rf"""(?i)(["']?\b{_NAME}["']?\s*[:=]\s*)(["']?)(?:bearer\s+)?[^\s"'&,;}}\])]+"""), rf"\1\2{MASK}"),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,}"), f"Bearer {MASK}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), MASK),
    # TT app keys are `<guid>:<guid>`; a GUID alone is an order or exec id and stays readable.
    (re.compile(r"\b[0-9A-Za-z]{8}(?:-[0-9A-Za-z]{4}){3}-[0-9A-Za-z]{12}:[0-9A-Za-z-]{8,}"), MASK),
)

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Redact this exact value from now on (the credentials' key and secret once loaded).

    Values shorter than 6 characters are ignored: masking "abc" everywhere would garble the log and a
    real key is never that short."""
    if value and len(value) >= 6:
        with _lock:
            _secrets.add(value)


def forget_secrets() -> None:
    """Tests only: start from no registered values."""
    with _lock:
        _secrets.clear()


_FLAG = re.compile(rf"(?i)^--?{_NAME}$")
_FLAG_WITH_VALUE = re.compile(rf"(?i)^(--?{_NAME}=)(.*)$")


def redact_argv(argv: list[str]) -> list[str]:
    """A command line with the value of every secret-named flag masked: `--api-secret S` and
    `--api-secret=S` (`redact` alone cannot know that the word after `--api-secret` is its value)."""
    out: list[str] = []
    mask_next = False
    for arg in argv:
        if mask_next:
            out.append(MASK)
            mask_next = False
        elif _FLAG.match(arg):
            out.append(arg)
            mask_next = True
        elif match := _FLAG_WITH_VALUE.match(arg):
            out.append(match.group(1) + MASK)
        else:
            out.append(arg)
    return out


def redact(text: str) -> str:
    if not text:
        return text
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """A handler filter that rewrites the record's message, traceback and stack text through `redact`.

    The message is formatted here (msg % args) so that a secret passed as an argument is caught too;
    the traceback is formatted into `exc_text`, which `logging.Formatter` then uses as is. The record
    is never dropped: a filter that swallowed lines would hide the very errors support needs."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what we have, redacted
            message = f"{record.msg} {record.args}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
