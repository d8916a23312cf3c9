#include "web/vetting_routes.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/text.hpp"
#include "interchange/csv.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"

namespace pathway::web {
namespace {

using domain::Error;
using domain::ErrorCode;
using nlohmann::json;

using Ctx = std::shared_ptr<const VettingRoutesContext>;

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page,
              const std::string& title, json view, int status = 200) {
  const bool has_errors = view.value("has_errors", false);
  view["csrf_token"] = actor.csrf_token;
  return Response::Html(status, RenderPage(c->templates, c->asset_base, page, title, view,
                                           has_errors, ChromeFor(actor, "vetting")));
}

// A use case's field ("granted_level") as the id of its form input ("granted-level").
std::string FieldId(std::string field) {
  std::replace(field.begin(), field.end(), '_', '-');
  return field;
}

// The review window from ?within=: 90 when absent; 0 (refused by the use case) when not
// one of the windows offered.
int Within(const Request& request) {
  const auto text = request.QueryParam("within");
  if (!text || text->empty()) return 90;
  for (int days : domain::kReviewWindows) {
    if (*text == std::to_string(days)) return days;
  }
  return 0;
}

std::string Issues(const domain::ClearanceIssues& issues) {
  std::vector<std::string> parts;
  if (issues.below_post) parts.emplace_back("below the post's level");
  if (issues.not_active) parts.emplace_back("not active");
  if (issues.review_overdue) parts.emplace_back("review overdue");
  if (issues.review_due) parts.emplace_back("review due");
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

// "2027-01-15T08:30:12.345Z" as "2027-01-15 08:30".
std::string Minute(const std::string& at) {
  std::string out = at.substr(0, 16);
  if (out.size() > 10 && out[10] == 'T') out[10] = ' ';
  return out;
}

std::string LevelLabel(const std::string& level) { return level.empty() ? "None" : level; }

json ReportJson(const domain::ClearanceReport& r) {
  json people = json::array();
  for (const auto& m : r.rows) {
    people.push_back({{"person", m.person_id},
                      {"name", m.person_name},
                      {"unit", m.unit_code},
                      {"unit_name", m.unit_name},
                      {"post", m.post_id},
                      {"post_clearance", m.post_clearance},
                      {"clearance", m.level.empty() ? json(nullptr) : json(m.level)},
                      {"status", m.status.empty() ? json(nullptr) : json(m.status)},
                      {"review_due", m.review_due.empty() ? json(nullptr) : json(m.review_due)},
                      {"below_post", m.issues.below_post},
                      {"not_active", m.issues.not_active},
                      {"review_overdue", m.issues.review_overdue},
                      {"review_due_within", m.issues.review_due}});
  }
  json counts = json::array();
  for (const auto& k : r.counts) {
    counts.push_back({{"unit", k.unit_code},
                      {"unit_name", k.unit_name},
                      {"clearance", k.level.empty() ? json(nullptr) : json(k.level)},
                      {"people", k.people},
                      {"mismatched", k.mismatched}});
  }
  return {
      {"department", r.department},
      {"department_name", r.department_name},
      {"date", r.today},
      {"within_days", r.within_days},
      {"totals",
       {{"below_post", r.below_post}, {"not_active", r.not_active}, {"review_due", r.review_due}}},
      {"counts", counts},
      {"people", people}};
}

json CaseJson(const app::VettingCaseView& v) {
  const auto& c = v.vetting_case;
  json stages = json::array();
  for (const auto& s : c.stages) {
    json stage{{"stage", domain::VettingStageName(s.stage)}, {"started_on", s.started_on}};
    if (v.access.officer) stage["recorded_by"] = s.recorded_by_name;
    stages.push_back(stage);
  }
  json out{{"id", c.id},
           {"person", c.person_id},
           {"person_name", c.person_name},
           {"department", c.department},
           {"kind", domain::VettingCaseKindName(c.kind)},
           {"level_sought", c.level_sought.empty() ? json(nullptr) : json(c.level_sought)},
           {"stage", domain::VettingStageName(c.stage)},
           {"status", c.decided ? "decided" : "open"},
           {"opened_on", c.opened_on},
           {"referral", !c.referred_by_name.empty()},
           {"stages", stages},
           {"your_part", v.access.officer ? "vetting" : "referral"}};
  if (c.outcome) {
    out["decision"] = {
        {"outcome", domain::VettingOutcomeName(*c.outcome)},
        {"granted_level", c.granted_level.empty() ? json(nullptr) : json(c.granted_level)},
        {"decided_on", c.decided_on},
        {"review_due", c.review_due.empty() ? json(nullptr) : json(c.review_due)}};
  }
  if (v.access.officer) {
    out["note_count"] = c.note_count;
    out["opened_by"] = c.opened_by_name;
    json exports = json::array();
    for (const auto& e : v.exports) {
      exports.push_back({{"id", e.id},
                         {"requested_by", e.requested_by_name},
                         {"requested_at", e.requested_at},
                         {"approved", e.approved_by.has_value()},
                         {"approved_by", e.approved_by_name}});
    }
    out["exports"] = exports;
  }
  return out;
}

json NotesJson(const std::vector<domain::VettingNote>& notes) {
  json out = json::array();
  for (const auto& n : notes) {
    out.push_back({{"id", n.id},
                   {"part", domain::VettingNotePartName(n.part)},
                   {"author", n.author_name},
                   {"created_at", n.created_at},
                   {"text", n.text}});
  }
  return out;
}

std::string NotesCsv(const std::vector<domain::VettingNote>& notes) {
  interchange::CsvWriter csv;
  csv.Row({"note_id", "part", "author", "created_at", "text"});
  for (const auto& n : notes) {
    csv.Row({std::to_string(n.id), std::string(domain::VettingNotePartName(n.part)), n.author_name,
             n.created_at, n.text});
  }
  return std::move(csv).text();
}

Response CsvDownload(std::string body, const std::string& name) {
  Response response = Response::Text(200, std::move(body), "text/csv; charset=utf-8");
  response.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"{}.csv\"", name));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

// ---------- pages ----------

Response ReportPage(const Ctx& c, const Request& request, const app::Actor& actor,
                    const std::string& code) {
  const int within = Within(request);
  auto report = c->vetting.ClearanceReport(actor, code, within);
  if (!report.ok()) return c->errors.ForError(request, report.error());
  constexpr std::size_t kShown = 500;
  json rows = json::array();
  for (std::size_t i = 0; i < report->rows.size() && i < kShown; ++i) {
    const auto& m = report->rows[i];
    rows.push_back({{"person_id", m.person_id},
                    {"name", m.person_name},
                    {"unit", m.unit_name},
                    {"post", m.post_id},
                    {"post_clearance", m.post_clearance},
                    {"level", LevelLabel(m.level)},
                    {"status", m.status.empty() ? "None" : m.status},
                    {"review_due", m.review_due.empty() ? "None" : m.review_due},
                    {"issues", Issues(m.issues)}});
  }
  json counts = json::array();
  for (const auto& k : report->counts) {
    counts.push_back({{"unit", k.unit_name},
                      {"level", LevelLabel(k.level)},
                      {"people", k.people},
                      {"mismatched", k.mismatched}});
  }
  json windows = json::array();
  for (int days : domain::kReviewWindows) {
    windows.push_back({{"days", days}, {"selected", days == report->within_days}});
  }
  json view{{"code", report->department},
            {"name", report->department_name},
            {"today", report->today},
            {"within", report->within_days},
            {"windows", windows},
            {"rows", rows},
            {"has_rows", !rows.empty()},
            {"total_rows", report->rows.size()},
            {"truncated", report->rows.size() > kShown},
            {"shown", kShown},
            {"counts", counts},
            {"has_counts", !counts.empty()},
            {"below_post", report->below_post},
            {"not_active", report->not_active},
            {"review_due", report->review_due}};
  return Page(c, actor, "vetting_clearances", "Clearances in " + report->department_name, view);
}

struct HomeForm {
  const Form* typed = nullptr;
  std::vector<Error> errors;
  std::string which;  // "open" or "refer"
};

Response HomePage(const Ctx& c, const Request& request, const app::Actor& actor,
                  const HomeForm& form, int status) {
  const bool officer = actor.HasRole(domain::Role::kVettingOfficer);
  const bool hr = actor.HasRole(domain::Role::kHrPartner);
  json departments = json::array();
  for (const auto& code : c->vetting.ReportDepartments(actor)) {
    departments.push_back({{"code", code}});
  }
  // An administrator has the clearance reports and no cases.
  std::vector<domain::VettingCase> cases;
  if (officer || hr || departments.empty()) {
    auto listed = c->vetting.ListCases(actor);
    if (!listed.ok()) return c->errors.ForError(request, listed.error());
    cases = std::move(*listed);
  }
  json rows = json::array();
  for (const auto& vc : cases) {
    rows.push_back({{"id", vc.id},
                    {"person", vc.person_name},
                    {"department", vc.department},
                    {"kind", domain::VettingCaseKindLabel(vc.kind)},
                    {"stage", domain::VettingStageLabel(vc.stage)},
                    {"status", vc.decided ? "Decided" : "Open"},
                    {"decided", vc.decided},
                    {"opened_on", vc.opened_on}});
  }
  auto typed = [&](const char* name) -> std::string {
    if (form.typed) return FormValue(*form.typed, name);
    if (std::string_view(name) == "person") return request.QueryParam("person").value_or("");
    return "";
  };
  json kinds = json::array();
  for (auto kind : {domain::VettingCaseKind::kNew, domain::VettingCaseKind::kRenewal,
                    domain::VettingCaseKind::kAftercare, domain::VettingCaseKind::kConcern}) {
    const std::string name(domain::VettingCaseKindName(kind));
    kinds.push_back({{"value", name},
                     {"label", domain::VettingCaseKindLabel(kind)},
                     {"checked", typed("kind") == name}});
  }
  json view{{"rows", rows},
            {"has_rows", !rows.empty()},
            {"departments", departments},
            {"has_departments", !departments.empty()},
            {"officer", officer},
            {"hr", hr},
            {"sees_cases", officer || hr},
            {"kinds", kinds},
            {"typed_person", form.which == "refer" ? "" : typed("person")},
            {"typed_level", typed("level-sought")},
            {"typed_opened_on", typed("opened-on")},
            {"typed_note", form.which == "open" ? typed("note") : ""},
            {"typed_refer_person", form.which == "refer" ? typed("person") : ""},
            {"typed_concern", form.which == "refer" ? typed("note") : ""}};
  std::vector<Error> shown;
  for (Error e : form.errors) {
    e.field = (form.which == "refer" ? "refer-" : "") + FieldId(e.field);
    shown.push_back(std::move(e));
  }
  AddErrors(view, shown);
  return Page(c, actor, "vetting_home", "Vetting", view, status);
}

struct CaseForm {
  const Form* typed = nullptr;
  std::vector<Error> errors;
  std::string which;  // "stage", "decision", "note", "read"
  const std::vector<domain::VettingNote>* notes = nullptr;
  std::string reason;
  std::string notice;
};

Response CasePage(const Ctx& c, const Request& request, const app::Actor& actor, std::int64_t id,
                  const CaseForm& form, int status) {
  auto found = c->vetting.GetCase(actor, id);
  if (!found.ok()) return c->errors.ForError(request, found.error());
  const auto& vc = found->vetting_case;
  const bool officer = found->access.officer;
  json stages = json::array();
  for (const auto& s : vc.stages) {
    stages.push_back({{"label", domain::VettingStageLabel(s.stage)},
                      {"started_on", s.started_on},
                      {"by", s.recorded_by_name}});
  }
  json stage_options = json::array();
  for (auto s : {domain::VettingStage::kQuestionnaire, domain::VettingStage::kChecks,
                 domain::VettingStage::kInterview, domain::VettingStage::kAssessment}) {
    stage_options.push_back(
        {{"value", domain::VettingStageName(s)}, {"label", domain::VettingStageLabel(s)}});
  }
  json exports = json::array();
  for (const auto& e : found->exports) {
    exports.push_back({{"id", e.id},
                       {"case_id", vc.id},
                       {"requested_by", e.requested_by_name},
                       {"requested_at", Minute(e.requested_at)},
                       {"approved", e.approved_by.has_value()},
                       {"approved_by", e.approved_by_name},
                       {"mine", e.requested_by == actor.user_id},
                       {"may_approve", !e.approved_by && e.requested_by != actor.user_id},
                       {"may_download", e.approved_by && e.requested_by == actor.user_id}});
  }
  auto typed = [&](const char* name) -> std::string {
    return form.typed ? FormValue(*form.typed, name) : "";
  };
  json view{{"id", vc.id},
            {"person", vc.person_name},
            {"department", vc.department},
            {"kind", domain::VettingCaseKindLabel(vc.kind)},
            {"level_sought", vc.level_sought},
            {"stage", domain::VettingStageLabel(vc.stage)},
            {"decided", vc.decided},
            {"open", !vc.decided},
            {"opened_on", vc.opened_on},
            {"referral", !vc.referred_by_name.empty()},
            {"officer", officer},
            {"member", found->access.member},
            {"stages", stages},
            {"stage_options", stage_options},
            {"exports", exports},
            {"has_exports", !exports.empty()},
            {"note_count",
             vc.note_count == 1 ? std::string("1 note") : fmt::format("{} notes", vc.note_count)},
            {"person_id", vc.person_id},
            {"notice", form.notice},
            {"typed_started_on", form.which == "stage" ? typed("started-on") : ""},
            {"typed_granted_level", typed("granted-level")},
            {"typed_decided_on", typed("decided-on")},
            {"typed_review_due", typed("review-due")},
            {"typed_reason", form.which == "decision" ? typed("reason") : ""},
            {"typed_granted", typed("outcome") == "granted"},
            {"typed_refused", typed("outcome") == "refused"},
            {"typed_withdrawn", typed("outcome") == "withdrawn"},
            {"typed_text", typed("text")},
            {"typed_read_reason", form.which == "read" ? typed("read-reason") : ""}};
  if (vc.outcome) {
    view["outcome"] = domain::VettingOutcomeName(*vc.outcome);
    view["granted_level"] = vc.granted_level;
    view["decided_on"] = vc.decided_on;
    view["review_due"] = vc.review_due;
  }
  if (form.notes) {
    json notes = json::array();
    for (const auto& n : *form.notes) {
      notes.push_back({{"part", n.part == domain::VettingNotePart::kVetting    ? "Vetting team"
                                : n.part == domain::VettingNotePart::kReferral ? "HR referral"
                                                                               : "Decision reason"},
                       {"author", n.author_name},
                       {"at", Minute(n.created_at)},
                       {"text", n.text}});
    }
    view["notes"] = notes;
    view["notes_read"] = true;
    view["has_notes"] = !notes.empty();
    view["reason"] = form.reason;
  }
  std::vector<Error> shown;
  for (Error e : form.errors) {
    if (e.field == "reason" && form.which == "read") e.field = "read_reason";
    if (e.field.empty() || e.field == "outcome")
      e.field = form.which == "decision" ? "outcome" : e.field;
    e.field = FieldId(e.field);
    shown.push_back(std::move(e));
  }
  AddErrors(view, shown);
  return Page(c, actor, "vetting_case", fmt::format("Vetting case {}", vc.id), view, status);
}

// Answers a refused case form: the case page again with the error for a refused input,
// and every one of `missing` (the form's empty required fields, from MissingFields, named
// as its inputs are); the error page otherwise.
Response CaseRefused(const Ctx& c, const Request& request, const app::Actor& actor, std::int64_t id,
                     const Form& form, const Error& error, std::string which,
                     std::string default_field, std::vector<Error> missing = {}) {
  if (error.code != ErrorCode::kInvalidInput && error.code != ErrorCode::kConflict) {
    return c->errors.ForError(request, error);
  }
  CaseForm shown;
  shown.typed = &form;
  shown.which = std::move(which);
  Error e = error;
  if (e.field.empty()) e.field = std::move(default_field);
  e.field = FieldId(e.field);
  if (error.code == ErrorCode::kInvalidInput) {
    shown.errors = WithMissingFields(std::move(missing), e);
  } else {
    shown.errors.push_back(std::move(e));
  }
  return CasePage(c, request, actor, id, shown, error.code == ErrorCode::kConflict ? 409 : 422);
}

struct CaseRoute {
  app::Actor actor;
  std::int64_t id = 0;
  Form form;
};

// The signed-in actor, the case id and the checked form of a POST to a case, or the
// answer refusing it.
std::variant<CaseRoute, Response> CasePost(
    const Ctx& c, Request& request, std::initializer_list<std::string_view> multi_line = {}) {
  CaseRoute route;
  route.actor = ResolveActor(c->identity, request);
  if (!route.actor.signed_in()) return SignInRedirect(request);
  auto form = CheckedForm(c->identity, c->errors, request, route.actor, multi_line);
  if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
  route.form = std::move(std::get<Form>(form));
  const auto id = ParseId(request.path_params.at("id"));
  if (!id) return c->errors.ForStatus(request, 404);
  route.id = *id;
  return route;
}

void RegisterPages(Router& router, const Ctx& c) {
  router.Add("GET", "/vetting", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    return HomePage(c, request, actor, {}, 200);
  });
  router.SetAction("vetting.case.read");

