// Recruitment from the frameworks: the value types of a vacancy and its Success Profile,
// applications, panel scores on the Success Profiles scale (1 to 7), the merit list and
// the induction an accepted offer starts; and the rules that need no database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"

namespace pathway::domain {

inline constexpr std::size_t kStatementLimit = 2500;  // characters, per element
inline constexpr std::size_t kScoreEvidenceLimit = 2000;
inline constexpr std::size_t kElementLimit = 20;
inline constexpr int kMinScore = 1;
inline constexpr int kMaxScore = 7;

// What a Success Profile assesses.
enum class ElementKind { kBehaviour, kTechnical, kStrength, kExperience, kAbility };
std::string_view ElementKindName(ElementKind kind);  // "behaviour", "technical", ...
std::string_view ElementKindLabel(ElementKind kind);
std::optional<ElementKind> ParseElementKind(std::string_view name);

// Stages of a campaign, in order; each element is assessed at some of them.
inline constexpr std::string_view kStages[] = {"application", "sift", "test", "interview"};
bool ValidStage(std::string_view stage);

struct ProfileElement {
  ElementKind kind = ElementKind::kBehaviour;
  std::string item_id;  // the framework item (behaviours, technical requirements); else empty
  std::string title;
  int level = 0;  // the level the post needs (framework items); 0 for others
  std::vector<std::string> stages;
  int minimum = 4;  // the lowest agreed score that passes, 1 to 7
};

struct Vacancy {
  std::int64_t id = 0;
  std::string title;
  std::string department;
  std::string post;        // the post's external id; empty for a new post
  std::string role_level;  // code; may be empty
  std::string grade;       // code
  std::string clearance;   // BPSS, CTC, SC, DV
  int posts = 1;
  std::string closes_on;  // ISO date; applications close at the end of that day
  std::string status;     // open, filled
  std::optional<std::int64_t> created_by;
  std::vector<ProfileElement> elements;
};

// kInvalidInput naming the field: title, closing date, 1–100 posts, 1–20 elements each
// with a title, valid stages (at least one), a minimum from 1 to 7.
Status CheckVacancy(const Vacancy& vacancy, std::string_view today);
Status CheckScore(int score, std::string_view field);
Status CheckStatement(std::string_view text, std::string_view field);

// One application on the merit list.
struct MeritEntry {
  std::int64_t application_id = 0;
  std::string candidate;  // a name, or "Candidate N" where the reader sees applications anonymised
  int total = 0;          // of agreed scores
  int behaviour_total = 0;                 // tie-break 1: behaviours
  std::string submitted_at;                // tie-break 2: earlier application first
  bool passed = true;                      // every element at or above its minimum
  std::vector<std::optional<int>> agreed;  // per element, in profile order
  std::string status;                      // submitted, offered, accepted, unsuccessful
};
// Orders passing applications by total, then behaviour total, then earlier submission,
// then application id; failing ones after, in the same order.
void OrderMeritList(std::vector<MeritEntry>& entries);

// The Success Profiles score a level corresponds to in the ledger: an agreed score at or
// above the element's minimum asserts the level the post needs; below it, one level less
// (never below 1).
int LedgerLevelFor(int agreed_score, int minimum, int post_level);

}  // namespace pathway::domain
