#include <fmt/format.h>

#include "domain/grade.hpp"
#include "store/recruitment.hpp"

namespace pathway::store {
namespace {

using domain::Error;

std::string JoinStages(const std::vector<std::string>& stages) {
  std::string out;
  for (const auto& s : stages) out += (out.empty() ? "" : ";") + s;
  return out;
}

std::vector<std::string> SplitStages(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find(';', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string GradeText(std::int64_t rank) {
  if (rank < 0 || rank > 9) return {};
  return std::string(domain::GradeCode(static_cast<domain::Grade>(rank)));
}

template <typename T>
void BindOptional(Statement& s, int index, const std::optional<T>& value) {
  if (value) {
    s.Bind(index, static_cast<std::int64_t>(*value));
  } else {
    s.BindNull(index);
  }
}

}  // namespace

Result<std::optional<PostForVacancy>> FindPostForVacancy(Database& db,
                                                         std::string_view external_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT p.id, p.external_id, p.role_level_id, r.code, p.grade, p.clearance, "
                 "d.code, (SELECT h.id FROM person h WHERE h.post_id = p.id) FROM post p "
                 "JOIN role_level r ON r.id = p.role_level_id JOIN unit u ON u.id = p.unit_id "
                 "JOIN department d ON d.id = u.department_id WHERE p.external_id = ?"));
  s.Bind(1, external_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<PostForVacancy>();
  PostForVacancy out;
  out.id = s.ColumnInt(0);
  out.external_id = s.ColumnText(1);
  out.role_level_id = s.ColumnInt(2);
  out.role_level_code = s.ColumnText(3);
  out.grade = static_cast<int>(s.ColumnInt(4));
  out.clearance = s.ColumnText(5);
  out.department = s.ColumnText(6);
  if (!s.ColumnIsNull(7)) out.holder = s.ColumnInt(7);
  return std::optional<PostForVacancy>(std::move(out));
}

Result<std::vector<BehaviourAtGrade>> BehavioursAtGrade(Database& db, int grade) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT i.id, i.title, COALESCE(g.level, 0) FROM framework f "
                 "JOIN framework_version v ON v.framework_id = f.id AND v.status = 'published' "
                 "AND v.version = (SELECT max(version) FROM framework_version w WHERE "
                 "w.framework_id = f.id AND w.status = 'published') "
                 "JOIN fw_item i ON i.framework_id = v.framework_id AND i.version = v.version "
                 "LEFT JOIN fw_grade_level g ON g.framework_id = v.framework_id AND "
                 "g.version = v.version AND g.grade = (SELECT code FROM grade WHERE rank = ?) "
                 "WHERE f.kind = 'behaviours' ORDER BY f.id, i.position LIMIT 20"));
  s.Bind(1, grade);
  std::vector<BehaviourAtGrade> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.ColumnText(0), s.ColumnText(1), static_cast<int>(s.ColumnInt(2))});
  }
  return out;
}

