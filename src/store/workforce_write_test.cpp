// The workforce writers against a real SQLite file in a temporary folder.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/workforce_lookup.hpp"
#include "store/workforce_write.hpp"

namespace pathway::store {
namespace {

using domain::Grade;

class WorkforceWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pathway-workforce-write-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = Database::Open((dir_ / "test.db").string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    auto migrated = Migrate(*db_);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::int64_t Count(std::string_view sql) {
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << (stmt.ok() ? "" : stmt.error().message);
    EXPECT_TRUE(*stmt->Step());
    return stmt->ColumnInt(0);
  }
  std::string Text(std::string_view sql) {
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << (stmt.ok() ? "" : stmt.error().message);
    EXPECT_TRUE(*stmt->Step());
    return stmt->ColumnIsNull(0) ? "NULL" : stmt->ColumnText(0);
  }

  // One department, unit and location, and a profession with one role level and one
  // post per person to come.
  void SeedOrganisation(int posts = 0) {
    std::vector<domain::Department> departments{{"DWP", "Department for Work and Pensions"}};
    ASSERT_TRUE(UpsertDepartments(*db_, departments).ok());
    std::vector<domain::Unit> units{{"DWP-DIG", "Digital", "DWP", ""}};
    ASSERT_TRUE(UpsertUnits(*db_, units).ok());
    std::vector<domain::Location> locations{{"LDS", "Leeds", "TLE"}};
    ASSERT_TRUE(UpsertLocations(*db_, locations).ok());
    std::vector<domain::Profession> professions{{"ddat", "DDaT", "", "", ""},
                                                {"policy", "Policy", "", "", ""}};
    ASSERT_TRUE(UpsertProfessions(*db_, professions).ok());
    std::vector<domain::JobFamily> families{{"software", "Software development", "ddat"}};
    ASSERT_TRUE(UpsertJobFamilies(*db_, families).ok());
    std::vector<domain::CareerRole> roles{{"dev", "Developer", "", "software"}};
    ASSERT_TRUE(UpsertCareerRoles(*db_, roles).ok());
    domain::RoleLevel level;
    level.code = "dev-senior";
    level.title = "Senior developer";
    level.role = "dev";
    level.position = 2;
    level.grade_min = Grade::kSEO;
    level.grade_max = Grade::kG7;
    std::vector<domain::RoleLevel> levels{level};
    ASSERT_TRUE(UpsertRoleLevels(*db_, levels).ok());
    std::vector<domain::Post> post_rows;
    for (int i = 0; i < posts; ++i) {
      post_rows.push_back({"P" + std::to_string(i), "dev-senior", "DWP-DIG", "LDS", Grade::kSEO,
                           domain::Clearance::kSC, false});
    }
    ASSERT_TRUE(UpsertPosts(*db_, post_rows).ok());
  }

  static domain::Person Person(std::string id, std::string manager = "") {
    domain::Person p;
    p.external_id = std::move(id);
    p.name = "Person " + p.external_id;
    p.grade = Grade::kHEO;
    p.department = "DWP";
    p.location = "LDS";
    p.profession = "ddat";
    p.line_manager = std::move(manager);
    p.start_date = "2020-01-31";
    return p;
  }

  // The person table's indexes, by name with their SQL.
  std::string PersonIndexes() {
    auto stmt = db_->Prepare(
        "SELECT group_concat(name || ': ' || COALESCE(sql, ''), '\n') FROM (SELECT name, sql "
        "FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'person' ORDER BY name)");
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(*stmt->Step());
    return stmt->ColumnText(0);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(WorkforceWriteTest, UpsertsTheOrganisationByCode) {
  std::vector<domain::Department> departments{{"DWP", "Work and Pensions"}, {"HMRC", "HMRC"}};
  auto first = UpsertDepartments(*db_, departments);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->inserted, 2);
  EXPECT_EQ(first->updated, 0);
  departments[0].name = "Department for Work and Pensions";
  auto second = UpsertDepartments(*db_, departments);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->updated, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM department"), 2);
  EXPECT_EQ(Text("SELECT name FROM department WHERE code = 'DWP'"),
            "Department for Work and Pensions");
}

TEST_F(WorkforceWriteTest, UnitsMayNameAParentLaterInTheRows) {
  std::vector<domain::Department> departments{{"DWP", "DWP"}};
  ASSERT_TRUE(UpsertDepartments(*db_, departments).ok());
  std::vector<domain::Unit> units{{"TEAM", "Team", "DWP", "DIR"},
                                  {"DIR", "Directorate", "DWP", ""}};
  auto result = UpsertUnits(*db_, units);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(Text("SELECT p.code FROM unit u JOIN unit p ON p.id = u.parent_id "
                 "WHERE u.code = 'TEAM'"),
            "DIR");
}

TEST_F(WorkforceWriteTest, RefusesAUnitInsideItself) {
  std::vector<domain::Department> departments{{"DWP", "DWP"}};
  ASSERT_TRUE(UpsertDepartments(*db_, departments).ok());
  std::vector<domain::Unit> units{{"A", "A", "DWP", "B"}, {"B", "B", "DWP", "A"}};
  auto result = UpsertUnits(*db_, units);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, domain::ErrorCode::kInvalidInput);
  EXPECT_EQ(result.error().field, "rows[0].parent_unit");
}

TEST_F(WorkforceWriteTest, UnknownCodeNamesTheRowAndColumn) {
  std::vector<domain::Unit> units{{"A", "A", "NOPE", ""}};
  auto result = UpsertUnits(*db_, units);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, domain::ErrorCode::kInvalidInput);
  EXPECT_EQ(result.error().field, "rows[0].department");
  EXPECT_NE(result.error().message.find("NOPE"), std::string::npos);

