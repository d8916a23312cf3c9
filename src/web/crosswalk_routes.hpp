// Routes for a framework's crosswalks: the page listing them, with the form authors use
// to add one (choose the other framework, then its item) and remove one
// (/frameworks/{id}/crosswalks), and the JSON API under /api/v1/frameworks/{id}/crosswalks.
// app::CrosswalkService authorises (framework.read to see, framework.edit to change).
#pragma once

#include <string>

#include "app/crosswalks.hpp"
#include "app/frameworks.hpp"
#include "app/identity.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct CrosswalkRoutesContext {
  app::IdentityService& identity;
  app::FrameworkService& frameworks;
  app::CrosswalkService& crosswalks;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

void RegisterCrosswalkRoutes(Router& router, const CrosswalkRoutesContext& context);

}  // namespace pathway::web
