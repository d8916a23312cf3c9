// Store tests run against real SQLite files in a temporary folder.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>

#include <fmt/format.h>

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

TEST_F(StoreTest, ReusesACompiledStatementRewoundWithItsBindingsCleared) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Execute("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)").ok());
  constexpr std::string_view kSql = "SELECT n, ?1 IS NULL FROM t ORDER BY n";
  const std::int64_t compiled = db->StatementsCompiled();
  {
    auto first = db->Prepare(kSql);
    ASSERT_TRUE(first.ok());
    first->Bind(1, 7);
    ASSERT_TRUE(*first->Step());
    ASSERT_TRUE(*first->Step());
    EXPECT_EQ(first->ColumnInt(0), 2);
    EXPECT_EQ(first->ColumnInt(1), 0);
  }  // left unfinished, with a value bound
  EXPECT_EQ(db->StatementsCompiled(), compiled + 1);
  auto again = db->Prepare(kSql);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(db->StatementsCompiled(), compiled + 1) << "taken from the cache, not compiled";
  ASSERT_TRUE(*again->Step());
  EXPECT_EQ(again->ColumnInt(0), 1) << "rewound";
  EXPECT_EQ(again->ColumnInt(1), 1) << "bindings cleared";
}

TEST_F(StoreTest, TheSameTextInUseTwiceAtOnceGivesTwoStatements) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Execute("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2)").ok());
  constexpr std::string_view kSql = "SELECT n FROM t WHERE n >= ? ORDER BY n";
  const std::int64_t compiled = db->StatementsCompiled();
  {
    auto outer = db->Prepare(kSql);
    ASSERT_TRUE(outer.ok());
    outer->Bind(1, 1);
    ASSERT_TRUE(*outer->Step());
    auto inner = db->Prepare(kSql);
    ASSERT_TRUE(inner.ok());
    inner->Bind(1, 2);
    ASSERT_TRUE(*inner->Step());
    EXPECT_EQ(inner->ColumnInt(0), 2);
    EXPECT_EQ(outer->ColumnInt(0), 1);
    ASSERT_TRUE(*outer->Step());
    EXPECT_EQ(outer->ColumnInt(0), 2);
  }
  EXPECT_EQ(db->StatementsCompiled(), compiled + 2);
  auto later = db->Prepare(kSql);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(db->StatementsCompiled(), compiled + 2);
}

TEST_F(StoreTest, AnUnfinishedReadReturnedToTheCacheHoldsNoSnapshot) {
  auto reader = OpenDb();
  ASSERT_TRUE(reader->Execute("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2)").ok());
  {
    auto rows = reader->Prepare("SELECT n FROM t");
    ASSERT_TRUE(rows.ok());
    ASSERT_TRUE(*rows->Step());
  }
  auto writer = OpenDb();
  ASSERT_TRUE(writer->Execute("INSERT INTO t VALUES (3)").ok());
  EXPECT_EQ(Count(*reader, "SELECT count(*) FROM t"), 3);
}

TEST_F(StoreTest, KeepsTheMostRecentlyUsedTexts) {
  auto db = OpenDb();
  const auto texts = static_cast<int>(Database::kCachedStatements) + 10;
  for (int i = 0; i < texts; ++i) EXPECT_EQ(Count(*db, fmt::format("SELECT {}", i)), i);
  const std::int64_t compiled = db->StatementsCompiled();
  EXPECT_EQ(Count(*db, fmt::format("SELECT {}", texts - 1)), texts - 1);
  EXPECT_EQ(db->StatementsCompiled(), compiled) << "the latest text is kept";
  EXPECT_EQ(Count(*db, "SELECT 0"), 0);
  EXPECT_EQ(db->StatementsCompiled(), compiled + 1) << "the oldest was finalized";
}

TEST_F(StoreTest, AStatementMayOutliveItsConnection) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Execute("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1)").ok());
  auto prepared = db->Prepare("SELECT n FROM t");
  ASSERT_TRUE(prepared.ok());
  std::optional<Statement> kept(std::move(prepared).value());
  ASSERT_TRUE(*kept->Step());
  EXPECT_EQ(kept->ColumnInt(0), 1);
  {
    auto idle = db->Prepare("SELECT count(*) FROM t");
    ASSERT_TRUE(idle.ok());
  }
  db.reset();
  kept.reset();  // finalized here, with no connection to return to
  auto reopened = OpenDb();
  EXPECT_EQ(Count(*reopened, "SELECT count(*) FROM t"), 1);
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
  ASSERT_TRUE(
      db->Execute("INSERT INTO framework (id, kind) VALUES ('f', 'competency');"
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
