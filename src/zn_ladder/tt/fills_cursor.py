"""Where the next incremental fills poll starts, as a small value the store can persist.

TT's `minTimestamp` is inclusive: the last fill of one poll comes back in the next, and two executions
can share one timestamp. So the cursor is a timestamp plus the keys of the records already delivered at
or after it; those are dropped when they come back, and a record not yet seen at the same timestamp is
still delivered. Saved with `to_json` and restored with `from_json`, a restarted process resumes with
no gap and no duplicate.

When a record cannot be parsed (TT sent it with a field missing) the cursor is held at that record's
timestamp, so the next poll fetches it again; after `MAX_HOLDS` polls in a row it is set aside (the
store's quarantine keeps it with its raw text), so one broken record cannot stall the fills for ever;
the next start asks again from the oldest record still set aside (`rewound_to`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from zn_ladder.domain.errors import InputError

MAX_HOLDS = 3
_VERSION = 1
#: The window's one fills cursor before cursors were kept per environment and address (issue 12): at
#: start it is moved to the environment that wrote it, or dropped when that is not known.
LEGACY_CURSOR_SOURCE = "tt_api_fills"


def cursor_source(env: str, base_url: str) -> str:
    """The store's name of the TT fills cursor for TT environment `env` (its path segment, e.g.
    `ext_uat_cert`) at `base_url`: one per environment and address, so a store used in UAT and then in
    LIVE never starts LIVE from UAT's timestamp. `zn-ladder monitor` and the window both use this name."""
    return f"tt_fills:{env}:{base_url.rstrip('/')}"


@dataclass(frozen=True, slots=True)
class FillCursor:
    #: The next poll's minTimestamp (ns since the epoch).
    min_timestamp: int = 0
    #: (timeStamp, key) of the records already delivered with timeStamp >= min_timestamp.
    seen: frozenset[tuple[int, str]] = frozenset()
    #: Polls in a row that held the cursor back on an unparseable record.
    holds: int = 0

    def is_seen(self, time_ns: int, key: str) -> bool:
        return (time_ns, key) in self.seen

    def advance(self, delivered: Iterable[tuple[int, str]], *, hold_at: int | None = None) -> FillCursor:
        """The cursor after a poll that delivered `delivered` (timeStamp, key) records.

        `hold_at`: the timestamp of the earliest record that could not be parsed this poll, if any;
        the cursor stays at or before it so the next poll asks for it again.
        """
        known = set(self.seen)
        known.update(delivered)
        newest = max((t for t, _ in known), default=self.min_timestamp)
        target = max(newest, self.min_timestamp)
        holds = 0
        if hold_at is not None:
            target = max(self.min_timestamp, min(target, hold_at))
            holds = self.holds + 1
        return FillCursor(target, frozenset(p for p in known if p[0] >= target), holds)

    @property
    def should_give_up(self) -> bool:
        """True when the last polls kept failing on the same records: skip them with a warning now."""
        return self.holds >= MAX_HOLDS

    def to_dict(self) -> dict[str, object]:
        """A JSON-serialisable form (the store writes it with its fills, in one transaction)."""
        return {"v": _VERSION, "min_timestamp": self.min_timestamp, "holds": self.holds,
                "seen": sorted([t, k] for t, k in self.seen)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: object) -> FillCursor:
        try:
            if not isinstance(data, dict):
                raise TypeError(f"not an object: {type(data).__name__}")
            if data.get("v") != _VERSION:
                raise ValueError(f"version {data.get('v')!r}")
            seen = frozenset((int(t), str(k)) for t, k in data.get("seen", []))
            return cls(int(data["min_timestamp"]), seen, int(data.get("holds", 0)))
        except (ValueError, TypeError, KeyError) as exc:
            raise InputError(f"saved fills cursor {str(data)[:80]!r} cannot be read ({exc}); "
                             "start from a timestamp instead") from None

    @classmethod
    def from_json(cls, text: str) -> FillCursor:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError(f"saved fills cursor {text[:80]!r} is not JSON ({exc})") from None
        return cls.from_dict(data)

    def rewound_to(self, time_ns: int) -> FillCursor:
        """The cursor asking again from `time_ns` when that is earlier (a record set aside then): what
        comes back twice is dropped by the store, what TT now sends readable is stored."""
        if time_ns >= self.min_timestamp:
            return self
        return FillCursor(int(time_ns))

    @classmethod
    def starting_at(cls, time_ns: int) -> FillCursor:
        """A cursor for "every fill at or after time_ns" (e.g. the start of the trading day)."""
        return cls(int(time_ns))
