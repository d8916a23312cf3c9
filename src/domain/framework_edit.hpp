#pragma once

// Rules for editing a draft framework in place: finding a cluster, item or indicator by
// id, moving items and indicators, and keeping the `order` fields as authors see them.
// Pure functions over domain::Framework; the web editor parses forms into typed values
// and calls these inside FrameworkService::EditDraft.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/framework.hpp"
#include "domain/result.hpp"

namespace pathway::domain {

// The field that refusals about the draft as a whole name (the editor shows it above
// the draft).
inline constexpr std::string_view kDraftStatusField = "draft-status";

struct ItemAt {
  std::size_t cluster = 0;
  std::size_t index = 0;
};

struct IndicatorAt {
  std::size_t cluster = 0;
  std::size_t item = 0;
  std::size_t index = 0;
};

// Positions of the first cluster / item / indicator with `id`, or nullopt.
std::optional<std::size_t> FindCluster(const Framework& f, std::string_view id);
std::optional<ItemAt> FindItem(const Framework& f, std::string_view id);
std::optional<IndicatorAt> FindIndicator(const Framework& f, std::string_view id);

// A conflict on kDraftStatusField: the `what` an edit aims at is no longer in the draft
// (deleted in another tab, or by another author).
Error Gone(std::string_view what);

// A conflict on kDraftStatusField: the `what` is already first (up) or last.
Error AtEnd(std::string_view what, bool up);

// Swaps item.indicators[index] with its nearest neighbour of the same kind above (up) or
// below; AtEnd("indicator", up) when there is none. Precondition: index is in range.
Status MoveIndicator(Item& item, std::size_t index, bool up);

// Moves the item at `at` past its neighbour; at either end of its cluster, to the end of
// the previous cluster (up) or the start of the next one; AtEnd(ItemNoun(f.kind), up) at
// either end of the framework. Precondition: `at` is in range.
Status MoveItem(Framework& f, ItemAt at, bool up);

// What an author writes about a cluster, an item or an indicator, already checked for
// the form's own rules (required, length, characters).
struct ClusterText {
  std::string title, subtitle, description;
};
struct ItemText {
  int number = 0;
  std::string title, description;
};
struct IndicatorText {
  IndicatorKind kind = IndicatorKind::kEffective;
  std::string text;
  int level = 0;
  std::vector<std::string> tags;
};

// "competency" / "competencies", "skill" / "skills": ItemNoun(kind) for n items.
std::string ItemsNoun(FrameworkKind kind, std::size_t n);

// The position of the item's descriptor for `level`, or nullopt.
std::optional<std::size_t> FindLevel(const Item& item, int level);

// Every operation below either changes `f` as it says and returns Ok, or returns the
// error and leaves `f` as it was. An id that is not in the draft gives Gone(what) with
// what = "cluster", ItemNoun(f.kind) (items, and the item a level or indicator is added
// to), "level" or "indicator".

// Clusters. Adds at the end with `id`.
Status AddCluster(Framework& f, std::string id, ClusterText text);
Status EditCluster(Framework& f, std::string_view id, ClusterText text);
// Swaps with the previous (up) or next cluster; AtEnd("cluster", up) at either end.
Status MoveCluster(Framework& f, std::string_view id, bool up);
// Refuses, naming the field "cluster-<id>", while the cluster holds items.
Status RemoveCluster(Framework& f, std::string_view id);

// Items. Adds at the end of the cluster with `id`.
Status AddItem(Framework& f, std::string_view cluster_id, std::string id, ItemText text);
Status EditItem(Framework& f, std::string_view id, ItemText text);
// MoveItem above, by id.
Status MoveItem(Framework& f, std::string_view id, bool up);
Status RemoveItem(Framework& f, std::string_view id);
// Sets the items of earlier versions that the item replaces, from `text`: identifiers
// separated by white space or commas (empty: none). InvalidInput on "replaces" for an
// identifier that is not a UUID, the item itself or another item of this draft (whose
// ratings stay with it), or one named twice.
Status SetReplacements(Framework& f, std::string_view id, std::string_view text);

// Level descriptors, kept in order of their numbers; an empty label becomes "Level N".
// InvalidInput on "level" when the item already describes level.level.
Status CheckNewLevel(const Item& item, int level);
Status AddLevel(Framework& f, std::string_view item_id, LevelDescriptor level);
Status EditLevel(Framework& f, std::string_view item_id, int level, std::string label,
                 std::string description);
Status RemoveLevel(Framework& f, std::string_view item_id, int level);

// Indicators. Adds at the end of the item's indicators with `id`.
Status AddIndicator(Framework& f, std::string_view item_id, std::string id, IndicatorText text);
Status EditIndicator(Framework& f, std::string_view id, IndicatorText text);
// MoveIndicator above, by id.
Status MoveIndicator(Framework& f, std::string_view id, bool up);
Status RemoveIndicator(Framework& f, std::string_view id);

// Sets the `order` fields as the editor shows them: clusters 1.. in the framework,
// indicators 1.. among the item's indicators of the same kind.
void Renumber(Framework& f);

}  // namespace pathway::domain
