// Vetting: people's clearances against what their posts need (the clearance report),
// and vetting cases, through which alone a person's clearance changes. Case notes are a
// compartment of their own: encrypted with a key kept outside the database
// (VettingKey), readable only by the vetting officers of the case's department and by
// people added to the case (the HR partner who referred a concern, for their own part),
// each read with a stated reason that the audit trail keeps; exported only with a
// second vetting officer's approval. Notes never reach the general exports, search or
// the engine: they live only in the vetting tables, encrypted.
//
// Policy actions (policy/access.csv):
//   clearance.report     the clearance report of a department (vetting officer; admin)
//   vetting.case.open    open a case for a person (vetting officer: department)
//   vetting.case.read    a case's status and stages (vetting officer; an HR partner of
//                        the department who was added to the case)
//   vetting.case.stage   record a stage (vetting officer)
//   vetting.case.decide  decide a case, changing the person's clearance (vetting officer)
//   vetting.note.add     add a note (vetting officer; an added HR partner, to their part)
//   vetting.note.read    read notes with a reason (as vetting.note.add)
//   vetting.note.export  ask for, approve and download an export of a case's notes
//                        (vetting officers; the approver must not be the one who asked)
//   vetting.referral     raise a concern about a person, opening a case (HR partner)
//
// A case's HR member is the only way an HR partner reaches it: for anyone else who is
// not a vetting officer of its department the case answers kNotFound, as if missing.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/policy.hpp"
#include "app/unit_of_work.hpp"
#include "domain/result.hpp"
#include "domain/vetting.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

// The key that encrypts case notes (libsodium secretbox: XSalsa20-Poly1305). It lives in
// a file of its own, outside the database, readable by its owner alone. The file holds
// the 32-byte key base64url-encoded on one line.
class VettingKey {
 public:
  // Writes a new random key to `path` with permissions 0600. kConflict when the file
  // exists (a key is never overwritten: the notes it encrypted would be lost);
  // kUnavailable when it cannot be written.
  static Status Generate(const std::string& path);
  // Reads the key at `path`. kUnavailable when it is missing, unreadable, not a key, or
  // readable or writable by anyone but its owner.
  static Result<VettingKey> Load(const std::string& path);
  // A key from raw bytes (tests).
  static VettingKey FromBytes(const std::array<unsigned char, 32>& bytes);

  struct Sealed {
    std::string nonce;       // base64url, 24 bytes: fresh and random for every call
    std::string ciphertext;  // base64url: the text and its authentication tag
  };
  // Encrypts `text`, bound to `context` (the case it belongs to): a note copied to
  // another case does not open there.
  Sealed Seal(std::string_view context, std::string_view text) const;
  // The text, or kInternal when the nonce or ciphertext is damaged, or sealed under
  // another key or context.
  Result<std::string> Open(std::string_view context, const Sealed& sealed) const;

 private:
  std::array<unsigned char, 32> key_{};
};

// How the actor stands to a case: what they may see of it.
struct VettingAccess {
  bool officer = false;  // a vetting officer of its department: everything
  bool member = false;   // added to it (HR's referral): the status and their own part
};

struct VettingCaseView {
  domain::VettingCase vetting_case;
  VettingAccess access;
  std::vector<domain::VettingExport> exports;  // officers only
};

// Thread-safe: every call leases its own connection.
class VettingService {
 public:
  // Without a key, the case notes (and decisions, whose reason is a note) are
  // unavailable; the report and reading cases still work.
  VettingService(UnitOfWork& kernel, std::shared_ptr<const VettingKey> key)
      : kernel_(kernel), key_(std::move(key)) {}

  bool has_key() const { return key_ != nullptr; }

  // ---- The clearance report

  // The clearance report of `department` for today, with reviews due within
  // `within_days` (30, 90 or 180; else kInvalidInput naming "within"). kNotFound for a
  // department the actor may not report on, or that does not exist.
  Result<domain::ClearanceReport> ClearanceReport(const Actor& actor, const std::string& department,
                                                  int within_days);
  // Departments the actor may report on (their vetting officer grants; all for an
  // administrator), as codes. Empty when none.
  std::vector<std::string> ReportDepartments(const Actor& actor) const;
  bool MayReportOnAll(const Actor& actor) const;

  // ---- Cases

  // Opens a case for the person. kInvalidInput naming "kind", "level_sought",
  // "opened_on" (not a date, or in the future) or "note"; kConflict naming "person" when
  // the person has an open case already. Returns its id.
  Result<std::int64_t> OpenCase(const Actor& actor, const domain::NewVettingCase& input);
  // An HR partner's referral: a concern about a person of their department, opening a
  // case of kind concern with `note` as its first note (required), the HR partner added
  // to it. Returns its id.
  Result<std::int64_t> RaiseConcern(const Actor& actor, std::int64_t person_id,
                                    const std::string& note);
  // The case as the actor may see it; kNotFound when it is missing or they may not.
  Result<VettingCaseView> GetCase(const Actor& actor, std::int64_t id);
  // Open cases first, then decided, newest first: of the departments the actor is a
  // vetting officer of, and those they were added to.
  Result<std::vector<domain::VettingCase>> ListCases(const Actor& actor);
  // Records that the case reached `stage` on `started_on` (empty: today). kInvalidInput
  // naming "stage" (unknown, or "decided": that takes a decision) or "started_on" (not
  // a date, in the future, or before the stage before it); kConflict when decided.
  Status RecordStage(const Actor& actor, std::int64_t id, const std::string& stage,
                     const std::string& started_on);
  // Decides the case and, in the same unit of work, changes the person's clearance: a
  // grant sets the level granted, active, with its dates; a refusal of a renewal, an
  // aftercare review or a concern withdraws the clearance the person holds; a refusal of
  // a new clearance and a withdrawn case leave it as it is. The reason is kept as an
  // encrypted note. Errors as domain::CheckVettingDecision; kConflict when decided.
  Status Decide(const Actor& actor, std::int64_t id, const domain::VettingDecisionInput& input);

  // ---- Notes

  // Adds a note to the case: the vetting team's part for an officer, the referral's for
  // an HR member. kInvalidInput naming "text" (empty, or over kMaxVettingNote).
  Result<std::int64_t> AddNote(const Actor& actor, std::int64_t id, const std::string& text);
  // The case's notes the actor may read (all for an officer; the referral's for an HR
  // member), with `reason` audited first. kInvalidInput naming "reason".
  Result<std::vector<domain::VettingNote>> ReadNotes(const Actor& actor, std::int64_t id,
                                                     const std::string& reason);

  // ---- Exports of a case's notes (multi-user approval)

  // Asks for an export of the case's notes; returns the export's id.
  Result<std::int64_t> RequestExport(const Actor& actor, std::int64_t id);
  // Approves it: kInvalidInput naming "approver" when the actor asked for it themselves;
  // kConflict when approved already.
  Status ApproveExport(const Actor& actor, std::int64_t id, std::int64_t export_id);
  // The notes, for the officer who asked, once another approved; kConflict naming
  // "export" while it waits for approval.
  Result<std::vector<domain::VettingNote>> DownloadExport(const Actor& actor, std::int64_t id,
                                                          std::int64_t export_id);

 private:
  Result<const VettingKey*> Key() const;
  UnitOfWork& kernel_;
  std::shared_ptr<const VettingKey> key_;
};

}  // namespace pathway::app
