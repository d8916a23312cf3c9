// EngineService against the real policy file and a real SQLite file: rankings and maps
// are scoped to the people each actor may see, pathways follow pathway.read, and a write
// that bumps the change counter is seen by the next query.
#include "app/workforce_engine.hpp"

#include <gtest/gtest.h>

#include "app/unit_of_work.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/workforce_change.hpp"
#include "store/workforce_read_test_fixture.hpp"
#include "store/workforce_write.hpp"

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

// Levels on top of the fixture: item i1 (Programming) and i2 (Testing) for everyone.
//   Alice (D1, P1) i1 3, i2 3   Bob (D1, P1) i1 2      Carol (D1, P2) i1 1, i2 2
//   Dan (D2, P2) i1 3, i2 1     Eve (D2, P1) i1 2, i2 2
constexpr const char* kAssessments = R"sql(
INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, framework_version)
VALUES (1, 1, 1, 3, 'manager', '2024-01-01', 1), (1, 2, 1, 3, 'manager', '2024-01-01', 1),
       (2, 1, 1, 2, 'manager', '2024-01-01', 1),
       (3, 1, 1, 1, 'self', '2024-01-01', 1), (3, 2, 1, 2, 'manager', '2024-01-01', 1),
       (4, 1, 1, 3, 'panel', '2024-01-01', 1), (4, 2, 1, 1, 'manager', '2024-01-01', 1),
       (5, 1, 1, 2, 'manager', '2024-01-01', 1), (5, 2, 1, 2, 'manager', '2024-01-01', 1);
)sql";

class EngineServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pathway-engine-app-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string path = (dir_ / "test.db").string();
    {
      auto db = std::move(store::Database::Open(path)).value();
      ASSERT_TRUE(store::Migrate(*db).ok());
      ASSERT_TRUE(db->Execute(store::testing::kWorkforceFixtureSql).ok());
      ASSERT_TRUE(db->Execute(kAssessments).ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path, 2)).value();
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

  static Actor As(std::optional<std::int64_t> person, std::vector<domain::Grant> grants) {
    Actor actor;
    actor.kind = Actor::Kind::kUser;
    actor.user_id = 100;
    actor.email = "actor@example.gov.uk";
    actor.person_id = person;
    actor.grants = std::move(grants);
    return actor;
  }

  static engine::MatchQuery ProgrammingQuery(int k = 10) {
    engine::MatchQuery query;
    query.requirements = {{"i1", 2, 1}};
    query.k = k;
    return query;
  }

  static std::set<std::int64_t> Ids(const MatchAnswer& answer) {
    std::set<std::int64_t> ids;
    for (const auto& entry : answer.result.entries) ids.insert(entry.person_id);
    return ids;
  }

  std::filesystem::path dir_;
  ManualClock clock_{1'800'000'000};
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
  std::unique_ptr<EngineService> service_;
};

