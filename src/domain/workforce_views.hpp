// The workforce as its lists and pages read it: the value types of the read queries
// (store/workforce_read.hpp implements them over SQLite), named here so that use cases and pages
// use them without seeing the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/result.hpp"

namespace pathway::domain {

// Which people (or posts) a list may hold: the union of what is set. `all` wins over
// everything else; an empty scope holds nothing.
struct Scope {
  bool all = false;
  std::optional<std::int64_t> self_person_id;      // this person
  std::optional<std::int64_t> chain_of_person_id;  // everyone who reports to this person
  std::vector<std::string> departments;            // department codes
  std::vector<std::string> professions;            // anchor profession codes

  bool Empty() const {
    return !all && !self_person_id && !chain_of_person_id && departments.empty() &&
           professions.empty();
  }
};

enum class SortOrder { kAscending, kDescending };

enum class PeopleSort {
  kName,
  kGrade,
  kDepartment,
  kStartDate,
  kProfession,
  kRegion,
  kLineManager
};

// Filters of the people list. Empty or unset members do not filter.
struct PeopleFilter {
  std::string text;              // part of the name (case-insensitive), or the whole HR reference
  std::string department;        // department code
  std::string profession;        // profession code: anchor or other profession
  std::optional<int> grade_min;  // grade rank 0..9, inclusive
  std::optional<int> grade_max;
  std::string region;     // region code
  std::string clearance;  // clearance level held: "BPSS", "CTC", "SC", "DV"
  // Only people whose line manager is this person (the team page's first level).
  std::optional<std::int64_t> manager_id;
};

struct PeopleQuery {
  Scope scope;
  PeopleFilter filter;
  PeopleSort sort = PeopleSort::kName;
  SortOrder order = SortOrder::kAscending;
  int limit = 50;  // 1..; the caller bounds it
  std::int64_t offset = 0;
  // Whether to read what only a people file names a person by (PersonRow's location,
  // other_professions, post, line_manager_external_id and clearance status and dates): a
  // list page and the API show none of them, and two cost a subquery each per row.
  bool file_columns = true;
  // Whether to read each row's department_name and profession_name: a list page that has
  // every name already (its filter's options) fills them itself.
  bool names = true;
  // Whether to read each row's line_manager_name (a lookup per row): of the pages, only
  // the team page shows it.
  bool manager_names = true;
};

struct PersonRow {
  std::int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string grade;       // code ("HEO"), empty if unknown
  std::string department;  // code
  std::string department_name;
  std::string profession;  // anchor profession code
  std::string profession_name;
  std::string location_name;
  std::string region;  // code
  std::string region_name;
  std::string clearance;  // level, empty if none
  std::string start_date;
  std::optional<std::int64_t> line_manager_id;
  std::string line_manager_name;
  // What a people file names them by (interchange/workforce_csv.hpp), so that a list
  // exported as CSV imports back unchanged.
  std::string location;           // code
  std::string other_professions;  // codes, ';'-separated, in code order
  std::string post;               // the post's external id, empty if none
  std::string line_manager_external_id;
  std::string clearance_status;
  std::string clearance_granted;
  std::string clearance_review_due;
};

struct PeoplePage {
  std::vector<PersonRow> rows;
  std::int64_t total = 0;  // rows matching, across all pages
};

struct PersonLink {
  std::int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string grade;
};

struct PersonDetail {
  PersonRow person;
  std::string unit;  // the post's unit: code and name
  std::string unit_name;
  std::string location;               // code
  std::string post;                   // post external id, empty if none
  std::string post_role_level;        // role level code
  std::string post_role_level_title;  // "Senior developer"
  std::string post_role;              // career role name
  std::string post_clearance;         // the clearance the post needs
  bool post_critical = false;
  std::vector<std::pair<std::string, std::string>> other_professions;  // code, name
  std::string clearance_status;
  std::string clearance_granted;
  std::string clearance_review_due;
  std::optional<PersonLink> manager;
  std::vector<PersonLink> direct_reports;  // by name
};

// Department and anchor profession codes of a person, for the authoriser; nullopt when
// there is no such person.
struct PersonScopeKeys {
  std::string department;
  std::string profession;
};

enum class PostSort {
  kReference,
  kGrade,
  kRole,
  kDepartment,
  kRegion,
  kClearance,
  kStatus,
  kHolder
};

struct PostFilter {
  std::string text;  // part of the role level's title, or the whole post reference
  std::string department;
  std::string profession;
  std::optional<int> grade_min;
  std::optional<int> grade_max;
  std::string region;
  std::string clearance;         // the clearance the post needs
  std::optional<bool> critical;  // only critical (true) or only not critical (false)
  std::optional<bool> filled;    // only filled (true) or only vacant (false)
};

// Which posts a list may hold: `departments` are those of the posts' units and
// `professions` those of their role levels; `all` wins. People-only members of Scope
// (self, chain) select the posts those people hold.
struct PostQuery {
  Scope scope;
  PostFilter filter;
  PostSort sort = PostSort::kReference;
  SortOrder order = SortOrder::kAscending;
  int limit = 50;
  std::int64_t offset = 0;
};

struct PostRow {
  std::int64_t id = 0;
  std::string external_id;
  std::string role_level;  // code
  std::string role_level_title;
  std::string role;  // career role name
  std::string role_code;
  std::string profession;  // code
  std::string profession_name;
  std::string department;  // code
  std::string department_name;
  std::string unit_name;
  std::string location_name;
  std::string region;  // code
  std::string region_name;
  std::string grade;  // code
  std::string clearance;
  bool critical = false;
  std::optional<std::int64_t> holder_id;  // the person in the post; none when vacant
  std::string holder_name;
  std::string holder_clearance;  // the holder's clearance level, empty if none recorded
  // The holder's clearance is below what the post needs (none counts as below).
  bool holder_below_clearance = false;
  bool holder_clearance_hidden = false;  // not for this reader (heads of profession)
};

struct PostPage {
  std::vector<PostRow> rows;
  std::int64_t total = 0;
};

struct ProfessionSummary {
  std::string code;
  std::string name;
  std::string description;
  std::int64_t headcount = 0;  // people whose anchor profession this is
  std::int64_t roles = 0;
  std::int64_t role_levels = 0;
};

struct RequirementView {
  std::string item_id;
  std::string item_title;  // from the newest published version that has it; else empty
  std::string framework_id;
  int level = 1;
  int weight = 1;
};

// A move from or to a role level.
struct RoleMove {
  enum class Kind { kPromotion, kLateral };
  Kind kind = Kind::kLateral;
  std::string role_level;  // the other level's code
  std::string title;
  std::string role;  // its role's name
  std::string role_code;
  std::string profession;  // its profession's code and name
  std::string profession_name;
  std::string grade_min;
  std::string grade_max;
  int shared_items = 0;  // for lateral moves
};

struct RoleLevelView {
  std::string code;
  std::string title;
  int position = 1;
  std::string grade_min;  // code
  std::string grade_max;
  std::vector<RequirementView> requirements;  // by weight, then title
  std::vector<std::string> experience;
  std::vector<std::string> qualifications;
  std::vector<RoleMove> moves_out;  // promotion first, then lateral by shared items
  std::vector<RoleMove> moves_in;
  std::int64_t posts = 0;  // posts at this level
};

struct RoleView {
  std::string code;
  std::string name;
  std::string description;
  std::vector<RoleLevelView> levels;  // by position
};

struct JobFamilyView {
  std::string code;
  std::string name;
  std::vector<RoleView> roles;  // by name
};

struct ContactView {
  std::string kind;  // "head_of_profession" or "departmental_head"
  std::int64_t person_id = 0;
  std::string name;
  std::string department;  // code, for departmental heads
  std::string department_name;
};

// What a profession's page needs of its career framework. The summary, induction and
// community are always read.
struct ProfessionParts {
  // Only this role (its family, the role and its levels); empty for every role.
  std::string role;
  // Each level's requirements, experience, qualifications and moves; false for the
  // ladder alone (families, roles and levels with their grades and posts).
  bool level_details = true;
};

struct ProfessionDetail {
  ProfessionSummary summary;
  std::string induction;
  std::string career_framework_id;
  std::string career_framework_title;       // the newest published version's title
  std::vector<JobFamilyView> job_families;  // by name
  std::vector<ContactView> community;       // head of profession first, then by department
};

struct RoleLevelRow {
  std::string code;
  std::string title;
  int position = 1;
  std::string role;  // code
  std::string role_name;
  std::string job_family;  // code
  std::string profession;  // code
  std::string profession_name;
  std::string grade_min;
  std::string grade_max;
  std::int64_t requirements = 0;
};

struct RoleLevelFilter {
  std::string text;  // part of the title
  std::string profession;
  std::optional<int> grade;  // levels whose range includes this grade rank
};

struct RoleLevelPage {
  std::vector<RoleLevelRow> rows;
  std::int64_t total = 0;
};

struct Count {
  std::string key;  // a code ("HEO", "TLI", "DWP")
  std::string label;
  std::int64_t count = 0;
};

struct DepartmentSummary {
  std::string code;
  std::string name;
  std::int64_t headcount = 0;
};

struct DepartmentOverview {
  DepartmentSummary summary;
  std::vector<Count> by_grade;       // in grade order
  std::vector<Count> by_region;      // in the regions' official order
  std::vector<Count> by_profession;  // largest first
  std::int64_t posts_filled = 0;
  std::int64_t posts_vacant = 0;
};

struct ProfessionOverview {
  std::string code;
  std::string name;
  std::int64_t headcount = 0;
  std::vector<Count> by_department;  // largest first
  std::vector<Count> by_grade;
  std::vector<Count> by_region;
};

}  // namespace pathway::domain