  std::vector<domain::Location> locations{{"X", "X", "Atlantis"}};
  auto location = UpsertLocations(*db_, locations);
  ASSERT_FALSE(location.ok());
  EXPECT_EQ(location.error().field, "rows[0].region");
}

TEST_F(WorkforceWriteTest, LocationsAcceptARegionByName) {
  std::vector<domain::Location> locations{{"LDN", "London office", "london"}};
  ASSERT_TRUE(UpsertLocations(*db_, locations).ok());
  EXPECT_EQ(Text("SELECT region FROM location WHERE code = 'LDN'"), "TLI");
}

TEST_F(WorkforceWriteTest, RoleLevelsReplaceTheirRequirements) {
  SeedOrganisation();
  ASSERT_TRUE(db_->Execute(R"sql(
    INSERT INTO framework (id, kind) VALUES ('fw-1', 'career');
    INSERT INTO framework_version (framework_id, version, title, description)
      VALUES ('fw-1', 1, 'DDaT', '');
    INSERT INTO fw_cluster VALUES ('fw-1', 1, 'c1', 1, 'Skills', '', '');
    INSERT INTO fw_item VALUES ('fw-1', 1, 'item-a', 'c1', 1, 1, 'Testing', '');
    INSERT INTO fw_item VALUES ('fw-1', 1, 'item-b', 'c1', 2, 2, 'Coding', '');
  )sql")
                  .ok());
  domain::RoleLevel level;
  level.code = "dev-senior";
  level.title = "Senior developer";
  level.role = "dev";
  level.position = 2;
  level.grade_min = Grade::kSEO;
  level.grade_max = Grade::kG7;
  level.requirements = {{"item-a", 3, 2}, {"item-b", 2, 1}};
  level.experience = {"Led a team"};
  level.qualifications = {"A degree", "A certificate"};
  std::vector<domain::RoleLevel> levels{level};
  auto first = UpsertRoleLevels(*db_, levels);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->updated, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM role_requirement"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM role_statement"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM item_ref"), 2);

  levels[0].requirements = {{"item-b", 4, 5}};
  levels[0].qualifications.clear();
  ASSERT_TRUE(UpsertRoleLevels(*db_, levels).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM role_requirement"), 1);
  EXPECT_EQ(Count("SELECT level FROM role_requirement"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM role_statement"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM item_ref"), 2);

  levels[0].requirements = {{"no-such-item", 1, 1}};
  auto bad = UpsertRoleLevels(*db_, levels);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "rows[0].requirements[0].item_id");
}

TEST_F(WorkforceWriteTest, PostsUpsertByExternalIdAndReportProgress) {
  SeedOrganisation(25);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM post"), 25);
  std::vector<domain::Post> posts{
      {"P3", "dev-senior", "DWP-DIG", "LDS", Grade::kG7, domain::Clearance::kDV, true},
      {"NEW", "dev-senior", "DWP-DIG", "LDS", Grade::kSEO, domain::Clearance::kBPSS, false}};
  std::vector<std::int64_t> reports;
  WriteProgress progress{1, [&](std::int64_t written) { reports.push_back(written); }};
  auto result = UpsertPosts(*db_, posts, progress);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->inserted, 1);
  EXPECT_EQ(result->updated, 1);
  EXPECT_EQ(Text("SELECT clearance FROM post WHERE external_id = 'P3'"), "DV");
  EXPECT_EQ(Count("SELECT grade FROM post WHERE external_id = 'P3'"), static_cast<int>(Grade::kG7));
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back(), 2);
}

