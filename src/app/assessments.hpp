// Assessments in use: a person assesses themselves with evidence, their line manager
// confirms or sets another level, everyone sees their current levels and why, their gap
// to any role level, and plans their development. Every write runs through the use-case
// kernel; every read of another person's ratings is authorised and audited.
//
// Policy actions (policy/access.csv):
//   assessment.self      write one's own self-assessment (individual: self)
//   assessment.levels    read current levels and gaps (self, chain, department, profession)
//   assessment.evidence  read evidence and comments (self, chain, department: not heads
//                        of profession, who see levels and gaps only)
//   assessment.confirm   confirm a submitted self-assessment (line manager: chain)
//   assessment.create    assess directly: a line manager for their chain, an HR partner
//                        as a panel for their department
//   development.read / development.edit   a person's plan (self and chain; HR reads)
//   learning.read / learning.manage       the learning catalogue (everyone / admins)
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "app/policy.hpp"
#include "app/unit_of_work.hpp"
#include "domain/assessments.hpp"
#include "domain/framework_diff.hpp"
#include "domain/result.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

// A person's current levels, one per item they hold a level in, and whether the reader
// may see evidence.
struct PersonLevels {
  std::int64_t person_id = 0;
  std::string person_name;
  std::vector<domain::CurrentLevel> levels;  // by framework, then item title
  bool evidence_visible = false;
};

// An assessment made directly by a line manager or a panel.
struct DirectRating {
  std::string item_id;
  int level = 0;
  domain::StarEvidence evidence;
  std::string comment;
};
enum class AssessingCapacity { kLineManager, kPanel };

struct TeamPlan {
  std::int64_t person_id = 0;
  std::string person_name;
  std::string target;
  int open = 0;
  int overdue = 0;
  int done = 0;
};

// One row of a learning-resource CSV file, as read.
struct ResourceRow {
  std::string title;
  std::string url;
  std::string provider;
  std::string item_id;
  std::string level_min;
  std::string level_max;
};

// What waits for the actor in assessments and development, for their start page.
struct AssessmentTasks {
  std::int64_t person_id = 0;
  int drafts = 0;                 // their self-assessments not yet submitted
  int awaiting_confirmation = 0;  // submitted, waiting for their line manager
  int to_confirm = 0;             // their reports' submissions waiting for them
  int overdue_actions = 0;        // in their own plan
  int team_overdue_actions = 0;   // in their reporting chain's plans
};

// What carrying levels over to a new framework version did.
struct CarryOverResult {
  std::string framework_id;
  int version = 0;
  std::int64_t people = 0;      // people given at least one carried level
  std::int64_t rows_added = 0;  // ledger rows added
  int batches = 0;              // units of work this call ran (0: it had finished before)
};

// What a new framework version changed for one person: levels carried to new items, new
// items they have no level in, and indicators changed at their grade's level.
struct CarriedItem {
  std::string old_title;
  domain::AssessedItem item;
  int level = 0;
  std::string on;
};
struct IndicatorChangeShown {
  std::string item_title;
  std::string change;  // "Added", "Reworded", "Removed"
  std::string before;
  std::string after;
};
struct FrameworkChange {
  std::string framework_id;
  std::string framework_title;
  int from_version = 0;
  int to_version = 0;
  int level = 0;  // the level expected at the person's grade; 0 when the framework names none
  std::vector<CarriedItem> carried;
  std::vector<domain::AssessedItem> unrated_new;
  std::vector<IndicatorChangeShown> indicators;
  bool empty() const { return carried.empty() && unrated_new.empty() && indicators.empty(); }
};
struct WhatChanged {
  std::int64_t person_id = 0;
  std::string person_name;
  std::vector<FrameworkChange> frameworks;  // only those with a change for the person
};
struct TeamChange {
  std::int64_t person_id = 0;
  std::string person_name;
  int carried = 0;
  int unrated_new = 0;
  int indicators = 0;
};
struct CarryOverRun {
  std::string framework_id;
  std::string framework_title;
  int version = 0;
  bool done = false;
  std::int64_t people = 0;
  std::int64_t rows_added = 0;
  std::string started_at;
  std::string finished_at;
};

