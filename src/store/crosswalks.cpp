#include "store/crosswalks.hpp"

namespace pathway::store {
namespace {

constexpr std::string_view kSelect = R"sql(
SELECT c.id, c.framework_id, c.item_id,
       COALESCE((SELECT title FROM fw_item WHERE id = c.item_id ORDER BY version DESC LIMIT 1), ''),
       c.kind, c.target_framework_id,
       COALESCE((SELECT title FROM framework_version WHERE framework_id = c.target_framework_id
                 ORDER BY version DESC LIMIT 1), ''),
       c.target_item_id,
       COALESCE((SELECT title FROM fw_item WHERE id = c.target_item_id ORDER BY version DESC
                 LIMIT 1), ''),
       c.notes, c.created_at
FROM crosswalk c)sql";

CrosswalkRow RowOf(const Statement& stmt) {
  CrosswalkRow row;
  row.id = stmt.ColumnText(0);
  row.framework_id = stmt.ColumnText(1);
  row.item_id = stmt.ColumnText(2);
  row.item_title = stmt.ColumnText(3);
  row.kind =
      domain::ParseCrosswalkKind(stmt.ColumnText(4)).value_or(domain::CrosswalkKind::kRelated);
  row.target_framework_id = stmt.ColumnText(5);
  row.target_framework_title = stmt.ColumnText(6);
  row.target_item_id = stmt.ColumnText(7);
  row.target_item_title = stmt.ColumnText(8);
  row.notes = stmt.ColumnText(9);
  row.created_at = stmt.ColumnText(10);
  return row;
}

domain::CrosswalkKind Reversed(domain::CrosswalkKind kind) {
  switch (kind) {
    case domain::CrosswalkKind::kBroader:
      return domain::CrosswalkKind::kNarrower;
    case domain::CrosswalkKind::kNarrower:
      return domain::CrosswalkKind::kBroader;
    default:
      return kind;
  }
}

}  // namespace

Result<std::vector<CrosswalkRow>> ListCrosswalks(Database& db, std::string_view framework_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(std::string(kSelect) +
                                                 " WHERE c.framework_id = ? ORDER BY 4, 9, c.id"));
  stmt.Bind(1, framework_id);
  std::vector<CrosswalkRow> rows;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return rows;
    rows.push_back(RowOf(stmt));
  }
}

Result<std::optional<CrosswalkRow>> FindCrosswalk(Database& db, std::string_view id) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(std::string(kSelect) + " WHERE c.id = ?"));
  stmt.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<CrosswalkRow>{};
  return std::optional<CrosswalkRow>(RowOf(stmt));
}

Status InsertCrosswalk(Database& db, const CrosswalkRow& row, std::optional<std::int64_t> by,
                       std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO crosswalk (id, framework_id, item_id, kind, "
                            "target_framework_id, target_item_id, notes, created_by, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(1, row.id)
      .Bind(2, row.framework_id)
      .Bind(3, row.item_id)
      .Bind(4, domain::CrosswalkKindName(row.kind))
      .Bind(5, row.target_framework_id)
      .Bind(6, row.target_item_id)
      .Bind(7, row.notes);
  if (by) {
    stmt.Bind(8, *by);
  } else {
    stmt.BindNull(8);
  }
  stmt.Bind(9, now);
  return stmt.Run();
}

Result<bool> DeleteCrosswalk(Database& db, std::string_view id) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare("DELETE FROM crosswalk WHERE id = ?"));
  stmt.Bind(1, id);
  PATHWAY_TRY(stmt.Run());
  return db.Changes() > 0;
}

Result<bool> CrosswalkExists(Database& db, std::string_view item_id,
                             std::string_view target_item_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT 1 FROM crosswalk WHERE (item_id = ?1 AND "
                            "target_item_id = ?2) OR (item_id = ?2 AND target_item_id = ?1)"));
  stmt.Bind(1, item_id).Bind(2, target_item_id);
  return stmt.Step();
}

Result<std::optional<ItemOwner>> FindItemOwner(Database& db, std::string_view item_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(R"sql(
SELECT i.framework_id, v.title, i.title,
       EXISTS (SELECT 1 FROM fw_item p JOIN framework_version pv
                 ON pv.framework_id = p.framework_id AND pv.version = p.version
               WHERE p.id = i.id AND pv.status = 'published')
FROM fw_item i JOIN framework_version v ON v.framework_id = i.framework_id AND v.version = i.version
WHERE i.id = ? ORDER BY i.version DESC LIMIT 1)sql"));
  stmt.Bind(1, item_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<ItemOwner>{};
  return std::optional<ItemOwner>(ItemOwner{stmt.ColumnText(0), stmt.ColumnText(1),
                                            stmt.ColumnText(2), stmt.ColumnInt(3) != 0});
}

Result<std::vector<ItemLink>> LinkedItems(Database& db, std::string_view item_id) {
  // Forward links read as stored; backward ones reversed. CASE types other than the four
  // crosswalk kinds are not links between frameworks and are left out.
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(R"sql(
SELECT target_item_id, kind, 0 FROM crosswalk WHERE item_id = ?1
UNION ALL
SELECT item_id, kind, 1 FROM crosswalk WHERE target_item_id = ?1
UNION ALL
SELECT a.dest_id, a.type, 0 FROM fw_association a JOIN framework_version v
  ON v.framework_id = a.framework_id AND v.version = a.version
WHERE v.status = 'published' AND a.origin_id = ?1
  AND a.type IN ('exactMatchOf', 'ext:broaderThan', 'ext:narrowerThan', 'isRelatedTo')
UNION ALL
SELECT a.origin_id, a.type, 1 FROM fw_association a JOIN framework_version v
  ON v.framework_id = a.framework_id AND v.version = a.version
WHERE v.status = 'published' AND a.dest_id = ?1
  AND a.type IN ('exactMatchOf', 'ext:broaderThan', 'ext:narrowerThan', 'isRelatedTo'))sql"));
  stmt.Bind(1, item_id);
  std::vector<ItemLink> links;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    const std::string kind_text = stmt.ColumnText(1);
    std::optional<domain::CrosswalkKind> kind = domain::ParseCrosswalkKind(kind_text);
    if (!kind) kind = domain::CrosswalkKindOfCaseType(kind_text);
    if (!kind) continue;
    const domain::CrosswalkKind seen = stmt.ColumnInt(2) != 0 ? Reversed(*kind) : *kind;
    const std::string other = stmt.ColumnText(0);
    bool duplicate = false;
    for (const ItemLink& link : links)
      duplicate = duplicate || (link.item_id == other && link.kind == seen);
    if (!duplicate) links.push_back({other, seen});
  }
  return links;
}

}  // namespace pathway::store