TEST_F(WorkforceWriteTest, PeopleMayNameAManagerLaterInTheRows) {
  SeedOrganisation(3);
  std::vector<domain::Person> people{Person("E1", "E2"), Person("E2", "E3"), Person("E3")};
  people[0].post = "P0";
  people[0].other_professions = {"policy"};
  people[0].clearance = domain::PersonClearance{domain::Clearance::kSC,
                                                domain::ClearanceStatus::kActive, "2021-05-01", ""};
  auto result = UpsertPeople(*db_, people);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->inserted, 3);
  EXPECT_EQ(Text("SELECT m.external_id FROM person p JOIN person m ON m.id = p.line_manager_id "
                 "WHERE p.external_id = 'E1'"),
            "E2");
  EXPECT_EQ(Text("SELECT line_manager_id FROM person WHERE external_id = 'E3'"), "NULL");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person_profession"), 1);
  EXPECT_EQ(Text("SELECT clearance_level FROM person WHERE external_id = 'E1'"), "SC");
  EXPECT_EQ(Text("SELECT clearance_review_due FROM person WHERE external_id = 'E1'"), "NULL");

  auto again = UpsertPeople(*db_, people);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person_profession"), 1);
}

TEST_F(WorkforceWriteTest, RefusesALineManagementCycleInTheRows) {
  SeedOrganisation();
  std::vector<domain::Person> people{Person("A", "B"), Person("B", "C"), Person("C", "A")};
  auto result = UpsertPeople(*db_, people);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, domain::ErrorCode::kInvalidInput);
  EXPECT_NE(result.error().message.find("loop"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person"), 0);
}

TEST_F(WorkforceWriteTest, RefusesACycleThroughStoredPeople) {
  SeedOrganisation();
  std::vector<domain::Person> stored{Person("BOSS"), Person("MID", "BOSS")};
  ASSERT_TRUE(UpsertPeople(*db_, stored).ok());
  // BOSS now reports to a newcomer who reports to MID, who reports to BOSS.
  std::vector<domain::Person> people{Person("BOSS", "NEW"), Person("NEW", "MID")};
  auto result = UpsertPeople(*db_, people);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("MID"), std::string::npos) << result.error().message;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person"), 2);
}

TEST_F(WorkforceWriteTest, RefusesAPersonWhoManagesThemself) {
  SeedOrganisation();
  std::vector<domain::Person> people{Person("A", "A")};
  auto result = UpsertPeople(*db_, people);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().field, "rows[0].line_manager");
}

TEST_F(WorkforceWriteTest, RefusesUnknownManagerAndDuplicateIds) {
  SeedOrganisation();
  std::vector<domain::Person> unknown{Person("A", "GHOST")};
  auto result = UpsertPeople(*db_, unknown);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().field, "rows[0].line_manager");
  std::vector<domain::Person> twice{Person("A"), Person("A")};
  auto duplicate = UpsertPeople(*db_, twice);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().field, "rows[1].external_id");
}

TEST_F(WorkforceWriteTest, PostsMayChangeHandsWithinOneUpsert) {
  SeedOrganisation(2);
  std::vector<domain::Person> people{Person("A"), Person("B")};
  people[0].post = "P0";
  people[1].post = "P1";
  ASSERT_TRUE(UpsertPeople(*db_, people).ok());
  std::swap(people[0].post, people[1].post);
  auto swapped = UpsertPeople(*db_, people);
  ASSERT_TRUE(swapped.ok()) << swapped.error().message;
  EXPECT_EQ(Text("SELECT p.external_id FROM person JOIN post p ON p.id = person.post_id "
                 "WHERE person.external_id = 'A'"),
            "P1");

  std::vector<domain::Person> clash{Person("C")};
  clash[0].post = "P0";
  auto result = UpsertPeople(*db_, clash);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().field, "rows[0].post");
}

TEST_F(WorkforceWriteTest, WritesManyPeopleWithinTheCallersTransaction) {
  SeedOrganisation();
  std::vector<domain::Person> people;
  for (int i = 0; i < 5000; ++i) {
    // Managers come after their reports, so most need the second pass.
    people.push_back(
        Person("E" + std::to_string(i), i + 1 < 5000 ? "E" + std::to_string(i + 1) : ""));
  }
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    auto result = UpsertPeople(*db_, people);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->inserted, 5000);
    // Not committed: rolled back at the end of the scope.
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person"), 0);
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  auto result = UpsertPeople(*db_, people);
  ASSERT_TRUE(result.ok());
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person WHERE line_manager_id IS NOT NULL"), 4999);
}

