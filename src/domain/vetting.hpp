// Vetting: people's security clearances against what their posts need, and the vetting
// cases through which a clearance is granted, renewed, reviewed or withdrawn. Value
// types and the rules of their input; the store reads and writes them, app/vetting.hpp
// holds the use cases.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "domain/workforce.hpp"

namespace pathway::domain {

// The longest case note, in characters.
inline constexpr std::size_t kMaxVettingNote = 10'000;
// The longest reason for reading a case's notes or for a decision's summary line.
inline constexpr std::size_t kMaxReadReason = 200;
// The review windows the clearance report offers, in days.
inline constexpr int kReviewWindows[] = {30, 90, 180};

// The order of clearance levels: BPSS < CTC < SC < DV.
inline int ClearanceRank(Clearance level) { return static_cast<int>(level); }

enum class VettingCaseKind { kNew, kRenewal, kAftercare, kConcern };
std::string_view VettingCaseKindName(VettingCaseKind kind);  // "new", "renewal", ...
std::optional<VettingCaseKind> ParseVettingCaseKind(std::string_view name);
std::string_view VettingCaseKindLabel(VettingCaseKind kind);  // "New clearance", ...

// The stages a case passes through, in the order they usually come.
enum class VettingStage { kOpened, kQuestionnaire, kChecks, kInterview, kAssessment, kDecided };
std::string_view VettingStageName(VettingStage stage);  // "opened", "questionnaire", ...
std::optional<VettingStage> ParseVettingStage(std::string_view name);
std::string_view VettingStageLabel(VettingStage stage);

enum class VettingOutcome { kGranted, kRefused, kWithdrawn };
std::string_view VettingOutcomeName(VettingOutcome outcome);  // "granted", ...
std::optional<VettingOutcome> ParseVettingOutcome(std::string_view name);

// Whose side wrote a note: the vetting team's, HR's referral, or a decision's reason.
enum class VettingNotePart { kVetting, kReferral, kDecision };
std::string_view VettingNotePartName(VettingNotePart part);
std::optional<VettingNotePart> ParseVettingNotePart(std::string_view name);

// ---- The clearance report

// Why a person is on the clearance report; a person may have several.
struct ClearanceIssues {
  bool below_post = false;      // no clearance, or a level below their post's
  bool not_active = false;      // pending, expired or withdrawn
  bool review_overdue = false;  // review date passed
  bool review_due = false;      // review date within the window
};

struct ClearanceMismatch {
  std::int64_t person_id = 0;
  std::string person_name;
  std::string unit_code;
  std::string unit_name;
  std::string post_id;         // the post's external id
  std::string post_clearance;  // what the post needs
  std::string level;           // held; empty: none
  std::string status;          // "active", "pending", "expired", "withdrawn"; empty: none
  std::string review_due;      // ISO date or empty
  ClearanceIssues issues;
};

// People of one unit holding each level, with how many of them are on the report.
struct ClearanceCount {
  std::string unit_code;
  std::string unit_name;
  std::string level;  // held; empty: none
  std::int64_t people = 0;
  std::int64_t mismatched = 0;  // of them, below their post's level or not active
};

struct ClearanceReport {
  std::string department;
  std::string department_name;
  std::string today;                    // the date the report is for
  int within_days = 90;                 // the review window
  std::vector<ClearanceMismatch> rows;  // by unit, then name
  std::vector<ClearanceCount> counts;   // by unit, then level
  std::int64_t below_post = 0;
  std::int64_t not_active = 0;
  std::int64_t review_due = 0;  // due within the window or overdue
};

// ---- Cases

struct VettingStageEntry {
  int seq = 0;
  VettingStage stage = VettingStage::kOpened;
  std::string started_on;
  std::string recorded_by_name;
};

struct VettingNote {
  std::int64_t id = 0;
  VettingNotePart part = VettingNotePart::kVetting;
  std::string author_name;
  std::string created_at;
  std::string text;  // decrypted
};

struct VettingCase {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string person_name;
  std::string department;
  VettingCaseKind kind = VettingCaseKind::kNew;
  std::string level_sought;  // empty: none named
  VettingStage stage = VettingStage::kOpened;
  bool decided = false;
  std::string opened_on;
  std::string opened_by_name;
  std::string referred_by_name;  // the HR partner who referred a concern; empty otherwise
  std::optional<VettingOutcome> outcome;
  std::string granted_level;
  std::string decided_on;
  std::string review_due;
  std::string decided_by_name;
  std::vector<VettingStageEntry> stages;
  std::int64_t note_count = 0;
};

struct VettingExport {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t requested_by = 0;
  std::string requested_by_name;
  std::string requested_at;
  std::optional<std::int64_t> approved_by;
  std::string approved_by_name;
  std::string approved_at;
};

// What opening a case takes.
struct NewVettingCase {
  std::int64_t person_id = 0;
  std::string kind;          // as sent: checked by CheckNewVettingCase
  std::string level_sought;  // may be empty
  std::string opened_on;     // ISO date; empty: today
  std::string note;          // a first note (a referral's concern); may be empty
};

// A decision as sent.
struct VettingDecisionInput {
  std::string outcome;        // "granted", "refused", "withdrawn"
  std::string granted_level;  // for "granted"
  std::string decided_on;     // ISO date; empty: today
  std::string review_due;     // for "granted": after decided_on
  std::string reason;         // required
};

// A parsed, checked decision.
struct VettingDecision {
  VettingOutcome outcome = VettingOutcome::kGranted;
  std::optional<Clearance> granted_level;
  std::string decided_on;
  std::string review_due;
  std::string reason;
};

// Checks the fields of a decision against a case opened on `opened_on` (the day it
// stands on `today` fills an empty decided_on). kInvalidInput naming the field: an
// unknown outcome ("outcome"), no reason or one too long ("reason"), an unknown level or
// none for a grant ("granted_level"), a date that is not a date or comes before the case
// opened ("decided_on"), a review date not after the decision ("review_due").
Result<VettingDecision> CheckVettingDecision(const VettingDecisionInput& input,
                                             std::string_view opened_on, std::string_view today);

// A note's text: not empty, text (line breaks allowed), at most kMaxVettingNote
// characters. kInvalidInput naming `field`.
Status CheckVettingNote(std::string_view text, const std::string& field = "text");

// A stated reason for reading notes: not empty, one line, at most kMaxReadReason.
Status CheckReadReason(std::string_view text);

// A level as sent ("sc" or "SC"), or kInvalidInput naming `field`: "Choose BPSS, CTC, SC or DV".
Result<Clearance> CheckClearanceLevel(std::string_view text, const std::string& field);

}  // namespace pathway::domain
