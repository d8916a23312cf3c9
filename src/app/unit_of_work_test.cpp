// The use-case kernel against a real SQLite file: a change commits with its audit event,
// domain events and change log, or not at all; refusals and refused input are audited;
// reads of someone else's record are audited in batches.
#include "app/unit_of_work.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/domain_events.hpp"
#include "store/migrations.hpp"
#include "store/workforce_change.hpp"

namespace pathway::app {
namespace {

using domain::Error;
using domain::ErrorCode;
using domain::Role;

constexpr const char* kPolicy =
    "action,role,relationship\n"
    "thing.write,admin,any\n"
    "person.read,individual,self\n"
    "person.read,hr_partner,department\n";

class UnitOfWorkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("pathway-uow-{}-{}", getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string path = (dir_ / "t.db").string();
    {
      auto db = store::Database::Open(path);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(store::Migrate(**db).ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path, 2)).value();
    auto policy = Policy::Parse(kPolicy);
    ASSERT_TRUE(policy.ok()) << policy.error().message;
    authorizer_ = std::make_unique<Authorizer>(std::move(policy).value());
    kernel_ = std::make_unique<UnitOfWork>(*pool_, *authorizer_, clock_);
  }
  void TearDown() override {
    kernel_.reset();
    pool_.reset();
    std::filesystem::remove_all(dir_);
  }

  static Actor UserWith(Role role, std::string scope = {}, std::int64_t user_id = 7) {
    Actor actor;
    actor.kind = Actor::Kind::kUser;
    actor.user_id = user_id;
    actor.email = fmt::format("user{}@example.gov.uk", user_id);
    actor.grants.push_back({1, role, std::move(scope)});
    return actor;
  }

  std::vector<store::AuditRecord> Audit() {
    auto db = pool_->Acquire();
    store::AuditQuery query;
    query.limit = 100;
    auto records = store::SearchAudit(*db, query);
    EXPECT_TRUE(records.ok());
    return records.ok() ? *records : std::vector<store::AuditRecord>{};
  }

  std::optional<std::string> Setting(const std::string& key) {
    auto db = pool_->Acquire();
    auto select = db->Prepare("SELECT value FROM setting WHERE key = ?");
    EXPECT_TRUE(select.ok());
    select->Bind(1, key);
    auto row = select->Step();
    if (!row.ok() || !*row) return std::nullopt;
    return select->ColumnText(0);
  }

  static Status WriteSetting(Tx& tx, const std::string& key, const std::string& value) {
    PATHWAY_ASSIGN_OR_RETURN(auto insert,
                             tx.db().Prepare("INSERT INTO setting (key, value) VALUES (?, ?)"));
    insert.Bind(1, key).Bind(2, value);
    return insert.Run();
  }

  static Command ThingWrite(std::string id = "t1") {
    return Command{"thing.write", "thing", std::move(id), "No such thing"};
  }

  std::filesystem::path dir_;
  ManualClock clock_{1'800'000'000};
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
};

TEST_F(UnitOfWorkTest, CommitsTheChangeWithItsAuditEventAndDomainEvents) {
  std::vector<Committed> seen;
  kernel_->OnCommitted([&](const Committed& c) { seen.push_back(c); });
  auto result = kernel_->Execute(UserWith(Role::kAdministrator), ThingWrite(), Fixed(),
                                 [&](Tx& tx) -> Result<int> {
                                   PATHWAY_TRY(WriteSetting(tx, "k", "v"));
                                   tx.Describe("set k");
                                   tx.Emit("thing.written", "k");
                                   return 42;
                                 });
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, 42);
  EXPECT_EQ(Setting("k"), "v");
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].event.action, "thing.write");
  EXPECT_EQ(audit[0].event.outcome, "success");
  EXPECT_EQ(audit[0].event.object_id, "t1");
  EXPECT_EQ(audit[0].event.detail, "set k");
  auto db = pool_->Acquire();
  auto events = store::DomainEventsAfter(*db, 0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].name, "thing.written");
  EXPECT_EQ((*events)[0].object_type, "thing");
  EXPECT_EQ((*events)[0].object_id, "t1");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].action, "thing.write");
  ASSERT_EQ(seen[0].events.size(), 1u);
}

TEST_F(UnitOfWorkTest, ARefusalRunsNothingAnswersNotFoundAndIsAudited) {
  bool ran = false;
  auto result =
      kernel_->Execute(UserWith(Role::kIndividual), ThingWrite(), Fixed(), [&](Tx& tx) -> Status {
        ran = true;
        return WriteSetting(tx, "k", "v");
      });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(result.error().message, "No such thing");
  EXPECT_FALSE(ran);
  EXPECT_FALSE(Setting("k"));
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].event.outcome, "refused");
  EXPECT_EQ(audit[0].event.action, "thing.write");
}

TEST_F(UnitOfWorkTest, AMissingSubjectLooksLikeARefusal) {
  SubjectOf missing = [](store::Database&) -> Result<std::optional<Subject>> {
    return std::optional<Subject>();
  };
  auto result = kernel_->Execute(UserWith(Role::kAdministrator), ThingWrite(), missing,
                                 [&](Tx&) -> Status { return domain::Ok{}; });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  ASSERT_EQ(Audit().size(), 1u);
  EXPECT_EQ(Audit()[0].event.outcome, "refused");
}

