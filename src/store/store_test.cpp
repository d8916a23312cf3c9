// Store tests run against real SQLite files in a temporary folder.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "store/database.hpp"
#include "store/migrations.hpp"

namespace pathway::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pathway-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Database> OpenDb() {
    auto db = Database::Open(path_);
    EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
    return std::move(db).value();
  }

  std::int64_t Count(Database& db, std::string_view sql) {
    auto stmt = db.Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(*stmt->Step());
    return stmt->ColumnInt(0);
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(StoreTest, OpensWithWalAndForeignKeys) {
  auto db = OpenDb();
  auto mode = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
  EXPECT_EQ(Count(*db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(Count(*db, "PRAGMA synchronous"), 2);  // FULL
}

TEST_F(StoreTest, MigratesOnceAndRecordsVersions) {
  auto db = OpenDb();
  auto first = Migrate(*db);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, AllMigrations().back().version);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM grade"), 10);

  auto second = Migrate(*db);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->from_version, second->to_version);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM schema_migration"),
            static_cast<std::int64_t>(AllMigrations().size()));
}

TEST_F(StoreTest, RefusesADatabaseFromANewerProgram) {
  auto db = OpenDb();
  ASSERT_TRUE(Migrate(*db).ok());
  ASSERT_TRUE(
      db->Execute("INSERT INTO schema_migration (version, name) VALUES (9999, 'future')").ok());
  auto result = Migrate(*db);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("newer than this program"), std::string::npos);
}

TEST_F(StoreTest, TransactionRollsBackUnlessCommitted) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Execute("CREATE TABLE t (x INTEGER)").ok());
  {
    auto tx = Transaction::Begin(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (1)").ok());
  }  // no commit
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM t"), 0);
  {
    auto tx = Transaction::Begin(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM t"), 1);
}

TEST_F(StoreTest, ConstraintViolationIsAConflictNotACrash) {
  auto db = OpenDb();
  ASSERT_TRUE(Migrate(*db).ok());
  auto insert = db->Prepare("INSERT INTO grade (rank, code, name) VALUES (?, ?, ?)");
  ASSERT_TRUE(insert.ok());
  insert->Bind(1, 3).Bind(2, "XX").Bind(3, "Duplicate rank");
  auto status = insert->Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, domain::ErrorCode::kConflict);
}

TEST_F(StoreTest, BindsAndReadsBackTextWithNulsAndUnicode) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Execute("CREATE TABLE t (s TEXT, n INTEGER)").ok());
  const std::string text("Caf\xC3\xA9 \"quoted\" ' ; DROP TABLE t; --");
  auto insert = db->Prepare("INSERT INTO t VALUES (?, ?)");
  ASSERT_TRUE(insert.ok());
  insert->Bind(1, text).BindNull(2);
  ASSERT_TRUE(insert->Run().ok());
  auto select = db->Prepare("SELECT s, n FROM t");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnText(0), text);
  EXPECT_TRUE(select->ColumnIsNull(1));
}

TEST_F(StoreTest, ConcurrentWritersWaitInsteadOfFailing) {
  {
    auto db = OpenDb();
    ASSERT_TRUE(db->Execute("CREATE TABLE counter (n INTEGER)").ok());
  }
  auto pool = ConnectionPool::Open(path_, 4);
  ASSERT_TRUE(pool.ok());
  constexpr int kThreads = 4;
  constexpr int kWritesEach = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kWritesEach; ++i) {
        auto lease = (*pool)->Acquire();
        auto tx = Transaction::Begin(*lease);
        if (!tx.ok() || !lease->Execute("INSERT INTO counter VALUES (1)").ok() ||
            !tx->Commit().ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto db = OpenDb();
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM counter"), kThreads * kWritesEach);
}

TEST_F(StoreTest, OpeningAMissingFileReadOnlyIsUnavailable) {
  OpenOptions options;
  options.read_only = true;
  auto db = Database::Open((dir_ / "missing.db").string(), options);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, domain::ErrorCode::kUnavailable);
}

TEST_F(StoreTest, TheAssessmentLedgerRefusesUpdatesAndDeletes) {
  auto db = OpenDb();
  ASSERT_TRUE(Migrate(*db).ok());
  ASSERT_TRUE(db->Execute("INSERT INTO framework (id, kind) VALUES ('f', 'competency');"
                          "INSERT INTO item_ref (id, framework_id, item_id) VALUES (1, 'f', 'i');"
                          "INSERT INTO person (id, external_id, display_name) VALUES (1, 'P1', 'A');"
                          "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, "
                          "assessed_on, framework_version) VALUES (1, 1, 1, 2, 'self', "
                          "'2026-01-01', 1);")
                  .ok());
  auto update = db->Execute("UPDATE assessment SET level = 5");
  ASSERT_FALSE(update.ok());
  EXPECT_NE(update.error().message.find("ledger"), std::string::npos) << update.error().message;
  auto remove = db->Execute("DELETE FROM assessment");
  ASSERT_FALSE(remove.ok());
  EXPECT_NE(remove.error().message.find("nothing is deleted"), std::string::npos)
      << remove.error().message;
  EXPECT_EQ(Count(*db, "SELECT level FROM assessment"), 2);
}

}  // namespace
}  // namespace pathway::store
