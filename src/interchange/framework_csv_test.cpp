// Tests of the framework CSV reader and writer: round trips of the seed framework
// document and of a hand-built framework, and one test per check of the reader, each
// asserting the line and column of the problem.
#include "interchange/framework_csv.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "interchange/framework_document.hpp"

namespace pathway::interchange {
namespace {

using domain::Cluster;
using domain::Framework;
using domain::Grade;
using domain::Indicator;
using domain::IndicatorKind;
using domain::Item;

std::filesystem::path SourceDir() {
  if (const char* dir = std::getenv("PATHWAY_SOURCE_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return PATHWAY_SOURCE_DIR;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Framework SeedFramework() {
  const std::string text =
      ReadFile(SourceDir() / "src" / "interchange" / "testdata" / "competency_framework_sms1.txt");
  EXPECT_FALSE(text.empty());
  ImportResult<Framework> result = ParseFrameworkDocument(text);
  EXPECT_TRUE(result.ok());
  return result.ok() ? std::move(result).value() : Framework{};
}

std::string Describe(const std::vector<ImportProblem>& problems) {
  std::string out;
  for (const ImportProblem& problem : problems) out += FormatImportProblem(problem) + "\n";
  return out;
}

// ---------------------------------------------------------------------------------
// Comparing frameworks field by field

void ExpectSameIndicator(const Indicator& a, const Indicator& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.order, b.order);
  EXPECT_EQ(a.level, b.level);
}

void ExpectSameItem(const Item& a, const Item& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.number, b.number);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.description, b.description);
  ASSERT_EQ(a.levels.size(), b.levels.size());
  for (std::size_t l = 0; l < a.levels.size(); ++l) {
    SCOPED_TRACE("level " + std::to_string(l));
    EXPECT_EQ(a.levels[l].level, b.levels[l].level);
    EXPECT_EQ(a.levels[l].label, b.levels[l].label);
    EXPECT_EQ(a.levels[l].description, b.levels[l].description);
  }
  ASSERT_EQ(a.indicators.size(), b.indicators.size());
  for (std::size_t n = 0; n < a.indicators.size(); ++n) {
    SCOPED_TRACE("indicator " + std::to_string(n));
    ExpectSameIndicator(a.indicators[n], b.indicators[n]);
  }
}

void ExpectSameFramework(const Framework& a, const Framework& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.grade_levels, b.grade_levels);
  ASSERT_EQ(a.rating_scale.size(), b.rating_scale.size());
  for (std::size_t s = 0; s < a.rating_scale.size(); ++s) {
    SCOPED_TRACE("scale point " + std::to_string(s));
    EXPECT_EQ(a.rating_scale[s].value, b.rating_scale[s].value);
    EXPECT_EQ(a.rating_scale[s].label, b.rating_scale[s].label);
    EXPECT_EQ(a.rating_scale[s].description, b.rating_scale[s].description);
  }
  ASSERT_EQ(a.clusters.size(), b.clusters.size());
  for (std::size_t c = 0; c < a.clusters.size(); ++c) {
    SCOPED_TRACE("cluster " + std::to_string(c));
    const Cluster& x = a.clusters[c];
    const Cluster& y = b.clusters[c];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.title, y.title);
    EXPECT_EQ(x.subtitle, y.subtitle);
    EXPECT_EQ(x.description, y.description);
    EXPECT_EQ(x.order, y.order);
    ASSERT_EQ(x.items.size(), y.items.size());
    for (std::size_t i = 0; i < x.items.size(); ++i) {
      SCOPED_TRACE("item " + std::to_string(i));
      ExpectSameItem(x.items[i], y.items[i]);
    }
  }
}

Framework MustParse(std::string_view csv) {
  ImportResult<Framework> result = ParseFrameworkCsv(csv);
  EXPECT_TRUE(result.ok()) << Describe(result.ok() ? std::vector<ImportProblem>{}
                                                   : result.problems());
  return result.ok() ? std::move(result).value() : Framework{};
}

std::vector<ImportProblem> MustFail(std::string_view csv) {
  ImportResult<Framework> result = ParseFrameworkCsv(csv);
  EXPECT_FALSE(result.ok()) << csv;
  return result.ok() ? std::vector<ImportProblem>{} : result.problems();
}

// Asserts that `csv` is refused with exactly one problem, at `line` and `column`, whose
// message contains `words`.
void ExpectOnlyProblem(std::string_view csv, int line, int column, std::string_view words) {
  const std::vector<ImportProblem> problems = MustFail(csv);
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].line, line) << Describe(problems);
  EXPECT_EQ(problems[0].column, column) << Describe(problems);
  EXPECT_NE(problems[0].message.find(words), std::string::npos) << Describe(problems);
}

// ---------------------------------------------------------------------------------
// A small valid file, one row per line, to damage in the error tests.

constexpr std::string_view kF = "11111111-1111-4111-8111-111111111111";
constexpr std::string_view kC1 = "22222222-2222-4222-8222-222222222222";
constexpr std::string_view kI1 = "33333333-3333-4333-8333-333333333333";
constexpr std::string_view kN1 = "44444444-4444-4444-8444-444444444444";
constexpr std::string_view kN2 = "55555555-5555-4555-a555-555555555555";
constexpr std::string_view kUnknown = "66666666-6666-4666-b666-666666666666";

