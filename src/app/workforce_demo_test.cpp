// The demo workforce against a real SQLite file: the shape of the Civil Service, and
// the same content for the same seed.
#include "app/workforce_demo.hpp"

#include <gtest/gtest.h>

#include "app/unit_of_work.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "app/clock.hpp"
#include "app/demo.hpp"
#include "app/identity.hpp"
#include "app/passwords.hpp"
#include "app/policy.hpp"
#include "app/throttle.hpp"
#include "domain/password_policy.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace pathway::app {
namespace {

constexpr std::int64_t kPeople = 3000;

std::filesystem::path Root() {
  const char* env = std::getenv("PATHWAY_SOURCE_DIR");
  return env != nullptr ? env : PATHWAY_SOURCE_DIR;
}

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(Root() / path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

WorkforceDemoFiles Files() {
  WorkforceDemoFiles files{Read("data/professions/professions.csv"),
                           {},
                           Read("data/frameworks/success-profiles-behaviours.csv"),
                           Read("data/names/first-names.txt"),
                           Read("data/names/last-names.txt")};
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(Root() / "data/professions")) {
    if (entry.path().extension() == ".csv" && entry.path().stem() != "professions") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    files.career_frameworks.emplace_back(path.stem().string(),
                                         Read(std::filesystem::relative(path, Root())));
  }
  return files;
}

// A demo database built the way `pathway demo` builds it, in a file of this process's
// own: ctest runs each test in its own process, two at a time.
class DemoDatabase {
 public:
  DemoDatabase(const std::string& name, std::uint64_t seed, std::int64_t people)
      : path_((std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name))
                  .string()) {
    Remove();
    {
      auto db = store::Database::Open(path_);
      EXPECT_TRUE(db.ok());
      EXPECT_TRUE(store::Migrate(**db).ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path_, 1)).value();
    authorizer_ =
        std::make_unique<Authorizer>(std::move(Policy::Parse(Read("policy/access.csv"))).value());
    // Cheap password hashes: the demo's passwords are not what these tests are about.
    kernel_ = std::make_unique<UnitOfWork>(*pool_, *authorizer_, clock_);
    identity_ =
        std::make_unique<IdentityService>(*kernel_, blocklist_, throttle_, SessionSettings{},
                                          PasswordHashCost{1, std::size_t{8} << 10});
    frameworks_ = std::make_unique<FrameworkService>(*kernel_);
    ShippedFrameworkFiles shipped{Read("data/frameworks/cscf-level5-sms1.txt"),
                                  Read("data/frameworks/cscf-level5-security-additions.csv"),
                                  Read("data/frameworks/success-profiles-behaviours.csv")};
    DemoOptions options;
    options.people = people;
    auto created = CreateDemo(*kernel_, *identity_, *frameworks_, shipped, Files(), seed, options);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
    if (created.ok()) sign_ins_ = *created;
  }
  ~DemoDatabase() {
    identity_.reset();
    frameworks_.reset();
    kernel_.reset();
    pool_.reset();
    Remove();
  }

  // Every row of `sql`, its `columns` columns joined by '|'.
  std::vector<std::string> Rows(const std::string& sql, int columns = 1) {
    auto db = pool_->Acquire();
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    std::vector<std::string> rows;
    if (!stmt.ok()) return rows;
    for (;;) {
      auto row = stmt->Step();
      if (!row.ok() || !*row) break;
      std::string text;
      for (int c = 0; c < columns; ++c) text += (c ? "|" : "") + stmt->ColumnText(c);
      rows.push_back(text);
    }
    return rows;
  }
  std::int64_t Count(const std::string& sql) {
    auto db = pool_->Acquire();
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    if (!stmt.ok() || !stmt->Step().ok()) return -1;
    return stmt->ColumnInt(0);
  }

  const std::vector<DemoSignIn>& sign_ins() const { return sign_ins_; }
  store::ConnectionPool& pool() { return *pool_; }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix);
    }
  }

  std::string path_;
  SystemClock clock_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
  domain::PasswordBlocklist blocklist_;
  SignInThrottle throttle_;
  std::unique_ptr<IdentityService> identity_;
  std::unique_ptr<FrameworkService> frameworks_;
  std::vector<DemoSignIn> sign_ins_;
};

class WorkforceDemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo_ = new DemoDatabase("pathway-workforce-demo.db", 7, kPeople);
  }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }
  static DemoDatabase* demo_;
};
DemoDatabase* WorkforceDemoTest::demo_ = nullptr;

TEST_F(WorkforceDemoTest, HasTheProfessionsAndRoleLevelsOfTheDesign) {
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM profession"), 29);
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM profession WHERE career_framework_id IS NULL"), 0);
  const auto levels = demo_->Count("SELECT COUNT(*) FROM role_level");
  EXPECT_GE(levels, 1800);
  EXPECT_LE(levels, 2400);
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM role_level WHERE id NOT IN "
                         "(SELECT role_level_id FROM role_requirement)"),
            0);
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM framework WHERE kind = 'career'"), 29);
  EXPECT_GE(demo_->Count("SELECT COUNT(*) FROM department"), 20);
  EXPECT_EQ(demo_->Count("SELECT COUNT(DISTINCT region) FROM location"), 13);
}

TEST_F(WorkforceDemoTest, EveryProfessionHasACommunityLedByItsMostSeniorMember) {
  EXPECT_EQ(demo_->Count("SELECT COUNT(DISTINCT profession_id) FROM profession_contact WHERE "
                         "kind = 'head_of_profession'"),
            demo_->Count("SELECT COUNT(DISTINCT profession) FROM person"));
  // A head of profession is in the profession, and nobody in it outranks them.
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM profession_contact c JOIN profession f ON f.id = "
                         "c.profession_id JOIN person h ON h.id = c.person_id WHERE c.kind = "
                         "'head_of_profession' AND (h.profession <> f.code OR EXISTS (SELECT 1 "
                         "FROM person o WHERE o.profession = f.code AND o.grade > h.grade))"),
            0);
  // Departmental heads work in the department they head the profession in.
  EXPECT_GT(demo_->Count("SELECT COUNT(*) FROM profession_contact WHERE kind = "
                         "'departmental_head'"),
            0);
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM profession_contact c JOIN person p ON p.id = "
                         "c.person_id JOIN department d ON d.id = c.department_id WHERE "
                         "p.department <> d.code"),
            0);
  // The demo head of profession heads the Policy profession.
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM profession_contact c JOIN profession f ON f.id = "
                         "c.profession_id JOIN person p ON p.id = c.person_id WHERE f.code = "
                         "'policy' AND c.kind = 'head_of_profession' AND p.external_id = "
                         "'HMRC-0001'"),
            1);
}

TEST_F(WorkforceDemoTest, GradeMixIsCloseToTheCivilServices) {
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM person"), kPeople);
  const std::map<std::string, double> expected{{"AA", 4},   {"AO", 22}, {"EO", 27}, {"HEO", 18},
                                               {"SEO", 12}, {"G7", 11}, {"G6", 5}};
  for (const auto& [grade, share] : expected) {
    const double actual = 100.0 *
                          static_cast<double>(demo_->Count(
                              "SELECT COUNT(*) FROM person p JOIN grade g ON g.rank = p.grade "
                              "WHERE g.code = '" +
                              grade + "'")) /
                          kPeople;
    EXPECT_NEAR(actual, share, 1.0) << grade;
  }
  const double scs =
      100.0 * static_cast<double>(demo_->Count("SELECT COUNT(*) FROM person WHERE grade >= 7")) /
      kPeople;
  EXPECT_NEAR(scs, 1.0, 0.5);
  const double london =
      100.0 *
      static_cast<double>(demo_->Count("SELECT COUNT(*) FROM person p JOIN location l ON l.id = "
                                       "p.location_id WHERE l.region = 'TLI'")) /
      kPeople;
  EXPECT_NEAR(london, 20.0, 6.0);
}

