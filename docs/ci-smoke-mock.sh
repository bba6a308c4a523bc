#!/bin/sh
# A CI smoke push that needs no Apple credentials: starts `apnsctl mock` on 127.0.0.1, pushes one notification
# to it with a throwaway key, and fails unless the report says "delivered". docs/ci-smoke-push.md runs it in a
# GitHub Actions and a GitLab CI job after installing the .deb (which ships it as
# /usr/share/doc/apnsctl/examples/ci-smoke-mock.sh); `make dist-check` runs it against the .deb's binary.
# Needs apnsctl (or $APNSCTL) and openssl (for the throwaway key). Exit status 0 when the push was delivered.
set -eu
apnsctl=${APNSCTL:-apnsctl}
work=$(mktemp -d)
mock=""
cleanup() {
    [ -n "$mock" ] && kill "$mock" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$apnsctl" --version

# A throwaway P-256 key in Apple's .p8 format; the mock checks the provider tokens signed with it.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/AuthKey_SMOKE12345.p8" 2>/dev/null

"$apnsctl" mock --listen 127.0.0.1:0 --port-file "$work/port" --write-ca "$work/ca.pem" \
    --auth-key "$work/AuthKey_SMOKE12345.p8" --key-id SMOKE12345 --team-id TEAM123456 &
mock=$!
i=0
while [ ! -s "$work/port" ]; do
    i=$((i + 1))
    [ $i -le 100 ] || { echo "smoke: apnsctl mock did not start" >&2; exit 1; }
    sleep 0.1
done

status=0
"$apnsctl" send --device "$(printf 'ab%062d' 1)" --payload '{"aps":{"alert":"CI smoke push"}}' \
    --topic com.example.smoke --key "$work/AuthKey_SMOKE12345.p8" --key-id SMOKE12345 --team-id TEAM123456 \
    --endpoint "127.0.0.1:$(cat "$work/port")" --ca-file "$work/ca.pem" \
    --report "$work/report.jsonl" --summary-json "$work/summary.json" || status=$?

cat "$work/report.jsonl"
if [ "$status" -ne 0 ] || ! grep -q '"outcome":"delivered"' "$work/report.jsonl"; then
    echo "smoke: the push was not delivered (exit status $status)" >&2
    exit 1
fi
echo "smoke: delivered to apnsctl mock; the build that sent it: $(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' "$work/summary.json")"
