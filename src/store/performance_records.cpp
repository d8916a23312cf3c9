#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "domain/grade.hpp"
#include "store/performance.hpp"

namespace pathway::store {
namespace {

using domain::Error;

// A JSON array of strings, for `IN (SELECT value FROM json_each(?))`.
std::string JsonList(std::span<const std::string> values) {
  std::string out = "[";
  for (const auto& v : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : v) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (byte < 0x20) {
        out += fmt::format("\\u{:04x}", byte);
      } else {
        out += c;
      }
    }
    out += '"';
  }
  return out + "]";
}

void BindOptional(Statement& s, int index, std::optional<std::int64_t> value) {
  if (value) {
    s.Bind(index, *value);
  } else {
    s.BindNull(index);
  }
}

std::optional<int> OptionalInt(const Statement& s, int column) {
  if (s.ColumnIsNull(column)) return std::nullopt;
  return static_cast<int>(s.ColumnInt(column));
}

Result<std::optional<RecordKey>> OneKey(Statement& s) {
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<RecordKey>();
  RecordKey key;
  key.id = s.ColumnInt(0);
  key.year_id = s.ColumnInt(1);
  key.person_id = s.ColumnInt(2);
  key.department = s.ColumnText(3);
  return std::optional<RecordKey>(key);
}

domain::ReviewStage StageOf(const std::string& name) {
  return domain::ParseReviewStage(name).value_or(domain::ReviewStage::kOpen);
}

}  // namespace

// ---- Years

Result<std::optional<std::string>> FirstUnknownDepartment(
    Database& db, std::span<const std::string> departments) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT j.value FROM json_each(?) j "
                         "WHERE NOT EXISTS (SELECT 1 FROM department d WHERE d.code = j.value) "
                         "ORDER BY j.key LIMIT 1"));
  s.Bind(1, JsonList(departments));
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(s.ColumnText(0));
}

Result<std::optional<std::pair<std::string, std::string>>> OverlappingYear(
    Database& db, std::span<const std::string> departments, std::string_view starts_on,
    std::string_view endyear_due) {
  PATHWAY_ASSIGN_OR_RETURN(auto s,
                           db.Prepare("SELECT y.name, d.department FROM performance_year y "
                                      "JOIN performance_year_department d ON d.year_id = y.id "
                                      "WHERE d.department IN (SELECT value FROM json_each(?)) "
                                      "AND y.starts_on <= ? AND y.endyear_due >= ? "
                                      "ORDER BY y.id LIMIT 1"));
  s.Bind(1, JsonList(departments)).Bind(2, endyear_due).Bind(3, starts_on);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::pair<std::string, std::string>>();
  return std::optional<std::pair<std::string, std::string>>({s.ColumnText(0), s.ColumnText(1)});
}

Result<std::optional<std::string>> PersonInOverlappingYear(Database& db,
                                                           std::span<const std::string> departments,
                                                           std::string_view starts_on,
                                                           std::string_view endyear_due) {
  PATHWAY_ASSIGN_OR_RETURN(auto s,
                           db.Prepare("SELECT p.external_id FROM performance_record r "
                                      "JOIN performance_year y ON y.id = r.year_id "
                                      "JOIN person p ON p.id = r.person_id "
                                      "WHERE p.department IN (SELECT value FROM json_each(?)) "
                                      "AND y.starts_on <= ? AND y.endyear_due >= ? "
                                      "ORDER BY p.external_id LIMIT 1"));
  s.Bind(1, JsonList(departments)).Bind(2, endyear_due).Bind(3, starts_on);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(s.ColumnText(0));
}

