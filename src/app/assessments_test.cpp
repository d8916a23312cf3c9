// The carry-over of people's levels to a new framework version, through the kernel, on a
// real SQLite file: renamed-with-new-id, split and merged items; none lost, none counted
// twice; a second run does nothing; a run stopped between batches, or by a failure in the
// middle of one, resumes.
#include "app/assessments.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/workforce_change.hpp"

namespace pathway::app {
namespace {

// Items of version 1: A, B, C, D (ids end in the letter); version 2 keeps D, replaces A
// by E (a new id), splits B into F and G, and merges C and A into H.
std::string Id(char letter) { return fmt::format("00000000-0000-4000-8000-00000000000{}", letter); }

class CarryOverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("pathway-carry-{}-{}", getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string path = (dir_ / "t.db").string();
    {
      auto db = store::Database::Open(path);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(store::Migrate(**db).ok());
      std::string sql =
          "INSERT INTO framework (id, kind) VALUES ('fw', 'competency');"
          "INSERT INTO framework_version (framework_id, version, title, description) VALUES "
          "('fw', 1, 'F', ''), ('fw', 2, 'F', '');"
          "INSERT INTO fw_cluster VALUES ('fw', 1, 'c', 1, 'C', '', ''), ('fw', 2, 'c', 1, 'C', "
          "'', '');";
      int position = 0;
      for (char item : std::string("ABCD")) {
        sql += fmt::format("INSERT INTO fw_item VALUES ('fw', 1, '{}', 'c', {}, 0, 'Item {}', '');",
                           Id(item), ++position, item);
      }
      for (char item : std::string("DEFGH")) {
        sql += fmt::format("INSERT INTO fw_item VALUES ('fw', 2, '{}', 'c', {}, 0, 'Item {}', '');",
                           Id(item), ++position, item);
      }
      for (auto [item, old] : std::vector<std::pair<char, char>>{
               {'E', 'A'}, {'F', 'B'}, {'G', 'B'}, {'H', 'C'}, {'H', 'A'}}) {
        sql += fmt::format("INSERT INTO fw_item_replacement VALUES ('fw', 2, '{}', '{}');",
                           Id(item), Id(old));
      }
      sql += "UPDATE framework_version SET status = 'published' WHERE framework_id = 'fw';";
      for (char item : std::string("ABCDEFGH")) {
        sql += fmt::format("INSERT INTO item_ref (framework_id, item_id) VALUES ('fw', '{}');",
                           Id(item));
      }
      // People 1..5. Item refs: A=1, B=2, C=3, D=4, E=5, H=8.
      sql +=
          "INSERT INTO person (id, external_id, display_name) VALUES (1, 'P1', 'One'), "
          "(2, 'P2', 'Two'), (3, 'P3', 'Three'), (4, 'P4', 'Four'), (5, 'P5', 'Five');"
          "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, "
          "framework_version) VALUES "
          // One: A confirmed 3 then self 5 (current 3, confirmed); B self 2; C manager 4.
          "(1, 1, 1, 3, 'manager', '2026-01-01', 1), (1, 1, 2, 5, 'self', '2026-02-01', 1), "
          "(1, 2, 1, 2, 'self', '2026-01-01', 1), (1, 3, 1, 4, 'manager', '2026-01-01', 1),"
          // Two: D only (kept by id: nothing to carry).
          "(2, 4, 1, 3, 'manager', '2026-01-01', 1),"
          // Three: A self 4, and already assessed in E after publication: E is left alone.
          "(3, 1, 1, 4, 'self', '2026-01-01', 1), (3, 5, 1, 2, 'manager', '2026-03-01', 2),"
          // Five: C panel 2 and A self 6: H takes the confirmed 2 over the higher self 6.
          "(5, 3, 1, 2, 'panel', '2026-01-01', 1), (5, 1, 1, 6, 'self', '2026-01-01', 1);";
      ASSERT_TRUE((*db)->Execute(sql).ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path, 2)).value();
    std::ifstream in(std::string(PATHWAY_SOURCE_DIR) + "/policy/access.csv");
    std::stringstream text;
    text << in.rdbuf();
    authorizer_ = std::make_unique<Authorizer>(std::move(Policy::Parse(text.str())).value());
    kernel_ = std::make_unique<UnitOfWork>(*pool_, *authorizer_, clock_);
    service_ = std::make_unique<AssessmentService>(*kernel_);
  }
  void TearDown() override {
    service_.reset();
    kernel_.reset();
    pool_.reset();
    std::filesystem::remove_all(dir_);
  }