std::string S(std::string_view text) { return std::string(text); }

// Lines 2 to 9 of the small file; line 1 is the header.
std::vector<std::string> SmallRows() {
  return {
      "framework," + S(kF) + ",,1,,Leadership,About this framework,competency,draft",   // 2
      "grade,,,,5,SCS1,,,",                                                             // 3
      "scale,,,1,,Limited demonstration,,,",                                            // 4
      "cluster," + S(kC1) + "," + S(kF) + ",1,,Strategic Cluster,Setting Direction,,",  // 5
      "item," + S(kI1) + "," + S(kC1) + ",1,,Seeing the Big Picture,About it,,",        // 6
      "level,," + S(kI1) + ",,5,SMS 1,,,",                                              // 7
      "indicator," + S(kN1) + "," + S(kI1) + ",1,5,,Anticipates,effective,security",    // 8
      "indicator," + S(kN2) + "," + S(kI1) + ",1,,,Ignores,ineffective,",               // 9
  };
}

std::string Join(const std::vector<std::string>& rows, std::string_view eol = "\n") {
  std::string out = S(kFrameworkCsvHeader) + S(eol);
  for (const std::string& row : rows) out += row + S(eol);
  return out;
}

// The small file with the row on `line` (2 to 9) replaced.
std::string WithLine(int line, std::string row) {
  std::vector<std::string> rows = SmallRows();
  rows.at(line - 2) = std::move(row);
  return Join(rows);
}

// A hand-built framework using every field, with text that needs quoting.
Framework HandBuilt() {
  Framework framework;
  framework.id = "0a5f4c3e-2b1d-4e8f-9a7b-6c5d4e3f2a1b";
  framework.title = "Digital, Data and Technology \"DDaT\" skills";
  framework.kind = domain::FrameworkKind::kTechnical;
  framework.description = "First paragraph, with a comma.\n\nSecond paragraph: \"quoted\".";
  framework.version = 3;
  framework.status = domain::FrameworkStatus::kPublished;
  framework.grade_levels = {{Grade::kEO, 1}, {Grade::kHEO, 2}, {Grade::kG7, 3}, {Grade::kSCS1, 4}};
  const char* labels[] = {"Insufficient evidence",    "Limited demonstration",
                          "Minimal demonstration",    "Moderate demonstration",
                          "Good demonstration",       "Strong demonstration",
                          "Outstanding demonstration"};
  for (int value = 1; value <= 7; ++value) {
    framework.rating_scale.push_back(
        {value, labels[value - 1], value == 4 ? "The acceptable standard, \"met\"" : ""});
  }
  Cluster security;
  security.id = "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
  security.title = "Security";
  security.subtitle = "Keeping, and sharing, information safely";
  security.description = "Line one of the description.\nLine two, \"in quotes\".";
  security.order = 1;
  Item vetting;
  vetting.id = "2c3d4e5f-6071-4829-9bac-1d2e3f4a5b6c";
  vetting.number = 7;
  vetting.title = "Vetting, and clearances";
  vetting.description = "Knows \"SC\" from \"DV\".\n\nA second paragraph.";
  vetting.levels = {{1, "Awareness", "Knows the basics,\nand when to ask."},
                    {2, "Working", ""},
                    {4, "Expert", "Teaches \"others\"."}};
  vetting.indicators = {
      {"3d4e5f60-7182-493a-8bcd-2e3f4a5b6c7d",
       IndicatorKind::kEffective,
       "Checks clearances, before sharing",
       {"security", "vetting"},
       1,
       2},
      {"4e5f6071-8293-4a4b-9cde-3f4a5b6c7d8e",
       IndicatorKind::kIneffective,
       "Shares \"OFFICIAL-SENSITIVE\"\nmaterial by email",
       {},
       1,
       0},
      {"5f607182-93a4-4b5c-adef-4a5b6c7d8e9f",
       IndicatorKind::kEffective,
       "Reports incidents",
       {"incident reporting"},
       2,
       0},
  };
  security.items.push_back(vetting);
  Item empty_item;
  empty_item.id = "60718293-a4b5-4c6d-bef0-5b6c7d8e9fa0";
  empty_item.title = "An item with nothing under it";
  security.items.push_back(empty_item);
  Cluster second;
  second.id = "718293a4-b5c6-4d7e-8f01-6c7d8e9fa0b1";
  second.title = "No subtitle";
  second.description = "Only a description";
  second.order = 2;
  framework.clusters = {security, second};
  return framework;
}

// ---------------------------------------------------------------------------------
// Round trips

TEST(FrameworkCsvTest, SeedDocumentRoundTripsInEveryField) {
  const Framework seed = SeedFramework();
  ASSERT_FALSE(seed.clusters.empty());
  const std::string csv = WriteFrameworkCsv(seed);
  const Framework back = MustParse(csv);
  ExpectSameFramework(seed, back);
  // Spot checks, so that the comparison above cannot pass on two empty frameworks.
  EXPECT_EQ(back.title, seed.title);
  EXPECT_EQ(domain::CountItems(back), 10);
  EXPECT_GT(domain::CountIndicators(back, IndicatorKind::kIneffective), 0);
  EXPECT_EQ(back.grade_levels.at(Grade::kSCS1), 5);
}

