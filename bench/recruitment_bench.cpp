// The merit list for 5,000 applications, on a copy of a demo database:
//
//   pathway_bench_recruitment_bench --db PATH [--applications N] [--runs N]
//
// Creates a vacancy (a new HEO post in the largest department, so its Success Profile
// has the nine behaviours and an experience element) and N external applications with
// agreed scores for every element (written in bulk, untimed), then times
// RecruitmentService::GetMeritList against the same ordering asked of SQLite in the same
// run: one query summing each application's agreed scores and ordering by the same
// tie-breaks. Target (issue 18): 5,000 applications within 100 ms. Writes to the
// database given: use a copy, never a real one.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/compose.hpp"
#include "store/database.hpp"

namespace {

using namespace pathway;
using Clock = std::chrono::steady_clock;
double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}
int Fail(const domain::Error& e) {
  std::fprintf(stderr, "%s\n", e.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  int applications = 5000;
  int runs = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--db" && i + 1 < argc) {
      path = argv[++i];
    } else if (arg == "--applications" && i + 1 < argc) {
      applications = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s --db PATH [--applications N] [--runs N]\n", argv[0]);
      return 2;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: %s --db PATH [--applications N] [--runs N]\n", argv[0]);
    return 2;
  }
  cli::CoreOptions options;
  options.db = path;
  options.root = PATHWAY_SOURCE_DIR;
  auto opened = cli::OpenCore(options);
  if (!opened.ok()) return Fail(opened.error());
  auto& core = **opened;
  app::Actor admin;
  admin.kind = app::Actor::Kind::kUser;
  admin.grants.push_back({0, domain::Role::kAdministrator, ""});
  std::string department;
  {
    auto db = core.pool->Acquire();
    auto find = (*db).Prepare(
        "SELECT u.id, (SELECT department FROM person GROUP BY department ORDER BY count(*) DESC "
        "LIMIT 1) "
        "FROM app_user u JOIN role_grant g ON g.user_id = u.id WHERE g.role = 'admin' LIMIT 1");
    if (!find.ok()) return Fail(find.error());
    auto row = find->Step();
    if (!row.ok() || !*row) {
      std::fprintf(stderr, "Use a demo database (it has an administrator)\n");
      return 1;
    }
    admin.user_id = find->ColumnInt(0);
    department = find->ColumnText(1);
  }
  app::VacancyInput input;
  input.title = "Bench vacancy";
  input.department = department;
  input.grade = "HEO";
  input.closes_on = "2099-12-31";
  input.other_elements.push_back(
      {domain::ElementKind::kExperience, "", "Experience", 0, {"interview"}, 4});
  auto vacancy = core.recruitment->CreateVacancy(admin, input);
  if (!vacancy.ok()) return Fail(vacancy.error());
  const std::size_t elements = vacancy->elements.size();
  {
    auto db = core.pool->Acquire();
    auto setup = [&]() -> domain::Status {
      PATHWAY_TRY((*db).Execute("BEGIN IMMEDIATE"));
      PATHWAY_TRY((*db).Execute(fmt::format(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0}) "
          "INSERT INTO application (vacancy_id, external_name, external_email, submitted_at) "
          "SELECT {1}, 'Candidate ' || i, 'c' || i || '@example.com', "
          "printf('2026-12-01T%02d:%02d:%02d.000Z', (i / 3600) % 24, (i / 60) % 60, i % 60) FROM n",
          applications, vacancy->id)));
      PATHWAY_TRY((*db).Execute(fmt::format(
          "WITH RECURSIVE k(p) AS (SELECT 0 UNION ALL SELECT p + 1 FROM k WHERE p < {0}) "
          "INSERT INTO application_agreed (application_id, position, score, reason, agreed_at) "
          "SELECT a.id, k.p, 1 + abs(random()) % 7, 'bench', 'now' FROM application a, k "
          "WHERE a.vacancy_id = {1}",
          elements - 1, vacancy->id)));
      return (*db).Execute("COMMIT");
    };
    if (auto done = setup(); !done.ok()) return Fail(done.error());
  }
  std::vector<double> engine;
  std::size_t first = 0;
  for (int i = 0; i < runs; ++i) {
    const auto t = Clock::now();
    auto merit = core.recruitment->GetMeritList(admin, vacancy->id);
    engine.push_back(Ms(Clock::now() - t));
    if (!merit.ok()) return Fail(merit.error());
    first = static_cast<std::size_t>(merit->entries.front().application_id);
  }
  std::vector<double> sql;
  std::size_t sql_first = 0;
  {
    auto db = core.pool->Acquire();
    for (int i = 0; i < runs; ++i) {
      const auto t = Clock::now();
      auto q = (*db).Prepare(
          "SELECT a.id, sum(g.score) AS total, sum(CASE WHEN e.kind = 'behaviour' THEN g.score "
          "ELSE 0 END) AS b, "
          "min(g.score >= e.minimum) AS passed FROM application a JOIN application_agreed g ON "
          "g.application_id = a.id JOIN vacancy_element e ON e.vacancy_id = a.vacancy_id AND "
          "e.position = g.position WHERE a.vacancy_id = ? GROUP BY a.id "
          "ORDER BY passed DESC, total DESC, b DESC, a.submitted_at, a.id");
      if (!q.ok()) return Fail(q.error());
      q->Bind(1, vacancy->id);
      bool got = false;
      for (;;) {
        auto row = q->Step();
        if (!row.ok()) return Fail(row.error());
        if (!*row) break;
        if (!got) sql_first = static_cast<std::size_t>(q->ColumnInt(0));
        got = true;
      }
      sql.push_back(Ms(Clock::now() - t));
    }
  }
  std::printf(
      "scenario=merit_list applications=%d elements=%zu median_ms=%.2f sql_median_ms=%.2f "
      "ratio=%.2f same_first=%d\n",
      applications, elements, Median(engine), Median(sql), Median(engine) / Median(sql),
      first == sql_first ? 1 : 0);
  return first == sql_first ? 0 : 1;
}