Result<std::int64_t> InsertVacancy(Database& db, const domain::Vacancy& v,
                                   std::optional<std::int64_t> post_id,
                                   std::optional<std::int64_t> role_level_id, int grade,
                                   std::optional<std::int64_t> created_by, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("INSERT INTO vacancy (title, department, post_id, role_level_id, grade, "
                         "clearance, posts, closes_on, created_by, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, v.title).Bind(2, v.department);
  BindOptional(s, 3, post_id);
  BindOptional(s, 4, role_level_id);
  s.Bind(5, grade).Bind(6, v.clearance).Bind(7, v.posts).Bind(8, v.closes_on);
  BindOptional(s, 9, created_by);
  s.Bind(10, now);
  PATHWAY_TRY(s.Run());
  const std::int64_t id = db.LastInsertRowId();
  PATHWAY_ASSIGN_OR_RETURN(
      auto e,
      db.Prepare("INSERT INTO vacancy_element (vacancy_id, position, kind, item_ref_id, title, "
                 "level, stages, minimum) VALUES (?, ?, ?, (SELECT id FROM item_ref WHERE "
                 "item_id = ?), ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < v.elements.size(); ++i) {
    const auto& el = v.elements[i];
    e.Reset();
    e.Bind(1, id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, domain::ElementKindName(el.kind));
    e.Bind(4, el.item_id)
        .Bind(5, el.title)
        .Bind(6, el.level)
        .Bind(7, JoinStages(el.stages))
        .Bind(8, el.minimum);
    PATHWAY_TRY(e.Run());
  }
  return id;
}

Result<std::optional<domain::Vacancy>> FindVacancy(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT v.id, v.title, v.department, COALESCE(p.external_id, ''), "
                 "COALESCE(r.code, ''), v.grade, v.clearance, v.posts, v.closes_on, v.status, "
                 "v.created_by FROM vacancy v LEFT JOIN post p ON p.id = v.post_id "
                 "LEFT JOIN role_level r ON r.id = v.role_level_id WHERE v.id = ?"));
  s.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<domain::Vacancy>();
  domain::Vacancy v;
  v.id = s.ColumnInt(0);
  v.title = s.ColumnText(1);
  v.department = s.ColumnText(2);
  v.post = s.ColumnText(3);
  v.role_level = s.ColumnText(4);
  v.grade = GradeText(s.ColumnInt(5));
  v.clearance = s.ColumnText(6);
  v.posts = static_cast<int>(s.ColumnInt(7));
  v.closes_on = s.ColumnText(8);
  v.status = s.ColumnText(9);
  if (!s.ColumnIsNull(10)) v.created_by = s.ColumnInt(10);
  PATHWAY_ASSIGN_OR_RETURN(
      auto e,
      db.Prepare("SELECT e.kind, COALESCE(i.item_id, ''), e.title, e.level, e.stages, e.minimum "
                 "FROM vacancy_element e LEFT JOIN item_ref i ON i.id = e.item_ref_id "
                 "WHERE e.vacancy_id = ? ORDER BY e.position"));
  e.Bind(1, id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool more, e.Step());
    if (!more) break;
    domain::ProfileElement el;
    el.kind = domain::ParseElementKind(e.ColumnText(0)).value_or(domain::ElementKind::kExperience);
    el.item_id = e.ColumnText(1);
    el.title = e.ColumnText(2);
    el.level = static_cast<int>(e.ColumnInt(3));
    el.stages = SplitStages(e.ColumnText(4));
    el.minimum = static_cast<int>(e.ColumnInt(5));
    v.elements.push_back(std::move(el));
  }
  return std::optional<domain::Vacancy>(std::move(v));
}

Result<std::vector<domain::Vacancy>> ListOpenVacancies(Database& db, std::string_view today,
                                                       int limit) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT id FROM vacancy WHERE status = 'open' AND "
                                              "closes_on >= ? ORDER BY closes_on, id LIMIT ?"));
  s.Bind(1, today).Bind(2, limit);
  std::vector<std::int64_t> ids;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ids.push_back(s.ColumnInt(0));
  }
  std::vector<domain::Vacancy> out;
  for (auto id : ids) {
    PATHWAY_ASSIGN_OR_RETURN(auto v, FindVacancy(db, id));
    if (v) out.push_back(std::move(*v));
  }
  return out;
}

Status AddPanelMember(Database& db, std::int64_t vacancy_id, std::int64_t user_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare(
          "INSERT INTO vacancy_panel (vacancy_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING"));
  s.Bind(1, vacancy_id).Bind(2, user_id);
  return s.Run();
}

Result<bool> IsPanelMember(Database& db, std::int64_t vacancy_id, std::int64_t user_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT 1 FROM vacancy_panel WHERE vacancy_id = ? AND user_id = ?"));
  s.Bind(1, vacancy_id).Bind(2, user_id);
  return s.Step();
}

Result<std::optional<std::int64_t>> UserByEmail(Database& db, std::string_view email) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT id FROM app_user WHERE email = ? AND disabled_at IS NULL"));
  s.Bind(1, email);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(s.ColumnInt(0));
}

