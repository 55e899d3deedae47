"""The pure parts of the Windows checks (packaging/windows_check.sh): the Wine copy of the installer
script, the stub's call records, the staged bundle tree, the wheel verdicts. The checks themselves run
in .ci/run with Wine; these pin the helpers they rely on.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wine_check = _load("wine_installer_check")
wheels = _load("windows_wheels")
ISS = (ROOT / "installer" / "zn_ladder.iss").read_text(encoding="utf-8")


def test_wine_copy_of_the_real_script_changes_only_the_install_folder_and_source_dir():
    copy = wine_check.wine_script(ISS, r"Z:\repo\installer")
    removed = [line for line in ISS.splitlines() if line not in copy.splitlines()]
    added = [line for line in copy.splitlines() if line not in ISS.splitlines()]
    assert removed == [r"DefaultDirName={autopf}\{#AppName}"]
    assert added == [r"SourceDir=Z:\repo\installer", r"DefaultDirName={localappdata}\Programs\{#AppName}"]
    assert copy.splitlines()[copy.splitlines().index("[Setup]") + 1] == r"SourceDir=Z:\repo\installer"


@pytest.mark.parametrize("text", [
    "[Setup]\nAppName=x\n",  # no {autopf} line
    "[Setup]\nDefaultDirName={autopf}\\a\nDefaultDirName={autopf}\\b\n",  # two
    "DefaultDirName={autopf}\\a\n",  # no [Setup]
])
def test_wine_copy_refuses_a_script_it_cannot_patch_exactly_once(text):
    with pytest.raises(ValueError):
        wine_check.wine_script(text, r"Z:\x")


def test_the_script_stops_without_a_version_and_checks_the_desk_import_exit_code():
    assert re.search(r'^#if AppVersion == ""\n\s*#error ', ISS, re.MULTILINE)
    code = ISS[ISS.index("[Code]"):]
    assert "Exec(Exe, Params" in code and "Code <> 0" in code
    assert "function GetCustomSetupExitCode: Integer;" in code
    assert "{#DeskConfigExitCode}" in code and "#define DeskConfigExitCode 10" in ISS
    assert wine_check.DESK_CONFIG_EXIT_CODE == 10
    run = ISS[ISS.index("[Run]"):ISS.index("[UninstallDelete]")]
    assert "config import" not in run.split("\n", 2)[2]  # [Run] ignores exit codes: not run from there
    assert ISS.count("{{02CC49D0-1878-4C9E-A644-7752ED1F4882}") == 1
    assert wine_check.APP_ID == "{02CC49D0-1878-4C9E-A644-7752ED1F4882}"


def test_stub_calls_are_parsed_per_call_with_arguments_kept_verbatim():
    text = ("CALL\nARG\tconfig\nARG\timport\nARG\tZ:\\desk share\\O'Neil désk.toml\nEND\n"
            "CALL\nEND\n"
            "CALL\nARG\tcut short")  # a call whose record was not finished is not counted
    assert wine_check.parse_stub_calls(text) == [
        ["config", "import", "Z:\\desk share\\O'Neil désk.toml"], []]


def test_windows_path_maps_onto_wines_z_drive(tmp_path):
    assert wine_check.windows_path(tmp_path / "a b" / "c.toml") == "Z:" + str(tmp_path).replace("/", "\\") + r"\a b\c.toml"


def test_staged_tree_has_the_bundle_layout_with_the_stub_as_both_executables(tmp_path):
    bundle = tmp_path / "dist" / "zn-ladder"
    (bundle / "_internal" / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (bundle / "zn-ladder").write_bytes(b"\x7fELF...")
    (bundle / "_internal" / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6").write_bytes(b"x" * 1000)
    (bundle / "_internal" / "libQt6Core.so.6").symlink_to("PySide6/Qt/lib/libQt6Core.so.6")
    stub = tmp_path / "stub.exe"
    stub.write_bytes(b"MZ stub")

    staged = wine_check.stage_layout(bundle, tmp_path / "stage", stub)

    assert staged == ["_internal/PySide6/Qt/lib/libQt6Core.so.6", "zn-ladder-gui.exe", "zn-ladder.exe"]
    assert (tmp_path / "stage" / "_internal" / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6").stat().st_size == 0
    assert (tmp_path / "stage" / "zn-ladder.exe").read_bytes() == b"MZ stub"
    assert (tmp_path / "stage" / "zn-ladder-gui.exe").read_bytes() == b"MZ stub"


def test_staging_refuses_a_folder_that_is_not_a_bundle(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "stub.exe").write_bytes(b"MZ")
    with pytest.raises(wine_check.CheckFailed):
        wine_check.stage_layout(tmp_path / "b", tmp_path / "stage", tmp_path / "stub.exe")


def test_pins_of_a_uv_compile_output():
    text = "numpy==2.4.6\npywin32-ctypes==0.2.3\nPySide6_Essentials==6.11.3  # via zn-ladder\n\n# comment\n"
    assert wheels.pins(text) == {"numpy": "2.4.6", "pywin32-ctypes": "0.2.3", "pyside6-essentials": "6.11.3"}


@pytest.mark.parametrize("filename, ok", [
    ("numpy-2.4.6-cp311-cp311-win_amd64.whl", True),
    ("pyside6_essentials-6.11.3-cp310-abi3-win_amd64.whl", True),
    ("requests-2.34.2-py3-none-any.whl", True),
    ("numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl", False),
    ("greenlet-3.5.6-cp311-cp311-win32.whl", False),
    ("pefile-2024.8.26.tar.gz", False),
])
def test_wheel_verdicts(filename, ok):
    assert (wheels.wheel_problem(filename) is None) is ok
