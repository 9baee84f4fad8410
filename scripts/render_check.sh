#!/usr/bin/env bash
# Render the sample's award workbook to PDF with LibreOffice (headless) and fail on any problem.
# Installs Debian's libreoffice-calc and poppler-utils when missing. Pages land in build/render/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/render
mkdir -p "$out"
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-calc poppler-utils >/dev/null
fi
rm -f "$out"/hasil.xlsx "$out"/hasil.pdf "$out"/page-*.png
.venv/bin/bantar score sample_data/penilaian_2024.xlsx -o "$out/hasil.xlsx" --format json >/dev/null
log=$(soffice --headless --norestore --convert-to pdf --outdir "$out" "$out/hasil.xlsx" 2>&1) || {
  echo "LibreOffice failed: $log" >&2; exit 1; }
if [ ! -s "$out/hasil.pdf" ] || grep -qi "error" <<<"$log"; then
  echo "conversion failed: $log" >&2
  exit 1
fi
pages=$(pdfinfo "$out/hasil.pdf" | awk '/^Pages:/ {print $2}')
[ "${pages:-0}" -gt 0 ] || { echo "the PDF has no pages" >&2; exit 1; }
pdftoppm -png -r 50 -f 1 -l 3 "$out/hasil.pdf" "$out/page"
echo "render-check: $out/hasil.pdf, $pages pages; first pages as $out/page-*.png"