Result<std::pair<std::int64_t, std::int64_t>> InsertYear(Database& db,
                                                         const domain::PerformanceYearSpec& spec,
                                                         std::optional<std::int64_t> opened_by,
                                                         std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto year, db.Prepare("INSERT INTO performance_year (name, starts_on, objectives_due, "
                            "midyear_due, endyear_due, opened_by, opened_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  year.Bind(1, spec.name)
      .Bind(2, spec.starts_on)
      .Bind(3, spec.objectives_due)
      .Bind(4, spec.midyear_due)
      .Bind(5, spec.endyear_due);
  BindOptional(year, 6, opened_by);
  year.Bind(7, now);
  PATHWAY_TRY(year.Run());
  const std::int64_t id = db.LastInsertRowId();

  PATHWAY_ASSIGN_OR_RETURN(
      auto department,
      db.Prepare("INSERT INTO performance_year_department (year_id, department) VALUES (?, ?)"));
  for (const auto& code : spec.departments) {
    department.Reset();
    department.Bind(1, id).Bind(2, code);
    PATHWAY_TRY(department.Run());
  }
  const auto& scale = spec.scale.empty() ? domain::kDefaultPerformanceScale : spec.scale;
  PATHWAY_ASSIGN_OR_RETURN(
      auto point,
      db.Prepare(
          "INSERT INTO performance_scale_point (year_id, position, label) VALUES (?, ?, ?)"));
  for (std::size_t i = 0; i < scale.size(); ++i) {
    point.Reset();
    point.Bind(1, id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, scale[i]);
    PATHWAY_TRY(point.Run());
  }

  PATHWAY_ASSIGN_OR_RETURN(
      auto records, db.Prepare("INSERT INTO performance_record (year_id, person_id, department) "
                               "SELECT ?, id, department FROM person "
                               "WHERE department IN (SELECT value FROM json_each(?)) ORDER BY id"));
  records.Bind(1, id).Bind(2, JsonList(spec.departments));
  PATHWAY_TRY(records.Run());
  const std::int64_t people = db.Changes();

  PATHWAY_ASSIGN_OR_RETURN(
      auto notices, db.Prepare("INSERT INTO notice (person_id, subject, body, link, created_at) "
                               "SELECT person_id, ?, ?, '/performance/records/' || id, ? "
                               "FROM performance_record WHERE year_id = ? ORDER BY id"));
  notices.Bind(1, fmt::format("Performance year {} has opened", spec.name))
      .Bind(2, fmt::format("Agree your objectives and competencies with your line manager by {}. "
                           "Mid-year review by {}, end-year review by {}.",
                           spec.objectives_due, spec.midyear_due, spec.endyear_due))
      .Bind(3, now)
      .Bind(4, id);
  PATHWAY_TRY(notices.Run());
  return std::pair<std::int64_t, std::int64_t>{id, people};
}

namespace {

Status FillYear(Database& db, domain::PerformanceYear& year) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto departments,
      db.Prepare("SELECT department FROM performance_year_department WHERE year_id = ? "
                 "ORDER BY department"));
  departments.Bind(1, year.id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, departments.Step());
    if (!row) break;
    year.departments.push_back(departments.ColumnText(0));
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto scale,
      db.Prepare("SELECT label FROM performance_scale_point WHERE year_id = ? ORDER BY position"));
  scale.Bind(1, year.id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, scale.Step());
    if (!row) break;
    year.scale.push_back(scale.ColumnText(0));
  }
  PATHWAY_ASSIGN_OR_RETURN(auto people,
                           db.Prepare("SELECT count(*) FROM performance_record WHERE year_id = ?"));
  people.Bind(1, year.id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, people.Step());
  if (row) year.people = people.ColumnInt(0);
  return domain::Ok{};
}

constexpr std::string_view kYearColumns =
    "SELECT id, name, starts_on, objectives_due, midyear_due, endyear_due, opened_at "
    "FROM performance_year ";

domain::PerformanceYear YearFrom(const Statement& s) {
  domain::PerformanceYear year;
  year.id = s.ColumnInt(0);
  year.name = s.ColumnText(1);
  year.starts_on = s.ColumnText(2);
  year.objectives_due = s.ColumnText(3);
  year.midyear_due = s.ColumnText(4);
  year.endyear_due = s.ColumnText(5);
  year.opened_at = s.ColumnText(6);
  return year;
}

}  // namespace

Result<std::optional<domain::PerformanceYear>> FindYear(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare(std::string(kYearColumns) + "WHERE id = ?"));
  s.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<domain::PerformanceYear>();
  auto year = YearFrom(s);
  PATHWAY_TRY(FillYear(db, year));
  return std::optional<domain::PerformanceYear>(std::move(year));
}

Result<std::vector<domain::PerformanceYear>> ListYears(Database& db, bool all,
                                                       std::span<const std::string> departments) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare(std::string(kYearColumns) +
                         "WHERE ? OR id IN (SELECT year_id FROM performance_year_department "
                         "WHERE department IN (SELECT value FROM json_each(?))) "
                         "ORDER BY starts_on DESC, id DESC LIMIT 100"));
  s.Bind(1, all ? 1 : 0).Bind(2, JsonList(departments));
  std::vector<domain::PerformanceYear> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(YearFrom(s));
  }
  for (auto& year : out) PATHWAY_TRY(FillYear(db, year));
  return out;
}

// ---- Records

constexpr std::string_view kKeyColumns =
    "SELECT id, year_id, person_id, department FROM performance_record ";

Result<std::optional<RecordKey>> FindRecordKey(Database& db, std::int64_t record_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare(std::string(kKeyColumns) + "WHERE id = ?"));
  s.Bind(1, record_id);
  return OneKey(s);
}

Result<std::optional<RecordKey>> FindRecordOf(Database& db, std::int64_t person_id,
                                              std::int64_t year_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare(std::string(kKeyColumns) + "WHERE person_id = ? AND year_id = ?"));
  s.Bind(1, person_id).Bind(2, year_id);
  return OneKey(s);
}

