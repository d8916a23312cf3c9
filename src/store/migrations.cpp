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
    Migration{2, "identity and audit", R"sql(
CREATE TABLE person (
  id              INTEGER PRIMARY KEY,
  external_id     TEXT NOT NULL UNIQUE,
  display_name    TEXT NOT NULL,
  department      TEXT NOT NULL DEFAULT '',
  profession      TEXT NOT NULL DEFAULT '',
  line_manager_id INTEGER REFERENCES person(id)
) STRICT;
CREATE INDEX person_line_manager ON person(line_manager_id);

CREATE TABLE app_user (
  id               INTEGER PRIMARY KEY,
  email            TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name     TEXT NOT NULL,
  password_hash    TEXT,
  person_id        INTEGER UNIQUE REFERENCES person(id),
  external_issuer  TEXT,
  external_subject TEXT,
  disabled_at      TEXT,
  created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (external_issuer, external_subject)
) STRICT;

CREATE TABLE role_grant (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES app_user(id),
  role       TEXT NOT NULL CHECK (role IN ('individual', 'line_manager', 'hr_partner',
               'head_of_profession', 'vetting_officer', 'recruiter', 'framework_author',
               'admin')),
  scope      TEXT NOT NULL DEFAULT '',
  granted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  revoked_at TEXT
) STRICT;
CREATE INDEX role_grant_user ON role_grant(user_id);
CREATE UNIQUE INDEX role_grant_active ON role_grant(user_id, role, scope) WHERE revoked_at IS NULL;

CREATE TABLE user_session (
  id_hash      TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES app_user(id),
  csrf_token   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ended_at     INTEGER
) STRICT;
CREATE INDEX user_session_user ON user_session(user_id);

CREATE TABLE api_token (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES app_user(id),
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_used_at TEXT,
  revoked_at   TEXT
) STRICT;
CREATE INDEX api_token_user ON api_token(user_id);

CREATE TABLE audit_event (
  seq            INTEGER PRIMARY KEY,
  occurred_at    TEXT NOT NULL,
  actor_user_id  INTEGER,
  actor          TEXT NOT NULL,
  action         TEXT NOT NULL,
  object_type    TEXT NOT NULL,
  object_id      TEXT NOT NULL,
  outcome        TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'refused')),
  detail         TEXT NOT NULL,
  request_id     TEXT NOT NULL,
  source_address TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL
) STRICT;
CREATE INDEX audit_event_actor ON audit_event(actor_user_id);
CREATE INDEX audit_event_object ON audit_event(object_type, object_id);
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
)sql"},
    Migration{3, "settings", R"sql(
CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
)sql"},
    Migration{4, "frameworks", R"sql(
CREATE TABLE framework (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('competency', 'behaviours', 'strengths', 'career',
               'technical')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE framework_version (
  framework_id TEXT NOT NULL REFERENCES framework(id),
  version      INTEGER NOT NULL CHECK (version >= 1),
  status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
  title        TEXT NOT NULL,
  description  TEXT NOT NULL,
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  published_at TEXT,
  retired_at   TEXT,
  PRIMARY KEY (framework_id, version)
) STRICT;

CREATE TABLE fw_grade_level (
  framework_id TEXT NOT NULL,
  version      INTEGER NOT NULL,
  grade        TEXT NOT NULL,
  level        INTEGER NOT NULL,
  PRIMARY KEY (framework_id, version, grade),
  FOREIGN KEY (framework_id, version) REFERENCES framework_version(framework_id, version)
) STRICT;

CREATE TABLE fw_scale_point (
  framework_id TEXT NOT NULL,
  version      INTEGER NOT NULL,
  value        INTEGER NOT NULL,
  label        TEXT NOT NULL,
  description  TEXT NOT NULL,
  PRIMARY KEY (framework_id, version, value),
  FOREIGN KEY (framework_id, version) REFERENCES framework_version(framework_id, version)
) STRICT;

CREATE TABLE fw_cluster (
  framework_id TEXT NOT NULL,
  version      INTEGER NOT NULL,
  id           TEXT NOT NULL,
  position     INTEGER NOT NULL,
  title        TEXT NOT NULL,
  subtitle     TEXT NOT NULL,
  description  TEXT NOT NULL,
  PRIMARY KEY (framework_id, version, id),
  FOREIGN KEY (framework_id, version) REFERENCES framework_version(framework_id, version)
) STRICT;

CREATE TABLE fw_item (
  framework_id TEXT NOT NULL,
  version      INTEGER NOT NULL,
  id           TEXT NOT NULL,
  cluster_id   TEXT NOT NULL,
  position     INTEGER NOT NULL,
  number       INTEGER NOT NULL,
  title        TEXT NOT NULL,
  description  TEXT NOT NULL,
  PRIMARY KEY (framework_id, version, id),
  FOREIGN KEY (framework_id, version, cluster_id) REFERENCES fw_cluster(framework_id, version, id)
) STRICT;
CREATE INDEX fw_item_by_id ON fw_item(id);

CREATE TABLE fw_level (
  framework_id TEXT NOT NULL,
  version      INTEGER NOT NULL,
  item_id      TEXT NOT NULL,
  level        INTEGER NOT NULL,
  label        TEXT NOT NULL,
  description  TEXT NOT NULL,
  PRIMARY KEY (framework_id, version, item_id, level),
  FOREIGN KEY (framework_id, version, item_id) REFERENCES fw_item(framework_id, version, id)
) STRICT;

CREATE TABLE fw_indicator (
  framework_id TEXT NOT NULL,
  version      INTEGER NOT NULL,
  id           TEXT NOT NULL,
  item_id      TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('effective', 'ineffective')),
  position     INTEGER NOT NULL,
  level        INTEGER NOT NULL,
  text         TEXT NOT NULL,
  tags         TEXT NOT NULL,
  PRIMARY KEY (framework_id, version, id),
  FOREIGN KEY (framework_id, version, item_id) REFERENCES fw_item(framework_id, version, id)
) STRICT;

-- Only drafts change. A published version keeps its content for ever; it may only
-- be retired.
CREATE TRIGGER framework_version_frozen BEFORE UPDATE ON framework_version
WHEN OLD.status <> 'draft' AND NOT (
  OLD.status = 'published' AND NEW.status = 'retired' AND NEW.title = OLD.title AND
  NEW.description = OLD.description)
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER framework_version_kept BEFORE DELETE ON framework_version
WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_grade_level_frozen_insert BEFORE INSERT ON fw_grade_level
WHEN (SELECT status FROM framework_version WHERE framework_id = NEW.framework_id AND
      version = NEW.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_grade_level_frozen_update BEFORE UPDATE ON fw_grade_level
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_grade_level_frozen_delete BEFORE DELETE ON fw_grade_level
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_scale_point_frozen_insert BEFORE INSERT ON fw_scale_point
WHEN (SELECT status FROM framework_version WHERE framework_id = NEW.framework_id AND
      version = NEW.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_scale_point_frozen_update BEFORE UPDATE ON fw_scale_point
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_scale_point_frozen_delete BEFORE DELETE ON fw_scale_point
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_cluster_frozen_insert BEFORE INSERT ON fw_cluster
WHEN (SELECT status FROM framework_version WHERE framework_id = NEW.framework_id AND
      version = NEW.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_cluster_frozen_update BEFORE UPDATE ON fw_cluster
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_cluster_frozen_delete BEFORE DELETE ON fw_cluster
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_item_frozen_insert BEFORE INSERT ON fw_item
WHEN (SELECT status FROM framework_version WHERE framework_id = NEW.framework_id AND
      version = NEW.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_item_frozen_update BEFORE UPDATE ON fw_item
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_item_frozen_delete BEFORE DELETE ON fw_item
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_level_frozen_insert BEFORE INSERT ON fw_level
WHEN (SELECT status FROM framework_version WHERE framework_id = NEW.framework_id AND
      version = NEW.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_level_frozen_update BEFORE UPDATE ON fw_level
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_level_frozen_delete BEFORE DELETE ON fw_level
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_indicator_frozen_insert BEFORE INSERT ON fw_indicator
WHEN (SELECT status FROM framework_version WHERE framework_id = NEW.framework_id AND
      version = NEW.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_indicator_frozen_update BEFORE UPDATE ON fw_indicator
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_indicator_frozen_delete BEFORE DELETE ON fw_indicator
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE VIRTUAL TABLE fw_search USING fts5(
  item_title, text, framework_title,
  framework_id UNINDEXED, version UNINDEXED, item_id UNINDEXED, indicator_id UNINDEXED,
  kind UNINDEXED, tags UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
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
