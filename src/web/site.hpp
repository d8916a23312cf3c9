// Pathway's routes: pages, the JSON API, operations endpoints and assets.
#pragma once

#include <string>

#include "app/services.hpp"
#include "web/assets.hpp"
#include "web/errors.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

// Everything the routes need; owned by the caller and outliving the server.
struct SiteContext {
  app::Services services;  // built once by the composition root (cli/compose.cpp)
  const TemplateSet& templates;
  const AssetStore& assets;
  const ErrorPages& errors;
  Metrics& metrics;
  std::string openapi_json;  // the OpenAPI document served at /api/v1/openapi.json
  // The bearer token /metrics asks for; empty: /metrics answers 404, so that nobody
  // reads the service's internals without being given the token.
  std::string metrics_token;
};

void RegisterRoutes(Router& router, const SiteContext& site);

}  // namespace pathway::web
