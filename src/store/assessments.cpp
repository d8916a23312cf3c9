// The assessment ledger's bulk writes: AssessmentWriter, CarriedLevelWriter and ItemRefId
// (assessment_writer.hpp), and AppendAssessments (declared in workforce_write.hpp). It
// must take millions of rows quickly, so it prepares each statement once, resolves a
// person's row id once per run of their rows, and reads existing sequence numbers only
// for people who may already have assessments.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <sqlite3.h>

#include "store/assessment_writer.hpp"
#include "store/workforce_write.hpp"

namespace pathway::store {
namespace {

std::string RowField(std::size_t index, std::string_view column) {
  return fmt::format("rows[{}].{}", index, column);
}

}  // namespace

namespace {

constexpr std::string_view kInsertAssessment =
    "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, "
    "framework_version, evidence) VALUES ";
constexpr std::string_view kAssessmentValues = "(?, ?, ?, ?, ?, ?, ?, ?)";
constexpr int kAssessmentColumns = 8;

std::string InsertSql(std::size_t rows) {
  std::string sql(kInsertAssessment);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += kAssessmentValues;
  }
  return sql;
}

// Binds `row` to the parameters from `first` on. The texts are bound without copies:
// they outlive the statement's step.
void BindRow(sqlite3_stmt* stmt, int first, const AssessmentRow& row) {
  const std::string_view assessor = domain::AssessorKindName(row.assessor);
  sqlite3_bind_int64(stmt, first, row.person_id);
  sqlite3_bind_int64(stmt, first + 1, row.item_ref_id);
  sqlite3_bind_int64(stmt, first + 2, row.seq);
  sqlite3_bind_int(stmt, first + 3, row.level);
  sqlite3_bind_text(stmt, first + 4, assessor.data(), static_cast<int>(assessor.size()),
                    SQLITE_STATIC);
  // A default string_view has no data, which SQLite would bind as NULL.
  sqlite3_bind_text(stmt, first + 5, row.assessed_on.empty() ? "" : row.assessed_on.data(),
                    static_cast<int>(row.assessed_on.size()), SQLITE_STATIC);
  sqlite3_bind_int(stmt, first + 6, row.framework_version);
  sqlite3_bind_text(stmt, first + 7, row.evidence.empty() ? "" : row.evidence.data(),
                    static_cast<int>(row.evidence.size()), SQLITE_STATIC);
}

}  // namespace

namespace internal {

void BatchedInsert::Finalize::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

Result<BatchedInsert> BatchedInsert::Prepare(Database& db,
                                             const std::function<std::string(std::size_t)>& sql,
                                             std::string_view what) {
  BatchedInsert insert(db, std::string(what));
  for (auto [rows, statement] :
       {std::pair{std::size_t{1}, &insert.one_}, std::pair{kRowsPerStatement, &insert.many_}}) {
    const std::string text = sql(rows);
    // Runs millions of times: prepared as persistent.
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db.handle(), text.c_str(), static_cast<int>(text.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return Error::Unavailable(
          fmt::format("Could not prepare the {} insert: {}", what, sqlite3_errmsg(db.handle())));
    }
    statement->reset(stmt);
  }
  return insert;
}

Status BatchedInsert::Step(sqlite3_stmt* stmt) {
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) {
    sqlite3_reset(stmt);
    return domain::Ok{};
  }
  std::string message =
      fmt::format("The {} could not be stored: {}", what_, sqlite3_errmsg(db_->handle()));
  sqlite3_reset(stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return Error{domain::ErrorCode::kConflict, {}, std::move(message)};
  }
  return Error::Unavailable(std::move(message));
}

}  // namespace internal

Result<AssessmentWriter> AssessmentWriter::Open(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(auto insert,
                           internal::BatchedInsert::Prepare(db, InsertSql, "assessment"));
  return AssessmentWriter(std::move(insert));
}

Status AssessmentWriter::Add(std::span<const AssessmentRow> rows) {
  return insert_.Add(rows, [](sqlite3_stmt* stmt, int i, const AssessmentRow& row) {
    BindRow(stmt, i * kAssessmentColumns + 1, row);
  });
}