TEST_F(WorkforceDemoTest, LineManagementIsATreeWithRealisticSpans) {
  // Each department has one head; every chain ends there without a cycle.
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM person WHERE line_manager_id IS NULL"),
            demo_->Count("SELECT COUNT(*) FROM department"));
  EXPECT_EQ(demo_->Count("WITH RECURSIVE up(id, top, depth) AS ("
                         "  SELECT id, id, 0 FROM person WHERE line_manager_id IS NULL"
                         "  UNION ALL SELECT p.id, up.top, up.depth + 1 FROM person p"
                         "  JOIN up ON p.line_manager_id = up.id WHERE up.depth < 40)"
                         " SELECT COUNT(DISTINCT id) FROM up"),
            kPeople);
  // Managers are of a higher grade, except directors general under their head.
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM person p JOIN person m ON m.id = "
                         "p.line_manager_id WHERE m.grade <= p.grade AND NOT (p.grade = 9 AND "
                         "m.line_manager_id IS NULL)"),
            0);
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM person p JOIN person m ON m.id = "
                         "p.line_manager_id WHERE m.department <> p.department"),
            0);
  const auto spans = demo_->Rows(
      "SELECT MAX(n), AVG(n) FROM (SELECT COUNT(*) AS n FROM person WHERE line_manager_id IS "
      "NOT NULL GROUP BY line_manager_id)",
      2);
  ASSERT_EQ(spans.size(), 1U);
  const double max = std::stod(spans[0].substr(0, spans[0].find('|')));
  const double mean = std::stod(spans[0].substr(spans[0].find('|') + 1));
  EXPECT_LE(max, 12);
  EXPECT_GE(mean, 4.0);
  EXPECT_LE(mean, 10.0);
}

TEST_F(WorkforceDemoTest, PostsHaveClearancesAndSomeAreVacant) {
  const auto posts = demo_->Count("SELECT COUNT(*) FROM post");
  const auto vacant = demo_->Count(
      "SELECT COUNT(*) FROM post WHERE id NOT IN (SELECT post_id FROM person WHERE post_id IS NOT "
      "NULL)");
  EXPECT_NEAR(100.0 * static_cast<double>(vacant) / static_cast<double>(posts), 5.0, 1.5);
  EXPECT_GT(demo_->Count("SELECT COUNT(*) FROM post WHERE clearance = 'BPSS'"), posts / 2);
  EXPECT_GT(demo_->Count("SELECT COUNT(*) FROM post WHERE clearance = 'DV'"), 0);
  EXPECT_GT(demo_->Count("SELECT COUNT(*) FROM post WHERE critical = 1"), 0);
  // People hold at least the clearance their post needs unless it is pending, expired
  // or withdrawn.
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM person p JOIN post ON post.id = p.post_id WHERE "
                         "p.clearance_status = 'active' AND "
                         "instr('BPSS CTC  SC   DV', p.clearance_level) < "
                         "instr('BPSS CTC  SC   DV', post.clearance)"),
            0);
  // About nine in ten people belong to the profession of their post.
  const double matching =
      100.0 *
      static_cast<double>(demo_->Count(
          "SELECT COUNT(*) FROM person p JOIN post ON post.id = p.post_id JOIN role_level rl ON "
          "rl.id = post.role_level_id JOIN career_role r ON r.id = rl.role_id JOIN job_family f "
          "ON f.id = r.job_family_id JOIN profession pr ON pr.id = f.profession_id WHERE "
          "pr.code = p.profession")) /
      kPeople;
  EXPECT_NEAR(matching, 90.0, 4.0);
}

TEST_F(WorkforceDemoTest, EveryoneHasTwentyToFortyAssessedItems) {
  const auto range = demo_->Rows(
      "SELECT MIN(n), MAX(n) FROM (SELECT COUNT(DISTINCT item_ref_id) AS n FROM assessment "
      "GROUP BY person_id)",
      2);
  ASSERT_EQ(range.size(), 1U);
  EXPECT_EQ(range[0], "20|40");
  EXPECT_EQ(demo_->Count("SELECT COUNT(DISTINCT person_id) FROM assessment"), kPeople);
  const auto self = demo_->Count("SELECT COUNT(*) FROM assessment WHERE assessor = 'self'");
  const auto manager = demo_->Count("SELECT COUNT(*) FROM assessment WHERE assessor = 'manager'");
  const auto panel = demo_->Count("SELECT COUNT(*) FROM assessment WHERE assessor = 'panel'");
  EXPECT_GT(self, manager);
  EXPECT_GT(manager, panel);
  EXPECT_GT(panel, 0);
  // Levels rise with grade: senior people hold higher skill levels on average.
  const auto by_grade = demo_->Rows(
      "SELECT AVG(CASE WHEN p.grade <= 1 THEN a.level END), AVG(CASE WHEN p.grade BETWEEN 5 AND "
      "6 THEN a.level END) FROM assessment a JOIN person p ON p.id = a.person_id",
      2);
  ASSERT_EQ(by_grade.size(), 1U);
  EXPECT_LT(std::stod(by_grade[0].substr(0, by_grade[0].find('|'))),
            std::stod(by_grade[0].substr(by_grade[0].find('|') + 1)));
}

