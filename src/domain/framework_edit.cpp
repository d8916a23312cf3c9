#include "domain/framework_edit.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "domain/text.hpp"

namespace pathway::domain {
namespace {

std::string Quoted(std::string_view text) { return std::string("‘").append(text).append("’"); }

std::string LevelLabel(std::string label, int level) {
  return label.empty() ? fmt::format("Level {}", level) : std::move(label);
}

}  // namespace

std::optional<std::size_t> FindCluster(const Framework& f, std::string_view id) {
  for (std::size_t c = 0; c < f.clusters.size(); ++c) {
    if (f.clusters[c].id == id) return c;
  }
  return std::nullopt;
}

std::optional<ItemAt> FindItem(const Framework& f, std::string_view id) {
  for (std::size_t c = 0; c < f.clusters.size(); ++c) {
    const auto& items = f.clusters[c].items;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].id == id) return ItemAt{c, i};
    }
  }
  return std::nullopt;
}

std::optional<IndicatorAt> FindIndicator(const Framework& f, std::string_view id) {
  for (std::size_t c = 0; c < f.clusters.size(); ++c) {
    const auto& items = f.clusters[c].items;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& indicators = items[i].indicators;
      for (std::size_t n = 0; n < indicators.size(); ++n) {
        if (indicators[n].id == id) return IndicatorAt{c, i, n};
      }
    }
  }
  return std::nullopt;
}

Error Gone(std::string_view what) {
  return Error{ErrorCode::kConflict, std::string(kDraftStatusField),
               fmt::format("The {} you chose is no longer in this draft. It may have been "
                           "deleted. The draft is shown as it is now.",
                           what)};
}

Error AtEnd(std::string_view what, bool up) {
  return Error{ErrorCode::kConflict, std::string(kDraftStatusField),
               fmt::format("The {} is already {}", what, up ? "first" : "last")};
}

Status MoveIndicator(Item& item, std::size_t index, bool up) {
  const auto kind = item.indicators[index].kind;
  std::optional<std::size_t> other;
  if (up) {
    for (std::size_t n = index; n-- > 0;) {
      if (item.indicators[n].kind == kind) {
        other = n;
        break;
      }
    }
  } else {
    for (std::size_t n = index + 1; n < item.indicators.size(); ++n) {
      if (item.indicators[n].kind == kind) {
        other = n;
        break;
      }
    }
  }
  if (!other) return AtEnd("indicator", up);
  std::swap(item.indicators[index], item.indicators[*other]);
  return Ok{};
}

Status MoveItem(Framework& f, ItemAt at, bool up) {
  auto& items = f.clusters[at.cluster].items;
  if (up && at.index > 0) {
    std::swap(items[at.index], items[at.index - 1]);
  } else if (!up && at.index + 1 < items.size()) {
    std::swap(items[at.index], items[at.index + 1]);
  } else if (up && at.cluster > 0) {
    Item item = std::move(items[at.index]);
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(at.index));
    f.clusters[at.cluster - 1].items.push_back(std::move(item));
  } else if (!up && at.cluster + 1 < f.clusters.size()) {
    Item item = std::move(items[at.index]);
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(at.index));
    auto& next = f.clusters[at.cluster + 1].items;
    next.insert(next.begin(), std::move(item));
  } else {
    return AtEnd(ItemNoun(f.kind), up);
  }
  return Ok{};
}

std::string ItemsNoun(FrameworkKind kind, std::size_t n) {
  const std::string noun(ItemNoun(kind));
  if (n == 1) return noun;
  return noun == "competency" ? "competencies" : noun + "s";
}

std::optional<std::size_t> FindLevel(const Item& item, int level) {
  for (std::size_t n = 0; n < item.levels.size(); ++n) {
    if (item.levels[n].level == level) return n;
  }
  return std::nullopt;
}

Status AddCluster(Framework& f, std::string id, ClusterText text) {
  Cluster cluster;
  cluster.id = std::move(id);
  cluster.title = std::move(text.title);
  cluster.subtitle = std::move(text.subtitle);
  cluster.description = std::move(text.description);
  f.clusters.push_back(std::move(cluster));
  return Ok{};
}