TEST(FrameworkCsvTest, SeedWriteParseWriteIsByteIdentical) {
  const std::string first = WriteFrameworkCsv(SeedFramework());
  const std::string second = WriteFrameworkCsv(MustParse(first));
  EXPECT_EQ(first, second);
  EXPECT_EQ(first.find('\r'), std::string::npos);
  EXPECT_EQ(first.substr(0, kFrameworkCsvHeader.size() + 1), S(kFrameworkCsvHeader) + "\n");
}

TEST(FrameworkCsvTest, HandBuiltFrameworkRoundTrips) {
  const Framework framework = HandBuilt();
  ASSERT_TRUE(domain::ValidateFramework(framework).empty());
  const std::string csv = WriteFrameworkCsv(framework);
  const Framework back = MustParse(csv);
  ExpectSameFramework(framework, back);
  EXPECT_EQ(WriteFrameworkCsv(back), csv);
  ASSERT_EQ(back.rating_scale.size(), 7u);
  EXPECT_EQ(back.clusters[0].items[0].indicators[0].tags,
            (std::vector<std::string>{"security", "vetting"}));
}

TEST(FrameworkCsvTest, WriterQuotesOnlyWhenNeededAndOrdersRows) {
  Framework framework;
  framework.id = S(kF);
  framework.title = "Plain";
  framework.description = "Has, a comma";
  framework.grade_levels = {{Grade::kG6, 4}, {Grade::kAA, 1}};
  framework.rating_scale = {{2, "Two", ""}, {1, "One", "Say \"one\""}};
  Cluster cluster;
  cluster.id = S(kC1);
  cluster.title = "Cluster";
  cluster.subtitle = "Sub";
  cluster.description = "Desc";
  cluster.order = 1;
  Item item;
  item.id = S(kI1);
  item.title = "Item";
  item.levels = {{2, "Level 2", ""}};
  item.indicators = {{S(kN1), IndicatorKind::kIneffective, "Bad", {"a", "b"}, 1, 0},
                     {S(kN2), IndicatorKind::kEffective, "Good", {}, 1, 2}};
  cluster.items = {item};
  framework.clusters = {cluster};
  const std::string expected =
      S(kFrameworkCsvHeader) + "\n" +                                            //
      "framework," + S(kF) + ",,1,,Plain,\"Has, a comma\",competency,draft\n" +  //
      "grade,,,,1,AA,,,\n" +                                                     //
      "grade,,,,4,G6,,,\n" +                                                     //
      "scale,,,2,,Two,,,\n" +                                                    //
      "scale,,,1,,One,\"Say \"\"one\"\"\",,\n" +                                 //
      "cluster," + S(kC1) + "," + S(kF) + ",1,,Cluster,\"Sub\nDesc\",,\n" +      //
      "item," + S(kI1) + "," + S(kC1) + ",0,,Item,,,\n" +                        //
      "level,," + S(kI1) + ",,2,Level 2,,,\n" +                                  //
      "indicator," + S(kN1) + "," + S(kI1) + ",1,,,Bad,ineffective,a;b\n" +      //
      "indicator," + S(kN2) + "," + S(kI1) + ",1,2,,Good,effective,\n";
  EXPECT_EQ(WriteFrameworkCsv(framework), expected);
}

TEST(FrameworkCsvTest, SmallFileParses) {
  const Framework framework = MustParse(Join(SmallRows()));
  EXPECT_EQ(framework.id, kF);
  EXPECT_EQ(framework.title, "Leadership");
  EXPECT_EQ(framework.grade_levels.at(Grade::kSCS1), 5);
  ASSERT_EQ(framework.clusters.size(), 1u);
  EXPECT_EQ(framework.clusters[0].subtitle, "Setting Direction");
  ASSERT_EQ(framework.clusters[0].items.size(), 1u);
  const Item& item = framework.clusters[0].items[0];
  ASSERT_EQ(item.indicators.size(), 2u);
  EXPECT_EQ(item.indicators[0].level, 5);
  EXPECT_EQ(item.indicators[1].level, 0);
  EXPECT_EQ(item.indicators[1].kind, IndicatorKind::kIneffective);
  EXPECT_EQ(item.indicators[0].tags, std::vector<std::string>{"security"});
}

TEST(FrameworkCsvTest, AcceptsByteOrderMarkCrlfAndBlankLines) {
  std::vector<std::string> rows = SmallRows();
  rows[4] = "item," + S(kI1) + "," + S(kC1) + ",1,,Seeing the Big Picture,\"Two\nlines\",,";
  const Framework with_lf = MustParse(Join(rows));
  rows[4] = "item," + S(kI1) + "," + S(kC1) + ",1,,Seeing the Big Picture,\"Two\r\nlines\",,";
  const Framework with_crlf = MustParse("\xEF\xBB\xBF" + Join(rows, "\r\n") + "\r\n");
  EXPECT_EQ(with_crlf.clusters[0].items[0].description, "Two\nlines");
  ExpectSameFramework(with_lf, with_crlf);
  const Framework lf = MustParse(Join(SmallRows()));

  // No line break after the last row, blank lines between rows.
  std::string text = Join(SmallRows());
  text.pop_back();
  text.insert(text.find("grade,"), "\n\n");
  ExpectSameFramework(lf, MustParse(text));
}

