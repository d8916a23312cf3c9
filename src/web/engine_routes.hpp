// Routes for the workforce engine: talent matching (/talent/match, POST /api/v1/match),
// capability maps (/capability, POST /api/v1/capability-map) and a person's career
// pathways (/people/{id}/pathways and GET /api/v1/people/{id}/routes, /closest-roles,
// /reachable-vacancies). Pages are GET forms, so results can be bookmarked and
// downloaded as CSV (`?format=csv`). Handlers run on the worker pool like every blocking
// route, so the server keeps answering other requests while a query runs. Bad input is
// a GOV.UK error summary on pages and a 400 problem document naming the field on the API.
#pragma once

#include <string>

#include "app/identity.hpp"
#include "app/workforce_engine.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct EngineRoutesContext {
  app::IdentityService& identity;  // sessions
  app::EngineService& engine;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

// Registers the engine's pages and API over `context.engine`.
void RegisterEngineRoutes(Router& router, const EngineRoutesContext& context);

}  // namespace pathway::web
