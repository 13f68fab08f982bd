#!/usr/bin/env bash
# Create the virtual environment. Debian ships venv support as a separate
# package (python3-venv); install it when we can, otherwise say how.
set -euo pipefail
py="$1"; venv="$2"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
  exit 0
fi
rm -rf "$venv"
if ! "$py" -m venv "$venv" 2>/dev/null; then
  rm -rf "$venv"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Cài gói python3-venv (cần để tạo môi trường ảo)…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    "$py" -m venv "$venv"
  else
    echo "Không tạo được môi trường ảo Python. Hãy cài gói python3-venv: sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi
