#include "app/assessments.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "domain/text.hpp"
#include "store/assessment_writer.hpp"
#include "store/assessments.hpp"
#include "store/crosswalks.hpp"
#include "store/database.hpp"
#include "store/frameworks.hpp"
#include "store/workforce_lookup.hpp"

namespace pathway::app {

using domain::Error;
using domain::ErrorCode;

namespace {

constexpr std::string_view kSelf = "assessment.self";
constexpr std::string_view kLevels = "assessment.levels";
constexpr std::string_view kEvidence = "assessment.evidence";
constexpr std::string_view kConfirm = "assessment.confirm";
constexpr std::string_view kCreate = "assessment.create";
constexpr std::string_view kPlanRead = "development.read";
constexpr std::string_view kPlanEdit = "development.edit";
constexpr std::string_view kLearningRead = "learning.read";
constexpr std::string_view kLearningManage = "learning.manage";

std::string Today(const std::string& now) { return now.substr(0, 10); }

// Item labels looked up once per use case.
class Items {
 public:
  explicit Items(store::Database& db) : db_(db) {}
  // The published item, or kInvalidInput naming `field`.
  Result<const domain::AssessedItem*> Published(const std::string& item_id,
                                                const std::string& field) {
    PATHWAY_ASSIGN_OR_RETURN(auto found, Find(item_id));
    if (!found) {
      return Error::InvalidInput(field, "Choose an item of a published framework");
    }
    return found;
  }
  // The label, or a bare one (an item no published version holds any more).
  Result<domain::AssessedItem> Label(const std::string& item_id) {
    PATHWAY_ASSIGN_OR_RETURN(auto found, Find(item_id));
    if (found) return *found;
    domain::AssessedItem bare;
    bare.item_id = item_id;
    bare.title = "An item no longer published";
    return bare;
  }

 private:
  Result<const domain::AssessedItem*> Find(const std::string& item_id) {
    auto it = cache_.find(item_id);
    if (it == cache_.end()) {
      PATHWAY_ASSIGN_OR_RETURN(auto found, store::FindPublishedItem(db_, item_id));
      it = cache_.emplace(item_id, std::move(found)).first;
    }
    return it->second ? &*it->second : nullptr;
  }
  store::Database& db_;
  std::unordered_map<std::string, std::optional<domain::AssessedItem>> cache_;
};

Status CheckLevel(const domain::AssessedItem& item, int level, const std::string& field) {
  if (item.OnScale(level)) return domain::Ok{};
  if (item.scale.empty()) return Error::InvalidInput(field, "This item has no rating scale");
  return Error::InvalidInput(field, fmt::format("Choose a level from {} to {}",
                                                item.scale.front().value, item.scale.back().value));
}

// The subject of a self-assessment: its person, or nullopt when there is none.
SubjectOf OfSelfAssessment(std::int64_t id, std::int64_t* person_out) {
  return [id, person_out](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto found, store::FindSelfAssessment(db, id));
    if (!found) return std::optional<Subject>();
    if (person_out) *person_out = found->person_id;
    return OfPerson(found->person_id)(db);
  };
}

Result<bool> MayDo(const UnitOfWork& kernel, store::Database& db, const Actor& actor,
                   std::string_view action, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto subject, OfPerson(person_id)(db));
  if (!subject) return false;
  return kernel.authorizer().Allowed(db, actor, action, *subject);
}

Status CheckDate(const std::string& date, const std::string& field) {
  if (!domain::ValidIsoDate(date)) {
    return Error::InvalidInput(field, "Enter a real date, for example 2027-03-31");
  }
  return domain::Ok{};
}

Status CheckTitle(const std::string& text, const std::string& field, std::string_view label,
                  std::size_t limit) {
  if (domain::Trim(text).empty()) {
    return Error::InvalidInput(field, fmt::format("Enter {}", label));
  }
  if (auto problem = domain::FindTextProblem(text, domain::LineBreaks::kRefused)) {
    return Error::InvalidInput(field, domain::DescribeTextProblem(*problem, "‘" + field + "’"));
  }
  if (domain::CharacterCount(text) > limit) {
    return Error::InvalidInput(field,
                               fmt::format("{} must be {} characters or fewer", label, limit));
  }
  return domain::Ok{};
}

// Fills the item labels of a plan's actions.
Status LabelPlan(Items& items, domain::DevelopmentPlan& plan, const std::string& today) {
  for (auto& action : plan.actions) {
    PATHWAY_ASSIGN_OR_RETURN(action.item, items.Label(action.item.item_id));
    action.overdue = action.due_on < today && action.status != domain::ActionStatus::kDone &&
                     action.status != domain::ActionStatus::kDropped;
  }
  return domain::Ok{};
}

Result<std::int64_t> StartBody(Tx& tx, std::int64_t person_id,
                               const std::vector<std::string>& item_ids) {
  std::vector<std::string> chosen = item_ids;
  if (chosen.empty()) {
    PATHWAY_ASSIGN_OR_RETURN(auto role, store::PersonRoleLevel(tx.db(), person_id));
    if (role) {
      for (const auto& requirement : role->requirements) chosen.push_back(requirement.item_id);
    }
    if (chosen.empty()) {
      return Error::InvalidInput(
          "items", "Your post has no requirements to assess: choose the items yourself");
    }
  }
  if (chosen.size() > domain::kSelfAssessmentItemLimit) {
    return Error::InvalidInput(
        "items", fmt::format("Choose {} items or fewer", domain::kSelfAssessmentItemLimit));
  }
  Items items(tx.db());
  std::vector<std::int64_t> refs;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (!seen.insert(chosen[i]).second) continue;
    PATHWAY_ASSIGN_OR_RETURN(const auto* item, items.Published(chosen[i], "items"));
    if (item->scale.empty()) {
      return Error::InvalidInput("items", fmt::format("‘{}’ has no rating scale", item->title));
    }
    PATHWAY_ASSIGN_OR_RETURN(auto ref, store::ItemRefOf(tx.db(), chosen[i]));
    refs.push_back(ref);
  }
  PATHWAY_ASSIGN_OR_RETURN(auto id,
                           store::InsertSelfAssessment(tx.db(), person_id, tx.now(), refs));
  tx.SetObjectId(std::to_string(id));
  tx.Describe(fmt::format("self-assessment {} of {} items", id, refs.size()));
  tx.Emit("assessment.self.started", fmt::format("self-assessment {}", id));
  return id;
}

