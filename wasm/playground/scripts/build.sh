#!/usr/bin/env bash
# Builds the playground into wasm/playground/dist/ (static files: serve them with
# `node wasm/playground/serve.mjs`). Needs the WASM engine's web build (scripts/build-wasm.sh)
# and the root node_modules (scripts/install-tools.sh). --tests also bundles the unit tests.
set -euo pipefail
APP="$(cd "$(dirname "$0")/.." && pwd -P)"
ROOT="$(cd "$APP/../.." && pwd -P)"
BIN="$ROOT/node_modules/.bin"
WASM_WEB_PKG="${WASM_WEB_PKG:-$ROOT/wasm/pkg/web}"
die() { printf 'playground/build: error: %s\n' "$*" >&2; exit 1; }

for f in netward_wasm.js netward_wasm_bg.wasm netward_wasm.d.ts; do
  [ -f "$WASM_WEB_PKG/$f" ] || die "the WASM engine's web build is missing ($WASM_WEB_PKG/$f): run scripts/build-wasm.sh first"
done
for tool in esbuild tsc; do
  [ -x "$BIN/$tool" ] || die "$BIN/$tool is missing: run scripts/install-tools.sh (root package.json)"
done

cd "$APP"
if [ ! -f node_modules/@codemirror/view/package.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
"$BIN/tsc" -p tsconfig.json
"$BIN/tsc" -p tsconfig.worker.json
WASM_WEB_PKG="$WASM_WEB_PKG" node scripts/build.mjs "$@"
