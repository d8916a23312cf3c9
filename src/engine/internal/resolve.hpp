// Turns a query's codes into the snapshot's integer codes, and walks the rows that a
// filter selects. Private to engine/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/result.hpp"
#include "engine/queries.hpp"
#include "engine/snapshot.hpp"

namespace pathway::engine::internal {

// A requirement set by item code, in the order given (a role level's: by item).
Result<std::vector<Need>> ResolveNeeds(const Catalog& catalog, const std::string& role_level,
                                       const std::vector<RequirementSpec>& requirements);

struct ResolvedFilters {
  std::vector<std::uint16_t> professions;  // profession code + 1, in increasing order
  int grade_lo = 0;                        // grade cells (rank + 1), inclusive
  int grade_hi = domain::kGradeCount;
  std::uint32_t regions = 0;              // bit (index + 1); 0 = any
  std::vector<std::uint8_t> departments;  // by department code + 1; empty = any
  int clearance_min = 0;                  // level + 1; 0 = any
  bool row_check = false;                 // region, department or clearance set

  bool PassesRow(const Snapshot& s, std::uint32_t row) const {
    if (regions != 0 && ((regions >> s.region(row)) & 1u) == 0) return false;
    if (!departments.empty() && departments[s.department(row)] == 0) return false;
    if (clearance_min != 0) {
      const std::uint8_t c = s.clearance(row);
      if ((c >> 4) != static_cast<int>(domain::ClearanceStatus::kActive) ||
          (c & 0x0F) < clearance_min) {
        return false;
      }
    }
    return true;
  }
};

Result<ResolvedFilters> ResolveFilters(const Catalog& catalog, const Filters& filters,
                                       const std::string& prefix);

// For the `count` rows of chunk `chunk` from `offset`: pass[j] = 1 if the row passes the
// row filters (region, department, clearance), else 0. Reads each filtered column once
// per segment, straight from the chunk (vectorisable), not a row at a time.
void FilterSegment(const Snapshot& s, const ResolvedFilters& f, std::size_t chunk,
                   std::uint32_t offset, std::uint32_t count, std::uint8_t* pass);

// Calls visit(first_row, count, chunk, offset) for every stretch of selected rows
// that lies within one chunk, at most `max_count` rows long, in increasing row order.
template <typename Visit>
void ForEachSegment(const Snapshot& s, const ResolvedFilters& f, std::uint32_t max_count,
                    Visit&& visit) {
  for (std::uint16_t profession : f.professions) {
    for (int grade = f.grade_lo; grade <= f.grade_hi; ++grade) {
      for (const Run& run : s.Cell(profession, static_cast<std::size_t>(grade)).runs()) {
        std::uint32_t row = run.begin;
        while (row < run.end) {
          const std::uint32_t chunk_end = ((row >> kChunkShift) + 1) << kChunkShift;
          std::uint32_t end = std::min(run.end, chunk_end);
          end = std::min(end, row + max_count);
          visit(row, end - row, row >> kChunkShift, row & kChunkMask);
          row = end;
        }
      }
    }
  }
}

}  // namespace pathway::engine::internal