TEST(FrameworkCsvTest, KeepsSpacesTrimsTagsAndSortsClustersByOrder) {
  std::vector<std::string> rows = SmallRows();
  rows[3] = "cluster," + S(kC1) + "," + S(kF) + ",2,,  Spaced  ,Sub,,";
  rows.push_back("cluster,77777777-7777-4777-8777-777777777777," + S(kF) + ",1,,First,,,");
  rows[6] = "indicator," + S(kN1) + "," + S(kI1) + ",1,5,,Anticipates,effective,security; vetting";
  const Framework framework = MustParse(Join(rows));
  ASSERT_EQ(framework.clusters.size(), 2u);
  EXPECT_EQ(framework.clusters[0].title, "First");
  EXPECT_EQ(framework.clusters[1].title, "  Spaced  ");
  EXPECT_EQ(framework.clusters[1].items[0].indicators[0].tags,
            (std::vector<std::string>{"security", "vetting"}));
}

// ---------------------------------------------------------------------------------
// The file as a whole

TEST(FrameworkCsvTest, RefusesEmptyFile) {
  ExpectOnlyProblem("", 1, 1, "empty");
  ExpectOnlyProblem("\xEF\xBB\xBF\n\n", 1, 1, "empty");
}

TEST(FrameworkCsvTest, RefusesFileOverTheSizeLimit) {
  std::string text = Join(SmallRows());
  text.resize(kFrameworkCsvMaxBytes + 1, '\n');
  ExpectOnlyProblem(text, 1, 1, "must be smaller than 20 MB");
}

TEST(FrameworkCsvTest, RefusesUtf16AndSpreadsheets) {
  ExpectOnlyProblem("\xFF\xFEt\0y\0", 1, 1, "UTF-16");
  ExpectOnlyProblem("PK\x03\x04rest", 1, 1, "spreadsheet");
}

TEST(FrameworkCsvTest, RefusesWrongHeaderAtTheFirstDifferentColumn) {
  std::string text = Join(SmallRows());
  text.replace(text.find("polarity"), 8, "kind");
  ExpectOnlyProblem(text, 1, 8, "The first line must be the header");
  ExpectOnlyProblem("name,email\nAda,ada@example.com\n", 1, 1, "header");
  ExpectOnlyProblem(S(kFrameworkCsvHeader) + ",extra\n", 1, 10, "header");
}

TEST(FrameworkCsvTest, RefusesHeaderOnly) {
  ExpectOnlyProblem(S(kFrameworkCsvHeader) + "\n", 2, 1, "Add the framework row");
}

TEST(FrameworkCsvTest, RefusesMissingRepeatedOrLateFrameworkRow) {
  std::vector<std::string> rows = SmallRows();
  std::swap(rows[0], rows[1]);  // grade on line 2, framework on line 3
  std::vector<ImportProblem> problems = MustFail(Join(rows));
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].line, 2);
  EXPECT_EQ(problems[0].column, 1);
  EXPECT_NE(problems[0].message.find("must be the framework row"), std::string::npos);

  rows = SmallRows();
  rows.push_back(rows[0]);
  ExpectOnlyProblem(Join(rows), 10, 1, "only one framework row");
}

// ---------------------------------------------------------------------------------
// Encoding and CSV syntax

TEST(FrameworkCsvTest, RefusesInvalidUtf8AtTheLineOfTheBadByte) {
  // The indicator's text starts on line 8 and its second line has a Latin-1 byte.
  ExpectOnlyProblem(WithLine(8, "indicator," + S(kN1) + "," + S(kI1) +
                                    ",1,5,,\"Anticipates\nchang\xE9\",effective,security"),
                    9, 7, "not UTF-8");
  ExpectOnlyProblem(WithLine(6, "item," + S(kI1) + "," + S(kC1) + ",1,,Caf\xC3\x28,About it,,"), 6,
                    6, "not UTF-8");
}

TEST(FrameworkCsvTest, RefusesControlCharactersAndLoneCarriageReturns) {
  ExpectOnlyProblem(WithLine(6, "item," + S(kI1) + "," + S(kC1) + ",1,,Bell\a,About it,,"), 6, 6,
                    "U+0007");
  std::string text = Join(SmallRows());
  text.replace(text.find("\ngrade"), 1, "\r");
  ExpectOnlyProblem(text, 2, 1, "carriage return");
  ExpectOnlyProblem(WithLine(6, "item," + S(kI1) + "," + S(kC1) + ",1,,Title,\"Mac\rline\",,"), 6,
                    7, "carriage return");
}

