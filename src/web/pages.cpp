#include "web/pages.hpp"

#include <nlohmann/json.hpp>

#include "web/templates.hpp"

namespace pathway::web {

std::string RenderPage(const TemplateSet& templates, const std::string& asset_base,
                       const std::string& page, const std::string& title,
                       const nlohmann::json& view, bool has_errors) {
  nlohmann::json page_view = view;
  page_view["asset_base"] = asset_base;
  const std::string content = templates.Render(page, page_view);
  nlohmann::json layout{
      {"page_title", (has_errors ? "Error: " : "") + title + " - Pathway"},
      {"asset_base", asset_base},
      {"content", content},
  };
  return templates.Render("layout", layout);
}

}  // namespace pathway::web