TEST_F(UnitOfWorkTest, ABodyErrorRollsBackEveryWriteAndAuditsTheFieldNotTheValue) {
  bool notified = false;
  kernel_->OnCommitted([&](const Committed&) { notified = true; });
  auto result = kernel_->Execute(UserWith(Role::kAdministrator), ThingWrite(), Fixed(),
                                 [&](Tx& tx) -> Status {
                                   PATHWAY_TRY(WriteSetting(tx, "k", "secret-value"));
                                   tx.Emit("thing.written");
                                   return Error::InvalidInput("name", "Enter a name");
                                 });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().field, "name");
  EXPECT_FALSE(Setting("k"));
  EXPECT_FALSE(notified);
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].event.outcome, "failure");
  EXPECT_EQ(audit[0].event.detail, "name: Enter a name");
  auto db = pool_->Acquire();
  EXPECT_TRUE(store::DomainEventsAfter(*db, 0, 10)->empty());
}

TEST_F(UnitOfWorkTest, StateChecksSeeTheStateTheWriteChanges) {
  // Two units of work that each insert the same key only if it is absent: the second
  // sees the first's commit inside its own transaction and refuses.
  auto insert_once = [&](const std::string& value) {
    return kernel_->Execute(
        UserWith(Role::kAdministrator), ThingWrite(), Fixed(), [&](Tx& tx) -> Status {
          PATHWAY_ASSIGN_OR_RETURN(auto select,
                                   tx.db().Prepare("SELECT 1 FROM setting WHERE key = 'once'"));
          PATHWAY_ASSIGN_OR_RETURN(bool exists, select.Step());
          if (exists) return Error{ErrorCode::kConflict, "key", "Already set"};
          return WriteSetting(tx, "once", value);
        });
  };
  EXPECT_TRUE(insert_once("first").ok());
  auto second = insert_once("second");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Setting("once"), "first");
}

TEST_F(UnitOfWorkTest, PeopleChangedMoveTheChangeLogWithTheCommit) {
  std::int64_t before = 0;
  {
    auto db = pool_->Acquire();
    before = *store::WorkforceGeneration(*db);
  }
  std::vector<std::int64_t> told;
  kernel_->OnCommitted([&](const Committed& c) { told = c.people; });
  const std::vector<std::int64_t> people{5, 9};
  auto result = kernel_->Execute(UserWith(Role::kAdministrator), ThingWrite(), Fixed(),
                                 [&](Tx& tx) -> Status {
                                   tx.PeopleChanged(std::span<const std::int64_t>(people));
                                   return domain::Ok{};
                                 });
  ASSERT_TRUE(result.ok()) << result.error().message;
  auto db = pool_->Acquire();
  auto changes = store::WorkforceChangesSince(*db, before);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->generation, before + 1);
  EXPECT_FALSE(changes->full);
  EXPECT_EQ(changes->people, people);
  EXPECT_EQ(told, people);
}

TEST_F(UnitOfWorkTest, ReadsOfSomeoneElsesRecordAreAuditedInABatchOwnReadsAreNot) {
  Subject person;
  person.person_id = 11;
  person.department = "dwp";
  Actor hr = UserWith(Role::kHrPartner, "dwp");
  Actor self = UserWith(Role::kIndividual, {}, 8);
  self.person_id = 11;
  const Command read{"person.read", "person", "11", "No such person"};
  for (int i = 0; i < 3; ++i) {
    auto answer =
        kernel_->Read(hr, read, Fixed(person), [](store::Database&) -> Result<int> { return 1; });
    ASSERT_TRUE(answer.ok());
  }
  ASSERT_TRUE(
      kernel_->Read(self, read, Fixed(person), [](store::Database&) -> Result<int> { return 1; })
          .ok());
  kernel_->FlushReadAudits();
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 3u);
  for (const auto& record : audit) {
    EXPECT_EQ(record.event.action, "person.read");
    EXPECT_EQ(record.event.object_id, "11");
    EXPECT_EQ(record.event.actor, hr.email);
  }
  // Someone in another department is refused, answered as not found, and audited at once.
  auto refused = kernel_->Read(UserWith(Role::kHrPartner, "hmrc"), read, Fixed(person),
                               [](store::Database&) -> Result<int> { return 1; });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Audit().front().event.outcome, "refused");
}

}  // namespace
}  // namespace pathway::app

namespace pathway::app {
namespace {

TEST_F(UnitOfWorkTest, NoiseIsCountedAndAuditedInAggregateNotOneWriteEach) {
  Actor anonymous;
  anonymous.source_address = "203.0.113.9";
  for (int i = 0; i < 200; ++i) kernel_->RecordNoise(anonymous, "session", "unknown session");
  Actor other;
  other.source_address = "203.0.113.10";
  kernel_->RecordNoise(other, "session", "unknown session");
  kernel_->FlushReadAudits();
  const auto records = Audit();
  int refused = 0;
  for (const auto& record : records) {
    if (record.event.action != "session") continue;
    ++refused;
    EXPECT_EQ(record.event.outcome, "refused");
    if (record.event.source_address == "203.0.113.9") {
      EXPECT_NE(record.event.detail.find("unknown session (200 requests"), std::string::npos) << record.event.detail;
    }
  }
  EXPECT_EQ(refused, 2) << "one event per source, not 201";
  const auto totals = kernel_->NoiseTotals();
  ASSERT_EQ(totals.size(), 1u);
  EXPECT_EQ(totals[0].second, 201);
}

}  // namespace
}  // namespace pathway::app