// Thread-safe: every call leases its own connection.
class AssessmentService {
 public:
  explicit AssessmentService(UnitOfWork& kernel) : kernel_(kernel) {}

  // ---- Self-assessment

  // Starts a draft self-assessment of `person_id` (the actor's own record) of `item_ids`,
  // or, when empty, of the requirements of their post's role level. kInvalidInput naming
  // "items" for an unknown or retired item, none to assess, or too many.
  Result<std::int64_t> StartSelfAssessment(const Actor& actor, std::int64_t person_id,
                                           const std::vector<std::string>& item_ids);
  // The self-assessment with labelled items. Readable by those who may read the person's
  // evidence; kNotFound otherwise.
  Result<domain::SelfAssessment> GetSelfAssessment(const Actor& actor, std::int64_t id);
  Result<std::vector<domain::SelfAssessment>> ListSelfAssessments(const Actor& actor,
                                                                  std::int64_t person_id);
  // Saves ratings of a draft (each item must be in it; levels on its scale; evidence within
  // limits). kConflict when it is no longer a draft.
  Status SaveDraft(const Actor& actor, std::int64_t id,
                   const std::vector<domain::ItemRating>& ratings);
  // Submits a draft: every item needs a level. Its ratings enter the ledger as "self".
  Status Submit(const Actor& actor, std::int64_t id);
  // Starts, fills and (with `submit`) submits a self-assessment of the rated items in
  // one unit of work: refused input leaves nothing behind. Returns its id.
  Result<std::int64_t> RecordSelfAssessment(const Actor& actor, std::int64_t person_id,
                                            const std::vector<domain::ItemRating>& ratings,
                                            bool submit);
  // The actor's own tasks; nullopt for an actor without a person record.
  Result<std::optional<AssessmentTasks>> Tasks(const Actor& actor);
  // The line manager's to-do list: submitted self-assessments in their reporting chain.
  Result<std::vector<domain::SelfAssessment>> ToConfirm(const Actor& actor);
  // Decides every item of a submitted self-assessment: the manager's level (the same
  // confirms, another sets it) with a comment, each a "manager" ledger row citing the self
  // row. Refused for one's own, for a self-assessment not submitted (confirming twice),
  // for a missing or extra item, or a level off the scale.
  Status Confirm(const Actor& actor, std::int64_t id,
                 const std::vector<domain::ItemDecision>& decisions);

  // ---- Direct assessments and levels

  // A line manager's or a panel's assessment of items for a person; the ledger's seqs.
  Result<std::vector<std::int64_t>> CreateAssessment(const Actor& actor, std::int64_t person_id,
                                                     AssessingCapacity capacity,
                                                     const std::vector<DirectRating>& ratings);
  Result<PersonLevels> CurrentLevels(const Actor& actor, std::int64_t person_id);
  // The gap of a person to `role_level_code`, or to their own post's role level when
  // empty. kInvalidInput naming "role_level" when there is no such role level, or the
  // person holds no post and none was chosen.
  Result<domain::Gap> GetGap(const Actor& actor, std::int64_t person_id,
                             const std::string& role_level_code);

  // ---- Development plans

  Result<std::optional<domain::DevelopmentPlan>> GetPlan(const Actor& actor,
                                                         std::int64_t person_id);
  // Creates the plan (or changes its target) for `target_role_level_code` (may be empty);
  // with `actions_from_gap`, adds an action for every gap item not already in the plan,
  // due on `due_on`. Returns the number of actions added.
  Result<int> CreatePlan(const Actor& actor, std::int64_t person_id,
                         const std::string& target_role_level_code, bool actions_from_gap,
                         const std::string& due_on);
  Result<std::int64_t> AddAction(const Actor& actor, std::int64_t person_id,
                                 const std::string& item_id, int target_level,
                                 const std::string& title, const std::string& due_on);
  Status SetActionStatus(const Actor& actor, std::int64_t action_id, domain::ActionStatus status);
  Status AddComment(const Actor& actor, std::int64_t person_id, const std::string& body);
  // The plans of everyone in the actor's reporting chain, with what is overdue.
  Result<std::vector<TeamPlan>> TeamPlans(const Actor& actor);

