#include "app/performance.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "domain/text.hpp"
#include "store/assessments.hpp"
#include "store/database.hpp"
#include "store/performance.hpp"

namespace pathway::app {

using domain::Error;
using domain::ErrorCode;

namespace {

constexpr std::string_view kOpen = "performance.open";
constexpr std::string_view kRead = "performance.read";
constexpr std::string_view kAgree = "performance.agree";
constexpr std::string_view kReview = "performance.review";
constexpr std::string_view kReopen = "performance.reopen";
constexpr std::string_view kModerate = "performance.moderate";
constexpr std::string_view kSend = "notice.send";

constexpr int kMaxAttempts = 5;

std::string Today(const std::string& now) { return now.substr(0, 10); }

// The subject of a record: its person; nullopt when there is no such record.
SubjectOf OfRecord(std::int64_t record_id) {
  return [record_id](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto key, store::FindRecordKey(db, record_id));
    if (!key) return std::optional<Subject>();
    return OfPerson(key->person_id)(db);
  };
}

Command RecordCommand(std::string_view action, std::int64_t record_id) {
  return Command{std::string(action), "performance_record", std::to_string(record_id),
                 "No such performance record"};
}

// Labels of items, looked up once per use case.
class Labels {
 public:
  explicit Labels(store::Database& db) : db_(db) {}
  Result<domain::AssessedItem> Of(const std::string& item_id) {
    auto it = cache_.find(item_id);
    if (it == cache_.end()) {
      PATHWAY_ASSIGN_OR_RETURN(auto found, store::FindPublishedItem(db_, item_id));
      it = cache_.emplace(item_id, std::move(found)).first;
    }
    if (it->second) return *it->second;
    domain::AssessedItem bare;
    bare.item_id = item_id;
    bare.title = "An item no longer published";
    return bare;
  }
  Result<bool> Published(const std::string& item_id) {
    PATHWAY_TRY(Of(item_id));
    return cache_[item_id].has_value();
  }

 private:
  store::Database& db_;
  std::unordered_map<std::string, std::optional<domain::AssessedItem>> cache_;
};

// Who the actor is to the record's person.
struct Standing {
  bool person = false;
  bool manager = false;
  bool countersigner = false;
  store::Managers managers;
};
Result<Standing> StandingOf(store::Database& db, const Actor& actor, std::int64_t person_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto managers, store::ManagersOf(db, person_id));
  Standing out;
  if (!managers) return out;
  out.managers = *managers;
  if (actor.person_id) {
    out.person = *actor.person_id == person_id;
    out.manager = managers->manager && *managers->manager == *actor.person_id;
    out.countersigner = managers->countersigner && *managers->countersigner == *actor.person_id;
  }
  return out;
}

// Whether the person has left the year's departments.
bool HasLeft(const domain::PerformanceYear& year, const Standing& standing) {
  return std::find(year.departments.begin(), year.departments.end(),
                   standing.managers.department) == year.departments.end();
}

Result<domain::PerformanceYear> YearOf(store::Database& db, std::int64_t year_id) {
  PATHWAY_ASSIGN_OR_RETURN(auto year, store::FindYear(db, year_id));
  if (!year) return Error::Internal("A record's year is missing");
  return *year;
}

Status Notify(store::Database& db, std::optional<std::int64_t> person_id,
              const std::string& subject, const std::string& body, std::int64_t record_id,
              const std::string& now) {
  if (!person_id) return domain::Ok{};
  return store::InsertNotice(db, *person_id, subject, body,
                             fmt::format("/performance/records/{}", record_id), now);
}

std::optional<int> ScalePosition(const domain::PerformanceYear& year, std::string_view label) {
  for (std::size_t i = 0; i < year.scale.size(); ++i) {
    if (domain::EqualsIgnoringCase(year.scale[i], domain::Trim(label))) return static_cast<int>(i);
  }
  return std::nullopt;
}

Error OffScale(const domain::PerformanceYear& year, std::string field) {
  std::string list;
  for (const auto& label : year.scale) list += (list.empty() ? "" : ", ") + label;
  return Error::InvalidInput(std::move(field),
                             fmt::format("Choose a rating of the year's scale: {}", list));
}

}  // namespace

// ---- Years

