"""What the bundle leaves out, and the version check: the data `build.spec` filters with.

Kept out of the spec so that tests can check the rules against real Windows and Linux file names (the
Windows bundle is only built by the GitHub workflow; a wrong pattern there would silently drop a DLL
the app needs, or keep 20 MB it does not).
"""

from __future__ import annotations

import re

#: Qt modules the app does not use. PyInstaller only collects what is imported, but optional imports in
#: pyqtgraph and PySide6's own helpers would otherwise drag some of these in. (QtOpenGL and
#: QtOpenGLWidgets stay: pyqtgraph imports them unconditionally.)
QT_EXCLUDES = [
    f"PySide6.{name}" for name in (
        "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtBluetooth",
        "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner", "QtGraphs", "QtGraphsWidgets",
        "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth",
        "QtNfc", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtPrintSupport", "QtQml", "QtQuick", "QtQuick3D",
        "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects",
        "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine",
        "QtSvg", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
        "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml", "QtAxContainer",
    )
] + ["PyQt5", "PyQt6", "PySide2"]

PY_EXCLUDES = [
    "pandas", "tkinter", "_tkinter", "matplotlib", "scipy", "IPython", "jupyter_client", "notebook",
    "pytest", "_pytest", "hypothesis", "pytestqt", "importlinter", "grimp", "pydoc_data", "lib2to3",
    "setuptools", "pkg_resources", "pip", "cupy", "OpenGL", "pyqtgraph.opengl", "pyqtgraph.examples",
    "pyqtgraph.jupyter", "h5py", "PIL", "zn_ladder.tests",
]

# The Qt shared libraries and plugins that only the excluded modules use (they arrive through plugins
# such as imageformats/qpdf or as dependencies of collected plugins), Linux platform plugins for
# embedded devices, and the GTK theme plugin with the GTK stack it drags in (~15 MB).
DROP_BINARY = re.compile(
    r"(Qt6?(Pdf|Quick|Qml|VirtualKeyboard|WebEngine|3D|Multimedia|Charts|DataVisualization|Designer|"
    r"Svg|Sql|Test|Bluetooth|Nfc|Positioning|Location|Sensors|SerialPort|RemoteObjects|Scxml|"
    r"WebSockets|WebChannel|Network|Wayland|Lottie|Labs|ShaderTools|Graphs|SpatialAudio|TextToSpeech|EglFs)"
    r"|opengl32sw|d3dcompiler_47"
    r"|/(qmltooling|sqldrivers|designer|wayland-[a-z-]+|egldeviceintegrations|vectorimageformats|"
    r"virtualkeyboard|networkinformation|tls|generic)/"
    r"|(qpdf|qsvg|qicns|qtga|qtiff|qwbmp|qwebp|qsvgicon|qgtk3|qeglfs|qlinuxfb|qvnc|qvkkhrdisplay|qminimalegl|"
    r"qwayland[a-z-]*)\.(dll|so)"
    r"|^lib(gtk-3|gdk-3|gdk_pixbuf-2\.0|atk-1\.0|atk-bridge-2\.0|atspi|cairo-gobject|epoxy|pangocairo-1\.0)\.so)",
    re.IGNORECASE,
)
# Qt translations: the app speaks English only, and a half-translated dialog is worse than none.
# Playwright: browsers, if a developer's machine had them inside the package (PLAYWRIGHT_BROWSERS_PATH=0),
# the driver's web UIs (trace viewer, recorder, HTML report), which reading a page never loads, and its
# TypeScript declarations (types/*.d.ts, 2 MB: for editors, never loaded by node).
DROP_DATA = re.compile(
    r"(/translations/|\.local-browsers|/qml/|PySide6/(examples|scripts|typesystems|include|glue|doc)/"
    r"|playwright/driver/package/lib/vite/|playwright/driver/package/types/)",
    re.IGNORECASE,
)


def keep(dest: str) -> bool:
    """False for a bundle entry (its destination path inside the bundle) that is left out."""
    dest = dest.replace("\\", "/")
    return not (DROP_BINARY.search(dest) or DROP_DATA.search(dest))


def _is_root(dest: str) -> bool:
    """A binary that is loaded by name at run time rather than as another one's dependency: Python
    extension modules, Qt plugins, the Python library, and the executables (ours and Playwright's node)."""
    name = dest.rsplit("/", 1)[-1]
    return (".cpython-" in name or name.endswith((".abi3.so", ".pyd")) or "/plugins/" in dest
            or name.startswith(("libpython", "python3")) or name in ("zn-ladder", "zn-ladder.exe", "node", "node.exe"))


def unreferenced(needed: dict[str, set[str]]) -> set[str]:
    """The shared libraries that nothing kept needs, given each bundled binary's destination and the
    library names it links against (ELF NEEDED). PyInstaller collects the dependencies of every binary
    before the filters above drop some; on Linux the GTK theme plugin alone brings GTK's stack (GIO,
    Pango, Cairo, HarfBuzz, Kerberos...), none of which the app then loads: measured with
    bench/bundle_loaded.py over the window, selftest, doctor, credentials and price (issue 17). Only
    the system Chromium that the spot reader starts mapped them, through the LD_LIBRARY_PATH it inherits,
    and it has its own copies in /usr/lib. Walks the links from the roots (_is_root)."""
    dests = {dest.replace("\\", "/"): names for dest, names in needed.items()}
    by_name: dict[str, list[str]] = {}
    for dest in dests:
        by_name.setdefault(dest.rsplit("/", 1)[-1], []).append(dest)
    reached: set[str] = set()
    todo = [dest for dest in dests if _is_root(dest)]
    while todo:
        dest = todo.pop()
        if dest not in reached:
            reached.add(dest)
            todo.extend(d for name in dests[dest] for d in by_name.get(name, ()))
    return set(dests) - reached


def version_file_problems(text: str, version: str) -> list[str]:
    """Why the version resource text does not match `version` (empty: it matches)."""
    problems = []
    numbers = tuple(int(n) for n in re.findall(r"\d+", version)[:3])
    for key in ("filevers", "prodvers"):
        found = re.search(rf"{key}=\((\d+),\s*(\d+),\s*(\d+),\s*(\d+)\)", text)
        if not found or tuple(int(n) for n in found.groups()[:3]) != numbers:
            problems.append(f"{key} does not match {version}")
    for key in ("FileVersion", "ProductVersion"):
        if f"StringStruct('{key}', '{version}')" not in text:
            problems.append(f"{key} is not {version!r}")
    return problems
