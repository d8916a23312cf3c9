#include "app/recruitment.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "domain/grade.hpp"
#include "domain/text.hpp"
#include "domain/workforce.hpp"
#include "store/assessments.hpp"
#include "store/database.hpp"
#include "store/performance.hpp"
#include "store/recruitment.hpp"

namespace pathway::app {

using domain::Error;
using domain::ErrorCode;

namespace {

constexpr std::string_view kCreate = "vacancy.create";
constexpr std::string_view kRead = "vacancy.read";
constexpr std::string_view kManage = "vacancy.manage";
constexpr std::string_view kSubmit = "application.submit";
constexpr std::string_view kScore = "application.score";
constexpr std::string_view kPurge = "recruitment.purge";

std::string Today(const std::string& now) { return now.substr(0, 10); }

// The subject of a vacancy: its department and the recruiter who owns it.
SubjectOf OfVacancy(std::int64_t id) {
  return [id](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto v, store::FindVacancy(db, id));
    if (!v) return std::optional<Subject>();
    Subject s;
    s.department = v->department;
    s.owner_user_id = v->created_by;
    s.published = true;  // for vacancy.read and application.score (see the policy)
    return std::optional<Subject>(s);
  };
}

SubjectOf OfApplication(std::int64_t id) {
  return [id](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto a, store::FindApplication(db, id));
    if (!a) return std::optional<Subject>();
    return OfVacancy(a->vacancy_id)(db);
  };
}

Result<bool> ManagesIn(const UnitOfWork& kernel, store::Database& db, const Actor& actor,
                       std::int64_t vacancy_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto subject, OfVacancy(vacancy_id)(db));
  if (!subject) return false;
  subject->published = false;  // managing is never public
  return kernel.authorizer().Allowed(db, actor, kManage, *subject);
}

Status CheckStatements(const std::vector<std::string>& statements, std::size_t elements) {
  if (statements.size() > elements) {
    return Error::InvalidInput(
        "statements",
        fmt::format("Send at most one statement for each of the {} elements", elements));
  }
  for (std::size_t i = 0; i < statements.size(); ++i) {
    PATHWAY_TRY(domain::CheckStatement(statements[i], fmt::format("statements[{}]", i)));
  }
  return domain::Ok{};
}

Status CheckOpen(const domain::Vacancy& v, const std::string& today) {
  if (v.status != "open")
    return Error{ErrorCode::kConflict, "vacancy", "This vacancy has been filled"};
  if (today > v.closes_on) {
    return Error{ErrorCode::kConflict, "vacancy",
                 fmt::format("Applications closed on {}", v.closes_on)};
  }
  return domain::Ok{};
}

}  // namespace

