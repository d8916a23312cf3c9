// The engine's questions (match, closest to ready, capability map) answered by SQLite
// with straightforward SQL over the store's tables: the reference the property test
// checks the engine against and the baseline `pathway bench` times. Also a synthetic
// workforce filler for benchmarks and tests of any size. Not used to serve requests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/result.hpp"
#include "engine/queries.hpp"
#include "store/database.hpp"

namespace pathway::store {

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
Status FillSyntheticWorkforce(Database& db, const SyntheticShape& shape, std::uint64_t seed);

// The same questions as engine::Match / ClosestToReady / MapCapability, answered by
// SQLite from the ledger with straightforward SQL. The filters and requirements must
// be valid (check them with the engine first). Person ids with scores, best first.
struct SqlRanked {
  std::int64_t person_id = 0;
  int score = 0;
  int gap = 0;
};
// Where the SQL reference reads current levels: the ledger, applying the rule (latest
// confirming assessment, else latest self-assessment) in each question, or the table of
// current levels that EnsureCurrentLevelTable computed once, indexed by item and by
// person (what the engine's index holds; the fairest question for a SQL engine).
enum class LevelSource { kLedger, kCurrentLevelTable };
Result<std::vector<SqlRanked>> SqlMatch(Database& db, const engine::MatchQuery& query,
                                        bool closest_to_ready,
                                        LevelSource source = LevelSource::kLedger);
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
Result<std::vector<SqlCell>> SqlCapabilityMap(Database& db, const engine::CapabilityQuery& query,
                                              LevelSource source = LevelSource::kLedger);

// Creates, on this connection only, the TEMP table current_level (item_ref_id,
// person_id, level), one row per person and assessed item, keyed by item then person
// and indexed by person, from the ledger; nothing if it exists already. For
// LevelSource::kCurrentLevelTable (benchmarks and tests). kUnavailable if SQLite fails.
Status EnsureCurrentLevelTable(Database& db);

// The by-item index on the assessment ledger that the SQL reference needs to answer in
// seconds rather than minutes. The application does not read the ledger by item, so the
// schema does not carry it; benchmarks create it once. kUnavailable if SQLite fails.
Status EnsureAssessmentItemIndex(Database& db);

}  // namespace pathway::store
