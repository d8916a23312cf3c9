// The roles a user can hold, each with a scope, and the relationships between an
// actor and an object that the authorisation policy reasons about.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pathway::domain {

enum class Role {
  kIndividual,        // scope: themselves
  kLineManager,       // scope: their reporting chain
  kHrPartner,         // scope: a department (its code)
  kHeadOfProfession,  // scope: a profession (its code)
  kVettingOfficer,    // scope: a department
  kRecruiter,         // scope: the vacancies they own
  kFrameworkAuthor,   // scope: a framework (its id)
  kAdministrator,     // scope: everything
  kSystem,            // the operator at the command line; never granted to a user
};

inline constexpr std::array kGrantableRoles{
    Role::kIndividual,     Role::kLineManager, Role::kHrPartner,       Role::kHeadOfProfession,
    Role::kVettingOfficer, Role::kRecruiter,   Role::kFrameworkAuthor, Role::kAdministrator};

// Stable names used in the database, the policy file and the API: "individual",
// "line_manager", "hr_partner", "head_of_profession", "vetting_officer", "recruiter",
// "framework_author", "admin", "system".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
// A label for people: "Line manager".
std::string_view RoleLabel(Role role);
// What the scope of a grant of this role names, for forms: "Department code", or
// empty when the role takes no scope.
std::string_view RoleScopeLabel(Role role);

// How an object relates to an actor through one of the actor's grants.
enum class Relationship {
  kSelf,        // the actor's own record
  kReport,      // someone in the actor's reporting chain (line manager)
  kDepartment,  // in the department the grant names
  kProfession,  // in the profession the grant names
  kFramework,   // the framework the grant names
  kOwner,       // an object the actor owns (a recruiter's vacancy)
  kAny,         // any object (administrator, system)
  kPublic,      // an object published to everyone signed in (a published framework)
};

std::string_view RelationshipName(Relationship relationship);
std::optional<Relationship> ParseRelationship(std::string_view name);

struct Grant {
  std::int64_t id = 0;
  Role role = Role::kIndividual;
  std::string scope;
};

}  // namespace pathway::domain
