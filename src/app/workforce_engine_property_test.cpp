// Property tests on random workforces of a few thousand people: the engine's rankings
// and capability maps equal straightforward SQL over the same SQLite file, before and
// after writes applied to both; and career routes agree with the gaps the closest roles
// list.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

#include "engine/index.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/workforce_reference.hpp"
#include "store/workforce_snapshot.hpp"

namespace pathway::app {
namespace {

using store::FillSyntheticWorkforce;
using store::SqlCapabilityMap;
using store::SqlCell;
using store::SqlMatch;
using store::SyntheticShape;

engine::Filters RandomFilters(std::mt19937_64& rng, const engine::Catalog& c) {
  engine::Filters f;
  auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  if (chance(40)) f.professions.push_back(c.professions[rng() % c.professions.size()].code);
  if (chance(40)) {
    const int lo = static_cast<int>(rng() % 9);
    f.grade_min = static_cast<domain::Grade>(lo);
    f.grade_max = static_cast<domain::Grade>(lo + static_cast<int>(rng() % 2));
  }
  if (chance(30)) {
    f.regions.emplace_back(domain::AllRegions()[rng() % domain::kRegionCount].code);
    f.regions.emplace_back(domain::AllRegions()[rng() % domain::kRegionCount].code);
  }
  if (chance(30)) f.departments.push_back(c.departments[rng() % c.departments.size()].code);
  if (chance(20)) f.clearance_at_least = static_cast<domain::Clearance>(rng() % 4);
  return f;
}

// Usually one to six requirements; with `many`, up to 30 (level sums above 255 take the
// engine's wide accumulators).
std::vector<engine::RequirementSpec> RandomRequirements(std::mt19937_64& rng,
                                                        const engine::Catalog& c,
                                                        bool many = false) {
  std::vector<engine::RequirementSpec> out;
  const std::size_t n = many ? std::min<std::size_t>(30, c.items.size()) : 1 + rng() % 6;
  while (out.size() < n) {
    const std::string& item = c.items[rng() % c.items.size()].item_id;
    if (std::any_of(out.begin(), out.end(), [&](const auto& r) { return r.item_id == item; })) {
      continue;
    }
    out.push_back({item, 1 + static_cast<int>(rng() % 4), 1 + static_cast<int>(rng() % 10)});
  }
  return out;
}

void CheckQueries(store::Database& db, const engine::Snapshot& s, std::mt19937_64& rng,
                  int rounds) {
  const engine::Catalog& c = s.catalog();
  // The precomputed current levels the benchmark's fair baseline reads, made afresh.
  ASSERT_TRUE(db.Execute("DROP TABLE IF EXISTS temp.current_level").ok());
  ASSERT_TRUE(store::EnsureCurrentLevelTable(db).ok());
  for (int round = 0; round < rounds; ++round) {
    engine::MatchQuery q;
    if (rng() % 2 == 0) {
      q.role_level = c.role_levels[rng() % c.role_levels.size()].code;
    } else {
      q.requirements = RandomRequirements(rng, c, round % 4 == 3);
    }
    q.filters = RandomFilters(rng, c);
    q.k = 1 + static_cast<int>(rng() % 40);
    for (bool closest : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "round " << round << " closest " << closest);
      auto mine = closest ? engine::ClosestToReady(s, q) : engine::Match(s, q);
      ASSERT_TRUE(mine.ok()) << mine.error().field << " " << mine.error().message;
      auto theirs = SqlMatch(db, q, closest);
      ASSERT_TRUE(theirs.ok()) << theirs.error().message;
      auto precomputed = SqlMatch(db, q, closest, store::LevelSource::kCurrentLevelTable);
      ASSERT_TRUE(precomputed.ok()) << precomputed.error().message;
      ASSERT_EQ(precomputed->size(), theirs->size());
      for (std::size_t i = 0; i < theirs->size(); ++i) {
        EXPECT_EQ((*precomputed)[i].person_id, (*theirs)[i].person_id) << "rank " << i;
        EXPECT_EQ((*precomputed)[i].score, (*theirs)[i].score) << "rank " << i;
      }
      ASSERT_EQ(mine->entries.size(), theirs->size());
      for (std::size_t i = 0; i < theirs->size(); ++i) {
        EXPECT_EQ(mine->entries[i].person_id, (*theirs)[i].person_id) << "rank " << i;
        EXPECT_EQ(mine->entries[i].score, (*theirs)[i].score) << "rank " << i;
        EXPECT_EQ(mine->entries[i].gap, (*theirs)[i].gap) << "rank " << i;
      }
    }
    engine::CapabilityQuery m;
    const engine::Dimension dims[] = {engine::Dimension::kProfession, engine::Dimension::kRegion,
                                      engine::Dimension::kGrade, engine::Dimension::kDepartment};
    m.rows = dims[rng() % 4];
    do {
      m.columns = dims[rng() % 4];
    } while (m.columns == m.rows);
    m.role_level = q.role_level;
    m.requirements = q.requirements;
    m.filters = q.filters;
    m.filters.clearance_at_least.reset();  // demand ignores clearance; keep supply comparable
    auto map = engine::MapCapability(s, m);
    ASSERT_TRUE(map.ok()) << map.error().field;
    auto sql = SqlCapabilityMap(db, m);
    ASSERT_TRUE(sql.ok()) << sql.error().message;
    std::map<std::pair<std::string, std::string>, SqlCell> expected;
    for (const auto& cell : *sql) expected[{cell.row, cell.column}] = cell;
    auto precomputed = SqlCapabilityMap(db, m, store::LevelSource::kCurrentLevelTable);
    ASSERT_TRUE(precomputed.ok()) << precomputed.error().message;
    ASSERT_EQ(precomputed->size(), sql->size());
    for (const auto& cell : *precomputed) {
      const SqlCell& e = expected[{cell.row, cell.column}];
      EXPECT_EQ(cell.headcount, e.headcount);
      EXPECT_EQ(cell.meeting, e.meeting);
      EXPECT_EQ(cell.level_sum, e.level_sum);
    }
    ASSERT_EQ(map->cells.size(), expected.size()) << "round " << round;
    for (const auto& cell : map->cells) {
      const auto key = std::make_pair(map->row_labels[static_cast<std::size_t>(cell.row)],
                                      map->column_labels[static_cast<std::size_t>(cell.column)]);
      ASSERT_TRUE(expected.count(key)) << key.first << "/" << key.second;
      const SqlCell& e = expected[key];
      EXPECT_EQ(cell.headcount, e.headcount) << key.first << "/" << key.second;
      EXPECT_EQ(cell.meeting, e.meeting) << key.first << "/" << key.second;
      EXPECT_EQ(cell.level_sum, e.level_sum) << key.first << "/" << key.second;
      EXPECT_EQ(cell.demand_filled, e.demand_filled) << key.first << "/" << key.second;
      EXPECT_EQ(cell.demand_vacant, e.demand_vacant) << key.first << "/" << key.second;
    }
  }
}

// For `people` random people and every role level. Every role level ClosestRoles lists
// for the person (their grade and the one above), and every other one whose lowest grade
// is at most kMaxDirectGradeRise above theirs, has a route, and the best route teaches
// no more than the person's gap for it (nothing if they already meet it). Every route
// ends at the target within the step limit, its total the sum of its steps, cheapest
// first. No route comes only with a reason, and only for a target farther up.
void CheckRoutesAgreeWithGaps(const engine::Snapshot& s, std::mt19937_64& rng, int people) {
  const engine::Catalog& c = s.catalog();
  int listed_checked = 0;
  int no_route = 0;
  for (int i = 0; i < people; ++i) {
    const auto person = static_cast<std::int64_t>(1 + rng() % s.person_count());
    const std::int64_t row = s.RowOf(person);
    ASSERT_GE(row, 0);
    const int grade = static_cast<int>(s.grade(static_cast<std::uint32_t>(row))) - 1;
    const std::uint32_t post = s.post(static_cast<std::uint32_t>(row));
    const std::string current = post != 0 ? c.role_levels[c.posts[post - 1].role_level].code : "";
    // The person's gap for every role level with requirements but their own.
    auto all = engine::ClosestRoles(s, person, 50, domain::Grade::kAA, domain::Grade::kSCS3);
    ASSERT_TRUE(all.ok()) << all.error().message;
    std::map<std::string, int> gap;
    for (const auto& fit : *all) gap[fit.role_level] = fit.gap;
    // What the closest-roles list shows: the person's grade and the one above.
    auto listed = engine::ClosestRoles(s, person, 50);
    ASSERT_TRUE(listed.ok());
    std::map<std::string, int> listed_gap;
    for (const auto& fit : *listed) {
      listed_gap[fit.role_level] = fit.gap;
      EXPECT_EQ(fit.gap, gap.at(fit.role_level));
    }
    for (const auto& level : c.role_levels) {
      SCOPED_TRACE(::testing::Message()
                   << "person " << person << " grade " << grade << " target " << level.code
                   << " grades " << level.grade_min << "-" << level.grade_max);
      engine::RouteQuery q;
      q.person_id = person;
      q.target = level.code;
      q.k = 1 + static_cast<int>(rng() % engine::kMaxRoutes);
      q.max_steps = 1 + static_cast<int>(rng() % engine::kMaxRouteSteps);
      auto answer = engine::BestRoutes(s, q);
      if (level.code == current) {
        ASSERT_FALSE(answer.ok());
        EXPECT_EQ(answer.error().field, "target");
        continue;
      }
      ASSERT_TRUE(answer.ok()) << answer.error().field << " " << answer.error().message;
      const auto& routes = answer->routes;
      const bool within_reach = grade < 0 || level.grade_min <= grade + engine::kMaxDirectGradeRise;
      EXPECT_TRUE(within_reach || !listed_gap.contains(level.code)) << "listed out of reach";
      if (routes.empty()) {
        ++no_route;
        EXPECT_NE(answer->reason, engine::NoRouteReason::kNone);
        EXPECT_FALSE(answer->reason_text.empty());
        EXPECT_FALSE(within_reach) << "no route to a target within reach: " << answer->reason_text;
        continue;
      }
      EXPECT_EQ(answer->reason, engine::NoRouteReason::kNone);
      EXPECT_TRUE(answer->reason_text.empty()) << answer->reason_text;
      EXPECT_LE(routes.size(), static_cast<std::size_t>(q.k));
      if (within_reach) {
        // A role level without requirements is met by everyone: gap 0.
        const int own_gap = level.needs.empty() ? 0 : gap.at(level.code);
        EXPECT_LE(routes.front().total_gap, own_gap);
        if (own_gap == 0) {
          EXPECT_EQ(routes.front().total_gap, 0);
        }
        if (listed_gap.contains(level.code)) ++listed_checked;
      }
      for (std::size_t r = 0; r < routes.size(); ++r) {
        const auto& route = routes[r];
        ASSERT_FALSE(route.steps.empty());
        EXPECT_LE(route.steps.size(), static_cast<std::size_t>(q.max_steps));
        EXPECT_EQ(route.steps.back().role_level, level.code);
        int total = 0;
        for (const auto& step : route.steps) total += step.gap;
        EXPECT_EQ(route.total_gap, total);
        EXPECT_GE(route.cost, route.total_gap);
        if (r > 0) {
          EXPECT_GE(route.cost, routes[r - 1].cost);
        }
      }
    }
  }
  // The workforces must exercise both answers, or the property says little.
  EXPECT_GT(listed_checked, 0);
  EXPECT_GT(no_route, 0);
}

TEST(WorkforceEngineProperty, BestRoutesNeverTeachMoreThanTheListedGap) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("pathway-wfroutes-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (std::uint64_t seed : {3u, 4u}) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    auto opened = store::Database::Open((dir / ("r" + std::to_string(seed) + ".db")).string());
    ASSERT_TRUE(opened.ok());
    store::Database& db = **opened;
    ASSERT_TRUE(store::Migrate(db).ok());
    SyntheticShape shape;
    shape.people = 1500;
    shape.professions = 4;
    shape.departments = 3;
    shape.items = 30;
    shape.role_levels = 40;
    shape.requirements_per_role_level = 5;
    shape.items_per_person = 12;
    shape.with_unknowns = true;
    ASSERT_TRUE(FillSyntheticWorkforce(db, shape, seed).ok());
    auto loaded = store::LoadWorkforceSnapshot(db);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    std::mt19937_64 rng(seed);
    CheckRoutesAgreeWithGaps(**loaded, rng, 120);
  }
  std::filesystem::remove_all(dir);
}