Result<domain::PerformanceYear> PerformanceService::OpenYear(
    const Actor& actor, const domain::PerformanceYearSpec& spec) {
  PATHWAY_TRY(domain::CheckPerformanceYear(spec));
  {
    // Department codes are public (the departments list): say which one is unknown.
    auto db = kernel_.pool().Acquire();
    PATHWAY_ASSIGN_OR_RETURN(auto unknown, store::FirstUnknownDepartment(*db, spec.departments));
    if (unknown) {
      return Error::InvalidInput("departments",
                                 fmt::format("There is no department with the code {}", *unknown));
    }
  }
  Command command{std::string(kOpen), "performance_year", "", "No such department"};
  command.forbidden = "You cannot open a performance year for these departments";
  Subject first;
  first.department = spec.departments.front();
  return kernel_.Execute(
      actor, command, Fixed(first), [&](Tx& tx) -> Result<domain::PerformanceYear> {
        PATHWAY_ASSIGN_OR_RETURN(auto unknown,
                                 store::FirstUnknownDepartment(tx.db(), spec.departments));
        if (unknown) {
          return Error::InvalidInput(
              "departments", fmt::format("There is no department with the code {}", *unknown));
        }
        // Every department, not only the first, must be the actor's to open.
        for (const auto& code : spec.departments) {
          Subject subject;
          subject.department = code;
          PATHWAY_ASSIGN_OR_RETURN(
              bool allowed, kernel_.authorizer().Allowed(tx.db(), tx.actor(), kOpen, subject));
          if (!allowed) {
            return Error{ErrorCode::kForbidden, "departments",
                         fmt::format("You cannot open a performance year for {}", code)};
          }
        }
        PATHWAY_ASSIGN_OR_RETURN(
            auto overlap,
            store::OverlappingYear(tx.db(), spec.departments, spec.starts_on, spec.endyear_due));
        if (overlap) {
          return Error{ErrorCode::kConflict, "departments",
                       fmt::format("{} already has the performance year ‘{}’ over these dates",
                                   overlap->second, overlap->first)};
        }
        PATHWAY_ASSIGN_OR_RETURN(
            auto someone, store::PersonInOverlappingYear(tx.db(), spec.departments, spec.starts_on,
                                                         spec.endyear_due));
        if (someone) {
          return Error{ErrorCode::kConflict, "departments",
                       fmt::format("{} already has a record in a performance year over these "
                                   "dates (they moved from another department)",
                                   *someone)};
        }
        std::optional<std::int64_t> by;
        if (tx.actor().signed_in()) by = tx.actor().user_id;
        PATHWAY_ASSIGN_OR_RETURN(auto opened, store::InsertYear(tx.db(), spec, by, tx.now()));
        tx.SetObjectId(std::to_string(opened.first));
        tx.Describe(fmt::format("{} for {} people", spec.name, opened.second));
        tx.Emit("performance.year_opened", fmt::format("{} people", opened.second));
        PATHWAY_ASSIGN_OR_RETURN(auto year, store::FindYear(tx.db(), opened.first));
        return *year;
      });
}

Result<std::vector<domain::PerformanceYear>> PerformanceService::ListYears(const Actor& actor) {
  auto scope = PeopleScopeOf(kernel_.authorizer().policy(), actor, {kModerate},
                             {domain::Relationship::kDepartment, domain::Relationship::kAny});
  if (!scope) return std::vector<domain::PerformanceYear>{};
  auto db = kernel_.pool().Acquire();
  return store::ListYears(*db, scope->all, scope->departments);
}

Result<domain::PerformanceYear> PerformanceService::GetYear(const Actor& actor,
                                                            std::int64_t year_id) {
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto year, store::FindYear(*db, year_id));
  Command command{std::string(kModerate), "performance_year", std::to_string(year_id),
                  "No such performance year"};
  if (!year) return Error{ErrorCode::kNotFound, "", command.not_found};
  for (const auto& code : year->departments) {
    Subject subject;
    subject.department = code;
    PATHWAY_ASSIGN_OR_RETURN(bool allowed,
                             kernel_.authorizer().Allowed(*db, actor, kModerate, subject));
    if (allowed) return *year;
  }
  return kernel_.Refuse(*db, actor, command);
}

// ---- Records

Result<RecordView> PerformanceService::GetRecord(const Actor& actor, std::int64_t record_id) {
  return kernel_.Read(
      actor, RecordCommand(kRead, record_id), OfRecord(record_id),
      [&](store::Database& db) -> Result<RecordView> {
        PATHWAY_ASSIGN_OR_RETURN(auto record, store::ReadRecord(db, record_id));
        RecordView view;
        view.record = std::move(*record);
        PATHWAY_ASSIGN_OR_RETURN(view.year, YearOf(db, view.record.year_id));
        Labels labels(db);
        PATHWAY_ASSIGN_OR_RETURN(auto role, store::PersonRoleLevel(db, view.record.person_id));
        for (auto& c : view.record.competencies) {
          PATHWAY_ASSIGN_OR_RETURN(c.item, labels.Of(c.item_id));
          if (role) {
            for (const auto& r : role->requirements) {
              if (r.item_id == c.item_id) c.level = r.level;
            }
          }
        }
        PATHWAY_ASSIGN_OR_RETURN(auto standing, StandingOf(db, actor, view.record.person_id));
        view.is_person = standing.person;
        view.is_manager = standing.manager;
        view.is_countersigner = standing.countersigner;
        view.left = HasLeft(view.year, standing);
        PATHWAY_ASSIGN_OR_RETURN(auto subject, OfPerson(view.record.person_id)(db));
        if (subject) {
          PATHWAY_ASSIGN_OR_RETURN(view.may_reopen,
                                   kernel_.authorizer().Allowed(db, actor, kReopen, *subject));
          PATHWAY_ASSIGN_OR_RETURN(view.may_moderate,
                                   kernel_.authorizer().Allowed(db, actor, kModerate, *subject));
          if (view.is_person) view.may_reopen = false;
        }
        return view;
      });
}

