// Versioned schema migrations, applied in order at start and by `pathway migrate`.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

// What a migration's step has to say to the operator: one line each, printed by
// `pathway migrate` and logged at start.
using MigrationNotes = std::vector<std::string>;

struct Migration {
  int version;            // 1, 2, 3, ... with no gaps
  std::string_view name;  // short description, recorded with the version
  std::string_view sql;   // one or more statements; may be empty
  // Run after `sql` in the migration's transaction, for what SQL cannot do; may be null.
  Status (*step)(Database& db, MigrationNotes& notes) = nullptr;
};

// Every migration this program knows, in version order.
std::span<const Migration> AllMigrations();

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  MigrationNotes notes;  // from the steps of the migrations applied, in order
};

// At most this many notes about stored text are kept; one more then says how many
// were left out.
inline constexpr std::size_t kMaxStoredTextNotes = 1000;

// Every stored text value of the database that is not text Pathway accepts
// (domain::FindTextProblem with line breaks allowed): bytes that are not UTF-8, control
// characters other than tab and line breaks, a lone carriage return. One note per value,
// naming the table, the row (by its primary key, or rowid) and the column, for example
// "table app_user, row id=5, column display_name: has a character that is not UTF-8
// (byte 0xFF at byte 3)"; at most kMaxStoredTextNotes. Reads only: nothing is rewritten.
// Migration 10 runs it once on upgrade.
Status FindStoredTextProblems(Database& db, MigrationNotes& notes);

// Brings the database up to the newest known version. Each migration runs in its own
// transaction with its version row, so a failure leaves the database at the previous
// version. Refuses a database whose version is newer than this program knows.
Result<MigrationReport> Migrate(Database& db);
// Applies the migrations up to version `up_to` only: for tests that build an older database.
Result<MigrationReport> MigrateTo(Database& db, int up_to);

// The version recorded in the database (0 for a new, empty file). Only reads.
Result<int> SchemaVersion(Database& db);

}  // namespace pathway::store
