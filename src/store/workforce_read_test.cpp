// Read queries over a small workforce in a real SQLite file: scopes, filters, sorting,
// pagination, a person's record, posts, a profession's ladder and moves, overviews.
#include "store/workforce_read.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "domain/workforce.hpp"
#include "store/migrations.hpp"
#include "store/workforce_change.hpp"
#include "store/workforce_read_test_fixture.hpp"

namespace pathway::store {
namespace {

class WorkforceReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pathway-workforce-read-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::move(Database::Open((dir_ / "test.db").string())).value();
    ASSERT_TRUE(Migrate(*db_).ok());
    const auto loaded = db_->Execute(testing::kWorkforceFixtureSql);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::vector<std::string> Names(const PeopleQuery& query, std::int64_t* total = nullptr) {
    auto page = ListPeople(*db_, query);
    EXPECT_TRUE(page.ok()) << page.error().message;
    std::vector<std::string> names;
    for (const auto& row : page->rows) names.push_back(row.name);
    if (total) *total = page->total;
    return names;
  }

  std::vector<std::string> Posts(const PostQuery& query) {
    auto page = ListPosts(*db_, query);
    EXPECT_TRUE(page.ok()) << page.error().message;
    std::vector<std::string> refs;
    for (const auto& row : page->rows) refs.push_back(row.external_id);
    EXPECT_EQ(page->total, static_cast<std::int64_t>(refs.size()));
    return refs;
  }

  // The text of the statement that read a people list's page (it has ORDER BY and
  // LIMIT), caught as `ListPeople(query)` runs.
  std::string PageStatementOf(const PeopleQuery& query) {
    std::vector<std::string> run;
    sqlite3_trace_v2(
        db_->handle(), SQLITE_TRACE_STMT,
        [](unsigned, void* context, void* statement, void*) {
          static_cast<std::vector<std::string>*>(context)->push_back(
              sqlite3_sql(static_cast<sqlite3_stmt*>(statement)));
          return 0;
        },
        &run);
    EXPECT_TRUE(ListPeople(*db_, query).ok());
    sqlite3_trace_v2(db_->handle(), 0, nullptr, nullptr);
    for (const auto& sql : run) {
      if (sql.find("ORDER BY") != std::string::npos && sql.find("LIMIT") != std::string::npos) {
        return sql;
      }
    }
    ADD_FAILURE() << "no page statement ran";
    return {};
  }

