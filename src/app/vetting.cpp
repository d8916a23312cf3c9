#include "app/vetting.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "app/passwords.hpp"
#include "domain/text.hpp"
#include "store/database.hpp"
#include "store/vetting.hpp"
#include "store/workforce_read.hpp"

namespace pathway::app {

using domain::Error;
using domain::ErrorCode;
using domain::Relationship;
using domain::Role;

namespace {

constexpr std::string_view kReport = "clearance.report";
constexpr std::string_view kOpen = "vetting.case.open";
constexpr std::string_view kRead = "vetting.case.read";
constexpr std::string_view kStage = "vetting.case.stage";
constexpr std::string_view kDecide = "vetting.case.decide";
constexpr std::string_view kNoteAdd = "vetting.note.add";
constexpr std::string_view kNoteRead = "vetting.note.read";
constexpr std::string_view kExport = "vetting.note.export";
constexpr std::string_view kReferral = "vetting.referral";

constexpr std::string_view kNoSuchCase = "No such vetting case";

std::string Today(const std::string& now) { return now.substr(0, 10); }

std::string Base64(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::optional<std::vector<unsigned char>> FromBase64(std::string_view text, std::size_t max) {
  std::vector<unsigned char> out(max);
  std::size_t size = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &size, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(size);
  return out;
}

std::optional<std::int64_t> UserId(const Actor& actor) {
  if (actor.kind == Actor::Kind::kUser) return actor.user_id;
  return std::nullopt;
}

bool OfficerOf(const Actor& actor, const std::string& department) {
  if (department.empty()) return false;
  return std::any_of(actor.grants.begin(), actor.grants.end(), [&](const domain::Grant& g) {
    return g.role == Role::kVettingOfficer && g.scope == department;
  });
}

std::string SealContext(std::int64_t case_id) { return fmt::format("vetting-case:{}", case_id); }

// What a case's lookup found, for the body that runs after the policy allowed it.
struct FoundCase {
  domain::VettingCase vetting_case;
  VettingAccess access;
};

// The subject of an action on a case. The case's department reaches the policy only for
// a vetting officer of that department or someone added to the case (so an HR partner's
// department grant opens only the cases they were added to); anyone else, and the person
// the case is about, meets a subject in no department, which the policy refuses like a
// missing case.
SubjectOf OfCase(std::int64_t id, const Actor& actor, FoundCase* found) {
  return [id, &actor, found](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto vetting_case, store::FindVettingCase(db, id));
    if (!vetting_case) return std::optional<Subject>();
    VettingAccess access;
    const bool about_them = actor.person_id && *actor.person_id == vetting_case->person_id;
    if (!about_them) {
      access.officer = OfficerOf(actor, vetting_case->department);
      if (!access.officer && actor.kind == Actor::Kind::kUser) {
        PATHWAY_ASSIGN_OR_RETURN(access.member, store::IsVettingCaseMember(db, id, actor.user_id));
      }
    }
    Subject subject;
    subject.person_id = vetting_case->person_id;
    if (access.officer || access.member) subject.department = vetting_case->department;
    found->vetting_case = std::move(*vetting_case);
    found->access = access;
    return std::optional<Subject>(std::move(subject));
  };
}

// A person as the subject of opening a case or referring a concern: nobody acts on
// their own vetting.
SubjectOf OfOtherPerson(std::int64_t person_id, const Actor& actor) {
  return [person_id, &actor](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto subject, OfPerson(person_id)(db));
    if (subject && actor.person_id && *actor.person_id == person_id) subject->department.clear();
    return subject;
  };
}

Status CheckPastDate(const std::string& date, const std::string& field, const std::string& today) {
  if (!domain::ValidIsoDate(date)) {
    return Error::InvalidInput(field, "Enter a real date, for example 2027-03-31");
  }
  if (date > today) return Error::InvalidInput(field, "The date must be today or in the past");
  return domain::Ok{};
}

Result<std::int64_t> SealNote(store::Database& db, const VettingKey& key, std::int64_t case_id,
                              domain::VettingNotePart part, std::optional<std::int64_t> author,
                              const std::string& now, std::string_view text) {
  const auto sealed = key.Seal(SealContext(case_id), text);
  return store::InsertVettingNote(db, case_id, part, author, now, sealed.nonce, sealed.ciphertext);
}

Result<std::vector<domain::VettingNote>> OpenNotes(store::Database& db, const VettingKey& key,
                                                   std::int64_t case_id, bool all_parts) {
  PATHWAY_ASSIGN_OR_RETURN(auto stored, store::ListVettingNotes(db, case_id));
  std::vector<domain::VettingNote> notes;
  for (auto& s : stored) {
    if (!all_parts && s.part != domain::VettingNotePart::kReferral) continue;
    PATHWAY_ASSIGN_OR_RETURN(auto text, key.Open(SealContext(case_id), {s.nonce, s.ciphertext}));
    notes.push_back(
        {s.id, s.part, std::move(s.author_name), std::move(s.created_at), std::move(text)});
  }
  return notes;
}

}  // namespace

