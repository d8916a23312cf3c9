// The performance year: HR opens a year for departments; each person and their line
// manager agree objectives (the "what") and about six competencies (the "how"), which
// Pathway proposes with reasons; mid-year and end-year reviews are signed person →
// manager → countersigning manager; end-year competency ratings enter the assessment
// ledger as "review"; HR moderates the distribution of ratings. Every write runs through
// the use-case kernel; notices go to an outbox shown on start pages and sent by email.
//
// Policy actions (policy/access.csv):
//   performance.open      open a year (HR partner: their department; admin)
//   performance.read      read a person's record (self, chain, department)
//   performance.agree     agree objectives and competencies (self, chain: the body
//                         checks the actor is the person or their line manager)
//   performance.review    write and sign reviews (self, chain: person, manager,
//                         countersigning manager)
//   performance.reopen    reopen an agreement or a signed review, with a reason
//                         (line manager: chain; HR partner: department)
//   performance.moderate  see completion and the distribution of ratings, change a
//                         rating with a reason (HR partner: department; admin)
//   notice.send           send the outbox (system)
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/policy.hpp"
#include "app/unit_of_work.hpp"
#include "domain/performance.hpp"
#include "domain/result.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

// How the reader stands to a record: what the page offers them.
struct RecordView {
  domain::PerformanceRecord record;
  domain::PerformanceYear year;
  bool is_person = false;
  bool is_manager = false;
  bool is_countersigner = false;
  bool may_reopen = false;
  bool may_moderate = false;
  bool left = false;  // the person is no longer in the year's departments
};

// What agreeing did.
struct AgreeOutcome {
  bool changed = false;  // the set differed from the saved one (the other side must agree again)
  bool agreed = false;   // both sides have now agreed: the set is locked
};

// One side's part of a review. The person writes `evidence`; the manager writes
// `manager_comment`, a summary and, at end-year, a rating (a label of the year's scale)
// and a level per competency.
struct ReviewSubmission {
  domain::ReviewKind kind = domain::ReviewKind::kMidYear;
  std::vector<domain::ReviewEntry> objectives;
  std::vector<domain::ReviewEntry> competencies;
  std::string summary;
  std::string rating;  // end-year, manager: a label of the scale
};

struct SendReport {
  int sent = 0;
  int failed = 0;
  int skipped = 0;  // no email address
};

// Sends one message; an error says why it failed. Built by the command line (SMTP).
using Mailer = std::function<Status(const std::string& to, const std::string& name,
                                    const std::string& subject, const std::string& body)>;

// Thread-safe: every call leases its own connection.
class PerformanceService {
 public:
  explicit PerformanceService(UnitOfWork& kernel) : kernel_(kernel) {}

  // Opens a year for the departments, with a record and a notice for everyone in them,
  // in one unit of work. kInvalidInput naming the field for bad dates, an unknown
  // department or scale; kConflict when a department already has a year over those
  // dates, or someone in them already has a record in one.
  Result<domain::PerformanceYear> OpenYear(const Actor& actor,
                                           const domain::PerformanceYearSpec& spec);
  // Years of the departments the actor oversees (HR, admin), newest first.
  Result<std::vector<domain::PerformanceYear>> ListYears(const Actor& actor);
  Result<domain::PerformanceYear> GetYear(const Actor& actor, std::int64_t year_id);

  // The record with its competencies labelled, and how the reader stands to it.
  Result<RecordView> GetRecord(const Actor& actor, std::int64_t record_id);
  // The latest record of a person (authorised like GetRecord); kNotFound when none.
  Result<RecordView> LatestRecordOfPerson(const Actor& actor, std::int64_t person_id);
  // The actor's own latest record; nullopt when they have none.
  Result<std::optional<std::int64_t>> OwnLatestRecord(const Actor& actor);

  // About six competencies for the record's person, each with its reasons: what the role
  // level requires, the largest gaps, and for a post needing SC or DV the security
  // behaviours.
  Result<std::vector<domain::ProposedCompetency>> Propose(const Actor& actor,
                                                          std::int64_t record_id);
  // Saves the set (when it differs from the saved one, the other side's agreement is
  // cleared) and records the actor's agreement: the person's or their line manager's.
  // When both have agreed, the set is locked. kConflict when already agreed.
  Result<AgreeOutcome> Agree(const Actor& actor, std::int64_t record_id,
                             const std::vector<domain::Objective>& objectives,
                             const std::vector<domain::ChosenCompetency>& competencies);
  Status ReopenAgreement(const Actor& actor, std::int64_t record_id, const std::string& reason);

  // Saves the actor's part of a review (the person's or the line manager's). kConflict
  // before agreement, once the actor has signed, or for someone who has left.
  Status SubmitReview(const Actor& actor, std::int64_t record_id, const ReviewSubmission& part);
  // Signs the review as whoever the actor is to the person; refused out of order. The
  // countersignature locks it; at end-year it writes the competency levels to the
  // ledger as "review". Returns the new stage.
  Result<domain::ReviewStage> SignReview(const Actor& actor, std::int64_t record_id,
                                         domain::ReviewKind kind);
  Status ReopenReview(const Actor& actor, std::int64_t record_id, domain::ReviewKind kind,
                      const std::string& reason);

  // ---- HR

  // Distribution of end-year ratings of a department's records in a year (the
  // department may be empty when the actor oversees exactly one of the year's).
  Result<domain::Moderation> GetModeration(const Actor& actor, std::int64_t year_id,
                                           const std::string& department);
  // Changes an end-year rating, with a reason the person and manager then see.
  Status Moderate(const Actor& actor, std::int64_t record_id, const std::string& rating,
                  const std::string& reason);
  Result<std::vector<domain::UnitCompletion>> Completion(const Actor& actor, std::int64_t year_id,
                                                         const std::string& department);

  // ---- Managers and everyone

  // The actor's direct reports' records (and their reports', for countersigning) in the
  // actor's latest year, with what is overdue.
  Result<std::vector<domain::RecordProgress>> Team(const Actor& actor, std::int64_t year_id);
  Result<std::vector<domain::Notice>> Notices(const Actor& actor, int limit = 10);

  // Queues reminders of overdue steps (once per record and step) to people and their line
  // managers, in one unit of work. For the system actor. Returns the records reminded.
  Result<std::int64_t> QueueReminders(const Actor& actor);
  // Sends up to `limit` notices from the outbox with `mailer`, each marked sent or failed
  // (tried at most 5 times). For the system actor (the command line).
  Result<SendReport> SendNotices(const Actor& actor, const Mailer& mailer, int limit);

 private:
  UnitOfWork& kernel_;
};

}  // namespace pathway::app