Result<RecordView> PerformanceService::LatestRecordOfPerson(const Actor& actor,
                                                            std::int64_t person_id) {
  const Command read{std::string(kRead), "person", std::to_string(person_id), "No such person"};
  PATHWAY_ASSIGN_OR_RETURN(
      auto key, kernel_.Read(actor, read, OfPerson(person_id),
                             [&](store::Database& db) -> Result<std::optional<store::RecordKey>> {
                               return store::LatestRecordOf(db, person_id);
                             }));
  if (!key) return Error{ErrorCode::kNotFound, "", "This person has no performance record"};
  return GetRecord(actor, key->id);
}

Result<std::optional<std::int64_t>> PerformanceService::OwnLatestRecord(const Actor& actor) {
  if (!actor.signed_in() || !actor.person_id) return std::optional<std::int64_t>();
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto key, store::LatestRecordOf(*db, *actor.person_id));
  if (!key) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(key->id);
}

Result<std::vector<domain::ProposedCompetency>> PerformanceService::Propose(
    const Actor& actor, std::int64_t record_id) {
  return kernel_.Read(
      actor, RecordCommand(kRead, record_id), OfRecord(record_id),
      [&](store::Database& db) -> Result<std::vector<domain::ProposedCompetency>> {
        PATHWAY_ASSIGN_OR_RETURN(auto key, store::FindRecordKey(db, record_id));
        const std::int64_t person_id = key->person_id;
        PATHWAY_ASSIGN_OR_RETURN(auto role, store::PersonRoleLevel(db, person_id));
        PATHWAY_ASSIGN_OR_RETURN(auto ledger, store::ReadLedger(db, person_id));
        std::map<std::string, std::vector<domain::LedgerEntry>> by_item;
        for (auto& entry : ledger) by_item[entry.item_id].push_back(std::move(entry));
        Labels labels(db);

        struct Candidate {
          domain::ProposedCompetency proposal;
          int gap = 0;
          std::size_t order = 0;
        };
        std::vector<Candidate> candidates;
        if (role) {
          for (std::size_t i = 0; i < role->requirements.size(); ++i) {
            const auto& r = role->requirements[i];
            PATHWAY_ASSIGN_OR_RETURN(bool published, labels.Published(r.item_id));
            if (!published) continue;
            Candidate c;
            PATHWAY_ASSIGN_OR_RETURN(c.proposal.item, labels.Of(r.item_id));
            c.proposal.level = r.level;
            if (auto it = by_item.find(r.item_id); it != by_item.end()) {
              if (auto rule = domain::CurrentLevelOf(it->second)) c.proposal.have = rule->level;
            }
            c.gap = std::max(0, r.level - c.proposal.have);
            c.order = i;
            c.proposal.reasons.push_back(
                fmt::format("Your role ({}) requires level {}", role->title, r.level));
            candidates.push_back(std::move(c));
          }
        }
        // The largest gaps first, then the role's own order.
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const Candidate& a, const Candidate& b) { return a.gap > b.gap; });
        int largest = candidates.empty() ? 0 : candidates.front().gap;
        for (auto& c : candidates) {
          if (c.gap > 0 && c.gap == largest) {
            c.proposal.reasons.push_back(
                fmt::format("Largest gap: {} level{} to go", c.gap, c.gap == 1 ? "" : "s"));
          } else if (c.gap > 0) {
            c.proposal.reasons.push_back(
                fmt::format("A gap of {} level{}", c.gap, c.gap == 1 ? "" : "s"));
          }
        }

        std::vector<domain::ProposedCompetency> out;
        PATHWAY_ASSIGN_OR_RETURN(std::string clearance, store::PostClearanceOf(db, person_id));
        if (clearance == "SC" || clearance == "DV") {
          PATHWAY_ASSIGN_OR_RETURN(auto security, store::SecurityItems(db));
          for (const auto& item_id : security) {
            if (out.size() >= 2) break;
            domain::ProposedCompetency p;
            auto in_role = std::find_if(
                candidates.begin(), candidates.end(),
                [&](const Candidate& c) { return c.proposal.item.item_id == item_id; });
            if (in_role != candidates.end()) {
              p = in_role->proposal;
              candidates.erase(in_role);
            } else {
              PATHWAY_ASSIGN_OR_RETURN(p.item, labels.Of(item_id));
              if (auto it = by_item.find(item_id); it != by_item.end()) {
                if (auto rule = domain::CurrentLevelOf(it->second)) p.have = rule->level;
              }
            }
            p.security = true;
            p.reasons.insert(p.reasons.begin(),
                             fmt::format("Your post needs {} clearance: this competency holds "
                                         "the security behaviours",
                                         clearance));
            out.push_back(std::move(p));
          }
        }
        for (auto& c : candidates) {
          if (out.size() >= domain::kProposedCompetencies) break;
          out.push_back(std::move(c.proposal));
        }
        return out;
      });
}

