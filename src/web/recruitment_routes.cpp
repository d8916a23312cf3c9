#include "web/recruitment_routes.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/text.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"

namespace pathway::web {
namespace {

using domain::Error;
using domain::ErrorCode;
using domain::Status;
using nlohmann::json;
using Ctx = std::shared_ptr<const RecruitmentRoutesContext>;

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page,
              const std::string& title, json view, int status = 200) {
  const bool has_errors = view.value("has_errors", false);
  view["csrf_token"] = actor.csrf_token;
  return Response::Html(status, RenderPage(c->templates, c->asset_base, page, title, view,
                                           has_errors, ChromeFor(actor, "vacancies")));
}

bool Shown(const Error& e) {
  return e.code == ErrorCode::kInvalidInput || e.code == ErrorCode::kConflict ||
         (e.code == ErrorCode::kForbidden && !e.field.empty());
}

std::string Stages(const std::vector<std::string>& stages) {
  std::string out;
  for (const auto& s : stages) out += (out.empty() ? "" : ", ") + s;
  return out;
}

json VacancyJson(const domain::Vacancy& v) {
  json elements = json::array();
  for (std::size_t i = 0; i < v.elements.size(); ++i) {
    const auto& e = v.elements[i];
    elements.push_back({{"element", i},
                        {"kind", domain::ElementKindName(e.kind)},
                        {"item", e.item_id},
                        {"title", e.title},
                        {"level", e.level},
                        {"stages", e.stages},
                        {"minimum", e.minimum}});
  }
  return {{"id", v.id},
          {"title", v.title},
          {"department", v.department},
          {"post", v.post},
          {"role_level", v.role_level},
          {"grade", v.grade},
          {"clearance", v.clearance},
          {"posts", v.posts},
          {"closes_on", v.closes_on},
          {"status", v.status},
          {"elements", elements}};
}

json MeritJson(const app::MeritList& m) {
  json entries = json::array();
  int rank = 0;
  for (const auto& e : m.entries) {
    json agreed = json::array();
    for (const auto& a : e.agreed) agreed.push_back(a ? json(*a) : json(nullptr));
    std::string place = "not passed";
    if (e.passed) {
      ++rank;
      place = rank <= m.vacancy.posts ? "appointable" : "reserve";
    }
    entries.push_back({{"application", e.application_id},
                       {"candidate", e.candidate},
                       {"total", e.total},
                       {"behaviour_total", e.behaviour_total},
                       {"passed", e.passed},
                       {"place", place},
                       {"status", e.status},
                       {"agreed", agreed}});
  }
  return {{"vacancy", m.vacancy.id},
          {"posts", m.vacancy.posts},
          {"appointable", m.appointable},
          {"reserve", m.reserve},
          {"names_visible", m.names_visible},
          {"tie_breaks",
           "Passing candidates first; then the higher total of agreed scores; then the higher "
           "total for behaviours; then the earlier application"},
          {"entries", entries}};
}

domain::Result<std::string> Text(const JsonField& body, const char* name, const char* message) {
  auto m = body.Member(name);
  if (!m) return std::string();
  return m->String(message);
}

domain::Result<std::vector<std::string>> Statements(const JsonField& body) {
  std::vector<std::string> out;
  auto m = body.Member("statements");
  if (!m) return out;
  PATHWAY_ASSIGN_OR_RETURN(
      auto list, m->Array(domain::kElementLimit, "Send at most one statement per element"));
  for (const auto& s : list) {
    PATHWAY_ASSIGN_OR_RETURN(auto text, s.String("Send each statement as text"));
    out.push_back(std::move(text));
  }
  return out;
}

domain::Result<std::vector<app::ScoreInput>> Scores(const JsonField& body, const char* text_name) {
  auto m = body.Member("scores");
  if (!m) return Error::InvalidInput("scores", "Send the scores as a list");
  PATHWAY_ASSIGN_OR_RETURN(auto list,
                           m->Array(domain::kElementLimit, "Send at most one score per element"));
  std::vector<app::ScoreInput> out;
  for (const auto& s : list) {
    PATHWAY_TRY(s.Object("Send each score as an object"));
    app::ScoreInput in;
    auto element = s.Member("element");
    if (!element) return Error::InvalidInput(s.field() + ".element", "Choose the element");
    PATHWAY_ASSIGN_OR_RETURN(auto e, element->Integer("Choose the element by its number"));
    in.element = static_cast<int>(std::clamp<std::int64_t>(e, -1, 1000));
    auto score = s.Member("score");
    if (!score) return Error::InvalidInput(s.field() + ".score", "Score from 1 to 7");
    PATHWAY_ASSIGN_OR_RETURN(auto v, score->Integer("Score from 1 to 7"));
    in.score = static_cast<int>(std::clamp<std::int64_t>(v, -1, 1000));
    PATHWAY_ASSIGN_OR_RETURN(in.text, Text(s, text_name, "Send it as text"));
    out.push_back(std::move(in));
  }
  return out;
}

// ---------- pages ----------

Response VacanciesPage(const Ctx& c, const Request& request, const app::Actor& actor,
                       const Form* form, const std::vector<Error>& errors, int status) {
  auto open = c->recruitment.ListOpen(actor);
  if (!open.ok()) return c->errors.ForError(request, open.error());
  json rows = json::array();
  for (const auto& v : *open) {
    rows.push_back({{"id", v.id},
                    {"title", v.title},
                    {"department", v.department},
                    {"grade", v.grade},
                    {"clearance", v.clearance},
                    {"closes_on", v.closes_on}});
  }
  const bool may_create = actor.HasRole(domain::Role::kRecruiter) ||
                          actor.HasRole(domain::Role::kHrPartner) ||
                          actor.HasRole(domain::Role::kAdministrator);
  json view{{"rows", rows},
            {"has_rows", !rows.empty()},
            {"may_create", may_create},
            {"role_level_picker", may_create}};
  const auto typed = [&](const char* name) {
    return form ? FormValue(*form, name) : std::string();
  };
  for (const char* f :
       {"title", "post", "department", "grade", "role-level", "closes-on", "posts"}) {
    std::string key = std::string("typed_") + f;
    std::replace(key.begin(), key.end(), '-', '_');
    view[key] = typed(f);
  }
  AddErrors(view, errors);
  return Page(c, actor, "recruitment_vacancies", "Vacancies", view, status);
}

// `typed`: the application form as sent, whose statements are shown again.
Response VacancyPage(const Ctx& c, const Request& request, const app::Actor& actor, std::int64_t id,
                     const Form* typed, const std::vector<Error>& errors, int status) {
  auto v = c->recruitment.GetVacancy(actor, id);
  if (!v.ok()) return c->errors.ForError(request, v.error());
  auto manages = c->recruitment.Manages(actor, id);
  json elements = json::array();
  for (std::size_t i = 0; i < v->elements.size(); ++i) {
    const auto& e = v->elements[i];
    const std::string field = fmt::format("statement-{}", i);
    json element{{"n", i},
                 {"number", i + 1},
                 {"kind", domain::ElementKindLabel(e.kind)},
                 {"title", e.title},
                 {"level", e.level},
                 {"stages", Stages(e.stages)},
                 {"minimum", e.minimum},
                 {"typed_statement", typed ? FormValue(*typed, field) : std::string()}};
    for (const auto& shown : errors) {
      if (shown.field == field) element["statement_error"] = shown.message;
    }
    elements.push_back(std::move(element));
  }
  json view{{"id", v->id},
            {"title", v->title},
            {"department", v->department},
            {"grade", v->grade},
            {"clearance", v->clearance},
            {"vetted", v->clearance == "SC" || v->clearance == "DV"},
            {"closes_on", v->closes_on},
            {"posts", v->posts},
            {"open", v->status == "open"},
            {"elements", elements},
            {"may_apply", actor.person_id.has_value() && v->status == "open"},
            {"manages", manages.ok() && *manages},
            {"applied", request.QueryParam("applied").has_value()},
            {"created", request.QueryParam("created").has_value()}};
  AddErrors(view, errors);
  return Page(c, actor, "recruitment_vacancy", v->title, view, status);
}

Response MeritPage(const Ctx& c, const Request& request, const app::Actor& actor, std::int64_t id,
                   const std::vector<Error>& errors, int status) {
  auto m = c->recruitment.GetMeritList(actor, id);
  if (!m.ok()) return c->errors.ForError(request, m.error());
  json rows = json::array();
  int rank = 0;
  for (const auto& e : m->entries) {
    std::string place = "Below a minimum, or not yet agreed";
    bool appointable = false;
    if (e.passed) {
      ++rank;
      appointable = rank <= m->vacancy.posts;
      place = appointable ? "Appointable" : "Reserve";
    }
    rows.push_back({{"id", e.application_id},
                    {"candidate", e.candidate},
                    {"total", e.total},
                    {"behaviours", e.behaviour_total},
                    {"place", place},
                    {"offer", appointable && m->names_visible && e.status == "submitted"},
                    {"status", e.status}});
  }
  json view{{"id", id},
            {"title", m->vacancy.title},
            {"rows", rows},
            {"has_rows", !rows.empty()},
            {"posts", m->vacancy.posts},
            {"appointable", m->appointable},
            {"reserve", m->reserve}};
  AddErrors(view, errors);
  return Page(c, actor, "recruitment_merit", "Merit list: " + m->vacancy.title, view, status);
}

Response ApplicationPage(const Ctx& c, const Request& request, const app::Actor& actor,
                         std::int64_t id, const std::vector<Error>& errors, int status) {
  auto a = c->recruitment.GetApplication(actor, id);
  if (!a.ok()) return c->errors.ForError(request, a.error());
  auto v = c->recruitment.GetVacancy(actor, a->vacancy_id);
  if (!v.ok()) return c->errors.ForError(request, v.error());
  json elements = json::array();
  for (std::size_t i = 0; i < v->elements.size(); ++i) {
    json scale = json::array();
    for (int s = 1; s <= 7; ++s) {
      scale.push_back({{"value", s}, {"selected", a->my_scores[i] && *a->my_scores[i] == s}});
    }
    elements.push_back(
        {{"n", i},
         {"title", v->elements[i].title},
         {"statement", i < a->statements.size() ? a->statements[i] : ""},
         {"mine", a->my_scores[i] ? std::to_string(*a->my_scores[i]) : ""},
         {"agreed", i < a->agreed.size() && a->agreed[i] ? std::to_string(*a->agreed[i]) : ""},
         {"scale", scale}});
  }
  json view{{"id", a->id},
            {"vacancy_id", a->vacancy_id},
            {"vacancy_title", v->title},
            {"candidate", a->candidate},
            {"anonymised", a->anonymised},
            {"own", a->own},
            {"status", a->status},
            {"elements", elements},
            {"may_score", !a->own && a->status == "submitted"},
            {"saved", request.QueryParam("saved").has_value()}};
  AddErrors(view, errors);
  return Page(c, actor, "recruitment_application", "Application: " + a->candidate, view, status);
}

// ---------- registration ----------

void RegisterPages(Router& router, const Ctx& c) {
  router.Add("GET", "/vacancies", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    return VacanciesPage(c, request, actor, nullptr, {}, 200);
  });
  router.SetAction("vacancy.read");

