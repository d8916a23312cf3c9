#include "domain/framework_edit.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pathway::domain {
namespace {

Indicator Ind(std::string id, IndicatorKind kind) {
  Indicator indicator;
  indicator.id = std::move(id);
  indicator.kind = kind;
  indicator.text = "text";
  return indicator;
}

Item ItemWith(std::string id, std::vector<Indicator> indicators = {}) {
  Item item;
  item.id = std::move(id);
  item.title = "title";
  item.indicators = std::move(indicators);
  return item;
}

// Two clusters: c1 holds i1 (indicators e1, n1, e2) and i2; c2 holds i3.
Framework Sample() {
  Framework f;
  f.kind = FrameworkKind::kCompetency;
  Cluster c1;
  c1.id = "c1";
  c1.items.push_back(
      ItemWith("i1", {Ind("e1", IndicatorKind::kEffective), Ind("n1", IndicatorKind::kIneffective),
                      Ind("e2", IndicatorKind::kEffective)}));
  c1.items.push_back(ItemWith("i2"));
  Cluster c2;
  c2.id = "c2";
  c2.items.push_back(ItemWith("i3"));
  f.clusters = {c1, c2};
  return f;
}

std::vector<std::string> ItemIds(const Cluster& cluster) {
  std::vector<std::string> ids;
  for (const auto& item : cluster.items) ids.push_back(item.id);
  return ids;
}

TEST(FrameworkEditTest, FindsClustersItemsAndIndicatorsByIdAndNothingElse) {
  const Framework f = Sample();
  EXPECT_EQ(FindCluster(f, "c2"), std::optional<std::size_t>(1));
  EXPECT_FALSE(FindCluster(f, "i1").has_value());
  const auto item = FindItem(f, "i3");
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->cluster, 1u);
  EXPECT_EQ(item->index, 0u);
  EXPECT_FALSE(FindItem(f, "c1").has_value());
  const auto indicator = FindIndicator(f, "e2");
  ASSERT_TRUE(indicator.has_value());
  EXPECT_EQ(indicator->cluster, 0u);
  EXPECT_EQ(indicator->item, 0u);
  EXPECT_EQ(indicator->index, 2u);
  EXPECT_FALSE(FindIndicator(f, "missing").has_value());
  EXPECT_FALSE(FindIndicator(f, "").has_value());
}

TEST(FrameworkEditTest, GoneAndAtEndAreConflictsOnTheDraftStatus) {
  const Error gone = Gone("cluster");
  EXPECT_EQ(gone.code, ErrorCode::kConflict);
  EXPECT_EQ(gone.field, kDraftStatusField);
  EXPECT_EQ(gone.message,
            "The cluster you chose is no longer in this draft. It may have been deleted. The "
            "draft is shown as it is now.");
  EXPECT_EQ(AtEnd("indicator", true).message, "The indicator is already first");
  EXPECT_EQ(AtEnd("indicator", false).message, "The indicator is already last");
  EXPECT_EQ(AtEnd("indicator", false).field, kDraftStatusField);
}

TEST(FrameworkEditTest, MoveIndicatorSwapsWithTheNearestOfTheSameKind) {
  Framework f = Sample();
  Item& item = f.clusters[0].items[0];
  ASSERT_TRUE(MoveIndicator(item, 2, true).ok());  // e2 jumps over n1 to before e1
  EXPECT_EQ(item.indicators[0].id, "e2");
  EXPECT_EQ(item.indicators[1].id, "n1");
  EXPECT_EQ(item.indicators[2].id, "e1");
  ASSERT_TRUE(MoveIndicator(item, 0, false).ok());
  EXPECT_EQ(item.indicators[0].id, "e1");
  EXPECT_EQ(item.indicators[2].id, "e2");
}

TEST(FrameworkEditTest, MoveIndicatorRefusesPastEitherEndOfItsKind) {
  Framework f = Sample();
  Item& item = f.clusters[0].items[0];
  const Status first = MoveIndicator(item, 0, true);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().message, "The indicator is already first");
  // n1 is the only ineffective indicator: it can go neither way.
  EXPECT_FALSE(MoveIndicator(item, 1, true).ok());
  const Status last = MoveIndicator(item, 1, false);
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().message, "The indicator is already last");
  EXPECT_EQ(item.indicators[0].id, "e1");
  EXPECT_EQ(item.indicators[1].id, "n1");
  EXPECT_EQ(item.indicators[2].id, "e2");
}

