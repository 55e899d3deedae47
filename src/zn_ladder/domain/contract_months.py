"""The contract a dated position belongs to, and the trading days files carry.

Actant names only the product and an EXPIRE_DATE; the row belongs to the contract of that product
whose month is that date's month (TT's alias, `instruments.contract_name`: ZN, 09/19/2025 -> "ZN Sep25"),
so the name is built here rather than guessed by each caller. Two-digit years in TT's aliases are read
as 20YY, so a date outside 2000-2099 names no contract.
"""

from __future__ import annotations

import datetime as dt
import re

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import contract_name

_US_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def contract_for_expiry(symbol: str, expiry: dt.date) -> str:
    """The contract of `symbol` that expires in `expiry`'s month (``ZN``, 2025-09-19 -> ``"ZN Sep25"``)."""
    if not 2000 <= expiry.year <= 2099:
        raise InputError(f"{expiry.isoformat()} is outside 2000-2099 (TT's contract names carry two digits "
                         f"of the year)")
    return contract_name(symbol.strip(), expiry.year, expiry.month)


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
