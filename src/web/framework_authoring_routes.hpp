// Routes for writing frameworks: the create-a-framework page and the draft editor,
// whose small forms add, change, move and delete clusters, items (competencies,
// behaviours, strengths or skills), level descriptors and indicators. Every route names
// its policy action (framework.create or framework.edit); app::FrameworkService and
// app::IdentityService enforce it, so a person who may not edit a framework gets 404.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "app/frameworks.hpp"
#include "app/identity.hpp"
#include "domain/text.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct FrameworkAuthoringRoutesContext {
  app::IdentityService& identity;
  app::FrameworkService& frameworks;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

// Registers GET and POST /frameworks/new and the editor's routes under
// /frameworks/{id}/versions/{version}/. Register before GET /frameworks/{id}, which
// would otherwise take "new" for a framework id.
void RegisterFrameworkAuthoringRoutes(Router& router,
                                      const FrameworkAuthoringRoutesContext& context);

// The longest texts the editor accepts, in characters (not bytes).
inline constexpr std::size_t kMaxAuthoredTitle = domain::kMaxNameLength;
inline constexpr std::size_t kMaxIndicatorText = domain::kMaxStatementLength;
inline constexpr std::size_t kMaxAuthoredDescription = domain::kMaxDescriptionLength;

// The tags of an indicator from the editor's form: the "security" checkbox, then the
// comma-separated `others`, each trimmed and lower-cased (ASCII), empty ones dropped,
// repeats kept once, "security" always first. Does not check what the tags contain.
std::vector<std::string> IndicatorTags(bool security, std::string_view others);

// Number of characters in `text` (domain/text.hpp).
using domain::CharacterCount;

}  // namespace pathway::web
