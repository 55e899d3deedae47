"""Fill notifications: a beep and a desktop message when new fills arrive; each can be switched off.

QtMultimedia is not part of PySide6-Essentials, so the sound is `QApplication.beep()` (the system's
alert sound on Windows). The desktop message goes through a tray icon when the platform has a tray;
otherwise it is skipped (and logged), never an error.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from zn_ladder.domain.records import Fill, Side
from zn_ladder.ui.tables import price_text

log = logging.getLogger(__name__)


def fill_message(fills: Sequence[Fill]) -> tuple[str, str]:
    """(title, body) for new fills: the newest few, one line each."""
    title = "New fill" if len(fills) == 1 else f"{len(fills)} new fills"
    lines = [f"{'BOUGHT' if f.side is Side.BUY else 'SOLD'} {f.qty} {f.contract} @ {price_text(f.price, f)}"
             f"  ({f.account})" for f in fills[:5]]
    if len(fills) > 5:
        lines.append(f"... and {len(fills) - 5} more")
    return title, "\n".join(lines)


class FillNotifier(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sound = True
        self.desktop = True
        self.beeps = 0
        self.messages: list[tuple[str, str]] = []
        self._tray: QSystemTrayIcon | None = None

    def _tray_icon(self) -> QSystemTrayIcon | None:
        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation) \
                if QApplication.instance() else QIcon()
            self._tray = QSystemTrayIcon(icon, self)
            self._tray.setToolTip("zn_ladder")
            self._tray.show()
        return self._tray

    def notify(self, fills: Sequence[Fill]) -> None:
        if not fills:
            return
        if self.sound:
            QApplication.beep()
            self.beeps += 1
        if self.desktop:
            title, body = fill_message(fills)
            self.messages.append((title, body))
            tray = self._tray_icon()
            if tray is not None:
                tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 5000)
            else:
                log.info("no system tray: desktop notification skipped (%s)", title)

    def tray_message(self, title: str, body: str, *, warning: bool = False) -> bool:
        """A desktop message through the tray; False when this desktop has no tray (the caller says it
        elsewhere, e.g. the status strip)."""
        tray = self._tray_icon()
        if tray is None:
            return False
        icon = QSystemTrayIcon.MessageIcon.Warning if warning else QSystemTrayIcon.MessageIcon.Information
        tray.showMessage(title, body, icon, 10_000 if warning else 5000)
        return True

    def close(self) -> None:
        if self._tray is not None:
            self._tray.hide()
            self._tray.deleteLater()
            self._tray = None
