#include "app/workforce.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/workforce_change.hpp"
#include "store/workforce_labels.hpp"
#include "store/workforce_read.hpp"

namespace pathway::app {

using domain::Error;
using domain::Relationship;
using domain::Role;

namespace {

constexpr std::string_view kPersonList = "person.list";
constexpr std::string_view kPersonRead = "person.read";
constexpr std::string_view kPostList = "post.list";
constexpr std::string_view kProfessionRead = "profession.read";
constexpr std::string_view kProfessionOverview = "profession.overview";
constexpr std::string_view kDepartmentRead = "department.read";

int BoundedLimit(int limit) { return std::clamp(limit, 1, kMaxDownloadRows); }

// How much of the clearance of a person in `department` the actor sees (PersonProfile).
ClearanceVisibility ClearanceVisibilityFor(const Actor& actor, std::int64_t person_id,
                                           const std::string& department) {
  if (actor.kind == Actor::Kind::kSystem || (actor.person_id && *actor.person_id == person_id)) {
    return ClearanceVisibility::kFull;
  }
  bool level_and_status = false;
  for (const auto& grant : actor.grants) {
    switch (grant.role) {
      case Role::kAdministrator:
      case Role::kSystem:
        return ClearanceVisibility::kFull;
      case Role::kVettingOfficer:
        if (!grant.scope.empty() && grant.scope == department) return ClearanceVisibility::kFull;
        break;
      case Role::kHrPartner:
        if (!grant.scope.empty() && grant.scope == department) level_and_status = true;
        break;
      default:
        break;
    }
  }
  return level_and_status ? ClearanceVisibility::kLevelAndStatus
                          : ClearanceVisibility::kRequirementOnly;
}

// Keeps of the profile's clearance only what the actor needs.
void LimitClearance(const Actor& actor, PersonProfile& profile) {
  auto& d = profile.detail;
  const auto held = domain::ParseClearance(d.person.clearance);
  const auto needed = domain::ParseClearance(d.post_clearance);
  if (!d.post.empty() && needed) {
    profile.clearance_meets_post = held && static_cast<int>(*held) >= static_cast<int>(*needed) &&
                                   d.clearance_status == "active";
  }
  profile.clearance_visibility = ClearanceVisibilityFor(actor, d.person.id, d.person.department);
  if (profile.clearance_visibility == ClearanceVisibility::kFull) return;
  d.clearance_granted.clear();
  d.clearance_review_due.clear();
  if (profile.clearance_visibility == ClearanceVisibility::kLevelAndStatus) return;
  d.person.clearance.clear();
  d.clearance_status.clear();
}

// A list's clearance column holds only levels the actor may see, and filtering by
// clearance narrows the list to the people whose level the actor may see (their own
// record, their HR partner or vetting officer departments, or everyone for an
// administrator): a line manager's chain and a head of profession's profession drop out.
void LimitListClearance(const Actor& actor, domain::PeoplePage& page) {
  for (auto& row : page.rows) {
    if (ClearanceVisibilityFor(actor, row.id, row.department) ==
        ClearanceVisibility::kRequirementOnly) {
      row.clearance.clear();
    }
  }
}
Status NarrowForClearanceFilter(domain::PeopleQuery& query) {
  if (query.filter.clearance.empty()) return domain::Ok{};
  query.scope.chain_of_person_id.reset();
  query.scope.professions.clear();
  if (!query.scope.all && !query.scope.self_person_id && query.scope.departments.empty()) {
    return Error::InvalidInput(
        "clearance", "Only HR partners, vetting officers and administrators filter by clearance");
  }
  return domain::Ok{};
}

}  // namespace

std::optional<store::Scope> WorkforceService::ScopeFor(const Actor& actor,
                                                       std::string_view list_action,
                                                       std::string_view read_action) const {
  const auto people =
      PeopleScopeOf(authorizer_.policy(), actor, {list_action, read_action},
                    {Relationship::kSelf, Relationship::kReport, Relationship::kDepartment,
                     Relationship::kProfession, Relationship::kAny});
  if (!people) return std::nullopt;
  store::Scope scope;
  scope.all = people->all;
  scope.self_person_id = people->self_person_id;
  scope.chain_of_person_id = people->chain_of_person_id;
  scope.departments = people->departments;
  scope.professions = people->professions;
  return scope;
}

Error WorkforceService::Refuse(store::Database& db, const Actor& actor, std::string_view action,
                               std::string_view object_type, std::string_view object_id,
                               std::string message) {
  Command command{std::string(action), std::string(object_type), std::string(object_id),
                  std::move(message)};
  return kernel_.Refuse(db, actor, command);
}

void WorkforceService::AuditListRead(const Actor& actor, const domain::PeoplePage& page) {
  // Someone's own record alone is not another person's.
  std::size_t others = 0;
  for (const auto& row : page.rows) {
    if (!actor.person_id || row.id != *actor.person_id) ++others;
  }
  if (others == 0) return;
  kernel_.RecordRead(actor, {std::string(kPersonList), "person", ""},
                     fmt::format("{} people listed", others));
}

namespace {

const std::string* NameAt(const std::map<std::string, std::size_t, std::less<>>& at,
                          const std::vector<std::pair<std::string, std::string>>& list,
                          std::string_view code) {
  const auto found = at.find(code);
  return found == at.end() ? nullptr : &list[found->second].second;
}

}  // namespace

const std::string* FilterOptions::DepartmentName(std::string_view code) const {
  return NameAt(department_at_, departments, code);
}

const std::string* FilterOptions::ProfessionName(std::string_view code) const {
  return NameAt(profession_at_, professions, code);
}

void FilterOptions::Index() {
  department_at_.clear();
  profession_at_.clear();
  for (std::size_t i = 0; i < departments.size(); ++i)
    department_at_.emplace(departments[i].first, i);
  for (std::size_t i = 0; i < professions.size(); ++i)
    profession_at_.emplace(professions[i].first, i);
}

WorkforceService::WorkforceService(UnitOfWork& kernel)
    : kernel_(kernel),
      pool_(kernel.pool()),
      authorizer_(kernel.authorizer()),
      clock_(kernel.clock()),
      totals_(std::make_unique<store::ListTotals>()) {}

WorkforceService::~WorkforceService() = default;

WorkforceAccess WorkforceService::AccessOf(const Actor& actor) const {
  WorkforceAccess access;
  access.people = ScopeFor(actor, kPersonList, kPersonRead).has_value();
  if (actor.person_id) {
    const Policy& policy = authorizer_.policy();
    access.team = actor.HasRole(Role::kLineManager) &&
                  policy.Allows(Role::kLineManager, kPersonList, Relationship::kReport) &&
                  policy.Allows(Role::kLineManager, kPersonRead, Relationship::kReport);
  }
  access.posts = ScopeFor(actor, kPostList, kPostList).has_value();
  access.departments = ScopeFor(actor, kDepartmentRead, kDepartmentRead).has_value();
  return access;
}

Result<store::PeoplePage> WorkforceService::ListPeople(const Actor& actor,
                                                       store::PeopleQuery query) {
  auto db = pool_.Acquire();
  auto scope = ScopeFor(actor, kPersonList, kPersonRead);
  if (!scope) return Refuse(*db, actor, kPersonList, "person", "", "No such page");
  query.scope = std::move(*scope);
  query.limit = BoundedLimit(query.limit);
  query.offset = std::max<std::int64_t>(0, query.offset);
  PATHWAY_TRY(NarrowForClearanceFilter(query));
  PATHWAY_ASSIGN_OR_RETURN(auto page, store::ListPeople(*db, query, totals_.get()));
  LimitListClearance(actor, page);
  AuditListRead(actor, page);
  return page;
}

Result<store::PeoplePage> WorkforceService::ListTeam(const Actor& actor, store::PeopleQuery query) {
  auto db = pool_.Acquire();
  if (!AccessOf(actor).team) return Refuse(*db, actor, kPersonList, "team", "", "No such page");
  query.scope = {};
  query.scope.chain_of_person_id = actor.person_id;
  query.limit = BoundedLimit(query.limit);
  query.offset = std::max<std::int64_t>(0, query.offset);
  PATHWAY_TRY(NarrowForClearanceFilter(query));
  PATHWAY_ASSIGN_OR_RETURN(auto page, store::ListPeople(*db, query, totals_.get()));
  LimitListClearance(actor, page);
  AuditListRead(actor, page);
  return page;
}

Result<PersonProfile> WorkforceService::GetPerson(const Actor& actor, std::int64_t person_id) {
  const Command read{std::string(kPersonRead), "person", std::to_string(person_id),
                     "No such person"};
  return kernel_.Read(
      actor, read, OfPerson(person_id), [&](store::Database& db) -> Result<PersonProfile> {
        PATHWAY_ASSIGN_OR_RETURN(auto detail, store::FindPersonDetail(db, person_id));
        if (!detail) return Error::NotFound("No such person");
        PersonProfile profile;
        profile.detail = std::move(*detail);
        // The manager and reports are shown only to those who may read them.
        auto may_read = [&](std::int64_t id) -> Result<bool> {
          PATHWAY_ASSIGN_OR_RETURN(auto subject, OfPerson(id)(db));
          if (!subject) return false;
          return authorizer_.Allowed(db, actor, kPersonRead, *subject);
        };
        if (profile.detail.manager) {
          PATHWAY_ASSIGN_OR_RETURN(profile.manager_visible, may_read(profile.detail.manager->id));
        }
        for (const auto& report : profile.detail.direct_reports) {
          PATHWAY_ASSIGN_OR_RETURN(bool visible, may_read(report.id));
          if (visible) profile.visible_reports.push_back(report);
        }
        profile.detail.direct_reports.clear();
        LimitClearance(actor, profile);
        return profile;
      });
}

Result<store::PostPage> WorkforceService::ListPosts(const Actor& actor, store::PostQuery query) {
  auto db = pool_.Acquire();
  auto scope = ScopeFor(actor, kPostList, kPostList);
  if (!scope) return Refuse(*db, actor, kPostList, "post", "", "No such page");
  query.scope = std::move(*scope);
  query.limit = BoundedLimit(query.limit);
  query.offset = std::max<std::int64_t>(0, query.offset);
  PATHWAY_ASSIGN_OR_RETURN(auto page, store::ListPosts(*db, query, totals_.get()));
  // A holder's clearance is for those who see posts by department (HR, vetting) or all of
  // them; a head of profession sees who holds a post, not their clearance.
  if (!query.scope.all) {
    for (auto& row : page.rows) {
      if (std::find(query.scope.departments.begin(), query.scope.departments.end(),
                    row.department) == query.scope.departments.end()) {
        row.holder_clearance.clear();
        row.holder_below_clearance = false;
        row.holder_clearance_hidden = true;
      }
    }
  }
  return page;
}

namespace {

Subject PublishedProfession(const std::string& code) {
  Subject subject;
  subject.profession = code;
  subject.published = true;
  return subject;
}

}  // namespace

Result<std::vector<store::ProfessionSummary>> WorkforceService::ListProfessions(
    const Actor& actor) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(
      bool allowed, authorizer_.Allowed(*db, actor, kProfessionRead, PublishedProfession("")));
  if (!allowed) return Refuse(*db, actor, kProfessionRead, "profession", "", "No such page");
  return store::ListProfessions(*db);
}

