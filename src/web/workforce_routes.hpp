// Routes for the workforce: professions (each profession's one page: its career
// framework as a ladder of roles and levels, how roles connect, its community and
// induction), people (a filterable, sortable, paginated list and a person's profile),
// a line manager's team, departments and their overviews, posts, and the matching JSON
// API under /api/v1. Every list downloads as CSV (`?format=csv`, or `Accept: text/csv` on
// the API). Every route names its policy action; app::WorkforceService enforces it.
#pragma once

#include <string>
#include <string_view>

#include "app/identity.hpp"
#include "app/workforce.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct WorkforceRoutesContext {
  app::IdentityService& identity;  // sessions
  app::WorkforceService& workforce;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

void RegisterWorkforceRoutes(Router& router, const WorkforceRoutesContext& context);

}  // namespace pathway::web
