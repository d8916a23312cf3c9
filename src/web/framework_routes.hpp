// Routes for frameworks: the list, a version of a framework (tailored to a grade and a
// post's security clearance, or ready to print), what changed between two versions,
// full-text search, the author's publish / retire / new-draft forms, and the frameworks
// API. Every route names its policy action; app::FrameworkService enforces it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "app/crosswalks.hpp"
#include "app/frameworks.hpp"
#include "app/identity.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"
#include "web/templates.hpp"

namespace pathway::web {

struct FrameworkRoutesContext {
  app::IdentityService& identity;
  app::FrameworkService& frameworks;
  app::CrosswalkService& crosswalks;
  const TemplateSet& templates;
  std::string asset_base;
  const ErrorPages& errors;
};

void RegisterFrameworkRoutes(Router& router, const FrameworkRoutesContext& context);

// The HTML of a search hit's text (domain::SearchHit::highlighted): the text escaped,
// each match (between \x01 and \x02) in <mark>, cut to about `max_bytes` bytes around
// the first match with an ellipsis where text was left out. Cuts fall between UTF-8
// characters, preferably at spaces, and never leave a <mark> open. The result is safe
// to insert unescaped ({{{ }}}) whatever the text holds.
std::string SearchSnippetHtml(std::string_view highlighted, std::size_t max_bytes = 240);

}  // namespace pathway::web
