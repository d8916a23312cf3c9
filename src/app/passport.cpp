#include "app/passport.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/assessments.hpp"
#include "domain/text.hpp"
#include "interchange/passport_credential.hpp"
#include "store/assessments.hpp"
#include "store/crosswalks.hpp"
#include "store/database.hpp"
#include "store/passport.hpp"

namespace pathway::app {

using domain::Error;
using domain::ErrorCode;
using interchange::Base64Url;
using interchange::FromBase64Url;
using nlohmann::json;

namespace {

constexpr std::string_view kKeys = "passport.keys";
constexpr std::string_view kExport = "passport.export";
constexpr std::string_view kImport = "passport.import";
constexpr std::string_view kSubjectPrefix = "urn:pathway:person:";

std::string Hex(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

std::string KidFor(const std::string& department, const unsigned char* public_key) {
  unsigned char digest[8];
  crypto_generichash(digest, sizeof digest, public_key, crypto_sign_PUBLICKEYBYTES, nullptr, 0);
  return department + "-" + Hex(digest, sizeof digest);
}

std::string Iso(std::chrono::system_clock::time_point t) {
  const std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&s, &utc);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return out;
}

Error Refused(std::string reason) { return Error::InvalidInput("credential", std::move(reason)); }

}  // namespace

Result<PassportKey> PassportService::CreateKey(const Actor& actor, const std::string& department,
                                               const std::string& out_path) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  Command command{std::string(kKeys), "passport_key", department, "No such department"};
  command.forbidden = "Only the system creates signing keys";
  return kernel_.Execute(actor, command, Fixed(), [&](Tx& tx) -> Result<PassportKey> {
    auto exists = tx.db().Prepare("SELECT 1 FROM department WHERE code = ?");
    if (!exists.ok()) return exists.error();
    exists->Bind(1, department);
    PATHWAY_ASSIGN_OR_RETURN(bool found, exists->Step());
    if (!found)
      return Error::InvalidInput(
          "department", fmt::format("There is no department with the code {}", department));
    unsigned char seed[crypto_sign_SEEDBYTES];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    randombytes_buf(seed, sizeof seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    PassportKey key{KidFor(department, pk), department,
                    Base64Url(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk))};
    const std::string text = Hex(seed, sizeof seed) + "\n";
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);
    const int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
      return Error::InvalidInput(
          "out", fmt::format("Could not create {} (it must not exist yet)", out_path));
    const bool written =
        ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!written) return Error::Unavailable(fmt::format("Could not write {}", out_path));
    store::TrustedKey row{key.kid, key.department, key.public_key, false};
    PATHWAY_TRY(store::InsertSigningKey(tx.db(), row, tx.now()));
    PATHWAY_TRY(store::TrustKey(tx.db(), row, tx.now()));
    tx.SetObjectId(key.kid);
    tx.Describe(fmt::format("signing key {} for {}", key.kid, department));
    return key;
  });
}

Result<bool> PassportService::RevokeKey(const Actor& actor, const std::string& kid) {
  Command command{std::string(kKeys), "passport_key", kid, "No such key"};
  command.forbidden = "Only the system revokes keys";
  return kernel_.Execute(actor, command, Fixed(), [&](Tx& tx) -> Result<bool> {
    PATHWAY_ASSIGN_OR_RETURN(bool revoked, store::RevokeKey(tx.db(), kid, tx.now()));
    if (!revoked)
      return Error::InvalidInput("kid", "There is no such key, or it is already revoked");
    tx.Describe("revoked");
    return revoked;
  });
}

Result<std::vector<PassportKey>> PassportService::TrustedKeys(const Actor&) {
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto keys, store::ListTrustedKeys(*db));
  std::vector<PassportKey> out;
  for (const auto& k : keys) {
    if (!k.revoked) out.push_back({k.kid, k.department, k.public_key});
  }
  return out;
}

