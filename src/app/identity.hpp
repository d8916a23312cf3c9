// Identity and access use cases: sign-in and sessions, API tokens, users and their
// roles, the audit trail. Each use case asks the Authorizer, writes in one transaction
// together with its audit record, and records refusals.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/clock.hpp"
#include "app/passwords.hpp"
#include "app/policy.hpp"
#include "app/store_handles.hpp"
#include "app/throttle.hpp"
#include "app/unit_of_work.hpp"
#include "domain/audit_records.hpp"
#include "domain/identity_records.hpp"
#include "domain/password_policy.hpp"
#include "domain/result.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

struct SessionSettings {
  std::chrono::seconds idle{30 * 60};        // ends after this long without a request
  std::chrono::seconds absolute{12 * 3600};  // ends this long after sign-in regardless
};

// Where a request came from, for the audit trail and throttling.
struct RequestContext {
  std::string request_id;
  std::string source_address;
};

struct SignedIn {
  std::string session_id;  // the secret for the cookie; only its hash is stored
  Actor actor;
};

struct NewToken {
  std::int64_t id = 0;
  std::string token;  // shown once; only its hash is stored
};

struct NewUser {
  std::string email;
  std::string display_name;
  std::optional<std::string> password;  // none: the user cannot sign in with a password
  std::vector<domain::Grant> grants;    // `individual` is always added
};

struct UserList {
  std::vector<domain::UserRecord> users;
  std::int64_t total = 0;
};

struct UserDetail {
  domain::UserRecord user;
  std::vector<domain::Grant> grants;
  std::vector<domain::TokenRecord> tokens;
};

// Real scopes a grant may name, for the hint of the grant form: up to three department
// codes and three profession codes ("DWP, HMRC or MOJ"), and one framework ID. Each is
// empty when there is none.
struct ScopeExamples {
  std::string departments;
  std::string professions;
  std::string framework;
};

struct AuditPage {
  std::vector<domain::AuditRecord> records;
  std::int64_t total = 0;
};

// Thread-safe: every call leases its own connection.
class IdentityService {
 public:
  // Changes go through `kernel`; reads and sign-ins lease connections from its pool.
  IdentityService(UnitOfWork& kernel, const domain::PasswordBlocklist& blocklist,
                  SignInThrottle& throttle, SessionSettings sessions = {},
                  PasswordHashCost password_cost = {})
      : kernel_(kernel),
        pool_(kernel.pool()),
        authorizer_(kernel.authorizer()),
        clock_(kernel.clock()),
        blocklist_(blocklist),
        throttle_(throttle),
        sessions_(sessions),
        password_cost_(password_cost) {}

  // Checks the email and password and starts a session. Wrong details, a disabled
  // account and an unknown email all answer the same kInvalidInput; too many recent
  // failures answer kTooManyRequests with a retry time. Every attempt is audited.
  Result<SignedIn> SignIn(std::string_view email, std::string_view password,
                          const RequestContext& context);
  // The actor for a session id from a cookie, or kUnauthenticated if the session is
  // unknown, ended, idle too long, too old, or its user is disabled (which also ends
  // it). Refreshes the idle timer.
  Result<Actor> ResolveSession(std::string_view session_id, const RequestContext& context);
  // Ends the actor's session. Not an error if it had already ended.
  Status SignOut(const Actor& actor);
  // The actor for an API token, or kUnauthenticated.
  Result<Actor> ResolveToken(std::string_view token, const RequestContext& context);

  // Changes the actor's own password and ends their other sessions (the one acting is
  // kept); with `revoke_tokens`, also revokes every API token they hold.
  Status ChangePassword(const Actor& actor, std::string_view current_password,
                        std::string_view new_password, bool revoke_tokens = false);

  Result<std::int64_t> AddUser(const Actor& actor, const NewUser& user);
  // Ok if the actor may do `action` to `subject` (to decide whether to show a form);
  // otherwise records the refusal and answers kNotFound.
  Status Check(const Actor& actor, std::string_view action, const Subject& subject);
  // Whether the actor may do `action` to `subject`, recording nothing: for deciding
  // which links and buttons a page shows. Errors are database failures.
  Result<bool> May(const Actor& actor, std::string_view action, const Subject& subject);
  // Examples of the scopes grants may name. Not an error when there are none.
  Result<ScopeExamples> ExampleScopes();
  Result<UserList> ListUsers(const Actor& actor, const std::string& text, int limit, int offset);
  // kNotFound both for a missing user and one the actor may not see. `action` is
  // "user.read" (an account as its owner sees it) or "user.manage" (administration).
  Result<UserDetail> GetUser(const Actor& actor, std::int64_t user_id,
                             std::string_view action = "user.read");
  Status SetDisabled(const Actor& actor, std::int64_t user_id, bool disabled);
  Result<std::int64_t> GrantRole(const Actor& actor, std::int64_t user_id, domain::Role role,
                                 const std::string& scope);
  Status RevokeRole(const Actor& actor, std::int64_t user_id, std::int64_t grant_id);

  // Creates an API token for the user with this email; it carries that user's roles.
  Result<NewToken> CreateToken(const Actor& actor, const std::string& email,
                               const std::string& name);
  Status RevokeToken(const Actor& actor, std::int64_t token_id);

  Result<AuditPage> SearchAudit(const Actor& actor, const domain::AuditQuery& query);
  Result<domain::AuditChainReport> VerifyAudit(const Actor& actor);

  // A person's record, as identity knows it (name, department, manager).
  Result<domain::PersonRecord> GetPerson(const Actor& actor, std::int64_t person_id);

  // Records a refusal decided outside the use cases (a failed CSRF or origin check).
  void RecordRefusal(const Actor& actor, std::string_view action, std::string_view detail);

  const Clock& clock() const { return clock_; }
  // The pool and the policy, for the routes of use cases that share them.
  store::ConnectionPool& pool() const { return pool_; }
  const Authorizer& authorizer() const { return authorizer_; }

 private:
  // A user that must exist (kNotFound otherwise).
  static SubjectOf OfUser(std::int64_t user_id);
  Result<Actor> LoadActor(store::Database& db, const domain::UserRecord& user);
  domain::AuditEvent Event(const Actor& actor, std::string_view action,
                           std::string_view object_type, std::string_view object_id,
                           std::string_view outcome, std::string_view detail = {}) const;
  // Audits a refusal in its own transaction and returns the kNotFound the caller answers.
  domain::Error Refuse(store::Database& db, const Actor& actor, std::string_view action,
                       std::string_view object_type, std::string_view object_id);

  UnitOfWork& kernel_;
  store::ConnectionPool& pool_;
  const Authorizer& authorizer_;
  const Clock& clock_;
  const domain::PasswordBlocklist& blocklist_;
  SignInThrottle& throttle_;
  SessionSettings sessions_;
  PasswordHashCost password_cost_;
};

// Checks an email address's form: one '@', something on each side, a dot in the
// domain, no spaces or control characters, at most 254 characters.
bool ValidEmail(std::string_view email);

}  // namespace pathway::app
