#include "store/workforce_snapshot.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

namespace pathway::store {
namespace {

constexpr std::string_view kClearanceCase =
    "CASE {} WHEN 'BPSS' THEN 0 WHEN 'CTC' THEN 1 WHEN 'SC' THEN 2 WHEN 'DV' THEN 3 ELSE -1 END";

std::string ClearanceCase(std::string_view column) {
  std::string sql(kClearanceCase);
  sql.replace(sql.find("{}"), 2, column);
  return sql;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Ends the read transaction however the load ends.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db) : db_(db) {}
  Status Begin() {
    PATHWAY_TRY(db_.Execute("BEGIN"));
    open_ = true;
    return domain::Ok{};
  }
  ~ReadTransaction() {
    if (open_) (void)db_.Execute("COMMIT");
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Database& db_;
  bool open_ = false;
};

std::int64_t DataVersion(Database& db) {
  auto stmt = db.Prepare("PRAGMA data_version");
  if (!stmt.ok()) return -1;
  auto row = stmt->Step();
  return row.ok() && *row ? stmt->ColumnInt(0) : -1;
}

// A second connection to the same file with a read transaction already open, for
// reading half the ledger on another thread; null for in-memory databases or if it
// cannot be opened.
std::unique_ptr<Database> OpenSecondReader(Database& db) {
  const std::string& path = db.path();
  std::error_code error;
  if (path.empty() || path == ":memory:" || !std::filesystem::is_regular_file(path, error)) {
    return nullptr;
  }
  OpenOptions options;
  options.read_only = true;
  auto opened = Database::Open(path, options);
  if (!opened.ok()) return nullptr;
  std::unique_ptr<Database> second = std::move(*opened);
  if (!second->Execute("BEGIN").ok()) return nullptr;
  // The read transaction (and its WAL snapshot) starts with the first read.
  auto touch = second->Prepare("SELECT 1 FROM assessment LIMIT 1");
  if (!touch.ok() || !touch->Step().ok()) return nullptr;
  return second;
}

using StatementPtr = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;

// The ledger of people with ids in [?1, ?2), in the primary key's order (for each
// person and item, by increasing seq).
Result<StatementPtr> PrepareLedger(sqlite3* handle) {
  sqlite3_stmt* raw = nullptr;
  const char* sql =
      "SELECT person_id, item_ref_id, level, assessor FROM assessment "
      "WHERE person_id >= ?1 AND person_id < ?2 ORDER BY person_id, item_ref_id, seq";
  if (sqlite3_prepare_v2(handle, sql, -1, &raw, nullptr) != SQLITE_OK) {
    sqlite3_finalize(raw);
    return domain::Error::Unavailable(sqlite3_errmsg(handle));
  }
  return StatementPtr(raw, sqlite3_finalize);
}

// Steps the ledger statement over people with ids in [from, to), calling
// row(person_id, item_ref_id, level, confirms) for each row and counting them in `rows`.
// The raw C API: integer columns read as such, the assessor compared here (cheaper than
// SQLite evaluating `assessor <> 'self'` for 15 M rows), no per-row allocation.
template <typename Row>
Status StepLedger(sqlite3* handle, sqlite3_stmt* stmt, std::int64_t from, std::int64_t to,
                  Row&& row, std::int64_t& rows) {
  sqlite3_reset(stmt);
  sqlite3_bind_int64(stmt, 1, from);
  sqlite3_bind_int64(stmt, 2, to);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const auto* assessor = sqlite3_column_text(stmt, 3);
    const int length = sqlite3_column_bytes(stmt, 3);
    const bool self = length == 4 && std::memcmp(assessor, "self", 4) == 0;
    row(sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1), sqlite3_column_int(stmt, 2),
        !self);
    ++rows;
  }
  if (rc != SQLITE_DONE) return domain::Error::Unavailable(sqlite3_errmsg(handle));
  return domain::Ok{};
}

// Folds the ledger rows of people with ids in [from, to) into `part`, in ledger order.
Status ScanLedger(sqlite3* handle, std::int64_t from, std::int64_t to,
                  const engine::SnapshotBuilder& builder, engine::SnapshotBuilder::LedgerPart& part,
                  std::int64_t& rows) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, PrepareLedger(handle));
  return StepLedger(
      handle, stmt.get(), from, to,
      [&](std::int64_t person, std::int64_t item, int level, bool confirms) {
        builder.AddAssessment(part, person, item, level, confirms);
      },
      rows);
}

