#!/usr/bin/env bash
# The webhook from the outside, as an operator would poke it: `netward cert`, `netward serve`,
# then curl --cacert against every bundled AdmissionReview over HTTP/1.1 and HTTP/2, the
# admin port, a TLS 1.1 client, plain HTTP on the TLS port, and SIGTERM.
#
#   scripts/webhook-smoke.sh [NETWARD_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/netward}
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "webhook smoke test: $*" >&2; [ -f "$work/serve.log" ] && tail -5 "$work/serve.log" >&2; exit 1; }

"$bin" cert --out "$work" --dns localhost --dns 127.0.0.1 >/dev/null
"$bin" serve --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
  --tls-cert "$work/tls.crt" --tls-key "$work/tls.key" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 200); do grep -q '"ready"' "$work/serve.log" 2>/dev/null && break; sleep 0.05; done
ready=$(grep -m1 '"ready"' "$work/serve.log") || fail "never ready"
listen=$(sed 's/.*"listen":"\([^"]*\)".*/\1/' <<<"$ready")
admin=$(sed 's/.*"admin_listen":"\([^"]*\)".*/\1/' <<<"$ready")
url="https://localhost:${listen##*:}/validate"

reviews=0
for review in examples/admission/*.json; do
  for version in --http1.1 --http2; do
    out=$(curl -sS --cacert "$work/ca.crt" "$version" -H 'Content-Type: application/json' \
      --data-binary @"$review" -w '\n%{http_code} %{http_version}' "$url") || fail "curl $review"
    status=$(tail -1 <<<"$out")
    body=$(head -n -1 <<<"$out")
    expected_version=$([ "$version" = --http2 ] && echo 2 || echo 1.1)
    [ "$status" = "200 $expected_version" ] || fail "$review ($version): $status"
    uid=$(grep -o '"uid": *"[^"]*"' "$review" | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
    grep -q "\"uid\":\"$uid\"" <<<"$body" || fail "$review: uid not echoed"
    case "$review" in
      *denied*|*dry-run*) grep -q '"allowed":false' <<<"$body" || fail "$review: not denied" ;;
      *) grep -q '"allowed":true' <<<"$body" || fail "$review: not allowed" ;;
    esac
    reviews=$((reviews + 1))
  done
done

curl -sf "http://$admin/readyz" >/dev/null || fail "/readyz"
curl -sf "http://$admin/metrics" | grep -q 'netward_admission_reviews_total{kind="Service",operation="CREATE",decision="denied"}' \
  || fail "/metrics has no denial count"
if curl -s --cacert "$work/ca.crt" --tlsv1.1 --tls-max 1.1 "$url" -o /dev/null 2>/dev/null; then
  fail "a TLS 1.1 client was served"
fi
plain=$(curl -s -w ' %{http_code}' --data '{}' "http://127.0.0.1:${listen##*:}/validate") || true
[[ "$plain" == *"speaks TLS"*" 400" ]] || fail "plain HTTP on the TLS port: $plain"

kill -TERM "$pid"
wait "$pid" || fail "serve exited with $? after SIGTERM"
pid=""
grep -q '"stopped"' "$work/serve.log" || fail "no 'stopped' log line"
echo "webhook smoke test: $reviews reviews over HTTP/1.1 and HTTP/2, admin port, TLS 1.1 refused, plain HTTP answered, clean SIGTERM"
