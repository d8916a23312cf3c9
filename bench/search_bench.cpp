// Framework search: FTS5 (what Pathway uses) against the same question asked with a
// plain LIKE scan, over 100 published frameworks of 500 indicators each, built in a
// temporary database. Prints key=value lines; run by `make bench`.
//
//   build/release/pathway_bench_search [--frameworks N] [--indicators N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/clock.hpp"
#include "app/frameworks.hpp"
#include "app/policy.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "timing.hpp"

namespace {

using namespace pathway;

// Every word of the shipped competency framework, as often as it occurs there, so that
// generated indicators have the vocabulary and word frequencies of real ones.
std::vector<std::string> LoadWords() {
  std::ifstream in(std::string(PATHWAY_SOURCE_DIR) + "/data/frameworks/cscf-level5-sms1.txt");
  std::vector<std::string> words;
  std::string word;
  char c;
  while (in.get(c)) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  return words;
}

const std::vector<std::string>& Words() {
  static const std::vector<std::string> words = LoadWords();
  return words;
}

std::string Sentence(std::mt19937& rng) {
  std::uniform_int_distribution<std::size_t> pick(0, Words().size() - 1);
  std::string text = "Consider";
  for (int i = 0; i < 14; ++i) text += " " + Words()[pick(rng)];
  return text;
}

domain::Framework Build(int n, int indicators, std::mt19937& rng) {
  domain::Framework f;
  f.id = domain::NameBasedUuid("6b7a871d-7957-8780-876f-c7dcb4b9c353", fmt::format("bench-{}", n));
  f.title = fmt::format("Benchmark framework {}", n);
  f.kind = domain::FrameworkKind::kCompetency;
  f.status = domain::FrameworkStatus::kPublished;
  const int items = 10;
  for (int c = 0; c < 2; ++c) {
    domain::Cluster cluster;
    cluster.id = domain::NameBasedUuid(f.id, fmt::format("c{}", c));
    cluster.title = fmt::format("Cluster {}", c + 1);
    cluster.order = c + 1;
    for (int i = 0; i < items / 2; ++i) {
      domain::Item item;
      item.id = domain::NameBasedUuid(f.id, fmt::format("i{}-{}", c, i));
      item.number = c * items / 2 + i + 1;
      item.title = fmt::format("Competency {}", item.number);
      item.description = Sentence(rng);
      for (int k = 0; k < indicators / items; ++k) {
        domain::Indicator indicator;
        indicator.id = domain::NameBasedUuid(item.id, fmt::format("d{}", k));
        indicator.kind =
            k % 2 == 0 ? domain::IndicatorKind::kEffective : domain::IndicatorKind::kIneffective;
        indicator.order = k / 2 + 1;
        indicator.text = Sentence(rng) + fmt::format(" number {}", k);
        item.indicators.push_back(std::move(indicator));
      }
      cluster.items.push_back(std::move(item));
    }
    f.clusters.push_back(std::move(cluster));
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  int frameworks = 100;
  int indicators = 500;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--frameworks") frameworks = std::stoi(argv[i + 1]);
    if (flag == "--indicators") indicators = std::stoi(argv[i + 1]);
  }
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("pathway-search-bench-{}", getpid());
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "bench.db").string();
  {
    auto db = store::Database::Open(path);
    if (!db.ok() || !store::Migrate(**db).ok()) return 1;
  }
  auto pool = std::move(store::ConnectionPool::Open(path, 2)).value();
  auto policy = app::Policy::Parse(
      "action,role,relationship\nframework.create,system,any\nframework.read,system,any\n");
  app::Authorizer authorizer(std::move(policy).value());
  app::SystemClock clock;
  app::UnitOfWork kernel(*pool, authorizer, clock);
  app::FrameworkService service(kernel);
  std::mt19937 rng(7);
  const auto build_start = std::chrono::steady_clock::now();
  for (int n = 0; n < frameworks; ++n) {
    auto ref = service.Import(app::Actor::System(), Build(n, indicators, rng), "bench");
    if (!ref.ok()) {
      std::fprintf(stderr, "%s\n", ref.error().message.c_str());
      return 1;
    }
  }
  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
  std::printf("bench=search frameworks=%d indicators_each=%d build_s=%.1f\n", frameworks,
              indicators, build_s);

  const std::vector<std::string> queries{"stakeholder", "secur inform", "effective decisions",
                                         "qualit", "digital delivery"};
  auto lease = pool->Acquire();
  for (const auto& q : queries) {
    std::size_t hits = 0;
    auto fts = bench::Time(21, [&] { hits = service.Search(app::Actor::System(), q, 50)->size(); });
    // Baseline: the same question without the index. Every indicator of the newest
    // published versions is scanned for words beginning with each term, and the matches
    // are ranked by how often the terms occur, best 50 first.
    const auto terms = app::SearchTerms(q);
    std::string where;
    std::string score;
    for (std::size_t i = 0; i < terms.size(); ++i) {
      const int n = static_cast<int>(i + 1);
      where += fmt::format("{}(' ' || lower(d.text)) LIKE '% ' || ?{} || '%'", i ? " AND " : "", n);
      score +=
          fmt::format("{}(length(d.text) - length(replace(lower(d.text), ?{}, ''))) / length(?{})",
                      i ? " + " : "", n, n);
    }
    auto stmt = lease->Prepare(fmt::format(
        "SELECT d.framework_id, d.item_id, d.id, d.text, {} AS score FROM fw_indicator d "
        "JOIN framework_version v ON v.framework_id = d.framework_id AND v.version = d.version "
        "WHERE v.status = 'published' AND {} ORDER BY score DESC LIMIT 50",
        score, where));
    std::size_t like_hits = 0;
    auto like = bench::Time(5, [&] {
      stmt->Reset();
      for (std::size_t i = 0; i < terms.size(); ++i) stmt->Bind(static_cast<int>(i + 1), terms[i]);
      like_hits = 0;
      while (*stmt->Step()) ++like_hits;
    });
    const double fts_ms = bench::Median(fts);
    const double like_ms = bench::Median(like);
    std::printf(
        "bench=search query=\"%s\" hits=%zu median_ms=%.3f baseline=like_scan "
        "baseline_hits=%zu baseline_median_ms=%.3f ratio=%.1f target_ms=50 meets_target=%s\n",
        q.c_str(), hits, fts_ms, like_hits, like_ms, like_ms / fts_ms, fts_ms < 50 ? "yes" : "no");
  }
  std::filesystem::remove_all(dir);
  return 0;
}
