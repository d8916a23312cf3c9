// Page rendering with the one layout (skip link, header, service navigation, phase
// banner, footer).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "app/policy.hpp"

namespace pathway::web {

class TemplateSet;

// What the layout shows about the person signed in: their name, the navigation their
// roles open, and the sign-out form (which needs the session's CSRF token).
struct PageChrome {
  bool signed_in = false;
  std::string user_name;
  std::string csrf_token;
  bool administrator = false;
  // The navigation item to mark as current: "frameworks", "account", "users", "audit".
  std::string current;
};

// The chrome for a page seen by `actor`: their name, sign-out form and navigation.
PageChrome ChromeFor(const app::Actor& actor, std::string current = {});

// Renders `page` with `view`, then wraps it in `layout` with the title
// ("<title> - Pathway", prefixed "Error: " when `has_errors`).
std::string RenderPage(const TemplateSet& templates, const std::string& asset_base,
                       const std::string& page, const std::string& title,
                       const nlohmann::json& view, bool has_errors = false,
                       const PageChrome& chrome = {});

}  // namespace pathway::web
