// How the workforce engine selects the rows a match or map reads, against CRoaring
// bitmaps (the suggestion, "if it measures better than plain vectors").
//
// The engine keeps people sorted by profession and grade, so a profession and grade
// filter is a few runs of rows; region, department and clearance are checked by
// scanning their byte columns over those runs. The alternative holds one roaring
// bitmap per profession x grade cell, per region and per department, and intersects
// them. Both then read one level column over the selected rows (as scoring does), so
// each side does the whole job of "find the candidates and touch them".
//
// 500,000 people, 28 professions, the Civil Service's grade mix, regions skewed to
// London, 20 departments; deterministic. Prints one key=value line per filter shape:
//   scenario=filter_NAME median_ms=RUNS baseline_median_ms=ROARING ratio=ROARING/RUNS
//   same_answer=1 rows=N ...
#include <roaring/roaring.hh>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "timing.hpp"

namespace {

constexpr std::uint32_t kPeople = 500'000;
constexpr int kProfessions = 28;
constexpr int kGrades = 11;
constexpr int kRegions = 13;
constexpr int kDepartments = 20;
constexpr int kRuns = 200;

// splitmix64
struct Random {
  std::uint64_t state;
  std::uint64_t Next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }
};

struct Run {
  std::uint32_t begin;
  std::uint32_t end;
};

struct Workforce {
  std::vector<std::uint8_t> profession, grade, region, department, level;
  // The engine's layout: rows sorted by profession then grade, a run per cell.
  std::array<std::array<Run, kGrades>, kProfessions> cells{};
  // The alternative: bitmaps.
  std::array<std::array<Roaring, kGrades>, kProfessions> cell_bitmaps;
  std::array<Roaring, kRegions> region_bitmaps;
  std::array<Roaring, kDepartments> department_bitmaps;
};

Workforce Make() {
  // AA AO EO HEO SEO G7 G6 SCS1 SCS2 SCS3 (+ one unused rank), roughly the mix.
  constexpr std::array<double, kGrades> kGradeShare{0.04, 0.22,  0.27,   0.18,   0.12, 0.11,
                                                    0.05, 0.008, 0.0015, 0.0005, 0};
  Random rng{42};
  struct Person {
    std::uint8_t profession, grade, region, department, level;
  };
  std::vector<Person> people(kPeople);
  for (auto& p : people) {
    p.profession = static_cast<std::uint8_t>(rng.Below(kProfessions));
    double x = rng.Unit();
    int g = 0;
    while (g < kGrades - 1 && x >= kGradeShare[static_cast<std::size_t>(g)]) {
      x -= kGradeShare[static_cast<std::size_t>(g)];
      ++g;
    }
    p.grade = static_cast<std::uint8_t>(g);
    p.region = static_cast<std::uint8_t>(rng.Unit() < 0.2 ? 6 : rng.Below(kRegions));
    p.department = static_cast<std::uint8_t>(rng.Below(kDepartments));
    p.level = static_cast<std::uint8_t>(rng.Below(5));
  }
  std::sort(people.begin(), people.end(), [](const Person& a, const Person& b) {
    return a.profession != b.profession ? a.profession < b.profession : a.grade < b.grade;
  });
  Workforce w;
  for (std::uint32_t row = 0; row < kPeople; ++row) {
    const Person& p = people[row];
    w.profession.push_back(p.profession);
    w.grade.push_back(p.grade);
    w.region.push_back(p.region);
    w.department.push_back(p.department);
    w.level.push_back(p.level);
    Run& run = w.cells[p.profession][p.grade];
    if (run.end == 0) run.begin = row;
    run.end = row + 1;
    w.cell_bitmaps[p.profession][p.grade].add(row);
    w.region_bitmaps[p.region].add(row);
    w.department_bitmaps[p.department].add(row);
  }
  for (auto& row : w.cell_bitmaps) {
    for (auto& b : row) b.runOptimize();
  }
  for (auto& b : w.region_bitmaps) b.runOptimize();
  for (auto& b : w.department_bitmaps) b.runOptimize();
  return w;
}

