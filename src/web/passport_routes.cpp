#include "web/passport_routes.hpp"

#include <memory>
#include <optional>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"

namespace pathway::web {
namespace {

using domain::Error;
using nlohmann::json;

using Ctx = std::shared_ptr<const PassportRoutesContext>;

// A form's credential may be the JWS text with line breaks around it; the rest of the
// form and the body cap allow a credential up to app::kMaxCredentialBytes.
constexpr std::size_t kMaxBody = 3 * app::kMaxCredentialBytes;

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page,
              const std::string& title, json view, int status = 200) {
  const bool has_errors = view.value("has_errors", false);
  view["csrf_token"] = actor.csrf_token;
  return Response::Html(status, RenderPage(c->templates, c->asset_base, page, title, view,
                                           has_errors, ChromeFor(actor, "passports")));
}

std::string BaseUri(const Request& request) {
  std::string host(request.Header("host"));
  if (host.empty() || host.find_first_of(" /\\\"<>") != std::string::npos) host = "localhost";
  return fmt::format("http://{}/ims/case/v1p1", host);
}

json EntryJson(const app::PassportEntry& e) {
  return {{"item", e.item_id},
          {"item_uri", e.item_uri},
          {"title", e.title},
          {"framework", e.framework},
          {"framework_version", e.framework_version},
          {"level", e.level},
          {"source", e.source},
          {"assessed_on", e.assessed_on}};
}

std::string_view OutcomeText(const std::string& outcome) {
  if (outcome == "recorded") return "Recorded";
  if (outcome == "related") return "Related only: not recorded";
  if (outcome == "off_scale") return "Level off this item's scale: not recorded";
  return "No matching item here: not recorded";
}

json MappedJson(const app::MappedEntry& m) {
  json out = EntryJson(m.entry);
  out["outcome"] = m.outcome;
  out["outcome_text"] = OutcomeText(m.outcome);
  out["local_item"] = m.local_item_id.empty() ? json(nullptr) : json(m.local_item_id);
  out["local_title"] = m.local_title;
  out["via"] = m.via;
  out["related"] = m.related;
  out["recorded"] = m.outcome == "recorded";
  return out;
}

json CredentialJson(const app::VerifiedCredential& v) {
  return {{"id", v.id},
          {"issuer", v.issuer},
          {"kid", v.kid},
          {"subject", v.subject_hr_id},
          {"subject_name", v.subject_name},
          {"valid_from", v.valid_from},
          {"valid_until", v.valid_until}};
}

// ---------- the person's page ----------

Response PersonPage(const Ctx& c, const Request& request, const app::Actor& actor,
                    std::int64_t person_id, json view, int status = 200) {
  auto who = c->passport.PersonOf(person_id);
  if (!who.ok()) return c->errors.ForError(request, who.error());
  auto entries = c->passport.Preview(actor, who->hr_id);
  if (!entries.ok()) return c->errors.ForError(request, entries.error());
  json rows = json::array();
  for (const auto& e : *entries) rows.push_back(EntryJson(e));
  const bool own = actor.person_id && *actor.person_id == person_id;
  view["person_id"] = person_id;
  view["own"] = own;
  view["hr_id"] = who->hr_id;
  view["department"] = who->department;
  view["entries"] = rows;
  view["has_entries"] = !rows.empty();
  view["count"] = rows.size();
  view["can_issue"] = c->passport.CanIssueFor(who->department);
  return Page(c, actor, "passport_person", own ? "Your skills passport" : "Skills passport", view,
              status);
}

// ---------- HR's import ----------

// The import form's page. Its hint shows the HR id of someone the actor may import for, or
// no example when there is nobody (a hint that fails to load is left out: it is not worth
// failing the form for).
Response ImportPage(const Ctx& c, const app::Actor& actor, json view, int status) {
  auto example = c->passport.ExampleHrId(actor);
  if (example.ok() && *example) view["hr_id_example"] = **example;
  return Page(c, actor, "passport_import", "Import a skills passport", view, status);
}

json ImportForm(const Form& form) {
  return {{"typed_hr_id", FormValue(form, "hr-id")},
          {"typed_credential", FormValue(form, "credential")}};
}

Response ImportRefused(const Ctx& c, const app::Actor& actor, const Form& form,
                       const Error& error) {
  json view = ImportForm(form);
  std::string field = error.field == "person" || error.field == "hr_id" ? "hr-id" : "credential";
  if (error.code == domain::ErrorCode::kNotFound) field = "hr-id";
  AddErrors(view, {Error::InvalidInput(field, error.message)});
  return ImportPage(c, actor, view, 422);
}

Response CheckPage(const Ctx& c, const app::Actor& actor, const std::string& hr_id,
                   const std::string& credential, const app::ImportCheck& check, json view,
                   int status = 200) {
  json rows = json::array();
  int recordable = 0;
  for (const auto& m : check.entries) {
    rows.push_back(MappedJson(m));
    if (m.outcome == "recorded") ++recordable;
  }
  view["credential"] = CredentialJson(check.credential);
  view["hr_id"] = hr_id;
  view["text"] = credential;
  view["entries"] = rows;
  view["recordable"] = recordable;
  view["unrecorded"] = static_cast<int>(check.entries.size()) - recordable;
  return Page(c, actor, "passport_check", "Check a skills passport", view, status);
}

void RegisterPages(Router& router, const Ctx& c) {
  router.Add("GET", "/people/{id}/passport", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return PersonPage(c, request, actor, *id, json::object());
  });
  router.SetAction("passport.export");

