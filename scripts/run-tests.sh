#!/usr/bin/env bash
# Every test, in the order that fails fastest: unit tests, the OpenAPI lint, then the
# black-box and browser tests against the real binary (the dev build, with sanitizers).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATHWAY_BIN=${PATHWAY_BIN:-$PWD/build/dev/pathway}

echo "== The release build that make run uses"
cmake --preset release >/dev/null
cmake --build --preset release --target pathway

echo "== Unit and store tests (ctest)"
ctest --preset dev -j2 | tee build/dev/ctest.log
# GoogleTest reports the tests of a suite whose set-up failed as skipped, which ctest
# does not count as failing. Only the seed comparison may skip (outside this workplace,
# where ../shared/seeds does not exist).
if grep -F '***Skipped' build/dev/ctest.log | grep -v 'TestdataCopyMatchesTheSharedSeed'; then
  echo "Tests above were skipped; a skipped test is a test that did not run." >&2
  exit 1
fi

echo "== ThreadSanitizer over the engine and server tests (only the test binary is built)"
cmake --preset tsan >/dev/null
cmake --build --preset tsan
ctest --preset tsan -j2

echo "== OpenAPI document (redocly lint)"
npx --no-install redocly lint --format=stylish api/openapi.json

echo "== Fuzzing every importer briefly (libFuzzer)"
scripts/fuzz.sh

echo "== Black-box and browser tests (node --test)"
node --test --test-reporter=spec tests/blackbox/*.test.mjs tests/browser/*.test.mjs
