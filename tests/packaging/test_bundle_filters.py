"""What build.spec leaves out of the bundle, checked against real file names of both platforms.

The Windows bundle is only built by the GitHub workflow, so a pattern that dropped a DLL the app needs
(or kept 20 MB it does not) would otherwise be found on a trader's PC. Names are PySide6-Essentials
6.11 wheel paths as PyInstaller places them, plus Playwright's driver.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import zn_ladder

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bundle_filters", ROOT / "packaging" / "bundle_filters.py")
bundle_filters = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bundle_filters)

KEPT = [
    # Windows: the Qt the window needs, its platform/style/image plugins, the C runtime, Python
    "PySide6/Qt6Core.dll", "PySide6/Qt6Gui.dll", "PySide6/Qt6Widgets.dll", "PySide6/Qt6OpenGL.dll",
    "PySide6/Qt6OpenGLWidgets.dll", "PySide6/QtCore.pyd", "PySide6/QtWidgets.pyd", "PySide6/pyside6.abi3.dll",
    "shiboken6/shiboken6.abi3.dll", "PySide6/msvcp140.dll", "PySide6/msvcp140_2.dll", "PySide6/vcruntime140_1.dll",
    "PySide6/concrt140.dll",
    "PySide6/plugins/platforms/qwindows.dll", "PySide6/plugins/platforms/qoffscreen.dll",
    "PySide6/plugins/styles/qmodernwindowsstyle.dll", "PySide6/plugins/imageformats/qico.dll",
    "PySide6/plugins/imageformats/qjpeg.dll", "python311.dll", "sqlite3.dll", "libcrypto-3.dll", "_ssl.pyd",
    "numpy.libs/libscipy_openblas64_-6bb31eeeb3a5c0b0f6c6e1d2b4e7a1d0.dll",
    # Linux
    "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6", "PySide6/Qt/lib/libicudata.so.73",
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", "libfontconfig.so.1", "libsqlite3.so.0",
    # the Playwright driver: node and its JS, the Chromium protocol code included (it drives Edge)
    "playwright/driver/node.exe", "playwright/driver/node", "playwright/driver/package/lib/coreBundle.js",
    "playwright/driver/package/lib/server/chromium/crPage.js", "playwright/driver/package/browsers.json",
    # the app's own data
    "zn_ladder/resources/icons/zn_ladder.png", "zn_ladder/resources/samples/actant_sod_sample.csv",
    "pyqtgraph/colors/maps/CET-L1.csv", "pyqtgraph/icons/auto.png", "certifi/cacert.pem",
]

DROPPED = [
    "PySide6/opengl32sw.dll", "PySide6/d3dcompiler_47.dll", "PySide6/Qt6Pdf.dll", "PySide6/Qt6Network.dll",
    "PySide6/Qt6Svg.dll", "PySide6/Qt6Quick.dll", "PySide6/Qt6Qml.dll", "PySide6/Qt6QmlModels.dll",
    "PySide6/Qt6VirtualKeyboard.dll", "PySide6/QtNetwork.pyd", "PySide6/plugins/imageformats/qpdf.dll",
    "PySide6/plugins/imageformats/qsvg.dll", "PySide6/plugins/iconengines/qsvgicon.dll",
    "PySide6/plugins/tls/qschannelbackend.dll", "PySide6/plugins/networkinformation/qnetworklistmanager.dll",
    "PySide6/plugins/generic/qtuiotouchplugin.dll", "PySide6/plugins/sqldrivers/qsqlite.dll",
    "PySide6/plugins/tls/qopensslbackend.dll", "PySide6/plugins/qmltooling/qmldbg_debugger.dll",
    "PySide6/Qt6QuickControls2WindowsStyleImpl.dll", "PySide6/translations/qtbase_de.qm",
    "PySide6/Qt/translations/qt_fr.qm", "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so", "libgtk-3.so.0", "libgdk-3.so.0",
    "playwright/driver/package/.local-browsers/chromium-1187/chrome-win/chrome.exe",
    "playwright/driver/package/lib/vite/traceViewer/index.html",
]


@pytest.mark.parametrize("dest", KEPT)
def test_what_the_app_needs_is_kept(dest: str) -> None:
    assert bundle_filters.keep(dest)
    assert bundle_filters.keep(dest.replace("/", "\\"))  # PyInstaller on Windows uses backslashes


@pytest.mark.parametrize("dest", DROPPED)
def test_what_the_app_never_loads_is_dropped(dest: str) -> None:
    assert not bundle_filters.keep(dest)
    assert not bundle_filters.keep(dest.replace("/", "\\"))


def test_the_qt_modules_the_app_imports_are_never_excluded() -> None:
    for needed in ("QtCore", "QtGui", "QtWidgets", "QtOpenGL", "QtOpenGLWidgets"):
        assert f"PySide6.{needed}" not in bundle_filters.QT_EXCLUDES
    assert "PySide6.QtWebEngineCore" in bundle_filters.QT_EXCLUDES
    assert "pandas" in bundle_filters.PY_EXCLUDES  # a dependency the app never imports


def test_version_file_check_names_each_mismatch() -> None:
    text = (ROOT / "resources" / "version_info.txt").read_text(encoding="utf-8")
    assert bundle_filters.version_file_problems(text, zn_ladder.__version__) == []
    problems = bundle_filters.version_file_problems(text, "9.8.7")
    assert problems == ["filevers does not match 9.8.7", "prodvers does not match 9.8.7",
                        "FileVersion is not '9.8.7'", "ProductVersion is not '9.8.7'"]


def test_libraries_nothing_kept_links_against_are_left_out() -> None:
    # Shaped like the Linux bundle: the GTK theme plugin was dropped by the filters, but PyInstaller had
    # already collected its dependencies; Qt's own chain and the extension modules' stay.
    needed = {
        "PySide6/QtWidgets.abi3.so": {"libQt6Widgets.so.6", "libpyside6.abi3.so.6.11", "libc.so.6"},
        "PySide6/libpyside6.abi3.so.6.11": {"libQt6Core.so.6"},
        "PySide6/Qt/lib/libQt6Widgets.so.6": {"libQt6Gui.so.6", "libQt6Core.so.6"},
        "PySide6/Qt/lib/libQt6Gui.so.6": {"libQt6Core.so.6", "libfontconfig.so.1"},
        "PySide6/Qt/lib/libQt6Core.so.6": {"libicui18n.so.73", "libglib-2.0.so.0"},
        "PySide6/Qt/lib/libicui18n.so.73": {"libicuuc.so.73"},
        "PySide6/Qt/lib/libicuuc.so.73": {"libicudata.so.73"},
        "PySide6/Qt/lib/libicudata.so.73": set(),
        "libfontconfig.so.1": {"libfreetype.so.6"},
        "libfreetype.so.6": set(),
        "libglib-2.0.so.0": {"libpcre2-8.so.0"},
        "libpcre2-8.so.0": set(),
        "PySide6/Qt/plugins/platforms/libqxcb.so": {"libQt6XcbQpa.so.6"},
        "PySide6/Qt/lib/libQt6XcbQpa.so.6": {"libQt6Gui.so.6"},
        "PySide6/Qt/lib/libQt6WlShellIntegration.so.6": {"libQt6Gui.so.6"},
        "libgtk-3.so.0": {"libgio-2.0.so.0", "libcairo.so.2"},  # already dropped by keep(); here for the walk
        "libgio-2.0.so.0": {"libglib-2.0.so.0", "libmount.so.1"},
        "libmount.so.1": set(),
        "libcairo.so.2": {"libpixman-1.so.0"},
        "libpixman-1.so.0": set(),
        "numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so": {"libscipy_openblas64_-32a4b2a6.so"},
        "numpy.libs/libscipy_openblas64_-32a4b2a6.so": {"libgfortran-040039e1-0352e75f.so.5.0.0"},
        "numpy.libs/libgfortran-040039e1-0352e75f.so.5.0.0": set(),
        "libpython3.11.so.1.0": set(),
        "playwright/driver/node": {"libc.so.6"},
    }
    assert bundle_filters.unreferenced(needed) == {
        "PySide6/Qt/lib/libQt6WlShellIntegration.so.6", "libgtk-3.so.0", "libgio-2.0.so.0", "libmount.so.1",
        "libcairo.so.2", "libpixman-1.so.0"}
    windows = {"PySide6\\QtCore.pyd": {"Qt6Core.dll"}, "PySide6\\Qt6Core.dll": set(), "orphan.dll": set()}
    assert bundle_filters.unreferenced(windows) == {"orphan.dll"}


def test_playwright_typescript_declarations_are_dropped_but_its_code_kept() -> None:
    assert not bundle_filters.keep("playwright/driver/package/types/types.d.ts")
    assert not bundle_filters.keep("playwright\\driver\\package\\types\\protocol.d.ts")
    assert bundle_filters.keep("playwright/driver/package/index.d.ts")  # 4 kB, beside the entry point
    assert bundle_filters.keep("playwright/driver/package/lib/coreBundle.js")
