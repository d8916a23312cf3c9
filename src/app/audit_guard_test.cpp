// The audit trail's key and head checkpoint: an intact keyed trail verifies; an edited
// row, a chain recomputed without the key, a deleted tail, an altered or missing
// checkpoint do not; the checkpoint never moves onto another chain; a lost key is refused.
#include "app/audit_guard.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace pathway::app {
namespace {

class AuditGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("pathway-audit-guard-{}-{}", getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    {
      auto db = store::Database::Open(path_);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(store::Migrate(**db).ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path_, 2)).value();
  }
  void TearDown() override {
    guard_.reset();
    pool_.reset();
    store::ClearAuditKey();
    std::filesystem::remove_all(dir_);
  }
  void OpenGuard() {
    auto opened = AuditGuard::Open(*pool_, key(), head());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    guard_ = std::move(opened).value();
  }
  void Append(int n) {
    auto db = pool_->Acquire();
    for (int i = 0; i < n; ++i) {
      domain::AuditEvent e;
      e.occurred_at = "2026-12-04T00:00:00.000Z";
      e.actor = "someone@example.gov.uk";
      e.action = "test.event";
      e.outcome = "success";
      e.detail = fmt::format("event {}", i);
      ASSERT_TRUE(store::AppendAudit(*db, e).ok());
    }
  }
  domain::AuditChainReport Verify() {
    auto db = pool_->Acquire();
    auto chain = store::VerifyAuditChain(*db);
    EXPECT_TRUE(chain.ok());
    auto report = guard_->Verify(*chain);
    EXPECT_TRUE(report.ok());
    return *report;
  }
  void Sql(const std::string& sql) {
    auto db = pool_->Acquire();
    ASSERT_TRUE(db->Execute(sql).ok()) << sql;
  }
  std::string key() const { return (dir_ / "t.db.audit-key").string(); }
  std::string head() const { return (dir_ / "t.db.audit-head").string(); }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<AuditGuard> guard_;
};

TEST_F(AuditGuardTest, AKeyedTrailWithItsCheckpointVerifies) {
  OpenGuard();
  EXPECT_EQ(std::filesystem::status(key()).permissions() & std::filesystem::perms::group_all,
            std::filesystem::perms::none);
  Append(5);
  ASSERT_TRUE(guard_->Checkpoint().ok());
  auto report = Verify();
  EXPECT_FALSE(report.first_broken_seq) << report.problem;
  EXPECT_EQ(report.rows, 5);
  EXPECT_EQ(report.keyed_from, 1);
  // Rows written after the last checkpoint are fine.
  Append(2);
  EXPECT_FALSE(Verify().first_broken_seq);
}

TEST_F(AuditGuardTest, ADeletedTailIsCaught) {
  OpenGuard();
  Append(5);
  ASSERT_TRUE(guard_->Checkpoint().ok());
  Sql("DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq >= 4");
  auto report = Verify();
  ASSERT_TRUE(report.first_broken_seq);
  EXPECT_EQ(*report.first_broken_seq, 4);
  EXPECT_NE(report.problem.find("newest rows were deleted"), std::string::npos) << report.problem;
  // And the checkpoint is not moved back to the shorter trail.
  EXPECT_FALSE(guard_->Checkpoint().ok());
}

TEST_F(AuditGuardTest, AChainRecomputedWithoutTheKeyIsCaught) {
  OpenGuard();
  Append(5);
  ASSERT_TRUE(guard_->Checkpoint().ok());
  // The attacker has the database, not the key: they rewrite the trail with plain hashes.
  store::ClearAuditKey();
  Sql("DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event");
  Append(5);
  std::array<unsigned char, store::kAuditKeyBytes> key_bytes{};
  {
    std::ifstream in(key());
    std::string hex;
    in >> hex;
    ASSERT_EQ(hex.size(), 64u);
    for (std::size_t i = 0; i < key_bytes.size(); ++i) {
      key_bytes[i] = static_cast<unsigned char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    }
  }
  store::SetAuditKey(key_bytes);
  auto report = Verify();
  ASSERT_TRUE(report.first_broken_seq);
  EXPECT_NE(report.problem.find("should be keyed"), std::string::npos)
      << report.problem << " at " << *report.first_broken_seq;
}

TEST_F(AuditGuardTest, AnEditedRowAnAlteredOrMissingCheckpointAreCaught) {
  OpenGuard();
  Append(3);
  ASSERT_TRUE(guard_->Checkpoint().ok());
  Sql("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET detail = 'changed' WHERE seq = "
      "2");
  auto edited = Verify();
  ASSERT_TRUE(edited.first_broken_seq);
  EXPECT_EQ(*edited.first_broken_seq, 2);
  Sql("UPDATE audit_event SET detail = 'event 1' WHERE seq = 2");
  EXPECT_FALSE(Verify().first_broken_seq);

  // An altered checkpoint (a lower row number, to hide a deletion) fails its MAC.
  std::string text;
  {
    std::ifstream in(head());
    std::getline(in, text);
  }
  const auto at = text.find("seq=3");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 5, "seq=2");
  {
    std::ofstream out(head());
    out << text << "\n";
  }
  auto altered = Verify();
  ASSERT_TRUE(altered.first_broken_seq);
  EXPECT_NE(altered.problem.find("altered"), std::string::npos);
  std::filesystem::remove(head());
  auto missing = Verify();
  ASSERT_TRUE(missing.first_broken_seq);
  EXPECT_NE(missing.problem.find("missing"), std::string::npos);
}

TEST_F(AuditGuardTest, ALostKeyIsRefusedOnceTheTrailIsKeyed) {
  OpenGuard();
  Append(1);
  guard_.reset();
  store::ClearAuditKey();
  std::filesystem::remove(key());
  auto opened = AuditGuard::Open(*pool_, key(), head());
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("missing"), std::string::npos);
}

TEST_F(AuditGuardTest, AnOlderUnkeyedTrailIsKeyedFromItsNextRow) {
  Append(3);  // before any key: plain hashes
  OpenGuard();
  Append(2);
  ASSERT_TRUE(guard_->Checkpoint().ok());
  auto report = Verify();
  EXPECT_FALSE(report.first_broken_seq) << report.problem;
  EXPECT_EQ(report.keyed_from, 4);
  // A plain row after keyed ones is a recomputation.
  Sql("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET hash = substr(hash, 4) WHERE seq "
      "= 5");
  EXPECT_TRUE(Verify().first_broken_seq);
}

}  // namespace
}  // namespace pathway::app
