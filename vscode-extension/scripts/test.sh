#!/usr/bin/env bash
# Builds the extension, runs its unit tests (plain node, real WASM engine), then the end-to-end
# test in a real VS Code (code-server + chromium). Assumes scripts/install-tools.sh and
# scripts/build-wasm.sh have run. Screenshots and logs: e2e-artifacts/vscode/ at the repo root.
# SKIP_E2E=1 stops after the unit tests.
set -euo pipefail
EXT="$(cd "$(dirname "$0")/.." && pwd -P)"
cd "$EXT"

start=$SECONDS
bash scripts/build.sh
echo "vscode-extension/test: build $((SECONDS - start))s"

start=$SECONDS
node --test --test-reporter=spec out/test/*.test.js
echo "vscode-extension/test: unit tests $((SECONDS - start))s"

if [ "${SKIP_E2E:-}" = 1 ]; then exit 0; fi
start=$SECONDS
VSIX="$EXT/netward.vsix" node --test --test-concurrency=1 --test-reporter=spec e2e/*.test.mjs
echo "vscode-extension/test: e2e $((SECONDS - start))s"