TEST(FrameworkEditTest, MoveItemSwapsWithinAClusterAndCrossesIntoTheNext) {
  Framework f = Sample();
  ASSERT_TRUE(MoveItem(f, ItemAt{0, 0}, false).ok());
  EXPECT_EQ(ItemIds(f.clusters[0]), (std::vector<std::string>{"i2", "i1"}));
  // The last item of c1 moving down becomes the first of c2.
  ASSERT_TRUE(MoveItem(f, ItemAt{0, 1}, false).ok());
  EXPECT_EQ(ItemIds(f.clusters[0]), (std::vector<std::string>{"i2"}));
  EXPECT_EQ(ItemIds(f.clusters[1]), (std::vector<std::string>{"i1", "i3"}));
  // The first item of c2 moving up becomes the last of c1.
  ASSERT_TRUE(MoveItem(f, ItemAt{1, 0}, true).ok());
  EXPECT_EQ(ItemIds(f.clusters[0]), (std::vector<std::string>{"i2", "i1"}));
  EXPECT_EQ(ItemIds(f.clusters[1]), (std::vector<std::string>{"i3"}));
}

TEST(FrameworkEditTest, MoveItemRefusesPastEitherEndOfTheFrameworkNamingTheNoun) {
  Framework f = Sample();
  const Status up = MoveItem(f, ItemAt{0, 0}, true);
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().message, "The competency is already first");
  EXPECT_EQ(up.error().code, ErrorCode::kConflict);
  f.kind = FrameworkKind::kTechnical;
  const Status down = MoveItem(f, ItemAt{1, 0}, false);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().message,
            std::string("The ") + std::string(ItemNoun(f.kind)) + " is already last");
  EXPECT_EQ(ItemIds(f.clusters[0]), (std::vector<std::string>{"i1", "i2"}));
  EXPECT_EQ(ItemIds(f.clusters[1]), (std::vector<std::string>{"i3"}));
}

TEST(FrameworkEditTest, RenumberOrdersClustersAndIndicatorsPerKind) {
  Framework f = Sample();
  f.clusters[0].order = 7;
  f.clusters[1].order = 7;
  Renumber(f);
  EXPECT_EQ(f.clusters[0].order, 1);
  EXPECT_EQ(f.clusters[1].order, 2);
  const auto& indicators = f.clusters[0].items[0].indicators;
  EXPECT_EQ(indicators[0].order, 1);  // e1
  EXPECT_EQ(indicators[1].order, 1);  // n1: first of its kind
  EXPECT_EQ(indicators[2].order, 2);  // e2
}

TEST(FrameworkEditTest, ClusterOperationsAddEditMoveAndRemove) {
  Framework f = Sample();
  ASSERT_TRUE(AddCluster(f, "c3", ClusterText{"Third", "Sub", "About"}).ok());
  ASSERT_EQ(f.clusters.size(), 3u);
  EXPECT_EQ(f.clusters[2].id, "c3");
  EXPECT_EQ(f.clusters[2].subtitle, "Sub");
  ASSERT_TRUE(EditCluster(f, "c3", ClusterText{"New", "", "Text"}).ok());
  EXPECT_EQ(f.clusters[2].title, "New");
  EXPECT_EQ(f.clusters[2].description, "Text");
  ASSERT_TRUE(MoveCluster(f, "c3", true).ok());
  EXPECT_EQ(f.clusters[1].id, "c3");
  ASSERT_TRUE(RemoveCluster(f, "c3").ok());
  ASSERT_EQ(f.clusters.size(), 2u);
  EXPECT_EQ(f.clusters[1].id, "c2");
}

TEST(FrameworkEditTest, ClusterOperationsRefuseMissingEndsAndClustersWithItems) {
  Framework f = Sample();
  for (const Status& gone :
       {EditCluster(f, "nope", ClusterText{"T", "", ""}), MoveCluster(f, "nope", true),
        RemoveCluster(f, "nope"), AddItem(f, "nope", "i9", ItemText{0, "T", ""})}) {
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, ErrorCode::kConflict);
    EXPECT_EQ(gone.error().message, Gone("cluster").message);
  }
  EXPECT_EQ(MoveCluster(f, "c1", true).error().message, "The cluster is already first");
  EXPECT_EQ(MoveCluster(f, "c2", false).error().message, "The cluster is already last");
  f.clusters[0].title = "Strategic";
  const Status full = RemoveCluster(f, "c1");
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(full.error().field, "cluster-c1");
  EXPECT_EQ(full.error().message,
            "Delete or move the competencies ‘Strategic’ holds before deleting it");
  const Status one = RemoveCluster(f, "c2");
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.error().message, "Delete or move the competency ‘’ holds before deleting it");
  EXPECT_EQ(f.clusters.size(), 2u);
}

