#include "domain/framework.hpp"
#include "domain/framework_diff.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace pathway::domain {
namespace {

TEST(FrameworkDiffTest, NamesARenamedClusterAsARenameNotARemovalAndAnAddition) {
  Framework from;
  Item item;
  item.id = "item-1";
  item.title = "Seeing the big picture";
  from.clusters = {{"cluster-1", "Set direction", "", "", 1, {item}},
                   {"cluster-2", "Deliver results", "", "", 2, {}}};
  Framework same_id = from;
  same_id.clusters[0].title = "Setting direction";
  auto diff = DiffFrameworks(from, same_id);
  EXPECT_TRUE(diff.clusters_added.empty());
  EXPECT_TRUE(diff.clusters_removed.empty());
  ASSERT_EQ(diff.clusters_renamed.size(), 1u);
  EXPECT_EQ(diff.clusters_renamed[0].first, "Set direction");
  EXPECT_EQ(diff.clusters_renamed[0].second, "Setting direction");
  EXPECT_FALSE(diff.empty());

  Framework new_id = same_id;
  new_id.clusters[0].id = "cluster-9";
  diff = DiffFrameworks(from, new_id);
  EXPECT_TRUE(diff.clusters_added.empty()) << "its items say it is the same cluster";
  EXPECT_TRUE(diff.clusters_removed.empty());
  ASSERT_EQ(diff.clusters_renamed.size(), 1u);

  Framework gone = from;
  gone.clusters.pop_back();
  diff = DiffFrameworks(from, gone);
  EXPECT_EQ(diff.clusters_removed, std::vector<std::string>{"Deliver results"});
  EXPECT_TRUE(diff.clusters_renamed.empty());
}

constexpr std::string_view kNamespace = "9dd74655-4b1f-4479-87b1-ede4f3540ed3";

TEST(FrameworkUuidTest, ValidUuidFollowsTheCasePattern) {
  EXPECT_TRUE(ValidUuid("9dd74655-4b1f-4479-87b1-ede4f3540ed3"));
  EXPECT_TRUE(ValidUuid("9bfbd73a-0bcc-870f-8ea4-344e5da12504"));  // version 8
  EXPECT_TRUE(ValidUuid("00000000-0000-0000-9000-000000000000"));  // variant 9
  EXPECT_TRUE(ValidUuid("00000000-0000-0000-a000-000000000000"));  // variant a
  EXPECT_TRUE(ValidUuid("00000000-0000-0000-b000-000000000000"));  // variant b

  EXPECT_FALSE(ValidUuid(""));
  EXPECT_FALSE(ValidUuid("9DD74655-4B1F-4479-87B1-EDE4F3540ED3"));    // upper case
  EXPECT_FALSE(ValidUuid("00000000-0000-0000-0000-000000000000"));    // nil: variant 0
  EXPECT_FALSE(ValidUuid("9dd74655-4b1f-4479-c7b1-ede4f3540ed3"));    // variant c
  EXPECT_FALSE(ValidUuid("9dd74655-4b1f-4479-77b1-ede4f3540ed3"));    // variant 7
  EXPECT_FALSE(ValidUuid("9dd746554b1f447987b1ede4f3540ed3"));        // no hyphens
  EXPECT_FALSE(ValidUuid("{9dd74655-4b1f-4479-87b1-ede4f3540ed3}"));  // braces
  EXPECT_FALSE(ValidUuid("9dd74655-4b1f-4479-87b1-ede4f3540ed"));     // short
  EXPECT_FALSE(ValidUuid("9dd74655-4b1f-4479-87b1-ede4f3540ed3 "));   // trailing space
  EXPECT_FALSE(ValidUuid("9dd74655_4b1f-4479-87b1-ede4f3540ed3"));    // wrong separator
  EXPECT_FALSE(ValidUuid("9dd74655-4b1f-4479-87b1-ede4f3540edg"));    // not hex
}

TEST(FrameworkUuidTest, NameBasedUuidIsBlake2bVersion8) {
  // Expected values computed independently with Python's hashlib.blake2b(digest_size=16)
  // over the namespace's bytes followed by the name, then version 8 and variant 10xx.
  EXPECT_EQ(NameBasedUuid(kNamespace, "Seeing the Big Picture"),
            "9bfbd73a-0bcc-870f-8ea4-344e5da12504");
  EXPECT_EQ(NameBasedUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8", ""),
            "9d52fd53-6d67-8452-94e7-ee65fe7eb3e6");
}

TEST(FrameworkUuidTest, NameBasedUuidIsStableAndDistinct) {
  const std::string first = NameBasedUuid(kNamespace, "Delivering at Pace");
  EXPECT_EQ(first, NameBasedUuid(kNamespace, "Delivering at Pace"));
  EXPECT_TRUE(ValidUuid(first));
  EXPECT_EQ(first[14], '8');

  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NameBasedUuid(kNamespace, "indicator " + std::to_string(i));
    ASSERT_TRUE(ValidUuid(id)) << id;
    ASSERT_EQ(id[14], '8') << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_NE(NameBasedUuid(kNamespace, "a"), NameBasedUuid(first, "a"));
}

TEST(FrameworkUuidTest, NameBasedUuidRejectsAnInvalidNamespace) {
  EXPECT_THROW(NameBasedUuid("not-a-uuid", "x"), std::invalid_argument);
  EXPECT_THROW(NameBasedUuid("9DD74655-4B1F-4479-87B1-EDE4F3540ED3", "x"), std::invalid_argument);
}

TEST(FrameworkUuidTest, RandomUuidSetsVersion4AndVariant) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(RandomUuid(bytes), "00010203-0405-4607-8809-0a0b0c0d0e0f");
  bytes.fill(0xFF);
  EXPECT_EQ(RandomUuid(bytes), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  EXPECT_TRUE(ValidUuid(RandomUuid(bytes)));
}

TEST(FrameworkModelTest, NamesRoundTrip) {
  for (FrameworkKind kind :
       {FrameworkKind::kCompetency, FrameworkKind::kBehaviours, FrameworkKind::kStrengths,
        FrameworkKind::kCareer, FrameworkKind::kTechnical}) {
    EXPECT_EQ(ParseFrameworkKind(FrameworkKindName(kind)), kind);
  }
  EXPECT_EQ(FrameworkKindName(FrameworkKind::kBehaviours), "behaviours");
  EXPECT_FALSE(ParseFrameworkKind("Competency").has_value());
  for (FrameworkStatus status :
       {FrameworkStatus::kDraft, FrameworkStatus::kPublished, FrameworkStatus::kRetired}) {
    EXPECT_EQ(ParseFrameworkStatus(FrameworkStatusName(status)), status);
  }
  EXPECT_FALSE(ParseFrameworkStatus("live").has_value());
  EXPECT_EQ(IndicatorKindName(IndicatorKind::kEffective), "effective");
  EXPECT_EQ(IndicatorKindName(IndicatorKind::kIneffective), "ineffective");
}

// A small valid framework: one cluster, two items, three indicators.
Framework SmallFramework() {
  Framework framework;
  framework.id = NameBasedUuid(kNamespace, "framework");
  framework.title = "Civil Service Competency Framework By Grade – SMS 1";
  framework.grade_levels[Grade::kSCS1] = 5;
  Cluster cluster;
  cluster.id = NameBasedUuid(framework.id, "cluster");
  cluster.title = "Strategic Cluster";
  cluster.subtitle = "Setting Direction";
  cluster.order = 1;
  for (int n = 1; n <= 2; ++n) {
    Item item;
    item.id = NameBasedUuid(framework.id, "item " + std::to_string(n));
    item.number = n;
    item.title = n == 1 ? "Seeing the Big Picture" : "Changing and Improving";
    item.levels.push_back({5, "SMS 1", ""});
    cluster.items.push_back(std::move(item));
  }
  auto add = [](Item& item, IndicatorKind kind, std::string text, int order) {
    Indicator indicator;
    indicator.id = NameBasedUuid(item.id, text);
    indicator.kind = kind;
    indicator.text = std::move(text);
    indicator.order = order;
    indicator.level = 5;
    item.indicators.push_back(std::move(indicator));
  };
  add(cluster.items[0], IndicatorKind::kEffective, "Anticipate and predict", 1);
  add(cluster.items[0], IndicatorKind::kIneffective, "Have limited insight", 1);
  add(cluster.items[1], IndicatorKind::kEffective, "Seek and encourage ideas", 1);
  framework.clusters.push_back(std::move(cluster));
  return framework;
}

std::vector<ValidationCode> Codes(const std::vector<ValidationProblem>& problems) {
  std::vector<ValidationCode> codes;
  for (const auto& problem : problems) codes.push_back(problem.code);
  return codes;
}

TEST(FrameworkModelTest, CountsAndLookups) {
  const Framework framework = SmallFramework();
  EXPECT_EQ(CountItems(framework), 2);
  EXPECT_EQ(CountIndicators(framework, IndicatorKind::kEffective), 2);
  EXPECT_EQ(CountIndicators(framework, IndicatorKind::kIneffective), 1);
  const Item* second = FindItemByNumber(framework, 2);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->title, "Changing and Improving");
  EXPECT_EQ(FindItemByNumber(framework, 3), nullptr);
  const auto effective =
      IndicatorsOfKind(framework.clusters[0].items[0], IndicatorKind::kEffective);
  ASSERT_EQ(effective.size(), 1u);
  EXPECT_EQ(effective[0]->text, "Anticipate and predict");
}