// ---------------------------------------------------------------------------------
// The key

Status VettingKey::Generate(const std::string& path) {
  EnsureSodium();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Error{ErrorCode::kConflict, "out",
                   fmt::format("{} exists already: a vetting key is never overwritten, or the "
                               "notes it encrypted could not be read again",
                               path)};
    }
    return Error::Unavailable(fmt::format("Could not create {}: {}", path, std::strerror(errno)));
  }
  ::fchmod(fd, 0600);  // whatever the umask
  std::array<unsigned char, crypto_secretbox_KEYBYTES> raw{};
  randombytes_buf(raw.data(), raw.size());
  const std::string line = Base64(raw.data(), raw.size()) + "\n";
  sodium_memzero(raw.data(), raw.size());
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    ::unlink(path.c_str());
    return Error::Unavailable(fmt::format("Could not write {}", path));
  }
  return domain::Ok{};
}

Result<VettingKey> VettingKey::Load(const std::string& path) {
  EnsureSodium();
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return Error::Unavailable(fmt::format(
        "The vetting key {} cannot be read: {} (create one with `pathway vetting keygen --out {}`)",
        path, std::strerror(errno), path));
  }
  if ((info.st_mode & 077) != 0) {
    return Error::Unavailable(fmt::format(
        "The vetting key {} may be read or written by others than its owner: chmod 600 it", path));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string line(domain::Trim(text.str()));
  auto raw = FromBase64(line, 64);
  if (!in || !raw || raw->size() != crypto_secretbox_KEYBYTES) {
    return Error::Unavailable(fmt::format("{} does not hold a vetting key", path));
  }
  VettingKey key;
  std::copy(raw->begin(), raw->end(), key.key_.begin());
  sodium_memzero(raw->data(), raw->size());
  return key;
}

VettingKey VettingKey::FromBytes(const std::array<unsigned char, 32>& bytes) {
  EnsureSodium();
  VettingKey key;
  key.key_ = bytes;
  return key;
}

VettingKey::Sealed VettingKey::Seal(std::string_view context, std::string_view text) const {
  static_assert(crypto_secretbox_KEYBYTES == 32);
  std::string plain = fmt::format("{}\n{}", context, text);
  unsigned char nonce[crypto_secretbox_NONCEBYTES];
  randombytes_buf(nonce, sizeof nonce);
  std::vector<unsigned char> cipher(plain.size() + crypto_secretbox_MACBYTES);
  crypto_secretbox_easy(cipher.data(), reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), nonce, key_.data());
  sodium_memzero(plain.data(), plain.size());
  return {Base64(nonce, sizeof nonce), Base64(cipher.data(), cipher.size())};
}