Result<std::shared_ptr<const FilterOptions>> WorkforceService::ListFilterOptions(
    const Actor& actor) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(
      bool allowed, authorizer_.Allowed(*db, actor, kProfessionRead, PublishedProfession("")));
  if (!allowed) return Refuse(*db, actor, kProfessionRead, "profession", "", "No such page");
  // Read before the names: names read after a write are then kept under the generation
  // before it at worst, and read again by the next caller, never kept as newer than
  // they are.
  PATHWAY_ASSIGN_OR_RETURN(const std::int64_t generation, store::WorkforceGeneration(*db));
  {
    std::lock_guard lock(filter_options_mutex_);
    if (filter_options_ && filter_options_->generation == generation) return filter_options_;
  }
  auto options = std::make_shared<FilterOptions>();
  options->generation = generation;
  // Codes and names only: the headcounts of ListDepartments and ListProfessions would
  // count every person on each list page.
  PATHWAY_ASSIGN_OR_RETURN(auto departments, store::ListDepartmentNames(*db));
  for (auto& d : departments)
    options->departments.emplace_back(std::move(d.code), std::move(d.name));
  PATHWAY_ASSIGN_OR_RETURN(auto professions, store::ListProfessionNames(*db));
  for (auto& p : professions)
    options->professions.emplace_back(std::move(p.code), std::move(p.name));
  options->Index();
  std::lock_guard lock(filter_options_mutex_);
  if (!filter_options_ || filter_options_->generation < generation) filter_options_ = options;
  return std::shared_ptr<const FilterOptions>(std::move(options));
}

