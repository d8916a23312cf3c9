#include "web/pages.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

#include "web/templates.hpp"

namespace pathway::web {
namespace {

// Frees a view from its leaves up. json's own destructor moves every member of every
// object and array onto a heap stack first (to survive nesting thousands deep, which views
// never have); on a list page that was a tenth of the request's work. Anything nested
// deeper than kMaxDepth is left to json's destructor.
void Dismantle(nlohmann::json& value, int depth = 0) {
  constexpr int kMaxDepth = 32;
  if (depth > kMaxDepth) return;
  if (value.is_object()) {
    auto& members = value.get_ref<nlohmann::json::object_t&>();
    for (auto& member : members) Dismantle(member.second, depth + 1);
    members.clear();
  } else if (value.is_array()) {
    auto& items = value.get_ref<nlohmann::json::array_t&>();
    for (auto& item : items) Dismantle(item, depth + 1);
    items.clear();
  }
}

}  // namespace

PageChrome ChromeFor(const app::Actor& actor, std::string current) {
  PageChrome chrome;
  chrome.signed_in = actor.signed_in() && !actor.session_id_hash.empty();
  chrome.user_name = actor.display_name;
  chrome.csrf_token = actor.csrf_token;
  chrome.administrator = actor.HasRole(domain::Role::kAdministrator);
  chrome.line_manager = actor.HasRole(domain::Role::kLineManager);
  chrome.sees_departments = chrome.administrator || actor.HasRole(domain::Role::kHrPartner) ||
                            actor.HasRole(domain::Role::kVettingOfficer);
  chrome.sees_people = chrome.sees_departments || chrome.line_manager ||
                       actor.HasRole(domain::Role::kHeadOfProfession);
  chrome.sees_talent = chrome.administrator || actor.HasRole(domain::Role::kHrPartner) ||
                       actor.HasRole(domain::Role::kHeadOfProfession);
  chrome.sees_vetting = chrome.administrator || actor.HasRole(domain::Role::kVettingOfficer) ||
                        actor.HasRole(domain::Role::kHrPartner);
  if (actor.person_id) {
    chrome.pathways_href = "/people/" + std::to_string(*actor.person_id) + "/pathways";
    chrome.assessments_href = "/people/" + std::to_string(*actor.person_id) + "/assessments";
  }
  chrome.sees_passports = chrome.administrator || actor.HasRole(domain::Role::kHrPartner);
  chrome.imports_workforce = chrome.administrator || actor.HasRole(domain::Role::kHrPartner);
  chrome.performance = actor.person_id.has_value() || chrome.administrator ||
                       actor.HasRole(domain::Role::kHrPartner);
  chrome.current = std::move(current);
  return chrome;
}

std::string RenderPage(const TemplateSet& templates, const std::string& asset_base,
                       const std::string& page, const std::string& title, nlohmann::json view,
                       bool has_errors, const PageChrome& chrome, const nlohmann::json* base) {
  const auto started = std::chrono::steady_clock::now();
  view["asset_base"] = asset_base;
  view["csrf_token"] = chrome.csrf_token;
  std::string content = templates.Render(page, view, base);
  const bool role_level_picker = view.is_object() && view.value("role_level_picker", false);
  Dismantle(view);
  nlohmann::json nav = nlohmann::json::array();
  auto add = [&](const char* key, const char* href, const char* text) {
    nav.push_back({{"href", href}, {"text", text}, {"current", chrome.current == key}});
  };
  if (chrome.signed_in) {
    add("home", "/", "Home");
    add("frameworks", "/frameworks", "Frameworks");
    add("professions", "/professions", "Professions");
    if (chrome.line_manager) add("team", "/team", "Your team");
    if (chrome.sees_people) add("people", "/people", "People");
    if (chrome.sees_departments) add("departments", "/departments", "Departments");
    if (chrome.sees_talent) {
      add("talent", "/talent/match", "Talent match");
      add("capability", "/capability", "Capability");
    }
    if (chrome.sees_vetting) add("vetting", "/vetting", "Vetting");
    if (chrome.sees_passports) add("passports", "/passports/import", "Passports");
    if (!chrome.assessments_href.empty()) {
      add("assessments", chrome.assessments_href.c_str(), "Your assessments");
    }
    if (chrome.line_manager) add("team-assessments", "/assessments/to-confirm", "Team assessments");
    if (chrome.performance) add("performance", "/performance", "Performance year");
    add("vacancies", "/vacancies", "Vacancies");
    if (!chrome.pathways_href.empty()) add("pathways", chrome.pathways_href.c_str(), "Your career");
    add("account", "/account", "Your account");
    if (chrome.administrator) {
      add("users", "/admin/users", "Users");
      add("audit", "/admin/audit", "Audit trail");
    }
    if (chrome.imports_workforce) add("import", "/admin/import", "Import");
  } else {
    add("sign-in", "/sign-in", "Sign in");
  }
  nlohmann::json layout{
      {"page_title", (has_errors ? "Error: " : "") + title + " - Pathway"},
      {"asset_base", asset_base},
      {"content", std::move(content)},
      {"nav", nav},
      {"signed_in", chrome.signed_in},
      {"user_name", chrome.user_name},
      {"csrf_token", chrome.csrf_token},
      {"role_level_picker", role_level_picker},
  };
  std::string html = templates.Render("layout", layout);
  Dismantle(layout);
  templates.PageRendered(page, std::chrono::steady_clock::now() - started);
  return html;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

}  // namespace pathway::web