TEST_F(EngineServiceTest, AnAdministratorRanksEveryone) {
  auto answer =
      service_->Match(As(std::nullopt, {{1, Role::kAdministrator, ""}}), ProgrammingQuery());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(Ids(*answer), (std::set<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(answer->result.candidates, 5);
  // Explained per requirement, with names and titles to read it by.
  const auto& best = answer->result.entries.front();
  ASSERT_EQ(best.fit.size(), 1u);
  EXPECT_EQ(best.fit[0].needs, 2);
  EXPECT_EQ(answer->item_titles.at("i1"), "Programming");
  EXPECT_FALSE(answer->people.at(best.person_id).name.empty());
}

TEST_F(EngineServiceTest, AnHrPartnerRanksOnlyTheirDepartment) {
  const Actor hr = As(std::nullopt, {{1, Role::kHrPartner, "D1"}});
  auto answer = service_->Match(hr, ProgrammingQuery());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(Ids(*answer), (std::set<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(answer->result.candidates, 3);
  // Asking for another department contradicts the scope: an error naming the field.
  auto query = ProgrammingQuery();
  query.filters.departments = {"D2"};
  auto other = service_->Match(hr, query);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(other.error().field, "filters.departments");
  // Filters narrow inside the scope and never widen it.
  query.filters.departments = {};
  query.filters.professions = {"P2"};
  auto narrowed = service_->Match(hr, query);
  ASSERT_TRUE(narrowed.ok());
  EXPECT_EQ(Ids(*narrowed), (std::set<std::int64_t>{3}));
}

TEST_F(EngineServiceTest, AHeadOfProfessionRanksOnlyTheirProfession) {
  auto answer = service_->ClosestToReady(As(std::nullopt, {{1, Role::kHeadOfProfession, "P1"}}),
                                         ProgrammingQuery());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  for (const auto id : Ids(*answer)) EXPECT_TRUE(id == 1 || id == 2 || id == 5) << id;
}

TEST_F(EngineServiceTest, BothKindsOfGrantSeeTheUnionOnce) {
  // D2 (Dan, Eve) or P1 (Alice, Bob, Eve): Eve is in both and counted once.
  const Actor both =
      As(std::nullopt, {{1, Role::kHrPartner, "D2"}, {2, Role::kHeadOfProfession, "P1"}});
  auto answer = service_->Match(both, ProgrammingQuery());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(Ids(*answer), (std::set<std::int64_t>{1, 2, 4, 5}));
  EXPECT_EQ(answer->result.candidates, 4);
  // The capability map adds up the same way.
  engine::CapabilityQuery map_query;
  map_query.rows = engine::Dimension::kDepartment;
  map_query.columns = engine::Dimension::kProfession;
  map_query.requirements = {{"i1", 2, 1}};
  auto map = service_->MapCapability(both, map_query);
  ASSERT_TRUE(map.ok()) << map.error().message;
  std::int64_t headcount = 0;
  for (const auto& cell : map->map.cells) headcount += cell.headcount;
  EXPECT_EQ(headcount, 4);
}

TEST_F(EngineServiceTest, RolesWithoutTheActionAreRefusedLikeAMissingPage) {
  for (const Role role : {Role::kIndividual, Role::kLineManager, Role::kRecruiter,
                          Role::kVettingOfficer, Role::kFrameworkAuthor}) {
    const Actor actor = As(1, {{1, role, role == Role::kVettingOfficer ? "D1" : ""}});
    auto match = service_->Match(actor, ProgrammingQuery());
    ASSERT_FALSE(match.ok());
    EXPECT_EQ(match.error().code, ErrorCode::kNotFound);
    engine::CapabilityQuery map_query;
    map_query.requirements = {{"i1", 2, 1}};
    auto map = service_->MapCapability(actor, map_query);
    ASSERT_FALSE(map.ok());
    EXPECT_EQ(map.error().code, ErrorCode::kNotFound);
    EXPECT_FALSE(service_->AccessOf(actor).match);
  }
}

TEST_F(EngineServiceTest, CapabilityIsScopedToTheDepartment) {
  engine::CapabilityQuery query;
  query.rows = engine::Dimension::kDepartment;
  query.columns = engine::Dimension::kGrade;
  query.requirements = {{"i1", 2, 1}};
  auto map = service_->MapCapability(As(std::nullopt, {{1, Role::kHrPartner, "D1"}}), query);
  ASSERT_TRUE(map.ok()) << map.error().message;
  std::int64_t headcount = 0, meeting = 0;
  for (const auto& cell : map->map.cells) {
    if (cell.headcount > 0) {
      EXPECT_EQ(map->map.row_labels[cell.row], "D1");
    }
    headcount += cell.headcount;
    meeting += cell.meeting;
  }
  EXPECT_EQ(headcount, 3);
  EXPECT_EQ(meeting, 2);  // Alice (3) and Bob (2); Carol has 1
  EXPECT_EQ(map->names.at("D1"), "Department One");
}

TEST_F(EngineServiceTest, PathwaysFollowPathwayRead) {
  engine::RouteQuery query;
  query.target = "L2";
  // Carol herself, her line manager's chain (Bob, Alice), D1's HR partner, an admin.
  for (const Actor& allowed :
       {As(3, {{1, Role::kIndividual, ""}}), As(2, {{1, Role::kLineManager, ""}}),
        As(std::nullopt, {{1, Role::kHrPartner, "D1"}}),
        As(std::nullopt, {{1, Role::kAdministrator, ""}})}) {
    query.person_id = 3;
    auto routes = service_->BestRoutes(allowed, query);
    ASSERT_TRUE(routes.ok()) << routes.error().message;
    EXPECT_EQ(routes->person.name, "Carol Junior");
    auto closest = service_->ClosestRoles(allowed, 3, 5);
    EXPECT_TRUE(closest.ok());
    auto vacancies = service_->ReachableVacancies(allowed, 3, 10);
    EXPECT_TRUE(vacancies.ok());
  }
  // Someone else, another department's HR partner, a head of profession: not found.
  for (const Actor& refused :
       {As(4, {{1, Role::kIndividual, ""}}), As(4, {{1, Role::kLineManager, ""}}),
        As(std::nullopt, {{1, Role::kHrPartner, "D2"}}),
        As(std::nullopt, {{1, Role::kHeadOfProfession, "P2"}})}) {
    query.person_id = 3;
    auto routes = service_->BestRoutes(refused, query);
    ASSERT_FALSE(routes.ok());
    EXPECT_EQ(routes.error().code, ErrorCode::kNotFound);
  }
  // A missing person is not found either.
  query.person_id = 999;
  auto missing = service_->BestRoutes(As(std::nullopt, {{1, Role::kAdministrator, ""}}), query);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(EngineServiceTest, BadInputNamesTheField) {
  const Actor admin = As(std::nullopt, {{1, Role::kAdministrator, ""}});
  auto query = ProgrammingQuery();
  query.requirements = {{"no-such-item", 2, 1}};
  auto unknown = service_->Match(admin, query);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "requirements[0].item");
  query = ProgrammingQuery(0);
  auto k = service_->Match(admin, query);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().field, "k");
  query = ProgrammingQuery();
  query.requirements.clear();
  auto empty = service_->Match(admin, query);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().field, "requirements");
  query = ProgrammingQuery();
  query.filters.grade_min = domain::Grade::kG7;
  query.filters.grade_max = domain::Grade::kEO;
  auto contradictory = service_->Match(admin, query);
  ASSERT_FALSE(contradictory.ok());
  EXPECT_EQ(contradictory.error().field, "filters.grade_max");
  query = ProgrammingQuery();
  query.requirements.clear();
  query.role_level = "NO-SUCH-LEVEL";
  auto level = service_->Match(admin, query);
  ASSERT_FALSE(level.ok());
  EXPECT_EQ(level.error().field, "role_level");
}

std::vector<std::string> Codes(const RoleLevelSearch& found) {
  std::vector<std::string> codes;
  for (const auto& hit : found.hits) codes.push_back(hit.code);
  return codes;
}

TEST_F(EngineServiceTest, RoleLevelSearchFindsEveryWordBestFirst) {
  const Actor reader = As(3, {{1, Role::kIndividual, ""}});
  // A title's word, in any case: both developers, by code.
  auto developers = service_->SearchRoleLevels(reader, "DEVELOPER", 10);
  ASSERT_TRUE(developers.ok()) << developers.error().message;
  EXPECT_EQ(Codes(*developers), (std::vector<std::string>{"L1", "L2"}));
  EXPECT_EQ(developers->total, 2);
  EXPECT_EQ(developers->hits[0].title, "Junior developer");
  EXPECT_EQ(developers->hits[0].profession, "P1");
  // Every word must appear, in the code or the title.
  auto senior = service_->SearchRoleLevels(reader, "  developer   senior ", 10);
  ASSERT_TRUE(senior.ok());
  EXPECT_EQ(Codes(*senior), (std::vector<std::string>{"L2"}));
  // The code itself first, then titles that start with the search, then the rest.
  auto l3 = service_->SearchRoleLevels(reader, "l3", 10);
  ASSERT_TRUE(l3.ok());
  EXPECT_EQ(Codes(*l3), (std::vector<std::string>{"L3"}));
  auto l = service_->SearchRoleLevels(reader, "l", 10);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(Codes(*l), (std::vector<std::string>{"L1", "L2", "L3"}));
  auto an = service_->SearchRoleLevels(reader, "an", 10);
  ASSERT_TRUE(an.ok());
  EXPECT_EQ(Codes(*an), (std::vector<std::string>{"L3"}));  // "Analyst"; no other has "an"
  auto se = service_->SearchRoleLevels(reader, "se", 10);
  ASSERT_TRUE(se.ok());
  EXPECT_EQ(Codes(*se), (std::vector<std::string>{"L2"}));  // "Senior developer"
  // The limit cuts the list, not the count.
  auto one = service_->SearchRoleLevels(reader, "developer", 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(Codes(*one), (std::vector<std::string>{"L1"}));
  EXPECT_EQ(one->total, 2);
  auto none = service_->SearchRoleLevels(reader, "zzz", 10);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total, 0);
  EXPECT_TRUE(none->hits.empty());
}

TEST_F(EngineServiceTest, RoleLevelSearchRefusesBadQuestionsNamingTheField) {
  const Actor reader = As(3, {{1, Role::kIndividual, ""}});
  auto blank = service_->SearchRoleLevels(reader, "   ", 10, "target");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().field, "target");
  auto long_search = service_->SearchRoleLevels(reader, std::string(201, 'a'), 10);
  ASSERT_FALSE(long_search.ok());
  EXPECT_EQ(long_search.error().field, "q");
  for (const int limit : {0, kMaxRoleLevelHits + 1}) {
    auto bad = service_->SearchRoleLevels(reader, "dev", limit);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().field, "limit");
  }
  auto stranger = service_->SearchRoleLevels(Actor{}, "dev", 10);
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, ErrorCode::kNotFound);
}

