// Read queries over the workforce: people, posts, professions with their career
// frameworks, and the headcounts of department and profession overviews. Lists take a
// Scope (which people or posts the caller may see; app/ works it out from the access
// policy) and filters, and answer one page and the total. Built for 500,000 people: every
// list and overview is served by the indexes of migrations 5 and 6. No business rules:
// the caller decides the scope; these functions only apply it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/result.hpp"
#include "domain/workforce_views.hpp"
#include "store/database.hpp"

namespace pathway::store {

// The value types these functions take and answer live in domain/workforce_views.hpp.
using domain::ContactView;
using domain::Count;
using domain::DepartmentOverview;
using domain::DepartmentSummary;
using domain::JobFamilyView;
using domain::PeopleFilter;
using domain::PeoplePage;
using domain::PeopleQuery;
using domain::PeopleSort;
using domain::PersonDetail;
using domain::PersonLink;
using domain::PersonRow;
using domain::PersonScopeKeys;
using domain::PostFilter;
using domain::PostPage;
using domain::PostQuery;
using domain::PostRow;
using domain::PostSort;
using domain::ProfessionDetail;
using domain::ProfessionOverview;
using domain::ProfessionParts;
using domain::ProfessionSummary;
using domain::RequirementView;
using domain::RoleLevelFilter;
using domain::RoleLevelPage;
using domain::RoleLevelRow;
using domain::RoleLevelView;
using domain::RoleMove;
using domain::RoleView;
using domain::Scope;
using domain::SortOrder;

using domain::Result;

// The totals of list pages, each counted once per workforce generation
// (store/workforce_change.hpp): a list's COUNT(*) walks every row it matches, so a page
// of a department of 90,000 would walk 90,000 index entries to say "of 90,000". Every
// write to the people, posts and organisation moves the generation, which empties the
// kept totals. Keyed by the count's statement and its values. Thread-safe; shared by
// every connection of a process.
inline constexpr std::size_t kMaxListTotals = 4096;  // more empties it: a bound on memory
class ListTotals {
 public:
  // The total kept for `key` in `generation`, if any.
  std::optional<std::int64_t> Find(std::int64_t generation, const std::string& key) const;
  // Keeps `total` for `key` in `generation`; a newer generation drops every older total,
  // and a total counted in an older one than the newest kept is not kept.
  void Keep(std::int64_t generation, std::string key, std::int64_t total);

 private:
  mutable std::mutex mutex_;
  std::int64_t generation_ = 0;
  std::unordered_map<std::string, std::int64_t> totals_;
};

// One page of the people in `query.scope` that match the filters, sorted (ties by name,
// then id, so pages never overlap), and how many match in all. An empty scope answers
// no rows; that is not an error. With `totals`, a total already counted in this
// workforce generation is not counted again.
Result<PeoplePage> ListPeople(Database& db, const PeopleQuery& query, ListTotals* totals = nullptr);

// A person's record with what it names, or nullopt when there is no such person.
Result<std::optional<PersonDetail>> FindPersonDetail(Database& db, std::int64_t id);

Result<std::optional<PersonScopeKeys>> FindPersonScopeKeys(Database& db, std::int64_t id);

// ---------------------------------------------------------------------------------
// Posts

// The same for posts.
Result<PostPage> ListPosts(Database& db, const PostQuery& query, ListTotals* totals = nullptr);

// ---------------------------------------------------------------------------------
// Professions, their career frameworks, and how roles connect

// Every profession, by name.
Result<std::vector<ProfessionSummary>> ListProfessions(Database& db);

// A profession with its career framework laid out as a ladder, or nullopt when no
// profession has this code. Moves: a promotion is the next position in the same role;
// a lateral move is a level of another role (in this profession or another) whose grade
// range overlaps and that needs at least half of this level's required items.
// `parts` narrows what is read: one role, or the ladder without each level's details.
// A role that is not in the profession is not an error: the detail then has no job
// families.
Result<std::optional<ProfessionDetail>> FindProfession(Database& db, const std::string& code,
                                                       const ProfessionParts& parts = {});

// Role levels by profession, role and position.
Result<RoleLevelPage> ListRoleLevels(Database& db, const RoleLevelFilter& filter, int limit,
                                     std::int64_t offset);

// ---------------------------------------------------------------------------------
// Overviews: headcounts

// Every department, by name, with its headcount.
Result<std::vector<DepartmentSummary>> ListDepartments(Database& db);

// Headcounts of one department, or nullopt when no department has this code. Groups
// with nobody are left out.
Result<std::optional<DepartmentOverview>> FindDepartmentOverview(Database& db,
                                                                 const std::string& code);

// Headcounts of one profession (anchor profession), or nullopt when there is none.
Result<std::optional<ProfessionOverview>> FindProfessionOverview(Database& db,
                                                                 const std::string& code);

// The people who report to `manager_id`, directly or through the chain, up to 64 levels.
// Used for a line manager's team.
Result<std::int64_t> CountReportingChain(Database& db, std::int64_t manager_id);

}  // namespace pathway::store
