#include "app/identity.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "app/secrets.hpp"
#include "domain/text.hpp"
#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/frameworks.hpp"
#include "store/identity.hpp"
#include "store/workforce_lookup.hpp"

namespace pathway::app {

using domain::Error;
using domain::ErrorCode;
using domain::Grant;
using domain::Role;

namespace {

constexpr std::string_view kWrongDetails = "Enter a correct email address and password";
constexpr std::string_view kTokenPrefix = "pw_";
// Verified against when the email is unknown, so that the answer takes as long as
// for a real account and does not reveal which emails exist.
constexpr std::string_view kUnknownUserPassword = "pathway-unknown-user";
// How often a session's last-seen time is written: idle timing to the minute is
// enough, and most requests then only read.
constexpr std::int64_t kTouchEverySeconds = 60;

Error Unauthenticated() { return {ErrorCode::kUnauthenticated, {}, "Sign in to continue"}; }

Error NotFound() { return Error::NotFound("Not found"); }

bool HasControlCharacters(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Status ValidateName(std::string_view name) {
  if (name.empty()) return Error::InvalidInput("name", "Enter a name");
  if (name.size() > 200) return Error::InvalidInput("name", "Name must be 200 characters or fewer");
  if (const auto problem = domain::FindTextProblem(name, domain::LineBreaks::kRefused)) {
    return Error::InvalidInput("name", domain::DescribeTextProblem(*problem, "Name"));
  }
  return domain::Ok{};
}

// Up to three of `codes`, sorted, as "A, B or C": what a message offers as examples.
std::string Examples(std::vector<std::string> codes) {
  std::sort(codes.begin(), codes.end());
  if (codes.size() > 3) codes.resize(3);
  std::string text;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) text += i + 1 == codes.size() ? " or " : ", ";
    text += codes[i];
  }
  return text;
}

// A grant's scope must name something that exists: a department's or profession's code
// exactly as written, or a framework's id. `field` is where the scope came from.
Status CheckScope(store::Database& db, Role role, const std::string& scope,
                  const std::string& field) {
  const bool needs_scope = !domain::RoleScopeLabel(role).empty();
  if (needs_scope && scope.empty()) {
    std::string label(domain::RoleScopeLabel(role));
    label.front() = static_cast<char>(label.front() - 'A' + 'a');  // "Department code"
    return Error::InvalidInput(field, fmt::format("Enter the {} for this role", label));
  }
  if (!needs_scope && !scope.empty()) {
    return Error::InvalidInput(field, "This role does not take a scope: leave Scope empty");
  }
  if (!needs_scope) return domain::Ok{};
  if (scope.size() > 100 || HasControlCharacters(scope)) {
    return Error::InvalidInput(field, "Scope must be 100 characters or fewer of plain text");
  }
  std::string_view what;
  std::vector<std::string> known;
  switch (role) {
    case Role::kHrPartner:
    case Role::kVettingOfficer: {
      what = "department";
      PATHWAY_ASSIGN_OR_RETURN(known, store::LoadCodes(db, store::CodeTable::kDepartment));
      break;
    }
    case Role::kHeadOfProfession: {
      what = "profession";
      PATHWAY_ASSIGN_OR_RETURN(known, store::LoadCodes(db, store::CodeTable::kProfession));
      break;
    }
    case Role::kFrameworkAuthor: {
      PATHWAY_ASSIGN_OR_RETURN(auto versions, store::ListVersions(db, scope));
      if (!versions.empty()) return domain::Ok{};
      PATHWAY_ASSIGN_OR_RETURN(auto all, store::ListAllVersions(db));
      std::vector<std::string> ids;
      for (const auto& version : all) {
        if (std::find(ids.begin(), ids.end(), version.framework_id) == ids.end()) {
          ids.push_back(version.framework_id);
        }
      }
      if (ids.empty()) {
        return Error::InvalidInput(
            field,
            "There are no frameworks yet: create or import the framework first, then "
            "enter its framework ID as Scope");
      }
      return Error::InvalidInput(
          field, fmt::format("Scope must be a framework ID, as in the address of the framework's "
                             "page (/frameworks/ID), like {}; ‘{}’ is not one",
                             Examples(ids), scope));
    }
    default:
      return domain::Ok{};
  }
  if (std::find(known.begin(), known.end(), scope) != known.end()) return domain::Ok{};
  if (known.empty()) {
    return Error::InvalidInput(
        field, fmt::format("There are no {}s yet: import the {} file first, then enter a {} "
                           "code as Scope",
                           what, what == "department" ? "organisation" : "roles", what));
  }
  return Error::InvalidInput(
      field, fmt::format("Scope must be the code of a {}, written exactly as it is, like {}; "
                         "‘{}’ is not one",
                         what, Examples(std::move(known)), scope));
}

}  // namespace

