#!/usr/bin/env bash
# Builds every libFuzzer target in src/*/fuzz/ with clang and runs each briefly on its
# corpus (src/*/fuzz/corpus/<name>/). A crash, leak or sanitizer report fails the run.
#   FUZZ_SECONDS=10 scripts/fuzz.sh      (seconds per target; default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-10}
out=build/fuzz
mkdir -p "$out/obj"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  -Isrc -DPATHWAY_SOURCE_DIR="\"$PWD\"" -DPATHWAY_VERSION="\"fuzz\"")
# The layers importers use: domain and interchange, without their tests.
objects=()
for source in src/domain/*.cpp src/interchange/*.cpp; do
  [[ $source == *_test.cpp ]] && continue
  object="$out/obj/$(basename "${source%.cpp}").o"
  if [[ ! -f $object || $source -nt $object ]] || grep -q . <(find src -name '*.hpp' -newer "$object" | head -1); then
    clang++ "${flags[@]}" -c "$source" -o "$object"
  fi
  objects+=("$object")
done
status=0
for target in src/*/fuzz/*_fuzz.cpp; do
  name=$(basename "${target%_fuzz.cpp}")
  binary="$out/$name"
  clang++ "${flags[@]}" -fsanitize=fuzzer "$target" "${objects[@]}" -lcsv -lsodium -lfmt \
    -labsl_raw_hash_set -labsl_hash -labsl_city -labsl_low_level_hash -o "$binary"
  corpus_dir=$(dirname "$target")/corpus/$name
  work="$out/corpus-$name"
  rm -rf "$work" && mkdir -p "$work"
  echo "fuzz: $name for ${seconds}s"
  if ! "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
      "$work" "$corpus_dir" > "$out/$name.log" 2>&1; then
    echo "fuzz: $name FAILED; see $out/$name.log"; tail -30 "$out/$name.log"; status=1
  else
    echo "fuzz: $name ok ($(grep -c . "$out/$name.log") log lines)"
  fi
done
exit $status
