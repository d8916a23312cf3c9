// The CASE 1.1 read API under /ims/case/v1p1/, serving the newest published version of
// every framework, so that CASE consumers can read Pathway directly. GET only. Errors
// are imsx_StatusInfo documents.
#pragma once

#include "app/crosswalks.hpp"
#include "app/frameworks.hpp"
#include "app/identity.hpp"
#include "web/router.hpp"

namespace pathway::web {

struct CaseRoutesContext {
  app::IdentityService& identity;
  app::FrameworkService& frameworks;
  app::CrosswalkService& crosswalks;
};

void RegisterCaseRoutes(Router& router, const CaseRoutesContext& context);

}  // namespace pathway::web
