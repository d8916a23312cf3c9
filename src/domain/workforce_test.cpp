#include "domain/workforce.hpp"

#include <gtest/gtest.h>

namespace pathway::domain {
namespace {

TEST(RegionTest, TwelveItlRegionsThenOverseas) {
  ASSERT_EQ(AllRegions().size(), 13u);
  EXPECT_EQ(AllRegions()[6].name, "London");
  EXPECT_EQ(AllRegions()[12].code, "OVERSEAS");
  ASSERT_NE(FindRegion("tli"), nullptr);
  EXPECT_EQ(FindRegion("tli")->name, "London");
  ASSERT_NE(FindRegion("yorkshire and the humber"), nullptr);
  EXPECT_EQ(FindRegion("yorkshire and the humber")->code, "TLE");
  EXPECT_EQ(FindRegion("Londinium"), nullptr);
  EXPECT_EQ(FindRegion(""), nullptr);
}

TEST(ClearanceTest, OrderedFromBaselineToDeveloped) {
  EXPECT_LT(Clearance::kBPSS, Clearance::kCTC);
  EXPECT_LT(Clearance::kSC, Clearance::kDV);
  for (auto c : {Clearance::kBPSS, Clearance::kCTC, Clearance::kSC, Clearance::kDV}) {
    EXPECT_EQ(ParseClearance(ClearanceCode(c)), c);
  }
  EXPECT_EQ(ParseClearance("sc"), std::nullopt);
  EXPECT_EQ(ParseClearanceStatus("expired"), ClearanceStatus::kExpired);
  EXPECT_EQ(ParseClearanceStatus("lapsed"), std::nullopt);
}

TEST(AssessorTest, OnlySelfAssessmentsClaimRatherThanConfirm) {
  EXPECT_FALSE(Confirms(AssessorKind::kSelf));
  EXPECT_TRUE(Confirms(AssessorKind::kManager));
  EXPECT_TRUE(Confirms(AssessorKind::kPassport));
  EXPECT_EQ(ParseAssessorKind("panel"), AssessorKind::kPanel);
  EXPECT_EQ(AssessorKindName(AssessorKind::kRecruitment), "recruitment");
}

TEST(SkillLevelTest, FourNamedLevels) {
  EXPECT_EQ(SkillLevelName(1), "Awareness");
  EXPECT_EQ(SkillLevelName(4), "Expert");
  EXPECT_EQ(SkillLevelName(0), "");
  EXPECT_EQ(SkillLevelName(5), "");
}

TEST(IsoDateTest, AcceptsOnlyRealDates) {
  EXPECT_TRUE(ValidIsoDate("2024-02-29"));
  EXPECT_TRUE(ValidIsoDate("2000-02-29"));
  EXPECT_FALSE(ValidIsoDate("1900-02-29"));
  EXPECT_FALSE(ValidIsoDate("2023-02-29"));
  EXPECT_FALSE(ValidIsoDate("2023-04-31"));
  EXPECT_FALSE(ValidIsoDate("2023-13-01"));
  EXPECT_FALSE(ValidIsoDate("2023-00-10"));
  EXPECT_FALSE(ValidIsoDate("2023-1-10"));
  EXPECT_FALSE(ValidIsoDate("23-01-10"));
  EXPECT_FALSE(ValidIsoDate("2023/01/10"));
  EXPECT_FALSE(ValidIsoDate(""));
}

}  // namespace
}  // namespace pathway::domain