  router.Add("POST", "/vacancies", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& f = std::get<Form>(form);
    app::VacancyInput input;
    input.title = FormValue(f, "title");
    input.post = std::string(domain::Trim(FormValue(f, "post")));
    input.department = std::string(domain::Trim(FormValue(f, "department")));
    input.grade = std::string(domain::Trim(FormValue(f, "grade")));
    input.role_level = std::string(domain::Trim(FormValue(f, "role-level")));
    input.closes_on = std::string(domain::Trim(FormValue(f, "closes-on")));
    const std::string posts = std::string(domain::Trim(FormValue(f, "posts")));
    input.posts = posts.empty()
                      ? 1
                      : (posts.size() <= 3 && std::all_of(posts.begin(), posts.end(), ::isdigit)
                             ? std::stoi(posts)
                             : 0);
    auto created = c->recruitment.CreateVacancy(actor, input);
    if (created.ok()) return Redirect(fmt::format("/vacancies/{}?created", created->id));
    if (!Shown(created.error())) return c->errors.ForError(request, created.error());
    Error shown = created.error();
    std::replace(shown.field.begin(), shown.field.end(), '_', '-');
    if (shown.code != ErrorCode::kInvalidInput) {
      return VacanciesPage(c, request, actor, &f, {shown}, 422);
    }
    // Every empty field at once: the use case stops at the first. A new post's department
    // and grade are needed only without a post to fill.
    auto missing =
        MissingFields(f, {{"title", "Enter the vacancy's title"},
                          {"department", "Enter the department code, or the post to fill"},
                          {"grade", "Enter the grade, for example HEO, or the post to fill"},
                          {"closes-on", "Enter the closing date"}});
    if (!input.post.empty()) {
      std::erase_if(missing,
                    [](const Error& e) { return e.field == "department" || e.field == "grade"; });
    }
    return VacanciesPage(c, request, actor, &f, WithMissingFields(std::move(missing), shown), 422);
  });
  router.SetAction("vacancy.create");

  router.Add("GET", "/vacancies/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return VacancyPage(c, request, actor, *id, nullptr, {}, 200);
  });
  router.SetAction("vacancy.read");

  router.Add("POST", "/vacancies/{id}/applications", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor, {"statement-*"});
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& f = std::get<Form>(form);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    std::vector<std::string> statements;
    for (int i = 0; i < static_cast<int>(domain::kElementLimit); ++i) {
      auto it = f.find(fmt::format("statement-{}", i));
      if (it == f.end()) break;
      statements.push_back(it->second);
    }
    auto applied = c->recruitment.Apply(actor, *id, statements);
    if (applied.ok()) return Redirect(fmt::format("/vacancies/{}?applied", *id));
    if (!Shown(applied.error())) return c->errors.ForError(request, applied.error());
    Error shown = applied.error();
    if (shown.field.starts_with("statements[")) {
      shown.field = "statement-" + shown.field.substr(11, shown.field.find(']') - 11);
    }
    return VacancyPage(c, request, actor, *id, &f, {shown}, 422);
  });
  router.SetAction("application.submit");

  router.Add("GET", "/vacancies/{id}/merit-list", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return MeritPage(c, request, actor, *id, {}, 200);
  });
  router.SetAction("vacancy.manage");

  router.Add("GET", "/applications/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return ApplicationPage(c, request, actor, *id, {}, 200);
  });
  router.SetAction("application.score");

  router.Add("POST", "/applications/{id}/scores", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor, {"evidence-*", "reason-*"});
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& f = std::get<Form>(form);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    const bool agreed = FormValue(f, "kind") == "agreed";
    std::vector<app::ScoreInput> scores;
    for (int i = 0; i < static_cast<int>(domain::kElementLimit); ++i) {
      const std::string n = std::to_string(i);
      auto it = f.find((agreed ? "agreed-" : "score-") + n);
      if (it == f.end()) continue;
      if (it->second.empty()) continue;
      const int value = it->second.size() == 1 && it->second[0] >= '0' && it->second[0] <= '9'
                            ? it->second[0] - '0'
                            : 0;
      scores.push_back({i, value, FormValue(f, (agreed ? "reason-" : "evidence-") + n)});
    }
    auto done = agreed ? c->recruitment.AgreeScores(actor, *id, scores)
                       : c->recruitment.Score(actor, *id, scores);
    if (done.ok()) return Redirect(fmt::format("/applications/{}?saved", *id));
    if (!Shown(done.error())) return c->errors.ForError(request, done.error());
    return ApplicationPage(c, request, actor, *id, {done.error()}, 422);
  });
  router.SetAction("application.score");

  router.Add("POST", "/applications/{id}/acceptance", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& f = std::get<Form>(form);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    auto induction = c->recruitment.AcceptOffer(
        actor, *id, std::string(domain::Trim(FormValue(f, "start-date"))));
    if (induction.ok()) return Redirect(fmt::format("/inductions/{}", *induction));
    if (!Shown(induction.error())) return c->errors.ForError(request, induction.error());
    auto a = c->recruitment.GetApplication(actor, *id);
    if (!a.ok()) return c->errors.ForError(request, a.error());
    Error shown = induction.error();
    std::replace(shown.field.begin(), shown.field.end(), '_', '-');
    return MeritPage(c, request, actor, a->vacancy_id, {shown}, 422);
  });
  router.SetAction("vacancy.manage");

  router.Add("GET", "/inductions/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    auto induction = c->recruitment.GetInduction(actor, *id);
    if (!induction.ok()) return c->errors.ForError(request, induction.error());
    json items = json::array();
    for (const auto& i : induction->items) {
      items.push_back({{"kind", i.kind}, {"text", i.text}, {"link", i.link}});
    }
    json view{{"person_name", induction->person_name},
              {"person_id", induction->person_id},
              {"vacancy_title", induction->vacancy_title},
              {"start_date", induction->start_date},
              {"items", items}};
    return Page(c, actor, "recruitment_induction", "Induction: " + induction->person_name, view);
  });
  router.SetAction("vacancy.manage");
}

