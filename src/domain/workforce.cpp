#include "domain/workforce.hpp"

#include <cctype>

#include "domain/text.hpp"

namespace pathway::domain {
namespace {

constexpr std::array<std::string_view, 4> kClearanceCodes{"BPSS", "CTC", "SC", "DV"};
constexpr std::array<std::string_view, 4> kClearanceStatusNames{"active", "pending", "expired",
                                                                "withdrawn"};
constexpr std::array<std::string_view, 6> kAssessorNames{"self",        "manager",  "panel",
                                                         "recruitment", "passport", "review"};

template <typename Enum, std::size_t N>
std::optional<Enum> FindName(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

const std::array<RegionInfo, kRegionCount>& AllRegions() {
  static constexpr std::array<RegionInfo, kRegionCount> kRegions{{
      {"TLC", "North East"},
      {"TLD", "North West"},
      {"TLE", "Yorkshire and The Humber"},
      {"TLF", "East Midlands"},
      {"TLG", "West Midlands"},
      {"TLH", "East of England"},
      {"TLI", "London"},
      {"TLJ", "South East"},
      {"TLK", "South West"},
      {"TLL", "Wales"},
      {"TLM", "Scotland"},
      {"TLN", "Northern Ireland"},
      {"OVERSEAS", "Overseas"},
  }};
  return kRegions;
}

const RegionInfo* FindRegion(std::string_view text) {
  for (const auto& region : AllRegions()) {
    if (EqualsIgnoringCase(region.code, text) || EqualsIgnoringCase(region.name, text)) {
      return &region;
    }
  }
  return nullptr;
}

std::string_view ClearanceCode(Clearance clearance) {
  return kClearanceCodes[static_cast<int>(clearance)];
}

std::optional<Clearance> ParseClearance(std::string_view code) {
  return FindName<Clearance>(kClearanceCodes, code);
}

std::string_view ClearanceStatusName(ClearanceStatus status) {
  return kClearanceStatusNames[static_cast<int>(status)];
}

std::optional<ClearanceStatus> ParseClearanceStatus(std::string_view name) {
  return FindName<ClearanceStatus>(kClearanceStatusNames, name);
}

std::string_view AssessorKindName(AssessorKind kind) {
  return kAssessorNames[static_cast<int>(kind)];
}

std::optional<AssessorKind> ParseAssessorKind(std::string_view name) {
  return FindName<AssessorKind>(kAssessorNames, name);
}

bool Confirms(AssessorKind kind) { return kind != AssessorKind::kSelf; }

std::string_view SkillLevelName(int level) {
  if (level < 1 || level > static_cast<int>(kSkillLevelNames.size())) return {};
  return kSkillLevelNames[level - 1];
}

bool ValidIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  const int year =
      (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  const int month = (text[5] - '0') * 10 + (text[6] - '0');
  const int day = (text[8] - '0') * 10 + (text[9] - '0');
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days_in_month = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= days_in_month;
}

}  // namespace pathway::domain
