// Repositories of vetting (store/vetting.hpp).
#include <utility>

#include <fmt/format.h>

#include "store/vetting.hpp"

namespace pathway::store {
namespace {

using domain::Error;

// A clearance level's rank in SQL: BPSS 0 to DV 3, none -1.
std::string Rank(std::string_view column) {
  return fmt::format(
      "(CASE {0} WHEN 'BPSS' THEN 0 WHEN 'CTC' THEN 1 WHEN 'SC' THEN 2 WHEN 'DV' THEN 3 "
      "ELSE -1 END)",
      column);
}

// Each person of the department holding a post, with the flags of the report:
// below (0/1), not_active (0/1), overdue (0/1), due (0/1). ?1 department, ?2 today,
// ?3 within days.
std::string FlaggedPeople() {
  return fmt::format(
      "SELECT p.id, p.display_name, u.code AS unit_code, u.name AS unit_name, "
      "po.external_id AS post_id, po.clearance AS post_clearance, "
      "COALESCE(p.clearance_level, '') AS level, COALESCE(p.clearance_status, '') AS status, "
      "COALESCE(p.clearance_review_due, '') AS review_due, "
      "({} < {}) AS below, "
      "(COALESCE(p.clearance_status, '') IN ('pending', 'expired', 'withdrawn')) AS not_active, "
      "(p.clearance_review_due IS NOT NULL AND p.clearance_review_due < ?2) AS overdue, "
      "(p.clearance_review_due IS NOT NULL AND p.clearance_review_due >= ?2 AND "
      " p.clearance_review_due <= date(?2, '+' || ?3 || ' days')) AS due "
      "FROM person p JOIN post po ON po.id = p.post_id JOIN unit u ON u.id = po.unit_id "
      "WHERE p.department = ?1",
      Rank("p.clearance_level"), Rank("po.clearance"));
}

std::optional<std::int64_t> NullableId(const Statement& row, int column) {
  if (row.ColumnIsNull(column)) return std::nullopt;
  return row.ColumnInt(column);
}

void BindOptional(Statement& stmt, int index, std::optional<std::int64_t> value) {
  if (value) {
    stmt.Bind(index, *value);
  } else {
    stmt.BindNull(index);
  }
}

void BindText(Statement& stmt, int index, std::string_view value) {
  if (value.empty()) {
    stmt.BindNull(index);
  } else {
    stmt.Bind(index, value);
  }
}

constexpr std::string_view kCaseColumns =
    "SELECT c.id, c.person_id, p.display_name, c.department, c.kind, "
    "COALESCE(c.level_sought, ''), c.stage, c.status, c.opened_on, "
    "COALESCE(o.display_name, ''), COALESCE(r.display_name, ''), COALESCE(c.outcome, ''), "
    "COALESCE(c.granted_level, ''), COALESCE(c.decided_on, ''), COALESCE(c.review_due, ''), "
    "COALESCE(d.display_name, ''), "
    "(SELECT COUNT(*) FROM vetting_note n WHERE n.case_id = c.id) "
    "FROM vetting_case c JOIN person p ON p.id = c.person_id "
    "LEFT JOIN app_user o ON o.id = c.opened_by "
    "LEFT JOIN app_user r ON r.id = c.referred_by "
    "LEFT JOIN app_user d ON d.id = c.decided_by ";

domain::VettingCase ReadCase(const Statement& row) {
  domain::VettingCase out;
  out.id = row.ColumnInt(0);
  out.person_id = row.ColumnInt(1);
  out.person_name = row.ColumnText(2);
  out.department = row.ColumnText(3);
  out.kind =
      domain::ParseVettingCaseKind(row.ColumnText(4)).value_or(domain::VettingCaseKind::kNew);
  out.level_sought = row.ColumnText(5);
  out.stage = domain::ParseVettingStage(row.ColumnText(6)).value_or(domain::VettingStage::kOpened);
  out.decided = row.ColumnText(7) == "decided";
  out.opened_on = row.ColumnText(8);
  out.opened_by_name = row.ColumnText(9);
  out.referred_by_name = row.ColumnText(10);
  out.outcome = domain::ParseVettingOutcome(row.ColumnText(11));
  out.granted_level = row.ColumnText(12);
  out.decided_on = row.ColumnText(13);
  out.review_due = row.ColumnText(14);
  out.decided_by_name = row.ColumnText(15);
  out.note_count = row.ColumnInt(16);
  return out;
}

constexpr std::string_view kExportColumns =
    "SELECT e.id, e.case_id, e.requested_by, COALESCE(q.display_name, ''), e.requested_at, "
    "e.approved_by, COALESCE(a.display_name, ''), COALESCE(e.approved_at, '') "
    "FROM vetting_export e LEFT JOIN app_user q ON q.id = e.requested_by "
    "LEFT JOIN app_user a ON a.id = e.approved_by ";

domain::VettingExport ReadExport(const Statement& row) {
  domain::VettingExport out;
  out.id = row.ColumnInt(0);
  out.case_id = row.ColumnInt(1);
  out.requested_by = row.ColumnInt(2);
  out.requested_by_name = row.ColumnText(3);
  out.requested_at = row.ColumnText(4);
  out.approved_by = NullableId(row, 5);
  out.approved_by_name = row.ColumnText(6);
  out.approved_at = row.ColumnText(7);
  return out;
}

}  // namespace

Result<std::optional<std::string>> FindDepartmentName(Database& db, std::string_view code) {
  PATHWAY_ASSIGN_OR_RETURN(auto find, db.Prepare("SELECT name FROM department WHERE code = ?"));
  find.Bind(1, code);
  PATHWAY_ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(find.ColumnText(0));
}

Result<domain::ClearanceReport> ReadClearanceReport(Database& db, std::string_view department,
                                                    std::string_view today, int within_days) {
  domain::ClearanceReport report;
  report.department = std::string(department);
  report.today = std::string(today);
  report.within_days = within_days;
  {
    PATHWAY_ASSIGN_OR_RETURN(auto rows,
                             db.Prepare("SELECT * FROM (" + FlaggedPeople() +
                                        ") WHERE below OR not_active OR overdue OR due "
                                        "ORDER BY unit_name, unit_code, display_name, id"));
    rows.Bind(1, department).Bind(2, today).Bind(3, within_days);
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, rows.Step());
      if (!row) break;
      domain::ClearanceMismatch m;
      m.person_id = rows.ColumnInt(0);
      m.person_name = rows.ColumnText(1);
      m.unit_code = rows.ColumnText(2);
      m.unit_name = rows.ColumnText(3);
      m.post_id = rows.ColumnText(4);
      m.post_clearance = rows.ColumnText(5);
      m.level = rows.ColumnText(6);
      m.status = rows.ColumnText(7);
      m.review_due = rows.ColumnText(8);
      m.issues.below_post = rows.ColumnInt(9) != 0;
      m.issues.not_active = rows.ColumnInt(10) != 0;
      m.issues.review_overdue = rows.ColumnInt(11) != 0;
      m.issues.review_due = rows.ColumnInt(12) != 0;
      if (m.issues.below_post) ++report.below_post;
      if (m.issues.not_active) ++report.not_active;
      if (m.issues.review_overdue || m.issues.review_due) ++report.review_due;
      report.rows.push_back(std::move(m));
    }
  }
  PATHWAY_ASSIGN_OR_RETURN(auto counts, db.Prepare("SELECT unit_code, unit_name, level, COUNT(*), "
                                                   "SUM(below OR not_active) FROM (" +
                                                   FlaggedPeople() +
                                                   ") GROUP BY unit_code, unit_name, level "
                                                   "ORDER BY unit_name, unit_code, " +
                                                   Rank("level")));
  counts.Bind(1, department).Bind(2, today).Bind(3, within_days);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, counts.Step());
    if (!row) break;
    report.counts.push_back({counts.ColumnText(0), counts.ColumnText(1), counts.ColumnText(2),
                             counts.ColumnInt(3), counts.ColumnInt(4)});
  }
  return report;
}