Result<std::optional<RecordKey>> LatestRecordOf(Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT r.id, r.year_id, r.person_id, r.department "
                         "FROM performance_record r JOIN performance_year y ON y.id = r.year_id "
                         "WHERE r.person_id = ? ORDER BY y.starts_on DESC, y.id DESC LIMIT 1"));
  s.Bind(1, person_id);
  return OneKey(s);
}

namespace {

Result<std::optional<domain::Review>> ReadReview(Database& db, std::int64_t record_id,
                                                 domain::ReviewKind kind) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT r.id, r.stage, r.summary, r.rating, r.moderated_rating, "
                         "COALESCE(r.moderation_reason, ''), COALESCE(u.display_name, ''), "
                         "COALESCE(r.person_signed_at, ''), COALESCE(r.manager_signed_at, ''), "
                         "COALESCE(m.display_name, ''), COALESCE(r.countersigned_at, ''), "
                         "COALESCE(c.display_name, '') "
                         "FROM performance_review r "
                         "LEFT JOIN app_user u ON u.id = r.moderated_by "
                         "LEFT JOIN person m ON m.id = r.manager_id "
                         "LEFT JOIN person c ON c.id = r.countersigner_id "
                         "WHERE r.record_id = ? AND r.kind = ?"));
  s.Bind(1, record_id).Bind(2, domain::ReviewKindName(kind));
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<domain::Review>();
  domain::Review review;
  review.id = s.ColumnInt(0);
  review.kind = kind;
  review.stage = StageOf(s.ColumnText(1));
  review.summary = s.ColumnText(2);
  review.rating = OptionalInt(s, 3);
  review.moderated_rating = OptionalInt(s, 4);
  review.moderation_reason = s.ColumnText(5);
  review.moderated_by_name = s.ColumnText(6);
  review.person_signed_at = s.ColumnText(7);
  review.manager_signed_at = s.ColumnText(8);
  review.manager_name = s.ColumnText(9);
  review.countersigned_at = s.ColumnText(10);
  review.countersigner_name = s.ColumnText(11);
  PATHWAY_ASSIGN_OR_RETURN(auto entries,
                           db.Prepare("SELECT kind, position, evidence, manager_comment, level "
                                      "FROM performance_review_entry WHERE review_id = ? "
                                      "ORDER BY kind, position"));
  entries.Bind(1, review.id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool more, entries.Step());
    if (!more) break;
    auto& list = entries.ColumnText(0) == "objective" ? review.objectives : review.competencies;
    const auto position = static_cast<std::size_t>(entries.ColumnInt(1));
    if (position >= 64) continue;
    if (list.size() <= position) list.resize(position + 1);
    list[position].evidence = entries.ColumnText(2);
    list[position].manager_comment = entries.ColumnText(3);
    list[position].level = OptionalInt(entries, 4);
  }
  return std::optional<domain::Review>(std::move(review));
}

}  // namespace

Result<std::optional<domain::PerformanceRecord>> ReadRecord(Database& db, std::int64_t record_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT r.id, r.year_id, y.name, r.person_id, p.display_name, "
                         "p.external_id, r.department, r.status, COALESCE(r.person_agreed_at, ''), "
                         "COALESCE(r.manager_agreed_at, ''), COALESCE(r.agreed_at, '') "
                         "FROM performance_record r JOIN performance_year y ON y.id = r.year_id "
                         "JOIN person p ON p.id = r.person_id WHERE r.id = ?"));
  s.Bind(1, record_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<domain::PerformanceRecord>();
  domain::PerformanceRecord record;
  record.id = s.ColumnInt(0);
  record.year_id = s.ColumnInt(1);
  record.year_name = s.ColumnText(2);
  record.person_id = s.ColumnInt(3);
  record.person_name = s.ColumnText(4);
  record.person_external_id = s.ColumnText(5);
  record.department = s.ColumnText(6);
  record.status =
      s.ColumnText(7) == "agreed" ? domain::RecordStatus::kAgreed : domain::RecordStatus::kSetting;
  record.person_agreed_at = s.ColumnText(8);
  record.manager_agreed_at = s.ColumnText(9);
  record.agreed_at = s.ColumnText(10);

  PATHWAY_ASSIGN_OR_RETURN(
      auto objectives, db.Prepare("SELECT text, measure, due_on, weight FROM performance_objective "
                                  "WHERE record_id = ? ORDER BY position"));
  objectives.Bind(1, record_id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool more, objectives.Step());
    if (!more) break;
    record.objectives.push_back({objectives.ColumnText(0), objectives.ColumnText(1),
                                 objectives.ColumnText(2),
                                 static_cast<int>(objectives.ColumnInt(3))});
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto competencies,
      db.Prepare(
          "SELECT i.item_id, c.reason FROM performance_competency c "
          "JOIN item_ref i ON i.id = c.item_ref_id WHERE c.record_id = ? ORDER BY c.position"));
  competencies.Bind(1, record_id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool more, competencies.Step());
    if (!more) break;
    domain::ChosenCompetency chosen;
    chosen.item_id = competencies.ColumnText(0);
    chosen.reason = competencies.ColumnText(1);
    record.competencies.push_back(std::move(chosen));
  }
  PATHWAY_ASSIGN_OR_RETURN(record.midyear, ReadReview(db, record_id, domain::ReviewKind::kMidYear));
  PATHWAY_ASSIGN_OR_RETURN(record.endyear, ReadReview(db, record_id, domain::ReviewKind::kEndYear));
  for (auto* review : {&record.midyear, &record.endyear}) {
    if (!*review) continue;
    (*review)->objectives.resize(record.objectives.size());
    (*review)->competencies.resize(record.competencies.size());
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto reopenings,
      db.Prepare("SELECT o.what, o.reason, COALESCE(u.display_name, 'system'), o.at "
                 "FROM performance_reopening o LEFT JOIN app_user u ON u.id = o.by_user "
                 "WHERE o.record_id = ? ORDER BY o.id DESC"));
  reopenings.Bind(1, record_id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool more, reopenings.Step());
    if (!more) break;
    record.reopenings.push_back({reopenings.ColumnText(0), reopenings.ColumnText(1),
                                 reopenings.ColumnText(2), reopenings.ColumnText(3)});
  }
  return std::optional<domain::PerformanceRecord>(std::move(record));
}