  // The top level of a statement's query plan (what its subqueries do left out).
  std::vector<std::string> TopLevelPlan(const std::string& sql) {
    auto stmt = db_->Prepare("EXPLAIN QUERY PLAN " + sql);
    EXPECT_TRUE(stmt.ok()) << stmt.error().message;
    std::vector<std::string> steps;
    while (*stmt->Step()) {
      if (stmt->ColumnInt(1) == 0) steps.push_back(stmt->ColumnText(3));
    }
    return steps;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

using Strings = std::vector<std::string>;

TEST_F(WorkforceReadTest, ListsOnlyTheScope) {
  PeopleQuery query;
  EXPECT_EQ(Names(query), Strings{}) << "an empty scope holds nobody";
  query.scope.chain_of_person_id = 1;
  EXPECT_EQ(Names(query), (Strings{"Bob Middle", "Carol Junior"}));
  query.scope = {};
  query.scope.departments = {"D2"};
  EXPECT_EQ(Names(query), (Strings{"Dan Other", "Eve Else"}));
  query.scope = {};
  query.scope.professions = {"P1"};
  EXPECT_EQ(Names(query), (Strings{"Alice Boss", "Bob Middle", "Eve Else"}))
      << "the anchor profession only, as the authoriser sees it";
  query.scope = {};
  query.scope.self_person_id = 4;
  query.scope.chain_of_person_id = 2;
  EXPECT_EQ(Names(query), (Strings{"Carol Junior", "Dan Other"})) << "scopes add up";
  query.scope = {};
  query.scope.all = true;
  EXPECT_EQ(Names(query).size(), 5u);
}

TEST_F(WorkforceReadTest, FiltersCombine) {
  PeopleQuery query;
  query.scope.all = true;
  query.filter.text = "CAR";
  EXPECT_EQ(Names(query), Strings{"Carol Junior"});
  query.filter = {};
  query.filter.text = "E4";
  EXPECT_EQ(Names(query), Strings{"Dan Other"}) << "a whole HR reference";
  query.filter = {};
  query.filter.text = "%";
  EXPECT_EQ(Names(query), Strings{}) << "LIKE wildcards are literal";
  query.filter = {};
  query.filter.profession = "P1";
  EXPECT_EQ(Names(query), (Strings{"Alice Boss", "Bob Middle", "Carol Junior", "Eve Else"}))
      << "other professions count for the filter";
  query.filter = {};
  query.filter.grade_min = 3;
  query.filter.grade_max = 4;
  EXPECT_EQ(Names(query), (Strings{"Bob Middle", "Dan Other"}));
  query.filter = {};
  query.filter.region = "TLM";
  EXPECT_EQ(Names(query), (Strings{"Bob Middle", "Dan Other"}));
  query.filter = {};
  query.filter.clearance = "SC";
  query.filter.department = "D1";
  EXPECT_EQ(Names(query), Strings{"Carol Junior"});
  query.filter = {};
  query.filter.manager_id = 4;
  EXPECT_EQ(Names(query), Strings{"Eve Else"});
}

TEST_F(WorkforceReadTest, SortsAndPages) {
  PeopleQuery query;
  query.scope.all = true;
  query.sort = PeopleSort::kGrade;
  query.order = SortOrder::kDescending;
  EXPECT_EQ(Names(query).front(), "Alice Boss");
  query.sort = PeopleSort::kStartDate;
  query.order = SortOrder::kAscending;
  EXPECT_EQ(Names(query),
            (Strings{"Alice Boss", "Bob Middle", "Dan Other", "Carol Junior", "Eve Else"}));
  query.sort = PeopleSort::kDepartment;
  query.order = SortOrder::kDescending;
  EXPECT_EQ(Names(query).front(), "Eve Else");
  query.sort = PeopleSort::kName;
  query.order = SortOrder::kAscending;
  query.limit = 2;
  query.offset = 2;
  std::int64_t total = 0;
  EXPECT_EQ(Names(query, &total), (Strings{"Carol Junior", "Dan Other"}));
  EXPECT_EQ(total, 5);
}

// A list page asks for less (PeopleQuery::names, file_columns): the same people in the
// same order, with the codes and everything else it shows, and region names still filled
// (from domain::AllRegions, which the region table holds).
TEST_F(WorkforceReadTest, APageThatAsksForLessGetsTheSameRowsWithoutNamesOrFileColumns) {
  for (const auto sort : {PeopleSort::kName, PeopleSort::kProfession, PeopleSort::kRegion,
                          PeopleSort::kLineManager}) {
    PeopleQuery full;
    full.scope.all = true;
    full.sort = sort;
    PeopleQuery light = full;
    light.names = false;
    light.file_columns = false;
    light.manager_names = false;
    auto all = ListPeople(*db_, full);
    auto some = ListPeople(*db_, light);
    ASSERT_TRUE(all.ok() && some.ok());
    ASSERT_EQ(all->rows.size(), some->rows.size());
    EXPECT_EQ(all->total, some->total);
    bool any_other_profession = false;
    for (std::size_t i = 0; i < all->rows.size(); ++i) {
      const auto& a = all->rows[i];
      const auto& b = some->rows[i];
      EXPECT_EQ(a.id, b.id);
      EXPECT_EQ(a.department, b.department);
      EXPECT_EQ(a.profession, b.profession);
      EXPECT_EQ(a.region, b.region);
      EXPECT_EQ(a.region_name, b.region_name);
      EXPECT_TRUE(b.line_manager_name.empty());
      EXPECT_EQ(a.line_manager_id, b.line_manager_id);
      EXPECT_FALSE(a.department_name.empty());
      EXPECT_TRUE(b.department_name.empty() && b.profession_name.empty());
      EXPECT_TRUE(b.other_professions.empty() && b.post.empty() && b.location.empty() &&
                  b.line_manager_external_id.empty() && b.clearance_status.empty());
      EXPECT_EQ(a.location_name, b.location_name);
      EXPECT_EQ(a.clearance, b.clearance);
      any_other_profession = any_other_profession || !a.other_professions.empty();
    }
    EXPECT_TRUE(any_other_profession);
  }
}

TEST_F(WorkforceReadTest, ATotalIsCountedOncePerWorkforceGeneration) {
  ListTotals totals;
  PeopleQuery d1;
  d1.scope.departments = {"D1"};
  PeopleQuery sc = d1;
  sc.filter.clearance = "SC";
  auto total = [&](const PeopleQuery& query, ListTotals* kept) {
    auto page = ListPeople(*db_, query, kept);
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page.ok() ? page->total : -1;
  };
  EXPECT_EQ(total(d1, &totals), 3);
  EXPECT_EQ(total(sc, &totals), 1);

  // A write that does not move the generation (none should: this one stands for a
  // total kept) leaves the kept totals as they were; the same query without them counts.
  ASSERT_TRUE(db_->Execute("UPDATE person SET department = 'D2' WHERE id = 2").ok());
  EXPECT_EQ(total(d1, nullptr), 2);
  EXPECT_EQ(total(d1, &totals), 3);
  EXPECT_EQ(total(sc, &totals), 1);
  // Each query is kept by its statement and its values: another department is counted.
  PeopleQuery d2 = d1;
  d2.scope.departments = {"D2"};
  EXPECT_EQ(total(d2, &totals), 3);

  // Moving the generation, as every write to the workforce does, counts again.
  const std::int64_t moved[] = {2};
  ASSERT_TRUE(BumpWorkforceGenerationForPeople(*db_, moved).ok());
  EXPECT_EQ(total(d1, &totals), 2);
  ASSERT_TRUE(db_->Execute("UPDATE person SET clearance_level = NULL WHERE id = 3").ok());
  ASSERT_TRUE(BumpWorkforceGeneration(*db_).ok());
  EXPECT_EQ(total(sc, &totals), 0);

  // Posts keep theirs the same way.
  PostQuery critical;
  critical.scope.all = true;
  critical.filter.critical = true;
  auto post_total = [&] {
    auto page = ListPosts(*db_, critical, &totals);
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page.ok() ? page->total : -1;
  };
  EXPECT_EQ(post_total(), 1);
  ASSERT_TRUE(db_->Execute("UPDATE post SET critical = 1").ok());
  EXPECT_EQ(post_total(), 1);
  ASSERT_TRUE(BumpWorkforceGeneration(*db_).ok());
  EXPECT_EQ(post_total(), 4);
}

TEST(ListTotalsTest, KeepsOneGenerationAndNeverAnOlderOne) {
  ListTotals totals;
  totals.Keep(5, "a", 10);
  EXPECT_EQ(totals.Find(5, "a"), 10);
  EXPECT_EQ(totals.Find(6, "a"), std::nullopt);
  EXPECT_EQ(totals.Find(5, "b"), std::nullopt);
  // A total counted in an older generation than the one kept is not kept...
  totals.Keep(4, "b", 1);
  EXPECT_EQ(totals.Find(4, "b"), std::nullopt);
  EXPECT_EQ(totals.Find(5, "b"), std::nullopt);
  // ...and a newer one drops the older totals.
  totals.Keep(6, "b", 2);
  EXPECT_EQ(totals.Find(6, "b"), 2);
  EXPECT_EQ(totals.Find(6, "a"), std::nullopt);
  EXPECT_EQ(totals.Find(5, "a"), std::nullopt);
  // Memory is bounded: past kMaxListTotals, the kept totals start again.
  for (std::size_t i = 0; i < kMaxListTotals + 1; ++i) totals.Keep(6, std::to_string(i), 1);
  EXPECT_EQ(totals.Find(6, "b"), std::nullopt);
  EXPECT_EQ(totals.Find(6, std::to_string(kMaxListTotals)), 1);
}

TEST_F(WorkforceReadTest, TheRegionTableHoldsTheFixedRegions) {
  auto stmt = db_->Prepare("SELECT code, name FROM region ORDER BY position");
  ASSERT_TRUE(stmt.ok());
  std::vector<std::pair<std::string, std::string>> stored;
  while (stmt->Step().value()) stored.emplace_back(stmt->ColumnText(0), stmt->ColumnText(1));
  std::vector<std::pair<std::string, std::string>> fixed;
  for (const auto& region : domain::AllRegions()) fixed.emplace_back(region.code, region.name);
  EXPECT_EQ(stored, fixed);
}

TEST_F(WorkforceReadTest, APersonsRecordNamesWhatItRefersTo) {
  auto found = FindPersonDetail(*db_, 3);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  const auto& carol = **found;
  EXPECT_EQ(carol.person.grade, "EO");
  EXPECT_EQ(carol.person.department_name, "Department One");
  EXPECT_EQ(carol.person.region_name, "London");
  EXPECT_EQ(carol.person.line_manager_name, "Bob Middle");
  EXPECT_EQ(carol.unit_name, "Unit One");
  EXPECT_EQ(carol.post, "PO1");
  EXPECT_EQ(carol.post_role_level_title, "Junior developer");
  EXPECT_TRUE(carol.post_critical);
  EXPECT_EQ(carol.clearance_status, "active");
  ASSERT_TRUE(carol.manager.has_value());
  EXPECT_EQ(carol.manager->name, "Bob Middle");
  ASSERT_EQ(carol.other_professions.size(), 1u);
  EXPECT_EQ(carol.other_professions[0].first, "P1");
  auto bob = FindPersonDetail(*db_, 2);
  ASSERT_TRUE(bob.ok() && bob->has_value());
  ASSERT_EQ((*bob)->direct_reports.size(), 1u);
  EXPECT_EQ((*bob)->direct_reports[0].name, "Carol Junior");
  auto missing = FindPersonDetail(*db_, 99);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(WorkforceReadTest, PostsFilterByStatusAndScope) {
  PostQuery query;
  query.scope.all = true;
  EXPECT_EQ(Posts(query), (Strings{"PO1", "PO2", "PO3", "PO4"}));
  query.filter.filled = false;
  EXPECT_EQ(Posts(query), Strings{"PO4"});
  query.filter = {};
  query.filter.critical = true;
  EXPECT_EQ(Posts(query), Strings{"PO1"});
  query.filter = {};
  query.filter.text = "senior";
  EXPECT_EQ(Posts(query), (Strings{"PO2", "PO4"}));
  query.filter = {};
  query.scope = {};
  query.scope.departments = {"D1"};
  EXPECT_EQ(Posts(query), (Strings{"PO1", "PO2"}));
  query.scope = {};
  query.scope.professions = {"P2"};
  EXPECT_EQ(Posts(query), Strings{"PO3"});
  query.scope = {};
  query.scope.chain_of_person_id = 1;
  EXPECT_EQ(Posts(query), (Strings{"PO1", "PO2"})) << "posts held by the chain";
  query.scope.all = true;
  query.sort = PostSort::kGrade;
  query.order = SortOrder::kDescending;
  auto page = ListPosts(*db_, query);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->rows.front().grade, "SEO");
  EXPECT_EQ(page->rows.front().external_id, "PO4") << "ties by reference, in the same order";
  EXPECT_EQ(page->rows.front().department_name, "Department Two");
  EXPECT_EQ(page->rows.front().role_code, "R1") << "L2's role, for the link to its page";
  EXPECT_FALSE(page->rows.front().holder_id.has_value());
}

TEST_F(WorkforceReadTest, AProfessionIsALadderWithMovesCommunityAndInduction) {
  auto found = FindProfession(*db_, "P1");
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  const auto& p1 = **found;
  EXPECT_EQ(p1.summary.headcount, 3);
  EXPECT_EQ(p1.career_framework_title, "Test career framework");
  ASSERT_EQ(p1.job_families.size(), 1u);
  ASSERT_EQ(p1.job_families[0].roles.size(), 1u);
  const auto& levels = p1.job_families[0].roles[0].levels;
  ASSERT_EQ(levels.size(), 2u);
  const auto& junior = levels[0];
  EXPECT_EQ(junior.grade_min, "EO");
  EXPECT_EQ(junior.grade_max, "HEO");
  ASSERT_EQ(junior.requirements.size(), 2u);
  EXPECT_EQ(junior.requirements[0].item_title, "Programming") << "heaviest first";
  EXPECT_EQ(junior.experience, Strings{"Some coding"});
  EXPECT_EQ(junior.qualifications, Strings{"None needed"});
  ASSERT_EQ(junior.moves_out.size(), 2u);
  EXPECT_EQ(junior.moves_out[0].kind, RoleMove::Kind::kPromotion);
  EXPECT_EQ(junior.moves_out[0].role_level, "L2");
  EXPECT_EQ(junior.moves_out[1].kind, RoleMove::Kind::kLateral);
  EXPECT_EQ(junior.moves_out[1].role_level, "L3");
  EXPECT_EQ(junior.moves_out[1].profession, "P2");
  EXPECT_EQ(junior.moves_out[1].shared_items, 2);
  ASSERT_EQ(junior.moves_in.size(), 1u);
  EXPECT_EQ(junior.moves_in[0].role_level, "L3");
  const auto& senior = levels[1];
  // L2 needs three items and shares two with L3, whose range (HEO-SEO) overlaps SEO-G7.
  ASSERT_EQ(senior.moves_out.size(), 1u);
  EXPECT_EQ(senior.moves_out[0].role_level, "L3");
  // L3 needs two items, both of them L2's too, so L3 -> L2 is a move in; and the
  // promotion from L1.
  ASSERT_EQ(senior.moves_in.size(), 2u);
  EXPECT_EQ(senior.moves_in[0].kind, RoleMove::Kind::kPromotion);
  EXPECT_EQ(senior.posts, 2);
  ASSERT_EQ(p1.community.size(), 2u);
  EXPECT_EQ(p1.community[0].kind, "head_of_profession");
  EXPECT_EQ(p1.community[0].name, "Alice Boss");
  EXPECT_EQ(p1.community[1].department, "D2");
  EXPECT_EQ(p1.induction, "Welcome.\n\nRead the framework.");
  auto missing = FindProfession(*db_, "NOPE");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  auto list = ListProfessions(*db_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].role_levels, 2);

  RoleLevelFilter filter;
  filter.grade = 3;  // HEO
  auto levels_at_heo = ListRoleLevels(*db_, filter, 50, 0);
  ASSERT_TRUE(levels_at_heo.ok());
  EXPECT_EQ(levels_at_heo->total, 2);
}

TEST_F(WorkforceReadTest, AProfessionIsReadOneRoleAtATimeOrAsTheLadderAlone) {
  ASSERT_TRUE(db_->Execute(R"sql(
INSERT INTO career_role (id, job_family_id, code, name) VALUES (9, 1, 'R9', 'Architect');
INSERT INTO role_level (id, role_id, code, title, position, grade_min, grade_max) VALUES
  (9, 9, 'L9', 'Architect', 1, 5, 6);
)sql")
                  .ok());
  ProfessionParts parts;
  parts.role = "R1";
  auto r1 = FindProfession(*db_, "P1", parts);
  ASSERT_TRUE(r1.ok()) << r1.error().message;
  ASSERT_TRUE(r1->has_value());
  ASSERT_EQ((*r1)->job_families.size(), 1u);
  ASSERT_EQ((*r1)->job_families[0].roles.size(), 1u) << "only the role asked for";
  const auto& levels = (*r1)->job_families[0].roles[0].levels;
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0].requirements.size(), 2u);
  ASSERT_EQ(levels[0].moves_out.size(), 2u);
  EXPECT_EQ(levels[0].moves_out[0].role_code, "R1") << "the promotion stays in the role";
  EXPECT_EQ(levels[0].moves_out[1].role_code, "R2") << "the lateral move names its role";
  EXPECT_EQ((*r1)->community.size(), 2u);
  EXPECT_EQ((*r1)->summary.roles, 2) << "the summary counts every role";

