"""How the window prints an amount of money: `$51,734.38`, `-$37.50`, never `$51734.375`.

The domain's dollars are exact Fractions; a trader reads cents with thousands separators. One function
so the summary cards, the ladder's tooltips and the tables agree to the cent.
"""

from __future__ import annotations

from fractions import Fraction


def dollars(value: Fraction | int | float) -> str:
    text = f"{float(value):,.2f}"
    if text in ("-0.00", "0.00"):
        return "$0.00"
    return f"-${text[1:]}" if text.startswith("-") else f"${text}"
