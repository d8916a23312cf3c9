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

// How a person's grade counts when ranking against a role level's grade band. Only a
// role level has a band: for an ad-hoc list every mode ranks as kIgnore.
enum class GradeOrder {
  kIgnore,          // requirements only (then person id)
  kNearestFirst,    // equal ranks: in the band first, then the fewest grades outside it
  kOverGradedLast,  // as kNearestFirst, and everyone above the band after everyone else
};

// What to rank against: a role level's requirements (by code) or an ad-hoc list (a
// vacancy's Success Profile, a search) — exactly one of the two.
struct MatchQuery {
  std::string role_level;
  std::vector<RequirementSpec> requirements;
  Filters filters;
  int k = 10;  // 1..kMaxMatchResults
  GradeOrder grade_order = GradeOrder::kIgnore;
};

// Where a person's grade stands against the role level's band.
enum class GradeFit { kNoBand, kUnknown, kInBand, kBelow, kAbove };

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
  int grade = -1;                   // the person's grade rank; -1 if unknown
  GradeFit grade_fit = GradeFit::kNoBand;
  int grades_outside = 0;  // kBelow, kAbove: how many grades outside the band
};

struct MatchResult {
  std::vector<MatchEntry> entries;  // best first
  std::int64_t candidates = 0;      // people who passed the filters
  int band_min = -1;                // the role level's grade band (ranks); -1 if none
  int band_max = -1;
};

// Ranks everyone passing the filters by score (highest first), then person id. With a
// grade order (and a role level), equal scores go nearest the band first, and with
// kOverGradedLast people above the band come after everyone else.
Result<MatchResult> Match(const Snapshot& snapshot, const MatchQuery& query);

// Ranks people who do not yet meet every requirement by their gap (smallest first),
// then score (highest first), then person id: the people closest to ready. The grade
// order applies as for Match.
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
// A direct move (straight from the start to the target, on the map or not) is a
// candidate unless the target's lowest grade is more than this many grades above the
// person's grade. Farther targets are reached only by a series of moves on the map.
// ClosestRoles lists, by default, role levels up to the same rise, so every role level
// it lists has a route.
inline constexpr int kMaxDirectGradeRise = 1;

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
  // "entry" (no post: a role level at their grade), "promotion", "lateral",
  // "cross-profession" (moves on the map), "direct" (straight to the target, off the map)
  std::string kind;
  int gap = 0;  // levels to learn for this step
  std::vector<LearnItem> learn;
};

// A route's learning gap is the sum of its steps' gaps, each step counting what the
// person lacks after meeting the requirements of the step before it.
struct Route {
  std::vector<RouteStep> steps;
  int total_gap = 0;
  double cost = 0;  // total_gap + the moves' weights (ties favour easy, short routes)
};

// Why no route reaches the target within the query's limits.
enum class NoRouteReason {
  kNone,          // there are routes
  kGradeTooHigh,  // no direct move (grade too far up) and no series of moves leads there
  kTooManySteps,  // no direct move, and every series of moves takes more than max_steps
  kSearchLimit,   // no direct move, and the search gave up before finding a route
};
std::string_view NoRouteReasonCode(NoRouteReason reason);  // "none", "grade_too_high", ...

struct RouteResult {
  std::string start;          // the person's current role level code, or empty
  std::vector<Route> routes;  // cheapest first; empty exactly when `reason` is not kNone
  NoRouteReason reason = NoRouteReason::kNone;
  std::string reason_text;  // the reason in words; empty when there are routes
  int fewest_steps = 0;     // kTooManySteps: the fewest moves any series takes
};

// The k cheapest simple routes from the person's current role level (or, without a
// post, from any role level at their grade) to the target. The candidates are series of
// moves on the map and the direct move to the target (see kMaxDirectGradeRise), whose
// learning gap is the person's own gap for the target: so whenever the direct move is a
// candidate there is a route, and the cheapest route's total_gap is at most the gap
// ClosestRoles gives the target (every move weighs more than 0 and at most 1, the
// direct move 1). A target farther up is reached only through the grades between, and
// such a route may teach more than that gap (each step's role level has its own needs).
// No route is not an error: `reason` says why.
Result<RouteResult> BestRoutes(const Snapshot& snapshot, const RouteQuery& query);

struct RoleFit {
  std::string role_level;
  int gap = 0;  // levels short in total
  int met = 0;
  int requirements = 0;
};

// Role levels whose grade range overlaps [grade_min, grade_max] (default: the person's
// grade up to kMaxDirectGradeRise above), smallest gap first, then code; the person's
// own excluded.
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
