// The workforce engine's benchmark (`pathway bench`): times the engine's questions and,
// as the baseline, the same questions in SQL (store/workforce_reference.hpp).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/store_handles.hpp"
#include "domain/result.hpp"
#include "engine/queries.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

struct BenchOptions {
  bool baseline = true;  // also time the SQL reference answers (slow)
  int runs = 50;         // engine runs per scenario; the median is reported
  // Print the exact questions asked (query_* lines: requirement sets as item_ref ids,
  // filters as store codes) so peers (bench/peer_duckdb.mjs) ask the same ones.
  bool print_query = false;
};

// Runs benchmark `scenario` ("all", "load", "match", "match_all", "closest", "capmap",
// "routes", "bandwidth", "memory", or a comma-separated list such as "match,capmap") over the
// workforce in `db` and writes one key=value line per scenario to `out`. kInvalidInput for an
// unknown scenario or an empty workforce.
Status RunWorkforceBench(store::Database& db, std::string_view scenario, std::ostream& out);
Status RunWorkforceBench(store::Database& db, std::string_view scenario, std::ostream& out,
                         const BenchOptions& options);

}  // namespace pathway::app