Status ReplaceAgreementSet(Database& db, std::int64_t record_id,
                           std::span<const domain::Objective> objectives,
                           std::span<const std::pair<std::int64_t, std::string>> competencies) {
  for (std::string_view table : {"performance_objective", "performance_competency"}) {
    PATHWAY_ASSIGN_OR_RETURN(auto clear,
                             db.Prepare(fmt::format("DELETE FROM {} WHERE record_id = ?", table)));
    clear.Bind(1, record_id);
    PATHWAY_TRY(clear.Run());
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto objective,
      db.Prepare("INSERT INTO performance_objective (record_id, position, text, measure, due_on, "
                 "weight) VALUES (?, ?, ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < objectives.size(); ++i) {
    objective.Reset();
    objective.Bind(1, record_id)
        .Bind(2, static_cast<std::int64_t>(i))
        .Bind(3, objectives[i].text)
        .Bind(4, objectives[i].measure)
        .Bind(5, objectives[i].due_on)
        .Bind(6, objectives[i].weight);
    PATHWAY_TRY(objective.Run());
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto competency,
      db.Prepare("INSERT INTO performance_competency (record_id, position, item_ref_id, reason) "
                 "VALUES (?, ?, ?, ?)"));
  for (std::size_t i = 0; i < competencies.size(); ++i) {
    competency.Reset();
    competency.Bind(1, record_id)
        .Bind(2, static_cast<std::int64_t>(i))
        .Bind(3, competencies[i].first)
        .Bind(4, competencies[i].second);
    PATHWAY_TRY(competency.Run());
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto reset, db.Prepare("UPDATE performance_record SET status = 'setting', "
                             "person_agreed_at = NULL, manager_agreed_at = NULL, agreed_at = NULL "
                             "WHERE id = ?"));
  reset.Bind(1, record_id);
  return reset.Run();
}

Result<bool> StampAgreement(Database& db, std::int64_t record_id, bool manager,
                            std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stamp,
      db.Prepare(manager ? "UPDATE performance_record SET manager_agreed_at = ? WHERE id = ?"
                         : "UPDATE performance_record SET person_agreed_at = ? WHERE id = ?"));
  stamp.Bind(1, now).Bind(2, record_id);
  PATHWAY_TRY(stamp.Run());
  PATHWAY_ASSIGN_OR_RETURN(
      auto both, db.Prepare("UPDATE performance_record SET status = 'agreed', agreed_at = ? "
                            "WHERE id = ? AND person_agreed_at IS NOT NULL "
                            "AND manager_agreed_at IS NOT NULL"));
  both.Bind(1, now).Bind(2, record_id);
  PATHWAY_TRY(both.Run());
  return db.Changes() > 0;
}

Status InsertReopening(Database& db, std::int64_t record_id, std::string_view what,
                       std::string_view reason, std::optional<std::int64_t> by_user,
                       std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("INSERT INTO performance_reopening (record_id, what, reason, by_user, at) "
                         "VALUES (?, ?, ?, ?, ?)"));
  s.Bind(1, record_id).Bind(2, what).Bind(3, reason);
  BindOptional(s, 4, by_user);
  s.Bind(5, now);
  return s.Run();
}

