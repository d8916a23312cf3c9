// Migration 10 reports stored text that is not UTF-8 (or holds control characters) by
// table, row and column, and changes nothing. Against a real SQLite file.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>

#include "store/database.hpp"
#include "store/migrations.hpp"

namespace pathway::store {
namespace {

class StoredTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pathway-stored-text-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = Database::Open((dir_ / "test.db").string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Exec(std::string_view sql) {
    const auto status = db_->Execute(sql);
    ASSERT_TRUE(status.ok()) << status.error().message;
  }

  std::string Text(std::string_view sql) {
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(*stmt->Step());
    return stmt->ColumnText(0);
  }

  int Version() {
    auto stmt = db_->Prepare("SELECT max(version) FROM schema_migration");
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(*stmt->Step());
    return static_cast<int>(stmt->ColumnInt(0));
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

// Migrates to just before the check, stores text the way an older version could, and
// migrates the rest of the way.
TEST_F(StoredTextTest, UpgradeReportsEachValueByTableRowAndColumnAndRewritesNothing) {
  ASSERT_TRUE(MigrateTo(*db_, 9).ok());
  Exec(
      "INSERT INTO app_user (id, email, display_name) VALUES (5, 'a@b.c', "
      "CAST(X'426164FF4E616D65' AS TEXT)), (6, 'ok@b.c', 'Zoë\tTab')");
  Exec(
      "INSERT INTO framework (id, kind) VALUES ('0b1e7a3c-2f4d-4e5a-9b6c-7d8e9f0a1b2c', "
      "'competency')");
  Exec(
      "INSERT INTO framework_version (framework_id, version, status, title, description) VALUES "
      "('0b1e7a3c-2f4d-4e5a-9b6c-7d8e9f0a1b2c', 1, 'draft', 'T', 'ok\nlines'), "
      "('0b1e7a3c-2f4d-4e5a-9b6c-7d8e9f0a1b2c', 2, 'draft', 'T' || char(7), '')");
  const int before = Version();
  ASSERT_EQ(before, 9);

  auto report = Migrate(*db_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->from_version, before);
  EXPECT_EQ(report->to_version, AllMigrations().back().version);
  ASSERT_EQ(report->notes.size(), 2u) << testing::PrintToString(report->notes);
  EXPECT_EQ(report->notes[0],
            "table app_user, row id=5, column display_name: not UTF-8 (byte 0xFF at byte 3)");
  EXPECT_EQ(report->notes[1],
            "table framework_version, row framework_id=0b1e7a3c-2f4d-4e5a-9b6c-7d8e9f0a1b2c, "
            "version=2, column title: a control character (byte 0x07 at byte 1)");
  EXPECT_EQ(Text("SELECT hex(display_name) FROM app_user WHERE id = 5"), "426164FF4E616D65")
      << "reported, not rewritten";

  auto again = Migrate(*db_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->notes.empty()) << "a migration runs once";
}

TEST_F(StoredTextTest, ReportsAreBoundedAndNameRowsWithoutAKeyByRowid) {
  Exec("CREATE TABLE note (body TEXT)");
  Exec(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1005) "
      "INSERT INTO note (body) SELECT CAST(X'C328' AS TEXT) FROM n");
  MigrationNotes notes;
  ASSERT_TRUE(FindStoredTextProblems(*db_, notes).ok());
  ASSERT_EQ(notes.size(), kMaxStoredTextNotes + 1);
  EXPECT_EQ(notes.front(), "table note, row rowid=1, column body: not UTF-8 (byte 0xC3 at byte 0)");
  EXPECT_EQ(notes.back(), "... and 5 more stored values that are not text");
}

}  // namespace
}  // namespace pathway::store
