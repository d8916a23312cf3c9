// Versioned schema migrations, applied in order at start and by `pathway migrate`.
#pragma once

#include <span>
#include <string_view>

#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

struct Migration {
  int version;            // 1, 2, 3, ... with no gaps
  std::string_view name;  // short description, recorded with the version
  std::string_view sql;   // one or more statements
};

// Every migration this program knows, in version order.
std::span<const Migration> AllMigrations();

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
};

// Brings the database up to the newest known version. Each migration runs in its own
// transaction with its version row, so a failure leaves the database at the previous
// version. Refuses a database whose version is newer than this program knows.
Result<MigrationReport> Migrate(Database& db);

// The version recorded in the database (0 for a new, empty file). Only reads.
Result<int> SchemaVersion(Database& db);

}  // namespace pathway::store
