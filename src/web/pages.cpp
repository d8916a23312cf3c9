#include "web/pages.hpp"

#include <nlohmann/json.hpp>

#include "web/templates.hpp"

namespace pathway::web {

PageChrome ChromeFor(const app::Actor& actor, std::string current) {
  PageChrome chrome;
  chrome.signed_in = actor.signed_in() && !actor.session_id_hash.empty();
  chrome.user_name = actor.display_name;
  chrome.csrf_token = actor.csrf_token;
  chrome.administrator = actor.HasRole(domain::Role::kAdministrator);
  chrome.current = std::move(current);
  return chrome;
}

std::string RenderPage(const TemplateSet& templates, const std::string& asset_base,
                       const std::string& page, const std::string& title,
                       const nlohmann::json& view, bool has_errors, const PageChrome& chrome) {
  nlohmann::json page_view = view;
  page_view["asset_base"] = asset_base;
  page_view["csrf_token"] = chrome.csrf_token;
  const std::string content = templates.Render(page, page_view);
  nlohmann::json nav = nlohmann::json::array();
  auto add = [&](const char* key, const char* href, const char* text) {
    nav.push_back({{"href", href}, {"text", text}, {"current", chrome.current == key}});
  };
  if (chrome.signed_in) {
    add("frameworks", "/frameworks", "Frameworks");
    add("account", "/account", "Your account");
    if (chrome.administrator) {
      add("users", "/admin/users", "Users");
      add("audit", "/admin/audit", "Audit trail");
    }
  } else {
    add("sign-in", "/sign-in", "Sign in");
  }
  nlohmann::json layout{
      {"page_title", (has_errors ? "Error: " : "") + title + " - Pathway"},
      {"asset_base", asset_base},
      {"content", content},
      {"nav", nav},
      {"signed_in", chrome.signed_in},
      {"user_name", chrome.user_name},
      {"csrf_token", chrome.csrf_token},
  };
  return templates.Render("layout", layout);
}

}  // namespace pathway::web
