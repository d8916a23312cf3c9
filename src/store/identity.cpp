#include "store/identity.hpp"

namespace pathway::store {
namespace {

constexpr std::string_view kUserColumns =
    "id, email, display_name, password_hash, person_id, disabled_at IS NOT NULL, created_at";

UserRecord ReadUser(const Statement& row) {
  UserRecord user;
  user.id = row.ColumnInt(0);
  user.email = row.ColumnText(1);
  user.display_name = row.ColumnText(2);
  if (!row.ColumnIsNull(3)) user.password_hash = row.ColumnText(3);
  if (!row.ColumnIsNull(4)) user.person_id = row.ColumnInt(4);
  user.disabled = row.ColumnInt(5) != 0;
  user.created_at = row.ColumnText(6);
  return user;
}

template <typename T, typename Read>
Result<std::optional<T>> One(Statement& stmt, Read read) {
  PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return std::optional<T>{};
  return std::optional<T>(read(stmt));
}

template <typename T, typename Read>
Result<std::vector<T>> All(Statement& stmt, Read read) {
  std::vector<T> rows;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return rows;
    rows.push_back(read(stmt));
  }
}

TokenRecord ReadToken(const Statement& row) {
  TokenRecord token;
  token.id = row.ColumnInt(0);
  token.user_id = row.ColumnInt(1);
  token.name = row.ColumnText(2);
  token.created_at = row.ColumnText(3);
  token.last_used_at = row.ColumnText(4);
  token.revoked = row.ColumnInt(5) != 0;
  return token;
}

constexpr std::string_view kTokenColumns =
    "id, user_id, name, created_at, COALESCE(last_used_at, ''), revoked_at IS NOT NULL";

// A LIKE pattern that matches `text` anywhere: LIKE's wildcards `%` and `_` in it match
// themselves (escaped with '\\', which the queries name with ESCAPE).
std::string Like(const std::string& text) {
  std::string pattern = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
    pattern += ch;
  }
  return pattern + "%";
}

}  // namespace

Result<std::int64_t> InsertUser(Database& db, const std::string& email,
                                const std::string& display_name,
                                const std::optional<std::string>& password_hash,
                                std::optional<std::int64_t> person_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO app_user (email, display_name, password_hash, person_id) "
                            "VALUES (?, ?, ?, ?)"));
  stmt.Bind(1, email).Bind(2, display_name);
  if (password_hash) {
    stmt.Bind(3, *password_hash);
  } else {
    stmt.BindNull(3);
  }
  if (person_id) {
    stmt.Bind(4, *person_id);
  } else {
    stmt.BindNull(4);
  }
  PATHWAY_TRY(stmt.Run());
  return db.LastInsertRowId();
}

Result<std::optional<UserRecord>> FindUserById(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT " + std::string(kUserColumns) + " FROM app_user WHERE id = ?"));
  stmt.Bind(1, id);
  return One<UserRecord>(stmt, ReadUser);
}

Result<std::optional<UserRecord>> FindUserByEmail(Database& db, const std::string& email) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT " + std::string(kUserColumns) +
                                                 " FROM app_user WHERE email = ?"));
  stmt.Bind(1, email);
  return One<UserRecord>(stmt, ReadUser);
}

Result<std::vector<UserRecord>> ListUsers(Database& db, const std::string& text, int limit,
                                          int offset) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("SELECT " + std::string(kUserColumns) +
                 " FROM app_user WHERE email LIKE ?1 ESCAPE '\\' OR display_name LIKE ?1 "
                 "ESCAPE '\\' "
                 "ORDER BY email LIMIT ?2 OFFSET ?3"));
  stmt.Bind(1, Like(text)).Bind(2, limit).Bind(3, offset);
  return All<UserRecord>(stmt, ReadUser);
}

Result<std::int64_t> CountUsers(Database& db, const std::string& text) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT COUNT(*) FROM app_user WHERE email LIKE ?1 ESCAPE '\\' OR "
                            "display_name LIKE ?1 ESCAPE '\\'"));
  stmt.Bind(1, Like(text));
  PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  return has_row ? stmt.ColumnInt(0) : 0;
}

Status SetUserDisabled(Database& db, std::int64_t user_id, bool disabled) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare(disabled ? "UPDATE app_user SET disabled_at = strftime('%Y-%m-%dT%H:%M:%fZ', "
                            "'now') WHERE id = ? AND disabled_at IS NULL"
                          : "UPDATE app_user SET disabled_at = NULL WHERE id = ?"));
  stmt.Bind(1, user_id);
  return stmt.Run();
}