Status ReopenAgreement(Database& db, std::int64_t record_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("UPDATE performance_record SET status = 'setting', "
                         "person_agreed_at = NULL, manager_agreed_at = NULL, agreed_at = NULL "
                         "WHERE id = ?"));
  s.Bind(1, record_id);
  return s.Run();
}

// ---- Reviews

Result<std::int64_t> ReviewOf(Database& db, std::int64_t record_id, domain::ReviewKind kind,
                              std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO performance_review (record_id, kind, updated_at) "
                              "VALUES (?, ?, ?) ON CONFLICT (record_id, kind) DO NOTHING"));
  insert.Bind(1, record_id).Bind(2, domain::ReviewKindName(kind)).Bind(3, now);
  PATHWAY_TRY(insert.Run());
  PATHWAY_ASSIGN_OR_RETURN(
      auto find, db.Prepare("SELECT id FROM performance_review WHERE record_id = ? AND kind = ?"));
  find.Bind(1, record_id).Bind(2, domain::ReviewKindName(kind));
  PATHWAY_ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return Error::Internal("The review was not written");
  return find.ColumnInt(0);
}

Status SaveReviewPart(Database& db, std::int64_t review_id, bool person,
                      std::span<const domain::ReviewEntry> objectives,
                      std::span<const domain::ReviewEntry> competencies, std::string_view summary,
                      std::optional<int> rating, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto entry,
      db.Prepare(person
                     ? "INSERT INTO performance_review_entry (review_id, kind, position, evidence) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (review_id, kind, position) "
                       "DO UPDATE SET evidence = excluded.evidence"
                     : "INSERT INTO performance_review_entry (review_id, kind, position, "
                       "manager_comment, level) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (review_id, kind, position) DO UPDATE SET "
                       "manager_comment = excluded.manager_comment, level = excluded.level"));
  const auto write = [&](std::string_view kind,
                         std::span<const domain::ReviewEntry> list) -> Status {
    for (std::size_t i = 0; i < list.size(); ++i) {
      entry.Reset();
      entry.Bind(1, review_id).Bind(2, kind).Bind(3, static_cast<std::int64_t>(i));
      if (person) {
        entry.Bind(4, list[i].evidence);
      } else {
        entry.Bind(4, list[i].manager_comment);
        if (list[i].level) {
          entry.Bind(5, *list[i].level);
        } else {
          entry.BindNull(5);
        }
      }
      PATHWAY_TRY(entry.Run());
    }
    return domain::Ok{};
  };
  PATHWAY_TRY(write("objective", objectives));
  PATHWAY_TRY(write("competency", competencies));
  if (person) {
    PATHWAY_ASSIGN_OR_RETURN(
        auto touch, db.Prepare("UPDATE performance_review SET updated_at = ? WHERE id = ?"));
    touch.Bind(1, now).Bind(2, review_id);
    return touch.Run();
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto review,
      db.Prepare("UPDATE performance_review SET summary = ?, rating = ?, updated_at = ? "
                 "WHERE id = ?"));
  review.Bind(1, summary);
  if (rating) {
    review.Bind(2, *rating);
  } else {
    review.BindNull(2);
  }
  review.Bind(3, now).Bind(4, review_id);
  return review.Run();
}

Status SetReviewStage(Database& db, std::int64_t review_id, domain::ReviewStage stage,
                      std::optional<std::int64_t> signer_person_id, std::string_view now) {
  std::string sql;
  switch (stage) {
    case domain::ReviewStage::kPersonSigned:
      sql =
          "UPDATE performance_review SET stage = ?, person_signed_at = ?, updated_at = ? "
          "WHERE id = ?";
      break;
    case domain::ReviewStage::kManagerSigned:
      sql =
          "UPDATE performance_review SET stage = ?, manager_signed_at = ?, updated_at = ?, "
          "manager_id = ? WHERE id = ?";
      break;
    case domain::ReviewStage::kCountersigned:
      sql =
          "UPDATE performance_review SET stage = ?, countersigned_at = ?, updated_at = ?, "
          "countersigner_id = ? WHERE id = ?";
      break;
    case domain::ReviewStage::kOpen:
      return ReopenReview(db, review_id, now);
  }
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare(sql));
  s.Bind(1, domain::ReviewStageName(stage)).Bind(2, now).Bind(3, now);
  if (stage == domain::ReviewStage::kPersonSigned) {
    s.Bind(4, review_id);
  } else {
    BindOptional(s, 4, signer_person_id);
    s.Bind(5, review_id);
  }
  return s.Run();
}

Status ReopenReview(Database& db, std::int64_t review_id, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("UPDATE performance_review SET stage = 'open', person_signed_at = NULL, "
                         "manager_signed_at = NULL, manager_id = NULL, countersigned_at = NULL, "
                         "countersigner_id = NULL, updated_at = ? WHERE id = ?"));
  s.Bind(1, now).Bind(2, review_id);
  return s.Run();
}

