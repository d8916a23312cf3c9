#include "domain/assessments.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pathway::domain {
namespace {

LedgerEntry Row(int level, AssessorKind source) {
  LedgerEntry entry;
  entry.level = level;
  entry.source = source;
  return entry;
}

TEST(CurrentLevelTest, TheLatestConfirmedLevelWinsOverLaterSelfAssessments) {
  const std::vector<LedgerEntry> rows{Row(2, AssessorKind::kSelf), Row(3, AssessorKind::kManager),
                                      Row(5, AssessorKind::kSelf)};
  const auto rule = CurrentLevelOf(rows);
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->level, 3);
  EXPECT_TRUE(rule->confirmed);
  EXPECT_EQ(rule->index, 1u);
}

TEST(CurrentLevelTest, ASelfAssessmentAloneIsShownUnconfirmed) {
  const auto rule = CurrentLevelOf({Row(2, AssessorKind::kSelf), Row(4, AssessorKind::kSelf)});
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->level, 4);
  EXPECT_FALSE(rule->confirmed);
  EXPECT_FALSE(CurrentLevelOf({}));
}

TEST(CurrentLevelTest, EveryConfirmingSourceCountsAndTheLatestOfThemWins) {
  const auto rule = CurrentLevelOf({Row(4, AssessorKind::kPanel), Row(2, AssessorKind::kPassport),
                                    Row(6, AssessorKind::kSelf)});
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->level, 2);
  EXPECT_TRUE(rule->confirmed);
}

GapRow Need(int need, int have, bool confirmed = true) {
  GapRow row;
  row.item.title = "Item";
  row.need = need;
  row.have = have;
  row.confirmed = confirmed;
  return row;
}

TEST(GapTest, SummariesCountGapsStrengthsAndUnconfirmedLevels) {
  Gap gap;
  gap.rows = {Need(3, 1), Need(2, 4), Need(4, 4, false), Need(2, 0), Need(1, 2)};
  Summarise(gap);
  EXPECT_EQ(gap.total_gap, 4);
  EXPECT_EQ(gap.met, 3);
  EXPECT_EQ(gap.unconfirmed, 1);
  ASSERT_EQ(gap.strengths.size(), 2u);
  EXPECT_EQ(gap.strengths[0], 1u);  // two above the need comes first
  EXPECT_EQ(gap.strengths[1], 4u);
  EXPECT_EQ(gap.summary, "Meets 3 of 5 requirements; 4 levels to gain (1 rests on self-assessment alone).");
  Gap met;
  met.rows = {Need(2, 2)};
  Summarise(met);
  EXPECT_EQ(met.summary, "Meets all 1 requirements.");
}

TEST(EvidenceTest, EachPartIsLimitedAndNamedAndLineBreaksAreText) {
  StarEvidence ok{"Line one\nline two", "", "", std::string(2000, 'x')};
  EXPECT_TRUE(CheckEvidence(ok, "items[0].").ok());
  StarEvidence long_task{"", std::string(2001, 'y'), "", ""};
  auto refused = CheckEvidence(long_task, "items[3].");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "items[3].task");
  EXPECT_EQ(refused.error().message, "Task must be 2,000 characters or fewer");
  StarEvidence bad_bytes{"", "", std::string("a\xFF", 2), ""};
  auto not_text = CheckEvidence(bad_bytes, "");
  ASSERT_FALSE(not_text.ok());
  EXPECT_EQ(not_text.error().field, "action");
  // 2,000 characters of two bytes each are within the limit: characters, not bytes.
  std::string accents;
  for (int i = 0; i < 2000; ++i) accents += "é";
  EXPECT_TRUE(CheckEvidence({accents, "", "", ""}, "").ok());
}

TEST(ScaleTest, LevelsOnAndOffTheScaleAndTheirLabels) {
  AssessedItem item;
  item.scale = {{1, "Awareness"}, {2, "Working"}, {3, "Practitioner"}, {4, ""}};
  EXPECT_TRUE(item.OnScale(3));
  EXPECT_FALSE(item.OnScale(5));
  EXPECT_FALSE(item.OnScale(0));
  EXPECT_EQ(item.LevelLabel(2), "2 (Working)");
  EXPECT_EQ(item.LevelLabel(4), "4");
}

TEST(ResourceUrlTest, OnlyWebAddressesWithoutSpacesOrControls) {
  EXPECT_TRUE(CheckResourceUrl("https://learning.example.gov.uk/a?b=c", "url").ok());
  for (const char* bad : {"javascript:alert(1)", "https://", "ftp://x", "https://a b",
                          "https://a\nb", "//example.com", ""}) {
    auto refused = CheckResourceUrl(bad, "line 2, column url");
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().field, "line 2, column url");
  }
}

}  // namespace
}  // namespace pathway::domain