Status PassportService::Trust(const Actor& actor, const PassportKey& key) {
  auto raw = FromBase64Url(key.public_key);
  if (!raw || raw->size() != crypto_sign_PUBLICKEYBYTES) {
    return Error::InvalidInput("public_key", "Give the public key as 32 bytes in base64url");
  }
  if (key.kid.empty() || key.kid.size() > 100 ||
      domain::FindTextProblem(key.kid, domain::LineBreaks::kRefused)) {
    return Error::InvalidInput("kid", "Give the key id");
  }
  if (key.department.empty() || key.department.size() > 64 ||
      domain::FindTextProblem(key.department, domain::LineBreaks::kRefused)) {
    return Error::InvalidInput("department", "Give the department's code");
  }
  Command command{std::string(kKeys), "trusted_key", key.kid, "No such key"};
  command.forbidden = "Only administrators change the trust list";
  return kernel_.Execute(actor, command, Fixed(), [&](Tx& tx) -> Status {
    PATHWAY_TRY(
        store::TrustKey(tx.db(), {key.kid, key.department, key.public_key, false}, tx.now()));
    tx.Describe(fmt::format("trusted {} of {}", key.kid, key.department));
    return domain::Ok{};
  });
}

Result<std::string> PassportService::Export(const Actor& actor, const std::string& hr_id,
                                            const std::string& key_path,
                                            const std::string& base_uri, int valid_days) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  if (valid_days < 1 || valid_days > 3650)
    return Error::InvalidInput("valid_days", "Give 1 to 3,650 days");
  std::ifstream in(key_path);
  std::string hex;
  in >> hex;
  unsigned char seed[crypto_sign_SEEDBYTES];
  std::size_t length = 0;
  if (hex.size() != 64 ||
      sodium_hex2bin(seed, sizeof seed, hex.data(), hex.size(), nullptr, &length, nullptr) != 0 ||
      length != sizeof seed) {
    return Error::InvalidInput(
        "key", fmt::format("{} is not a signing key made by `pathway passport keygen`", key_path));
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, seed);
  sodium_memzero(seed, sizeof seed);
  Command command{std::string(kExport), "person", hr_id, "No such person"};
  command.forbidden = "You cannot issue this person’s passport";
  PATHWAY_ASSIGN_OR_RETURN(auto subject, [&]() -> Result<std::optional<store::PersonByHrId>> {
    auto db = kernel_.pool().Acquire();
    return store::FindPersonByHrId(*db, hr_id);
  }());
  if (!subject) {
    sodium_memzero(sk, sizeof sk);
    return Error::InvalidInput("person", "There is no person with this HR id");
  }
  auto result =
      kernel_.Execute(actor, command, OfPerson(subject->id), [&](Tx& tx) -> Result<std::string> {
        PATHWAY_ASSIGN_OR_RETURN(auto person, store::FindPersonByHrId(tx.db(), hr_id));
        if (!person) return Error::InvalidInput("person", "There is no person with this HR id");
        // The key must be one of this database's signing keys, not revoked.
        std::string department;
        std::string kid;
        {
          auto keys = tx.db().Prepare(
              "SELECT kid, department FROM passport_key WHERE public_key = ? AND revoked_at IS "
              "NULL");
          if (!keys.ok()) return keys.error();
          keys->Bind(1, Base64Url(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk)));
          PATHWAY_ASSIGN_OR_RETURN(bool row, keys->Step());
          if (!row)
            return Error::InvalidInput(
                "key", "This key is not a signing key of this database, or it is revoked");
          kid = keys->ColumnText(0);
          department = keys->ColumnText(1);
        }
        PATHWAY_ASSIGN_OR_RETURN(auto ledger, store::ReadLedger(tx.db(), person->id));
        std::map<std::string, std::vector<domain::LedgerEntry>> by_item;
        for (auto& e : ledger) by_item[e.item_id].push_back(std::move(e));
        json results = json::array();
        json descriptions = json::array();
        for (const auto& [item_id, entries] : by_item) {
          auto rule = domain::CurrentLevelOf(entries);
          if (!rule || !rule->confirmed) continue;  // only confirmed levels travel
          PATHWAY_ASSIGN_OR_RETURN(auto item, store::FindPublishedItem(tx.db(), item_id));
          if (!item) continue;
          const auto& decided = entries[rule->index];
          const std::string uri = base_uri + "/CFItems/" + item_id;
          descriptions.push_back({{"id", uri},
                                  {"type", json::array({"ResultDescription"})},
                                  {"name", item->title},
                                  {"resultType", "RubricCriterionLevel"}});
          results.push_back({{"type", json::array({"Result"})},
                             {"resultDescription", uri},
                             {"value", std::to_string(rule->level)},
                             {"pathwayLevel",
                              {{"item", uri},
                               {"framework", item->framework_id},
                               {"frameworkVersion", decided.framework_version},
                               {"level", rule->level},
                               {"source", std::string(domain::AssessorKindName(decided.source))},
                               {"assessedOn", decided.assessed_on}}}});
        }
        unsigned char random[16];
        randombytes_buf(random, sizeof random);
        random[6] = static_cast<unsigned char>((random[6] & 0x0F) | 0x40);
        random[8] = static_cast<unsigned char>((random[8] & 0x3F) | 0x80);
        const std::string h = Hex(random, sizeof random);
        const std::string id =
            fmt::format("urn:uuid:{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4),
                        h.substr(16, 4), h.substr(20));
        const auto now = std::chrono::system_clock::now();
        const std::string valid_from = Iso(now);
        const std::string valid_until = Iso(now + std::chrono::hours(24) * valid_days);
        json credential = {
            {"@context",
             json::array({"https://www.w3.org/ns/credentials/v2",
                          "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"})},
            {"id", id},
            {"type", json::array({"VerifiableCredential", "OpenBadgeCredential"})},
            {"name", "Skills passport"},
            {"issuer",
             {{"id", fmt::format("urn:pathway:department:{}", department)},
              {"type", json::array({"Profile"})},
              {"name", department}}},
            {"validFrom", valid_from},
            {"validUntil", valid_until},
            {"credentialSubject",
             {{"id", std::string(kSubjectPrefix) + hr_id},
              {"type", json::array({"AchievementSubject"})},
              {"name", person->name},
              {"achievement",
               {{"id", "urn:pathway:achievement:skills-passport"},
                {"type", json::array({"Achievement"})},
                {"name", "Confirmed levels in Civil Service frameworks"},
                {"description",
                 "The levels confirmed by a line manager, a panel, a recruitment campaign, "
                 "an end-year review or a verified passport."},
                {"criteria",
                 {{"narrative",
                   "Each result is the latest confirmed level of one framework item."}}},
                {"resultDescription", descriptions}}},
              {"result", results}}}};
        const json header = {{"alg", "EdDSA"}, {"typ", "vc+jwt"}, {"cty", "vc"}, {"kid", kid}};
        const std::string signing_input =
            Base64Url(header.dump()) + "." + Base64Url(credential.dump());
        unsigned char signature[crypto_sign_BYTES];
        crypto_sign_detached(signature, nullptr,
                             reinterpret_cast<const unsigned char*>(signing_input.data()),
                             signing_input.size(), sk);
        PATHWAY_TRY(store::InsertIssued(tx.db(), id, person->id, kid, tx.now(), valid_until));
        tx.SetObjectId(id);
        tx.Describe(fmt::format("{} levels for {}", results.size(), hr_id));
        return signing_input + "." +
               Base64Url(
                   std::string_view(reinterpret_cast<const char*>(signature), sizeof signature));
      });
  sodium_memzero(sk, sizeof sk);
  return result;
}

