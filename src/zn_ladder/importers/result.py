"""What every importer hands back: the records it read, and a warning for each row it skipped.

One result type for every kind of file, so the store's `import` command and the CLI can treat them
alike (`added`, `skipped`, `warnings` per file) while each field stays typed. Frozen: a result may be
handed to another thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from zn_ladder.domain.records import Fill, FillCorrection, SodLot, WorkingOrder


class FileKind(str, Enum):
    """The kinds of file a desk hands us; the value is what `--kind` accepts."""

    FILL_MONITOR = "fill_monitor"
    AUDIT_TRAIL = "audit_trail"
    FILLS_WIDGET = "fills_widget"
    TT_ORDERS = "tt_orders"
    TT_FILLS = "tt_fills"
    ACTANT_SOD = "actant_sod"

    @property
    def label(self) -> str:
        """How the file is named to a trader in messages."""
        return _LABELS[self]

    @property
    def a_label(self) -> str:
        """The label with its article ("an Actant SOD CSV")."""
        label = _LABELS[self]
        return f"{'an' if label[0] in 'AEIOU' else 'a'} {label}"


_LABELS = {
    FileKind.FILL_MONITOR: "fill-monitor CSV",
    FileKind.AUDIT_TRAIL: "TT Audit Trail export",
    FileKind.FILLS_WIDGET: "TT Fills-widget copy",
    FileKind.TT_ORDERS: "TT orders JSON",
    FileKind.TT_FILLS: "TT fills JSON",
    FileKind.ACTANT_SOD: "Actant SOD CSV",
}


@dataclass(frozen=True, slots=True)
class ImportWarning:
    """A row that was skipped (or only partly used), and why.

    `row` is the line number a support engineer sees in a text editor (the header is line 1) for CSV
    files, or the 1-based position of the record in the list for JSON files; 0 means the whole file.
    """

    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}" if self.row else self.reason


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Records read from one file. Only the fields that match `kind` are filled.

    Fills are in execution order (oldest first) whatever order the file used, because LIFO/FIFO
    matching depends on it.
    """

    path: Path
    kind: FileKind
    fills: tuple[Fill, ...] = ()
    corrections: tuple[FillCorrection, ...] = ()
    orders: tuple[WorkingOrder, ...] = ()
    sod: tuple[SodLot, ...] = ()
    warnings: tuple[ImportWarning, ...] = ()
    #: Data rows (or JSON records) looked at, header and blank lines excluded.
    rows: int = 0

    @property
    def skipped(self) -> int:
        """Rows skipped with a warning (every warning is one skipped row)."""
        return len(self.warnings)

    @property
    def records(self) -> tuple[object, ...]:
        """The records of this file's kind (fills and corrections for fill files)."""
        return self.fills + self.corrections + self.orders + self.sod