  // ---- Learning resources

  Result<std::vector<domain::LearningResource>> ListResources(const Actor& actor,
                                                              const std::string& item_id,
                                                              std::optional<int> level);
  Result<std::int64_t> AddResource(const Actor& actor, const ResourceRow& row);
  // Adds every row, or none: the first problem names its line and column.
  Result<int> ImportResources(const Actor& actor, const std::vector<ResourceRow>& rows);
  Status DeleteResource(const Actor& actor, std::int64_t id);

  // ---- Ratings that survive a new framework version

  // Carries people's current levels of the items that version `version` replaces to the
  // items replacing them, as new ledger rows citing the rows they carry (source and level
  // of the deciding assertion; a merge takes the best confirmed level, then the highest).
  // Nobody who already has an assertion about the new item is given another. Runs in
  // batches of `batch_people` people, each one unit of work that also records how far it
  // got, so that a run stopped by a crash resumes there and a finished run does nothing.
  // The default batch changes at most as many people as the workforce change log lists one
  // by one (store::kMaxLoggedPeople), so each batch costs the engine only those people's
  // reload, not a full one. A batch reads its people's ledger rows in key order, decides in
  // memory and appends many rows a statement: about the CPU of one bare INSERT … SELECT
  // (bench/carry_over_bench.cpp).
  Result<CarryOverResult> CarryOver(const Actor& actor, const std::string& framework_id,
                                    int version, std::int64_t batch_people = 20000);
  // Every published version whose carry-over has not finished, oldest first.
  Result<std::vector<CarryOverResult>> CarryOverPending(const Actor& actor);

  // ---- What a new framework version changed

  // For the person: each framework whose latest published version follows an earlier one,
  // with the levels carried to its new items, its new items they have no level in, and
  // the indicators added, reworded or removed at the level of their grade.
  Result<WhatChanged> WhatChangedFor(const Actor& actor, std::int64_t person_id);
  // The same counted for each of the actor's direct reports (line managers).
  Result<std::vector<TeamChange>> TeamChanges(const Actor& actor);
  // Every carry-over run with its counts (HR partners, heads of profession, administrators).
  Result<std::vector<CarryOverRun>> CarryOverRuns(const Actor& actor);

  // Whether `actor` may do `action` ("assessment.create", "development.edit") to the
  // person's record: Ok, or kNotFound with the refusal audited. For doors that check
  // before they read a request's body.
  Status Authorise(const Actor& actor, std::string_view action, std::int64_t person_id);

  // The rule behind current levels, in words.
  static std::string_view CurrentLevelRule() { return domain::kCurrentLevelRule; }

 private:
  // The diff between two published versions and the newer one's grade map, computed once
  // (published versions never change).
  struct VersionChange {
    domain::FrameworkDiff diff;
    std::map<domain::Grade, int> grade_levels;
    std::string title;
  };
  Result<std::shared_ptr<const VersionChange>> ChangeBetween(store::Database& db,
                                                             const std::string& framework_id,
                                                             int from, int to);
  Result<WhatChanged> ChangesOf(store::Database& db, std::int64_t person_id);

  UnitOfWork& kernel_;
  std::mutex changes_mutex_;
  std::map<std::tuple<std::string, int, int>, std::shared_ptr<const VersionChange>> changes_;
};

// Runs pending carry-overs on a thread of its own: at start (resuming any a crash
// stopped) and whenever a framework version is published (Notify, from the kernel's
// commit listener).
class CarryOverWorker {
 public:
  explicit CarryOverWorker(AssessmentService& service);
  ~CarryOverWorker();  // finishes the current batch's run, then stops
  CarryOverWorker(const CarryOverWorker&) = delete;
  CarryOverWorker& operator=(const CarryOverWorker&) = delete;
  void Notify();

 private:
  void Loop();
  AssessmentService& service_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = true;  // look once at start
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pathway::app
