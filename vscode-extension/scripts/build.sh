#!/usr/bin/env bash
# Builds the extension: type-check, bundle with esbuild (dist/extension.js, dist/worker.js),
# copy the WASM engine (Node build, with the rule pages beside it) and the options schema in, build the unit tests (out/test),
# and package vscode-extension/netward.vsix. Needs wasm/pkg/node (scripts/build-wasm.sh) and the
# root node_modules (scripts/install-tools.sh).
set -euo pipefail
EXT="$(cd "$(dirname "$0")/.." && pwd -P)"
ROOT="$(cd "$EXT/.." && pwd -P)"
BIN="$ROOT/node_modules/.bin"
WASM_PKG="${WASM_PKG:-$ROOT/wasm/pkg/node}"
die() { printf 'vscode-extension/build: error: %s\n' "$*" >&2; exit 1; }

for f in netward_wasm.js netward_wasm_bg.wasm netward_wasm.d.ts netward_rule_docs.json; do
  [ -f "$WASM_PKG/$f" ] || die "the WASM engine's Node build is missing ($WASM_PKG/$f): run scripts/build-wasm.sh first"
done
for tool in esbuild tsc vsce; do
  [ -x "$BIN/$tool" ] || die "$BIN/$tool is missing: run scripts/install-tools.sh (root package.json)"
done
[ -f "$ROOT/docs/options.schema.json" ] || die "docs/options.schema.json is missing"

cd "$EXT"
if [ ! -f node_modules/yaml/package.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

rm -rf dist out schemas netward.vsix
"$BIN/tsc" -p tsconfig.json
"$BIN/esbuild" src/extension.ts src/engine/worker.ts --bundle --platform=node --format=cjs --target=node20 \
  --external:vscode --minify-whitespace --minify-syntax --sourcemap --entry-names='[name]' --outdir=dist \
  --log-level=warning
cp "$WASM_PKG/netward_wasm.js" "$WASM_PKG/netward_wasm_bg.wasm" "$WASM_PKG/netward_rule_docs.json" dist/
mkdir -p schemas
cp "$ROOT/docs/options.schema.json" schemas/options.schema.json

# Unit tests: each test file bundled with the pure modules it imports (none imports `vscode`).
"$BIN/esbuild" test/*.test.ts --bundle --platform=node --format=cjs --target=node20 --sourcemap \
  --outdir=out/test --log-level=warning
cp test/fixtures/*.js out/test/ 2>/dev/null || true

"$BIN/vsce" package --no-dependencies --out netward.vsix </dev/null
echo "vscode-extension/build: $(du -k netward.vsix | cut -f1) KiB netward.vsix"
