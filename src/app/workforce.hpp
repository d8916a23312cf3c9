// Workforce reading use cases: people (lists, a person's profile, a line manager's team),
// posts, professions with their career frameworks, and department and profession
// overviews. Every one asks the access policy. Lists hold only what the actor may see:
// the union, over the actor's grants, of the scopes the policy opens for the list's
// action and for reading one of its objects (a line manager's reporting chain, an HR
// partner's department, a head of profession's profession, everything for an
// administrator). An object outside the actor's scope is kNotFound, like a missing one,
// and the refusal is audited.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/clock.hpp"
#include "app/policy.hpp"
#include "app/store_handles.hpp"
#include "app/unit_of_work.hpp"
#include "domain/result.hpp"
#include "domain/workforce_views.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

// The most rows one list request returns, on a page or in a download.
inline constexpr int kMaxPageSize = 500;
inline constexpr int kMaxDownloadRows = 100'000;

// How much of a person's clearance the reader sees (vetting's need to know): the person
// themselves, their department's vetting officers and administrators everything; HR
// partners the level and status; everyone else (line managers, heads of profession)
// only whether it meets what their post needs.
enum class ClearanceVisibility { kFull, kLevelAndStatus, kRequirementOnly };

// A person's profile as the actor may see it.
struct PersonProfile {
  domain::PersonDetail detail;
  bool manager_visible = false;  // whether the actor may open the manager's profile
  // Direct reports the actor may see; others are left out, unmentioned.
  std::vector<domain::PersonLink> visible_reports;
  // What of the clearance `detail` holds: fields the reader may not see are emptied.
  ClearanceVisibility clearance_visibility = ClearanceVisibility::kFull;
  // Whether an active clearance at or above the post's level is held; nullopt without a
  // post.
  std::optional<bool> clearance_meets_post;
};

// Reference data for filters: every department and profession (codes and names), as
// of a workforce generation (store/workforce_change.hpp).
struct FilterOptions {
  std::vector<std::pair<std::string, std::string>> departments;
  std::vector<std::pair<std::string, std::string>> professions;
  std::int64_t generation = 0;

  // The name of the department or profession whose code is `code`; null if none. Index()
  // must have been called since the lists last changed.
  const std::string* DepartmentName(std::string_view code) const;
  const std::string* ProfessionName(std::string_view code) const;
  void Index();

 private:
  std::map<std::string, std::size_t, std::less<>> department_at_;
  std::map<std::string, std::size_t, std::less<>> profession_at_;
};

// Which parts of the workforce pages the actor may open, for navigation and links. Only
// hints: each use case asks the policy again.
struct WorkforceAccess {
  bool people = false;       // person.list with some scope
  bool team = false;         // person.list through a line manager's chain
  bool posts = false;        // post.list with some scope
  bool departments = false;  // department.read with some scope
};

// Thread-safe: every call leases its own connection.
class WorkforceService {
 public:
  // Reads of a person's record by someone else are authorised and audited by `kernel`.
  explicit WorkforceService(UnitOfWork& kernel);
  ~WorkforceService();

  WorkforceAccess AccessOf(const Actor& actor) const;

  // People the actor may see that match the query's filters; its scope is replaced by
  // the actor's. kNotFound if the policy gives the actor no scope for person.list.
  Result<domain::PeoplePage> ListPeople(const Actor& actor, domain::PeopleQuery query);
  // The actor's reporting chain (everyone who reports to them, directly or not),
  // filtered and sorted like ListPeople. kNotFound unless the actor is a line manager
  // whom the policy lets list their reports.
  Result<domain::PeoplePage> ListTeam(const Actor& actor, domain::PeopleQuery query);
  // kNotFound for a missing person and for one the actor may not read (person.read).
  Result<PersonProfile> GetPerson(const Actor& actor, std::int64_t person_id);

  // Posts in the actor's scope for post.list (posts of their departments' units, of
  // their professions' role levels, or all). kNotFound if there is no such scope.
  Result<domain::PostPage> ListPosts(const Actor& actor, domain::PostQuery query);

  // Departments and professions to filter lists by; anyone who may read professions.
  // Read again only after a write to the workforce (which moves its generation); until
  // then every caller shares the same, unchanging options.
  Result<std::shared_ptr<const FilterOptions>> ListFilterOptions(const Actor& actor);

  // Professions and role levels are readable by everyone signed in (profession.read).
  Result<std::vector<domain::ProfessionSummary>> ListProfessions(const Actor& actor);
  // `parts` narrows what is read (one role, or the ladder alone); kNotFound when the
  // profession, or the role asked for in it, does not exist.
  Result<domain::ProfessionDetail> GetProfession(const Actor& actor, const std::string& code,
                                                 const domain::ProfessionParts& parts = {});
  Result<domain::RoleLevelPage> ListRoleLevels(const Actor& actor,
                                               const domain::RoleLevelFilter& filter, int limit,
                                               std::int64_t offset);
  // Headcounts of a profession (profession.overview: its head of profession, admin).
  Result<domain::ProfessionOverview> GetProfessionOverview(const Actor& actor,
                                                           const std::string& code);

  // Departments whose overview the actor may read (department.read). kNotFound if none
  // can be, whatever the departments stored.
  Result<std::vector<domain::DepartmentSummary>> ListDepartments(const Actor& actor);
  Result<domain::DepartmentOverview> GetDepartment(const Actor& actor, const std::string& code);

 private:
  // The scope the actor's grants open for `list_action` where the policy also lets them
  // read (`read_action`) what the list holds; nullopt when no grant opens anything.
  std::optional<domain::Scope> ScopeFor(const Actor& actor, std::string_view list_action,
                                        std::string_view read_action) const;
  // Audits a refusal in its own transaction and returns the kNotFound the caller answers.
  domain::Error Refuse(store::Database& db, const Actor& actor, std::string_view action,
                       std::string_view object_type, std::string_view object_id,
                       std::string message);

  // Audits (in the kernel's batches) a page of a list holding other people's records.
  void AuditListRead(const Actor& actor, const domain::PeoplePage& page);

  UnitOfWork& kernel_;
  store::ConnectionPool& pool_;
  const Authorizer& authorizer_;
  const Clock& clock_;
  // The lists' totals, counted once per workforce generation.
  std::unique_ptr<store::ListTotals> totals_;
  // The last filter options read, and the generation they were read at.
  std::mutex filter_options_mutex_;
  std::shared_ptr<const FilterOptions> filter_options_;
};

}  // namespace pathway::app
