// The workforce loader against a real SQLite file.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/queries.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/workforce_snapshot.hpp"

namespace pathway::store {
namespace {

TEST(WorkforceSnapshot, LoadsPeopleAttributesAndCurrentLevelsFromTheLedger) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("pathway-wfsnap-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto db = Database::Open((dir / "t.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(**db).ok());
  ASSERT_TRUE((*db)
                  ->Execute(R"sql(
INSERT INTO framework (id, kind) VALUES ('f', 'career');
INSERT INTO item_ref (id, framework_id, item_id) VALUES (1, 'f', 'item-a'), (2, 'f', 'item-b');
INSERT INTO department (id, code, name) VALUES (1, 'DWP', 'Work and Pensions');
INSERT INTO unit (id, code, name, department_id) VALUES (1, 'U1', 'Unit', 1);
INSERT INTO location (id, code, name, region) VALUES (1, 'LDN', 'London', 'TLI');
INSERT INTO profession (id, code, name) VALUES (1, 'dig', 'Digital');
INSERT INTO job_family (id, profession_id, code, name) VALUES (1, 1, 'jf', 'Family');
INSERT INTO career_role (id, job_family_id, code, name) VALUES (1, 1, 'dev', 'Developer');
INSERT INTO role_level (id, role_id, code, title, position, grade_min, grade_max)
  VALUES (1, 1, 'dev-1', 'Developer', 1, 2, 3);
INSERT INTO role_requirement VALUES (1, 1, 2, 3), (1, 2, 1, 1);
INSERT INTO post (id, external_id, role_level_id, unit_id, location_id, grade, clearance)
  VALUES (1, 'P1', 1, 1, 1, 3, 'SC'), (2, 'P2', 1, 1, 1, 3, 'BPSS');
INSERT INTO person (id, external_id, display_name, department, profession, grade, location_id,
  post_id, clearance_level, clearance_status)
  VALUES (1, 'E1', 'Ann', 'DWP', 'dig', 3, 1, 1, 'SC', 'active'),
         (2, 'E2', 'Bob', '', '', NULL, NULL, NULL, NULL, NULL);
INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, framework_version)
  VALUES (1, 1, 1, 3, 'manager', '2024-01-01', 1), (1, 1, 2, 1, 'self', '2024-02-01', 1),
         (1, 2, 1, 2, 'self', '2024-01-01', 1), (1, 2, 2, 4, 'self', '2024-02-01', 1),
         (2, 2, 1, 1, 'self', '2024-01-01', 1), (2, 2, 2, 3, 'panel', '2024-02-01', 1);
)sql")
                  .ok());
  WorkforceLoadStats stats;
  auto loaded = LoadWorkforceSnapshot(**db, &stats);
  ASSERT_TRUE(loaded.ok()) << loaded.error().field << " " << loaded.error().message;
  const engine::Snapshot& s = **loaded;
  EXPECT_EQ(stats.people, 2);
  EXPECT_EQ(stats.assessments, 6);
  EXPECT_EQ(stats.skipped_assessments, 0);
  EXPECT_EQ(stats.ledger_threads, 2);  // a file: half the ledger on a second connection
  const auto ann = static_cast<std::uint32_t>(s.RowOf(1));
  const auto bob = static_cast<std::uint32_t>(s.RowOf(2));
  EXPECT_EQ(s.Level(ann, 0), 3);  // confirmed, not the later self-assessment
  EXPECT_EQ(s.Level(ann, 1), 4);  // latest self-assessment
  EXPECT_EQ(s.Level(bob, 1), 3);
  EXPECT_EQ(s.Level(bob, 0), 0);
  EXPECT_EQ(s.profession(ann), 1);
  EXPECT_EQ(s.grade(ann), 4);
  EXPECT_EQ(s.region(ann), 7);  // London is the 7th region
  EXPECT_EQ(s.department(ann), 1);
  EXPECT_EQ(s.clearance(ann) & 0x0F, 3);  // SC + 1
  EXPECT_EQ(s.profession(bob), 0);
  EXPECT_EQ(s.grade(bob), 0);
  EXPECT_EQ(s.PostHolders(0), 1);
  EXPECT_EQ(s.PostHolders(1), 0);
  const engine::Catalog& c = s.catalog();
  ASSERT_EQ(c.role_levels.size(), 1u);
  EXPECT_EQ(c.role_levels[0].profession, 1);
  EXPECT_EQ(c.role_levels[0].needs.size(), 2u);
  EXPECT_EQ(c.posts[0].region, 7);
  EXPECT_EQ(c.posts[0].clearance, 2);
  engine::MatchQuery q;
  q.role_level = "dev-1";
  auto match = engine::Match(s, q);
  ASSERT_TRUE(match.ok());
  ASSERT_EQ(match->entries.size(), 2u);
  EXPECT_EQ(match->entries[0].person_id, 1);
  EXPECT_EQ(match->entries[0].score, 3 * 2 + 1 * 1);
  db->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pathway::store
