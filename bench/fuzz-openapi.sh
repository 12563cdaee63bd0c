#!/usr/bin/env bash
# Stateful fuzz run of the published OpenAPI with Schemathesis (PyPI), against govflow as `npm start` runs it
# on its embedded defaults in a scratch data folder, compiled (`npm run build`, then node on dist/), rate limit
# lifted, all on loopback. Two runs: with the local admin token (every route reachable) and without one (every
# private route must answer a documented 401).
# Checks: no 5xx (not_a_server_error), no status code the document does not declare (status_code_conformance),
# answers of the declared content type and schema (content_type_conformance, response_schema_conformance), and
# 405 with a correct Allow header for methods a path does not take (unsupported_method, allow_header_conformance).
# Bounded: a number of examples per operation, a timeout per request, and the whole run stops by itself.
#   bash bench/fuzz-openapi.sh [max-examples-per-operation, default 25]
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES=${1:-25}
SCHEMATHESIS=4.32.5
venv=.tools/fuzz-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS"
fi

data=$(mktemp -d)
port=3917
export DATA_DIR=$data PORT=$port TEMPORAL_DEV_PORT=7917 TEMPORAL_UI_PORT=8917 EMBEDDED_DB_PORT=54917
export API_RATE_LIMIT_PER_MINUTE=100000000 LOG_LEVEL=warn
npm run -s build >/dev/null
node dist/scripts/start.js >"$data/start.log" 2>&1 &
stack=$!
stop() {
  kill -INT "$stack" 2>/dev/null || true
  wait "$stack" 2>/dev/null || true
  rm -rf "$data"
}
trap stop EXIT

for _ in $(seq 1 180); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$data/start.log"; exit 1; }
token=$(cat "$data/admin-token")

run() {
  local name=$1
  shift
  echo "== schemathesis: $name (max $EXAMPLES examples per operation)"
  timeout 1200 "$venv/bin/schemathesis" run "http://127.0.0.1:$port/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,unsupported_method,allow_header_conformance \
    --max-examples "$EXAMPLES" --request-timeout 30 --seed 20261202 --continue-on-failure \
    --report junit --report-junit-path "${REPORT_DIR:-/tmp}/govflow-fuzz-$name.xml" \
    "$@"
}

status=0
run with-token -H "Authorization: Bearer $token" || status=1
run without-token || status=1
exit $status