Result<std::string> VettingKey::Open(std::string_view context, const Sealed& sealed) const {
  auto nonce = FromBase64(sealed.nonce, crypto_secretbox_NONCEBYTES);
  auto cipher = FromBase64(sealed.ciphertext, sealed.ciphertext.size());
  if (!nonce || nonce->size() != crypto_secretbox_NONCEBYTES || !cipher ||
      cipher->size() < crypto_secretbox_MACBYTES) {
    return Error::Internal("A case note is damaged");
  }
  std::string plain(cipher->size() - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), cipher->data(),
                                 cipher->size(), nonce->data(), key_.data()) != 0) {
    return Error::Internal("A case note does not open with this vetting key");
  }
  const std::string prefix = std::string(context) + "\n";
  if (!plain.starts_with(prefix)) return Error::Internal("A case note belongs to another case");
  return plain.substr(prefix.size());
}

// ---------------------------------------------------------------------------------
// The service

Result<const VettingKey*> VettingService::Key() const {
  if (!key_) {
    return Error::Unavailable(
        "Case notes need the vetting key: start Pathway with --vetting-key (see README)");
  }
  return key_.get();
}

bool VettingService::MayReportOnAll(const Actor& actor) const {
  const auto scope = PeopleScopeOf(kernel_.authorizer().policy(), actor, {kReport},
                                   {Relationship::kDepartment, Relationship::kAny});
  return scope && scope->all;
}

std::vector<std::string> VettingService::ReportDepartments(const Actor& actor) const {
  const auto scope = PeopleScopeOf(kernel_.authorizer().policy(), actor, {kReport},
                                   {Relationship::kDepartment, Relationship::kAny});
  if (!scope) return {};
  if (scope->all) {
    auto db = kernel_.pool().Acquire();
    auto all = store::ListDepartments(*db);
    std::vector<std::string> codes;
    if (all.ok()) {
      for (const auto& d : *all) codes.push_back(d.code);
    }
    return codes;
  }
  return scope->departments;
}

Result<domain::ClearanceReport> VettingService::ClearanceReport(const Actor& actor,
                                                                const std::string& department,
                                                                int within_days) {
  auto db = kernel_.pool().Acquire();
  const Command command{std::string(kReport), "department", department, "No such department"};
  Subject subject;
  subject.department = department;
  PATHWAY_ASSIGN_OR_RETURN(bool allowed,
                           kernel_.authorizer().Allowed(*db, actor, kReport, subject));
  if (!allowed || department.empty()) return kernel_.Refuse(*db, actor, command);
  if (std::find(std::begin(domain::kReviewWindows), std::end(domain::kReviewWindows),
                within_days) == std::end(domain::kReviewWindows)) {
    return Error::InvalidInput("within", "Choose 30, 90 or 180 days");
  }
  PATHWAY_ASSIGN_OR_RETURN(auto name, store::FindDepartmentName(*db, department));
  if (!name) return Error::NotFound("No such department");
  PATHWAY_ASSIGN_OR_RETURN(
      auto report,
      store::ReadClearanceReport(*db, department, Today(kernel_.clock().NowIso()), within_days));
  report.department_name = std::move(*name);
  kernel_.RecordRead(actor, command, fmt::format("{} people listed", report.rows.size()));
  return report;
}