Result<domain::Vacancy> RecruitmentService::CreateVacancy(const Actor& actor,
                                                          const VacancyInput& input) {
  Command command{std::string(kCreate), "vacancy", "", "No such department"};
  command.forbidden = "You cannot create vacancies for this department";
  std::string department = input.department;
  std::optional<store::PostForVacancy> post;
  {
    auto db = kernel_.pool().Acquire();
    if (!input.post.empty()) {
      PATHWAY_ASSIGN_OR_RETURN(post, store::FindPostForVacancy(*db, input.post));
      if (!post) return Error::InvalidInput("post", "There is no post with this id");
      department = post->department;
    }
  }
  if (department.empty())
    return Error::InvalidInput("department", "Choose the department, or a post");
  Subject subject;
  subject.department = department;
  subject.published = true;  // any recruiter may open a vacancy (policy: recruiter, public)
  return kernel_.Execute(actor, command, Fixed(subject), [&](Tx& tx) -> Result<domain::Vacancy> {
    domain::Vacancy v;
    v.title = std::string(domain::Trim(input.title));
    v.department = department;
    v.posts = input.posts;
    v.closes_on = input.closes_on;
    int grade = 0;
    std::optional<std::int64_t> post_id;
    std::optional<std::int64_t> role_level_id;
    std::string role_level = input.role_level;
    if (post) {
      post_id = post->id;
      role_level_id = post->role_level_id;
      role_level = post->role_level_code;
      grade = post->grade;
      v.clearance = post->clearance;
      v.post = post->external_id;
    } else {
      auto parsed = domain::ParseGrade(input.grade);
      if (!parsed) return Error::InvalidInput("grade", "Choose a grade, for example HEO");
      grade = static_cast<int>(*parsed);
      v.clearance = input.clearance.empty() ? "BPSS" : input.clearance;
      if (!domain::ParseClearance(v.clearance)) {
        return Error::InvalidInput("clearance", "Choose a clearance: BPSS, CTC, SC or DV");
      }
      PATHWAY_ASSIGN_OR_RETURN(auto unknown, store::FirstUnknownDepartment(
                                                 tx.db(), std::vector<std::string>{department}));
      if (unknown)
        return Error::InvalidInput(
            "department", fmt::format("There is no department with the code {}", department));
    }
    v.grade = std::string(domain::GradeCode(static_cast<domain::Grade>(grade)));
    v.role_level = role_level;
    // The Success Profile: behaviours at the grade's level, then the role level's
    // technical requirements, then the other elements given.
    PATHWAY_ASSIGN_OR_RETURN(auto behaviours, store::BehavioursAtGrade(tx.db(), grade));
    for (const auto& b : behaviours) {
      v.elements.push_back({domain::ElementKind::kBehaviour, b.item_id, b.title, b.level,
                            input.behaviour_stages, 4});
    }
    if (!role_level.empty()) {
      PATHWAY_ASSIGN_OR_RETURN(auto requirements,
                               store::FindRoleLevelRequirements(tx.db(), role_level));
      if (!requirements)
        return Error::InvalidInput("role_level", "Choose a role level that exists");
      role_level_id = requirements->id;
      for (const auto& r : requirements->requirements) {
        PATHWAY_ASSIGN_OR_RETURN(auto item, store::FindPublishedItem(tx.db(), r.item_id));
        if (!item) continue;
        v.elements.push_back({domain::ElementKind::kTechnical, r.item_id, item->title, r.level,
                              input.technical_stages, 4});
      }
    }
    for (const auto& e : input.other_elements) v.elements.push_back(e);
    PATHWAY_TRY(domain::CheckVacancy(v, Today(tx.now())));
    std::optional<std::int64_t> by;
    if (tx.actor().signed_in()) by = tx.actor().user_id;
    for (const auto& e : v.elements) {
      if (!e.item_id.empty()) PATHWAY_TRY(store::ItemRefOf(tx.db(), e.item_id));
    }
    PATHWAY_ASSIGN_OR_RETURN(
        v.id, store::InsertVacancy(tx.db(), v, post_id, role_level_id, grade, by, tx.now()));
    // The creator may sit on its panels.
    if (by) PATHWAY_TRY(store::AddPanelMember(tx.db(), v.id, *by));
    v.created_by = by;
    v.status = "open";
    tx.SetObjectId(std::to_string(v.id));
    tx.Describe(fmt::format("{} ({} elements)", v.title, v.elements.size()));
    tx.Emit("vacancy.created");
    return v;
  });
}

Result<domain::Vacancy> RecruitmentService::GetVacancy(const Actor& actor, std::int64_t id) {
  const Command read{std::string(kRead), "vacancy", std::to_string(id), "No such vacancy"};
  return kernel_.Read(actor, read, OfVacancy(id),
                      [&](store::Database& db) -> Result<domain::Vacancy> {
                        PATHWAY_ASSIGN_OR_RETURN(auto v, store::FindVacancy(db, id));
                        return *v;
                      });
}

Result<std::vector<domain::Vacancy>> RecruitmentService::ListOpen(const Actor& actor) {
  if (!actor.signed_in()) return std::vector<domain::Vacancy>{};
  auto db = kernel_.pool().Acquire();
  return store::ListOpenVacancies(*db, Today(kernel_.clock().NowIso()), 200);
}

Result<bool> RecruitmentService::Manages(const Actor& actor, std::int64_t vacancy_id) {
  auto db = kernel_.pool().Acquire();
  return ManagesIn(kernel_, *db, actor, vacancy_id);
}

