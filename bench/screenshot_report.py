"""The README's picture of the day's report workbook: a sample day in a real store (tests/report_store.py:
two accounts, ZN and ZF, SOD, busts and corrections), `zn-ladder report` to .xlsx, rendered by
LibreOffice headless (its own print layout: landscape, one page wide) and trimmed.

    apt-get install -y --no-install-recommends libreoffice-calc poppler-utils imagemagick
    PYTHONPATH=src:. python bench/screenshot_report.py docs/screenshots

Not part of CI (LibreOffice is a large install used for this picture only).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main(out_dir: str) -> int:
    from tests.report_store import DAY, sample_day
    from zn_ladder.cli import main as cli

    for tool in ("soffice", "pdftoppm", "convert"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (see this script's docstring)", file=sys.stderr)
            return 1
    out = Path(out_dir)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        day = sample_day(folder / "s.sqlite3")
        book = folder / "report.xlsx"
        if cli(["report", "--db", str(day.path), "--day", DAY.isoformat(), "--out", str(book)]) != 0:
            return 1
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(book)], check=True,
                       capture_output=True, timeout=300)
        subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(folder / "report.pdf"),
                        str(folder / "page")], check=True)
        page = next(folder.glob("page*.png"))
        target = out / "report_workbook.png"
        subprocess.run(["convert", str(page), "-trim", "+repage", "-bordercolor", "white", "-border", "24",
                        str(target)], check=True)
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
