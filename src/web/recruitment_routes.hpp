// Routes for recruitment: open vacancies and the form to create one (/vacancies), a
// vacancy's advert with its Success Profile and the application form (/vacancies/{id}),
// its merit list with offers (/vacancies/{id}/merit-list), an application with the panel's
// scoring form (/applications/{id}), an induction plan (/inductions/{id}), and the JSON API
// under /api/v1. app::RecruitmentService enforces who may do what.
#pragma once

#include <string>

#include "app/identity.hpp"
#include "app/recruitment.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct RecruitmentRoutesContext {
  app::IdentityService& identity;
  app::RecruitmentService& recruitment;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

void RegisterRecruitmentRoutes(Router& router, const RecruitmentRoutesContext& context);

}  // namespace pathway::web
