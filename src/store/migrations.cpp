#include "store/migrations.hpp"

#include <array>

#include <fmt/format.h>

namespace pathway::store {
namespace {

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migration (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
)sql";

constexpr std::array kMigrations{
    Migration{1, "grades", R"sql(
CREATE TABLE grade (
  rank INTEGER PRIMARY KEY CHECK (rank BETWEEN 0 AND 9),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
) STRICT;
INSERT INTO grade (rank, code, name) VALUES
  (0, 'AA', 'Administrative Assistant'),
  (1, 'AO', 'Administrative Officer'),
  (2, 'EO', 'Executive Officer'),
  (3, 'HEO', 'Higher Executive Officer'),
  (4, 'SEO', 'Senior Executive Officer'),
  (5, 'G7', 'Grade 7'),
  (6, 'G6', 'Grade 6'),
  (7, 'SCS1', 'Senior Civil Service pay band 1 (Deputy Director)'),
  (8, 'SCS2', 'Senior Civil Service pay band 2 (Director)'),
  (9, 'SCS3', 'Senior Civil Service pay band 3 (Director General)');
)sql"},
};

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

Result<int> SchemaVersion(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto exists,
      db.Prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migration'"));
  PATHWAY_ASSIGN_OR_RETURN(bool has_table, exists.Step());
  if (!has_table) return 0;
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migration"));
  PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? static_cast<int>(stmt.ColumnInt(0)) : 0;
}

Result<MigrationReport> Migrate(Database& db) {
  PATHWAY_TRY(db.Execute(kCreateMigrationsTable));
  PATHWAY_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  const int newest = AllMigrations().empty() ? 0 : AllMigrations().back().version;
  if (current > newest) {
    return Error::Unavailable(
        fmt::format("The database {} is at schema version {}, newer than this program knows ({}). "
                    "Upgrade Pathway before using this database.",
                    db.path(), current, newest));
  }
  MigrationReport report{current, current};
  for (const Migration& migration : AllMigrations()) {
    if (migration.version <= current) continue;
    PATHWAY_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
    // Re-check inside the write lock: another process may have migrated meanwhile.
    PATHWAY_ASSIGN_OR_RETURN(int now, SchemaVersion(db));
    if (now >= migration.version) {
      report.to_version = now;
      continue;
    }
    PATHWAY_TRY(db.Execute(migration.sql));
    PATHWAY_ASSIGN_OR_RETURN(
        auto record, db.Prepare("INSERT INTO schema_migration (version, name) VALUES (?, ?)"));
    record.Bind(1, migration.version).Bind(2, migration.name);
    PATHWAY_TRY(record.Run());
    PATHWAY_TRY(tx.Commit());
    report.to_version = migration.version;
  }
  return report;
}

}  // namespace pathway::store