Status SetVacancyStatus(Database& db, std::int64_t id, std::string_view status) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare("UPDATE vacancy SET status = ? WHERE id = ?"));
  s.Bind(1, status).Bind(2, id);
  return s.Run();
}

Result<std::int64_t> InsertApplication(Database& db, std::int64_t vacancy_id,
                                       std::optional<std::int64_t> person_id, std::string_view name,
                                       std::string_view email,
                                       const std::vector<std::string>& statements,
                                       std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("INSERT INTO application (vacancy_id, person_id, external_name, external_email, "
                 "submitted_at) VALUES (?, ?, ?, ?, ?)"));
  s.Bind(1, vacancy_id);
  BindOptional(s, 2, person_id);
  s.Bind(3, name).Bind(4, email).Bind(5, now);
  PATHWAY_TRY(s.Run());
  const std::int64_t id = db.LastInsertRowId();
  PATHWAY_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare(
          "INSERT INTO application_statement (application_id, position, text) VALUES (?, ?, ?)"));
  for (std::size_t i = 0; i < statements.size(); ++i) {
    st.Reset();
    st.Bind(1, id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, statements[i]);
    PATHWAY_TRY(st.Run());
  }
  return id;
}

Result<std::optional<ApplicationRecord>> FindApplication(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare(
          "SELECT a.id, a.vacancy_id, a.person_id, COALESCE(p.display_name, a.external_name), "
          "COALESCE(u.email, a.external_email), a.status, a.submitted_at, a.purged_at IS NOT NULL "
          "FROM application a LEFT JOIN person p ON p.id = a.person_id "
          "LEFT JOIN app_user u ON u.person_id = a.person_id WHERE a.id = ?"));
  s.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<ApplicationRecord>();
  ApplicationRecord a;
  a.id = s.ColumnInt(0);
  a.vacancy_id = s.ColumnInt(1);
  if (!s.ColumnIsNull(2)) a.person_id = s.ColumnInt(2);
  a.name = s.ColumnText(3);
  a.email = s.ColumnText(4);
  a.status = s.ColumnText(5);
  a.submitted_at = s.ColumnText(6);
  a.purged = s.ColumnInt(7) != 0;
  PATHWAY_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare(
          "SELECT text FROM application_statement WHERE application_id = ? ORDER BY position"));
  st.Bind(1, id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool more, st.Step());
    if (!more) break;
    a.statements.push_back(st.ColumnText(0));
  }
  return std::optional<ApplicationRecord>(std::move(a));
}

Result<bool> HasApplied(Database& db, std::int64_t vacancy_id, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT 1 FROM application WHERE vacancy_id = ? AND person_id = ?"));
  s.Bind(1, vacancy_id).Bind(2, person_id);
  return s.Step();
}

Status SaveScore(Database& db, std::int64_t application_id, int position, std::int64_t user_id,
                 int score, std::string_view evidence, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("INSERT INTO application_score (application_id, position, user_id, score, "
                 "evidence, scored_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (application_id, "
                 "position, user_id) DO UPDATE SET score = excluded.score, evidence = "
                 "excluded.evidence, scored_at = excluded.scored_at"));
  s.Bind(1, application_id)
      .Bind(2, position)
      .Bind(3, user_id)
      .Bind(4, score)
      .Bind(5, evidence)
      .Bind(6, now);
  return s.Run();
}

Status SaveAgreed(Database& db, std::int64_t application_id, int position, int score,
                  std::string_view reason, std::optional<std::int64_t> user_id,
                  std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("INSERT INTO application_agreed (application_id, position, score, reason, "
                 "agreed_by, agreed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (application_id, "
                 "position) DO UPDATE SET score = excluded.score, reason = excluded.reason, "
                 "agreed_by = excluded.agreed_by, agreed_at = excluded.agreed_at"));
  s.Bind(1, application_id).Bind(2, position).Bind(3, score).Bind(4, reason);
  BindOptional(s, 5, user_id);
  s.Bind(6, now);
  return s.Run();
}