Result<store::ProfessionDetail> WorkforceService::GetProfession(
    const Actor& actor, const std::string& code, const domain::ProfessionParts& parts) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(
      bool allowed, authorizer_.Allowed(*db, actor, kProfessionRead, PublishedProfession(code)));
  if (!allowed)
    return Refuse(*db, actor, kProfessionRead, "profession", code, "No such profession");
  PATHWAY_ASSIGN_OR_RETURN(auto detail, store::FindProfession(*db, code, parts));
  if (!detail) return Error::NotFound("No such profession");
  if (!parts.role.empty() && detail->job_families.empty()) {
    return Error::NotFound("No such role");
  }
  return std::move(*detail);
}

Result<store::RoleLevelPage> WorkforceService::ListRoleLevels(const Actor& actor,
                                                              const store::RoleLevelFilter& filter,
                                                              int limit, std::int64_t offset) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(
      bool allowed, authorizer_.Allowed(*db, actor, kProfessionRead, PublishedProfession("")));
  if (!allowed) return Refuse(*db, actor, kProfessionRead, "role_level", "", "No such page");
  return store::ListRoleLevels(*db, filter, BoundedLimit(limit), std::max<std::int64_t>(0, offset));
}

Result<store::ProfessionOverview> WorkforceService::GetProfessionOverview(const Actor& actor,
                                                                          const std::string& code) {
  auto db = pool_.Acquire();
  Subject subject;
  subject.profession = code;
  PATHWAY_ASSIGN_OR_RETURN(bool allowed,
                           authorizer_.Allowed(*db, actor, kProfessionOverview, subject));
  if (!allowed) {
    return Refuse(*db, actor, kProfessionOverview, "profession", code, "No such profession");
  }
  PATHWAY_ASSIGN_OR_RETURN(auto overview, store::FindProfessionOverview(*db, code));
  if (!overview) return Error::NotFound("No such profession");
  return std::move(*overview);
}

