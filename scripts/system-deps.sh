#!/usr/bin/env bash
# Install the Debian packages the test suite needs when they are missing:
# PostgreSQL: the store tests start their own server as user postgres.
# Chromium: the workbench's browser tests drive Debian's chromium (/usr/bin/chromium) with Playwright.
set -euo pipefail
need=()
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing ${need[*]} and not root; install them with apt-get, or tests that need them skip" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
