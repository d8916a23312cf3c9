// Routes for the skills passport: a person's page showing what their passport holds and
// downloading it signed (/people/{id}/passport), and HR's import in two steps, check then
// record with the person's consent (/passports/import), with the JSON API under
// /api/v1/people/{id}/passport and /api/v1/passports. app::PassportService authorises
// every call (passport.export, passport.import); a person outside the actor's scope is
// not found.
#pragma once

#include <string>

#include "app/identity.hpp"
#include "app/passport.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct PassportRoutesContext {
  app::IdentityService& identity;
  app::PassportService& passport;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

void RegisterPassportRoutes(Router& router, const PassportRoutesContext& context);

}  // namespace pathway::web