Status SaveBody(Tx& tx, std::int64_t id, const std::vector<domain::ItemRating>& ratings) {
  PATHWAY_ASSIGN_OR_RETURN(auto found, store::FindSelfAssessment(tx.db(), id));
  if (found->status != domain::SelfAssessmentStatus::kDraft) {
    return Error{ErrorCode::kConflict, "status",
                 "This self-assessment has been submitted: it can no longer be changed"};
  }
  PATHWAY_ASSIGN_OR_RETURN(auto refs, store::SelfAssessmentItemRefs(tx.db(), id));
  Items items(tx.db());
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const auto& rating = ratings[i];
    const std::string prefix = fmt::format("items[{}].", i);
    auto ref = std::find_if(refs.begin(), refs.end(),
                            [&](const auto& r) { return r.first == rating.item_id; });
    if (ref == refs.end()) {
      return Error::InvalidInput(prefix + "item", "This item is not in the self-assessment");
    }
    PATHWAY_ASSIGN_OR_RETURN(const auto* item, items.Published(rating.item_id, prefix + "item"));
    if (rating.level) PATHWAY_TRY(CheckLevel(*item, *rating.level, prefix + "level"));
    PATHWAY_TRY(domain::CheckEvidence(rating.evidence, prefix));
    PATHWAY_TRY(
        store::SaveSelfAssessmentRating(tx.db(), id, ref->second, rating.level, rating.evidence));
  }
  PATHWAY_TRY(store::TouchSelfAssessment(tx.db(), id, tx.now()));
  tx.Describe(fmt::format("{} items", ratings.size()));
  return domain::Ok{};
}

Status SubmitBody(Tx& tx, std::int64_t id) {
  PATHWAY_ASSIGN_OR_RETURN(auto found, store::FindSelfAssessment(tx.db(), id));
  if (found->status != domain::SelfAssessmentStatus::kDraft) {
    return Error{ErrorCode::kConflict, "status", "This self-assessment has already been submitted"};
  }
  PATHWAY_ASSIGN_OR_RETURN(auto refs, store::SelfAssessmentItemRefs(tx.db(), id));
  Items items(tx.db());
  for (std::size_t i = 0; i < found->items.size(); ++i) {
    const auto& item = found->items[i];
    const std::string field = fmt::format("items[{}].level", i);
    PATHWAY_ASSIGN_OR_RETURN(const auto* label, items.Published(item.item.item_id, field));
    if (!item.level) {
      return Error::InvalidInput(field, fmt::format("Choose a level for ‘{}’", label->title));
    }
    PATHWAY_TRY(CheckLevel(*label, *item.level, field));
    store::LedgerAppend row;
    row.person_id = found->person_id;
    row.item_ref_id = refs[i].second;
    row.level = *item.level;
    row.source = domain::AssessorKind::kSelf;
    row.capacity = "self";
    row.recorded_by = tx.actor().person_id;
    row.assessed_on = Today(tx.now());
    row.recorded_at = tx.now();
    row.framework_version = label->framework_version;
    row.evidence = item.evidence;
    row.self_assessment_id = id;
    PATHWAY_TRY(store::AppendLedgerEntry(tx.db(), row));
  }
  PATHWAY_TRY(store::SetSelfAssessmentSubmitted(tx.db(), id, tx.now()));
  const std::int64_t people[] = {found->person_id};
  tx.PeopleChanged(people);
  tx.Describe(fmt::format("{} items", found->items.size()));
  tx.Emit("assessment.self.submitted", fmt::format("self-assessment {}", id));
  return domain::Ok{};
}

}  // namespace

// ---- Self-assessment

Result<std::int64_t> AssessmentService::StartSelfAssessment(
    const Actor& actor, std::int64_t person_id, const std::vector<std::string>& item_ids) {
  Command command{std::string(kSelf), "person", std::to_string(person_id), "No such person"};
  command.audit_action = "assessment.self.start";
  return kernel_.Execute(actor, command, OfPerson(person_id),
                         [&](Tx& tx) { return StartBody(tx, person_id, item_ids); });
}

Result<domain::SelfAssessment> AssessmentService::GetSelfAssessment(const Actor& actor,
                                                                    std::int64_t id) {
  const Command read{std::string(kEvidence), "self_assessment", std::to_string(id),
                     "No such self-assessment"};
  return kernel_.Read(actor, read, OfSelfAssessment(id, nullptr),
                      [&](store::Database& db) -> Result<domain::SelfAssessment> {
                        PATHWAY_ASSIGN_OR_RETURN(auto found, store::FindSelfAssessment(db, id));
                        if (!found) return Error::NotFound("No such self-assessment");
                        // A draft is its writer's alone until it is submitted.
                        if (found->status == domain::SelfAssessmentStatus::kDraft &&
                            actor.person_id != found->person_id) {
                          return Error::NotFound("No such self-assessment");
                        }
                        Items items(db);
                        for (auto& item : found->items) {
                          PATHWAY_ASSIGN_OR_RETURN(item.item, items.Label(item.item.item_id));
                        }
                        return std::move(*found);
                      });
}

Result<std::vector<domain::SelfAssessment>> AssessmentService::ListSelfAssessments(
    const Actor& actor, std::int64_t person_id) {
  const Command read{std::string(kEvidence), "person", std::to_string(person_id), "No such person"};
  return kernel_.Read(actor, read, OfPerson(person_id), [&](store::Database& db) {
    return store::ListSelfAssessments(db, person_id);
  });
}

Status AssessmentService::SaveDraft(const Actor& actor, std::int64_t id,
                                    const std::vector<domain::ItemRating>& ratings) {
  Command command{std::string(kSelf), "self_assessment", std::to_string(id),
                  "No such self-assessment"};
  command.audit_action = "assessment.self.save";
  return kernel_.Execute(actor, command, OfSelfAssessment(id, nullptr),
                         [&](Tx& tx) { return SaveBody(tx, id, ratings); });
}

Status AssessmentService::Submit(const Actor& actor, std::int64_t id) {
  Command command{std::string(kSelf), "self_assessment", std::to_string(id),
                  "No such self-assessment"};
  command.audit_action = "assessment.self.submit";
  return kernel_.Execute(actor, command, OfSelfAssessment(id, nullptr),
                         [&](Tx& tx) { return SubmitBody(tx, id); });
}

Result<std::int64_t> AssessmentService::RecordSelfAssessment(
    const Actor& actor, std::int64_t person_id, const std::vector<domain::ItemRating>& ratings,
    bool submit) {
  Command command{std::string(kSelf), "person", std::to_string(person_id), "No such person"};
  command.audit_action = submit ? "assessment.self.submit" : "assessment.self.save";
  return kernel_.Execute(actor, command, OfPerson(person_id), [&](Tx& tx) -> Result<std::int64_t> {
    if (ratings.empty()) return Error::InvalidInput("items", "Rate at least one item");
    std::vector<std::string> ids;
    for (const auto& rating : ratings) ids.push_back(rating.item_id);
    PATHWAY_ASSIGN_OR_RETURN(auto id, StartBody(tx, person_id, ids));
    PATHWAY_TRY(SaveBody(tx, id, ratings));
    if (submit) PATHWAY_TRY(SubmitBody(tx, id));
    return id;
  });
}

Result<std::optional<AssessmentTasks>> AssessmentService::Tasks(const Actor& actor) {
  if (!actor.signed_in() || !actor.person_id) return std::optional<AssessmentTasks>{};
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(
      auto counts,
      store::CountAssessmentTasks(*db, *actor.person_id, actor.HasRole(domain::Role::kLineManager),
                                  Today(kernel_.clock().NowIso())));
  AssessmentTasks tasks;
  tasks.person_id = *actor.person_id;
  tasks.drafts = counts.drafts;
  tasks.awaiting_confirmation = counts.awaiting_confirmation;
  tasks.to_confirm = counts.to_confirm;
  tasks.overdue_actions = counts.overdue_actions;
  tasks.team_overdue_actions = counts.team_overdue_actions;
  return std::optional<AssessmentTasks>(tasks);
}

