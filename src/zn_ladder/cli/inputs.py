"""The files a headless command is given: fills (merged, de-duplicated), SOD lots and working orders.

Shared by `ladder` and `pnl` so both read, merge and filter the same way:
- Fill files are read in the order given, each in its own execution order. When every file carries a
  real clock (fill monitor, TT fills JSON) they are merged by time; exports with a mangled clock (Audit
  Trail, Fills widget) keep the order given, because their times only order fills within the file.
- An execution seen twice counts once: same key, or same (order id, cumulative quantity) from another
  source (see `zn_ladder.importers.identity`). One warning per file says how many were dropped.
- Busts and corrections (TT fills JSON) are applied by rewriting the fill list before matching.
- An SOD lot belongs to one contract (Actant's rows are named for their expiry month).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # imported where used: `zn-ladder --help` imports this module and must stay fast
    from pathlib import Path

    from zn_ladder.domain.instruments import Product
    from zn_ladder.domain.records import Fill, FillCorrection, SodLot, WorkingOrder
    from zn_ladder.importers.fill_columns import FillColumns
    from zn_ladder.importers.fill_monitor import RawFill
    from zn_ladder.importers.result import FileKind

#: Sources whose `time_ns` is a real execution time (comparable across files).
_REAL_CLOCK = {"fill_monitor", "tt_fills"}


class FillBatch(NamedTuple):
    """Fills for a command, in execution order, with everything a user should be told about them.

    `rows` is what lot matching reads: one `RawFill`-shaped tuple per fill (see
    `zn_ladder.importers.fill_monitor.RawFill`) whose exec-id slot holds the de-duplication key, empty
    when the fill is unique by construction. The fast path for one big fill-monitor file fills `rows`
    straight from the CSV scan and leaves `fills` empty: building 200,000 `Fill` records would cost more
    than the whole matching.
    """

    fills: tuple[Fill, ...] = ()
    corrections: tuple[FillCorrection, ...] = ()
    #: "file: row N: reason" lines, one per skipped row, plus per-file notes (duplicates, corrections).
    warnings: tuple[str, ...] = ()
    #: Rows the importers skipped plus duplicate executions dropped.
    skipped: int = 0
    rows: Sequence[RawFill] = ()

    @classmethod
    def of_fills(cls, fills: Sequence[Fill], *, corrections: Sequence[FillCorrection] = (),
                 warnings: Sequence[str] = (), skipped: int = 0) -> FillBatch:
        rows = [(f.time_ns, 0, f.account, f.contract, f.side, f.qty, f.price, f.order_id, f.key, f.user, f.market)
                for f in fills]
        return cls(tuple(fills), tuple(corrections), tuple(warnings), skipped, rows)


def read_fills(paths: Sequence[str], *, kind: str | None = None, default_contract: str | None = None,
               records: bool = True) -> FillBatch:
    """Fills of every file in `paths`, merged and de-duplicated (see the module docstring).

    With `records=False` a single fill-monitor file skips building `Fill` records (`rows` only).
    """
    from zn_ladder.domain.errors import InputError
    from zn_ladder.domain.lots import apply_corrections
    from zn_ladder.importers.detect import parse_kind, read_file

    if not records and len(paths) == 1:
        fast = _fast_fill_monitor(paths[0], parse_kind(kind) if kind else None)
        if fast is not None:
            return fast
    per_file: list[tuple[str, tuple[Fill, ...]]] = []
    corrections: list[FillCorrection] = []
    warnings: list[str] = []
    skipped = 0
    real_clock = True
    for path in paths:
        result = read_file(path, kind, default_contract=default_contract)
        if result.kind.value in ("tt_orders", "actant_sod"):
            raise InputError(f"{path}: {result.kind.a_label} holds no fills")
        name = _name(path)
        warnings.extend(f"{name}: {w}" for w in result.warnings)
        skipped += result.skipped
        per_file.append((name, result.fills))
        corrections.extend(result.corrections)
        real_clock = real_clock and result.kind.value in _REAL_CLOCK
    if len(per_file) == 1:
        fills = list(per_file[0][1])  # the books drop repeated keys within one file
    else:
        fills, dropped = _merge(per_file, by_time=real_clock)
        for name, count in dropped.items():
            warnings.append(f"{name}: {count} fills already read from an earlier file (same execution): counted once")
            skipped += count
    if corrections:
        unmatched: list[FillCorrection] = []
        fills = apply_corrections(fills, corrections, unmatched=unmatched)
        warnings.extend(f"correction {c.key!r} refers to execution {c.ref_key!r}, which is not in the files: ignored"
                        for c in unmatched)
    return FillBatch.of_fills(fills, corrections=corrections, warnings=warnings, skipped=skipped)


def _fast_fill_monitor(path: str, kind: FileKind | None) -> FillBatch | None:
    """The rows of one fill-monitor file straight from its scan, or None for any other kind of file."""
    from zn_ladder.importers import fill_monitor

    found = _fill_monitor_text(path, kind)
    if found is None:
        return None
    rows, warnings, _ = fill_monitor.scan(*found)
    name = _name(path)
    # Within one file a fill without exec id is unique by construction (its key is the order id and
    # the order's running quantity), so only exec ids need de-duplicating: they stay in their slot.
    return FillBatch(warnings=tuple(f"{name}: {w}" for w in warnings), skipped=len(warnings), rows=rows)


def fill_columns(paths: Sequence[str], kind: str | None) -> tuple[FillColumns, FillBatch] | None:
    """One regular fill-monitor file's fills as columns in execution order, with the batch of its
    warnings (no rows, no records): the fastest way through the biggest file.

    None when this does not apply (several files, another kind, an irregular file): the caller then
    reads the fills with `read_fills`. Order ids and users are not collected; an exec id is the only
    key to check within one file (see `_fast_fill_monitor`).
    """
    from pathlib import Path

    from zn_ladder.importers import fill_monitor
    from zn_ladder.importers.detect import parse_kind
    from zn_ladder.importers.result import FileKind

    if len(paths) != 1 or (kind and parse_kind(kind) is not FileKind.FILL_MONITOR):
        return None
    columns = fill_monitor.file_columns(Path(paths[0]))  # an ASCII file, straight from its bytes
    if columns is None:
        found = _fill_monitor_text(paths[0], parse_kind(kind) if kind else None)
        columns = fill_monitor.columns(*found, full=False) if found is not None else None
    if columns is None:
        return None
    name = _name(paths[0])
    warnings = columns.warnings
    return columns, FillBatch(warnings=tuple(f"{name}: {w}" for w in warnings), skipped=len(warnings))


def _fill_monitor_text(path: str, kind: FileKind | None) -> tuple[Path, str] | None:
    from pathlib import Path

    from zn_ladder.importers.detect import detect_kind
    from zn_ladder.importers.result import FileKind
    from zn_ladder.importers.text import read_text

    text = read_text(path)
    if (kind or detect_kind(path, text)) is not FileKind.FILL_MONITOR:
        return None
    return Path(path), text


def _name(path: str) -> str:
    from pathlib import Path

    return Path(path).name


def _merge(per_file: list[tuple[str, tuple[Fill, ...]]], *, by_time: bool) -> tuple[list[Fill], dict[str, int]]:
    from zn_ladder.domain.identity import Executions

    seen = Executions()
    dropped: dict[str, int] = {}
    fills: list[Fill] = []
    for name, batch in per_file:
        for fill in batch:
            if not seen.add(fill.key, fill.order_id, fill.cum_qty, fill.contract):
                dropped[name] = dropped.get(name, 0) + 1
                continue
            fills.append(fill)
    if by_time:
        fills.sort(key=lambda f: f.time_ns)  # stable
    return fills, dropped


def read_sod(path: str | None) -> tuple[tuple[SodLot, ...], tuple[str, ...]]:
    """SOD lots of an Actant file (or none), its accounts mapped to TT's (`sod.account_map`, as the
    window and `import` map them), with its warnings."""
    if not path:
        return (), ()
    from zn_ladder.domain.sod_accounts import map_sod_accounts
    from zn_ladder.importers.detect import read_file
    from zn_ladder.importers.result import FileKind

    result = read_file(path, FileKind.ACTANT_SOD)
    name = _name(path)
    return map_sod_accounts(result.sod, account_map()), tuple(f"{name}: {w}" for w in result.warnings)


def account_map() -> tuple[tuple[str, str], ...]:
    """The desk's Actant -> TT account map from the settings file (`sod.account_map`)."""
    from zn_ladder.config.settings_file import load_settings

    return load_settings().settings.sod.account_map


