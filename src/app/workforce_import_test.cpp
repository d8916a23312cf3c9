// The workforce import use case against a real SQLite file: all or nothing,
// idempotent upserts, references checked against the file and the database.
#include "app/workforce_import.hpp"

#include <gtest/gtest.h>

#include "app/unit_of_work.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "store/database.hpp"
#include "store/migrations.hpp"

namespace pathway::app {
namespace {

using interchange::WorkforceFileKind;

std::string SourceDir() {
  const char* dir = std::getenv("PATHWAY_SOURCE_DIR");
  return dir != nullptr ? dir : PATHWAY_SOURCE_DIR;
}

std::string Read(const std::string& relative) {
  std::ifstream in(SourceDir() + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr std::string_view kCareerItem = "0b6d1f53-2a4e-4c1e-9d3b-7a5e8f2c1d40";

std::string Org() {
  return std::string(interchange::kOrgCsvHeader) +
         "\n"
         "department,DWP,Department for Work and Pensions,,,\n"
         "unit,DIG,Digital,DWP,,\n"
         "unit,DIG-A,Digital team A,DWP,DIG,\n"
         "location,LDS,Leeds,,,TLE\n";
}

std::string Roles() {
  return std::string(interchange::kRolesCsvHeader) + "\n" +
         "ddat,Digital Data and Technology,DDaT skills,software,Software development,dev,"
         "Developer,dev-1,Junior developer,1,EO,HEO,skill,Programming,2,3\n"
         "ddat,,,software,,dev,,dev-1,,,,,skill," +
         std::string(kCareerItem) +
         ",1,\n"
         "ddat,,,software,,dev,,dev-1,,,,,behaviour,Working Together,2,\n"
         "ddat,,,software,,dev,,dev-2,Developer,2,SEO,G7,qualification,A degree,,\n"
         "policy,Policy,,,,,,,,,,,,,,\n";
}

std::string Posts(int count) {
  std::string text(interchange::kPostsCsvHeader);
  text += "\n";
  for (int i = 0; i < count; ++i) text += fmt::format("P{},dev-1,DIG-A,LDS,HEO,SC,no\n", i);
  return text;
}

// People E0..E(count-1): E0 heads the chain, each reports to the one before.
std::string People(int count, std::string_view last_row = {}) {
  std::string text(interchange::kPeopleCsvHeader);
  text += "\n";
  for (int i = 0; i < count; ++i) {
    text += fmt::format(
        "E{},Person {},HEO,DWP,LDS,ddat,policy,{},{},SC,active,2020-01-01,,"
        "2019-09-02\n",
        i, i, i < 5 ? fmt::format("P{}", i) : "", i == 0 ? "" : fmt::format("E{}", i - 1));
  }
  text += last_row;
  return text;
}

class WorkforceImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("pathway-wfi-{}-{}", getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string path = (dir_ / "t.db").string();
    {
      auto db = store::Database::Open(path);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(store::Migrate(**db).ok());
      // A career framework with two skills, and a published behaviours framework.
      ASSERT_TRUE((*db)
                      ->Execute(fmt::format(R"sql(
        INSERT INTO framework (id, kind) VALUES ('career-1', 'career'), ('beh-1', 'behaviours');
        INSERT INTO framework_version (framework_id, version, title, description)
          VALUES ('career-1', 1, 'DDaT skills', ''), ('beh-1', 1, 'Behaviours', '');
        INSERT INTO fw_cluster VALUES ('career-1', 1, 'c1', 1, 'Skills', '', ''),
                                      ('beh-1', 1, 'c2', 1, 'Behaviours', '', '');
        INSERT INTO fw_item VALUES ('career-1', 1, 'skill-programming', 'c1', 1, 1,
                                    'Programming', ''),
                                   ('career-1', 1, '{}', 'c1', 2, 2, 'Testing', ''),
                                   ('beh-1', 1, 'beh-working-together', 'c2', 1, 1,
                                    'Working Together', '');
        UPDATE framework_version SET status = 'published' WHERE framework_id = 'beh-1';
      )sql",
                                            kCareerItem))
                      .ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path, 2)).value();
    authorizer_ =
        std::make_unique<Authorizer>(std::move(Policy::Parse(Read("policy/access.csv"))).value());
    kernel_ = std::make_unique<UnitOfWork>(*pool_, *authorizer_, clock_);
    service_ = std::make_unique<WorkforceImportService>(*kernel_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  WorkforceImportReport Import(WorkforceFileKind kind, const std::string& text) {
    auto report = service_->Import(Actor::System(), kind, text, "test.csv");
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message);
    return report.ok() ? *report : WorkforceImportReport{};
  }
  void ImportOk(WorkforceFileKind kind, const std::string& text) {
    auto report = Import(kind, text);
    ASSERT_TRUE(report.ok()) << Describe(report);
  }
  static std::string Describe(const WorkforceImportReport& report) {
    std::string text;
    for (const auto& p : report.problems) text += interchange::FormatImportProblem(p) + "\n";
    return text;
  }
  static bool Has(const WorkforceImportReport& report, int line, int column,
                  std::string_view words) {
    for (const auto& p : report.problems) {
      if (p.line == line && p.column == column && p.message.find(words) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
  std::int64_t Count(std::string_view sql) {
    auto db = pool_->Acquire();
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(*stmt->Step());
    return stmt->ColumnInt(0);
  }
  std::string Text(std::string_view sql) {
    auto db = pool_->Acquire();
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(*stmt->Step());
    return stmt->ColumnText(0);
  }
  void ImportAllButPeople(int posts = 5) {
    ImportOk(WorkforceFileKind::kOrg, Org());
    ImportOk(WorkforceFileKind::kRoles, Roles());
    ImportOk(WorkforceFileKind::kPosts, Posts(posts));
  }

  std::filesystem::path dir_;
  ManualClock clock_{1'800'000'000};
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
  std::unique_ptr<WorkforceImportService> service_;
};

TEST_F(WorkforceImportTest, ImportsEveryKindAndReimportsIdempotently) {
  ImportAllButPeople();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM unit WHERE parent_id IS NOT NULL"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM role_requirement"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM role_statement"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM profession WHERE career_framework_id = 'career-1'"), 1);
  auto people = Import(WorkforceFileKind::kPeople, People(20));
  ASSERT_TRUE(people.ok()) << Describe(people);
  ASSERT_EQ(people.counts.size(), 1u);
  EXPECT_EQ(people.counts[0].inserted, 20);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person WHERE line_manager_id IS NOT NULL"), 19);

  for (auto [kind, text] :
       {std::pair{WorkforceFileKind::kOrg, Org()}, std::pair{WorkforceFileKind::kRoles, Roles()},
        std::pair{WorkforceFileKind::kPosts, Posts(5)},
        std::pair{WorkforceFileKind::kPeople, People(20)}}) {
    auto again = Import(kind, text);
    ASSERT_TRUE(again.ok()) << Describe(again);
    for (const auto& count : again.counts) {
      EXPECT_EQ(count.inserted, 0) << count.what;
      if (count.what == "people") {
        // People already stored as the file has them are told apart, and not written.
        EXPECT_EQ(count.updated, 0);
        EXPECT_EQ(count.unchanged, 20);
      } else {
        EXPECT_GT(count.updated, 0) << count.what;
      }
    }
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person"), 20);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM role_requirement"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action = 'workforce.import' AND "
                  "outcome = 'success'"),
            8);
}

TEST_F(WorkforceImportTest, ReimportCountsChangedAndUnchangedPeopleApart) {
  ImportAllButPeople();
  ImportOk(WorkforceFileKind::kPeople, People(20));
  std::string text = People(20);
  const auto change = [&](std::string_view from, std::string_view to) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  // E3 is renamed, E7 gets a new line manager and E9 loses the policy profession.
  change("E3,Person 3,", "E3,Person Three,");
  change("E7,Person 7,HEO,DWP,LDS,ddat,policy,,E6,", "E7,Person 7,HEO,DWP,LDS,ddat,policy,,E0,");
  change("E9,Person 9,HEO,DWP,LDS,ddat,policy,", "E9,Person 9,HEO,DWP,LDS,ddat,,");
  const auto before = Count("SELECT generation FROM workforce_change");
  auto report = Import(WorkforceFileKind::kPeople, text);
  ASSERT_TRUE(report.ok()) << Describe(report);
  // The change log names exactly the three changed people, so servers reload only them.
  EXPECT_EQ(Text("SELECT group_concat(external_id, ',') FROM (SELECT p.external_id FROM "
                 "workforce_change_log l JOIN person p ON p.id = l.person_id WHERE "
                 "l.generation > " +
                 std::to_string(before) + " ORDER BY p.external_id)"),
            "E3,E7,E9");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM workforce_change_log WHERE person_id IS NULL AND "
                  "generation > " +
                  std::to_string(before)),
            0);
  // Importing the same file again changes nobody: the generation stays.
  const auto after = Count("SELECT generation FROM workforce_change");
  ASSERT_TRUE(Import(WorkforceFileKind::kPeople, text).ok());
  EXPECT_EQ(Count("SELECT generation FROM workforce_change"), after);
  ASSERT_EQ(report.counts.size(), 1u);
  EXPECT_EQ(report.counts[0].inserted, 0);
  EXPECT_EQ(report.counts[0].updated, 3);
  EXPECT_EQ(report.counts[0].unchanged, 17);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person WHERE display_name = 'Person Three'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person p JOIN person m ON m.id = p.line_manager_id "
                  "WHERE p.external_id = 'E7' AND m.external_id = 'E0'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person_profession"), 19);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action = 'workforce.import' AND "
                  "detail LIKE '%people 0 inserted, 3 updated, 17 unchanged%'"),
            1);
}

