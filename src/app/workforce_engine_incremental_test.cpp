// EngineService keeps its index current from the change log, against a real SQLite
// file holding a synthetic workforce of a few thousand people: a write that changes
// only some people (their records or assessments) is applied to the index by reloading
// just those people, and the index then equals a fresh full load; a change of reference
// data, a reader older than the log, or a log that names less than changed, is a full
// reload. Writes are made over their own connection, as another process would.
#include <gtest/gtest.h>

#include "app/unit_of_work.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "app/workforce_engine.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/workforce_change.hpp"
#include "store/workforce_reference.hpp"
#include "store/workforce_snapshot.hpp"
#include "store/workforce_write.hpp"

namespace pathway::app {
namespace {

using domain::Role;

std::string PolicyText() {
  const char* dir = std::getenv("PATHWAY_SOURCE_DIR");
  std::ifstream in(std::string(dir != nullptr ? dir : PATHWAY_SOURCE_DIR) + "/policy/access.csv");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Actor Administrator() {
  Actor actor;
  actor.kind = Actor::Kind::kUser;
  actor.user_id = 100;
  actor.email = "admin@example.gov.uk";
  actor.grants = {{1, Role::kAdministrator, ""}};
  return actor;
}

std::int64_t QueryInt(store::Database& db, const std::string& sql) {
  auto stmt = db.Prepare(sql);
  EXPECT_TRUE(stmt.ok());
  EXPECT_TRUE(stmt->Step().value());
  return stmt->ColumnInt(0);
}

class EngineIncrementalTest : public ::testing::Test {
 protected:
  static constexpr std::int64_t kPeople = 3000;

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pathway-engine-inc-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
    {
      auto db = std::move(store::Database::Open(path_)).value();
      ASSERT_TRUE(store::Migrate(*db).ok());
      store::SyntheticShape shape;
      shape.people = kPeople;
      shape.professions = 4;
      shape.departments = 3;
      shape.items = 30;
      shape.role_levels = 40;
      shape.requirements_per_role_level = 5;
      shape.items_per_person = 8;
      shape.with_unknowns = true;
      ASSERT_TRUE(store::FillSyntheticWorkforce(*db, shape, 11).ok());
      ASSERT_TRUE(store::BumpWorkforceGeneration(*db).ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path_, 4)).value();
    auto policy = Policy::Parse(PolicyText());
    ASSERT_TRUE(policy.ok()) << policy.error().message;
    authorizer_ = std::make_unique<Authorizer>(std::move(policy).value());
    kernel_ = std::make_unique<UnitOfWork>(*pool_, *authorizer_, clock_);
    service_ = std::make_unique<EngineService>(*kernel_);
  }
  void TearDown() override {
    service_.reset();
    kernel_.reset();
    pool_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs `write` in one transaction over a connection of its own, and commits.
  void Write(const std::function<void(store::Database&)>& write) {
    auto db = std::move(store::Database::Open(path_)).value();
    auto tx = std::move(store::Transaction::Begin(*db)).value();
    write(*db);
    ASSERT_TRUE(tx.Commit().ok());
  }

  std::shared_ptr<const engine::Snapshot> Current() {
    auto db = pool_->Acquire();
    auto current = service_->Current(*db);
    EXPECT_TRUE(current.ok()) << current.error().message;
    return current.ok() ? *current : nullptr;
  }

  // The service's index holds what a fresh load of the store holds: every person's
  // attributes and levels, post holders and cells, and the same answers to questions.
  void ExpectEqualsFreshLoad() {
    auto mine = Current();
    ASSERT_NE(mine, nullptr);
    auto db = pool_->Acquire();
    auto loaded = store::LoadWorkforceSnapshot(*db);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    const engine::Snapshot& a = *mine;
    const engine::Snapshot& b = **loaded;
    ASSERT_EQ(a.catalog().items.size(), b.catalog().items.size());
    EXPECT_EQ(a.person_count(), b.person_count());
    const std::int64_t max_id = QueryInt(*db, "SELECT MAX(id) FROM person") + 5;
    for (std::int64_t id = 1; id <= max_id; ++id) {
      ASSERT_EQ(a.RowOf(id) < 0, b.RowOf(id) < 0) << "person " << id;
      if (a.RowOf(id) < 0) continue;
      const auto ra = static_cast<std::uint32_t>(a.RowOf(id));
      const auto rb = static_cast<std::uint32_t>(b.RowOf(id));
      ASSERT_EQ(a.profession(ra), b.profession(rb)) << "person " << id;
      ASSERT_EQ(a.grade(ra), b.grade(rb)) << "person " << id;
      ASSERT_EQ(a.region(ra), b.region(rb)) << "person " << id;
      ASSERT_EQ(a.department(ra), b.department(rb)) << "person " << id;
      ASSERT_EQ(a.clearance(ra), b.clearance(rb)) << "person " << id;
      ASSERT_EQ(a.post(ra), b.post(rb)) << "person " << id;
      for (std::size_t item = 0; item < a.catalog().items.size(); ++item) {
        ASSERT_EQ(a.level_column(item).Get(ra), b.level_column(item).Get(rb))
            << "person " << id << " item " << item;
      }
    }
    for (std::uint32_t post = 0; post < b.catalog().posts.size(); ++post) {
      ASSERT_EQ(a.PostHolders(post), b.PostHolders(post)) << "post " << post;
    }
    for (std::size_t p = 0; p < b.profession_cells(); ++p) {
      for (std::size_t g = 0; g < engine::kGradeCells; ++g) {
        ASSERT_EQ(a.Cell(p, g).size(), b.Cell(p, g).size()) << p << "/" << g;
      }
    }
    ExpectSameAnswers(a, b);
  }

  static void ExpectSameAnswers(const engine::Snapshot& a, const engine::Snapshot& b) {
    const auto& levels = b.catalog().role_levels;
    for (std::size_t i = 0; i < levels.size(); i += 7) {
      engine::MatchQuery q;
      q.role_level = levels[i].code;
      q.k = 40;
      for (bool closest : {false, true}) {
        auto x = closest ? engine::ClosestToReady(a, q) : engine::Match(a, q);
        auto y = closest ? engine::ClosestToReady(b, q) : engine::Match(b, q);
        ASSERT_TRUE(x.ok());
        ASSERT_TRUE(y.ok());
        EXPECT_EQ(x->candidates, y->candidates);
        ASSERT_EQ(x->entries.size(), y->entries.size());
        for (std::size_t r = 0; r < x->entries.size(); ++r) {
          EXPECT_EQ(x->entries[r].person_id, y->entries[r].person_id) << q.role_level << " " << r;
          EXPECT_EQ(x->entries[r].score, y->entries[r].score);
          EXPECT_EQ(x->entries[r].gap, y->entries[r].gap);
        }
      }
      engine::CapabilityQuery m;
      m.role_level = q.role_level;
      m.rows = engine::Dimension::kProfession;
      m.columns = i % 2 == 0 ? engine::Dimension::kGrade : engine::Dimension::kDepartment;
      auto x = engine::MapCapability(a, m);
      auto y = engine::MapCapability(b, m);
      ASSERT_TRUE(x.ok());
      ASSERT_TRUE(y.ok());
      std::map<std::pair<std::string, std::string>, engine::CapabilityCell> cells;
      for (const auto& cell : y->cells) {
        cells[{y->row_labels[static_cast<std::size_t>(cell.row)],
               y->column_labels[static_cast<std::size_t>(cell.column)]}] = cell;
      }
      ASSERT_EQ(x->cells.size(), cells.size());
      for (const auto& cell : x->cells) {
        const auto& e = cells[{x->row_labels[static_cast<std::size_t>(cell.row)],
                               x->column_labels[static_cast<std::size_t>(cell.column)]}];
        EXPECT_EQ(cell.headcount, e.headcount);
        EXPECT_EQ(cell.meeting, e.meeting);
        EXPECT_EQ(cell.level_sum, e.level_sum);
        EXPECT_EQ(cell.demand_filled, e.demand_filled);
        EXPECT_EQ(cell.demand_vacant, e.demand_vacant);
      }
    }
  }

  static domain::Person PersonRecord(std::string external_id, domain::Grade grade, int department,
                                     int region, int profession) {
    domain::Person p;
    p.external_id = std::move(external_id);
    p.name = "Changed " + p.external_id;
    p.grade = grade;
    p.department = "D0" + std::to_string(department);
    p.location = "L-" + std::string(domain::AllRegions()[static_cast<std::size_t>(region)].code);
    p.profession = "p0" + std::to_string(profession);
    p.start_date = "2021-04-01";
    return p;
  }

  static domain::Assessment Assessed(std::string person, int item, int level,
                                     domain::AssessorKind assessor) {
    char id[16];
    std::snprintf(id, sizeof id, "item-%04d", item);
    return {std::move(person), id, level, assessor, "2025-03-01", 1, ""};
  }

  std::filesystem::path dir_;
  std::string path_;
  ManualClock clock_{1'800'000'000};
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
  std::unique_ptr<EngineService> service_;
};

TEST_F(EngineIncrementalTest, PeopleChangesAreAppliedFromTheLogAndEqualAFreshLoad) {
  EXPECT_EQ(service_->stats().full_reloads, 1);
  EXPECT_EQ(service_->stats().incremental_updates, 0);
  engine::MatchQuery query;
  query.requirements = {{"item-0030", 9, 1}};
  query.k = 1;
  auto before = service_->Match(Administrator(), query);
  ASSERT_TRUE(before.ok()) << before.error().message;
  const auto row_of_1 = static_cast<std::uint32_t>(before->snapshot->RowOf(1));
  const auto item_30 = before->snapshot->catalog().item_by_uuid.at("item-0030");
  ASSERT_NE(before->snapshot->Level(row_of_1, item_30), 9);

  // An import of people: one moved and one new, logged by external id.
  std::int64_t added = 0;
  Write([&](store::Database& db) {
    std::vector<domain::Person> people = {PersonRecord("P0000002", domain::Grade::kG6, 3, 0, 2),
                                          PersonRecord("PNEW0001", domain::Grade::kHEO, 1, 4, 1)};
    // The file keeps the clearance already recorded: only a vetting decision changes it.
    {
      auto stored = db.Prepare(
          "SELECT clearance_level, clearance_status, COALESCE(clearance_granted, ''), "
          "COALESCE(clearance_review_due, '') FROM person WHERE external_id = 'P0000002' "
          "AND clearance_level IS NOT NULL");
      ASSERT_TRUE(stored.ok());
      auto row = stored->Step();
      ASSERT_TRUE(row.ok());
      if (*row) {
        people[0].clearance =
            domain::PersonClearance{*domain::ParseClearance(stored->ColumnText(0)),
                                    *domain::ParseClearanceStatus(stored->ColumnText(1)),
                                    stored->ColumnText(2), stored->ColumnText(3)};
      }
    }
    auto upserted = store::UpsertPeople(db, people);
    ASSERT_TRUE(upserted.ok()) << upserted.error().message;
    ASSERT_TRUE(store::BumpWorkforceGenerationForPeople(db, people).ok());
    added = QueryInt(db, "SELECT id FROM person WHERE external_id = 'PNEW0001'");
  });
  // Assessments appended; person 5 deleted; person 6 deleted and another person stored
  // under the same id (so nothing of the old person's levels may stay).
  Write([&](store::Database& db) {
    const std::vector<domain::Assessment> rows = {
        Assessed("P0000001", 30, 9, domain::AssessorKind::kPanel),
        Assessed("P0000003", 2, 1, domain::AssessorKind::kSelf),
        Assessed("P0000003", 3, 7, domain::AssessorKind::kManager),
        Assessed("PNEW0001", 5, 4, domain::AssessorKind::kManager)};
    ASSERT_TRUE(store::AppendAssessments(db, rows).ok());
    // The ledger refuses deletes; erasing a person is an operator's act outside it.
    ASSERT_TRUE(db.Execute("DROP TRIGGER assessment_no_delete;"
                           "DELETE FROM assessment WHERE person_id IN (5, 6);"
                           "DELETE FROM person WHERE id IN (5, 6);"
                           "INSERT INTO person (id, external_id, display_name, department, "
                           "profession, grade, start_date) "
                           "VALUES (6, 'PREUSED', 'Reused Id', 'D01', 'p01', 2, '2025-01-01');"
                           "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, "
                           "assessed_on, framework_version) "
                           "VALUES (6, 1, 1, 2, 'self', '2025-01-01', 1);")
                    .ok());
    const std::int64_t ids[] = {1, 3, added, 5, 6};
    ASSERT_TRUE(store::BumpWorkforceGenerationForPeople(db, ids).ok());
  });

  auto after = service_->Match(Administrator(), query);
  ASSERT_TRUE(after.ok()) << after.error().message;
  ASSERT_EQ(after->result.entries.size(), 1u);
  EXPECT_EQ(after->result.entries[0].person_id, 1);
  EXPECT_EQ(after->result.entries[0].fit[0].has, 9);
  const EngineStats stats = service_->stats();
  EXPECT_EQ(stats.full_reloads, 1);
  EXPECT_EQ(stats.incremental_updates, 1);
  EXPECT_EQ(stats.people_replaced, 6);  // 1, 2, 3, 5, 6 and the new person
  EXPECT_EQ(service_->loaded_generation(),
            QueryInt(*pool_->Acquire(), "SELECT generation FROM workforce_change"));
  // A reader of the snapshot before the update still reads it as it was.
  EXPECT_NE(before->snapshot->Level(row_of_1, item_30), 9);
  EXPECT_GE(before->snapshot->RowOf(5), 0);
  EXPECT_LT(after->snapshot->RowOf(5), 0);

  ExpectEqualsFreshLoad();
  EXPECT_EQ(service_->stats().full_reloads, 1);
}

TEST_F(EngineIncrementalTest, AReferenceChangeIsAFullReload) {
  Write([&](store::Database& db) {
    ASSERT_TRUE(db.Execute("INSERT INTO department (id, code, name) VALUES (99, 'D99', 'New');"
                           "UPDATE role_requirement SET level = 1;")
                    .ok());
    ASSERT_TRUE(store::BumpWorkforceGeneration(db).ok());
  });
  auto current = Current();
  ASSERT_NE(current, nullptr);
  EXPECT_TRUE(current->catalog().department_by_code.contains("D99"));
  EXPECT_EQ(service_->stats().full_reloads, 2);
  EXPECT_EQ(service_->stats().incremental_updates, 0);
  ExpectEqualsFreshLoad();

  // A people change and a reference change between two queries: a full reload.
  Write([&](store::Database& db) {
    const std::vector<domain::Assessment> rows = {
        Assessed("P0000010", 4, 6, domain::AssessorKind::kManager)};
    ASSERT_TRUE(store::AppendAssessments(db, rows).ok());
    const std::int64_t ids[] = {10};
    ASSERT_TRUE(store::BumpWorkforceGenerationForPeople(db, ids).ok());
  });
  Write([&](store::Database& db) {
    ASSERT_TRUE(db.Execute("UPDATE role_requirement SET level = 3;").ok());
    ASSERT_TRUE(store::BumpWorkforceGeneration(db).ok());
  });
  ExpectEqualsFreshLoad();
  EXPECT_EQ(service_->stats().full_reloads, 3);
  EXPECT_EQ(service_->stats().incremental_updates, 0);
}

TEST_F(EngineIncrementalTest, AReaderOlderThanTheLogReloadsEverything) {
  Write([&](store::Database& db) {
    const std::vector<domain::Assessment> rows = {
        Assessed("P0000020", 7, 8, domain::AssessorKind::kPanel)};
    ASSERT_TRUE(store::AppendAssessments(db, rows).ok());
    const std::int64_t ids[] = {20};
    for (std::int64_t i = 0; i <= store::kLoggedGenerations; ++i) {
      ASSERT_TRUE(store::BumpWorkforceGenerationForPeople(db, ids).ok());
    }
  });
  ExpectEqualsFreshLoad();
  EXPECT_EQ(service_->stats().full_reloads, 2);
  EXPECT_EQ(service_->stats().incremental_updates, 0);
  // And from there on, by the log again.
  Write([&](store::Database& db) {
    const std::vector<domain::Assessment> rows = {
        Assessed("P0000020", 8, 2, domain::AssessorKind::kSelf)};
    ASSERT_TRUE(store::AppendAssessments(db, rows).ok());
    const std::int64_t ids[] = {20};
    ASSERT_TRUE(store::BumpWorkforceGenerationForPeople(db, ids).ok());
  });
  ExpectEqualsFreshLoad();
  EXPECT_EQ(service_->stats().full_reloads, 2);
  EXPECT_EQ(service_->stats().incremental_updates, 1);
}

TEST_F(EngineIncrementalTest, APeopleChangeTheIndexCannotApplyFallsBackToAFullReload) {
  // A writer that logged only the person, though it also added the department they
  // moved to: the index does not know the department, so it reloads everything.
  Write([&](store::Database& db) {
    ASSERT_TRUE(db.Execute("INSERT INTO department (id, code, name) VALUES (77, 'D77', 'Late');"
                           "UPDATE person SET department = 'D77' WHERE id = 8;")
                    .ok());
    const std::int64_t ids[] = {8};
    ASSERT_TRUE(store::BumpWorkforceGenerationForPeople(db, ids).ok());
  });
  ExpectEqualsFreshLoad();
  EXPECT_EQ(service_->stats().full_reloads, 2);
  EXPECT_EQ(service_->stats().incremental_updates, 0);
}

TEST_F(EngineIncrementalTest, QueriesAnswerWhileTheIndexIsUpdated) {
  std::atomic<bool> stop{false};
  std::atomic<int> answers{0};
  std::atomic<int> failures{0};
  auto reader = [&] {
    engine::MatchQuery query;
    query.requirements = {{"item-0001", 3, 1}, {"item-0002", 2, 2}};
    query.k = 20;
    while (!stop.load()) {
      auto answer = service_->Match(Administrator(), query);
      if (!answer.ok() || answer->result.entries.size() != 20) ++failures;
      ++answers;
    }
  };
  std::thread first(reader);
  std::thread second(reader);
  for (int round = 0; round < 6; ++round) {
    Write([&](store::Database& db) {
      std::vector<domain::Assessment> rows;
      std::vector<std::int64_t> ids;
      for (int person = 100 + round * 10; person < 110 + round * 10; ++person) {
        char id[16];
        std::snprintf(id, sizeof id, "P%07d", person);
        rows.push_back(Assessed(id, 1 + person % 3, 1 + person % 9, domain::AssessorKind::kPanel));
        ids.push_back(person);
      }
      ASSERT_TRUE(store::AppendAssessments(db, rows).ok());
      ASSERT_TRUE(store::BumpWorkforceGenerationForPeople(db, ids).ok());
    });
    const int seen = answers.load();
    while (answers.load() < seen + 2) std::this_thread::yield();
  }
  stop = true;
  first.join();
  second.join();
  EXPECT_EQ(failures.load(), 0);
  ExpectEqualsFreshLoad();
  EXPECT_EQ(service_->stats().full_reloads, 1);
  EXPECT_GE(service_->stats().incremental_updates, 1);
}

// A rebuild that pauses after its load until the test lets it go on, so that the test
// can ask questions and write while it runs. Queries never wait for it.
class RebuildGate {
 public:
  EngineOptions Options() {
    EngineOptions options;
    options.wait_for_rebuilds_below_people = 0;
    options.after_rebuild_load = [this] {
      std::unique_lock lock(mutex_);
      ++loads_;
      changed_.notify_all();
      if (during_) {
        auto during = std::move(during_);
        during_ = nullptr;
        lock.unlock();
        during();
        lock.lock();
      }
      changed_.wait(lock, [&] { return open_; });
    };
    return options;
  }
  // Runs `during` on the rebuild thread after its next load.
  void During(std::function<void()> during) {
    std::lock_guard lock(mutex_);
    during_ = std::move(during);
  }
  void WaitForLoads(int n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return loads_ >= n; });
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int loads_ = 0;
  bool open_ = false;
  std::function<void()> during_;
};

TEST_F(EngineIncrementalTest, QueriesAnswerDuringARebuildAndWritesMadeMeanwhileAreReplayed) {
  RebuildGate gate;
  service_.reset();
  service_ = std::make_unique<EngineService>(*kernel_, gate.Options());
  engine::MatchQuery query;
  query.requirements = {{"item-0030", 9, 1}};
  query.k = 1;
  auto before = service_->Match(Administrator(), query);
  ASSERT_TRUE(before.ok()) << before.error().message;
  const auto old_snapshot = before->snapshot;
  const auto item_30 = old_snapshot->catalog().item_by_uuid.at("item-0030");
  ASSERT_NE(old_snapshot->Level(static_cast<std::uint32_t>(old_snapshot->RowOf(1)), item_30), 9);
  ASSERT_FALSE(old_snapshot->catalog().department_by_code.contains("D99"));

  // A change of reference data: a full rebuild, in the background.
  Write([&](store::Database& db) {
    ASSERT_TRUE(
        db.Execute("INSERT INTO department (id, code, name) VALUES (99, 'D99', 'New')").ok());
    ASSERT_TRUE(store::BumpWorkforceGeneration(db).ok());
  });
  auto during = service_->Match(Administrator(), query);
  ASSERT_TRUE(during.ok()) << during.error().message;
  EXPECT_EQ(during->snapshot, old_snapshot) << "answered from the current snapshot";
  EXPECT_TRUE(service_->rebuilding());
  gate.WaitForLoads(1);  // the new index is loaded; its swap waits for the gate

  // Queries keep answering from the current snapshot while the rebuild waits...
  for (int i = 0; i < 3; ++i) {
    auto answer = service_->Match(Administrator(), query);
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    EXPECT_EQ(answer->snapshot, old_snapshot);
  }
  // ...and a write committed now, after the load, is replayed onto the new index.
  Write([&](store::Database& db) {
    const std::vector<domain::Assessment> rows = {
        Assessed("P0000001", 30, 9, domain::AssessorKind::kPanel)};
    ASSERT_TRUE(store::AppendAssessments(db, rows).ok());
    const std::int64_t ids[] = {1};
    ASSERT_TRUE(store::BumpWorkforceGenerationForPeople(db, ids).ok());
  });
  auto still = service_->Match(Administrator(), query);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->snapshot, old_snapshot);
  EXPECT_GE(service_->stats().stale_answers, 4);

  gate.Open();
  service_->WaitForRebuild();
  auto after = service_->Match(Administrator(), query);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_NE(after->snapshot, old_snapshot);
  EXPECT_TRUE(after->snapshot->catalog().department_by_code.contains("D99"));
  ASSERT_EQ(after->result.entries.size(), 1u);
  EXPECT_EQ(after->result.entries[0].person_id, 1);
  EXPECT_EQ(after->result.entries[0].fit[0].has, 9);
  const EngineStats stats = service_->stats();
  EXPECT_EQ(stats.rebuilds, 1);
  EXPECT_EQ(stats.full_reloads, 2);  // the first load and the rebuild's
  EXPECT_EQ(stats.replayed_people, 1);
  EXPECT_EQ(service_->loaded_generation(),
            QueryInt(*pool_->Acquire(), "SELECT generation FROM workforce_change"));
  // The old snapshot, still held, is as it was.
  EXPECT_NE(old_snapshot->Level(static_cast<std::uint32_t>(old_snapshot->RowOf(1)), item_30), 9);
  ExpectEqualsFreshLoad();
}

TEST_F(EngineIncrementalTest, AFullChangeDuringARebuildLoadsAgainBeforeTheSwap) {
  RebuildGate gate;
  service_.reset();
  service_ = std::make_unique<EngineService>(*kernel_, gate.Options());
  gate.Open();       // the rebuild goes on at once after each load...
  gate.During([&] {  // ...but the first load is overtaken by another change of reference data
    Write([&](store::Database& db) {
      ASSERT_TRUE(db.Execute("UPDATE role_requirement SET level = 1").ok());
      ASSERT_TRUE(store::BumpWorkforceGeneration(db).ok());
    });
  });
  Write([&](store::Database& db) {
    ASSERT_TRUE(
        db.Execute("INSERT INTO department (id, code, name) VALUES (98, 'D98', 'New')").ok());
    ASSERT_TRUE(store::BumpWorkforceGeneration(db).ok());
  });
  service_->StartRebuild();
  service_->WaitForRebuild();
  const EngineStats stats = service_->stats();
  EXPECT_EQ(stats.rebuilds, 1);
  EXPECT_EQ(stats.full_reloads, 3);  // the first load and the rebuild's two
  EXPECT_EQ(service_->loaded_generation(),
            QueryInt(*pool_->Acquire(), "SELECT generation FROM workforce_change"));
  ExpectEqualsFreshLoad();
}

TEST_F(EngineIncrementalTest, QuickRebuildsAreWaitedForSoTheNextQuerySeesTheWrite) {
  // The default options: a workforce this small is rebuilt while the query waits.
  Write([&](store::Database& db) {
    ASSERT_TRUE(
        db.Execute("INSERT INTO department (id, code, name) VALUES (97, 'D97', 'New')").ok());
    ASSERT_TRUE(store::BumpWorkforceGeneration(db).ok());
  });
  auto current = Current();
  ASSERT_NE(current, nullptr);
  EXPECT_TRUE(current->catalog().department_by_code.contains("D97"));
  EXPECT_EQ(service_->stats().rebuilds, 1);
}

}  // namespace
}  // namespace pathway::app
