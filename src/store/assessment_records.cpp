// Repositories of assessments in use (store/assessments.hpp).
#include <utility>

#include <fmt/format.h>

#include "store/assessment_writer.hpp"
#include "store/assessments.hpp"

namespace pathway::store {
namespace {

using domain::Error;

constexpr std::string_view kChain = R"sql(
WITH RECURSIVE chain(id, depth) AS (
  SELECT id, 1 FROM person WHERE line_manager_id = ?1
  UNION ALL
  SELECT p2.id, c.depth + 1 FROM person p2 JOIN chain c ON p2.line_manager_id = c.id
  WHERE c.depth < 64
)
)sql";

domain::SelfAssessment ReadSelfAssessmentRow(const Statement& row) {
  domain::SelfAssessment out;
  out.id = row.ColumnInt(0);
  out.person_id = row.ColumnInt(1);
  out.person_name = row.ColumnText(2);
  out.status = domain::ParseSelfAssessmentStatus(row.ColumnText(3))
                   .value_or(domain::SelfAssessmentStatus::kDraft);
  out.created_at = row.ColumnText(4);
  out.updated_at = row.ColumnText(5);
  out.submitted_at = row.ColumnText(6);
  out.reviewed_at = row.ColumnText(7);
  out.reviewed_by_name = row.ColumnText(8);
  return out;
}

constexpr std::string_view kSelfAssessmentColumns =
    "SELECT s.id, s.person_id, p.display_name, s.status, s.created_at, s.updated_at, "
    "COALESCE(s.submitted_at, ''), COALESCE(s.reviewed_at, ''), COALESCE(r.display_name, '') "
    "FROM self_assessment s JOIN person p ON p.id = s.person_id "
    "LEFT JOIN person r ON r.id = s.reviewed_by ";

Result<std::vector<domain::SelfAssessment>> CollectSelfAssessments(Statement& stmt) {
  std::vector<domain::SelfAssessment> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadSelfAssessmentRow(stmt));
  }
  return out;
}

}  // namespace

Result<std::optional<domain::AssessedItem>> FindPublishedItem(Database& db,
                                                              std::string_view item_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto find, db.Prepare("SELECT i.framework_id, i.version, v.title, i.title FROM fw_item i "
                            "JOIN framework_version v ON v.framework_id = i.framework_id AND "
                            "v.version = i.version "
                            "WHERE i.id = ? AND v.status = 'published' "
                            "ORDER BY i.version DESC LIMIT 1"));
  find.Bind(1, item_id);
  PATHWAY_ASSIGN_OR_RETURN(bool found, find.Step());
  if (!found) return std::optional<domain::AssessedItem>{};
  domain::AssessedItem label;
  label.item_id = std::string(item_id);
  label.framework_id = find.ColumnText(0);
  label.framework_version = static_cast<int>(find.ColumnInt(1));
  label.framework_title = find.ColumnText(2);
  label.title = find.ColumnText(3);
  // The framework's scale points; else the item's own levels; else any level its
  // framework version describes.
  const std::string_view queries[] = {
      "SELECT value, label FROM fw_scale_point WHERE framework_id = ?1 AND version = ?2 "
      "ORDER BY value",
      "SELECT level, label FROM fw_level WHERE framework_id = ?1 AND version = ?2 AND "
      "item_id = ?3 ORDER BY level",
      "SELECT DISTINCT level, '' FROM fw_level WHERE framework_id = ?1 AND version = ?2 "
      "ORDER BY level"};
  for (std::string_view sql : queries) {
    PATHWAY_ASSIGN_OR_RETURN(auto scale, db.Prepare(sql));
    scale.Bind(1, label.framework_id).Bind(2, label.framework_version);
    if (sql.find("?3") != std::string_view::npos) scale.Bind(3, item_id);
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, scale.Step());
      if (!row) break;
      const auto value = static_cast<int>(scale.ColumnInt(0));
      if (value >= 1 && value <= 9) label.scale.push_back({value, scale.ColumnText(1)});
    }
    if (!label.scale.empty()) break;
  }
  return std::optional<domain::AssessedItem>(std::move(label));
}

Result<std::int64_t> ItemRefOf(Database& db, std::string_view item_id) {
  return ItemRefId(db, item_id);
}