TEST(FrameworkCsvTest, QuotedLineBreaksShiftLaterLineNumbers) {
  std::vector<std::string> rows = SmallRows();
  rows[4] = "item," + S(kI1) + "," + S(kC1) + ",1,,Seeing the Big Picture,\"One\ntwo\nthree\",,";
  rows[7] = "indicator," + S(kN2) + "," + S(kI1) + ",1,,,Ignores,sometimes,";
  // Line 9 of the small file is now line 11.
  ExpectOnlyProblem(Join(rows), 11, 8, "Polarity ‘sometimes’ is not known");
  // A field after a multi-line field on the same row starts on the later line.
  rows = SmallRows();
  rows[6] = "indicator," + S(kN1) + "," + S(kI1) + ",1,5,,\"Anticipates\nwell\",good,security";
  ExpectOnlyProblem(Join(rows), 9, 8, "Polarity ‘good’ is not known");
}

TEST(FrameworkCsvTest, CrlfFileReportsTheSameLines) {
  std::vector<std::string> rows = SmallRows();
  rows[4] = "item," + S(kI1) + "," + S(kC1) + ",1,,Seeing the Big Picture,\"One\r\ntwo\",,";
  rows[5] = "level,," + S(kI1) + ",,five,SMS 1,,,";
  ExpectOnlyProblem(Join(rows, "\r\n"), 8, 5, "whole number");
}

TEST(FrameworkCsvTest, RefusesStrayQuotesAndCarriesOn) {
  std::vector<std::string> rows = SmallRows();
  rows[3] = "cluster," + S(kC1) + "," + S(kF) + ",1,,Strategic \"Cluster\",Setting Direction,,";
  rows[6] = "indicator,not-a-uuid," + S(kI1) + ",1,5,,Anticipates,effective,security";
  std::vector<ImportProblem> problems = MustFail(Join(rows));
  // The cluster row is dropped, but its id is known, so its item is not an orphan.
  ASSERT_EQ(problems.size(), 2u) << Describe(problems);
  EXPECT_EQ(problems[0].line, 5);
  EXPECT_EQ(problems[0].column, 6);
  EXPECT_NE(problems[0].message.find("double quote"), std::string::npos);
  EXPECT_EQ(problems[1].line, 8);
  EXPECT_EQ(problems[1].column, 2);

  ExpectOnlyProblem(WithLine(5, "cluster," + S(kC1) + "," + S(kF) +
                                    ",1,,\"Strategic\" Cluster,Setting Direction,,"),
                    5, 6, "does not end it");
}

TEST(FrameworkCsvTest, RefusesUnclosedQuoteAtTheLineItOpens) {
  std::string text = Join(SmallRows());
  text += "indicator," + S(kUnknown) + "," + S(kI1) + ",2,,,\"Never closed\nand more\n";
  ExpectOnlyProblem(text, 10, 7, "no closing double quote");
}

// ---------------------------------------------------------------------------------
// Rows

TEST(FrameworkCsvTest, RefusesWrongNumberOfFields) {
  ExpectOnlyProblem(WithLine(4, "scale,,,1,,Limited demonstration,,"), 4, 9, "has 8 fields");
  ExpectOnlyProblem(WithLine(4, "scale,,,1,,Limited demonstration,,,,"), 4, 10, "has 10 fields");
}

TEST(FrameworkCsvTest, RefusesUnknownType) {
  ExpectOnlyProblem(WithLine(4, "Scale,,,1,,Limited demonstration,,,"), 4, 1,
                    "Type ‘Scale’ is not known");
  ExpectOnlyProblem(WithLine(4, ",,,1,,Limited demonstration,,,"), 4, 1, "Enter the type");
}

TEST(FrameworkCsvTest, RefusesValuesInColumnsThatMustBeEmpty) {
  ExpectOnlyProblem(
      WithLine(5, "cluster," + S(kC1) + "," + S(kF) + ",1,3,Strategic Cluster,Setting Direction,,"),
      5, 5, "Leave the level column empty in a cluster row");
  ExpectOnlyProblem(WithLine(3, "grade,,,,5,SCS1,,,x"), 3, 9, "Leave the tags column empty");
  ExpectOnlyProblem(WithLine(8, "indicator," + S(kN1) + "," + S(kI1) +
                                    ",1,5,Title,Anticipates,effective,security"),
                    8, 6, "Leave the title column empty in an indicator row");
}

// `text` with every occurrence of `from` replaced.
std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

TEST(FrameworkCsvTest, RefusesBadUuids) {
  // The cluster's id, also as its item's parent: only the id itself is a problem.
  const std::string small = Join(SmallRows());
  ExpectOnlyProblem(ReplaceAll(small, kC1, "not-a-uuid"), 5, 2,
                    "The id of the cluster must be a UUID in lower case");
  ExpectOnlyProblem(ReplaceAll(small, kC1, "22222222-2222-4222-8222-22222222222A"), 5, 2,
                    "must be a UUID");
  ExpectOnlyProblem(ReplaceAll(small, kC1, "22222222-2222-4222-c222-222222222222"), 5, 2,
                    "must be a UUID");
  ExpectOnlyProblem(ReplaceAll(small, kC1, "{22222222-2222-4222-8222-222222222222}"), 5, 2,
                    "must be a UUID");
  ExpectOnlyProblem(WithLine(9, "indicator,," + S(kI1) + ",1,,,Ignores,ineffective,"), 9, 2,
                    "Enter the id of the indicator");
}