  router.Add("POST", "/people/{id}/passport", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    auto who = c->passport.PersonOf(*id);
    if (!who.ok()) return c->errors.ForError(request, who.error());
    auto text = c->passport.ExportForPerson(actor, who->hr_id, BaseUri(request));
    if (!text.ok()) {
      if (text.error().field == "key") {
        json view;
        AddErrors(view, {text.error()});
        return PersonPage(c, request, actor, *id, view, 422);
      }
      return c->errors.ForError(request, text.error());
    }
    Response response = Response::Text(200, *text + "\n", "application/vc+jwt");
    response.SetHeader(
        "Content-Disposition",
        fmt::format("attachment; filename=\"skills-passport-{}.jwt\"", UrlEncode(who->hr_id)));
    return response;
  });
  router.SetAction("passport.export");

  router.Add("GET", "/passports/import", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    // The form is for those who may import for some department; the use case checks the
    // person when it is sent.
    if (!actor.HasRole(domain::Role::kHrPartner) && !actor.HasRole(domain::Role::kAdministrator) &&
        !actor.HasRole(domain::Role::kSystem)) {
      return c->errors.ForStatus(request, 404);
    }
    return ImportPage(c, actor, json::object(), 200);
  });
  router.SetAction("passport.import");

  router.Add("POST", "/passports/import/check", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto checked = CheckedForm(c->identity, c->errors, request, actor, {"credential"});
    if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
    const Form& form = std::get<Form>(checked);
    const std::string hr_id = FormValue(form, "hr-id");
    const std::string credential = FormValue(form, "credential");
    auto missing = MissingFields(form, {{"hr-id", "Enter the person's HR id"},
                                        {"credential", "Paste the passport they sent you"}});
    if (!missing.empty()) {
      json view = ImportForm(form);
      AddErrors(view, missing);
      return ImportPage(c, actor, view, 422);
    }
    auto check = c->passport.Check(actor, hr_id, credential);
    if (!check.ok()) return ImportRefused(c, actor, form, check.error());
    return CheckPage(c, actor, hr_id, credential, *check, json::object());
  });
  router.SetAction("passport.import");
  router.SetMaxBody(kMaxBody);

  router.Add("POST", "/passports/import", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto checked = CheckedForm(c->identity, c->errors, request, actor, {"credential"});
    if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
    const Form& form = std::get<Form>(checked);
    const std::string hr_id = FormValue(form, "hr-id");
    const std::string credential = FormValue(form, "credential");
    const bool consent = FormValue(form, "consent") == "yes";
    auto imported = c->passport.Import(actor, hr_id, credential, consent);
    if (!imported.ok()) {
      if (imported.error().field == "consent") {
        auto check = c->passport.Check(actor, hr_id, credential);
        if (!check.ok()) return ImportRefused(c, actor, form, check.error());
        json view;
        AddErrors(view, {imported.error()});
        return CheckPage(c, actor, hr_id, credential, *check, view, 422);
      }
      return ImportRefused(c, actor, form, imported.error());
    }
    json rows = json::array();
    for (const auto& m : imported->entries) rows.push_back(MappedJson(m));
    json view{{"credential_id", imported->credential_id},
              {"hr_id", hr_id},
              {"recorded", imported->recorded},
              {"unrecorded", imported->unmapped.size()},
              {"entries", rows}};
    return Page(c, actor, "passport_imported", "Skills passport imported", view);
  });
  router.SetAction("passport.import");
  router.SetMaxBody(kMaxBody);
}