namespace {

Result<std::optional<RoleLevelRequirements>> ReadRoleLevel(Database& db, Statement& find) {
  PATHWAY_ASSIGN_OR_RETURN(bool found, find.Step());
  if (!found) return std::optional<RoleLevelRequirements>{};
  RoleLevelRequirements out;
  out.id = find.ColumnInt(0);
  out.code = find.ColumnText(1);
  out.title = find.ColumnText(2);
  PATHWAY_ASSIGN_OR_RETURN(auto reqs,
                           db.Prepare("SELECT i.item_id, r.level FROM role_requirement r "
                                      "JOIN item_ref i ON i.id = r.item_ref_id "
                                      "WHERE r.role_level_id = ? ORDER BY r.item_ref_id"));
  reqs.Bind(1, out.id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, reqs.Step());
    if (!row) break;
    out.requirements.push_back({reqs.ColumnText(0), static_cast<int>(reqs.ColumnInt(1))});
  }
  return std::optional<RoleLevelRequirements>(std::move(out));
}

}  // namespace

Result<std::optional<RoleLevelRequirements>> FindRoleLevelRequirements(Database& db,
                                                                       std::string_view code) {
  PATHWAY_ASSIGN_OR_RETURN(auto find,
                           db.Prepare("SELECT id, code, title FROM role_level WHERE code = ?"));
  find.Bind(1, code);
  return ReadRoleLevel(db, find);
}

Result<std::optional<RoleLevelRequirements>> PersonRoleLevel(Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto find, db.Prepare("SELECT r.id, r.code, r.title FROM person p "
                            "JOIN post ON post.id = p.post_id "
                            "JOIN role_level r ON r.id = post.role_level_id WHERE p.id = ?"));
  find.Bind(1, person_id);
  return ReadRoleLevel(db, find);
}

Result<std::int64_t> InsertSelfAssessment(Database& db, std::int64_t person_id,
                                          std::string_view now,
                                          std::span<const std::int64_t> item_ref_ids) {
  PATHWAY_ASSIGN_OR_RETURN(auto insert,
                           db.Prepare("INSERT INTO self_assessment (person_id, status, created_at, "
                                      "updated_at) VALUES (?, 'draft', ?, ?)"));
  insert.Bind(1, person_id).Bind(2, now).Bind(3, now);
  PATHWAY_TRY(insert.Run());
  const std::int64_t id = db.LastInsertRowId();
  PATHWAY_ASSIGN_OR_RETURN(
      auto item, db.Prepare("INSERT INTO self_assessment_item (self_assessment_id, item_ref_id, "
                            "position) VALUES (?, ?, ?)"));
  int position = 0;
  for (std::int64_t ref : item_ref_ids) {
    item.Reset();
    item.Bind(1, id).Bind(2, ref).Bind(3, ++position);
    PATHWAY_TRY(item.Run());
  }
  return id;
}

Result<std::optional<domain::SelfAssessment>> FindSelfAssessment(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(auto find,
                           db.Prepare(std::string(kSelfAssessmentColumns) + "WHERE s.id = ?"));
  find.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool found, find.Step());
  if (!found) return std::optional<domain::SelfAssessment>{};
  domain::SelfAssessment out = ReadSelfAssessmentRow(find);
  PATHWAY_ASSIGN_OR_RETURN(
      auto items, db.Prepare("SELECT r.item_id, s.level, s.situation, s.task, s.action, s.result "
                             "FROM self_assessment_item s JOIN item_ref r ON r.id = s.item_ref_id "
                             "WHERE s.self_assessment_id = ? ORDER BY s.position"));
  items.Bind(1, id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, items.Step());
    if (!row) break;
    domain::SelfAssessmentItem item;
    item.item.item_id = items.ColumnText(0);
    if (!items.ColumnIsNull(1)) item.level = static_cast<int>(items.ColumnInt(1));
    item.evidence = {items.ColumnText(2), items.ColumnText(3), items.ColumnText(4),
                     items.ColumnText(5)};
    out.items.push_back(std::move(item));
  }
  return std::optional<domain::SelfAssessment>(std::move(out));
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SelfAssessmentItemRefs(Database& db,
                                                                                 std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(auto items,
                           db.Prepare("SELECT r.item_id, s.item_ref_id FROM self_assessment_item s "
                                      "JOIN item_ref r ON r.id = s.item_ref_id "
                                      "WHERE s.self_assessment_id = ? ORDER BY s.position"));
  items.Bind(1, id);
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, items.Step());
    if (!row) break;
    out.emplace_back(items.ColumnText(0), items.ColumnInt(1));
  }
  return out;
}