TEST(FrameworkValidationTest, AValidFrameworkHasNoProblems) {
  EXPECT_TRUE(ValidateFramework(SmallFramework()).empty());
  Framework published = SmallFramework();
  published.status = FrameworkStatus::kPublished;
  EXPECT_TRUE(ValidateFramework(published).empty());
}

TEST(FrameworkValidationTest, FindsEmptyTitlesAndTexts) {
  Framework framework = SmallFramework();
  framework.title = "  ";
  framework.clusters[0].title = "";
  framework.clusters[0].items[1].title = "\t";
  framework.clusters[0].items[0].indicators[1].text = "";
  const auto problems = ValidateFramework(framework);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].field, "title");
  EXPECT_EQ(problems[0].code, ValidationCode::kMissingTitle);
  EXPECT_EQ(problems[0].message, "Enter a title for the framework");
  EXPECT_EQ(problems[1].field, "clusters[0].title");
  EXPECT_EQ(problems[2].field, "clusters[0].items[0].indicators[1].text");
  EXPECT_EQ(problems[2].code, ValidationCode::kMissingText);
  EXPECT_EQ(problems[2].message,
            "Enter the text of ineffective indicator 1 of competency ‘Seeing the Big Picture’");
  EXPECT_EQ(problems[3].field, "clusters[0].items[1].title");
  EXPECT_EQ(problems[3].message, "Enter a title for competency 2 in cluster 1");
}

