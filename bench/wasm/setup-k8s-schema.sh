#!/usr/bin/env bash
# Fetches a real Kubernetes JSON schema offline (from PyPI only) for the yaml-language-server
# side-by-side benchmark (bench/wasm/yaml-ls.mjs), into bench/wasm/.k8s-schema/. Idempotent.
#
# Source: the PyPI wheel kubernetes-validate==1.37.0 (pinned by sha256), which ships the
# Kubernetes OpenAPI definitions converted to JSON Schema for many Kubernetes versions. We take
# v1.37.0-local-strict/_definitions.json (strict = additionalProperties: false) and all.json,
# rewrite every "$ref": "/api/_definitions.json#/$defs/X" (or "#/$defs/X") to draft-07 style,
# and write two layouts into .k8s-schema/:
#   * v1.37.0-standalone-strict/{all.json,_definitions.json}: the same layout as the schemas
#     yaml-language-server's built-in `kubernetes` association downloads (all.json = oneOf of
#     "_definitions.json#/definitions/X", _definitions.json = {"definitions": ...}). yaml-ls.mjs
#     serves these to the server in place of the download (see there), so the server runs its
#     real Kubernetes path: per document it picks the definition by apiVersion+kind.
#   * kubernetes-v1.37.0-strict.json: one self-contained draft-07 file whose top level is an
#     allOf of if/then, one per apiVersion+kind the definitions declare, for a plain local
#     file association (yaml-ls.mjs --association file).
# Only python3 + pip are needed (no venv: the wheel is downloaded, not installed, and read as a zip).
set -euo pipefail

K8S_VERSION=1.37.0
WHEEL_VERSION=1.37.0
WHEEL_SHA256=85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/.k8s-schema"
schema="$out/kubernetes-v${K8S_VERSION}-strict.json"
standalone="$out/v${K8S_VERSION}-standalone-strict"
wheel="$out/dl/kubernetes_validate-${WHEEL_VERSION}-py3-none-any.whl"

if [[ -s "$schema" && -s "$standalone/all.json" && -s "$standalone/_definitions.json" ]]; then
  echo "k8s schema: $out (already there)"
  exit 0
fi

mkdir -p "$out/dl"
if [[ ! -s "$wheel" ]]; then
  printf 'kubernetes-validate==%s --hash=sha256:%s\n' "$WHEEL_VERSION" "$WHEEL_SHA256" >"$out/dl/requirements.txt"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --require-hashes -r "$out/dl/requirements.txt" -d "$out/dl"
fi
echo "$WHEEL_SHA256  $wheel" | sha256sum -c --quiet -

rm -rf "$out/tmp" && mkdir -p "$out/tmp"
python3 - "$wheel" "$K8S_VERSION" "$out/tmp" <<'PY'
import json, os, sys, zipfile

wheel, version, dest = sys.argv[1:4]
base = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
with zipfile.ZipFile(wheel) as z:
    defs = json.loads(z.read(base + "_definitions.json"))["$defs"]
    all_refs = [x["$ref"] for x in json.loads(z.read(base + "all.json"))["oneOf"]]

PREFIXES = ("/api/_definitions.json#/$defs/", "#/$defs/")

def rewrite(node, parent_key=None):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            # "$ref" as a *property name* (inside "properties") is data, not a reference.
            if k == "$ref" and parent_key != "properties" and isinstance(v, str):
                prefix = next(p for p in PREFIXES if v.startswith(p))
                out[k] = "#/definitions/" + v[len(prefix):]
            else:
                out[k] = rewrite(v, k)
        return out
    if isinstance(node, list):
        return [rewrite(x) for x in node]
    return node

definitions = {name: rewrite(d) for name, d in defs.items()}

dispatch = []
seen = set()
for name in sorted(definitions):
    for gvk in definitions[name].get("x-kubernetes-group-version-kind", []):
        api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
        key = (api_version, gvk["kind"])
        if key in seen:
            continue
        seen.add(key)
        dispatch.append({
            "if": {
                "properties": {"apiVersion": {"const": api_version}, "kind": {"const": gvk["kind"]}},
                "required": ["apiVersion", "kind"],
            },
            "then": {"$ref": f"#/definitions/{name}"},
        })

schema = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": f"Kubernetes v{version} (strict), from kubernetes-validate {version}",
    "type": "object",
    "required": ["apiVersion", "kind"],
    "allOf": dispatch,
    "definitions": definitions,
}
with open(os.path.join(dest, "dispatch.json"), "w") as f:
    json.dump(schema, f, indent=1)

# The layout of the schemas yaml-language-server's `kubernetes` association downloads.
with open(os.path.join(dest, "_definitions.json"), "w") as f:
    json.dump({"definitions": definitions}, f, indent=1)
names = [r.split("/")[-1] for r in all_refs]
assert all(n in definitions for n in names)
with open(os.path.join(dest, "all.json"), "w") as f:
    json.dump({"oneOf": [{"$ref": f"_definitions.json#/definitions/{n}"} for n in names]}, f, indent=1)
print(f"k8s schema: {len(definitions)} definitions, {len(dispatch)} apiVersion+kind pairs")
PY
rm -rf "$standalone" && mkdir -p "$standalone"
mv "$out/tmp/all.json" "$out/tmp/_definitions.json" "$standalone/"
mv "$out/tmp/dispatch.json" "$schema"
rmdir "$out/tmp"
echo "k8s schema: $out"