namespace {

// Parameters ?1 to ?3 hold what every carried row of a run shares; each row has
// kCarriedColumns of its own from ?4 on.
constexpr int kCarriedShared = 3;
constexpr int kCarriedColumns = 6;

std::string CarriedInsertSql(std::size_t rows) {
  std::string sql =
      "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, "
      "framework_version, evidence, capacity, recorded_at, comment, cites_seq, "
      "cites_item_ref_id) VALUES ";
  for (std::size_t i = 0; i < rows; ++i) {
    const int p = kCarriedShared + 1 + static_cast<int>(i) * kCarriedColumns;
    sql += fmt::format("{}(?{}, ?{}, 1, ?{}, ?{}, ?1, ?3, '', 'carry_over', ?2, '', ?{}, ?{})",
                       i > 0 ? ", " : "", p, p + 1, p + 2, p + 3, p + 4, p + 5);
  }
  return sql;
}

}  // namespace

Result<CarriedLevelWriter> CarriedLevelWriter::Open(Database& db, std::string_view assessed_on,
                                                    std::string_view recorded_at,
                                                    int framework_version) {
  PATHWAY_ASSIGN_OR_RETURN(auto insert,
                           internal::BatchedInsert::Prepare(db, CarriedInsertSql, "carried level"));
  insert.BindShared([&](sqlite3_stmt* stmt) {
    sqlite3_bind_text(stmt, 1, assessed_on.data(), static_cast<int>(assessed_on.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, recorded_at.data(), static_cast<int>(recorded_at.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 3, framework_version);
  });
  return CarriedLevelWriter(std::move(insert));
}

Status CarriedLevelWriter::Add(std::span<const CarriedRow> rows) {
  return insert_.Add(rows, [](sqlite3_stmt* stmt, int i, const CarriedRow& row) {
    const int p = kCarriedShared + 1 + i * kCarriedColumns;
    const std::string_view source = domain::AssessorKindName(row.source);
    sqlite3_bind_int64(stmt, p, row.person_id);
    sqlite3_bind_int64(stmt, p + 1, row.item_ref_id);
    sqlite3_bind_int(stmt, p + 2, row.level);
    sqlite3_bind_text(stmt, p + 3, source.data(), static_cast<int>(source.size()), SQLITE_STATIC);
    sqlite3_bind_int64(stmt, p + 4, row.cites_seq);
    sqlite3_bind_int64(stmt, p + 5, row.cites_item_ref_id);
  });
}

Result<std::int64_t> ItemRefId(Database& db, std::string_view item_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto find_ref, db.Prepare("SELECT id FROM item_ref WHERE item_id = ?"));
  find_ref.Bind(1, item_id);
  PATHWAY_ASSIGN_OR_RETURN(bool stored, find_ref.Step());
  if (stored) return find_ref.ColumnInt(0);
  PATHWAY_ASSIGN_OR_RETURN(auto find_item,
                           db.Prepare("SELECT framework_id FROM fw_item WHERE id = ? LIMIT 1"));
  find_item.Bind(1, item_id);
  PATHWAY_ASSIGN_OR_RETURN(bool found, find_item.Step());
  if (!found) {
    return Error::InvalidInput("item_id",
                               fmt::format("There is no framework item with the id {}", item_id));
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto add_item, db.Prepare("INSERT INTO item_ref (framework_id, item_id) VALUES (?, ?)"));
  add_item.Bind(1, find_item.ColumnText(0)).Bind(2, item_id);
  PATHWAY_TRY(add_item.Run());
  return db.LastInsertRowId();
}

Result<std::int64_t> AppendAssessments(Database& db, std::span<const domain::Assessment> rows,
                                       const WriteProgress& progress) {
  if (rows.empty()) return std::int64_t{0};

  std::unordered_map<std::string, std::int64_t> item_refs;
  {
    PATHWAY_ASSIGN_OR_RETURN(auto load, db.Prepare("SELECT item_id, id FROM item_ref"));
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, load.Step());
      if (!row) break;
      item_refs.emplace(load.ColumnText(0), load.ColumnInt(1));
    }
  }
  // People with a row id above this had no assessments before this call.
  std::int64_t max_assessed_person = 0;
  {
    PATHWAY_ASSIGN_OR_RETURN(auto max, db.Prepare("SELECT MAX(person_id) FROM assessment"));
    PATHWAY_ASSIGN_OR_RETURN(bool row, max.Step());
    if (row && !max.ColumnIsNull(0)) max_assessed_person = max.ColumnInt(0);
  }

  PATHWAY_ASSIGN_OR_RETURN(auto find_person,
                           db.Prepare("SELECT id FROM person WHERE external_id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto find_item,
                           db.Prepare("SELECT framework_id FROM fw_item WHERE id = ? LIMIT 1"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto add_item, db.Prepare("INSERT INTO item_ref (framework_id, item_id) VALUES (?, ?)"));
  PATHWAY_ASSIGN_OR_RETURN(auto existing_seqs,
                           db.Prepare("SELECT item_ref_id, MAX(seq) FROM assessment "
                                      "WHERE person_id = ? GROUP BY item_ref_id"));
  PATHWAY_ASSIGN_OR_RETURN(auto writer, AssessmentWriter::Open(db));

  std::unordered_set<std::int64_t> seen_people;  // people whose rows this call has started
  // The last seq of each item for the current person: few items, so a flat list.
  std::vector<std::pair<std::int64_t, std::int64_t>> seqs;

  // A person's rows are written in item order, so that keys arrive in order and each
  // insert lands at the end of the table.
  std::vector<std::pair<std::int64_t, std::size_t>> run;  // (item_ref, row index)
  std::int64_t written = 0;
  for (std::size_t begin = 0; begin < rows.size();) {
    const std::string& external_id = rows[begin].person;
    std::size_t end = begin + 1;
    while (end < rows.size() && rows[end].person == external_id) ++end;

    find_person.Reset();
    find_person.Bind(1, external_id);
    PATHWAY_ASSIGN_OR_RETURN(bool found_person, find_person.Step());
    if (!found_person) {
      return Error::InvalidInput(RowField(begin, "person"),
                                 fmt::format("There is no person with the id {}", external_id));
    }
    const std::int64_t person = find_person.ColumnInt(0);
    seqs.clear();
    // Rows for this person may already be stored: before this call, or earlier in it if
    // their rows are not together.
    if (person <= max_assessed_person || !seen_people.insert(person).second) {
      existing_seqs.Reset();
      existing_seqs.Bind(1, person);
      for (;;) {
        PATHWAY_ASSIGN_OR_RETURN(bool row, existing_seqs.Step());
        if (!row) break;
        seqs.emplace_back(existing_seqs.ColumnInt(0), existing_seqs.ColumnInt(1));
      }
      seen_people.insert(person);
    }

    run.clear();
    for (std::size_t i = begin; i < end; ++i) {
      auto item = item_refs.find(rows[i].item_id);
      if (item == item_refs.end()) {
        find_item.Reset();
        find_item.Bind(1, rows[i].item_id);
        PATHWAY_ASSIGN_OR_RETURN(bool found, find_item.Step());
        if (!found) {
          return Error::InvalidInput(
              RowField(i, "item_id"),
              fmt::format("There is no framework item with the id {}", rows[i].item_id));
        }
        add_item.Reset();
        add_item.Bind(1, find_item.ColumnText(0)).Bind(2, rows[i].item_id);
        PATHWAY_TRY(add_item.Run());
        item = item_refs.emplace(rows[i].item_id, db.LastInsertRowId()).first;
      }
      run.emplace_back(item->second, i);
    }
    std::stable_sort(run.begin(), run.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });

    for (const auto& [item_ref, i] : run) {
      const domain::Assessment& a = rows[i];
      auto seq = std::find_if(seqs.begin(), seqs.end(),
                              [&](const auto& entry) { return entry.first == item_ref; });
      if (seq == seqs.end()) seq = seqs.insert(seqs.end(), {item_ref, 0});
      ++seq->second;

      const AssessmentRow row{person,     item_ref,      seq->second,         a.level,
                              a.assessor, a.assessed_on, a.framework_version, a.evidence};
      auto added = writer.Add({&row, 1});
      if (!added.ok()) {
        return Error::InvalidInput(RowField(i, "level"), std::move(added).error().message);
      }
      ++written;
      if (progress.report && progress.every > 0 && written % progress.every == 0) {
        progress.report(written);
      }
    }
    begin = end;
  }
  return written;
}

}  // namespace pathway::store
