"""`zn-ladder --version`, and the version and icon the Windows build stamps into the .exe.

The bundle itself is built and checked by `.ci/run` (packaging/check_bundle.py): a PyInstaller build
takes minutes on 2 cores, too long for the test suite.
"""

from __future__ import annotations

import re
import struct
import tomllib
from pathlib import Path

import zn_ladder

ROOT = Path(__file__).resolve().parents[2]


def test_version_flag_prints_the_package_version(run_cli) -> None:
    done = run_cli("--version", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"zn-ladder {zn_ladder.__version__}"
    assert done.stderr == ""


def test_package_and_project_metadata_agree() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == zn_ladder.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", zn_ladder.__version__)


def test_windows_version_resource_matches_the_package() -> None:
    """build.spec refuses to build otherwise; this catches the drift before a Windows build does."""
    text = (ROOT / "resources" / "version_info.txt").read_text(encoding="utf-8")
    numbers = tuple(int(n) for n in zn_ladder.__version__.split("."))
    for key in ("filevers", "prodvers"):
        found = re.search(rf"{key}=\((\d+),\s*(\d+),\s*(\d+),\s*(\d+)\)", text)
        assert found and tuple(int(n) for n in found.groups()[:3]) == numbers, key
    assert f"StringStruct('FileVersion', '{zn_ladder.__version__}')" in text
    assert f"StringStruct('ProductVersion', '{zn_ladder.__version__}')" in text
    assert "StringStruct('OriginalFilename', 'zn-ladder.exe')" in text


def test_the_icon_has_every_windows_size() -> None:
    data = (ROOT / "resources" / "zn_ladder.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, _h, _c, _r, _planes, bits, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert bits == 32 and offset + length <= len(data)
        assert data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n"
        sizes.add(width or 256)
    assert {16, 24, 32, 48, 256} <= sizes


def test_the_window_icon_ships_as_package_data(qapp) -> None:
    from zn_ladder.ui.app_icon import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert icon.availableSizes()[0].width() == 256


def test_the_installer_is_per_user_with_a_fixed_app_id() -> None:
    iss = (ROOT / "installer" / "zn_ladder.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", iss, re.M)
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}$", iss, re.M)
    assert "{autoprograms}" in iss and "desktopicon" in iss
    # the uninstaller deletes nothing outside the program folder (settings and data stay)
    section = iss.split("[UninstallDelete]", 1)[1].split("\n[", 1)[0]
    entries = [line for line in section.splitlines() if line.strip() and not line.startswith(";")]
    assert entries and all('Name: "{app}' in line for line in entries)
    assert "{localappdata}" not in iss and "{userappdata}" not in iss
