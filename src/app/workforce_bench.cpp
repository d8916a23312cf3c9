#include "app/workforce_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <variant>

#include <fmt/format.h>

#include "engine/index.hpp"
#include "store/database.hpp"
#include "store/workforce_reference.hpp"
#include "store/workforce_snapshot.hpp"

namespace pathway::app {
namespace {

using store::Database;

// "baseline_median_ms=Y ratio=Y/X", or NA for both when the baseline was not run.
std::string BaselineFields(bool measured, double baseline_ms, double median_ms) {
  if (!measured) return "baseline_median_ms=NA ratio=NA";
  return fmt::format("baseline_median_ms={:.2f} ratio={:.0f}", baseline_ms,
                     median_ms > 0 ? baseline_ms / median_ms : 0);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

template <typename F>
double TimeMs(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

template <typename F>
std::vector<double> Repeat(int times, F&& f) {
  std::vector<double> out;
  for (int i = 0; i < times; ++i) out.push_back(TimeMs(f));
  return out;
}

// Streaming read bandwidth in bytes per millisecond: the best of 3 sums over 512 MB.
double MeasureBandwidth() {
  constexpr std::size_t kWords = (512u << 20) / sizeof(std::uint64_t);
  std::unique_ptr<std::uint64_t[]> buffer(new std::uint64_t[kWords]);
  for (std::size_t i = 0; i < kWords; ++i) buffer[i] = i;
  double best = 1e18;
  volatile std::uint64_t sink = 0;
  for (int round = 0; round < 3; ++round) {
    best = std::min(best, TimeMs([&] {
                      std::uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                      for (std::size_t i = 0; i < kWords; i += 4) {
                        s0 += buffer[i];
                        s1 += buffer[i + 1];
                        s2 += buffer[i + 2];
                        s3 += buffer[i + 3];
                      }
                      sink = sink + s0 + s1 + s2 + s3;
                    }));
  }
  return static_cast<double>(kWords * sizeof(std::uint64_t)) / best;
}

long ResidentKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

}  // namespace

Status RunWorkforceBench(Database& db, std::string_view scenario, std::ostream& out) {
  return RunWorkforceBench(db, scenario, out, BenchOptions{});
}

Status RunWorkforceBench(Database& db, std::string_view scenario, std::ostream& out,
                         const BenchOptions& options) {
  static constexpr std::array<std::string_view, 9> kScenarios{
      "all", "load", "match", "match_all", "closest", "capmap", "routes", "bandwidth", "memory"};
  // One scenario or a comma-separated list of them.
  std::vector<std::string_view> chosen_scenarios;
  for (std::size_t from = 0; from <= scenario.size();) {
    const std::size_t comma = std::min(scenario.find(',', from), scenario.size());
    const std::string_view name = scenario.substr(from, comma - from);
    if (std::find(kScenarios.begin(), kScenarios.end(), name) == kScenarios.end()) {
      return domain::Error::InvalidInput(
          "scenario",
          "Choose one of all, load, match, match_all, closest, capmap, routes, "
          "bandwidth, memory");
    }
    chosen_scenarios.push_back(name);
    from = comma + 1;
  }
  const bool all =
      std::find(chosen_scenarios.begin(), chosen_scenarios.end(), "all") != chosen_scenarios.end();
  auto wants = [&](std::string_view name) {
    return all || std::find(chosen_scenarios.begin(), chosen_scenarios.end(), name) !=
                      chosen_scenarios.end();
  };

  const long rss_before = ResidentKb();
  store::WorkforceLoadStats stats;
  const auto load_start = std::chrono::steady_clock::now();
  PATHWAY_ASSIGN_OR_RETURN(auto snapshot, store::LoadWorkforceSnapshot(db, &stats));
  const double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start)
          .count();
  const long rss_after = ResidentKb();
  const engine::Snapshot& s = *snapshot;
  const engine::Catalog& c = s.catalog();
  if (s.person_count() == 0 || c.role_levels.empty()) {
    return domain::Error::InvalidInput("db", "The database holds no workforce to measure");
  }
  if (wants("load")) {
    out << fmt::format(
        "scenario=load median_ms={:.1f} baseline_median_ms=NA ratio=NA people={} assessments={} "
        "reference_s={:.2f} people_s={:.2f} assessments_s={:.2f} build_s={:.2f} skipped={} "
        "ledger_threads={}\n",
        load_ms, stats.people, stats.assessments, stats.reference_seconds, stats.people_seconds,
        stats.assessment_seconds, stats.build_seconds, stats.skipped_assessments,
        stats.ledger_threads);
  }
  if (wants("memory")) {
    out << fmt::format(
        "scenario=memory median_ms=NA baseline_median_ms=NA ratio=NA index_bytes={} "
        "index_mb={:.1f} rss_delta_mb={:.1f} people={} items={} role_levels={} posts={}\n",
        s.MemoryBytes(), static_cast<double>(s.MemoryBytes()) / 1e6,
        static_cast<double>(rss_after - rss_before) / 1024.0, s.person_count(), c.items.size(),
        c.role_levels.size(), c.posts.size());
  }
  // The fair baseline's table of current levels, computed once (not timed per question;
  // its time is on the lines as current_level_table_ms).
  double prepare_ms = 0;
  if (options.baseline &&
      (wants("match") || wants("closest") || wants("match_all") || wants("capmap"))) {
    Status prepared = domain::Ok{};
    prepare_ms = TimeMs([&] { prepared = store::EnsureCurrentLevelTable(db); });
    PATHWAY_TRY(prepared);
  }
  double bandwidth = 0;  // bytes per ms
  if (wants("bandwidth") || wants("match") || wants("match_all") || wants("capmap")) {
    bandwidth = MeasureBandwidth();
    if (wants("bandwidth")) {
      out << fmt::format(
          "scenario=bandwidth median_ms=NA baseline_median_ms=NA ratio=NA gb_per_s={:.2f}\n",
          bandwidth / 1e6);
    }
  }

  // The question shape: a vacancy's requirement set of 12 items. Start from a
  // role level a third of the way through the catalog (the first in a profession, third
  // rung or higher, so that levels above 1 are asked for),
  // take its requirements, and add the items its profession's other role levels require
  // most often (at their most common level), as a Success Profile adds to a role level.
  std::size_t chosen = c.role_levels.size() / 3;
  while (chosen < c.role_levels.size() &&
         (c.role_levels[chosen].profession == 0 || c.role_levels[chosen].position < 3)) {
    ++chosen;
  }
  if (chosen == c.role_levels.size()) {
    return domain::Error::InvalidInput("db", "The database holds no role level in a profession");
  }
  const engine::RoleLevelInfo& role = c.role_levels[chosen];
  const std::vector<engine::Need> bench_needs = [&] {
    constexpr std::size_t kWanted = 12;
    std::vector<engine::Need> needs = role.needs;
    if (needs.size() > kWanted) needs.resize(kWanted);
    std::map<std::uint16_t, std::pair<int, engine::Need>> seen;  // item -> (count, need)
    for (const auto& rl : c.role_levels) {
      if (rl.profession != role.profession) continue;
      for (const engine::Need& n : rl.needs) {
        auto& [count, need] = seen[n.item];
        if (count++ == 0) need = n;
      }
    }
    std::vector<std::pair<int, engine::Need>> extra;
    for (const auto& [item, entry] : seen) extra.push_back(entry);
    std::stable_sort(extra.begin(), extra.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [count, need] : extra) {
      if (needs.size() >= kWanted) break;
      const bool have = std::any_of(needs.begin(), needs.end(),
                                    [&](const engine::Need& n) { return n.item == need.item; });
      if (!have) needs.push_back(need);
    }
    return needs;
  }();
  const int kRuns = std::max(1, options.runs);
  const int kBaselineRuns = options.baseline ? 5 : 0;

  auto ranking_line = [&](std::string_view name, const engine::MatchQuery& q,
                          bool closest) -> Status {
    std::int64_t candidates = 0;
    std::vector<std::int64_t> engine_ids;
    auto times = Repeat(kRuns, [&] {
      auto r = closest ? engine::ClosestToReady(s, q) : engine::Match(s, q);
      candidates = r.ok() ? r->candidates : -1;
      engine_ids.clear();
      if (r.ok()) {
        for (const auto& e : r->entries) engine_ids.push_back(e.person_id);
      }
    });
    // The baseline asks SQLite twice: of the ledger, and of the precomputed current
    // levels (the fairer question); the best of the two is the baseline.
    std::vector<std::int64_t> sql_ids;
    std::vector<std::int64_t> sql_current_ids;
    Status sql_status = domain::Ok{};
    const auto ask = [&](store::LevelSource source, std::vector<std::int64_t>& ids) {
      auto r = store::SqlMatch(db, q, closest, source);
      ids.clear();
      if (!r.ok()) {
        sql_status = r.error();
        return;
      }
      for (const auto& e : *r) ids.push_back(e.person_id);
    };
    auto ledger = Repeat(kBaselineRuns, [&] { ask(store::LevelSource::kLedger, sql_ids); });
    PATHWAY_TRY(sql_status);
    auto current = Repeat(kBaselineRuns,
                          [&] { ask(store::LevelSource::kCurrentLevelTable, sql_current_ids); });
    PATHWAY_TRY(sql_status);
    const double median = Median(times);
    const double base = std::min(Median(ledger), Median(current));
    const auto needs = static_cast<double>(bench_needs.size());
    const double bytes = static_cast<double>(candidates) * needs;
    const double bound = bandwidth > 0 ? bytes / bandwidth : 0;
    out << fmt::format(
        "scenario={} median_ms={:.4f} {} k={} "
        "requirements={} candidates={} same_answer={} bytes_touched={:.0f} "
        "bandwidth_gb_per_s={:.2f} bound_ms={:.4f} vs_bound={:.1f}{}\n",
        name, median, BaselineFields(options.baseline, base, median), q.k, bench_needs.size(),
        candidates,
        options.baseline ? (engine_ids == sql_ids && engine_ids == sql_current_ids ? 1 : 0) : -1,
        bytes, bandwidth / 1e6, bound, bound > 0 ? median / bound : 0,
        options.baseline
            ? fmt::format(" baseline_ledger_ms={:.2f} baseline_current_level_ms={:.2f} "
                          "current_level_table_ms={:.0f}",
                          Median(ledger), Median(current), prepare_ms)
            : std::string());
    if (options.print_query) {
      std::string ids;
      for (const std::int64_t id : engine_ids)
        ids += fmt::format("{}{}", ids.empty() ? "" : ",", id);
      out << fmt::format("answer_{} candidates={} ids={}\n", name, candidates, ids);
    }
    return domain::Ok{};
  };

  engine::MatchQuery match;
  for (const engine::Need& n : bench_needs) {
    match.requirements.push_back({c.items[n.item].item_id, n.level, n.weight});
  }
  match.k = 50;
  match.filters.professions = {c.professions[role.profession - 1u].code};
  match.filters.grade_min = static_cast<domain::Grade>(std::min(role.grade_min, 8));
  match.filters.grade_max = static_cast<domain::Grade>(std::min(role.grade_min, 8) + 1);
  // item_ref_id:level:weight,... for peers that read the store's tables.
  auto requirement_list = [&](const std::vector<engine::Need>& needs) {
    std::string list;
    for (const engine::Need& n : needs) {
      list +=
          fmt::format("{}{}:{}:{}", list.empty() ? "" : ",", c.items[n.item].id, n.level, n.weight);
    }
    return list;
  };
  if (options.print_query) {
    out << fmt::format(
        "query_match requirements_from={} k={} professions={} grade_min={} grade_max={} "
        "requirements={}\n",
        role.code, match.k, match.filters.professions[0],
        static_cast<int>(*match.filters.grade_min), static_cast<int>(*match.filters.grade_max),
        requirement_list(bench_needs));
  }
  if (wants("match")) PATHWAY_TRY(ranking_line("match", match, false));
  if (wants("closest")) PATHWAY_TRY(ranking_line("closest", match, true));
  if (wants("match_all")) {
    engine::MatchQuery everyone = match;
    everyone.filters = {};
    PATHWAY_TRY(ranking_line("match_all", everyone, false));
  }

  if (wants("capmap")) {
    engine::CapabilityQuery q;
    q.rows = engine::Dimension::kProfession;
    q.columns = engine::Dimension::kRegion;
    for (std::size_t i = 0; i < std::min<std::size_t>(10, bench_needs.size()); ++i) {
      const engine::Need& n = bench_needs[i];
      q.requirements.push_back({c.items[n.item].item_id, n.level, n.weight});
    }
    if (options.print_query) {
      out << fmt::format(
          "query_capmap rows=profession columns=region requirements={}\n",
          requirement_list(std::vector<engine::Need>(
              bench_needs.begin(),
              bench_needs.begin() + static_cast<std::ptrdiff_t>(q.requirements.size()))));
    }
    std::vector<engine::CapabilityCell> cells;
    auto times = Repeat(kRuns, [&] {
      auto r = engine::MapCapability(s, q);
      if (r.ok()) cells = r->cells;
    });
    std::size_t sql_cells = 0;
    std::int64_t sql_meeting = 0;
    std::int64_t sql_current_meeting = 0;
    std::int64_t engine_meeting = 0;
    const auto ask = [&](store::LevelSource source, std::int64_t& meeting) {
      auto r = store::SqlCapabilityMap(db, q, source);
      sql_cells = r.ok() ? r->size() : 0;
      meeting = 0;
      if (r.ok()) {
        for (const auto& cell : *r) meeting += cell.meeting;
      }
    };
    auto ledger =
        Repeat(options.baseline ? 2 : 0, [&] { ask(store::LevelSource::kLedger, sql_meeting); });
    auto current = Repeat(options.baseline ? 5 : 0, [&] {
      ask(store::LevelSource::kCurrentLevelTable, sql_current_meeting);
    });
    for (const auto& cell : cells) engine_meeting += cell.meeting;
    if (options.print_query) {
      std::int64_t headcount = 0, level_sum = 0, demand = 0;
      for (const auto& cell : cells) {
        headcount += cell.headcount;
        level_sum += cell.level_sum;
        demand += cell.demand_filled + cell.demand_vacant;
      }
      out << fmt::format("answer_capmap cells={} headcount={} meeting={} level_sum={} demand={}\n",
                         cells.size(), headcount, engine_meeting, level_sum, demand);
    }
    const double median = Median(times);
    const double base = std::min(Median(ledger), Median(current));
    const double bytes =
        static_cast<double>(s.person_count()) * (static_cast<double>(q.requirements.size()) + 1);
    out << fmt::format(
        "scenario=capmap median_ms={:.4f} {} "
        "dims=profession,region "
        "requirements={} cells={} sql_cells={} same_meeting={} bytes_touched={:.0f} "
        "bound_ms={:.4f}{}\n",
        median, BaselineFields(options.baseline, base, median), q.requirements.size(), cells.size(),
        sql_cells,
        options.baseline
            ? (sql_meeting == engine_meeting && sql_current_meeting == engine_meeting ? 1 : 0)
            : -1,
        bytes, bandwidth > 0 ? bytes / bandwidth : 0,
        options.baseline
            ? fmt::format(" baseline_ledger_ms={:.2f} baseline_current_level_ms={:.2f} "
                          "current_level_table_ms={:.0f}",
                          Median(ledger), Median(current), prepare_ms)
            : std::string());
  }

  if (wants("routes")) {
    // A person in a post on a ladder with two rungs above them.
    engine::RouteQuery q;
    q.k = 5;
    q.max_steps = 4;
    for (std::uint32_t row = 0; row < s.row_count() && q.target.empty(); row += 97) {
      const std::uint32_t post = s.post(row);
      if (post == 0) continue;
      const engine::RoleLevelInfo& from = c.role_levels[c.posts[post - 1].role_level];
      for (const auto& rl : c.role_levels) {
        if (rl.role_id == from.role_id && rl.position == from.position + 2) {
          q.person_id = s.person_id(row);
          q.target = rl.code;
        }
      }
    }
    std::size_t routes = 0;
    int best_gap = -1;
    auto times = Repeat(kRuns, [&] {
      auto r = engine::BestRoutes(s, q);
      routes = r.ok() ? r->routes.size() : 0;
      best_gap = r.ok() && !r->routes.empty() ? r->routes[0].total_gap : -1;
    });
    std::size_t edges = 0;
    for (const auto& m : c.moves_out) edges += m.size();
    out << fmt::format(
        "scenario=routes median_ms={:.4f} baseline_median_ms=NA ratio=NA k=5 max_steps=4 "
        "role_levels={} moves={} routes={} best_gap={}\n",
        Median(times), c.role_levels.size(), edges, routes, best_gap);
    auto closest = Repeat(kRuns, [&] { (void)engine::ClosestRoles(s, q.person_id, 10); });
    out << fmt::format(
        "scenario=closest_roles median_ms={:.4f} baseline_median_ms=NA ratio=NA k=10\n",
        Median(closest));
    auto vacancies = Repeat(kRuns, [&] { (void)engine::ReachableVacancies(s, q.person_id, 10); });
    out << fmt::format(
        "scenario=reachable_vacancies median_ms={:.4f} baseline_median_ms=NA ratio=NA steps=2\n",
        Median(vacancies));
  }
  return domain::Ok{};
}

}  // namespace pathway::app
