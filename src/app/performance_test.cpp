// The performance year through the kernel on a real SQLite file: opening a year is one
// unit (a refused or overlapping year leaves nothing), agreement needs both sides, sign-off
// runs person → manager → countersigner only, the countersigned end-year review writes the
// ledger as "review", and people who left are refused.
#include "app/performance.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "store/database.hpp"
#include "store/migrations.hpp"

namespace pathway::app {
namespace {

using domain::ErrorCode;
using domain::ReviewKind;
using domain::ReviewStage;

const std::string kItemX = "00000000-0000-4000-8000-0000000000a1";
const std::string kItemY = "00000000-0000-4000-8000-0000000000a2";

Actor User(std::int64_t user_id, std::optional<std::int64_t> person, domain::Role role,
           std::string scope = {}) {
  Actor actor;
  actor.kind = Actor::Kind::kUser;
  actor.user_id = user_id;
  actor.email = fmt::format("u{}@example.gov.uk", user_id);
  actor.display_name = fmt::format("User {}", user_id);
  actor.person_id = person;
  actor.grants.push_back({0, domain::Role::kIndividual, ""});
  if (role != domain::Role::kIndividual) actor.grants.push_back({0, role, std::move(scope)});
  return actor;
}

class PerformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("pathway-performance-{}-{}", getpid(),
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
          "INSERT INTO framework_version (framework_id, version, title, description) VALUES ('fw', "
          "1, 'F', '');"
          "INSERT INTO fw_cluster VALUES ('fw', 1, 'c', 1, 'C', '', '');";
      int position = 0;
      for (const auto& item : {kItemX, kItemY}) {
        sql += fmt::format("INSERT INTO fw_item VALUES ('fw', 1, '{}', 'c', {}, 0, 'Item {}', '');",
                           item, ++position, position);
        for (int level = 1; level <= 4; ++level) {
          sql += fmt::format("INSERT INTO fw_level VALUES ('fw', 1, '{}', {}, 'L{}', '');", item,
                             level, level);
        }
      }
      sql +=
          "UPDATE framework_version SET status = 'published' WHERE framework_id = 'fw';"
          "INSERT INTO department (id, code, name) VALUES (1, 'D1', 'One'), (2, 'D2', 'Two');"
          // 1 boss, 2 manager (reports to 1), 3 person (reports to 2), 4 another, 5 in D2.
          "INSERT INTO person (id, external_id, display_name, department, line_manager_id) VALUES "
          "(1, 'P1', 'Boss', 'D1', NULL), (2, 'P2', 'Manager', 'D1', 1), (3, 'P3', 'Person', 'D1', "
          "2),"
          "(4, 'P4', 'Other', 'D1', NULL), (5, 'P5', 'Elsewhere', 'D2', NULL);"
          "INSERT INTO app_user (id, email, display_name, person_id) VALUES "
          "(1, 'u1@example.gov.uk', 'Boss', 1), (2, 'u2@example.gov.uk', 'Manager', 2),"
          "(3, 'u3@example.gov.uk', 'Person', 3), (10, 'u10@example.gov.uk', 'HR', NULL);";
      ASSERT_TRUE((*db)->Execute(sql).ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path, 2)).value();
    std::ifstream in(std::string(PATHWAY_SOURCE_DIR) + "/policy/access.csv");
    std::stringstream text;
    text << in.rdbuf();
    authorizer_ = std::make_unique<Authorizer>(std::move(Policy::Parse(text.str())).value());
    kernel_ = std::make_unique<UnitOfWork>(*pool_, *authorizer_, clock_);
    service_ = std::make_unique<PerformanceService>(*kernel_);
  }
  void TearDown() override {
    service_.reset();
    kernel_.reset();
    pool_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::int64_t Count(const std::string& sql) {
    auto db = pool_->Acquire();
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return stmt->ColumnInt(0);
  }

  domain::PerformanceYearSpec Spec() {
    return {"2026 to 2027", {"D1"}, "2026-04-01", "2026-06-30", "2026-10-31", "2027-03-31", {}};
  }

  // Opens the year and agrees objectives and both competencies for person 3.
  std::int64_t AgreedRecord() {
    auto year = service_->OpenYear(hr_, Spec());
    EXPECT_TRUE(year.ok()) << (year.ok() ? "" : year.error().message);
    const std::int64_t record = Count("SELECT id FROM performance_record WHERE person_id = 3");
    const std::vector<domain::Objective> objectives{{"Deliver", "Live", "2027-01-31", 100}};
    const std::vector<domain::ChosenCompetency> competencies{{kItemX, "why", {}, 0},
                                                             {kItemY, "", {}, 0}};
    EXPECT_TRUE(service_->Agree(person_, record, objectives, competencies).ok());
    auto agreed = service_->Agree(manager_, record, objectives, competencies);
    EXPECT_TRUE(agreed.ok() && agreed->agreed);
    return record;
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
  std::unique_ptr<PerformanceService> service_;
  Actor hr_ = User(10, std::nullopt, domain::Role::kHrPartner, "D1");
  Actor boss_ = User(1, 1, domain::Role::kLineManager);
  Actor manager_ = User(2, 2, domain::Role::kLineManager);
  Actor person_ = User(3, 3, domain::Role::kIndividual);
};

TEST_F(PerformanceTest, OpeningAYearGivesEveryoneInTheDepartmentARecordAndANoticeOnce) {
  auto refused = service_->OpenYear(
      hr_, {"x", {"D1", "D2"}, "2026-04-01", "2026-06-30", "2026-10-31", "2027-03-31", {}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(Count("SELECT count(*) FROM performance_year"), 0) << "a refused year leaves nothing";

  auto year = service_->OpenYear(hr_, Spec());
  ASSERT_TRUE(year.ok()) << year.error().message;
  EXPECT_EQ(year->people, 4);
  EXPECT_EQ(Count("SELECT count(*) FROM performance_record"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM notice"), 4);
  EXPECT_EQ(year->scale.size(), 4u);

  auto twice = service_->OpenYear(
      hr_, {"again", {"D1"}, "2026-09-01", "2026-10-01", "2026-12-01", "2027-02-01", {}});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_EQ(twice.error().field, "departments");
  EXPECT_EQ(Count("SELECT count(*) FROM performance_record"), 4) << "nothing half-saved";
  EXPECT_EQ(Count("SELECT count(*) FROM notice"), 4);

  // The next year, after this one ends, opens.
  EXPECT_TRUE(
      service_
          ->OpenYear(hr_,
                     {"next", {"D1"}, "2027-04-01", "2027-06-30", "2027-10-31", "2028-03-31", {}})
          .ok());
}

TEST_F(PerformanceTest, BothSidesAgreeTheSameSetAndAChangeAsksTheOtherAgain) {
  ASSERT_TRUE(service_->OpenYear(hr_, Spec()).ok());
  const std::int64_t record = Count("SELECT id FROM performance_record WHERE person_id = 3");
  const std::vector<domain::Objective> objectives{{"Deliver", "Live", "2027-01-31", 100}};
  const std::vector<domain::ChosenCompetency> competencies{{kItemX, "why", {}, 0}};
  auto first = service_->Agree(person_, record, objectives, competencies);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->agreed);
  // The manager changes the set: it is saved, and the person's agreement is cleared.
  const std::vector<domain::Objective> changed{{"Deliver more", "Live", "2027-01-31", 100}};
  auto second = service_->Agree(manager_, record, changed, competencies);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->changed);
  EXPECT_FALSE(second->agreed);
  auto third = service_->Agree(person_, record, changed, competencies);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->agreed);
  // The countersigner is in the chain but is not a side of the agreement.
  auto boss = service_->Agree(boss_, Count("SELECT id FROM performance_record WHERE person_id = 2"),
                              changed, competencies);
  EXPECT_TRUE(boss.ok()) << "the boss is the manager of person 2";
  ASSERT_TRUE(service_->ReopenAgreement(manager_, record, "Priorities changed").ok());
  auto by_boss = service_->Agree(boss_, record, changed, competencies);
  ASSERT_FALSE(by_boss.ok());
  EXPECT_EQ(by_boss.error().code, ErrorCode::kForbidden);
  // Weights that do not add up to 100 are refused and change nothing.
  auto bad = service_->Agree(person_, record, {{"A", "B", "2027-01-31", 50}}, competencies);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "objectives[0].weight");
  EXPECT_EQ(Count(fmt::format("SELECT count(*) FROM performance_objective WHERE record_id = {} "
                              "AND text = 'Deliver more'",
                              record)),
            1);
}

TEST_F(PerformanceTest, SignOffRunsPersonManagerCountersignerAndTheEndYearEntersTheLedger) {
  const std::int64_t record = AgreedRecord();
  ReviewSubmission mid;
  mid.kind = ReviewKind::kMidYear;
  mid.objectives = {{"Half done", "", std::nullopt}};
  ASSERT_TRUE(service_->SubmitReview(person_, record, mid).ok());
  auto early = service_->SignReview(manager_, record, ReviewKind::kMidYear);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kConflict);
  EXPECT_EQ(early.error().field, "signer");
  ASSERT_TRUE(service_->SignReview(person_, record, ReviewKind::kMidYear).ok());
  EXPECT_FALSE(service_->SignReview(boss_, record, ReviewKind::kMidYear).ok());
  ReviewSubmission comment;
  comment.kind = ReviewKind::kMidYear;
  comment.summary = "On track";
  ASSERT_TRUE(service_->SubmitReview(manager_, record, comment).ok());
  ASSERT_TRUE(service_->SignReview(manager_, record, ReviewKind::kMidYear).ok());
  auto locked = service_->SignReview(boss_, record, ReviewKind::kMidYear);
  ASSERT_TRUE(locked.ok());
  EXPECT_EQ(*locked, ReviewStage::kCountersigned);

  ReviewSubmission end;
  end.kind = ReviewKind::kEndYear;
  end.objectives = {{"Done", "", std::nullopt}};
  ASSERT_TRUE(service_->SubmitReview(person_, record, end).ok());
  ASSERT_TRUE(service_->SignReview(person_, record, ReviewKind::kEndYear).ok());
  ReviewSubmission rating;
  rating.kind = ReviewKind::kEndYear;
  rating.summary = "Good";
  rating.rating = "Not a rating";
  auto off = service_->SubmitReview(manager_, record, rating);
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.error().field, "rating");
  rating.rating = "achieved";  // labels match without regard to case
  rating.competencies = {{"", "Clear", 3}, {"", "", 5}};
  auto off_scale = service_->SubmitReview(manager_, record, rating);
  ASSERT_FALSE(off_scale.ok());
  EXPECT_EQ(off_scale.error().field, "competencies[1].level");
  rating.competencies = {{"", "Clear", 3}, {"", "", 4}};
  ASSERT_TRUE(service_->SubmitReview(manager_, record, rating).ok());
  ASSERT_TRUE(service_->SignReview(manager_, record, ReviewKind::kEndYear).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM assessment WHERE assessor = 'review'"), 0);
  ASSERT_TRUE(service_->SignReview(boss_, record, ReviewKind::kEndYear).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM assessment WHERE assessor = 'review' AND person_id = 3"),
            2);
  EXPECT_EQ(Count("SELECT level FROM assessment a JOIN item_ref r ON r.id = a.item_ref_id "
                  "WHERE a.assessor = 'review' AND r.item_id = '" +
                  kItemY + "'"),
            4);

  // HR's moderation needs a reason and is kept beside the manager's rating.
  EXPECT_FALSE(service_->Moderate(hr_, record, "Exceeded", " ").ok());
  ASSERT_TRUE(service_->Moderate(hr_, record, "Exceeded", "Calibrated").ok());
  auto view = service_->GetRecord(person_, record);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(*view->record.endyear->rating, 1);
  EXPECT_EQ(*view->record.endyear->final_rating(), 0);
  auto moderation = service_->GetModeration(hr_, view->year.id, "");
  ASSERT_TRUE(moderation.ok());
  EXPECT_EQ(moderation->people, 4);
  EXPECT_EQ(moderation->whole.counts, (std::vector<std::int64_t>{1, 0, 0, 0}));
  EXPECT_FALSE(service_->GetModeration(person_, view->year.id, "").ok());
}

TEST_F(PerformanceTest, SomeoneWhoLeftTheDepartmentHasAClosedRecord) {
  const std::int64_t record = AgreedRecord();
  {
    auto db = pool_->Acquire();
    ASSERT_TRUE(db->Execute("UPDATE person SET department = 'D2' WHERE id = 3").ok());
  }
  ReviewSubmission mid;
  mid.kind = ReviewKind::kMidYear;
  mid.objectives = {{"Half done", "", std::nullopt}};
  auto refused = service_->SubmitReview(person_, record, mid);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Count("SELECT count(*) FROM performance_review"), 0);
}