Status SaveSelfAssessmentRating(Database& db, std::int64_t id, std::int64_t item_ref_id,
                                std::optional<int> level, const domain::StarEvidence& evidence) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto update,
      db.Prepare("UPDATE self_assessment_item SET level = ?, situation = ?, task = ?, "
                 "action = ?, result = ? WHERE self_assessment_id = ? AND item_ref_id = ?"));
  if (level) {
    update.Bind(1, *level);
  } else {
    update.BindNull(1);
  }
  update.Bind(2, evidence.situation)
      .Bind(3, evidence.task)
      .Bind(4, evidence.action)
      .Bind(5, evidence.result)
      .Bind(6, id)
      .Bind(7, item_ref_id);
  return update.Run();
}

Status SetSelfAssessmentSubmitted(Database& db, std::int64_t id, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto update, db.Prepare("UPDATE self_assessment SET status = 'submitted', submitted_at = ?, "
                              "updated_at = ? WHERE id = ? AND status = 'draft'"));
  update.Bind(1, now).Bind(2, now).Bind(3, id);
  return update.Run();
}

Status SetSelfAssessmentReviewed(Database& db, std::int64_t id, std::int64_t reviewer_person_id,
                                 std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto update,
      db.Prepare("UPDATE self_assessment SET status = 'reviewed', reviewed_at = ?, "
                 "reviewed_by = ?, updated_at = ? WHERE id = ? AND status = 'submitted'"));
  update.Bind(1, now).Bind(2, reviewer_person_id).Bind(3, now).Bind(4, id);
  return update.Run();
}

Status TouchSelfAssessment(Database& db, std::int64_t id, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(auto update,
                           db.Prepare("UPDATE self_assessment SET updated_at = ? WHERE id = ?"));
  update.Bind(1, now).Bind(2, id);
  return update.Run();
}

Result<std::vector<domain::SelfAssessment>> ListSelfAssessments(Database& db,
                                                                std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto list,
                           db.Prepare(std::string(kSelfAssessmentColumns) +
                                      "WHERE s.person_id = ? ORDER BY s.id DESC LIMIT 100"));
  list.Bind(1, person_id);
  return CollectSelfAssessments(list);
}

Result<std::vector<domain::SelfAssessment>> ListSubmittedInChain(Database& db,
                                                                 std::int64_t manager_person_id,
                                                                 int limit) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto list,
      db.Prepare(std::string(kChain) + std::string(kSelfAssessmentColumns) +
                 "WHERE s.status = 'submitted' AND s.person_id IN (SELECT id FROM chain) "
                 "ORDER BY s.submitted_at, s.id LIMIT ?2"));
  list.Bind(1, manager_person_id).Bind(2, limit);
  return CollectSelfAssessments(list);
}

Result<AssessmentCounts> CountAssessmentTasks(Database& db, std::int64_t person_id,
                                              bool line_manager, std::string_view today) {
  AssessmentCounts counts;
  PATHWAY_ASSIGN_OR_RETURN(auto own,
                           db.Prepare("SELECT SUM(status = 'draft'), SUM(status = 'submitted') "
                                      "FROM self_assessment WHERE person_id = ?"));
  own.Bind(1, person_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, own.Step());
  if (row) {
    counts.drafts = static_cast<int>(own.ColumnInt(0));
    counts.awaiting_confirmation = static_cast<int>(own.ColumnInt(1));
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto overdue, db.Prepare("SELECT COUNT(*) FROM development_action a "
                               "JOIN development_plan d ON d.id = a.plan_id WHERE d.person_id = ? "
                               "AND a.status IN ('planned', 'in_progress') AND a.due_on < ?"));
  overdue.Bind(1, person_id).Bind(2, today);
  PATHWAY_ASSIGN_OR_RETURN(row, overdue.Step());
  if (row) counts.overdue_actions = static_cast<int>(overdue.ColumnInt(0));
  if (line_manager) {
    PATHWAY_ASSIGN_OR_RETURN(
        auto team, db.Prepare(std::string(kChain) +
                              "SELECT (SELECT COUNT(*) FROM self_assessment WHERE status = "
                              "'submitted' AND person_id IN (SELECT id FROM chain)), "
                              "(SELECT COUNT(*) FROM development_action a JOIN development_plan d "
                              "ON d.id = a.plan_id WHERE d.person_id IN (SELECT id FROM chain) AND "
                              "a.status IN ('planned', 'in_progress') AND a.due_on < ?2)"));
    team.Bind(1, person_id).Bind(2, today);
    PATHWAY_ASSIGN_OR_RETURN(row, team.Step());
    if (row) {
      counts.to_confirm = static_cast<int>(team.ColumnInt(0));
      counts.team_overdue_actions = static_cast<int>(team.ColumnInt(1));
    }
  }
  return counts;
}

