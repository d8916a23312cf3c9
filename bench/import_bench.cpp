// Bulk import of people: `pathway import people` (read the CSV, check it against the
// database, upsert in one transaction) against the same rows written by bare prepared
// INSERTs in one transaction into the same schema, each into a fresh temporary
// database; then the same file again (every person unchanged) and with a fifth of the
// people renamed. Prints key=value lines, with wall-clock and CPU seconds; run by
// `make bench`.
//
//   build/release/pathway_bench_import_bench [--rows N]
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "app/clock.hpp"
#include "app/policy.hpp"
#include "app/workforce_import.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace {

using namespace pathway;
using interchange::WorkforceFileKind;
using Clock = std::chrono::steady_clock;

constexpr int kDepartments = 20;
constexpr int kUnitsPerDepartment = 10;
constexpr int kLocations = 40;
constexpr int kProfessions = 10;

std::string OrgCsv() {
  std::string text(interchange::kOrgCsvHeader);
  text += "\n";
  for (int d = 0; d < kDepartments; ++d) {
    text += fmt::format("department,D{},Department {},,,\n", d, d);
    for (int u = 0; u < kUnitsPerDepartment; ++u) {
      text += fmt::format("unit,D{}-U{},Unit {} of department {},D{},,\n", d, u, u, d, d);
    }
  }
  for (int l = 0; l < kLocations; ++l) {
    text += fmt::format("location,L{},Location {},,,{}\n", l, l,
                        domain::AllRegions()[static_cast<std::size_t>(l % 12)].code);
  }
  return text;
}

std::string RolesCsv() {
  std::string text(interchange::kRolesCsvHeader);
  text += "\n";
  for (int p = 0; p < kProfessions; ++p) {
    for (int level = 1; level <= 4; ++level) {
      text += fmt::format(
          "prof{},Profession {},,fam{},Family {},role{},Role {},role{}-{},Level {},{},"
          "HEO,G7,experience,Some experience,,\n",
          p, p, p, p, p, p, p, level, level, level);
    }
  }
  return text;
}

// One post for every other person.
std::string PostsCsv(int people) {
  std::string text(interchange::kPostsCsvHeader);
  text += "\n";
  for (int i = 0; i < people; i += 2) {
    text += fmt::format("POST{},role{}-{},D{}-U{},L{},SEO,SC,no\n", i, i % kProfessions, 1 + i % 4,
                        i % kDepartments, i % kUnitsPerDepartment, i % kLocations);
  }
  return text;
}

// The manager of person i, or -1: see PeopleCsv.
int ManagerOf(int i) { return i % 100 == 0 ? -1 : (i % 10 == 0 ? i - i % 100 : i - i % 10); }