Status RecruitmentService::AddPanelMember(const Actor& actor, std::int64_t vacancy_id,
                                          const std::string& email) {
  Command command{std::string(kManage), "vacancy", std::to_string(vacancy_id), "No such vacancy"};
  const auto subject_of = [vacancy_id](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto s, OfVacancy(vacancy_id)(db));
    if (s) s->published = false;
    return s;
  };
  return kernel_.Execute(actor, command, subject_of, [&](Tx& tx) -> Status {
    PATHWAY_ASSIGN_OR_RETURN(auto user, store::UserByEmail(tx.db(), domain::Trim(email)));
    if (!user) return Error::InvalidInput("email", "There is no user with this email address");
    PATHWAY_TRY(store::AddPanelMember(tx.db(), vacancy_id, *user));
    tx.Describe(fmt::format("panel member user {}", *user));
    return domain::Ok{};
  });
}

Result<std::int64_t> RecruitmentService::Apply(const Actor& actor, std::int64_t vacancy_id,
                                               const std::vector<std::string>& statements) {
  if (!actor.person_id) {
    return Error{ErrorCode::kForbidden, "vacancy",
                 "Only people with a record in Pathway apply here"};
  }
  Command command{std::string(kSubmit), "vacancy", std::to_string(vacancy_id), "No such vacancy"};
  const std::int64_t person = *actor.person_id;
  const auto subject_of = [vacancy_id,
                           person](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto v, store::FindVacancy(db, vacancy_id));
    if (!v) return std::optional<Subject>();
    return OfPerson(person)(db);
  };
  return kernel_.Execute(actor, command, subject_of, [&](Tx& tx) -> Result<std::int64_t> {
    PATHWAY_ASSIGN_OR_RETURN(auto v, store::FindVacancy(tx.db(), vacancy_id));
    PATHWAY_TRY(CheckOpen(*v, Today(tx.now())));
    PATHWAY_TRY(CheckStatements(statements, v->elements.size()));
    PATHWAY_ASSIGN_OR_RETURN(bool applied, store::HasApplied(tx.db(), vacancy_id, person));
    if (applied)
      return Error{ErrorCode::kConflict, "vacancy", "You have already applied for this vacancy"};
    PATHWAY_ASSIGN_OR_RETURN(auto id, store::InsertApplication(tx.db(), vacancy_id, person, "", "",
                                                               statements, tx.now()));
    tx.SetObjectId(std::to_string(vacancy_id));
    tx.Describe(fmt::format("application {}", id));
    tx.Emit("application.submitted");
    return id;
  });
}

Result<std::int64_t> RecruitmentService::AddExternalCandidate(
    const Actor& actor, std::int64_t vacancy_id, const std::string& name, const std::string& email,
    const std::vector<std::string>& statements) {
  Command command{std::string(kManage), "vacancy", std::to_string(vacancy_id), "No such vacancy"};
  const auto subject_of = [vacancy_id](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto s, OfVacancy(vacancy_id)(db));
    if (s) s->published = false;
    return s;
  };
  return kernel_.Execute(actor, command, subject_of, [&](Tx& tx) -> Result<std::int64_t> {
    PATHWAY_ASSIGN_OR_RETURN(auto v, store::FindVacancy(tx.db(), vacancy_id));
    PATHWAY_TRY(CheckOpen(*v, Today(tx.now())));
    const std::string trimmed(domain::Trim(name));
    if (trimmed.empty()) return Error::InvalidInput("name", "Enter the candidate's name");
    if (auto problem = domain::FindTextProblem(trimmed, domain::LineBreaks::kRefused)) {
      return Error::InvalidInput("name", domain::DescribeTextProblem(*problem, "‘name’"));
    }
    if (domain::CharacterCount(trimmed) > domain::kMaxNameLength) {
      return Error::InvalidInput("name", "The name must be 250 characters or fewer");
    }
    const std::string address(domain::Trim(email));
    if (address.size() > 254 || address.find('@') == std::string::npos ||
        address.find_first_of(" \t\r\n<>,;\"") != std::string::npos) {
      return Error::InvalidInput("email", "Enter an email address, like name@example.com");
    }
    PATHWAY_TRY(CheckStatements(statements, v->elements.size()));
    PATHWAY_ASSIGN_OR_RETURN(
        auto id, store::InsertApplication(tx.db(), vacancy_id, std::nullopt, trimmed, address,
                                          statements, tx.now()));
    tx.Describe(fmt::format("external application {}", id));
    tx.Emit("application.submitted");
    return id;
  });
}