Result<std::int64_t> AppendLedgerEntry(Database& db, const LedgerAppend& row) {
  PATHWAY_ASSIGN_OR_RETURN(auto next, db.Prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM assessment "
                                                 "WHERE person_id = ? AND item_ref_id = ?"));
  next.Bind(1, row.person_id).Bind(2, row.item_ref_id);
  PATHWAY_ASSIGN_OR_RETURN(bool stepped, next.Step());
  const std::int64_t seq = stepped ? next.ColumnInt(0) : 1;
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare("INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, "
                 "assessed_on, framework_version, evidence, recorded_by, capacity, recorded_at, "
                 "situation, task, action, result, comment, cites_seq, self_assessment_id) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, row.person_id)
      .Bind(2, row.item_ref_id)
      .Bind(3, seq)
      .Bind(4, row.level)
      .Bind(5, domain::AssessorKindName(row.source))
      .Bind(6, row.assessed_on)
      .Bind(7, row.framework_version);
  if (row.recorded_by) {
    insert.Bind(8, *row.recorded_by);
  } else {
    insert.BindNull(8);
  }
  insert.Bind(9, row.capacity)
      .Bind(10, row.recorded_at)
      .Bind(11, row.evidence.situation)
      .Bind(12, row.evidence.task)
      .Bind(13, row.evidence.action)
      .Bind(14, row.evidence.result)
      .Bind(15, row.comment);
  if (row.cites_seq) {
    insert.Bind(16, *row.cites_seq);
  } else {
    insert.BindNull(16);
  }
  if (row.self_assessment_id) {
    insert.Bind(17, *row.self_assessment_id);
  } else {
    insert.BindNull(17);
  }
  PATHWAY_TRY(insert.Run());
  return seq;
}

namespace {

constexpr std::string_view kLedgerColumns =
    "SELECT a.seq, r.item_id, a.level, a.assessor, COALESCE(a.capacity, ''), "
    "COALESCE(p.display_name, ''), a.assessed_on, COALESCE(a.recorded_at, ''), "
    "a.framework_version, a.situation, a.task, a.action, a.result, a.evidence, a.comment, "
    "a.cites_seq FROM assessment a JOIN item_ref r ON r.id = a.item_ref_id "
    "LEFT JOIN person p ON p.id = a.recorded_by ";

domain::LedgerEntry ReadLedgerRow(const Statement& row) {
  domain::LedgerEntry out;
  out.seq = row.ColumnInt(0);
  out.item_id = row.ColumnText(1);
  out.level = static_cast<int>(row.ColumnInt(2));
  out.source = domain::ParseAssessorKind(row.ColumnText(3)).value_or(domain::AssessorKind::kSelf);
  out.capacity = row.ColumnText(4);
  out.recorded_by_name = row.ColumnText(5);
  out.assessed_on = row.ColumnText(6);
  out.recorded_at = row.ColumnText(7);
  out.framework_version = static_cast<int>(row.ColumnInt(8));
  out.evidence = {row.ColumnText(9), row.ColumnText(10), row.ColumnText(11), row.ColumnText(12)};
  out.legacy_evidence = row.ColumnText(13);
  out.comment = row.ColumnText(14);
  if (!row.ColumnIsNull(15)) out.cites_seq = row.ColumnInt(15);
  return out;
}

}  // namespace

Result<std::vector<domain::LedgerEntry>> ReadLedger(Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto read,
                           db.Prepare(std::string(kLedgerColumns) +
                                      "WHERE a.person_id = ? ORDER BY a.item_ref_id, a.seq"));
  read.Bind(1, person_id);
  std::vector<domain::LedgerEntry> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) break;
    out.push_back(ReadLedgerRow(read));
  }
  return out;
}