TEST(FrameworkEditTest, ItemOperationsAddEditMoveAndRemove) {
  Framework f = Sample();
  ASSERT_TRUE(AddItem(f, "c2", "i4", ItemText{4, "Fourth", "About"}).ok());
  ASSERT_EQ(ItemIds(f.clusters[1]), (std::vector<std::string>{"i3", "i4"}));
  EXPECT_EQ(f.clusters[1].items[1].number, 4);
  ASSERT_TRUE(EditItem(f, "i4", ItemText{5, "Fifth", ""}).ok());
  EXPECT_EQ(f.clusters[1].items[1].title, "Fifth");
  EXPECT_EQ(f.clusters[1].items[1].number, 5);
  ASSERT_TRUE(MoveItem(f, std::string_view("i4"), true).ok());
  EXPECT_EQ(ItemIds(f.clusters[1]), (std::vector<std::string>{"i4", "i3"}));
  ASSERT_TRUE(RemoveItem(f, "i4").ok());
  EXPECT_EQ(ItemIds(f.clusters[1]), (std::vector<std::string>{"i3"}));
  EXPECT_EQ(MoveItem(f, std::string_view("i3"), false).error().message,
            "The competency is already last");
  for (const Status& gone :
       {EditItem(f, "i4", ItemText{}), MoveItem(f, std::string_view("i4"), true),
        RemoveItem(f, "i4"), AddLevel(f, "i4", LevelDescriptor{1, "", ""}),
        AddIndicator(f, "i4", "e9", IndicatorText{})}) {
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().message, Gone("competency").message);
  }
}

TEST(FrameworkEditTest, LevelsStayInOrderGetADefaultLabelAndAreNotDescribedTwice) {
  Framework f = Sample();
  f.clusters[0].items[0].title = "Seeing";
  ASSERT_TRUE(AddLevel(f, "i1", LevelDescriptor{3, "Expert", ""}).ok());
  ASSERT_TRUE(AddLevel(f, "i1", LevelDescriptor{1, "", "Basics"}).ok());
  const auto& levels = f.clusters[0].items[0].levels;
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0].level, 1);
  EXPECT_EQ(levels[0].label, "Level 1");
  EXPECT_EQ(levels[1].label, "Expert");
  const Status twice = AddLevel(f, "i1", LevelDescriptor{3, "Again", ""});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().field, "level");
  EXPECT_EQ(twice.error().message, "Level 3 of ‘Seeing’ is already described: edit it instead");
  EXPECT_FALSE(CheckNewLevel(f.clusters[0].items[0], 1).ok());
  EXPECT_TRUE(CheckNewLevel(f.clusters[0].items[0], 2).ok());
  ASSERT_TRUE(EditLevel(f, "i1", 3, "", "Deep").ok());
  EXPECT_EQ(levels[1].label, "Level 3");
  EXPECT_EQ(levels[1].description, "Deep");
  EXPECT_EQ(EditLevel(f, "i1", 2, "x", "").error().message, Gone("level").message);
  EXPECT_EQ(EditLevel(f, "nope", 1, "x", "").error().message, Gone("level").message);
  EXPECT_EQ(RemoveLevel(f, "i1", 2).error().message, Gone("level").message);
  ASSERT_TRUE(RemoveLevel(f, "i1", 1).ok());
  ASSERT_TRUE(RemoveLevel(f, "i1", 3).ok());  // the last level may go too
  EXPECT_TRUE(levels.empty());
}

TEST(FrameworkEditTest, IndicatorOperationsAddEditMoveAndRemove) {
  Framework f = Sample();
  ASSERT_TRUE(
      AddIndicator(f, "i2", "e9", IndicatorText{IndicatorKind::kEffective, "Does", 2, {"x"}}).ok());
  const auto& indicators = f.clusters[0].items[1].indicators;
  ASSERT_EQ(indicators.size(), 1u);
  EXPECT_EQ(indicators[0].id, "e9");
  EXPECT_EQ(indicators[0].level, 2);
  EXPECT_EQ(indicators[0].tags, (std::vector<std::string>{"x"}));
  ASSERT_TRUE(
      EditIndicator(f, "e9", IndicatorText{IndicatorKind::kIneffective, "Does not", 0, {}}).ok());
  EXPECT_EQ(indicators[0].id, "e9");
  EXPECT_EQ(indicators[0].kind, IndicatorKind::kIneffective);
  EXPECT_EQ(indicators[0].text, "Does not");
  EXPECT_TRUE(indicators[0].tags.empty());
  EXPECT_EQ(MoveIndicator(f, std::string_view("e9"), true).error().message,
            "The indicator is already first");
  ASSERT_TRUE(MoveIndicator(f, std::string_view("e1"), false).ok());
  EXPECT_EQ(f.clusters[0].items[0].indicators[2].id, "e1");
  ASSERT_TRUE(RemoveIndicator(f, "e9").ok());
  EXPECT_TRUE(indicators.empty());
  for (const Status& gone :
       {EditIndicator(f, "e9", IndicatorText{}), MoveIndicator(f, std::string_view("e9"), false),
        RemoveIndicator(f, "e9")}) {
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().message, Gone("indicator").message);
  }
}

}  // namespace
}  // namespace pathway::domain
