// ReplaceProfessionContacts (declared in workforce_write.hpp): a profession's community.
#include <set>
#include <string>

#include <fmt/format.h>

#include "store/workforce_write.hpp"

namespace pathway::store {
namespace {

// The row id of the record whose code (or external id) is `code`, looked up with `sql`.
Result<std::int64_t> IdOf(Statement& stmt, const std::string& code, std::size_t index,
                          std::string_view column, std::string_view what) {
  stmt.Reset();
  stmt.Bind(1, code);
  PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    return Error::InvalidInput(fmt::format("rows[{}].{}", index, column),
                               fmt::format("There is no {} {}", what, code));
  }
  return stmt.ColumnInt(0);
}

}  // namespace

Result<UpsertCounts> ReplaceProfessionContacts(Database& db,
                                               std::span<const domain::ProfessionContact> rows) {
  PATHWAY_ASSIGN_OR_RETURN(auto profession, db.Prepare("SELECT id FROM profession WHERE code = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto person, db.Prepare("SELECT id FROM person WHERE external_id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto department, db.Prepare("SELECT id FROM department WHERE code = ?"));
  PATHWAY_ASSIGN_OR_RETURN(auto clear,
                           db.Prepare("DELETE FROM profession_contact WHERE profession_id = ?"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO profession_contact (profession_id, person_id, kind, "
                              "department_id) VALUES (?, ?, ?, ?)"));
  std::set<std::int64_t> cleared;
  UpsertCounts counts;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    PATHWAY_ASSIGN_OR_RETURN(auto profession_id,
                             IdOf(profession, row.profession, i, "profession", "profession"));
    PATHWAY_ASSIGN_OR_RETURN(auto person_id, IdOf(person, row.person, i, "person", "person"));
    const bool departmental = row.kind == domain::ProfessionContact::Kind::kDepartmentalHead;
    if (departmental == row.department.empty()) {
      return Error::InvalidInput(fmt::format("rows[{}].department", i),
                                 departmental ? "Enter the department of a departmental head"
                                              : "A head of profession has no department");
    }
    if (cleared.insert(profession_id).second) {
      clear.Reset();
      clear.Bind(1, profession_id);
      PATHWAY_TRY(clear.Run());
    }
    insert.Reset();
    insert.Bind(1, profession_id).Bind(2, person_id);
    insert.Bind(3, departmental ? "departmental_head" : "head_of_profession");
    if (departmental) {
      PATHWAY_ASSIGN_OR_RETURN(auto department_id,
                               IdOf(department, row.department, i, "department", "department"));
      insert.Bind(4, department_id);
    } else {
      insert.BindNull(4);
    }
    PATHWAY_TRY(insert.Run());
    ++counts.inserted;
  }
  return counts;
}

}  // namespace pathway::store
