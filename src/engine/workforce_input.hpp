// What the engine is built from: the workforce as rows keyed by the store's integer
// ids, with no strings on the hot rows (people, assessments). store/ fills these from
// SQLite (store/workforce_snapshot.hpp); app/ passes the same shapes to Index writes.
// Plain values, no behaviour.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/workforce.hpp"

namespace pathway::engine {

// A framework item the workforce refers to (a row of item_ref).
struct ItemInput {
  std::int64_t id = 0;  // item_ref.id
  std::string item_id;  // framework item UUID
};

struct ProfessionInput {
  std::int64_t id = 0;
  std::string code;
};

struct DepartmentInput {
  std::int64_t id = 0;
  std::string code;
};

struct RequirementInput {
  std::int64_t item = 0;  // item_ref.id
  int level = 1;          // 1..9
  int weight = 1;         // 1..10
};

struct RoleLevelInput {
  std::int64_t id = 0;
  std::string code;
  std::string title;
  std::int64_t role_id = 0;        // career_role.id; levels of one role form a ladder
  std::int64_t profession_id = 0;  // through the role's job family
  int position = 1;
  int grade_min = 0;  // domain::Grade rank
  int grade_max = 0;
  std::vector<RequirementInput> requirements;
};

struct PostInput {
  std::int64_t id = 0;
  std::string external_id;
  std::int64_t role_level_id = 0;
  std::int64_t department_id = 0;  // through the post's unit
  int region = -1;                 // index into domain::AllRegions(), -1 if unknown
  int grade = 0;
  int clearance = 0;  // domain::Clearance
  bool critical = false;
};

// One person's attributes. Unknown values: 0 for ids, -1 for ranks and indexes.
struct PersonInput {
  std::int64_t id = 0;
  std::int64_t profession_id = 0;  // anchor profession
  int grade = -1;
  int region = -1;  // index into domain::AllRegions()
  std::int64_t department_id = 0;
  int clearance = -1;  // domain::Clearance, -1 if none
  domain::ClearanceStatus clearance_status = domain::ClearanceStatus::kActive;
  std::int64_t post_id = 0;
};

// One row of the assessment ledger, reduced to what the current level needs.
struct AssessmentInput {
  std::int64_t person_id = 0;
  std::int64_t item = 0;  // item_ref.id
  int level = 1;
  bool confirms = false;  // domain::Confirms(assessor)
};

// Everything the index holds about some people, to replace what it has for them
// (Index::ReplacePeople): people no longer stored, the current records of the others,
// and every ledger row of those, in ledger order (for each person and item, by seq).
struct PeopleReplacement {
  std::vector<std::int64_t> removed;
  std::vector<PersonInput> people;
  std::vector<AssessmentInput> ledger;
};

// Reference data: everything but people and assessments. Upserted by id.
struct ReferenceInput {
  std::vector<ItemInput> items;
  std::vector<ProfessionInput> professions;
  std::vector<DepartmentInput> departments;
  std::vector<RoleLevelInput> role_levels;
  std::vector<PostInput> posts;
};

}  // namespace pathway::engine
