// Page rendering with the one layout (skip link, header, service navigation, phase
// banner, footer).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace pathway::web {

class TemplateSet;

// Renders `page` with `view`, then wraps it in `layout` with the title
// ("<title> - Pathway", prefixed "Error: " when `has_errors`).
std::string RenderPage(const TemplateSet& templates, const std::string& asset_base,
                       const std::string& page, const std::string& title,
                       const nlohmann::json& view, bool has_errors = false);

}  // namespace pathway::web
