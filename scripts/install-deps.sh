#!/usr/bin/env bash
# Installs what Pathway needs and is missing: Debian packages with apt-get, front-end
# and test packages with npm from package-lock.json. Quick when nothing is missing.
#   scripts/install-deps.sh run    build and serve
#   scripts/install-deps.sh test   also what the tests need (Chromium, clang for fuzzing)
#   scripts/install-deps.sh bench  also what the benchmarks need (wrk, nginx)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

packages=(build-essential cmake ninja-build pkg-config ccache git
  libboost-dev nlohmann-json3-dev libsqlite3-dev libsodium-dev libspdlog-dev libfmt-dev
  libcli11-dev libkainjow-mustache-dev libcsv-dev libgtest-dev libgmock-dev libbenchmark-dev libabsl-dev
  libroaring-dev libcurl4-openssl-dev libjemalloc-dev)
case "$mode" in
  run) ;;
  test) packages+=(chromium fonts-liberation sqlite3 clang libclang-rt-14-dev) ;;
  bench) packages+=(wrk nginx-light) ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac
# Node.js and npm: any recent install will do; Debian's if there is none.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "Installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi
