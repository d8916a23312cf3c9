// The performance year's tables: years, records, objectives, competencies, reviews,
// reopenings and the notice outbox. Called by app/performance.cpp inside its units of
// work; nothing here decides who may do what.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/performance.hpp"
#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

using domain::Result;
using domain::Status;

// ---- Years

// The first code of `departments` that is no department; nullopt when all exist.
Result<std::optional<std::string>> FirstUnknownDepartment(Database& db,
                                                          std::span<const std::string> departments);
// A year, of any of `departments`, whose dates overlap [starts_on, endyear_due]: its
// name and the department; nullopt when none.
Result<std::optional<std::pair<std::string, std::string>>> OverlappingYear(
    Database& db, std::span<const std::string> departments, std::string_view starts_on,
    std::string_view endyear_due);
// Someone in `departments` who already has a record in a year overlapping those dates
// (they moved from a department that has one): their HR id; nullopt when nobody.
Result<std::optional<std::string>> PersonInOverlappingYear(Database& db,
                                                           std::span<const std::string> departments,
                                                           std::string_view starts_on,
                                                           std::string_view endyear_due);
// Inserts the year, its departments and scale; then a record and a notice for everyone
// in those departments, set-based. Returns the year id and the number of people.
Result<std::pair<std::int64_t, std::int64_t>> InsertYear(Database& db,
                                                         const domain::PerformanceYearSpec& spec,
                                                         std::optional<std::int64_t> opened_by,
                                                         std::string_view now);
Result<std::optional<domain::PerformanceYear>> FindYear(Database& db, std::int64_t id);
// Years holding any of `departments` (every year when `all`), newest first.
Result<std::vector<domain::PerformanceYear>> ListYears(Database& db, bool all,
                                                       std::span<const std::string> departments);

// ---- Records

// The record's person and year; nullopt when there is no such record.
struct RecordKey {
  std::int64_t id = 0;
  std::int64_t year_id = 0;
  std::int64_t person_id = 0;
  std::string department;  // when opened
};
Result<std::optional<RecordKey>> FindRecordKey(Database& db, std::int64_t record_id);
Result<std::optional<RecordKey>> FindRecordOf(Database& db, std::int64_t person_id,
                                              std::int64_t year_id);
// The latest record of a person (the year starting last); nullopt when none.
Result<std::optional<RecordKey>> LatestRecordOf(Database& db, std::int64_t person_id);
// The whole record: competencies carry item ids only (the caller labels them).
Result<std::optional<domain::PerformanceRecord>> ReadRecord(Database& db, std::int64_t record_id);

// Replaces the objectives and competencies (item_ref ids, reasons) of a record that is
// being set, and clears both agreements.
Status ReplaceAgreementSet(Database& db, std::int64_t record_id,
                           std::span<const domain::Objective> objectives,
                           std::span<const std::pair<std::int64_t, std::string>> competencies);
// Stamps one side's agreement ("person" or "manager"); when both have agreed, the
// record becomes agreed. Returns whether it did.
Result<bool> StampAgreement(Database& db, std::int64_t record_id, bool manager,
                            std::string_view now);
Status InsertReopening(Database& db, std::int64_t record_id, std::string_view what,
                       std::string_view reason, std::optional<std::int64_t> by_user,
                       std::string_view now);
// Puts an agreed record back to being set.
Status ReopenAgreement(Database& db, std::int64_t record_id);

// ---- Reviews

// The review's id, created (open) when missing.
Result<std::int64_t> ReviewOf(Database& db, std::int64_t record_id, domain::ReviewKind kind,
                              std::string_view now);
// Writes the person's evidence (when `person`) or the manager's comments, levels,
// summary and rating, per entry position.
Status SaveReviewPart(Database& db, std::int64_t review_id, bool person,
                      std::span<const domain::ReviewEntry> objectives,
                      std::span<const domain::ReviewEntry> competencies, std::string_view summary,
                      std::optional<int> rating, std::string_view now);
Status SetReviewStage(Database& db, std::int64_t review_id, domain::ReviewStage stage,
                      std::optional<std::int64_t> signer_person_id, std::string_view now);
// Back to open, every signature cleared.
Status ReopenReview(Database& db, std::int64_t review_id, std::string_view now);
Status ModerateReview(Database& db, std::int64_t review_id, int rating, std::string_view reason,
                      std::optional<std::int64_t> by_user, std::string_view now);

// ---- Where everyone stands

// The records of a year for the people reporting directly to `manager_person_id`, and for
// the reports of those reports (whose reviews the manager countersigns).
Result<std::vector<domain::RecordProgress>> TeamProgress(Database& db, std::int64_t year_id,
                                                         std::int64_t manager_person_id);
// Completion by unit of one department's records in a year.
Result<std::vector<domain::UnitCompletion>> CompletionByUnit(Database& db, std::int64_t year_id,
                                                             std::string_view department);
// End-year ratings of a department's records in a year, by grade, profession and unit.
Result<domain::Moderation> ReadModeration(Database& db, const domain::PerformanceYear& year,
                                          std::string_view department);

// ---- About the person

// A person's line manager and that manager's own manager (the countersigning manager).
struct Managers {
  std::optional<std::int64_t> manager;
  std::optional<std::int64_t> countersigner;
  std::string department;  // the person's department now
  std::string name;
};
Result<std::optional<Managers>> ManagersOf(Database& db, std::int64_t person_id);
// The clearance the person's post needs ("SC"); empty when they hold no post.
Result<std::string> PostClearanceOf(Database& db, std::int64_t person_id);
// Items of the latest published version of each framework that hold behaviours tagged
// "security", in framework and item order.
Result<std::vector<std::string>> SecurityItems(Database& db);

// ---- Notices

// Queues a reminder to the person and their line manager for every record of a year
// whose step is overdue on `today` (objectives not agreed after objectives_due; a review
// not countersigned after its date), once per record and step, for people still in the
// year's departments. Returns the number of records reminded.
Result<std::int64_t> QueueReminders(Database& db, std::string_view today, std::string_view now);

Status InsertNotice(Database& db, std::int64_t person_id, std::string_view subject,
                    std::string_view body, std::string_view link, std::string_view now);
// The person's latest notices, newest first.
Result<std::vector<domain::Notice>> ListNotices(Database& db, std::int64_t person_id, int limit);
struct OutgoingNotice {
  std::int64_t id = 0;
  std::string email;  // of the person's account; empty when they have none
  std::string name;
  std::string subject;
  std::string body;
  std::string link;
};
// Notices not yet sent, oldest first, at most `limit`, tried fewer than `max_attempts` times.
Result<std::vector<OutgoingNotice>> UnsentNotices(Database& db, int limit, int max_attempts);
Status MarkNoticeSent(Database& db, std::int64_t id, std::string_view now);
// Counts a failed try; with `give_up`, the notice is not tried again (no address).
Status MarkNoticeFailed(Database& db, std::int64_t id, std::string_view error,
                        bool give_up = false);

}  // namespace pathway::store
