"""How an execution is named, whatever brought it (DESIGN.md §3.5: duplicates count once).

One rule and one key format for every importer, the TT client, the CLI and the store:
1. TT's exec id, where the source has one.
2. Else ``"{order_id}#{cum_qty}"``: the order's cumulative filled quantity after the execution names
   it in every source (the Audit Trail prints it as ExeQty, the API sends cumQty, and for other files it
   is the running sum of the order's fills in execution order). Time + price + qty would not do: one
   order often fills the same qty at the same price within the same tenth of a second.
3. Else (no order id either) ``"h:<digest>"`` of what the record says about the execution, never of
   where it was read (a file name or line number would make the same export under two names two
   sets of fills).

The store also refuses a second row with the same (order id, cum qty), so the same execution arriving
with an exec id from the API and without one from an export is recognised as one.
"""

from __future__ import annotations

import hashlib


def fill_key(exec_id: str, order_id: str, cum_qty: int, *, content: tuple[object, ...] = ()) -> str:
    """The execution's key by the rule above; `content` feeds rule 3 (e.g. account, contract, time,
    side, qty, price)."""
    if exec_id:
        return exec_id
    if order_id and cum_qty:
        return execution_key(order_id, cum_qty)
    if order_id:
        content = (order_id, *content)
    return content_key(*content) if content else ""


def execution_key(order_id: str, cum_qty: int) -> str:
    return f"{order_id}#{cum_qty}"


def content_key(*parts: object) -> str:
    """A stable key from the record's own fields (rule 3)."""
    text = "\x1f".join(str(p) for p in parts)
    return "h:" + hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


class Executions:
    """Executions seen so far, by the rule above: the same key, or the same (order id, contract, cum qty)
    from a source that keys it otherwise (the store's unique index enforces the same rule; the contract
    tells apart a calendar spread's two leg fills, which share the spread order's id and cum qty)."""

    __slots__ = ("_keys", "_pairs")

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._pairs: set[tuple[str, str, int]] = set()

    def add(self, key: str, order_id: str, cum_qty: int, contract: str = "") -> bool:
        """Note an execution; False when it was seen already (then nothing is noted)."""
        pair = (order_id, contract, cum_qty) if order_id and cum_qty else None
        if key in self._keys or (pair is not None and pair in self._pairs):
            return False
        self._keys.add(key)
        if pair is not None:
            self._pairs.add(pair)
        return True


class RunningCum:
    """The cumulative filled quantity per order, fed fills in execution order."""

    __slots__ = ("_cum",)

    def __init__(self) -> None:
        self._cum: dict[str, int] = {}

    def add(self, order_id: str, qty: int) -> int:
        cum = self._cum.get(order_id, 0) + qty
        self._cum[order_id] = cum
        return cum

    def set(self, order_id: str, cum_qty: int) -> int:
        """Record a cumulative quantity the file states (the Audit Trail's ExeQty)."""
        self._cum[order_id] = cum_qty
        return cum_qty


class Occurrences:
    """Rule-3 keys numbered within one file, in its order: a second row saying exactly what the first
    says is a second execution (``h:...#2``), never a duplicate of it.

    Why: an Audit Trail exported without its TTOrder ID column holds real executions that agree in
    every field it has (same second, account, side, qty and price); keyed by content alone two of its
    56 fills were stored as one. Numbered in the file's order, the keys stay the same for the same
    file under any name.
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, key: str) -> str:
        if not key.startswith("h:"):
            return key
        n = self._seen.get(key, 0) + 1
        self._seen[key] = n
        return key if n == 1 else f"{key}#{n}"
