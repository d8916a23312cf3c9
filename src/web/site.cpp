#include "web/site.hpp"

#include <nlohmann/json.hpp>

#include "web/assessment_routes.hpp"
#include "web/auth.hpp"
#include "web/case_routes.hpp"
#include "web/engine_routes.hpp"
#include "web/framework_authoring_routes.hpp"
#include "web/framework_routes.hpp"
#include "web/identity_routes.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"
#include "web/workforce_import_routes.hpp"
#include "web/workforce_routes.hpp"

namespace pathway::web {

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
        const PageChrome chrome = ChromeFor(actor);
        return Response::Html(200, RenderPage(ctx->templates, ctx->assets.VersionedBase(), "start",
                                              "Competency and career frameworks",
                                              nlohmann::json::object(), false, chrome));
      },
      Execution::kWorker, [](const Request& request) { return !request.Cookie(kSessionCookie); });

  const app::Services& services = site.services;
  RegisterIdentityRoutes(
      router, {services.identity, site.templates, site.assets.VersionedBase(), site.errors});
  // Before the framework routes, whose GET /frameworks/{id} would take "new" for an id.
  RegisterFrameworkAuthoringRoutes(router, {services.identity, services.frameworks, site.templates,
                                            site.assets.VersionedBase(), site.errors});
  RegisterFrameworkRoutes(router, {services.identity, services.frameworks, site.templates,
                                   site.assets.VersionedBase(), site.errors});
  RegisterWorkforceRoutes(router, {services.identity, services.workforce, site.templates,
                                   site.assets.VersionedBase(), site.errors});
  RegisterWorkforceImportRoutes(router, {services.identity, services.workforce_import,
                                         site.templates, site.assets.VersionedBase(), site.errors});
  RegisterEngineRoutes(router, {services.identity, services.engine, site.templates,
                                site.assets.VersionedBase(), site.errors});
  RegisterAssessmentRoutes(router, {services.identity, services.assessments, site.templates,
                                    site.assets.VersionedBase(), site.errors});

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
      [ctx](Request&) {
        return Response::Text(200, ctx->metrics.Render(), "text/plain; version=0.0.4");
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

  RegisterCaseRoutes(router, {services.identity, services.frameworks});
}

}  // namespace pathway::web