Result<std::vector<domain::SelfAssessment>> AssessmentService::ToConfirm(const Actor& actor) {
  auto db = kernel_.pool().Acquire();
  if (!actor.person_id || !actor.HasRole(domain::Role::kLineManager)) {
    return std::vector<domain::SelfAssessment>{};
  }
  PATHWAY_ASSIGN_OR_RETURN(auto list, store::ListSubmittedInChain(*db, *actor.person_id, 200));
  if (!list.empty()) {
    kernel_.RecordRead(actor, Command{std::string(kConfirm), "person", "team"},
                       fmt::format("{} submitted self-assessments", list.size()));
  }
  return list;
}

Status AssessmentService::Confirm(const Actor& actor, std::int64_t id,
                                  const std::vector<domain::ItemDecision>& decisions) {
  std::int64_t person_id = 0;
  Command command{std::string(kConfirm), "self_assessment", std::to_string(id),
                  "No such self-assessment"};
  // Before the policy: one's own self-assessment is never one's to confirm, and saying
  // so is clearer than "not found".
  {
    auto db = kernel_.pool().Acquire();
    auto found = store::FindSelfAssessment(*db, id);
    if (found.ok() && *found && actor.person_id && (*found)->person_id == *actor.person_id) {
      return Error{ErrorCode::kForbidden, "id", "You cannot confirm your own self-assessment"};
    }
  }
  return kernel_.Execute(actor, command, OfSelfAssessment(id, &person_id), [&](Tx& tx) -> Status {
    PATHWAY_ASSIGN_OR_RETURN(auto found, store::FindSelfAssessment(tx.db(), id));
    if (tx.actor().person_id && found->person_id == *tx.actor().person_id) {
      return Error{ErrorCode::kForbidden, "id", "You cannot confirm your own self-assessment"};
    }
    if (found->status == domain::SelfAssessmentStatus::kReviewed) {
      return Error{ErrorCode::kConflict, "status",
                   "This self-assessment has already been confirmed"};
    }
    if (found->status != domain::SelfAssessmentStatus::kSubmitted) {
      return Error{ErrorCode::kConflict, "status",
                   "This self-assessment has not been submitted yet"};
    }
    PATHWAY_ASSIGN_OR_RETURN(auto refs, store::SelfAssessmentItemRefs(tx.db(), id));
    Items items(tx.db());
    std::set<std::string> decided;
    for (std::size_t i = 0; i < decisions.size(); ++i) {
      const auto& decision = decisions[i];
      const std::string prefix = fmt::format("items[{}].", i);
      auto ref = std::find_if(refs.begin(), refs.end(),
                              [&](const auto& r) { return r.first == decision.item_id; });
      if (ref == refs.end()) {
        return Error::InvalidInput(prefix + "item", "This item is not in the self-assessment");
      }
      if (!decided.insert(decision.item_id).second) {
        return Error::InvalidInput(prefix + "item", "Decide each item once");
      }
      PATHWAY_ASSIGN_OR_RETURN(const auto* label,
                               items.Published(decision.item_id, prefix + "item"));
      PATHWAY_TRY(CheckLevel(*label, decision.level, prefix + "level"));
      PATHWAY_TRY(domain::CheckComment(decision.comment, prefix + "comment"));
      PATHWAY_ASSIGN_OR_RETURN(auto self_row,
                               store::SelfRowOf(tx.db(), found->person_id, ref->second, id));
      store::LedgerAppend row;
      row.person_id = found->person_id;
      row.item_ref_id = ref->second;
      row.level = decision.level;
      row.source = domain::AssessorKind::kManager;
      row.capacity = "line_manager";
      row.recorded_by = tx.actor().person_id;
      row.assessed_on = Today(tx.now());
      row.recorded_at = tx.now();
      row.framework_version = label->framework_version;
      row.comment = decision.comment;
      if (self_row) row.cites_seq = self_row->seq;
      row.self_assessment_id = id;
      PATHWAY_TRY(store::AppendLedgerEntry(tx.db(), row));
    }
    if (decided.size() != refs.size()) {
      for (std::size_t i = 0; i < refs.size(); ++i) {
        if (!decided.contains(refs[i].first)) {
          PATHWAY_ASSIGN_OR_RETURN(auto label, items.Label(refs[i].first));
          return Error::InvalidInput(fmt::format("items[{}].level", i),
                                     fmt::format("Choose a level for ‘{}’", label.title));
        }
      }
    }
    const std::int64_t reviewer = tx.actor().person_id.value_or(0);
    if (reviewer == 0) {
      return Error::InvalidInput("id", "Only a person's line manager can confirm it");
    }
    PATHWAY_TRY(store::SetSelfAssessmentReviewed(tx.db(), id, reviewer, tx.now()));
    const std::int64_t people[] = {found->person_id};
    tx.PeopleChanged(people);
    tx.Describe(fmt::format("{} items", decisions.size()));
    tx.Emit("assessment.confirmed", fmt::format("self-assessment {}", id));
    return domain::Ok{};
  });
}

// ---- Direct assessments and levels

Result<std::vector<std::int64_t>> AssessmentService::CreateAssessment(
    const Actor& actor, std::int64_t person_id, AssessingCapacity capacity,
    const std::vector<DirectRating>& ratings) {
  Command command{std::string(kCreate), "person", std::to_string(person_id), "No such person"};
  return kernel_.Execute(
      actor, command, OfPerson(person_id), [&](Tx& tx) -> Result<std::vector<std::int64_t>> {
        if (tx.actor().person_id && *tx.actor().person_id == person_id) {
          return Error::InvalidInput("person",
                                     "You cannot assess yourself this way: use a self-assessment");
        }
        // The capacity must be one the actor holds towards this person.
        const bool manager = capacity == AssessingCapacity::kLineManager;
        if (manager) {
          PATHWAY_ASSIGN_OR_RETURN(bool in_chain,
                                   MayDo(kernel_, tx.db(), tx.actor(), kConfirm, person_id));
          if (!in_chain) {
            return Error::InvalidInput("capacity",
                                       "Only the person's line manager can assess as line manager");
          }
        }
        if (ratings.empty()) return Error::InvalidInput("items", "Rate at least one item");
        if (ratings.size() > domain::kSelfAssessmentItemLimit) {
          return Error::InvalidInput(
              "items", fmt::format("Rate {} items or fewer", domain::kSelfAssessmentItemLimit));
        }
        Items items(tx.db());
        std::vector<std::int64_t> seqs;
        std::set<std::string> seen;
        for (std::size_t i = 0; i < ratings.size(); ++i) {
          const auto& rating = ratings[i];
          const std::string prefix = fmt::format("items[{}].", i);
          if (!seen.insert(rating.item_id).second) {
            return Error::InvalidInput(prefix + "item", "Rate each item once");
          }
          PATHWAY_ASSIGN_OR_RETURN(const auto* label,
                                   items.Published(rating.item_id, prefix + "item"));
          PATHWAY_TRY(CheckLevel(*label, rating.level, prefix + "level"));
          PATHWAY_TRY(domain::CheckEvidence(rating.evidence, prefix));
          PATHWAY_TRY(domain::CheckComment(rating.comment, prefix + "comment"));
          PATHWAY_ASSIGN_OR_RETURN(auto ref, store::ItemRefOf(tx.db(), rating.item_id));
          store::LedgerAppend row;
          row.person_id = person_id;
          row.item_ref_id = ref;
          row.level = rating.level;
          row.source = manager ? domain::AssessorKind::kManager : domain::AssessorKind::kPanel;
          row.capacity = manager ? "line_manager" : "panel";
          row.recorded_by = tx.actor().person_id;
          row.assessed_on = Today(tx.now());
          row.recorded_at = tx.now();
          row.framework_version = label->framework_version;
          row.evidence = rating.evidence;
          row.comment = rating.comment;
          PATHWAY_ASSIGN_OR_RETURN(auto seq, store::AppendLedgerEntry(tx.db(), row));
          seqs.push_back(seq);
        }
        const std::int64_t people[] = {person_id};
        tx.PeopleChanged(people);
        tx.Describe(
            fmt::format("{} items as {}", ratings.size(), manager ? "line manager" : "panel"));
        tx.Emit("assessment.created", fmt::format("{} items", ratings.size()));
        return seqs;
      });
}

