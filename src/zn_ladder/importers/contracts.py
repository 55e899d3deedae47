"""Which contract names of a file we can trade on the ladder, and why the others are left out.

Exports mix products: the fill monitor records ES (an equity index future) beside ZN, and the Audit
Trail carries spreads and junk names typed by hand. A fill's price is only meaningful in ticks of its
own product, so a row whose contract is not an outright of a known product is skipped with a warning
naming the contract, never guessed. Answers are cached per name: files repeat a handful of names.
"""

from __future__ import annotations

from zn_ladder.domain.errors import InputError
from zn_ladder.domain.instruments import Product, canonical_contract, contract_month, get_product


class ContractTable:
    """Cache of contract name -> `Product`, or the reason the name is not usable."""

    __slots__ = ("_known", "_allow_bare", "_names")

    def __init__(self, *, allow_bare_product: bool = False) -> None:
        #: name -> Product | reason (str)
        self._known: dict[str, Product | str] = {}
        #: Actant and orders JSON name only the product ("ZN"): accept a bare symbol there.
        self._allow_bare = allow_bare_product
        self._names: dict[str, str] = {}

    def product(self, contract: str) -> Product | str:
        """The product of `contract`, or a reason (str) to skip the row."""
        known = self._known.get(contract)
        if known is None:
            known = self._known[contract] = self._lookup(contract)
        return known

    def name(self, contract: str) -> str:
        """The contract's one spelling (`canonical_contract`), cached: `zn sep25` -> `ZN Sep25`."""
        names = self._names
        known = names.get(contract)
        if known is None:
            known = names[contract] = canonical_contract(contract)
        return known

    def _lookup(self, contract: str) -> Product | str:
        name = contract.strip()
        if not name:
            return "no contract name"
        if contract_month(name) is not None:
            symbol: str | None = canonical_contract(name).split(" ")[0]
        else:
            symbol = name if self._allow_bare and " " not in name else None
        if symbol is None:
            return f"contract {contract!r} is not an outright futures contract (expected e.g. 'ZN Sep25')"
        try:
            return get_product(symbol)
        except InputError:
            return f"contract {contract!r} is not a Treasury futures product this app knows"