Result<ApplicationView> RecruitmentService::GetApplication(const Actor& actor, std::int64_t id) {
  auto db = kernel_.pool().Acquire();
  const Command command{std::string(kScore), "application", std::to_string(id),
                        "No such application"};
  PATHWAY_ASSIGN_OR_RETURN(auto a, store::FindApplication(*db, id));
  if (!a) return Error{ErrorCode::kNotFound, "", "No such application"};
  const bool own = actor.person_id && a->person_id && *actor.person_id == *a->person_id;
  PATHWAY_ASSIGN_OR_RETURN(bool manages, ManagesIn(kernel_, *db, actor, a->vacancy_id));
  PATHWAY_ASSIGN_OR_RETURN(bool panel, store::IsPanelMember(*db, a->vacancy_id, actor.user_id));
  if (!own && !manages && !panel) return kernel_.Refuse(*db, actor, command);
  PATHWAY_ASSIGN_OR_RETURN(auto v, store::FindVacancy(*db, a->vacancy_id));
  PATHWAY_ASSIGN_OR_RETURN(auto scores, store::ScoresOf(*db, a->vacancy_id, v->elements.size()));
  ApplicationView view;
  view.id = a->id;
  view.vacancy_id = a->vacancy_id;
  view.own = own;
  view.status = a->status;
  view.submitted_at = a->submitted_at;
  view.statements = a->statements;
  view.statements.resize(v->elements.size());
  // Panel members who do not manage the campaign see it anonymised, by its number.
  std::size_t number = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (scores[i].id == id) {
      number = i + 1;
      view.agreed = scores[i].agreed;
    }
  }
  view.anonymised = !own && !manages;
  view.candidate = view.anonymised ? fmt::format("Candidate {}", number) : a->name;
  view.my_scores.assign(v->elements.size(), std::nullopt);
  {
    auto mine = (*db).Prepare(
        "SELECT position, score FROM application_score WHERE application_id = ? AND user_id = ?");
    if (!mine.ok()) return mine.error();
    mine->Bind(1, id).Bind(2, actor.user_id);
    for (;;) {
      PATHWAY_ASSIGN_OR_RETURN(bool row, mine->Step());
      if (!row) break;
      const auto p = static_cast<std::size_t>(mine->ColumnInt(0));
      if (p < view.my_scores.size()) view.my_scores[p] = static_cast<int>(mine->ColumnInt(1));
    }
  }
  if (!own) kernel_.RecordRead(actor, command, "an application");
  return view;
}

namespace {

// Scores or agreed scores: checks each, the actor on the panel, the application open.
Status ScoreBody(const UnitOfWork& kernel, Tx& tx, std::int64_t application_id,
                 const std::vector<ScoreInput>& scores, bool agreed) {
  PATHWAY_ASSIGN_OR_RETURN(auto a, store::FindApplication(tx.db(), application_id));
  PATHWAY_ASSIGN_OR_RETURN(bool panel,
                           store::IsPanelMember(tx.db(), a->vacancy_id, tx.actor().user_id));
  if (!panel) {
    // Outside one's campaigns an application is nothing.
    (void)kernel;
    return Error{ErrorCode::kNotFound, "", "No such application"};
  }
  if (a->status != "submitted") {
    return Error{ErrorCode::kConflict, "application", "A decided application is not scored again"};
  }
  PATHWAY_ASSIGN_OR_RETURN(auto v, store::FindVacancy(tx.db(), a->vacancy_id));
  if (scores.empty()) return Error::InvalidInput("scores", "Score at least one element");
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const auto& s = scores[i];
    const std::string prefix = fmt::format("scores[{}].", i);
    if (s.element < 0 || static_cast<std::size_t>(s.element) >= v->elements.size()) {
      return Error::InvalidInput(prefix + "element", fmt::format("Choose an element from 0 to {}",
                                                                 v->elements.size() - 1));
    }
    PATHWAY_TRY(domain::CheckScore(s.score, prefix + "score"));
    if (agreed && domain::Trim(s.text).empty()) {
      return Error::InvalidInput(prefix + "reason", "Give the reason for the agreed score");
    }
    if (auto problem = domain::FindTextProblem(s.text, domain::LineBreaks::kAllowed)) {
      return Error::InvalidInput(prefix + (agreed ? "reason" : "evidence"),
                                 domain::DescribeTextProblem(*problem, "‘evidence’"));
    }
    if (domain::CharacterCount(s.text) > domain::kScoreEvidenceLimit) {
      return Error::InvalidInput(prefix + (agreed ? "reason" : "evidence"),
                                 "Write 2,000 characters or fewer");
    }
    if (agreed) {
      PATHWAY_TRY(store::SaveAgreed(tx.db(), application_id, s.element, s.score,
                                    domain::Trim(s.text), tx.actor().user_id, tx.now()));
    } else {
      PATHWAY_TRY(store::SaveScore(tx.db(), application_id, s.element, tx.actor().user_id, s.score,
                                   s.text, tx.now()));
    }
  }
  tx.Describe(fmt::format("{} {} scores", scores.size(), agreed ? "agreed" : "panel"));
  return domain::Ok{};
}

}  // namespace

