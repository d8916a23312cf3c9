#include "store/workforce_labels.hpp"

#include <algorithm>
#include <tuple>

#include "domain/grade.hpp"

namespace pathway::store {
namespace {

constexpr std::size_t kIdsPerStatement = 200;

std::string GradeCodeOf(const Statement& row, int column) {
  if (row.ColumnIsNull(column)) return {};
  const auto rank = row.ColumnInt(column);
  if (rank < 0 || rank >= domain::kGradeCount) return {};
  return std::string(domain::GradeCode(static_cast<domain::Grade>(rank)));
}

// The rows of `sql` (code, name) by name, then code. Sorted here: an ORDER BY name would
// open a sorter on every list page, there being no index by name.
Result<std::vector<NamedCode>> ListNamed(Database& db, std::string_view sql) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  std::vector<NamedCode> out;
  while (true) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnText(0), stmt.ColumnText(1)});
  }
  // std::string compares bytes as unsigned, as SQLite's BINARY collation does.
  std::sort(out.begin(), out.end(), [](const NamedCode& a, const NamedCode& b) {
    return std::tie(a.name, a.code) < std::tie(b.name, b.code);
  });
  return out;
}

}  // namespace

Result<std::unordered_map<std::int64_t, PersonLabel>> FindPersonLabels(
    Database& db, std::span<const std::int64_t> ids) {
  std::unordered_map<std::int64_t, PersonLabel> out;
  for (std::size_t start = 0; start < ids.size(); start += kIdsPerStatement) {
    const auto batch = ids.subspan(start, std::min(kIdsPerStatement, ids.size() - start));
    std::string sql =
        "SELECT p.id, p.external_id, p.display_name, p.grade, p.department, p.profession, "
        "COALESCE(l.region, '') FROM person p LEFT JOIN location l ON l.id = p.location_id "
        "WHERE p.id IN (";
    for (std::size_t i = 0; i < batch.size(); ++i) sql += i == 0 ? "?" : ",?";
    sql += ")";
    PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
    for (std::size_t i = 0; i < batch.size(); ++i) stmt.Bind(static_cast<int>(i + 1), batch[i]);
    while (true) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      PersonLabel label;
      label.id = stmt.ColumnInt(0);
      label.external_id = stmt.ColumnText(1);
      label.name = stmt.ColumnText(2);
      label.grade = GradeCodeOf(stmt, 3);
      label.department = stmt.ColumnText(4);
      label.profession = stmt.ColumnText(5);
      label.region = stmt.ColumnText(6);
      out.emplace(label.id, std::move(label));
    }
  }
  return out;
}

Result<std::vector<ItemLabel>> ListItemLabels(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(R"sql(
SELECT ir.item_id, ir.framework_id,
       COALESCE((SELECT fi.title FROM fw_item fi
                 JOIN framework_version fv ON fv.framework_id = fi.framework_id
                                          AND fv.version = fi.version
                 WHERE fi.id = ir.item_id AND fi.framework_id = ir.framework_id
                   AND fv.status = 'published'
                 ORDER BY fi.version DESC LIMIT 1), '')
FROM item_ref ir)sql"));
  std::vector<ItemLabel> out;
  while (true) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnText(0), stmt.ColumnText(2), stmt.ColumnText(1)});
  }
  std::sort(out.begin(), out.end(), [](const ItemLabel& a, const ItemLabel& b) {
    if (a.title != b.title) return a.title < b.title;
    return a.item_id < b.item_id;
  });
  return out;
}

Result<std::vector<NamedCode>> ListDepartmentNames(Database& db) {
  return ListNamed(db, "SELECT code, name FROM department");
}

Result<std::vector<NamedCode>> ListProfessionNames(Database& db) {
  return ListNamed(db, "SELECT code, name FROM profession");
}

}  // namespace pathway::store
