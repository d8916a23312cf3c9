#include "domain/loops.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <vector>

namespace pathway::domain {
namespace {

struct Found {
  std::size_t first = 0;
  std::vector<std::int64_t> loop;
};

// Runs FindLoops over `records` file records whose parents are in `parent` (a node not
// in the map has no parent).
std::vector<Found> Loops(std::size_t records, const std::map<std::int64_t, std::int64_t>& parent) {
  std::vector<Found> found;
  FindLoops(
      records,
      [&](std::int64_t node) -> std::optional<std::int64_t> {
        const auto at = parent.find(node);
        if (at == parent.end()) return std::nullopt;
        return at->second;
      },
      [&](std::size_t first, const std::vector<std::int64_t>& loop) {
        found.push_back({first, loop});
      });
  return found;
}

TEST(FindLoopsTest, ChainsAndTreesHaveNoLoops) {
  EXPECT_TRUE(Loops(0, {}).empty());
  EXPECT_TRUE(Loops(4, {{1, 0}, {2, 0}, {3, 2}}).empty());
  // Through stored records (< 0) to a top.
  EXPECT_TRUE(Loops(2, {{0, -1}, {-1, -2}, {1, -2}}).empty());
}

TEST(FindLoopsTest, ReportsEachLoopOnceFromItsFirstRecord) {
  // 0 → 2 → 1 → 0, and 3 → 3 on its own; 4 reports into the first loop.
  const auto found = Loops(5, {{0, 2}, {2, 1}, {1, 0}, {3, 3}, {4, 1}});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].first, 0u);
  EXPECT_EQ(found[0].loop, (std::vector<std::int64_t>{0, 2, 1}));
  EXPECT_EQ(found[1].first, 3u);
  EXPECT_EQ(found[1].loop, (std::vector<std::int64_t>{3}));
}

TEST(FindLoopsTest, ALoopThroughStoredRecordsStartsFromAFileRecord) {
  // File record 1 → stored -1 → stored -2 → file record 1; record 0 leads into it.
  const auto found = Loops(2, {{0, 1}, {1, -1}, {-1, -2}, {-2, 1}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].first, 1u);
  EXPECT_EQ(found[0].loop, (std::vector<std::int64_t>{1, -1, -2}));
}

}  // namespace
}  // namespace pathway::domain
