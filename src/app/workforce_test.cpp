// WorkforceService against the real policy file: lists are scoped to what each actor
// may see, and objects outside the scope are kNotFound and audited.
#include "app/workforce.hpp"

#include <gtest/gtest.h>

#include "app/unit_of_work.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/workforce_read.hpp"
#include "store/workforce_read_test_fixture.hpp"

namespace pathway::app {
namespace {

using domain::ErrorCode;
using domain::Role;

std::string PolicyText() {
  const char* dir = std::getenv("PATHWAY_SOURCE_DIR");
  std::ifstream in(std::string(dir != nullptr ? dir : PATHWAY_SOURCE_DIR) + "/policy/access.csv");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class WorkforceServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pathway-workforce-app-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string path = (dir_ / "test.db").string();
    {
      auto db = std::move(store::Database::Open(path)).value();
      ASSERT_TRUE(store::Migrate(*db).ok());
      ASSERT_TRUE(db->Execute(store::testing::kWorkforceFixtureSql).ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path, 2)).value();
    auto policy = Policy::Parse(PolicyText());
    ASSERT_TRUE(policy.ok()) << policy.error().message;
    authorizer_ = std::make_unique<Authorizer>(std::move(policy).value());
    kernel_ = std::make_unique<UnitOfWork>(*pool_, *authorizer_, clock_);
    service_ = std::make_unique<WorkforceService>(*kernel_);
  }
  void TearDown() override {
    service_.reset();
    kernel_.reset();
    pool_.reset();
    std::filesystem::remove_all(dir_);
  }

  static Actor As(std::optional<std::int64_t> person, std::vector<domain::Grant> grants) {
    Actor actor;
    actor.kind = Actor::Kind::kUser;
    actor.user_id = 100;
    actor.email = "actor@example.gov.uk";
    actor.person_id = person;
    actor.grants = std::move(grants);
    actor.grants.insert(actor.grants.begin(), {0, Role::kIndividual, ""});
    return actor;
  }

  std::vector<std::string> People(const Actor& actor) {
    auto page = service_->ListPeople(actor, {});
    EXPECT_TRUE(page.ok()) << page.error().message;
    std::vector<std::string> names;
    for (const auto& row : page->rows) names.push_back(row.name);
    return names;
  }

  std::filesystem::path dir_;
  ManualClock clock_{1'800'000'000};
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
  std::unique_ptr<WorkforceService> service_;
};

using Strings = std::vector<std::string>;

TEST_F(WorkforceServiceTest, EachActorListsOnlyThePeopleTheyMaySee) {
  // An individual: themselves.
  EXPECT_EQ(People(As(3, {})), Strings{"Carol Junior"});
  // A line manager: themselves and their whole reporting chain, nobody else.
  EXPECT_EQ(People(As(1, {{0, Role::kLineManager, ""}})),
            (Strings{"Alice Boss", "Bob Middle", "Carol Junior"}));
  // An HR partner: their department (and themselves).
  EXPECT_EQ(People(As(std::nullopt, {{0, Role::kHrPartner, "D2"}})),
            (Strings{"Dan Other", "Eve Else"}));
  // A head of profession: people whose main profession is theirs.
  EXPECT_EQ(People(As(std::nullopt, {{0, Role::kHeadOfProfession, "P1"}})),
            (Strings{"Alice Boss", "Bob Middle", "Eve Else"}));
  // An administrator: everyone.
  EXPECT_EQ(People(As(std::nullopt, {{0, Role::kAdministrator, ""}})).size(), 5u);
  // Filters narrow the scope; they never widen it.
  store::PeopleQuery query;
  query.filter.department = "D2";
  auto page = service_->ListPeople(As(1, {{0, Role::kLineManager, ""}}), query);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0);
}

TEST_F(WorkforceServiceTest, TheTeamIsALineManagersChainOnly) {
  auto team = service_->ListTeam(As(1, {{0, Role::kLineManager, ""}}), {});
  ASSERT_TRUE(team.ok());
  ASSERT_EQ(team->rows.size(), 2u);
  EXPECT_EQ(team->rows[1].line_manager_name, "Bob Middle");
  auto not_a_manager = service_->ListTeam(As(2, {{0, Role::kHrPartner, "D1"}}), {});
  ASSERT_FALSE(not_a_manager.ok());
  EXPECT_EQ(not_a_manager.error().code, ErrorCode::kNotFound);
}

TEST_F(WorkforceServiceTest, APersonOutsideTheScopeIsNotFoundAndTheRefusalIsAudited) {
  const Actor manager = As(1, {{0, Role::kLineManager, ""}});
  auto carol = service_->GetPerson(manager, 3);
  ASSERT_TRUE(carol.ok());
  EXPECT_TRUE(carol->manager_visible);
  auto dan = service_->GetPerson(manager, 4);
  ASSERT_FALSE(dan.ok());
  EXPECT_EQ(dan.error().code, ErrorCode::kNotFound);
  auto missing = service_->GetPerson(manager, 99);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, dan.error().message) << "the same answer as missing";
  auto db = pool_->Acquire();
  store::AuditQuery query;
  query.action = "person.read";
  query.outcome = "refused";
  auto refused = store::SearchAudit(*db, query);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->size(), 2u);

  // Bob, seen by the head of profession of P1: Carol (P2) is his report but outside
  // that scope, so she is left out of his direct reports.
  auto bob = service_->GetPerson(As(std::nullopt, {{0, Role::kHeadOfProfession, "P1"}}), 2);
  ASSERT_TRUE(bob.ok());
  EXPECT_TRUE(bob->visible_reports.empty());
  EXPECT_TRUE(bob->manager_visible);
}