bool ValidEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254 || HasControlCharacters(email)) return false;
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  return email.find(' ') == std::string_view::npos;
}

store::AuditEvent IdentityService::Event(const Actor& actor, std::string_view action,
                                         std::string_view object_type, std::string_view object_id,
                                         std::string_view outcome, std::string_view detail) const {
  store::AuditEvent event;
  event.occurred_at = clock_.NowIso();
  if (actor.kind == Actor::Kind::kUser) event.actor_user_id = actor.user_id;
  event.actor = actor.AuditName();
  event.action = action;
  event.object_type = object_type;
  event.object_id = object_id;
  event.outcome = outcome;
  event.detail = detail;
  event.request_id = actor.request_id;
  event.source_address = actor.source_address;
  return event;
}

Error IdentityService::Refuse(store::Database& db, const Actor& actor, std::string_view action,
                              std::string_view object_type, std::string_view object_id) {
  auto tx = store::Transaction::Begin(db);
  if (tx.ok() &&
      store::AppendAudit(db, Event(actor, action, object_type, object_id, "refused")).ok()) {
    (void)tx->Commit();
  }
  return NotFound();
}

void IdentityService::RecordRefusal(const Actor& actor, std::string_view action,
                                    std::string_view detail) {
  // Noise (a missing CSRF token, a cross-origin post): counted and audited in aggregate.
  kernel_.RecordNoise(actor, std::string(action), std::string(detail));
}

SubjectOf IdentityService::OfUser(std::int64_t user_id) {
  return [user_id](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto user, store::FindUserById(db, user_id));
    if (!user) return std::optional<Subject>();
    Subject subject;
    subject.user_id = user_id;
    return std::optional<Subject>(std::move(subject));
  };
}

Result<Actor> IdentityService::LoadActor(store::Database& db, const store::UserRecord& user) {
  Actor actor;
  actor.kind = Actor::Kind::kUser;
  actor.user_id = user.id;
  actor.email = user.email;
  actor.display_name = user.display_name;
  actor.person_id = user.person_id;
  PATHWAY_ASSIGN_OR_RETURN(auto grants, store::ActiveGrants(db, user.id));
  for (const auto& grant : grants) {
    if (auto role = domain::ParseRole(grant.role); role && *role != Role::kSystem) {
      actor.grants.push_back({grant.id, *role, grant.scope});
    }
  }
  return actor;
}

