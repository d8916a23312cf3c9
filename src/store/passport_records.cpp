#include "store/passport.hpp"

namespace pathway::store {

Status InsertSigningKey(Database& db, const TrustedKey& key, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare("INSERT INTO passport_key (kid, department, "
                                              "public_key, created_at) VALUES (?, ?, ?, ?)"));
  s.Bind(1, key.kid).Bind(2, key.department).Bind(3, key.public_key).Bind(4, now);
  return s.Run();
}

Result<bool> SigningKeyUsable(Database& db, std::string_view kid) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT 1 FROM passport_key WHERE kid = ? AND revoked_at IS NULL"));
  s.Bind(1, kid);
  return s.Step();
}

Status TrustKey(Database& db, const TrustedKey& key, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare(
          "INSERT INTO trusted_key (kid, department, public_key, added_at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (kid) DO NOTHING"));
  s.Bind(1, key.kid).Bind(2, key.department).Bind(3, key.public_key).Bind(4, now);
  return s.Run();
}

Result<std::optional<TrustedKey>> FindTrustedKey(Database& db, std::string_view kid) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT kid, department, public_key, revoked_at IS "
                                              "NOT NULL FROM trusted_key WHERE kid = ?"));
  s.Bind(1, kid);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<TrustedKey>();
  return std::optional<TrustedKey>(
      TrustedKey{s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnInt(3) != 0});
}

Result<std::vector<TrustedKey>> ListTrustedKeys(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(auto s,
                           db.Prepare("SELECT kid, department, public_key, revoked_at IS NOT NULL "
                                      "FROM trusted_key ORDER BY department, kid"));
  std::vector<TrustedKey> out;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnInt(3) != 0});
  }
  return out;
}

Result<bool> RevokeKey(Database& db, std::string_view kid, std::string_view now) {
  int changed = 0;
  for (const char* table : {"passport_key", "trusted_key"}) {
    PATHWAY_ASSIGN_OR_RETURN(
        auto s, db.Prepare(std::string("UPDATE ") + table +
                           " SET revoked_at = ? WHERE kid = ? AND revoked_at IS NULL"));
    s.Bind(1, now).Bind(2, kid);
    PATHWAY_TRY(s.Run());
    changed += db.Changes();
  }
  return changed > 0;
}

Status InsertIssued(Database& db, std::string_view id, std::int64_t person_id, std::string_view kid,
                    std::string_view now, std::string_view valid_until) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare("INSERT INTO issued_credential (id, person_id, kid, "
                                              "issued_at, valid_until) VALUES (?, ?, ?, ?, ?)"));
  s.Bind(1, id).Bind(2, person_id).Bind(3, kid).Bind(4, now).Bind(5, valid_until);
  return s.Run();
}

Result<bool> CredentialRevoked(Database& db, std::string_view id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare("SELECT 1 FROM issued_credential WHERE id = ? AND revoked_at IS NOT NULL"));
  s.Bind(1, id);
  return s.Step();
}

Result<bool> RevokeCredential(Database& db, std::string_view id, std::string_view now) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare(
          "UPDATE issued_credential SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"));
  s.Bind(1, now).Bind(2, id);
  PATHWAY_TRY(s.Run());
  return db.Changes() > 0;
}

Result<bool> ImportedAlready(Database& db, std::string_view id) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT 1 FROM imported_credential WHERE id = ?"));
  s.Bind(1, id);
  return s.Step();
}

Status InsertImported(Database& db, std::string_view id, std::int64_t person_id,
                      std::string_view issuer, std::string_view kid, std::string_view credential,
                      std::string_view now, int recorded, int unmapped) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare(
          "INSERT INTO imported_credential (id, person_id, issuer, kid, credential, imported_at, "
          "recorded, unmapped) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, id)
      .Bind(2, person_id)
      .Bind(3, issuer)
      .Bind(4, kid)
      .Bind(5, credential)
      .Bind(6, now)
      .Bind(7, recorded)
      .Bind(8, unmapped);
  return s.Run();
}

Result<std::optional<PersonByHrId>> FindPersonByHrId(Database& db, std::string_view hr_id) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s, db.Prepare("SELECT id, display_name, department FROM person WHERE external_id = ?"));
  s.Bind(1, hr_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<PersonByHrId>();
  return std::optional<PersonByHrId>(
      PersonByHrId{s.ColumnInt(0), s.ColumnText(1), s.ColumnText(2)});
}

Result<std::optional<std::string>> HrIdOfPerson(Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT external_id FROM person WHERE id = ?"));
  s.Bind(1, person_id);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(s.ColumnText(0));
}

Result<std::optional<std::string>> FirstHrId(Database& db, std::string_view department) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto s,
      db.Prepare(department.empty() ? "SELECT external_id FROM person ORDER BY id LIMIT 1"
                                    : "SELECT external_id FROM person WHERE department = ?1 "
                                      "ORDER BY id LIMIT 1"));
  if (!department.empty()) s.Bind(1, department);
  PATHWAY_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(s.ColumnText(0));
}

}  // namespace pathway::store
