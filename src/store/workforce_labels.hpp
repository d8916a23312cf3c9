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
#include "domain/workforce_labels.hpp"
#include "store/database.hpp"

namespace pathway::store {

// The value types these functions take and answer live in domain/workforce_labels.hpp.
using domain::ItemLabel;
using domain::NamedCode;
using domain::PersonLabel;

// The people with these ids, by id; ids with no person are left out (not an error).
Result<std::unordered_map<std::int64_t, PersonLabel>> FindPersonLabels(
    Database& db, std::span<const std::int64_t> ids);

// Every framework item the workforce refers to (item_ref), by title then id.
Result<std::vector<ItemLabel>> ListItemLabels(Database& db);

// Every department and every profession, by name. Cheap: no headcounts.
Result<std::vector<NamedCode>> ListDepartmentNames(Database& db);
Result<std::vector<NamedCode>> ListProfessionNames(Database& db);

}  // namespace pathway::store
