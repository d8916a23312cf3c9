#include "domain/recruitment.hpp"

#include <gtest/gtest.h>

namespace pathway::domain {
namespace {

MeritEntry Entry(std::int64_t id, int total, int behaviours, std::string at, bool passed = true) {
  MeritEntry e;
  e.application_id = id;
  e.total = total;
  e.behaviour_total = behaviours;
  e.submitted_at = std::move(at);
  e.passed = passed;
  return e;
}

TEST(MeritListTest, PassingFirstThenTotalThenBehavioursThenEarlierApplication) {
  std::vector<MeritEntry> list{
      Entry(1, 40, 20, "2026-01-03"), Entry(2, 45, 18, "2026-01-02"),
      Entry(3, 45, 22, "2026-01-04"), Entry(4, 50, 30, "2026-01-01", false),
      Entry(5, 45, 22, "2026-01-01"), Entry(6, 45, 22, "2026-01-01")};
  OrderMeritList(list);
  std::vector<std::int64_t> order;
  for (const auto& e : list) order.push_back(e.application_id);
  // 5 and 6 tie on everything but the id; 4 scored highest but missed a minimum.
  EXPECT_EQ(order, (std::vector<std::int64_t>{5, 6, 3, 2, 1, 4}));
}

TEST(MeritListTest, ScoresAndLevels) {
  EXPECT_TRUE(CheckScore(1, "s").ok());
  EXPECT_TRUE(CheckScore(7, "s").ok());
  EXPECT_EQ(CheckScore(0, "scores[0].score").error().field, "scores[0].score");
  EXPECT_FALSE(CheckScore(8, "s").ok());
  EXPECT_EQ(LedgerLevelFor(4, 4, 3), 3);
  EXPECT_EQ(LedgerLevelFor(3, 4, 3), 2);
  EXPECT_EQ(LedgerLevelFor(1, 4, 1), 1);
  EXPECT_FALSE(CheckStatement(std::string(2501, 'x'), "statements[0]").ok());
  EXPECT_TRUE(CheckStatement("Line one\nline two", "statements[0]").ok());
}

TEST(MeritListTest, AVacancyNeedsATitleADateInTheFutureAndValidElements) {
  Vacancy v;
  v.title = "Adviser";
  v.closes_on = "2027-01-31";
  EXPECT_TRUE(CheckVacancy(v, "2026-12-04").ok());
  v.closes_on = "2026-12-03";
  EXPECT_EQ(CheckVacancy(v, "2026-12-04").error().field, "closes_on");
  v.closes_on = "2027-01-31";
  v.posts = 0;
  EXPECT_EQ(CheckVacancy(v, "2026-12-04").error().field, "posts");
  v.posts = 1;
  v.elements.push_back({ElementKind::kExperience, "", "Leading", 0, {"lunch"}, 4});
  EXPECT_EQ(CheckVacancy(v, "2026-12-04").error().field, "elements[0].stages");
  v.elements[0].stages = {"interview"};
  v.elements[0].minimum = 8;
  EXPECT_EQ(CheckVacancy(v, "2026-12-04").error().field, "elements[0].minimum");
}

}  // namespace
}  // namespace pathway::domain