Status SetPasswordHash(Database& db, std::int64_t user_id, const std::string& hash) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("UPDATE app_user SET password_hash = ? WHERE id = ?"));
  stmt.Bind(1, hash).Bind(2, user_id);
  return stmt.Run();
}

Status LinkUserToPerson(Database& db, std::int64_t user_id, const std::string& external_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("UPDATE app_user SET person_id = "
                 "(SELECT id FROM person WHERE external_id = ?1) "
                 "WHERE id = ?2 AND EXISTS (SELECT 1 FROM person WHERE external_id = ?1)"));
  stmt.Bind(1, external_id).Bind(2, user_id);
  PATHWAY_TRY(stmt.Run());
  if (db.Changes() == 0) return Error::NotFound("No person with HR id " + external_id);
  return domain::Ok{};
}

Result<std::int64_t> InsertGrant(Database& db, std::int64_t user_id, const std::string& role,
                                 const std::string& scope) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO role_grant (user_id, role, scope) VALUES (?, ?, ?)"));
  stmt.Bind(1, user_id).Bind(2, role).Bind(3, scope);
  PATHWAY_TRY(stmt.Run());
  return db.LastInsertRowId();
}

Result<std::vector<GrantRecord>> ActiveGrants(Database& db, std::int64_t user_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("SELECT id, user_id, role, scope, granted_at FROM role_grant "
                                      "WHERE user_id = ? AND revoked_at IS NULL ORDER BY id"));
  stmt.Bind(1, user_id);
  return All<GrantRecord>(stmt, [](const Statement& row) {
    return GrantRecord{row.ColumnInt(0), row.ColumnInt(1), row.ColumnText(2), row.ColumnText(3),
                       row.ColumnText(4)};
  });
}

Result<bool> RevokeGrant(Database& db, std::int64_t user_id, std::int64_t grant_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("UPDATE role_grant SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', "
                            "'now') WHERE id = ? AND user_id = ? AND revoked_at IS NULL"));
  stmt.Bind(1, grant_id).Bind(2, user_id);
  PATHWAY_TRY(stmt.Run());
  return db.Changes() > 0;
}

Status InsertSession(Database& db, const SessionRecord& session) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO user_session (id_hash, user_id, csrf_token, created_at, "
                            "last_seen_at) VALUES (?, ?, ?, ?, ?)"));
  stmt.Bind(1, session.id_hash)
      .Bind(2, session.user_id)
      .Bind(3, session.csrf_token)
      .Bind(4, session.created_at)
      .Bind(5, session.last_seen_at);
  return stmt.Run();
}

Result<std::optional<SessionRecord>> FindSession(Database& db, const std::string& id_hash) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, "
                            "ended_at IS NOT NULL FROM user_session WHERE id_hash = ?"));
  stmt.Bind(1, id_hash);
  return One<SessionRecord>(stmt, [](const Statement& row) {
    return SessionRecord{row.ColumnText(0), row.ColumnInt(1), row.ColumnText(2),
                         row.ColumnInt(3),  row.ColumnInt(4), row.ColumnInt(5) != 0};
  });
}

Status TouchSession(Database& db, const std::string& id_hash, std::int64_t now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("UPDATE user_session SET last_seen_at = ? WHERE id_hash = ?"));
  stmt.Bind(1, now).Bind(2, id_hash);
  return stmt.Run();
}

Status EndSession(Database& db, const std::string& id_hash, std::int64_t now) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("UPDATE user_session SET ended_at = ? WHERE id_hash = ? AND "
                                      "ended_at IS NULL"));
  stmt.Bind(1, now).Bind(2, id_hash);
  return stmt.Run();
}

Status EndUserSessions(Database& db, std::int64_t user_id, std::int64_t now) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("UPDATE user_session SET ended_at = ? WHERE user_id = ? AND "
                                      "ended_at IS NULL"));
  stmt.Bind(1, now).Bind(2, user_id);
  return stmt.Run();
}

Status EndOtherUserSessions(Database& db, std::int64_t user_id, const std::string& keep_id_hash,
                            std::int64_t now) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("UPDATE user_session SET ended_at = ? WHERE user_id = ? AND "
                                      "ended_at IS NULL AND id_hash <> ?"));
  stmt.Bind(1, now).Bind(2, user_id).Bind(3, keep_id_hash);
  return stmt.Run();
}

Result<int> RevokeUserTokens(Database& db, std::int64_t user_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("UPDATE api_token SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', "
                            "'now') WHERE user_id = ? AND revoked_at IS NULL"));
  stmt.Bind(1, user_id);
  PATHWAY_TRY(stmt.Run());
  return db.Changes();
}