Result<VerifiedCredential> PassportService::Verify(const std::string& raw) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  PATHWAY_ASSIGN_OR_RETURN(auto parsed, interchange::ParsePassportJws(raw));
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto key, store::FindTrustedKey(*db, parsed.kid));
  if (!key)
    return Refused(fmt::format("The key {} is not on this database's trust list", parsed.kid));
  if (key->revoked) return Refused(fmt::format("The key {} has been revoked", parsed.kid));
  auto public_key = FromBase64Url(key->public_key);
  if (!public_key || public_key->size() != crypto_sign_PUBLICKEYBYTES)
    return Refused("The trusted key is malformed");
  if (parsed.signature.size() != crypto_sign_BYTES ||
      crypto_sign_verify_detached(
          reinterpret_cast<const unsigned char*>(parsed.signature.data()),
          reinterpret_cast<const unsigned char*>(parsed.signing_input.data()),
          parsed.signing_input.size(),
          reinterpret_cast<const unsigned char*>(public_key->data())) != 0) {
    return Refused(
        "The signature does not verify: the credential was altered or signed by another key");
  }
  const std::string now = Iso(std::chrono::system_clock::now());
  if (parsed.valid_from > now) return Refused("The credential is not valid yet");
  if (parsed.valid_until <= now)
    return Refused(fmt::format("The credential expired on {}", parsed.valid_until));
  PATHWAY_ASSIGN_OR_RETURN(bool revoked, store::CredentialRevoked(*db, parsed.id));
  if (revoked) return Refused("The credential has been revoked by its issuer");
  VerifiedCredential out;
  out.id = parsed.id;
  out.kid = parsed.kid;
  out.issuer = parsed.issuer;
  out.subject_hr_id = parsed.subject_hr_id;
  out.subject_name = parsed.subject_name;
  out.valid_from = parsed.valid_from;
  out.valid_until = parsed.valid_until;
  std::string text = raw;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  out.text = std::move(text);
  for (auto& e : parsed.entries) {
    out.entries.push_back({e.item_uri, e.item_id, e.title, e.framework, e.framework_version,
                           e.level, e.source, e.assessed_on});
  }
  return out;
}

