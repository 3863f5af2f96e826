#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests (Playwright drives
# /usr/bin/chromium; no browser is downloaded). Installs it with apt-get when missing.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "browser tests need Debian's Chromium: sudo apt-get install chromium" >&2
  exit 1
fi
command -v apt-get >/dev/null || { echo "no /usr/bin/chromium and no apt-get" >&2; exit 1; }
mkdir -p var
echo "installing chromium from Debian packages"
if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 \
         chromium fonts-liberation; } >var/apt-chromium.log 2>&1; then
  tail -n 20 var/apt-chromium.log >&2
  echo "apt-get could not install chromium" >&2
  exit 1
fi
[ -x /usr/bin/chromium ] || { echo "chromium installed but /usr/bin/chromium missing" >&2; exit 1; }
