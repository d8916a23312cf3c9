// What changed between two versions of a framework, item by item, matched by the
// stable ids that survive new versions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "domain/framework.hpp"

namespace pathway::domain {

enum class ChangeKind { kAdded, kRemoved, kChanged };

struct IndicatorChange {
  ChangeKind kind = ChangeKind::kAdded;
  IndicatorKind polarity = IndicatorKind::kEffective;
  std::string before;             // empty when added
  std::string after;              // empty when removed
  std::vector<std::string> tags;  // of the newer text (or the removed one)
  int level = 0;  // the level it illustrates (newer, or the removed one's); 0: every level
};

struct ItemDiff {
  ChangeKind kind = ChangeKind::kChanged;
  std::string item_id;
  std::string title;    // the newer title (or the removed one)
  std::string cluster;  // the cluster's title, newer version
  bool title_changed = false;
  bool description_changed = false;
  std::vector<int> levels_changed;  // level numbers added, removed or reworded
  std::vector<IndicatorChange> indicators;
};

struct FrameworkDiff {
  bool title_changed = false;
  bool description_changed = false;
  bool grade_map_changed = false;
  bool rating_scale_changed = false;
  std::vector<std::string> clusters_added;    // titles
  std::vector<std::string> clusters_removed;  // titles
  // Clusters whose title changed, as {old title, new title}: the same cluster id, or a
  // new id holding items of a removed cluster (an import that renumbered it).
  std::vector<std::pair<std::string, std::string>> clusters_renamed;
  std::vector<ItemDiff> items;  // only items that differ, in newer order
  bool empty() const;
};

// Compares `from` with `to`. Items and indicators are matched by id; an indicator
// whose id is the same but whose text or tags differ is "changed".
FrameworkDiff DiffFrameworks(const Framework& from, const Framework& to);

}  // namespace pathway::domain
