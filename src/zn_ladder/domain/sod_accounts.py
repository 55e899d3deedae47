"""Which start-of-day lots a TT book starts from: Actant's accounts mapped to TT's, one contract, one day.

Actant numbers its accounts its own way (73050502) while the fills come from TT's (1334000). Support
staff configure the pairs once (`sod.account_map`, e.g. ``73050502 = 1334000``); an Actant account
with no pair stays its own account, shown with its Actant number, so its lots are visible rather than
silently merged into some TT book. Several Actant accounts may feed one TT account; one Actant account
cannot feed two (the lots would be counted twice), so a map that says so is refused.

Everything here is pure: the window, `pnl --db`, `pnl FILE --sod` and `ladder --sod` call the same
functions, so they give the same base for the same inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace

from zn_ladder.domain.contract_months import parse_day
from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import canonical_contract, canonical_market
from zn_ladder.domain.records import SodLot

#: What a support engineer should type, quoted in every error.
EXAMPLE = "73050502 = 1334000, 73050503 = 1334001"
_MAX_ACCOUNT = 64

AccountMap = Mapping[str, str]


def parse_account_map(value: str | Mapping[str, object]) -> dict[str, str]:
    """Actant account -> TT account from typed text (``"73050502 = 1334000, 73050503=1334001"``; commas,
    semicolons or new lines between pairs) or a TOML table (``{73050502 = 1334000}``, numbers allowed).

    `InputError` naming the first bad entry and what was expected.
    """
    if isinstance(value, str):
        entries = [e.strip() for e in value.replace(";", ",").replace("\n", ",").split(",")]
        pairs = [_split_entry(e) for e in entries if e]
    elif isinstance(value, Mapping):
        pairs = [(_account(k, f"{k} = {v}", "Actant"), _account(v, f"{k} = {v}", "TT")) for k, v in value.items()]
    else:
        raise InputError(f"expected pairs such as '{EXAMPLE}', got {value!r}")
    out: dict[str, str] = {}
    for actant, tt in pairs:
        if out.get(actant, tt) != tt:
            raise InputError(f"Actant account {actant!r} is mapped twice ({out[actant]!r} and {tt!r}); "
                             f"its lots can go to one TT account only")
        out[actant] = tt
    return out


def _split_entry(entry: str) -> tuple[str, str]:
    if entry.count("=") != 1:
        raise InputError(f"entry {entry!r} is not one ACTANT = TT pair (expected e.g. '{EXAMPLE}')")
    actant, tt = entry.split("=")
    return _account(actant, entry, "Actant"), _account(tt, entry, "TT")


def _account(value: object, entry: str, whose: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(f"entry {entry!r}: the {whose} account must be text or a number, got {value!r}")
    text = str(value).strip()
    if not text:
        raise InputError(f"entry {entry!r} names no {whose} account (expected e.g. '{EXAMPLE}')")
    if len(text) > _MAX_ACCOUNT or any(c in text for c in "=,;\n\r\t"):
        raise InputError(f"entry {entry!r}: {text!r} is not an account name (expected e.g. '{EXAMPLE}')")
    return text


def format_account_map(mapping: AccountMap | Iterable[tuple[str, str]]) -> str:
    """The typed form `parse_account_map` reads back: ``"73050502 = 1334000, 73050503 = 1334001"``."""
    return ", ".join(f"{a} = {t}" for a, t in dict(mapping).items())


def map_sod_accounts(lots: Iterable[SodLot], mapping: AccountMap | Iterable[tuple[str, str]]) -> tuple[SodLot, ...]:
    """`lots` with each Actant account replaced by its TT account; an unmapped account stays as it is."""
    table = dict(mapping)
    return tuple(lot if (tt := table.get(lot.account.strip())) is None else replace(lot, account=tt) for lot in lots)


def contract_key(contract: str) -> str:
    """How contract names compare: case and spacing do not matter (``"zn  sep25"`` is ``"ZN Sep25"``)."""
    return canonical_contract(contract).casefold()


def sod_for_contract(lots: Iterable[SodLot], contract: str, account: str | None = None, *,
                     market: str | None = None, trading_day: dt.date | str | None = None,
                     account_map: AccountMap | Iterable[tuple[str, str]] | None = None) -> tuple[SodLot, ...]:
    """The SOD lots `contract`'s books start from, for one TT `account` or all, on one `market` or all,
    on `trading_day`.

    `account_map` (Actant -> TT) is applied first, so `account` is a TT account. Contracts compare by
    `contract_key` and markets by `canonical_market`; the lots keep their own names. With a
    `trading_day`, each account's lots (per market) are those
    of its latest SOD date on or before that day (an older SOD still applies: the caller replays the
    fills since its date; Actant accounts mapped into one TT account are one account here, as they are
    one book); an undated lot (TT's SOD without a trade date) counts as that day's, and a lot
    whose date is not a date is an `InputError` naming it. Without a day, every lot of the contract is
    returned, as given.
    """
    key = contract_key(contract)
    mapped = map_sod_accounts(lots, account_map) if account_map is not None else tuple(lots)
    on_market = canonical_market(market) if market is not None else None
    chosen = [lot for lot in mapped
              if contract_key(lot.contract) == key and (account is None or lot.account == account)
              and (on_market is None or canonical_market(lot.market) == on_market)]
    if trading_day is None:
        return tuple(chosen)
    day = parse_day(trading_day) if isinstance(trading_day, str) else trading_day
    if isinstance(day, dt.datetime):
        day = day.date()
    dated = [(lot, _day_of(lot, day)) for lot in chosen]
    latest: dict[tuple[str, str], dt.date] = {}
    for lot, when in dated:
        book = (lot.account, canonical_market(lot.market))
        if when <= day and when > latest.get(book, dt.date.min):
            latest[book] = when
    return tuple(lot for lot, when in dated if latest.get((lot.account, canonical_market(lot.market))) == when)


def _day_of(lot: SodLot, today: dt.date) -> dt.date:
    if not lot.date.strip():
        return today
    return parse_day(lot.date)
