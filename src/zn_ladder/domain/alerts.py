"""When an alert fires, and when it may fire again.

The trader sets thresholds (a loss limit and a profit target on the total P&L, a largest position, a
fill larger than N lots, a feed stale for more than N seconds; 0 switches one off) and is told once
when one is crossed. Once, because the numbers arrive every second: a total P&L hovering around the
loss limit would otherwise beep every second and the trader would learn to ignore it. So each rule
fires on the crossing and then stays quiet until it re-arms:

* the P&L rules re-arm only when the total has come back by a tenth of the threshold (a $5,000 loss
  limit fires at -$5,000 and re-arms above -$4,500), a hysteresis band wide enough to swallow the
  tick-by-tick noise of a position worth watching;
* the position rule re-arms when the position is back within the limit (it moves only by fills, each a
  real event, so there is nothing to debounce);
* a feed re-arms as soon as it is fresh again; a large fill fires once per fill.

Changing a threshold re-arms its rule (the trader just asked a new question). Pure: fed the P&L
snapshot's numbers, the new fills and how long each feed has been stale, with the time they were seen;
no clock, no Qt, no I/O. Which alerts the trader has acknowledged is the window's business.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Literal

from zn_ladder.domain.records import Fill, Side

AlertKind = Literal["loss_limit", "profit_target", "position", "large_fill", "stale_feed"]

#: How far back (a share of the threshold) the total P&L must come before its rule fires again.
REARM_SHARE = Fraction(1, 10)

TITLES: dict[str, str] = {"loss_limit": "LOSS LIMIT", "profit_target": "PROFIT TARGET", "position": "POSITION",
                          "large_fill": "LARGE FILL", "stale_feed": "STALE FEED"}


@dataclass(frozen=True, slots=True)
class AlertLimits:
    """The thresholds; 0 is off. Money in exact dollars (positive: the loss limit 5000 is -$5,000)."""

    loss_limit: Fraction = Fraction(0)
    profit_target: Fraction = Fraction(0)
    max_position: int = 0
    large_fill_lots: int = 0
    stale_feed_s: float = 0.0

    def __post_init__(self) -> None:
        for name in ("loss_limit", "profit_target", "max_position", "large_fill_lots", "stale_feed_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"alert threshold {name} must be 0 (off) or positive, got {getattr(self, name)}")

    @property
    def any_on(self) -> bool:
        return any((self.loss_limit, self.profit_target, self.max_position, self.large_fill_lots, self.stale_feed_s))


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as it fired. `key` names what it is about (a rule, a feed, a fill): the window keeps one
    unacknowledged alert per key and replaces it when the same key fires again."""

    kind: AlertKind
    key: str
    message: str
    at: datetime
    #: The number that crossed and the threshold it crossed, as text for the audit log.
    value: str = ""
    threshold: str = ""

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    def line(self) -> str:
        return f"{self.title}: {self.message}"


def money(value: Fraction | int) -> str:
    """`-$5,120.00`: the same form as the window's cards (kept here so the domain's messages are final)."""
    text = f"{float(value):,.2f}"
    if text in ("-0.00", "0.00"):
        return "$0.00"
    return f"-${text[1:]}" if text.startswith("-") else f"${text}"


def _lots(position: int) -> str:
    return f"{position:+d}" if position else "0"


def _seconds(value: float) -> str:
    return f"{value:.0f}s" if value >= 10 else f"{value:g}s"


class AlertRules:
    """The armed/fired state of every rule; `on_pnl`, `on_fills` and `on_feeds` return the alerts that fire."""

    def __init__(self, limits: AlertLimits | None = None) -> None:
        self.limits = limits or AlertLimits()
        #: Keys that fired and have not re-armed yet.
        self._fired: set[str] = set()
        #: Large fills already alerted (by fill key): a fill seen again in a later snapshot is old news.
        self._fills_seen: set[str] = set()

    def set_limits(self, limits: AlertLimits) -> None:
        """New thresholds; a rule whose threshold changed is re-armed (and judged afresh on the next numbers)."""
        old, self.limits = self.limits, limits
        if old.loss_limit != limits.loss_limit:
            self._fired.discard("loss_limit")
        if old.profit_target != limits.profit_target:
            self._fired.discard("profit_target")
        if old.max_position != limits.max_position:
            self._fired.discard("position")
        if old.stale_feed_s != limits.stale_feed_s:
            self._fired -= {k for k in self._fired if k.startswith("stale_feed:")}

    def armed(self, key: str) -> bool:
        return key not in self._fired

    def _rule(self, key: str, beyond: bool, back: bool) -> bool:
        """True when `key` fires now: beyond its threshold while armed. `back`: inside the re-arm zone."""
        if key in self._fired:
            if back:
                self._fired.discard(key)
            return False
        if beyond:
            self._fired.add(key)
            return True
        return False

    def on_pnl(self, total: Fraction, position: int, at: datetime) -> list[Alert]:
        """The total P&L (exact dollars) and net position of a P&L snapshot."""
        alerts: list[Alert] = []
        loss = self.limits.loss_limit
        if loss > 0:
            if self._rule("loss_limit", total <= -loss, total > -loss + loss * REARM_SHARE):
                alerts.append(Alert("loss_limit", "loss_limit",
                                    f"total P&L {money(total)} is at or below the loss limit {money(-loss)}", at,
                                    str(total), str(-loss)))
        else:
            self._fired.discard("loss_limit")
        target = self.limits.profit_target
        if target > 0:
            if self._rule("profit_target", total >= target, total < target - target * REARM_SHARE):
                alerts.append(Alert("profit_target", "profit_target",
                                    f"total P&L {money(total)} reached the profit target {money(target)}", at,
                                    str(total), str(target)))
        else:
            self._fired.discard("profit_target")
        most = self.limits.max_position
        if most > 0:
            if self._rule("position", abs(position) > most, abs(position) <= most):
                alerts.append(Alert("position", "position",
                                    f"position {_lots(position)} lots is beyond the limit of {most} lots", at,
                                    str(position), str(most)))
        else:
            self._fired.discard("position")
        return alerts

    def on_fills(self, fills: Iterable[Fill], at: datetime) -> list[Alert]:
        """New fills (the window passes only those that arrived since the previous snapshot)."""
        lots = self.limits.large_fill_lots
        if lots <= 0:
            return []
        alerts = []
        for fill in fills:
            if fill.qty > lots and fill.key not in self._fills_seen:
                self._fills_seen.add(fill.key)
                side = "BOUGHT" if fill.side is Side.BUY else "SOLD"
                alerts.append(Alert("large_fill", f"large_fill:{fill.key}",
                                    f"{side} {fill.qty} {fill.contract} ({fill.account}): more than {lots} lots",
                                    at, str(fill.qty), str(lots)))
        return alerts

    def on_feeds(self, stale_for: Mapping[str, float], at: datetime) -> list[Alert]:
        """How long each feed has been stale or failing, in seconds (0 or absent: fresh)."""
        limit = self.limits.stale_feed_s
        if limit <= 0:
            self._fired -= {k for k in self._fired if k.startswith("stale_feed:")}
            return []
        alerts = []
        for name in sorted(set(stale_for) | {k.split(":", 1)[1] for k in self._fired if k.startswith("stale_feed:")}):
            seconds = stale_for.get(name, 0.0)
            if self._rule(f"stale_feed:{name}", seconds > limit, seconds <= 0):
                alerts.append(Alert("stale_feed", f"stale_feed:{name}",
                                    f"{name} has been stale for {_seconds(seconds)} (limit {_seconds(limit)})",
                                    at, f"{seconds:g}", f"{limit:g}"))
        return alerts