TEST_F(WorkforceDemoTest, DemoUsersHaveTheRelationshipsTheirRolesShow) {
  EXPECT_EQ(demo_->sign_ins().size(), 8U);
  // The cast keep row ids 1 to 12, and their names.
  EXPECT_EQ(demo_->Rows("SELECT display_name FROM person WHERE id = 3"),
            std::vector<std::string>{"Ben Okafor"});
  EXPECT_EQ(demo_->Rows("SELECT external_id FROM person WHERE id = 8"),
            std::vector<std::string>{"HMRC-0001"});
  // The line manager manages Ben and has at least three reports.
  EXPECT_EQ(demo_->Rows("SELECT m.external_id FROM person p JOIN person m ON m.id = "
                        "p.line_manager_id WHERE p.external_id = 'DWP-0003'"),
            std::vector<std::string>{"DWP-0002"});
  EXPECT_GE(demo_->Count("SELECT COUNT(*) FROM person WHERE line_manager_id = 2"), 3);
  // The countersigning manager is the line manager's own manager.
  EXPECT_EQ(demo_->Rows("SELECT p.external_id = m.external_id FROM app_user u JOIN person p ON "
                        "p.id = u.person_id, person c JOIN person m ON m.id = c.line_manager_id "
                        "WHERE u.email = 'countersigning.manager@demo.pathway.test' AND "
                        "c.external_id = 'DWP-0002'"),
            std::vector<std::string>{"1"});
  // Grace Hopper and Femi Adeyemi head their departments.
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM person WHERE external_id IN ('DWP-0001', "
                         "'HMRC-0001') AND line_manager_id IS NULL"),
            2);
  // The HR partner works in DWP, which has people; the head of profession is in Policy,
  // which has people; the vetting officer works in HMRC, in Security.
  EXPECT_EQ(demo_->Rows("SELECT department || ' ' || profession FROM person WHERE external_id "
                        "IN ('DWP-0007', 'HMRC-0001', 'HMRC-0005') ORDER BY external_id"),
            (std::vector<std::string>{"DWP human-resources", "HMRC policy", "HMRC security"}));
  EXPECT_GT(demo_->Count("SELECT COUNT(*) FROM person WHERE department = 'DWP'"), kPeople / 10);
  EXPECT_GT(demo_->Count("SELECT COUNT(*) FROM person WHERE profession = 'policy'"), 50);
  // Each person the users sign in as has a post and assessments.
  EXPECT_EQ(demo_->Count("SELECT COUNT(*) FROM app_user u JOIN person p ON p.id = u.person_id "
                         "WHERE p.post_id IS NOT NULL AND EXISTS (SELECT 1 FROM assessment a "
                         "WHERE a.person_id = p.id)"),
            7);
}

TEST(WorkforceDemo, TheSameSeedGivesTheSameContent) {
  const std::string content =
      "SELECT group_concat(x, ';') FROM (SELECT external_id || display_name || grade || "
      "location_id || post_id || IFNULL(line_manager_id, '') || clearance_level || "
      "clearance_granted || start_date AS x FROM person ORDER BY id)";
  const std::string assessments =
      "SELECT COUNT(*) || ':' || SUM(level * seq + item_ref_id * person_id) || ':' || "
      "SUM(length(assessed_on || assessor || evidence)) FROM assessment";
  std::vector<std::string> first;
  {
    DemoDatabase a("pathway-demo-seed-a.db", 11, 400);
    first = {a.Rows(content).at(0), a.Rows(assessments).at(0)};
  }
  {
    DemoDatabase b("pathway-demo-seed-b.db", 11, 400);
    EXPECT_EQ(b.Rows(content).at(0), first[0]);
    EXPECT_EQ(b.Rows(assessments).at(0), first[1]);
  }
  {
    DemoDatabase c("pathway-demo-seed-c.db", 12, 400);
    EXPECT_NE(c.Rows(content).at(0), first[0]);
  }
}

}  // namespace
}  // namespace pathway::app
