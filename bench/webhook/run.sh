#!/usr/bin/env bash
# Load test of `netward serve` over TLS with keep-alive on loopback (wrk, HTTP/1.1 like the API
# server), with realistic Service/NetworkPolicy/Ingress reviews; then the same server answering
# a constant `allowed: true` (--constant-allow), measured in the same run so the ratio holds on
# a noisy machine. Also start-up time to ready and peak resident memory.
#
#   bench/webhook/run.sh [DURATION_SECONDS] [CONNECTIONS]
#
# Prints a Markdown table row per server: netward as deployed (a JSON log line per review),
# netward logging warnings only, and the constant-allow baseline. Needs wrk (apt-get install wrk) and a release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
connections=${2:-64}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
cargo build --release --locked -q -p netward
bin=target/release/netward
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" cert --out "$work" --dns localhost --dns 127.0.0.1 >/dev/null
# The API server sends compact JSON; the examples are indented for people.
reviews=""
for name in service-create-allowed service-create-warned service-create-denied \
  networkpolicy-create-allowed networkpolicy-create-denied networkpolicy-update-unchanged \
  ingress-create-warned; do
  python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1])), separators=(",", ":")))' \
    "examples/admission/$name.json" >"$work/$name.json"
  reviews="$reviews $work/$name.json"
done
export REVIEWS="$reviews"

now_ms() { date +%s%3N; }

run() { # label, extra serve flags...
  local label=$1; shift
  local port=18443 admin=18080
  local started; started=$(now_ms)
  "$bin" serve --listen 127.0.0.1:$port --admin-listen 127.0.0.1:$admin \
    --tls-cert "$work/tls.crt" --tls-key "$work/tls.key" "$@" 2>"$work/$label.log" &
  local pid=$!
  until curl -sf "http://127.0.0.1:$admin/readyz" >/dev/null; do sleep 0.005; done
  local ready_ms=$(( $(now_ms) - started ))
  local logged_ms; logged_ms=$(grep -m1 '"ready"' "$work/$label.log" | sed 's/.*"startup_ms":\([0-9]*\.[0-9]\).*/\1/' || true)
  wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/webhook/reviews.lua \
    "https://localhost:$port/validate" >"$work/$label.wrk"
  local rss_kb; rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$label.wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$work/$label.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$label.wrk")
  errors=$(grep -E "Non-2xx|Socket errors" "$work/$label.wrk" | tr -s ' ' | paste -sd';' - || true)
  printf '| %s | %s | %s | %s | %s MB | %s ms (%s ms in-process) | %s |\n' \
    "$label" "$rps" "$p50" "$p99" "$(( rss_kb / 1024 ))" "$ready_ms" "${logged_ms:--}" "${errors:-none}"
  echo "$rps" >"$work/$label.rps"
}

echo "| server | reviews/s | p50 | p99 | peak RSS | start-up to ready | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
run netward
run netward-quiet --log warn
run constant-allow --constant-allow
awk -v a="$(cat "$work/netward.rps")" -v b="$(cat "$work/constant-allow.rps")" \
  'BEGIN { printf "\nnetward / constant allow: %.1f %%\n", 100 * a / b }'