TEST_F(WorkforceWriteTest, WritesOnlyWhatChangedAndCountsTheRestUnchanged) {
  SeedOrganisation(3);
  std::vector<domain::Person> people{Person("A"), Person("B", "A"), Person("C", "A"),
                                     Person("D", "B")};
  people[1].other_professions = {"policy"};
  people[2].post = "P2";
  people[2].clearance = domain::PersonClearance{domain::Clearance::kSC,
                                                domain::ClearanceStatus::kActive, "2021-05-01", ""};
  ASSERT_TRUE(UpsertPeople(*db_, people).ok());
  auto same = UpsertPeople(*db_, people);
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_EQ(same->updated, 0);
  EXPECT_EQ(same->unchanged, 4);

  // A stored clearance changes only through a vetting case's decision: refused, naming
  // the row and column, and nothing is written.
  people[0].name = "Ada";
  people[2].clearance->review_due = "2026-05-01";
  auto refused = UpsertPeople(*db_, people);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "rows[2].clearance_review_due");
  people[2].clearance->review_due = "";

  people[1].other_professions.clear();  // only the other professions
  people[3].line_manager = "C";         // the line manager
  auto changed = UpsertPeople(*db_, people);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(changed->inserted, 0);
  EXPECT_EQ(changed->updated, 3);
  EXPECT_EQ(changed->unchanged, 1);
  EXPECT_EQ(Text("SELECT display_name FROM person WHERE external_id = 'A'"), "Ada");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person_profession"), 0);
  EXPECT_EQ(Text("SELECT clearance_granted FROM person WHERE external_id = 'C'"), "2021-05-01");
  EXPECT_EQ(Text("SELECT p.external_id FROM person JOIN post p ON p.id = person.post_id "
                 "WHERE person.external_id = 'C'"),
            "P2");
  EXPECT_EQ(Text("SELECT m.external_id FROM person p JOIN person m ON m.id = p.line_manager_id "
                 "WHERE p.external_id = 'D'"),
            "C");

  // Back again, and a profession added beside one kept.
  people[1].other_professions = {"policy"};
  people[2].post.clear();
  auto back = UpsertPeople(*db_, people);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->updated, 2);
  EXPECT_EQ(back->unchanged, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person_profession"), 1);
  EXPECT_EQ(Text("SELECT clearance_level FROM person WHERE external_id = 'C'"), "SC");
  EXPECT_EQ(Text("SELECT post_id FROM person WHERE external_id = 'C'"), "NULL");
}

TEST_F(WorkforceWriteTest, ALargeWriteLeavesThePersonIndexesAsTheyWere) {
  SeedOrganisation();
  const std::string before = PersonIndexes();
  ASSERT_NE(before.find("person_by_name"), std::string::npos);
  std::vector<domain::Person> people;
  for (int i = 0; i < 3000; ++i) {
    people.push_back(Person("E" + std::to_string(i), i == 0 ? "" : "E0"));
  }
  auto first = UpsertPeople(*db_, people);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->inserted, 3000);
  EXPECT_EQ(PersonIndexes(), before);
  // A quarter of the table changed: written without the indexes too.
  for (int i = 0; i < 1000; ++i) people[static_cast<std::size_t>(i)].name = "Renamed";
  auto second = UpsertPeople(*db_, people);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->updated, 1000);
  EXPECT_EQ(second->unchanged, 2000);
  EXPECT_EQ(PersonIndexes(), before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person INDEXED BY person_by_name "
                  "WHERE display_name = 'Renamed'"),
            1000);
  auto check = db_->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  ASSERT_TRUE(*check->Step());
  EXPECT_EQ(check->ColumnText(0), "ok");
}

TEST_F(WorkforceWriteTest, AFailureAfterTheIndexesAreDroppedWritesNothing) {
  SeedOrganisation(1);
  std::vector<domain::Person> stored{Person("HOLDER")};
  stored[0].post = "P0";
  ASSERT_TRUE(UpsertPeople(*db_, stored).ok());
  const std::string before = PersonIndexes();
  std::vector<domain::Person> people;
  for (int i = 0; i < 3000; ++i) people.push_back(Person("E" + std::to_string(i)));
  people.back().post = "P0";  // still held: the database refuses it on the last row
  {
    auto tx = Transaction::Begin(*db_);
    ASSERT_TRUE(tx.ok());
    auto result = UpsertPeople(*db_, people);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().field, "rows[2999].post");
  }  // rolled back
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person"), 1);
  EXPECT_EQ(PersonIndexes(), before);
}