Status ModerateReview(Database& db, std::int64_t review_id, int rating, std::string_view reason,
                      std::optional<std::int64_t> by_user, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(auto s,
                           db.Prepare("UPDATE performance_review SET moderated_rating = ?, "
                                      "moderation_reason = ?, moderated_by = ?, moderated_at = ?, "
                                      "updated_at = ? WHERE id = ?"));
  s.Bind(1, rating).Bind(2, reason);
  BindOptional(s, 3, by_user);
  s.Bind(4, now).Bind(5, now).Bind(6, review_id);
  return s.Run();
}

// ---- Where everyone stands

Result<std::vector<domain::RecordProgress>> TeamProgress(Database& db, std::int64_t year_id,
                                                         std::int64_t manager_person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT r.id, p.id, p.display_name, COALESCE(u.name, ''), r.status, "
                 "mid.stage, fin.stage FROM person p "
                 "JOIN performance_record r ON r.person_id = p.id AND r.year_id = ? "
                 "LEFT JOIN post ON post.id = p.post_id LEFT JOIN unit u ON u.id = post.unit_id "
                 "LEFT JOIN performance_review mid ON mid.record_id = r.id AND mid.kind = 'mid' "
                 "LEFT JOIN performance_review fin ON fin.record_id = r.id AND fin.kind = 'end' "
                 "WHERE p.line_manager_id = ? OR p.line_manager_id IN "
                 "(SELECT id FROM person WHERE line_manager_id = ?) "
                 "ORDER BY p.line_manager_id <> ?, p.display_name LIMIT 500"));
  s.Bind(1, year_id)
      .Bind(2, manager_person_id)
      .Bind(3, manager_person_id)
      .Bind(4, manager_person_id);
  std::vector<domain::RecordProgress> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    domain::RecordProgress p;
    p.record_id = s.ColumnInt(0);
    p.person_id = s.ColumnInt(1);
    p.person_name = s.ColumnText(2);
    p.unit = s.ColumnText(3);
    p.agreed = s.ColumnText(4) == "agreed";
    p.midyear_started = !s.ColumnIsNull(5);
    if (p.midyear_started) p.midyear = StageOf(s.ColumnText(5));
    p.endyear_started = !s.ColumnIsNull(6);
    if (p.endyear_started) p.endyear = StageOf(s.ColumnText(6));
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<domain::UnitCompletion>> CompletionByUnit(Database& db, std::int64_t year_id,
                                                             std::string_view department) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT COALESCE(u.name, 'No unit'), count(*), "
                 "sum(r.status = 'agreed'), sum(mid.stage = 'countersigned'), "
                 "sum(fin.stage = 'countersigned') FROM performance_record r "
                 "JOIN person p ON p.id = r.person_id "
                 "LEFT JOIN post ON post.id = p.post_id "
                 "LEFT JOIN unit u ON u.id = post.unit_id "
                 "LEFT JOIN performance_review mid ON mid.record_id = r.id AND mid.kind = 'mid' "
                 "LEFT JOIN performance_review fin ON fin.record_id = r.id AND fin.kind = 'end' "
                 "WHERE r.year_id = ? AND r.department = ? "
                 "GROUP BY 1 ORDER BY 1"));
  s.Bind(1, year_id).Bind(2, department);
  std::vector<domain::UnitCompletion> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(
        {s.ColumnText(0), s.ColumnInt(1), s.ColumnInt(2), s.ColumnInt(3), s.ColumnInt(4)});
  }
  return out;
}

