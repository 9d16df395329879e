#!/usr/bin/env bash
# Runs a command with Dudao's test servers up: a real SMTP server (aiosmtpd) and a webhook
# server that checks signatures with its own code. Both listen on 127.0.0.1 on free ports,
# are described to the tests in DUDAO_TEST_* variables, and are stopped by PID on exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/var/test-servers/$$"
rm -rf "$dir" && mkdir -p "$dir/mail" "$dir/hooks"
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  [ -n "${DUDAO_KEEP_TEST_DIR:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT

# A certificate made now, for 127.0.0.1 and localhost, valid one day.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null

smtp_password="test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
python3 "$root/Tests/Servers/smtp_server.py" --dir "$dir/mail" --cert "$dir/cert.pem" --key "$dir/key.pem" \
  --password "$smtp_password" --ready "$dir/smtp.json" >"$dir/smtp.log" 2>&1 &
pids+=($!)
python3 "$root/Tests/Servers/webhook_server.py" --dir "$dir/hooks" --ready "$dir/hooks.json" >"$dir/hooks.log" 2>&1 &
pids+=($!)

for ready in smtp.json hooks.json; do
  for _ in $(seq 1 100); do [ -s "$dir/$ready" ] && break; sleep 0.1; done
  [ -s "$dir/$ready" ] || { echo "test server did not start: $ready" >&2; cat "$dir"/*.log >&2; exit 1; }
done

json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
export DUDAO_TEST_DIR="$dir"
export DUDAO_TEST_CA="$dir/cert.pem"
export DUDAO_TEST_SMTP_USER=dudao
export DUDAO_TEST_SMTP_PASSWORD="$smtp_password"
export DUDAO_TEST_SMTP_STARTTLS_PORT=$(json "$dir/smtp.json" starttls_port)
export DUDAO_TEST_SMTPS_PORT=$(json "$dir/smtp.json" smtps_port)
export DUDAO_TEST_SMTP_MAIL_DIR="$dir/mail"
export DUDAO_TEST_HOOK_PORT=$(json "$dir/hooks.json" port)
export DUDAO_TEST_HOOK_DIR="$dir/hooks"

status=0
"$@" || status=$?
# Every email the tests sent, parsed back with Python's email package.
python3 "$root/Tests/Python/check_all_mail.py" "$dir/mail" || status=1
exit $status