def read_orders(path: str, product: Product,
                contract: str | None = None) -> tuple[tuple[WorkingOrder, ...], tuple[str, ...]]:
    """Working orders of a TT orders JSON. TT's orders name only an instrument id, so orders whose
    contract the file does not name are taken as orders of `contract` (or of `product`, the ladder's)."""
    from zn_ladder.importers.detect import read_file
    from zn_ladder.importers.result import FileKind

    result = read_file(path, FileKind.TT_ORDERS, default_contract=contract or product.symbol)
    name = _name(path)
    return result.orders, tuple(f"{name}: {w}" for w in result.warnings)


def sod_for(lots: Iterable[SodLot], contract: str, product: Product, account: str | None) -> list[SodLot]:
    """The SOD lots of `contract` (and `account`): an SOD belongs to one contract, never to every
    contract of its product (a 2022 lot must not open ZN Dec99). The window's rule, shared."""
    from zn_ladder.domain.sod_accounts import sod_for_contract

    return list(sod_for_contract(lots, contract, account))


def add_user_argument(parser: argparse.ArgumentParser) -> None:
    """`--user TRADER`, the same on every command that lists or computes from fills (issue 15 §4)."""
    parser.add_argument("--user", metavar="TRADER", type=trader_name,
                        help="only this trader's fills: TT user name (CurrentUser, e.g. Eric; any case) or TT user "
                             "id. From files, the name or id the file carries")


def trader_name(text: str) -> str:
    """`--user`'s value: a name or id, trimmed; an empty one names nobody and is refused."""
    value = text.strip()
    if not value or len(value) > 200:
        raise argparse.ArgumentTypeError(f"{text!r} is not a trader: give a TT user name (e.g. Eric) or user id")
    return value


def user_of_rows(rows: Sequence[RawFill], trader: str | None) -> list[RawFill]:
    """The `RawFill` rows of one trader (`--user`) from files: the file's CurrentUser (or TT user id)
    equal to `trader`, ignoring case as TT's screens do. A file names users as it does; the store's
    reference data, when there is one, is what names TT's ids (`store.where.trader_values`)."""
    if trader is None:
        return list(rows)
    wanted = trader.strip().casefold()
    return [row for row in rows if str(row[9]).casefold() == wanted]


def named_by(value: str, name: str, trader: str | None) -> bool:
    """Whether a fill whose user is `value` (an id or a name), named `name`, is trader `trader`'s
    (None: any): the id, or the name in any case."""
    if trader is None:
        return True
    wanted = trader.strip()
    return value == wanted or value.casefold() == wanted.casefold() or (bool(name)
                                                                         and name.casefold() == wanted.casefold())
