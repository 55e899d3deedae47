"""`SpotSnapshot`: one spot price, where it came from and when — the record that crosses threads.

The ladder is walked from this price, so the window must always be able to say where the number came
from (Pricing Monkey, typed in, or the last good read kept while the page is failing) and how old it
is. A snapshot is frozen; its age is computed against a clock rather than stored, because it grows
while the snapshot sits on screen.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Literal

from zn_ladder.domain.instruments import Product
from zn_ladder.domain.prices import STYLES, Price, format_price

#: "simulator" is the DEMO's spot: the built-in TT simulator's market price (the status strip names it,
#: so a trader never takes a simulated spot for a Pricing Monkey read).
SpotSource = Literal["pricing_monkey", "manual", "last_good", "simulator"]
SOURCES: tuple[SpotSource, ...] = ("pricing_monkey", "manual", "last_good", "simulator")


@dataclass(frozen=True, slots=True)
class SpotSnapshot:
    """A usable spot price. `error` is set only on a `last_good` snapshot: why the live read failed."""

    price: Price
    product: Product
    source: SpotSource
    #: The text as read from the page or typed by the user, before parsing.
    raw: str
    #: Wall-clock time of the read (UTC), for display and logs.
    read_at: datetime
    #: `time.monotonic()` at the read, for ages that do not jump when the wall clock does.
    read_monotonic: float
    url: str | None = None
    #: How long the read took (browser launch and navigation included when they happened).
    elapsed_ms: float = 0.0
    error: str | None = None

    @classmethod
    def now(cls, price: Price, product: Product, source: SpotSource, raw: str, *, url: str | None = None,
            elapsed_ms: float = 0.0) -> SpotSnapshot:
        return cls(price=price, product=product, source=source, raw=raw, read_at=datetime.now(timezone.utc),
                   read_monotonic=time.monotonic(), url=url, elapsed_ms=elapsed_ms)

    def age(self, now_monotonic: float | None = None) -> float:
        """Seconds since the value was read (or typed)."""
        now = time.monotonic() if now_monotonic is None else now_monotonic
        return max(0.0, now - self.read_monotonic)

    def as_last_good(self, error: str) -> SpotSnapshot:
        """This value kept as the fallback because a later live read failed with `error`."""
        return replace(self, source="last_good", error=error)

    def formatted(self, style: str = "tt") -> str:
        return format_price(self.price, self.product, style)  # type: ignore[arg-type]

    def formats(self) -> dict[str, str]:
        """The price in every form the desk writes (decimal exact, TT, CME, Pricing Monkey)."""
        return {style: format_price(self.price, self.product, style) for style in STYLES}
