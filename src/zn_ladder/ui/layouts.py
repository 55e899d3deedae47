"""Named window layouts: which panes, where, the ladder's columns and the window's size, by name.

A trader keeps, say, "Roll week" and "Beside MD Trader" and switches between them from View › Layouts.
They are layout only (like the rest of `window.ini`), never a display setting: theme, font and units
stay in the settings file. Stored in the window's ini under `layouts/<name>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from zn_ladder.ui.ladder.model import NCOLS, Col

GROUP = "layouts"
#: The built-in layouts, always offered and never overwritten by a saved one of the same name.
FULL, COMPACT = "Full", "Compact ladder"
BUILT_IN = (FULL, COMPACT)
#: The compact layout fits a column this wide beside MD Trader.
COMPACT_WIDTH = 400


@dataclass(frozen=True)
class Layout:
    docks: QByteArray
    geometry: QByteArray
    ladder_columns: tuple[int, ...]
    dense: bool = False


class NamedLayouts:
    def __init__(self, settings: QSettings) -> None:
        self._s = settings

    def names(self) -> list[str]:
        self._s.beginGroup(GROUP)
        try:
            return sorted(self._s.childGroups(), key=str.lower)
        finally:
            self._s.endGroup()

    @staticmethod
    def check_name(name: str) -> str:
        """The name to store under, or ValueError saying what is wrong with it."""
        clean = " ".join(name.split())
        if not clean:
            raise ValueError("a layout needs a name")
        if clean in BUILT_IN:
            raise ValueError(f"{clean!r} is a built-in layout; choose another name")
        if any(c in clean for c in "/\\"):
            raise ValueError("a layout name cannot contain / or \\")
        return clean

    def save(self, name: str, layout: Layout) -> str:
        name = self.check_name(name)
        key = f"{GROUP}/{name}"
        self._s.setValue(f"{key}/docks", layout.docks)
        self._s.setValue(f"{key}/geometry", layout.geometry)
        self._s.setValue(f"{key}/ladder_columns", " ".join(map(str, layout.ladder_columns)))
        self._s.setValue(f"{key}/dense", "1" if layout.dense else "0")
        self._s.sync()
        return name

    def load(self, name: str) -> Layout | None:
        key = f"{GROUP}/{name}"
        docks = self._s.value(f"{key}/docks")
        if docks is None:
            return None
        try:
            columns = tuple(int(c) for c in str(self._s.value(f"{key}/ladder_columns", "")).split())
        except ValueError:
            columns = ()
        dense = str(self._s.value(f"{key}/dense", "0")) in ("1", "true")
        return Layout(QByteArray(docks), QByteArray(self._s.value(f"{key}/geometry") or b""), columns, dense)

    def delete(self, name: str) -> None:
        self._s.remove(f"{GROUP}/{name}")
        self._s.sync()


class WindowLayouts:
    """Applies and saves the main window's layouts (its docks, ladder columns and size)."""

    def __init__(self, window: Any, named: NamedLayouts) -> None:
        self.window, self.named = window, named

    def fill_menu(self, menu: QMenu) -> None:
        """View › Layouts: the built-in and saved layouts, Save current layout as…, Delete."""
        menu.clear()
        for name in (*BUILT_IN, *self.named.names()):
            menu.addAction(name.replace("&", "&&"), lambda n=name: self.apply(n))
        menu.addSeparator()
        menu.addAction("&Save current layout as…", self._ask_name)
        saved = self.named.names()
        if saved:
            delete = menu.addMenu("&Delete")
            for name in saved:
                delete.addAction(name.replace("&", "&&"), lambda n=name: self.named.delete(n))

    def _ask_name(self) -> None:  # pragma: no cover - modal
        name, ok = QInputDialog.getText(self.window, "Save layout", "Name of this layout:")
        if ok:
            try:
                self.save(name)
            except ValueError as exc:
                QMessageBox.warning(self.window, "Save layout", str(exc))

    def save(self, name: str) -> str:
        w = self.window
        return self.named.save(name, Layout(w.docks.state(), w.saveGeometry(), w.ladder_view.columns(),
                                            w.ladder_view.dense))

    def apply(self, name: str) -> bool:
        w = self.window
        if name == FULL:
            w.ladder_view.set_dense(False)
            w.ladder_view.set_columns(range(NCOLS))
            w.docks.full_layout(w.ladder_view.minimumWidth())
            if w.width() < 1000:
                w.resize(1560, max(w.height(), 700))
            return True
        if name == COMPACT:
            self._compact()
            return True
        layout = self.named.load(name)
        if layout is None:
            return False
        w.ladder_view.set_dense(layout.dense)
        if layout.ladder_columns:
            w.ladder_view.set_columns(layout.ladder_columns)
        if layout.geometry:
            w.restoreGeometry(layout.geometry)
        w.docks.restore(layout.docks, older=True)
        return True

    def _compact(self) -> None:
        """The ladder alone and dense, Buy/Price/Sell/Pos/P&L (without Pos when that does not fit), in at most
        `COMPACT_WIDTH` pixels: a column beside MD Trader."""
        w = self.window
        w.docks.compact_layout()
        w.ladder_view.set_dense(True)
        for columns in ((Col.BUY, Col.PRICE, Col.SELL, Col.POSITION, Col.PNL), (Col.BUY, Col.PRICE, Col.SELL, Col.PNL)):
            w.ladder_view.set_columns(columns)
            if self._settled_minimum_width() <= COMPACT_WIDTH:
                break
        w.resize(max(self._settled_minimum_width(), min(COMPACT_WIDTH, w.width())), w.height())

    def _settled_minimum_width(self) -> int:
        """The window's minimum width once its layouts have taken the last change into account."""
        w = self.window
        for widget in (w.ladder_pane, w.docks, w.centralWidget(), w):
            layout = widget.layout()
            if layout is not None:
                layout.invalidate()
                layout.activate()
        return w.minimumSizeHint().width()
