#!/usr/bin/env bash
# DuckDB (2 threads) as a peer of the workforce engine: asks `pathway bench`'s match and
# capability-map questions of DuckDB over the same SQLite database (exported to CSV once,
# next to the database) and prints
#   peer=duckdb scenario=match median_ms=X engine_median_ms=Y ratio=X/Y same_answer=1
# Needs node, the sqlite3 CLI and @duckdb/node-api, which this script installs from npm
# into bench/peer/node_modules on first use (the package ships DuckDB's engine). It is
# kept out of the project's package.json because its lock file would have to list
# platform packages the local npm mirror does not carry, which breaks `npm ci`.
#
#   bench/peer_duckdb.sh [DB] [PATHWAY_BINARY] [--runs N] [--engine-runs N] [--csv DIR]
#
# Without DB, it uses (and on first use creates) the 500,000-person demo
# build/bench/demo500k.db.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-build/bench/demo500k.db}
pathway=${2:-build/release/pathway}
shift $(( $# < 2 ? $# : 2 ))
if [[ ! -x "$pathway" ]]; then
  cmake --preset release >/dev/null && cmake --build --preset release --target pathway
fi
if [[ ! -f "$db" ]]; then
  mkdir -p "$(dirname "$db")"
  "$pathway" demo --db "$db" --people 500000 --seed 1 >/dev/null
fi
if [[ ! -d bench/peer/node_modules/@duckdb/node-api ]]; then
  npm install --prefix bench/peer --no-audit --no-fund --no-package-lock --loglevel=error
fi
exec node bench/peer/peer_duckdb.mjs --db "$db" --bench "$pathway" "$@"
