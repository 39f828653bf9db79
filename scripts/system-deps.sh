#!/usr/bin/env bash
# Installs the Debian packages xuanren needs when they are missing.
#   run:  a CJK TrueType font for the printed forms and record PDFs.
#   test: also poppler-utils (pdftotext/pdftoppm) and chromium for the browser tests.
#   bench: also wrk, the load generator of the benchmarks under load.
set -euo pipefail
mode=${1:-test}
need=()
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
if [ "$mode" = test ] || [ "$mode" = bench ]; then
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  [ -x /usr/bin/chromium ] || need+=(chromium)
fi
if [ "$mode" = bench ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Cannot install ${need[*]}: run as root or install them with apt-get." >&2; exit 1; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