Result<std::int64_t> VettingService::OpenCase(const Actor& actor,
                                              const domain::NewVettingCase& input) {
  const Command command{std::string(kOpen), "vetting_case", "", "No such person"};
  return kernel_.Execute(
      actor, command, OfOtherPerson(input.person_id, actor), [&](Tx& tx) -> Result<std::int64_t> {
        const std::string today = Today(tx.now());
        const auto kind = domain::ParseVettingCaseKind(domain::Lower(domain::Trim(input.kind)));
        if (!kind) {
          return Error::InvalidInput("kind", "Choose new, renewal, aftercare or concern");
        }
        store::VettingCaseRow row;
        row.person_id = input.person_id;
        row.kind = *kind;
        if (!domain::Trim(input.level_sought).empty()) {
          PATHWAY_ASSIGN_OR_RETURN(auto level,
                                   domain::CheckClearanceLevel(input.level_sought, "level_sought"));
          row.level_sought = domain::ClearanceCode(level);
        }
        row.opened_on = input.opened_on.empty() ? today : input.opened_on;
        PATHWAY_TRY(CheckPastDate(row.opened_on, "opened_on", today));
        if (!input.note.empty()) PATHWAY_TRY(domain::CheckVettingNote(input.note, "note"));
        PATHWAY_ASSIGN_OR_RETURN(auto open, store::FindOpenVettingCase(tx.db(), input.person_id));
        if (open) {
          return Error{
              ErrorCode::kConflict, "person",
              fmt::format("This person has an open vetting case already (case {})", *open)};
        }
        PATHWAY_ASSIGN_OR_RETURN(auto keys, store::FindPersonScopeKeys(tx.db(), input.person_id));
        row.department = keys ? keys->department : "";
        row.opened_at = tx.now();
        row.opened_by = UserId(tx.actor());
        const VettingKey* key = nullptr;
        if (!input.note.empty()) {
          PATHWAY_ASSIGN_OR_RETURN(key, Key());
        }
        PATHWAY_ASSIGN_OR_RETURN(auto id, store::InsertVettingCase(tx.db(), row));
        if (key) {
          PATHWAY_TRY(SealNote(tx.db(), *key, id, domain::VettingNotePart::kVetting,
                               UserId(tx.actor()), tx.now(), input.note));
        }
        tx.SetObjectId(std::to_string(id));
        tx.Describe(fmt::format("{} case for person {}", domain::VettingCaseKindName(*kind),
                                input.person_id));
        tx.Emit("vetting.case.opened", std::string(domain::VettingCaseKindName(*kind)));
        return id;
      });
}

Result<std::int64_t> VettingService::RaiseConcern(const Actor& actor, std::int64_t person_id,
                                                  const std::string& note) {
  const Command command{std::string(kReferral), "vetting_case", "", "No such person"};
  return kernel_.Execute(
      actor, command, OfOtherPerson(person_id, actor), [&](Tx& tx) -> Result<std::int64_t> {
        PATHWAY_TRY(domain::CheckVettingNote(note, "note"));
        PATHWAY_ASSIGN_OR_RETURN(const VettingKey* key, Key());
        const auto author = UserId(tx.actor());
        if (!author) return Error::InvalidInput("actor", "A referral is made by a signed-in user");
        // A concern about someone whose case is open joins that case.
        PATHWAY_ASSIGN_OR_RETURN(auto open, store::FindOpenVettingCase(tx.db(), person_id));
        std::int64_t id = 0;
        if (open) {
          id = *open;
        } else {
          PATHWAY_ASSIGN_OR_RETURN(auto keys, store::FindPersonScopeKeys(tx.db(), person_id));
          store::VettingCaseRow row;
          row.person_id = person_id;
          row.department = keys ? keys->department : "";
          row.kind = domain::VettingCaseKind::kConcern;
          row.opened_on = Today(tx.now());
          row.opened_at = tx.now();
          row.referred_by = author;
          PATHWAY_ASSIGN_OR_RETURN(id, store::InsertVettingCase(tx.db(), row));
        }
        PATHWAY_TRY(store::AddVettingCaseMember(tx.db(), id, *author, tx.now()));
        PATHWAY_TRY(SealNote(tx.db(), *key, id, domain::VettingNotePart::kReferral, author,
                             tx.now(), note));
        tx.SetObjectId(std::to_string(id));
        tx.Describe(fmt::format("concern about person {} referred", person_id));
        tx.Emit("vetting.concern.referred");
        return id;
      });
}

Result<VettingCaseView> VettingService::GetCase(const Actor& actor, std::int64_t id) {
  FoundCase found;
  const Command command{std::string(kRead), "vetting_case", std::to_string(id),
                        std::string(kNoSuchCase)};
  return kernel_.Read(actor, command, OfCase(id, actor, &found),
                      [&](store::Database& db) -> Result<VettingCaseView> {
                        VettingCaseView view;
                        view.vetting_case = std::move(found.vetting_case);
                        view.access = found.access;
                        if (view.access.officer) {
                          PATHWAY_ASSIGN_OR_RETURN(view.exports, store::ListVettingExports(db, id));
                        } else {
                          // HR's side: the case's status and its own part, not the
                          // vetting team's workings.
                          view.vetting_case.decided_by_name.clear();
                          view.vetting_case.opened_by_name.clear();
                          for (auto& stage : view.vetting_case.stages)
                            stage.recorded_by_name.clear();
                          view.vetting_case.note_count = 0;
                        }
                        return view;
                      });
}

