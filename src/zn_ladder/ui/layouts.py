"""Named window layouts: which panes, where, the ladder's columns and the window's size, by name.

A trader keeps, say, "Roll week" and "Beside MD Trader" and switches between them from View › Layouts.
They are layout only (like the rest of `window.ini`), never a display setting: theme, font and units
stay in the settings file. Stored in the window's ini under `layouts/<name>`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings

GROUP = "layouts"
#: The built-in layouts, always offered and never overwritten by a saved one of the same name.
FULL, COMPACT = "Full", "Compact ladder"
BUILT_IN = (FULL, COMPACT)


@dataclass(frozen=True)
class Layout:
    docks: QByteArray
    geometry: QByteArray
    ladder_columns: tuple[int, ...]


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
        return Layout(QByteArray(docks), QByteArray(self._s.value(f"{key}/geometry") or b""), columns)

    def delete(self, name: str) -> None:
        self._s.remove(f"{GROUP}/{name}")
        self._s.sync()
