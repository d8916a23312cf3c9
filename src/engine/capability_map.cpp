// Supply (people) against demand (posts) in a two-dimensional map. Supply is computed
// a segment at a time like Match: one pass per requirement over its level column
// builds "meets every requirement" and "sum of levels" for the segment. Profession and
// grade come from the row set being walked; region and department are read straight
// from their column chunks into a per-row slot index, and each row is added to its slot
// with two adds (headcount and meeting packed in one word). With both dimensions fixed
// per segment (profession x grade) the segment is a plain reduction.
#include <algorithm>
#include <array>

#include "engine/internal/resolve.hpp"
#include "engine/queries.hpp"
#include "engine/target_clones.hpp"

namespace pathway::engine {
namespace {

constexpr std::uint32_t kBlock = 2048;

struct Axis {
  Dimension dimension;
  std::vector<std::string> labels;
};

Axis MakeAxis(const Catalog& c, Dimension d) {
  Axis axis{d, {}};
  switch (d) {
    case Dimension::kProfession:
      for (const auto& p : c.professions) axis.labels.push_back(p.code);
      break;
    case Dimension::kRegion:
      for (const auto& r : domain::AllRegions()) axis.labels.emplace_back(r.code);
      break;
    case Dimension::kGrade:
      for (const auto& g : domain::AllGrades()) axis.labels.emplace_back(g.code);
      break;
    case Dimension::kDepartment:
      for (const auto& dep : c.departments) axis.labels.push_back(dep.code);
      break;
  }
  return axis;
}

// Profession and grade are fixed within a segment (it lies in one profession x grade
// cell); region and department are read per row.
bool PerSegment(Dimension d) { return d == Dimension::kProfession || d == Dimension::kGrade; }

// meets[j]: the row meets every requirement (0/1); level_sums[j]: the sum of its levels.
// One vectorised pass per requirement over its level column, in L1. SumT is uint8_t
// when the sum cannot exceed 255 (at most 28 requirements), which halves the work.
template <typename SumT>
inline __attribute__((always_inline)) void SupplyPassBody(const Snapshot& s,
                                                          const std::vector<Need>& needs,
                                                          std::size_t chunk, std::uint32_t offset,
                                                          std::uint32_t count, std::uint8_t* meets,
                                                          SumT* level_sums) {
  std::fill_n(meets, count, std::uint8_t{1});
  std::fill_n(level_sums, count, SumT{0});
  for (const Need& need : needs) {
    const std::uint8_t* levels = s.level_column(need.item).ChunkData(chunk);
    if (levels == nullptr) {
      std::fill_n(meets, count, std::uint8_t{0});
      continue;
    }
    levels += offset;
    const std::uint8_t n = need.level;
    for (std::uint32_t j = 0; j < count; ++j) {
      const auto has = static_cast<std::uint8_t>(levels[j] & kLevelMask);
      meets[j] = static_cast<std::uint8_t>(meets[j] & (has >= n ? 1 : 0));
      level_sums[j] = static_cast<SumT>(level_sums[j] + has);
    }
  }
}

// Compiled for AVX2 as well as the baseline; the loader picks the clone once.
PATHWAY_TARGET_CLONES void SupplyPass8(const Snapshot& s, const std::vector<Need>& needs,
                                       std::size_t chunk, std::uint32_t offset, std::uint32_t count,
                                       std::uint8_t* meets, std::uint8_t* level_sums) {
  SupplyPassBody(s, needs, chunk, offset, count, meets, level_sums);
}

PATHWAY_TARGET_CLONES void SupplyPass16(const Snapshot& s, const std::vector<Need>& needs,
                                        std::size_t chunk, std::uint32_t offset,
                                        std::uint32_t count, std::uint8_t* meets,
                                        std::uint16_t* level_sums) {
  SupplyPassBody(s, needs, chunk, offset, count, meets, level_sums);
}

// Adds each row of a segment to a small histogram by its per-row value (region or
// department + 1), one add per row: headcount in bits 48..63, meeting in 32..47 and
// the level sum in 0..31 (a segment has at most kBlock rows, each summing at most
// 64 x 9). Two interleaved histograms break the add-after-add dependency when
// neighbouring rows share a value.
template <typename V, typename SumT>
void SegmentHistogram(const V* values, const std::uint8_t* meets, const SumT* level_sums,
                      const std::uint8_t* pass, std::uint32_t count, std::uint64_t* h0,
                      std::uint64_t* h1) {
  constexpr std::uint64_t kOne = std::uint64_t{1} << 48;
  std::uint32_t j = 0;
  if (pass == nullptr) {
    for (; j + 1 < count; j += 2) {
      h0[values[j]] += kOne | (std::uint64_t{meets[j]} << 32) | level_sums[j];
      h1[values[j + 1]] += kOne | (std::uint64_t{meets[j + 1]} << 32) | level_sums[j + 1];
    }
    if (j < count) h0[values[j]] += kOne | (std::uint64_t{meets[j]} << 32) | level_sums[j];
    return;
  }
  for (; j < count; ++j) {
    const std::uint64_t keep = 0 - std::uint64_t{pass[j]};
    h0[values[j]] += keep & (kOne | (std::uint64_t{meets[j]} << 32) | level_sums[j]);
  }
}

}  // namespace

std::string_view DimensionName(Dimension dimension) {
  switch (dimension) {
    case Dimension::kProfession:
      return "profession";
    case Dimension::kRegion:
      return "region";
    case Dimension::kGrade:
      return "grade";
    case Dimension::kDepartment:
      return "department";
  }
  return "profession";
}

Result<CapabilityMap> MapCapability(const Snapshot& s, const CapabilityQuery& query) {
  if (query.rows == query.columns) {
    return Error::InvalidInput("columns", "Choose two different dimensions");
  }
  const Catalog& catalog = s.catalog();
  PATHWAY_ASSIGN_OR_RETURN(auto needs,
                           internal::ResolveNeeds(catalog, query.role_level, query.requirements));
  PATHWAY_ASSIGN_OR_RETURN(auto filters,
                           internal::ResolveFilters(catalog, query.filters, "filters."));

  const Axis rows = MakeAxis(catalog, query.rows);
  const Axis cols = MakeAxis(catalog, query.columns);
  const std::size_t width = cols.labels.size();
  const std::size_t cell_count = rows.labels.size() * width;

  // Supply is accumulated by value + 1 of each dimension (0 = unknown) in slots
  // value(rows) x stride + value(columns), plus one slot for rows the filters drop:
  // `counts` packs headcount (low 32 bits) and meeting (high 32 bits; a row count
  // fits), `sums` the level sums.
  const std::size_t stride = width + 1;
  const std::size_t slots = (rows.labels.size() + 1) * stride + 1;
  const auto dropped = static_cast<std::uint32_t>(slots - 1);
  std::vector<std::uint64_t> counts(slots, 0), sums(slots, 0);
  const bool rows_per_row = !PerSegment(query.rows);
  const bool cols_per_row = !PerSegment(query.columns);

  // One dimension read per row: rows are added to a small per-segment histogram by that
  // value, flushed into the slots once per segment.
  const bool one_per_row = rows_per_row != cols_per_row;
  const Dimension per_row_dimension = rows_per_row ? query.rows : query.columns;
  const std::size_t per_row_values =
      (per_row_dimension == Dimension::kRegion ? domain::kRegionCount
                                               : catalog.departments.size()) +
      1;
  const std::size_t per_row_scale = rows_per_row ? stride : 1;
  std::vector<std::uint64_t> histogram(one_per_row ? 2 * per_row_values : 0);
  const bool small_sums = needs.size() * 9 <= 255;

  alignas(64) std::array<std::uint8_t, kBlock> meets;
  alignas(64) std::array<std::uint8_t, kBlock> sums8;
  alignas(64) std::array<std::uint16_t, kBlock> sums16;
  alignas(64) std::array<std::uint32_t, kBlock> slot;
  alignas(64) std::array<std::uint8_t, kBlock> pass;

  auto segment = [&](auto* level_sums, std::size_t base, std::size_t chunk, std::uint32_t offset,
                     std::uint32_t count) {
    if (filters.row_check) internal::FilterSegment(s, filters, chunk, offset, count, pass.data());
    if (!rows_per_row && !cols_per_row) {
      // Both dimensions fixed for the segment: a reduction, no scatter.
      std::uint64_t meeting = 0, level_sum = 0, headcount = count;
      if (filters.row_check) {
        headcount = 0;
        for (std::uint32_t j = 0; j < count; ++j) {
          headcount += pass[j];
          meeting += pass[j] & meets[j];
          level_sum += pass[j] ? level_sums[j] : 0u;
        }
      } else {
        for (std::uint32_t j = 0; j < count; ++j) {
          meeting += meets[j];
          level_sum += level_sums[j];
        }
      }
      counts[base] += headcount | (meeting << 32);
      sums[base] += level_sum;
      return;
    }
    const std::uint8_t* keep = filters.row_check ? pass.data() : nullptr;
    if (one_per_row) {
      std::uint64_t* h0 = histogram.data();
      std::uint64_t* h1 = h0 + per_row_values;
      if (per_row_dimension == Dimension::kRegion) {
        const std::uint8_t* v = s.region_column().ChunkData(chunk);
        if (v == nullptr) return;  // all unknown
        SegmentHistogram(v + offset, meets.data(), level_sums, keep, count, h0, h1);
      } else {
        const std::uint16_t* v = s.department_column().ChunkData(chunk);
        if (v == nullptr) return;
        SegmentHistogram(v + offset, meets.data(), level_sums, keep, count, h0, h1);
      }
      for (std::size_t v = 1; v < per_row_values; ++v) {
        const std::uint64_t h = h0[v] + h1[v];
        if (h == 0) continue;
        h0[v] = h1[v] = 0;
        const std::size_t k = base + v * per_row_scale;
        counts[k] += (h >> 48) | (((h >> 32) & 0xFFFFu) << 32);
        sums[k] += h & 0xFFFFFFFFu;
      }
      h0[0] = h1[0] = 0;
      return;
    }
    // Region x department: a slot per row, two adds per row.
    const std::uint8_t* region = s.region_column().ChunkData(chunk);
    const std::uint16_t* department = s.department_column().ChunkData(chunk);
    if (region == nullptr || department == nullptr) return;
    region += offset;
    department += offset;
    const auto region_scale =
        static_cast<std::uint32_t>(query.rows == Dimension::kRegion ? stride : 1);
    const auto department_scale = static_cast<std::uint32_t>(region_scale == 1 ? stride : 1);
    for (std::uint32_t j = 0; j < count; ++j) {
      slot[j] = region[j] * region_scale + department[j] * department_scale;
    }
    if (keep != nullptr) {
      for (std::uint32_t j = 0; j < count; ++j) slot[j] = keep[j] ? slot[j] : dropped;
    }
    for (std::uint32_t j = 0; j < count; ++j) {
      const std::uint32_t k = slot[j];
      counts[k] += 1u | (std::uint64_t{meets[j]} << 32);
      sums[k] += level_sums[j];
    }
  };

  for (std::uint16_t profession : filters.professions) {
    for (int grade = filters.grade_lo; grade <= filters.grade_hi; ++grade) {
      // Profession and grade are the same for every row of this cell.
      const auto segment_value = [&](Dimension d) -> std::size_t {
        return d == Dimension::kProfession ? profession
                                           : static_cast<std::size_t>(grade);  // kGrade
      };
      const std::size_t row_value = rows_per_row ? 0 : segment_value(query.rows);
      const std::size_t col_value = cols_per_row ? 0 : segment_value(query.columns);
      if ((!rows_per_row && row_value == 0) || (!cols_per_row && col_value == 0)) {
        continue;  // an unknown profession or grade: left out of the map
      }
      const std::size_t base = row_value * stride + col_value;
      const RowSet& cell = s.Cell(profession, static_cast<std::size_t>(grade));
      for (const Run& run : cell.runs()) {
        for (std::uint32_t first = run.begin; first < run.end;) {
          const std::size_t chunk = first >> kChunkShift;
          const std::uint32_t offset = first & kChunkMask;
          const auto chunk_end = static_cast<std::uint32_t>((chunk + 1) << kChunkShift);
          const std::uint32_t count = std::min({run.end, chunk_end, first + kBlock}) - first;
          first += count;
          if (small_sums) {
            SupplyPass8(s, needs, chunk, offset, count, meets.data(), sums8.data());
            segment(sums8.data(), base, chunk, offset, count);
          } else {
            SupplyPass16(s, needs, chunk, offset, count, meets.data(), sums16.data());
            segment(sums16.data(), base, chunk, offset, count);
          }
        }
      }
    }
  }
  std::vector<std::int64_t> headcount(cell_count), meeting(cell_count), level_sum(cell_count),
      filled(cell_count), vacant(cell_count);
  for (std::size_t r = 1; r <= rows.labels.size(); ++r) {
    for (std::size_t c = 1; c <= width; ++c) {
      const std::size_t from = r * stride + c;
      const std::size_t cell = (r - 1) * width + (c - 1);
      headcount[cell] = static_cast<std::int64_t>(counts[from] & 0xFFFFFFFFu);
      meeting[cell] = static_cast<std::int64_t>(counts[from] >> 32);
      level_sum[cell] = static_cast<std::int64_t>(sums[from]);
    }
  }

  // Demand: role levels requiring every item of the set at least at its level.
  std::vector<std::uint8_t> wanted(catalog.professions.size() + 1, 0);
  for (std::uint16_t p : filters.professions) wanted[p] = 1;
  for (const RoleLevelInfo& rl : catalog.role_levels) {
    bool demands = true;
    for (const Need& need : needs) {
      auto it = std::lower_bound(rl.needs.begin(), rl.needs.end(), need.item,
                                 [](const Need& x, std::uint16_t item) { return x.item < item; });
      if (it == rl.needs.end() || it->item != need.item || it->level < need.level) {
        demands = false;
        break;
      }
    }
    if (!demands || !wanted[rl.profession]) continue;
    for (std::uint32_t p : rl.posts) {
      const PostInfo& post = catalog.posts[p];
      const int grade = post.grade + 1;
      if (grade < filters.grade_lo || grade > filters.grade_hi) continue;
      if (filters.regions != 0 && ((filters.regions >> post.region) & 1u) == 0) continue;
      if (!filters.departments.empty() && filters.departments[post.department] == 0) continue;
      auto value = [&](Dimension d) -> int {
        switch (d) {
          case Dimension::kProfession:
            return rl.profession;
          case Dimension::kGrade:
            return grade;
          case Dimension::kRegion:
            return post.region;
          case Dimension::kDepartment:
            return post.department;
        }
        return 0;
      };
      const int r = value(query.rows);
      const int c = value(query.columns);
      if (r == 0 || c == 0) continue;
      const std::size_t cell =
          static_cast<std::size_t>(r - 1) * width + static_cast<std::size_t>(c - 1);
      if (s.PostHolders(p) > 0) {
        ++filled[cell];
      } else {
        ++vacant[cell];
      }
    }
  }

  CapabilityMap map;
  map.row_labels = rows.labels;
  map.column_labels = cols.labels;
  map.requirement_count = static_cast<int>(needs.size());
  for (std::size_t cell = 0; cell < cell_count; ++cell) {
    if (headcount[cell] == 0 && filled[cell] == 0 && vacant[cell] == 0) continue;
    CapabilityCell out;
    out.row = static_cast<int>(cell / width);
    out.column = static_cast<int>(cell % width);
    out.headcount = headcount[cell];
    out.meeting = meeting[cell];
    out.level_sum = level_sum[cell];
    if (out.headcount > 0) {
      out.share_meeting = static_cast<double>(out.meeting) / static_cast<double>(out.headcount);
      out.mean_level = static_cast<double>(out.level_sum) /
                       static_cast<double>(out.headcount * map.requirement_count);
    }
    out.demand_filled = filled[cell];
    out.demand_vacant = vacant[cell];
    out.gap = out.demand_filled + out.demand_vacant - out.meeting;
    map.cells.push_back(out);
  }
  return map;
}

}  // namespace pathway::engine