Result<std::vector<ApplicationScores>> ScoresOf(Database& db, std::int64_t vacancy_id,
                                                std::size_t elements) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT a.id, COALESCE(p.display_name, a.external_name), a.person_id, a.status, "
                 "a.submitted_at FROM application a LEFT JOIN person p ON p.id = a.person_id "
                 "WHERE a.vacancy_id = ? ORDER BY a.id"));
  s.Bind(1, vacancy_id);
  std::vector<ApplicationScores> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ApplicationScores a;
    a.id = s.ColumnInt(0);
    a.name = s.ColumnText(1);
    if (!s.ColumnIsNull(2)) a.person_id = s.ColumnInt(2);
    a.status = s.ColumnText(3);
    a.submitted_at = s.ColumnText(4);
    a.agreed.assign(elements, std::nullopt);
    out.push_back(std::move(a));
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto g, db.Prepare("SELECT g.application_id, g.position, g.score FROM application_agreed g "
                         "JOIN application a ON a.id = g.application_id WHERE a.vacancy_id = ? "
                         "ORDER BY g.application_id"));
  g.Bind(1, vacancy_id);
  std::size_t at = 0;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, g.Step());
    if (!row) break;
    const auto app = g.ColumnInt(0);
    while (at < out.size() && out[at].id < app) ++at;
    if (at == out.size() || out[at].id != app) continue;
    const auto position = static_cast<std::size_t>(g.ColumnInt(1));
    if (position < elements) out[at].agreed[position] = static_cast<int>(g.ColumnInt(2));
  }
  return out;
}

Status SetApplicationStatus(Database& db, std::int64_t id, std::string_view status,
                            std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("UPDATE application SET status = ?, decided_at = ? WHERE id = ?"));
  s.Bind(1, status).Bind(2, now).Bind(3, id);
  return s.Run();
}

Result<std::int64_t> PlaceInPost(Database& db, const ApplicationRecord& a, const domain::Vacancy& v,
                                 std::optional<std::int64_t> post_id, int grade,
                                 std::string_view start_date) {
  std::int64_t person = 0;
  if (a.person_id) {
    person = *a.person_id;
    if (post_id) {
      PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare("UPDATE person SET post_id = ?, grade = ?, "
                                                  "department = ?, start_date = ? WHERE id = ?"));
      s.Bind(1, *post_id).Bind(2, grade).Bind(3, v.department).Bind(4, start_date).Bind(5, person);
      PATHWAY_TRY(s.Run());
    }
    return person;
  }
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("INSERT INTO person (external_id, display_name, department, grade, post_id, "
                 "start_date) VALUES (?, ?, ?, ?, ?, ?)"));
  s.Bind(1, fmt::format("NEW-{}", a.id)).Bind(2, a.name).Bind(3, v.department).Bind(4, grade);
  BindOptional(s, 5, post_id);
  s.Bind(6, start_date);
  PATHWAY_TRY(s.Run());
  return db.LastInsertRowId();
}

Result<std::int64_t> InsertInduction(Database& db, std::int64_t application_id,
                                     std::int64_t person_id, std::int64_t vacancy_id,
                                     std::string_view start_date, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("INSERT INTO induction (application_id, person_id, vacancy_id, start_date, "
                 "created_at) VALUES (?, ?, ?, ?, ?)"));
  s.Bind(1, application_id).Bind(2, person_id).Bind(3, vacancy_id).Bind(4, start_date).Bind(5, now);
  PATHWAY_TRY(s.Run());
  return db.LastInsertRowId();
}

Status AddInductionItem(Database& db, std::int64_t induction_id, int position,
                        std::string_view kind, std::string_view text, std::string_view link) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare("INSERT INTO induction_item (induction_id, position, "
                                              "kind, text, link) VALUES (?, ?, ?, ?, ?)"));
  s.Bind(1, induction_id).Bind(2, position).Bind(3, kind).Bind(4, text).Bind(5, link);
  return s.Run();
}