Result<SignedIn> IdentityService::SignIn(std::string_view email, std::string_view password,
                                         const RequestContext& context) {
  Actor anonymous;
  anonymous.request_id = context.request_id;
  anonymous.source_address = context.source_address;
  const std::int64_t now = clock_.NowSeconds();
  auto db = pool_.Acquire();

  if (email.empty() || password.empty()) {
    Error error =
        Error::InvalidInput(email.empty() ? "email" : "password",
                            email.empty() ? "Enter your email address" : "Enter your password");
    return error;
  }
  if (const int wait = throttle_.RetryAfter(email, context.source_address, now); wait > 0) {
    auto tx = store::Transaction::Begin(*db);
    if (tx.ok()) {
      (void)store::AppendAudit(
          *db, Event(anonymous, "sign-in", "user", std::string(email.substr(0, 254)), "refused",
                     "too many failed attempts"));
      (void)tx->Commit();
    }
    Error error{
        ErrorCode::kTooManyRequests, "email",
        fmt::format("Too many attempts to sign in. Wait {} seconds, then try again.", wait)};
    error.retry_after_seconds = wait;
    return error;
  }

  PATHWAY_ASSIGN_OR_RETURN(auto user, store::FindUserByEmail(*db, std::string(email)));
  bool ok = false;
  std::string why;
  // An unknown email and an account without a password take as long to refuse as a
  // wrong password: one verification each, against a hash of the same cost.
  static const std::string kDummyHash = HashPassword(kUnknownUserPassword, password_cost_).value();
  if (!user) {
    (void)VerifyPassword(password, kDummyHash);
    why = "unknown email";
  } else if (!user->password_hash) {
    (void)VerifyPassword(password, kDummyHash);
    why = "no password set";
  } else if (!VerifyPassword(password, *user->password_hash)) {
    why = "wrong password";
  } else if (user->disabled) {
    why = "account disabled";
  } else {
    ok = true;
  }

  PATHWAY_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(*db));
  if (!ok) {
    throttle_.RecordFailure(email, context.source_address, now);
    Actor attempted = anonymous;
    if (user) attempted.user_id = user->id;
    store::AuditEvent event =
        Event(attempted, "sign-in", "user",
              user ? std::to_string(user->id) : std::string(email.substr(0, 254)), "failure", why);
    PATHWAY_TRY(store::AppendAudit(*db, event));
    PATHWAY_TRY(tx.Commit());
    return Error::InvalidInput("email", std::string(kWrongDetails));
  }
  throttle_.RecordSuccess(email, context.source_address);
  if (NeedsRehash(*user->password_hash, password_cost_)) {
    PATHWAY_ASSIGN_OR_RETURN(auto rehashed, HashPassword(password, password_cost_));
    PATHWAY_TRY(store::SetPasswordHash(*db, user->id, rehashed));
  }
  SignedIn signed_in;
  signed_in.session_id = RandomSecret(32);
  store::SessionRecord session{
      HashSecret(signed_in.session_id), user->id, RandomSecret(32), now, now, false};
  PATHWAY_TRY(store::InsertSession(*db, session));
  PATHWAY_ASSIGN_OR_RETURN(signed_in.actor, LoadActor(*db, *user));
  signed_in.actor.session_id_hash = session.id_hash;
  signed_in.actor.csrf_token = session.csrf_token;
  signed_in.actor.request_id = context.request_id;
  signed_in.actor.source_address = context.source_address;
  PATHWAY_TRY(store::AppendAudit(
      *db, Event(signed_in.actor, "sign-in", "user", std::to_string(user->id), "success")));
  PATHWAY_TRY(tx.Commit());
  return signed_in;
}

Result<Actor> IdentityService::ResolveSession(std::string_view session_id,
                                              const RequestContext& context) {
  if (session_id.empty() || session_id.size() > 128) return Unauthenticated();
  const std::string id_hash = HashSecret(session_id);
  const std::int64_t now = clock_.NowSeconds();
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto session, store::FindSession(*db, id_hash));
  if (!session || session->ended) {
    Actor anonymous;
    anonymous.request_id = context.request_id;
    anonymous.source_address = context.source_address;
    // A stale or made-up cookie costs no write: counted, audited in aggregate.
    kernel_.RecordNoise(anonymous, "session", session ? "ended session" : "unknown session");
    return Unauthenticated();
  }
  PATHWAY_ASSIGN_OR_RETURN(auto user, store::FindUserById(*db, session->user_id));
  const bool idle = now - session->last_seen_at > sessions_.idle.count();
  const bool too_old = now - session->created_at > sessions_.absolute.count();
  if (!user || user->disabled || idle || too_old) {
    PATHWAY_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(*db));
    PATHWAY_TRY(store::EndSession(*db, id_hash, now));
    Actor owner;
    owner.user_id = session->user_id;
    owner.request_id = context.request_id;
    owner.source_address = context.source_address;
    PATHWAY_TRY(store::AppendAudit(
        *db, Event(owner, "session", "user", std::to_string(session->user_id), "refused",
                   !user || user->disabled ? "user disabled"
                   : idle                  ? "idle too long"
                                           : "too old")));
    PATHWAY_TRY(tx.Commit());
    return Unauthenticated();
  }
  if (now - session->last_seen_at >= kTouchEverySeconds) {
    PATHWAY_TRY(store::TouchSession(*db, id_hash, now));
  }
  PATHWAY_ASSIGN_OR_RETURN(Actor actor, LoadActor(*db, *user));
  actor.session_id_hash = id_hash;
  actor.csrf_token = session->csrf_token;
  actor.request_id = context.request_id;
  actor.source_address = context.source_address;
  return actor;
}

