#include "domain/text_index.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace pathway::domain {
namespace {

TEST(TextIndexTest, FindsWhatWasAddedAndKeepsTheFirstValue) {
  TextIndex index;
  EXPECT_EQ(index.Find("HR1"), nullptr);
  EXPECT_TRUE(index.Emplace("HR1", 7).second);
  EXPECT_TRUE(index.Emplace("", 8).second);  // the empty text is a text like any other
  const auto again = index.Emplace("HR1", 9);
  EXPECT_FALSE(again.second);
  EXPECT_EQ(*again.first, 7);
  *again.first = 10;
  ASSERT_NE(index.Find("HR1"), nullptr);
  EXPECT_EQ(*index.Find("HR1"), 10);
  EXPECT_EQ(*index.Find(""), 8);
  EXPECT_FALSE(index.Contains("HR"));
  EXPECT_FALSE(index.Contains("HR10"));
  EXPECT_EQ(index.size(), 2u);
}

TEST(TextIndexTest, AgreesWithAMapOverManyTextsAndCopiesThem) {
  TextIndex index(10);  // grows past what it was told to expect
  std::map<std::string, std::int64_t> expected;
  for (int i = 0; i < 100'000; ++i) {
    std::string key = "P" + std::to_string(i * 7919 % 100'003);
    if (i % 10'000 == 0) key += std::string(300'000, 'x');  // a long text too
    index.Emplace(key, i);
    expected.emplace(key, i);
    key.assign(key.size(), '?');  // the index holds its own copy
  }
  EXPECT_EQ(index.size(), expected.size());
  for (const auto& [key, value] : expected) {
    ASSERT_NE(index.Find(key), nullptr) << key.substr(0, 20);
    EXPECT_EQ(*index.Find(key), value);
  }
  std::size_t seen = 0;
  index.ForEach([&](std::string_view key, std::int64_t value) {
    ++seen;
    EXPECT_EQ(expected.at(std::string(key)), value);
  });
  EXPECT_EQ(seen, expected.size());
  TextIndex moved = std::move(index);
  ASSERT_NE(moved.Find("P7919"), nullptr);
  EXPECT_EQ(*moved.Find("P7919"), 1);
}

}  // namespace
}  // namespace pathway::domain
