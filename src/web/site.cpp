#include "web/site.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <nlohmann/json.hpp>

#include "web/assessment_routes.hpp"
#include "web/auth.hpp"
#include "web/case_routes.hpp"
#include "web/crosswalk_routes.hpp"
#include "web/engine_routes.hpp"
#include "web/forms.hpp"
#include "web/framework_authoring_routes.hpp"
#include "web/framework_routes.hpp"
#include "web/identity_routes.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"
#include "web/passport_routes.hpp"
#include "web/performance_routes.hpp"
#include "web/recruitment_routes.hpp"
#include "web/vetting_routes.hpp"
#include "web/workforce_import_routes.hpp"
#include "web/workforce_routes.hpp"

namespace pathway::web {

namespace {

// A framework's page tailored to the reader's grade and, for a post needing SC or DV
// clearance, with the security behaviours first.
std::string FrameworkHref(const std::string& id, const std::string& grade,
                          const std::string& clearance) {
  std::string query;
  if (!grade.empty()) query += "grade=" + grade;
  if (!clearance.empty()) query += std::string(query.empty() ? "" : "&") + "clearance=" + clearance;
  return "/frameworks/" + id + (query.empty() ? "" : "?" + query);
}

// A signed-in person's start page: their job, what waits for them in each role they
// hold, and the behaviour and competency frameworks at their grade.
nlohmann::json HomeView(const app::Services& services, const app::Actor& actor) {
  nlohmann::json view{{"name", actor.display_name}, {"has_record", false}};
  std::string grade;
  std::string clearance;  // the post's, when it needs SC or DV: security behaviours first
  if (actor.person_id) {
    auto profile = services.workforce.GetPerson(actor, *actor.person_id);
    if (profile.ok()) {
      const auto& d = profile->detail;
      grade = d.person.grade;
      view["has_record"] = true;
      view["person_id"] = *actor.person_id;
      view["grade"] = grade;
      view["department"] =
          d.person.department_name.empty() ? d.person.department : d.person.department_name;
      view["role"] = d.post_role_level_title;
      if (d.post_clearance == "SC" || d.post_clearance == "DV") {
        clearance = d.post_clearance;
        view["vetted_post"] = clearance;
      }
    }
  }
  int count = 0;
  if (auto tasks = services.assessments.Tasks(actor); tasks.ok() && *tasks) {
    const auto& t = **tasks;
    view["to_confirm"] = t.to_confirm;
    view["team_overdue"] = t.team_overdue_actions;
    view["drafts"] = t.drafts;
    view["overdue"] = t.overdue_actions;
    view["awaiting"] = t.awaiting_confirmation;
    count = t.to_confirm + t.team_overdue_actions + t.drafts + t.overdue_actions +
            t.awaiting_confirmation;
  }
  if (auto own = services.performance.OwnLatestRecord(actor); own.ok() && *own) {
    view["performance_record"] = **own;
  }
  nlohmann::json notices = nlohmann::json::array();
  if (auto list = services.performance.Notices(actor, 5); list.ok()) {
    for (const auto& n : *list) {
      notices.push_back({{"subject", n.subject},
                         {"body", n.body},
                         {"link", LocalRedirectTarget(n.link, "/")},
                         {"on", n.created_at.substr(0, 10)}});
    }
  }
  view["notices"] = notices;
  view["has_notices"] = !notices.empty();
  view["has_tasks"] = count > 0;
  nlohmann::json frameworks = nlohmann::json::array();
  if (auto list = services.frameworks.List(actor); list.ok()) {
    for (const auto& f : *list) {
      if (!f.published_version || (f.kind != "competency" && f.kind != "behaviours")) continue;
      frameworks.push_back({{"title", f.title}, {"href", FrameworkHref(f.id, grade, clearance)}});
    }
  }
  view["frameworks"] = frameworks;
  view["has_frameworks"] = !frameworks.empty();
  return view;
}

}  // namespace

void RegisterRoutes(Router& router, const SiteContext& site) {
  // SiteContext holds references; copy it into the handlers.
  const auto ctx = std::make_shared<const SiteContext>(site);

  // The start page is the same for everyone who is not signed in, so for them it is
  // rendered once and answered from memory on the I/O thread. With a session cookie
  // it is rendered with the person's name and navigation, on a worker.
  const auto start_page = std::make_shared<const std::string>(
      RenderPage(site.templates, site.assets.VersionedBase(), "start",
                 "Competency and career frameworks", nlohmann::json::object()));
  router.Add(
      "GET", "/",
      [ctx, start_page](Request& request) {
        if (!request.Cookie(kSessionCookie)) return Response::Html(200, *start_page);
        const app::Actor actor = ResolveActor(ctx->services.identity, request);
        if (!actor.signed_in()) return Response::Html(200, *start_page);
        return Response::Html(
            200, RenderPage(ctx->templates, ctx->assets.VersionedBase(), "home", "Your start page",
                            HomeView(ctx->services, actor), false, ChromeFor(actor, "home")));
      },
      Execution::kWorker, [](const Request& request) { return !request.Cookie(kSessionCookie); });

  const app::Services& services = site.services;
  // Large bodies (imports) are read only for an actor who holds the route's right.
  router.SetLargeBodyGate(
      [&identity = services.identity](const Request& request, const Route& route) {
        const app::Actor actor = ResolveActor(identity, request);
        return HoldsRight(identity.authorizer().policy(), actor, route.action);
      });
  RegisterIdentityRoutes(
      router, {services.identity, site.templates, site.assets.VersionedBase(), site.errors});
  // Before the framework routes, whose GET /frameworks/{id} would take "new" for an id.
  RegisterFrameworkAuthoringRoutes(router, {services.identity, services.frameworks, site.templates,
                                            site.assets.VersionedBase(), site.errors});
  RegisterFrameworkRoutes(router, {services.identity, services.frameworks, services.crosswalks,
                                   site.templates, site.assets.VersionedBase(), site.errors});
  RegisterWorkforceRoutes(router, {services.identity, services.workforce, site.templates,
                                   site.assets.VersionedBase(), site.errors});
  RegisterWorkforceImportRoutes(router, {services.identity, services.workforce_import,
                                         site.templates, site.assets.VersionedBase(), site.errors});
  RegisterEngineRoutes(router, {services.identity, services.engine, site.templates,
                                site.assets.VersionedBase(), site.errors});
  RegisterAssessmentRoutes(router, {services.identity, services.assessments, site.templates,
                                    site.assets.VersionedBase(), site.errors});
  RegisterPerformanceRoutes(router, {services.identity, services.performance, site.templates,
                                     site.assets.VersionedBase(), site.errors});
  RegisterRecruitmentRoutes(router, {services.identity, services.recruitment, site.templates,
                                     site.assets.VersionedBase(), site.errors});
  RegisterVettingRoutes(router, {services.identity, services.vetting, site.templates,
                                 site.assets.VersionedBase(), site.errors});
  RegisterPassportRoutes(router, {services.identity, services.passport, site.templates,
                                  site.assets.VersionedBase(), site.errors});
  RegisterCrosswalkRoutes(router, {services.identity, services.frameworks, services.crosswalks,
                                   site.templates, site.assets.VersionedBase(), site.errors});

  router.Add("GET", "/healthz", [ctx](Request&) {
    auto health = ctx->services.health.CheckHealth();
    if (!health.ok()) {
      return ProblemResponse(503, "unavailable", "The database did not answer.");
    }
    return JsonResponse(
        200, nlohmann::json{{"status", "ok"}, {"schema_version", health->schema_version}});
  });

  router.Add(
      "GET", "/metrics",
      [ctx](Request& request) {
        if (ctx->metrics_token.empty()) return ProblemResponse(404, "not-found", "");
        const std::string_view authorization = request.Header("authorization");
        const std::string expected = "Bearer " + ctx->metrics_token;
        if (authorization.size() != expected.size() ||
            sodium_memcmp(authorization.data(), expected.data(), expected.size()) != 0) {
          Response refused = ProblemResponse(401, "unauthenticated", "Send the metrics token.");
          refused.SetHeader("WWW-Authenticate", "Bearer realm=\"Pathway metrics\"");
          return refused;
        }
        std::string text = ctx->metrics.Render();
        // Refusals that are noise (unknown cookies, bad tokens, missing CSRF tokens), which
        // the audit trail records only in aggregate.
        text +=
            "# HELP pathway_noise_refusals_total Refused requests counted, not audited one by "
            "one.\n"
            "# TYPE pathway_noise_refusals_total counter\n";
        for (const auto& [key, count] : ctx->services.kernel.NoiseTotals()) {
          std::string reason = key.second;
          std::erase_if(reason, [](char c) { return c == '"' || c == '\\' || c == '\n'; });
          text += fmt::format("pathway_noise_refusals_total{{action=\"{}\",reason=\"{}\"}} {}\n",
                              key.first, reason, count);
        }
        return Response::Text(200, std::move(text), "text/plain; version=0.0.4");
      },
      Execution::kInline);

  router.Add("GET", "/api/v1", [](Request&) {
    nlohmann::json index{
        {"service", "Pathway"},
        {"version", PATHWAY_VERSION},
        {"links",
         {{"openapi", "/api/v1/openapi.json"}, {"health", "/healthz"}, {"metrics", "/metrics"}}},
    };
    return JsonResponse(200, index);
  });

  router.Add(
      "GET", "/api/v1/openapi.json",
      [ctx](Request&) {
        Response response = Response::Json(200, ctx->openapi_json);
        response.SetHeader("Cache-Control", "public, max-age=300");
        return response;
      },
      Execution::kInline);

  router.Add(
      "GET", "/assets/{path...}",
      [ctx](Request& request) {
        return ctx->assets.Serve(request.path_params.at("path"), request.Header("if-none-match"));
      },
      Execution::kInline);

  RegisterCaseRoutes(router, {services.identity, services.frameworks, services.crosswalks});
}

}  // namespace pathway::web