Result<AgreeOutcome> PerformanceService::Agree(
    const Actor& actor, std::int64_t record_id, const std::vector<domain::Objective>& objectives,
    const std::vector<domain::ChosenCompetency>& competencies) {
  PATHWAY_TRY(domain::CheckCompetencyChoice(competencies));
  return kernel_.Execute(
      actor, RecordCommand(kAgree, record_id), OfRecord(record_id),
      [&](Tx& tx) -> Result<AgreeOutcome> {
        PATHWAY_ASSIGN_OR_RETURN(auto record, store::ReadRecord(tx.db(), record_id));
        PATHWAY_ASSIGN_OR_RETURN(auto year, YearOf(tx.db(), record->year_id));
        PATHWAY_TRY(domain::CheckObjectives(objectives, year.endyear_due));
        PATHWAY_ASSIGN_OR_RETURN(auto standing, StandingOf(tx.db(), tx.actor(), record->person_id));
        if (!standing.person && !standing.manager) {
          return Error{ErrorCode::kForbidden, "record",
                       fmt::format("Only {} and their line manager agree their objectives",
                                   record->person_name)};
        }
        if (HasLeft(year, standing)) {
          return Error{
              ErrorCode::kConflict, "record",
              fmt::format("{} has left the departments of this year", record->person_name)};
        }
        if (record->status == domain::RecordStatus::kAgreed) {
          return Error{ErrorCode::kConflict, "status",
                       "These objectives and competencies are agreed and locked: reopen them, with "
                       "a reason, to change them"};
        }
        Labels labels(tx.db());
        std::vector<std::pair<std::int64_t, std::string>> refs;
        for (std::size_t i = 0; i < competencies.size(); ++i) {
          PATHWAY_ASSIGN_OR_RETURN(bool published, labels.Published(competencies[i].item_id));
          if (!published) {
            return Error::InvalidInput(fmt::format("competencies[{}].item", i),
                                       "Choose a competency of a published framework");
          }
          PATHWAY_ASSIGN_OR_RETURN(auto ref, store::ItemRefOf(tx.db(), competencies[i].item_id));
          refs.emplace_back(ref, std::string(domain::Trim(competencies[i].reason)));
        }
        // Whether the set differs from the one saved.
        bool same = record->objectives.size() == objectives.size() &&
                    record->competencies.size() == competencies.size();
        for (std::size_t i = 0; same && i < objectives.size(); ++i) {
          const auto& a = record->objectives[i];
          const auto& b = objectives[i];
          same = a.text == b.text && a.measure == b.measure && a.due_on == b.due_on &&
                 a.weight == b.weight;
        }
        for (std::size_t i = 0; same && i < competencies.size(); ++i) {
          same = record->competencies[i].item_id == competencies[i].item_id;
        }
        AgreeOutcome outcome;
        outcome.changed = !same;
        if (!same) {
          PATHWAY_TRY(store::ReplaceAgreementSet(tx.db(), record_id, objectives, refs));
        }
        PATHWAY_ASSIGN_OR_RETURN(
            outcome.agreed, store::StampAgreement(tx.db(), record_id, standing.manager, tx.now()));
        const auto other = standing.manager ? std::optional<std::int64_t>(record->person_id)
                                            : standing.managers.manager;
        if (outcome.agreed) {
          PATHWAY_TRY(Notify(tx.db(), other, fmt::format("Objectives agreed for {}", year.name),
                             "Your objectives and competencies are agreed and locked.", record_id,
                             tx.now()));
          tx.Emit("performance.agreed", fmt::format("{} objectives, {} competencies",
                                                    objectives.size(), competencies.size()));
        } else {
          PATHWAY_TRY(Notify(tx.db(), other,
                             fmt::format("Objectives to agree: {}", record->person_name),
                             fmt::format("{} has proposed objectives and competencies for {}. "
                                         "Read and agree them.",
                                         tx.actor().display_name, year.name),
                             record_id, tx.now()));
        }
        tx.Describe(fmt::format("{} as {}{}", record->person_external_id,
                                standing.manager ? "line manager" : "the person",
                                outcome.agreed ? ", now agreed" : ""));
        return outcome;
      });
}

Status PerformanceService::ReopenAgreement(const Actor& actor, std::int64_t record_id,
                                           const std::string& reason) {
  PATHWAY_TRY(domain::CheckReason(reason, "reason"));
  return kernel_.Execute(
      actor, RecordCommand(kReopen, record_id), OfRecord(record_id), [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(auto record, store::ReadRecord(tx.db(), record_id));
        if (record->status != domain::RecordStatus::kAgreed) {
          return Error{ErrorCode::kConflict, "status", "These objectives are not agreed yet"};
        }
        std::optional<std::int64_t> by;
        if (tx.actor().signed_in()) by = tx.actor().user_id;
        PATHWAY_TRY(store::ReopenAgreement(tx.db(), record_id));
        PATHWAY_TRY(store::InsertReopening(tx.db(), record_id, "agreement", domain::Trim(reason),
                                           by, tx.now()));
        PATHWAY_TRY(Notify(tx.db(), record->person_id, "Your objectives were reopened",
                           fmt::format("Reopened by {}: {}", tx.actor().display_name, reason),
                           record_id, tx.now()));
        tx.Describe("agreement reopened");
        tx.Emit("performance.reopened", "agreement");
        return domain::Ok{};
      });
}