Status EditCluster(Framework& f, std::string_view id, ClusterText text) {
  const auto c = FindCluster(f, id);
  if (!c) return Gone("cluster");
  auto& cluster = f.clusters[*c];
  cluster.title = std::move(text.title);
  cluster.subtitle = std::move(text.subtitle);
  cluster.description = std::move(text.description);
  return Ok{};
}

Status MoveCluster(Framework& f, std::string_view id, bool up) {
  const auto c = FindCluster(f, id);
  if (!c) return Gone("cluster");
  if (up ? *c == 0 : *c + 1 >= f.clusters.size()) return AtEnd("cluster", up);
  std::swap(f.clusters[*c], f.clusters[up ? *c - 1 : *c + 1]);
  return Ok{};
}

Status RemoveCluster(Framework& f, std::string_view id) {
  const auto c = FindCluster(f, id);
  if (!c) return Gone("cluster");
  const auto& cluster = f.clusters[*c];
  if (!cluster.items.empty()) {
    return Error::InvalidInput(
        "cluster-" + cluster.id,
        fmt::format("Delete or move the {} {} holds before deleting it",
                    ItemsNoun(f.kind, cluster.items.size()), Quoted(cluster.title)));
  }
  f.clusters.erase(f.clusters.begin() + static_cast<std::ptrdiff_t>(*c));
  return Ok{};
}

Status AddItem(Framework& f, std::string_view cluster_id, std::string id, ItemText text) {
  const auto c = FindCluster(f, cluster_id);
  if (!c) return Gone("cluster");
  Item item;
  item.id = std::move(id);
  item.number = text.number;
  item.title = std::move(text.title);
  item.description = std::move(text.description);
  f.clusters[*c].items.push_back(std::move(item));
  return Ok{};
}

Status EditItem(Framework& f, std::string_view id, ItemText text) {
  const auto at = FindItem(f, id);
  if (!at) return Gone(ItemNoun(f.kind));
  auto& item = f.clusters[at->cluster].items[at->index];
  item.number = text.number;
  item.title = std::move(text.title);
  item.description = std::move(text.description);
  return Ok{};
}

Status SetReplacements(Framework& f, std::string_view id, std::string_view text) {
  const auto at = FindItem(f, id);
  if (!at) return Gone(ItemNoun(f.kind));
  std::vector<std::string> ids;
  std::string current;
  auto flush = [&]() -> Status {
    if (current.empty()) return Ok{};
    std::string lower = Lower(current);
    current.clear();
    if (!ValidUuid(lower)) {
      return Error::InvalidInput("replaces", "Enter each replaced item by its identifier, a UUID");
    }
    if (std::find(ids.begin(), ids.end(), lower) != ids.end()) {
      return Error::InvalidInput("replaces", "Name each replaced item once");
    }
    for (const auto& cluster : f.clusters) {
      if (cluster.id == lower) {
        return Error::InvalidInput("replaces", "A cluster cannot be replaced by an item");
      }
      for (const auto& item : cluster.items) {
        if (item.id == lower) {
          return Error::InvalidInput(
              "replaces", "An item still in this draft cannot be replaced: its ratings stay with it");
        }
      }
    }
    ids.push_back(std::move(lower));
    return Ok{};
  };
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '\n' || c == '\r' || c == '\t') {
      PATHWAY_TRY(flush());
    } else {
      current.push_back(c);
    }
  }
  PATHWAY_TRY(flush());
  if (ids.size() > 20) return Error::InvalidInput("replaces", "Name 20 replaced items or fewer");
  f.clusters[at->cluster].items[at->index].replaces = std::move(ids);
  return Ok{};
}

Status MoveItem(Framework& f, std::string_view id, bool up) {
  const auto at = FindItem(f, id);
  if (!at) return Gone(ItemNoun(f.kind));
  return MoveItem(f, *at, up);
}

