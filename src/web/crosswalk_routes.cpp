#include "web/crosswalk_routes.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/crosswalk.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"

namespace pathway::web {
namespace {

using domain::Error;
using nlohmann::json;

using Ctx = std::shared_ptr<const CrosswalkRoutesContext>;

constexpr domain::CrosswalkKind kKinds[] = {
    domain::CrosswalkKind::kSame, domain::CrosswalkKind::kBroader, domain::CrosswalkKind::kNarrower,
    domain::CrosswalkKind::kRelated};

json CrosswalkJson(const app::Crosswalk& x) {
  return {{"id", x.id},
          {"item", x.item_id},
          {"item_title", x.item_title},
          {"kind", domain::CrosswalkKindName(x.kind)},
          {"phrase", domain::CrosswalkKindPhrase(x.kind)},
          {"case_type", domain::CrosswalkCaseType(x.kind)},
          {"target_framework", x.target_framework_id},
          {"target_framework_title", x.target_framework_title},
          {"target_item", x.target_item_id},
          {"target_item_title", x.target_item_title},
          {"notes", x.notes},
          {"created_at", x.created_at}};
}

json ItemsOf(const domain::Framework& framework, const std::string& selected) {
  json items = json::array();
  for (const auto& cluster : framework.clusters) {
    for (const auto& item : cluster.items) {
      items.push_back({{"id", item.id},
                       {"title", item.title},
                       {"cluster", cluster.title},
                       {"selected", item.id == selected}});
    }
  }
  return items;
}

Response Page(const Ctx& c, const Request& request, const app::Actor& actor,
              const std::string& framework_id, const Form& typed, json view, int status = 200) {
  auto framework = c->frameworks.Get(actor, framework_id);
  if (!framework.ok()) return c->errors.ForError(request, framework.error());
  auto list = c->crosswalks.List(actor, framework_id);
  if (!list.ok()) return c->errors.ForError(request, list.error());
  const bool author = MayAuthorFramework(c->identity, actor, framework_id);
  json rows = json::array();
  for (const auto& x : *list) {
    json row = CrosswalkJson(x);
    row["author"] = author;
    rows.push_back(std::move(row));
  }
  view["framework_id"] = framework_id;
  view["framework_title"] = framework->title;
  view["crosswalks"] = rows;
  view["has_crosswalks"] = !rows.empty();
  view["count"] = rows.size();
  view["author"] = author;
  view["csrf_token"] = actor.csrf_token;
  if (author) {
    const std::string target_framework =
        !FormValue(typed, "target-framework").empty()
            ? FormValue(typed, "target-framework")
            : std::string(request.QueryParam("target_framework").value_or(""));
    view["items"] = ItemsOf(*framework, FormValue(typed, "item"));
    json kinds = json::array();
    for (auto kind : kKinds) {
      const std::string name(domain::CrosswalkKindName(kind));
      kinds.push_back({{"value", name},
                       {"text", domain::CrosswalkKindPhrase(kind)},
                       {"checked", FormValue(typed, "kind") == name}});
    }
    view["kinds"] = kinds;
    view["typed_notes"] = FormValue(typed, "notes");
    json frameworks = json::array();
    auto summaries = c->frameworks.List(actor);
    if (summaries.ok()) {
      for (const auto& s : *summaries) {
        if (!s.published_version) continue;
        frameworks.push_back(
            {{"id", s.id}, {"title", s.title}, {"selected", s.id == target_framework}});
      }
    }
    view["target_frameworks"] = frameworks;
    if (!target_framework.empty()) {
      auto target = c->frameworks.Get(actor, target_framework);
      if (target.ok() && target->status == domain::FrameworkStatus::kPublished) {
        view["target_chosen"] = true;
        view["target_framework_id"] = target->id;
        view["target_framework_title"] = target->title;
        view["target_items"] = ItemsOf(*target, FormValue(typed, "target"));
      } else if (!view.contains("has_errors")) {
        AddErrors(view, {Error::InvalidInput("target-framework",
                                             "Choose one of the published frameworks listed")});
        status = 422;
      }
    }
  }
  const bool has_errors = view.value("has_errors", false);
  return Response::Html(status, RenderPage(c->templates, c->asset_base, "framework_crosswalks",
                                           "Crosswalks of " + framework->title, view, has_errors,
                                           ChromeFor(actor, "frameworks")));
}

void RegisterPages(Router& router, const Ctx& c) {
  router.Add("GET", "/frameworks/{id}/crosswalks", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    json view = json::object();
    if (request.QueryParam("added")) view["notice"] = "The crosswalk was added";
    if (request.QueryParam("removed")) view["notice"] = "The crosswalk was removed";
    return Page(c, request, actor, request.path_params.at("id"), Form{}, view);
  });
  router.SetAction("framework.read");

