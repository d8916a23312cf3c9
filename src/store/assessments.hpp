// Repositories of assessments in use: self-assessments (drafts and submissions), the
// ledger as people read and append to it, gaps' requirements, development plans and
// learning resources. The bulk ledger writer is in assessment_writer.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessments.hpp"
#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

using domain::Result;
using domain::Status;

// ---- Items

// The item as assessments show it, from the latest published version that holds it, with
// its rating scale; nullopt when no published version holds it (unknown or retired).
Result<std::optional<domain::AssessedItem>> FindPublishedItem(Database& db,
                                                              std::string_view item_id);
// The item's compact id in the workforce tables, added if missing.
Result<std::int64_t> ItemRefOf(Database& db, std::string_view item_id);

// One requirement of a role level, by item.
struct Requirement {
  std::string item_id;
  int level = 0;
};
struct RoleLevelRequirements {
  std::int64_t id = 0;
  std::string code;
  std::string title;
  std::vector<Requirement> requirements;  // in item order
};
Result<std::optional<RoleLevelRequirements>> FindRoleLevelRequirements(Database& db,
                                                                       std::string_view code);
// The role level of the person's post; nullopt when they hold no post.
Result<std::optional<RoleLevelRequirements>> PersonRoleLevel(Database& db, std::int64_t person_id);

// ---- Self-assessments

Result<std::int64_t> InsertSelfAssessment(Database& db, std::int64_t person_id,
                                          std::string_view now,
                                          std::span<const std::int64_t> item_ref_ids);
// The self-assessment with its items (labels filled by the caller's lookups); nullopt
// when there is none with that id.
Result<std::optional<domain::SelfAssessment>> FindSelfAssessment(Database& db, std::int64_t id);
// The item ids of the self-assessment, in order, with their item_ref ids.
Result<std::vector<std::pair<std::string, std::int64_t>>> SelfAssessmentItemRefs(Database& db,
                                                                                 std::int64_t id);
// Replaces the ratings of items already in the self-assessment.
Status SaveSelfAssessmentRating(Database& db, std::int64_t id, std::int64_t item_ref_id,
                                std::optional<int> level, const domain::StarEvidence& evidence);
Status SetSelfAssessmentSubmitted(Database& db, std::int64_t id, std::string_view now);
Status SetSelfAssessmentReviewed(Database& db, std::int64_t id, std::int64_t reviewer_person_id,
                                 std::string_view now);
Status TouchSelfAssessment(Database& db, std::int64_t id, std::string_view now);
// A person's self-assessments, newest first (items not filled).
Result<std::vector<domain::SelfAssessment>> ListSelfAssessments(Database& db,
                                                                std::int64_t person_id);
// Submitted self-assessments of everyone in the manager's reporting chain (direct and
// indirect), oldest submission first (items not filled).
Result<std::vector<domain::SelfAssessment>> ListSubmittedInChain(Database& db,
                                                                 std::int64_t manager_person_id,
                                                                 int limit);

// What waits for a person: their drafts and submissions waiting for their manager, the
// submissions of their reporting chain waiting for them, and overdue actions (their own
// and their chain's), as of `today`.
struct AssessmentCounts {
  int drafts = 0;
  int awaiting_confirmation = 0;
  int to_confirm = 0;
  int overdue_actions = 0;
  int team_overdue_actions = 0;
};
Result<AssessmentCounts> CountAssessmentTasks(Database& db, std::int64_t person_id,
                                              bool line_manager, std::string_view today);

// ---- The ledger

struct LedgerAppend {
  std::int64_t person_id = 0;
  std::int64_t item_ref_id = 0;
  int level = 0;
  domain::AssessorKind source = domain::AssessorKind::kSelf;
  std::string capacity;
  std::optional<std::int64_t> recorded_by;  // person id
  std::string assessed_on;                  // ISO date
  std::string recorded_at;                  // ISO timestamp
  int framework_version = 1;
  domain::StarEvidence evidence;
  std::string comment;
  std::optional<std::int64_t> cites_seq;
  std::optional<std::int64_t> self_assessment_id;
};
// Appends one row with the next seq for its person and item; returns that seq.
Result<std::int64_t> AppendLedgerEntry(Database& db, const LedgerAppend& row);
// Every ledger row of a person, by item then seq.
Result<std::vector<domain::LedgerEntry>> ReadLedger(Database& db, std::int64_t person_id);
// The latest self row of a person and item that a self-assessment wrote.
Result<std::optional<domain::LedgerEntry>> SelfRowOf(Database& db, std::int64_t person_id,
                                                     std::int64_t item_ref_id,
                                                     std::int64_t self_assessment_id);

// ---- Carrying levels over to a new framework version

// One replacement of a published version: `item_id` of the version replaces `old_item_id`.
struct Replacement {
  std::string item_id;
  std::string old_item_id;
};
Result<std::vector<Replacement>> VersionReplacements(Database& db, std::string_view framework_id,
                                                     int version);
// Published versions whose replacements have not all been carried over (no carry_over row
// marked done), oldest first.
Result<std::vector<std::pair<std::string, int>>> PendingCarryOvers(Database& db);

