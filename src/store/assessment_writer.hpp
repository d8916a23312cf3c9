// The assessment ledger's lowest-level bulk write, for loads of millions of rows that
// already know their people's and items' row ids (the demo generator): prepared
// statements, reused, each inserting many rows, with integers and borrowed texts bound
// directly, so a row costs no allocation. AppendAssessments (workforce_write.hpp) is the
// checked, general entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "domain/workforce.hpp"
#include "store/database.hpp"

struct sqlite3_stmt;

namespace pathway::store {

// One assessment, by row ids. The texts are only read during AssessmentWriter::Add.
struct AssessmentRow {
  std::int64_t person_id = 0;    // person.id
  std::int64_t item_ref_id = 0;  // item_ref.id
  // The next seq for this person and item: the caller's to know (for a new person's
  // rows, 1 for an item's first assessment, 2 for its second...).
  std::int64_t seq = 1;
  int level = 1;
  domain::AssessorKind assessor = domain::AssessorKind::kSelf;
  std::string_view assessed_on;  // ISO date
  int framework_version = 1;
  std::string_view evidence;
};

namespace internal {

// The loop both ledger writers share: an INSERT of one row and one of kRowsPerStatement
// rows, prepared once (persistent), and rows fed through them many a statement while
// they last, then one at a time. Each execution of a statement has a cost of its own
// (opening the table, registers) as large as inserting a row.
class BatchedInsert {
 public:
  static constexpr std::size_t kRowsPerStatement = 64;

  // `sql(n)` is the INSERT of n rows; `what` names a row in errors ("assessment").
  static Result<BatchedInsert> Prepare(Database& db,
                                       const std::function<std::string(std::size_t)>& sql,
                                       std::string_view what);

  // Calls `bind(stmt)` on both statements, to bind what every row of a run shares.
  template <typename Bind>
  void BindShared(Bind&& bind) {
    for (sqlite3_stmt* stmt : {one_.get(), many_.get()}) bind(stmt);
  }

  // Inserts `rows` in order, `bind(stmt, i, row)` binding the i-th row of a statement.
  // kConflict if a key is already stored (or repeated) or a value breaks a CHECK; the
  // rows before the statement that failed stay written, so the caller rolls back.
  template <typename Row, typename Bind>
  Status Add(std::span<const Row> rows, Bind&& bind) {
    for (std::size_t at = 0; at < rows.size();) {
      const bool many = rows.size() - at >= kRowsPerStatement;
      sqlite3_stmt* stmt = many ? many_.get() : one_.get();
      const std::size_t count = many ? kRowsPerStatement : 1;
      for (std::size_t i = 0; i < count; ++i) bind(stmt, static_cast<int>(i), rows[at + i]);
      PATHWAY_TRY(Step(stmt));
      at += count;
    }
    return domain::Ok{};
  }

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const;
  };
  using Statement = std::unique_ptr<sqlite3_stmt, Finalize>;
  BatchedInsert(Database& db, std::string what) : db_(&db), what_(std::move(what)) {}
  Status Step(sqlite3_stmt* stmt);

  Database* db_;
  std::string what_;
  Statement one_;   // inserts one row
  Statement many_;  // inserts kRowsPerStatement rows
};

}  // namespace internal

// Inserts rows into the assessment ledger within the caller's transaction. Rows are
// fastest in key order (person, item, seq), when each lands at the end of the table.
class AssessmentWriter {
 public:
  static Result<AssessmentWriter> Open(Database& db);

  // Inserts `rows` in order. kConflict if a key is already stored (or repeated) or a
  // value breaks a CHECK; the rows before the statement that failed stay written, so
  // the caller rolls back the transaction.
  Status Add(std::span<const AssessmentRow> rows);

  static constexpr std::size_t kRowsPerStatement = internal::BatchedInsert::kRowsPerStatement;

 private:
  explicit AssessmentWriter(internal::BatchedInsert insert) : insert_(std::move(insert)) {}
  internal::BatchedInsert insert_;
};

// One level carried to a new framework version: the first ledger row (seq 1) of a person
// and a new item, citing the row of the replaced item that decided it.
struct CarriedRow {
  std::int64_t person_id = 0;
  std::int64_t item_ref_id = 0;  // the new item
  int level = 1;
  domain::AssessorKind source = domain::AssessorKind::kSelf;  // of the cited row
  std::int64_t cites_item_ref_id = 0;
  std::int64_t cites_seq = 0;
};

// Inserts carried levels (capacity carry_over) into the ledger within the caller's
// transaction, many rows a statement, with the values every row of a run shares bound
// once. The caller knows the person has no row for the item yet (seq 1 is free).
class CarriedLevelWriter {
 public:
  // `assessed_on` (ISO date) and `recorded_at` (ISO timestamp) are copied.
  static Result<CarriedLevelWriter> Open(Database& db, std::string_view assessed_on,
                                         std::string_view recorded_at, int framework_version);

  // Inserts `rows` in order (fastest in key order). kConflict if a key is already stored;
  // the rows before the statement that failed stay written, so the caller rolls back.
  Status Add(std::span<const CarriedRow> rows);

  static constexpr std::size_t kRowsPerStatement = internal::BatchedInsert::kRowsPerStatement;

 private:
  explicit CarriedLevelWriter(internal::BatchedInsert insert) : insert_(std::move(insert)) {}
  internal::BatchedInsert insert_;
};

// The item_ref id of the framework item `item_id` (a UUID), adding the item_ref row if
// there is none. kInvalidInput if no framework has the item.
Result<std::int64_t> ItemRefId(Database& db, std::string_view item_id);

}  // namespace pathway::store
