#!/usr/bin/env bash
# The playground's tests: build (type-check + bundle), unit tests (node:test, the real WASM
# engine), end-to-end tests in headless chromium, then the performance benchmark (printed as
# JSON, saved to e2e-artifacts/playground/perf.json; not asserted). Assumes
# scripts/install-tools.sh and scripts/build-wasm.sh have run.
# SKIP_E2E=1 stops after the unit tests; SKIP_BENCH=1 skips the benchmark.
set -euo pipefail
APP="$(cd "$(dirname "$0")/.." && pwd -P)"
cd "$APP"

start=$SECONDS
bash scripts/build.sh --tests
echo "playground/test: build $((SECONDS - start))s"

start=$SECONDS
node --test --test-reporter=spec out/test/*.test.mjs
echo "playground/test: unit tests $((SECONDS - start))s"

if [ "${SKIP_E2E:-}" = 1 ]; then exit 0; fi
start=$SECONDS
node --test --test-concurrency=1 --test-reporter=spec e2e/*.test.mjs
echo "playground/test: e2e $((SECONDS - start))s"

if [ "${SKIP_BENCH:-}" = 1 ]; then exit 0; fi
start=$SECONDS
node bench/perf.mjs
echo "playground/test: bench $((SECONDS - start))s"
