// Routes for vetting: the clearance report of a department with its CSV download
// (/vetting/clearances/{code}), the vetting start page listing cases with the forms that
// open a case or refer a concern (/vetting), a case's page with its stages, decision,
// notes read with a stated reason, and exports of its notes approved by a second vetting
// officer (/vetting/cases/{id}), and the matching JSON API under /api/v1/clearances and
// /api/v1/vetting. Every route names its policy action; app::VettingService enforces it,
// answering 404 for a case outside the actor's need to know.
#pragma once

#include <string>

#include "app/identity.hpp"
#include "app/vetting.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct VettingRoutesContext {
  app::IdentityService& identity;  // sessions
  app::VettingService& vetting;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

void RegisterVettingRoutes(Router& router, const VettingRoutesContext& context);

// The clearance report as CSV (docs/formats/clearance-report-csv.md): one row per person
// on it, in the report's order.
std::string ClearanceReportCsv(const domain::ClearanceReport& report);

}  // namespace pathway::web
