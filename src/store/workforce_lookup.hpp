// What the workforce import's checks and the demo generator read back from the store:
// the codes and ids already there, so that a file can be checked against them. Large
// tables (posts, people) are streamed row by row; the views passed to the callbacks are
// valid only during the call.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

using domain::Result;
using domain::Status;

enum class CodeTable { kDepartment, kUnit, kLocation, kProfession, kRoleLevel };
// Every code in the table.
Result<std::vector<std::string>> LoadCodes(Database& db, CodeTable table);

// The department (its code) of every stored unit (by code), post or person (by
// external id).
enum class DepartmentOf { kUnit, kPost, kPerson };
struct DepartmentOfRow {
  std::string key;
  std::string department;
};
Result<std::vector<DepartmentOfRow>> LoadDepartmentsOf(Database& db, DepartmentOf what);

struct UnitParent {
  std::string unit;
  std::string parent;  // empty for a top-level unit
};
Result<std::vector<UnitParent>> LoadUnitParents(Database& db);

// Every version of every career framework: its id and that version's title.
struct FrameworkTitle {
  std::string framework_id;
  std::string title;
};
Result<std::vector<FrameworkTitle>> LoadCareerFrameworkTitles(Database& db);

// Each stored role level's place on its role's ladder.
struct RoleLevelSlot {
  std::string code;
  std::string role;
  int position = 0;
};
Result<std::vector<RoleLevelSlot>> LoadRoleLevelSlots(Database& db);

// Every item of every version of every framework, with its framework's kind and the
// version's status.
struct FrameworkItemRow {
  std::string id;
  std::string framework_id;
  std::string title;
  std::string kind;
  std::string status;
};
Result<std::vector<FrameworkItemRow>> LoadFrameworkItems(Database& db);

// Posts in id order: (id, external id).
Status ForEachPost(Database& db,
                   const std::function<void(std::int64_t id, std::string_view external_id)>& row);

// People in id order: id, external id, line manager id and post id (0 when none).
struct StoredPersonRef {
  std::int64_t id = 0;
  std::string_view external_id;
  std::int64_t line_manager_id = 0;
  std::int64_t post_id = 0;
};
Status ForEachPerson(Database& db, const std::function<void(const StoredPersonRef&)>& row);

// item_ref rows: (id, framework item UUID).
Status ForEachItemRef(Database& db,
                      const std::function<void(std::int64_t id, std::string_view item_id)>& row);

}  // namespace pathway::store