Result<std::optional<PersonClearanceRow>> FindPersonClearance(Database& db,
                                                              std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto find, db.Prepare("SELECT COALESCE(clearance_level, ''), COALESCE(clearance_status, ''), "
                            "COALESCE(clearance_granted, ''), COALESCE(clearance_review_due, '') "
                            "FROM person WHERE id = ?"));
  find.Bind(1, person_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<PersonClearanceRow>();
  return std::optional<PersonClearanceRow>(PersonClearanceRow{
      find.ColumnText(0), find.ColumnText(1), find.ColumnText(2), find.ColumnText(3)});
}

Status SetPersonClearance(Database& db, std::int64_t person_id, const PersonClearanceRow& row) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto update, db.Prepare("UPDATE person SET clearance_level = ?, clearance_status = ?, "
                              "clearance_granted = ?, clearance_review_due = ? WHERE id = ?"));
  BindText(update, 1, row.level);
  BindText(update, 2, row.status);
  BindText(update, 3, row.granted);
  BindText(update, 4, row.review_due);
  update.Bind(5, person_id);
  return update.Run();
}

Result<std::int64_t> InsertVettingCase(Database& db, const VettingCaseRow& row) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare("INSERT INTO vetting_case (person_id, department, kind, level_sought, stage, "
                 "status, opened_on, opened_at, opened_by, referred_by) "
                 "VALUES (?, ?, ?, ?, 'opened', 'open', ?, ?, ?, ?)"));
  insert.Bind(1, row.person_id)
      .Bind(2, row.department)
      .Bind(3, domain::VettingCaseKindName(row.kind));
  BindText(insert, 4, row.level_sought);
  insert.Bind(5, row.opened_on).Bind(6, row.opened_at);
  BindOptional(insert, 7, row.opened_by);
  BindOptional(insert, 8, row.referred_by);
  PATHWAY_TRY(insert.Run());
  const std::int64_t id = db.LastInsertRowId();
  PATHWAY_ASSIGN_OR_RETURN(
      auto stage, db.Prepare("INSERT INTO vetting_stage (case_id, seq, stage, started_on, "
                             "recorded_at, recorded_by) VALUES (?, 1, 'opened', ?, ?, ?)"));
  stage.Bind(1, id).Bind(2, row.opened_on).Bind(3, row.opened_at);
  BindOptional(stage, 4, row.opened_by ? row.opened_by : row.referred_by);
  PATHWAY_TRY(stage.Run());
  return id;
}

