"""The app's icon for the window title bar and taskbar (the .exe's own icon is set by build.spec).

Read from the package's data (`zn_ladder/resources/icons`), which pip installs and PyInstaller bundles,
so the same code finds it in a checkout, an installed wheel and the frozen app.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon

ICON = "zn_ladder.png"


def app_icon() -> QIcon:
    """The icon, or an empty QIcon when the file is missing (never an error: it is cosmetic)."""
    icon_file = resources.files("zn_ladder") / "resources" / "icons" / ICON
    with resources.as_file(icon_file) as path:
        return QIcon(str(path)) if path.exists() else QIcon()