Result<std::vector<domain::VettingCase>> VettingService::ListCases(const Actor& actor) {
  auto db = kernel_.pool().Acquire();
  const Policy& policy = kernel_.authorizer().policy();
  std::vector<std::string> departments;
  std::vector<std::string> hr_departments;
  for (const auto& grant : actor.grants) {
    if (grant.scope.empty()) continue;
    if (grant.role == Role::kVettingOfficer &&
        policy.Allows(grant.role, kRead, Relationship::kDepartment)) {
      departments.push_back(grant.scope);
    }
    if (grant.role == Role::kHrPartner &&
        policy.Allows(grant.role, kRead, Relationship::kDepartment)) {
      hr_departments.push_back(grant.scope);
    }
  }
  const Command command{std::string(kRead), "vetting_case", "", "No such page"};
  if (departments.empty() && hr_departments.empty()) return kernel_.Refuse(*db, actor, command);
  std::optional<std::int64_t> member;
  if (!hr_departments.empty() && actor.kind == Actor::Kind::kUser) member = actor.user_id;
  PATHWAY_ASSIGN_OR_RETURN(auto cases, store::ListVettingCases(*db, departments, member, 500));
  std::vector<domain::VettingCase> visible;
  for (auto& c : cases) {
    if (actor.person_id && *actor.person_id == c.person_id) continue;
    const bool officer = OfficerOf(actor, c.department);
    if (!officer && std::find(hr_departments.begin(), hr_departments.end(), c.department) ==
                        hr_departments.end()) {
      continue;
    }
    if (!officer) {
      c.opened_by_name.clear();
      c.decided_by_name.clear();
      c.note_count = 0;
    }
    visible.push_back(std::move(c));
  }
  if (!visible.empty()) {
    kernel_.RecordRead(actor, command, fmt::format("{} vetting cases listed", visible.size()));
  }
  return visible;
}

Status VettingService::RecordStage(const Actor& actor, std::int64_t id, const std::string& stage,
                                   const std::string& started_on) {
  FoundCase found;
  const Command command{std::string(kStage), "vetting_case", std::to_string(id),
                        std::string(kNoSuchCase)};
  return kernel_.Execute(actor, command, OfCase(id, actor, &found), [&](Tx& tx) -> Status {
    const auto parsed = domain::ParseVettingStage(domain::Lower(domain::Trim(stage)));
    if (!parsed || *parsed == domain::VettingStage::kOpened) {
      return Error::InvalidInput("stage", "Choose questionnaire, checks, interview or assessment");
    }
    if (*parsed == domain::VettingStage::kDecided) {
      return Error::InvalidInput("stage", "A case is decided by recording its decision");
    }
    if (found.vetting_case.decided) {
      return Error{ErrorCode::kConflict, "stage", "This case has been decided"};
    }
    const std::string today = Today(tx.now());
    const std::string on = started_on.empty() ? today : started_on;
    PATHWAY_TRY(CheckPastDate(on, "started_on", today));
    PATHWAY_ASSIGN_OR_RETURN(auto latest, store::LatestVettingStageDate(tx.db(), id));
    if (on < latest) {
      return Error::InvalidInput(
          "started_on",
          fmt::format("The stage must start on or after the stage before it ({})", latest));
    }
    PATHWAY_TRY(store::AppendVettingStage(tx.db(), id, *parsed, on, tx.now(), UserId(tx.actor())));
    tx.Describe(fmt::format("stage {}", domain::VettingStageName(*parsed)));
    return domain::Ok{};
  });
}

