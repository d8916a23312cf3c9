#include <gtest/gtest.h>

#include "domain/grade.hpp"
#include "domain/result.hpp"

namespace pathway::domain {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Error::InvalidInput("n", "Enter an even number");
  return n / 2;
}

Result<int> Quarter(int n) {
  PATHWAY_ASSIGN_OR_RETURN(int half, Half(n));
  PATHWAY_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckEven(int n) {
  PATHWAY_TRY(Half(n));
  return Ok{};
}

TEST(ResultTest, CarriesValueOrError) {
  auto good = Half(8);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 4);

  auto bad = Half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(bad.error().field, "n");
  EXPECT_THROW((void)bad.value(), std::bad_variant_access);
}

TEST(ResultTest, EarlyReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  auto bad = Quarter(6);  // 6/2 = 3 is odd: fails in the second step
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "Enter an even number");
  EXPECT_TRUE(CheckEven(2).ok());
  EXPECT_FALSE(CheckEven(1).ok());
}

TEST(ErrorCodeTest, NamesAreStable) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidInput), "invalid-input");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNotFound), "not-found");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnavailable), "unavailable");
}

TEST(GradeTest, ParsesEveryCodeInSeniorityOrder) {
  int rank = 0;
  for (const auto& info : AllGrades()) {
    auto parsed = ParseGrade(info.code);
    ASSERT_TRUE(parsed.has_value()) << info.code;
    EXPECT_EQ(static_cast<int>(*parsed), rank++);
    EXPECT_EQ(GradeCode(*parsed), info.code);
  }
  EXPECT_FALSE(ParseGrade("G8").has_value());
  EXPECT_FALSE(ParseGrade("heo").has_value());
  EXPECT_FALSE(ParseGrade("").has_value());
}

}  // namespace
}  // namespace pathway::domain
