// Several readers and one writer on one Index: every answer a reader gets must be the
// answer of some state the writer committed (never a half-applied write). The writer
// records the answer of each state it publishes; the readers keep what they saw and
// check it against those answers at the end. Run under ThreadSanitizer by the `tsan`
// preset (scripts/run-tests.sh), which also reports any data race it meets.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/index.hpp"
#include "engine/queries.hpp"

namespace pathway::engine {
namespace {

constexpr int kPeople = 300;
constexpr int kStaying = 200;  // people 1..200 stay; later ones may leave

std::shared_ptr<const Snapshot> Start() {
  ReferenceInput ref;
  ref.items = {{1, "a"}, {2, "b"}};
  ref.professions = {{1, "dig"}, {2, "ops"}};
  ref.departments = {{1, "dwp"}};
  ref.role_levels = {{1, "dev-1", "Developer", 1, 1, 1, 2, 3, {{1, 2, 1}, {2, 3, 2}}}};
  SnapshotBuilder builder;
  EXPECT_TRUE(builder.SetReference(ref).ok());
  for (int id = 1; id <= kPeople; ++id) {
    builder.AddPerson({id, 1 + id % 2, 2 + id % 3, id % 5, 1, -1, {}, 0});
  }
  for (int id = 1; id <= kPeople; id += 3) builder.AddAssessment(id, 1, 1 + id % 4, true);
  auto built = builder.Build();
  EXPECT_TRUE(built.ok());
  return *built;
}

// An answer as text, so that answers of states compare exactly: the ranking (people,
// scores, fits) and the capability map's cells.
std::string AnswerOf(const Snapshot& snapshot) {
  std::string out;
  MatchQuery match;
  match.role_level = "dev-1";
  match.k = 20;
  auto ranked = Match(snapshot, match);
  if (!ranked.ok()) return "match failed: " + ranked.error().message;
  out += "candidates " + std::to_string(ranked->candidates) + ";";
  for (const auto& entry : ranked->entries) {
    out += std::to_string(entry.person_id) + ":" + std::to_string(entry.score) + "/" +
           std::to_string(entry.gap) + ",";
  }
  CapabilityQuery map;
  map.rows = Dimension::kProfession;
  map.columns = Dimension::kGrade;
  map.role_level = "dev-1";
  auto cells = MapCapability(snapshot, map);
  if (!cells.ok()) return out + "map failed: " + cells.error().message;
  out += "|";
  for (const auto& cell : cells->cells) {
    out += std::to_string(cell.row) + "." + std::to_string(cell.column) + "=" +
           std::to_string(cell.headcount) + "/" + std::to_string(cell.meeting) + "/" +
           std::to_string(cell.level_sum) + ",";
  }
  return out;
}

TEST(EngineConcurrency, EveryAnswerIsTheAnswerOfACommittedState) {
  Index index(Start());
  std::mutex committed_mutex;
  std::set<std::string> committed{AnswerOf(*index.Current())};

  constexpr int kReaders = 4;
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::vector<std::vector<std::string>> seen(kReaders);
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      while (!stop.load()) {
        auto snapshot = index.Current();
        seen[r].push_back(AnswerOf(*snapshot));
        reads.fetch_add(1);
      }
    });
  }
  while (reads.load() < kReaders) std::this_thread::yield();

  // Assessments (confirming and self), new people, people leaving, people moving cell:
  // each one write, each one committed state.
  int next_id = kPeople + 1;
  for (int step = 0; step < 120; ++step) {
    Status written = domain::Ok{};
    switch (step % 4) {
      case 0: {
        std::vector<AssessmentInput> batch;
        for (int k = 0; k < 5; ++k) {
          batch.push_back({1 + (step * 7 + k * 13) % kStaying, 1 + k % 2, 1 + (step + k) % 5,
                           (step + k) % 3 != 0});
        }
        written = index.ApplyAssessments(batch);
        break;
      }
      case 1: {
        PersonInput person{next_id++, 1 + step % 2, 2 + step % 3, step % 5, 1, -1, {}, 0};
        written = index.UpsertPeople(std::span(&person, 1));
        break;
      }
      case 2: {
        const std::int64_t leaving = kStaying + 1 + (step * 11) % (kPeople - kStaying);
        written = index.RemovePeople(std::span(&leaving, 1));
        break;
      }
      default: {
        PersonInput moved{
            1 + (step * 5) % kStaying, 2 - step % 2, 2 + (step / 4) % 3, 0, 1, -1, {}, 0};
        written = index.UpsertPeople(std::span(&moved, 1));
        break;
      }
    }
    if (!written.ok()) {
      ADD_FAILURE() << "write " << step << ": " << written.error().message;
      break;
    }
    // The only writer: the current state is the one just committed.
    const std::string answer = AnswerOf(*index.Current());
    std::lock_guard lock(committed_mutex);
    committed.insert(answer);
  }
  const int after_last_write = reads.load();
  while (reads.load() < after_last_write + kReaders) std::this_thread::yield();
  stop = true;
  for (auto& reader : readers) reader.join();

  EXPECT_GT(committed.size(), 60u);  // the writes changed the answers
  std::size_t checked = 0;
  std::set<std::string> distinct_seen;
  for (const auto& answers : seen) {
    for (const auto& answer : answers) {
      ++checked;
      distinct_seen.insert(answer);
      ASSERT_TRUE(committed.contains(answer)) << "an answer of no committed state: " << answer;
    }
  }
  EXPECT_GT(checked, 0u);
  // The readers saw the final state (they read after the last write).
  EXPECT_TRUE(distinct_seen.contains(AnswerOf(*index.Current())));
}

}  // namespace
}  // namespace pathway::engine
