"""Draw the app icon with Qt and write it as a Windows .ico (16-256 px) and a 256 px PNG.

Why generated rather than drawn in an editor: the icon is a few rectangles in the ladder's own colours,
so a script keeps it reproducible and reviewable, and needs nothing beyond PySide6 (no Pillow). Qt's ICO
plugin writes one image per file, so the multi-size .ico is assembled here: an ICONDIR header and one
PNG-compressed entry per size, the form Windows has read since Vista.

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py
writes resources/zn_ladder.ico, resources/zn_ladder.png and src/zn_ladder/resources/icons/zn_ladder.png.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)

# The dark theme's colours (zn_ladder.ui.theme.DARK): panel, price column, buys, sells, spot line.
BACKGROUND = "#1c2027"
RAIL = "#4a5360"
BUY = "#1f5fae"
SELL = "#b3262f"
SPOT = "#f5c518"


def render(size: int):  # -> QImage
    """One square image: a ladder of six rungs, sells above a yellow spot line, buys below."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    s = float(size)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(BACKGROUND))
    radius = s * 0.18
    p.drawRoundedRect(QRectF(0, 0, s, s), radius, radius)
    margin = s * 0.16
    rail = max(1.0, s * 0.08)
    left, right = margin, s - margin
    top, bottom = margin, s - margin
    p.setBrush(QColor(RAIL))
    p.drawRect(QRectF(left, top, rail, bottom - top))
    p.drawRect(QRectF(right - rail, top, rail, bottom - top))
    rungs = 6
    gap = (bottom - top) / rungs
    height = max(1.0, gap * 0.55)
    for i in range(rungs):
        y = top + i * gap + (gap - height) / 2
        p.setBrush(QColor(SELL if i < rungs // 2 else BUY))
        p.drawRect(QRectF(left + rail, y, right - left - 2 * rail, height))
    p.setBrush(QColor(SPOT))
    line = max(1.0, s * 0.07)
    p.drawRect(QRectF(s * 0.06, s / 2 - line / 2, s * 0.88, line))
    p.end()
    return image


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode the icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + ICONDIRENTRY per image + the PNG payloads (width/height 0 means 256)."""
    count = len(pngs)
    header = struct.pack("<HHH", 0, 1, count)
    offset = 6 + 16 * count
    entries, payload = b"", b""
    for size, data in sorted(pngs.items()):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(payload))
        payload += data
    return header + entries + payload


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt alive)
    pngs = {size: png_bytes(render(size)) for size in SIZES}
    targets = {
        ROOT / "resources" / "zn_ladder.ico": ico_bytes(pngs),
        ROOT / "resources" / "zn_ladder.png": pngs[256],
        ROOT / "src" / "zn_ladder" / "resources" / "icons" / "zn_ladder.png": pngs[256],
    }
    for path, data in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
