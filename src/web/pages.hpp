// Page rendering with the one layout (skip link, header, service navigation, phase
// banner, footer).
#pragma once

#include <string>
#include <string_view>

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
  // Workforce navigation, from the actor's roles (hints only: the use cases decide).
  bool line_manager = false;  // "Your team"
  bool sees_people = false;   // "People": more than their own record
  bool sees_departments = false;
  // Talent match and capability maps (HR partners, heads of profession, administrators),
  // and the person's own career pathways page (empty when they have no person record).
  bool sees_talent = false;
  std::string pathways_href;
  // Vetting: the clearance reports (vetting officers, administrators), cases (vetting
  // officers) and referrals (HR partners).
  bool sees_vetting = false;
  // Importing skills passports (HR partners, administrators).
  bool sees_passports = false;
  // Importing workforce files (administrators; HR partners their department's rows).
  bool imports_workforce = false;
  std::string assessments_href;  // the person's own assessments; empty without a record
  bool performance = false;      // the performance year: people with a record, HR, admins
  // The navigation item to mark as current: "frameworks", "professions", "people",
  // "team", "departments", "posts", "talent", "capability", "pathways", "vetting", "account",
  // "users", "audit".
  std::string current;
};

// The chrome for a page seen by `actor`: their name, sign-out form and navigation.
PageChrome ChromeFor(const app::Actor& actor, std::string current = {});

// `text` with &, <, >, " and ' replaced by character references, for markup built
// outside the templates (search highlights, SVG charts).
std::string HtmlEscape(std::string_view text);

// Renders `page` with `view`, then wraps it in `layout` with the title
// ("<title> - Pathway", prefixed "Error: " when `has_errors`). Pass the view with
// std::move when it is not needed afterwards: a large one is then not copied. `base`,
// when given, is a shared view of the page's unchanging parts, read under `view`
// (TemplateSet::Render).
std::string RenderPage(const TemplateSet& templates, const std::string& asset_base,
                       const std::string& page, const std::string& title, nlohmann::json view,
                       bool has_errors = false, const PageChrome& chrome = {},
                       const nlohmann::json* base = nullptr);

}  // namespace pathway::web