TEST_F(EngineServiceTest, AWriteThatBumpsTheGenerationIsSeenByTheNextQuery) {
  const Actor admin = As(std::nullopt, {{1, Role::kAdministrator, ""}});
  engine::MatchQuery query;
  query.requirements = {{"i3", 4, 1}};  // Architecture: nobody is assessed yet
  auto before = service_->Match(admin, query);
  ASSERT_TRUE(before.ok()) << before.error().message;
  ASSERT_FALSE(before->result.entries.empty());
  EXPECT_EQ(before->result.entries.front().fit[0].has, 0);
  const std::int64_t generation = service_->loaded_generation();
  {
    // What `pathway import assessments` does in another process: append to the ledger
    // and bump the counter in the same transaction.
    auto db = std::move(store::Database::Open(pool_->path())).value();
    auto tx = std::move(store::Transaction::Begin(*db)).value();
    const domain::Assessment row{"E4", "i3", 5, domain::AssessorKind::kPanel, "2024-05-01", 1, ""};
    ASSERT_TRUE(store::AppendAssessments(*db, std::span(&row, 1)).ok());
    ASSERT_TRUE(store::BumpWorkforceGeneration(*db).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  auto after = service_->Match(admin, query);
  ASSERT_TRUE(after.ok()) << after.error().message;
  ASSERT_FALSE(after->result.entries.empty());
  EXPECT_EQ(after->result.entries.front().person_id, 4);
  EXPECT_EQ(after->result.entries.front().fit[0].has, 5);
  EXPECT_GT(service_->loaded_generation(), generation);
}

TEST_F(EngineServiceTest, AnUnchangedGenerationKeepsTheSameSnapshot) {
  const Actor admin = As(std::nullopt, {{1, Role::kAdministrator, ""}});
  auto first = service_->Match(admin, ProgrammingQuery());
  auto second = service_->Match(admin, ProgrammingQuery());
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->snapshot.get(), second->snapshot.get());
  {
    auto db = pool_->Acquire();
    ASSERT_TRUE(store::BumpWorkforceGeneration(*db).ok());
  }
  auto third = service_->Match(admin, ProgrammingQuery());
  ASSERT_TRUE(third.ok());
  EXPECT_NE(third->snapshot.get(), first->snapshot.get());
}

}  // namespace
}  // namespace pathway::app
