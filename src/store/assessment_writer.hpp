// The assessment ledger's lowest-level bulk write, for loads of millions of rows that
// already know their people's and items' row ids (the demo generator): prepared
// statements, reused, each inserting many rows, with integers and borrowed texts bound
// directly, so a row costs no allocation. AppendAssessments (workforce_write.hpp) is the
// checked, general entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
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

// Inserts rows into the assessment ledger within the caller's transaction. Rows are
// fastest in key order (person, item, seq), when each lands at the end of the table.
class AssessmentWriter {
 public:
  static Result<AssessmentWriter> Open(Database& db);
  AssessmentWriter(AssessmentWriter&& other) noexcept;
  AssessmentWriter& operator=(AssessmentWriter&&) = delete;
  AssessmentWriter(const AssessmentWriter&) = delete;
  AssessmentWriter& operator=(const AssessmentWriter&) = delete;
  ~AssessmentWriter();

  // Inserts `rows` in order. kConflict if a key is already stored (or repeated) or a
  // value breaks a CHECK; the rows before the statement that failed stay written, so
  // the caller rolls back the transaction.
  Status Add(std::span<const AssessmentRow> rows);

  static constexpr std::size_t kRowsPerStatement = 64;

 private:
  AssessmentWriter(Database& db, sqlite3_stmt* one, sqlite3_stmt* many)
      : db_(&db), one_(one), many_(many) {}
  Database* db_;
  sqlite3_stmt* one_;   // inserts one row
  sqlite3_stmt* many_;  // inserts kRowsPerStatement rows
};

// The item_ref id of the framework item `item_id` (a UUID), adding the item_ref row if
// there is none. kInvalidInput if no framework has the item.
Result<std::int64_t> ItemRefId(Database& db, std::string_view item_id);

}  // namespace pathway::store
