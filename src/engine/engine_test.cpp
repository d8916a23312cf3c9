// Unit tests of the index's building blocks; behaviour is in tests/engine-cases/.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "engine/index.hpp"
#include "engine/queries.hpp"

namespace pathway::engine {
namespace {

std::vector<std::pair<std::uint32_t, std::uint32_t>> Runs(const RowSet& set) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (const Run& r : set.runs()) out.push_back({r.begin, r.end});
  return out;
}

TEST(RowSet, InsertsAndErasesMergingRuns) {
  RowSet set;
  set.Insert(5);
  set.Insert(7);
  set.Insert(6);
  set.Insert(6);
  EXPECT_EQ(Runs(set), (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{5, 8}}));
  EXPECT_EQ(set.size(), 3u);
  set.Erase(6);
  EXPECT_EQ(Runs(set), (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{5, 6}, {7, 8}}));
  set.Erase(5);
  set.Erase(9);
  set.Insert(0);
  EXPECT_EQ(Runs(set), (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{0, 1}, {7, 8}}));
  EXPECT_EQ(set.size(), 2u);
}

TEST(Column, CopiesAChunkOnlyOnItsFirstWriteInAGeneration) {
  Column<std::uint8_t> a;
  a.Set(3, 7, 1);
  a.Set(kChunkRows + 1, 9, 1);
  Column<std::uint8_t> b = a;
  b.Set(3, 8, 2);
  EXPECT_EQ(a.Get(3), 7);  // the published column is untouched
  EXPECT_EQ(b.Get(3), 8);
  EXPECT_EQ(a.ChunkData(1), b.ChunkData(1));  // unchanged chunk shared
  EXPECT_NE(a.ChunkData(0), b.ChunkData(0));
  const std::uint8_t* copied = b.ChunkData(0);
  b.Set(4, 1, 2);
  EXPECT_EQ(b.ChunkData(0), copied);  // same generation: no second copy
  EXPECT_EQ(a.Get(5 * kChunkRows), 0);
}

std::shared_ptr<const Snapshot> Small() {
  ReferenceInput ref;
  ref.items = {{1, "a"}};
  ref.professions = {{1, "dig"}};
  ref.role_levels = {{1, "dev-1", "Developer", 1, 1, 1, 2, 3, {{1, 2, 1}}}};
  SnapshotBuilder builder;
  EXPECT_TRUE(builder.SetReference(ref).ok());
  for (int id = 1; id <= 100; ++id) builder.AddPerson({id, 1, 2, 6, 0, -1, {}, 0});
  builder.AddAssessment(1, 1, 2, true);
  builder.AddAssessment(1, 1, 1, false);   // a later self-assessment: ignored
  builder.AddAssessment(2, 77, 1, false);  // unknown item: skipped
  auto built = builder.Build();
  EXPECT_TRUE(built.ok());
  EXPECT_EQ(builder.skipped_assessments(), 1);
  return *built;
}

TEST(Index, ReadersKeepTheirSnapshotWhileAWriterPublishes) {
  Index index(Small());
  auto before = index.Current();
  EXPECT_EQ(before->Level(static_cast<std::uint32_t>(before->RowOf(1)), 0), 2);
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!stop) {
      auto s = index.Current();
      MatchQuery q;
      q.role_level = "dev-1";
      q.k = 3;
      auto r = Match(*s, q);
      ASSERT_TRUE(r.ok());
      ASSERT_EQ(r->entries.size(), 3u);
      ++reads;
    }
  });
  while (reads.load() == 0) std::this_thread::yield();
  for (int id = 2; id <= 60; ++id) {
    AssessmentInput a{id, 1, 1 + id % 3, true};
    ASSERT_TRUE(index.ApplyAssessments(std::span(&a, 1)).ok());
  }
  const int seen = reads.load();
  while (reads.load() < seen + 2) std::this_thread::yield();  // reads after the last write
  stop = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(before->Level(static_cast<std::uint32_t>(before->RowOf(5)), 0), 0);
  auto after = index.Current();
  EXPECT_EQ(after->Level(static_cast<std::uint32_t>(after->RowOf(5)), 0), 3);
}

TEST(Catalog, RefusesRequirementsOfUnknownItems) {
  ReferenceInput ref;
  ref.role_levels = {{1, "x", "X", 1, 0, 1, 0, 0, {{5, 1, 1}}}};
  auto c = UpsertCatalog(nullptr, ref);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "role_levels[0].requirements[0].item");
}

}  // namespace
}  // namespace pathway::engine
