#!/usr/bin/env bash
# Make sure the Debian packages Shifu needs outside of pip are installed.
#   scripts/system-packages.sh run    # serving the app (WeasyPrint + Chinese font)
#   scripts/system-packages.sh test   # plus what the test suite shells out to
# Silent and exit 0 when nothing is missing, so `make run` stays quiet.
set -euo pipefail

# WeasyPrint loads pango/harfbuzz via ctypes, so pip cannot pull them in;
# fonts-noto-cjk provides the Simplified-Chinese glyphs for PDFs; fonts-dejavu-core the bold figures on slips.
RUN_PKGS=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core fontconfig)
# chromium: browser tests; poppler-utils: pdftotext/pdftoppm on generated PDFs; mupdf-tools and
# ghostscript: two more PDF engines the slip is drawn with (tests/service_slips/test_pdf_composition.py);
# postgresql: throwaway clusters (scripts/with-postgres.sh); zbar-tools: QR decoding;
# redis-server: the suite starts a throwaway one on 127.0.0.1 (shared rate limits, the job queue).
# Names are Debian 12's. On Ubuntu `chromium` is only a snap shim, so a
# real browser may need `chromium-browser` / `snap install chromium` instead.
TEST_PKGS=("${RUN_PKGS[@]}" chromium poppler-utils mupdf-tools ghostscript postgresql zbar-tools redis-server)

case "${1:-}" in
  run)  wanted=("${RUN_PKGS[@]}") ;;
  test) wanted=("${TEST_PKGS[@]}") ;;
  *)    echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
  echo "$0: no apt-get/dpkg here (not Debian/Ubuntu); install the equivalents of: ${wanted[*]}" >&2
  exit 1
fi

missing=()
for p in "${wanted[@]}"; do
  # "deinstall ok config-files" (removed, config left) counts as missing too.
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if ((EUID != 0)); then
  echo "Missing system packages. Please run:" >&2
  echo "sudo apt-get install -y ${missing[*]}"
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