TEST_F(WorkforceServiceTest, ReadsOfOtherPeoplesRecordsAreAuditedOwnReadsAreNot) {
  const Actor carol = As(3, {});
  ASSERT_TRUE(service_->GetPerson(carol, 3).ok());  // her own record
  const Actor manager = As(1, {{0, Role::kLineManager, ""}});
  ASSERT_TRUE(service_->GetPerson(manager, 3).ok());  // Carol, by her manager
  ASSERT_TRUE(service_->ListTeam(manager, {}).ok());  // the team: two others
  kernel_->FlushReadAudits();
  auto db = pool_->Acquire();
  store::AuditQuery query;
  query.outcome = "success";
  auto reads = store::SearchAudit(*db, query);
  ASSERT_TRUE(reads.ok());
  ASSERT_EQ(reads->size(), 2u);
  // Newest first: the list, then the profile.
  EXPECT_EQ((*reads)[0].event.action, "person.list");
  EXPECT_EQ((*reads)[0].event.detail, "2 people listed");
  EXPECT_EQ((*reads)[1].event.action, "person.read");
  EXPECT_EQ((*reads)[1].event.object_id, "3");
}

TEST_F(WorkforceServiceTest, PostsAndDepartmentsFollowTheGrantsScope) {
  auto posts = service_->ListPosts(As(std::nullopt, {{0, Role::kHrPartner, "D2"}}), {});
  ASSERT_TRUE(posts.ok());
  ASSERT_EQ(posts->rows.size(), 2u);
  EXPECT_EQ(posts->rows[0].external_id, "PO3");
  auto individual = service_->ListPosts(As(3, {}), {});
  ASSERT_FALSE(individual.ok());
  EXPECT_EQ(individual.error().code, ErrorCode::kNotFound);

  const Actor hr = As(std::nullopt, {{0, Role::kHrPartner, "D1"}});
  auto departments = service_->ListDepartments(hr);
  ASSERT_TRUE(departments.ok());
  ASSERT_EQ(departments->size(), 1u);
  EXPECT_EQ((*departments)[0].code, "D1");
  EXPECT_TRUE(service_->GetDepartment(hr, "D1").ok());
  EXPECT_EQ(service_->GetDepartment(hr, "D2").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->ListDepartments(As(3, {})).error().code, ErrorCode::kNotFound);
}

TEST_F(WorkforceServiceTest, ProfessionsAreForEveryoneTheirWorkforceForTheirHead) {
  const Actor individual = As(3, {});
  auto list = service_->ListProfessions(individual);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_TRUE(service_->GetProfession(individual, "P1").ok());
  EXPECT_EQ(service_->GetProfession(individual, "NOPE").error().code, ErrorCode::kNotFound);
  domain::ProfessionParts role;
  role.role = "R1";
  EXPECT_TRUE(service_->GetProfession(individual, "P1", role).ok());
  role.role = "R2";  // P2's role
  EXPECT_EQ(service_->GetProfession(individual, "P1", role).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(service_->ListProfessions(Actor{}).ok()) << "not for anonymous callers";
  EXPECT_EQ(service_->GetProfessionOverview(individual, "P1").error().code, ErrorCode::kNotFound);
  const Actor head = As(std::nullopt, {{0, Role::kHeadOfProfession, "P1"}});
  EXPECT_TRUE(service_->GetProfessionOverview(head, "P1").ok());
  EXPECT_FALSE(service_->GetProfessionOverview(head, "P2").ok());
}

}  // namespace
}  // namespace pathway::app
