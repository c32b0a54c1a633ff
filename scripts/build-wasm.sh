#!/usr/bin/env bash
# Builds the WASM engine for Node (wasm/pkg/node, CommonJS: the VS Code extension and the
# tests) and for browsers (wasm/pkg/web, an ES module: the playground), shrinks both with
# wasm-opt and prints the sizes. Needs scripts/install-tools.sh to have run.
set -euo pipefail
cd "$(dirname "$0")/.."

bindgen=.tools/cargo/bin/wasm-bindgen
wasm_opt=node_modules/.bin/wasm-opt
for tool in "$bindgen" "$wasm_opt"; do
  [ -x "$tool" ] || { echo "build-wasm: $tool is missing; run scripts/install-tools.sh" >&2; exit 1; }
done

cargo build --locked -q -p netward-wasm --target wasm32-unknown-unknown --profile wasm
module=target/wasm32-unknown-unknown/wasm/netward_wasm.wasm

for target in nodejs web; do
  out=wasm/pkg/${target%js}
  rm -rf "$out"
  "$bindgen" --target "$target" --out-dir "$out" "$module"
  # -Oz like the cargo profile (opt-level "z"): the module has a size goal; the YAML scanner,
  # the hot loop of a re-lint, is built at opt-level 3 (root Cargo.toml, profile.wasm).
  "$wasm_opt" -Oz "$out/netward_wasm_bg.wasm" -o "$out/netward_wasm_bg.wasm"
  # The rules' Markdown pages, which the module leaves out (190 KB of text; core feature
  # `rule-docs`); docs/rules.json is generated from the rules' doc comments (core test).
  cp docs/rules.json "$out/netward_rule_docs.json"
done

bytes=$(stat -c %s wasm/pkg/node/netward_wasm_bg.wasm)
gz=$(gzip -9 -c wasm/pkg/node/netward_wasm_bg.wasm | wc -c)
docs_gz=$(gzip -9 -c docs/rules.json | wc -c)
echo "build-wasm: netward_wasm_bg.wasm is $bytes bytes, $gz gzipped; netward_rule_docs.json $docs_gz gzipped (wasm/pkg/node, wasm/pkg/web)"
