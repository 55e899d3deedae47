"""The Windows installer checked on Linux: compile installer/zn_ladder.iss with Inno Setup's ISCC under
Wine, then install, upgrade and uninstall the setup silently as a desk would (issue 17).

    xvfb-run -a python packaging/wine_installer_check.py --iscc .../ISCC.exe --stub .../argv_stub.exe \
        --bundle dist/zn-ladder --work build/windows-check/wine

packaging/windows_check.sh installs Wine, ISCC (npm `innosetup`) and mingw-w64, builds the stub and calls
this. Exit 0 when every step holds, else 1 with the step and what was found.

What it packs: the bundle's file tree as built by `pyinstaller build.spec` on this machine (same folders and
names; the files empty, since their content does not change what the installer does, and packing 300 MB
with lzma2/max takes 6 minutes here), with `packaging/wine/argv_stub.c` as zn-ladder.exe and
zn-ladder-gui.exe: the stub records its arguments, so the install-time `config import` and its quoting are
checked as the C runtime (hence Python's sys.argv) parses them.

What it checks, each on a fresh Wine prefix:
1. the real script without /DAppVersion and with no version resource stops with its #error;
2. the script compiles (a copy whose only change is the install folder: Wine 8 cannot expand {autopf},
   the per-user Programs folder, so the copy names it as {localappdata}\\Programs, which is what {autopf}
   means for this per-user setup on Windows 10/11);
3. install with /DESKCONFIG (a path with spaces, an apostrophe and an accent) and the desktop task: every
   file of the tree at its place, `zn-ladder.exe config import "<that path>"` called once with exactly
   that path, Start-menu and desktop shortcuts, the HKCU uninstall entry;
4. upgrade in place over it with a `config import` that fails: setup exit code 10 and the reason in the
   log, a stale file of the older build gone from _internal, still one uninstaller (unins000, no
   unins001), the desktop task remembered; then a /DESKCONFIG that does not exist: exit 10 too;
5. uninstall: program folder, shortcuts and uninstall entry gone; the user's data folder
   (%LOCALAPPDATA%\\zn_ladder, made before the first install) untouched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "installer" / "zn_ladder.iss"
APP_ID = "{02CC49D0-1878-4C9E-A644-7752ED1F4882}"
UNINSTALL_KEY = rf"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\{APP_ID}_is1"
DESK_CONFIG_EXIT_CODE = 10
AUTOPF_DIR = "DefaultDirName={autopf}\\"
WINE_DIR = "DefaultDirName={localappdata}\\Programs\\"


class CheckFailed(Exception):
    """A step of the installer check did not hold; the message says which and what was found."""


def windows_path(path: Path) -> str:
    """The path as a Windows program under Wine sees it (Wine maps drive Z: to /)."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def wine_script(text: str, source_dir: str) -> str:
    """The copy of the installer script that Wine 8 can run: the default folder {autopf}\\... named as
    {localappdata}\\Programs\\... and SourceDir set to the real script's folder (so that its relative
    paths, the icon and README, resolve as for the original). Refuses a script where either anchor is
    not found exactly once: a changed script must fail the check, not be checked half-patched."""
    lines = text.splitlines(keepends=True)
    setup = [i for i, line in enumerate(lines) if line.strip() == "[Setup]"]
    default_dir = [i for i, line in enumerate(lines) if line.startswith(AUTOPF_DIR)]
    if len(setup) != 1 or len(default_dir) != 1:
        raise ValueError(f"expected one [Setup] section and one line starting {AUTOPF_DIR!r}; "
                         f"found {len(setup)} and {len(default_dir)}")
    lines[default_dir[0]] = WINE_DIR + lines[default_dir[0]][len(AUTOPF_DIR):]
    lines.insert(setup[0] + 1, f"SourceDir={source_dir}\n")
    return "".join(lines)


