"""One entry point for every desk file: tell its kind from its content (or take `--kind`) and read it.

The store's `import` command and the CLI's `ladder`/`pnl` go through `read_file`, so a new kind of
file is one reader module plus one line in `_READERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from zn_ladder.domain.errors import InputError
from zn_ladder.importers.result import FileKind, ImportResult
from zn_ladder.importers.sniff import EXPECTED, sniff_text
from zn_ladder.importers.text import RowError, first_line, read_text

KIND_NAMES: tuple[str, ...] = tuple(k.value for k in FileKind)


def parse_kind(text: str) -> FileKind:
    """A `--kind` value (``audit_trail``, ``audit-trail``...) as a `FileKind`."""
    key = text.strip().lower().replace("-", "_")
    try:
        return FileKind(key)
    except ValueError:
        raise InputError(f"unknown file kind {text!r}: expected one of {', '.join(KIND_NAMES)}") from None


def detect_kind(path: Path | str, text: str | None = None) -> FileKind:
    """The kind of a file from its content; refused with a message listing what was expected."""
    path = Path(path)
    text = read_text(path) if text is None else text
    kind = sniff_text(text)
    if kind is None:
        line = first_line(text).strip()
        forms = "; ".join(f"{k.label}: {EXPECTED[k]}" for k in FileKind)
        raise InputError(f"{path}: not a file zn-ladder can read (first line {line[:60]!r}); expected one of: {forms}")
    return kind


def read_file(path: Path | str, kind: FileKind | str | None = None, *,
              instruments: Mapping[str, str] | None = None, default_contract: str | None = None) -> ImportResult:
    """Read any supported file; `kind` overrides detection (a file of another kind is then refused).

    `instruments` (instrument id -> contract) and `default_contract` only matter for TT JSON, whose
    records name an instrument id rather than a contract.
    """
    if isinstance(kind, str):
        kind = parse_kind(kind)
    text = read_text(path)  # read once, shared by detection and the reader
    if kind is None:
        kind = detect_kind(path, text)
    try:
        if kind in (FileKind.TT_ORDERS, FileKind.TT_FILLS):
            return _json_reader(kind)(path, instruments=instruments, default_contract=default_contract, text=text)
        return _READERS[kind]()(path, text=text)
    except RowError as exc:
        raise InputError(f"{path}: {exc}") from None


def _json_reader(kind: FileKind) -> Callable[..., ImportResult]:
    from zn_ladder.importers import tt_json

    return tt_json.read_tt_orders if kind is FileKind.TT_ORDERS else tt_json.read_tt_fills


def _fill_monitor() -> Callable[..., ImportResult]:
    from zn_ladder.importers.fill_monitor import read_fill_monitor

    return read_fill_monitor


def _audit_trail() -> Callable[..., ImportResult]:
    from zn_ladder.importers.audit_trail import read_audit_trail

    return read_audit_trail


def _fills_widget() -> Callable[..., ImportResult]:
    from zn_ladder.importers.fills_widget import read_fills_widget

    return read_fills_widget


def _actant_sod() -> Callable[..., ImportResult]:
    from zn_ladder.importers.actant_sod import read_actant_sod

    return read_actant_sod


#: Readers are imported when used: a command that reads one kind does not pay for the others.
_READERS: dict[FileKind, Callable[[], Callable[..., ImportResult]]] = {
    FileKind.FILL_MONITOR: _fill_monitor,
    FileKind.AUDIT_TRAIL: _audit_trail,
    FileKind.FILLS_WIDGET: _fills_widget,
    FileKind.ACTANT_SOD: _actant_sod,
}