Result<std::optional<domain::LedgerEntry>> SelfRowOf(Database& db, std::int64_t person_id,
                                                     std::int64_t item_ref_id,
                                                     std::int64_t self_assessment_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto read,
      db.Prepare(std::string(kLedgerColumns) +
                 "WHERE a.person_id = ? AND a.item_ref_id = ? AND a.self_assessment_id = ? "
                 "AND a.assessor = 'self' ORDER BY a.seq DESC LIMIT 1"));
  read.Bind(1, person_id).Bind(2, item_ref_id).Bind(3, self_assessment_id);
  PATHWAY_ASSIGN_OR_RETURN(bool found, read.Step());
  if (!found) return std::optional<domain::LedgerEntry>{};
  return std::optional<domain::LedgerEntry>(ReadLedgerRow(read));
}

Result<std::vector<CarriedLevel>> CarriedLevelsOf(Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto read,
      db.Prepare("SELECT n.item_id, o.item_id, COALESCE((SELECT f.title FROM fw_item f "
                 "WHERE f.id = o.item_id ORDER BY f.version DESC LIMIT 1), ''), a.level, "
                 "a.framework_version, a.assessed_on FROM assessment a "
                 "JOIN item_ref n ON n.id = a.item_ref_id "
                 "JOIN item_ref o ON o.id = a.cites_item_ref_id "
                 "WHERE a.person_id = ? AND a.capacity = 'carry_over' ORDER BY a.recorded_at DESC, "
                 "n.item_id"));
  read.Bind(1, person_id);
  std::vector<CarriedLevel> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) break;
    out.push_back({read.ColumnText(0), read.ColumnText(1), read.ColumnText(2),
                   static_cast<int>(read.ColumnInt(3)), static_cast<int>(read.ColumnInt(4)),
                   read.ColumnText(5)});
  }
  return out;
}

Result<std::vector<CarryOverRun>> ListCarryOverRuns(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto read, db.Prepare("SELECT c.framework_id, COALESCE(v.title, c.framework_id), c.version, "
                            "c.status, c.people, c.rows_added, c.started_at, "
                            "COALESCE(c.finished_at, '') FROM carry_over c "
                            "LEFT JOIN framework_version v ON v.framework_id = c.framework_id "
                            "AND v.version = c.version ORDER BY c.started_at DESC LIMIT 200"));
  std::vector<CarryOverRun> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) break;
    out.push_back({read.ColumnText(0), read.ColumnText(1), static_cast<int>(read.ColumnInt(2)),
                   read.ColumnText(3), read.ColumnInt(4), read.ColumnInt(5), read.ColumnText(6),
                   read.ColumnText(7)});
  }
  return out;
}

Result<std::optional<PersonBrief>> FindPersonBrief(Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto read,
                           db.Prepare("SELECT display_name, grade FROM person WHERE id = ?"));
  read.Bind(1, person_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, read.Step());
  if (!row) return std::optional<PersonBrief>();
  PersonBrief out{read.ColumnText(0), std::nullopt};
  if (!read.ColumnIsNull(1)) out.grade = static_cast<int>(read.ColumnInt(1));
  return std::optional<PersonBrief>(std::move(out));
}

Result<std::vector<std::pair<std::int64_t, std::string>>> DirectReports(Database& db,
                                                                        std::int64_t manager_id,
                                                                        int limit) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto read, db.Prepare("SELECT id, display_name FROM person WHERE line_manager_id = ? "
                            "ORDER BY display_name LIMIT ?"));
  read.Bind(1, manager_id).Bind(2, limit);
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) break;
    out.emplace_back(read.ColumnInt(0), read.ColumnText(1));
  }
  return out;
}

Result<std::vector<Replacement>> VersionReplacements(Database& db, std::string_view framework_id,
                                                     int version) {
  PATHWAY_ASSIGN_OR_RETURN(auto list,
                           db.Prepare("SELECT item_id, replaces_item_id FROM fw_item_replacement "
                                      "WHERE framework_id = ? AND version = ? ORDER BY item_id, "
                                      "replaces_item_id"));
  list.Bind(1, framework_id).Bind(2, version);
  std::vector<Replacement> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) break;
    out.push_back({list.ColumnText(0), list.ColumnText(1)});
  }
  return out;
}

