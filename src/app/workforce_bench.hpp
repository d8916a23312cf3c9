// The workforce engine's benchmark (`pathway bench`), its SQL reference answers and a
// synthetic workforce to run it on until the demo generator can fill one.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "engine/queries.hpp"
#include "store/database.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

// The shape of a synthetic workforce; the defaults are DESIGN.md's scale.
struct SyntheticShape {
  std::int64_t people = 500'000;
  int professions = 28;
  int departments = 20;
  int items = 300;
  int role_levels = 2000;  // rounded down to whole ladders of 5 levels
  int requirements_per_role_level = 12;
  int items_per_person = 25;   // each assessed once or twice (~30 ledger rows a person)
  double vacant_share = 0.05;  // vacant posts as a share of people
  // Leave some attributes unknown (no grade, location, profession, post) for tests.
  bool with_unknowns = false;
};

// Fills a migrated, empty database with a random workforce in one transaction, with
// plain SQL INSERTs into the migration-5 tables. Deterministic for a seed.
// kUnavailable if SQLite fails.
Status FillSyntheticWorkforce(store::Database& db, const SyntheticShape& shape, std::uint64_t seed);

// The same questions as engine::Match / ClosestToReady / MapCapability, answered by
// SQLite from the ledger with straightforward SQL. The filters and requirements must
// be valid (check them with the engine first). Person ids with scores, best first.
struct SqlRanked {
  std::int64_t person_id = 0;
  int score = 0;
  int gap = 0;
};
Result<std::vector<SqlRanked>> SqlMatch(store::Database& db, const engine::MatchQuery& query,
                                        bool closest_to_ready);
// Cells keyed by labels, in any order; cells with no people and no posts omitted.
struct SqlCell {
  std::string row;
  std::string column;
  std::int64_t headcount = 0;
  std::int64_t meeting = 0;
  std::int64_t level_sum = 0;
  std::int64_t demand_filled = 0;
  std::int64_t demand_vacant = 0;
};
Result<std::vector<SqlCell>> SqlCapabilityMap(store::Database& db,
                                              const engine::CapabilityQuery& query);

struct BenchOptions {
  bool baseline = true;  // also time the SQL reference answers (slow)
  int runs = 50;         // engine runs per scenario; the median is reported
  // Print the exact questions asked (query_* lines: requirement sets as item_ref ids,
  // filters as store codes) so peers (bench/peer_duckdb.mjs) ask the same ones.
  bool print_query = false;
};

// Runs benchmark `scenario` ("all", "load", "match", "match_all", "closest", "capmap",
// "routes", "bandwidth", "memory", or a comma-separated list such as "match,capmap") over the
// workforce in `db` and writes one key=value line per scenario to `out`. kInvalidInput for an
// unknown scenario or an empty workforce.
Status RunWorkforceBench(store::Database& db, std::string_view scenario, std::ostream& out);
Status RunWorkforceBench(store::Database& db, std::string_view scenario, std::ostream& out,
                         const BenchOptions& options);

}  // namespace pathway::app