Status RemoveItem(Framework& f, std::string_view id) {
  const auto at = FindItem(f, id);
  if (!at) return Gone(ItemNoun(f.kind));
  auto& items = f.clusters[at->cluster].items;
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(at->index));
  return Ok{};
}

Status CheckNewLevel(const Item& item, int level) {
  if (FindLevel(item, level)) {
    return Error::InvalidInput(
        "level", fmt::format("Level {} of {} is already described: edit it instead", level,
                             Quoted(item.title)));
  }
  return Ok{};
}

Status AddLevel(Framework& f, std::string_view item_id, LevelDescriptor level) {
  const auto at = FindItem(f, item_id);
  if (!at) return Gone(ItemNoun(f.kind));
  auto& item = f.clusters[at->cluster].items[at->index];
  PATHWAY_TRY(CheckNewLevel(item, level.level));
  level.label = LevelLabel(std::move(level.label), level.level);
  const auto place = std::find_if(item.levels.begin(), item.levels.end(),
                                  [&](const auto& other) { return other.level > level.level; });
  item.levels.insert(place, std::move(level));
  return Ok{};
}

Status EditLevel(Framework& f, std::string_view item_id, int level, std::string label,
                 std::string description) {
  const auto at = FindItem(f, item_id);
  if (!at) return Gone("level");
  auto& item = f.clusters[at->cluster].items[at->index];
  const auto n = FindLevel(item, level);
  if (!n) return Gone("level");
  item.levels[*n].label = LevelLabel(std::move(label), level);
  item.levels[*n].description = std::move(description);
  return Ok{};
}

Status RemoveLevel(Framework& f, std::string_view item_id, int level) {
  const auto at = FindItem(f, item_id);
  if (!at) return Gone("level");
  auto& item = f.clusters[at->cluster].items[at->index];
  const auto n = FindLevel(item, level);
  if (!n) return Gone("level");
  item.levels.erase(item.levels.begin() + static_cast<std::ptrdiff_t>(*n));
  return Ok{};
}

Status AddIndicator(Framework& f, std::string_view item_id, std::string id, IndicatorText text) {
  const auto at = FindItem(f, item_id);
  if (!at) return Gone(ItemNoun(f.kind));
  Indicator indicator;
  indicator.id = std::move(id);
  indicator.kind = text.kind;
  indicator.text = std::move(text.text);
  indicator.level = text.level;
  indicator.tags = std::move(text.tags);
  f.clusters[at->cluster].items[at->index].indicators.push_back(std::move(indicator));
  return Ok{};
}

Status EditIndicator(Framework& f, std::string_view id, IndicatorText text) {
  const auto at = FindIndicator(f, id);
  if (!at) return Gone("indicator");
  auto& indicator = f.clusters[at->cluster].items[at->item].indicators[at->index];
  indicator.kind = text.kind;
  indicator.text = std::move(text.text);
  indicator.level = text.level;
  indicator.tags = std::move(text.tags);
  return Ok{};
}

Status MoveIndicator(Framework& f, std::string_view id, bool up) {
  const auto at = FindIndicator(f, id);
  if (!at) return Gone("indicator");
  return MoveIndicator(f.clusters[at->cluster].items[at->item], at->index, up);
}

Status RemoveIndicator(Framework& f, std::string_view id) {
  const auto at = FindIndicator(f, id);
  if (!at) return Gone("indicator");
  auto& indicators = f.clusters[at->cluster].items[at->item].indicators;
  indicators.erase(indicators.begin() + static_cast<std::ptrdiff_t>(at->index));
  return Ok{};
}

void Renumber(Framework& f) {
  for (std::size_t c = 0; c < f.clusters.size(); ++c) {
    f.clusters[c].order = static_cast<int>(c + 1);
    for (auto& item : f.clusters[c].items) {
      std::array<int, 2> counts{};
      for (auto& indicator : item.indicators) {
        indicator.order = ++counts[static_cast<int>(indicator.kind)];
      }
    }
  }
}

}  // namespace pathway::domain
