#include "domain/recruitment.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "domain/text.hpp"
#include "domain/workforce.hpp"

namespace pathway::domain {
namespace {

constexpr std::array<std::string_view, 5> kKindNames{"behaviour", "technical", "strength",
                                                     "experience", "ability"};
constexpr std::array<std::string_view, 5> kKindLabels{"Behaviour", "Technical", "Strength",
                                                      "Experience", "Ability"};

Status CheckText(std::string_view text, std::string_view field, std::string_view label,
                 std::size_t limit, LineBreaks breaks) {
  if (auto problem = FindTextProblem(text, breaks)) {
    return Error::InvalidInput(std::string(field),
                               DescribeTextProblem(*problem, fmt::format("‘{}’", label)));
  }
  if (CharacterCount(text) > limit) {
    return Error::InvalidInput(std::string(field), fmt::format("{} must be {} characters or fewer",
                                                               label, fmt::group_digits(limit)));
  }
  return Ok{};
}

}  // namespace

std::string_view ElementKindName(ElementKind kind) { return kKindNames[static_cast<int>(kind)]; }
std::string_view ElementKindLabel(ElementKind kind) { return kKindLabels[static_cast<int>(kind)]; }
std::optional<ElementKind> ParseElementKind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<ElementKind>(i);
  }
  return std::nullopt;
}

bool ValidStage(std::string_view stage) {
  return std::find(std::begin(kStages), std::end(kStages), stage) != std::end(kStages);
}

Status CheckVacancy(const Vacancy& v, std::string_view today) {
  if (Trim(v.title).empty()) return Error::InvalidInput("title", "Enter the vacancy's title");
  PATHWAY_TRY(CheckText(v.title, "title", "Title", kMaxNameLength, LineBreaks::kRefused));
  if (v.closes_on.empty()) return Error::InvalidInput("closes_on", "Enter the closing date");
  if (!ValidIsoDate(v.closes_on)) {
    return Error::InvalidInput("closes_on",
                               "The closing date must be a real date, for example 2027-01-31");
  }
  if (v.closes_on < today)
    return Error::InvalidInput("closes_on", "The closing date must be today or later");
  if (v.posts < 1 || v.posts > 100)
    return Error::InvalidInput("posts", "A vacancy has 1 to 100 posts");
  if (v.elements.size() > kElementLimit) {
    return Error::InvalidInput(
        "elements", fmt::format("A Success Profile has {} elements or fewer", kElementLimit));
  }
  for (std::size_t i = 0; i < v.elements.size(); ++i) {
    const auto& e = v.elements[i];
    const std::string prefix = fmt::format("elements[{}].", i);
    if (Trim(e.title).empty())
      return Error::InvalidInput(prefix + "title", "Give every element a title");
    PATHWAY_TRY(
        CheckText(e.title, prefix + "title", "Element", kMaxStatementLength, LineBreaks::kRefused));
    if (e.stages.empty())
      return Error::InvalidInput(prefix + "stages", "Choose at least one stage that assesses it");
    for (const auto& stage : e.stages) {
      if (!ValidStage(stage)) {
        return Error::InvalidInput(prefix + "stages",
                                   "Stages are application, sift, test and interview");
      }
    }
    if (e.minimum < kMinScore || e.minimum > kMaxScore) {
      return Error::InvalidInput(prefix + "minimum", "A minimum score is from 1 to 7");
    }
  }
  return Ok{};
}

Status CheckScore(int score, std::string_view field) {
  if (score < kMinScore || score > kMaxScore) {
    return Error::InvalidInput(std::string(field), "Score from 1 to 7, the Success Profiles scale");
  }
  return Ok{};
}

Status CheckStatement(std::string_view text, std::string_view field) {
  return CheckText(text, field, "Statement", kStatementLimit, LineBreaks::kAllowed);
}

void OrderMeritList(std::vector<MeritEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const MeritEntry& a, const MeritEntry& b) {
    if (a.passed != b.passed) return a.passed;
    if (a.total != b.total) return a.total > b.total;
    if (a.behaviour_total != b.behaviour_total) return a.behaviour_total > b.behaviour_total;
    if (a.submitted_at != b.submitted_at) return a.submitted_at < b.submitted_at;
    return a.application_id < b.application_id;
  });
}

int LedgerLevelFor(int agreed_score, int minimum, int post_level) {
  if (agreed_score >= minimum) return post_level;
  return std::max(1, post_level - 1);
}

}  // namespace pathway::domain