TEST(WorkforceEngineProperty, MatchesAndMapsEqualSqlOnRandomWorkforces) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("pathway-wfprop-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (std::uint64_t seed : {1u, 2u}) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    auto opened = store::Database::Open((dir / ("w" + std::to_string(seed) + ".db")).string());
    ASSERT_TRUE(opened.ok());
    store::Database& db = **opened;
    ASSERT_TRUE(store::Migrate(db).ok());
    SyntheticShape shape;
    shape.people = 2500;
    shape.professions = 4;
    shape.departments = 3;
    shape.items = 30;
    shape.role_levels = 40;
    shape.requirements_per_role_level = 5;
    shape.items_per_person = 8;
    shape.with_unknowns = true;
    ASSERT_TRUE(FillSyntheticWorkforce(db, shape, seed).ok());
    auto loaded = store::LoadWorkforceSnapshot(db);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    std::mt19937_64 rng(seed);
    CheckQueries(db, **loaded, rng, 16);

    // Writes go to the ledger and to the index; answers must still agree.
    engine::Index index(*loaded);
    std::vector<engine::AssessmentInput> writes;
    auto insert = db.Prepare(
        "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, "
        "framework_version) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM assessment "
        "WHERE person_id = ?1 AND item_ref_id = ?2), ?, ?, '2025-01-01', 1)");
    ASSERT_TRUE(insert.ok());
    for (int i = 0; i < 300; ++i) {
      const std::int64_t person = 1 + static_cast<std::int64_t>(rng() % 2500);
      const std::int64_t item = 1 + static_cast<std::int64_t>(rng() % 30);
      const int level = 1 + static_cast<int>(rng() % 5);
      const bool self = rng() % 2 == 0;
      insert->Bind(1, person).Bind(2, item).Bind(3, level).Bind(4, self ? "self" : "manager");
      ASSERT_TRUE(insert->Run().ok());
      insert->Reset();
      writes.push_back({person, item, level, !self});
    }
    ASSERT_TRUE(index.ApplyAssessments(writes).ok());
    CheckQueries(db, *index.Current(), rng, 8);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pathway::app