Status IdentityService::SignOut(const Actor& actor) {
  if (actor.session_id_hash.empty()) return domain::Ok{};
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(*db));
  PATHWAY_TRY(store::EndSession(*db, actor.session_id_hash, clock_.NowSeconds()));
  PATHWAY_TRY(store::AppendAudit(
      *db, Event(actor, "sign-out", "user", std::to_string(actor.user_id), "success")));
  return tx.Commit();
}

Result<Actor> IdentityService::ResolveToken(std::string_view token, const RequestContext& context) {
  auto db = pool_.Acquire();
  auto refuse = [&](std::string_view why, std::optional<std::int64_t> token_id) -> Error {
    Actor anonymous;
    anonymous.request_id = context.request_id;
    anonymous.source_address = context.source_address;
    if (!token_id) {
      // A malformed or unknown token is noise: counted, audited in aggregate.
      kernel_.RecordNoise(anonymous, "api-token", std::string(why));
      return Unauthenticated();
    }
    auto tx = store::Transaction::Begin(*db);
    if (tx.ok() && store::AppendAudit(*db, Event(anonymous, "api-token", "token",
                                                 std::to_string(*token_id), "refused", why))
                       .ok()) {
      (void)tx->Commit();
    }
    return Unauthenticated();
  };
  if (!token.starts_with(kTokenPrefix) || token.size() > 128) return refuse("malformed token", {});
  PATHWAY_ASSIGN_OR_RETURN(auto record, store::FindActiveToken(*db, HashSecret(token)));
  if (!record) return refuse("unknown or revoked token", {});
  PATHWAY_ASSIGN_OR_RETURN(auto user, store::FindUserById(*db, record->user_id));
  if (!user || user->disabled) return refuse("user disabled", record->id);
  PATHWAY_TRY(store::TouchToken(*db, record->id));
  PATHWAY_ASSIGN_OR_RETURN(Actor actor, LoadActor(*db, *user));
  actor.request_id = context.request_id;
  actor.source_address = context.source_address;
  return actor;
}

Status IdentityService::ChangePassword(const Actor& actor, std::string_view current_password,
                                       std::string_view new_password, bool revoke_tokens) {
  const std::string id = std::to_string(actor.user_id);
  // The slow parts (checking the current password, hashing the new one) run before the
  // write lock is taken; the body then checks that the stored hash is still the one
  // checked, so a change made meanwhile is not overwritten.
  std::optional<std::string> checked_hash;
  std::string new_hash;
  std::optional<Error> wrong_current;
  {
    auto db = kernel_.pool().Acquire();
    PATHWAY_ASSIGN_OR_RETURN(auto user, store::FindUserById(*db, actor.user_id));
    if (user && !current_password.empty()) {
      if (!user->password_hash || !VerifyPassword(current_password, *user->password_hash)) {
        wrong_current =
            Error::InvalidInput("current-password", "Your current password is not correct");
      } else if (!domain::CheckNewPassword(new_password, blocklist_, user->email)) {
        checked_hash = user->password_hash;
        PATHWAY_ASSIGN_OR_RETURN(new_hash, HashPassword(new_password, password_cost_));
      }
    }
  }
  return kernel_.Execute(
      actor, {"user.change_password", "user", id}, OfUser(actor.user_id), [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(auto user, store::FindUserById(tx.db(), actor.user_id));
        if (current_password.empty()) {
          return Error::InvalidInput("current-password", "Enter your current password");
        }
        if (wrong_current) return *wrong_current;
        if (auto problem = domain::CheckNewPassword(new_password, blocklist_, user->email)) {
          problem->field = "new-password";
          return *problem;
        }
        if (!checked_hash || user->password_hash != checked_hash) {
          return Error{ErrorCode::kConflict, "current-password",
                       "Your password was changed meanwhile: sign in again"};
        }
        PATHWAY_TRY(store::SetPasswordHash(tx.db(), user->id, new_hash));
        // Every other session ends: whoever else knew the old password is signed out.
        PATHWAY_TRY(store::EndOtherUserSessions(tx.db(), user->id, actor.session_id_hash,
                                                tx.clock().NowSeconds()));
        std::string detail = "other sessions ended";
        if (revoke_tokens) {
          PATHWAY_ASSIGN_OR_RETURN(int revoked, store::RevokeUserTokens(tx.db(), user->id));
          detail += fmt::format("; {} API tokens revoked", revoked);
        }
        tx.Describe(std::move(detail));
        tx.Emit("user.password_changed");
        return domain::Ok{};
      });
}