Status RecruitmentService::Score(const Actor& actor, std::int64_t application_id,
                                 const std::vector<ScoreInput>& scores) {
  Command command{std::string(kScore), "application", std::to_string(application_id),
                  "No such application"};
  return kernel_.Execute(actor, command, OfApplication(application_id), [&](Tx& tx) -> Status {
    return ScoreBody(kernel_, tx, application_id, scores, false);
  });
}

Status RecruitmentService::AgreeScores(const Actor& actor, std::int64_t application_id,
                                       const std::vector<ScoreInput>& scores) {
  Command command{std::string(kScore), "application", std::to_string(application_id),
                  "No such application"};
  command.audit_action = "application.agree";
  return kernel_.Execute(actor, command, OfApplication(application_id), [&](Tx& tx) -> Status {
    return ScoreBody(kernel_, tx, application_id, scores, true);
  });
}

Result<MeritList> RecruitmentService::GetMeritList(const Actor& actor, std::int64_t vacancy_id) {
  auto db = kernel_.pool().Acquire();
  const Command command{std::string(kManage), "vacancy", std::to_string(vacancy_id),
                        "No such vacancy"};
  PATHWAY_ASSIGN_OR_RETURN(auto v, store::FindVacancy(*db, vacancy_id));
  if (!v) return Error{ErrorCode::kNotFound, "", "No such vacancy"};
  PATHWAY_ASSIGN_OR_RETURN(bool manages, ManagesIn(kernel_, *db, actor, vacancy_id));
  PATHWAY_ASSIGN_OR_RETURN(bool panel, store::IsPanelMember(*db, vacancy_id, actor.user_id));
  if (!manages && !panel) return kernel_.Refuse(*db, actor, command);
  PATHWAY_ASSIGN_OR_RETURN(auto scores, store::ScoresOf(*db, vacancy_id, v->elements.size()));
  MeritList out;
  out.vacancy = *v;
  out.names_visible = manages;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const auto& s = scores[i];
    domain::MeritEntry e;
    e.application_id = s.id;
    e.candidate = manages ? s.name : fmt::format("Candidate {}", i + 1);
    e.submitted_at = s.submitted_at;
    e.agreed = s.agreed;
    e.status = s.status;
    for (std::size_t k = 0; k < v->elements.size(); ++k) {
      if (!s.agreed[k]) {
        e.passed = false;
        continue;
      }
      e.total += *s.agreed[k];
      if (v->elements[k].kind == domain::ElementKind::kBehaviour) e.behaviour_total += *s.agreed[k];
      if (*s.agreed[k] < v->elements[k].minimum) e.passed = false;
    }
    if (s.status == "unsuccessful") e.passed = false;
    out.entries.push_back(std::move(e));
  }
  domain::OrderMeritList(out.entries);
  for (const auto& e : out.entries) {
    if (!e.passed) continue;
    if (out.appointable < v->posts) {
      ++out.appointable;
    } else {
      ++out.reserve;
    }
  }
  kernel_.RecordRead(actor, command,
                     fmt::format("merit list of {} applications", out.entries.size()));
  return out;
}