Result<PersonLevels> AssessmentService::CurrentLevels(const Actor& actor, std::int64_t person_id) {
  const Command read{std::string(kLevels), "person", std::to_string(person_id), "No such person"};
  return kernel_.Read(
      actor, read, OfPerson(person_id), [&](store::Database& db) -> Result<PersonLevels> {
        PersonLevels out;
        out.person_id = person_id;
        PATHWAY_ASSIGN_OR_RETURN(out.evidence_visible,
                                 MayDo(kernel_, db, actor, kEvidence, person_id));
        PATHWAY_ASSIGN_OR_RETURN(auto ledger, store::ReadLedger(db, person_id));
        Items items(db);
        for (std::size_t begin = 0; begin < ledger.size();) {
          std::size_t end = begin + 1;
          while (end < ledger.size() && ledger[end].item_id == ledger[begin].item_id) ++end;
          std::vector<domain::LedgerEntry> entries(ledger.begin() + static_cast<long>(begin),
                                                   ledger.begin() + static_cast<long>(end));
          begin = end;
          const auto rule = domain::CurrentLevelOf(entries);
          if (!rule) continue;
          domain::CurrentLevel level;
          PATHWAY_ASSIGN_OR_RETURN(level.item, items.Label(entries.front().item_id));
          level.level = rule->level;
          level.confirmed = rule->confirmed;
          level.source = entries[rule->index].source;
          level.assessed_on = entries[rule->index].assessed_on;
          if (!out.evidence_visible) {
            for (auto& entry : entries) {
              entry.evidence = {};
              entry.legacy_evidence.clear();
              entry.comment.clear();
            }
          }
          level.why.assign(entries.rbegin(), entries.rend());
          out.levels.push_back(std::move(level));
        }
        std::sort(out.levels.begin(), out.levels.end(), [](const auto& a, const auto& b) {
          return std::tie(a.item.framework_title, a.item.title, a.item.item_id) <
                 std::tie(b.item.framework_title, b.item.title, b.item.item_id);
        });
        return out;
      });
}

Result<domain::Gap> AssessmentService::GetGap(const Actor& actor, std::int64_t person_id,
                                              const std::string& role_level_code) {
  const Command read{std::string(kLevels), "person", std::to_string(person_id), "No such person"};
  return kernel_.Read(
      actor, read, OfPerson(person_id), [&](store::Database& db) -> Result<domain::Gap> {
        std::optional<store::RoleLevelRequirements> role;
        if (role_level_code.empty()) {
          PATHWAY_ASSIGN_OR_RETURN(role, store::PersonRoleLevel(db, person_id));
          if (!role) {
            return Error::InvalidInput("role_level",
                                       "This person holds no post: choose a role level");
          }
        } else {
          PATHWAY_ASSIGN_OR_RETURN(role, store::FindRoleLevelRequirements(db, role_level_code));
          if (!role) return Error::InvalidInput("role_level", "Choose a role level that exists");
        }
        PATHWAY_ASSIGN_OR_RETURN(auto ledger, store::ReadLedger(db, person_id));
        std::map<std::string, std::vector<domain::LedgerEntry>> by_item;
        for (auto& entry : ledger) by_item[entry.item_id].push_back(std::move(entry));
        domain::Gap gap;
        gap.role_level_code = role->code;
        gap.role_level_title = role->title;
        Items items(db);
        for (const auto& requirement : role->requirements) {
          domain::GapRow row;
          PATHWAY_ASSIGN_OR_RETURN(row.item, items.Label(requirement.item_id));
          row.need = requirement.level;
          if (auto it = by_item.find(requirement.item_id); it != by_item.end()) {
            if (auto rule = domain::CurrentLevelOf(it->second)) {
              row.have = rule->level;
              row.confirmed = rule->confirmed;
            }
          }
          if (row.have == 0) {
            // Across frameworks: the level held in an item said to be the same, the best
            // confirmed one first (a passport or another framework's rating counts here).
            PATHWAY_ASSIGN_OR_RETURN(auto links, store::LinkedItems(db, requirement.item_id));
            for (const auto& link : links) {
              if (link.kind != domain::CrosswalkKind::kSame) continue;
              auto it = by_item.find(link.item_id);
              if (it == by_item.end()) continue;
              auto rule = domain::CurrentLevelOf(it->second);
              if (!rule) continue;
              const bool better = (rule->confirmed && !row.confirmed) ||
                                  (rule->confirmed == row.confirmed && rule->level > row.have);
              if (!better || !row.item.OnScale(rule->level)) continue;
              PATHWAY_ASSIGN_OR_RETURN(auto other, items.Label(link.item_id));
              row.have = rule->level;
              row.confirmed = rule->confirmed;
              row.via = fmt::format("‘{}’ in {}", other.title, other.framework_title);
            }
          }
          gap.rows.push_back(std::move(row));
        }
        domain::Summarise(gap);
        return gap;
      });
}

// ---- Development plans

Result<std::optional<domain::DevelopmentPlan>> AssessmentService::GetPlan(const Actor& actor,
                                                                          std::int64_t person_id) {
  const Command read{std::string(kPlanRead), "person", std::to_string(person_id), "No such person"};
  return kernel_.Read(actor, read, OfPerson(person_id),
                      [&](store::Database& db) -> Result<std::optional<domain::DevelopmentPlan>> {
                        PATHWAY_ASSIGN_OR_RETURN(auto plan,
                                                 store::FindDevelopmentPlan(db, person_id));
                        if (!plan) return plan;
                        Items items(db);
                        PATHWAY_TRY(LabelPlan(items, *plan, Today(kernel_.clock().NowIso())));
                        return plan;
                      });
}