TEST_F(WorkforceWriteTest, ReportsTheIdsOfThePeopleInsertedOrUpdated) {
  SeedOrganisation();
  std::vector<domain::Person> stored{Person("A"), Person("B")};
  ASSERT_TRUE(UpsertPeople(*db_, stored).ok());
  std::vector<domain::Person> people{Person("A"), Person("B"), Person("C", "A")};
  people[0].name = "Ada";
  std::vector<std::int64_t> ids;
  PeopleUpsertOptions options;
  options.changed_ids = &ids;
  auto result = UpsertPeople(*db_, people, options);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->inserted, 1);
  EXPECT_EQ(result->updated, 1);
  EXPECT_EQ(result->unchanged, 1);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids,
            (std::vector<std::int64_t>{Count("SELECT id FROM person WHERE external_id = 'A'"),
                                       Count("SELECT id FROM person WHERE external_id = 'C'")}));
}

TEST_F(WorkforceWriteTest, ANewPersonMayTakeAPostAStoredOneLeaves) {
  SeedOrganisation(2);
  std::vector<domain::Person> stored{Person("A")};
  stored[0].post = "P0";
  ASSERT_TRUE(UpsertPeople(*db_, stored).ok());
  std::vector<domain::Person> people{Person("NEW"), Person("A")};
  people[0].post = "P0";
  people[1].post = "P1";
  auto result = UpsertPeople(*db_, people);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(Text("SELECT p.external_id FROM person JOIN post p ON p.id = person.post_id "
                 "WHERE person.external_id = 'NEW'"),
            "P0");
  EXPECT_EQ(Text("SELECT p.external_id FROM person JOIN post p ON p.id = person.post_id "
                 "WHERE person.external_id = 'A'"),
            "P1");
}

TEST_F(WorkforceWriteTest, ARefusedRowInABatchOfNewPeopleIsNamed) {
  SeedOrganisation(1);
  std::vector<domain::Person> stored{Person("HOLDER")};
  stored[0].post = "P0";
  ASSERT_TRUE(UpsertPeople(*db_, stored).ok());
  std::vector<domain::Person> people;
  // Each reports to the next, within the batch and across into the next one.
  for (int i = 0; i < 300; ++i) {
    people.push_back(
        Person("E" + std::to_string(i), i + 1 < 300 ? "E" + std::to_string(i + 1) : ""));
  }
  people[10].post = "P0";
  auto tx = Transaction::Begin(*db_);
  ASSERT_TRUE(tx.ok());
  auto result = UpsertPeople(*db_, people);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().field, "rows[10].post");
}

// The lookups the import's checks read back (store/workforce_lookup.hpp).
TEST_F(WorkforceWriteTest, LookupsReadBackWhatWasWritten) {
  SeedOrganisation(2);
  std::vector<domain::Person> people{Person("E2"), Person("E1", "E2")};
  people[0].post = "P1";
  ASSERT_TRUE(UpsertPeople(*db_, people).ok());

  auto departments = LoadCodes(*db_, CodeTable::kDepartment);
  ASSERT_TRUE(departments.ok());
  EXPECT_EQ(*departments, std::vector<std::string>{"DWP"});
  auto levels = LoadCodes(*db_, CodeTable::kRoleLevel);
  ASSERT_TRUE(levels.ok());
  EXPECT_EQ(*levels, std::vector<std::string>{"dev-senior"});
  auto units = LoadUnitParents(*db_);
  ASSERT_TRUE(units.ok());
  ASSERT_EQ(units->size(), 1u);
  EXPECT_EQ((*units)[0].unit, "DWP-DIG");
  EXPECT_EQ((*units)[0].parent, "");
  auto slots = LoadRoleLevelSlots(*db_);
  ASSERT_TRUE(slots.ok());
  ASSERT_EQ(slots->size(), 1u);
  EXPECT_EQ((*slots)[0].role, "dev");
  EXPECT_EQ((*slots)[0].position, 2);

  std::vector<std::string> posts;
  std::int64_t last_post = 0;
  ASSERT_TRUE(ForEachPost(*db_, [&](std::int64_t id, std::string_view external_id) {
                EXPECT_GT(id, last_post);  // in id order
                last_post = id;
                posts.emplace_back(external_id);
              }).ok());
  EXPECT_EQ(posts, (std::vector<std::string>{"P0", "P1"}));

  std::vector<std::string> seen;
  ASSERT_TRUE(ForEachPerson(*db_, [&](const StoredPersonRef& p) {
                seen.push_back(std::string(p.external_id) + ":" +
                               (p.line_manager_id != 0 ? "managed" : "top") + ":" +
                               (p.post_id != 0 ? "post" : "none"));
              }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"E2:top:post", "E1:managed:none"}));
}

}  // namespace
}  // namespace pathway::store
