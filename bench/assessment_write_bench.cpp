// Matches while confirmations arrive: the whole write path (the use-case kernel, the
// ledger, the workforce change log) against the engine's answers, on a demo database.
//
//   pathway_bench_assessment_write_bench --db PATH [--seconds N] [--rate PER_SECOND]
//
// Runs a role-level match as fast as one thread can for N seconds twice: first alone (the
// baseline, measured in the same run), then while a second thread records panel
// assessments through AssessmentService at RATE a second (200 by default), each for a
// random person and one of the role level's items. Prints key=value lines:
//   scenario=match_quiet p50_ms=… p99_ms=… queries=…
//   scenario=match_under_writes p50_ms=… p99_ms=… queries=… writes=… write_p99_ms=…
//     ratio_p99=under/quiet
// and checks that the last write is visible to the next match (visible=1). Writes go to
// the database given: use a copy of a demo database, never a real one.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "cli/compose.hpp"
#include "store/database.hpp"

namespace {

using namespace pathway;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto at = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[at];
}

struct Target {
  std::string role_level;
  std::vector<std::string> items;
  std::vector<std::int64_t> item_refs;  // the items' item_ref ids, in the same order
  std::int64_t max_person = 0;
};

domain::Result<Target> ChooseTarget(const std::string& path) {
  PATHWAY_ASSIGN_OR_RETURN(auto db, store::Database::Open(path));
  Target target;
  // The role level with the most requirements, and its items.
  PATHWAY_ASSIGN_OR_RETURN(
      auto level, db->Prepare("SELECT r.code, r.id FROM role_level r JOIN role_requirement q "
                              "ON q.role_level_id = r.id GROUP BY r.id ORDER BY COUNT(*) DESC, "
                              "r.id LIMIT 1"));
  PATHWAY_ASSIGN_OR_RETURN(bool found, level.Step());
  if (!found) return domain::Error::InvalidInput("db", "The database has no role levels");
  target.role_level = level.ColumnText(0);
  PATHWAY_ASSIGN_OR_RETURN(auto items, db->Prepare("SELECT i.item_id, i.id FROM role_requirement q "
                                                   "JOIN item_ref i ON i.id = q.item_ref_id "
                                                   "WHERE q.role_level_id = ?"));
  items.Bind(1, level.ColumnInt(1));
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, items.Step());
    if (!row) break;
    target.items.push_back(items.ColumnText(0));
    target.item_refs.push_back(items.ColumnInt(1));
  }
  PATHWAY_ASSIGN_OR_RETURN(auto people, db->Prepare("SELECT MAX(id) FROM person"));
  PATHWAY_ASSIGN_OR_RETURN(bool any, people.Step());
  if (!any) return domain::Error::InvalidInput("db", "The database has no people");
  target.max_person = people.ColumnInt(0);
  return target;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  double seconds = 10;
  double rate = 200;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--db" && i + 1 < argc) {
      path = argv[++i];
    } else if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (arg == "--rate" && i + 1 < argc) {
      rate = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s --db PATH [--seconds N] [--rate PER_SECOND]\n", argv[0]);
      return 2;
    }
  }
  if (path.empty() || seconds <= 0 || rate <= 0) {
    std::fprintf(stderr, "usage: %s --db PATH [--seconds N] [--rate PER_SECOND]\n", argv[0]);
    return 2;
  }
  auto target = ChooseTarget(path);
  if (!target.ok()) {
    std::fprintf(stderr, "%s\n", target.error().message.c_str());
    return 1;
  }
  cli::CoreOptions options;
  options.db = path;
  options.root = PATHWAY_SOURCE_DIR;
  options.connections = 4;
  auto opened = cli::OpenCore(options);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  auto& core = **opened;
  const auto load_start = Clock::now();
  core.StartEngine();
  const app::Actor system = app::Actor::System();
  engine::MatchQuery query;
  query.role_level = target->role_level;
  query.k = 10;
  // The first match loads the index.
  if (auto first = core.engine->Match(system, query); !first.ok()) {
    std::fprintf(stderr, "match: %s\n", first.error().message.c_str());
    return 1;
  }
  std::printf("scenario=load ms=%.0f role_level=%s items=%zu people=%lld\n",
              Ms(Clock::now() - load_start), target->role_level.c_str(), target->items.size(),
              static_cast<long long>(target->max_person));

  auto run_matches = [&](std::atomic<bool>& stop) {
    std::vector<double> times;
    while (!stop.load(std::memory_order_relaxed)) {
      const auto start = Clock::now();
      auto answer = core.engine->Match(system, query);
      times.push_back(Ms(Clock::now() - start));
      if (!answer.ok()) {
        std::fprintf(stderr, "match: %s\n", answer.error().message.c_str());
        std::exit(1);
      }
    }
    return times;
  };
  auto timed_stop = [&](std::atomic<bool>& stop) {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
  };

  std::vector<double> quiet;
  {
    std::atomic<bool> stop{false};
    std::thread timer([&] { timed_stop(stop); });
    quiet = run_matches(stop);
    timer.join();
  }
  std::printf("scenario=match_quiet p50_ms=%.3f p99_ms=%.3f queries=%zu\n", Percentile(quiet, 0.5),
              Percentile(quiet, 0.99), quiet.size());

  std::vector<double> busy;
  std::vector<double> writes;
  std::int64_t last_person = 0;
  std::int64_t last_item_ref = 0;
  std::size_t refused = 0;
  int last_level = 0;
  {
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      std::mt19937_64 random(7);
      std::uniform_int_distribution<std::int64_t> person(1, target->max_person);
      std::uniform_int_distribution<std::size_t> item(0, target->items.size() - 1);
      std::uniform_int_distribution<int> level(1, 4);
      const auto interval = std::chrono::duration<double>(1.0 / rate);
      auto next = Clock::now();
      while (!stop.load(std::memory_order_relaxed)) {
        app::DirectRating rating;
        const std::size_t which = item(random);
        rating.item_id = target->items[which];
        rating.level = level(random);
        rating.comment = "bench";
        const std::int64_t who = person(random);
        const auto start = Clock::now();
        auto done = core.assessments->CreateAssessment(system, who, app::AssessingCapacity::kPanel,
                                                       {rating});
        writes.push_back(Ms(Clock::now() - start));
        if (!done.ok()) ++refused;
        if (done.ok()) {
          last_person = who;
          last_item_ref = target->item_refs[which];
          last_level = rating.level;
        }
        next += std::chrono::duration_cast<Clock::duration>(interval);
        std::this_thread::sleep_until(next);
      }
    });
    std::thread timer([&] { timed_stop(stop); });
    busy = run_matches(stop);
    timer.join();
    writer.join();
  }
  // The last write is visible to the next question: the index the next match answers
  // from holds the new level.
  int visible = 0;
  if (last_person > 0) {
    auto answer = core.engine->Match(system, query);
    if (answer.ok()) {
      const auto& snapshot = *answer->snapshot;
      const std::int64_t row = snapshot.RowOf(last_person);
      const int code = snapshot.catalog().ItemCode(last_item_ref);
      if (row >= 0 && code >= 0 &&
          snapshot.Level(static_cast<std::uint32_t>(row), static_cast<std::size_t>(code)) == last_level) {
        visible = 1;
      }
    }
  }
  const double quiet_p99 = Percentile(quiet, 0.99);
  const double busy_p99 = Percentile(busy, 0.99);
  std::printf(
      "scenario=match_under_writes p50_ms=%.3f p99_ms=%.3f queries=%zu writes=%zu "
      "writes_per_s=%.0f refused=%zu write_p50_ms=%.3f write_p99_ms=%.3f ratio_p99=%.2f visible=%d\n",
      Percentile(busy, 0.5), busy_p99, busy.size(), writes.size(),
      static_cast<double>(writes.size()) / seconds, refused, Percentile(writes, 0.5),
      Percentile(writes, 0.99), quiet_p99 > 0 ? busy_p99 / quiet_p99 : 0, visible);
  return 0;
}