TEST(FrameworkValidationTest, FindsInvalidAndDuplicateIds) {
  Framework framework = SmallFramework();
  framework.clusters[0].items[1].id = framework.clusters[0].items[0].id;
  framework.clusters[0].items[0].indicators[0].id = "ABC";
  framework.clusters[0].id = "";
  const auto problems = ValidateFramework(framework);
  EXPECT_EQ(Codes(problems),
            (std::vector<ValidationCode>{ValidationCode::kInvalidId, ValidationCode::kInvalidId,
                                         ValidationCode::kDuplicateId}));
  EXPECT_EQ(problems[0].field, "clusters[0].id");
  EXPECT_EQ(problems[1].field, "clusters[0].items[0].indicators[0].id");
  EXPECT_EQ(problems[2].field, "clusters[0].items[1].id");
  EXPECT_EQ(problems[2].message,
            "The identifier of competency ‘Changing and Improving’ is already used by "
            "competency ‘Seeing the Big Picture’");
}

TEST(FrameworkValidationTest, FindsRepeatsAndOutOfRangeNumbers) {
  Framework framework = SmallFramework();
  framework.version = 0;
  framework.grade_levels[Grade::kSCS2] = 0;
  Item& first = framework.clusters[0].items[0];
  framework.clusters[0].items[1].number = 1;
  first.levels.push_back({5, "Level 5", ""});
  first.levels.push_back({0, "Level 0", ""});
  Indicator repeat = first.indicators[0];
  repeat.id = NameBasedUuid(first.id, "repeat");
  first.indicators.push_back(repeat);
  first.indicators[1].level = -1;
  EXPECT_EQ(Codes(ValidateFramework(framework)),
            (std::vector<ValidationCode>{
                ValidationCode::kInvalidVersion, ValidationCode::kInvalidLevel,
                ValidationCode::kDuplicateLevel, ValidationCode::kInvalidLevel,
                ValidationCode::kInvalidLevel, ValidationCode::kDuplicateIndicator,
                ValidationCode::kDuplicateNumber}));
}

TEST(FrameworkValidationTest, APublishedFrameworkNeedsItems) {
  Framework framework = SmallFramework();
  framework.clusters[0].items.clear();
  EXPECT_TRUE(ValidateFramework(framework).empty()) << "a draft may be empty";
  framework.status = FrameworkStatus::kPublished;
  framework.kind = FrameworkKind::kTechnical;
  const auto problems = ValidateFramework(framework);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].code, ValidationCode::kEmptyPublished);
  EXPECT_EQ(problems[0].message, "A published framework must have at least one skill");
}

}  // namespace
}  // namespace pathway::domain

namespace pathway::domain {
namespace {

// Issue 15 bad input: a mapping that would send two items' ratings round in a cycle (each
// item of the new version "replaces" the other) is refused: an item still in the
// framework cannot be replaced, so neither half of the swap stands, and nothing else is.
TEST(FrameworkReplacementTest, ASwapOfTwoItemsIsRefusedOnBothSides) {
  Framework swap = SmallFramework();
  auto& items = swap.clusters[0].items;
  items[0].replaces = {items[1].id};
  items[1].replaces = {items[0].id};
  const auto problems = ValidateFramework(swap);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "clusters[0].items[0].replaces[0]");
  EXPECT_EQ(problems[1].field, "clusters[0].items[1].replaces[0]");
  for (const auto& problem : problems) {
    EXPECT_EQ(problem.code, ValidationCode::kInvalidReplacement);
  }
  // An item that replaces itself is the shortest cycle, and refused the same way.
  Framework self = SmallFramework();
  self.clusters[0].items[0].replaces = {self.clusters[0].items[0].id};
  ASSERT_EQ(ValidateFramework(self).size(), 1u);
  // Replacing an item that has left the framework is the mapping that stands.
  Framework renamed = SmallFramework();
  renamed.clusters[0].items[0].replaces = {NameBasedUuid(renamed.id, "an item that left")};
  EXPECT_TRUE(ValidateFramework(renamed).empty());
}

}  // namespace
}  // namespace pathway::domain