// ---- Reviews

Status PerformanceService::SubmitReview(const Actor& actor, std::int64_t record_id,
                                        const ReviewSubmission& part) {
  return kernel_.Execute(
      actor, RecordCommand(kReview, record_id), OfRecord(record_id), [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(auto record, store::ReadRecord(tx.db(), record_id));
        PATHWAY_ASSIGN_OR_RETURN(auto year, YearOf(tx.db(), record->year_id));
        PATHWAY_ASSIGN_OR_RETURN(auto standing, StandingOf(tx.db(), tx.actor(), record->person_id));
        if (!standing.person && !standing.manager) {
          return Error{
              ErrorCode::kForbidden, "record",
              fmt::format("Only {} and their line manager write this review", record->person_name)};
        }
        if (HasLeft(year, standing)) {
          return Error{ErrorCode::kConflict, "record",
                       fmt::format("{} has left the departments of this year: their review is "
                                   "closed",
                                   record->person_name)};
        }
        if (record->status != domain::RecordStatus::kAgreed) {
          return Error{ErrorCode::kConflict, "status",
                       "Agree the objectives and competencies before the review"};
        }
        const bool end = part.kind == domain::ReviewKind::kEndYear;
        if (end &&
            !(record->midyear && record->midyear->stage == domain::ReviewStage::kCountersigned)) {
          return Error{ErrorCode::kConflict, "kind", "Finish the mid-year review first"};
        }
        const auto* existing = end ? &record->endyear : &record->midyear;
        if (*existing) {
          const auto stage = (*existing)->stage;
          if (stage == domain::ReviewStage::kCountersigned) {
            return Error{
                ErrorCode::kConflict, "kind",
                "This review is signed and locked: reopen it, with a reason, to change it"};
          }
          if (standing.person && stage != domain::ReviewStage::kOpen) {
            return Error{ErrorCode::kConflict, "kind", "You have signed this review"};
          }
          if (standing.manager && stage == domain::ReviewStage::kManagerSigned) {
            return Error{ErrorCode::kConflict, "kind", "You have signed this review"};
          }
        }
        if (part.objectives.size() > record->objectives.size()) {
          return Error::InvalidInput("objectives", fmt::format("This record has {} objectives",
                                                               record->objectives.size()));
        }
        if (part.competencies.size() > record->competencies.size()) {
          return Error::InvalidInput("competencies", fmt::format("This record has {} competencies",
                                                                 record->competencies.size()));
        }
        Labels labels(tx.db());
        for (std::size_t i = 0; i < part.objectives.size(); ++i) {
          const auto& e = part.objectives[i];
          const std::string prefix = fmt::format("objectives[{}].", i);
          PATHWAY_TRY(domain::CheckReviewText(standing.person ? e.evidence : e.manager_comment,
                                              prefix + (standing.person ? "evidence" : "comment")));
        }
        for (std::size_t i = 0; i < part.competencies.size(); ++i) {
          const auto& e = part.competencies[i];
          const std::string prefix = fmt::format("competencies[{}].", i);
          PATHWAY_TRY(domain::CheckReviewText(standing.person ? e.evidence : e.manager_comment,
                                              prefix + (standing.person ? "evidence" : "comment")));
          if (standing.manager && e.level) {
            if (!end)
              return Error::InvalidInput(prefix + "level", "Levels are given at end-year only");
            PATHWAY_ASSIGN_OR_RETURN(auto item, labels.Of(record->competencies[i].item_id));
            if (!item.OnScale(*e.level)) {
              return Error::InvalidInput(
                  prefix + "level",
                  item.scale.empty()
                      ? std::string("This competency has no rating scale")
                      : fmt::format("Choose a level from {} to {}", item.scale.front().value,
                                    item.scale.back().value));
            }
          }
        }
        std::optional<int> rating;
        if (standing.manager) {
          PATHWAY_TRY(domain::CheckReviewText(part.summary, "summary"));
          if (!part.rating.empty()) {
            if (!end) return Error::InvalidInput("rating", "Ratings are given at end-year only");
            rating = ScalePosition(year, part.rating);
            if (!rating) return OffScale(year, "rating");
          }
        } else if (!part.rating.empty() || !part.summary.empty()) {
          return Error::InvalidInput(part.rating.empty() ? "summary" : "rating",
                                     "Only the line manager gives the summary and the rating");
        }
        PATHWAY_ASSIGN_OR_RETURN(auto review_id,
                                 store::ReviewOf(tx.db(), record_id, part.kind, tx.now()));
        PATHWAY_TRY(store::SaveReviewPart(tx.db(), review_id, standing.person, part.objectives,
                                          part.competencies, domain::Trim(part.summary), rating,
                                          tx.now()));
        tx.Describe(fmt::format("{} of {} by {}", domain::ReviewKindLabel(part.kind),
                                record->person_external_id,
                                standing.person ? "the person" : "the line manager"));
        return domain::Ok{};
      });
}

