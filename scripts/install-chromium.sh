#!/usr/bin/env bash
# Installs Debian's chromium (/usr/bin/chromium) for the browser test of the local console, with
# apt-get, once. Needs root (CI runs as root). Exit codes: 0 present or installed, 1 could not install.
# It never downloads a browser build of its own: Playwright drives the distribution's chromium.
set -euo pipefail
CHROMIUM="${REDRIVE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-chromium: $CHROMIUM is missing; run as root: apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium by hand" >&2
  exit 1
fi
started=$(date +%s)
echo "install-chromium: installing Debian's chromium package (once)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || { echo "install-chromium: apt-get update failed" >&2; exit 1; }
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-noto-color-emoji >&2 || { echo "install-chromium: apt-get install chromium failed" >&2; exit 1; }
if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: chromium installed but $CHROMIUM is not there" >&2
  exit 1
fi
echo "install-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) ready in $(( $(date +%s) - started )) s" >&2