struct CarryOverState {
  bool done = false;
  std::int64_t next_person_id = 0;
  std::int64_t people = 0;
  std::int64_t rows_added = 0;
};
// The run's state, starting it (status running) when there is none.
Result<CarryOverState> StartCarryOver(Database& db, std::string_view framework_id, int version,
                                      std::string_view now);
Status SaveCarryOver(Database& db, std::string_view framework_id, int version,
                     const CarryOverState& state, std::string_view now);

// The ledger rows of people with ids in [from, to) for the items `item_refs`, in key order
// (person, item, seq).
struct LedgerRow {
  std::int64_t person_id = 0;
  std::int64_t item_ref_id = 0;
  std::int64_t seq = 0;
  int level = 0;
  domain::AssessorKind source = domain::AssessorKind::kSelf;
};
Result<std::vector<LedgerRow>> LedgerRowsFor(Database& db, std::span<const std::int64_t> item_refs,
                                             std::int64_t from, std::int64_t to);
// The highest person id with any ledger row, or 0.
Result<std::int64_t> MaxAssessedPerson(Database& db);
// The item_ref id of an item, or nullopt when nobody was ever assessed in it.
Result<std::optional<std::int64_t>> ExistingItemRef(Database& db, std::string_view item_id);

// ---- What changed for a person

// A level carried to a new version's item from the item it replaces.
struct CarriedLevel {
  std::string item_id;      // the new item
  std::string old_item_id;  // the item it replaces
  std::string old_title;    // in the latest version that holds it
  int level = 0;
  int framework_version = 0;
  std::string assessed_on;
};
Result<std::vector<CarriedLevel>> CarriedLevelsOf(Database& db, std::int64_t person_id);
// Every carry-over run, newest first.
struct CarryOverRun {
  std::string framework_id;
  std::string framework_title;
  int version = 0;
  std::string status;
  std::int64_t people = 0;
  std::int64_t rows_added = 0;
  std::string started_at;
  std::string finished_at;
};
Result<std::vector<CarryOverRun>> ListCarryOverRuns(Database& db);
// The person's grade rank (domain::Grade) and name; nullopt when there is no such person.
struct PersonBrief {
  std::string name;
  std::optional<int> grade;
};
Result<std::optional<PersonBrief>> FindPersonBrief(Database& db, std::int64_t person_id);
// The people reporting directly to `manager_id`: (id, name), by name, at most `limit`.
Result<std::vector<std::pair<std::int64_t, std::string>>> DirectReports(Database& db,
                                                                        std::int64_t manager_id,
                                                                        int limit);

// ---- Development plans

Result<std::optional<domain::DevelopmentPlan>> FindDevelopmentPlan(Database& db,
                                                                   std::int64_t person_id);
// Creates the plan or changes its target; returns its id.
Result<std::int64_t> UpsertDevelopmentPlan(Database& db, std::int64_t person_id,
                                           std::optional<std::int64_t> target_role_level_id,
                                           std::string_view now);
struct ActionInsert {
  std::int64_t plan_id = 0;
  std::int64_t item_ref_id = 0;
  int target_level = 0;
  std::string title;
  std::string due_on;
  std::string now;
};
Result<std::int64_t> InsertDevelopmentAction(Database& db, const ActionInsert& action);
// The plan an action belongs to, with its person; nullopt when no such action.
struct ActionOwner {
  std::int64_t plan_id = 0;
  std::int64_t person_id = 0;
  domain::ActionStatus status = domain::ActionStatus::kPlanned;
};
Result<std::optional<ActionOwner>> FindActionOwner(Database& db, std::int64_t action_id);
Status SetActionStatus(Database& db, std::int64_t action_id, domain::ActionStatus status,
                       std::string_view now);
Status InsertDevelopmentComment(Database& db, std::int64_t plan_id, std::int64_t author_id,
                                std::string_view body, std::string_view now);
// The plans of everyone in the manager's chain, with counts of open and overdue actions
// (due before `today` and not done or dropped).
struct PlanSummary {
  std::int64_t person_id = 0;
  std::string person_name;
  std::string target;  // role level title, or empty
  int open = 0;
  int overdue = 0;
  int done = 0;
};
Result<std::vector<PlanSummary>> ListPlansInChain(Database& db, std::int64_t manager_person_id,
                                                  std::string_view today);

// ---- Learning resources

struct ResourceFilter {
  std::optional<std::int64_t> item_ref_id;
  std::optional<int> level;  // resources whose range holds it
  int limit = 200;
};
Result<std::vector<domain::LearningResource>> ListLearningResources(Database& db,
                                                                    const ResourceFilter& filter);
struct ResourceInsert {
  std::string title;
  std::string url;
  std::string provider;
  std::int64_t item_ref_id = 0;
  int level_min = 1;
  int level_max = 1;
};
// kConflict naming `field` when the item already has a resource at that address.
Result<std::int64_t> InsertLearningResource(Database& db, const ResourceInsert& resource,
                                            std::string_view field);
Status DeleteLearningResource(Database& db, std::int64_t id);

}  // namespace pathway::store