Result<domain::ReviewStage> PerformanceService::SignReview(const Actor& actor,
                                                           std::int64_t record_id,
                                                           domain::ReviewKind kind) {
  return kernel_.Execute(
      actor, RecordCommand(kReview, record_id), OfRecord(record_id),
      [&](Tx& tx) -> Result<domain::ReviewStage> {
        PATHWAY_ASSIGN_OR_RETURN(auto record, store::ReadRecord(tx.db(), record_id));
        PATHWAY_ASSIGN_OR_RETURN(auto year, YearOf(tx.db(), record->year_id));
        PATHWAY_ASSIGN_OR_RETURN(auto standing, StandingOf(tx.db(), tx.actor(), record->person_id));
        std::optional<domain::Signer> signer;
        if (standing.person) signer = domain::Signer::kPerson;
        if (standing.manager) signer = domain::Signer::kManager;
        if (standing.countersigner) signer = domain::Signer::kCountersigner;
        if (!signer) {
          return Error{ErrorCode::kForbidden, "signer",
                       "Only the person, their line manager and the line manager's own manager "
                       "sign this review"};
        }
        if (HasLeft(year, standing)) {
          return Error{ErrorCode::kConflict, "record",
                       fmt::format("{} has left the departments of this year: their review is "
                                   "closed",
                                   record->person_name)};
        }
        const auto& review =
            kind == domain::ReviewKind::kEndYear ? record->endyear : record->midyear;
        if (!review) {
          return Error{ErrorCode::kConflict, "kind", "Nothing has been written in this review yet"};
        }
        PATHWAY_TRY(domain::CheckSignOrder(review->stage, *signer));
        domain::ReviewStage next = domain::ReviewStage::kPersonSigned;
        std::optional<std::int64_t> notify;
        std::string who = "The person";
        switch (*signer) {
          case domain::Signer::kPerson: {
            const bool any =
                std::any_of(review->objectives.begin(), review->objectives.end(),
                            [](const auto& e) { return !domain::Trim(e.evidence).empty(); });
            if (!any) {
              return Error::InvalidInput(
                  "objectives[0].evidence",
                  "Write your evidence for at least one objective before signing");
            }
            next = domain::ReviewStage::kPersonSigned;
            notify = standing.managers.manager;
            break;
          }
          case domain::Signer::kManager:
            if (domain::Trim(review->summary).empty()) {
              return Error::InvalidInput("summary", "Write your summary before signing");
            }
            if (kind == domain::ReviewKind::kEndYear && !review->rating) {
              return Error::InvalidInput("rating", "Give the end-year rating before signing");
            }
            next = domain::ReviewStage::kManagerSigned;
            notify = standing.managers.countersigner;
            who = "The line manager";
            break;
          case domain::Signer::kCountersigner:
            next = domain::ReviewStage::kCountersigned;
            notify = record->person_id;
            who = "The countersigning manager";
            break;
        }
        PATHWAY_TRY(
            store::SetReviewStage(tx.db(), review->id, next, tx.actor().person_id, tx.now()));
        if (next == domain::ReviewStage::kCountersigned && kind == domain::ReviewKind::kEndYear) {
          // The end-year competency ratings enter the ledger as "review".
          PATHWAY_ASSIGN_OR_RETURN(auto signed_review, store::ReadRecord(tx.db(), record_id));
          const auto& final_review = *signed_review->endyear;
          Labels labels(tx.db());
          int written = 0;
          for (std::size_t i = 0;
               i < record->competencies.size() && i < final_review.competencies.size(); ++i) {
            const auto& entry = final_review.competencies[i];
            if (!entry.level) continue;
            PATHWAY_ASSIGN_OR_RETURN(auto item, labels.Of(record->competencies[i].item_id));
            PATHWAY_ASSIGN_OR_RETURN(auto ref,
                                     store::ItemRefOf(tx.db(), record->competencies[i].item_id));
            store::LedgerAppend row;
            row.person_id = record->person_id;
            row.item_ref_id = ref;
            row.level = *entry.level;
            row.source = domain::AssessorKind::kReview;
            row.capacity = "review";
            row.recorded_by = standing.managers.manager;
            row.assessed_on = Today(tx.now());
            row.recorded_at = tx.now();
            row.framework_version = item.framework_version;
            row.comment = entry.manager_comment;
            PATHWAY_TRY(store::AppendLedgerEntry(tx.db(), row));
            ++written;
          }
          const std::int64_t people[] = {record->person_id};
          if (written > 0) tx.PeopleChanged(people);
          tx.Emit("assessment.created", fmt::format("{} end-year review ratings", written));
        }
        PATHWAY_TRY(
            Notify(tx.db(), notify,
                   fmt::format("{} of {}: {}", domain::ReviewKindLabel(kind), record->person_name,
                               domain::ReviewStageLabel(next)),
                   next == domain::ReviewStage::kCountersigned
                       ? std::string("The review is signed and complete.")
                       : fmt::format("{} has signed. It is your turn to read and sign.", who),
                   record_id, tx.now()));
        tx.Describe(fmt::format("{} of {}: {}", domain::ReviewKindLabel(kind),
                                record->person_external_id, domain::ReviewStageName(next)));
        tx.Emit("performance.signed", std::string(domain::ReviewStageName(next)));
        return next;
      });
}

