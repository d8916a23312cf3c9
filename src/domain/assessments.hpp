// Assessments in use: the value types of self-assessment, confirmation, the ledger as a
// person sees it, the current-level rule, gaps and development plans, and the rules that
// need no database (limits, the scale, the gap arithmetic).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "domain/workforce.hpp"

namespace pathway::domain {

// Evidence in four parts (the STAR method), each up to kEvidencePartLimit characters.
struct StarEvidence {
  std::string situation;
  std::string task;
  std::string action;
  std::string result;
  bool empty() const {
    return situation.empty() && task.empty() && action.empty() && result.empty();
  }
};
inline constexpr std::size_t kEvidencePartLimit = 2000;  // characters, per part
inline constexpr std::size_t kCommentLimit = 2000;       // characters
inline constexpr std::size_t kSelfAssessmentItemLimit = 60;

// kInvalidInput naming `field_prefix` + ".situation" (etc.) when a part is longer than
// the limit or is not acceptable text (line breaks allowed).
Status CheckEvidence(const StarEvidence& evidence, std::string_view field_prefix);
// The same for a comment.
Status CheckComment(std::string_view comment, std::string_view field);

// One point of an item's rating scale: the framework's scale points when it has them,
// else the item's own levels.
struct RatingPoint {
  int value = 0;
  std::string label;
};

// A framework item as assessments show it.
struct AssessedItem {
  std::string item_id;  // UUID
  std::string framework_id;
  int framework_version = 0;
  std::string framework_title;
  std::string title;
  std::vector<RatingPoint> scale;  // ascending
  bool OnScale(int level) const;
  std::string LevelLabel(int level) const;  // "4 (Moderate demonstration)", or "4"
};

enum class SelfAssessmentStatus { kDraft, kSubmitted, kReviewed };
std::string_view SelfAssessmentStatusName(SelfAssessmentStatus status);
std::optional<SelfAssessmentStatus> ParseSelfAssessmentStatus(std::string_view name);

struct SelfAssessmentItem {
  AssessedItem item;
  std::optional<int> level;  // not rated yet while a draft
  StarEvidence evidence;
};

struct SelfAssessment {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string person_name;
  SelfAssessmentStatus status = SelfAssessmentStatus::kDraft;
  std::string created_at;
  std::string updated_at;
  std::string submitted_at;
  std::string reviewed_at;
  std::string reviewed_by_name;
  std::vector<SelfAssessmentItem> items;  // in the order chosen
};

// A rating as the person writing a draft gives it.
struct ItemRating {
  std::string item_id;
  std::optional<int> level;
  StarEvidence evidence;
};

// A manager's decision on one submitted item: confirm the self-rating or set another.
struct ItemDecision {
  std::string item_id;
  int level = 0;
  std::string comment;
};

// One row of the ledger as people see it.
struct LedgerEntry {
  std::int64_t seq = 0;
  std::string item_id;
  int level = 0;
  AssessorKind source = AssessorKind::kSelf;
  std::string capacity;  // "self", "line_manager", "panel"; empty for loaded rows
  std::string recorded_by_name;
  std::string assessed_on;
  std::string recorded_at;
  int framework_version = 0;
  StarEvidence evidence;
  std::string legacy_evidence;  // the free text of rows loaded before evidence had parts
  std::string comment;
  std::optional<std::int64_t> cites_seq;
  bool confirmed() const { return Confirms(source); }
};

// The current level of one item for one person, and why.
struct CurrentLevel {
  AssessedItem item;
  int level = 0;
  bool confirmed = false;
  AssessorKind source = AssessorKind::kSelf;
  std::string assessed_on;
  std::vector<LedgerEntry> why;  // every assertion about the item, newest first
};

// The rule: the latest confirming assertion (manager, panel, recruitment, passport,
// end-year review), else
// the latest self-assessment shown as unconfirmed. `entries` are one item's rows in
// ledger order (ascending seq); nullopt when empty.
struct LevelRule {
  int level = 0;
  bool confirmed = false;
  std::size_t index = 0;  // of the deciding entry in `entries`
};
std::optional<LevelRule> CurrentLevelOf(const std::vector<LedgerEntry>& entries);
inline constexpr std::string_view kCurrentLevelRule =
    "A person's current level for an item is the latest level confirmed by their line "
    "manager, a panel, a recruitment campaign, a verified passport or a countersigned "
    "end-year review. Where there is none, "
    "their latest self-assessment is shown, marked unconfirmed.";

// One requirement of a gap: have / need / gap.
struct GapRow {
  AssessedItem item;
  int need = 0;
  int have = 0;  // 0: no level recorded
  bool confirmed = false;
  // When the level is the person's level in another item that a crosswalk (or a CASE
  // exactMatchOf) says is the same: "‘TITLE’ in FRAMEWORK". Empty: the item's own level.
  std::string via;
  int gap() const { return need > have ? need - have : 0; }
  int surplus() const { return have > need ? have - need : 0; }
};

struct Gap {
  std::string role_level_code;
  std::string role_level_title;
  std::vector<GapRow> rows;  // in the role level's requirement order
  int total_gap = 0;
  int met = 0;
  int unconfirmed = 0;                 // rows whose level rests on a self-assessment alone
  std::vector<std::size_t> strengths;  // rows exceeding the need, largest surplus first
  std::string summary;                 // one line
};

// Fills total_gap, met, unconfirmed, strengths and summary from rows.
void Summarise(Gap& gap);

enum class ActionStatus { kPlanned, kInProgress, kDone, kDropped };
std::string_view ActionStatusName(ActionStatus status);   // "planned", ...
std::string_view ActionStatusLabel(ActionStatus status);  // "Planned", "In progress", ...
std::optional<ActionStatus> ParseActionStatus(std::string_view name);

struct DevelopmentAction {
  std::int64_t id = 0;
  AssessedItem item;
  int target_level = 0;
  std::string title;
  std::string due_on;  // ISO date
  ActionStatus status = ActionStatus::kPlanned;
  bool overdue = false;  // due before today and not done or dropped
};

struct DevelopmentComment {
  std::string author_name;
  std::string body;
  std::string created_at;
};

struct DevelopmentPlan {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string person_name;
  std::string target_role_level_code;
  std::string target_role_level_title;
  std::vector<DevelopmentAction> actions;
  std::vector<DevelopmentComment> comments;
};

inline constexpr std::size_t kActionTitleLimit = 200;

struct LearningResource {
  std::int64_t id = 0;
  std::string title;
  std::string url;
  std::string provider;
  AssessedItem item;
  int level_min = 1;
  int level_max = 1;
};

// kInvalidInput naming `field` unless `url` is an absolute http(s) URL without spaces
// or control characters, at most 2,000 characters.
Status CheckResourceUrl(std::string_view url, std::string_view field);

}  // namespace pathway::domain
