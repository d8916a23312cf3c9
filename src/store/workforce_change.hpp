// The workforce change counter (migration 7) and its log (migration 8): one number that
// grows with every committed write to the workforce, so that a server can tell cheaply
// whether its in-memory index (engine/) is behind the database, whichever process
// wrote; and, for each generation, what changed: either some people (their records or
// their assessments), or anything else, which needs a full reload. Writers call one of
// the Bump functions once inside their write transaction; readers compare
// WorkforceGeneration with the generation their index was loaded at, and ask
// WorkforceChangesSince what to reload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "domain/result.hpp"
#include "domain/workforce.hpp"
#include "store/database.hpp"

namespace pathway::store {

// How many of the latest generations the log keeps. A reader further behind reloads
// everything.
inline constexpr std::int64_t kLoggedGenerations = 1000;
// A bump for more people than this is logged as a full change, and so is a reader more
// than this many people behind: it bounds the log's size and the time a reader spends
// catching up by it (well under a full reload's).
inline constexpr std::size_t kMaxLoggedPeople = 20'000;

// Adds one to the generation and logs it as a full change. Call it inside the
// transaction of every write to posts, role levels and their requirements, item
// references, professions, departments, units and locations (and of any write whose
// people cannot be listed), so that the bump commits (or rolls back) with the write.
// One bump per transaction, not per row: call it once per batch.
Status BumpWorkforceGeneration(Database& db);

// Adds one to the generation and logs that only the people with store ids `person_ids`
// changed: their person rows (inserted, updated or deleted) or their assessments. Call
// it instead of BumpWorkforceGeneration, in the same transaction, after the write.
// Duplicates are ignored; more than kMaxLoggedPeople distinct ids log a full change.
// An empty list changes nothing: the generation stays as it is.
Status BumpWorkforceGenerationForPeople(Database& db, std::span<const std::int64_t> person_ids);

// The same for people named by external id (as an import has them), looked up in the
// transaction after the write; external ids that name nobody are ignored.
Status BumpWorkforceGenerationForPeople(Database& db, std::span<const domain::Person> people);

// The current generation: 1 on a new database, growing by one per bump. One indexed
// read of a one-row table. kUnavailable if SQLite fails (for example before migration 7).
Result<std::int64_t> WorkforceGeneration(Database& db);

// What changed after a generation a reader loaded at.
struct WorkforceChanges {
  std::int64_t generation = 0;  // the current generation, read with the log
  // True when only a full reload brings a reader at `since` up to date: some generation
  // changed more than people, or has no log (a writer that only moved the counter), the
  // reader is older than the log keeps, or more than kMaxLoggedPeople people changed in
  // all.
  bool full = false;
  std::vector<std::int64_t> people;  // when not full: the ids, sorted and distinct
};

// The changes after generation `since` (the one a reader loaded at), with the current
// generation, read in one statement so that the two agree. Not an error if nothing
// changed (generation == since, no people). kUnavailable if SQLite fails (for example
// before migration 8).
Result<WorkforceChanges> WorkforceChangesSince(Database& db, std::int64_t since);

}  // namespace pathway::store