namespace {

// Where each of the credential's items lands here: the same item, else the items
// crosswalked to it as the same (a level recorded on each), else related items (shown,
// not recorded), else nowhere.
Result<std::vector<MappedEntry>> MapEntries(store::Database& db,
                                            const std::vector<PassportEntry>& entries) {
  std::vector<MappedEntry> out;
  for (const auto& e : entries) {
    const std::string name = e.title.empty() ? e.item_uri : e.title;
    PATHWAY_ASSIGN_OR_RETURN(auto item, store::FindPublishedItem(db, e.item_id));
    if (item) {
      out.push_back({e,
                     item->OnScale(e.level) ? "recorded" : "off_scale",
                     item->item_id,
                     item->title,
                     "",
                     {}});
      continue;
    }
    PATHWAY_ASSIGN_OR_RETURN(auto links, store::LinkedItems(db, e.item_id));
    bool landed = false;
    std::vector<std::string> related;
    for (const auto& link : links) {
      PATHWAY_ASSIGN_OR_RETURN(auto local, store::FindPublishedItem(db, link.item_id));
      if (!local) continue;
      if (link.kind == domain::CrosswalkKind::kSame) {
        landed = true;
        out.push_back({e,
                       local->OnScale(e.level) ? "recorded" : "off_scale",
                       local->item_id,
                       local->title,
                       fmt::format("‘{}’ ({}) is the same as ‘{}’", local->title,
                                   local->framework_title, name),
                       {}});
      } else {
        // The link was read from the credential's item to the local one: say it from the
        // local item's side.
        const domain::CrosswalkKind seen =
            link.kind == domain::CrosswalkKind::kBroader    ? domain::CrosswalkKind::kNarrower
            : link.kind == domain::CrosswalkKind::kNarrower ? domain::CrosswalkKind::kBroader
                                                            : link.kind;
        related.push_back(fmt::format("‘{}’ ({}) {} ‘{}’", local->title, local->framework_title,
                                      domain::CrosswalkKindPhrase(seen), name));
      }
    }
    if (landed) continue;
    MappedEntry unmapped{
        e, related.empty() ? "unmapped" : "related", "", "", "", std::move(related)};
    out.push_back(std::move(unmapped));
  }
  return out;
}

}  // namespace