struct Shape {
  const char* name;
  int profession;
  int grade_lo, grade_hi;
  int region;      // -1: any
  int department;  // -1: any
};

// Rows selected and the sum of their levels: the engine's way.
std::pair<std::uint64_t, std::uint64_t> ByRuns(const Workforce& w, const Shape& q) {
  std::uint64_t rows = 0, sum = 0;
  std::array<std::uint8_t, 2048> pass;
  for (int g = q.grade_lo; g <= q.grade_hi; ++g) {
    const Run run = w.cells[static_cast<std::size_t>(q.profession)][static_cast<std::size_t>(g)];
    for (std::uint32_t from = run.begin; from < run.end; from += 2048) {
      const std::uint32_t count = std::min<std::uint32_t>(2048, run.end - from);
      const std::uint8_t* region = w.region.data() + from;
      const std::uint8_t* department = w.department.data() + from;
      const std::uint8_t* level = w.level.data() + from;
      for (std::uint32_t j = 0; j < count; ++j) {
        pass[j] = static_cast<std::uint8_t>((q.region < 0 || region[j] == q.region) &
                                            (q.department < 0 || department[j] == q.department));
      }
      for (std::uint32_t j = 0; j < count; ++j) {
        rows += pass[j];
        sum += pass[j] ? level[j] : 0u;
      }
    }
  }
  return {rows, sum};
}

// The same with CRoaring: OR the cells, AND the region and department bitmaps, then
// visit the rows.
std::pair<std::uint64_t, std::uint64_t> ByRoaring(const Workforce& w, const Shape& q) {
  Roaring selected;
  for (int g = q.grade_lo; g <= q.grade_hi; ++g) {
    selected |= w.cell_bitmaps[static_cast<std::size_t>(q.profession)][static_cast<std::size_t>(g)];
  }
  if (q.region >= 0) selected &= w.region_bitmaps[static_cast<std::size_t>(q.region)];
  if (q.department >= 0) selected &= w.department_bitmaps[static_cast<std::size_t>(q.department)];
  std::uint64_t rows = 0, sum = 0;
  for (const std::uint32_t row : selected) {
    ++rows;
    sum += w.level[row];
  }
  return {rows, sum};
}

}  // namespace

int main() {
  const Workforce w = Make();
  std::size_t bitmap_bytes = 0;
  for (const auto& row : w.cell_bitmaps) {
    for (const auto& b : row) bitmap_bytes += b.getSizeInBytes();
  }
  for (const auto& b : w.region_bitmaps) bitmap_bytes += b.getSizeInBytes();
  for (const auto& b : w.department_bitmaps) bitmap_bytes += b.getSizeInBytes();
  const Shape shapes[] = {
      {"profession_two_grades", 3, 2, 3, -1, -1},
      {"profession_two_grades_region", 3, 2, 3, 6, -1},
      {"profession_two_grades_region_department", 3, 2, 3, 2, 5},
      {"profession_all_grades_region", 3, 0, kGrades - 1, 9, -1},
  };
  int status = 0;
  for (const Shape& q : shapes) {
    std::pair<std::uint64_t, std::uint64_t> a, b;
    const double runs =
        pathway::bench::Median(pathway::bench::Time(kRuns, [&] { a = ByRuns(w, q); }));
    const double roaring =
        pathway::bench::Median(pathway::bench::Time(kRuns, [&] { b = ByRoaring(w, q); }));
    std::printf(
        "scenario=filter_%s median_ms=%.4f baseline_median_ms=%.4f ratio=%.2f same_answer=%d "
        "rows=%llu baseline=croaring bitmap_bytes=%zu column_bytes=%u\n",
        q.name, runs, roaring, runs > 0 ? roaring / runs : 0.0, a == b ? 1 : 0,
        static_cast<unsigned long long>(a.first), bitmap_bytes, kPeople * 2u);
    if (a != b) status = 1;
  }
  return status;
}
