"""The start-of-day import at start: the desk's Actant SOD file (or the newest one of a folder) into the store.

Support sets `storage.sod_path` (a file, or the folder Actant writes its daily export to) and
`storage.sod_auto_import`; each launch then stores that SOD before the first TT fills are written, so
the books (and the P&L on screen) start from it. It runs as one job on the store's writer thread: the
folder listing, the read and the write never touch the GUI thread. Importing the same file again
changes nothing (the store dedupes SOD lots per account, contract and date). The whole file is read
and checked before anything is written, so a bad file leaves the store as it was and comes back as a
message naming the file and the problem, for the banner.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zn_ladder.domain.errors import InputError, ZnLadderError

log = logging.getLogger(__name__)

#: Files of a folder that may be an Actant export (others, e.g. a README or a lock file, are ignored).
SOD_SUFFIXES = (".csv", ".txt")


@dataclass(frozen=True)
class SodImport:
    """What the start-of-day import did: lots stored (or already there), or why nothing was."""

    setting: str
    path: Path | None = None
    added: int = 0
    duplicate: int = 0
    replaced: int = 0
    #: Product symbols of the lots in the file (Actant names the product, e.g. "ZN").
    products: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def message(self) -> str:
        """One line for the banner (error) or the log (success)."""
        name = self.path or self.setting
        if self.error is not None:
            return f"start-of-day file {name} not imported: {self.error}"
        what = f"{self.added} lots stored" if self.added else "already in the store"
        more = f", {self.replaced} lots of the same date replaced" if self.replaced else ""
        skipped = f", {len(self.warnings)} rows skipped" if self.warnings else ""
        return f"start-of-day file {name}: {what}{more}{skipped}"


def resolve_sod_file(setting: str) -> Path:
    """The file to import: `setting` itself, or the newest SOD-like file (by modification time) of the
    folder it names. `InputError` naming the path when there is none."""
    path = Path(setting).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        candidates = [p for p in path.iterdir()
                      if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SOD_SUFFIXES]
        if not candidates:
            raise InputError(f"the folder {path} holds no {' or '.join(SOD_SUFFIXES)} file")
        return max(candidates, key=lambda p: (p.stat().st_mtime_ns, p.name))
    raise InputError(f"{path} does not exist (storage.sod_path)")


def import_sod(store: Any, setting: str, account_map: tuple[tuple[str, str], ...] = ()) -> SodImport:
    """Read and store the SOD named by `setting` (runs on the writer thread with its `Store`), its
    Actant accounts mapped to TT's (`sod.account_map`)."""
    from zn_ladder.domain.sod_accounts import map_sod_accounts
    from zn_ladder.importers.detect import read_file
    from zn_ladder.importers.result import FileKind

    path: Path | None = None
    try:
        path = resolve_sod_file(setting)
        result = read_file(path, FileKind.ACTANT_SOD)
        warnings = tuple(str(w) for w in result.warnings)
        if not result.sod:
            why = f" ({warnings[0]})" if warnings else ""
            return SodImport(setting, path, warnings=warnings, error=f"it holds no start-of-day position{why}")
        detail = {"file": str(path.resolve()), "kind": FileKind.ACTANT_SOD.value, "rows": result.rows,
                  "auto_import": True}
        out = store.put_sod(map_sod_accounts(result.sod, account_map), source=FileKind.ACTANT_SOD.value,
                            audit_detail=detail)
    except (ZnLadderError, OSError, UnicodeError) as exc:
        text = str(exc) or type(exc).__name__
        if path is not None and text.startswith(f"{path}: "):
            text = text[len(f"{path}: "):]  # the banner names the file once
        return SodImport(setting, path, error=text)
    products = frozenset(filter(None, (_product_symbol(lot.contract) for lot in result.sod)))
    return SodImport(setting, path, out.added, out.duplicate, out.replaced, products, warnings)


def _product_symbol(contract: str) -> str | None:
    """The product of a contract name ("ZN Sep25" -> "ZN"), None when unknown."""
    from zn_ladder.domain.instruments import product_of_contract

    try:
        return product_of_contract(contract).symbol
    except ZnLadderError:
        return None
