#!/usr/bin/env bash
# Latency while the engine's index is rebuilt: do /healthz and a match keep answering?
#
#   bench/rebuild.sh COPY.db [PATHWAY]
#
# COPY.db must be a copy you may change (it gains a bench user and token, and the
# server migrates it if needed), for example of the 500,000-person demo:
#   sqlite3 demo.db ".backup /tmp/e500k.db"   (copy DB.audit-key and DB.audit-head too,
#                                               if the demo has them)
# PATHWAY defaults to build/release/pathway. The script starts `PATHWAY serve` on the copy
# (the first, blocking load of the index happens before it listens), then runs two wrk
# loads side by side for BENCH_SECONDS (default 25): GET /healthz and POST /api/v1/match
# (an administrator's API token, the first role level's requirements, k=10), 2
# connections each. TRIGGER_AT seconds (default 3) into the loads it commits a full
# change to the workforce change log from another process (what a change of reference
# data does), so the server's next query must rebuild the whole index. The loads last
# long enough to cover the rebuild (the script prints how long the first load took:
# BENCH_SECONDS should exceed TRIGGER_AT plus that). TRIGGER_AT=never measures the same
# loads without a rebuild, as a control on a busy machine.
#
# Output, key=value lines:
#   bench=rebuild first_load_s=N         the server's start-up load of the index
#   bench=rebuild target=healthz|match requests=N p50_ms=N p99_ms=N max_ms=N
#   bench=rebuild target=... p99_target_ms=50 meets_target=yes|no
#   bench=rebuild rebuild_log=...        the server's own line about the rebuild, if it
#                                        logs one (a background rebuild does)
# Run it once with a binary that rebuilds in place (stop the world) and once with one
# that rebuilds in the background to compare.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
db=${1:?usage: bench/rebuild.sh COPY.db [PATHWAY]}
pathway_bin=${2:-${PATHWAY_BIN:-$root/build/release/pathway}}
seconds=${BENCH_SECONDS:-25}
trigger_at=${TRIGGER_AT:-3}

for tool in wrk curl sqlite3 python3 "$pathway_bin"; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "bench/rebuild.sh: $tool is missing" >&2
    exit 1
  }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pathway-rebuild.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

email="rebuild-bench-$$@example.gov.uk"
echo "bench-password-$$-long-enough" |
  "$pathway_bin" user add --db "$db" --root "$root" --email "$email" --name "Rebuild Bench" \
    --role admin >"$tmp/user.out" 2>&1 || { cat "$tmp/user.out" >&2; exit 1; }
token=$("$pathway_bin" token create --db "$db" --root "$root" --email "$email" --name bench 2>"$tmp/token.err" |
  grep -oE '[A-Za-z0-9_-]{20,}' | tail -1)
[[ -n $token ]] || { echo "bench/rebuild.sh: no token" >&2; cat "$tmp/token.err" >&2; exit 1; }
role_level=$(sqlite3 "$db" "SELECT code FROM role_level r WHERE EXISTS (SELECT 1 FROM role_requirement q WHERE q.role_level_id = r.id) ORDER BY code LIMIT 1")

start=$(date +%s.%N)
"$pathway_bin" serve --db "$db" --listen 127.0.0.1:0 --root "$root" >"$tmp/serve.out" 2>"$tmp/serve.err" &
pids+=($!)
server_pid=$!
port=
for ((i = 0; i < 6000; i++)); do
  if [[ $(cat "$tmp/serve.err") =~ listening\ on\ http://127\.0\.0\.1:([0-9]+) ]]; then
    port=${BASH_REMATCH[1]}
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[[ -n $port ]] || { echo "bench/rebuild.sh: the server did not start" >&2; cat "$tmp/serve.err" >&2; exit 1; }
base=http://127.0.0.1:$port
first_load=$(python3 -c "import time; print(round(time.time() - $start, 1))")
echo "bench=rebuild first_load_s=$first_load"

body="{\"role_level\":\"$role_level\",\"k\":10}"
code=$(curl -s -o "$tmp/match.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' --data "$body" "$base/api/v1/match")
[[ $code == 200 ]] || { echo "bench/rebuild.sh: the match answered $code" >&2; cat "$tmp/match.json" >&2; exit 1; }

cat >"$tmp/match.lua" <<EOF
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
EOF
wrk -t1 -c2 -d"${seconds}s" --timeout 60s --latency "$base/healthz" >"$tmp/healthz.out" 2>&1 &
healthz_pid=$!
wrk -t1 -c2 -d"${seconds}s" --timeout 60s --latency -s "$tmp/match.lua" "$base/api/v1/match" \
  >"$tmp/match.out" 2>&1 &
match_pid=$!
if [[ $trigger_at != never ]]; then
  sleep "$trigger_at"
  # A full change, as BumpWorkforceGeneration writes it, from another process.
  sqlite3 "$db" "BEGIN IMMEDIATE;
UPDATE workforce_change SET generation = generation + 1 WHERE id = 1;
INSERT INTO workforce_change_log (generation, person_id) SELECT generation, NULL FROM workforce_change WHERE id = 1;
COMMIT;"
fi
wait "$healthz_pid" "$match_pid"

# wrk prints latencies as 12.34us, 5.67ms or 1.23s; in ms.
ms() { python3 -c "import re,sys; v=sys.argv[1]; n=float(re.match(r'[0-9.]+',v).group()); print(round(n/1000 if v.endswith('us') else n*1000 if v.endswith('s') and not v.endswith('ms') else n*60000 if v.endswith('m') else n, 2))" "$1"; }
for target in healthz match; do
  out=$tmp/$target.out
  requests=$(awk '/requests in/ { print $1 }' "$out")
  p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  max=$(ms "$(awk '$1 == "Latency" { print $4 }' "$out")")
  echo "bench=rebuild target=$target requests=$requests p50_ms=$p50 p99_ms=$p99 max_ms=$max"
  meets=$(python3 -c "print('yes' if $p99 < 50 else 'no')")
  echo "bench=rebuild target=$target p99_target_ms=50 meets_target=$meets"
  if grep -q 'Non-2xx\|Socket errors' "$out"; then
    echo "bench=rebuild target=$target warning=$(grep -E 'Non-2xx|Socket errors' "$out" | tr ' ' '_')"
  fi
done
grep -i 'rebuilt' "$tmp/serve.err" 2>/dev/null | sed 's/^/bench=rebuild rebuild_log=/' | tr -s ' ' '_' || true
