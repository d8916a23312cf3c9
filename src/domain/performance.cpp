#include "domain/performance.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "domain/text.hpp"
#include "domain/workforce.hpp"

namespace pathway::domain {
namespace {

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

Status Required(std::string_view text, std::string_view field, std::string_view message) {
  if (Trim(text).empty()) return Error::InvalidInput(std::string(field), std::string(message));
  return Ok{};
}

Status CheckDate(const std::string& date, std::string_view field, std::string_view label) {
  if (date.empty()) {
    return Error::InvalidInput(std::string(field), fmt::format("Enter the {}", label));
  }
  if (!ValidIsoDate(date)) {
    return Error::InvalidInput(
        std::string(field),
        fmt::format("The {} must be a real date, for example 2027-03-31", label));
  }
  return Ok{};
}

template <typename Enum, std::size_t N>
std::optional<Enum> ParseByName(std::string_view name,
                                const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 2> kReviewKindNames{"mid", "end"};
constexpr std::array<std::string_view, 2> kReviewKindLabels{"Mid-year review", "End-year review"};
constexpr std::array<std::string_view, 4> kStageNames{"open", "person_signed", "manager_signed",
                                                      "countersigned"};
constexpr std::array<std::string_view, 4> kStageLabels{"Not signed", "Signed by the person",
                                                       "Signed by the manager", "Countersigned"};
constexpr std::array<std::string_view, 3> kSignerNames{"person", "manager", "countersigner"};

}  // namespace

Status CheckPerformanceYear(const PerformanceYearSpec& spec) {
  PATHWAY_TRY(Required(spec.name, "name", "Enter a name for the year, for example 2027 to 2028"));
  PATHWAY_TRY(CheckText(spec.name, "name", "Name", kYearNameLimit, LineBreaks::kRefused));
  if (spec.departments.empty()) {
    return Error::InvalidInput("departments", "Choose at least one department");
  }
  if (spec.departments.size() > 20) {
    return Error::InvalidInput("departments", "Choose 20 departments or fewer");
  }
  std::set<std::string> seen;
  for (const auto& code : spec.departments) {
    PATHWAY_TRY(CheckText(code, "departments", "Department", kMaxCodeLength, LineBreaks::kRefused));
    if (!seen.insert(code).second) {
      return Error::InvalidInput("departments", fmt::format("{} is chosen twice", code));
    }
  }
  PATHWAY_TRY(CheckDate(spec.starts_on, "starts_on", "start date"));
  PATHWAY_TRY(CheckDate(spec.objectives_due, "objectives_due", "date objectives are due"));
  PATHWAY_TRY(CheckDate(spec.midyear_due, "midyear_due", "mid-year review date"));
  PATHWAY_TRY(CheckDate(spec.endyear_due, "endyear_due", "end-year review date"));
  if (spec.objectives_due < spec.starts_on) {
    return Error::InvalidInput("objectives_due",
                               "Objectives must be due on or after the start date");
  }
  if (spec.midyear_due <= spec.objectives_due) {
    return Error::InvalidInput("midyear_due",
                               "The mid-year review must be after objectives are due");
  }
  if (spec.endyear_due <= spec.midyear_due) {
    return Error::InvalidInput("endyear_due",
                               "The end-year review must be after the mid-year review");
  }
  if (!spec.scale.empty()) {
    if (spec.scale.size() < 2 || spec.scale.size() > 7) {
      return Error::InvalidInput("scale", "A rating scale has 2 to 7 points");
    }
    std::set<std::string> labels;
    for (const auto& label : spec.scale) {
      PATHWAY_TRY(Required(label, "scale", "Give every point of the scale a label"));
      PATHWAY_TRY(CheckText(label, "scale", "Scale point", 40, LineBreaks::kRefused));
      if (!labels.insert(Lower(Trim(label))).second) {
        return Error::InvalidInput("scale", fmt::format("‘{}’ is on the scale twice", label));
      }
    }
  }
  return Ok{};
}

Status CheckObjectives(const std::vector<Objective>& objectives, const std::string& year_end) {
  if (objectives.empty()) return Error::InvalidInput("objectives", "Add at least one objective");
  if (objectives.size() > kObjectiveLimit) {
    return Error::InvalidInput("objectives",
                               fmt::format("Agree {} objectives or fewer", kObjectiveLimit));
  }
  int total = 0;
  for (std::size_t i = 0; i < objectives.size(); ++i) {
    const Objective& o = objectives[i];
    const std::string prefix = fmt::format("objectives[{}].", i);
    PATHWAY_TRY(Required(o.text, prefix + "text", fmt::format("Enter objective {}", i + 1)));
    PATHWAY_TRY(
        CheckText(o.text, prefix + "text", "Objective", kObjectiveTextLimit, LineBreaks::kAllowed));
    PATHWAY_TRY(Required(o.measure, prefix + "measure",
                         fmt::format("Say how success in objective {} is measured", i + 1)));
    PATHWAY_TRY(CheckText(o.measure, prefix + "measure", "How success is measured",
                          kObjectiveMeasureLimit, LineBreaks::kAllowed));
    PATHWAY_TRY(CheckDate(o.due_on, prefix + "due_on", "due date"));
    if (!year_end.empty() && o.due_on > year_end) {
      return Error::InvalidInput(
          prefix + "due_on",
          fmt::format("Objective {} must be due by the end-year review ({})", i + 1, year_end));
    }
    if (o.weight < 1 || o.weight > 100) {
      return Error::InvalidInput(prefix + "weight", "A weight is a whole number from 1 to 100");
    }
    total += o.weight;
  }
  if (total != 100) {
    return Error::InvalidInput(
        "objectives[0].weight",
        fmt::format("The weights must add up to 100 (they add up to {})", total));
  }
  return Ok{};
}

Status CheckCompetencyChoice(const std::vector<ChosenCompetency>& competencies) {
  if (competencies.empty()) {
    return Error::InvalidInput("competencies", "Choose at least one competency");
  }
  if (competencies.size() > kCompetencyLimit) {
    return Error::InvalidInput("competencies",
                               fmt::format("Choose {} competencies or fewer", kCompetencyLimit));
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < competencies.size(); ++i) {
    const std::string field = fmt::format("competencies[{}].item", i);
    PATHWAY_TRY(Required(competencies[i].item_id, field, "Choose a competency"));
    if (!seen.insert(competencies[i].item_id).second) {
      return Error::InvalidInput(field, "Choose each competency once");
    }
    PATHWAY_TRY(CheckText(competencies[i].reason, fmt::format("competencies[{}].reason", i),
                          "Reason", kReasonLimit, LineBreaks::kRefused));
  }
  return Ok{};
}

std::string_view ReviewKindName(ReviewKind kind) {
  return kReviewKindNames[static_cast<int>(kind)];
}
std::optional<ReviewKind> ParseReviewKind(std::string_view name) {
  return ParseByName<ReviewKind>(name, kReviewKindNames);
}
std::string_view ReviewKindLabel(ReviewKind kind) {
  return kReviewKindLabels[static_cast<int>(kind)];
}

std::string_view ReviewStageName(ReviewStage stage) { return kStageNames[static_cast<int>(stage)]; }
std::optional<ReviewStage> ParseReviewStage(std::string_view name) {
  return ParseByName<ReviewStage>(name, kStageNames);
}
std::string_view ReviewStageLabel(ReviewStage stage) {
  return kStageLabels[static_cast<int>(stage)];
}

std::string_view SignerName(Signer signer) { return kSignerNames[static_cast<int>(signer)]; }
std::optional<Signer> ParseSigner(std::string_view name) {
  return ParseByName<Signer>(name, kSignerNames);
}

std::optional<Signer> NextSigner(ReviewStage stage) {
  switch (stage) {
    case ReviewStage::kOpen:
      return Signer::kPerson;
    case ReviewStage::kPersonSigned:
      return Signer::kManager;
    case ReviewStage::kManagerSigned:
      return Signer::kCountersigner;
    case ReviewStage::kCountersigned:
      return std::nullopt;
  }
  return std::nullopt;
}

Status CheckSignOrder(ReviewStage stage, Signer signer) {
  const auto next = NextSigner(stage);
  if (!next) {
    return Error{ErrorCode::kConflict, "signer",
                 "This review is signed and locked: it must be reopened, with a reason, first"};
  }
  if (*next == signer) return Ok{};
  switch (*next) {
    case Signer::kPerson:
      return Error{ErrorCode::kConflict, "signer", "The person signs the review first"};
    case Signer::kManager:
      return Error{ErrorCode::kConflict, "signer", "The line manager signs the review next"};
    case Signer::kCountersigner:
      return Error{
          ErrorCode::kConflict, "signer",
          "The countersigning manager (the line manager's own manager) signs the review next"};
  }
  return Ok{};
}

std::string_view RecordStatusName(RecordStatus status) {
  return status == RecordStatus::kAgreed ? "agreed" : "setting";
}

std::vector<std::string> OverdueSteps(const PerformanceYear& year, const RecordProgress& progress,
                                      const std::string& today) {
  std::vector<std::string> out;
  if (!progress.agreed && today > year.objectives_due) out.push_back("objectives");
  if (progress.midyear != ReviewStage::kCountersigned && today > year.midyear_due) {
    out.push_back("mid-year");
  }
  if (progress.endyear != ReviewStage::kCountersigned && today > year.endyear_due) {
    out.push_back("end-year");
  }
  return out;
}

std::int64_t RatingGroup::total() const {
  std::int64_t sum = 0;
  for (auto c : counts) sum += c;
  return sum;
}

double Share(std::int64_t count, std::int64_t total) {
  if (total <= 0) return 0;
  return std::round(1000.0 * static_cast<double>(count) / static_cast<double>(total)) / 10.0;
}

Status CheckReason(std::string_view reason, std::string_view field) {
  PATHWAY_TRY(Required(reason, field, "Give a reason"));
  return CheckText(reason, field, "Reason", kReasonLimit, LineBreaks::kAllowed);
}

Status CheckReviewText(std::string_view text, std::string_view field) {
  return CheckText(text, field, "Text", kReviewTextLimit, LineBreaks::kAllowed);
}

}  // namespace pathway::domain