Result<int> AssessmentService::CreatePlan(const Actor& actor, std::int64_t person_id,
                                          const std::string& target_role_level_code,
                                          bool actions_from_gap, const std::string& due_on) {
  Command command{std::string(kPlanEdit), "person", std::to_string(person_id), "No such person"};
  command.audit_action = "development.plan";
  return kernel_.Execute(actor, command, OfPerson(person_id), [&](Tx& tx) -> Result<int> {
    std::optional<store::RoleLevelRequirements> role;
    if (!target_role_level_code.empty()) {
      PATHWAY_ASSIGN_OR_RETURN(role,
                               store::FindRoleLevelRequirements(tx.db(), target_role_level_code));
      if (!role) return Error::InvalidInput("target_role_level", "Choose a role level that exists");
    } else if (actions_from_gap) {
      PATHWAY_ASSIGN_OR_RETURN(role, store::PersonRoleLevel(tx.db(), person_id));
      if (!role) {
        return Error::InvalidInput("target_role_level",
                                   "Choose a target role level: this person holds no post");
      }
    }
    if (actions_from_gap) {
      PATHWAY_TRY(CheckDate(due_on, "due_on"));
      if (due_on < Today(tx.now())) {
        return Error::InvalidInput("due_on", "The due date must be today or later");
      }
    }
    PATHWAY_ASSIGN_OR_RETURN(
        auto plan_id, store::UpsertDevelopmentPlan(tx.db(), person_id,
                                                   role && !target_role_level_code.empty()
                                                       ? std::optional<std::int64_t>(role->id)
                                                       : std::nullopt,
                                                   tx.now()));
    int added = 0;
    if (actions_from_gap && role) {
      PATHWAY_ASSIGN_OR_RETURN(auto existing, store::FindDevelopmentPlan(tx.db(), person_id));
      std::set<std::pair<std::string, int>> planned;
      for (const auto& action : existing->actions) {
        if (action.status != domain::ActionStatus::kDropped) {
          planned.emplace(action.item.item_id, action.target_level);
        }
      }
      PATHWAY_ASSIGN_OR_RETURN(auto ledger, store::ReadLedger(tx.db(), person_id));
      std::map<std::string, std::vector<domain::LedgerEntry>> by_item;
      for (auto& entry : ledger) by_item[entry.item_id].push_back(std::move(entry));
      Items items(tx.db());
      for (const auto& requirement : role->requirements) {
        int have = 0;
        if (auto it = by_item.find(requirement.item_id); it != by_item.end()) {
          if (auto rule = domain::CurrentLevelOf(it->second)) have = rule->level;
        }
        if (have >= requirement.level) continue;
        if (planned.contains({requirement.item_id, requirement.level})) continue;
        PATHWAY_ASSIGN_OR_RETURN(auto label, items.Label(requirement.item_id));
        PATHWAY_ASSIGN_OR_RETURN(auto ref, store::ItemRefOf(tx.db(), requirement.item_id));
        std::string title =
            fmt::format("Reach {} in {}", label.LevelLabel(requirement.level), label.title);
        if (domain::CharacterCount(title) > domain::kActionTitleLimit) {
          title = fmt::format("Reach level {} in this item", requirement.level);
        }
        PATHWAY_TRY(store::InsertDevelopmentAction(
            tx.db(), {plan_id, ref, requirement.level, title, due_on, tx.now()}));
        ++added;
      }
    }
    tx.SetObjectId(std::to_string(person_id));
    tx.Describe(fmt::format("plan {}{}; {} actions added", plan_id,
                            role ? " towards " + role->code : std::string(), added));
    tx.Emit("development.planned", fmt::format("{} actions added", added));
    return added;
  });
}

Result<std::int64_t> AssessmentService::AddAction(const Actor& actor, std::int64_t person_id,
                                                  const std::string& item_id, int target_level,
                                                  const std::string& title,
                                                  const std::string& due_on) {
  Command command{std::string(kPlanEdit), "person", std::to_string(person_id), "No such person"};
  command.audit_action = "development.action.add";
  return kernel_.Execute(actor, command, OfPerson(person_id), [&](Tx& tx) -> Result<std::int64_t> {
    Items items(tx.db());
    PATHWAY_ASSIGN_OR_RETURN(const auto* label, items.Published(item_id, "item"));
    PATHWAY_TRY(CheckLevel(*label, target_level, "target_level"));
    PATHWAY_TRY(CheckTitle(title, "title", "a title for the action", domain::kActionTitleLimit));
    PATHWAY_TRY(CheckDate(due_on, "due_on"));
    PATHWAY_ASSIGN_OR_RETURN(
        auto plan_id, store::UpsertDevelopmentPlan(tx.db(), person_id, std::nullopt, tx.now()));
    PATHWAY_ASSIGN_OR_RETURN(auto ref, store::ItemRefOf(tx.db(), item_id));
    PATHWAY_ASSIGN_OR_RETURN(
        auto id, store::InsertDevelopmentAction(
                     tx.db(), {plan_id, ref, target_level, std::string(domain::Trim(title)), due_on,
                               tx.now()}));
    tx.Describe(fmt::format("action {}", id));
    tx.Emit("development.action.added", fmt::format("action {}", id));
    return id;
  });
}

Status AssessmentService::SetActionStatus(const Actor& actor, std::int64_t action_id,
                                          domain::ActionStatus status) {
  Command command{std::string(kPlanEdit), "development_action", std::to_string(action_id),
                  "No such action"};
  command.audit_action = "development.action.status";
  SubjectOf subject = [action_id](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto owner, store::FindActionOwner(db, action_id));
    if (!owner) return std::optional<Subject>();
    return OfPerson(owner->person_id)(db);
  };
  return kernel_.Execute(actor, command, subject, [&](Tx& tx) -> Status {
    PATHWAY_TRY(store::SetActionStatus(tx.db(), action_id, status, tx.now()));
    tx.Describe(std::string(domain::ActionStatusName(status)));
    return domain::Ok{};
  });
}

Status AssessmentService::AddComment(const Actor& actor, std::int64_t person_id,
                                     const std::string& body) {
  Command command{std::string(kPlanEdit), "person", std::to_string(person_id), "No such person"};
  command.audit_action = "development.comment";
  return kernel_.Execute(actor, command, OfPerson(person_id), [&](Tx& tx) -> Status {
    if (domain::Trim(body).empty()) return Error::InvalidInput("body", "Enter a comment");
    PATHWAY_TRY(domain::CheckComment(body, "body"));
    if (!tx.actor().person_id) {
      return Error::InvalidInput("body", "Only people with a record can comment on a plan");
    }
    PATHWAY_ASSIGN_OR_RETURN(
        auto plan_id, store::UpsertDevelopmentPlan(tx.db(), person_id, std::nullopt, tx.now()));
    PATHWAY_TRY(store::InsertDevelopmentComment(tx.db(), plan_id, *tx.actor().person_id,
                                                domain::Trim(body), tx.now()));
    return domain::Ok{};
  });
}

