// The workforce change counter and its log (migrations 7 and 8) against a real SQLite
// file: what each bump logs, what a reader is told to reload, pruning, and the loader
// of a few people's index input.
#include "store/workforce_change.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>

#include "store/migrations.hpp"
#include "store/workforce_read_test_fixture.hpp"
#include "store/workforce_snapshot.hpp"

namespace pathway::store {
namespace {

class WorkforceChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pathway-wfchange-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::move(Database::Open((dir_ / "t.db").string())).value();
    ASSERT_TRUE(Migrate(*db_).ok());
    ASSERT_TRUE(db_->Execute(testing::kWorkforceFixtureSql).ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  WorkforceChanges Since(std::int64_t generation) {
    auto changes = WorkforceChangesSince(*db_, generation);
    EXPECT_TRUE(changes.ok()) << changes.error().message;
    return changes.ok() ? *changes : WorkforceChanges{};
  }
  std::int64_t Generation() { return WorkforceGeneration(*db_).value(); }
  std::int64_t Count(const std::string& sql) {
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(stmt->Step().value());
    return stmt->ColumnInt(0);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(WorkforceChangeTest, ANewDatabaseHasNothingToReloadButAReaderFromBeforeTheLogReloadsAll) {
  EXPECT_EQ(Generation(), 1);
  const auto current = Since(1);
  EXPECT_EQ(current.generation, 1);
  EXPECT_FALSE(current.full);
  EXPECT_TRUE(current.people.empty());
  // Migration 8 logs its own generation as a full change: nothing before it is known.
  EXPECT_TRUE(Since(0).full);
}

TEST_F(WorkforceChangeTest, APeopleBumpLogsDistinctIdsAndAFullBumpLogsAFullChange) {
  const std::int64_t ids[] = {3, 1, 3};
  ASSERT_TRUE(BumpWorkforceGenerationForPeople(*db_, ids).ok());
  auto changes = Since(1);
  EXPECT_EQ(changes.generation, 2);
  EXPECT_FALSE(changes.full);
  EXPECT_EQ(changes.people, (std::vector<std::int64_t>{1, 3}));

  const std::int64_t more[] = {5};
  ASSERT_TRUE(BumpWorkforceGenerationForPeople(*db_, more).ok());
  EXPECT_EQ(Since(1).people, (std::vector<std::int64_t>{1, 3, 5}));
  EXPECT_EQ(Since(2).people, (std::vector<std::int64_t>{5}));

  // An empty list changes nothing.
  ASSERT_TRUE(BumpWorkforceGenerationForPeople(*db_, std::span<const std::int64_t>{}).ok());
  EXPECT_EQ(Generation(), 3);

  ASSERT_TRUE(BumpWorkforceGeneration(*db_).ok());
  EXPECT_EQ(Generation(), 4);
  EXPECT_TRUE(Since(1).full);
  EXPECT_TRUE(Since(3).full);
  EXPECT_FALSE(Since(4).full);
  EXPECT_TRUE(Since(1).people.empty());
}

TEST_F(WorkforceChangeTest, ACounterMovedWithoutALogIsAFullChange) {
  // A writer that only moves the counter (an older script, the sqlite3 shell).
  const std::int64_t ids[] = {2};
  ASSERT_TRUE(BumpWorkforceGenerationForPeople(*db_, ids).ok());
  ASSERT_TRUE(
      db_->Execute("UPDATE workforce_change SET generation = generation + 1 WHERE id = 1").ok());
  ASSERT_TRUE(BumpWorkforceGenerationForPeople(*db_, ids).ok());
  EXPECT_EQ(Generation(), 4);
  EXPECT_TRUE(Since(1).full);
  EXPECT_TRUE(Since(2).full);
  EXPECT_FALSE(Since(3).full);
  EXPECT_EQ(Since(3).people, (std::vector<std::int64_t>{2}));
}

TEST_F(WorkforceChangeTest, PeopleNamedByExternalIdAreLoggedByStoreId) {
  std::vector<domain::Person> people(3);
  people[0].external_id = "E4";
  people[1].external_id = "E2";
  people[2].external_id = "NOBODY";  // ignored
  ASSERT_TRUE(BumpWorkforceGenerationForPeople(*db_, people).ok());
  const auto changes = Since(1);
  EXPECT_FALSE(changes.full);
  EXPECT_EQ(changes.people, (std::vector<std::int64_t>{2, 4}));
}

TEST_F(WorkforceChangeTest, TooManyPeopleInOneBumpOrInAllAreAFullChange) {
  // Each bump in its own write transaction, as writers call it.
  const auto bump = [&](std::span<const std::int64_t> ids) {
    auto tx = std::move(Transaction::Begin(*db_)).value();
    ASSERT_TRUE(BumpWorkforceGenerationForPeople(*db_, ids).ok());
    ASSERT_TRUE(tx.Commit().ok());
  };
  std::vector<std::int64_t> ids(kMaxLoggedPeople + 1);
  std::iota(ids.begin(), ids.end(), 1);
  bump(ids);
  EXPECT_TRUE(Since(1).full);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workforce_change_log WHERE generation = 2"), 1);

  // Two bumps under the limit each, over it together.
  const std::int64_t at = Generation();
  ids.resize(kMaxLoggedPeople / 2 + 1);
  bump(ids);
  EXPECT_FALSE(Since(at).full);
  for (auto& id : ids) id += static_cast<std::int64_t>(ids.size());
  bump(ids);
  EXPECT_FALSE(Since(at + 1).full);
  EXPECT_TRUE(Since(at).full);
}

TEST_F(WorkforceChangeTest, OnlyTheLatestGenerationsAreKeptAndAnOlderReaderReloadsAll) {
  {
    auto tx = std::move(Transaction::Begin(*db_)).value();
    const std::int64_t one[] = {1};
    for (std::int64_t i = 0; i < kLoggedGenerations + 5; ++i) {
      ASSERT_TRUE(BumpWorkforceGenerationForPeople(*db_, one).ok());
    }
    ASSERT_TRUE(tx.Commit().ok());
  }
  const std::int64_t now = Generation();
  EXPECT_EQ(now, 1 + kLoggedGenerations + 5);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT generation) FROM workforce_change_log"),
            kLoggedGenerations);
  EXPECT_EQ(Count("SELECT MIN(generation) FROM workforce_change_log"),
            now - kLoggedGenerations + 1);
  // A reader at the oldest generation still logged after its own is up to date by log.
  EXPECT_FALSE(Since(now - kLoggedGenerations).full);
  EXPECT_EQ(Since(now - kLoggedGenerations).people, (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(Since(now - kLoggedGenerations - 1).full);
  EXPECT_TRUE(Since(1).full);
}

TEST_F(WorkforceChangeTest, ABumpRolledBackWithItsWriteLogsNothing) {
  {
    auto tx = std::move(Transaction::Begin(*db_)).value();
    const std::int64_t one[] = {1};
    ASSERT_TRUE(BumpWorkforceGenerationForPeople(*db_, one).ok());
  }
  EXPECT_EQ(Generation(), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workforce_change_log WHERE generation > 1"), 0);
}

TEST_F(WorkforceChangeTest, LoadsTheIndexInputOfSomePeopleAndTellsWhoIsGone) {
  ASSERT_TRUE(db_->Execute(R"sql(
INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, framework_version)
VALUES (2, 2, 1, 3, 'manager', '2024-01-01', 1), (2, 1, 1, 2, 'self', '2024-01-01', 1),
       (2, 1, 2, 4, 'panel', '2024-02-01', 1), (4, 1, 1, 5, 'manager', '2024-01-01', 1);
)sql")
                  .ok());
  const std::int64_t ids[] = {99, 2, 2};
  auto loaded = LoadWorkforcePeople(*db_, ids);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->removed, (std::vector<std::int64_t>{99}));
  ASSERT_EQ(loaded->people.size(), 1u);
  const engine::PersonInput& bob = loaded->people[0];
  EXPECT_EQ(bob.id, 2);
  EXPECT_EQ(bob.profession_id, 1);
  EXPECT_EQ(bob.department_id, 1);
  EXPECT_EQ(bob.grade, 4);
  EXPECT_EQ(bob.post_id, 2);
  EXPECT_EQ(bob.clearance, -1);
  // Bob's ledger only, by item then seq; the assessor reduced to whether it confirms.
  ASSERT_EQ(loaded->ledger.size(), 3u);
  EXPECT_EQ(loaded->ledger[0].item, 1);
  EXPECT_EQ(loaded->ledger[0].level, 2);
  EXPECT_FALSE(loaded->ledger[0].confirms);
  EXPECT_EQ(loaded->ledger[1].item, 1);
  EXPECT_EQ(loaded->ledger[1].level, 4);
  EXPECT_TRUE(loaded->ledger[1].confirms);
  EXPECT_EQ(loaded->ledger[2].item, 2);
  for (const auto& row : loaded->ledger) EXPECT_EQ(row.person_id, 2);
}

}  // namespace
}  // namespace pathway::store