TEST(FrameworkCsvTest, RefusesDuplicateIds) {
  ExpectOnlyProblem(WithLine(9, "indicator," + S(kN1) + "," + S(kI1) + ",1,,,Ignores,ineffective,"),
                    9, 2, "already used on line 8");
  std::vector<std::string> rows = SmallRows();
  rows.push_back("cluster," + S(kI1) + "," + S(kF) + ",2,,Second cluster,,,");
  ExpectOnlyProblem(Join(rows), 10, 2, "already used on line 6");
}

TEST(FrameworkCsvTest, RefusesUnknownParent) {
  const std::vector<ImportProblem> problems = MustFail(
      WithLine(6, "item," + S(kI1) + "," + S(kUnknown) + ",1,,Seeing the Big Picture,About it,,"));
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].line, 6);
  EXPECT_EQ(problems[0].column, 3);
  EXPECT_NE(problems[0].message.find("There is no cluster with the id"), std::string::npos);
  ExpectOnlyProblem(WithLine(7, "level,,,,5,SMS 1,,,"), 7, 3, "Enter the id of the item");
}

TEST(FrameworkCsvTest, RefusesChildBeforeParent) {
  std::vector<std::string> rows = SmallRows();
  std::swap(rows[4], rows[5]);  // the level on line 6, its item on line 7
  std::vector<ImportProblem> problems = MustFail(Join(rows));
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].line, 6);
  EXPECT_EQ(problems[0].column, 3);
  EXPECT_NE(problems[0].message.find("Move this row below line 7"), std::string::npos);
}

TEST(FrameworkCsvTest, RefusesParentOfTheWrongType) {
  ExpectOnlyProblem(
      WithLine(6, "item," + S(kI1) + "," + S(kF) + ",1,,Seeing the Big Picture,About it,,"), 6, 3,
      "The parent of an item must be a cluster");
  ExpectOnlyProblem(WithLine(7, "level,," + S(kC1) + ",,5,SMS 1,,,"), 7, 3,
                    "is the id of the cluster on line 5");
}

TEST(FrameworkCsvTest, RefusesNumbersWithSignsFractionsOrOverflow) {
  const std::string framework = "framework," + S(kF) + ",,";
  const std::string rest = ",,Leadership,About this framework,competency,draft";
  ExpectOnlyProblem(WithLine(2, framework + "+1" + rest), 2, 4, "digits only");
  ExpectOnlyProblem(WithLine(2, framework + "-1" + rest), 2, 4, "digits only");
  ExpectOnlyProblem(WithLine(2, framework + "1.0" + rest), 2, 4, "digits only");
  ExpectOnlyProblem(WithLine(2, framework + " 1" + rest), 2, 4, "digits only");
  ExpectOnlyProblem(WithLine(2, framework + "2147483648" + rest), 2, 4, "2147483647 or less");
  ExpectOnlyProblem(WithLine(2, framework + "0" + rest), 2, 4, "Version must be 1 or more");
  ExpectOnlyProblem(WithLine(2, framework + rest), 2, 4, "Enter the version number");
  ExpectOnlyProblem(WithLine(3, "grade,,,,0,SCS1,,,"), 3, 5, "must be 1 or more");
  ExpectOnlyProblem(
      WithLine(8, "indicator," + S(kN1) + "," + S(kI1) + ",1,x,,Anticipates,effective,security"), 8,
      5, "whole number");
}

TEST(FrameworkCsvTest, RefusesUnknownKindStatusPolarityAndGrade) {
  const std::string start = "framework," + S(kF) + ",,1,,Leadership,About this framework,";
  ExpectOnlyProblem(WithLine(2, start + "skills,draft"), 2, 8, "Kind ‘skills’ is not known");
  ExpectOnlyProblem(WithLine(2, start + ",draft"), 2, 8, "Enter the kind of framework");
  ExpectOnlyProblem(WithLine(2, start + "competency,Draft"), 2, 9, "Status ‘Draft’ is not known");
  ExpectOnlyProblem(WithLine(9, "indicator," + S(kN2) + "," + S(kI1) + ",1,,,Ignores,,"), 9, 8,
                    "Enter the polarity");
  ExpectOnlyProblem(WithLine(3, "grade,,,,5,SMS1,,,"), 3, 6, "Grade ‘SMS1’ is not known");
}

