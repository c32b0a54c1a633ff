#!/usr/bin/env bash
# Runs every netward test. Installs what it needs (idempotently) first.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt

step "format"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests"
cargo test --workspace --locked

step "core and wasm build for wasm32-unknown-unknown (core also with its admission feature)"
cargo build --locked -p netward-core -p netward-wasm --target wasm32-unknown-unknown
cargo build --locked -p netward-core --features admission --target wasm32-unknown-unknown

step "core stays pure (no async runtime, HTTP or TLS in its dependency tree)"
forbidden=$(cargo tree --locked -p netward-core -e normal --prefix none | awk '{print $1}' | grep -E '^(tokio|hyper|rustls|mio|reqwest|axum)$' || true)
if [ -n "$forbidden" ]; then
  echo "netward-core depends on: $forbidden" >&2
  exit 1
fi

step "NetworkPolicy answers agree with IBM's network-config-analyzer (random clusters)"
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  as_root=""; [ "$(id -u)" -eq 0 ] || as_root="sudo"
  $as_root apt-get update -qq && $as_root apt-get install -y -qq python3-venv
fi
bench/nca/setup.sh
cargo build --locked -q -p netward
bench/nca/.venv/bin/python bench/nca/compare.py --sizes 60/12,150/30/3 --seed 3 \
  --netward target/debug/netward --netward-runs 1 --out-dir target/nca-compare

step "the webhook from the outside: curl against netward serve"
if ! command -v curl >/dev/null; then
  as_root=""; [ "$(id -u)" -eq 0 ] || as_root="sudo"
  $as_root apt-get update -qq && $as_root apt-get install -y -qq curl
fi
cargo build --locked -q -p netward
scripts/webhook-smoke.sh target/debug/netward

step "tools for the WASM engine, the VS Code extension and the playground (skipped when present)"
scripts/install-tools.sh

step "WASM engine: build (Node and web), Node tests, generated TypeScript types"
scripts/build-wasm.sh
cargo test --locked -q -p netward-wasm --features typescript --test typescript
node_modules/.bin/tsc --noEmit --strict --types node --target es2022 --module nodenext \
  --moduleResolution nodenext wasm/test/types-check.ts
node --test wasm/test/

step "parity: the WASM engine and the CLI give the same diagnostics"
cargo build --locked -q -p netward
node --test tests/parity/

step "browser playground: unit tests, headless Chromium end to end, load and typing figures"
wasm/playground/scripts/test.sh

step "VS Code extension: unit tests and a real VS Code (code-server + chromium)"
vscode-extension/scripts/test.sh

step "the README's main job"
cargo run --locked -q -p netward -- check examples/shop
set +e
cargo run --locked -q -p netward -- check examples/broken >/dev/null
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "netward check examples/broken exited $status, expected 1" >&2
  exit 1
fi

echo
echo "all checks passed"
