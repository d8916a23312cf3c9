// The workforce engine against SQLite over one database (until `pathway bench` is
// wired in the CLI). Prints key=value lines, one per scenario.
//
//   pathway_bench_workforce_bench --db PATH [--fill PEOPLE] [--no-baseline] [--runs N]
//                                 [--print-query] [SCENARIO]
//
// --fill creates PATH (which must not exist), migrates it and fills it with a
// synthetic workforce of PEOPLE people before measuring. --no-baseline skips the SQL
// reference answers (same_answer=-1); --runs sets the engine runs per scenario (50);
// --print-query prints the questions asked as query_* lines (for bench/peer_duckdb.mjs).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "app/workforce_bench.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/workforce_reference.hpp"

int main(int argc, char** argv) {
  using namespace pathway;
  std::string path;
  std::string scenario = "all";
  long long fill = 0;
  app::BenchOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--db" && i + 1 < argc) {
      path = argv[++i];
    } else if (arg == "--fill" && i + 1 < argc) {
      fill = std::atoll(argv[++i]);
    } else if (arg == "--no-baseline") {
      options.baseline = false;
    } else if (arg == "--runs" && i + 1 < argc) {
      options.runs = std::atoi(argv[++i]);
    } else if (arg == "--print-query") {
      options.print_query = true;
    } else {
      scenario = arg;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr,
                 "usage: %s --db PATH [--fill PEOPLE] [--no-baseline] [--runs N] [--print-query] "
                 "[SCENARIO]\n",
                 argv[0]);
    return 2;
  }
  if (fill > 0 && std::filesystem::exists(path)) {
    std::fprintf(stderr, "--fill needs a new database file; %s exists\n", path.c_str());
    return 2;
  }
  auto db = store::Database::Open(path);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.error().message.c_str());
    return 1;
  }
  if (fill > 0) {
    auto migrated = store::Migrate(**db);
    if (!migrated.ok()) {
      std::fprintf(stderr, "%s\n", migrated.error().message.c_str());
      return 1;
    }
    store::SyntheticShape shape;
    shape.people = fill;
    auto filled = store::FillSyntheticWorkforce(**db, shape, 42);
    if (!filled.ok()) {
      std::fprintf(stderr, "%s\n", filled.error().message.c_str());
      return 1;
    }
  }
  auto status = app::RunWorkforceBench(**db, scenario, std::cout, options);
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", status.error().field.c_str(), status.error().message.c_str());
    return 1;
  }
  return 0;
}