Result<PassportService::PersonKey> PassportService::PersonOf(std::int64_t person_id) {
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto hr_id, store::HrIdOfPerson(*db, person_id));
  if (!hr_id) return Error::NotFound("No such person");
  PATHWAY_ASSIGN_OR_RETURN(auto person, store::FindPersonByHrId(*db, *hr_id));
  if (!person) return Error::NotFound("No such person");
  return PersonKey{*hr_id, person->department};
}

Result<std::optional<std::string>> PassportService::ExampleHrId(const Actor& actor) {
  const auto scope = PeopleScopeOf(kernel_.authorizer().policy(), actor, {kImport},
                                   {domain::Relationship::kDepartment, domain::Relationship::kAny});
  if (!scope) return std::optional<std::string>();
  auto db = kernel_.pool().Acquire();
  if (scope->all) return store::FirstHrId(*db, "");
  for (const auto& department : scope->departments) {
    PATHWAY_ASSIGN_OR_RETURN(auto hr_id, store::FirstHrId(*db, department));
    if (hr_id) return hr_id;
  }
  return std::optional<std::string>();
}

std::string PassportService::KeyPath(const std::string& department) const {
  return keys_dir_ + "/" + department + ".key";
}

bool PassportService::CanIssueFor(const std::string& department) const {
  if (keys_dir_.empty() || department.empty() ||
      department.find_first_of("/\\.") != std::string::npos) {
    return false;
  }
  return ::access(KeyPath(department).c_str(), R_OK) == 0;
}

Result<std::string> PassportService::ExportForPerson(const Actor& actor, const std::string& hr_id,
                                                     const std::string& base_uri, int valid_days) {
  PATHWAY_ASSIGN_OR_RETURN(auto person, [&]() -> Result<std::optional<store::PersonByHrId>> {
    auto db = kernel_.pool().Acquire();
    return store::FindPersonByHrId(*db, hr_id);
  }());
  if (!person) return Error::NotFound("No such person");
  // Authorised before anything is said about keys: the same check as exporting.
  PATHWAY_TRY(Preview(actor, hr_id));
  if (!CanIssueFor(person->department)) {
    return Error::InvalidInput(
        "key", fmt::format("Passports cannot be issued for {} yet: the department has no "
                           "signing key here",
                           person->department));
  }
  return Export(actor, hr_id, KeyPath(person->department), base_uri, valid_days);
}

Result<std::vector<PassportEntry>> PassportService::Preview(const Actor& actor,
                                                            const std::string& hr_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto person, [&]() -> Result<std::optional<store::PersonByHrId>> {
    auto db = kernel_.pool().Acquire();
    return store::FindPersonByHrId(*db, hr_id);
  }());
  if (!person) return Error::NotFound("No such person");
  Command command{std::string(kExport), "person", hr_id, "No such person"};
  return kernel_.Read(
      actor, command, OfPerson(person->id),
      [&](store::Database& db) -> Result<std::vector<PassportEntry>> {
        PATHWAY_ASSIGN_OR_RETURN(auto ledger, store::ReadLedger(db, person->id));
        std::map<std::string, std::vector<domain::LedgerEntry>> by_item;
        for (auto& e : ledger) by_item[e.item_id].push_back(std::move(e));
        std::vector<PassportEntry> out;
        for (const auto& [item_id, entries] : by_item) {
          auto rule = domain::CurrentLevelOf(entries);
          if (!rule || !rule->confirmed) continue;
          PATHWAY_ASSIGN_OR_RETURN(auto item, store::FindPublishedItem(db, item_id));
          if (!item) continue;
          const auto& decided = entries[rule->index];
          out.push_back({"", item_id, item->title, item->framework_title, decided.framework_version,
                         rule->level, std::string(domain::AssessorKindName(decided.source)),
                         decided.assessed_on});
        }
        return out;
      });
}

