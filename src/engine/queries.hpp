// The questions the index answers: rank people against requirements (Match,
// ClosestToReady), capability maps of supply against demand, and career pathways.
// Every function reads one immutable Snapshot and is safe to call from any thread.
// Bad input (unknown items, role levels or codes, k out of range, an empty or
// contradictory request) is kInvalidInput with `field` naming the input at fault; a
// valid question with no answer (nobody passes the filters) is an empty result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/grade.hpp"
#include "domain/result.hpp"
#include "domain/workforce.hpp"
#include "engine/snapshot.hpp"

namespace pathway::engine {

// Who is counted. Empty lists mean "any". Filters combine with AND.
struct Filters {
  std::vector<std::string> professions;  // anchor profession codes
  std::optional<domain::Grade> grade_min;
  std::optional<domain::Grade> grade_max;
  std::vector<std::string> regions;      // region codes ("TLI") or names
  std::vector<std::string> departments;  // department codes
  // Only people whose clearance is active and at least this level.
  std::optional<domain::Clearance> clearance_at_least;
};

// One ad-hoc requirement: a framework item (UUID), the level needed, its weight.
struct RequirementSpec {
  std::string item_id;
  int level = 1;   // 1..9
  int weight = 1;  // 1..10
};

inline constexpr int kMaxRequirements = 64;
inline constexpr int kMaxMatchResults = 1000;

// What to rank against: a role level's requirements (by code) or an ad-hoc list (a
// vacancy's Success Profile, a search) — exactly one of the two.
struct MatchQuery {
  std::string role_level;
  std::vector<RequirementSpec> requirements;
  Filters filters;
  int k = 10;  // 1..kMaxMatchResults
};

// Why a person ranks where they do, per requirement.
struct RequirementFit {
  std::string item_id;
  int has = 0;  // current level; 0 = not assessed
  int needs = 0;
  int weight = 1;
};

struct MatchEntry {
  std::int64_t person_id = 0;
  int score = 0;                    // sum of weight x min(has, needs)
  int max_score = 0;                // sum of weight x needs
  int gap = 0;                      // levels short in total: sum of max(0, needs - has)
  int met = 0;                      // requirements met
  std::vector<RequirementFit> fit;  // in the order of the requirements
};

struct MatchResult {
  std::vector<MatchEntry> entries;  // best first
  std::int64_t candidates = 0;      // people who passed the filters
};

// Ranks everyone passing the filters by score (highest first), then person id.
Result<MatchResult> Match(const Snapshot& snapshot, const MatchQuery& query);

// Ranks people who do not yet meet every requirement by their gap (smallest first),
// then score (highest first), then person id: the people closest to ready.
Result<MatchResult> ClosestToReady(const Snapshot& snapshot, const MatchQuery& query);

// ---------------------------------------------------------------------------------
// Capability map

enum class Dimension { kProfession, kRegion, kGrade, kDepartment };
std::string_view DimensionName(Dimension dimension);  // "profession", ...

struct CapabilityQuery {
  Dimension rows = Dimension::kProfession;
  Dimension columns = Dimension::kRegion;
  std::string role_level;                     // its requirement set, or
  std::vector<RequirementSpec> requirements;  // one item or more (exactly one of the two)
  Filters filters;  // people; posts by profession, grade, region and department only
};

// Supply and demand in one cell. A person meets the set when they meet every
// requirement. Demand counts posts whose role level requires every item of the set at
// least at the set's level.
struct CapabilityCell {
  int row = 0;     // index into row_labels
  int column = 0;  // index into column_labels
  std::int64_t headcount = 0;
  std::int64_t meeting = 0;
  std::int64_t level_sum = 0;  // sum over people and requirements of the current level
  double share_meeting = 0;    // meeting / headcount
  double mean_level = 0;       // level_sum / (headcount x requirements)
  std::int64_t demand_filled = 0;
  std::int64_t demand_vacant = 0;
  std::int64_t gap = 0;  // demand_filled + demand_vacant - meeting; positive is a shortfall
};

struct CapabilityMap {
  std::vector<std::string> row_labels;  // codes: profession, region, grade, department
  std::vector<std::string> column_labels;
  std::vector<CapabilityCell> cells;  // non-empty cells, by row then column
  int requirement_count = 0;
};

// People whose value of a dimension is unknown are left out of the map.
Result<CapabilityMap> MapCapability(const Snapshot& snapshot, const CapabilityQuery& query);

// ---------------------------------------------------------------------------------
// Career pathways

inline constexpr int kMaxRoutes = 5;
inline constexpr int kMaxRouteSteps = 8;

struct RouteQuery {
  std::int64_t person_id = 0;
  std::string target;  // role level code
  int k = 3;           // 1..kMaxRoutes
  int max_steps = 4;   // 1..kMaxRouteSteps
  // Constraints on every role level on the route: a post in one of these regions
  // (empty: any), a grade range overlapping [grade_min, grade_max].
  std::vector<std::string> regions;
  std::optional<domain::Grade> grade_min;
  std::optional<domain::Grade> grade_max;
};

struct LearnItem {
  std::string item_id;
  int has = 0;  // level after the earlier steps
  int needs = 0;
};

struct RouteStep {
  std::string role_level;
  std::string kind;  // "entry", "promotion", "lateral", "cross-profession"
  int gap = 0;       // levels to learn for this step
  std::vector<LearnItem> learn;
};

// A route's learning gap is the sum of its steps' gaps, each step counting what the
// person lacks after meeting the requirements of the step before it.
struct Route {
  std::vector<RouteStep> steps;
  int total_gap = 0;
  double cost = 0;  // total_gap + the moves' weights (ties favour easy, short routes)
};

struct RouteResult {
  std::string start;          // the person's current role level code, or empty
  std::vector<Route> routes;  // cheapest first; empty if the target is out of reach
};

// The k cheapest simple routes from the person's current role level (or, without a
// post, from any role level at their grade) to the target.
Result<RouteResult> BestRoutes(const Snapshot& snapshot, const RouteQuery& query);

struct RoleFit {
  std::string role_level;
  int gap = 0;  // levels short in total
  int met = 0;
  int requirements = 0;
};

// Role levels whose grade range overlaps [grade_min, grade_max] (default: the person's
// grade and the one above), smallest gap first, then code; the person's own excluded.
Result<std::vector<RoleFit>> ClosestRoles(const Snapshot& snapshot, std::int64_t person_id, int k,
                                          std::optional<domain::Grade> grade_min = {},
                                          std::optional<domain::Grade> grade_max = {});

struct ReachablePost {
  std::string post;  // external id
  std::string role_level;
  int steps = 0;  // 1 or 2
  int gap = 0;    // the smallest learning gap of a route there
};

struct RegionVacancies {
  std::string region;  // region code
  std::int64_t vacant = 0;
  std::vector<ReachablePost> posts;  // up to the limit, smallest gap first
};

// Vacant posts whose role level is reachable from the person's start in one or two
// moves, by region (regions in official order; regions with none left out).
Result<std::vector<RegionVacancies>> ReachableVacancies(const Snapshot& snapshot,
                                                        std::int64_t person_id,
                                                        int per_region_limit = 10);

}  // namespace pathway::engine
