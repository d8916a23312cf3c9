#include "domain/vetting.hpp"

#include <array>

#include <fmt/format.h>

#include "domain/text.hpp"

namespace pathway::domain {
namespace {

constexpr std::array<std::string_view, 4> kKindNames{"new", "renewal", "aftercare", "concern"};
constexpr std::array<std::string_view, 4> kKindLabels{"New clearance", "Renewal",
                                                      "Aftercare review", "Concern"};
constexpr std::array<std::string_view, 6> kStageNames{"opened",    "questionnaire", "checks",
                                                      "interview", "assessment",    "decided"};
constexpr std::array<std::string_view, 6> kStageLabels{"Opened",    "Questionnaire", "Checks",
                                                       "Interview", "Assessment",    "Decided"};
constexpr std::array<std::string_view, 3> kOutcomeNames{"granted", "refused", "withdrawn"};
constexpr std::array<std::string_view, 3> kPartNames{"vetting", "referral", "decision"};

template <typename E, std::size_t N>
std::optional<E> Find(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view VettingCaseKindName(VettingCaseKind kind) {
  return kKindNames[static_cast<int>(kind)];
}
std::optional<VettingCaseKind> ParseVettingCaseKind(std::string_view name) {
  return Find<VettingCaseKind>(kKindNames, name);
}
std::string_view VettingCaseKindLabel(VettingCaseKind kind) {
  return kKindLabels[static_cast<int>(kind)];
}
std::string_view VettingStageName(VettingStage stage) {
  return kStageNames[static_cast<int>(stage)];
}
std::optional<VettingStage> ParseVettingStage(std::string_view name) {
  return Find<VettingStage>(kStageNames, name);
}
std::string_view VettingStageLabel(VettingStage stage) {
  return kStageLabels[static_cast<int>(stage)];
}
std::string_view VettingOutcomeName(VettingOutcome outcome) {
  return kOutcomeNames[static_cast<int>(outcome)];
}
std::optional<VettingOutcome> ParseVettingOutcome(std::string_view name) {
  return Find<VettingOutcome>(kOutcomeNames, name);
}
std::string_view VettingNotePartName(VettingNotePart part) {
  return kPartNames[static_cast<int>(part)];
}
std::optional<VettingNotePart> ParseVettingNotePart(std::string_view name) {
  return Find<VettingNotePart>(kPartNames, name);
}

Result<Clearance> CheckClearanceLevel(std::string_view text, const std::string& field) {
  if (auto level = ParseClearance(Upper(Trim(text)))) return *level;
  return Error::InvalidInput(field, "Choose BPSS, CTC, SC or DV");
}

Status CheckVettingNote(std::string_view text, const std::string& field) {
  if (Trim(text).empty()) return Error::InvalidInput(field, "Enter the note");
  if (auto problem = FindTextProblem(text, LineBreaks::kAllowed)) {
    return Error::InvalidInput(field, DescribeTextProblem(*problem, "The note"));
  }
  if (CharacterCount(text) > kMaxVettingNote) {
    return Error::InvalidInput(
        field, fmt::format("The note must be {} characters or fewer", kMaxVettingNote));
  }
  return Ok{};
}

Status CheckReadReason(std::string_view text) {
  if (Trim(text).empty()) {
    return Error::InvalidInput("reason", "Enter why you need to read the case notes");
  }
  if (auto problem = FindTextProblem(text, LineBreaks::kRefused)) {
    return Error::InvalidInput("reason", DescribeTextProblem(*problem, "The reason"));
  }
  if (CharacterCount(text) > kMaxReadReason) {
    return Error::InvalidInput(
        "reason", fmt::format("The reason must be {} characters or fewer", kMaxReadReason));
  }
  return Ok{};
}

Result<VettingDecision> CheckVettingDecision(const VettingDecisionInput& input,
                                             std::string_view opened_on, std::string_view today) {
  VettingDecision decision;
  const auto outcome = ParseVettingOutcome(Lower(Trim(input.outcome)));
  if (!outcome) return Error::InvalidInput("outcome", "Choose granted, refused or withdrawn");
  decision.outcome = *outcome;
  if (Trim(input.reason).empty()) {
    return Error::InvalidInput("reason", "Enter the reason for the decision");
  }
  PATHWAY_TRY(CheckVettingNote(input.reason, "reason"));
  decision.reason = input.reason;
  if (decision.outcome == VettingOutcome::kGranted) {
    if (Trim(input.granted_level).empty()) {
      return Error::InvalidInput("granted_level", "Choose the level granted: BPSS, CTC, SC or DV");
    }
    PATHWAY_ASSIGN_OR_RETURN(auto level, CheckClearanceLevel(input.granted_level, "granted_level"));
    decision.granted_level = level;
  } else if (!Trim(input.granted_level).empty()) {
    return Error::InvalidInput("granted_level",
                               "Leave the level empty unless the clearance is granted");
  }
  decision.decided_on = input.decided_on.empty() ? std::string(today) : input.decided_on;
  if (!ValidIsoDate(decision.decided_on)) {
    return Error::InvalidInput("decided_on", "Enter a real date, for example 2027-03-31");
  }
  if (decision.decided_on < opened_on) {
    return Error::InvalidInput("decided_on",
                               fmt::format("The decision date must be on or after the date the "
                                           "case was opened ({})",
                                           opened_on));
  }
  if (decision.decided_on > today) {
    return Error::InvalidInput("decided_on", "The decision date must be today or in the past");
  }
  if (decision.outcome == VettingOutcome::kGranted) {
    if (input.review_due.empty()) {
      return Error::InvalidInput("review_due", "Enter the date the clearance is due for review");
    }
    if (!ValidIsoDate(input.review_due)) {
      return Error::InvalidInput("review_due", "Enter a real date, for example 2032-03-31");
    }
    if (input.review_due <= decision.decided_on) {
      return Error::InvalidInput("review_due", "The review date must be after the decision date");
    }
    decision.review_due = input.review_due;
  } else if (!input.review_due.empty()) {
    return Error::InvalidInput("review_due",
                               "Leave the review date empty unless the clearance is granted");
  }
  return decision;
}

}  // namespace pathway::domain