  router.Add("GET", "/vetting/clearances/{code}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    return ReportPage(c, request, actor, request.path_params.at("code"));
  });
  router.SetAction("clearance.report");

  router.Add("GET", "/vetting/clearances/{code}/download", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const std::string code = request.path_params.at("code");
    auto report = c->vetting.ClearanceReport(actor, code, Within(request));
    if (!report.ok()) return c->errors.ForError(request, report.error());
    return CsvDownload(ClearanceReportCsv(*report),
                       fmt::format("clearances-{}-{}", report->department, report->today));
  });
  router.SetAction("clearance.report");

  router.Add("POST", "/vetting/cases", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto checked = CheckedForm(c->identity, c->errors, request, actor, {"note"});
    if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
    const Form& form = std::get<Form>(checked);
    // Every empty field at once: the use case stops at the first.
    auto missing = MissingFields(
        form, {{"person", "Enter the person's number"}, {"kind", "Select the kind of case"}});
    const auto person = ParseId(FormValue(form, "person"));
    if (!person) {
      return HomePage(
          c, request, actor,
          {&form,
           WithMissingFields(std::move(missing),
                             Error::InvalidInput("person", "Enter the person's number, like 42")),
           "open"},
          422);
    }
    domain::NewVettingCase input{*person, FormValue(form, "kind"), FormValue(form, "level-sought"),
                                 FormValue(form, "opened-on"), FormValue(form, "note")};
    auto opened = c->vetting.OpenCase(actor, input);
    if (!opened.ok()) {
      const Error& e = opened.error();
      if (e.code == ErrorCode::kConflict)
        return HomePage(c, request, actor, {&form, {e}, "open"}, 409);
      if (e.code != ErrorCode::kInvalidInput) return c->errors.ForError(request, e);
      return HomePage(c, request, actor, {&form, WithMissingFields(std::move(missing), e), "open"},
                      422);
    }
    return Redirect(fmt::format("/vetting/cases/{}", *opened));
  });
  router.SetAction("vetting.case.open");

  router.Add("POST", "/vetting/referrals", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto checked = CheckedForm(c->identity, c->errors, request, actor, {"note"});
    if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
    const Form& form = std::get<Form>(checked);
    // Every empty field at once: the use case stops at the first.
    auto missing = MissingFields(
        form, {{"person", "Enter the person's number"}, {"note", "Enter the concern"}});
    const auto person = ParseId(FormValue(form, "person"));
    if (!person) {
      return HomePage(
          c, request, actor,
          {&form,
           WithMissingFields(std::move(missing),
                             Error::InvalidInput("person", "Enter the person's number, like 42")),
           "refer"},
          422);
    }
    auto referred = c->vetting.RaiseConcern(actor, *person, FormValue(form, "note"));
    if (!referred.ok()) {
      const Error& e = referred.error();
      if (e.code != ErrorCode::kInvalidInput) return c->errors.ForError(request, e);
      return HomePage(c, request, actor, {&form, WithMissingFields(std::move(missing), e), "refer"},
                      422);
    }
    return Redirect(fmt::format("/vetting/cases/{}", *referred));
  });
  router.SetAction("vetting.referral");

  router.Add("GET", "/vetting/cases/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    CaseForm form;
    if (request.QueryParam("noted")) form.notice = "The note was added.";
    if (request.QueryParam("decided")) form.notice = "The decision was recorded.";
    if (request.QueryParam("staged")) form.notice = "The stage was recorded.";
    if (request.QueryParam("export"))
      form.notice = "The export was asked for: another vetting officer must approve it.";
    if (request.QueryParam("approved")) form.notice = "The export was approved.";
    return CasePage(c, request, actor, *id, form, 200);
  });
  router.SetAction("vetting.case.read");

  router.Add("POST", "/vetting/cases/{id}/stages", [c](Request& request) {
    auto posted = CasePost(c, request);
    if (auto* refused = std::get_if<Response>(&posted)) return std::move(*refused);
    auto& r = std::get<CaseRoute>(posted);
    auto done = c->vetting.RecordStage(r.actor, r.id, FormValue(r.form, "stage"),
                                       FormValue(r.form, "started-on"));
    if (!done.ok())
      return CaseRefused(c, request, r.actor, r.id, r.form, done.error(), "stage", "stage");
    return Redirect(fmt::format("/vetting/cases/{}?staged=1", r.id));
  });
  router.SetAction("vetting.case.stage");

  router.Add("POST", "/vetting/cases/{id}/decision", [c](Request& request) {
    auto posted = CasePost(c, request, {"reason"});
    if (auto* refused = std::get_if<Response>(&posted)) return std::move(*refused);
    auto& r = std::get<CaseRoute>(posted);
    domain::VettingDecisionInput input{
        FormValue(r.form, "outcome"), FormValue(r.form, "granted-level"),
        FormValue(r.form, "decided-on"), FormValue(r.form, "review-due"),
        FormValue(r.form, "reason")};
    auto done = c->vetting.Decide(r.actor, r.id, input);
    if (!done.ok()) {
      // Every empty field at once: the use case stops at the first. A granted clearance
      // needs its level and review date too.
      auto missing = MissingFields(r.form, {{"outcome", "Select the decision"}});
      auto append = [&missing](std::vector<Error> more) {
        missing.insert(missing.end(), more.begin(), more.end());
      };
      if (FormValue(r.form, "outcome") == "granted") {
        append(MissingFields(r.form,
                             {{"granted-level", "Enter the level granted: BPSS, CTC, SC or DV"},
                              {"review-due", "Enter the date the clearance is due for review"}}));
      }
      append(MissingFields(r.form, {{"reason", "Enter the reason for the decision"}}));
      return CaseRefused(c, request, r.actor, r.id, r.form, done.error(), "decision", "outcome",
                         std::move(missing));
    }
    return Redirect(fmt::format("/vetting/cases/{}?decided=1", r.id));
  });
  router.SetAction("vetting.case.decide");

  router.Add("POST", "/vetting/cases/{id}/notes", [c](Request& request) {
    auto posted = CasePost(c, request, {"text"});
    if (auto* refused = std::get_if<Response>(&posted)) return std::move(*refused);
    auto& r = std::get<CaseRoute>(posted);
    auto done = c->vetting.AddNote(r.actor, r.id, FormValue(r.form, "text"));
    if (!done.ok())
      return CaseRefused(c, request, r.actor, r.id, r.form, done.error(), "note", "text");
    return Redirect(fmt::format("/vetting/cases/{}?noted=1", r.id));
  });
  router.SetAction("vetting.note.add");

  router.Add("POST", "/vetting/cases/{id}/notes/read", [c](Request& request) {
    auto posted = CasePost(c, request);
    if (auto* refused = std::get_if<Response>(&posted)) return std::move(*refused);
    auto& r = std::get<CaseRoute>(posted);
    const std::string reason = FormValue(r.form, "read-reason");
    auto notes = c->vetting.ReadNotes(r.actor, r.id, reason);
    if (!notes.ok())
      return CaseRefused(c, request, r.actor, r.id, r.form, notes.error(), "read", "reason");
    CaseForm form;
    form.notes = &*notes;
    form.reason = reason;
    Response page = CasePage(c, request, r.actor, r.id, form, 200);
    page.SetHeader("Cache-Control", "no-store");
    return page;
  });
  router.SetAction("vetting.note.read");

  router.Add("POST", "/vetting/cases/{id}/exports", [c](Request& request) {
    auto posted = CasePost(c, request);
    if (auto* refused = std::get_if<Response>(&posted)) return std::move(*refused);
    auto& r = std::get<CaseRoute>(posted);
    auto done = c->vetting.RequestExport(r.actor, r.id);
    if (!done.ok()) return c->errors.ForError(request, done.error());
    return Redirect(fmt::format("/vetting/cases/{}?export={}#exports", r.id, *done));
  });
  router.SetAction("vetting.note.export");

  router.Add("POST", "/vetting/cases/{id}/exports/{export}/approve", [c](Request& request) {
    auto posted = CasePost(c, request);
    if (auto* refused = std::get_if<Response>(&posted)) return std::move(*refused);
    auto& r = std::get<CaseRoute>(posted);
    const auto export_id = ParseId(request.path_params.at("export"));
    if (!export_id) return c->errors.ForStatus(request, 404);
    auto done = c->vetting.ApproveExport(r.actor, r.id, *export_id);
    if (!done.ok()) {
      return CaseRefused(c, request, r.actor, r.id, r.form, done.error(), "export", "approver");
    }
    return Redirect(fmt::format("/vetting/cases/{}?approved=1#exports", r.id));
  });
  router.SetAction("vetting.note.export");

  router.Add("GET", "/vetting/cases/{id}/exports/{export}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    const auto export_id = ParseId(request.path_params.at("export"));
    if (!id || !export_id) return c->errors.ForStatus(request, 404);
    auto notes = c->vetting.DownloadExport(actor, *id, *export_id);
    if (!notes.ok()) return c->errors.ForError(request, notes.error());
    return CsvDownload(NotesCsv(*notes), fmt::format("vetting-case-{}-notes", *id));
  });
  router.SetAction("vetting.note.export");
}