Status PerformanceService::ReopenReview(const Actor& actor, std::int64_t record_id,
                                        domain::ReviewKind kind, const std::string& reason) {
  PATHWAY_TRY(domain::CheckReason(reason, "reason"));
  return kernel_.Execute(
      actor, RecordCommand(kReopen, record_id), OfRecord(record_id), [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(auto record, store::ReadRecord(tx.db(), record_id));
        const auto& review =
            kind == domain::ReviewKind::kEndYear ? record->endyear : record->midyear;
        if (!review || review->stage == domain::ReviewStage::kOpen) {
          return Error{ErrorCode::kConflict, "kind", "This review has no signature to reopen"};
        }
        std::optional<std::int64_t> by;
        if (tx.actor().signed_in()) by = tx.actor().user_id;
        PATHWAY_TRY(store::ReopenReview(tx.db(), review->id, tx.now()));
        PATHWAY_TRY(store::InsertReopening(tx.db(), record_id, domain::ReviewKindName(kind),
                                           domain::Trim(reason), by, tx.now()));
        PATHWAY_TRY(Notify(tx.db(), record->person_id,
                           fmt::format("Your {} was reopened", domain::ReviewKindLabel(kind)),
                           fmt::format("Reopened by {}: {}", tx.actor().display_name, reason),
                           record_id, tx.now()));
        tx.Describe(fmt::format("{} reopened", domain::ReviewKindLabel(kind)));
        tx.Emit("performance.reopened", std::string(domain::ReviewKindName(kind)));
        return domain::Ok{};
      });
}

// ---- HR

namespace {

// The department of the year the actor oversees: `department` when given (and theirs),
// else the only one of the year's they oversee.
Result<std::string> OverseenDepartment(const UnitOfWork& kernel, store::Database& db,
                                       const Actor& actor, const domain::PerformanceYear& year,
                                       const std::string& department) {
  if (!department.empty() && std::find(year.departments.begin(), year.departments.end(),
                                       department) == year.departments.end()) {
    return Error::InvalidInput("department", "Choose one of the year's departments");
  }
  std::vector<std::string> allowed;
  for (const auto& code : year.departments) {
    Subject subject;
    subject.department = code;
    PATHWAY_ASSIGN_OR_RETURN(bool ok, kernel.authorizer().Allowed(db, actor, kModerate, subject));
    if (ok) allowed.push_back(code);
  }
  if (!department.empty()) {
    if (std::find(allowed.begin(), allowed.end(), department) == allowed.end()) {
      return Error{ErrorCode::kNotFound, "", "No such performance year"};
    }
    return department;
  }
  if (allowed.empty()) return Error{ErrorCode::kNotFound, "", "No such performance year"};
  return allowed.front();
}

}  // namespace

Result<domain::Moderation> PerformanceService::GetModeration(const Actor& actor,
                                                             std::int64_t year_id,
                                                             const std::string& department) {
  PATHWAY_ASSIGN_OR_RETURN(auto year, GetYear(actor, year_id));
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto code, OverseenDepartment(kernel_, *db, actor, year, department));
  PATHWAY_ASSIGN_OR_RETURN(auto moderation, store::ReadModeration(*db, year, code));
  kernel_.RecordRead(actor,
                     Command{std::string(kModerate), "performance_year", std::to_string(year_id)},
                     fmt::format("moderation of {} ({} people)", code, moderation.people));
  return moderation;
}

Result<std::vector<domain::UnitCompletion>> PerformanceService::Completion(
    const Actor& actor, std::int64_t year_id, const std::string& department) {
  PATHWAY_ASSIGN_OR_RETURN(auto year, GetYear(actor, year_id));
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto code, OverseenDepartment(kernel_, *db, actor, year, department));
  return store::CompletionByUnit(*db, year_id, code);
}