// People as the engine indexes them; `where` selects which.
std::string PersonSql(std::string_view where) {
  return "SELECT p.id, COALESCE(pr.id, 0), COALESCE(p.grade, -1), "
         "COALESCE(r.position - 1, -1), COALESCE(d.id, 0), " +
         ClearanceCase("p.clearance_level") +
         ", CASE p.clearance_status WHEN 'pending' THEN 1 WHEN 'expired' THEN 2 "
         "WHEN 'withdrawn' THEN 3 ELSE 0 END, COALESCE(p.post_id, 0) "
         "FROM person p LEFT JOIN profession pr ON pr.code = p.profession "
         "LEFT JOIN department d ON d.code = p.department "
         "LEFT JOIN location l ON l.id = p.location_id "
         "LEFT JOIN region r ON r.code = l.region " +
         std::string(where);
}

engine::PersonInput ReadPerson(const Statement& stmt) {
  engine::PersonInput p;
  p.id = stmt.ColumnInt(0);
  p.profession_id = stmt.ColumnInt(1);
  p.grade = static_cast<int>(stmt.ColumnInt(2));
  p.region = static_cast<int>(stmt.ColumnInt(3));
  p.department_id = stmt.ColumnInt(4);
  p.clearance = static_cast<int>(stmt.ColumnInt(5));
  p.clearance_status = static_cast<domain::ClearanceStatus>(stmt.ColumnInt(6));
  p.post_id = stmt.ColumnInt(7);
  return p;
}

}  // namespace

Result<engine::ReferenceInput> LoadWorkforceReference(Database& db) {
  engine::ReferenceInput in;
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT id, item_id FROM item_ref ORDER BY id"));
    while (true) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      in.items.push_back({stmt.ColumnInt(0), stmt.ColumnText(1)});
    }
  }
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT id, code FROM profession ORDER BY id"));
    while (true) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      in.professions.push_back({stmt.ColumnInt(0), stmt.ColumnText(1)});
    }
  }
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT id, code FROM department ORDER BY id"));
    while (true) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      in.departments.push_back({stmt.ColumnInt(0), stmt.ColumnText(1)});
    }
  }
  std::unordered_map<std::int64_t, std::size_t> level_index;
  {
    PATHWAY_ASSIGN_OR_RETURN(
        auto stmt,
        db.Prepare("SELECT rl.id, rl.code, rl.title, rl.role_id, jf.profession_id, rl.position, "
                   "rl.grade_min, rl.grade_max FROM role_level rl "
                   "JOIN career_role cr ON cr.id = rl.role_id "
                   "JOIN job_family jf ON jf.id = cr.job_family_id ORDER BY rl.id"));
    while (true) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      engine::RoleLevelInput rl;
      rl.id = stmt.ColumnInt(0);
      rl.code = stmt.ColumnText(1);
      rl.title = stmt.ColumnText(2);
      rl.role_id = stmt.ColumnInt(3);
      rl.profession_id = stmt.ColumnInt(4);
      rl.position = static_cast<int>(stmt.ColumnInt(5));
      rl.grade_min = static_cast<int>(stmt.ColumnInt(6));
      rl.grade_max = static_cast<int>(stmt.ColumnInt(7));
      level_index[rl.id] = in.role_levels.size();
      in.role_levels.push_back(std::move(rl));
    }
  }
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                             db.Prepare("SELECT role_level_id, item_ref_id, level, weight "
                                        "FROM role_requirement"));
    while (true) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      auto found = level_index.find(stmt.ColumnInt(0));
      if (found == level_index.end()) continue;
      in.role_levels[found->second].requirements.push_back({stmt.ColumnInt(1),
                                                            static_cast<int>(stmt.ColumnInt(2)),
                                                            static_cast<int>(stmt.ColumnInt(3))});
    }
  }
  {
    PATHWAY_ASSIGN_OR_RETURN(
        auto stmt, db.Prepare("SELECT p.id, p.external_id, p.role_level_id, u.department_id, "
                              "COALESCE(r.position - 1, -1), p.grade, " +
                              ClearanceCase("p.clearance") +
                              ", p.critical FROM post p JOIN unit u ON u.id = p.unit_id "
                              "JOIN location l ON l.id = p.location_id "
                              "LEFT JOIN region r ON r.code = l.region ORDER BY p.id"));
    while (true) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      engine::PostInput post;
      post.id = stmt.ColumnInt(0);
      post.external_id = stmt.ColumnText(1);
      post.role_level_id = stmt.ColumnInt(2);
      post.department_id = stmt.ColumnInt(3);
      post.region = static_cast<int>(stmt.ColumnInt(4));
      post.grade = static_cast<int>(stmt.ColumnInt(5));
      post.clearance = static_cast<int>(stmt.ColumnInt(6));
      post.critical = stmt.ColumnInt(7) != 0;
      in.posts.push_back(std::move(post));
    }
  }
  return in;
}

