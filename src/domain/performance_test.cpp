#include "domain/performance.hpp"

#include <gtest/gtest.h>

namespace pathway::domain {
namespace {

PerformanceYearSpec Good() {
  return {"2026 to 2027", {"DWP"}, "2026-04-01", "2026-06-30", "2026-10-31", "2027-03-31", {}};
}

std::string FieldOf(const Status& status) { return status.ok() ? "" : status.error().field; }

TEST(PerformanceYearTest, DatesMustBeRealAndInOrder) {
  EXPECT_TRUE(CheckPerformanceYear(Good()).ok());
  auto spec = Good();
  spec.midyear_due = "2026-06-30";
  EXPECT_EQ(FieldOf(CheckPerformanceYear(spec)), "midyear_due");
  spec = Good();
  spec.endyear_due = "2027-02-30";
  EXPECT_EQ(FieldOf(CheckPerformanceYear(spec)), "endyear_due");
  spec = Good();
  spec.objectives_due = "2026-03-31";
  EXPECT_EQ(FieldOf(CheckPerformanceYear(spec)), "objectives_due");
  spec = Good();
  spec.departments = {"DWP", "DWP"};
  EXPECT_EQ(FieldOf(CheckPerformanceYear(spec)), "departments");
  spec = Good();
  spec.name = "line\nbreak";
  EXPECT_EQ(FieldOf(CheckPerformanceYear(spec)), "name");
  spec = Good();
  spec.scale = {"Good", "good"};
  EXPECT_EQ(FieldOf(CheckPerformanceYear(spec)), "scale");
  spec.scale = {"Good", "Fine", "Poor"};
  EXPECT_TRUE(CheckPerformanceYear(spec).ok());
}

TEST(PerformanceYearTest, ObjectivesHaveLimitsDatesAndWeightsThatAddUp) {
  std::vector<Objective> set{{"A", "B", "2027-01-01", 70}, {"C", "D", "2027-02-01", 30}};
  EXPECT_TRUE(CheckObjectives(set, "2027-03-31").ok());
  set[1].weight = 20;
  EXPECT_EQ(FieldOf(CheckObjectives(set, "2027-03-31")), "objectives[0].weight");
  set[1].weight = 30;
  set[0].text = std::string(1001, 'x');
  EXPECT_EQ(FieldOf(CheckObjectives(set, "2027-03-31")), "objectives[0].text");
  set[0].text = "A";
  set[1].due_on = "2027-04-01";
  EXPECT_EQ(FieldOf(CheckObjectives(set, "2027-03-31")), "objectives[1].due_on");
  set[1].due_on = "2027-02-01";
  set[1].measure = " ";
  EXPECT_EQ(FieldOf(CheckObjectives(set, "2027-03-31")), "objectives[1].measure");
  EXPECT_EQ(FieldOf(CheckObjectives({}, "2027-03-31")), "objectives");
  EXPECT_EQ(FieldOf(CheckCompetencyChoice({{"a", "", {}, 0}, {"a", "", {}, 0}})),
            "competencies[1].item");
}

TEST(PerformanceYearTest, OnlyTheNextSignerMaySign) {
  EXPECT_TRUE(CheckSignOrder(ReviewStage::kOpen, Signer::kPerson).ok());
  EXPECT_EQ(FieldOf(CheckSignOrder(ReviewStage::kOpen, Signer::kManager)), "signer");
  EXPECT_EQ(FieldOf(CheckSignOrder(ReviewStage::kOpen, Signer::kCountersigner)), "signer");
  EXPECT_TRUE(CheckSignOrder(ReviewStage::kPersonSigned, Signer::kManager).ok());
  EXPECT_FALSE(CheckSignOrder(ReviewStage::kPersonSigned, Signer::kCountersigner).ok());
  EXPECT_TRUE(CheckSignOrder(ReviewStage::kManagerSigned, Signer::kCountersigner).ok());
  for (auto signer : {Signer::kPerson, Signer::kManager, Signer::kCountersigner}) {
    EXPECT_EQ(CheckSignOrder(ReviewStage::kCountersigned, signer).error().code,
              ErrorCode::kConflict);
  }
}

TEST(PerformanceYearTest, OverdueStepsFollowTheYearsDates) {
  PerformanceYear year;
  year.objectives_due = "2026-06-30";
  year.midyear_due = "2026-10-31";
  year.endyear_due = "2027-03-31";
  RecordProgress progress;
  EXPECT_TRUE(OverdueSteps(year, progress, "2026-06-30").empty());
  EXPECT_EQ(OverdueSteps(year, progress, "2026-07-01"), std::vector<std::string>{"objectives"});
  progress.agreed = true;
  EXPECT_EQ(OverdueSteps(year, progress, "2026-11-01"), std::vector<std::string>{"mid-year"});
  progress.midyear = ReviewStage::kCountersigned;
  EXPECT_EQ(OverdueSteps(year, progress, "2027-04-01"), std::vector<std::string>{"end-year"});
}

TEST(PerformanceYearTest, SharesArePerCentToOneDecimal) {
  EXPECT_EQ(Share(1, 3), 33.3);
  EXPECT_EQ(Share(2, 3), 66.7);
  EXPECT_EQ(Share(0, 0), 0);
  RatingGroup g{"grade", "HEO", "HEO", {1, 2, 3}};
  EXPECT_EQ(g.total(), 6);
}

}  // namespace
}  // namespace pathway::domain