Result<std::int64_t> IdentityService::AddUser(const Actor& actor, const NewUser& user) {
  // Hashing is slow: done before the write lock, and only for a password that passes
  // the policy (the body checks it again and refuses the rest).
  std::optional<std::string> hash;
  if (user.password && !domain::CheckNewPassword(*user.password, blocklist_, user.email)) {
    PATHWAY_ASSIGN_OR_RETURN(hash, HashPassword(*user.password, password_cost_));
  }
  return kernel_.Execute(
      actor, {"user.create", "user", ""}, Fixed(), [&](Tx& tx) -> Result<std::int64_t> {
        if (!ValidEmail(user.email)) {
          return Error::InvalidInput("email",
                                     "Enter an email address in the correct format, like "
                                     "name@example.gov.uk");
        }
        const std::string display_name = domain::NameAsTyped(user.display_name);
        PATHWAY_TRY(ValidateName(display_name));
        if (user.password) {
          if (auto problem = domain::CheckNewPassword(*user.password, blocklist_, user.email)) {
            return *problem;
          }
        }
        PATHWAY_ASSIGN_OR_RETURN(auto existing, store::FindUserByEmail(tx.db(), user.email));
        if (existing) {
          return Error{ErrorCode::kConflict, "email",
                       "A user with this email address already exists"};
        }
        PATHWAY_ASSIGN_OR_RETURN(
            auto id, store::InsertUser(tx.db(), user.email, display_name, hash, std::nullopt));
        std::vector<Grant> grants = user.grants;
        grants.insert(grants.begin(), Grant{0, Role::kIndividual, ""});
        std::vector<std::pair<Role, std::string>> seen;
        for (std::size_t i = 0; i < grants.size(); ++i) {
          const Grant& grant = grants[i];
          if (grant.role == Role::kSystem) return Error::InvalidInput("role", "Select a role");
          // The first grant is the individual role every user has; the rest are the caller's.
          if (i > 0) {
            PATHWAY_TRY(CheckScope(tx.db(), grant.role, grant.scope,
                                   fmt::format("roles[{}].scope", i - 1)));
          }
          if (std::find(seen.begin(), seen.end(), std::pair{grant.role, grant.scope}) != seen.end())
            continue;
          seen.emplace_back(grant.role, grant.scope);
          PATHWAY_TRY(store::InsertGrant(tx.db(), id, std::string(domain::RoleName(grant.role)),
                                         grant.scope));
        }
        tx.SetObjectId(std::to_string(id));
        tx.Describe(user.email);
        tx.Emit("user.created");
        return id;
      });
}

Status IdentityService::Check(const Actor& actor, std::string_view action, const Subject& subject) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, authorizer_.Allowed(*db, actor, action, subject));
  if (!allowed) {
    return Refuse(*db, actor, action, subject.user_id ? "user" : "",
                  subject.user_id ? std::to_string(*subject.user_id) : std::string{});
  }
  return domain::Ok{};
}

Result<bool> IdentityService::May(const Actor& actor, std::string_view action,
                                  const Subject& subject) {
  auto db = pool_.Acquire();
  return authorizer_.Allowed(*db, actor, action, subject);
}

