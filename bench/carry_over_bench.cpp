// Carrying levels over to a new framework version, on a copy of the 500,000-person demo:
//
//   pathway_bench_carry_over_bench --db PATH
//
// Publishes a new version of the Success Profiles behaviours (the framework everyone in
// the demo is assessed in) in which every behaviour is renamed with a new identifier and
// replaces the old one, then times AssessmentService::CarryOver: each person's current
// level (the latest confirmed, else the latest self-assessment) carried as a new ledger
// row citing the old one, in batches, each an audited unit of work. The baseline, measured
// first in the same run, is the least any carry-over must do: one bare INSERT … SELECT
// copying each person's latest row of each old item to the new item, in a transaction
// that is rolled back. It takes the latest row by a GROUP BY in the ledger's key order
// (one pass, no sort), the fastest plain-SQL form found: a correlated NOT EXISTS per row
// (the first form) cost twice as much CPU. Target (issue 15): within 30 s. Prints
// key=value lines: wall-clock milliseconds (`ms`) and the process's CPU milliseconds
// (`cpu_ms`, user and system), which say more than the wall clock on a shared machine.
// Writes to the database given: use a copy of a demo database, never a real one.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/compose.hpp"
#include "store/database.hpp"

namespace {

using namespace pathway;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU time of the whole process so far (user and system), in milliseconds.
double CpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

int Fail(const domain::Error& error) {
  std::fprintf(stderr, "%s\n", error.message.c_str());
  return 1;
}

std::string NewId(int n) { return fmt::format("0c0c0c0c-0000-4000-8000-{:012d}", n); }

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--db" && i + 1 < argc) {
      path = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s --db PATH\n", argv[0]);
      return 2;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: %s --db PATH\n", argv[0]);
    return 2;
  }
  cli::CoreOptions options;
  options.db = path;
  options.root = PATHWAY_SOURCE_DIR;
  options.connections = 2;
  auto opened = cli::OpenCore(options);
  if (!opened.ok()) return Fail(opened.error());
  auto& core = **opened;
  const app::Actor system = app::Actor::System();

  std::string framework_id;
  int version = 0;
  {
    auto db = core.pool->Acquire();
    auto find = (*db).Prepare(
        "SELECT framework_id, max(version) FROM framework_version WHERE status = 'published' AND "
        "title = 'Success Profiles: Behaviours' GROUP BY framework_id");
    if (!find.ok()) return Fail(find.error());
    auto row = find->Step();
    if (!row.ok()) return Fail(row.error());
    if (!*row) {
      std::fprintf(stderr, "No published Success Profiles behaviours: use a demo database\n");
      return 1;
    }
    framework_id = find->ColumnText(0);
    version = static_cast<int>(find->ColumnInt(1));
  }
  auto current = core.frameworks->Get(system, framework_id, version);
  if (!current.ok()) return Fail(current.error());
  std::vector<std::pair<std::string, std::string>> renamed;  // old id, new id
  for (const auto& cluster : current->clusters) {
    for (const auto& item : cluster.items) {
      renamed.emplace_back(item.id, NewId(static_cast<int>(renamed.size()) + 1));
    }
  }

  // Baseline: the same number of rows by one bare INSERT … SELECT, rolled back.
  double baseline_ms = 0;
  double baseline_cpu_ms = 0;
  std::int64_t baseline_rows = 0;
  {
    auto db = core.pool->Acquire();
    const auto start = Clock::now();
    const double cpu_start = CpuMs();
    auto run = [&]() -> domain::Status {
      PATHWAY_TRY((*db).Execute("BEGIN IMMEDIATE"));
      PATHWAY_TRY((*db).Execute(
          "CREATE TEMP TABLE bench_map (old_ref INTEGER PRIMARY KEY, new_ref INTEGER)"));
      for (const auto& [old_id, new_id] : renamed) {
        PATHWAY_TRY((*db).Execute(
            fmt::format("INSERT INTO item_ref (framework_id, item_id) VALUES ('{0}', '{1}');"
                        "INSERT INTO bench_map SELECT o.id, n.id FROM item_ref o, item_ref n "
                        "WHERE o.item_id = '{2}' AND n.item_id = '{1}'",
                        framework_id, new_id, old_id)));
      }
      // max(seq) makes the bare columns those of each group's latest row.
      PATHWAY_TRY((*db).Execute(
          "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, "
          "framework_version, capacity, cites_item_ref_id, cites_seq) "
          "SELECT a.person_id, m.new_ref, 1, a.level, a.assessor, '2031-01-01', 99, 'carry_over', "
          "a.item_ref_id, a.seq FROM (SELECT person_id, item_ref_id, max(seq) AS seq, level, "
          "assessor FROM assessment WHERE item_ref_id IN (SELECT old_ref FROM bench_map) "
          "GROUP BY person_id, item_ref_id) a CROSS JOIN bench_map m ON m.old_ref = "
          "a.item_ref_id"));
      baseline_rows = (*db).Changes();
      return (*db).Execute("ROLLBACK");
    };
    if (auto done = run(); !done.ok()) return Fail(done.error());
    baseline_ms = Ms(Clock::now() - start);
    baseline_cpu_ms = CpuMs() - cpu_start;
  }

  auto draft = core.frameworks->NewDraft(system, framework_id);
  if (!draft.ok()) return Fail(draft.error());
  auto edited = core.frameworks->EditDraft(system, framework_id, *draft,
                                           "bench: every behaviour renamed with a new id",
                                           [&](domain::Framework& f) -> domain::Status {
                                             std::size_t n = 0;
                                             for (auto& cluster : f.clusters) {
                                               for (auto& item : cluster.items) {
                                                 item.replaces = {renamed[n].first};
                                                 item.id = renamed[n].second;
                                                 ++n;
                                               }
                                             }
                                             return domain::Ok{};
                                           });
  if (!edited.ok()) return Fail(edited.error());
  if (auto published = core.frameworks->Publish(system, framework_id, *draft); !published.ok()) {
    return Fail(published.error());
  }
  const auto start = Clock::now();
  const double cpu_start = CpuMs();
  auto carried = core.assessments->CarryOver(system, framework_id, *draft);
  const double carry_ms = Ms(Clock::now() - start);
  const double carry_cpu_ms = CpuMs() - cpu_start;
  if (!carried.ok()) return Fail(carried.error());
  std::printf(
      "scenario=carry_over items=%zu people=%lld rows=%lld batches=%d ms=%.1f cpu_ms=%.1f "
      "baseline_rows=%lld baseline_ms=%.1f baseline_cpu_ms=%.1f ratio=%.2f cpu_ratio=%.2f\n",
      renamed.size(), static_cast<long long>(carried->people),
      static_cast<long long>(carried->rows_added), carried->batches, carry_ms, carry_cpu_ms,
      static_cast<long long>(baseline_rows), baseline_ms, baseline_cpu_ms, carry_ms / baseline_ms,
      carry_cpu_ms / baseline_cpu_ms);
  // A second run does nothing.
  auto again = core.assessments->CarryOver(system, framework_id, *draft);
  if (!again.ok()) return Fail(again.error());
  std::printf("scenario=carry_over_again batches=%d rows=%lld\n", again->batches,
              static_cast<long long>(again->rows_added));
  return carried->rows_added == baseline_rows ? 0 : 1;
}