Result<std::shared_ptr<const engine::Snapshot>> LoadWorkforceSnapshot(Database& db,
                                                                      WorkforceLoadStats* stats) {
  WorkforceLoadStats local;
  WorkforceLoadStats& out = stats ? *stats : local;
  auto start = std::chrono::steady_clock::now();
  // The ledger is read by two threads over two connections when the database is a
  // file. Both must read the same state: the second opens its read transaction first,
  // and is used only if no other connection committed between a data_version read
  // before that and this connection's own read transaction.
  const std::int64_t version_before = DataVersion(db);
  std::unique_ptr<Database> second = OpenSecondReader(db);
  ReadTransaction read(db);
  PATHWAY_TRY(read.Begin());
  engine::SnapshotBuilder builder;

  PATHWAY_ASSIGN_OR_RETURN(auto reference, LoadWorkforceReference(db));
  if (second && (version_before < 0 || DataVersion(db) != version_before)) second.reset();
  PATHWAY_TRY(builder.SetReference(reference));
  out.reference_seconds = SecondsSince(start);
  std::vector<std::int64_t> person_ids;

  start = std::chrono::steady_clock::now();
  {
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(PersonSql("")));
    while (true) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      const engine::PersonInput p = ReadPerson(stmt);
      builder.AddPerson(p);
      if (second) person_ids.push_back(p.id);
      ++out.people;
    }
  }
  out.people_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  {
    PATHWAY_TRY(builder.LayOutPeople());
    engine::SnapshotBuilder::LedgerPart first_half;
    std::int64_t rows = 0;
    constexpr std::int64_t kAll = std::numeric_limits<std::int64_t>::max();
    if (second && person_ids.size() >= 2) {
      // Split the people in two by id, half the ledger each.
      auto middle = person_ids.begin() + static_cast<std::ptrdiff_t>(person_ids.size() / 2);
      std::nth_element(person_ids.begin(), middle, person_ids.end());
      const std::int64_t split = *middle;
      engine::SnapshotBuilder::LedgerPart second_half;
      std::int64_t second_rows = 0;
      Status second_status = domain::Ok{};
      std::thread other([&] {
        second_status =
            ScanLedger(second->handle(), split, kAll, builder, second_half, second_rows);
      });
      Status first_status = ScanLedger(db.handle(), std::numeric_limits<std::int64_t>::min(), split,
                                       builder, first_half, rows);
      other.join();
      PATHWAY_TRY(first_status);
      PATHWAY_TRY(second_status);
      builder.Merge(std::move(second_half));
      rows += second_rows;
      out.ledger_threads = 2;
    } else {
      PATHWAY_TRY(ScanLedger(db.handle(), std::numeric_limits<std::int64_t>::min(), kAll, builder,
                             first_half, rows));
      out.ledger_threads = 1;
    }
    builder.Merge(std::move(first_half));
    out.assessments = rows;
  }
  out.assessment_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  PATHWAY_ASSIGN_OR_RETURN(auto snapshot, builder.Build());
  out.skipped_assessments = builder.skipped_assessments();
  out.build_seconds = SecondsSince(start);
  return snapshot;
}

Result<engine::PeopleReplacement> LoadWorkforcePeople(Database& db,
                                                      std::span<const std::int64_t> person_ids) {
  std::vector<std::int64_t> ids(person_ids.begin(), person_ids.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  engine::PeopleReplacement out;
  ReadTransaction read(db);
  PATHWAY_TRY(read.Begin());
  PATHWAY_ASSIGN_OR_RETURN(auto person, db.Prepare(PersonSql("WHERE p.id = ?")));
  PATHWAY_ASSIGN_OR_RETURN(auto ledger, PrepareLedger(db.handle()));
  std::int64_t rows = 0;
  for (const std::int64_t id : ids) {
    person.Reset();
    person.Bind(1, id);
    PATHWAY_ASSIGN_OR_RETURN(const bool found, person.Step());
    if (!found) {
      out.removed.push_back(id);
      continue;
    }
    out.people.push_back(ReadPerson(person));
    PATHWAY_TRY(StepLedger(
        db.handle(), ledger.get(), id, id + 1,
        [&](std::int64_t person_id, std::int64_t item, int level, bool confirms) {
          out.ledger.push_back({person_id, item, level, confirms});
        },
        rows));
  }
  return out;
}

}  // namespace pathway::store