  // (level, assessor, cites item ref) of a person's carried row for an item, or empty.
  std::string Carried(int person, char item) {
    auto db = pool_->Acquire();
    auto stmt = db->Prepare(
        "SELECT a.level || ' ' || a.assessor || ' ' || a.cites_item_ref_id || ' ' || a.cites_seq "
        "FROM assessment a JOIN item_ref r ON r.id = a.item_ref_id WHERE a.person_id = ? AND "
        "r.item_id = ? AND a.capacity = 'carry_over'");
    EXPECT_TRUE(stmt.ok());
    stmt->Bind(1, person).Bind(2, Id(item));
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok());
    return *row ? stmt->ColumnText(0) : "";
  }
  std::int64_t Rows() {
    auto db = pool_->Acquire();
    auto stmt = db->Prepare("SELECT COUNT(*) FROM assessment");
    EXPECT_TRUE(stmt.ok() && *stmt->Step());
    return stmt->ColumnInt(0);
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
  std::unique_ptr<AssessmentService> service_;
};

TEST_F(CarryOverTest, RenamedSplitAndMergedItemsKeepEveryoneLevelsOnceWithTheirSource) {
  const std::int64_t before = Rows();
  auto run = service_->CarryOver(Actor::System(), "fw", 2);
  ASSERT_TRUE(run.ok()) << run.error().message;
  // One: E from A (3, confirmed, citing A's seq 1), F and G from B (2, self), H from C
  // and A: both confirmed, C's 4 is higher.
  EXPECT_EQ(Carried(1, 'E'), "3 manager 1 1");
  EXPECT_EQ(Carried(1, 'F'), "2 self 2 1");
  EXPECT_EQ(Carried(1, 'G'), "2 self 2 1");
  EXPECT_EQ(Carried(1, 'H'), "4 manager 3 1");
  EXPECT_EQ(Carried(2, 'E'), "");  // D kept its id: nothing to carry
  EXPECT_EQ(Carried(3, 'E'), "");  // already assessed in E: not counted twice
  EXPECT_EQ(Carried(3, 'H'), "4 self 1 1");
  EXPECT_EQ(Carried(5, 'H'), "2 panel 3 1");  // confirmed beats a higher self-assessment
  EXPECT_EQ(Carried(5, 'E'), "6 self 1 1");
  EXPECT_EQ(run->rows_added, 7);
  EXPECT_EQ(run->people, 3);
  EXPECT_EQ(Rows(), before + 7);

  // A second run, and the pending list, do nothing.
  auto again = service_->CarryOver(Actor::System(), "fw", 2);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->batches, 0);
  EXPECT_EQ(Rows(), before + 7);
  auto pending = service_->CarryOverPending(Actor::System());
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

TEST_F(CarryOverTest, ARunInSmallBatchesGivesTheSameAnswerAndResumesWhereItStopped) {
  // Batches of two people: the first batch (people 0 and 1) is committed on its own.
  auto db = pool_->Acquire();
  ASSERT_TRUE(db->Execute("INSERT INTO carry_over (framework_id, version, status, next_person_id, "
                          "people, rows_added, started_at) VALUES ('fw', 2, 'running', 2, 1, 4, "
                          "'2026-12-01T00:00:00Z')")
                  .ok());
  // As if a crash had stopped the run after person 1's rows: write them by hand.
  auto first = service_->CarryOver(Actor::System(), "fw", 2, 2);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(Carried(1, 'E'), "");  // before the resume point: not redone
  EXPECT_EQ(Carried(3, 'H'), "4 self 1 1");
  EXPECT_EQ(Carried(5, 'H'), "2 panel 3 1");
  EXPECT_EQ(first->rows_added, 4 + 3);
  EXPECT_EQ(first->batches, 2);  // people 2-3, then 4-5 (the last)
}

TEST_F(CarryOverTest, ABatchThatFailsHalfwayLeavesNoneOfItsRowsAndTheRunResumesAtIt) {
  const std::int64_t before = Rows();
  std::int64_t generation = 0;
  {
    auto db = pool_->Acquire();
    generation = *store::WorkforceGeneration(*db);
    // Stands for a crash while the last batch (people 4 and 5) writes person 5's rows.
    ASSERT_TRUE(db->Execute("CREATE TRIGGER crash BEFORE INSERT ON assessment WHEN "
                            "NEW.person_id = 5 BEGIN SELECT RAISE(ABORT, 'crash'); END")
                    .ok());
  }
  auto stopped = service_->CarryOver(Actor::System(), "fw", 2, 2);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(Carried(1, 'E'), "3 manager 1 1");  // batch 0-1, committed
  EXPECT_EQ(Carried(3, 'H'), "4 self 1 1");     // batch 2-3, committed
  EXPECT_EQ(Carried(5, 'E'), "");               // batch 4-5, rolled back whole
  EXPECT_EQ(Rows(), before + 5);
  {
    auto db = pool_->Acquire();
    auto state = db->Prepare(
        "SELECT status || ' ' || next_person_id || ' ' || people || ' ' || rows_added FROM "
        "carry_over WHERE framework_id = 'fw' AND version = 2");
    ASSERT_TRUE(state.ok() && *state->Step());
    EXPECT_EQ(state->ColumnText(0), "running 4 2 5");
    ASSERT_TRUE(db->Execute("DROP TRIGGER crash").ok());
  }
  auto resumed = service_->CarryOver(Actor::System(), "fw", 2, 2);
  ASSERT_TRUE(resumed.ok()) << resumed.error().message;
  EXPECT_EQ(resumed->batches, 1);
  EXPECT_EQ(resumed->rows_added, 7);
  EXPECT_EQ(resumed->people, 3);
  EXPECT_EQ(Rows(), before + 7);  // as many as one uninterrupted run: none twice, none lost
  EXPECT_EQ(Carried(5, 'H'), "2 panel 3 1");
  EXPECT_EQ(Carried(5, 'E'), "6 self 1 1");
  // The committed batches told the engine's change log whom they changed.
  auto db = pool_->Acquire();
  auto changes = store::WorkforceChangesSince(*db, generation);
  ASSERT_TRUE(changes.ok());
  EXPECT_FALSE(changes->full);
  EXPECT_EQ(changes->people, (std::vector<std::int64_t>{1, 3, 5}));
}

TEST_F(CarryOverTest, OnlyThoseWhoMayPublishTheFrameworkMayRunIt) {
  Actor reader;
  reader.kind = Actor::Kind::kUser;
  reader.user_id = 9;
  reader.grants.push_back({1, domain::Role::kIndividual, ""});
  auto refused = service_->CarryOver(reader, "fw", 2);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, domain::ErrorCode::kNotFound);
  EXPECT_EQ(Carried(1, 'E'), "");
}

