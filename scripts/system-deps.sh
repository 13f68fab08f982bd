#!/usr/bin/env bash
# System packages some tests need: Debian's chromium (browser tests) and a Java
# runtime (the Nu Html Checker). In CI (CI=true) they are installed here; on a
# developer's machine the tests that need them skip with a message instead.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "${CI:-}" = "true" ]; then
  echo "CI: cài ${need[*]}…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Lưu ý: thiếu ${need[*]}; các kiểm thử cần chúng sẽ bỏ qua. Cài bằng: sudo apt-get install ${need[*]}"
fi
