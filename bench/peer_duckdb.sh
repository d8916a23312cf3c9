#!/usr/bin/env bash
# DuckDB (2 threads) as a peer of the workforce engine: asks the engine bench's match and
# capability-map questions of DuckDB over the same SQLite database (exported to CSV once,
# next to the database) and prints
#   peer=duckdb scenario=match median_ms=X engine_median_ms=Y ratio=X/Y same_answer=1
# Needs node, the sqlite3 CLI and the devDependency @duckdb/node-api (npm install; the
# package ships DuckDB's engine, nothing is downloaded at run time).
#
#   bench/peer_duckdb.sh [DB] [BENCH_BINARY] [--runs N] [--engine-runs N] [--csv DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-build/eng-rel/data/wf500k.db}
bench=${2:-build/eng-rel/pathway_bench_workforce_bench}
shift $(( $# < 2 ? $# : 2 ))
if [[ ! -f "$db" ]]; then
  echo "no database at $db (fill one: $bench --db $db --fill 500000 load)" >&2
  exit 2
fi
exec node bench/peer_duckdb.mjs --db "$db" --bench "$bench" "$@"
