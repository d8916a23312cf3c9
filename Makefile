# The two commands a newcomer needs: `make run` and `make test`. Everything else here
# is what they are built from. CMake presets do the building (CMakePresets.json).
SHELL := /bin/bash
DB ?= pathway.db
LISTEN ?= 127.0.0.1:8080
# People in the demo workforce `make run` creates: small enough to start in seconds.
DEMO_PEOPLE ?= 2000
# The key that encrypts vetting case notes: kept next to the database, never in it.
VETTING_KEY ?= $(DB).vetting-key
# The departments' passport signing keys (DEPARTMENT.key, mode 0600): beside the database,
# where the server looks for them.
PASSPORT_KEYS ?= $(DB).passport-keys

.PHONY: run test deps deps-test deps-bench release dev unit bench format clean

# On first run, creates a demo database, a vetting key and the demo departments' passport
# signing keys (mode 0600) beside it; the server prints its sign-ins at start.
run: release
	@test -f $(DB) || ./build/release/pathway demo --db $(DB) --people $(DEMO_PEOPLE) > /dev/null
	@test -f $(VETTING_KEY) || ./build/release/pathway vetting keygen --out $(VETTING_KEY) > /dev/null
	@test -d $(PASSPORT_KEYS) || { mkdir -m 700 $(PASSPORT_KEYS) && for d in DWP HMRC; do \
	  ./build/release/pathway passport keygen --db $(DB) --department $$d --out $(PASSPORT_KEYS)/$$d.key > /dev/null || exit 1; done; }
	./build/release/pathway serve --db $(DB) --listen $(LISTEN) --vetting-key $(VETTING_KEY) \
	  --passport-keys $(PASSPORT_KEYS)

test: dev
	scripts/run-tests.sh

deps:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test

deps-bench:
	@scripts/install-deps.sh bench

release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release --target pathway

dev: deps-test
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev

# Unit tests only: the quick loop while coding.
unit: dev
	ctest --preset dev

bench: deps-bench
	@cmake --preset release >/dev/null
	@cmake --build --preset release
	bench/http.sh
	build/release/pathway_bench_search_bench
	build/release/pathway_bench_filter_bench

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
