// The skills passport: a person's confirmed levels issued as a W3C Verifiable Credential
// 2.0 in the Open Badges 3.0 shape, secured as a compact JWS (VC-JOSE-COSE, alg EdDSA
// with Ed25519, `typ` vc+jwt; docs/adr/007-passport-vc-jose.md) by the issuing
// department's key; verified against the receiving database's trust list, and imported,
// with the person's consent, into the ledger as source "passport". Format:
// docs/formats/passport.md.
//
// Policy actions: passport.keys (keys and the trust list: the system, administrators),
// passport.export (the system; the person themselves; HR partners of their department),
// passport.import (the system; HR partners of the department). Items are mapped onto
// this database's frameworks directly (the same item id) or through "same as" crosswalks
// (app/crosswalks.hpp); items that land nowhere are listed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/policy.hpp"
#include "app/unit_of_work.hpp"
#include "domain/result.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

inline constexpr std::size_t kMaxCredentialBytes = 1024 * 1024;  // as interchange's

struct PassportKey {
  std::string kid;
  std::string department;
  std::string public_key;  // base64url, 32 bytes
};

struct PassportEntry {
  std::string item_uri;  // the CASE item URI: BASE/CFItems/UUID
  std::string item_id;   // the UUID at its end
  std::string title;
  std::string framework;
  int framework_version = 0;
  int level = 0;
  std::string source;  // manager, panel, recruitment, review, passport
  std::string assessed_on;
};

struct VerifiedCredential {
  std::string id;
  std::string kid;
  std::string issuer;  // the department's name or code
  std::string subject_hr_id;
  std::string subject_name;
  std::string valid_from;
  std::string valid_until;
  std::vector<PassportEntry> entries;
  std::string text;  // the compact JWS
};

// Where one of the credential's items lands in this database.
struct MappedEntry {
  PassportEntry entry;
  // "recorded" (the item, or an item crosswalked as the same, is here: the level is
  // recorded on it), "related" (only broader, narrower or related items are here: shown,
  // not recorded), "off_scale" (the level is off the local item's scale) or "unmapped".
  std::string outcome;
  std::string local_item_id;  // for recorded, off_scale: the item the level lands on
  std::string local_title;
  std::string via;  // "" when the same item; otherwise "crosswalk ‘TITLE’ is the same as"
  std::vector<std::string> related;  // for related: "‘TITLE’ is broader than", ...
};

struct ImportResult {
  std::string credential_id;
  int recorded = 0;
  std::vector<std::string> unmapped;  // titles of items that land nowhere here
  std::vector<MappedEntry> entries;   // every item of the credential, with its outcome
};

// A verified credential and where its items would land, before anything is recorded.
struct ImportCheck {
  VerifiedCredential credential;
  std::vector<MappedEntry> entries;
};

class PassportService {
 public:
  // `keys_dir` holds the departments' private signing keys as DEPARTMENT.key (made by
  // `pathway passport keygen`), for credentials issued from pages and the API; empty:
  // none (only the command line, naming a key file, issues them).
  explicit PassportService(UnitOfWork& kernel, std::string keys_dir = "")
      : kernel_(kernel), keys_dir_(std::move(keys_dir)) {}

  // Creates a department's Ed25519 key: the private seed in a new file at `out_path`
  // (owner-only; an existing file is never overwritten), the public key in the database
  // and on its own trust list.
  Result<PassportKey> CreateKey(const Actor& actor, const std::string& department,
                                const std::string& out_path);
  Result<bool> RevokeKey(const Actor& actor, const std::string& kid);
  Result<std::vector<PassportKey>> TrustedKeys(const Actor& actor);
  // Adds a department's public key (exchanged as JSON: {department, kid, public_key}).
  Status Trust(const Actor& actor, const PassportKey& key);

  // The person's confirmed current levels, signed with the key in `key_path`.
  Result<std::string> Export(const Actor& actor, const std::string& hr_id,
                             const std::string& key_path, const std::string& base_uri,
                             int valid_days);
  // Whether credentials for people of `department` can be issued here (its key file is
  // in the keys folder).
  bool CanIssueFor(const std::string& department) const;
  // The person's credential signed with their department's key from the keys folder;
  // kUnavailable (field "key") when the department has none.
  Result<std::string> ExportForPerson(const Actor& actor, const std::string& hr_id,
                                      const std::string& base_uri, int valid_days = 365);
  // What a credential for the person would hold (their confirmed current levels), for
  // the page that offers it. Same authorisation as exporting it.
  Result<std::vector<PassportEntry>> Preview(const Actor& actor, const std::string& hr_id);

  // The HR id and department of person number `person_id` (for pages addressed by
  // number); kNotFound when there is none. Reveals nothing by itself: every use case
  // above authorises on the person.
  struct PersonKey {
    std::string hr_id;
    std::string department;
  };
  Result<PersonKey> PersonOf(std::int64_t person_id);
  // The HR id of someone the actor may import a passport for (the first person of the
  // first department the policy gives them, or of anyone for an unscoped right), shown as
  // an example in the import form's hint; nullopt when there is none.
  Result<std::optional<std::string>> ExampleHrId(const Actor& actor);

  // Checks the signature against the trust list, the dates and revocation.
  Result<VerifiedCredential> Verify(const std::string& text);
  // Verifies, checks the person and the consent, and records the mapped items in the
  // ledger as "passport", citing the credential, which is kept. Unmapped items are listed.
  Result<ImportResult> Import(const Actor& actor, const std::string& hr_id, const std::string& text,
                              bool consent);
  // Verifies the credential for the person and says where each item would land; records
  // nothing. Refused like Import, except for consent.
  Result<ImportCheck> Check(const Actor& actor, const std::string& hr_id, const std::string& text);

 private:
  std::string KeyPath(const std::string& department) const;

  UnitOfWork& kernel_;
  std::string keys_dir_;
};

}  // namespace pathway::app
