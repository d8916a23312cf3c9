#include <gtest/gtest.h>

#include <filesystem>

#include <fmt/format.h>

#include "store/migrations.hpp"
#include "store/workforce_write.hpp"

namespace pathway::store {
namespace {

using Kind = domain::ProfessionContact::Kind;

class ProfessionContactsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / fmt::format("pathway-pc-{}.db", getpid());
    std::filesystem::remove(path_);
    db_ = std::move(Database::Open(path_.string())).value();
    ASSERT_TRUE(Migrate(*db_).ok());
    ASSERT_TRUE(db_->Execute(R"sql(
      INSERT INTO department (code, name) VALUES ('DWP', 'Work and Pensions'), ('HMRC', 'HMRC');
      INSERT INTO profession (code, name) VALUES ('policy', 'Policy'), ('finance', 'Finance');
      INSERT INTO person (external_id, display_name) VALUES ('P1', 'One'), ('P2', 'Two'),
        ('P3', 'Three');
    )sql")
                    .ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove(path_);
  }
  std::int64_t Count(std::string_view sql) {
    auto stmt = std::move(db_->Prepare(sql)).value();
    EXPECT_TRUE(*stmt.Step());
    return stmt.ColumnInt(0);
  }
  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
};

TEST_F(ProfessionContactsTest, ReplacesOnlyTheNamedProfessionsCommunities) {
  const domain::ProfessionContact first[] = {
      {"policy", "P1", Kind::kHeadOfProfession, ""},
      {"policy", "P2", Kind::kDepartmentalHead, "DWP"},
      {"finance", "P3", Kind::kHeadOfProfession, ""},
  };
  auto counts = ReplaceProfessionContacts(*db_, first);
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(counts->inserted, 3);
  const domain::ProfessionContact second[] = {{"policy", "P3", Kind::kHeadOfProfession, ""}};
  ASSERT_TRUE(ReplaceProfessionContacts(*db_, second).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM profession_contact"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM profession_contact pc JOIN person p ON p.id = "
                  "pc.person_id WHERE p.external_id = 'P3'"),
            2);
}

TEST_F(ProfessionContactsTest, RefusesUnknownCodesAndAMissingDepartment) {
  const domain::ProfessionContact unknown[] = {{"nope", "P1", Kind::kHeadOfProfession, ""}};
  auto refused = ReplaceProfessionContacts(*db_, unknown);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "rows[0].profession");
  const domain::ProfessionContact nobody[] = {{"policy", "P9", Kind::kHeadOfProfession, ""}};
  EXPECT_EQ(ReplaceProfessionContacts(*db_, nobody).error().field, "rows[0].person");
  const domain::ProfessionContact no_department[] = {{"policy", "P1", Kind::kDepartmentalHead, ""}};
  EXPECT_EQ(ReplaceProfessionContacts(*db_, no_department).error().field, "rows[0].department");
  const domain::ProfessionContact bad_department[] = {
      {"policy", "P1", Kind::kDepartmentalHead, "MOD"}};
  EXPECT_EQ(ReplaceProfessionContacts(*db_, bad_department).error().field, "rows[0].department");
}

}  // namespace
}  // namespace pathway::store
