#!/usr/bin/env bash
# System packages some tests need: Debian's chromium (browser tests), Node.js
# (the search analyser's JavaScript port is compared with Python's) and a Java
# runtime (the Nu Html Checker), plus the checker itself (npm package vnu-jar,
# pinned below) and the accessibility engine axe-core (also pinned) in the
# git-ignored .cache/tools. In CI (CI=true) they are
# installed here; on a developer's machine the tests that need them skip with a
# message instead.
set -euo pipefail
cd "$(dirname "$0")/.."

# Nu Html Checker: tests/test_html_checker.py runs $VNU_DIR/build/dist/vnu.jar.
VNU_VERSION=26.9.27
TOOLS=.cache/tools
VNU_DIR=$TOOLS/node_modules/vnu-jar
vnu_installed() {
  [ -f "$VNU_DIR/build/dist/vnu.jar" ] &&
    grep -Eq "\"version\": *\"$VNU_VERSION\"" "$VNU_DIR/package.json"
}
# --ignore-scripts: the package's postinstall would download a Java runtime from
# GitHub when none is on PATH; we use the system Java (default-jre-headless).
install_vnu() {
  echo "Cài vnu-jar@$VNU_VERSION vào $TOOLS…"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-save --ignore-scripts --no-audit --no-fund \
    --loglevel=error "vnu-jar@$VNU_VERSION" >/dev/null
  vnu_installed
}

# axe-core (accessibility rules): tests/test_accessibility.py injects
# $AXE_DIR/axe.min.js into pages in Chromium. Its own prefix under $TOOLS: an
# `npm install --no-save` into one prefix removes every package not named in that
# command, so sharing $TOOLS with vnu-jar would uninstall one with the other.
AXE_VERSION=4.14.1
AXE_PREFIX=$TOOLS/axe
AXE_DIR=$AXE_PREFIX/node_modules/axe-core
axe_installed() {
  [ -f "$AXE_DIR/axe.min.js" ] &&
    grep -Eq "\"version\": *\"$AXE_VERSION\"" "$AXE_DIR/package.json"
}
install_axe() {
  echo "Cài axe-core@$AXE_VERSION vào $AXE_PREFIX…"
  mkdir -p "$AXE_PREFIX"
  npm install --prefix "$AXE_PREFIX" --no-save --ignore-scripts --no-audit --no-fund \
    --loglevel=error "axe-core@$AXE_VERSION" >/dev/null
  axe_installed
}

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
command -v node >/dev/null || need+=(nodejs)
if { ! vnu_installed || ! axe_installed; } && ! command -v npm >/dev/null; then need+=(npm); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI: cài ${need[*]}…"
    # As root (our CI) directly; on hosted runners (GitHub Actions) through sudo.
    as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Lưu ý: thiếu ${need[*]}; các kiểm thử cần chúng sẽ bỏ qua. Cài bằng: sudo apt-get install ${need[*]}"
  fi
fi

# ensure_tool CHECK INSTALL NAME TESTS: install an npm tool if missing (CI must get it).
ensure_tool() {
  local check=$1 install=$2 name=$3 tests=$4
  "$check" && return 0
  if [ "${CI:-}" = "true" ]; then
    "$install" || { echo "CI: không cài được $name vào $TOOLS." >&2; exit 1; }
  elif command -v npm >/dev/null; then
    "$install" || echo "Lưu ý: không cài được $name; $tests sẽ bỏ qua. Thử lại bằng: scripts/system-deps.sh"
  else
    echo "Lưu ý: chưa có $name nên $tests sẽ bỏ qua; cài npm rồi chạy lại: scripts/system-deps.sh"
  fi
}

ensure_tool vnu_installed install_vnu "vnu-jar@$VNU_VERSION (Nu Html Checker)" "kiểm thử HTML"
ensure_tool axe_installed install_axe "axe-core@$AXE_VERSION" "kiểm thử trợ năng"