Result<std::int64_t> InsertToken(Database& db, std::int64_t user_id, const std::string& name,
                                 const std::string& token_hash) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO api_token (user_id, name, token_hash) VALUES (?, ?, ?)"));
  stmt.Bind(1, user_id).Bind(2, name).Bind(3, token_hash);
  PATHWAY_TRY(stmt.Run());
  return db.LastInsertRowId();
}

Result<std::optional<TokenRecord>> FindActiveToken(Database& db, const std::string& token_hash) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT " + std::string(kTokenColumns) +
                            " FROM api_token WHERE token_hash = ? AND revoked_at IS NULL"));
  stmt.Bind(1, token_hash);
  return One<TokenRecord>(stmt, ReadToken);
}

Result<std::optional<TokenRecord>> FindToken(Database& db, std::int64_t token_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT " + std::string(kTokenColumns) +
                                                 " FROM api_token WHERE id = ?"));
  stmt.Bind(1, token_id);
  return One<TokenRecord>(stmt, ReadToken);
}

Result<std::vector<TokenRecord>> ListTokens(Database& db, std::int64_t user_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT " + std::string(kTokenColumns) +
                                                 " FROM api_token WHERE user_id = ? ORDER BY id"));
  stmt.Bind(1, user_id);
  return All<TokenRecord>(stmt, ReadToken);
}

Status RevokeToken(Database& db, std::int64_t token_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("UPDATE api_token SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', "
                            "'now') WHERE id = ? AND revoked_at IS NULL"));
  stmt.Bind(1, token_id);
  return stmt.Run();
}

Status TouchToken(Database& db, std::int64_t token_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("UPDATE api_token SET last_used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                 "WHERE id = ? AND (last_used_at IS NULL OR "
                 "last_used_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-60 seconds'))"));
  stmt.Bind(1, token_id);
  return stmt.Run();
}

Result<std::int64_t> InsertPerson(Database& db, const PersonRecord& person) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("INSERT INTO person (external_id, display_name, department, "
                                      "profession, line_manager_id) VALUES (?, ?, ?, ?, ?)"));
  stmt.Bind(1, person.external_id)
      .Bind(2, person.display_name)
      .Bind(3, person.department)
      .Bind(4, person.profession);
  if (person.line_manager_id) {
    stmt.Bind(5, *person.line_manager_id);
  } else {
    stmt.BindNull(5);
  }
  PATHWAY_TRY(stmt.Run());
  return db.LastInsertRowId();
}

Result<std::optional<PersonRecord>> FindPerson(Database& db, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT id, external_id, display_name, department, profession, "
                            "line_manager_id FROM person WHERE id = ?"));
  stmt.Bind(1, id);
  return One<PersonRecord>(stmt, [](const Statement& row) {
    PersonRecord person{row.ColumnInt(0),  row.ColumnText(1), row.ColumnText(2),
                        row.ColumnText(3), row.ColumnText(4), std::nullopt};
    if (!row.ColumnIsNull(5)) person.line_manager_id = row.ColumnInt(5);
    return person;
  });
}

Status PutSetting(Database& db, const std::string& key, const std::string& value) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("INSERT INTO setting (key, value) VALUES (?, ?) "
                                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  stmt.Bind(1, key).Bind(2, value);
  return stmt.Run();
}

Result<std::optional<std::string>> GetSetting(Database& db, const std::string& key) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT value FROM setting WHERE key = ?"));
  stmt.Bind(1, key);
  return One<std::string>(stmt, [](const Statement& row) { return row.ColumnText(0); });
}

Result<bool> IsInReportingChain(Database& db, std::int64_t manager_id, std::int64_t person_id) {
  // Walk up from the person; the depth bound guards against a cycle in bad data.
  PATHWAY_ASSIGN_OR_RETURN(auto stmt, db.Prepare(R"sql(
WITH RECURSIVE chain(id, depth) AS (
  SELECT line_manager_id, 1 FROM person WHERE id = ?1
  UNION ALL
  SELECT p.line_manager_id, c.depth + 1 FROM person p JOIN chain c ON p.id = c.id
  WHERE c.depth < 64
)
SELECT EXISTS (SELECT 1 FROM chain WHERE id = ?2))sql"));
  stmt.Bind(1, person_id).Bind(2, manager_id);
  PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  return has_row && stmt.ColumnInt(0) != 0;
}

Result<bool> IsCareerFrameworkOf(Database& db, const std::string& profession,
                                 const std::string& framework_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare("SELECT EXISTS (SELECT 1 FROM profession WHERE code = ?1 AND "
                                      "career_framework_id = ?2)"));
  stmt.Bind(1, profession).Bind(2, framework_id);
  PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  return has_row && stmt.ColumnInt(0) != 0;
}

}  // namespace pathway::store
