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
# and the driver's web UIs (trace viewer, recorder, HTML report), which reading a page never loads.
DROP_DATA = re.compile(
    r"(/translations/|\.local-browsers|/qml/|PySide6/(examples|scripts|typesystems|include|glue|doc)/"
    r"|playwright/driver/package/lib/vite/)",
    re.IGNORECASE,
)


def keep(dest: str) -> bool:
    """False for a bundle entry (its destination path inside the bundle) that is left out."""
    dest = dest.replace("\\", "/")
    return not (DROP_BINARY.search(dest) or DROP_DATA.search(dest))


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
