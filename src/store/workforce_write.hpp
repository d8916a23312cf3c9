// Bulk writes of the workforce: upserts keyed by code or external id, used by the CSV
// import and the demo generator. Each function writes within the caller's transaction
// (the caller begins and commits it, so a whole file lands or nothing does) and
// resolves the codes a record names to row ids; a code that names nothing is
// kInvalidInput with `field` set to the record's index and column, for example
// "rows[12].department". Callers validate records first (interchange/ does for files),
// so these errors are a last line of defence, not the user's report.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "domain/result.hpp"
#include "domain/workforce.hpp"
#include "store/database.hpp"

namespace pathway::store {

using domain::Result;
using domain::Status;

// Called after every `every` rows with the number written so far, for progress bars.
struct WriteProgress {
  std::int64_t every = 10'000;
  std::function<void(std::int64_t written)> report;
};

// How many rows an upsert inserted, updated, and found already as stored. Only
// UpsertPeople tells unchanged rows apart; the others count them as updated.
struct UpsertCounts {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
};

Result<UpsertCounts> UpsertDepartments(Database& db, std::span<const domain::Department> rows);
// Units may name a parent unit earlier or later in `rows`, or already stored.
Result<UpsertCounts> UpsertUnits(Database& db, std::span<const domain::Unit> rows);
Result<UpsertCounts> UpsertLocations(Database& db, std::span<const domain::Location> rows);

Result<UpsertCounts> UpsertProfessions(Database& db, std::span<const domain::Profession> rows);
Result<UpsertCounts> UpsertJobFamilies(Database& db, std::span<const domain::JobFamily> rows);
Result<UpsertCounts> UpsertCareerRoles(Database& db, std::span<const domain::CareerRole> rows);
// Replaces each level's requirements and statements with those in the record. Items
// are framework item UUIDs; each is added to item_ref if it is not there yet.
Result<UpsertCounts> UpsertRoleLevels(Database& db, std::span<const domain::RoleLevel> rows);

Result<UpsertCounts> UpsertPosts(Database& db, std::span<const domain::Post> rows,
                                 const WriteProgress& progress = {});
struct PeopleUpsertOptions {
  WriteProgress progress;
  // The caller has refused line-management loops among the stored people with `rows`
  // laid over them, within the same transaction (app/ does, to report each loop at
  // its line): the upsert does not look for them again.
  bool loops_checked = false;
  // If set, receives the ids of the people inserted or updated (not the unchanged), for
  // the change log that keeps in-memory indexes current (store/workforce_change.hpp).
  std::vector<std::int64_t>* changed_ids = nullptr;
};
// People may name a line manager earlier or later in `rows`, or already stored.
// Refuses (kInvalidInput) a line-management cycle among the stored and new records,
// unless options.loops_checked. Writes only what differs from the stored row (an
// UPDATE of the changed columns, the difference of other professions) and counts a
// person whose stored record is already the same as unchanged.
Result<UpsertCounts> UpsertPeople(Database& db, std::span<const domain::Person> rows,
                                  const WriteProgress& progress = {});
Result<UpsertCounts> UpsertPeople(Database& db, std::span<const domain::Person> rows,
                                  const PeopleUpsertOptions& options);

// Appends to the assessment ledger; each gets the next `seq` for its person and item.
Result<std::int64_t> AppendAssessments(Database& db, std::span<const domain::Assessment> rows,
                                       const WriteProgress& progress = {});

// Replaces the community of every profession named in `rows` with the rows for it:
// other professions' contacts are left alone. A departmental head names a department;
// a head of profession does not.
Result<UpsertCounts> ReplaceProfessionContacts(Database& db,
                                               std::span<const domain::ProfessionContact> rows);

}  // namespace pathway::store
