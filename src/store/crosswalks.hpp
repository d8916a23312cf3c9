// Crosswalks between items of different frameworks (app/crosswalks.cpp), and the links
// CASE packages brought with their published versions, read together.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/crosswalk.hpp"
#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

using domain::Result;
using domain::Status;

struct CrosswalkRow {
  std::string id;
  std::string framework_id;
  std::string item_id;
  std::string item_title;  // from the newest version holding the item
  domain::CrosswalkKind kind = domain::CrosswalkKind::kSame;
  std::string target_framework_id;
  std::string target_framework_title;
  std::string target_item_id;
  std::string target_item_title;
  std::string notes;
  std::string created_at;
};

// The framework's crosswalks, by its item's title then the target's.
Result<std::vector<CrosswalkRow>> ListCrosswalks(Database& db, std::string_view framework_id);
Result<std::optional<CrosswalkRow>> FindCrosswalk(Database& db, std::string_view id);
Status InsertCrosswalk(Database& db, const CrosswalkRow& row, std::optional<std::int64_t> by,
                       std::string_view now);
Result<bool> DeleteCrosswalk(Database& db, std::string_view id);
Result<bool> CrosswalkExists(Database& db, std::string_view item_id,
                             std::string_view target_item_id);

// An item of any version of a framework: its framework and its title in the newest
// version holding it; nullopt when no version of any framework has it.
struct ItemOwner {
  std::string framework_id;
  std::string framework_title;
  std::string title;
  bool published = false;  // some published (not retired) version holds it
};
Result<std::optional<ItemOwner>> FindItemOwner(Database& db, std::string_view item_id);

// Every item linked to `item_id`, in either direction, by a crosswalk or by an
// association of a published version's CASE package, with the kind read from
// `item_id` to the other item (a link stored the other way round has broader and
// narrower swapped).
struct ItemLink {
  std::string item_id;
  domain::CrosswalkKind kind = domain::CrosswalkKind::kSame;
};
Result<std::vector<ItemLink>> LinkedItems(Database& db, std::string_view item_id);

}  // namespace pathway::store