  parts.role = "R2";  // a role of P2, not P1
  auto elsewhere = FindProfession(*db_, "P1", parts);
  ASSERT_TRUE(elsewhere.ok() && elsewhere->has_value());
  EXPECT_TRUE((*elsewhere)->job_families.empty());

  parts = {};
  parts.level_details = false;
  auto ladder = FindProfession(*db_, "P1", parts);
  ASSERT_TRUE(ladder.ok() && ladder->has_value());
  ASSERT_EQ((*ladder)->job_families.size(), 1u);
  const auto& roles = (*ladder)->job_families[0].roles;
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[0].code, "R9") << "roles by name";
  EXPECT_EQ(roles[1].levels.size(), 2u);
  EXPECT_EQ(roles[1].levels[1].posts, 2);
  EXPECT_TRUE(roles[1].levels[0].requirements.empty());
  EXPECT_TRUE(roles[1].levels[0].moves_out.empty());
  EXPECT_EQ((*ladder)->community.size(), 2u);
}

TEST_F(WorkforceReadTest, OverviewsCountHeadsAndPosts) {
  auto d1 = FindDepartmentOverview(*db_, "D1");
  ASSERT_TRUE(d1.ok()) << d1.error().message;
  ASSERT_TRUE(d1->has_value());
  EXPECT_EQ((*d1)->summary.headcount, 3);
  ASSERT_EQ((*d1)->by_grade.size(), 3u);
  EXPECT_EQ((*d1)->by_grade[0].key, "EO");
  ASSERT_EQ((*d1)->by_region.size(), 2u);
  EXPECT_EQ((*d1)->by_region[0].label, "London");
  EXPECT_EQ((*d1)->by_region[0].count, 2);
  ASSERT_EQ((*d1)->by_profession.size(), 2u);
  EXPECT_EQ((*d1)->by_profession[0].key, "P1");
  EXPECT_EQ((*d1)->posts_filled, 2);
  EXPECT_EQ((*d1)->posts_vacant, 0);
  auto d2 = FindDepartmentOverview(*db_, "D2");
  ASSERT_TRUE(d2.ok() && d2->has_value());
  EXPECT_EQ((*d2)->posts_vacant, 1);
  auto p1 = FindProfessionOverview(*db_, "P1");
  ASSERT_TRUE(p1.ok() && p1->has_value());
  EXPECT_EQ((*p1)->headcount, 3);
  ASSERT_EQ((*p1)->by_department.size(), 2u);
  EXPECT_EQ((*p1)->by_department[0].key, "D1");
  EXPECT_EQ((*p1)->by_department[0].count, 2);
  auto departments = ListDepartments(*db_);
  ASSERT_TRUE(departments.ok());
  ASSERT_EQ(departments->size(), 2u);
  EXPECT_EQ((*departments)[1].headcount, 2);
  auto missing = FindDepartmentOverview(*db_, "D9");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

// The lists of 500,000 people answer from indexes: a department's or a profession's
// first page by name walks an index in order instead of sorting the whole scope.
TEST_F(WorkforceReadTest, ScopedPagesByNameUseAnIndex) {
  for (const char* sql :
       {"EXPLAIN QUERY PLAN SELECT id FROM person p WHERE p.department IN ('D1') "
        "ORDER BY p.display_name, p.id LIMIT 50",
        "EXPLAIN QUERY PLAN SELECT id FROM person p ORDER BY p.display_name, p.id LIMIT 50",
        "EXPLAIN QUERY PLAN SELECT grade, COUNT(*) FROM person WHERE department = 'D1' "
        "GROUP BY grade"}) {
    auto stmt = db_->Prepare(sql);
    ASSERT_TRUE(stmt.ok());
    std::string plan;
    while (*stmt->Step()) plan += stmt->ColumnText(3) + "\n";
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sql << "\n" << plan;
    EXPECT_NE(plan.find("INDEX"), std::string::npos) << sql << "\n" << plan;
  }
}

// Other professions are listed in code order, whatever order they were recorded in.
TEST_F(WorkforceReadTest, OtherProfessionsAreInCodeOrder) {
  ASSERT_TRUE(db_->Execute("INSERT INTO profession (id, code, name, description, induction) "
                           "VALUES (3, 'P0', 'Profession Zero', '', '');"
                           "INSERT INTO person_profession (person_id, profession_id) VALUES (3, 3)")
                  .ok());
  PeopleQuery query;
  query.scope.all = true;
  query.filter.text = "Carol";
  auto page = ListPeople(*db_, query);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_EQ(page->rows[0].other_professions, "P0;P1");
  auto detail = FindPersonDetail(*db_, 3);
  ASSERT_TRUE(detail.ok() && detail->has_value());
  EXPECT_EQ((*detail)->person.other_professions, "P0;P1");
}

// An HR partner's own record is in their department, and their list is that department's:
// their own-record scope adds nobody, and is left out so that the page is read from the
// (department, name) index in order rather than the whole department sorted.
TEST_F(WorkforceReadTest, AnOwnRecordInsideTheDepartmentLeavesThePageToAnIndex) {
  PeopleQuery query;
  query.scope.self_person_id = 2;  // Bob, in D1
  query.scope.departments = {"D1"};
  std::int64_t total = 0;
  EXPECT_EQ(Names(query, &total), (Strings{"Alice Boss", "Bob Middle", "Carol Junior"}));
  EXPECT_EQ(total, 3);
  const auto plan = TopLevelPlan(PageStatementOf(query));
  EXPECT_EQ(std::count(plan.begin(), plan.end(), "USE TEMP B-TREE FOR ORDER BY"), 0)
      << ::testing::PrintToString(plan);

  query.scope.self_person_id = 4;  // Dan, in D2: the scope is D1 and Dan
  EXPECT_EQ(Names(query, &total),
            (Strings{"Alice Boss", "Bob Middle", "Carol Junior", "Dan Other"}));
  EXPECT_EQ(total, 4);
}

// A scope of several parts (x OR y) is sorted whole. Its page is cut first, so that the
// lookups and per-person subqueries run for the page's rows only; what it answers is
// what the same people answer as part of everyone's list, in every order and page.
TEST_F(WorkforceReadTest, AScopeOfSeveralPartsListsLikeEveryoneFiltered) {
  PeopleQuery scoped;
  scoped.scope.self_person_id = 4;  // Dan, in D2
  scoped.scope.departments = {"D1"};
  const auto plan = TopLevelPlan(PageStatementOf(scoped));
  ASSERT_FALSE(plan.empty());
  EXPECT_EQ(plan.front(), "MATERIALIZE page") << ::testing::PrintToString(plan);

  const auto describe = [](const PersonRow& row) {
    return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", row.id, row.name, row.grade,
                       row.department_name, row.profession_name, row.location_name, row.region_name,
                       row.line_manager_name, row.other_professions, row.post, row.clearance);
  };
  for (const auto sort :
       {PeopleSort::kName, PeopleSort::kGrade, PeopleSort::kDepartment, PeopleSort::kStartDate,
        PeopleSort::kProfession, PeopleSort::kRegion, PeopleSort::kLineManager}) {
    for (const auto order : {SortOrder::kAscending, SortOrder::kDescending}) {
      PeopleQuery everyone;
      everyone.scope.all = true;
      everyone.sort = scoped.sort = sort;
      everyone.order = scoped.order = order;
      auto all = ListPeople(*db_, everyone);
      ASSERT_TRUE(all.ok()) << all.error().message;
      std::vector<std::string> expected;
      for (const auto& row : all->rows) {
        if (row.department == "D1" || row.id == 4) expected.push_back(describe(row));
      }
      for (const auto& [limit, offset] : {std::pair{50, 0}, std::pair{2, 1}}) {
        scoped.limit = limit;
        scoped.offset = offset;
        auto page = ListPeople(*db_, scoped);
        ASSERT_TRUE(page.ok()) << page.error().message;
        EXPECT_EQ(page->total, 4);
        std::vector<std::string> got;
        for (const auto& row : page->rows) got.push_back(describe(row));
        const auto begin = expected.begin() + std::min<std::ptrdiff_t>(offset, 4);
        const auto end = expected.begin() + std::min<std::ptrdiff_t>(offset + limit, 4);
        EXPECT_EQ(got, std::vector<std::string>(begin, end))
            << "sort " << static_cast<int>(sort) << " order " << static_cast<int>(order)
            << " offset " << offset;
      }
    }
  }
}

}  // namespace
}  // namespace pathway::store