Result<std::vector<store::DepartmentSummary>> WorkforceService::ListDepartments(
    const Actor& actor) {
  auto db = pool_.Acquire();
  const auto scope = ScopeFor(actor, kDepartmentRead, kDepartmentRead);
  if (!scope) return Refuse(*db, actor, kDepartmentRead, "department", "", "No such page");
  PATHWAY_ASSIGN_OR_RETURN(auto all, store::ListDepartments(*db));
  if (scope->all) return all;
  std::vector<store::DepartmentSummary> visible;
  for (auto& department : all) {
    if (std::find(scope->departments.begin(), scope->departments.end(), department.code) !=
        scope->departments.end()) {
      visible.push_back(std::move(department));
    }
  }
  return visible;
}

Result<store::DepartmentOverview> WorkforceService::GetDepartment(const Actor& actor,
                                                                  const std::string& code) {
  auto db = pool_.Acquire();
  Subject subject;
  subject.department = code;
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, authorizer_.Allowed(*db, actor, kDepartmentRead, subject));
  if (!allowed) {
    return Refuse(*db, actor, kDepartmentRead, "department", code, "No such department");
  }
  PATHWAY_ASSIGN_OR_RETURN(auto overview, store::FindDepartmentOverview(*db, code));
  if (!overview) return Error::NotFound("No such department");
  return std::move(*overview);
}

}  // namespace pathway::app
