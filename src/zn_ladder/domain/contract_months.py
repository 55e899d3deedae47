"""A product's contract for a delivery month, as TT names it, and the trading days files carry.

TT names an outright future by product symbol, a space, the three-letter month in title case and a
two-digit year ("ZN Sep25"). Actant names only the product and an EXPIRE_DATE; the row belongs to the
contract whose month is that date's month, so the name is built here rather than guessed by each
caller. Two-digit years are read as 20YY: no contract this app trades delivers before 2000 or after 2099.
"""

from __future__ import annotations

import datetime as dt
import re

from zn_ladder.domain.errors import InputError

#: Month codes of TT's aliases (fixed English: never the locale's `%b`).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_OF = {m.upper(): i for i, m in enumerate(MONTHS, start=1)}

_ALIAS = re.compile(r"^\s*([A-Za-z0-9]+)\s+([A-Za-z]{3})(\d{2})\s*$")
_US_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def contract_for_month(symbol: str, year: int, month: int) -> str:
    """TT's alias of `symbol`'s contract delivering in `month` of `year`: ``("ZN", 2025, 9)`` -> ``"ZN Sep25"``."""
    if not 1 <= month <= 12:
        raise InputError(f"month {month} is not 1 to 12")
    if not 2000 <= year <= 2099:
        raise InputError(f"year {year} is outside 2000-2099 (TT's aliases carry two digits)")
    return f"{symbol.strip().upper()} {MONTHS[month - 1]}{year % 100:02d}"


def contract_for_expiry(symbol: str, expiry: dt.date) -> str:
    """The contract of `symbol` that expires in `expiry`'s month (``ZN``, 2025-09-19 -> ``"ZN Sep25"``)."""
    return contract_for_month(symbol, expiry.year, expiry.month)


def contract_month(contract: str) -> tuple[str, int, int] | None:
    """(symbol, year, month) of an outright's alias (``"zn sep25"`` -> ``("ZN", 2025, 9)``), or None
    for a name that is not one (a bare product, a spread)."""
    match = _ALIAS.match(contract or "")
    if not match:
        return None
    month = _MONTH_OF.get(match.group(2).upper())
    if month is None:
        return None
    return match.group(1).upper(), 2000 + int(match.group(3)), month


def parse_day(text: str) -> dt.date:
    """A trading or expiry day as files write it: Actant's MM/DD/YYYY (``09/19/2025``, ``9/19/2025``) or
    ISO ``2025-09-19`` (what the store keeps). `InputError` naming the text otherwise."""
    value = (text or "").strip()
    us, iso = _US_DAY.match(value), _ISO_DAY.match(value)
    try:
        if us:
            return dt.date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        pass
    raise InputError(f"{text!r} is not a date (expected MM/DD/YYYY or YYYY-MM-DD)")