Result<std::optional<domain::VettingCase>> FindVettingCase(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(auto find, db.Prepare(std::string(kCaseColumns) + "WHERE c.id = ?"));
  find.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<domain::VettingCase>();
  domain::VettingCase found = ReadCase(find);
  PATHWAY_ASSIGN_OR_RETURN(
      auto stages, db.Prepare("SELECT s.seq, s.stage, s.started_on, COALESCE(u.display_name, '') "
                              "FROM vetting_stage s LEFT JOIN app_user u ON u.id = s.recorded_by "
                              "WHERE s.case_id = ? ORDER BY s.seq"));
  stages.Bind(1, id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool more, stages.Step());
    if (!more) break;
    found.stages.push_back(
        {static_cast<int>(stages.ColumnInt(0)),
         domain::ParseVettingStage(stages.ColumnText(1)).value_or(domain::VettingStage::kOpened),
         stages.ColumnText(2), stages.ColumnText(3)});
  }
  return std::optional<domain::VettingCase>(std::move(found));
}

Result<std::optional<std::int64_t>> FindOpenVettingCase(Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto find, db.Prepare("SELECT id FROM vetting_case WHERE person_id = ? AND status = 'open' "
                            "ORDER BY id LIMIT 1"));
  find.Bind(1, person_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(find.ColumnInt(0));
}

Result<std::vector<domain::VettingCase>> ListVettingCases(
    Database& db, const std::vector<std::string>& departments,
    std::optional<std::int64_t> member_user_id, int limit) {
  std::string where;
  for (std::size_t i = 0; i < departments.size(); ++i) {
    where += fmt::format("{}c.department = ?{}", where.empty() ? "" : " OR ", i + 1);
  }
  if (member_user_id) {
    where += fmt::format("{}c.id IN (SELECT case_id FROM vetting_case_member WHERE user_id = ?{})",
                         where.empty() ? "" : " OR ", departments.size() + 1);
  }
  if (where.empty()) return std::vector<domain::VettingCase>{};
  PATHWAY_ASSIGN_OR_RETURN(
      auto list,
      db.Prepare(std::string(kCaseColumns) + "WHERE " + where +
                 fmt::format(" ORDER BY c.status = 'decided', c.id DESC LIMIT {}", limit)));
  int index = 1;
  for (const auto& department : departments) list.Bind(index++, department);
  if (member_user_id) list.Bind(index++, *member_user_id);
  std::vector<domain::VettingCase> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) break;
    out.push_back(ReadCase(list));
  }
  return out;
}

Status AppendVettingStage(Database& db, std::int64_t case_id, domain::VettingStage stage,
                          std::string_view started_on, std::string_view now,
                          std::optional<std::int64_t> user_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare("INSERT INTO vetting_stage (case_id, seq, stage, started_on, recorded_at, "
                 "recorded_by) VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM vetting_stage "
                 "WHERE case_id = ?1), ?2, ?3, ?4, ?5)"));
  insert.Bind(1, case_id).Bind(2, domain::VettingStageName(stage)).Bind(3, started_on).Bind(4, now);
  BindOptional(insert, 5, user_id);
  PATHWAY_TRY(insert.Run());
  PATHWAY_ASSIGN_OR_RETURN(auto update,
                           db.Prepare("UPDATE vetting_case SET stage = ? WHERE id = ?"));
  update.Bind(1, domain::VettingStageName(stage)).Bind(2, case_id);
  return update.Run();
}

Result<std::string> LatestVettingStageDate(Database& db, std::int64_t case_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto find,
                           db.Prepare("SELECT started_on FROM vetting_stage WHERE case_id = ? "
                                      "ORDER BY seq DESC LIMIT 1"));
  find.Bind(1, case_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, find.Step());
  return row ? find.ColumnText(0) : std::string();
}

