#!/usr/bin/env bash
# Installs, idempotently, every tool the WASM, VS Code extension and playground tests need:
#   Debian packages   chromium, build-essential, python3, pkg-config, libkrb5-dev, ripgrep
#   rustup target     wasm32-unknown-unknown
#   npm (root)        package.json / package-lock.json -> node_modules (wasm-opt, esbuild, vsce, tsc, playwright-core, ...)
#   wasm-bindgen-cli  $WASM_BINDGEN_VERSION -> .tools/cargo/bin/wasm-bindgen
#   code-server       $CODE_SERVER_VERSION  -> .tools/code-server/node_modules/.bin/code-server
# Each step checks what is installed (versions, not just presence) and is skipped when it is already right.
# Only crates.io, npm and Debian have to be reachable. Exports nothing; other scripts use the paths printed at the end.
# Recipes and the reasons for the odd bits: docs in /work/shared/reference (vscode-e2e.md §2, toolchain.md §1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd -P)"

WASM_BINDGEN_VERSION=0.2.129   # must equal the `wasm-bindgen = "=…"` pin of the wasm crate; 0.2.130 fails --locked here
CODE_SERVER_VERSION=4.100.3    # VS Code 1.100.3; the last code-server whose postinstall accepts node 20
RG_NPM_VERSION=1.15.11         # @vscode/ripgrep in code-server 4.100.3's shrinkwrap
RG_RELEASE=v13.0.0-10          # the ripgrep-prebuilt release that @vscode/ripgrep 1.15.11 downloads
APT_PACKAGES=(chromium build-essential python3 pkg-config libkrb5-dev ripgrep)

TOOLS="$ROOT/.tools"
CARGO_ROOT="$TOOLS/cargo"
CS_DIR="$TOOLS/code-server"
# node-gyp builds (code-server's native modules, vsce's optional keytar) must use the headers of Debian's nodejs
# package instead of downloading them from nodejs.org.
export npm_config_nodedir="${npm_config_nodedir:-/usr}"

TOTAL_START=$SECONDS
STEP_START=$SECONDS
SCRATCH=""
cleanup() { if [ -n "$SCRATCH" ]; then rm -rf "$SCRATCH"; fi; }
trap cleanup EXIT

begin() { STEP_START=$SECONDS; }
say() { printf '[install-tools] %-18s %s (%ds)\n' "$1" "$2" "$((SECONDS - STEP_START))"; }
die() { printf '[install-tools] error: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || die "$1 not found on PATH ($2)"; }

# --- 1. Debian packages (apt-get update only when something is missing) -------------------------------------------
begin
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for p in "${APT_PACKAGES[@]}"; do deb_installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  say apt "all present: ${APT_PACKAGES[*]}"
else
  need_cmd apt-get "install these Debian packages by hand: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  say apt "installed ${missing[*]}"
fi
# Debian's binaryen (108) writes wasm that the wasm-bindgen glue cannot load; wasm-opt must come from npm.
if deb_installed binaryen; then
  printf '[install-tools] warning: Debian package binaryen is installed; use node_modules/.bin/wasm-opt, never /usr/bin/wasm-opt\n' >&2
fi

# --- 2. rustup target ----------------------------------------------------------------------------------------------
begin
need_cmd rustup "install Rust with rustup first"
need_cmd cargo "install Rust with rustup first"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say rust-target "wasm32-unknown-unknown present"
else
  rustup target add wasm32-unknown-unknown
  say rust-target "added wasm32-unknown-unknown"
fi

# --- 3. root npm packages ------------------------------------------------------------------------------------------
begin
need_cmd node "install Debian's nodejs (node 20)"
need_cmd npm "install npm"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "node $(node --version) is too old; node 20 is needed"
# Every pinned devDependency installed at exactly its version, and the bins other scripts call present?
npm_tree_ok() {
  node -e '
    const fs = require("fs");
    const want = JSON.parse(fs.readFileSync("package.json", "utf8")).devDependencies;
    for (const [name, version] of Object.entries(want)) {
      let got = null;
      try { got = JSON.parse(fs.readFileSync(`node_modules/${name}/package.json`, "utf8")).version; } catch {}
      if (got !== version) process.exit(1);
    }' 2>/dev/null || return 1
  local b
  for b in wasm-opt esbuild vsce tsc; do [ -x "node_modules/.bin/$b" ] || return 1; done
}
# npm ci writes node_modules/.package-lock.json last; it is the stamp of the last complete install.
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ] && [ ! package.json -nt "$stamp" ] && npm_tree_ok; then
  say npm "node_modules matches package-lock.json"
else
  npm ci --no-audit --no-fund --loglevel=error
  npm_tree_ok || die "node_modules does not match package.json after npm ci"
  say npm "npm ci done"
fi