Result<std::int64_t> RecruitmentService::AcceptOffer(const Actor& actor,
                                                     std::int64_t application_id,
                                                     const std::string& start_date) {
  if (!domain::ValidIsoDate(start_date)) {
    return Error::InvalidInput("start_date", "Enter the start date, for example 2027-04-01");
  }
  PATHWAY_ASSIGN_OR_RETURN(auto application,
                           [&]() -> Result<std::optional<store::ApplicationRecord>> {
                             auto db = kernel_.pool().Acquire();
                             return store::FindApplication(*db, application_id);
                           }());
  if (!application) return Error{ErrorCode::kNotFound, "", "No such application"};
  // Appointable: among the first `posts` passing entries of the merit list.
  PATHWAY_ASSIGN_OR_RETURN(auto merit, GetMeritList(actor, application->vacancy_id));
  if (!merit.names_visible) return Error{ErrorCode::kNotFound, "", "No such application"};
  int rank = 0;
  bool appointable = false;
  for (const auto& e : merit.entries) {
    if (!e.passed) break;
    ++rank;
    if (e.application_id == application_id) {
      appointable = rank <= merit.vacancy.posts;
      break;
    }
  }
  if (!appointable) {
    return Error::InvalidInput(
        "application",
        "Only a candidate on the merit list within the number of posts can be offered the post");
  }
  Command command{std::string(kManage), "application", std::to_string(application_id),
                  "No such application"};
  command.audit_action = "offer.accepted";
  const auto subject_of = [&](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto s, OfApplication(application_id)(db));
    if (s) s->published = false;
    return s;
  };
  return kernel_.Execute(actor, command, subject_of, [&](Tx& tx) -> Result<std::int64_t> {
    PATHWAY_ASSIGN_OR_RETURN(auto a, store::FindApplication(tx.db(), application_id));
    if (a->status != "submitted") {
      return Error{ErrorCode::kConflict, "application",
                   "This application has already been decided"};
    }
    PATHWAY_ASSIGN_OR_RETURN(auto v, store::FindVacancy(tx.db(), a->vacancy_id));
    std::optional<std::int64_t> post_id;
    if (!v->post.empty()) {
      PATHWAY_ASSIGN_OR_RETURN(auto post, store::FindPostForVacancy(tx.db(), v->post));
      if (post->holder && (!a->person_id || *post->holder != *a->person_id)) {
        return Error{ErrorCode::kConflict, "application",
                     "The post is held by someone else: vacate it first"};
      }
      post_id = post->id;
    }
    const int grade = static_cast<int>(domain::ParseGrade(v->grade).value_or(domain::Grade::kAA));
    PATHWAY_ASSIGN_OR_RETURN(auto person,
                             store::PlaceInPost(tx.db(), *a, *v, post_id, grade, start_date));
    PATHWAY_TRY(store::SetApplicationStatus(tx.db(), application_id, "accepted", tx.now()));
    PATHWAY_ASSIGN_OR_RETURN(auto scores, store::ScoresOf(tx.db(), v->id, v->elements.size()));
    std::vector<std::optional<int>> agreed;
    for (const auto& s : scores) {
      if (s.id == application_id) agreed = s.agreed;
    }
    // The agreed scores of framework items enter the ledger as "recruitment".
    int written = 0;
    std::vector<std::size_t> below;
    for (std::size_t k = 0; k < v->elements.size(); ++k) {
      const auto& e = v->elements[k];
      if (e.item_id.empty() || e.level <= 0 || k >= agreed.size() || !agreed[k]) continue;
      PATHWAY_ASSIGN_OR_RETURN(auto item, store::FindPublishedItem(tx.db(), e.item_id));
      if (!item) continue;
      PATHWAY_ASSIGN_OR_RETURN(auto ref, store::ItemRefOf(tx.db(), e.item_id));
      store::LedgerAppend row;
      row.person_id = person;
      row.item_ref_id = ref;
      row.level = domain::LedgerLevelFor(*agreed[k], e.minimum, e.level);
      row.source = domain::AssessorKind::kRecruitment;
      row.capacity = "panel";
      row.recorded_by = tx.actor().person_id;
      row.assessed_on = Today(tx.now());
      row.recorded_at = tx.now();
      row.framework_version = item->framework_version;
      row.comment = fmt::format("Scored {} of 7 for ‘{}’", *agreed[k], v->title);
      PATHWAY_TRY(store::AppendLedgerEntry(tx.db(), row));
      ++written;
      if (*agreed[k] < e.minimum + 1) below.push_back(k);
    }
    // The induction.
    PATHWAY_ASSIGN_OR_RETURN(auto induction, store::InsertInduction(tx.db(), application_id, person,
                                                                    v->id, start_date, tx.now()));
    int position = 0;
    const auto add = [&](std::string_view kind, std::string text, std::string link = {}) -> Status {
      return store::AddInductionItem(tx.db(), induction, position++, kind, text, link);
    };
    PATHWAY_ASSIGN_OR_RETURN(auto signpost, store::SignpostFor(tx.db(), person));
    if (signpost) {
      PATHWAY_TRY(add(
          "profession",
          fmt::format(
              "Your profession is {}{}. Read its career framework for what each role needs.",
              signpost->name,
              signpost->head_name.empty() ? "" : fmt::format(", led by {}", signpost->head_name)),
          fmt::format("/professions/{}", signpost->profession)));
    }
    PATHWAY_TRY(add("security",
                    "Security induction: read the security behaviours in your competency framework "
                    "and complete the department's security briefing in your first week."));
    if (v->clearance == "SC" || v->clearance == "DV") {
      PATHWAY_ASSIGN_OR_RETURN(std::string held, [&]() -> Result<std::string> {
        auto s = tx.db().Prepare(
            "SELECT COALESCE(clearance_level, '') || ' ' || COALESCE(clearance_status, '') FROM "
            "person WHERE id = ?");
        if (!s.ok()) return s.error();
        s->Bind(1, person);
        PATHWAY_ASSIGN_OR_RETURN(bool row, s->Step());
        return row ? s->ColumnText(0) : std::string();
      }());
      PATHWAY_TRY(add(
          "vetting",
          fmt::format(
              "This post needs {} clearance. Vetting steps: complete the vetting questionnaire, "
              "provide identity documents, attend the vetting interview. Clearance now: {}.",
              v->clearance,
              domain::Trim(held).empty() ? std::string("none recorded")
                                         : std::string(domain::Trim(held)))));
    }
    PATHWAY_ASSIGN_OR_RETURN(auto contact, store::PersonOfUser(tx.db(), tx.actor().user_id));
    PATHWAY_TRY(add(
        "contact", fmt::format("Your new-starter contact is {}.",
                               contact ? contact->second : std::string("the recruiting manager"))));
    int objectives = 0;
    for (const auto& e : v->elements) {
      if (e.kind == domain::ElementKind::kTechnical && objectives < 3) {
        PATHWAY_TRY(add("objective", fmt::format("Apply ‘{}’ at level {} in your first six months.",
                                                 e.title, e.level)));
        ++objectives;
      }
    }
    if (objectives == 0)
      PATHWAY_TRY(
          add("objective",
              fmt::format(
                  "Settle into the role of {} and agree your objectives with your line manager.",
                  v->title)));
    // A development plan seeded from the elements that only just met their minimum (an
    // appointable candidate meets every minimum, so "below the post's level" means at it).
    if (!below.empty()) {
      PATHWAY_ASSIGN_OR_RETURN(
          auto plan, store::UpsertDevelopmentPlan(tx.db(), person, std::nullopt, tx.now()));
      const std::string due = [&] {
        auto parsed = start_date;
        const int year = std::stoi(parsed.substr(0, 4)) + 1;
        return fmt::format("{}{}", year, parsed.substr(4));
      }();
      for (auto k : below) {
        const auto& e = v->elements[k];
        PATHWAY_ASSIGN_OR_RETURN(auto ref, store::ItemRefOf(tx.db(), e.item_id));
        store::ActionInsert action{
            plan,
            ref,
            e.level,
            fmt::format("Strengthen ‘{}’ (recruitment score {} of 7)", e.title, *agreed[k]),
            due == "" ? start_date : (domain::ValidIsoDate(due) ? due : start_date),
            tx.now()};
        PATHWAY_TRY(store::InsertDevelopmentAction(tx.db(), action));
        PATHWAY_TRY(add("development", fmt::format("Development plan: strengthen ‘{}’.", e.title),
                        fmt::format("/people/{}/development", person)));
      }
    }
    // The vacancy is filled once every post is.
    PATHWAY_ASSIGN_OR_RETURN(auto accepted, [&]() -> Result<std::int64_t> {
      auto s = tx.db().Prepare(
          "SELECT count(*) FROM application WHERE vacancy_id = ? AND status = 'accepted'");
      if (!s.ok()) return s.error();
      s->Bind(1, v->id);
      PATHWAY_ASSIGN_OR_RETURN(bool row, s->Step());
      return row ? s->ColumnInt(0) : 0;
    }());
    if (accepted >= v->posts) {
      PATHWAY_TRY(store::SetVacancyStatus(tx.db(), v->id, "filled"));
      // Everyone else was unsuccessful: their data is kept until the retention period ends.
      auto rest = tx.db().Prepare(
          "UPDATE application SET status = 'unsuccessful', decided_at = ? "
          "WHERE vacancy_id = ? AND status = 'submitted'");
      if (!rest.ok()) return rest.error();
      rest->Bind(1, tx.now()).Bind(2, v->id);
      PATHWAY_TRY(rest->Run());
    }
    PATHWAY_TRY(store::InsertNotice(
        tx.db(), person, fmt::format("Welcome: {}", v->title),
        fmt::format("You start on {}. Your induction plan is ready.", start_date),
        fmt::format("/inductions/{}", induction), tx.now()));
    const std::int64_t people[] = {person};
    tx.PeopleChanged(people);
    tx.WorkforceChanged();
    tx.Describe(fmt::format("application {}: {} ledger rows, induction {}", application_id, written,
                            induction));
    tx.Emit("offer.accepted", fmt::format("induction {}", induction));
    return induction;
  });
}