Result<std::vector<TeamPlan>> AssessmentService::TeamPlans(const Actor& actor) {
  if (!actor.person_id || !actor.HasRole(domain::Role::kLineManager)) {
    return std::vector<TeamPlan>{};
  }
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(
      auto plans, store::ListPlansInChain(*db, *actor.person_id, Today(kernel_.clock().NowIso())));
  std::vector<TeamPlan> out;
  for (auto& plan : plans) {
    out.push_back({plan.person_id, std::move(plan.person_name), std::move(plan.target), plan.open,
                   plan.overdue, plan.done});
  }
  if (!out.empty()) {
    kernel_.RecordRead(actor, Command{std::string(kPlanRead), "person", "team"},
                       fmt::format("{} development plans", out.size()));
  }
  return out;
}

namespace {

// The items a version replaces, by item_ref: each new item with the items it replaces that
// anyone was assessed in, in the order of their ids (the first wins a tie).
struct CarryMap {
  struct NewItem {
    std::int64_t ref = 0;
    std::vector<std::int64_t> olds;
  };
  std::vector<NewItem> items;      // by ref, so that a person's rows go in key order
  std::vector<std::int64_t> refs;  // every old and new ref, sorted: the ledger rows to read
};

Result<CarryMap> MapReplacements(store::Database& db, const std::string& framework_id,
                                 int version) {
  PATHWAY_ASSIGN_OR_RETURN(auto replacements,
                           store::VersionReplacements(db, framework_id, version));
  std::map<std::string, std::vector<std::int64_t>> olds;  // new item id -> old refs
  for (const auto& r : replacements) {
    PATHWAY_ASSIGN_OR_RETURN(auto old_ref, store::ExistingItemRef(db, r.old_item_id));
    if (old_ref) olds[r.item_id].push_back(*old_ref);
  }
  CarryMap map;
  for (auto& [item, list] : olds) {
    PATHWAY_ASSIGN_OR_RETURN(const std::int64_t ref, store::ItemRefOf(db, item));
    map.refs.push_back(ref);
    map.refs.insert(map.refs.end(), list.begin(), list.end());
    map.items.push_back({ref, std::move(list)});
  }
  std::sort(map.items.begin(), map.items.end(),
            [](const auto& a, const auto& b) { return a.ref < b.ref; });
  std::sort(map.refs.begin(), map.refs.end());
  map.refs.erase(std::unique(map.refs.begin(), map.refs.end()), map.refs.end());
  return map;
}

// A person's current level of one item (domain::CurrentLevelOf over its rows): the latest
// confirmed row, else the latest self-assessment.
struct Current {
  std::int64_t item_ref_id = 0;
  std::int64_t seq = 0;
  int level = 0;
  domain::AssessorKind source = domain::AssessorKind::kSelf;
  bool confirmed() const { return domain::Confirms(source); }
};

// Appends to `out` the levels carried for one person, whose ledger rows for the mapped
// items are `rows` (in key order: item, then seq). `current` is scratch space.
void CarryPerson(std::span<const store::LedgerRow> rows, const CarryMap& map,
                 std::vector<Current>& current, std::vector<store::CarriedRow>& out) {
  current.clear();
  for (std::size_t k = 0; k < rows.size();) {
    std::size_t end = k;
    std::optional<std::size_t> latest_self;
    std::optional<std::size_t> latest_confirmed;
    for (; end < rows.size() && rows[end].item_ref_id == rows[k].item_ref_id; ++end) {
      (domain::Confirms(rows[end].source) ? latest_confirmed : latest_self) = end;
    }
    const auto& deciding = rows[latest_confirmed ? *latest_confirmed : *latest_self];
    current.push_back({deciding.item_ref_id, deciding.seq, deciding.level, deciding.source});
    k = end;
  }
  const auto find = [&](std::int64_t ref) -> const Current* {
    auto it = std::lower_bound(current.begin(), current.end(), ref,
                               [](const Current& c, std::int64_t r) { return c.item_ref_id < r; });
    return it != current.end() && it->item_ref_id == ref ? &*it : nullptr;
  };
  for (const auto& item : map.items) {
    if (find(item.ref) != nullptr) continue;  // already assessed in the new item
    const Current* best = nullptr;
    for (std::int64_t old_ref : item.olds) {
      const Current* c = find(old_ref);
      if (c != nullptr && (best == nullptr || std::pair(c->confirmed(), c->level) >
                                                  std::pair(best->confirmed(), best->level))) {
        best = c;
      }
    }
    if (best == nullptr) continue;
    out.push_back({rows.front().person_id, item.ref, best->level, best->source, best->item_ref_id,
                   best->seq});
  }
}

}  // namespace

Result<CarryOverResult> AssessmentService::CarryOver(const Actor& actor,
                                                     const std::string& framework_id, int version,
                                                     std::int64_t batch_people) {
  CarryOverResult result;
  result.framework_id = framework_id;
  result.version = version;
  Subject subject;
  subject.framework_id = framework_id;
  Command command{"framework.carry_over", "framework", framework_id, "No such framework"};
  for (;;) {
    bool finished = false;
    bool worked = false;
    auto batch = kernel_.Execute(actor, command, Fixed(subject), [&](Tx& tx) -> Status {
      PATHWAY_ASSIGN_OR_RETURN(auto state,
                               store::StartCarryOver(tx.db(), framework_id, version, tx.now()));
      result.people = state.people;
      result.rows_added = state.rows_added;
      if (state.done) {
        finished = true;
        return domain::Ok{};
      }
      worked = true;
      PATHWAY_ASSIGN_OR_RETURN(auto info, store::FindVersion(tx.db(), framework_id, version));
      if (!info || (info->status != "published" && info->status != "retired")) {
        return Error{ErrorCode::kConflict, "version",
                     "Levels are carried over only to a published version"};
      }
      PATHWAY_ASSIGN_OR_RETURN(const CarryMap map, MapReplacements(tx.db(), framework_id, version));
      PATHWAY_ASSIGN_OR_RETURN(const std::int64_t last, store::MaxAssessedPerson(tx.db()));
      const std::int64_t from = state.next_person_id;
      const std::int64_t to = from + std::max<std::int64_t>(1, batch_people);
      // Read before writing: the rows this batch adds are not among those it reads.
      PATHWAY_ASSIGN_OR_RETURN(auto rows, store::LedgerRowsFor(tx.db(), map.refs, from, to));
      std::vector<store::CarriedRow> carried;
      std::vector<std::int64_t> changed;
      std::vector<Current> current;
      for (std::size_t begin = 0; begin < rows.size();) {
        std::size_t end = begin;
        while (end < rows.size() && rows[end].person_id == rows[begin].person_id) ++end;
        const std::size_t before = carried.size();
        CarryPerson(std::span(rows).subspan(begin, end - begin), map, current, carried);
        if (carried.size() > before) changed.push_back(rows[begin].person_id);
        begin = end;
      }
      PATHWAY_ASSIGN_OR_RETURN(auto writer, store::CarriedLevelWriter::Open(
                                                tx.db(), Today(tx.now()), tx.now(), version));
      PATHWAY_TRY(writer.Add(carried));
      const auto added = static_cast<std::int64_t>(carried.size());
      state.next_person_id = to;
      state.people += static_cast<std::int64_t>(changed.size());
      state.rows_added += added;
      state.done = to > last;
      PATHWAY_TRY(store::SaveCarryOver(tx.db(), framework_id, version, state, tx.now()));
      result.people = state.people;
      result.rows_added = state.rows_added;
      finished = state.done;
      tx.PeopleChanged(changed);
      tx.Describe(fmt::format("version {}: people {} to {}, {} levels carried", version, from,
                              to - 1, added));
      if (state.done) {
        tx.Emit("framework.carried_over", fmt::format("version {}: {} levels for {} people",
                                                      version, state.rows_added, state.people));
      }
      return domain::Ok{};
    });
    if (!batch.ok()) return batch.error();
    if (worked) ++result.batches;
    if (finished) break;
  }
  return result;
}

