// Career pathways over the role-level graph (Catalog::moves_out). For one person every
// move gets a cost: the levels they would still have to learn for the target role
// level after meeting the source role level's requirements (from their own start: after
// nothing but their own assessments), plus the move's weight. Routes are simple paths
// from a virtual start node; the k cheapest within the step limit come from a best-first
// search whose heuristic is the exact cheapest cost to the target without the step
// limit (one backward Dijkstra), so complete routes are popped in cost order and the
// search only strays from the best route as far as the k-th route needs.
//
// Besides the moves on the map, the start has a direct move to the target (unless the
// target's grade is too far up): it costs the person's own gap for the target plus the
// heaviest move weight, 1. Every move weighs more than 0 and gaps are whole numbers, so
// a route that teaches more than the direct move costs more than it: the cheapest route
// never teaches more than the gap ClosestRoles lists.
#include <algorithm>
#include <limits>
#include <queue>

#include <fmt/format.h>

#include "engine/internal/resolve.hpp"
#include "engine/queries.hpp"

namespace pathway::engine {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr float kEntryWeight = 0.1f;
constexpr double kDirectWeight = 1.0;  // the heaviest a move on the map weighs
constexpr const char* kDirectKind = "direct";
constexpr std::size_t kMaxExpansions = 200'000;

struct Edge {
  std::uint32_t to;
  int gap;
  double cost;
  const char* kind;
};

// The person's view of the graph: node N is their start.
struct PersonGraph {
  std::uint32_t start = 0;        // node index of the virtual start (= role level count)
  std::int64_t current = -1;      // their post's role level, or -1
  std::vector<std::uint8_t> has;  // by item code
  std::vector<std::uint32_t> offsets;
  std::vector<Edge> edges;
};

Result<std::uint32_t> PersonRow(const Snapshot& s, std::int64_t person_id) {
  const std::int64_t row = s.RowOf(person_id);
  if (row < 0) return Error{domain::ErrorCode::kNotFound, "person_id", "No such person", 0};
  return static_cast<std::uint32_t>(row);
}

int GapFor(const RoleLevelInfo& to, const std::vector<std::uint8_t>& has) {
  int gap = 0;
  for (const Need& n : to.needs) gap += std::max(0, n.level - has[n.item]);
  return gap;
}

// `allowed` (by role level) limits the nodes a route may use.
PersonGraph BuildPersonGraph(const Snapshot& s, std::uint32_t row,
                             const std::vector<std::uint8_t>& allowed) {
  const Catalog& c = s.catalog();
  const auto n = static_cast<std::uint32_t>(c.role_levels.size());
  PersonGraph g;
  g.start = n;
  g.has.resize(c.items.size());
  for (std::size_t i = 0; i < c.items.size(); ++i)
    g.has[i] = static_cast<std::uint8_t>(s.Level(row, i));
  const std::uint32_t post = s.post(row);
  if (post != 0) g.current = c.posts[post - 1].role_level;
  g.offsets.assign(n + 2, 0);
  std::vector<std::uint8_t> effective = g.has;
  for (std::uint32_t a = 0; a < n; ++a) {
    g.offsets[a] = static_cast<std::uint32_t>(g.edges.size());
    if (!allowed[a] || static_cast<std::int64_t>(a) == g.current) continue;
    const RoleLevelInfo& from = c.role_levels[a];
    for (const Need& need : from.needs) {
      effective[need.item] = std::max(effective[need.item], need.level);
    }
    for (const Move& move : c.moves_out[a]) {
      if (!allowed[move.to] || static_cast<std::int64_t>(move.to) == g.current) continue;
      const int gap = GapFor(c.role_levels[move.to], effective);
      g.edges.push_back(
          {move.to, gap, gap + static_cast<double>(move.weight), MoveKindName(move.kind).data()});
    }
    for (const Need& need : from.needs) effective[need.item] = g.has[need.item];
  }
  g.offsets[n] = static_cast<std::uint32_t>(g.edges.size());
  const int grade = static_cast<int>(s.grade(row)) - 1;
  if (g.current >= 0) {
    for (const Move& move : c.moves_out[static_cast<std::size_t>(g.current)]) {
      if (!allowed[move.to]) continue;
      const int gap = GapFor(c.role_levels[move.to], g.has);
      g.edges.push_back(
          {move.to, gap, gap + static_cast<double>(move.weight), MoveKindName(move.kind).data()});
    }
  } else {
    for (std::uint32_t b = 0; b < n; ++b) {
      const RoleLevelInfo& to = c.role_levels[b];
      if (!allowed[b]) continue;
      if (grade >= 0 && (grade < to.grade_min || grade > to.grade_max)) continue;
      const int gap = GapFor(to, g.has);
      g.edges.push_back({b, gap, gap + static_cast<double>(kEntryWeight), "entry"});
    }
  }
  g.offsets[n + 1] = static_cast<std::uint32_t>(g.edges.size());
  return g;
}

std::vector<RouteStep> DescribeSteps(const Snapshot& s, const PersonGraph& g,
                                     const std::vector<std::uint32_t>& nodes,
                                     const std::vector<const char*>& kinds) {
  const Catalog& c = s.catalog();
  std::vector<RouteStep> steps;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::vector<std::uint8_t> effective = g.has;
    if (i > 0) {
      for (const Need& n : c.role_levels[nodes[i - 1]].needs) {
        effective[n.item] = std::max(effective[n.item], n.level);
      }
    }
    const RoleLevelInfo& to = c.role_levels[nodes[i]];
    RouteStep step{to.code, kinds[i], 0, {}};
    for (const Need& n : to.needs) {
      if (effective[n.item] < n.level) {
        step.gap += n.level - effective[n.item];
        step.learn.push_back({c.items[n.item].item_id, effective[n.item], n.level});
      }
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

// Adds the direct move from the start to `target` unless the start already has a move
// there (the entry or a move on the map weighs at most as much) or the target's lowest
// grade is too far above the person's. Returns whether the start now reaches the target
// in one move.
bool AddDirectMove(const Snapshot& s, std::uint32_t row, std::uint32_t target, PersonGraph& g) {
  for (std::uint32_t e = g.offsets[g.start]; e < g.offsets[g.start + 1]; ++e) {
    if (g.edges[e].to == target) return true;
  }
  const RoleLevelInfo& to = s.catalog().role_levels[target];
  const int grade = static_cast<int>(s.grade(row)) - 1;  // -1: unknown, no limit
  if (grade >= 0 && to.grade_min > grade + kMaxDirectGradeRise) return false;
  const int gap = GapFor(to, g.has);
  g.edges.push_back({target, gap, gap + kDirectWeight, kDirectKind});
  ++g.offsets[g.start + 1];
  return true;
}

std::string GradeTooFar(const Snapshot& s, std::uint32_t row, const RoleLevelInfo& target) {
  static_assert(kMaxDirectGradeRise == 1, "the words below say one grade");
  const std::string name =
      target.title.empty() ? target.code : fmt::format("{} ({})", target.title, target.code);
  const int grade = static_cast<int>(s.grade(row)) - 1;
  if (grade < 0) return name + " is out of reach";
  const auto need = static_cast<domain::Grade>(target.grade_min);
  const auto has = static_cast<domain::Grade>(grade);
  return fmt::format("{} needs grade {} or above, more than one grade above {}", name,
                     domain::GradeCode(need), domain::GradeCode(has));
}

}  // namespace

std::string_view NoRouteReasonCode(NoRouteReason reason) {
  switch (reason) {
    case NoRouteReason::kNone:
      return "none";
    case NoRouteReason::kGradeTooHigh:
      return "grade_too_high";
    case NoRouteReason::kTooManySteps:
      return "too_many_steps";
    case NoRouteReason::kSearchLimit:
      return "search_limit";
  }
  return "none";
}

Result<RouteResult> BestRoutes(const Snapshot& s, const RouteQuery& query) {
  const Catalog& c = s.catalog();
  if (query.k < 1 || query.k > kMaxRoutes) {
    return Error::InvalidInput("k", "Enter a number of routes from 1 to 5");
  }
  if (query.max_steps < 1 || query.max_steps > kMaxRouteSteps) {
    return Error::InvalidInput("max_steps", "Enter a number of steps from 1 to 8");
  }
  PATHWAY_ASSIGN_OR_RETURN(const std::uint32_t row, PersonRow(s, query.person_id));
  auto target_it = c.role_level_by_code.find(query.target);
  if (target_it == c.role_level_by_code.end()) {
    return Error::InvalidInput("target", "Select a target role level that exists");
  }
  const std::uint32_t target = target_it->second;
  Filters band;
  band.regions = query.regions;
  band.grade_min = query.grade_min;
  band.grade_max = query.grade_max;
  PATHWAY_ASSIGN_OR_RETURN(auto f, internal::ResolveFilters(c, band, ""));
  const int lo = query.grade_min ? static_cast<int>(*query.grade_min) : 0;
  const int hi = query.grade_max ? static_cast<int>(*query.grade_max) : domain::kGradeCount - 1;
  const auto n = static_cast<std::uint32_t>(c.role_levels.size());
  std::vector<std::uint8_t> allowed(n, 0);
  for (std::uint32_t v = 0; v < n; ++v) {
    const RoleLevelInfo& rl = c.role_levels[v];
    const bool grade_ok = rl.grade_max >= lo && rl.grade_min <= hi;
    const bool region_ok = f.regions == 0 || (rl.region_mask & (f.regions >> 1)) != 0;
    allowed[v] = grade_ok && region_ok ? 1 : 0;
  }
  if (!allowed[target]) {
    const RoleLevelInfo& rl = c.role_levels[target];
    const bool grade_ok = rl.grade_max >= lo && rl.grade_min <= hi;
    return Error::InvalidInput(grade_ok ? "regions" : "grade_min",
                               grade_ok ? "The target role level has no posts in these regions"
                                        : "The target role level is outside the grade band");
  }
  PersonGraph g = BuildPersonGraph(s, row, allowed);
  RouteResult result;
  if (g.current >= 0) {
    result.start = c.role_levels[static_cast<std::size_t>(g.current)].code;
    if (static_cast<std::int64_t>(target) == g.current) {
      return Error::InvalidInput("target", "The person is already in this role level");
    }
  }
  const bool one_move = AddDirectMove(s, row, target, g);

  // Backward Dijkstra (cost to target) and BFS (fewest moves to target).
  const std::uint32_t nodes = n + 1;
  std::vector<std::uint32_t> in_offsets(nodes + 1, 0);
  for (std::uint32_t u = 0; u < nodes; ++u) {
    for (std::uint32_t e = g.offsets[u]; e < g.offsets[u + 1]; ++e) ++in_offsets[g.edges[e].to + 1];
  }
  for (std::uint32_t v = 0; v < nodes; ++v) in_offsets[v + 1] += in_offsets[v];
  std::vector<std::pair<std::uint32_t, double>> in_edges(g.edges.size());
  {
    std::vector<std::uint32_t> fill(in_offsets.begin(), in_offsets.end() - 1);
    for (std::uint32_t u = 0; u < nodes; ++u) {
      for (std::uint32_t e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
        in_edges[fill[g.edges[e].to]++] = {u, g.edges[e].cost};
      }
    }
  }
  std::vector<double> to_target(nodes, kInfinity);
  std::vector<int> hops_to_target(nodes, std::numeric_limits<int>::max());
  {
    using Item = std::pair<double, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
    to_target[target] = 0;
    queue.push({0, target});
    while (!queue.empty()) {
      auto [d, v] = queue.top();
      queue.pop();
      if (d > to_target[v]) continue;
      for (std::uint32_t e = in_offsets[v]; e < in_offsets[v + 1]; ++e) {
        const auto [u, cost] = in_edges[e];
        if (d + cost < to_target[u]) {
          to_target[u] = d + cost;
          queue.push({to_target[u], u});
        }
      }
    }
    std::vector<std::uint32_t> frontier{target};
    hops_to_target[target] = 0;
    for (int hop = 1; !frontier.empty(); ++hop) {
      std::vector<std::uint32_t> next;
      for (std::uint32_t v : frontier) {
        for (std::uint32_t e = in_offsets[v]; e < in_offsets[v + 1]; ++e) {
          const std::uint32_t u = in_edges[e].first;
          if (hops_to_target[u] == std::numeric_limits<int>::max()) {
            hops_to_target[u] = hop;
            next.push_back(u);
          }
        }
      }
      frontier = std::move(next);
    }
  }
  const RoleLevelInfo& target_info = c.role_levels[target];
  if (to_target[g.start] == kInfinity) {
    result.reason = NoRouteReason::kGradeTooHigh;
    result.reason_text = GradeTooFar(s, row, target_info) +
                         ", and no series of career moves within these limits leads there";
    return result;
  }
  if (hops_to_target[g.start] > query.max_steps) {
    result.reason = NoRouteReason::kTooManySteps;
    result.fewest_steps = hops_to_target[g.start];
    result.reason_text = fmt::format(
        "No route within {} {}: {}, and the shortest series of career moves there takes {} "
        "steps",
        query.max_steps, query.max_steps == 1 ? "step" : "steps", GradeTooFar(s, row, target_info),
        result.fewest_steps);
    return result;
  }

  // Best-first search over partial routes kept as a tree of (node, parent) entries.
  struct Partial {
    std::uint32_t node;
    std::int32_t parent;
    std::uint32_t edge;  // edge used to reach node
    int hops;
    double cost;
  };
  std::vector<Partial> tree{{g.start, -1, 0, 0, 0}};
  using Open = std::tuple<double, std::uint64_t, std::uint32_t>;  // f, order, tree index
  std::priority_queue<Open, std::vector<Open>, std::greater<>> open;
  std::uint64_t order = 0;
  open.push({to_target[g.start], order++, 0});
  while (!open.empty() && result.routes.size() < static_cast<std::size_t>(query.k) &&
         tree.size() < kMaxExpansions) {
    const auto [f_value, ignored, index] = open.top();
    open.pop();
    const Partial current = tree[index];
    if (current.node == target) {
      std::vector<std::uint32_t> path;
      std::vector<const char*> kinds;
      int gap = 0;
      for (std::int32_t i = static_cast<std::int32_t>(index);
           tree[static_cast<std::size_t>(i)].parent >= 0;
           i = tree[static_cast<std::size_t>(i)].parent) {
        const Edge& e = g.edges[tree[static_cast<std::size_t>(i)].edge];
        path.push_back(e.to);
        kinds.push_back(e.kind);
        gap += e.gap;
      }
      std::reverse(path.begin(), path.end());
      std::reverse(kinds.begin(), kinds.end());
      Route route;
      route.steps = DescribeSteps(s, g, path, kinds);
      route.total_gap = gap;
      route.cost = current.cost;
      result.routes.push_back(std::move(route));
      continue;
    }
    for (std::uint32_t e = g.offsets[current.node]; e < g.offsets[current.node + 1]; ++e) {
      const Edge& edge = g.edges[e];
      if (to_target[edge.to] == kInfinity) continue;
      if (current.hops + 1 + hops_to_target[edge.to] > query.max_steps) continue;
      bool on_path = false;
      for (std::int32_t i = static_cast<std::int32_t>(index); i >= 0;
           i = tree[static_cast<std::size_t>(i)].parent) {
        if (tree[static_cast<std::size_t>(i)].node == edge.to) {
          on_path = true;
          break;
        }
      }
      if (on_path) continue;
      const double cost = current.cost + edge.cost;
      tree.push_back({edge.to, static_cast<std::int32_t>(index), e, current.hops + 1, cost});
      open.push({cost + to_target[edge.to], order++, static_cast<std::uint32_t>(tree.size() - 1)});
    }
  }
  const bool gave_up = tree.size() >= kMaxExpansions;
  if (gave_up && one_move) {
    // The search stopped early: make sure the direct move (or the one move on the map
    // there) is among the answers, so the best route still teaches no more than it.
    const auto is_one_move = [](const Route& r) { return r.steps.size() == 1; };
    if (std::none_of(result.routes.begin(), result.routes.end(), is_one_move)) {
      for (std::uint32_t e = g.offsets[g.start]; e < g.offsets[g.start + 1]; ++e) {
        const Edge& edge = g.edges[e];
        if (edge.to != target) continue;
        Route route;
        route.steps = DescribeSteps(s, g, {target}, {edge.kind});
        route.total_gap = edge.gap;
        route.cost = edge.cost;
        const auto at = std::upper_bound(result.routes.begin(), result.routes.end(), route.cost,
                                         [](double cost, const Route& r) { return cost < r.cost; });
        result.routes.insert(at, std::move(route));
        if (result.routes.size() > static_cast<std::size_t>(query.k)) result.routes.pop_back();
        break;
      }
    }
  }
  if (result.routes.empty()) {
    if (gave_up) {
      result.reason = NoRouteReason::kSearchLimit;
      result.reason_text = fmt::format(
          "No route found: {}, and the search stopped before it found a series of career "
          "moves there; ask for fewer steps",
          GradeTooFar(s, row, target_info));
    } else {
      result.reason = NoRouteReason::kTooManySteps;
      result.fewest_steps = hops_to_target[g.start];
      result.reason_text = fmt::format(
          "No route within {} {}: {}, and no series of career moves that short "
          "leads there without passing a role level twice",
          query.max_steps, query.max_steps == 1 ? "step" : "steps",
          GradeTooFar(s, row, target_info));
    }
  }
  return result;
}

Result<std::vector<RoleFit>> ClosestRoles(const Snapshot& s, std::int64_t person_id, int k,
                                          std::optional<domain::Grade> grade_min,
                                          std::optional<domain::Grade> grade_max) {
  const Catalog& c = s.catalog();
  if (k < 1 || k > 50) return Error::InvalidInput("k", "Enter a number of roles from 1 to 50");
  PATHWAY_ASSIGN_OR_RETURN(const std::uint32_t row, PersonRow(s, person_id));
  const int grade = static_cast<int>(s.grade(row)) - 1;
  int lo = 0;
  int hi = domain::kGradeCount - 1;
  if (grade >= 0) {
    lo = grade;
    hi = std::min(grade + kMaxDirectGradeRise, domain::kGradeCount - 1);
  }
  if (grade_min) lo = static_cast<int>(*grade_min);
  if (grade_max) hi = static_cast<int>(*grade_max);
  if (lo > hi) {
    return Error::InvalidInput("grade_max",
                               "The highest grade must be the same as or above the lowest");
  }
  std::vector<std::uint8_t> has(c.items.size());
  for (std::size_t i = 0; i < c.items.size(); ++i)
    has[i] = static_cast<std::uint8_t>(s.Level(row, i));
  const std::uint32_t post = s.post(row);
  const std::int64_t current = post != 0 ? c.posts[post - 1].role_level : -1;
  std::vector<RoleFit> fits;
  for (std::uint32_t v = 0; v < c.role_levels.size(); ++v) {
    const RoleLevelInfo& rl = c.role_levels[v];
    if (static_cast<std::int64_t>(v) == current || rl.needs.empty()) continue;
    if (rl.grade_max < lo || rl.grade_min > hi) continue;
    RoleFit fit{rl.code, 0, 0, static_cast<int>(rl.needs.size())};
    for (const Need& n : rl.needs) {
      fit.gap += std::max(0, n.level - has[n.item]);
      fit.met += has[n.item] >= n.level ? 1 : 0;
    }
    fits.push_back(std::move(fit));
  }
  const auto keep = std::min(fits.size(), static_cast<std::size_t>(k));
  std::partial_sort(fits.begin(), fits.begin() + static_cast<std::ptrdiff_t>(keep), fits.end(),
                    [](const RoleFit& x, const RoleFit& y) {
                      return x.gap != y.gap ? x.gap < y.gap : x.role_level < y.role_level;
                    });
  fits.resize(keep);
  return fits;
}

Result<std::vector<RegionVacancies>> ReachableVacancies(const Snapshot& s, std::int64_t person_id,
                                                        int per_region_limit) {
  const Catalog& c = s.catalog();
  if (per_region_limit < 1 || per_region_limit > 100) {
    return Error::InvalidInput("per_region_limit", "Enter a number of posts from 1 to 100");
  }
  PATHWAY_ASSIGN_OR_RETURN(const std::uint32_t row, PersonRow(s, person_id));
  const auto n = static_cast<std::uint32_t>(c.role_levels.size());
  PersonGraph g = BuildPersonGraph(s, row, std::vector<std::uint8_t>(n, 1));
  struct Best {
    int gap = std::numeric_limits<int>::max();
    int steps = 0;
  };
  std::vector<Best> best(n);
  for (std::uint32_t e = g.offsets[g.start]; e < g.offsets[g.start + 1]; ++e) {
    const Edge& first = g.edges[e];
    if (first.gap < best[first.to].gap) best[first.to] = {first.gap, 1};
    for (std::uint32_t e2 = g.offsets[first.to]; e2 < g.offsets[first.to + 1]; ++e2) {
      const Edge& second = g.edges[e2];
      const int gap = first.gap + second.gap;
      if (gap < best[second.to].gap) best[second.to] = {gap, 2};
    }
  }
  std::vector<RegionVacancies> regions(domain::kRegionCount);
  for (int r = 0; r < domain::kRegionCount; ++r) {
    regions[static_cast<std::size_t>(r)].region =
        std::string(domain::AllRegions()[static_cast<std::size_t>(r)].code);
  }
  for (std::uint32_t v = 0; v < n; ++v) {
    if (best[v].steps == 0) continue;
    for (std::uint32_t p : c.role_levels[v].posts) {
      const PostInfo& post = c.posts[p];
      if (post.region == 0 || s.PostHolders(p) > 0) continue;
      RegionVacancies& region = regions[post.region - 1u];
      ++region.vacant;
      region.posts.push_back({post.external_id, c.role_levels[v].code, best[v].steps, best[v].gap});
    }
  }
  std::vector<RegionVacancies> out;
  for (RegionVacancies& region : regions) {
    if (region.vacant == 0) continue;
    const auto keep = std::min(region.posts.size(), static_cast<std::size_t>(per_region_limit));
    std::partial_sort(region.posts.begin(),
                      region.posts.begin() + static_cast<std::ptrdiff_t>(keep), region.posts.end(),
                      [](const ReachablePost& x, const ReachablePost& y) {
                        if (x.gap != y.gap) return x.gap < y.gap;
                        if (x.steps != y.steps) return x.steps < y.steps;
                        return x.post < y.post;
                      });
    region.posts.resize(keep);
    out.push_back(std::move(region));
  }
  return out;
}

}  // namespace pathway::engine
