#!/usr/bin/env bash
# Creates bench/nca/.venv with IBM's network-config-analyzer (NCA), for compare.py.
# Idempotent: does nothing when the venv already has the pinned version.
set -euo pipefail
NCA_VERSION=2.1.0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"

if [ -x "$venv/bin/nca" ] && [ "$("$venv/bin/python" -m pip show network-config-analyzer 2>/dev/null \
      | sed -n 's/^Version: //p')" = "$NCA_VERSION" ]; then
  echo "NCA $NCA_VERSION already installed in $venv"
  exit 0
fi

python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "network-config-analyzer==$NCA_VERSION"
"$venv/bin/nca" --version
echo "NCA $NCA_VERSION installed in $venv; run: $venv/bin/python $here/compare.py --help"
