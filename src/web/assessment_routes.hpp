// Routes for assessments in use: a person's current levels and why
// (/people/{id}/assessments), self-assessment drafts, submission and a line manager's
// confirmation (/self-assessments/{id}), the manager's to-do list
// (/assessments/to-confirm), the gap to a role level with a chart and a CSV download
// (/people/{id}/gap), development plans (/people/{id}/development, /team/development),
// the learning catalogue (/learning), and the matching JSON API under /api/v1. Every
// route names its policy action; app::AssessmentService enforces it.
#pragma once

#include <string>

#include "app/assessments.hpp"
#include "app/identity.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct AssessmentRoutesContext {
  app::IdentityService& identity;  // sessions
  app::AssessmentService& assessments;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

void RegisterAssessmentRoutes(Router& router, const AssessmentRoutesContext& context);

// The gap as an accessible SVG bar chart: for each requirement, the level needed and the
// level held, with a title and description; the same numbers are in the page's table.
std::string GapChartSvg(const domain::Gap& gap);

}  // namespace pathway::web