TEST_F(WorkforceImportTest, AnImportMovesTheWorkforceGenerationARefusalDoesNot) {
  const auto start = Count("SELECT generation FROM workforce_change");
  ImportAllButPeople();
  EXPECT_EQ(Count("SELECT generation FROM workforce_change"), start + 3);
  auto refused = Import(WorkforceFileKind::kPeople,
                        People(3, "BAD,Bad,HEO,NOPE,LDS,ddat,,,,,,,,2019-09-02\n"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(Count("SELECT generation FROM workforce_change"), start + 3);
}

TEST_F(WorkforceImportTest, ARefusedFileWritesNothing) {
  ImportAllButPeople();
  auto report = Import(WorkforceFileKind::kPeople,
                       People(10, "BAD,Bad,HEO,NOPE,LDS,ddat,,,,,,,,2019-09-02\n"));
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(Has(report, 12, 4, "no department ‘NOPE’")) << Describe(report);
  EXPECT_TRUE(report.counts.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action = 'workforce.import' AND "
                  "outcome = 'failure'"),
            1);
}

TEST_F(WorkforceImportTest, RefusesTheWholeFileWhenOnlyTheLastRowIsBad) {
  ImportAllButPeople();
  constexpr int kRows = 5000;
  auto report = Import(WorkforceFileKind::kPeople,
                       People(kRows - 1, "LAST,Last,HEO,DWP,LDS,ddat,,,GHOST,,,,,2019-09-02\n"));
  ASSERT_FALSE(report.ok());
  ASSERT_EQ(report.problems.size(), 1u) << Describe(report);
  EXPECT_TRUE(Has(report, kRows + 1, 9, "‘GHOST’")) << Describe(report);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person"), 0);
}

TEST_F(WorkforceImportTest, RefusesLineManagementLoops) {
  ImportAllButPeople();
  std::string text(interchange::kPeopleCsvHeader);
  text +=
      "\nA,A,HEO,DWP,LDS,ddat,,,C,,,,,2019-09-02\n"
      "B,B,HEO,DWP,LDS,ddat,,,A,,,,,2019-09-02\n"
      "C,C,HEO,DWP,LDS,ddat,,,B,,,,,2019-09-02\n"
      "D,D,HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\n";
  auto report = Import(WorkforceFileKind::kPeople, text);
  ASSERT_FALSE(report.ok());
  ASSERT_EQ(report.problems.size(), 1u) << Describe(report);
  EXPECT_TRUE(Has(report, 2, 9, "A → C → B → A")) << Describe(report);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person"), 0);
}

TEST_F(WorkforceImportTest, RefusesALoopThroughStoredPeople) {
  ImportAllButPeople();
  ImportOk(WorkforceFileKind::kPeople, People(3));  // E0 <- E1 <- E2
  std::string text(interchange::kPeopleCsvHeader);
  text +=
      "\nE0,Boss,HEO,DWP,LDS,ddat,,P0,NEW,,,,,2019-09-02\n"
      "NEW,New,HEO,DWP,LDS,ddat,,,E2,,,,,2019-09-02\n";
  auto report = Import(WorkforceFileKind::kPeople, text);
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(Has(report, 2, 9, "E0 → NEW → E2 → E1 → E0")) << Describe(report);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person"), 3);
}

TEST_F(WorkforceImportTest, RefusesAPostHeldBySomeoneElse) {
  ImportAllButPeople();
  ImportOk(WorkforceFileKind::kPeople, People(3));  // E0 holds P0
  std::string text(interchange::kPeopleCsvHeader);
  text += "\nNEW,New,HEO,DWP,LDS,ddat,,P0,,,,,,2019-09-02\n";
  auto report = Import(WorkforceFileKind::kPeople, text);
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(Has(report, 2, 8, "held by ‘E0’")) << Describe(report);

  // Moving E0 to another post in the same file frees P0.
  text += "E0,Person 0,HEO,DWP,LDS,ddat,,P4,,SC,active,2020-01-01,,2019-09-02\n";
  ImportOk(WorkforceFileKind::kPeople, text);
}

TEST_F(WorkforceImportTest, ChecksReferencesOfOrgRolesAndPosts) {
  std::string org(interchange::kOrgCsvHeader);
  org +=
      "\nunit,U1,U1,NOPE,,\n"
      "department,D,D,,,\n"
      "unit,U2,U2,D,U3,\n"
      "unit,U3,U3,D,U2,\n"
      "unit,U4,U4,D,MISSING,\n";
  auto refused = Import(WorkforceFileKind::kOrg, org);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Has(refused, 2, 4, "no department ‘NOPE’")) << Describe(refused);
  EXPECT_TRUE(Has(refused, 4, 5, "U2 → U3 → U2")) << Describe(refused);
  EXPECT_TRUE(Has(refused, 6, 5, "no unit ‘MISSING’")) << Describe(refused);

  std::string roles(interchange::kRolesCsvHeader);
  roles +=
      "\nddat,DDaT,No such framework,software,S,dev,Dev,dev-1,Junior,1,EO,HEO,,,,\n"
      "ops,Ops,DDaT skills,ops,Ops,op,Op,op-1,Op,1,EO,EO,skill,Juggling,1,\n"
      "ops,,,ops,,op,,op-1,,,,,behaviour,Flying,1,\n";
  auto bad_roles = Import(WorkforceFileKind::kRoles, roles);
  ASSERT_FALSE(bad_roles.ok());
  EXPECT_TRUE(Has(bad_roles, 2, 3, "no career framework")) << Describe(bad_roles);
  EXPECT_TRUE(Has(bad_roles, 3, 14, "no skill ‘Juggling’")) << Describe(bad_roles);
  EXPECT_TRUE(Has(bad_roles, 4, 14, "no behaviour ‘Flying’")) << Describe(bad_roles);

  auto posts = Import(WorkforceFileKind::kPosts, Posts(1));
  ASSERT_FALSE(posts.ok());
  EXPECT_TRUE(Has(posts, 2, 2, "Import the roles file first")) << Describe(posts);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM department"), 0);
}

TEST_F(WorkforceImportTest, OnlyAdminsImport) {
  Actor someone;
  someone.kind = Actor::Kind::kUser;
  someone.user_id = 7;
  someone.email = "someone@example.gov.uk";
  someone.grants.push_back({1, domain::Role::kIndividual, ""});
  auto report = service_->Import(someone, WorkforceFileKind::kOrg, Org(), "org.csv");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, domain::ErrorCode::kForbidden);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM department"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE outcome = 'refused'"), 1);
}

TEST_F(WorkforceImportTest, ReportsProgress) {
  ImportAllButPeople();
  std::vector<std::string> stages;
  WorkforceImportOptions options;
  options.progress = [&](std::string_view stage, std::int64_t done, std::int64_t total) {
    if (done == total && (stages.empty() || stages.back() != stage)) stages.emplace_back(stage);
  };
  auto report =
      service_->Import(Actor::System(), WorkforceFileKind::kPeople, People(30), "p.csv", options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(stages, (std::vector<std::string>{"Reading", "Checking", "Writing"}));
}

}  // namespace
}  // namespace pathway::app
