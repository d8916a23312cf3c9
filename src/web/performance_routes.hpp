// Routes for the performance year: the hub (/performance: one's own year, the team's
// progress, HR's years and the form to open one), a year's completion by unit
// (/performance/years/{id}), its moderation with a chart and a CSV download
// (/performance/years/{id}/moderation), a person's record for the year with objectives,
// competencies, reviews and sign-off (/performance/records/{id}), and the matching JSON
// API under /api/v1. Every route names its policy action; app::PerformanceService
// enforces it.
#pragma once

#include <string>

#include "app/identity.hpp"
#include "app/performance.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct PerformanceRoutesContext {
  app::IdentityService& identity;  // sessions
  app::PerformanceService& performance;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

void RegisterPerformanceRoutes(Router& router, const PerformanceRoutesContext& context);

// The distribution of end-year ratings as an accessible SVG chart: one bar per scale
// point with its share of the department's rated records; the page's table has the same
// numbers.
std::string ModerationChartSvg(const domain::Moderation& moderation);

}  // namespace pathway::web