Result<ScopeExamples> IdentityService::ExampleScopes() {
  auto db = pool_.Acquire();
  ScopeExamples examples;
  PATHWAY_ASSIGN_OR_RETURN(auto departments, store::LoadCodes(*db, store::CodeTable::kDepartment));
  examples.departments = Examples(std::move(departments));
  PATHWAY_ASSIGN_OR_RETURN(auto professions, store::LoadCodes(*db, store::CodeTable::kProfession));
  examples.professions = Examples(std::move(professions));
  PATHWAY_ASSIGN_OR_RETURN(auto frameworks, store::ListAllVersions(*db));
  if (!frameworks.empty()) examples.framework = frameworks.front().framework_id;
  return examples;
}

Result<UserList> IdentityService::ListUsers(const Actor& actor, const std::string& text, int limit,
                                            int offset) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, authorizer_.Allowed(*db, actor, "user.list", {}));
  if (!allowed) return Refuse(*db, actor, "user.list", "user", "");
  UserList list;
  PATHWAY_ASSIGN_OR_RETURN(list.users, store::ListUsers(*db, text, limit, offset));
  PATHWAY_ASSIGN_OR_RETURN(list.total, store::CountUsers(*db, text));
  return list;
}

Result<UserDetail> IdentityService::GetUser(const Actor& actor, std::int64_t user_id,
                                            std::string_view action) {
  auto db = pool_.Acquire();
  Subject subject;
  subject.user_id = user_id;
  PATHWAY_ASSIGN_OR_RETURN(auto user, store::FindUserById(*db, user_id));
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, authorizer_.Allowed(*db, actor, action, subject));
  if (!user || !allowed) return Refuse(*db, actor, action, "user", std::to_string(user_id));
  UserDetail detail;
  detail.user = *user;
  PATHWAY_ASSIGN_OR_RETURN(Actor as_actor, LoadActor(*db, *user));
  detail.grants = as_actor.grants;
  PATHWAY_ASSIGN_OR_RETURN(bool tokens_allowed,
                           authorizer_.Allowed(*db, actor, "token.read", subject));
  if (tokens_allowed) {
    PATHWAY_ASSIGN_OR_RETURN(detail.tokens, store::ListTokens(*db, user_id));
  }
  return detail;
}

Status IdentityService::SetDisabled(const Actor& actor, std::int64_t user_id, bool disabled) {
  const std::string action = disabled ? "user.disable" : "user.enable";
  return kernel_.Execute(
      actor, {action, "user", std::to_string(user_id)}, OfUser(user_id), [&](Tx& tx) -> Status {
        if (disabled && actor.kind == Actor::Kind::kUser && actor.user_id == user_id) {
          return Error::InvalidInput("user", "You cannot disable your own account");
        }
        PATHWAY_TRY(store::SetUserDisabled(tx.db(), user_id, disabled));
        if (disabled)
          PATHWAY_TRY(store::EndUserSessions(tx.db(), user_id, tx.clock().NowSeconds()));
        tx.Emit(disabled ? "user.disabled" : "user.enabled");
        return domain::Ok{};
      });
}

Result<std::int64_t> IdentityService::GrantRole(const Actor& actor, std::int64_t user_id, Role role,
                                                const std::string& scope) {
  return kernel_.Execute(
      actor, {"role.grant", "user", std::to_string(user_id)}, OfUser(user_id),
      [&](Tx& tx) -> Result<std::int64_t> {
        if (role == Role::kSystem) return Error::InvalidInput("role", "Select a role");
        PATHWAY_TRY(CheckScope(tx.db(), role, scope, "scope"));
        auto id = store::InsertGrant(tx.db(), user_id, std::string(domain::RoleName(role)), scope);
        if (!id.ok() && id.error().code == ErrorCode::kConflict) {
          return Error{ErrorCode::kConflict, "role",
                       "The user already has this role with this scope"};
        }
        if (!id.ok()) return std::move(id).error();
        tx.Describe(fmt::format("{} {}", domain::RoleName(role), scope));
        tx.Emit("role.granted", fmt::format("{} {}", domain::RoleName(role), scope));
        return *id;
      });
}