TEST_F(PerformanceTest, RemindersOfOverdueStepsAreQueuedOncePerRecordAndStep) {
  // A year whose objectives were due long ago: 4 records, none agreed.
  ASSERT_TRUE(
      service_
          ->OpenYear(hr_,
                     {"old", {"D1"}, "2020-04-01", "2020-06-30", "2020-10-31", "2021-03-31", {}})
          .ok());
  const std::int64_t before = Count("SELECT count(*) FROM notice");
  EXPECT_FALSE(service_->QueueReminders(person_).ok()) << "only the system queues reminders";
  auto first = service_->QueueReminders(Actor::System());
  ASSERT_TRUE(first.ok()) << first.error().message;
  // Every record is overdue in all three steps.
  EXPECT_EQ(*first, 12);
  // Person and manager: 4 records, 2 of whose people have a line manager, for 3 steps.
  EXPECT_EQ(Count("SELECT count(*) FROM notice") - before, 3 * (4 + 2));
  auto second = service_->QueueReminders(Actor::System());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 0) << "once per record and step";
  EXPECT_EQ(Count("SELECT count(*) FROM notice") - before, 3 * (4 + 2));
}

TEST(PerformanceMigrationTest, TheLedgerAcceptsReviewAfterMigrationAndKeepsItsRows) {
  const auto path =
      std::filesystem::temp_directory_path() / fmt::format("pathway-perf-mig-{}.db", getpid());
  std::filesystem::remove(path);
  {
    auto db = store::Database::Open(path.string());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(store::MigrateTo(**db, 12).ok());
    ASSERT_TRUE(
        (*db)
            ->Execute("INSERT INTO framework (id, kind) VALUES ('fw', 'competency');"
                      "INSERT INTO item_ref (id, framework_id, item_id) VALUES (1, 'fw', 'i');"
                      "INSERT INTO person (id, external_id, display_name) VALUES (1, 'P1', 'One');"
                      "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, "
                      "assessed_on, "
                      "framework_version) VALUES (1, 1, 1, 3, 'manager', '2026-01-01', 1)")
            .ok());
    EXPECT_FALSE(
        (*db)
            ->Execute(
                "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, "
                "assessed_on, framework_version) VALUES (1, 1, 2, 3, 'review', '2026-01-01', 1)")
            .ok());
    ASSERT_TRUE(store::Migrate(**db).ok());
  }
  auto db = store::Database::Open(path.string());
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE(
      (*db)
          ->Execute(
              "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, "
              "assessed_on, framework_version) VALUES (1, 1, 2, 3, 'review', '2026-01-01', 1)")
          .ok());
  EXPECT_FALSE(
      (*db)
          ->Execute("INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, "
                    "assessed_on, framework_version) VALUES (1, 1, 3, 3, 'bogus', '2026-01-01', 1)")
          .ok());
  EXPECT_FALSE((*db)->Execute("DELETE FROM assessment").ok()) << "the ledger's triggers survive";
  auto check = (*db)->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  ASSERT_TRUE(*check->Step());
  EXPECT_EQ(check->ColumnText(0), "ok");
  auto rows = (*db)->Prepare("SELECT count(*) FROM assessment");
  ASSERT_TRUE(rows.ok() && *rows->Step());
  EXPECT_EQ(rows->ColumnInt(0), 2);
  db->reset();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace pathway::app
