#!/usr/bin/env bash
# Vendored front-end libraries: each is fetched from npm at a pinned version and its built files are
# copied under pwa/vendor/<name>/ together with its licence; pwa/vendor/VERSIONS lists what is there.
# Only a maintainer runs this (it needs Node's npm); the app and its users never need Node.
#
#   scripts/vendor.sh            # (re)vendor every library below
#
# Add a library: one `vendor` line — package, exact version, target folder, files inside the package.
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=pwa/vendor
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

vendor() {
  local package=$1 version=$2 name=$3
  shift 3
  local tarball
  tarball=$(cd "$WORK" && npm pack --silent "$package@$version" | tail -1)
  mkdir -p "$WORK/$name" "$VENDOR/$name"
  tar xzf "$WORK/$tarball" -C "$WORK/$name"
  for file in "$@"; do cp "$WORK/$name/package/$file" "$VENDOR/$name/"; done
  for licence in LICENSE LICENSE.md license license.txt LICENSE-MIT LICENSE-APACHE-2.0; do
    if [ -f "$WORK/$name/package/$licence" ]; then cp "$WORK/$name/package/$licence" "$VENDOR/$name/"; fi
  done
  local spdx
  spdx=$(node -p "require('$WORK/$name/package/package.json').license")
  printf '%s %s %s %s\n' "$name" "$package" "$version" "$spdx" >>"$WORK/VERSIONS"
}

# Gantt of the planning page (DESIGN §4): groups per workshop/machine, drag to move.
vendor vis-timeline 8.5.4 vis-timeline \
  standalone/umd/vis-timeline-graph2d.min.js styles/vis-timeline-graph2d.min.css

# Camera decoding where the browser has no BarcodeDetector (iPhone Safari, desktop browsers): the W3C API
# as a ponyfill over ZXing-C++ compiled to WebAssembly, loaded by the scanner only when needed. The
# .wasm is the zxing-wasm release the ponyfill was built against (its ZXING_WASM_VERSION) and is
# served from pwa/vendor, never from a CDN.
vendor barcode-detector 3.2.2 barcode-detector dist/es/ponyfill.js dist/es/zxing-exported.js
vendor zxing-wasm 3.1.3 zxing-wasm dist/reader/zxing_reader.wasm

# Charts of the KPI page (DESIGN §9): OHDI per month with its terms, missing-information rate, repair
# hot spots. The UMD build defines window.Chart; no plugins, no CDN.
vendor chart.js 4.6.1 chart.js dist/chart.umd.min.js

# Live task cards, dashboards and change highlights (DESIGN §4, §9, §3.2): the Socket.IO client. 4.x speaks
# Engine.IO 4, the protocol of python-socketio 5 / Flask-SocketIO 5 on the server.
vendor socket.io-client 4.8.1 socket.io-client dist/socket.io.min.js

sort "$WORK/VERSIONS" >"$VENDOR/VERSIONS"
echo "vendored:" && cat "$VENDOR/VERSIONS"