Result<ImportCheck> PassportService::Check(const Actor& actor, const std::string& hr_id,
                                           const std::string& text) {
  PATHWAY_ASSIGN_OR_RETURN(auto verified, Verify(text));
  if (verified.subject_hr_id != hr_id) {
    return Refused(
        fmt::format("The credential is for {}, not for {}", verified.subject_hr_id, hr_id));
  }
  PATHWAY_ASSIGN_OR_RETURN(auto person, [&]() -> Result<std::optional<store::PersonByHrId>> {
    auto db = kernel_.pool().Acquire();
    return store::FindPersonByHrId(*db, hr_id);
  }());
  if (!person) return Error::NotFound("No such person");
  Command command{std::string(kImport), "person", hr_id, "No such person"};
  return kernel_.Read(actor, command, OfPerson(person->id),
                      [&](store::Database& db) -> Result<ImportCheck> {
                        PATHWAY_ASSIGN_OR_RETURN(auto entries, MapEntries(db, verified.entries));
                        return ImportCheck{verified, std::move(entries)};
                      });
}

Result<ImportResult> PassportService::Import(const Actor& actor, const std::string& hr_id,
                                             const std::string& text, bool consent) {
  if (!consent) {
    return Error::InvalidInput("consent",
                               "Record the person's consent before importing their passport");
  }
  PATHWAY_ASSIGN_OR_RETURN(auto verified, Verify(text));
  if (verified.subject_hr_id != hr_id) {
    return Refused(
        fmt::format("The credential is for {}, not for {}", verified.subject_hr_id, hr_id));
  }
  Command command{std::string(kImport), "person", hr_id, "No such person"};
  PATHWAY_ASSIGN_OR_RETURN(auto person, [&]() -> Result<std::optional<store::PersonByHrId>> {
    auto db = kernel_.pool().Acquire();
    return store::FindPersonByHrId(*db, hr_id);
  }());
  if (!person) return Error::NotFound("No such person");
  return kernel_.Execute(actor, command, OfPerson(person->id), [&](Tx& tx) -> Result<ImportResult> {
    PATHWAY_ASSIGN_OR_RETURN(bool already, store::ImportedAlready(tx.db(), verified.id));
    if (already)
      return Error{ErrorCode::kConflict, "credential", "This credential has already been imported"};
    ImportResult out;
    out.credential_id = verified.id;
    PATHWAY_ASSIGN_OR_RETURN(out.entries, MapEntries(tx.db(), verified.entries));
    for (const auto& mapped : out.entries) {
      const PassportEntry& e = mapped.entry;
      if (mapped.outcome != "recorded") {
        out.unmapped.push_back(e.title.empty() ? e.item_uri : e.title);
        continue;
      }
      PATHWAY_ASSIGN_OR_RETURN(auto item, store::FindPublishedItem(tx.db(), mapped.local_item_id));
      PATHWAY_ASSIGN_OR_RETURN(auto ref, store::ItemRefOf(tx.db(), mapped.local_item_id));
      store::LedgerAppend row;
      row.person_id = person->id;
      row.item_ref_id = ref;
      row.level = e.level;
      row.source = domain::AssessorKind::kPassport;
      row.capacity = "passport";
      row.recorded_by = tx.actor().person_id;
      row.assessed_on =
          e.assessed_on.size() >= 10 ? e.assessed_on.substr(0, 10) : tx.now().substr(0, 10);
      row.recorded_at = tx.now();
      row.framework_version = item->framework_version;
      row.comment = fmt::format("From the passport {} issued by {} ({} in the issuer's ledger)",
                                verified.id, verified.issuer, e.source);
      if (!mapped.via.empty()) row.comment += "; crosswalk: " + mapped.via;
      PATHWAY_TRY(store::AppendLedgerEntry(tx.db(), row));
      ++out.recorded;
    }
    PATHWAY_TRY(store::InsertImported(tx.db(), verified.id, person->id, verified.issuer,
                                      verified.kid, verified.text, tx.now(), out.recorded,
                                      static_cast<int>(out.unmapped.size())));
    const std::int64_t people[] = {person->id};
    tx.PeopleChanged(people);
    tx.Describe(fmt::format("{} recorded, {} unmapped from {}", out.recorded, out.unmapped.size(),
                            verified.id));
    tx.Emit("passport.imported");
    return out;
  });
}

}  // namespace pathway::app
