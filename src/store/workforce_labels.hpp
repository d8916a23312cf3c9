// Names for what the workforce engine answers in codes and ids: people's names and
// grades, framework items' titles, departments' and professions' names. The engine
// (engine/) ranks and counts; these reads turn its answers into what a person reads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

struct PersonLabel {
  std::int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string grade;       // code, empty if unknown
  std::string department;  // code
  std::string profession;  // anchor profession code
  std::string region;      // code, empty if unknown
};

// The people with these ids, by id; ids with no person are left out (not an error).
Result<std::unordered_map<std::int64_t, PersonLabel>> FindPersonLabels(
    Database& db, std::span<const std::int64_t> ids);

struct ItemLabel {
  std::string item_id;  // framework item UUID
  std::string title;    // from the newest published version that has it, else empty
  std::string framework_id;
};

// Every framework item the workforce refers to (item_ref), by title then id.
Result<std::vector<ItemLabel>> ListItemLabels(Database& db);

struct NamedCode {
  std::string code;
  std::string name;
};

// Every department and every profession, by name. Cheap: no headcounts.
Result<std::vector<NamedCode>> ListDepartmentNames(Database& db);
Result<std::vector<NamedCode>> ListProfessionNames(Database& db);

}  // namespace pathway::store
