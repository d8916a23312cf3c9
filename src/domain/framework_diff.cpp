#include "domain/framework_diff.hpp"

#include <algorithm>
#include <map>

namespace pathway::domain {
namespace {

struct Located {
  const Item* item;
  const Cluster* cluster;
};

std::map<std::string, Located> ItemsById(const Framework& f) {
  std::map<std::string, Located> items;
  for (const auto& cluster : f.clusters) {
    for (const auto& item : cluster.items) items[item.id] = {&item, &cluster};
  }
  return items;
}

bool SameLevels(const LevelDescriptor& a, const LevelDescriptor& b) {
  return a.label == b.label && a.description == b.description;
}

bool SameScale(const std::vector<ScalePoint>& a, const std::vector<ScalePoint>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].value != b[i].value || a[i].label != b[i].label ||
        a[i].description != b[i].description) {
      return false;
    }
  }
  return true;
}

ItemDiff CompareItems(const Item& before, const Item& after, const std::string& cluster) {
  ItemDiff diff;
  diff.kind = ChangeKind::kChanged;
  diff.item_id = after.id;
  diff.title = after.title;
  diff.cluster = cluster;
  diff.title_changed = before.title != after.title;
  diff.description_changed = before.description != after.description;
  std::map<int, const LevelDescriptor*> old_levels;
  for (const auto& level : before.levels) old_levels[level.level] = &level;
  for (const auto& level : after.levels) {
    auto it = old_levels.find(level.level);
    if (it == old_levels.end() || !SameLevels(*it->second, level)) {
      diff.levels_changed.push_back(level.level);
    }
    if (it != old_levels.end()) old_levels.erase(it);
  }
  for (const auto& [number, level] : old_levels) diff.levels_changed.push_back(number);
  std::map<std::string, const Indicator*> old_indicators;
  for (const auto& indicator : before.indicators) old_indicators[indicator.id] = &indicator;
  for (const auto& indicator : after.indicators) {
    auto it = old_indicators.find(indicator.id);
    if (it == old_indicators.end()) {
      diff.indicators.push_back({ChangeKind::kAdded, indicator.kind, "", indicator.text,
                                 indicator.tags, indicator.level});
      continue;
    }
    const Indicator& old = *it->second;
    if (old.text != indicator.text || old.tags != indicator.tags || old.kind != indicator.kind ||
        old.level != indicator.level) {
      diff.indicators.push_back({ChangeKind::kChanged, indicator.kind, old.text, indicator.text,
                                 indicator.tags, indicator.level});
    }
    old_indicators.erase(it);
  }
  for (const auto& indicator : before.indicators) {
    if (old_indicators.contains(indicator.id)) {
      diff.indicators.push_back({ChangeKind::kRemoved, indicator.kind, indicator.text, "",
                                 indicator.tags, indicator.level});
    }
  }
  return diff;
}

bool Differs(const ItemDiff& diff) {
  return diff.title_changed || diff.description_changed || !diff.levels_changed.empty() ||
         !diff.indicators.empty();
}

}  // namespace

bool FrameworkDiff::empty() const {
  return !title_changed && !description_changed && !grade_map_changed && !rating_scale_changed &&
         clusters_added.empty() && clusters_removed.empty() && clusters_renamed.empty() &&
         items.empty();
}

FrameworkDiff DiffFrameworks(const Framework& from, const Framework& to) {
  FrameworkDiff diff;
  diff.title_changed = from.title != to.title;
  diff.description_changed = from.description != to.description;
  diff.grade_map_changed = from.grade_levels != to.grade_levels;
  diff.rating_scale_changed = !SameScale(from.rating_scale, to.rating_scale);
  std::map<std::string, const Cluster*> old_clusters;
  for (const auto& cluster : from.clusters) old_clusters[cluster.id] = &cluster;
  std::vector<const Cluster*> added;
  for (const auto& cluster : to.clusters) {
    const auto old = old_clusters.find(cluster.id);
    if (old == old_clusters.end()) {
      added.push_back(&cluster);
      continue;
    }
    if (old->second->title != cluster.title) {
      diff.clusters_renamed.emplace_back(old->second->title, cluster.title);
    }
    old_clusters.erase(old);
  }
  // A new cluster that holds an item of a removed one is that cluster renamed.
  auto shares_an_item = [](const Cluster& a, const Cluster& b) {
    for (const auto& x : a.items) {
      for (const auto& y : b.items) {
        if (x.id == y.id) return true;
      }
    }
    return false;
  };
  for (const Cluster* cluster : added) {
    auto old = std::find_if(old_clusters.begin(), old_clusters.end(), [&](const auto& entry) {
      return shares_an_item(*entry.second, *cluster);
    });
    if (old == old_clusters.end()) {
      diff.clusters_added.push_back(cluster->title);
      continue;
    }
    if (old->second->title != cluster->title) {
      diff.clusters_renamed.emplace_back(old->second->title, cluster->title);
    }
    old_clusters.erase(old);
  }
  for (const auto& [id, cluster] : old_clusters) diff.clusters_removed.push_back(cluster->title);

  auto old_items = ItemsById(from);
  for (const auto& cluster : to.clusters) {
    for (const auto& item : cluster.items) {
      auto it = old_items.find(item.id);
      if (it == old_items.end()) {
        ItemDiff added;
        added.kind = ChangeKind::kAdded;
        added.item_id = item.id;
        added.title = item.title;
        added.cluster = cluster.title;
        for (const auto& indicator : item.indicators) {
          added.indicators.push_back({ChangeKind::kAdded, indicator.kind, "", indicator.text,
                                      indicator.tags, indicator.level});
        }
        diff.items.push_back(std::move(added));
        continue;
      }
      ItemDiff changed = CompareItems(*it->second.item, item, cluster.title);
      if (Differs(changed)) diff.items.push_back(std::move(changed));
      old_items.erase(it);
    }
  }
  for (const auto& cluster : from.clusters) {
    for (const auto& item : cluster.items) {
      if (!old_items.contains(item.id)) continue;
      ItemDiff removed;
      removed.kind = ChangeKind::kRemoved;
      removed.item_id = item.id;
      removed.title = item.title;
      removed.cluster = cluster.title;
      diff.items.push_back(std::move(removed));
    }
  }
  return diff;
}

}  // namespace pathway::domain
