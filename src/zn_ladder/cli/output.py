"""Shared printing for the headless commands: JSON to stdout, readable tables, exact numbers."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any


def json_number(value: Fraction | int | float | None) -> int | float | None:
    """A JSON number for an exact value: an int when whole, else the nearest float (edge only)."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    return value


def print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, indent=2)
    sys.stdout.write("\n")


def print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A plain aligned table (right-aligned numbers), readable in a terminal or a log."""
    text_rows = [[str(c) for c in r] for r in rows]
    widths = [len(h) for h in headers]
    for r in text_rows:
        widths = [max(w, len(c)) for w, c in zip(widths, r)]
    print("  ".join(h.rjust(w) for h, w in zip(headers, widths)))
    for r in text_rows:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)))


def dollars_text(value: Fraction | int) -> str:
    """An amount as the window prints it (`ui.money`): `$51,734.38`, `-$37.50`, rounded to the cent
    exactly (half away from zero) rather than through a float."""
    from decimal import ROUND_HALF_UP, Decimal

    value = Fraction(value)
    cents = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    text = f"{abs(cents):,.2f}"
    return f"-${text}" if cents < 0 else f"${text}"