Status VettingService::Decide(const Actor& actor, std::int64_t id,
                              const domain::VettingDecisionInput& input) {
  FoundCase found;
  const Command command{std::string(kDecide), "vetting_case", std::to_string(id),
                        std::string(kNoSuchCase)};
  return kernel_.Execute(actor, command, OfCase(id, actor, &found), [&](Tx& tx) -> Status {
    const auto& c = found.vetting_case;
    PATHWAY_ASSIGN_OR_RETURN(auto decision,
                             domain::CheckVettingDecision(input, c.opened_on, Today(tx.now())));
    if (c.decided)
      return Error{ErrorCode::kConflict, "outcome", "This case has been decided already"};
    PATHWAY_ASSIGN_OR_RETURN(auto latest, store::LatestVettingStageDate(tx.db(), id));
    if (decision.decided_on < latest) {
      return Error::InvalidInput(
          "decided_on",
          fmt::format("The decision date must be on or after the latest stage ({})", latest));
    }
    PATHWAY_ASSIGN_OR_RETURN(const VettingKey* key, Key());
    PATHWAY_TRY(store::RecordVettingDecision(tx.db(), id, decision, tx.now(), UserId(tx.actor())));
    PATHWAY_TRY(SealNote(tx.db(), *key, id, domain::VettingNotePart::kDecision, UserId(tx.actor()),
                         tx.now(), decision.reason));
    // The person's clearance: changed here and nowhere else.
    PATHWAY_ASSIGN_OR_RETURN(auto held, store::FindPersonClearance(tx.db(), c.person_id));
    if (!held) return Error::NotFound(std::string(kNoSuchCase));
    std::string change = "clearance unchanged";
    store::PersonClearanceRow next = *held;
    if (decision.outcome == domain::VettingOutcome::kGranted) {
      next.level = domain::ClearanceCode(*decision.granted_level);
      next.status = "active";
      next.granted = decision.decided_on;
      next.review_due = decision.review_due;
      change = fmt::format("clearance {} active, review due {}", next.level, next.review_due);
    } else if (decision.outcome == domain::VettingOutcome::kRefused &&
               c.kind != domain::VettingCaseKind::kNew && !held->level.empty()) {
      next.status = "withdrawn";
      change = fmt::format("clearance {} withdrawn", held->level);
    }
    if (next.level != held->level || next.status != held->status || next.granted != held->granted ||
        next.review_due != held->review_due) {
      PATHWAY_TRY(store::SetPersonClearance(tx.db(), c.person_id, next));
      const std::int64_t people[] = {c.person_id};
      tx.PeopleChanged(people);
      tx.Emit(DomainEvent{"person.clearance.changed", "person", std::to_string(c.person_id),
                          fmt::format("by vetting case {}", id)});
    }
    tx.Describe(fmt::format("{}; {}", domain::VettingOutcomeName(decision.outcome), change));
    tx.Emit("vetting.case.decided", std::string(domain::VettingOutcomeName(decision.outcome)));
    return domain::Ok{};
  });
}

Result<std::int64_t> VettingService::AddNote(const Actor& actor, std::int64_t id,
                                             const std::string& text) {
  FoundCase found;
  const Command command{std::string(kNoteAdd), "vetting_case", std::to_string(id),
                        std::string(kNoSuchCase)};
  return kernel_.Execute(
      actor, command, OfCase(id, actor, &found), [&](Tx& tx) -> Result<std::int64_t> {
        PATHWAY_TRY(domain::CheckVettingNote(text, "text"));
        PATHWAY_ASSIGN_OR_RETURN(const VettingKey* key, Key());
        const auto part = found.access.officer ? domain::VettingNotePart::kVetting
                                               : domain::VettingNotePart::kReferral;
        PATHWAY_ASSIGN_OR_RETURN(
            auto note_id, SealNote(tx.db(), *key, id, part, UserId(tx.actor()), tx.now(), text));
        tx.Describe(fmt::format("note {} ({})", note_id, domain::VettingNotePartName(part)));
        return note_id;
      });
}

