"""Which instrument a command is about: one contract on one market, or exit 2 saying why not.

A book is per account and instrument (issue 12): ZN Sep25 on CME and on CME_Delayed are two instruments
whose fills never share a position. So a command that reads several markets' fills must be told which
one it reports (`--market`), and a contract the input does not hold is refused with the contracts it
does hold, instead of a silent position 0.
"""

from __future__ import annotations

from collections.abc import Iterable

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import DEFAULT_MARKET, canonical_market


def choose_market(contract: str, found: Iterable[str], requested: str | None, sod: Iterable[str] = ()) -> str:
    """The market to report `contract` on: `--market` when given; else the only market the input's fills
    (and orders) hold the contract on; two or more without `--market`: refused. SOD markets count only
    when there is nothing else: Actant's file names no market (its lots are taken as the default's)."""
    markets = sorted(set(found)) or sorted(set(sod))
    if requested:
        market = canonical_market(requested)
        if markets and market not in markets:
            raise InputError(f"{contract} has no fills or SOD on market {market} in the input; "
                             f"markets present: {', '.join(markets)}")
        return market
    if len(markets) > 1:
        raise InputError(f"{contract} trades on {len(markets)} markets in the input ({', '.join(markets)}): "
                         f"give --market (one of {', '.join(markets)})")
    return markets[0] if markets else DEFAULT_MARKET


def require_contract(contract: str, present: Iterable[str], *, found: bool, where: str = "the input") -> None:
    """Refuse a contract with no fills and no SOD, naming the contracts that are there."""
    if found:
        return
    names = sorted(set(present) - {contract})
    listed = ", ".join(names) if names else "none"
    raise InputError(f"no fills or SOD for {contract} in {where}; contracts present: {listed}")


def sod_elsewhere(sod: Iterable, market: str) -> list[str]:
    """A warning for each SOD lot that is not on the reported market (never applied silently elsewhere)."""
    return [f"SOD lot of {lot.contract} ({lot.qty:+d}) in account {lot.account} is on market {lot.market}, "
            f"not {market}: not applied" for lot in sod if lot.market != market]
