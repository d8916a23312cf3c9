#include "interchange/indicator_additions.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pathway::interchange {
namespace {

constexpr std::string_view kHeader = "competency,polarity,text,tags\n";

TEST(IndicatorAdditionsTest, ReadsRows) {
  const auto read = ParseIndicatorAdditions(std::string(kHeader) +
                                            "Seeing the Big Picture,effective,\"Keeps data "
                                            "safe,\nalways\",security;data\n");
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].text, "Keeps data safe,\nalways");
  EXPECT_EQ((*read)[0].tags, (std::vector<std::string>{"security", "data"}));
}

TEST(IndicatorAdditionsTest, RefusesTextThatIsNotTextAndOverLongFieldsAtTheirColumn) {
  const auto utf8 = ParseIndicatorAdditions(std::string(kHeader) + "Bad\xFF,effective,Text,\n");
  ASSERT_FALSE(utf8.ok());
  EXPECT_EQ(utf8.problems()[0].line, 2);
  EXPECT_EQ(utf8.problems()[0].column, 1);
  EXPECT_EQ(utf8.problems()[0].message, "This field has a character that is not UTF-8");
  const auto title =
      ParseIndicatorAdditions(std::string(kHeader) + "\"Two\nlines\",effective,Text,\n");
  ASSERT_FALSE(title.ok());
  EXPECT_EQ(title.problems()[0].column, 1);
  const auto huge = ParseIndicatorAdditions(std::string(kHeader) + "Seeing the Big Picture," +
                                            "effective," + std::string(1024 * 1024, 'x') + ",\n");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.problems()[0].line, 2);
  EXPECT_EQ(huge.problems()[0].column, 3);
  EXPECT_EQ(huge.problems()[0].message,
            "Enter 2000 characters or fewer in this field. This one has 1048576");
}

}  // namespace
}  // namespace pathway::interchange
