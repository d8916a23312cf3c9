// Page rendering with the one layout (skip link, header, service navigation, phase
// banner, footer).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace pathway::web {

class TemplateSet;

// What the layout shows about the person signed in: their name, the navigation their
// roles open, and the sign-out form (which needs the session's CSRF token).
struct PageChrome {
  bool signed_in = false;
  std::string user_name;
  std::string csrf_token;
  bool administrator = false;
  std::string current;  // the navigation item to mark as current: "account", "users", "audit"
};

// Renders `page` with `view`, then wraps it in `layout` with the title
// ("<title> - Pathway", prefixed "Error: " when `has_errors`).
std::string RenderPage(const TemplateSet& templates, const std::string& asset_base,
                       const std::string& page, const std::string& title,
                       const nlohmann::json& view, bool has_errors = false,
                       const PageChrome& chrome = {});

}  // namespace pathway::web
