#include "interchange/workforce_csv.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pathway::interchange {
namespace {

std::string People(std::string_view rows) {
  return std::string(kPeopleCsvHeader) + "\n" + std::string(rows);
}

constexpr std::string_view kPerson =
    "E1,Ada Lovelace,HEO,DWP,LDS,ddat,policy;analysis,P1,E2,SC,active,2021-05-01,2026-05-01,"
    "2019-09-02\n";

std::string Problems(const std::vector<ImportProblem>& problems) {
  std::string text;
  for (const auto& p : problems) text += FormatImportProblem(p) + "\n";
  return text;
}

bool HasProblem(const std::vector<ImportProblem>& problems, int line, int column,
                std::string_view words) {
  for (const auto& p : problems) {
    if (p.line == line && p.column == column && p.message.find(words) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(WorkforceCsvTest, KindsHaveNamesAndHeaders) {
  for (auto kind : {WorkforceFileKind::kOrg, WorkforceFileKind::kRoles, WorkforceFileKind::kPosts,
                    WorkforceFileKind::kPeople}) {
    EXPECT_EQ(ParseWorkforceFileKind(WorkforceFileKindName(kind)), kind);
    EXPECT_FALSE(WorkforceCsvHeader(kind).empty());
  }
  EXPECT_FALSE(ParseWorkforceFileKind("teams"));
}

TEST(WorkforceCsvTest, ReadsAPerson) {
  auto file = ParsePeopleCsv(People(kPerson));
  ASSERT_TRUE(file.ok()) << Problems(file.problems());
  ASSERT_EQ(file->people.size(), 1u);
  const auto& p = file->people[0];
  EXPECT_EQ(p.external_id, "E1");
  EXPECT_EQ(p.name, "Ada Lovelace");
  EXPECT_EQ(p.grade, domain::Grade::kHEO);
  EXPECT_EQ(p.other_professions, (std::vector<std::string>{"policy", "analysis"}));
  EXPECT_EQ(p.post, "P1");
  EXPECT_EQ(p.line_manager, "E2");
  ASSERT_TRUE(p.clearance);
  EXPECT_EQ(p.clearance->level, domain::Clearance::kSC);
  EXPECT_EQ(p.clearance->review_due, "2026-05-01");
  EXPECT_EQ(p.start_date, "2019-09-02");
  EXPECT_EQ(file->lines.Line(0, PeopleColumn::kName), 2);
}

TEST(WorkforceCsvTest, AcceptsBomCrlfAndQuotedCommas) {
  const std::string text = "\xEF\xBB\xBF" + std::string(kPeopleCsvHeader) +
                           "\r\n"
                           "E1,\"Lovelace, Ada\",HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\r\n"
                           "\r\n"
                           "E2,Bob,heo,DWP,LDS,ddat,,,,,,,,2019-09-02\r\n";
  auto file = ParsePeopleCsv(text);
  ASSERT_TRUE(file.ok()) << Problems(file.problems());
  ASSERT_EQ(file->people.size(), 2u);
  EXPECT_EQ(file->people[0].name, "Lovelace, Ada");
  EXPECT_FALSE(file->people[0].clearance);
  EXPECT_EQ(file->lines.Line(0, PeopleColumn::kExternalId), 2);
  EXPECT_EQ(file->lines.Line(1, PeopleColumn::kExternalId), 4);
}

TEST(WorkforceCsvTest, ATabInANameOrTitleIsReadAsASpace) {
  auto people = ParsePeopleCsv(People("E1,Ada\tLovelace,HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\n"));
  ASSERT_TRUE(people.ok()) << Problems(people.problems());
  EXPECT_EQ(people->people[0].name, "Ada Lovelace");
  auto org = ParseOrgCsv(std::string(kOrgCsvHeader) +
                         "\ndepartment,DWP,\"Department for\tWork and Pensions\",,,\n");
  ASSERT_TRUE(org.ok()) << Problems(org.problems());
  EXPECT_EQ(org->departments[0].name, "Department for Work and Pensions");
}

TEST(WorkforceCsvTest, ValuesAreOneLineAndLinesAfterAQuotedBreakStayExact) {
  const std::string text = std::string(kPeopleCsvHeader) +
                           "\r\n"
                           "E1,\"Lovelace, Ada\r\nCountess\",HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\r\n"
                           "E2,Bob,XX,DWP,LDS,ddat,,,,,,,,2019-09-02\r\n";
  auto file = ParsePeopleCsv(text);
  ASSERT_FALSE(file.ok());
  ASSERT_EQ(file.problems().size(), 2u) << Problems(file.problems());
  EXPECT_TRUE(HasProblem(file.problems(), 2, 2, "The name must be one line"))
      << Problems(file.problems());
  EXPECT_TRUE(HasProblem(file.problems(), 4, 3, "is not a grade")) << Problems(file.problems());
}

TEST(WorkforceCsvTest, RefusesA1MbNameAndLongCodesAtTheirLineAndColumn) {
  const std::string huge(1024 * 1024, 'N');
  auto people = ParsePeopleCsv(People("E1," + huge + ",HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\n"));
  ASSERT_FALSE(people.ok());
  ASSERT_EQ(people.problems().size(), 1u);
  EXPECT_EQ(people.problems()[0].line, 2);
  EXPECT_EQ(people.problems()[0].column, 2);
  EXPECT_EQ(people.problems()[0].message,
            "Enter 250 characters or fewer in the name column. This one has 1048576");
  auto org = ParseOrgCsv(std::string(kOrgCsvHeader) + "\ndepartment," + std::string(65, 'D') +
                         ",Work and Pensions,,,\n");
  ASSERT_FALSE(org.ok());
  EXPECT_TRUE(HasProblem(org.problems(), 2, 2, "Enter 64 characters or fewer in the code column"))
      << Problems(org.problems());
  const std::string exactly(250, 'n');
  EXPECT_TRUE(
      ParsePeopleCsv(People("E1,\"  " + exactly + "  \",HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\n"))
          .ok())
      << "250 characters, spaces around them not counted";
  std::string accents;
  for (int i = 0; i < 250; ++i) accents += "é";
  EXPECT_TRUE(
      ParsePeopleCsv(People("E1," + accents + ",HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\n")).ok())
      << "characters are counted, not bytes";
}

TEST(WorkforceCsvTest, ReportsEveryBadRowWithLineAndColumn) {
  const std::string text = People(
      "E1,Ada,XX,DWP,LDS,ddat,,,,,,,,2019-09-02\n"                    // unknown grade
      "E2,Bob,HEO,DWP,LDS,ddat,,,,,,,,2023-02-30\n"                   // impossible date
      "E1,Cy,HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\n"                    // duplicate id
      "E4,Di,HEO,DWP,LDS,ddat,,,,TS,active,2020-01-01,,2019-09-02\n"  // unknown clearance
      "E5,Ed,HEO,DWP,LDS,ddat,,,,SC,asleep,2020-01-01,,2019-09-02\n"  // unknown status
      "E6,Fi,HEO,DWP,LDS,ddat,,,E6,,,,,2019-09-02\n"                  // own manager
      "E7,,HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\n");                    // no name
  auto file = ParsePeopleCsv(text);
  ASSERT_FALSE(file.ok());
  const auto& problems = file.problems();
  EXPECT_TRUE(HasProblem(problems, 2, 3, "not a grade")) << Problems(problems);
  EXPECT_TRUE(HasProblem(problems, 3, 14, "real date")) << Problems(problems);
  EXPECT_TRUE(HasProblem(problems, 4, 1, "already used on line 2")) << Problems(problems);
  EXPECT_TRUE(HasProblem(problems, 5, 10, "not a clearance level")) << Problems(problems);
  EXPECT_TRUE(HasProblem(problems, 6, 11, "not a clearance status")) << Problems(problems);
  EXPECT_TRUE(HasProblem(problems, 7, 9, "own line manager")) << Problems(problems);
  EXPECT_TRUE(HasProblem(problems, 8, 2, "Enter the person’s name")) << Problems(problems);
  EXPECT_EQ(problems.size(), 7u) << Problems(problems);
}

TEST(WorkforceCsvTest, RefusesInvalidUtf8AtItsPlace) {
  auto file = ParsePeopleCsv(People("E1,Ad\xC3\x28,HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\n"));
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(HasProblem(file.problems(), 2, 2, "not UTF-8")) << Problems(file.problems());
}

TEST(WorkforceCsvTest, NamesTheWrongOrMissingHeaderColumn) {
  auto wrong = ParsePostsCsv("external_id,level,unit,location,grade,clearance,critical\nP1\n");
  ASSERT_FALSE(wrong.ok());
  ASSERT_EQ(wrong.problems().size(), 1u);
  EXPECT_EQ(wrong.problems()[0].column, 2);
  EXPECT_NE(wrong.problems()[0].message.find("‘role_level’, not ‘level’"), std::string::npos)
      << wrong.problems()[0].message;

  auto missing = ParsePostsCsv("external_id,role_level,unit,location,grade,clearance\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.problems()[0].column, 7);
  EXPECT_NE(missing.problems()[0].message.find("critical"), std::string::npos);

  auto empty = ParsePostsCsv("");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.problems()[0].message.find("empty"), std::string::npos);

  auto utf16 = ParsePostsCsv(std::string_view("\xFF\xFE"
                                              "e",
                                              3),
                             {});
  ASSERT_FALSE(utf16.ok());
  EXPECT_NE(utf16.problems()[0].message.find("UTF-16"), std::string::npos);
}

TEST(WorkforceCsvTest, ReportsRowsWithTheWrongNumberOfFieldsAndBadQuotes) {
  const std::string text = std::string(kPostsCsvHeader) +
                           "\n"
                           "P1,L,U,X,HEO,SC,no\n"
                           "P2,L,U,X,HEO\n"
                           "P3,L,U\"x,X,HEO,SC,no\n"
                           "P4,L,U,X,HEO,SC,maybe\n";
  auto file = ParsePostsCsv(text);
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(HasProblem(file.problems(), 3, 6, "5 fields")) << Problems(file.problems());
  EXPECT_TRUE(HasProblem(file.problems(), 4, 3, "double quote")) << Problems(file.problems());
  EXPECT_TRUE(HasProblem(file.problems(), 5, 7, "yes or no")) << Problems(file.problems());
}

TEST(WorkforceCsvTest, ReadsPosts) {
  auto file = ParsePostsCsv(std::string(kPostsCsvHeader) + "\nP1,dev-senior,DIG,LDS,SEO,,yes\n");
  ASSERT_TRUE(file.ok()) << Problems(file.problems());
  ASSERT_EQ(file->posts.size(), 1u);
  EXPECT_EQ(file->posts[0].clearance, domain::Clearance::kBPSS);
  EXPECT_TRUE(file->posts[0].critical);
  EXPECT_EQ(file->posts[0].grade, domain::Grade::kSEO);
}

TEST(WorkforceCsvTest, ReadsTheOrganisation) {
  const std::string text = std::string(kOrgCsvHeader) +
                           "\n"
                           "department,DWP,Department for Work and Pensions,,,\n"
                           "unit,DIG,Digital,DWP,,\n"
                           "unit,DIG-1,Digital team,DWP,DIG,\n"
                           "location,LDS,Leeds,,,Yorkshire and The Humber\n"
                           "location,LDN,London,,,tli\n";
  auto file = ParseOrgCsv(text);
  ASSERT_TRUE(file.ok()) << Problems(file.problems());
  EXPECT_EQ(file->departments.size(), 1u);
  ASSERT_EQ(file->units.size(), 2u);
  EXPECT_EQ(file->units[1].parent_unit, "DIG");
  ASSERT_EQ(file->locations.size(), 2u);
  EXPECT_EQ(file->locations[0].region, "TLE");
  EXPECT_EQ(file->locations[1].region, "TLI");
}

TEST(WorkforceCsvTest, RefusesBadOrganisationRows) {
  const std::string text = std::string(kOrgCsvHeader) +
                           "\n"
                           "team,T,T,,,\n"
                           "department,DWP,DWP,,,TLI\n"
                           "location,X,X,,,Atlantis\n"
                           "department,DWP,Again,,,\n";
  auto file = ParseOrgCsv(text);
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(HasProblem(file.problems(), 2, 1, "not a type")) << Problems(file.problems());
  EXPECT_TRUE(HasProblem(file.problems(), 3, 6, "Leave the region column empty"));
  EXPECT_TRUE(HasProblem(file.problems(), 4, 6, "not a region"));
  EXPECT_TRUE(HasProblem(file.problems(), 5, 2, "already used on line 3"));
}

TEST(WorkforceCsvTest, ReadsRolesOneRowPerRequirement) {
  const std::string text =
      std::string(kRolesCsvHeader) +
      "\n"
      "ddat,Digital Data and Technology,DDaT framework,software,Software,dev,Developer,dev-1,"
      "Junior developer,1,EO,HEO,skill,Programming,2,3\n"
      "ddat,,,software,,dev,,dev-1,,,,,behaviour,Working Together,2,\n"
      "ddat,,,software,,dev,,dev-1,,,,,experience,\"Has shipped code, in production\",,\n"
      "ddat,,,software,,dev,,dev-2,Developer,2,SEO,SEO,,,,\n";
  auto file = ParseRolesCsv(text);
  ASSERT_TRUE(file.ok()) << Problems(file.problems());
  ASSERT_EQ(file->professions.size(), 1u);
  EXPECT_EQ(file->professions[0].career_framework_id, "DDaT framework");
  ASSERT_EQ(file->role_levels.size(), 2u);
  EXPECT_EQ(file->role_levels[0].experience,
            (std::vector<std::string>{"Has shipped code, in production"}));
  ASSERT_EQ(file->requirements.size(), 2u);
  EXPECT_TRUE(file->requirements[0].skill);
  EXPECT_EQ(file->requirements[0].weight, 3);
  EXPECT_FALSE(file->requirements[1].skill);
  EXPECT_EQ(file->requirements[1].weight, 1);
  EXPECT_EQ(file->requirements[1].line, 3);
  EXPECT_EQ(file->rows, 4u);
}

TEST(WorkforceCsvTest, RefusesDisagreeingRoleRows) {
  const std::string text =
      std::string(kRolesCsvHeader) +
      "\n"
      "ddat,DDaT,,software,Software,dev,Developer,dev-1,Junior,1,HEO,EO,skill,X,5,\n"
      "ddat,Other name,,software,,dev,,dev-1,,,,,,,,\n"
      "ddat,,,software,,dev,,dev-2,Dev,1,EO,EO,,,,\n";
  auto file = ParseRolesCsv(text);
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(HasProblem(file.problems(), 2, 12, "highest grade")) << Problems(file.problems());
  EXPECT_TRUE(HasProblem(file.problems(), 3, 2, "different profession_name"))
      << Problems(file.problems());
  EXPECT_TRUE(HasProblem(file.problems(), 4, 10, "already has a level at position 1"))
      << Problems(file.problems());
}

TEST(WorkforceCsvTest, ReportsTheBadLastRowOfALargeFile) {
  std::string text(kPeopleCsvHeader);
  text += "\n";
  constexpr int kRows = 20000;
  for (int i = 0; i < kRows - 1; ++i) {
    text += "E" + std::to_string(i) + ",Person,HEO,DWP,LDS,ddat,,,,,,,,2019-09-02\n";
  }
  text += "LAST,Person,HEO,DWP,LDS,ddat,,,,,,,,2019-13-01\n";
  auto file = ParsePeopleCsv(text);
  ASSERT_FALSE(file.ok());
  ASSERT_EQ(file.problems().size(), 1u);
  EXPECT_EQ(file.problems()[0].line, kRows + 1);
  EXPECT_EQ(file.problems()[0].column, PeopleColumn::kStartDate);
}

TEST(WorkforceCsvTest, StopsAtTheProblemLimitAndSaysThereAreMore) {
  std::string text(kPeopleCsvHeader);
  text += "\n";
  for (int i = 0; i < 50; ++i) text += "E" + std::to_string(i) + ",P,ZZ,D,L,p,,,,,,,,2019-09-02\n";
  WorkforceCsvOptions options;
  options.max_problems = 10;
  auto file = ParsePeopleCsv(text, options);
  ASSERT_FALSE(file.ok());
  ASSERT_EQ(file.problems().size(), 11u);
  EXPECT_EQ(file.problems().back().message, kMoreImportProblems);
}

TEST(WorkforceCsvTest, ReportsProgress) {
  std::size_t last = 0;
  WorkforceCsvOptions options;
  options.progress = [&](std::size_t bytes) { last = bytes; };
  const std::string text = People(kPerson);
  ASSERT_TRUE(ParsePeopleCsv(text, options).ok());
  EXPECT_EQ(last, text.size());
}

}  // namespace
}  // namespace pathway::interchange