Result<Induction> RecruitmentService::GetInduction(const Actor& actor, std::int64_t id) {
  auto db = kernel_.pool().Acquire();
  const Command command{std::string(kManage), "induction", std::to_string(id), "No such induction"};
  PATHWAY_ASSIGN_OR_RETURN(auto record, store::FindInduction(*db, id));
  if (!record) return Error{ErrorCode::kNotFound, "", "No such induction"};
  const bool own = actor.person_id && *actor.person_id == record->person_id;
  if (!own) {
    PATHWAY_ASSIGN_OR_RETURN(bool manages, ManagesIn(kernel_, *db, actor, record->vacancy_id));
    if (!manages) return kernel_.Refuse(*db, actor, command);
  }
  Induction out{record->id,
                record->person_id,
                record->person_name,
                record->vacancy_id,
                record->vacancy_title,
                record->start_date,
                {}};
  for (auto& i : record->items) out.items.push_back({i.kind, i.text, i.link});
  return out;
}

Result<std::int64_t> RecruitmentService::Purge(const Actor& actor, int days) {
  if (days < 0 || days > 3650) return Error::InvalidInput("days", "Give 0 to 3,650 days");
  Command command{std::string(kPurge), "application", "", "Nothing to purge"};
  command.forbidden = "Only the system removes candidates' data";
  return kernel_.Execute(actor, command, Fixed(), [&](Tx& tx) -> Result<std::int64_t> {
    const auto now = std::chrono::system_clock::now() - std::chrono::hours(24) * days;
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
    // Timestamps are ISO 8601 with milliseconds, so they compare as text.
    const std::string before = days == 0 ? tx.now() : std::string(stamp);
    PATHWAY_ASSIGN_OR_RETURN(auto purged, store::PurgeUnsuccessful(tx.db(), before, tx.now()));
    tx.Describe(fmt::format("{} unsuccessful applications older than {} days", purged, days));
    return purged;
  });
}

}  // namespace pathway::app
