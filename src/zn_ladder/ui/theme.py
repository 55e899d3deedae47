"""Colours and the style sheet: a dark MD-Trader-like palette (the default) and a light one.

Why a palette object instead of colours scattered in widgets: the ladder paints thousands of cells a
second and must not build colours per cell, and a support engineer switching to the light theme for a
projector must get every pane consistent. Colours are hex strings here; widgets turn them into
QColor/QBrush once per theme change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    window: str
    panel: str
    text: str
    muted: str
    grid: str
    header: str
    header_text: str
    price_bg: str
    price_text: str
    spot_price_bg: str
    spot_line: str
    buy_bg: str
    buy_cell: str
    buy_text: str
    sell_bg: str
    sell_cell: str
    sell_text: str
    value_bg: str
    positive: str
    negative: str
    pnl_pos_rgb: tuple[int, int, int]
    pnl_neg_rgb: tuple[int, int, int]
    avg_marker: str
    what_if: str
    warning: str
    ok: str
    stale: str
    failing: str
    env_sim: str
    env_uat: str
    env_live: str
    demo: str
    selection: str


DARK = Theme(
    name="dark",
    window="#15181d", panel="#1c2027", text="#d6dbe3", muted="#7d8794", grid="#262b33",
    header="#232832", header_text="#aab3bf",
    price_bg="#2b3038", price_text="#f2f4f7", spot_price_bg="#4a5360", spot_line="#f5c518",
    buy_bg="#15202f", buy_cell="#1f5fae", buy_text="#ffffff",
    sell_bg="#2a171b", sell_cell="#b3262f", sell_text="#ffffff",
    value_bg="#181c22", positive="#35c26b", negative="#ff5a5f",
    pnl_pos_rgb=(38, 166, 91), pnl_neg_rgb=(214, 55, 62),
    avg_marker="#f0a020", what_if="#e6b422", warning="#ff9f1a",
    ok="#35c26b", stale="#f0a020", failing="#ff4d4f",
    env_sim="#1f9d55", env_uat="#d98e04", env_live="#d92b2b", demo="#6c5ce7",
    selection="#39414d",
)

LIGHT = Theme(
    name="light",
    window="#f3f4f6", panel="#ffffff", text="#1d232b", muted="#6b7480", grid="#d9dde3",
    header="#e4e7ec", header_text="#39414d",
    price_bg="#e9ecf0", price_text="#111418", spot_price_bg="#c9d0da", spot_line="#c08a00",
    buy_bg="#eef4fc", buy_cell="#2f74cf", buy_text="#ffffff",
    sell_bg="#fcf0f1", sell_cell="#cf3a43", sell_text="#ffffff",
    value_bg="#ffffff", positive="#12843f", negative="#c8252c",
    pnl_pos_rgb=(40, 170, 90), pnl_neg_rgb=(220, 60, 66),
    avg_marker="#d07800", what_if="#b8860b", warning="#c46a00",
    ok="#12843f", stale="#c77700", failing="#c8252c",
    env_sim="#1f9d55", env_uat="#d98e04", env_live="#d92b2b", demo="#6c5ce7",
    selection="#cfd8e6",
)

THEMES = {"dark": DARK, "light": LIGHT}


def get_theme(name: str) -> Theme:
    return THEMES.get((name or "dark").lower(), DARK)


#: Settings colour name (`ladder.<name>_colour`) -> the theme field it overrides.
_COLOUR_FIELDS = {"buy": "buy_cell", "sell": "sell_cell", "spot": "spot_price_bg", "profit": "positive",
                  "loss": "negative"}


def with_colours(theme: Theme, colours: dict[str, str]) -> Theme:
    """`theme` with the colours the settings override (an empty colour keeps the theme's)."""
    changes = {_COLOUR_FIELDS[k]: v for k, v in colours.items() if v and k in _COLOUR_FIELDS}
    return replace(theme, **changes) if changes else theme


def style_sheet(t: Theme) -> str:
    """Application-wide style: flat, dense, low-glare, like a vendor's trading front end."""
    return f"""
    QMainWindow, QWidget {{ background: {t.window}; color: {t.text}; }}
    QLabel {{ background: transparent; }}
    QMenuBar, QMenu, QToolBar, QStatusBar {{ background: {t.panel}; color: {t.text}; }}
    QMenu::item:selected, QMenuBar::item:selected {{ background: {t.selection}; }}
    QToolBar {{ border: none; border-bottom: 1px solid {t.grid}; spacing: 6px; padding: 2px 4px; }}
    QStatusBar {{ border-top: 1px solid {t.grid}; }}
    QStatusBar::item {{ border: none; }}
    QToolButton, QPushButton {{ background: {t.header}; color: {t.text}; border: 1px solid {t.grid};
        border-radius: 3px; padding: 3px 9px; }}
    QToolButton:hover, QPushButton:hover {{ background: {t.selection}; }}
    QToolButton:checked {{ background: {t.selection}; border-color: {t.muted}; }}
    QLineEdit, QSpinBox, QComboBox {{ background: {t.panel}; color: {t.text}; border: 1px solid {t.grid};
        border-radius: 3px; padding: 2px 4px; selection-background-color: {t.selection}; }}
    QTableView {{ background: {t.panel}; alternate-background-color: {t.value_bg}; color: {t.text};
        gridline-color: {t.grid}; border: 1px solid {t.grid}; selection-background-color: {t.selection};
        selection-color: {t.text}; }}
    QHeaderView::section {{ background: {t.header}; color: {t.header_text}; border: none;
        border-right: 1px solid {t.grid}; border-bottom: 1px solid {t.grid}; padding: 2px 6px; font-weight: 600; }}
    QTabWidget::pane {{ border: 1px solid {t.grid}; }}
    QTabBar::tab {{ background: {t.header}; color: {t.header_text}; padding: 4px 12px; border: 1px solid {t.grid};
        border-bottom: none; }}
    QTabBar::tab:selected {{ background: {t.panel}; color: {t.text}; }}
    QSplitter::handle {{ background: {t.grid}; }}
    QListWidget {{ background: {t.panel}; border: 1px solid {t.grid}; }}
    QLabel#paneTitle {{ color: {t.header_text}; font-weight: 600; padding: 2px 2px; }}
    QLabel#staleTag {{ color: {t.window}; background: {t.stale}; border-radius: 3px; padding: 0 6px;
        font-weight: 700; }}
    QLabel#readOnly {{ color: {t.muted}; padding: 0 6px; }}
    QLabel#mismatchNote {{ color: {t.window}; background: {t.stale}; border-radius: 3px; padding: 3px 10px;
        font-weight: 600; }}
    QLabel#stripNote {{ color: {t.stale}; }}
    QLabel#filterMessage {{ color: {t.stale}; }}
    QToolTip {{ background: {t.panel}; color: {t.text}; border: 1px solid {t.muted}; padding: 4px; }}
    """