TEST(FrameworkCsvTest, RefusesDuplicateLevelScaleGradeAndPositions) {
  std::vector<std::string> rows = SmallRows();
  rows.push_back("level,," + S(kI1) + ",,5,Again,,,");
  ExpectOnlyProblem(Join(rows), 10, 5, "Level 5 of this item is already described on line 7");

  rows = SmallRows();
  rows.push_back("scale,,,1,,Again,,,");
  ExpectOnlyProblem(Join(rows), 10, 4, "Scale value 1 is already used on line 4");

  rows = SmallRows();
  rows.push_back("grade,,,,4,SCS1,,,");
  ExpectOnlyProblem(Join(rows), 10, 6, "Grade SCS1 is already given on line 3");

  rows = SmallRows();
  rows.push_back("cluster,77777777-7777-4777-8777-777777777777," + S(kF) + ",1,,Second,,,");
  ExpectOnlyProblem(Join(rows), 10, 4, "Position 1 is already used by the cluster on line 5");

  rows = SmallRows();
  rows.push_back("indicator," + S(kUnknown) + "," + S(kI1) + ",1,,,Another,effective,");
  ExpectOnlyProblem(Join(rows), 10, 4, "already used by the effective indicator");
}

TEST(FrameworkCsvTest, RefusesEmptyTagsAndScaleLabels) {
  ExpectOnlyProblem(WithLine(8, "indicator," + S(kN1) + "," + S(kI1) +
                                    ",1,5,,Anticipates,effective,security;;vetting"),
                    8, 9, "Tags must not be empty");
  ExpectOnlyProblem(WithLine(4, "scale,,,1,,,,,"), 4, 6, "Enter a label");
}

TEST(FrameworkCsvTest, ReportsFrameworkValidationProblemsAtTheirField) {
  ExpectOnlyProblem(WithLine(5, "cluster," + S(kC1) + "," + S(kF) + ",1,, ,Setting Direction,,"), 5,
                    6, "Enter a title for cluster 1");
  std::vector<std::string> rows = SmallRows();
  rows.push_back("indicator," + S(kUnknown) + "," + S(kI1) + ",2,,,Anticipates,effective,");
  ExpectOnlyProblem(Join(rows), 10, 7, "more than once");
  rows = SmallRows();
  rows.push_back("item," + S(kUnknown) + "," + S(kC1) + ",1,,Another item,,,");
  ExpectOnlyProblem(Join(rows), 10, 4, "Number 1 is used by more than one");
  rows = SmallRows();
  rows[0] = "framework," + S(kF) + ",,1,,Leadership,About,competency,published";
  rows.resize(3);
  ExpectOnlyProblem(Join(rows), 2, 9, "must have at least one competency");
  ExpectOnlyProblem(WithLine(2, "framework," + S(kF) + ",,1,,,About,competency,draft"), 2, 6,
                    "Enter a title for the framework");
}

TEST(FrameworkCsvTest, RefusesA1MbNameAtItsLineAndColumnWithoutEchoingIt) {
  const std::string huge(1024 * 1024, 'N');
  const std::vector<ImportProblem> problems = MustFail(WithLine(
      2, "framework," + S(kF) + ",,1,," + huge + ",About this framework,competency,draft"));
  ASSERT_EQ(problems.size(), 1u) << Describe(problems).substr(0, 500);
  EXPECT_EQ(problems[0].line, 2);
  EXPECT_EQ(problems[0].column, 6);
  EXPECT_EQ(problems[0].message,
            "Enter 250 characters or fewer in the title column. This one has 1048576");
  ExpectOnlyProblem(WithLine(8, "indicator," + S(kN1) + "," + S(kI1) + ",1,5,," +
                                    std::string(2001, 'x') + ",effective,security"),
                    8, 7, "Enter 2000 characters or fewer in the text column");
  ExpectOnlyProblem(WithLine(6, "item," + S(kI1) + "," + S(kC1) + ",1,,Seeing the Big Picture," +
                                    std::string(10001, 'x') + ",,"),
                    6, 7, "Enter 10000 characters or fewer in the text column");
  ExpectOnlyProblem(
      WithLine(8, "indicator," + S(kN1) + "," + S(kI1) + ",1,5,,Anticipates,effective," +
                      std::string(51, 't')),
      8, 9, "Each tag of effective indicator 1 of competency ‘Seeing the Big Picture’ must be 50");
}

TEST(FrameworkCsvTest, TitlesAndLabelsAreOneLine) {
  const std::vector<ImportProblem> problems = MustFail(
      WithLine(6, "item," + S(kI1) + "," + S(kC1) + ",1,,\"Seeing the\nBig Picture\",About it,,"));
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].line, 6);
  EXPECT_EQ(problems[0].column, 6);
  EXPECT_EQ(problems[0].message, "The title must be one line. Remove the line break");
  EXPECT_TRUE(ParseFrameworkCsv(WithLine(6, "item," + S(kI1) + "," + S(kC1) +
                                                ",1,,Seeing the Big Picture,\"Two\nlines\",,"))
                  .ok())
      << "a description may have line breaks";
}

