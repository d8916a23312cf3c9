// Routes for signing in and out, the account pages, user administration, the audit
// trail and the identity API. Every route with an object names its policy action.
#pragma once

#include <string>

#include "app/identity.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct IdentityRoutesContext {
  app::IdentityService& identity;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

void RegisterIdentityRoutes(Router& router, const IdentityRoutesContext& context);

}  // namespace pathway::web
