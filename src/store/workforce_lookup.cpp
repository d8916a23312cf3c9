#include "store/workforce_lookup.hpp"

namespace pathway::store {
namespace {

// Runs `sql` and calls `row(stmt)` for each row.
template <typename Row>
Status ForEachRow(Database& db, std::string_view sql, Row&& row) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool more, stmt.Step());
    if (!more) return domain::Ok{};
    row(stmt);
  }
}

}  // namespace

Result<std::vector<DepartmentOfRow>> LoadDepartmentsOf(Database& db, DepartmentOf what) {
  std::string_view sql;
  switch (what) {
    case DepartmentOf::kUnit:
      sql = "SELECT u.code, d.code FROM unit u JOIN department d ON d.id = u.department_id";
      break;
    case DepartmentOf::kPost:
      sql =
          "SELECT p.external_id, d.code FROM post p JOIN unit u ON u.id = p.unit_id "
          "JOIN department d ON d.id = u.department_id";
      break;
    case DepartmentOf::kPerson:
      sql = "SELECT external_id, department FROM person";
      break;
  }
  std::vector<DepartmentOfRow> rows;
  PATHWAY_TRY(ForEachRow(db, sql, [&](Statement& s) {
    rows.push_back({s.ColumnText(0), s.ColumnText(1)});
  }));
  return rows;
}

Result<std::vector<std::string>> LoadCodes(Database& db, CodeTable table) {
  std::string_view sql;
  switch (table) {
    case CodeTable::kDepartment:
      sql = "SELECT code FROM department";
      break;
    case CodeTable::kUnit:
      sql = "SELECT code FROM unit";
      break;
    case CodeTable::kLocation:
      sql = "SELECT code FROM location";
      break;
    case CodeTable::kProfession:
      sql = "SELECT code FROM profession";
      break;
    case CodeTable::kRoleLevel:
      sql = "SELECT code FROM role_level";
      break;
  }
  std::vector<std::string> codes;
  PATHWAY_TRY(ForEachRow(db, sql, [&](Statement& s) { codes.push_back(s.ColumnText(0)); }));
  return codes;
}

Result<std::vector<UnitParent>> LoadUnitParents(Database& db) {
  std::vector<UnitParent> out;
  PATHWAY_TRY(ForEachRow(db,
                         "SELECT u.code, COALESCE(p.code, '') FROM unit u "
                         "LEFT JOIN unit p ON p.id = u.parent_id",
                         [&](Statement& s) {
                           out.push_back({s.ColumnText(0), s.ColumnText(1)});
                         }));
  return out;
}

Result<std::vector<FrameworkTitle>> LoadCareerFrameworkTitles(Database& db) {
  std::vector<FrameworkTitle> out;
  PATHWAY_TRY(ForEachRow(db,
                         "SELECT f.id, v.title FROM framework f JOIN framework_version v "
                         "ON v.framework_id = f.id WHERE f.kind = 'career'",
                         [&](Statement& s) {
                           out.push_back({s.ColumnText(0), s.ColumnText(1)});
                         }));
  return out;
}

Result<std::vector<RoleLevelSlot>> LoadRoleLevelSlots(Database& db) {
  std::vector<RoleLevelSlot> out;
  PATHWAY_TRY(ForEachRow(
      db,
      "SELECT l.code, r.code, l.position FROM role_level l "
      "JOIN career_role r ON r.id = l.role_id",
      [&](Statement& s) {
        out.push_back({s.ColumnText(0), s.ColumnText(1), static_cast<int>(s.ColumnInt(2))});
      }));
  return out;
}

Result<std::vector<FrameworkItemRow>> LoadFrameworkItems(Database& db) {
  std::vector<FrameworkItemRow> out;
  PATHWAY_TRY(ForEachRow(db,
                         "SELECT i.id, i.framework_id, i.title, f.kind, v.status FROM fw_item i "
                         "JOIN framework f ON f.id = i.framework_id "
                         "JOIN framework_version v ON v.framework_id = i.framework_id "
                         "AND v.version = i.version",
                         [&](Statement& s) {
                           out.push_back({s.ColumnText(0), s.ColumnText(1), s.ColumnText(2),
                                          s.ColumnText(3), s.ColumnText(4)});
                         }));
  return out;
}

Status ForEachPost(Database& db,
                   const std::function<void(std::int64_t id, std::string_view external_id)>& row) {
  return ForEachRow(db, "SELECT id, external_id FROM post ORDER BY id",
                    [&](Statement& s) { row(s.ColumnInt(0), s.ColumnText(1)); });
}

Status ForEachPerson(Database& db, const std::function<void(const StoredPersonRef&)>& row) {
  return ForEachRow(db, "SELECT id, external_id, line_manager_id, post_id FROM person ORDER BY id",
                    [&](Statement& s) {
                      const std::string external_id = s.ColumnText(1);
                      row({s.ColumnInt(0), external_id, s.ColumnIsNull(2) ? 0 : s.ColumnInt(2),
                           s.ColumnIsNull(3) ? 0 : s.ColumnInt(3)});
                    });
}

Status ForEachItemRef(Database& db,
                      const std::function<void(std::int64_t id, std::string_view item_id)>& row) {
  return ForEachRow(db, "SELECT id, item_id FROM item_ref",
                    [&](Statement& s) { row(s.ColumnInt(0), s.ColumnText(1)); });
}

}  // namespace pathway::store
