// The editor's pure helpers: how an indicator's tags are read from its form, and how
// text length is counted for the limits.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "web/framework_authoring_routes.hpp"

namespace pathway::web {
namespace {

using Tags = std::vector<std::string>;

TEST(IndicatorTagsTest, PutsSecurityFirstTrimsLowerCasesAndDropsRepeats) {
  EXPECT_EQ(IndicatorTags(true, ""), Tags{"security"});
  EXPECT_EQ(IndicatorTags(false, ""), Tags{});
  EXPECT_EQ(IndicatorTags(false, " Data ,, leadership,DATA , "), (Tags{"data", "leadership"}));
  EXPECT_EQ(IndicatorTags(true, "Remote working, security"), (Tags{"security", "remote working"}));
  EXPECT_EQ(IndicatorTags(false, "data, Security"), (Tags{"security", "data"}));
}

TEST(CharacterCountTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CharacterCount(""), 0u);
  EXPECT_EQ(CharacterCount("abc"), 3u);
  EXPECT_EQ(CharacterCount("caf\xc3\xa9"), 4u);                // café
  EXPECT_EQ(CharacterCount("\xe2\x80\x98x\xe2\x80\x99"), 3u);  // ‘x’
  EXPECT_EQ(CharacterCount(std::string(kMaxIndicatorText, 'x')), kMaxIndicatorText);
}

}  // namespace
}  // namespace pathway::web