Status RecordVettingDecision(Database& db, std::int64_t case_id,
                             const domain::VettingDecision& decision, std::string_view now,
                             std::optional<std::int64_t> user_id) {
  PATHWAY_TRY(AppendVettingStage(db, case_id, domain::VettingStage::kDecided, decision.decided_on,
                                 now, user_id));
  PATHWAY_ASSIGN_OR_RETURN(
      auto update,
      db.Prepare("UPDATE vetting_case SET status = 'decided', outcome = ?, granted_level = ?, "
                 "decided_on = ?, review_due = ?, decided_at = ?, decided_by = ? WHERE id = ?"));
  update.Bind(1, domain::VettingOutcomeName(decision.outcome));
  BindText(update, 2, decision.granted_level ? domain::ClearanceCode(*decision.granted_level) : "");
  update.Bind(3, decision.decided_on);
  BindText(update, 4, decision.review_due);
  update.Bind(5, now);
  BindOptional(update, 6, user_id);
  update.Bind(7, case_id);
  return update.Run();
}

Status AddVettingCaseMember(Database& db, std::int64_t case_id, std::int64_t user_id,
                            std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT OR IGNORE INTO vetting_case_member (case_id, user_id, part, "
                              "added_at) VALUES (?, ?, 'referral', ?)"));
  insert.Bind(1, case_id).Bind(2, user_id).Bind(3, now);
  return insert.Run();
}

Result<bool> IsVettingCaseMember(Database& db, std::int64_t case_id, std::int64_t user_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto find, db.Prepare("SELECT 1 FROM vetting_case_member WHERE case_id = ? AND user_id = ?"));
  find.Bind(1, case_id).Bind(2, user_id);
  return find.Step();
}

Result<std::int64_t> InsertVettingNote(Database& db, std::int64_t case_id,
                                       domain::VettingNotePart part,
                                       std::optional<std::int64_t> author_id, std::string_view now,
                                       std::string_view nonce, std::string_view ciphertext) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO vetting_note (case_id, part, author_id, created_at, "
                              "nonce, ciphertext) VALUES (?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, case_id).Bind(2, domain::VettingNotePartName(part));
  BindOptional(insert, 3, author_id);
  insert.Bind(4, now).Bind(5, nonce).Bind(6, ciphertext);
  PATHWAY_TRY(insert.Run());
  return db.LastInsertRowId();
}

Result<std::vector<StoredVettingNote>> ListVettingNotes(Database& db, std::int64_t case_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto list, db.Prepare("SELECT n.id, n.part, COALESCE(u.display_name, ''), n.created_at, "
                            "n.nonce, n.ciphertext FROM vetting_note n "
                            "LEFT JOIN app_user u ON u.id = n.author_id "
                            "WHERE n.case_id = ? ORDER BY n.id"));
  list.Bind(1, case_id);
  std::vector<StoredVettingNote> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) break;
    out.push_back({list.ColumnInt(0),
                   domain::ParseVettingNotePart(list.ColumnText(1))
                       .value_or(domain::VettingNotePart::kVetting),
                   list.ColumnText(2), list.ColumnText(3), list.ColumnText(4), list.ColumnText(5)});
  }
  return out;
}

Result<std::int64_t> InsertVettingExport(Database& db, std::int64_t case_id,
                                         std::int64_t requested_by, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO vetting_export (case_id, requested_by, requested_at) "
                              "VALUES (?, ?, ?)"));
  insert.Bind(1, case_id).Bind(2, requested_by).Bind(3, now);
  PATHWAY_TRY(insert.Run());
  return db.LastInsertRowId();
}

Result<std::optional<domain::VettingExport>> FindVettingExport(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(auto find, db.Prepare(std::string(kExportColumns) + "WHERE e.id = ?"));
  find.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<domain::VettingExport>();
  return std::optional<domain::VettingExport>(ReadExport(find));
}

Result<std::vector<domain::VettingExport>> ListVettingExports(Database& db, std::int64_t case_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto list, db.Prepare(std::string(kExportColumns) + "WHERE e.case_id = ? ORDER BY e.id"));
  list.Bind(1, case_id);
  std::vector<domain::VettingExport> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) break;
    out.push_back(ReadExport(list));
  }
  return out;
}

Status ApproveVettingExport(Database& db, std::int64_t id, std::int64_t approved_by,
                            std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(auto update,
                           db.Prepare("UPDATE vetting_export SET approved_by = ?, approved_at = ? "
                                      "WHERE id = ? AND approved_by IS NULL"));
  update.Bind(1, approved_by).Bind(2, now).Bind(3, id);
  return update.Run();
}

}  // namespace pathway::store
