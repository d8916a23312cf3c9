// The performance year at scale, on a copy of a demo database:
//
//   pathway_bench_performance_bench --db PATH [--runs N]
//
// 1. Opening a year for every department (a record and a notice per person, through
//    PerformanceService and the kernel), against a baseline measured first in the same
//    run: the same rows written by bare INSERT … SELECT statements in a transaction that
//    is then rolled back. Target (issue 16): 500,000 people within 10 s.
// 2. The moderation view of the largest department, once every record there has an
//    end-year rating (written in bulk, untimed): PerformanceService::GetModeration against
//    the same three distributions asked of SQLite as three GROUP BY queries over the same
//    tables, and as the best SQLite can do: one scan grouped by grade, profession, unit
//    and rating, summed into the three. Target: a department of 100,000 within 200 ms.
// Prints key=value lines with the ratio to the baseline. Writes to the database given:
// use a copy of a demo database, never a real one.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
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
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

int Fail(const domain::Error& error) {
  std::fprintf(stderr, "%s\n", error.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  int runs = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--db" && i + 1 < argc) {
      path = argv[++i];
    } else if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s --db PATH [--runs N]\n", argv[0]);
      return 2;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: %s --db PATH [--runs N]\n", argv[0]);
    return 2;
  }
  cli::CoreOptions options;
  options.db = path;
  options.root = PATHWAY_SOURCE_DIR;
  options.connections = 2;
  auto opened = cli::OpenCore(options);
  if (!opened.ok()) return Fail(opened.error());
  auto& core = **opened;

  app::Actor admin;
  admin.kind = app::Actor::Kind::kUser;
  admin.email = "bench@example.gov.uk";
  admin.display_name = "Bench";
  admin.grants.push_back({0, domain::Role::kAdministrator, ""});

  domain::PerformanceYearSpec spec{"Bench year", {}, "2031-04-01", "2031-06-30", "2031-10-31",
                                   "2032-03-31", {}};
  std::string largest;
  {
    auto db = core.pool->Acquire();
    // The demo's administrator signs the year (the year records who opened it).
    auto user = (*db).Prepare(
        "SELECT u.id FROM app_user u JOIN role_grant g ON g.user_id = u.id "
        "WHERE g.role = 'admin' AND g.revoked_at IS NULL ORDER BY u.id LIMIT 1");
    if (!user.ok()) return Fail(user.error());
    auto found = user->Step();
    if (!found.ok()) return Fail(found.error());
    if (!*found) {
      std::fprintf(stderr, "The database has no administrator: use a demo database\n");
      return 1;
    }
    admin.user_id = user->ColumnInt(0);
    auto departments = (*db).Prepare(
        "SELECT department, count(*) FROM person GROUP BY department ORDER BY count(*) DESC");
    if (!departments.ok()) return Fail(departments.error());
    for (;;) {
      auto row = departments->Step();
      if (!row.ok()) return Fail(row.error());
      if (!*row) break;
      if (largest.empty()) largest = departments->ColumnText(0);
      spec.departments.push_back(departments->ColumnText(0));
    }
    if (spec.departments.size() > 20) spec.departments.resize(20);
  }

  // 1. Baseline: the same rows, bare, rolled back.
  double baseline_ms = 0;
  {
    auto db = core.pool->Acquire();
    std::string list = "[";
    for (const auto& d : spec.departments) list += (list.size() > 1 ? ",\"" : "\"") + d + "\"";
    list += "]";
    const auto start = Clock::now();
    auto run = [&]() -> domain::Status {
      PATHWAY_TRY((*db).Execute("BEGIN IMMEDIATE"));
      PATHWAY_TRY((*db).Execute(
          "INSERT INTO performance_year (id, name, starts_on, objectives_due, midyear_due, "
          "endyear_due, opened_at) VALUES (999999, 'baseline', '2031-04-01', '2031-06-30', "
          "'2031-10-31', '2032-03-31', 'now')"));
      PATHWAY_TRY((*db).Execute(fmt::format(
          "INSERT INTO performance_record (year_id, person_id, department) SELECT 999999, id, "
          "department FROM person WHERE department IN (SELECT value FROM json_each('{}')) ORDER BY "
          "id",
          list)));
      PATHWAY_TRY((*db).Execute(
          "INSERT INTO notice (person_id, subject, body, link, created_at) SELECT person_id, "
          "'Performance year Bench year has opened', 'Agree your objectives.', "
          "'/performance/records/' || id, 'now' FROM performance_record WHERE year_id = 999999 "
          "ORDER BY id"));
      return (*db).Execute("ROLLBACK");
    };
    auto done = run();
    if (!done.ok()) return Fail(done.error());
    baseline_ms = Ms(Clock::now() - start);
  }
  const auto start = Clock::now();
  auto year = core.performance->OpenYear(admin, spec);
  const double open_ms = Ms(Clock::now() - start);
  if (!year.ok()) return Fail(year.error());
  std::printf(
      "scenario=open_year people=%lld departments=%zu ms=%.1f baseline_ms=%.1f ratio=%.2f\n",
      static_cast<long long>(year->people), spec.departments.size(), open_ms, baseline_ms,
      open_ms / baseline_ms);

  // 2. Ratings for the largest department, then moderation.
  std::int64_t rated = 0;
  {
    auto db = core.pool->Acquire();
    auto write = (*db).Prepare(
        "INSERT INTO performance_review (record_id, kind, stage, rating, updated_at) "
        "SELECT id, 'end', 'countersigned', abs(random()) % 4, 'now' FROM performance_record "
        "WHERE year_id = ? AND department = ?");
    if (!write.ok()) return Fail(write.error());
    write->Bind(1, year->id).Bind(2, largest);
    if (auto done = write->Run(); !done.ok()) return Fail(done.error());
    rated = (*db).Changes();
  }
  std::vector<double> engine;
  std::int64_t answered = 0;
  for (int i = 0; i < runs; ++i) {
    const auto t = Clock::now();
    auto moderation = core.performance->GetModeration(admin, year->id, largest);
    engine.push_back(Ms(Clock::now() - t));
    if (!moderation.ok()) return Fail(moderation.error());
    answered = moderation->whole.total();
  }
  std::vector<double> sql;
  std::int64_t sql_rows = 0;
  {
    auto db = core.pool->Acquire();
    const char* questions[] = {
        "SELECT p.grade, COALESCE(f.moderated_rating, f.rating), count(*) FROM performance_record "
        "r "
        "JOIN person p ON p.id = r.person_id JOIN performance_review f ON f.record_id = r.id AND "
        "f.kind = 'end' WHERE r.year_id = ?1 AND r.department = ?2 GROUP BY 1, 2",
        "SELECT p.profession, COALESCE(f.moderated_rating, f.rating), count(*) FROM "
        "performance_record r "
        "JOIN person p ON p.id = r.person_id JOIN performance_review f ON f.record_id = r.id AND "
        "f.kind = 'end' WHERE r.year_id = ?1 AND r.department = ?2 GROUP BY 1, 2",
        "SELECT post.unit_id, COALESCE(f.moderated_rating, f.rating), count(*) FROM "
        "performance_record r "
        "JOIN person p ON p.id = r.person_id LEFT JOIN post ON post.id = p.post_id "
        "JOIN performance_review f ON f.record_id = r.id AND f.kind = 'end' "
        "WHERE r.year_id = ?1 AND r.department = ?2 GROUP BY 1, 2"};
    for (int i = 0; i < runs; ++i) {
      const auto t = Clock::now();
      sql_rows = 0;
      for (const char* q : questions) {
        auto stmt = (*db).Prepare(q);
        if (!stmt.ok()) return Fail(stmt.error());
        stmt->Bind(1, year->id).Bind(2, largest);
        for (;;) {
          auto row = stmt->Step();
          if (!row.ok()) return Fail(row.error());
          if (!*row) break;
          sql_rows += stmt->ColumnInt(2);
        }
      }
      sql.push_back(Ms(Clock::now() - t));
    }
  }
  // The best SQLite can do: one scan grouped by all three dimensions and the rating, the
  // three distributions then summed from its (few) rows.
  std::vector<double> sql_one;
  {
    auto db = core.pool->Acquire();
    for (int i = 0; i < runs; ++i) {
      const auto t = Clock::now();
      auto stmt = (*db).Prepare(
          "SELECT p.grade, p.profession, post.unit_id, COALESCE(f.moderated_rating, f.rating), "
          "count(*) FROM performance_record r JOIN person p ON p.id = r.person_id "
          "LEFT JOIN post ON post.id = p.post_id JOIN performance_review f ON f.record_id = r.id "
          "AND f.kind = 'end' WHERE r.year_id = ?1 AND r.department = ?2 GROUP BY 1, 2, 3, 4");
      if (!stmt.ok()) return Fail(stmt.error());
      stmt->Bind(1, year->id).Bind(2, largest);
      std::map<std::int64_t, std::int64_t> by_grade;
      std::map<std::string, std::int64_t> by_profession;
      std::map<std::int64_t, std::int64_t> by_unit;
      for (;;) {
        auto row = stmt->Step();
        if (!row.ok()) return Fail(row.error());
        if (!*row) break;
        const auto n = stmt->ColumnInt(4);
        by_grade[stmt->ColumnInt(0) * 16 + stmt->ColumnInt(3)] += n;
        by_profession[stmt->ColumnText(1) + "/" + std::to_string(stmt->ColumnInt(3))] += n;
        by_unit[stmt->ColumnInt(2) * 16 + stmt->ColumnInt(3)] += n;
      }
      sql_one.push_back(Ms(Clock::now() - t));
    }
  }
  std::printf("scenario=moderation_best_sql one_pass_p50_ms=%.2f ratio_p50=%.2f\n",
              Percentile(sql_one, 0.5), Percentile(engine, 0.5) / Percentile(sql_one, 0.5));
  std::printf(
      "scenario=moderation department=%s rated=%lld answered=%lld p50_ms=%.2f p99_ms=%.2f "
      "sql_p50_ms=%.2f sql_p99_ms=%.2f sql_counted=%lld ratio_p50=%.2f\n",
      largest.c_str(), static_cast<long long>(rated), static_cast<long long>(answered),
      Percentile(engine, 0.5), Percentile(engine, 0.99), Percentile(sql, 0.5),
      Percentile(sql, 0.99), static_cast<long long>(sql_rows / 3),
      Percentile(engine, 0.5) / Percentile(sql, 0.5));
  return answered == rated && sql_rows / 3 == rated ? 0 : 1;
}