// ---------- API ----------

domain::Result<std::string> ReadString(const JsonField& body, const char* name, bool required,
                                       const char* message) {
  auto member = body.Member(name);
  if (!member) {
    if (required) return Error::InvalidInput(name, message);
    return std::string();
  }
  return member->String(message);
}

// The actor and the case id of an API call on a case, or the answer refusing it.
std::variant<std::pair<app::Actor, std::int64_t>, Response> ApiCase(const Ctx& c, Request& request,
                                                                    bool writes,
                                                                    std::string_view what) {
  app::Actor actor = ResolveActor(c->identity, request);
  if (!actor.signed_in()) return ApiUnauthenticated();
  if (writes) {
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request, what))
      return std::move(*refused);
  }
  const auto id = ParseId(request.path_params.at("id"));
  if (!id) return ProblemResponse(404, "not-found", "No such vetting case");
  return std::make_pair(std::move(actor), *id);
}

void RegisterApi(Router& router, const Ctx& c) {
  router.Add("GET", "/api/v1/clearances/{code}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    auto report =
        c->vetting.ClearanceReport(actor, request.path_params.at("code"), Within(request));
    if (!report.ok()) return c->errors.ForError(request, report.error());
    if (request.Header("accept").starts_with("text/csv")) {
      return CsvDownload(ClearanceReportCsv(*report),
                         fmt::format("clearances-{}-{}", report->department, report->today));
    }
    return JsonResponse(200, ReportJson(*report));
  });
  router.SetAction("clearance.report");

  router.Add("POST", "/api/v1/vetting/cases", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused =
            RefuseCrossOrigin(c->identity, actor, request, "POST /api/v1/vetting/cases")) {
      return std::move(*refused);
    }
    auto read = ReadJsonBody(request, "the case", 422, {"note"});
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto person_field = body.Member("person");
    if (!person_field)
      return ProblemResponse(422, "invalid-input", "Send the person's number", "person");
    auto person = person_field->Integer("Send the person's number");
    if (!person.ok()) return c->errors.ForError(request, person.error());
    auto kind = ReadString(body, "kind", true, "Choose new, renewal, aftercare or concern");
    if (!kind.ok()) return c->errors.ForError(request, kind.error());
    auto level = ReadString(body, "level_sought", false, "Send the level as BPSS, CTC, SC or DV");
    if (!level.ok()) return c->errors.ForError(request, level.error());
    auto opened_on =
        ReadString(body, "opened_on", false, "Send the date as text, for example 2027-03-31");
    if (!opened_on.ok()) return c->errors.ForError(request, opened_on.error());
    auto note = ReadString(body, "note", false, "Send the note as text");
    if (!note.ok()) return c->errors.ForError(request, note.error());
    // An HR partner's case is a referral of a concern; a vetting officer opens any kind.
    domain::Result<std::int64_t> opened = Error::NotFound("No such person");
    if (!actor.HasRole(domain::Role::kVettingOfficer) && actor.HasRole(domain::Role::kHrPartner)) {
      if (domain::Lower(*kind) != "concern") {
        return ProblemResponse(422, "invalid-input",
                               "An HR partner refers a concern: send kind \"concern\"", "kind");
      }
      opened = c->vetting.RaiseConcern(actor, *person, *note);
    } else {
      opened = c->vetting.OpenCase(actor, {*person, *kind, *level, *opened_on, *note});
    }
    if (!opened.ok()) return c->errors.ForError(request, opened.error());
    auto shown = c->vetting.GetCase(actor, *opened);
    if (!shown.ok()) return c->errors.ForError(request, shown.error());
    Response response = JsonResponse(201, CaseJson(*shown));
    response.SetHeader("Location", fmt::format("/api/v1/vetting/cases/{}", *opened));
    return response;
  });
  router.SetAction("vetting.case.open");

  router.Add("GET", "/api/v1/vetting/cases/{id}", [c](Request& request) {
    auto found = ApiCase(c, request, false, "");
    if (auto* refused = std::get_if<Response>(&found)) return std::move(*refused);
    auto& [actor, id] = std::get<std::pair<app::Actor, std::int64_t>>(found);
    auto shown = c->vetting.GetCase(actor, id);
    if (!shown.ok()) return c->errors.ForError(request, shown.error());
    return JsonResponse(200, CaseJson(*shown));
  });
  router.SetAction("vetting.case.read");

  router.Add("POST", "/api/v1/vetting/cases/{id}/stages", [c](Request& request) {
    auto found = ApiCase(c, request, true, "POST /api/v1/vetting/cases/{id}/stages");
    if (auto* refused = std::get_if<Response>(&found)) return std::move(*refused);
    auto& [actor, id] = std::get<std::pair<app::Actor, std::int64_t>>(found);
    auto read = ReadJsonBody(request, "the stage", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto stage =
        ReadString(body, "stage", true, "Choose questionnaire, checks, interview or assessment");
    if (!stage.ok()) return c->errors.ForError(request, stage.error());
    auto started_on =
        ReadString(body, "started_on", false, "Send the date as text, for example 2027-03-31");
    if (!started_on.ok()) return c->errors.ForError(request, started_on.error());
    auto done = c->vetting.RecordStage(actor, id, *stage, *started_on);
    if (!done.ok()) return c->errors.ForError(request, done.error());
    auto shown = c->vetting.GetCase(actor, id);
    if (!shown.ok()) return c->errors.ForError(request, shown.error());
    return JsonResponse(201, CaseJson(*shown));
  });
  router.SetAction("vetting.case.stage");

  router.Add("POST", "/api/v1/vetting/cases/{id}/decision", [c](Request& request) {
    auto found = ApiCase(c, request, true, "POST /api/v1/vetting/cases/{id}/decision");
    if (auto* refused = std::get_if<Response>(&found)) return std::move(*refused);
    auto& [actor, id] = std::get<std::pair<app::Actor, std::int64_t>>(found);
    auto read = ReadJsonBody(request, "the decision", 422, {"reason"});
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    domain::VettingDecisionInput input;
    for (auto [name, target, message] :
         {std::tuple{"outcome", &input.outcome, "Choose granted, refused or withdrawn"},
          std::tuple{"granted_level", &input.granted_level,
                     "Send the level as BPSS, CTC, SC or DV"},
          std::tuple{"decided_on", &input.decided_on,
                     "Send the date as text, for example 2027-03-31"},
          std::tuple{"review_due", &input.review_due,
                     "Send the date as text, for example 2032-03-31"},
          std::tuple{"reason", &input.reason, "Send the reason as text"}}) {
      auto value = ReadString(body, name, false, message);
      if (!value.ok()) return c->errors.ForError(request, value.error());
      *target = std::move(*value);
    }
    auto done = c->vetting.Decide(actor, id, input);
    if (!done.ok()) return c->errors.ForError(request, done.error());
    auto shown = c->vetting.GetCase(actor, id);
    if (!shown.ok()) return c->errors.ForError(request, shown.error());
    return JsonResponse(200, CaseJson(*shown));
  });
  router.SetAction("vetting.case.decide");

  router.Add("POST", "/api/v1/vetting/cases/{id}/notes", [c](Request& request) {
    auto found = ApiCase(c, request, true, "POST /api/v1/vetting/cases/{id}/notes");
    if (auto* refused = std::get_if<Response>(&found)) return std::move(*refused);
    auto& [actor, id] = std::get<std::pair<app::Actor, std::int64_t>>(found);
    auto read = ReadJsonBody(request, "the note", 422, {"text"});
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto text = ReadString(body, "text", true, "Enter the note");
    if (!text.ok()) return c->errors.ForError(request, text.error());
    auto added = c->vetting.AddNote(actor, id, *text);
    if (!added.ok()) return c->errors.ForError(request, added.error());
    return JsonResponse(201, json{{"case", id}, {"note", *added}});
  });
  router.SetAction("vetting.note.add");

  router.Add("POST", "/api/v1/vetting/cases/{id}/notes/read", [c](Request& request) {
    auto found = ApiCase(c, request, true, "POST /api/v1/vetting/cases/{id}/notes/read");
    if (auto* refused = std::get_if<Response>(&found)) return std::move(*refused);
    auto& [actor, id] = std::get<std::pair<app::Actor, std::int64_t>>(found);
    auto read = ReadJsonBody(request, "the reason", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto reason = ReadString(body, "reason", false, "Send the reason as text");
    if (!reason.ok()) return c->errors.ForError(request, reason.error());
    auto notes = c->vetting.ReadNotes(actor, id, *reason);
    if (!notes.ok()) return c->errors.ForError(request, notes.error());
    Response response = JsonResponse(200, json{{"case", id}, {"notes", NotesJson(*notes)}});
    response.SetHeader("Cache-Control", "no-store");
    return response;
  });
  router.SetAction("vetting.note.read");

  router.Add("POST", "/api/v1/vetting/cases/{id}/exports", [c](Request& request) {
    auto found = ApiCase(c, request, true, "POST /api/v1/vetting/cases/{id}/exports");
    if (auto* refused = std::get_if<Response>(&found)) return std::move(*refused);
    auto& [actor, id] = std::get<std::pair<app::Actor, std::int64_t>>(found);
    auto asked = c->vetting.RequestExport(actor, id);
    if (!asked.ok()) return c->errors.ForError(request, asked.error());
    Response response =
        JsonResponse(201, json{{"case", id}, {"export", *asked}, {"approved", false}});
    response.SetHeader("Location", fmt::format("/api/v1/vetting/cases/{}/exports/{}", id, *asked));
    return response;
  });
  router.SetAction("vetting.note.export");

  router.Add("POST", "/api/v1/vetting/cases/{id}/exports/{export}/approval", [c](Request& request) {
    auto found =
        ApiCase(c, request, true, "POST /api/v1/vetting/cases/{id}/exports/{export}/approval");
    if (auto* refused = std::get_if<Response>(&found)) return std::move(*refused);
    auto& [actor, id] = std::get<std::pair<app::Actor, std::int64_t>>(found);
    const auto export_id = ParseId(request.path_params.at("export"));
    if (!export_id) return ProblemResponse(404, "not-found", "No such export");
    auto done = c->vetting.ApproveExport(actor, id, *export_id);
    if (!done.ok()) return c->errors.ForError(request, done.error());
    return JsonResponse(200, json{{"case", id}, {"export", *export_id}, {"approved", true}});
  });
  router.SetAction("vetting.note.export");

  router.Add("GET", "/api/v1/vetting/cases/{id}/exports/{export}", [c](Request& request) {
    auto found = ApiCase(c, request, false, "");
    if (auto* refused = std::get_if<Response>(&found)) return std::move(*refused);
    auto& [actor, id] = std::get<std::pair<app::Actor, std::int64_t>>(found);
    const auto export_id = ParseId(request.path_params.at("export"));
    if (!export_id) return ProblemResponse(404, "not-found", "No such export");
    auto notes = c->vetting.DownloadExport(actor, id, *export_id);
    if (!notes.ok()) return c->errors.ForError(request, notes.error());
    return CsvDownload(NotesCsv(*notes), fmt::format("vetting-case-{}-notes", id));
  });
  router.SetAction("vetting.note.export");
}

}  // namespace

std::string ClearanceReportCsv(const domain::ClearanceReport& report) {
  interchange::CsvWriter csv;
  csv.Row({"person_id", "name", "unit", "unit_name", "post", "post_clearance", "clearance",
           "status", "review_due", "below_post", "not_active", "review_overdue",
           "review_due_within"});
  auto yes = [](bool b) { return std::string(b ? "yes" : "no"); };
  for (const auto& m : report.rows) {
    csv.Row({std::to_string(m.person_id), m.person_name, m.unit_code, m.unit_name, m.post_id,
             m.post_clearance, m.level, m.status, m.review_due, yes(m.issues.below_post),
             yes(m.issues.not_active), yes(m.issues.review_overdue), yes(m.issues.review_due)});
  }
  return std::move(csv).text();
}

void RegisterVettingRoutes(Router& router, const VettingRoutesContext& context) {
  const auto c = std::make_shared<const VettingRoutesContext>(context);
  RegisterPages(router, c);
  RegisterApi(router, c);
}

}  // namespace pathway::web