Result<std::vector<std::pair<std::string, int>>> PendingCarryOvers(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto list, db.Prepare("SELECT DISTINCT r.framework_id, r.version FROM fw_item_replacement r "
                            "JOIN framework_version v ON v.framework_id = r.framework_id AND "
                            "v.version = r.version AND v.status IN ('published', 'retired') "
                            "LEFT JOIN carry_over c ON c.framework_id = r.framework_id AND "
                            "c.version = r.version WHERE c.status IS NULL OR c.status <> 'done' "
                            "ORDER BY v.published_at, r.framework_id, r.version"));
  std::vector<std::pair<std::string, int>> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) break;
    out.emplace_back(list.ColumnText(0), static_cast<int>(list.ColumnInt(1)));
  }
  return out;
}

Result<CarryOverState> StartCarryOver(Database& db, std::string_view framework_id, int version,
                                      std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO carry_over (framework_id, version, status, started_at) "
                              "VALUES (?, ?, 'running', ?) ON CONFLICT DO NOTHING"));
  insert.Bind(1, framework_id).Bind(2, version).Bind(3, now);
  PATHWAY_TRY(insert.Run());
  PATHWAY_ASSIGN_OR_RETURN(
      auto read, db.Prepare("SELECT status, next_person_id, people, rows_added FROM carry_over "
                            "WHERE framework_id = ? AND version = ?"));
  read.Bind(1, framework_id).Bind(2, version);
  PATHWAY_ASSIGN_OR_RETURN(bool row, read.Step());
  if (!row) return Error::Internal("The carry-over was not recorded");
  return CarryOverState{read.ColumnText(0) == "done", read.ColumnInt(1), read.ColumnInt(2),
                        read.ColumnInt(3)};
}

Status SaveCarryOver(Database& db, std::string_view framework_id, int version,
                     const CarryOverState& state, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto update, db.Prepare("UPDATE carry_over SET status = ?, next_person_id = ?, people = ?, "
                              "rows_added = ?, finished_at = CASE WHEN ? = 'done' THEN ? END "
                              "WHERE framework_id = ? AND version = ?"));
  const char* status = state.done ? "done" : "running";
  update.Bind(1, status)
      .Bind(2, state.next_person_id)
      .Bind(3, state.people)
      .Bind(4, state.rows_added)
      .Bind(5, status)
      .Bind(6, now)
      .Bind(7, framework_id)
      .Bind(8, version);
  return update.Run();
}

Result<std::vector<LedgerRow>> LedgerRowsFor(Database& db, std::span<const std::int64_t> item_refs,
                                             std::int64_t from, std::int64_t to) {
  std::string in;
  for (std::int64_t ref : item_refs) in += (in.empty() ? "" : ", ") + std::to_string(ref);
  if (in.empty()) return std::vector<LedgerRow>{};
  PATHWAY_ASSIGN_OR_RETURN(
      auto read, db.Prepare("SELECT person_id, item_ref_id, seq, level, assessor FROM assessment "
                            "WHERE person_id >= ? AND person_id < ? AND item_ref_id IN (" +
                            in + ") ORDER BY person_id, item_ref_id, seq"));
  read.Bind(1, from).Bind(2, to);
  std::vector<LedgerRow> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) break;
    out.push_back(
        {read.ColumnInt(0), read.ColumnInt(1), read.ColumnInt(2),
         static_cast<int>(read.ColumnInt(3)),
         domain::ParseAssessorKind(read.ColumnText(4)).value_or(domain::AssessorKind::kSelf)});
  }
  return out;
}

Result<std::int64_t> MaxAssessedPerson(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(auto max,
                           db.Prepare("SELECT COALESCE(MAX(person_id), 0) FROM assessment"));
  PATHWAY_ASSIGN_OR_RETURN(bool row, max.Step());
  return row ? max.ColumnInt(0) : 0;
}

Result<std::optional<std::int64_t>> ExistingItemRef(Database& db, std::string_view item_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto find, db.Prepare("SELECT id FROM item_ref WHERE item_id = ?"));
  find.Bind(1, item_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>(find.ColumnInt(0));
}