# --- 4. wasm-bindgen-cli -------------------------------------------------------------------------------------------
begin
wasm_bindgen_version() { "$CARGO_ROOT/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}'; }
if [ -x "$CARGO_ROOT/bin/wasm-bindgen" ] && [ "$(wasm_bindgen_version)" = "$WASM_BINDGEN_VERSION" ]; then
  say wasm-bindgen-cli "$WASM_BINDGEN_VERSION present"
else
  # --locked: the CLI's own lockfile; --force: replace whatever other version is in .tools/cargo.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked --force --quiet --root "$CARGO_ROOT"
  [ "$(wasm_bindgen_version)" = "$WASM_BINDGEN_VERSION" ] || die "wasm-bindgen --version is not $WASM_BINDGEN_VERSION after cargo install"
  say wasm-bindgen-cli "installed $WASM_BINDGEN_VERSION"
fi
# The CLI must equal the wasm-bindgen crate the workspace links, or wasm-bindgen refuses the .wasm (schema version).
lock_versions="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock 2>/dev/null | sort -u | tr '\n' ' ')"
if [ -n "$lock_versions" ] && [ "${lock_versions% }" != "$WASM_BINDGEN_VERSION" ]; then
  printf '[install-tools] warning: Cargo.lock has wasm-bindgen %s but the CLI is %s; pin wasm-bindgen = "=%s"\n' \
    "${lock_versions% }" "$WASM_BINDGEN_VERSION" "$WASM_BINDGEN_VERSION" >&2
fi

# --- 5. code-server ------------------------------------------------------------------------------------------------
begin
# Read the version from package.json: `code-server --version` would write ~/.config/code-server/config.yaml.
code_server_version() {
  node -p 'require(process.argv[1]).version' "$CS_DIR/node_modules/code-server/package.json" 2>/dev/null || true
}
# The version, and two files that only exist once code-server's postinstall (npm install in lib/vscode, native
# builds, ripgrep) has finished: an interrupted or script-blocked install is redone.
code_server_ok() {
  local vs="$CS_DIR/node_modules/code-server/lib/vscode/node_modules"
  [ -x "$CS_DIR/node_modules/.bin/code-server" ] && [ "$(code_server_version)" = "$CODE_SERVER_VERSION" ] &&
    [ -f "$vs/node-pty/build/Release/pty.node" ] && [ -x "$vs/@vscode/ripgrep/bin/rg" ]
}
if code_server_ok; then
  say code-server "$CODE_SERVER_VERSION present"
else
  [ "$node_major" -eq 20 ] || die "code-server $CODE_SERVER_VERSION needs node 20 (its postinstall checks), not $(node --version)"
  [ "$(uname -m)" = x86_64 ] || die "the ripgrep cache seeding below assumes x86_64, not $(uname -m)"
  need_cmd rg "Debian package ripgrep"
  # @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable). It first looks in
  # $TMPDIR/vscode-ripgrep-cache-<npm version>/ripgrep-<release>-<target>.tar.gz, so seed that with Debian's rg.
  SCRATCH="$(mktemp -d)"
  mkdir -p "$SCRATCH/rg" "$SCRATCH/vscode-ripgrep-cache-$RG_NPM_VERSION"
  cp "$(command -v rg)" "$SCRATCH/rg/rg"
  tar czf "$SCRATCH/vscode-ripgrep-cache-$RG_NPM_VERSION/ripgrep-$RG_RELEASE-x86_64-unknown-linux-musl.tar.gz" -C "$SCRATCH/rg" rg
  mkdir -p "$CS_DIR"
  # Its own package.json, so that npm does not walk up to the repository's.
  [ -f "$CS_DIR/package.json" ] || echo '{"name":"netward-code-server-host","private":true}' > "$CS_DIR/package.json"
  # npm_config_unsafe_perm=true: code-server's postinstall refuses to run as root without it (npm 11 warns
  #   "Unknown env config" but passes it on to the scripts).
  # npm_config_yes=true: node-pty's postinstall runs `npx node-gyp`, which otherwise stops when the npmrc says yes=false.
  # argon2 and kerberos try GitHub for prebuilt binaries, fail at once, and build from source (needs libkrb5-dev).
  (cd "$CS_DIR" && TMPDIR="$SCRATCH" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --save-exact --loglevel=error "code-server@$CODE_SERVER_VERSION")
  rm -rf "$SCRATCH"; SCRATCH=""
  code_server_ok || die "code-server $CODE_SERVER_VERSION in $CS_DIR is incomplete after npm install (did its postinstall run?)"
  say code-server "installed $CODE_SERVER_VERSION"
fi

# --- where things are ----------------------------------------------------------------------------------------------
cat <<EOF
[install-tools] done in $((SECONDS - TOTAL_START))s; tools (paths relative to $ROOT):
  wasm-bindgen  .tools/cargo/bin/wasm-bindgen                   $WASM_BINDGEN_VERSION
  wasm-opt      node_modules/.bin/wasm-opt                      binaryen $(node -p 'require("./node_modules/binaryen/package.json").version')
  esbuild       node_modules/.bin/esbuild                       $(node -p 'require("./node_modules/esbuild/package.json").version')
  vsce          node_modules/.bin/vsce                          $(node -p 'require("./node_modules/@vscode/vsce/package.json").version')
  tsc           node_modules/.bin/tsc                           $(node -p 'require("./node_modules/typescript/package.json").version')
  code-server   .tools/code-server/node_modules/.bin/code-server $CODE_SERVER_VERSION
  chromium      $(command -v chromium || echo 'chromium: missing')
EOF