Status PerformanceService::Moderate(const Actor& actor, std::int64_t record_id,
                                    const std::string& rating, const std::string& reason) {
  PATHWAY_TRY(domain::CheckReason(reason, "reason"));
  return kernel_.Execute(
      actor, RecordCommand(kModerate, record_id), OfRecord(record_id), [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(auto record, store::ReadRecord(tx.db(), record_id));
        PATHWAY_ASSIGN_OR_RETURN(auto year, YearOf(tx.db(), record->year_id));
        if (!record->endyear || !record->endyear->rating) {
          return Error{ErrorCode::kConflict, "rating",
                       "The line manager has not rated this year yet"};
        }
        auto position = ScalePosition(year, rating);
        if (!position) return OffScale(year, "rating");
        std::optional<std::int64_t> by;
        if (tx.actor().signed_in()) by = tx.actor().user_id;
        PATHWAY_TRY(store::ModerateReview(tx.db(), record->endyear->id, *position,
                                          domain::Trim(reason), by, tx.now()));
        PATHWAY_ASSIGN_OR_RETURN(auto standing, StandingOf(tx.db(), tx.actor(), record->person_id));
        const std::string subject =
            fmt::format("End-year rating moderated: {}", year.scale[*position]);
        const std::string body = fmt::format("HR changed the end-year rating to {}. Reason: {}",
                                             year.scale[*position], reason);
        PATHWAY_TRY(Notify(tx.db(), record->person_id, subject, body, record_id, tx.now()));
        PATHWAY_TRY(Notify(tx.db(), standing.managers.manager, subject, body, record_id, tx.now()));
        tx.Describe(fmt::format("{}: {}", record->person_external_id, year.scale[*position]));
        tx.Emit("performance.moderated", year.scale[*position]);
        return domain::Ok{};
      });
}

// ---- Managers and everyone

Result<std::vector<domain::RecordProgress>> PerformanceService::Team(const Actor& actor,
                                                                     std::int64_t year_id) {
  if (!actor.person_id || !actor.HasRole(domain::Role::kLineManager)) {
    return std::vector<domain::RecordProgress>{};
  }
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto year, store::FindYear(*db, year_id));
  if (!year) return Error{ErrorCode::kNotFound, "", "No such performance year"};
  PATHWAY_ASSIGN_OR_RETURN(auto team, store::TeamProgress(*db, year_id, *actor.person_id));
  const std::string today = Today(kernel_.clock().NowIso());
  for (auto& p : team) p.overdue = domain::OverdueSteps(*year, p, today);
  if (!team.empty()) {
    kernel_.RecordRead(actor,
                       Command{std::string(kRead), "performance_year", std::to_string(year_id)},
                       fmt::format("team of {} people", team.size()));
  }
  return team;
}

Result<std::vector<domain::Notice>> PerformanceService::Notices(const Actor& actor, int limit) {
  if (!actor.signed_in() || !actor.person_id) return std::vector<domain::Notice>{};
  auto db = kernel_.pool().Acquire();
  return store::ListNotices(*db, *actor.person_id, limit);
}

Result<std::int64_t> PerformanceService::QueueReminders(const Actor& actor) {
  Command command{std::string(kSend), "notice", "reminders", "No such notice"};
  command.forbidden = "Only the system queues reminders";
  return kernel_.Execute(actor, command, Fixed(), [&](Tx& tx) -> Result<std::int64_t> {
    PATHWAY_ASSIGN_OR_RETURN(auto reminded,
                             store::QueueReminders(tx.db(), Today(tx.now()), tx.now()));
    tx.Describe(fmt::format("{} records reminded", reminded));
    return reminded;
  });
}

Result<SendReport> PerformanceService::SendNotices(const Actor& actor, const Mailer& mailer,
                                                   int limit) {
  std::vector<store::OutgoingNotice> pending;
  {
    Command command{std::string(kSend), "notice", "", "No such notice"};
    command.forbidden = "Only the system sends notices";
    auto db = kernel_.pool().Acquire();
    PATHWAY_ASSIGN_OR_RETURN(bool allowed,
                             kernel_.authorizer().Allowed(*db, actor, kSend, Subject{}));
    if (!allowed) return kernel_.Refuse(*db, actor, command);
    PATHWAY_ASSIGN_OR_RETURN(pending, store::UnsentNotices(*db, limit, kMaxAttempts));
  }
  SendReport report;
  for (const auto& notice : pending) {
    Status sent = domain::Ok{};
    if (notice.email.empty()) {
      ++report.skipped;
      sent = Error::InvalidInput("email", "The person has no account with an email address");
    } else {
      std::string body = notice.body;
      if (!notice.link.empty()) body += "\n\nOpen Pathway: " + notice.link;
      sent = mailer(notice.email, notice.name, notice.subject, body);
      if (sent.ok()) {
        ++report.sent;
      } else {
        ++report.failed;
      }
    }
    Command command{std::string(kSend), "notice", std::to_string(notice.id), "No such notice"};
    PATHWAY_TRY(kernel_.Execute(actor, command, Fixed(), [&](Tx& tx) -> Status {
      if (sent.ok()) {
        tx.Describe("sent");
        return store::MarkNoticeSent(tx.db(), notice.id, tx.now());
      }
      tx.Describe("not sent");
      return store::MarkNoticeFailed(tx.db(), notice.id, sent.error().message,
                                     notice.email.empty());
    }));
  }
  return report;
}

}  // namespace pathway::app
