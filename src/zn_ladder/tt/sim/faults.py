"""Failures on demand, drawn from the seed so a given seed and request sequence fails the same way.

Kinds (config.FAULT_KINDS): "500"/"502"/"503" status answers; "hang" (hold the request longer than a
client's timeout, then 504; ends at once when the server stops); "non_json" (a 200 whose body is an HTML
proxy page); "missing_field" (a 200 whose body lacks `lastPage`, or `status` when it has none);
"string_numbers" (a 200 whose numbers all come as strings, which TT does in places). Only the last is
harmless to a tolerant client; the others must make it retry or report, never lose a fill.

Drawn only when a test lists them (config.EXTRA_FAULT_KINDS): "504"; "redirect" (a 303 to the same
resource, which a client must follow); "not_ok" (a 200 whose JSON says status "Failed"); "null_field"
(a 200 whose first record has a key field set to null, as real TT answers sometimes do).
"""

from __future__ import annotations

import random
import threading
from typing import Any

NON_JSON_BODY = (b"<html><head><title>502 Bad Gateway</title></head>"
                 b"<body><center><h1>502 Bad Gateway</h1></center></body></html>")


class FaultPlan:
    def __init__(self, seed: int, rate: float, kinds: tuple[str, ...]) -> None:
        self._rng = random.Random(f"faults:{seed}")
        self._rate = rate
        self._kinds = kinds
        self._lock = threading.Lock()
        self.drawn: dict[str, int] = {}

    def draw(self) -> str | None:
        """The fault for the next eligible request, or None. Always consumes the same randomness."""
        with self._lock:
            hit = self._rng.random() < self._rate
            kind = self._rng.choice(self._kinds)
            if not hit:
                return None
            self.drawn[kind] = self.drawn.get(kind, 0) + 1
            return kind


def drop_a_field(body: dict[str, Any]) -> dict[str, Any]:
    out = dict(body)
    out.pop("lastPage" if "lastPage" in out else "status", None)
    return out


#: Fields set to null by "null_field", the first one a record has.
_NULLABLE = ("lastPx", "price", "netPosition", "tickSize", "alias", "name")


def null_a_field(body: dict[str, Any]) -> dict[str, Any]:
    """A copy whose first record (of the first list of records) has one key field set to None."""
    out = dict(body)
    for key, value in out.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            first = dict(value[0])
            name = next((n for n in _NULLABLE if n in first), next(iter(first)))
            first[name] = None
            out[key] = [first, *value[1:]]
            return out
        if isinstance(value, dict) and key not in ("headers",):
            record = dict(value)
            name = next((n for n in _NULLABLE if n in record), next(iter(record), None))
            if name is not None:
                record[name] = None
                out[key] = record
                return out
    return out


def numbers_as_strings(value: Any) -> Any:
    """Every int and float inside, as a string (`5.0` -> "5.0"); booleans stay booleans."""
    if isinstance(value, dict):
        return {k: numbers_as_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [numbers_as_strings(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    return value
