#include "domain/text.hpp"

#include <gtest/gtest.h>

namespace pathway::domain {
namespace {

TEST(TextTest, ValidUtf8AcceptsTextAndRefusesBrokenSequences) {
  EXPECT_TRUE(ValidUtf8(""));
  EXPECT_TRUE(ValidUtf8("Ada Lovelace"));
  EXPECT_TRUE(ValidUtf8("Zoë 日本 😀"));
  EXPECT_FALSE(ValidUtf8("Bad\xFFName"));
  EXPECT_FALSE(ValidUtf8("\xC3\x28"));          // a lead byte without its continuation
  EXPECT_FALSE(ValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(ValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(ValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(ValidUtf8("\xE6\x97"));          // cut short
}

TEST(TextTest, CharacterCountCountsCodePointsAndStrayBytesOnce) {
  EXPECT_EQ(CharacterCount(""), 0u);
  EXPECT_EQ(CharacterCount("abc"), 3u);
  EXPECT_EQ(CharacterCount("Zoë"), 3u);
  EXPECT_EQ(CharacterCount("日本"), 2u);
  EXPECT_EQ(CharacterCount("a\xFF\xFE"), 3u);
}

TEST(TextTest, OneLineTextRefusesBadBytesControlsAndLineBreaks) {
  EXPECT_FALSE(FindTextProblem("Ada\tLovelace é", LineBreaks::kRefused));
  const auto utf8 = FindTextProblem("Bad\xFFName", LineBreaks::kRefused);
  ASSERT_TRUE(utf8);
  EXPECT_EQ(utf8->fault, TextFault::kNotUtf8);
  EXPECT_EQ(utf8->offset, 3u);
  EXPECT_EQ(utf8->byte, 0xFF);
  const auto control = FindTextProblem(std::string_view("a\0b", 3), LineBreaks::kRefused);
  ASSERT_TRUE(control);
  EXPECT_EQ(control->fault, TextFault::kControl);
  EXPECT_EQ(control->offset, 1u);
  EXPECT_EQ(FindTextProblem("a\x7F", LineBreaks::kRefused)->fault, TextFault::kControl);
  EXPECT_EQ(FindTextProblem("a\x1B[31m", LineBreaks::kRefused)->fault, TextFault::kControl);
  EXPECT_EQ(FindTextProblem("one\ntwo", LineBreaks::kRefused)->fault, TextFault::kLineBreak);
  EXPECT_EQ(FindTextProblem("one\r\ntwo", LineBreaks::kRefused)->fault, TextFault::kLineBreak);
}

TEST(TextTest, MultiLineTextAllowsLfAndCrlfButNotALoneCr) {
  EXPECT_FALSE(FindTextProblem("one\ntwo\r\nthree\n", LineBreaks::kAllowed));
  const auto lone = FindTextProblem("one\rtwo", LineBreaks::kAllowed);
  ASSERT_TRUE(lone);
  EXPECT_EQ(lone->fault, TextFault::kLoneCarriageReturn);
  EXPECT_EQ(lone->offset, 3u);
  EXPECT_EQ(FindTextProblem("end\r", LineBreaks::kAllowed)->fault, TextFault::kLoneCarriageReturn);
  EXPECT_EQ(FindTextProblem("a\x0B", LineBreaks::kAllowed)->fault, TextFault::kControl);
  EXPECT_EQ(FindTextProblem("\xC3\x28", LineBreaks::kAllowed)->fault, TextFault::kNotUtf8);
}

TEST(TextTest, DescriptionsNameTheTextAndTheFault) {
  EXPECT_EQ(DescribeTextProblem({TextFault::kNotUtf8, 0, 0xFF}, "‘name’"),
            "‘name’ has a character that is not UTF-8");
  EXPECT_EQ(DescribeTextProblem({TextFault::kControl, 0, 0x07}, "‘name’"),
            "‘name’ has a control character (U+0007). Remove it");
  EXPECT_EQ(DescribeTextProblem({TextFault::kLineBreak, 0, '\n'}, "‘q’"),
            "‘q’ must be one line. Remove the line break");
}

TEST(TextTest, OneLineTextRefusesBidirectionalControlsThatMultiLineTextKeeps) {
  const std::pair<const char*, char32_t> kControls[] = {
      {"\u202A", 0x202A}, {"\u202B", 0x202B}, {"\u202C", 0x202C}, {"\u202D", 0x202D},
      {"\u202E", 0x202E}, {"\u2066", 0x2066}, {"\u2067", 0x2067}, {"\u2068", 0x2068},
      {"\u2069", 0x2069}, {"\u200E", 0x200E}, {"\u200F", 0x200F}, {"\u061C", 0x061C}};
  for (const auto& [control, code_point] : kControls) {
    const std::string text = std::string("Ann ") + control + "Smith";
    const auto problem = FindTextProblem(text, LineBreaks::kRefused);
    ASSERT_TRUE(problem.has_value()) << static_cast<int>(code_point);
    EXPECT_EQ(problem->fault, TextFault::kBidiControl);
    EXPECT_EQ(problem->offset, 4u);
    EXPECT_EQ(problem->code_point, code_point);
    EXPECT_FALSE(FindTextProblem(text, LineBreaks::kAllowed).has_value());
  }
  // Neighbours are ordinary characters: U+2029, U+202F, U+2065, U+206A, U+200D, U+061B.
  for (const char* fine : {"\u2029", "\u202F", "\u2065", "\u206A", "\u200D", "\u061B"}) {
    EXPECT_FALSE(FindTextProblem(std::string("a") + fine + "b", LineBreaks::kRefused)) << fine;
  }
  EXPECT_EQ(DescribeTextProblem(*FindTextProblem("x\u202Ey", LineBreaks::kRefused), "Name"),
            "Name has a bidirectional control character (U+202E), which can make text show "
            "differently from what it says. Remove it");
}

TEST(TextTest, TrimRemovesAsciiSpaceAndNoBreakSpaceOnly) {
  EXPECT_EQ(Trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(Trim("\xC2\xA0title\xC2\xA0"), "title");
  EXPECT_EQ(Trim(" \f\v "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("\xE3\x80\x80x"), "\xE3\x80\x80x") << "ideographic space is kept";
  const std::string_view text = "  kept ";
  EXPECT_EQ(Trim(text).data(), text.data() + 2) << "a view into the text";
}

TEST(TextTest, ANameKeepsAPastedTabAsASpaceAndLosesTheSpaceAroundIt) {
  EXPECT_EQ(NameAsTyped("Ada\tLovelace"), "Ada Lovelace");
  EXPECT_EQ(NameAsTyped("\tAda\t\tLovelace \t"), "Ada  Lovelace");
  EXPECT_EQ(NameAsTyped("Evil\u202EName"), "Evil\u202EName") << "other characters are the caller's";
  EXPECT_EQ(NameAsTyped(" \t "), "");
}

TEST(TextTest, CaseChangesAsciiLettersOnly) {
  EXPECT_EQ(Lower("HEO and Zoë ÉCOLE"), "heo and zoë École");
  EXPECT_EQ(Upper("g7 scs1 é"), "G7 SCS1 é");
  EXPECT_TRUE(EqualsIgnoringCase("Content-Type", "content-type"));
  EXPECT_FALSE(EqualsIgnoringCase("É", "é"));
  EXPECT_FALSE(EqualsIgnoringCase("a", "ab"));
}

}  // namespace
}  // namespace pathway::domain
