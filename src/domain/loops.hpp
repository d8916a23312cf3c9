#pragma once

// Finding loops in a "reports to" relation (line managers, units inside units): the one
// loop finder, used by the workforce import's checks.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace pathway::domain {

// Finds the loops in a "reports to" relation over the records of a file laid over the
// stored ones. `next(node)` gives a node's parent; nodes >= 0 are records of the file,
// < 0 stored records. Calls `found(first_record, loop)` once per loop, with the loop's
// nodes in order, starting from the record of the file that comes first in it.
template <typename Next, typename Found>
void FindLoops(std::size_t records, Next next, Found found) {
  // 1 on the current walk, 2 done: for records by index, for stored ones by node.
  std::vector<char> record_state(records, 0);
  std::unordered_map<std::int64_t, char> stored_state;
  const auto state = [&](std::int64_t node) -> char& {
    return node >= 0 ? record_state[static_cast<std::size_t>(node)] : stored_state[node];
  };
  std::vector<std::int64_t> walk;
  for (std::size_t i = 0; i < records; ++i) {
    walk.clear();
    std::optional<std::int64_t> node = static_cast<std::int64_t>(i);
    while (node && state(*node) == 0) {
      state(*node) = 1;
      walk.push_back(*node);
      node = next(*node);
    }
    if (node && state(*node) == 1) {
      auto start = std::find(walk.begin(), walk.end(), *node);
      std::vector<std::int64_t> loop(start, walk.end());
      // Start from the record of the file that comes first.
      auto first = std::min_element(loop.begin(), loop.end(), [](std::int64_t a, std::int64_t b) {
        if ((a >= 0) != (b >= 0)) return a >= 0;
        return a < b;
      });
      std::rotate(loop.begin(), first, loop.end());
      found(static_cast<std::size_t>(loop.front()), loop);
    }
    for (const auto n : walk) state(n) = 2;
  }
}

}  // namespace pathway::domain