// ---------- API ----------

domain::Result<std::string> Text(const JsonField& body, const char* name, const char* message) {
  auto member = body.Member(name);
  if (!member) return Error::InvalidInput(name, message);
  return member->String(message);
}

void RegisterApi(Router& router, const Ctx& c) {
  router.Add("POST", "/api/v1/people/{id}/passport", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused =
            RefuseCrossOrigin(c->identity, actor, request, "POST /api/v1/people/{id}/passport")) {
      return std::move(*refused);
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "No such person");
    auto who = c->passport.PersonOf(*id);
    if (!who.ok()) return c->errors.ForError(request, who.error());
    auto text = c->passport.ExportForPerson(actor, who->hr_id, BaseUri(request));
    if (!text.ok()) return c->errors.ForError(request, text.error());
    return Response::Text(200, *text + "\n", "application/vc+jwt");
  });
  router.SetAction("passport.export");

  router.Add("POST", "/api/v1/passports/verify", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    auto read = ReadJsonBody(request, "the passport", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto credential = Text(body, "credential", "Send the credential (the compact JWS) as text");
    if (!credential.ok()) return c->errors.ForError(request, credential.error());
    auto hr_id = body.Member("hr_id");
    if (!hr_id) {
      auto verified = c->passport.Verify(*credential);
      if (!verified.ok()) return c->errors.ForError(request, verified.error());
      json entries = json::array();
      for (const auto& e : verified->entries) entries.push_back(EntryJson(e));
      json out = CredentialJson(*verified);
      out["entries"] = entries;
      return JsonResponse(200, out);
    }
    auto hr = hr_id->String("Send the person's HR id as text");
    if (!hr.ok()) return c->errors.ForError(request, hr.error());
    auto check = c->passport.Check(actor, *hr, *credential);
    if (!check.ok()) return c->errors.ForError(request, check.error());
    json entries = json::array();
    for (const auto& m : check->entries) entries.push_back(MappedJson(m));
    json out = CredentialJson(check->credential);
    out["entries"] = entries;
    return JsonResponse(200, out);
  });
  router.SetAction("passport.import");
  router.SetMaxBody(kMaxBody);

  router.Add("POST", "/api/v1/passports/imports", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused =
            RefuseCrossOrigin(c->identity, actor, request, "POST /api/v1/passports/imports")) {
      return std::move(*refused);
    }
    auto read = ReadJsonBody(request, "the import", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto credential = Text(body, "credential", "Send the credential (the compact JWS) as text");
    if (!credential.ok()) return c->errors.ForError(request, credential.error());
    auto hr_id = Text(body, "hr_id", "Send the person's HR id as text");
    if (!hr_id.ok()) return c->errors.ForError(request, hr_id.error());
    bool consent = false;
    if (auto member = body.Member("consent")) {
      if (!member->value().is_boolean()) {
        return ProblemResponse(422, "invalid-input", "Send consent as true or false", "consent");
      }
      consent = member->value().get<bool>();
    }
    auto imported = c->passport.Import(actor, *hr_id, *credential, consent);
    if (!imported.ok()) return c->errors.ForError(request, imported.error());
    json entries = json::array();
    for (const auto& m : imported->entries) entries.push_back(MappedJson(m));
    return JsonResponse(201, {{"credential", imported->credential_id},
                              {"recorded", imported->recorded},
                              {"unmapped", imported->unmapped},
                              {"entries", entries}});
  });
  router.SetAction("passport.import");
  router.SetMaxBody(kMaxBody);
}

}  // namespace

void RegisterPassportRoutes(Router& router, const PassportRoutesContext& context) {
  auto c = std::make_shared<const PassportRoutesContext>(context);
  RegisterPages(router, c);
  RegisterApi(router, c);
}

}  // namespace pathway::web