Result<std::optional<domain::DevelopmentPlan>> FindDevelopmentPlan(Database& db,
                                                                   std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto find,
                           db.Prepare("SELECT d.id, p.display_name, COALESCE(r.code, ''), "
                                      "COALESCE(r.title, '') FROM development_plan d "
                                      "JOIN person p ON p.id = d.person_id "
                                      "LEFT JOIN role_level r ON r.id = d.target_role_level_id "
                                      "WHERE d.person_id = ?"));
  find.Bind(1, person_id);
  PATHWAY_ASSIGN_OR_RETURN(bool found, find.Step());
  if (!found) return std::optional<domain::DevelopmentPlan>{};
  domain::DevelopmentPlan plan;
  plan.id = find.ColumnInt(0);
  plan.person_id = person_id;
  plan.person_name = find.ColumnText(1);
  plan.target_role_level_code = find.ColumnText(2);
  plan.target_role_level_title = find.ColumnText(3);
  PATHWAY_ASSIGN_OR_RETURN(auto actions,
                           db.Prepare("SELECT a.id, r.item_id, a.target_level, a.title, a.due_on, "
                                      "a.status FROM development_action a "
                                      "JOIN item_ref r ON r.id = a.item_ref_id "
                                      "WHERE a.plan_id = ? ORDER BY a.due_on, a.id"));
  actions.Bind(1, plan.id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, actions.Step());
    if (!row) break;
    domain::DevelopmentAction action;
    action.id = actions.ColumnInt(0);
    action.item.item_id = actions.ColumnText(1);
    action.target_level = static_cast<int>(actions.ColumnInt(2));
    action.title = actions.ColumnText(3);
    action.due_on = actions.ColumnText(4);
    action.status =
        domain::ParseActionStatus(actions.ColumnText(5)).value_or(domain::ActionStatus::kPlanned);
    plan.actions.push_back(std::move(action));
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto comments, db.Prepare("SELECT p.display_name, c.body, c.created_at "
                                "FROM development_comment c JOIN person p ON p.id = c.author_id "
                                "WHERE c.plan_id = ? ORDER BY c.id"));
  comments.Bind(1, plan.id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, comments.Step());
    if (!row) break;
    plan.comments.push_back(
        {comments.ColumnText(0), comments.ColumnText(1), comments.ColumnText(2)});
  }
  return std::optional<domain::DevelopmentPlan>(std::move(plan));
}

Result<std::int64_t> UpsertDevelopmentPlan(Database& db, std::int64_t person_id,
                                           std::optional<std::int64_t> target_role_level_id,
                                           std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto upsert,
      db.Prepare("INSERT INTO development_plan (person_id, target_role_level_id, created_at, "
                 "updated_at) VALUES (?1, ?2, ?3, ?3) ON CONFLICT (person_id) DO UPDATE SET "
                 "target_role_level_id = COALESCE(excluded.target_role_level_id, "
                 "target_role_level_id), updated_at = excluded.updated_at RETURNING id"));
  upsert.Bind(1, person_id);
  if (target_role_level_id) {
    upsert.Bind(2, *target_role_level_id);
  } else {
    upsert.BindNull(2);
  }
  upsert.Bind(3, now);
  PATHWAY_ASSIGN_OR_RETURN(bool row, upsert.Step());
  if (!row) return Error::Internal("The development plan was not stored");
  const std::int64_t id = upsert.ColumnInt(0);
  PATHWAY_ASSIGN_OR_RETURN(bool more, upsert.Step());
  (void)more;
  return id;
}

Result<std::int64_t> InsertDevelopmentAction(Database& db, const ActionInsert& action) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare(
          "INSERT INTO development_action (plan_id, item_ref_id, target_level, title, "
          "due_on, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'planned', ?, ?)"));
  insert.Bind(1, action.plan_id)
      .Bind(2, action.item_ref_id)
      .Bind(3, action.target_level)
      .Bind(4, action.title)
      .Bind(5, action.due_on)
      .Bind(6, action.now)
      .Bind(7, action.now);
  PATHWAY_TRY(insert.Run());
  return db.LastInsertRowId();
}

Result<std::optional<ActionOwner>> FindActionOwner(Database& db, std::int64_t action_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto find, db.Prepare("SELECT a.plan_id, d.person_id, a.status FROM development_action a "
                            "JOIN development_plan d ON d.id = a.plan_id WHERE a.id = ?"));
  find.Bind(1, action_id);
  PATHWAY_ASSIGN_OR_RETURN(bool found, find.Step());
  if (!found) return std::optional<ActionOwner>{};
  return std::optional<ActionOwner>(ActionOwner{
      find.ColumnInt(0), find.ColumnInt(1),
      domain::ParseActionStatus(find.ColumnText(2)).value_or(domain::ActionStatus::kPlanned)});
}

Status SetActionStatus(Database& db, std::int64_t action_id, domain::ActionStatus status,
                       std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto update,
      db.Prepare("UPDATE development_action SET status = ?, updated_at = ? WHERE id = ?"));
  update.Bind(1, domain::ActionStatusName(status)).Bind(2, now).Bind(3, action_id);
  return update.Run();
}