// People in teams of ten: the first of each hundred heads it, the first of each ten
// reports to them and the rest to the first of their ten. With `renamed_every` > 0,
// every so many people have another name.
std::string PeopleCsv(int people, int renamed_every = 0) {
  std::string text(interchange::kPeopleCsvHeader);
  text += "\n";
  text.reserve(static_cast<std::size_t>(people) * 130);
  for (int i = 0; i < people; ++i) {
    const int manager = ManagerOf(i);
    text += fmt::format(
        "HR{:07},Person {} {},HEO,D{},L{},prof{},{},{},{},SC,active,2021-04-01,2026-04-01,"
        "2015-06-{:02}\n",
        i, renamed_every > 0 && i % renamed_every == 0 ? "renamed" : "number", i, i % kDepartments,
        i % kLocations, i % kProfessions,
        i % 7 == 0 ? fmt::format("prof{}", (i + 1) % kProfessions) : "",
        i % 2 == 0 ? fmt::format("POST{}", i) : "",
        manager < 0 ? "" : fmt::format("HR{:07}", manager), 1 + i % 28);
  }
  return text;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds of the whole process so far: beside the wall-clock seconds, so that a run
// on a busy machine can be told from a slow one.
double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

int Run(int rows) {
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("pathway-import-bench-{}", ::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "import.db").string();
  {
    auto db = store::Database::Open(path);
    if (!db.ok() || !store::Migrate(**db).ok()) return 1;
  }
  auto pool = std::move(store::ConnectionPool::Open(path, 1)).value();
  auto policy = app::Policy::Parse(Read(std::string(PATHWAY_SOURCE_DIR) + "/policy/access.csv"));
  if (!policy.ok()) return 1;
  app::Authorizer authorizer(std::move(policy).value());
  app::SystemClock clock;
  app::UnitOfWork kernel(*pool, authorizer, clock);
  app::WorkforceImportService service(kernel);

  const auto import = [&](WorkforceFileKind kind, const std::string& text) -> bool {
    auto report = service.Import(app::Actor::System(), kind, text, "bench.csv");
    if (!report.ok()) {
      std::fprintf(stderr, "%s\n", report.error().message.c_str());
      return false;
    }
    if (!report->ok()) {
      std::fprintf(stderr, "%s\n", interchange::FormatImportProblem(report->problems[0]).c_str());
      return false;
    }
    return true;
  };
  if (!import(WorkforceFileKind::kOrg, OrgCsv()) ||
      !import(WorkforceFileKind::kRoles, RolesCsv()) ||
      !import(WorkforceFileKind::kPosts, PostsCsv(rows))) {
    return 1;
  }
  const std::string people = PeopleCsv(rows);
  const std::string baseline_path = (dir / "baseline.db").string();
  {
    auto db = pool->Acquire();
    if (!db->Execute(fmt::format("VACUUM INTO '{}'", baseline_path)).ok()) return 1;
  }

  // Where the time goes: reading, checking against the database, writing.
  std::string stages;
  auto start = Clock::now();
  double cpu_start = CpuSeconds();
  {
    std::string stage = "Reading";
    auto stage_start = start;
    app::WorkforceImportOptions options;
    options.progress = [&](std::string_view now, std::int64_t, std::int64_t) {
      if (now == stage) return;
      stages += fmt::format(" {}_s={:.3f}", Lower(stage), Seconds(stage_start));
      stage = now;
      stage_start = Clock::now();
    };
    auto report = service.Import(app::Actor::System(), WorkforceFileKind::kPeople, people,
                                 "bench.csv", options);
    if (!report.ok() || !report->ok()) return 1;
    stages += fmt::format(" {}_s={:.3f}", Lower(stage), Seconds(stage_start));
  }
  const double import_seconds = Seconds(start);
  const double import_cpu_seconds = CpuSeconds() - cpu_start;

  start = Clock::now();
  cpu_start = CpuSeconds();
  if (!import(WorkforceFileKind::kPeople, people)) return 1;
  const double reimport_seconds = Seconds(start);
  const double reimport_cpu_seconds = CpuSeconds() - cpu_start;

  // Again with one person in five renamed: an update of a fifth of the table, which
  // keeps the indexes up to date rather than building them again.
  constexpr int kRenamedEvery = 5;
  const std::string renamed = PeopleCsv(rows, kRenamedEvery);
  start = Clock::now();
  cpu_start = CpuSeconds();
  if (!import(WorkforceFileKind::kPeople, renamed)) return 1;
  const double changed_seconds = Seconds(start);
  const double changed_cpu_seconds = CpuSeconds() - cpu_start;

  // Baseline: the same rows with their row ids already known, by bare prepared INSERTs
  // in one transaction, into a copy of the database as it was before the import.
  double baseline_seconds = 0;
  double baseline_cpu_seconds = 0;
  {
    auto db = std::move(store::Database::Open(baseline_path)).value();
    start = Clock::now();
    cpu_start = CpuSeconds();
    auto tx = std::move(store::Transaction::Begin(*db)).value();
    auto insert =
        std::move(db->Prepare("INSERT INTO person (id, external_id, display_name, grade, "
                              "department, location_id, profession, post_id, line_manager_id, "
                              "clearance_level, clearance_status, clearance_granted, "
                              "clearance_review_due, start_date) "
                              "VALUES (?, ?, ?, 3, ?, ?, ?, ?, ?, 'SC', 'active', "
                              "'2021-04-01', '2026-04-01', ?)"))
            .value();
    auto other = std::move(db->Prepare("INSERT INTO person_profession (person_id, "
                                       "profession_id) VALUES (?, ?)"))
                     .value();
    for (int i = 0; i < rows; ++i) {
      const int manager = ManagerOf(i);
      insert.Reset();
      insert.Bind(1, i + 1)
          .Bind(2, fmt::format("HR{:07}", i))
          .Bind(3, fmt::format("Person number {}", i))
          .Bind(4, fmt::format("D{}", i % kDepartments))
          .Bind(5, 1 + i % kLocations)
          .Bind(6, fmt::format("prof{}", i % kProfessions))
          .Bind(9, fmt::format("2015-06-{:02}", 1 + i % 28));
      if (i % 2 == 0) insert.Bind(7, i / 2 + 1);
      if (manager >= 0) insert.Bind(8, manager + 1);
      if (!insert.Run().ok()) return 1;
      if (i % 7 == 0) {
        other.Reset();
        other.Bind(1, i + 1).Bind(2, 1 + (i + 1) % kProfessions);
        if (!other.Run().ok()) return 1;
      }
    }
    if (!tx.Commit().ok()) return 1;
    baseline_seconds = Seconds(start);
    baseline_cpu_seconds = CpuSeconds() - cpu_start;
  }
  pool.reset();
  std::filesystem::remove_all(dir);

  const double rows_per_s = rows / import_seconds;
  const double baseline_rows_per_s = rows / baseline_seconds;
  std::printf(
      "scenario=import_people rows=%d bytes=%zu seconds=%.3f cpu_s=%.3f rows_per_s=%.0f "
      "baseline_rows_per_s=%.0f baseline_cpu_s=%.3f ratio=%.3f%s\n",
      rows, people.size(), import_seconds, import_cpu_seconds, rows_per_s, baseline_rows_per_s,
      baseline_cpu_seconds, rows_per_s / baseline_rows_per_s, stages.c_str());
  std::printf(
      "scenario=reimport_people rows=%d seconds=%.3f cpu_s=%.3f rows_per_s=%.0f "
      "baseline_rows_per_s=%.0f ratio=%.3f\n",
      rows, reimport_seconds, reimport_cpu_seconds, rows / reimport_seconds, baseline_rows_per_s,
      (rows / reimport_seconds) / baseline_rows_per_s);
  std::printf(
      "scenario=reimport_people_fifth_changed rows=%d changed=%d seconds=%.3f cpu_s=%.3f "
      "rows_per_s=%.0f baseline_rows_per_s=%.0f ratio=%.3f\n",
      rows, (rows + kRenamedEvery - 1) / kRenamedEvery, changed_seconds, changed_cpu_seconds,
      rows / changed_seconds, baseline_rows_per_s, (rows / changed_seconds) / baseline_rows_per_s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int rows = 500'000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--rows") == 0) rows = std::atoi(argv[i + 1]);
  }
  if (rows < 100) rows = 100;
  return Run(rows);
}
