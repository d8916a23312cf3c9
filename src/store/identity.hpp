// Users, role grants, sessions, API tokens and the minimal person record they link
// to. Plain reads and writes; who may do what is decided in app/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/identity_records.hpp"
#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

// The value types these functions take and answer live in domain/identity_records.hpp.
using domain::GrantRecord;
using domain::PersonRecord;
using domain::SessionRecord;
using domain::TokenRecord;
using domain::UserRecord;

// Users. Emails compare case-insensitively. InsertUser answers kConflict when the
// email is taken.
Result<std::int64_t> InsertUser(Database& db, const std::string& email,
                                const std::string& display_name,
                                const std::optional<std::string>& password_hash,
                                std::optional<std::int64_t> person_id);
Result<std::optional<UserRecord>> FindUserById(Database& db, std::int64_t id);
Result<std::optional<UserRecord>> FindUserByEmail(Database& db, const std::string& email);
// Users whose email or name contains `text` (all when empty), by email.
Result<std::vector<UserRecord>> ListUsers(Database& db, const std::string& text, int limit,
                                          int offset);
Result<std::int64_t> CountUsers(Database& db, const std::string& text);
Status SetUserDisabled(Database& db, std::int64_t user_id, bool disabled);
Status SetPasswordHash(Database& db, std::int64_t user_id, const std::string& hash);
// Links the user to the person with this external (HR) id; kNotFound if there is none.
Status LinkUserToPerson(Database& db, std::int64_t user_id, const std::string& external_id);

// Role grants. Only grants not revoked are returned.
Result<std::int64_t> InsertGrant(Database& db, std::int64_t user_id, const std::string& role,
                                 const std::string& scope);
Result<std::vector<GrantRecord>> ActiveGrants(Database& db, std::int64_t user_id);
// Revokes the grant if it belongs to `user_id` and is active; false if there was none.
Result<bool> RevokeGrant(Database& db, std::int64_t user_id, std::int64_t grant_id);

// Sessions, keyed by a hash of the session id (the id itself is never stored).
Status InsertSession(Database& db, const SessionRecord& session);
Result<std::optional<SessionRecord>> FindSession(Database& db, const std::string& id_hash);
Status TouchSession(Database& db, const std::string& id_hash, std::int64_t now);
Status EndSession(Database& db, const std::string& id_hash, std::int64_t now);
Status EndUserSessions(Database& db, std::int64_t user_id, std::int64_t now);
// Ends every session of the user but the one with `keep_id_hash` (empty: none is kept).
Status EndOtherUserSessions(Database& db, std::int64_t user_id, const std::string& keep_id_hash,
                            std::int64_t now);
// Revokes every active API token of the user; returns how many.
Result<int> RevokeUserTokens(Database& db, std::int64_t user_id);

// API tokens, keyed by a hash of the token.
Result<std::int64_t> InsertToken(Database& db, std::int64_t user_id, const std::string& name,
                                 const std::string& token_hash);
// The active (not revoked) token with this hash, if any.
Result<std::optional<TokenRecord>> FindActiveToken(Database& db, const std::string& token_hash);
Result<std::optional<TokenRecord>> FindToken(Database& db, std::int64_t token_id);
Result<std::vector<TokenRecord>> ListTokens(Database& db, std::int64_t user_id);
Status RevokeToken(Database& db, std::int64_t token_id);
// Records the token's use, at most once a minute (so reads rarely write).
Status TouchToken(Database& db, std::int64_t token_id);

// People (the minimal record identity needs; the workforce model extends it).
Result<std::int64_t> InsertPerson(Database& db, const PersonRecord& person);
Result<std::optional<PersonRecord>> FindPerson(Database& db, std::int64_t id);
// Settings: small named values about the database itself (for example, that it
// holds demo data). GetSetting answers nullopt when the key is unset.
Status PutSetting(Database& db, const std::string& key, const std::string& value);
Result<std::optional<std::string>> GetSetting(Database& db, const std::string& key);

// Whether `person_id` reports to `manager_id`, directly or through the chain.
Result<bool> IsInReportingChain(Database& db, std::int64_t manager_id, std::int64_t person_id);
// Whether `framework_id` is the career framework of the profession `profession`.
Result<bool> IsCareerFrameworkOf(Database& db, const std::string& profession,
                                 const std::string& framework_id);

}  // namespace pathway::store