Result<std::vector<CarryOverResult>> AssessmentService::CarryOverPending(const Actor& actor) {
  std::vector<std::pair<std::string, int>> pending;
  {
    auto db = kernel_.pool().Acquire();
    PATHWAY_ASSIGN_OR_RETURN(pending, store::PendingCarryOvers(*db));
  }
  std::vector<CarryOverResult> out;
  for (const auto& [framework_id, version] : pending) {
    PATHWAY_ASSIGN_OR_RETURN(auto done, CarryOver(actor, framework_id, version));
    out.push_back(std::move(done));
  }
  return out;
}

CarryOverWorker::CarryOverWorker(AssessmentService& service)
    : service_(service), thread_([this] { Loop(); }) {}

CarryOverWorker::~CarryOverWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void CarryOverWorker::Notify() {
  {
    std::lock_guard lock(mutex_);
    pending_ = true;
  }
  wake_.notify_all();
}

void CarryOverWorker::Loop() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return pending_ || stopping_; });
      if (stopping_) return;
      pending_ = false;
    }
    auto done = service_.CarryOverPending(Actor::System());
    if (!done.ok()) {
      spdlog::error("Carrying levels over to new framework versions failed: {}",
                    done.error().message);
      continue;
    }
    for (const auto& run : *done) {
      spdlog::info("Carried {} levels over to {} version {} for {} people", run.rows_added,
                   run.framework_id, run.version, run.people);
    }
  }
}

// ---- What a new framework version changed

Result<std::shared_ptr<const AssessmentService::VersionChange>> AssessmentService::ChangeBetween(
    store::Database& db, const std::string& framework_id, int from, int to) {
  const auto key = std::make_tuple(framework_id, from, to);
  {
    std::lock_guard lock(changes_mutex_);
    if (auto it = changes_.find(key); it != changes_.end()) return it->second;
  }
  PATHWAY_ASSIGN_OR_RETURN(auto before, store::LoadFrameworkVersion(db, framework_id, from));
  PATHWAY_ASSIGN_OR_RETURN(auto after, store::LoadFrameworkVersion(db, framework_id, to));
  if (!before || !after) return Error::Internal("A published framework version is missing");
  auto change = std::make_shared<VersionChange>();
  change->diff = domain::DiffFrameworks(*before, *after);
  change->grade_levels = after->grade_levels;
  change->title = after->title;
  std::lock_guard lock(changes_mutex_);
  return changes_.emplace(key, std::move(change)).first->second;
}

Result<WhatChanged> AssessmentService::ChangesOf(store::Database& db, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto person, store::FindPersonBrief(db, person_id));
  if (!person) return Error::NotFound("No such person");
  WhatChanged out;
  out.person_id = person_id;
  out.person_name = person->name;
  // The latest published version of each framework and the version before it.
  PATHWAY_ASSIGN_OR_RETURN(auto versions, store::ListAllVersions(db));
  std::map<std::string, std::vector<int>> kept;  // published or retired, ascending
  std::map<std::string, int> latest;             // latest published
  for (const auto& v : versions) {
    if (v.status == "draft") continue;
    kept[v.framework_id].push_back(v.version);
    if (v.status == "published")
      latest[v.framework_id] = std::max(latest[v.framework_id], v.version);
  }
  PATHWAY_ASSIGN_OR_RETURN(auto ledger, store::ReadLedger(db, person_id));
  std::set<std::string> rated;
  for (const auto& entry : ledger) rated.insert(entry.item_id);
  PATHWAY_ASSIGN_OR_RETURN(auto carried, store::CarriedLevelsOf(db, person_id));
  Items items(db);
  for (const auto& [framework_id, to] : latest) {
    auto& list = kept[framework_id];
    std::sort(list.begin(), list.end());
    int from = 0;
    for (int v : list) {
      if (v < to) from = v;
    }
    if (from == 0) continue;
    PATHWAY_ASSIGN_OR_RETURN(auto change, ChangeBetween(db, framework_id, from, to));
    FrameworkChange shown;
    shown.framework_id = framework_id;
    shown.framework_title = change->title;
    shown.from_version = from;
    shown.to_version = to;
    if (person->grade) {
      if (auto it = change->grade_levels.find(static_cast<domain::Grade>(*person->grade));
          it != change->grade_levels.end()) {
        shown.level = it->second;
      }
    }
    for (const auto& c : carried) {
      if (c.framework_version != to) continue;
      PATHWAY_ASSIGN_OR_RETURN(auto label, items.Label(c.item_id));
      if (label.framework_id != framework_id) continue;
      shown.carried.push_back({c.old_title, label, c.level, c.assessed_on});
    }
    for (const auto& item : change->diff.items) {
      if (item.kind == domain::ChangeKind::kAdded && !rated.contains(item.item_id)) {
        PATHWAY_ASSIGN_OR_RETURN(auto label, items.Label(item.item_id));
        shown.unrated_new.push_back(std::move(label));
      }
      if (shown.level == 0) continue;
      for (const auto& indicator : item.indicators) {
        if (indicator.level != 0 && indicator.level != shown.level) continue;
        if (shown.indicators.size() >= 100) break;
        shown.indicators.push_back({item.title,
                                    indicator.kind == domain::ChangeKind::kAdded     ? "Added"
                                    : indicator.kind == domain::ChangeKind::kRemoved ? "Removed"
                                                                                     : "Reworded",
                                    indicator.before, indicator.after});
      }
    }
    if (!shown.empty()) out.frameworks.push_back(std::move(shown));
  }
  return out;
}

Result<WhatChanged> AssessmentService::WhatChangedFor(const Actor& actor, std::int64_t person_id) {
  const Command read{std::string(kLevels), "person", std::to_string(person_id), "No such person"};
  return kernel_.Read(
      actor, read, OfPerson(person_id),
      [&](store::Database& db) -> Result<WhatChanged> { return ChangesOf(db, person_id); });
}