TEST_F(CarryOverTest, WhatChangedShowsCarriedLevelsAndNewItemsWithoutALevel) {
  ASSERT_TRUE(service_->CarryOver(Actor::System(), "fw", 2).ok());
  Actor admin;
  admin.kind = Actor::Kind::kUser;
  admin.grants.push_back({0, domain::Role::kAdministrator, ""});
  auto one = service_->WhatChangedFor(admin, 1);
  ASSERT_TRUE(one.ok()) << one.error().message;
  ASSERT_EQ(one->frameworks.size(), 1u);
  const auto& f = one->frameworks[0];
  EXPECT_EQ(f.from_version, 1);
  EXPECT_EQ(f.to_version, 2);
  // One: A → E (3), B → F and G (2 each), C and A → H (4, the best confirmed).
  std::vector<std::string> carried;
  for (const auto& c : f.carried)
    carried.push_back(c.old_title + ">" + c.item.title + "=" + std::to_string(c.level));
  std::sort(carried.begin(), carried.end());
  EXPECT_EQ(carried.size(), 4u);
  EXPECT_TRUE(std::find(carried.begin(), carried.end(), "Item B>Item F=2") != carried.end());
  // Every new item has a carried level, so none is "without a level" for One.
  EXPECT_TRUE(f.unrated_new.empty());
  // Two was assessed in D only: the new items E, F, G, H are all without a level.
  auto two = service_->WhatChangedFor(admin, 2);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->frameworks.size(), 1u);
  EXPECT_TRUE(two->frameworks[0].carried.empty());
  EXPECT_EQ(two->frameworks[0].unrated_new.size(), 4u);
  auto runs = service_->CarryOverRuns(admin);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_TRUE((*runs)[0].done);
  EXPECT_EQ((*runs)[0].people, 3);
}

}  // namespace
}  // namespace pathway::app
