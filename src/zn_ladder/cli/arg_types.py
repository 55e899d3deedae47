"""Typed, bounded values for command-line flags: argparse refuses anything else with one line.

Why: `float("nan")`, `float("inf")` and `-1` are floats, and `99999` is an int, so a bare `type=float`
let `monitor --interval nan` poll at the plan's cap, `sim --step-interval -1` spin a core and
`sim --port 99999` end in a traceback. Each flag names the range it accepts; argparse turns the
`ArgumentTypeError` into `zn-ladder <command>: argument --flag: <why>` (see `one_line_errors`).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _number(text: str, convert: Callable[[str], float | int], what: str) -> float | int:
    if len(text) > 40:
        raise argparse.ArgumentTypeError(f"{text[:40]!r}... is not {what}")
    try:
        value = convert(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return value


def seconds(low: float, high: float, *, low_open: bool = False) -> Callable[[str], float]:
    """A finite number of seconds in low..high (above `low` when `low_open`)."""
    what = f"a number of seconds {'above' if low_open else 'from'} {low:g} {'up ' if low_open else ''}to {high:.0f}"

    def parse(text: str) -> float:
        value = float(_number(text, float, what))
        if value > high or value < low or (low_open and value == low):
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value

    return parse


def whole(low: int, high: int, what: str = "") -> Callable[[str], int]:
    """A whole number in low..high."""
    label = what or f"a whole number from {low} to {high}"

    def parse(text: str) -> int:
        value = int(_number(text, int, label))
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not {label}")
        return value

    return parse


def fraction(low: float, high: float, what: str) -> Callable[[str], float]:
    """A finite number in low..high (a probability, a rate)."""
    def parse(text: str) -> float:
        value = float(_number(text, float, what))
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value

    return parse


def log_level(text: str) -> str:
    """A logging level name (any case)."""
    level = text.strip().upper()
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a log level ({', '.join(LOG_LEVELS)})")
    return level


port = whole(0, 65535, "a port from 0 to 65535 (0: any free port)")
#: ns since 1970, as TT's minTimestamp takes it.
since_ns = whole(0, 2 ** 63 - 1, "a time in ns since 1970")


def trading_day_arg(text: str):
    """`--day D`: a trading day as YYYY-MM-DD (`domain.trading_day.parse_day`)."""
    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.trading_day import parse_day

    try:
        return parse_day(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def desk_day_rule():
    """The desk's trading-day rule (settings' `trading_day.close`): which day a fill belongs to."""
    from zn_ladder.config.settings_file import load_settings

    return load_settings().settings.trading_day.rule()
