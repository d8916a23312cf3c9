// The performance year: the value types of a year, a person's record for it (objectives
// for the "what", about six competencies for the "how"), mid-year and end-year reviews
// with their sign-off order, moderation, and notices; and the rules that need no
// database (limits, dates in order, the rating scale, who signs next).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessments.hpp"
#include "domain/result.hpp"

namespace pathway::domain {

inline constexpr std::size_t kObjectiveTextLimit = 1000;     // characters
inline constexpr std::size_t kObjectiveMeasureLimit = 1000;  // characters
inline constexpr std::size_t kReviewTextLimit = 4000;        // evidence, comments
inline constexpr std::size_t kReasonLimit = 1000;            // reopening, moderation
inline constexpr std::size_t kObjectiveLimit = 10;
inline constexpr std::size_t kCompetencyLimit = 10;
inline constexpr std::size_t kProposedCompetencies = 6;
inline constexpr std::size_t kYearNameLimit = 100;

// The default end-year rating scale, best first.
inline const std::vector<std::string> kDefaultPerformanceScale{"Exceeded", "Achieved",
                                                               "Partially met", "Not met"};

// A year as HR opens it.
struct PerformanceYearSpec {
  std::string name;                      // "2027 to 2028"
  std::vector<std::string> departments;  // department codes
  std::string starts_on;                 // ISO dates, in this order
  std::string objectives_due;
  std::string midyear_due;
  std::string endyear_due;
  std::vector<std::string> scale;  // labels, best first; empty: the default
};
// kInvalidInput naming the field: the name, dates real and in order, 1–20 departments
// (unique), 2–7 scale labels (unique, each 1–40 characters).
Status CheckPerformanceYear(const PerformanceYearSpec& spec);

struct PerformanceYear {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> departments;
  std::string starts_on;
  std::string objectives_due;
  std::string midyear_due;
  std::string endyear_due;
  std::vector<std::string> scale;
  std::string opened_at;
  std::int64_t people = 0;
};

struct Objective {
  std::string text;
  std::string measure;  // how success is measured
  std::string due_on;   // ISO date
  int weight = 0;       // per cent; the agreed set adds up to 100
};

// A competency chosen for the "how": a framework item and why.
struct ChosenCompetency {
  std::string item_id;
  std::string reason;
  AssessedItem item;  // labelled when read
  int level = 0;      // the level the role requires, 0 when it names none
};

// kInvalidInput naming "objectives[i].field" or "competencies[i].item": at least one
// objective, at most kObjectiveLimit, text and measure within limits, real due dates within
// the year (on or before `year_end`), weights 1–100 adding up to 100; 1 to
// kCompetencyLimit competencies, none twice.
Status CheckObjectives(const std::vector<Objective>& objectives, const std::string& year_end);
Status CheckCompetencyChoice(const std::vector<ChosenCompetency>& competencies);

// A competency Pathway proposes, with the reason in words.
struct ProposedCompetency {
  AssessedItem item;
  int level = 0;                     // required by the role level; 0 when none
  int have = 0;                      // the person's current level; 0 when none
  std::vector<std::string> reasons;  // "Your role requires level 4", "Largest gap", …
  bool security = false;
};

enum class ReviewKind { kMidYear, kEndYear };
std::string_view ReviewKindName(ReviewKind kind);  // "mid", "end"
std::optional<ReviewKind> ParseReviewKind(std::string_view name);
std::string_view ReviewKindLabel(ReviewKind kind);  // "Mid-year review"

// Sign-off runs person → manager → countersigning manager, in that order only.
enum class ReviewStage { kOpen, kPersonSigned, kManagerSigned, kCountersigned };
std::string_view ReviewStageName(ReviewStage stage);
std::optional<ReviewStage> ParseReviewStage(std::string_view name);
std::string_view ReviewStageLabel(ReviewStage stage);

enum class Signer { kPerson, kManager, kCountersigner };
std::string_view SignerName(Signer signer);  // "person", "manager", "countersigner"
std::optional<Signer> ParseSigner(std::string_view name);
// Who signs next at `stage`; nullopt once countersigned.
std::optional<Signer> NextSigner(ReviewStage stage);
// kConflict naming "signer" when `signer` is not the one to sign next at `stage`.
Status CheckSignOrder(ReviewStage stage, Signer signer);

// One objective's or competency's part of a review.
struct ReviewEntry {
  std::string evidence;         // the person's
  std::string manager_comment;  // the manager's
  std::optional<int> level;     // end-year: the manager's rating of a competency
};

struct Review {
  std::int64_t id = 0;
  ReviewKind kind = ReviewKind::kMidYear;
  ReviewStage stage = ReviewStage::kOpen;
  std::vector<ReviewEntry> objectives;    // one per objective, in order
  std::vector<ReviewEntry> competencies;  // one per competency, in order
  std::string summary;                    // the manager's overall comment
  std::optional<int> rating;              // end-year: position on the year's scale (0 = best)
  std::optional<int> moderated_rating;    // HR's change, with its reason
  std::string moderation_reason;
  std::string moderated_by_name;
  std::string person_signed_at;
  std::string manager_signed_at;
  std::string manager_name;
  std::string countersigned_at;
  std::string countersigner_name;
  // The rating that counts: HR's moderated one when set, else the manager's.
  std::optional<int> final_rating() const { return moderated_rating ? moderated_rating : rating; }
};

enum class RecordStatus { kSetting, kAgreed };
std::string_view RecordStatusName(RecordStatus status);

struct Reopening {
  std::string what;  // "agreement", "mid", "end"
  std::string reason;
  std::string by_name;
  std::string at;
};

// A person's record for a year.
struct PerformanceRecord {
  std::int64_t id = 0;
  std::int64_t year_id = 0;
  std::string year_name;
  std::int64_t person_id = 0;
  std::string person_name;
  std::string person_external_id;
  std::string department;
  RecordStatus status = RecordStatus::kSetting;
  std::string person_agreed_at;
  std::string manager_agreed_at;
  std::string agreed_at;
  std::vector<Objective> objectives;
  std::vector<ChosenCompetency> competencies;
  std::optional<Review> midyear;
  std::optional<Review> endyear;
  std::vector<Reopening> reopenings;  // newest first
};

// A manager's or HR's view of one record: where it stands.
struct RecordProgress {
  std::int64_t record_id = 0;
  std::int64_t person_id = 0;
  std::string person_name;
  std::string unit;
  bool agreed = false;
  ReviewStage midyear = ReviewStage::kOpen;
  bool midyear_started = false;
  ReviewStage endyear = ReviewStage::kOpen;
  bool endyear_started = false;
  std::vector<std::string> overdue;  // "objectives", "mid-year", "end-year"
};
// Which steps are overdue on `today` for a record, by the year's dates.
std::vector<std::string> OverdueSteps(const PerformanceYear& year, const RecordProgress& progress,
                                      const std::string& today);

// Completion of one unit for HR.
struct UnitCompletion {
  std::string unit;
  std::int64_t people = 0;
  std::int64_t agreed = 0;
  std::int64_t midyear_done = 0;  // countersigned
  std::int64_t endyear_done = 0;
};

// Moderation: the distribution of end-year ratings in one group against the whole.
struct RatingGroup {
  std::string dimension;  // "grade", "profession", "unit"
  std::string key;
  std::string label;
  std::vector<std::int64_t> counts;  // one per scale point, best first
  std::int64_t total() const;
};
struct Moderation {
  std::int64_t year_id = 0;
  std::string year_name;
  std::vector<std::string> scale;
  RatingGroup whole;  // every rated record in scope
  std::vector<RatingGroup> groups;
  std::int64_t people = 0;  // records in scope, rated or not
};
// A count's share of `total`, in per cent to one decimal; 0 when total is 0.
double Share(std::int64_t count, std::int64_t total);

// A message to a person: shown on their start page, and sent by email from the outbox.
struct Notice {
  std::int64_t id = 0;
  std::string subject;
  std::string body;
  std::string link;  // a local path
  std::string created_at;
  std::string sent_at;
};

// kInvalidInput naming `field` when `reason` is empty, over kReasonLimit, or not text.
Status CheckReason(std::string_view reason, std::string_view field);
// The same for a review's text (evidence, comments) with kReviewTextLimit.
Status CheckReviewText(std::string_view text, std::string_view field);

}  // namespace pathway::domain