  router.Add("POST", "/frameworks/{id}/crosswalks", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto checked = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
    const Form& form = std::get<Form>(checked);
    const std::string& id = request.path_params.at("id");
    auto added = c->crosswalks.Add(actor, id,
                                   {FormValue(form, "item"), FormValue(form, "kind"),
                                    FormValue(form, "target"), FormValue(form, "notes")});
    if (!added.ok()) {
      if (added.error().code == domain::ErrorCode::kNotFound ||
          added.error().code == domain::ErrorCode::kForbidden) {
        return c->errors.ForError(request, added.error());
      }
      json view = json::object();
      AddErrors(view, {added.error()});
      return Page(c, request, actor, id, form, view, 422);
    }
    return Redirect(fmt::format("/frameworks/{}/crosswalks?added=1", id));
  });
  router.SetAction("framework.edit");

  router.Add("POST", "/frameworks/{id}/crosswalks/{crosswalk}/remove", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto checked = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&checked)) return std::move(*refused);
    const std::string& id = request.path_params.at("id");
    if (!Confirmed(std::get<Form>(checked))) {
      // Removing asks first; someone who may not edit the framework learns nothing.
      app::Subject subject;
      subject.framework_id = id;
      if (auto allowed = c->identity.Check(actor, "framework.edit", subject); !allowed.ok()) {
        return c->errors.ForError(request, allowed.error());
      }
      const Confirmation confirmation{
          "Remove this crosswalk?",
          "Levels confirmed in one of its items no longer count in the other, and the link "
          "leaves this framework's CASE package.",
          "Remove crosswalk", fmt::format("/frameworks/{}/crosswalks", id)};
      const bool has_errors = false;
      return Response::Html(
          200, RenderPage(c->templates, c->asset_base, "confirm", confirmation.question,
                          ConfirmationView(request, actor, confirmation), has_errors,
                          ChromeFor(actor, "frameworks")));
    }
    auto removed = c->crosswalks.Remove(actor, id, request.path_params.at("crosswalk"));
    if (!removed.ok()) return c->errors.ForError(request, removed.error());
    return Redirect(fmt::format("/frameworks/{}/crosswalks?removed=1", id));
  });
  router.SetAction("framework.edit");
}

void RegisterApi(Router& router, const Ctx& c) {
  router.Add("GET", "/api/v1/frameworks/{id}/crosswalks", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    auto list = c->crosswalks.List(actor, request.path_params.at("id"));
    if (!list.ok()) return c->errors.ForError(request, list.error());
    json rows = json::array();
    for (const auto& x : *list) rows.push_back(CrosswalkJson(x));
    return JsonResponse(200, {{"crosswalks", rows}});
  });
  router.SetAction("framework.read");

  router.Add("POST", "/api/v1/frameworks/{id}/crosswalks", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/frameworks/{id}/crosswalks")) {
      return std::move(*refused);
    }
    auto read = ReadJsonBody(request, "the crosswalk", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    app::NewCrosswalk input;
    const std::pair<const char*, std::string*> fields[] = {{"item", &input.item_id},
                                                           {"kind", &input.kind},
                                                           {"target", &input.target_item_id},
                                                           {"notes", &input.notes}};
    for (const auto& [name, out] : fields) {
      if (auto member = body.Member(name)) {
        auto text = member->String(fmt::format("Send {} as text", name));
        if (!text.ok()) return c->errors.ForError(request, text.error());
        *out = *text;
      }
    }
    auto added = c->crosswalks.Add(actor, request.path_params.at("id"), input);
    if (!added.ok()) return c->errors.ForError(request, added.error());
    Response response = JsonResponse(201, CrosswalkJson(*added));
    response.SetHeader("Location", fmt::format("/api/v1/frameworks/{}/crosswalks/{}",
                                               request.path_params.at("id"), added->id));
    return response;
  });
  router.SetAction("framework.edit");

  router.Add("DELETE", "/api/v1/frameworks/{id}/crosswalks/{crosswalk}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "DELETE /api/v1/frameworks/{id}/crosswalks/{x}")) {
      return std::move(*refused);
    }
    auto removed = c->crosswalks.Remove(actor, request.path_params.at("id"),
                                        request.path_params.at("crosswalk"));
    if (!removed.ok()) return c->errors.ForError(request, removed.error());
    return Response::Text(204, "", "text/plain");
  });
  router.SetAction("framework.edit");
}

}  // namespace

void RegisterCrosswalkRoutes(Router& router, const CrosswalkRoutesContext& context) {
  auto c = std::make_shared<const CrosswalkRoutesContext>(context);
  RegisterPages(router, c);
  RegisterApi(router, c);
}

}  // namespace pathway::web
