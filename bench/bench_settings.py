"""Settings speed: what start-up and the settings dialog cost.

Prints the time to load (parse + migrate + check every key) and save the settings file, to migrate a
v1 file, the cost of `zn-ladder config get` as a whole process (start-up included), and the time to
build and show the settings dialog offscreen. Everything runs under a temporary ZN_LADDER_HOME.

Run: /work/venv/bin/python bench/bench_settings.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
V1 = ROOT / "tests" / "unit" / "config" / "data" / "settings_v1.toml"


def best_ms(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="zn-bench-settings-"))
    os.environ["ZN_LADDER_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from tests.unit.config.examples import all_changed
    from zn_ladder.config.settings_file import import_settings, load_settings, save_settings

    settings = all_changed()
    save_settings(settings)
    print(f"save settings (36 keys, atomic + fsync): best {best_ms(lambda: save_settings(settings), 50)[0]:.2f} ms")
    print(f"load settings (parse + check every key):  best {best_ms(load_settings, 200)[0]:.2f} ms")
    print(f"import + migrate a v1 file:               best {best_ms(lambda: import_settings(V1), 200)[0]:.2f} ms")

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    run = [sys.executable, "-m", "zn_ladder", "config", "get", "ladder.font_size"]
    best, median = best_ms(lambda: subprocess.run(run, env=env, capture_output=True, check=True), 5)
    print(f"`zn-ladder config get` whole process:     best {best:.0f} ms, median {median:.0f} ms")

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from zn_ladder.ui.settings_dialog import SettingsDialog

    def open_dialog() -> None:
        dialog = SettingsDialog(settings, checks=lambda s: [])
        dialog.show()
        app.processEvents()
        dialog.close()
        dialog.deleteLater()
        app.processEvents()

    open_dialog()  # first use loads Qt's style and fonts
    best, median = best_ms(open_dialog, 10)
    print(f"build + show the settings dialog:         best {best:.0f} ms, median {median:.0f} ms")


if __name__ == "__main__":
    main()
