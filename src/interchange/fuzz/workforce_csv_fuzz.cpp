// libFuzzer entry point for the workforce CSV readers. The first byte chooses the kind
// of file (org, roles, posts, people); the rest is the file. Besides never crashing on
// any input, it checks the readers' promises: a refused file has at least one problem,
// every problem is at line 1 or later and column 1 or later, and a file that parses
// has a line for every record. Seed corpus: corpus/workforce_csv/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "interchange/workforce_csv.hpp"

namespace {

using namespace pathway::interchange;

template <typename T>
bool ProblemsPlaced(const ImportResult<T>& result) {
  if (result.ok()) return true;
  if (result.problems().empty()) return false;
  for (const auto& problem : result.problems()) {
    if (problem.line < 1 || problem.column < 1 || problem.message.empty()) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  bool good = true;
  switch (data[0] % 4) {
    case 0: {
      const auto r = ParseOrgCsv(text);
      good =
          ProblemsPlaced(r) && (!r.ok() || (r->department_lines.size() == r->departments.size() &&
                                            r->unit_lines.size() == r->units.size() &&
                                            r->location_lines.size() == r->locations.size()));
      break;
    }
    case 1: {
      const auto r = ParseRolesCsv(text);
      good = ProblemsPlaced(r) && (!r.ok() || r->role_level_lines.size() == r->role_levels.size());
      if (r.ok()) {
        for (const auto& requirement : r->requirements) {
          if (requirement.role_level >= r->role_levels.size()) good = false;
        }
      }
      break;
    }
    case 2: {
      const auto r = ParsePostsCsv(text);
      good = ProblemsPlaced(r) && (!r.ok() || r->lines.size() == r->posts.size());
      break;
    }
    default: {
      const auto r = ParsePeopleCsv(text);
      good = ProblemsPlaced(r) && (!r.ok() || r->lines.size() == r->people.size());
      break;
    }
  }
  if (!good) __builtin_trap();
  return 0;
}