Result<std::optional<InductionRecord>> FindInduction(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT i.id, i.person_id, p.display_name, i.vacancy_id, v.title, i.start_date "
                 "FROM induction i JOIN person p ON p.id = i.person_id JOIN vacancy v ON "
                 "v.id = i.vacancy_id WHERE i.id = ?"));
  s.Bind(1, id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<InductionRecord>();
  InductionRecord r;
  r.id = s.ColumnInt(0);
  r.person_id = s.ColumnInt(1);
  r.person_name = s.ColumnText(2);
  r.vacancy_id = s.ColumnInt(3);
  r.vacancy_title = s.ColumnText(4);
  r.start_date = s.ColumnText(5);
  PATHWAY_ASSIGN_OR_RETURN(
      auto items,
      db.Prepare(
          "SELECT kind, text, link FROM induction_item WHERE induction_id = ? ORDER BY position"));
  items.Bind(1, id);
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool more, items.Step());
    if (!more) break;
    r.items.push_back({items.ColumnText(0), items.ColumnText(1), items.ColumnText(2)});
  }
  return std::optional<InductionRecord>(std::move(r));
}

Result<std::optional<std::int64_t>> InductionOfApplication(Database& db,
                                                           std::int64_t application_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT id FROM induction WHERE application_id = ?"));
  s.Bind(1, application_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(s.ColumnInt(0));
}

Result<std::optional<ProfessionSignpost>> SignpostFor(Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare(
          "SELECT pr.code, pr.name, COALESCE((SELECT h.display_name FROM profession_contact c "
          "JOIN person h ON h.id = c.person_id WHERE c.profession_id = pr.id AND "
          "c.kind = 'head_of_profession' LIMIT 1), ''), COALESCE(pr.career_framework_id, '') "
          "FROM person p JOIN profession pr ON pr.code = p.profession WHERE p.id = ?"));
  s.Bind(1, person_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<ProfessionSignpost>();
  return std::optional<ProfessionSignpost>(
      ProfessionSignpost{s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnText(3)});
}

Result<std::optional<std::pair<std::int64_t, std::string>>> PersonOfUser(Database& db,
                                                                         std::int64_t user_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT COALESCE(u.person_id, 0), u.display_name FROM app_user u WHERE u.id = ?"));
  s.Bind(1, user_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::pair<std::int64_t, std::string>>();
  return std::optional<std::pair<std::int64_t, std::string>>({s.ColumnInt(0), s.ColumnText(1)});
}

Result<std::int64_t> PurgeUnsuccessful(Database& db, std::string_view before,
                                       std::string_view now) {
  PATHWAY_TRY(db.Execute("DROP TABLE IF EXISTS temp.purge_application"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto pick,
      db.Prepare("CREATE TEMP TABLE purge_application AS SELECT id FROM application WHERE "
                 "status = 'unsuccessful' AND purged_at IS NULL AND decided_at < ?"));
  pick.Bind(1, before);
  PATHWAY_TRY(pick.Run());
  PATHWAY_TRY(
      db.Execute("DELETE FROM application_statement WHERE application_id IN (SELECT id FROM "
                 "temp.purge_application);"
                 "DELETE FROM application_score WHERE application_id IN (SELECT id FROM "
                 "temp.purge_application);"
                 "UPDATE application_agreed SET reason = '' WHERE application_id IN (SELECT id "
                 "FROM temp.purge_application);"));
  PATHWAY_ASSIGN_OR_RETURN(
      auto mark,
      db.Prepare("UPDATE application SET external_name = '', external_email = '', purged_at = ? "
                 "WHERE id IN (SELECT id FROM temp.purge_application)"));
  mark.Bind(1, now);
  PATHWAY_TRY(mark.Run());
  const std::int64_t purged = db.Changes();
  PATHWAY_TRY(db.Execute("DROP TABLE temp.purge_application"));
  return purged;
}

}  // namespace pathway::store
