// Loads the workforce from SQLite into the engine's build input, fast: reference data
// first, then people, then the whole assessment ledger in primary-key order with one
// statement reading integer columns only, folded into current levels as it streams.
// Also loads the same input for a few people, to bring an index up to date.
// This is the one place store/ depends on engine/ (its plain input types and builder).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "domain/result.hpp"
#include "engine/snapshot.hpp"
#include "engine/workforce_input.hpp"
#include "store/database.hpp"

namespace pathway::store {

struct WorkforceLoadStats {
  std::int64_t people = 0;
  std::int64_t assessments = 0;          // ledger rows read
  std::int64_t skipped_assessments = 0;  // naming unknown people or items (none if the
                                         // foreign keys hold)
  double reference_seconds = 0;
  double people_seconds = 0;
  double assessment_seconds = 0;
  double build_seconds = 0;
  int ledger_threads = 0;  // 2 when the ledger was read over two connections
};

// Items, professions, departments, role levels with requirements, posts.
Result<engine::ReferenceInput> LoadWorkforceReference(Database& db);

// A snapshot of the whole workforce as of one read transaction on `db`. When `db` is a
// file, the ledger is read by two threads, the second over its own read-only
// connection at the same WAL snapshot (checked with PRAGMA data_version; otherwise one
// thread reads it all). `stats`, if
// given, receives counts and timings. kUnavailable if SQLite fails; kInvalidInput if
// the rows break the engine's limits (for example more than 65,535 items).
Result<std::shared_ptr<const engine::Snapshot>> LoadWorkforceSnapshot(
    Database& db, WorkforceLoadStats* stats = nullptr);

// What the index holds about the people with store ids `person_ids`, as
// LoadWorkforceSnapshot reads it for everyone, in one read transaction: ids with no
// person row in `removed`, the others' records in `people` (by id) and their whole
// ledger in ledger order. For Index::ReplacePeople after those people changed (see
// store/workforce_change.hpp). Duplicate ids are ignored. Call it outside a
// transaction. kUnavailable if SQLite fails.
Result<engine::PeopleReplacement> LoadWorkforcePeople(Database& db,
                                                      std::span<const std::int64_t> person_ids);

}  // namespace pathway::store
