#include "app/policy.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "domain/text.hpp"
#include "store/database.hpp"
#include "store/identity.hpp"

namespace pathway::app {

using domain::Relationship;
using domain::Role;

namespace {

bool ValidAction(std::string_view action) {
  if (action.empty() || action.find('.') == std::string_view::npos) return false;
  for (char c : action) {
    if (!((c >= 'a' && c <= 'z') || c == '_' || c == '.')) return false;
  }
  return true;
}

}  // namespace

domain::Result<Policy> Policy::Parse(std::string_view csv) {
  Policy policy;
  std::vector<std::string> problems;
  int line_number = 0;
  bool header_seen = false;
  while (!csv.empty()) {
    const auto newline = csv.find('\n');
    const std::string_view line = domain::Trim(csv.substr(0, newline));
    csv = newline == std::string_view::npos ? std::string_view{} : csv.substr(newline + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    if (!header_seen) {
      if (line != "action,role,relationship") {
        problems.push_back(
            fmt::format("line {}: the header must be action,role,relationship", line_number));
      }
      header_seen = true;
      continue;
    }
    std::vector<std::string_view> fields;
    std::string_view rest = line;
    for (;;) {
      const auto comma = rest.find(',');
      fields.push_back(domain::Trim(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    if (fields.size() != 3) {
      problems.push_back(
          fmt::format("line {}: expected 3 fields, found {}", line_number, fields.size()));
      continue;
    }
    const auto role = domain::ParseRole(fields[1]);
    const auto relationship = domain::ParseRelationship(fields[2]);
    if (!ValidAction(fields[0])) {
      problems.push_back(fmt::format("line {}: '{}' is not an action name like user.read",
                                     line_number, fields[0]));
    }
    if (!role)
      problems.push_back(fmt::format("line {}: unknown role '{}'", line_number, fields[1]));
    if (!relationship) {
      problems.push_back(fmt::format("line {}: unknown relationship '{}'", line_number, fields[2]));
    }
    if (!ValidAction(fields[0]) || !role || !relationship) continue;
    PolicyRule rule{std::string(fields[0]), *role, *relationship};
    if (!policy.rules_.insert(rule).second) {
      problems.push_back(fmt::format("line {}: duplicate rule", line_number));
    }
    policy.actions_.insert(rule.action);
  }
  if (!header_seen) problems.push_back("the policy is empty");
  if (!problems.empty()) {
    std::string message = "The access policy is not valid:";
    for (const auto& problem : problems) message += "\n  " + problem;
    return domain::Error::InvalidInput("policy", message);
  }
  return policy;
}

bool Policy::Allows(Role role, std::string_view action, Relationship relationship) const {
  return rules_.contains(PolicyRule{std::string(action), role, relationship});
}

bool Actor::HasRole(Role role) const {
  for (const auto& grant : grants) {
    if (grant.role == role) return true;
  }
  return false;
}

std::string Actor::AuditName() const {
  switch (kind) {
    case Kind::kUser:
      return email;
    case Kind::kSystem:
      return "system";
    case Kind::kAnonymous:
      break;
  }
  return "anonymous";
}

Actor Actor::System() {
  Actor actor;
  actor.kind = Kind::kSystem;
  actor.grants.push_back({0, Role::kSystem, ""});
  return actor;
}

domain::Result<bool> Authorizer::Allowed(store::Database& db, const Actor& actor,
                                         std::string_view action, const Subject& subject) const {
  if (actor.kind == Actor::Kind::kAnonymous) return false;
  for (const auto& grant : actor.grants) {
    std::optional<Relationship> relationship;
    switch (grant.role) {
      case Role::kIndividual:
        if ((subject.user_id && *subject.user_id == actor.user_id) ||
            (subject.person_id && actor.person_id && *subject.person_id == *actor.person_id)) {
          relationship = Relationship::kSelf;
        }
        break;
      case Role::kLineManager:
        if (subject.person_id && actor.person_id) {
          PATHWAY_ASSIGN_OR_RETURN(
              bool reports, store::IsInReportingChain(db, *actor.person_id, *subject.person_id));
          if (reports) relationship = Relationship::kReport;
        }
        break;
      case Role::kHrPartner:
      case Role::kVettingOfficer:
        if (!grant.scope.empty() && subject.department == grant.scope) {
          relationship = Relationship::kDepartment;
        }
        break;
      case Role::kHeadOfProfession:
        if (!grant.scope.empty() && subject.profession == grant.scope) {
          relationship = Relationship::kProfession;
        } else if (!grant.scope.empty() && !subject.framework_id.empty() &&
                   !subject.new_framework) {
          // A profession's career framework is in its head's scope.
          PATHWAY_ASSIGN_OR_RETURN(
              bool career, store::IsCareerFrameworkOf(db, grant.scope, subject.framework_id));
          if (career) relationship = Relationship::kProfession;
        }
        break;
      case Role::kFrameworkAuthor:
        if (!grant.scope.empty() &&
            (subject.new_framework || subject.framework_id == grant.scope)) {
          relationship = Relationship::kFramework;
        }
        break;
      case Role::kRecruiter:
        if (subject.owner_user_id && *subject.owner_user_id == actor.user_id) {
          relationship = Relationship::kOwner;
        }
        break;
      case Role::kAdministrator:
      case Role::kSystem:
        relationship = Relationship::kAny;
        break;
    }
    if (relationship && policy_.Allows(grant.role, action, *relationship)) return true;
    if (subject.published && policy_.Allows(grant.role, action, Relationship::kPublic)) {
      return true;
    }
  }
  return false;
}

namespace {

// The relationship a grant of `role` has to the people in its scope.
std::optional<domain::Relationship> PeopleRelationship(domain::Role role) {
  using domain::Relationship;
  using domain::Role;
  switch (role) {
    case Role::kIndividual:
      return Relationship::kSelf;
    case Role::kLineManager:
      return Relationship::kReport;
    case Role::kHrPartner:
    case Role::kVettingOfficer:
      return Relationship::kDepartment;
    case Role::kHeadOfProfession:
      return Relationship::kProfession;
    case Role::kAdministrator:
    case Role::kSystem:
      return Relationship::kAny;
    case Role::kRecruiter:
    case Role::kFrameworkAuthor:
      break;
  }
  return std::nullopt;
}

void AddUnique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

std::optional<PeopleScope> PeopleScopeOf(
    const Policy& policy, const Actor& actor, std::initializer_list<std::string_view> actions,
    std::initializer_list<domain::Relationship> relationships) {
  using domain::Relationship;
  if (actor.kind == Actor::Kind::kAnonymous) return std::nullopt;
  PeopleScope scope;
  bool opened = false;
  for (const auto& grant : actor.grants) {
    const auto relationship = PeopleRelationship(grant.role);
    if (!relationship ||
        std::find(relationships.begin(), relationships.end(), *relationship) ==
            relationships.end() ||
        !std::all_of(actions.begin(), actions.end(), [&](std::string_view action) {
          return policy.Allows(grant.role, action, *relationship);
        })) {
      continue;
    }
    switch (*relationship) {
      case Relationship::kSelf:
        if (actor.person_id) scope.self_person_id = actor.person_id;
        break;
      case Relationship::kReport:
        if (actor.person_id) scope.chain_of_person_id = actor.person_id;
        break;
      case Relationship::kDepartment:
        if (grant.scope.empty()) continue;
        AddUnique(scope.departments, grant.scope);
        break;
      case Relationship::kProfession:
        if (grant.scope.empty()) continue;
        AddUnique(scope.professions, grant.scope);
        break;
      case Relationship::kAny:
        scope.all = true;
        break;
      default:
        continue;
    }
    opened = true;
  }
  if (!opened) return std::nullopt;
  return scope;
}

}  // namespace pathway::app