Result<domain::Moderation> ReadModeration(Database& db, const domain::PerformanceYear& year,
                                          std::string_view department) {
  domain::Moderation out;
  out.year_id = year.id;
  out.year_name = year.name;
  out.scale = year.scale;
  const std::size_t points = year.scale.size();
  out.whole.dimension = "department";
  out.whole.key = std::string(department);
  out.whole.label = std::string(department);
  out.whole.counts.assign(points, 0);

  // One pass over the department's records: people count, and each rated record's
  // grade, profession and unit with the rating that counts.
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT p.grade, p.profession, post.unit_id, "
                 "COALESCE(fin.moderated_rating, fin.rating) "
                 "FROM performance_record r JOIN person p ON p.id = r.person_id "
                 "LEFT JOIN post ON post.id = p.post_id "
                 "LEFT JOIN performance_review fin ON fin.record_id = r.id AND fin.kind = 'end' "
                 "WHERE r.year_id = ? AND r.department = ?"));
  s.Bind(1, year.id).Bind(2, department);
  std::map<std::int64_t, std::vector<std::int64_t>> by_grade;
  std::map<std::string, std::vector<std::int64_t>> by_profession;
  std::map<std::int64_t, std::vector<std::int64_t>> by_unit;
  const auto bump = [&](std::vector<std::int64_t>& counts, std::size_t rating) {
    if (counts.empty()) counts.assign(points, 0);
    ++counts[rating];
  };
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ++out.people;
    if (s.ColumnIsNull(3)) continue;
    const auto rating = static_cast<std::size_t>(s.ColumnInt(3));
    if (rating >= points) continue;
    ++out.whole.counts[rating];
    bump(by_grade[s.ColumnIsNull(0) ? -1 : s.ColumnInt(0)], rating);
    bump(by_profession[s.ColumnText(1)], rating);
    bump(by_unit[s.ColumnIsNull(2) ? -1 : s.ColumnInt(2)], rating);
  }
  for (auto& [grade, counts] : by_grade) {
    domain::RatingGroup g{"grade", "", "", std::move(counts)};
    if (grade >= 0 && grade <= 9) {
      g.key = std::string(domain::GradeCode(static_cast<domain::Grade>(grade)));
    } else {
      g.key = "none";
    }
    g.label = g.key == "none" ? "No grade" : g.key;
    out.groups.push_back(std::move(g));
  }
  // Names of professions and units, looked up for the groups present only.
  PATHWAY_ASSIGN_OR_RETURN(auto profession,
                           db.Prepare("SELECT name FROM profession WHERE code = ?"));
  for (auto& [code, counts] : by_profession) {
    domain::RatingGroup g{"profession", code.empty() ? "none" : code, "", std::move(counts)};
    profession.Reset();
    profession.Bind(1, code);
    PATHWAY_ASSIGN_OR_RETURN(bool row, profession.Step());
    g.label = row ? profession.ColumnText(0) : (code.empty() ? "No profession" : code);
    out.groups.push_back(std::move(g));
  }
  PATHWAY_ASSIGN_OR_RETURN(auto unit, db.Prepare("SELECT code, name FROM unit WHERE id = ?"));
  for (auto& [id, counts] : by_unit) {
    domain::RatingGroup g{"unit", "none", "No unit", std::move(counts)};
    if (id >= 0) {
      unit.Reset();
      unit.Bind(1, id);
      PATHWAY_ASSIGN_OR_RETURN(bool row, unit.Step());
      if (row) {
        g.key = unit.ColumnText(0);
        g.label = unit.ColumnText(1);
      }
    }
    out.groups.push_back(std::move(g));
  }
  return out;
}

// ---- About the person

Result<std::optional<Managers>> ManagersOf(Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT p.line_manager_id, m.line_manager_id, p.department, p.display_name "
                 "FROM person p LEFT JOIN person m ON m.id = p.line_manager_id "
                 "WHERE p.id = ?"));
  s.Bind(1, person_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<Managers>();
  Managers out;
  if (!s.ColumnIsNull(0)) out.manager = s.ColumnInt(0);
  if (!s.ColumnIsNull(1)) out.countersigner = s.ColumnInt(1);
  out.department = s.ColumnText(2);
  out.name = s.ColumnText(3);
  return std::optional<Managers>(std::move(out));
}

Result<std::string> PostClearanceOf(Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT post.clearance FROM person p JOIN post ON post.id = p.post_id "
                         "WHERE p.id = ?"));
  s.Bind(1, person_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.ColumnText(0) : std::string();
}

Result<std::vector<std::string>> SecurityItems(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT DISTINCT i.item_id, fi.position FROM fw_indicator i "
                         "JOIN framework_version v ON v.framework_id = i.framework_id "
                         "AND v.version = i.version "
                         "JOIN fw_item fi ON fi.framework_id = i.framework_id "
                         "AND fi.version = i.version AND fi.id = i.item_id "
                         "WHERE v.status = 'published' AND v.version = (SELECT max(version) "
                         "FROM framework_version w WHERE w.framework_id = v.framework_id "
                         "AND w.status = 'published') "
                         "AND (';' || i.tags || ';') LIKE '%;security;%' "
                         "ORDER BY i.framework_id, fi.position LIMIT 50"));
  std::vector<std::string> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    std::string id = s.ColumnText(0);
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(std::move(id));
  }
  return out;
}

// ---- Notices

