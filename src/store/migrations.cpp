#include "store/migrations.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "domain/text.hpp"

namespace pathway::store {
namespace {

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migration (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
)sql";

// Migration 13: lets the ledger's assessor be "review" (see its definition below).
Status AllowReviewSource(Database& db, MigrationNotes& notes);

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
    Migration{5, "workforce", R"sql(
-- Where people work: the UK's ITL1 regions, plus overseas.
CREATE TABLE region (
  code     TEXT PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL UNIQUE
) STRICT;
INSERT INTO region (code, name, position) VALUES
  ('TLC', 'North East', 1), ('TLD', 'North West', 2), ('TLE', 'Yorkshire and The Humber', 3),
  ('TLF', 'East Midlands', 4), ('TLG', 'West Midlands', 5), ('TLH', 'East of England', 6),
  ('TLI', 'London', 7), ('TLJ', 'South East', 8), ('TLK', 'South West', 9),
  ('TLL', 'Wales', 10), ('TLM', 'Scotland', 11), ('TLN', 'Northern Ireland', 12),
  ('OVERSEAS', 'Overseas', 13);

CREATE TABLE department (
  id   INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
) STRICT;

CREATE TABLE unit (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  department_id INTEGER NOT NULL REFERENCES department(id),
  parent_id     INTEGER REFERENCES unit(id)
) STRICT;
CREATE INDEX unit_department ON unit(department_id);

CREATE TABLE location (
  id     INTEGER PRIMARY KEY,
  code   TEXT NOT NULL UNIQUE,
  name   TEXT NOT NULL,
  region TEXT NOT NULL REFERENCES region(code)
) STRICT;

-- Professions and their career frameworks: a profession's skills are the items of a
-- framework of kind 'career'; its roles and role levels say which items each needs.
CREATE TABLE profession (
  id                  INTEGER PRIMARY KEY,
  code                TEXT NOT NULL UNIQUE,
  name                TEXT NOT NULL,
  description         TEXT NOT NULL DEFAULT '',
  induction           TEXT NOT NULL DEFAULT '',
  career_framework_id TEXT REFERENCES framework(id)
) STRICT;

CREATE TABLE job_family (
  id            INTEGER PRIMARY KEY,
  profession_id INTEGER NOT NULL REFERENCES profession(id),
  code          TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL
) STRICT;
CREATE INDEX job_family_profession ON job_family(profession_id);

CREATE TABLE career_role (
  id            INTEGER PRIMARY KEY,
  job_family_id INTEGER NOT NULL REFERENCES job_family(id),
  code          TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX career_role_family ON career_role(job_family_id);

CREATE TABLE role_level (
  id        INTEGER PRIMARY KEY,
  role_id   INTEGER NOT NULL REFERENCES career_role(id),
  code      TEXT NOT NULL UNIQUE,
  title     TEXT NOT NULL,
  position  INTEGER NOT NULL CHECK (position >= 1),
  grade_min INTEGER NOT NULL REFERENCES grade(rank),
  grade_max INTEGER NOT NULL REFERENCES grade(rank),
  CHECK (grade_min <= grade_max),
  UNIQUE (role_id, position)
) STRICT;

-- Framework items the workforce refers to (requirements, assessments), each with a
-- compact integer so that millions of assessments stay small.
CREATE TABLE item_ref (
  id           INTEGER PRIMARY KEY,
  framework_id TEXT NOT NULL REFERENCES framework(id),
  item_id      TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE role_requirement (
  role_level_id INTEGER NOT NULL REFERENCES role_level(id),
  item_ref_id   INTEGER NOT NULL REFERENCES item_ref(id),
  level         INTEGER NOT NULL CHECK (level BETWEEN 1 AND 9),
  weight        INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 10),
  PRIMARY KEY (role_level_id, item_ref_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX role_requirement_item ON role_requirement(item_ref_id);

CREATE TABLE role_statement (
  role_level_id INTEGER NOT NULL REFERENCES role_level(id),
  kind          TEXT NOT NULL CHECK (kind IN ('experience', 'qualification')),
  position      INTEGER NOT NULL,
  text          TEXT NOT NULL,
  PRIMARY KEY (role_level_id, kind, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE post (
  id            INTEGER PRIMARY KEY,
  external_id   TEXT NOT NULL UNIQUE,
  role_level_id INTEGER NOT NULL REFERENCES role_level(id),
  unit_id       INTEGER NOT NULL REFERENCES unit(id),
  location_id   INTEGER NOT NULL REFERENCES location(id),
  grade         INTEGER NOT NULL REFERENCES grade(rank),
  clearance     TEXT NOT NULL CHECK (clearance IN ('BPSS', 'CTC', 'SC', 'DV')),
  critical      INTEGER NOT NULL DEFAULT 0 CHECK (critical IN (0, 1))
) STRICT;
CREATE INDEX post_role_level ON post(role_level_id);
CREATE INDEX post_unit ON post(unit_id);

-- People: the record identity created grows into the full HR record. `department`
-- and `profession` (the anchor profession) hold codes, as before.
ALTER TABLE person ADD COLUMN grade INTEGER REFERENCES grade(rank);
ALTER TABLE person ADD COLUMN location_id INTEGER REFERENCES location(id);
ALTER TABLE person ADD COLUMN post_id INTEGER REFERENCES post(id);
ALTER TABLE person ADD COLUMN clearance_level TEXT
  CHECK (clearance_level IN ('BPSS', 'CTC', 'SC', 'DV'));
ALTER TABLE person ADD COLUMN clearance_status TEXT
  CHECK (clearance_status IN ('active', 'pending', 'expired', 'withdrawn'));
ALTER TABLE person ADD COLUMN clearance_granted TEXT;
ALTER TABLE person ADD COLUMN clearance_review_due TEXT;
ALTER TABLE person ADD COLUMN start_date TEXT;
CREATE INDEX person_by_department ON person(department);
CREATE INDEX person_by_profession ON person(profession);
CREATE UNIQUE INDEX person_post ON person(post_id) WHERE post_id IS NOT NULL;

-- Professions other than the anchor one.
CREATE TABLE person_profession (
  person_id     INTEGER NOT NULL REFERENCES person(id),
  profession_id INTEGER NOT NULL REFERENCES profession(id),
  PRIMARY KEY (person_id, profession_id)
) STRICT, WITHOUT ROWID;

-- A profession's community: its head, and its heads in departments.
CREATE TABLE profession_contact (
  profession_id INTEGER NOT NULL REFERENCES profession(id),
  person_id     INTEGER NOT NULL REFERENCES person(id),
  kind          TEXT NOT NULL CHECK (kind IN ('head_of_profession', 'departmental_head')),
  department_id INTEGER REFERENCES department(id),
  PRIMARY KEY (profession_id, person_id, kind)
) STRICT, WITHOUT ROWID;

-- Assessments are a ledger: an assertion that a person holds an item at a level is
-- never changed; a later one supersedes it. `seq` orders them per person and item.
CREATE TABLE assessment (
  person_id         INTEGER NOT NULL REFERENCES person(id),
  item_ref_id       INTEGER NOT NULL REFERENCES item_ref(id),
  seq               INTEGER NOT NULL CHECK (seq >= 1),
  level             INTEGER NOT NULL CHECK (level BETWEEN 1 AND 9),
  assessor          TEXT NOT NULL
    CHECK (assessor IN ('self', 'manager', 'panel', 'recruitment', 'passport')),
  assessed_on       TEXT NOT NULL,
  framework_version INTEGER NOT NULL,
  evidence          TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (person_id, item_ref_id, seq)
) STRICT, WITHOUT ROWID;
-- No index by item: every reader goes by person or reads the whole ledger in key order
-- (the engine's snapshot), and keeping one up to date would double the cost of loading
-- millions of assessments.
CREATE TRIGGER assessment_no_update BEFORE UPDATE ON assessment
BEGIN SELECT RAISE(ABORT, 'assessments are a ledger: add a new one instead'); END;
)sql"},
    Migration{6, "workforce reading", R"sql(
-- The people list: sorted pages of everyone (administrators), of a department (HR
-- partners) or of a profession (heads of profession), and the region filter. Each
-- composite index also serves lookups by its first column, so the single-column
-- indexes of migration 5 go.
CREATE INDEX person_by_name ON person(display_name);
CREATE INDEX person_by_grade_name ON person(grade, display_name);
CREATE INDEX person_by_start_date ON person(start_date);
CREATE INDEX person_by_location ON person(location_id);
CREATE INDEX person_department_name ON person(department, display_name);
CREATE INDEX person_profession_name ON person(profession, display_name);
-- Department and profession overviews: headcount by grade, region and profession (or
-- department) in one pass over a covering index.
CREATE INDEX person_department_counts ON person(department, grade, location_id, profession);
CREATE INDEX person_profession_counts ON person(profession, department, grade, location_id);
DROP INDEX person_by_department;
DROP INDEX person_by_profession;
-- The posts list sorted by grade, and posts by location for the region filter.
CREATE INDEX post_by_grade ON post(grade, external_id);
CREATE INDEX post_by_location ON post(location_id);
)sql"},
    Migration{7, "workforce change counter", R"sql(
-- One row whose generation grows with every committed write to the workforce (people,
-- posts, role levels and requirements, assessments, organisation). Every process that
-- writes bumps it in the write's transaction (store/workforce_change.hpp); a server
-- compares it before each engine query and reloads its index when it has moved. Not a
-- trigger: a per-row trigger would slow the bulk load of millions of assessments.
CREATE TABLE workforce_change (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
) STRICT;
INSERT INTO workforce_change (id, generation) VALUES (1, 1);
)sql"},
    Migration{8, "workforce change log", R"sql(
-- What each generation of migration 7 changed, so that a server can bring its index up
-- to date by reloading only the people who changed: one row per person whose record or
-- assessments changed, or one row with a NULL person_id for a change that needs a full
-- reload (reference data, or too many people). Written with the bump, in the write's
-- transaction; only the latest generations are kept (store/workforce_change.hpp).
CREATE TABLE workforce_change_log (
  generation INTEGER NOT NULL,
  person_id  INTEGER
) STRICT;
CREATE INDEX workforce_change_log_by_generation ON workforce_change_log(generation);
-- Nothing is known of the generations before this one: a reader loaded earlier reloads.
INSERT INTO workforce_change_log (generation, person_id)
  SELECT generation, NULL FROM workforce_change WHERE id = 1;
)sql"},
    Migration{9, "domain events", R"sql(
-- What happened, in the users' words, appended by the use-case kernel in the transaction
-- of the change (store/domain_events.hpp). Append-only, like the audit trail.
CREATE TABLE domain_event (
  seq           INTEGER PRIMARY KEY,
  occurred_at   TEXT NOT NULL,
  name          TEXT NOT NULL,
  object_type   TEXT NOT NULL,
  object_id     TEXT NOT NULL,
  actor_user_id INTEGER,
  detail        TEXT NOT NULL
) STRICT;
CREATE INDEX domain_event_object ON domain_event(object_type, object_id);
CREATE TRIGGER domain_event_no_update BEFORE UPDATE ON domain_event
BEGIN SELECT RAISE(ABORT, 'domain_event is append-only'); END;
CREATE TRIGGER domain_event_no_delete BEFORE DELETE ON domain_event
BEGIN SELECT RAISE(ABORT, 'domain_event is append-only'); END;
)sql"},
    // Text is checked at every door since this version. What an older version stored
    // without the check is reported for the operator to correct, never rewritten.
    Migration{10, "report stored text that is not UTF-8", "", FindStoredTextProblems},
    Migration{11, "assessments in use", R"sql(
-- Who asserted each ledger row, in what capacity, with what evidence (situation, task,
-- action, result) and comment, and which earlier row of the same person and item it
-- confirms or carries over. Rows loaded in bulk (the demo, imports) leave them empty.
ALTER TABLE assessment ADD COLUMN recorded_by INTEGER;
ALTER TABLE assessment ADD COLUMN capacity TEXT;
ALTER TABLE assessment ADD COLUMN recorded_at TEXT;
ALTER TABLE assessment ADD COLUMN situation TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN task TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN action TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN result TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN comment TEXT NOT NULL DEFAULT '';
ALTER TABLE assessment ADD COLUMN cites_seq INTEGER;
ALTER TABLE assessment ADD COLUMN self_assessment_id INTEGER;
-- The ledger is never changed: rows are added, never updated (migration 5) or deleted.
CREATE TRIGGER assessment_no_delete BEFORE DELETE ON assessment
BEGIN SELECT RAISE(ABORT, 'assessments are a ledger: nothing is deleted'); END;

-- A person's self-assessment while they write it (a draft) and after they submit it
-- (its ratings are then in the ledger, and it waits for their line manager).
CREATE TABLE self_assessment (
  id           INTEGER PRIMARY KEY,
  person_id    INTEGER NOT NULL REFERENCES person(id),
  status       TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'reviewed')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  submitted_at TEXT,
  reviewed_at  TEXT,
  reviewed_by  INTEGER REFERENCES person(id)
) STRICT;
CREATE INDEX self_assessment_by_person ON self_assessment(person_id, status);
CREATE INDEX self_assessment_by_status ON self_assessment(status, person_id);

CREATE TABLE self_assessment_item (
  self_assessment_id INTEGER NOT NULL REFERENCES self_assessment(id),
  item_ref_id        INTEGER NOT NULL REFERENCES item_ref(id),
  position           INTEGER NOT NULL,
  level              INTEGER CHECK (level BETWEEN 1 AND 9),
  situation          TEXT NOT NULL DEFAULT '',
  task               TEXT NOT NULL DEFAULT '',
  action             TEXT NOT NULL DEFAULT '',
  result             TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (self_assessment_id, item_ref_id)
) STRICT, WITHOUT ROWID;

-- Development plans: a target role level, actions tied to items and levels, comments.
CREATE TABLE development_plan (
  id                   INTEGER PRIMARY KEY,
  person_id            INTEGER NOT NULL UNIQUE REFERENCES person(id),
  target_role_level_id INTEGER REFERENCES role_level(id),
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
) STRICT;

CREATE TABLE development_action (
  id           INTEGER PRIMARY KEY,
  plan_id      INTEGER NOT NULL REFERENCES development_plan(id),
  item_ref_id  INTEGER NOT NULL REFERENCES item_ref(id),
  target_level INTEGER NOT NULL CHECK (target_level BETWEEN 1 AND 9),
  title        TEXT NOT NULL,
  due_on       TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX development_action_by_plan ON development_action(plan_id);

CREATE TABLE development_comment (
  id         INTEGER PRIMARY KEY,
  plan_id    INTEGER NOT NULL REFERENCES development_plan(id),
  author_id  INTEGER NOT NULL REFERENCES person(id),
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX development_comment_by_plan ON development_comment(plan_id);

-- Learning resources, each for one framework item over a range of levels.
CREATE TABLE learning_resource (
  id          INTEGER PRIMARY KEY,
  title       TEXT NOT NULL,
  url         TEXT NOT NULL,
  provider    TEXT NOT NULL DEFAULT '',
  item_ref_id INTEGER NOT NULL REFERENCES item_ref(id),
  level_min   INTEGER NOT NULL CHECK (level_min BETWEEN 1 AND 9),
  level_max   INTEGER NOT NULL CHECK (level_max BETWEEN 1 AND 9),
  CHECK (level_min <= level_max),
  UNIQUE (item_ref_id, url)
) STRICT;
)sql"},
    Migration{12, "framework item replacements and carry-over", R"sql(
-- Items of earlier versions that an item of this version replaces (renamed with a new
-- id, split or merged): CASE replacedBy associations, authored in the draft.
CREATE TABLE fw_item_replacement (
  framework_id     TEXT NOT NULL,
  version          INTEGER NOT NULL,
  item_id          TEXT NOT NULL,
  replaces_item_id TEXT NOT NULL,
  PRIMARY KEY (framework_id, version, item_id, replaces_item_id),
  FOREIGN KEY (framework_id, version, item_id) REFERENCES fw_item(framework_id, version, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX fw_item_replacement_by_old ON fw_item_replacement(replaces_item_id);
CREATE TRIGGER fw_item_replacement_frozen_insert BEFORE INSERT ON fw_item_replacement
WHEN (SELECT status FROM framework_version WHERE framework_id = NEW.framework_id AND
      version = NEW.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_item_replacement_frozen_update BEFORE UPDATE ON fw_item_replacement
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_item_replacement_frozen_delete BEFORE DELETE ON fw_item_replacement
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;

-- A carried-over ledger row cites the row of the replaced item it carries.
ALTER TABLE assessment ADD COLUMN cites_item_ref_id INTEGER;

-- Carrying people's levels over to a newly published version: one row per version,
-- advanced batch by batch in the batches' own transactions, so that a run stopped by a
-- crash resumes where it stopped, and a finished one is not run again.
CREATE TABLE carry_over (
  framework_id   TEXT NOT NULL,
  version        INTEGER NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('running', 'done')),
  next_person_id INTEGER NOT NULL DEFAULT 0,
  people         INTEGER NOT NULL DEFAULT 0,
  rows_added     INTEGER NOT NULL DEFAULT 0,
  started_at     TEXT NOT NULL,
  finished_at    TEXT,
  PRIMARY KEY (framework_id, version)
) STRICT;
)sql"},
    Migration{13, "the performance year", R"sql(
-- A performance year for one or more departments: its dates and its end-year rating
-- scale (best first).
CREATE TABLE performance_year (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  starts_on      TEXT NOT NULL,
  objectives_due TEXT NOT NULL,
  midyear_due    TEXT NOT NULL,
  endyear_due    TEXT NOT NULL,
  opened_by      INTEGER REFERENCES app_user(id),
  opened_at      TEXT NOT NULL,
  CHECK (starts_on <= objectives_due AND objectives_due < midyear_due AND
         midyear_due < endyear_due)
) STRICT;
CREATE TABLE performance_year_department (
  year_id    INTEGER NOT NULL REFERENCES performance_year(id),
  department TEXT NOT NULL,
  PRIMARY KEY (year_id, department)
) STRICT, WITHOUT ROWID;
CREATE INDEX performance_year_by_department ON performance_year_department(department);
CREATE TABLE performance_scale_point (
  year_id  INTEGER NOT NULL REFERENCES performance_year(id),
  position INTEGER NOT NULL CHECK (position >= 0),
  label    TEXT NOT NULL,
  PRIMARY KEY (year_id, position)
) STRICT, WITHOUT ROWID;

-- Each person's record for a year: the objectives and competencies agreed with their
-- line manager (both agree; the agreed set is locked until reopened with a reason).
CREATE TABLE performance_record (
  id                INTEGER PRIMARY KEY,
  year_id           INTEGER NOT NULL REFERENCES performance_year(id),
  person_id         INTEGER NOT NULL REFERENCES person(id),
  department        TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'setting' CHECK (status IN ('setting', 'agreed')),
  person_agreed_at  TEXT,
  manager_agreed_at TEXT,
  agreed_at         TEXT,
  UNIQUE (year_id, person_id)
) STRICT;
CREATE INDEX performance_record_by_person ON performance_record(person_id);
CREATE INDEX performance_record_by_department ON performance_record(year_id, department);

CREATE TABLE performance_objective (
  record_id INTEGER NOT NULL REFERENCES performance_record(id),
  position  INTEGER NOT NULL,
  text      TEXT NOT NULL,
  measure   TEXT NOT NULL,
  due_on    TEXT NOT NULL,
  weight    INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100),
  PRIMARY KEY (record_id, position)
) STRICT, WITHOUT ROWID;
CREATE TABLE performance_competency (
  record_id   INTEGER NOT NULL REFERENCES performance_record(id),
  position    INTEGER NOT NULL,
  item_ref_id INTEGER NOT NULL REFERENCES item_ref(id),
  reason      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (record_id, position)
) STRICT, WITHOUT ROWID;

-- Mid-year and end-year reviews, signed person -> manager -> countersigning manager.
CREATE TABLE performance_review (
  id                INTEGER PRIMARY KEY,
  record_id         INTEGER NOT NULL REFERENCES performance_record(id),
  kind              TEXT NOT NULL CHECK (kind IN ('mid', 'end')),
  stage             TEXT NOT NULL DEFAULT 'open'
    CHECK (stage IN ('open', 'person_signed', 'manager_signed', 'countersigned')),
  summary           TEXT NOT NULL DEFAULT '',
  rating            INTEGER CHECK (rating >= 0),
  person_signed_at  TEXT,
  manager_id        INTEGER REFERENCES person(id),
  manager_signed_at TEXT,
  countersigner_id  INTEGER REFERENCES person(id),
  countersigned_at  TEXT,
  moderated_rating  INTEGER CHECK (moderated_rating >= 0),
  moderation_reason TEXT,
  moderated_by      INTEGER REFERENCES app_user(id),
  moderated_at      TEXT,
  updated_at        TEXT NOT NULL,
  UNIQUE (record_id, kind)
) STRICT;
CREATE TABLE performance_review_entry (
  review_id       INTEGER NOT NULL REFERENCES performance_review(id),
  kind            TEXT NOT NULL CHECK (kind IN ('objective', 'competency')),
  position        INTEGER NOT NULL,
  evidence        TEXT NOT NULL DEFAULT '',
  manager_comment TEXT NOT NULL DEFAULT '',
  level           INTEGER CHECK (level BETWEEN 1 AND 9),
  PRIMARY KEY (review_id, kind, position)
) STRICT, WITHOUT ROWID;

-- Every reopening of an agreement or a signed review, with its reason.
CREATE TABLE performance_reopening (
  id        INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES performance_record(id),
  what      TEXT NOT NULL CHECK (what IN ('agreement', 'mid', 'end')),
  reason    TEXT NOT NULL,
  by_user   INTEGER REFERENCES app_user(id),
  at        TEXT NOT NULL
) STRICT;
CREATE INDEX performance_reopening_by_record ON performance_reopening(record_id);

-- Notices to people: shown on their start page, and sent by email from this outbox
-- (`pathway notify send`).
CREATE TABLE notice (
  id         INTEGER PRIMARY KEY,
  person_id  INTEGER NOT NULL REFERENCES person(id),
  subject    TEXT NOT NULL,
  body       TEXT NOT NULL,
  link       TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  sent_at    TEXT,
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
) STRICT;
CREATE INDEX notice_by_person ON notice(person_id, id);
-- Reminders of overdue steps already queued: one per record and step.
CREATE TABLE performance_reminder (
  record_id INTEGER NOT NULL REFERENCES performance_record(id),
  step      TEXT NOT NULL CHECK (step IN ('objectives', 'mid', 'end')),
  queued_at TEXT NOT NULL,
  PRIMARY KEY (record_id, step)
) STRICT, WITHOUT ROWID;
CREATE INDEX notice_unsent ON notice(id) WHERE sent_at IS NULL;
)sql",
              AllowReviewSource},
    Migration{14, "vetting cases", R"sql(
-- Vetting cases: the one way a person's clearance changes (a case's decision). A case
-- belongs to the department of its person when it was opened: the compartment whose
-- vetting officers may work on it.
CREATE TABLE vetting_case (
  id            INTEGER PRIMARY KEY,
  person_id     INTEGER NOT NULL REFERENCES person(id),
  department    TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('new', 'renewal', 'aftercare', 'concern')),
  level_sought  TEXT CHECK (level_sought IN ('BPSS', 'CTC', 'SC', 'DV')),
  stage         TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('open', 'decided')),
  opened_on     TEXT NOT NULL,
  opened_at     TEXT NOT NULL,
  opened_by     INTEGER REFERENCES app_user(id),
  referred_by   INTEGER REFERENCES app_user(id),
  outcome       TEXT CHECK (outcome IN ('granted', 'refused', 'withdrawn')),
  granted_level TEXT CHECK (granted_level IN ('BPSS', 'CTC', 'SC', 'DV')),
  decided_on    TEXT,
  review_due    TEXT,
  decided_at    TEXT,
  decided_by    INTEGER REFERENCES app_user(id)
) STRICT;
CREATE INDEX vetting_case_by_person ON vetting_case(person_id);
CREATE INDEX vetting_case_by_department ON vetting_case(department, status);

-- The stages a case went through, in order, each with the date it began.
CREATE TABLE vetting_stage (
  case_id     INTEGER NOT NULL REFERENCES vetting_case(id),
  seq         INTEGER NOT NULL,
  stage       TEXT NOT NULL,
  started_on  TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER REFERENCES app_user(id),
  PRIMARY KEY (case_id, seq)
) STRICT, WITHOUT ROWID;

-- People added to a case for joint working (an HR partner for a referral).
CREATE TABLE vetting_case_member (
  case_id  INTEGER NOT NULL REFERENCES vetting_case(id),
  user_id  INTEGER NOT NULL REFERENCES app_user(id),
  part     TEXT NOT NULL CHECK (part IN ('referral')),
  added_at TEXT NOT NULL,
  PRIMARY KEY (case_id, user_id)
) STRICT, WITHOUT ROWID;

-- Case notes, encrypted (XSalsa20-Poly1305, libsodium's secretbox) with a key kept
-- outside the database: a fresh random nonce per note, both stored base64. `part` says
-- whose side wrote it: the vetting team's, HR's referral, or the decision's reason.
CREATE TABLE vetting_note (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES vetting_case(id),
  part       TEXT NOT NULL CHECK (part IN ('vetting', 'referral', 'decision')),
  author_id  INTEGER REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  nonce      TEXT NOT NULL,
  ciphertext TEXT NOT NULL
) STRICT;
CREATE INDEX vetting_note_by_case ON vetting_note(case_id, id);
CREATE TRIGGER vetting_note_no_update BEFORE UPDATE ON vetting_note
BEGIN SELECT RAISE(ABORT, 'case notes are never changed: add another'); END;

-- Exports of a case's notes: asked for by one vetting officer, approved by another.
CREATE TABLE vetting_export (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES vetting_case(id),
  requested_by INTEGER NOT NULL REFERENCES app_user(id),
  requested_at TEXT NOT NULL,
  approved_by  INTEGER REFERENCES app_user(id),
  approved_at  TEXT,
  CHECK (approved_by IS NULL OR approved_by <> requested_by)
) STRICT;
CREATE INDEX vetting_export_by_case ON vetting_export(case_id);
)sql"},
    Migration{15, "recruitment", R"sql(
-- A vacancy and its Success Profile, built from the frameworks.
CREATE TABLE vacancy (
  id            INTEGER PRIMARY KEY,
  title         TEXT NOT NULL,
  department    TEXT NOT NULL,
  post_id       INTEGER REFERENCES post(id),
  role_level_id INTEGER REFERENCES role_level(id),
  grade         INTEGER NOT NULL REFERENCES grade(rank),
  clearance     TEXT NOT NULL CHECK (clearance IN ('BPSS', 'CTC', 'SC', 'DV')),
  posts         INTEGER NOT NULL DEFAULT 1 CHECK (posts BETWEEN 1 AND 100),
  closes_on     TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled')),
  created_by    INTEGER REFERENCES app_user(id),
  created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX vacancy_by_department ON vacancy(department, status);
CREATE TABLE vacancy_element (
  vacancy_id  INTEGER NOT NULL REFERENCES vacancy(id),
  position    INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('behaviour', 'technical', 'strength', 'experience', 'ability')),
  item_ref_id INTEGER REFERENCES item_ref(id),
  title       TEXT NOT NULL,
  level       INTEGER NOT NULL DEFAULT 0,
  stages      TEXT NOT NULL,
  minimum     INTEGER NOT NULL CHECK (minimum BETWEEN 1 AND 7),
  PRIMARY KEY (vacancy_id, position)
) STRICT, WITHOUT ROWID;
CREATE TABLE vacancy_panel (
  vacancy_id INTEGER NOT NULL REFERENCES vacancy(id),
  user_id    INTEGER NOT NULL REFERENCES app_user(id),
  PRIMARY KEY (vacancy_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX vacancy_panel_by_user ON vacancy_panel(user_id);

-- Applications: internal candidates are people; external ones a name and an email.
CREATE TABLE application (
  id             INTEGER PRIMARY KEY,
  vacancy_id     INTEGER NOT NULL REFERENCES vacancy(id),
  person_id      INTEGER REFERENCES person(id),
  external_name  TEXT NOT NULL DEFAULT '',
  external_email TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL DEFAULT 'submitted'
    CHECK (status IN ('submitted', 'accepted', 'unsuccessful')),
  submitted_at   TEXT NOT NULL,
  decided_at     TEXT,
  purged_at      TEXT,
  UNIQUE (vacancy_id, person_id)
) STRICT;
CREATE INDEX application_by_vacancy ON application(vacancy_id);
CREATE INDEX application_by_person ON application(person_id);
CREATE TABLE application_statement (
  application_id INTEGER NOT NULL REFERENCES application(id),
  position       INTEGER NOT NULL,
  text           TEXT NOT NULL,
  PRIMARY KEY (application_id, position)
) STRICT, WITHOUT ROWID;
-- Each panel member's score of each element, and the panel's agreed score with its reason.
CREATE TABLE application_score (
  application_id INTEGER NOT NULL REFERENCES application(id),
  position       INTEGER NOT NULL,
  user_id        INTEGER NOT NULL REFERENCES app_user(id),
  score          INTEGER NOT NULL CHECK (score BETWEEN 1 AND 7),
  evidence       TEXT NOT NULL DEFAULT '',
  scored_at      TEXT NOT NULL,
  PRIMARY KEY (application_id, position, user_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE application_agreed (
  application_id INTEGER NOT NULL REFERENCES application(id),
  position       INTEGER NOT NULL,
  score          INTEGER NOT NULL CHECK (score BETWEEN 1 AND 7),
  reason         TEXT NOT NULL,
  agreed_by      INTEGER REFERENCES app_user(id),
  agreed_at      TEXT NOT NULL,
  PRIMARY KEY (application_id, position)
) STRICT, WITHOUT ROWID;

-- The induction an accepted offer starts.
CREATE TABLE induction (
  id             INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL UNIQUE REFERENCES application(id),
  person_id      INTEGER NOT NULL REFERENCES person(id),
  vacancy_id     INTEGER NOT NULL REFERENCES vacancy(id),
  start_date     TEXT NOT NULL,
  created_at     TEXT NOT NULL
) STRICT;
CREATE TABLE induction_item (
  induction_id INTEGER NOT NULL REFERENCES induction(id),
  position     INTEGER NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('profession', 'security', 'vetting', 'contact',
                                                'objective', 'development')),
  text         TEXT NOT NULL,
  link         TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (induction_id, position)
) STRICT, WITHOUT ROWID;
)sql"},
    Migration{16, "skills passport", R"sql(
-- Department signing keys (public halves; the private keys live in files outside the
-- database), the trust list of departments' public keys, credentials issued (and
-- revoked), and credentials imported with the person's consent.
CREATE TABLE passport_key (
  kid        TEXT PRIMARY KEY,
  department TEXT NOT NULL,
  public_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE TABLE trusted_key (
  kid        TEXT PRIMARY KEY,
  department TEXT NOT NULL,
  public_key TEXT NOT NULL,
  added_at   TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE TABLE issued_credential (
  id         TEXT PRIMARY KEY,
  person_id  INTEGER NOT NULL REFERENCES person(id),
  kid        TEXT NOT NULL,
  issued_at  TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE TABLE imported_credential (
  id          TEXT PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES person(id),
  issuer      TEXT NOT NULL,
  kid         TEXT NOT NULL,
  credential  TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  recorded    INTEGER NOT NULL,
  unmapped    INTEGER NOT NULL
) STRICT;
)sql"},
    Migration{17, "CASE associations kept, and crosswalks", R"sql(
-- Every CASE association of a version other than the tree and the replacements, which
-- have their own tables: precedes, isPeerOf, exactMatchOf, isRelatedTo, exemplar,
-- hasSkillLevel, isTranslationOf, extension types, with either end inside or outside
-- the framework. Kept as imported and exported back; frozen with the version.
CREATE TABLE fw_association (
  framework_id   TEXT NOT NULL,
  version        INTEGER NOT NULL,
  position       INTEGER NOT NULL,
  id             TEXT NOT NULL,
  type           TEXT NOT NULL,
  origin_id      TEXT NOT NULL,
  origin_uri     TEXT NOT NULL,
  origin_title   TEXT NOT NULL,
  origin_type    TEXT NOT NULL,
  dest_id        TEXT NOT NULL,
  dest_uri       TEXT NOT NULL,
  dest_title     TEXT NOT NULL,
  dest_type      TEXT NOT NULL,
  sequence       INTEGER,
  grouping_id    TEXT NOT NULL,
  grouping_uri   TEXT NOT NULL,
  grouping_title TEXT NOT NULL,
  notes          TEXT NOT NULL,
  extensions     TEXT NOT NULL,
  PRIMARY KEY (framework_id, version, position),
  FOREIGN KEY (framework_id, version) REFERENCES framework_version(framework_id, version)
) STRICT, WITHOUT ROWID;
CREATE INDEX fw_association_by_dest ON fw_association(dest_id, type);
CREATE INDEX fw_association_by_origin ON fw_association(origin_id, type);
-- The package-level CASE content Pathway keeps whole: the association groupings and the
-- rubrics (JSON arrays as imported).
CREATE TABLE fw_case_extra (
  framework_id TEXT NOT NULL,
  version      INTEGER NOT NULL,
  groupings    TEXT NOT NULL,
  rubrics      TEXT NOT NULL,
  PRIMARY KEY (framework_id, version),
  FOREIGN KEY (framework_id, version) REFERENCES framework_version(framework_id, version)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER fw_association_frozen_insert BEFORE INSERT ON fw_association
WHEN (SELECT status FROM framework_version WHERE framework_id = NEW.framework_id AND
      version = NEW.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_association_frozen_update BEFORE UPDATE ON fw_association
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_association_frozen_delete BEFORE DELETE ON fw_association
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_case_extra_frozen_insert BEFORE INSERT ON fw_case_extra
WHEN (SELECT status FROM framework_version WHERE framework_id = NEW.framework_id AND
      version = NEW.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_case_extra_frozen_update BEFORE UPDATE ON fw_case_extra
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;
CREATE TRIGGER fw_case_extra_frozen_delete BEFORE DELETE ON fw_case_extra
WHEN (SELECT status FROM framework_version WHERE framework_id = OLD.framework_id AND
      version = OLD.version) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'published framework versions never change'); END;

-- Crosswalks: an item of one framework linked to an item of another (or of another
-- version) with a kind, authored by the framework's authors at any time (not frozen with
-- a version: item ids outlive versions). Exported as CASE associations: same as =
-- exactMatchOf, related = isRelatedTo, broader = ext:broaderThan, narrower =
-- ext:narrowerThan (docs/formats/case-mapping.md).
CREATE TABLE crosswalk (
  id                  TEXT PRIMARY KEY,
  framework_id        TEXT NOT NULL REFERENCES framework(id),
  item_id             TEXT NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('same', 'broader', 'narrower', 'related')),
  target_framework_id TEXT NOT NULL REFERENCES framework(id),
  target_item_id      TEXT NOT NULL,
  notes               TEXT NOT NULL DEFAULT '',
  created_by          INTEGER,
  created_at          TEXT NOT NULL,
  CHECK (item_id <> target_item_id),
  UNIQUE (item_id, target_item_id)
) STRICT;
CREATE INDEX crosswalk_by_target ON crosswalk(target_item_id);
CREATE INDEX crosswalk_by_framework ON crosswalk(framework_id);
-- Bumped by every change of a crosswalk, so that caches of exported packages know.
CREATE TABLE crosswalk_revision (n INTEGER NOT NULL) STRICT;
INSERT INTO crosswalk_revision VALUES (0);
CREATE TRIGGER crosswalk_bump_insert AFTER INSERT ON crosswalk
BEGIN UPDATE crosswalk_revision SET n = n + 1; END;
CREATE TRIGGER crosswalk_bump_update AFTER UPDATE ON crosswalk
BEGIN UPDATE crosswalk_revision SET n = n + 1; END;
CREATE TRIGGER crosswalk_bump_delete AFTER DELETE ON crosswalk
BEGIN UPDATE crosswalk_revision SET n = n + 1; END;
)sql"},
};

// SQL for an identifier: in double quotes, with double quotes doubled.
std::string Identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

struct TableColumns {
  std::vector<std::string> columns;
  std::vector<std::string> key;  // the primary key's columns in key order; empty: rowid
};

// The columns of `table` that can hold text: in a STRICT table those declared TEXT or
// ANY, in any other table every column.
Result<TableColumns> ColumnsOf(Database& db, const std::string& table, bool strict) {
  PATHWAY_ASSIGN_OR_RETURN(auto info,
                           db.Prepare("SELECT name, pk, upper(type) FROM pragma_table_info(?)"));
  info.Bind(1, table);
  TableColumns out;
  std::vector<std::pair<std::int64_t, std::string>> key;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, info.Step());
    if (!row) break;
    const std::string type = info.ColumnText(2);
    if (!strict || type == "TEXT" || type == "ANY") out.columns.push_back(info.ColumnText(0));
    if (info.ColumnInt(1) > 0) key.emplace_back(info.ColumnInt(1), info.ColumnText(0));
  }
  std::sort(key.begin(), key.end());
  for (auto& [order, name] : key) out.key.push_back(std::move(name));
  return out;
}

std::string ProblemText(const domain::TextProblem& problem) {
  std::string what;
  switch (problem.fault) {
    case domain::TextFault::kNotUtf8:
      what = "not UTF-8";
      break;
    case domain::TextFault::kControl:
      what = "a control character";
      break;
    case domain::TextFault::kLineBreak:
    case domain::TextFault::kLoneCarriageReturn:
      what = "a carriage return that is not part of a line break";
      break;
    case domain::TextFault::kBidiControl:
      what = "a bidirectional control character";
      break;
  }
  return fmt::format("{} (byte 0x{:02X} at byte {})", what, problem.byte, problem.offset);
}

}  // namespace

namespace {

// The ledger's assessor gains "review" (end-year ratings). SQLite cannot alter a CHECK
// constraint, and rebuilding the ledger would rewrite millions of rows; loosening the
// constraint is the change SQLite documents as safe to make in the stored schema
// (https://sqlite.org/lang_altertable.html, "making other kinds of table schema
// changes"): every existing row still satisfies the looser check.
Status AllowReviewSource(Database& db, MigrationNotes&) {
  constexpr std::string_view kOld = "'recruitment', 'passport')";
  constexpr std::string_view kNew = "'recruitment', 'passport', 'review')";
  std::string sql;
  std::int64_t version = 0;
  {
    PATHWAY_ASSIGN_OR_RETURN(
        auto read,
        db.Prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'assessment'"));
    PATHWAY_ASSIGN_OR_RETURN(bool found, read.Step());
    if (!found) return Error::Internal("Migration 13: the assessment table is missing");
    sql = read.ColumnText(0);
  }
  const auto at = sql.find(kOld);
  if (at == std::string::npos || sql.find(kOld, at + 1) != std::string::npos) {
    return Error::Internal(
        "Migration 13: the assessment table's assessor check is not as expected");
  }
  sql.replace(at, kOld.size(), kNew);
  {
    PATHWAY_ASSIGN_OR_RETURN(auto read, db.Prepare("PRAGMA schema_version"));
    PATHWAY_ASSIGN_OR_RETURN(bool found, read.Step());
    if (!found) return Error::Internal("Migration 13: no schema version");
    version = read.ColumnInt(0);
  }
  PATHWAY_TRY(db.Execute("PRAGMA writable_schema = ON"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto write,
      db.Prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'assessment'"));
  write.Bind(1, sql);
  Status written = write.Run();
  PATHWAY_TRY(db.Execute(fmt::format("PRAGMA schema_version = {}", version + 1)));
  PATHWAY_TRY(db.Execute("PRAGMA writable_schema = OFF"));
  return written;
}

}  // namespace

Status FindStoredTextProblems(Database& db, MigrationNotes& notes) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto tables,
      db.Prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND "
                 "type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"));
  std::vector<std::pair<std::string, bool>> names;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, tables.Step());
    if (!row) break;
    names.emplace_back(tables.ColumnText(0), tables.ColumnInt(1) != 0);
  }
  std::size_t found = 0;
  for (const auto& [table, strict] : names) {
    PATHWAY_ASSIGN_OR_RETURN(TableColumns shape, ColumnsOf(db, table, strict));
    if (shape.columns.empty()) continue;
    const bool rowid = shape.key.empty();
    // Every value of a column that can hold text, once, as stored (numbers and blobs
    // read as NULL): FindTextProblem passes printable ASCII at memory speed. A
    // GLOB '*[^ -~]*' filter in SQL was 1.5 times slower (3.5 s against 5.3 s at -O2 on a
    // 50,000-person demo with 1.6 million assessments).
    std::string select = "SELECT ";
    if (rowid) select += "rowid, ";
    for (const std::string& key : shape.key) select += Identifier(key) + ", ";
    for (std::size_t i = 0; i < shape.columns.size(); ++i) {
      const std::string column = Identifier(shape.columns[i]);
      select += fmt::format("{}CASE WHEN typeof({}) = 'text' THEN {} END", i > 0 ? ", " : "",
                            column, column);
    }
    PATHWAY_ASSIGN_OR_RETURN(auto rows, db.Prepare(select + " FROM " + Identifier(table)));
    const int key_count = rowid ? 1 : static_cast<int>(shape.key.size());
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, rows.Step());
      if (!row) break;
      for (std::size_t i = 0; i < shape.columns.size(); ++i) {
        const int at = key_count + static_cast<int>(i);
        if (rows.ColumnIsNull(at)) continue;
        const std::string value = rows.ColumnText(at);
        const auto problem = domain::FindTextProblem(value, domain::LineBreaks::kAllowed);
        if (!problem) continue;
        if (++found > kMaxStoredTextNotes) continue;
        std::string where_row;
        for (int k = 0; k < key_count; ++k) {
          std::string shown = rows.ColumnText(k);
          if (domain::FindTextProblem(shown, domain::LineBreaks::kRefused)) shown = "(not text)";
          where_row += fmt::format("{}{}={}", k > 0 ? ", " : "",
                                   rowid ? std::string("rowid") : shape.key[k], shown);
        }
        notes.push_back(fmt::format("table {}, row {}, column {}: {}", table, where_row,
                                    shape.columns[i], ProblemText(*problem)));
      }
    }
  }
  if (found > kMaxStoredTextNotes) {
    notes.push_back(fmt::format("... and {} more stored values that are not text",
                                found - kMaxStoredTextNotes));
  }
  return domain::Ok{};
}

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

Result<MigrationReport> Migrate(Database& db) { return MigrateTo(db, INT32_MAX); }

Result<MigrationReport> MigrateTo(Database& db, int up_to) {
  PATHWAY_TRY(db.Execute(kCreateMigrationsTable));
  PATHWAY_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  const int newest = AllMigrations().empty() ? 0 : AllMigrations().back().version;
  if (current > newest) {
    return Error::Unavailable(
        fmt::format("The database {} is at schema version {}, newer than this program knows ({}). "
                    "Upgrade Pathway before using this database.",
                    db.path(), current, newest));
  }
  MigrationReport report{current, current, {}};
  for (const Migration& migration : AllMigrations()) {
    if (migration.version <= current) continue;
    if (migration.version > up_to) break;
    PATHWAY_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db));
    // Re-check inside the write lock: another process may have migrated meanwhile.
    PATHWAY_ASSIGN_OR_RETURN(int now, SchemaVersion(db));
    if (now >= migration.version) {
      report.to_version = now;
      continue;
    }
    if (!migration.sql.empty()) PATHWAY_TRY(db.Execute(migration.sql));
    if (migration.step != nullptr) PATHWAY_TRY(migration.step(db, report.notes));
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