def parse_stub_calls(text: str) -> list[list[str]]:
    """The calls recorded by argv_stub.exe: one list of arguments (argv[1:]) per call."""
    calls: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line == "CALL":
            current = []
        elif line.startswith("ARG\t") and current is not None:
            current.append(line[4:])
        elif line == "END" and current is not None:
            calls.append(current)
            current = None
    return calls


def stage_layout(bundle: Path, dest: Path, stub: Path) -> list[str]:
    """Recreate the bundle's file tree in `dest` with empty files, the stub standing in for the console
    and windowed executables. Symlinks are left out: only the Linux build makes them (the Windows bundle
    holds real files). Returns the staged files' relative paths ('/'-separated), sorted."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    staged = []
    for path in sorted(bundle.rglob("*")):
        rel = path.relative_to(bundle)
        if path.is_symlink() or not path.is_file():
            continue
        if rel.as_posix() in ("zn-ladder", "zn-ladder.exe", "zn-ladder-gui.exe"):
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).touch()
        staged.append(rel.as_posix())
    for exe in ("zn-ladder.exe", "zn-ladder-gui.exe"):
        shutil.copyfile(stub, dest / exe)
        staged.append(exe)
    if not any(name.startswith("_internal/") for name in staged):
        raise CheckFailed(f"{bundle} has no _internal folder: not a PyInstaller one-folder bundle")
    return sorted(staged)


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


class Wine:
    """Runs Windows programs in one private Wine prefix, with HOME pointed into the work folder so that
    Wine's user folders (Desktop...) and menu entries never touch the machine's real ones."""

    def __init__(self, work: Path):
        self.prefix = work / "prefix"
        home = work / "home"
        self.env = dict(os.environ, WINEPREFIX=str(self.prefix), WINEARCH="win64", WINEDEBUG="-all",
                        HOME=str(home), LANG="C.UTF-8", LC_ALL="C.UTF-8",
                        # no Mono/Gecko install prompts, no .desktop files for the shortcuts
                        WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d")
        for name in ("ZN_STUB_LOG", "ZN_STUB_EXIT"):
            self.env.pop(name, None)
        if self.prefix.exists():
            shutil.rmtree(self.prefix)
        home.mkdir(parents=True, exist_ok=True)
        self.run(["wineboot", "--init"], timeout=240)
        # A new prefix says Windows 7; the setup requires Windows 10 (MinVersion=10.0), as the desks run.
        if self.run(["wine", "winecfg", "-v", "win10"], timeout=60).returncode != 0:
            raise CheckFailed("winecfg -v win10 failed")
        self.wait()
        users = [p for p in (self.prefix / "drive_c" / "users").iterdir() if p.name != "Public"]
        if len(users) != 1:
            raise CheckFailed(f"Wine prefix has users {users}, expected one")
        self.user = users[0]
        self.local_appdata = self.user / "AppData" / "Local"
        self.start_menu = self.user / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs"
        self.desktop = self.user / "Desktop"

    def run(self, args: list[str], timeout: float = 300, **extra_env: str) -> subprocess.CompletedProcess:
        env = dict(self.env, **extra_env)
        try:
            return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout,
                                  errors="replace")
        except subprocess.TimeoutExpired:
            raise CheckFailed(f"{' '.join(args[:2])}: no answer within {timeout:.0f} s") from None

    def wine(self, exe: str, *args: str, timeout: float = 300, **extra_env: str) -> subprocess.CompletedProcess:
        return self.run(["wine", exe, *args], timeout=timeout, **extra_env)

    def wait(self) -> None:
        """Until every program of the prefix has exited (the uninstaller finishes from a copy of itself)."""
        self.run(["wineserver", "-w"], timeout=120)

    def key_exists(self, key: str) -> bool:
        return self.wine("reg", "query", key, timeout=60).returncode == 0

    def stop(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, capture_output=True, timeout=60)


def check(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)


def step(name: str, started: float) -> None:
    print(f"  {name:<58} {time.monotonic() - started:6.1f} s", flush=True)


def installer_check(iscc: Path, stub: Path, bundle: Path, work: Path, version: str) -> None:
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    staged = stage_layout(bundle, work / "stage" / "zn-ladder", stub)
    dist = windows_path(work / "stage" / "zn-ladder")
    step(f"stage the bundle's tree ({len(staged)} files) with the stub exe", started)

    started = time.monotonic()
    wine = Wine(work)
    step("fresh Wine prefix (wineboot)", started)
    try:
        _check_in_prefix(wine, iscc, work, dist, staged, version)
    finally:
        wine.stop()


def _check_in_prefix(wine: Wine, iscc: Path, work: Path, dist: str, staged: list[str], version: str) -> None:
    out = work / "Output"
    if out.exists():
        shutil.rmtree(out)

    started = time.monotonic()
    done = wine.wine(str(iscc), "/Qp", f"/DDistDir={dist}", f"/O{windows_path(out)}", windows_path(SCRIPT),
                     timeout=120)
    check(done.returncode != 0 and "No version" in done.stdout + done.stderr,
          f"ISCC without /DAppVersion and without a version resource did not stop with the script's #error "
          f"(exit {done.returncode}): {(done.stdout + done.stderr)[-600:]}")
    step("ISCC, no version: stops with the #error", started)

    started = time.monotonic()
    copy = work / "zn_ladder.wine.iss"
    copy.write_text(wine_script(SCRIPT.read_text(encoding="utf-8"), windows_path(SCRIPT.parent)),
                    encoding="utf-8")
    done = wine.wine(str(iscc), "/Qp", f"/DAppVersion={version}", f"/DDistDir={dist}",
                     f"/O{windows_path(out)}", windows_path(copy))
    setup = out / f"zn_ladder-setup-{version}.exe"
    check(done.returncode == 0 and setup.is_file(),
          f"ISCC failed (exit {done.returncode}): {(done.stdout + done.stderr)[-1500:]}")
    step(f"ISCC compiles the script -> {setup.name}", started)

    app = wine.local_appdata / "Programs" / "zn_ladder"
    user_data = wine.local_appdata / "zn_ladder"
    user_data.mkdir(parents=True)
    (user_data / "settings.toml").write_text("# the trader's settings\n")
    (user_data / "Logs").mkdir()
    (user_data / "Logs" / "zn_ladder.log").write_text("a log line\n")
    desk = work / "desk share" / "O'Neil désk rates.toml"
    desk.parent.mkdir(parents=True, exist_ok=True)
    desk.write_text('schema_version = 1\n', encoding="utf-8")
    calls = work / "stub-calls.txt"
    calls.unlink(missing_ok=True)
    stub_env = {"ZN_STUB_LOG": windows_path(calls)}
    silent = ["/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"]

    def setup_run(log_name: str, *args: str, **env: str) -> tuple[int, str]:
        log = work / log_name
        log.unlink(missing_ok=True)
        done = wine.wine(windows_path(setup), *silent, f"/LOG={windows_path(log)}", *args, **env)
        wine.wait()
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        return done.returncode, text

    # 3. install
    started = time.monotonic()
    code, log = setup_run("setup-install.log", "/TASKS=desktopicon", f"/DESKCONFIG={windows_path(desk)}",
                          **stub_env)
    check(code == 0, f"install: setup exit code {code}; log tail:\n{log[-1500:]}")
    installed = files_under(app)
    expected = sorted([*staged, "INSTALL-README.md", "unins000.dat", "unins000.exe"])
    missing, extra = sorted(set(expected) - set(installed)), sorted(set(installed) - set(expected))
    check(not missing and not extra, f"install: {app} differs from the bundle: missing {missing[:5]}, extra {extra[:5]}")
    recorded = parse_stub_calls(calls.read_text(encoding="utf-8")) if calls.exists() else []
    check(recorded == [["config", "import", windows_path(desk)]],
          f"install: zn-ladder.exe was called {recorded!r}; expected once with "
          f"['config', 'import', {windows_path(desk)!r}]")
    check((wine.start_menu / "zn_ladder.lnk").is_file(), f"install: no Start-menu shortcut in {wine.start_menu}")
    check((wine.desktop / "zn_ladder.lnk").is_file(), f"install: no desktop shortcut in {wine.desktop}")
    check(wine.key_exists(UNINSTALL_KEY), f"install: no uninstall entry {UNINSTALL_KEY}")
    step(f"install: {len(installed)} files, config import quoted right, shortcuts", started)

    # 4. upgrade in place, with a failing config import, then with a missing desk file
    started = time.monotonic()
    stale = app / "_internal" / "stale-from-an-older-build.so"
    stale.write_text("left by an older build\n")
    calls.unlink()
    code, log = setup_run("setup-upgrade.log", f"/DESKCONFIG={windows_path(desk)}", ZN_STUB_EXIT="3", **stub_env)
    check(code == DESK_CONFIG_EXIT_CODE,
          f"upgrade with a failing config import: setup exit code {code}, expected {DESK_CONFIG_EXIT_CODE}")
    check("DESKCONFIG not applied" in log and "exited with code 3" in log,
          f"upgrade: the failing config import is not in the setup log:\n{log[-1500:]}")
    check(not stale.exists(), f"upgrade: {stale.name} of the older build is still in _internal")
    check((app / "unins000.exe").is_file() and not (app / "unins001.exe").exists(),
          f"upgrade: expected one uninstaller (unins000.exe), found {sorted(p.name for p in app.glob('unins*'))}")
    check(files_under(app) == installed, "upgrade: the program folder differs from the first install's")
    check((wine.desktop / "zn_ladder.lnk").is_file(), "upgrade: the desktop shortcut (task) was not kept")
    check(len(parse_stub_calls(calls.read_text(encoding="utf-8"))) == 1, "upgrade: config import not called once")
    missing_desk = work / "no such share" / "desk.toml"
    code, log = setup_run("setup-missing-desk.log", f"/DESKCONFIG={windows_path(missing_desk)}", **stub_env)
    check(code == DESK_CONFIG_EXIT_CODE and "was not found" in log,
          f"upgrade with a missing desk file: exit code {code}, expected {DESK_CONFIG_EXIT_CODE} and "
          f"'was not found' in the log")
    step("upgrade in place: stale file gone, one uninstaller, exit 10 x2", started)

    # 5. uninstall
    started = time.monotonic()
    done = wine.wine(windows_path(app / "unins000.exe"), *silent)
    wine.wait()
    check(done.returncode == 0, f"uninstall: exit code {done.returncode}")
    check(not app.exists(), f"uninstall left {files_under(app)[:5] if app.exists() else ''} in {app}")
    check(not (wine.start_menu / "zn_ladder.lnk").exists(), "uninstall left the Start-menu shortcut")
    check(not (wine.desktop / "zn_ladder.lnk").exists(), "uninstall left the desktop shortcut")
    check(not wine.key_exists(UNINSTALL_KEY), f"uninstall left the uninstall entry {UNINSTALL_KEY}")
    check(files_under(user_data) == ["Logs/zn_ladder.log", "settings.toml"],
          f"uninstall touched the user's data in {user_data}: {files_under(user_data)}")
    step("uninstall: folder, shortcuts, entry gone; user data kept", started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iscc", type=Path, required=True, help="ISCC.exe of Inno Setup 6")
    parser.add_argument("--stub", type=Path, required=True, help="argv_stub.exe built with mingw-w64")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "zn-ladder")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "windows-check" / "wine")
    parser.add_argument("--version", help="AppVersion (default: zn_ladder.__version__)")
    opts = parser.parse_args(argv)
    if opts.version is None:
        sys.path.insert(0, str(ROOT / "src"))
        import zn_ladder

        opts.version = zn_ladder.__version__
    started = time.monotonic()
    try:
        installer_check(opts.iscc.resolve(), opts.stub.resolve(), opts.bundle.resolve(), opts.work.resolve(),
                        opts.version)
    except CheckFailed as failure:
        print(f"wine_installer_check: FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"  installer under Wine: all checks passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