void RegisterApi(Router& router, const Ctx& c) {
  router.Add("POST", "/api/v1/vacancies", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request, "POST /api/v1/vacancies"))
      return std::move(*refused);
    auto read = ReadJsonBody(request, "the vacancy", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    app::VacancyInput input;
    for (auto [name, target] :
         {std::pair{"title", &input.title}, std::pair{"post", &input.post},
          std::pair{"department", &input.department}, std::pair{"grade", &input.grade},
          std::pair{"clearance", &input.clearance}, std::pair{"role_level", &input.role_level},
          std::pair{"closes_on", &input.closes_on}}) {
      auto t = Text(body, name, "Send this as text");
      if (!t.ok()) return c->errors.ForError(request, t.error());
      *target = *t;
    }
    if (auto posts = body.Member("posts")) {
      auto n = posts->Integer("Send the number of posts as a whole number");
      if (!n.ok()) return c->errors.ForError(request, n.error());
      input.posts = static_cast<int>(std::clamp<std::int64_t>(*n, 0, 1000));
    }
    if (auto elements = body.Member("elements")) {
      auto list = elements->Array(domain::kElementLimit, "Send 20 elements or fewer");
      if (!list.ok()) return c->errors.ForError(request, list.error());
      for (const auto& e : *list) {
        domain::ProfileElement el;
        auto kind = Text(e, "kind", "Send the kind as text");
        if (!kind.ok()) return c->errors.ForError(request, kind.error());
        auto parsed = domain::ParseElementKind(*kind);
        if (!parsed || *parsed == domain::ElementKind::kBehaviour ||
            *parsed == domain::ElementKind::kTechnical) {
          return ProblemResponse(422, "invalid-input",
                                 "Add strengths, experience or abilities: behaviours and technical "
                                 "requirements come from the frameworks",
                                 e.field() + ".kind");
        }
        el.kind = *parsed;
        auto title = Text(e, "title", "Send the title as text");
        if (!title.ok()) return c->errors.ForError(request, title.error());
        el.title = *title;
        if (auto stages = e.Member("stages")) {
          auto s = stages->Array(4, "Send at most 4 stages");
          if (!s.ok()) return c->errors.ForError(request, s.error());
          for (const auto& stage : *s) {
            auto text = stage.String("Send each stage as text");
            if (!text.ok()) return c->errors.ForError(request, text.error());
            el.stages.push_back(*text);
          }
        }
        if (auto minimum = e.Member("minimum")) {
          auto m = minimum->Integer("A minimum score is from 1 to 7");
          if (!m.ok()) return c->errors.ForError(request, m.error());
          el.minimum = static_cast<int>(std::clamp<std::int64_t>(*m, 0, 100));
        }
        input.other_elements.push_back(std::move(el));
      }
    }
    auto created = c->recruitment.CreateVacancy(actor, input);
    if (!created.ok()) return c->errors.ForError(request, created.error());
    Response response = JsonResponse(201, VacancyJson(*created));
    response.SetHeader("Location", fmt::format("/api/v1/vacancies/{}", created->id));
    return response;
  });
  router.SetAction("vacancy.create");

  router.Add("GET", "/api/v1/vacancies/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto v = c->recruitment.GetVacancy(actor, *id);
    if (!v.ok()) return c->errors.ForError(request, v.error());
    return JsonResponse(200, VacancyJson(*v));
  });
  router.SetAction("vacancy.read");

  router.Add("POST", "/api/v1/vacancies/{id}/panel", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused =
            RefuseCrossOrigin(c->identity, actor, request, "POST /api/v1/vacancies/{id}/panel"))
      return std::move(*refused);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto read = ReadJsonBody(request, "the panel member", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    auto email =
        Text(JsonField(std::get<json>(read), ""), "email", "Send the email address as text");
    if (!email.ok()) return c->errors.ForError(request, email.error());
    auto done = c->recruitment.AddPanelMember(actor, *id, *email);
    if (!done.ok()) return c->errors.ForError(request, done.error());
    return JsonResponse(200, json{{"vacancy", *id}, {"added", *email}});
  });
  router.SetAction("vacancy.manage");

  router.Add("POST", "/api/v1/vacancies/{id}/applications", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/vacancies/{id}/applications"))
      return std::move(*refused);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto read = ReadJsonBody(request, "the application", 422, {"statements"});
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto statements = Statements(body);
    if (!statements.ok()) return c->errors.ForError(request, statements.error());
    auto name = Text(body, "name", "Send the name as text");
    if (!name.ok()) return c->errors.ForError(request, name.error());
    auto email = Text(body, "email", "Send the email address as text");
    if (!email.ok()) return c->errors.ForError(request, email.error());
    auto applied = name->empty() && email->empty() ? c->recruitment.Apply(actor, *id, *statements)
                                                   : c->recruitment.AddExternalCandidate(
                                                         actor, *id, *name, *email, *statements);
    if (!applied.ok()) return c->errors.ForError(request, applied.error());
    Response response = JsonResponse(201, json{{"application", *applied}, {"vacancy", *id}});
    response.SetHeader("Location", fmt::format("/api/v1/applications/{}", *applied));
    return response;
  });
  router.SetAction("application.submit");

  router.Add("GET", "/api/v1/applications/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto a = c->recruitment.GetApplication(actor, *id);
    if (!a.ok()) return c->errors.ForError(request, a.error());
    json mine = json::array();
    for (const auto& s : a->my_scores) mine.push_back(s ? json(*s) : json(nullptr));
    json agreed = json::array();
    for (const auto& s : a->agreed) agreed.push_back(s ? json(*s) : json(nullptr));
    return JsonResponse(200, json{{"id", a->id},
                                  {"vacancy", a->vacancy_id},
                                  {"candidate", a->candidate},
                                  {"anonymised", a->anonymised},
                                  {"status", a->status},
                                  {"submitted_at", a->submitted_at},
                                  {"statements", a->statements},
                                  {"my_scores", mine},
                                  {"agreed", agreed}});
  });
  router.SetAction("application.score");

  for (const bool agreed : {false, true}) {
    const std::string path =
        agreed ? "/api/v1/applications/{id}/agreed-scores" : "/api/v1/applications/{id}/scores";
    router.Add("POST", path, [c, agreed, path](Request& request) {
      const app::Actor actor = ResolveActor(c->identity, request);
      if (!actor.signed_in()) return ApiUnauthenticated();
      if (auto refused = RefuseCrossOrigin(c->identity, actor, request, "POST " + path))
        return std::move(*refused);
      const auto id = ParseId(request.path_params.at("id"));
      if (!id) return ProblemResponse(404, "not-found", "");
      auto read = ReadJsonBody(request, "the scores", 422, {"evidence", "reason"});
      if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
      auto scores = Scores(JsonField(std::get<json>(read), ""), agreed ? "reason" : "evidence");
      if (!scores.ok()) return c->errors.ForError(request, scores.error());
      auto done = agreed ? c->recruitment.AgreeScores(actor, *id, *scores)
                         : c->recruitment.Score(actor, *id, *scores);
      if (!done.ok()) return c->errors.ForError(request, done.error());
      return JsonResponse(200, json{{"application", *id}, {"saved", scores->size()}});
    });
    router.SetAction("application.score");
  }

  router.Add("GET", "/api/v1/vacancies/{id}/merit-list", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto m = c->recruitment.GetMeritList(actor, *id);
    if (!m.ok()) return c->errors.ForError(request, m.error());
    return JsonResponse(200, MeritJson(*m));
  });
  router.SetAction("vacancy.manage");

  router.Add("POST", "/api/v1/applications/{id}/acceptance", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/applications/{id}/acceptance"))
      return std::move(*refused);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto read = ReadJsonBody(request, "the acceptance", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    auto start =
        Text(JsonField(std::get<json>(read), ""), "start_date", "Send the start date as text");
    if (!start.ok()) return c->errors.ForError(request, start.error());
    auto induction = c->recruitment.AcceptOffer(actor, *id, *start);
    if (!induction.ok()) return c->errors.ForError(request, induction.error());
    Response response =
        JsonResponse(201, json{{"application", *id},
                               {"induction", *induction},
                               {"induction_url", fmt::format("/api/v1/inductions/{}", *induction)},
                               {"induction_page", fmt::format("/inductions/{}", *induction)}});
    response.SetHeader("Location", fmt::format("/api/v1/inductions/{}", *induction));
    return response;
  });
  router.SetAction("vacancy.manage");

  router.Add("GET", "/api/v1/inductions/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto induction = c->recruitment.GetInduction(actor, *id);
    if (!induction.ok()) return c->errors.ForError(request, induction.error());
    json items = json::array();
    for (const auto& i : induction->items)
      items.push_back({{"kind", i.kind}, {"text", i.text}, {"link", i.link}});
    return JsonResponse(200, json{{"id", induction->id},
                                  {"person", induction->person_id},
                                  {"person_name", induction->person_name},
                                  {"vacancy", induction->vacancy_id},
                                  {"start_date", induction->start_date},
                                  {"items", items}});
  });
  router.SetAction("vacancy.manage");
}

}  // namespace

void RegisterRecruitmentRoutes(Router& router, const RecruitmentRoutesContext& context) {
  const auto c = std::make_shared<const RecruitmentRoutesContext>(context);
  RegisterPages(router, c);
  RegisterApi(router, c);
}

}  // namespace pathway::web
