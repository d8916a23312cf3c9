#include "store/workforce_change.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>

namespace pathway::store {
namespace {

// Adds one to the generation, forgets the generations the log no longer keeps, and
// returns the new generation.
Result<std::int64_t> Advance(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto bump,
      db.Prepare("UPDATE workforce_change SET generation = generation + 1 WHERE id = 1"));
  PATHWAY_TRY(bump.Run());
  PATHWAY_ASSIGN_OR_RETURN(const std::int64_t generation, WorkforceGeneration(db));
  PATHWAY_ASSIGN_OR_RETURN(auto prune,
                           db.Prepare("DELETE FROM workforce_change_log WHERE generation <= ?"));
  prune.Bind(1, generation - kLoggedGenerations);
  PATHWAY_TRY(prune.Run());
  return generation;
}

Status LogFull(Database& db, std::int64_t generation) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto log,
      db.Prepare("INSERT INTO workforce_change_log (generation, person_id) VALUES (?, NULL)"));
  log.Bind(1, generation);
  return log.Run();
}

// Logs `ids` (distinct) for a new generation, or a full change if there are too many.
// Every generation gets at least one row, so that a reader can tell the generations of
// a writer that moved the counter without logging (and reload everything for them).
Status BumpFor(Database& db, std::vector<std::int64_t> ids) {
  if (ids.empty()) return domain::Ok{};
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  PATHWAY_ASSIGN_OR_RETURN(const std::int64_t generation, Advance(db));
  if (ids.size() > kMaxLoggedPeople) return LogFull(db, generation);
  PATHWAY_ASSIGN_OR_RETURN(
      auto log,
      db.Prepare("INSERT INTO workforce_change_log (generation, person_id) VALUES (?, ?)"));
  for (const std::int64_t id : ids) {
    log.Reset();
    log.Bind(1, generation).Bind(2, id);
    PATHWAY_TRY(log.Run());
  }
  return domain::Ok{};
}

}  // namespace

Status BumpWorkforceGeneration(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(const std::int64_t generation, Advance(db));
  return LogFull(db, generation);
}

Status BumpWorkforceGenerationForPeople(Database& db, std::span<const std::int64_t> person_ids) {
  return BumpFor(db, std::vector<std::int64_t>(person_ids.begin(), person_ids.end()));
}

Status BumpWorkforceGenerationForPeople(Database& db, std::span<const domain::Person> people) {
  if (people.size() > kMaxLoggedPeople) {
    // Likely too many distinct people: not worth a lookup each.
    std::unordered_set<std::string_view> distinct;
    for (const auto& person : people) distinct.insert(person.external_id);
    if (distinct.size() > kMaxLoggedPeople) return BumpWorkforceGeneration(db);
  }
  PATHWAY_ASSIGN_OR_RETURN(auto find, db.Prepare("SELECT id FROM person WHERE external_id = ?"));
  std::vector<std::int64_t> ids;
  ids.reserve(people.size());
  for (const auto& person : people) {
    find.Reset();
    find.Bind(1, person.external_id);
    PATHWAY_ASSIGN_OR_RETURN(const bool found, find.Step());
    if (found) ids.push_back(find.ColumnInt(0));
  }
  return BumpFor(db, std::move(ids));
}

Result<std::int64_t> WorkforceGeneration(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("SELECT generation FROM workforce_change WHERE id = 1"));
  PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Error::Unavailable("The workforce change counter is missing.");
  return stmt.ColumnInt(0);
}

Result<WorkforceChanges> WorkforceChangesSince(Database& db, std::int64_t since) {
  // One statement reads one state of the database: the counter row (tagged 0, which no
  // generation is) and the log rows after `since`.
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT 0, generation FROM workforce_change WHERE id = 1 "
                            "UNION ALL SELECT generation, person_id FROM workforce_change_log "
                            "WHERE generation > ?"));
  stmt.Bind(1, since);
  WorkforceChanges changes;
  std::optional<std::int64_t> generation;
  std::unordered_set<std::int64_t> people;
  std::unordered_set<std::int64_t> logged;  // generations with a row
  while (!(changes.full && generation)) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (stmt.ColumnInt(0) == 0) {
      generation = stmt.ColumnInt(1);
      // Generations up to generation - kLoggedGenerations are no longer logged.
      if (since < *generation - kLoggedGenerations) changes.full = true;
    } else if (!changes.full) {
      logged.insert(stmt.ColumnInt(0));
      if (stmt.ColumnIsNull(1)) {
        changes.full = true;
      } else {
        people.insert(stmt.ColumnInt(1));
        if (people.size() > kMaxLoggedPeople) changes.full = true;
      }
    }
  }
  if (!generation) return Error::Unavailable("The workforce change counter is missing.");
  changes.generation = *generation;
  // A database restored from a copy; or a generation without a row (a writer that moved
  // the counter without logging what it changed).
  if (changes.generation < since ||
      static_cast<std::int64_t>(logged.size()) != changes.generation - since) {
    changes.full = true;
  }
  if (!changes.full) {
    changes.people.assign(people.begin(), people.end());
    std::sort(changes.people.begin(), changes.people.end());
  }
  return changes;
}

}  // namespace pathway::store
