// The workforce upload page, GET and POST /admin/import: an administrator chooses the
// kind of HR export (org, roles, posts or people) and uploads it; the page shows how
// many records were inserted and updated, or every problem in the file in the GOV.UK
// error summary. Action `workforce.import`; app::WorkforceImportService enforces it.
#pragma once

#include <string>

#include "app/identity.hpp"
#include "app/workforce_import.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct WorkforceImportRoutesContext {
  app::IdentityService& identity;  // sessions
  app::WorkforceImportService& workforce_import;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

void RegisterWorkforceImportRoutes(Router& router, const WorkforceImportRoutesContext& context);

// The largest file the page accepts: enough for 500,000 people.
inline constexpr std::size_t kMaxWorkforceUpload = 128 * 1024 * 1024;

}  // namespace pathway::web
