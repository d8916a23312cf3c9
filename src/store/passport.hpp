// The skills passport's tables: signing keys, the trust list, credentials issued and
// imported. Called by app/passport.cpp inside its units of work.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

using domain::Result;
using domain::Status;

struct TrustedKey {
  std::string kid;
  std::string department;
  std::string public_key;  // base64url, 32 bytes
  bool revoked = false;
};
Status InsertSigningKey(Database& db, const TrustedKey& key, std::string_view now);
Result<bool> SigningKeyUsable(Database& db, std::string_view kid);
Status TrustKey(Database& db, const TrustedKey& key, std::string_view now);
Result<std::optional<TrustedKey>> FindTrustedKey(Database& db, std::string_view kid);
Result<std::vector<TrustedKey>> ListTrustedKeys(Database& db);
// Revokes a key everywhere it is known; false when it is unknown.
Result<bool> RevokeKey(Database& db, std::string_view kid, std::string_view now);

Status InsertIssued(Database& db, std::string_view id, std::int64_t person_id, std::string_view kid,
                    std::string_view now, std::string_view valid_until);
Result<bool> CredentialRevoked(Database& db, std::string_view id);
Result<bool> RevokeCredential(Database& db, std::string_view id, std::string_view now);
Result<bool> ImportedAlready(Database& db, std::string_view id);
Status InsertImported(Database& db, std::string_view id, std::int64_t person_id,
                      std::string_view issuer, std::string_view kid, std::string_view credential,
                      std::string_view now, int recorded, int unmapped);

// A person by HR id: (id, name, department).
struct PersonByHrId {
  std::int64_t id = 0;
  std::string name;
  std::string department;
};
Result<std::optional<PersonByHrId>> FindPersonByHrId(Database& db, std::string_view hr_id);
// The HR id of the person with this number, or nullopt.
Result<std::optional<std::string>> HrIdOfPerson(Database& db, std::int64_t person_id);
// The HR id of the first person (by number) of `department`, or of anyone when
// `department` is empty; nullopt when there is none. For examples in hints.
Result<std::optional<std::string>> FirstHrId(Database& db, std::string_view department);

}  // namespace pathway::store
