"""TT's `requestId`: `<app>-<company>--<uuid4>`, fresh on every call.

TT rejects ids with characters other than letters, digits and hyphens, and uses the double hyphen to
split the caller's name from the uuid; so app and company names are reduced to letters and digits
here (a name like "ZN Ladder_2" becomes "ZNLadder2") rather than trusting settings to be clean.
"""

from __future__ import annotations

import re
import uuid

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")
REQUEST_ID = re.compile(r"^[A-Za-z0-9]+-[A-Za-z0-9]+--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def clean_name(text: str, fallback: str) -> str:
    cleaned = _NOT_ALNUM.sub("", text or "")
    return cleaned or fallback


def new_request_id(app_name: str, company: str) -> str:
    return f"{clean_name(app_name, 'znladder')}-{clean_name(company, 'company')}--{uuid.uuid4()}"


def is_valid_request_id(text: str) -> bool:
    return bool(REQUEST_ID.match(text or ""))
