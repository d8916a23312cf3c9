// Ranking people against a requirement set. The selected rows are scored a segment at
// a time (at most kBlock rows of one chunk): one pass per requirement over its level
// column adds weight x min(level, needs) into a small accumulator that stays in L1,
// which the compiler vectorises. Only rows that could enter the current top k are
// checked against the row filters and pushed onto a min-heap of packed keys.
#include <algorithm>
#include <array>

#include "engine/internal/resolve.hpp"
#include "engine/queries.hpp"
#include "engine/target_clones.hpp"

namespace pathway::engine {
namespace {

constexpr std::uint32_t kBlock = 2048;

enum class Order { kScore, kClosest };

struct Candidate {
  std::uint64_t key;
  std::uint32_t row;
  bool operator>(const Candidate& other) const { return key > other.key; }
};

// score[j] = sum of weight x min(level, needs); capped[j] = sum of min(level, needs)
// (kClosest only). One vectorised pass per requirement over its level column.
template <bool kCapped>
inline __attribute__((always_inline)) void ScoreBody(const Snapshot& s, const Need* needs,
                                                     std::size_t need_count, std::size_t chunk,
                                                     std::uint32_t offset, std::uint32_t count,
                                                     std::uint16_t* score, std::uint16_t* capped) {
  std::fill_n(score, count, std::uint16_t{0});
  if (kCapped) std::fill_n(capped, count, std::uint16_t{0});
  for (std::size_t i = 0; i < need_count; ++i) {
    const Need& need = needs[i];
    const std::uint8_t* levels = s.level_column(need.item).ChunkData(chunk);
    if (levels == nullptr) continue;
    levels += offset;
    const std::uint8_t n = need.level;
    const std::uint16_t w = need.weight;
    for (std::uint32_t j = 0; j < count; ++j) {
      const std::uint8_t has = std::min<std::uint8_t>(levels[j] & kLevelMask, n);
      score[j] = static_cast<std::uint16_t>(score[j] + w * has);
      if (kCapped) capped[j] = static_cast<std::uint16_t>(capped[j] + has);
    }
  }
}

PATHWAY_TARGET_CLONES void Score(const Snapshot& s, const Need* needs, std::size_t need_count,
                                 std::size_t chunk, std::uint32_t offset, std::uint32_t count,
                                 std::uint16_t* score) {
  ScoreBody<false>(s, needs, need_count, chunk, offset, count, score, nullptr);
}

PATHWAY_TARGET_CLONES void ScoreCapped(const Snapshot& s, const Need* needs, std::size_t need_count,
                                       std::size_t chunk, std::uint32_t offset, std::uint32_t count,
                                       std::uint16_t* score, std::uint16_t* capped) {
  ScoreBody<true>(s, needs, need_count, chunk, offset, count, score, capped);
}

// A grade cell's (rank + 1; 0 = unknown) place in a ranking against a role level's band,
// five bits: bit 4 set unless the grade is above the band and such people go last; bits
// 0..3 how near the band (15 in it, one less for each grade outside, 0 if unknown).
// Without a band (or with GradeOrder::kIgnore) every cell has the same place.
struct GradePlaces {
  int lo = -1;
  int hi = -1;
  std::array<std::uint32_t, 256> place{};
};

GradePlaces PlacesFor(const Catalog& catalog, const MatchQuery& query) {
  GradePlaces places;
  places.place.fill(0x1Fu);
  if (query.role_level.empty()) return places;
  const auto found = catalog.role_level_by_code.find(query.role_level);
  if (found == catalog.role_level_by_code.end()) return places;
  const RoleLevelInfo& level = catalog.role_levels[found->second];
  places.lo = level.grade_min;
  places.hi = level.grade_max;
  if (query.grade_order == GradeOrder::kIgnore) return places;
  const bool over_last = query.grade_order == GradeOrder::kOverGradedLast;
  places.place[0] = 0x10u;  // unknown grade: after everyone whose grade is known
  for (int cell = 1; cell < 256; ++cell) {
    const int grade = cell - 1;
    const int outside = grade < places.lo   ? places.lo - grade
                        : grade > places.hi ? grade - places.hi
                                            : 0;
    const bool demoted = over_last && grade > places.hi;
    places.place[static_cast<std::size_t>(cell)] =
        (demoted ? 0u : 0x10u) | static_cast<std::uint32_t>(15 - std::min(outside, 14));
  }
  return places;
}

// Each row gets a 32-bit rank (higher is better; 0 = not eligible for the ranking), from
// its grade's place p (above): kScore: (p >> 4) << 31 | (score + 1) << 4 | (p & 15);
// kClosest: (p >> 4) << 31 | (1023 - gap) << 20 | score << 4 | (p & 15), 0 when the gap
// is 0. Scores stay below 2^13 and gaps below 2^10 (at most 64 requirements of weight 10
// and level 9). A heap key is rank << 32 | (0xFFFFFFFF - person id), so equal ranks
// favour lower ids. Only rows whose rank reaches the heap's smallest rank are looked at
// one by one: the rest of a segment is skipped 16 rows at a time.
Result<MatchResult> Rank(const Snapshot& s, const MatchQuery& query, Order order) {
  if (query.k < 1 || query.k > kMaxMatchResults) {
    return Error::InvalidInput("k", "Enter a number of results from 1 to 1000");
  }
  const Catalog& catalog = s.catalog();
  PATHWAY_ASSIGN_OR_RETURN(auto needs,
                           internal::ResolveNeeds(catalog, query.role_level, query.requirements));
  PATHWAY_ASSIGN_OR_RETURN(auto filters,
                           internal::ResolveFilters(catalog, query.filters, "filters."));
  int total_need = 0;
  for (const Need& n : needs) total_need += n.level;
  const GradePlaces places = PlacesFor(catalog, query);

  const auto k = static_cast<std::size_t>(query.k);
  std::vector<Candidate> heap;  // a min-heap by key
  heap.reserve(k);
  alignas(64) std::array<std::uint16_t, kBlock> score;
  alignas(64) std::array<std::uint16_t, kBlock> capped;
  alignas(64) std::array<std::uint32_t, kBlock> rank;
  alignas(64) std::array<std::uint32_t, kBlock> place;
  alignas(64) std::array<std::uint8_t, kBlock> pass;
  MatchResult result;
  const Column<std::int64_t>& ids = s.person_id_column();
  std::uint32_t threshold = 1;  // the smallest rank that can enter the heap
  const auto total = static_cast<std::uint32_t>(total_need);

  internal::ForEachSegment(
      s, filters, kBlock,
      [&](std::uint32_t first, std::uint32_t count, std::size_t chunk, std::uint32_t offset) {
        const std::uint8_t* grades = s.grade_column().ChunkData(chunk);
        for (std::uint32_t j = 0; j < count; ++j) {
          const std::uint32_t p = places.place[grades ? grades[offset + j] : 0u];
          place[j] = ((p >> 4) << 31) | (p & 15u);
        }
        if (order == Order::kScore) {
          Score(s, needs.data(), needs.size(), chunk, offset, count, score.data());
          for (std::uint32_t j = 0; j < count; ++j) {
            rank[j] = place[j] | ((std::uint32_t{score[j]} + 1u) << 4);
          }
        } else {
          ScoreCapped(s, needs.data(), needs.size(), chunk, offset, count, score.data(),
                      capped.data());
          for (std::uint32_t j = 0; j < count; ++j) {
            const std::uint32_t gap = total - capped[j];
            rank[j] = gap == 0 ? 0u
                               : place[j] | ((1023u - std::min(gap, 1023u)) << 20) |
                                     (std::uint32_t{score[j]} << 4);
          }
        }
        if (filters.row_check) {
          internal::FilterSegment(s, filters, chunk, offset, count, pass.data());
          std::uint32_t passed = 0;
          for (std::uint32_t j = 0; j < count; ++j) {
            passed += pass[j];
            rank[j] = pass[j] ? rank[j] : 0u;
          }
          result.candidates += passed;
        } else {
          result.candidates += count;
        }
        // Pad to whole blocks of 16 with rank 0 (never eligible), so the block test below
        // is a fixed-length loop the compiler vectorises.
        const std::uint32_t padded = (count + 15u) & ~15u;
        std::fill(rank.begin() + count, rank.begin() + padded, 0u);
        for (std::uint32_t block = 0; block < padded; block += 16) {
          std::uint32_t any = 0;
          for (std::uint32_t j = 0; j < 16; ++j) any |= rank[block + j] >= threshold ? 1u : 0u;
          if (any == 0) continue;
          const std::uint32_t end = std::min(count, block + 16);
          for (std::uint32_t j = block; j < end; ++j) {
            if (rank[j] < threshold) continue;
            const std::uint32_t row = first + j;
            const std::uint64_t key = (std::uint64_t{rank[j]} << 32) |
                                      (0xFFFFFFFFu - static_cast<std::uint32_t>(ids.Get(row)));
            if (heap.size() < k) {
              heap.push_back({key, row});
              std::push_heap(heap.begin(), heap.end(), std::greater<>{});
            } else if (key > heap.front().key) {
              std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
              heap.back() = {key, row};
              std::push_heap(heap.begin(), heap.end(), std::greater<>{});
            } else {
              continue;
            }
            if (heap.size() == k) threshold = static_cast<std::uint32_t>(heap.front().key >> 32);
          }
        }
      });

  std::sort(heap.begin(), heap.end(), std::greater<>{});
  result.entries.reserve(heap.size());
  result.band_min = places.lo;
  result.band_max = places.hi;
  for (const Candidate& c : heap) {
    MatchEntry entry;
    entry.person_id = ids.Get(c.row);
    entry.grade = static_cast<int>(s.grade(c.row)) - 1;
    if (places.lo >= 0) {
      entry.grade_fit = entry.grade < 0           ? GradeFit::kUnknown
                        : entry.grade < places.lo ? GradeFit::kBelow
                        : entry.grade > places.hi ? GradeFit::kAbove
                                                  : GradeFit::kInBand;
      entry.grades_outside = entry.grade_fit == GradeFit::kBelow   ? places.lo - entry.grade
                             : entry.grade_fit == GradeFit::kAbove ? entry.grade - places.hi
                                                                   : 0;
    }
    entry.fit.reserve(needs.size());
    for (const Need& need : needs) {
      const int has = s.Level(c.row, need.item);
      entry.score += need.weight * std::min<int>(has, need.level);
      entry.max_score += need.weight * need.level;
      entry.gap += std::max(0, need.level - has);
      entry.met += has >= need.level ? 1 : 0;
      entry.fit.push_back({catalog.items[need.item].item_id, has, need.level, need.weight});
    }
    result.entries.push_back(std::move(entry));
  }
  return result;
}

}  // namespace

Result<MatchResult> Match(const Snapshot& snapshot, const MatchQuery& query) {
  return Rank(snapshot, query, Order::kScore);
}

Result<MatchResult> ClosestToReady(const Snapshot& snapshot, const MatchQuery& query) {
  return Rank(snapshot, query, Order::kClosest);
}

}  // namespace pathway::engine
