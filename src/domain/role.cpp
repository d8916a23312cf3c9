#include "domain/role.hpp"

namespace pathway::domain {
namespace {

struct RoleInfo {
  Role role;
  std::string_view name;
  std::string_view label;
  std::string_view scope_label;
};

constexpr std::array<RoleInfo, 9> kRoles{{
    {Role::kIndividual, "individual", "Individual", ""},
    {Role::kLineManager, "line_manager", "Line manager", ""},
    {Role::kHrPartner, "hr_partner", "HR partner", "Department code"},
    {Role::kHeadOfProfession, "head_of_profession", "Head of profession", "Profession code"},
    {Role::kVettingOfficer, "vetting_officer", "Vetting officer", "Department code"},
    {Role::kRecruiter, "recruiter", "Recruiter", ""},
    {Role::kFrameworkAuthor, "framework_author", "Framework author", "Framework ID"},
    {Role::kAdministrator, "admin", "Administrator", ""},
    {Role::kSystem, "system", "System (command line)", ""},
}};

constexpr std::array<std::pair<Relationship, std::string_view>, 8> kRelationships{{
    {Relationship::kSelf, "self"},
    {Relationship::kReport, "report"},
    {Relationship::kDepartment, "department"},
    {Relationship::kProfession, "profession"},
    {Relationship::kFramework, "framework"},
    {Relationship::kOwner, "owner"},
    {Relationship::kAny, "any"},
    {Relationship::kPublic, "public"},
}};

}  // namespace

std::string_view RoleName(Role role) { return kRoles[static_cast<int>(role)].name; }
std::string_view RoleLabel(Role role) { return kRoles[static_cast<int>(role)].label; }
std::string_view RoleScopeLabel(Role role) { return kRoles[static_cast<int>(role)].scope_label; }

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& info : kRoles) {
    if (info.name == name) return info.role;
  }
  return std::nullopt;
}

std::string_view RelationshipName(Relationship relationship) {
  return kRelationships[static_cast<int>(relationship)].second;
}

std::optional<Relationship> ParseRelationship(std::string_view name) {
  for (const auto& [relationship, text] : kRelationships) {
    if (text == name) return relationship;
  }
  return std::nullopt;
}

}  // namespace pathway::domain
