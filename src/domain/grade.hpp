// Civil Service grades, from Administrative Assistant to Permanent Secretary's band.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace pathway::domain {

// In order of seniority; the numeric value is the rank (0 = most junior).
enum class Grade { kAA, kAO, kEO, kHEO, kSEO, kG7, kG6, kSCS1, kSCS2, kSCS3 };

inline constexpr int kGradeCount = 10;

struct GradeInfo {
  Grade grade;
  std::string_view code;  // as HR systems write it: "AA", "HEO", "SCS1"
  std::string_view name;  // as people say it
};

// All grades, most junior first.
const std::array<GradeInfo, kGradeCount>& AllGrades();

// The grade with this code (case-sensitive, as in AllGrades), or nullopt.
std::optional<Grade> ParseGrade(std::string_view code);

std::string_view GradeCode(Grade grade);

}  // namespace pathway::domain