Status InsertDevelopmentComment(Database& db, std::int64_t plan_id, std::int64_t author_id,
                                std::string_view body, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(auto insert,
                           db.Prepare("INSERT INTO development_comment (plan_id, author_id, body, "
                                      "created_at) VALUES (?, ?, ?, ?)"));
  insert.Bind(1, plan_id).Bind(2, author_id).Bind(3, body).Bind(4, now);
  return insert.Run();
}

Result<std::vector<PlanSummary>> ListPlansInChain(Database& db, std::int64_t manager_person_id,
                                                  std::string_view today) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto list, db.Prepare(std::string(kChain) +
                            "SELECT d.person_id, p.display_name, COALESCE(r.title, ''), "
                            "SUM(a.status IN ('planned', 'in_progress')), "
                            "SUM(a.status IN ('planned', 'in_progress') AND a.due_on < ?2), "
                            "SUM(a.status = 'done') "
                            "FROM development_plan d JOIN person p ON p.id = d.person_id "
                            "LEFT JOIN role_level r ON r.id = d.target_role_level_id "
                            "LEFT JOIN development_action a ON a.plan_id = d.id "
                            "WHERE d.person_id IN (SELECT id FROM chain) "
                            "GROUP BY d.id ORDER BY p.display_name, d.person_id"));
  list.Bind(1, manager_person_id).Bind(2, today);
  std::vector<PlanSummary> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) break;
    out.push_back({list.ColumnInt(0), list.ColumnText(1), list.ColumnText(2),
                   static_cast<int>(list.ColumnInt(3)), static_cast<int>(list.ColumnInt(4)),
                   static_cast<int>(list.ColumnInt(5))});
  }
  return out;
}

Result<std::vector<domain::LearningResource>> ListLearningResources(Database& db,
                                                                    const ResourceFilter& filter) {
  std::string sql =
      "SELECT l.id, l.title, l.url, l.provider, r.item_id, l.level_min, l.level_max "
      "FROM learning_resource l JOIN item_ref r ON r.id = l.item_ref_id WHERE 1 = 1";
  if (filter.item_ref_id) sql += " AND l.item_ref_id = ?1";
  if (filter.level) sql += " AND l.level_min <= ?2 AND l.level_max >= ?2";
  sql += " ORDER BY r.item_id, l.level_min, l.title LIMIT ?3";
  PATHWAY_ASSIGN_OR_RETURN(auto list, db.Prepare(sql));
  if (filter.item_ref_id) list.Bind(1, *filter.item_ref_id);
  if (filter.level) list.Bind(2, *filter.level);
  list.Bind(3, filter.limit);
  std::vector<domain::LearningResource> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, list.Step());
    if (!row) break;
    domain::LearningResource resource;
    resource.id = list.ColumnInt(0);
    resource.title = list.ColumnText(1);
    resource.url = list.ColumnText(2);
    resource.provider = list.ColumnText(3);
    resource.item.item_id = list.ColumnText(4);
    resource.level_min = static_cast<int>(list.ColumnInt(5));
    resource.level_max = static_cast<int>(list.ColumnInt(6));
    out.push_back(std::move(resource));
  }
  return out;
}

Result<std::int64_t> InsertLearningResource(Database& db, const ResourceInsert& resource,
                                            std::string_view field) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto exists, db.Prepare("SELECT 1 FROM learning_resource WHERE item_ref_id = ? AND url = ?"));
  exists.Bind(1, resource.item_ref_id).Bind(2, resource.url);
  PATHWAY_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (found) {
    return Error{domain::ErrorCode::kConflict, std::string(field),
                 "This item already has a learning resource at that address"};
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO learning_resource (title, url, provider, item_ref_id, "
                              "level_min, level_max) VALUES (?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, resource.title)
      .Bind(2, resource.url)
      .Bind(3, resource.provider)
      .Bind(4, resource.item_ref_id)
      .Bind(5, resource.level_min)
      .Bind(6, resource.level_max);
  PATHWAY_TRY(insert.Run());
  return db.LastInsertRowId();
}

Status DeleteLearningResource(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(auto remove, db.Prepare("DELETE FROM learning_resource WHERE id = ?"));
  remove.Bind(1, id);
  return remove.Run();
}

}  // namespace pathway::store
