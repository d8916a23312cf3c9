#include "domain/grade.hpp"

namespace pathway::domain {

const std::array<GradeInfo, kGradeCount>& AllGrades() {
  static constexpr std::array<GradeInfo, kGradeCount> kGrades{{
      {Grade::kAA, "AA", "Administrative Assistant"},
      {Grade::kAO, "AO", "Administrative Officer"},
      {Grade::kEO, "EO", "Executive Officer"},
      {Grade::kHEO, "HEO", "Higher Executive Officer"},
      {Grade::kSEO, "SEO", "Senior Executive Officer"},
      {Grade::kG7, "G7", "Grade 7"},
      {Grade::kG6, "G6", "Grade 6"},
      {Grade::kSCS1, "SCS1", "Senior Civil Service pay band 1 (Deputy Director)"},
      {Grade::kSCS2, "SCS2", "Senior Civil Service pay band 2 (Director)"},
      {Grade::kSCS3, "SCS3", "Senior Civil Service pay band 3 (Director General)"},
  }};
  return kGrades;
}

std::optional<Grade> ParseGrade(std::string_view code) {
  for (const auto& info : AllGrades()) {
    if (info.code == code) return info.grade;
  }
  return std::nullopt;
}

std::string_view GradeCode(Grade grade) { return AllGrades()[static_cast<int>(grade)].code; }

}  // namespace pathway::domain