TEST(FrameworkCsvTest, FormulasAreWrittenNeutralisedAndReadBackAsTheyWere) {
  Framework framework = MustParse(Join(SmallRows()));
  const std::string formula = "=HYPERLINK(\"http://attacker.example\",\"Click\")";
  framework.clusters[0].items[0].indicators[0].text = formula;
  framework.clusters[0].items[0].title = "-Seeing the Big Picture";
  framework.clusters[0].items[0].description = "'+already an apostrophe";
  framework.rating_scale[0].label = "@Limited";
  const std::string written = WriteFrameworkCsv(framework);
  EXPECT_NE(
      written.find(",\"'=HYPERLINK(\"\"http://attacker.example\"\",\"\"Click\"\")\",effective,"),
      std::string::npos)
      << written;
  EXPECT_NE(written.find(",\"'-Seeing the Big Picture\","), std::string::npos);
  EXPECT_NE(written.find(",\"''+already an apostrophe\","), std::string::npos);
  EXPECT_NE(written.find(",\"'@Limited\","), std::string::npos);
  for (std::string_view cell : {",=", ",-", ",@", ",+", ",\"=", ",\"-", ",\"@", ",\"+"}) {
    EXPECT_EQ(written.find(cell), std::string::npos) << "a cell starts with " << cell;
  }
  const Framework back = MustParse(written);
  EXPECT_EQ(back.clusters[0].items[0].indicators[0].text, formula);
  EXPECT_EQ(back.clusters[0].items[0].title, "-Seeing the Big Picture");
  EXPECT_EQ(back.clusters[0].items[0].description, "'+already an apostrophe");
  EXPECT_EQ(back.rating_scale[0].label, "@Limited");
  EXPECT_EQ(WriteFrameworkCsv(back), written) << "the same bytes again";
}

TEST(FrameworkCsvTest, TenBadRowsGiveTenProblemsInFileOrder) {
  std::vector<std::string> rows = SmallRows();
  for (int i = 0; i < 10; ++i) rows.push_back("scale,,,x" + std::to_string(i) + ",,Label,,,");
  const std::vector<ImportProblem> problems = MustFail(Join(rows));
  ASSERT_EQ(problems.size(), 10u) << Describe(problems);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(problems[i].line, 10 + i);
    EXPECT_EQ(problems[i].column, 4);
  }
}

TEST(FrameworkCsvTest, StopsAtTheProblemLimitAndSaysThereAreMore) {
  std::vector<std::string> rows = SmallRows();
  for (int i = 0; i < 150; ++i) rows.push_back("scale,,,x,,Label,,,");
  rows.push_back("level,," + S(kUnknown) + ",,5,Orphan,,,");
  const std::vector<ImportProblem> problems = MustFail(Join(rows));
  ASSERT_EQ(problems.size(), kMaxImportProblems + 1);
  EXPECT_EQ(problems[kMaxImportProblems - 1].line, 10 + static_cast<int>(kMaxImportProblems) - 1);
  EXPECT_EQ(problems.back().message, kMoreImportProblems);
}

TEST(FrameworkCsvTest, ManyProblemsInOneFileAreAllReported) {
  std::vector<std::string> rows = SmallRows();
  rows[1] = "grade,,,,5,XX,,,";
  rows[3] = "cluster," + S(kC1) + "," + S(kF) + ",1,2,Strategic Cluster,Setting Direction,,";
  rows[6] = "indicator," + S(kN1) + "," + S(kUnknown) + ",1,5,,Anticipates,effective,";
  rows[7] = "indicator,bad," + S(kI1) + ",1,,,Ignores,ineffective,";
  const std::vector<ImportProblem> problems = MustFail(Join(rows));
  std::vector<std::pair<int, int>> places;
  for (const ImportProblem& problem : problems) places.emplace_back(problem.line, problem.column);
  EXPECT_EQ(places, (std::vector<std::pair<int, int>>{{3, 6}, {5, 5}, {8, 3}, {9, 2}}))
      << Describe(problems);
}

// ---------------------------------------------------------------------------------
// Robustness

bool ValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t length = b < 0x80         ? 1
                         : (b >> 5) == 6  ? 2
                         : (b >> 4) == 14 ? 3
                         : (b >> 3) == 30 ? 4
                                          : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

void ExpectParsesOrExplains(std::string_view text) {
  ImportResult<Framework> result = ParseFrameworkCsv(text);
  if (result.ok()) return;
  ASSERT_FALSE(result.problems().empty());
  const int lines = 2 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  for (const ImportProblem& problem : result.problems()) {
    EXPECT_GE(problem.line, 1);
    EXPECT_LE(problem.line, lines);
    EXPECT_GE(problem.column, 1);
    EXPECT_LE(problem.column, 10);
    EXPECT_FALSE(problem.message.empty());
    EXPECT_TRUE(ValidUtf8(problem.message)) << problem.message;
  }
}

TEST(FrameworkCsvTest, TruncatedAndDamagedFilesNeverCrash) {
  const std::string valid = WriteFrameworkCsv(HandBuilt());
  for (std::size_t length = 0; length <= valid.size(); length += 7) {
    ExpectParsesOrExplains(std::string_view(valid).substr(0, length));
  }
  std::mt19937 random(20240611);
  const std::string specials(",\"\r\n\0\xC3\xFF;-a", 10);
  for (int round = 0; round < 300; ++round) {
    std::string damaged = valid;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int k = 0; k < flips; ++k) {
      const std::size_t at = random() % damaged.size();
      damaged[at] =
          round % 2 == 0 ? static_cast<char>(random() % 256) : specials[random() % specials.size()];
    }
    ExpectParsesOrExplains(damaged);
  }
}

}  // namespace
}  // namespace pathway::interchange
