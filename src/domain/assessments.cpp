#include "domain/assessments.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "domain/text.hpp"

namespace pathway::domain {
namespace {

Status CheckText(std::string_view text, std::string_view field, std::string_view label,
                 std::size_t limit) {
  if (auto problem = FindTextProblem(text, LineBreaks::kAllowed)) {
    return Error::InvalidInput(std::string(field),
                               DescribeTextProblem(*problem, fmt::format("‘{}’", label)));
  }
  if (CharacterCount(text) > limit) {
    return Error::InvalidInput(
        std::string(field),
        fmt::format("{} must be {} characters or fewer", label, fmt::group_digits(limit)));
  }
  return Ok{};
}

}  // namespace

Status CheckEvidence(const StarEvidence& evidence, std::string_view field_prefix) {
  const std::array<std::pair<std::string_view, const std::string*>, 4> parts{{
      {"situation", &evidence.situation},
      {"task", &evidence.task},
      {"action", &evidence.action},
      {"result", &evidence.result},
  }};
  for (const auto& [name, text] : parts) {
    std::string label(name);
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
    PATHWAY_TRY(CheckText(*text, fmt::format("{}{}", field_prefix, name), label,
                          kEvidencePartLimit));
  }
  return Ok{};
}

Status CheckComment(std::string_view comment, std::string_view field) {
  return CheckText(comment, field, "Comment", kCommentLimit);
}

bool AssessedItem::OnScale(int level) const {
  return std::any_of(scale.begin(), scale.end(),
                     [&](const RatingPoint& point) { return point.value == level; });
}

std::string AssessedItem::LevelLabel(int level) const {
  for (const RatingPoint& point : scale) {
    if (point.value == level && !point.label.empty()) {
      return fmt::format("{} ({})", level, point.label);
    }
  }
  return std::to_string(level);
}

std::string_view SelfAssessmentStatusName(SelfAssessmentStatus status) {
  switch (status) {
    case SelfAssessmentStatus::kDraft:
      return "draft";
    case SelfAssessmentStatus::kSubmitted:
      return "submitted";
    case SelfAssessmentStatus::kReviewed:
      return "reviewed";
  }
  return "draft";
}

std::optional<SelfAssessmentStatus> ParseSelfAssessmentStatus(std::string_view name) {
  if (name == "draft") return SelfAssessmentStatus::kDraft;
  if (name == "submitted") return SelfAssessmentStatus::kSubmitted;
  if (name == "reviewed") return SelfAssessmentStatus::kReviewed;
  return std::nullopt;
}

std::optional<LevelRule> CurrentLevelOf(const std::vector<LedgerEntry>& entries) {
  std::optional<LevelRule> latest_self;
  std::optional<LevelRule> latest_confirmed;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const LedgerEntry& entry = entries[i];
    if (entry.confirmed()) {
      latest_confirmed = LevelRule{entry.level, true, i};
    } else {
      latest_self = LevelRule{entry.level, false, i};
    }
  }
  return latest_confirmed ? latest_confirmed : latest_self;
}

void Summarise(Gap& gap) {
  gap.total_gap = 0;
  gap.met = 0;
  gap.unconfirmed = 0;
  gap.strengths.clear();
  for (std::size_t i = 0; i < gap.rows.size(); ++i) {
    const GapRow& row = gap.rows[i];
    gap.total_gap += row.gap();
    if (row.gap() == 0) ++gap.met;
    if (row.have > 0 && !row.confirmed) ++gap.unconfirmed;
    if (row.surplus() > 0) gap.strengths.push_back(i);
  }
  std::stable_sort(gap.strengths.begin(), gap.strengths.end(), [&](std::size_t a, std::size_t b) {
    return gap.rows[a].surplus() > gap.rows[b].surplus();
  });
  const std::size_t total = gap.rows.size();
  if (total == 0) {
    gap.summary = "This role level has no requirements recorded.";
  } else if (gap.total_gap == 0) {
    gap.summary = fmt::format("Meets all {} requirements", total);
  } else {
    gap.summary = fmt::format("Meets {} of {} requirements; {} {} to gain", gap.met, total,
                              gap.total_gap, gap.total_gap == 1 ? "level" : "levels");
  }
  if (gap.unconfirmed > 0) {
    gap.summary += fmt::format(" ({} {} on self-assessment alone)", gap.unconfirmed,
                               gap.unconfirmed == 1 ? "rests" : "rest");
  }
  gap.summary += ".";
}

std::string_view ActionStatusName(ActionStatus status) {
  switch (status) {
    case ActionStatus::kPlanned:
      return "planned";
    case ActionStatus::kInProgress:
      return "in_progress";
    case ActionStatus::kDone:
      return "done";
    case ActionStatus::kDropped:
      return "dropped";
  }
  return "planned";
}

std::string_view ActionStatusLabel(ActionStatus status) {
  switch (status) {
    case ActionStatus::kPlanned:
      return "Planned";
    case ActionStatus::kInProgress:
      return "In progress";
    case ActionStatus::kDone:
      return "Done";
    case ActionStatus::kDropped:
      return "Dropped";
  }
  return "Planned";
}

std::optional<ActionStatus> ParseActionStatus(std::string_view name) {
  for (ActionStatus status : {ActionStatus::kPlanned, ActionStatus::kInProgress,
                              ActionStatus::kDone, ActionStatus::kDropped}) {
    if (ActionStatusName(status) == name) return status;
  }
  return std::nullopt;
}

Status CheckResourceUrl(std::string_view url, std::string_view field) {
  const bool http = url.starts_with("https://") || url.starts_with("http://");
  const bool clean = std::none_of(url.begin(), url.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7F;
  });
  const std::size_t scheme = url.starts_with("https://") ? 8 : 7;
  if (!http || !clean || url.size() <= scheme || url.size() > 2000 || !ValidUtf8(url)) {
    return Error::InvalidInput(std::string(field),
                               "Enter a web address that starts with https:// or http://");
  }
  return Ok{};
}

}  // namespace pathway::domain
