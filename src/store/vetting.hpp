// Repositories of vetting: the clearance report's queries, vetting cases with their
// stages, members and exports, and case notes as stored (encrypted by app/, which alone
// holds the key: nothing here sees a note's text).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "domain/vetting.hpp"
#include "store/database.hpp"

namespace pathway::store {

using domain::Result;
using domain::Status;

// ---- The clearance report

// The department's name; nullopt when there is no department with that code.
Result<std::optional<std::string>> FindDepartmentName(Database& db, std::string_view code);

// People of `department` who hold a post and whose clearance is below the post's, not
// active, overdue for review or due for it on or before `today` plus `within_days`
// days; the counts by unit and level held of everyone holding a post there; and the
// totals. `report.department_name` is left to the caller.
Result<domain::ClearanceReport> ReadClearanceReport(Database& db, std::string_view department,
                                                    std::string_view today, int within_days);

// ---- A person's clearance

struct PersonClearanceRow {
  std::string level;   // empty: none
  std::string status;  // empty: none
  std::string granted;
  std::string review_due;
};
Result<std::optional<PersonClearanceRow>> FindPersonClearance(Database& db, std::int64_t person_id);
// Sets the person's clearance columns; empty strings are stored as NULL.
Status SetPersonClearance(Database& db, std::int64_t person_id, const PersonClearanceRow& row);

// ---- Cases

struct VettingCaseRow {
  std::int64_t person_id = 0;
  std::string department;
  domain::VettingCaseKind kind = domain::VettingCaseKind::kNew;
  std::string level_sought;
  std::string opened_on;
  std::string opened_at;
  std::optional<std::int64_t> opened_by;
  std::optional<std::int64_t> referred_by;
};
Result<std::int64_t> InsertVettingCase(Database& db, const VettingCaseRow& row);
// The case with its stages and how many notes it holds; nullopt when there is none.
Result<std::optional<domain::VettingCase>> FindVettingCase(Database& db, std::int64_t id);
// The id of the person's open case, if any.
Result<std::optional<std::int64_t>> FindOpenVettingCase(Database& db, std::int64_t person_id);
// Cases of the departments (all when `departments` is empty and `all`), and cases the
// user was added to; newest first, at most `limit`.
Result<std::vector<domain::VettingCase>> ListVettingCases(
    Database& db, const std::vector<std::string>& departments,
    std::optional<std::int64_t> member_user_id, int limit);

// Appends a stage (seq one past the last) and makes it the case's current stage.
Status AppendVettingStage(Database& db, std::int64_t case_id, domain::VettingStage stage,
                          std::string_view started_on, std::string_view now,
                          std::optional<std::int64_t> user_id);
// The date the case's latest stage began.
Result<std::string> LatestVettingStageDate(Database& db, std::int64_t case_id);

Status RecordVettingDecision(Database& db, std::int64_t case_id,
                             const domain::VettingDecision& decision, std::string_view now,
                             std::optional<std::int64_t> user_id);

// ---- Members

Status AddVettingCaseMember(Database& db, std::int64_t case_id, std::int64_t user_id,
                            std::string_view now);
Result<bool> IsVettingCaseMember(Database& db, std::int64_t case_id, std::int64_t user_id);

// ---- Notes, as stored

struct StoredVettingNote {
  std::int64_t id = 0;
  domain::VettingNotePart part = domain::VettingNotePart::kVetting;
  std::string author_name;
  std::string created_at;
  std::string nonce;       // base64
  std::string ciphertext;  // base64
};
Result<std::int64_t> InsertVettingNote(Database& db, std::int64_t case_id,
                                       domain::VettingNotePart part,
                                       std::optional<std::int64_t> author_id, std::string_view now,
                                       std::string_view nonce, std::string_view ciphertext);
// The case's notes, oldest first.
Result<std::vector<StoredVettingNote>> ListVettingNotes(Database& db, std::int64_t case_id);

// ---- Exports of a case's notes

Result<std::int64_t> InsertVettingExport(Database& db, std::int64_t case_id,
                                         std::int64_t requested_by, std::string_view now);
Result<std::optional<domain::VettingExport>> FindVettingExport(Database& db, std::int64_t id);
Result<std::vector<domain::VettingExport>> ListVettingExports(Database& db, std::int64_t case_id);
Status ApproveVettingExport(Database& db, std::int64_t id, std::int64_t approved_by,
                            std::string_view now);

}  // namespace pathway::store