Result<std::vector<domain::VettingNote>> VettingService::ReadNotes(const Actor& actor,
                                                                   std::int64_t id,
                                                                   const std::string& reason) {
  FoundCase found;
  Command command{std::string(kNoteRead), "vetting_case", std::to_string(id),
                  std::string(kNoSuchCase)};
  // The reason is what the audit trail is for here: kept even when refused as input.
  return kernel_.Execute(
      actor, command, OfCase(id, actor, &found),
      [&](Tx& tx) -> Result<std::vector<domain::VettingNote>> {
        PATHWAY_TRY(domain::CheckReadReason(reason));
        PATHWAY_ASSIGN_OR_RETURN(const VettingKey* key, Key());
        PATHWAY_ASSIGN_OR_RETURN(auto notes, OpenNotes(tx.db(), *key, id, found.access.officer));
        tx.Describe(fmt::format("{} notes read; reason: {}", notes.size(), domain::Trim(reason)));
        return notes;
      });
}

Result<std::int64_t> VettingService::RequestExport(const Actor& actor, std::int64_t id) {
  FoundCase found;
  const Command command{std::string(kExport), "vetting_case", std::to_string(id),
                        std::string(kNoSuchCase)};
  return kernel_.Execute(
      actor, command, OfCase(id, actor, &found), [&](Tx& tx) -> Result<std::int64_t> {
        if (!found.access.officer || !UserId(tx.actor())) {
          return Error::NotFound(std::string(kNoSuchCase));
        }
        PATHWAY_ASSIGN_OR_RETURN(
            auto export_id, store::InsertVettingExport(tx.db(), id, tx.actor().user_id, tx.now()));
        tx.Describe(fmt::format("export {} asked for", export_id));
        return export_id;
      });
}

Status VettingService::ApproveExport(const Actor& actor, std::int64_t id, std::int64_t export_id) {
  FoundCase found;
  const Command command{std::string(kExport), "vetting_case", std::to_string(id),
                        std::string(kNoSuchCase)};
  return kernel_.Execute(actor, command, OfCase(id, actor, &found), [&](Tx& tx) -> Status {
    PATHWAY_ASSIGN_OR_RETURN(auto found_export, store::FindVettingExport(tx.db(), export_id));
    if (!found.access.officer || !found_export || found_export->case_id != id ||
        !UserId(tx.actor())) {
      return Error::NotFound("No such export");
    }
    if (found_export->requested_by == tx.actor().user_id) {
      return Error::InvalidInput(
          "approver", "Another vetting officer must approve the export: you asked for it");
    }
    if (found_export->approved_by) {
      return Error{ErrorCode::kConflict, "export", "This export has been approved already"};
    }
    PATHWAY_TRY(store::ApproveVettingExport(tx.db(), export_id, tx.actor().user_id, tx.now()));
    tx.Describe(fmt::format("export {} approved", export_id));
    return domain::Ok{};
  });
}

Result<std::vector<domain::VettingNote>> VettingService::DownloadExport(const Actor& actor,
                                                                        std::int64_t id,
                                                                        std::int64_t export_id) {
  FoundCase found;
  const Command command{std::string(kExport), "vetting_case", std::to_string(id),
                        std::string(kNoSuchCase)};
  return kernel_.Execute(
      actor, command, OfCase(id, actor, &found),
      [&](Tx& tx) -> Result<std::vector<domain::VettingNote>> {
        PATHWAY_ASSIGN_OR_RETURN(auto found_export, store::FindVettingExport(tx.db(), export_id));
        if (!found.access.officer || !found_export || found_export->case_id != id ||
            found_export->requested_by != tx.actor().user_id) {
          return Error::NotFound("No such export");
        }
        if (!found_export->approved_by) {
          return Error{ErrorCode::kConflict, "export",
                       "This export waits for another vetting officer's approval"};
        }
        PATHWAY_ASSIGN_OR_RETURN(const VettingKey* key, Key());
        PATHWAY_ASSIGN_OR_RETURN(auto notes, OpenNotes(tx.db(), *key, id, true));
        tx.Describe(fmt::format("export {} downloaded: {} notes", export_id, notes.size()));
        return notes;
      });
}

}  // namespace pathway::app