Status IdentityService::RevokeRole(const Actor& actor, std::int64_t user_id,
                                   std::int64_t grant_id) {
  return kernel_.Execute(
      actor, {"role.revoke", "user", std::to_string(user_id)}, OfUser(user_id),
      [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(bool revoked, store::RevokeGrant(tx.db(), user_id, grant_id));
        if (!revoked) return Error::NotFound("Not found");
        // The user's sessions end at once: they carried the revoked role.
        PATHWAY_TRY(store::EndUserSessions(tx.db(), user_id, tx.clock().NowSeconds()));
        tx.Describe(fmt::format("grant {}", grant_id));
        tx.Emit("role.revoked", fmt::format("grant {}", grant_id));
        return domain::Ok{};
      });
}

Result<NewToken> IdentityService::CreateToken(const Actor& actor, const std::string& email,
                                              const std::string& name) {
  SubjectOf owner = [&email](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto user, store::FindUserByEmail(db, email));
    Subject subject;
    if (user) subject.user_id = user->id;
    return std::optional<Subject>(std::move(subject));
  };
  Command command{"token.create", "user", email};
  return kernel_.Execute(actor, command, owner, [&](Tx& tx) -> Result<NewToken> {
    PATHWAY_ASSIGN_OR_RETURN(auto user, store::FindUserByEmail(tx.db(), email));
    if (!user) return Error::InvalidInput("email", "There is no user with this email address");
    if (user->disabled) return Error::InvalidInput("email", "This user is disabled");
    const std::string token_name = domain::NameAsTyped(name);
    if (token_name.empty() || token_name.size() > 100 || HasControlCharacters(token_name) ||
        domain::FindTextProblem(token_name, domain::LineBreaks::kRefused)) {
      return Error::InvalidInput("name",
                                 "Enter a name for the token of 100 characters or fewer, in "
                                 "plain text");
    }
    NewToken token;
    token.token = std::string(kTokenPrefix) + RandomSecret(32);
    PATHWAY_ASSIGN_OR_RETURN(
        token.id, store::InsertToken(tx.db(), user->id, token_name, HashSecret(token.token)));
    tx.SetObjectId(std::to_string(token.id));
    tx.Describe(email);
    tx.Emit(DomainEvent{"token.created", "token", std::to_string(token.id), email});
    return token;
  });
}

Status IdentityService::RevokeToken(const Actor& actor, std::int64_t token_id) {
  SubjectOf owner = [token_id](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto token, store::FindToken(db, token_id));
    if (!token) return std::optional<Subject>();
    Subject subject;
    subject.user_id = token->user_id;
    return std::optional<Subject>(std::move(subject));
  };
  return kernel_.Execute(actor, {"token.revoke", "token", std::to_string(token_id)}, owner,
                         [&](Tx& tx) -> Status {
                           PATHWAY_TRY(store::RevokeToken(tx.db(), token_id));
                           tx.Emit("token.revoked");
                           return domain::Ok{};
                         });
}

Result<AuditPage> IdentityService::SearchAudit(const Actor& actor, const store::AuditQuery& query) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, authorizer_.Allowed(*db, actor, "audit.read", {}));
  if (!allowed) return Refuse(*db, actor, "audit.read", "audit", "");
  AuditPage page;
  PATHWAY_ASSIGN_OR_RETURN(page.records, store::SearchAudit(*db, query));
  PATHWAY_ASSIGN_OR_RETURN(page.total, store::CountAudit(*db, query));
  return page;
}

Result<store::AuditChainReport> IdentityService::VerifyAudit(const Actor& actor) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, authorizer_.Allowed(*db, actor, "audit.verify", {}));
  if (!allowed) return Refuse(*db, actor, "audit.verify", "audit", "");
  return store::VerifyAuditChain(*db);
}

Result<store::PersonRecord> IdentityService::GetPerson(const Actor& actor, std::int64_t person_id) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto person, store::FindPerson(*db, person_id));
  Subject subject;
  subject.person_id = person_id;
  if (person) {
    subject.department = person->department;
    subject.profession = person->profession;
  }
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, authorizer_.Allowed(*db, actor, "person.read", subject));
  if (!person || !allowed) {
    return Refuse(*db, actor, "person.read", "person", std::to_string(person_id));
  }
  return *person;
}

}  // namespace pathway::app
