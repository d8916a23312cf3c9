// The one authorisation policy. It is a matrix of (action, role, relationship) rows
// loaded from policy/access.csv: a row allows; anything not listed is denied. Pages,
// API routes and CLI commands all ask it through Authorizer, so they cannot disagree.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "app/clock.hpp"
#include "app/store_handles.hpp"
#include "domain/result.hpp"
#include "domain/role.hpp"

namespace pathway::app {

struct PolicyRule {
  std::string action;
  domain::Role role;
  domain::Relationship relationship;
  auto operator<=>(const PolicyRule&) const = default;
};

class Policy {
 public:
  // Parses the CSV text (header `action,role,relationship`, one rule a line). Every
  // problem is reported with its line number; a policy with any problem is refused.
  static domain::Result<Policy> Parse(std::string_view csv);

  bool Allows(domain::Role role, std::string_view action, domain::Relationship relationship) const;
  // Every action named by some rule.
  const std::set<std::string, std::less<>>& actions() const { return actions_; }
  const std::set<PolicyRule>& rules() const { return rules_; }

 private:
  std::set<PolicyRule> rules_;
  std::set<std::string, std::less<>> actions_;
};

// Who is acting. Built by the web layer from a session or API token, or by the CLI.
struct Actor {
  enum class Kind { kAnonymous, kUser, kSystem };
  Kind kind = Kind::kAnonymous;
  std::int64_t user_id = 0;
  std::string email;
  std::string display_name;
  std::optional<std::int64_t> person_id;
  std::vector<domain::Grant> grants;
  // For signed-in browser sessions: the session (hashed id) and its CSRF token.
  std::string session_id_hash;
  std::string csrf_token;
  // Where the request came from, for the audit trail.
  std::string request_id;
  std::string source_address;

  bool signed_in() const { return kind == Kind::kUser; }
  bool HasRole(domain::Role role) const;
  // The name the audit trail records: the email, "system" or "anonymous".
  std::string AuditName() const;

  static Actor System();
};

// The people an actor's grants open for some actions: what the services that list, rank
// or count people restrict their answers to. A grant counts when its role relates to
// people through one of the relationships the caller takes (lists take self and
// reports; ranking and counting only departments, professions and everyone) and the
// policy allows every one of the actions for that relationship. A department or
// profession grant without a scope opens nothing. nullopt when no grant opens anything.
struct PeopleScope {
  bool all = false;
  std::optional<std::int64_t> self_person_id;      // the actor's own record
  std::optional<std::int64_t> chain_of_person_id;  // everyone reporting to this person
  std::vector<std::string> departments;
  std::vector<std::string> professions;
};
std::optional<PeopleScope> PeopleScopeOf(const Policy& policy, const Actor& actor,
                                         std::initializer_list<std::string_view> actions,
                                         std::initializer_list<domain::Relationship> relationships);

// The object of an action, as far as the policy needs to know it. Leave unset what
// does not apply; an action on no object (listing users) uses an empty Subject.
struct Subject {
  std::optional<std::int64_t> user_id;    // an account
  std::optional<std::int64_t> person_id;  // a person's record
  std::string department;
  std::string profession;
  std::string framework_id;
  // A framework being created: no grant's scope names it yet, and a framework author's
  // grant relates to it as `framework` (the new framework becomes theirs).
  bool new_framework = false;
  std::optional<std::int64_t> owner_user_id;
  bool published = false;  // published to everyone signed in
};

class Authorizer {
 public:
  explicit Authorizer(Policy policy) : policy_(std::move(policy)) {}

  // Whether `actor` may do `action` to `subject`: true if any of the actor's grants
  // relates to the subject in a way the policy allows for that grant's role. Reads the
  // reporting chain from `db` for line managers. Unknown actions are denied.
  domain::Result<bool> Allowed(store::Database& db, const Actor& actor, std::string_view action,
                               const Subject& subject) const;

  const Policy& policy() const { return policy_; }

 private:
  Policy policy_;
};

}  // namespace pathway::app