Result<std::int64_t> QueueReminders(Database& db, std::string_view today, std::string_view now) {
  struct Step {
    const char* name;
    const char* due_column;
    const char* overdue;  // SQL over r (record) and y (year)
    const char* what;
  };
  const Step steps[] = {
      {"objectives", "objectives_due", "r.status = 'setting'", "agree objectives and competencies"},
      {"mid", "midyear_due",
       "NOT EXISTS (SELECT 1 FROM performance_review v WHERE v.record_id = r.id AND v.kind = 'mid' "
       "AND v.stage = 'countersigned')",
       "finish the mid-year review"},
      {"end", "endyear_due",
       "NOT EXISTS (SELECT 1 FROM performance_review v WHERE v.record_id = r.id AND v.kind = 'end' "
       "AND v.stage = 'countersigned')",
       "finish the end-year review"},
  };
  std::int64_t reminded = 0;
  for (const Step& step : steps) {
    const std::string chosen = fmt::format(
        "SELECT r.id AS record_id, r.person_id, p.line_manager_id, y.name, y.{0} AS due "
        "FROM performance_record r JOIN performance_year y ON y.id = r.year_id "
        "JOIN person p ON p.id = r.person_id "
        "JOIN performance_year_department d ON d.year_id = y.id AND d.department = p.department "
        "WHERE y.{0} < ?1 AND {1} AND NOT EXISTS (SELECT 1 FROM performance_reminder m "
        "WHERE m.record_id = r.id AND m.step = '{2}')",
        step.due_column, step.overdue, step.name);
    PATHWAY_TRY(db.Execute("DROP TABLE IF EXISTS temp.due_reminder"));
    PATHWAY_ASSIGN_OR_RETURN(auto pick, db.Prepare("CREATE TEMP TABLE due_reminder AS " + chosen));
    pick.Bind(1, today);
    PATHWAY_TRY(pick.Run());
    PATHWAY_ASSIGN_OR_RETURN(
        auto notify,
        db.Prepare(fmt::format(
            "INSERT INTO notice (person_id, subject, body, link, created_at) "
            "SELECT person_id, 'Reminder: ' || name, 'Please {0}: it was due on ' || due || '.', "
            "'/performance/records/' || record_id, ?1 FROM temp.due_reminder "
            "UNION ALL SELECT line_manager_id, 'Reminder for your team: ' || name, "
            "'A report of yours has yet to {0}: it was due on ' || due || '.', "
            "'/performance/records/' || record_id, ?1 FROM temp.due_reminder "
            "WHERE line_manager_id IS NOT NULL",
            step.what)));
    notify.Bind(1, now);
    PATHWAY_TRY(notify.Run());
    PATHWAY_ASSIGN_OR_RETURN(
        auto mark,
        db.Prepare(fmt::format("INSERT INTO performance_reminder (record_id, step, queued_at) "
                               "SELECT record_id, '{}', ?1 FROM temp.due_reminder",
                               step.name)));
    mark.Bind(1, now);
    PATHWAY_TRY(mark.Run());
    reminded += db.Changes();
    PATHWAY_TRY(db.Execute("DROP TABLE temp.due_reminder"));
  }
  return reminded;
}

Status InsertNotice(Database& db, std::int64_t person_id, std::string_view subject,
                    std::string_view body, std::string_view link, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("INSERT INTO notice (person_id, subject, body, link, created_at) "
                         "VALUES (?, ?, ?, ?, ?)"));
  s.Bind(1, person_id).Bind(2, subject).Bind(3, body).Bind(4, link).Bind(5, now);
  return s.Run();
}

Result<std::vector<domain::Notice>> ListNotices(Database& db, std::int64_t person_id, int limit) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT id, subject, body, link, created_at, COALESCE(sent_at, '') "
                         "FROM notice WHERE person_id = ? ORDER BY id DESC LIMIT ?"));
  s.Bind(1, person_id).Bind(2, limit);
  std::vector<domain::Notice> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.ColumnInt(0), s.ColumnText(1), s.ColumnText(2), s.ColumnText(3),
                   s.ColumnText(4), s.ColumnText(5)});
  }
  return out;
}

Result<std::vector<OutgoingNotice>> UnsentNotices(Database& db, int limit, int max_attempts) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT n.id, COALESCE(u.email, ''), p.display_name, n.subject, n.body, "
                         "n.link FROM notice n JOIN person p ON p.id = n.person_id "
                         "LEFT JOIN app_user u ON u.person_id = n.person_id "
                         "AND u.disabled_at IS NULL "
                         "WHERE n.sent_at IS NULL AND n.attempts < ? ORDER BY n.id LIMIT ?"));
  s.Bind(1, max_attempts).Bind(2, limit);
  std::vector<OutgoingNotice> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.ColumnInt(0), s.ColumnText(1), s.ColumnText(2), s.ColumnText(3),
                   s.ColumnText(4), s.ColumnText(5)});
  }
  return out;
}

Status MarkNoticeSent(Database& db, std::int64_t id, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(auto s,
                           db.Prepare("UPDATE notice SET sent_at = ?, attempts = attempts + 1, "
                                      "last_error = NULL WHERE id = ?"));
  s.Bind(1, now).Bind(2, id);
  return s.Run();
}

Status MarkNoticeFailed(Database& db, std::int64_t id, std::string_view error, bool give_up) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("UPDATE notice SET attempts = CASE WHEN ? THEN 1000 ELSE attempts + 1 END, "
                 "last_error = ? WHERE id = ?"));
  s.Bind(1, give_up ? 1 : 0).Bind(2, error).Bind(3, id);
  return s.Run();
}

}  // namespace pathway::store