Result<std::vector<TeamChange>> AssessmentService::TeamChanges(const Actor& actor) {
  std::vector<TeamChange> out;
  if (!actor.person_id || !actor.HasRole(domain::Role::kLineManager)) return out;
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto reports, store::DirectReports(*db, *actor.person_id, 200));
  for (const auto& [id, name] : reports) {
    PATHWAY_ASSIGN_OR_RETURN(auto changes, ChangesOf(*db, id));
    TeamChange row{id, name, 0, 0, 0};
    for (const auto& f : changes.frameworks) {
      row.carried += static_cast<int>(f.carried.size());
      row.unrated_new += static_cast<int>(f.unrated_new.size());
      row.indicators += static_cast<int>(f.indicators.size());
    }
    out.push_back(row);
  }
  if (!out.empty()) {
    kernel_.RecordRead(actor, Command{std::string(kLevels), "person", "team"},
                       fmt::format("what changed for {} reports", out.size()));
  }
  return out;
}

Result<std::vector<CarryOverRun>> AssessmentService::CarryOverRuns(const Actor& actor) {
  auto scope = PeopleScopeOf(kernel_.authorizer().policy(), actor, {kLevels},
                             {domain::Relationship::kDepartment, domain::Relationship::kProfession,
                              domain::Relationship::kAny});
  auto db = kernel_.pool().Acquire();
  if (!scope || (!scope->all && scope->departments.empty() && scope->professions.empty())) {
    return kernel_.Refuse(*db, actor,
                          Command{std::string(kLevels), "carry_over", "", "Page not found"});
  }
  PATHWAY_ASSIGN_OR_RETURN(auto runs, store::ListCarryOverRuns(*db));
  std::vector<CarryOverRun> out;
  for (auto& r : runs) {
    out.push_back({r.framework_id, r.framework_title, r.version, r.status == "done", r.people,
                   r.rows_added, r.started_at, r.finished_at});
  }
  return out;
}

Status AssessmentService::Authorise(const Actor& actor, std::string_view action,
                                    std::int64_t person_id) {
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, MayDo(kernel_, *db, actor, action, person_id));
  if (allowed) return domain::Ok{};
  return kernel_.Refuse(
      *db, actor,
      Command{std::string(action), "person", std::to_string(person_id), "No such person"});
}

// ---- Learning resources

Result<std::vector<domain::LearningResource>> AssessmentService::ListResources(
    const Actor& actor, const std::string& item_id, std::optional<int> level) {
  auto db = kernel_.pool().Acquire();
  Subject everyone;
  everyone.published = true;
  PATHWAY_ASSIGN_OR_RETURN(bool allowed,
                           kernel_.authorizer().Allowed(*db, actor, kLearningRead, everyone));
  if (!allowed) {
    return kernel_.Refuse(*db, actor, Command{std::string(kLearningRead), "learning_resource", ""});
  }
  store::ResourceFilter filter;
  if (!item_id.empty()) {
    PATHWAY_ASSIGN_OR_RETURN(auto found, store::FindPublishedItem(*db, item_id));
    if (!found) return Error::InvalidInput("item", "Choose an item of a published framework");
    PATHWAY_ASSIGN_OR_RETURN(filter.item_ref_id, store::ItemRefOf(*db, item_id));
  }
  filter.level = level;
  PATHWAY_ASSIGN_OR_RETURN(auto list, store::ListLearningResources(*db, filter));
  Items items(*db);
  for (auto& resource : list) {
    PATHWAY_ASSIGN_OR_RETURN(resource.item, items.Label(resource.item.item_id));
  }
  return list;
}

namespace {

// Checks one row and stores it; fields are named `prefix` + column.
Result<std::int64_t> StoreResource(store::Database& db, Items& items, const ResourceRow& row,
                                   const std::string& prefix) {
  PATHWAY_TRY(CheckTitle(row.title, prefix + "title", "a title", domain::kMaxNameLength));
  PATHWAY_TRY(domain::CheckResourceUrl(row.url, prefix + "url"));
  if (!row.provider.empty()) {
    PATHWAY_TRY(
        CheckTitle(row.provider, prefix + "provider", "a provider", domain::kMaxNameLength));
  }
  PATHWAY_ASSIGN_OR_RETURN(const auto* label, items.Published(row.item_id, prefix + "item"));
  auto level = [&](const std::string& text, const std::string& field) -> Result<int> {
    if (text.size() != 1 || text[0] < '1' || text[0] > '9') {
      return Error::InvalidInput(field, "Enter a level from 1 to 9");
    }
    const int value = text[0] - '0';
    PATHWAY_TRY(CheckLevel(*label, value, field));
    return value;
  };
  PATHWAY_ASSIGN_OR_RETURN(int low, level(row.level_min, prefix + "level_min"));
  PATHWAY_ASSIGN_OR_RETURN(int high, level(row.level_max, prefix + "level_max"));
  if (low > high) {
    return Error::InvalidInput(prefix + "level_max",
                               "The highest level must be the same as or above the lowest");
  }
  PATHWAY_ASSIGN_OR_RETURN(auto ref, store::ItemRefOf(db, row.item_id));
  return store::InsertLearningResource(db,
                                       {std::string(domain::Trim(row.title)), row.url,
                                        std::string(domain::Trim(row.provider)), ref, low, high},
                                       prefix + "url");
}

}  // namespace

Result<std::int64_t> AssessmentService::AddResource(const Actor& actor, const ResourceRow& row) {
  Command command{std::string(kLearningManage), "learning_resource", ""};
  command.forbidden = "You cannot manage learning resources";
  return kernel_.Execute(actor, command, Fixed(), [&](Tx& tx) -> Result<std::int64_t> {
    Items items(tx.db());
    PATHWAY_ASSIGN_OR_RETURN(auto id, StoreResource(tx.db(), items, row, ""));
    tx.SetObjectId(std::to_string(id));
    return id;
  });
}

Result<int> AssessmentService::ImportResources(const Actor& actor,
                                               const std::vector<ResourceRow>& rows) {
  Command command{std::string(kLearningManage), "learning_resource", "import"};
  command.forbidden = "You cannot manage learning resources";
  command.audit_action = "learning.import";
  return kernel_.Execute(actor, command, Fixed(), [&](Tx& tx) -> Result<int> {
    if (rows.empty()) return Error::InvalidInput("file", "The file has no resources");
    Items items(tx.db());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      // Line 1 is the header.
      PATHWAY_TRY(StoreResource(tx.db(), items, rows[i], fmt::format("line {}, column ", i + 2)));
    }
    tx.Describe(fmt::format("{} resources", rows.size()));
    tx.Emit("learning.imported", fmt::format("{} resources", rows.size()));
    return static_cast<int>(rows.size());
  });
}

Status AssessmentService::DeleteResource(const Actor& actor, std::int64_t id) {
  Command command{std::string(kLearningManage), "learning_resource", std::to_string(id)};
  command.forbidden = "You cannot manage learning resources";
  return kernel_.Execute(actor, command, Fixed(), [&](Tx& tx) -> Status {
    PATHWAY_TRY(store::DeleteLearningResource(tx.db(), id));
    if (tx.db().Changes() == 0) return Error::NotFound("No such learning resource");
    return domain::Ok{};
  });
}

}  // namespace pathway::app
