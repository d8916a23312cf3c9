// Tests of the framework document parser against seed 001 (a copy lives in testdata/)
// and variants derived from it in the test: other line endings, quotes, page breaks,
// titles of other grades, damaged and wrong files.
#include "interchange/framework_document.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

namespace pathway::interchange {
namespace {

using domain::Framework;
using domain::Grade;
using domain::IndicatorKind;
using domain::Item;

constexpr std::string_view kSeedName = "001_ed4d016caf170099.txt";
constexpr std::string_view kTestdataName = "competency_framework_sms1.txt";

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

// The seed, from the copy beside these tests so that they do not depend on the shared
// seeds folder.
const std::string& Seed() {
  static const std::string seed =
      ReadFile(SourceDir() / "src" / "interchange" / "testdata" / kTestdataName);
  return seed;
}

// `text` with the one occurrence of `from` replaced; fails the test if `from` does not
// occur exactly once, so that a variant can never silently equal the original.
std::string ReplaceOnce(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not found: " << from;
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "found twice: " << from;
  return text.replace(at, from.size(), to);
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  std::size_t at = 0;
  int count = 0;
  while ((at = text.find(from, at)) != std::string::npos) {
    text.replace(at, from.size(), to);
    at += to.size();
    ++count;
  }
  EXPECT_GT(count, 0) << "not found: " << from;
  return text;
}

// 1-based line of the first occurrence of `needle`.
int LineOf(std::string_view text, std::string_view needle) {
  const std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

int CodePoints(std::string_view text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Describe(const ImportResult<Framework>& result) {
  if (result.ok()) return "parsed";
  std::string out;
  for (const ImportProblem& problem : result.problems()) {
    out += FormatImportProblem(problem) + "\n";
  }
  return out;
}

Framework ParseOk(std::string_view text, const ParseOptions& options = {}) {
  auto result = ParseFrameworkDocument(text, options);
  EXPECT_TRUE(result.ok()) << Describe(result);
  if (!result.ok()) return {};
  return std::move(result).value();
}

std::vector<ImportProblem> ParseFails(std::string_view text, const ParseOptions& options = {}) {
  auto result = ParseFrameworkDocument(text, options);
  EXPECT_FALSE(result.ok());
  if (result.ok()) return {};
  return result.problems();
}

const Item& ItemNumbered(const Framework& framework, int number) {
  const Item* item = domain::FindItemByNumber(framework, number);
  if (item == nullptr) throw std::runtime_error("no item " + std::to_string(number));
  return *item;
}

std::vector<std::string> Texts(const Item& item, IndicatorKind kind) {
  std::vector<std::string> texts;
  for (const auto* indicator : domain::IndicatorsOfKind(item, kind)) {
    texts.push_back(indicator->text);
  }
  return texts;
}

// Every id in the framework, in document order.
std::vector<std::string> AllIds(const Framework& framework) {
  std::vector<std::string> ids{framework.id};
  for (const auto& cluster : framework.clusters) {
    ids.push_back(cluster.id);
    for (const auto& item : cluster.items) {
      ids.push_back(item.id);
      for (const auto& indicator : item.indicators) ids.push_back(indicator.id);
    }
  }
  return ids;
}

constexpr std::array<int, 10> kRowsPerCompetency{5, 6, 6, 6, 6, 6, 6, 6, 6, 6};

// The shape every faithful reading of the seed has.
void ExpectSeedShape(const Framework& framework) {
  ASSERT_EQ(framework.clusters.size(), 3u);
  EXPECT_EQ(domain::CountItems(framework), 10);
  EXPECT_EQ(domain::CountIndicators(framework, IndicatorKind::kEffective), 59);
  EXPECT_EQ(domain::CountIndicators(framework, IndicatorKind::kIneffective), 59);
  for (int number = 1; number <= 10; ++number) {
    const Item* item = domain::FindItemByNumber(framework, number);
    ASSERT_NE(item, nullptr) << number;
    EXPECT_EQ(Texts(*item, IndicatorKind::kEffective).size(), kRowsPerCompetency[number - 1])
        << item->title;
    EXPECT_EQ(Texts(*item, IndicatorKind::kIneffective).size(), kRowsPerCompetency[number - 1])
        << item->title;
  }
}

// ---------------------------------------------------------------------------------
// The seed itself

TEST(FrameworkDocumentTest, TestdataCopyMatchesTheSharedSeed) {
  const auto shared = SourceDir() / ".." / "shared" / "seeds" / kSeedName;
  if (!std::filesystem::exists(shared)) GTEST_SKIP() << "no shared seeds at " << shared;
  EXPECT_EQ(ReadFile(shared), Seed());
}

TEST(FrameworkDocumentTest, SeedHasThreeClustersTenCompetenciesAnd59PairsOfBehaviours) {
  ASSERT_FALSE(Seed().empty()) << "testdata copy of the seed is missing";
  const Framework framework = ParseOk(Seed());
  ExpectSeedShape(framework);

  const std::vector<std::array<std::string, 2>> clusters{
      {"Strategic Cluster", "Setting Direction"},
      {"People Cluster", "Engaging People"},
      {"Performance Cluster", "Delivering Results"}};
  const std::vector<std::vector<std::string>> titles{
      {"Seeing the Big Picture", "Changing and Improving", "Making Effective Decisions"},
      {"Leading and Communicating", "Collaborating and Partnering", "Building Capability for All"},
      {"Achieving Commercial Outcomes", "Delivering Value for Money", "Managing a Quality Service",
       "Delivering at Pace"}};
  int number = 0;
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    const domain::Cluster& cluster = framework.clusters[c];
    EXPECT_EQ(cluster.title, clusters[c][0]);
    EXPECT_EQ(cluster.subtitle, clusters[c][1]);
    EXPECT_EQ(cluster.order, static_cast<int>(c) + 1);
    EXPECT_EQ(cluster.description, "");
    ASSERT_EQ(cluster.items.size(), titles[c].size());
    for (std::size_t i = 0; i < titles[c].size(); ++i) {
      EXPECT_EQ(cluster.items[i].number, ++number);
      EXPECT_EQ(cluster.items[i].title, titles[c][i]);
    }
  }
}

TEST(FrameworkDocumentTest, SeedTitleLevelAndGrades) {
  const Framework framework = ParseOk(Seed());
  EXPECT_EQ(framework.title, "Civil Service Competency Framework By Grade – SMS 1");
  EXPECT_EQ(framework.kind, domain::FrameworkKind::kCompetency);
  EXPECT_EQ(framework.version, 1);
  EXPECT_EQ(framework.status, domain::FrameworkStatus::kDraft);
  EXPECT_EQ(framework.grade_levels, (std::map<Grade, int>{{Grade::kSCS1, 5}}));
  for (const auto& cluster : framework.clusters) {
    for (const auto& item : cluster.items) {
      ASSERT_EQ(item.levels.size(), 1u) << item.title;
      EXPECT_EQ(item.levels[0].level, 5);
      EXPECT_EQ(item.levels[0].label, "SMS 1");
      EXPECT_EQ(item.levels[0].description, "");
      for (const auto& indicator : item.indicators) EXPECT_EQ(indicator.level, 5);
    }
  }
}

TEST(FrameworkDocumentTest, SeedDescriptions) {
  const Framework framework = ParseOk(Seed());
  const std::string& intro = framework.description;
  EXPECT_EQ(intro.rfind("About this framework\n\nWe are introducing a new competency framework", 0),
            0u)
      << intro.substr(0, 100);
  EXPECT_NE(intro.find("\n\nWhat does it mean for me?\n\n"), std::string::npos);
  EXPECT_NE(intro.find("set out “what” you need to achieve"), std::string::npos);
  const std::string_view last_paragraph =
      "The framework is made up of ten competencies. Below is a list of all the competencies "
      "with a high-level summary of each one.";
  ASSERT_GT(intro.size(), last_paragraph.size());
  EXPECT_EQ(intro.substr(intro.size() - last_paragraph.size() - 2),
            "\n\n" + std::string(last_paragraph));
  EXPECT_EQ(intro.find("Strategic Cluster"), std::string::npos);

  EXPECT_EQ(ItemNumbered(framework, 1).description,
            "Seeing the big picture is about having an in-depth understanding and knowledge of "
            "how your role fits with and supports organisational objectives and the wider public "
            "needs. For all staff, it is about focusing your contribution on the activities "
            "which will meet Civil Service goals and deliver the greatest value. At senior "
            "levels, it is about scanning the political context and taking account of wider "
            "impacts to develop long term implementation strategies that maximise opportunities "
            "to add value to the citizen and support economic, sustainable growth.");
  // Competency 5's description is broken mid-sentence by the export; it is one paragraph.
  const std::string& five = ItemNumbered(framework, 5).description;
  EXPECT_NE(five.find("building supportive, responsive relationships with colleagues and "
                      "stakeholders, whilst having the confidence"),
            std::string::npos)
      << five;
  for (const auto& cluster : framework.clusters) {
    for (const auto& item : cluster.items) {
      EXPECT_FALSE(item.description.empty()) << item.title;
      EXPECT_EQ(item.description.find('\n'), std::string::npos) << item.title;
      EXPECT_EQ(item.description.back(), '.') << item.title;
    }
  }
  EXPECT_EQ(ItemNumbered(framework, 10).description.substr(0, 44),
            "Effectiveness in this area means focusing on");
}

TEST(FrameworkDocumentTest, SeedIndicatorTexts) {
  const Framework framework = ParseOk(Seed());
  const auto first_effective = Texts(ItemNumbered(framework, 1), IndicatorKind::kEffective);
  const auto first_ineffective = Texts(ItemNumbered(framework, 1), IndicatorKind::kIneffective);
  ASSERT_EQ(first_effective.size(), 5u);
  ASSERT_EQ(first_ineffective.size(), 5u);
  EXPECT_EQ(first_effective.front(),
            "Anticipate and predict the long term impact of national and international "
            "developments, including economic, political, environmental, social and "
            "technological, on own area");
  EXPECT_EQ(first_ineffective.front(),
            "Have limited insight into the changes and developments surrounding own area");
  EXPECT_EQ(first_effective.back(),
            "Shape strategies and plans which help put into practice and support the "
            "Department's vision and long-term direction, including those shared with other "
            "departments");
  EXPECT_EQ(first_ineffective.back(),
            "Maintain a narrow perspective – allow own area to become out of step or work "
            "against the overall objectives of the Department");
  EXPECT_EQ(first_ineffective[2],
            "Lack insight into the wider context for own area – take a simplistic perspective "
            "on the issues and concerns of stakeholders");

  // Rows after a page break that repeated the competency's heading.
  const auto six = Texts(ItemNumbered(framework, 6), IndicatorKind::kEffective);
  ASSERT_EQ(six.size(), 6u);
  EXPECT_EQ(six[4].substr(0, 43), "Identify capability requirements to deliver");
  EXPECT_EQ(six[5],
            "Role model continuous learning and self development, evaluating own effectiveness "
            "and growth and planning next learning steps accordingly");
  EXPECT_EQ(Texts(ItemNumbered(framework, 6), IndicatorKind::kIneffective)[5],
            "Seldom seek feedback and fail to seize opportunities for personal development");
  const auto eight = Texts(ItemNumbered(framework, 8), IndicatorKind::kEffective);
  ASSERT_EQ(eight.size(), 6u);
  EXPECT_EQ(eight[0].substr(0, 41), "Understand the financial position of own ");
  EXPECT_EQ(eight[1],
            "Make and encourage strategic choices on spend, challenge high risk costly projects "
            "and forgo non-priority expenditure");

  // Competency 10: a dashed line and the heading again, then the whole table; the file
  // ends without a newline.
  const auto ten_effective = Texts(ItemNumbered(framework, 10), IndicatorKind::kEffective);
  const auto ten_ineffective = Texts(ItemNumbered(framework, 10), IndicatorKind::kIneffective);
  ASSERT_EQ(ten_effective.size(), 6u);
  EXPECT_EQ(ten_effective[0],
            "Translate strategic priorities into clear outcome-focused objectives for managers "
            "and provide the energy and drive in achievement of these objectives");
  EXPECT_EQ(ten_ineffective.back(),
            "Overlook the impact of challenges and the impact on team and organisational "
            "resilience");

  std::set<std::string> titles;
  for (const auto& cluster : framework.clusters) {
    for (const auto& item : cluster.items) titles.insert(item.title);
  }
  for (const auto& cluster : framework.clusters) {
    for (const auto& item : cluster.items) {
      std::array<int, 2> expected_order{};
      for (const auto& indicator : item.indicators) {
        const std::string& text = indicator.text;
        EXPECT_FALSE(text.empty());
        EXPECT_EQ(text.find_first_of("\t\r\n<>"), std::string::npos) << text;
        EXPECT_EQ(text.find("---"), std::string::npos) << text;
        EXPECT_NE(text.front(), ' ') << text;
        EXPECT_NE(text.back(), ' ') << text;
        EXPECT_EQ(titles.count(text), 0u) << "a heading was read as a behaviour: " << text;
        EXPECT_EQ(text.find("Behaviour"), std::string::npos) << text;
        EXPECT_EQ(indicator.order, ++expected_order[static_cast<int>(indicator.kind)]);
      }
    }
  }
}

TEST(FrameworkDocumentTest, IdsAreValidUniqueAndStable) {
  const Framework first = ParseOk(Seed());
  const Framework second = ParseOk(Seed());
  const auto ids = AllIds(first);
  EXPECT_EQ(ids.size(), 1u + 3u + 10u + 118u);
  EXPECT_EQ(ids, AllIds(second));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  for (const auto& id : ids) EXPECT_TRUE(domain::ValidUuid(id)) << id;
  EXPECT_TRUE(domain::ValidateFramework(first).empty());

  // The derivation is part of the contract: ids must not change between releases.
  EXPECT_EQ(first.id, domain::NameBasedUuid(kFrameworkDocumentNamespace,
                                            "framework\x1f"
                                            "civil service competency framework by grade\x1f"
                                            "level 5"));
  const Item& one = ItemNumbered(first, 1);
  EXPECT_EQ(one.id, domain::NameBasedUuid(first.id, "item\x1fseeing the big picture"));
  EXPECT_EQ(one.indicators[1].id,
            domain::NameBasedUuid(one.id,
                                  "ineffective\x1fhave limited insight into the changes and "
                                  "developments surrounding own area"));
}

// ---------------------------------------------------------------------------------
// Variants derived from the seed

TEST(FrameworkDocumentVariantTest, LineEndingsAndByteOrderMark) {
  const Framework original = ParseOk(Seed());
  const std::string crlf = ReplaceAll(Seed(), "\n", "\r\n");
  const std::string cr = ReplaceAll(Seed(), "\n", "\r");
  for (const std::string& variant :
       {crlf, cr, "\xEF\xBB\xBF" + Seed(), "\xEF\xBB\xBF" + crlf, crlf + "\r\n\r\n"}) {
    const Framework framework = ParseOk(variant);
    ExpectSeedShape(framework);
    EXPECT_EQ(AllIds(framework), AllIds(original));
    EXPECT_EQ(framework.title, original.title);
    EXPECT_EQ(framework.description, original.description);
    for (const auto& cluster : framework.clusters) {
      for (const auto& item : cluster.items) {
        EXPECT_EQ(item.description.find('\r'), std::string::npos);
        for (const auto& indicator : item.indicators) {
          EXPECT_EQ(indicator.text.find('\r'), std::string::npos);
        }
      }
    }
  }
}

TEST(FrameworkDocumentVariantTest, CurlyQuotesArePreservedAsWrittenAndKeepIds) {
  const Framework straight = ParseOk(Seed());
  const Framework curly = ParseOk(ReplaceAll(Seed(), "'", "’"));
  ExpectSeedShape(curly);
  EXPECT_EQ(Texts(ItemNumbered(curly, 10), IndicatorKind::kEffective)[1],
            "Take ownership of delivery against outcomes and give credit for others’ delivery");
  EXPECT_EQ(Texts(ItemNumbered(straight, 10), IndicatorKind::kEffective)[1],
            "Take ownership of delivery against outcomes and give credit for others' delivery");
  EXPECT_NE(ItemNumbered(curly, 2).description.find("working in ’smarter’, more focused"),
            std::string::npos);
  EXPECT_EQ(AllIds(curly), AllIds(straight));

  const Framework straightened = ParseOk(ReplaceAll(ReplaceAll(Seed(), "“", "\""), "”", "\""));
  EXPECT_NE(straightened.description.find("set out \"what\" you need"), std::string::npos);
  EXPECT_EQ(AllIds(straightened), AllIds(straight));
}

TEST(FrameworkDocumentVariantTest, HeadingSplitAcrossAPageBreak) {
  const Framework original = ParseOk(Seed());
  // In the tables part: the heading's last word moves past a page break.
  const std::string tables = ReplaceOnce(Seed(), "\n7. Achieving Commercial Outcomes\t\n",
                                         "\n7. Achieving Commercial\t\n"
                                         "-------------------------------\t--\n\n"
                                         "Outcomes\t\n");
  // In the list part: the same, before the description.
  const std::string list = ReplaceOnce(tables, "7. Achieving Commercial Outcomes\n\nBeing",
                                       "7. Achieving Commercial\n\nOutcomes\n\nBeing");
  // The number alone on one line, the title on the next.
  const std::string number_alone = ReplaceOnce(list, "\n3. Making Effective Decisions\t\n",
                                               "\n3.\t\nMaking Effective Decisions\t\n");
  for (const std::string& variant : {tables, list, number_alone}) {
    const Framework framework = ParseOk(variant);
    ExpectSeedShape(framework);
    EXPECT_EQ(ItemNumbered(framework, 7).title, "Achieving Commercial Outcomes");
    EXPECT_EQ(ItemNumbered(framework, 7).description, ItemNumbered(original, 7).description);
    EXPECT_EQ(AllIds(framework), AllIds(original));
  }
}

TEST(FrameworkDocumentVariantTest, PageBreakArtefactsInsideATable) {
  const Framework original = ParseOk(Seed());
  const std::string row =
      "Communicate with conviction and clarity in the face of tough negotiations or "
      "challenges\tBack down readily in the face of challenge or tough negotiations\n";
  const std::string variant =
      ReplaceOnce(Seed(), row,
                  row +
                      "\f\n- 7 -\n\nPage 7 of 12\n_____________\n\n"
                      "Civil Service Competency Framework By Grade – SMS 1\n\n"
                      "4. Leading and Communicating\t\n"
                      "<i>Effective Behaviour</i>\t<i>Ineffective Behaviour</i>\n"
                      "People who are effective are likely to...\tPeople who are less "
                      "effective are likely to...\n");
  const Framework framework = ParseOk(variant);
  ExpectSeedShape(framework);
  EXPECT_EQ(AllIds(framework), AllIds(original));
}

TEST(FrameworkDocumentVariantTest, LevelTwoTitle) {
  const Framework sms1 = ParseOk(Seed());
  const Framework eo =
      ParseOk(ReplaceOnce(Seed(), "By Grade – SMS 1", "By Grade – Executive Officers"));
  ExpectSeedShape(eo);
  EXPECT_EQ(eo.title, "Civil Service Competency Framework By Grade – Executive Officers");
  EXPECT_EQ(eo.grade_levels, (std::map<Grade, int>{{Grade::kEO, 2}}));
  EXPECT_EQ(ItemNumbered(eo, 4).levels[0].level, 2);
  EXPECT_EQ(ItemNumbered(eo, 4).levels[0].label, "Executive Officers");
  EXPECT_EQ(ItemNumbered(eo, 4).indicators[0].level, 2);
  // Another level is another framework: no id is shared with the SMS 1 document.
  const auto eo_ids = AllIds(eo);
  const auto sms1_ids = AllIds(sms1);
  for (const auto& id : eo_ids) {
    EXPECT_EQ(std::count(sms1_ids.begin(), sms1_ids.end(), id), 0) << id;
  }
  EXPECT_EQ(AllIds(ParseOk(ReplaceOnce(Seed(), "– SMS 1", "– Executive Officers"))), eo_ids);
}

TEST(FrameworkDocumentVariantTest, ATabPastedIntoTheTitleIsReadAsASpace) {
  const Framework original = ParseOk(Seed());
  const Framework tabbed =
      ParseOk(ReplaceOnce(Seed(), "Civil Service Competency Framework By Grade",
                          "Civil Service\tCompetency Framework By Grade"));
  EXPECT_EQ(tabbed.title, original.title);
  EXPECT_EQ(AllIds(tabbed), AllIds(original));
}

TEST(FrameworkDocumentVariantTest, TitlesAcrossTheFamily) {
  struct Case {
    std::string_view label;
    int level;
    std::vector<Grade> grades;
  };
  const std::vector<Case> cases{
      {"Administrative Officers and Assistants", 1, {Grade::kAA, Grade::kAO}},
      {"AA/AO", 1, {Grade::kAA, Grade::kAO}},
      {"Administrative Officer", 1, {Grade::kAO}},
      {"Executive Officer", 2, {Grade::kEO}},
      {"EO", 2, {Grade::kEO}},
      {"HEO/SEO", 3, {Grade::kHEO, Grade::kSEO}},
      {"Higher Executive Officers and Senior Executive Officers", 3, {Grade::kHEO, Grade::kSEO}},
      {"Higher and Senior Executive Officers", 3, {Grade::kHEO, Grade::kSEO}},
      {"Grade 6 and 7", 4, {Grade::kG7, Grade::kG6}},
      {"Grades 6/7", 4, {Grade::kG7, Grade::kG6}},
      {"G7", 4, {Grade::kG7}},
      {"SMS 1", 5, {Grade::kSCS1}},
      {"SCS pay band 1", 5, {Grade::kSCS1}},
      {"Senior Civil Service pay band 1 (Deputy Director)", 5, {Grade::kSCS1}},
      {"SCS1", 5, {Grade::kSCS1}},
      {"SMS 2/3", 6, {Grade::kSCS2, Grade::kSCS3}},
      {"SMS 2 and 3", 6, {Grade::kSCS2, Grade::kSCS3}},
      {"Directors and Directors General", 6, {Grade::kSCS2, Grade::kSCS3}},
      {"Level 4", 4, {}},
      {"SMS 1 (level 5)", 5, {Grade::kSCS1}},
  };
  for (const Case& c : cases) {
    const auto parsed = ParseGradeLevelLabel(c.label);
    ASSERT_TRUE(parsed.has_value()) << c.label;
    EXPECT_EQ(parsed->level, c.level) << c.label;
    EXPECT_EQ(parsed->grades, c.grades) << c.label;
  }
  for (std::string_view unclear : {"", "Fast Stream", "EO and HEO", "SMS", "SMS 1 (level 6)",
                                   "Level 9", "Senior Civil Service", "All grades"}) {
    EXPECT_FALSE(ParseGradeLevelLabel(unclear).has_value()) << unclear;
  }

  const Framework g6g7 = ParseOk(ReplaceOnce(Seed(), "– SMS 1", "- Grade 6 and 7"));
  EXPECT_EQ(g6g7.grade_levels, (std::map<Grade, int>{{Grade::kG7, 4}, {Grade::kG6, 4}}));
  EXPECT_EQ(ItemNumbered(g6g7, 1).levels[0].label, "Grade 6 and 7");
  const Framework split_title =
      ParseOk(ReplaceOnce(Seed(), "By Grade – SMS 1\n", "By Grade –\n\nSMS 2/3\n"));
  EXPECT_EQ(split_title.title, "Civil Service Competency Framework By Grade – SMS 2/3");
  EXPECT_EQ(split_title.grade_levels, (std::map<Grade, int>{{Grade::kSCS2, 6}, {Grade::kSCS3, 6}}));
}

TEST(FrameworkDocumentVariantTest, LevelFromOptionsWhenTheTitleNamesNone) {
  const std::string untitled = ReplaceOnce(Seed(), " By Grade – SMS 1", "");
  const auto problems = ParseFails(untitled);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 4);
  EXPECT_EQ(problems[0].message,
            "The title must end with the grade or level the framework is for, such as "
            "‘Civil Service Competency Framework By Grade – SMS 1’");

  ParseOptions options;
  options.level = 3;
  options.version = 2;
  options.kind = domain::FrameworkKind::kBehaviours;
  const Framework framework = ParseOk(untitled, options);
  EXPECT_EQ(framework.grade_levels, (std::map<Grade, int>{{Grade::kHEO, 3}, {Grade::kSEO, 3}}));
  EXPECT_EQ(framework.version, 2);
  EXPECT_EQ(framework.kind, domain::FrameworkKind::kBehaviours);
  EXPECT_EQ(ItemNumbered(framework, 1).levels[0].label, "Level 3");

  const auto conflict = ParseFails(Seed(), options);
  ASSERT_EQ(conflict.size(), 1u);
  EXPECT_EQ(conflict[0].message,
            "The title is for level 5, but level 3 was chosen. Choose the level the title names");
  options.level = 7;
  EXPECT_EQ(ParseFails(untitled, options).at(0).message, "The level must be between 1 and 6");
}

TEST(FrameworkDocumentVariantTest, RowsWithOneColumn) {
  const std::string pair =
      "\tOverlook the impact of challenges and the impact on team and organisational "
      "resilience";
  const std::string last_row = "Promote resilience and responsiveness in ";
  const std::string kTabMessage =
      "Put a tab between the effective and the ineffective behaviour. If this effective "
      "behaviour has no ineffective pair, put a tab after it";

  // "Behaviour<TAB>": an effective behaviour marked as having no pair.
  const Framework marked = ParseOk(ReplaceOnce(Seed(), pair, "\t"));
  EXPECT_EQ(domain::CountIndicators(marked, IndicatorKind::kEffective), 59);
  EXPECT_EQ(domain::CountIndicators(marked, IndicatorKind::kIneffective), 58);
  EXPECT_EQ(Texts(ItemNumbered(marked, 10), IndicatorKind::kEffective).back().substr(0, 41),
            last_row);

  // "<TAB>Behaviour": an ineffective behaviour with no pair.
  const std::string ineffective_only = ReplaceOnce(
      Seed(),
      "Role model continuous learning and self development, evaluating own effectiveness and "
      "growth and planning next learning steps accordingly\t",
      "\t");
  const Framework uneven = ParseOk(ineffective_only);
  EXPECT_EQ(domain::CountIndicators(uneven, IndicatorKind::kEffective), 58);
  EXPECT_EQ(domain::CountIndicators(uneven, IndicatorKind::kIneffective), 59);

  // No tab at all, in tables where every other row is a pair: refused by default, as a
  // lost tab would merge two behaviours into one.
  const std::string no_tab = ReplaceOnce(Seed(), pair, "");
  auto problems = ParseFails(no_tab);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, LineOf(Seed(), last_row));
  EXPECT_EQ(problems[0].column, 1);
  EXPECT_EQ(problems[0].message, kTabMessage);
  const std::string merged =
      ReplaceOnce(Seed(), "on own area\tHave limited", "on own area Have limited");
  problems = ParseFails(merged);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, LineOf(Seed(), "Anticipate and predict"));

  ParseOptions options;
  options.row_without_tab = RowWithoutTab::kEffectiveOnly;
  const Framework accepted = ParseOk(no_tab, options);
  EXPECT_EQ(domain::CountIndicators(accepted, IndicatorKind::kEffective), 59);
  EXPECT_EQ(domain::CountIndicators(accepted, IndicatorKind::kIneffective), 58);

  // In tables with uneven columns, a row without a tab is an effective behaviour alone.
  const std::string uneven_no_tab = ReplaceOnce(ineffective_only, pair, "");
  const Framework both = ParseOk(uneven_no_tab);
  EXPECT_EQ(domain::CountIndicators(both, IndicatorKind::kEffective), 58);
  EXPECT_EQ(domain::CountIndicators(both, IndicatorKind::kIneffective), 58);
  options.row_without_tab = RowWithoutTab::kRefuse;
  problems = ParseFails(uneven_no_tab, options);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, kTabMessage);
}

TEST(FrameworkDocumentVariantTest, TextUnderAHeadingInTheTablesDescribesTheLevel) {
  const Framework framework =
      ParseOk(ReplaceOnce(Seed(), "\n3. Making Effective Decisions\t\n",
                          "\n3. Making Effective Decisions\t\n"
                          "At SMS 1, leaders set the direction for decisions\n"
                          "across their whole area.\n\n"));
  ExpectSeedShape(framework);
  EXPECT_EQ(ItemNumbered(framework, 3).levels[0].description,
            "At SMS 1, leaders set the direction for decisions across their whole area.");
  EXPECT_EQ(ItemNumbered(framework, 3).description, ItemNumbered(ParseOk(Seed()), 3).description);
}

TEST(FrameworkDocumentVariantTest, DescriptionAndTableTogether) {
  // Each competency's description directly followed by its table, with no list first.
  std::string text =
      "Civil Service Competency Framework By Grade – Executive Officer\n\n"
      "Strategic Cluster – Setting Direction\n\n"
      "1. Seeing the Big Picture\n\nUnderstanding how your role fits.\n\n"
      "Effective Behaviour\tIneffective Behaviour\n"
      "Understand the strategic drivers\tFocus on own area only\n"
      "Keep up to date\t\n\n"
      "2. Changing and Improving\n\nBeing open to change.\n\n"
      "Seek out opportunities\tResist change\n";
  const Framework framework = ParseOk(text);
  ASSERT_EQ(framework.clusters.size(), 1u);
  ASSERT_EQ(domain::CountItems(framework), 2);
  EXPECT_EQ(ItemNumbered(framework, 1).description, "Understanding how your role fits.");
  EXPECT_EQ(ItemNumbered(framework, 2).description, "Being open to change.");
  EXPECT_EQ(Texts(ItemNumbered(framework, 1), IndicatorKind::kEffective),
            (std::vector<std::string>{"Understand the strategic drivers", "Keep up to date"}));
  EXPECT_EQ(Texts(ItemNumbered(framework, 2), IndicatorKind::kIneffective),
            (std::vector<std::string>{"Resist change"}));
}

// ---------------------------------------------------------------------------------
// Files that are refused

TEST(FrameworkDocumentRefusalTest, InvalidUtf8IsRefusedWithLineAndColumn) {
  const std::string prefix = "Civil Service Competency Framework By Grade – S";
  const std::string bad_title = ReplaceOnce(Seed(), prefix + "MS 1", prefix + "\xFFMS 1");
  auto problems = ParseFails(bad_title);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 4);
  EXPECT_EQ(problems[0].column, CodePoints(prefix) + 1);
  EXPECT_EQ(problems[0].message,
            "The selected file must be saved as UTF-8. This character is not valid UTF-8");

  // Overlong, surrogate, truncated and stray continuation bytes, one problem per line.
  std::string several = ReplaceOnce(Seed(), "Seeing the big picture is about",
                                    "Seeing the \xC0\xAF big \xED\xA0\x80 picture is about");
  several = ReplaceOnce(several, "Take quick, confident", "\x80Take quick, confident");
  several += "\xE2\x80";
  problems = ParseFails(several);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].line, LineOf(Seed(), "Seeing the big picture is about"));
  EXPECT_EQ(problems[0].column, 12);
  EXPECT_EQ(problems[1].line, LineOf(Seed(), "Take quick, confident"));
  EXPECT_EQ(problems[1].column, 1);
  EXPECT_EQ(problems[2].line, LineOf(Seed(), "Promote resilience"));
  EXPECT_EQ(problems[2].column, CodePoints(Seed().substr(Seed().rfind('\n') + 1)) + 1);

  const std::string with_nul =
      ReplaceOnce(Seed(), "About this framework", std::string("About this\0framework", 20));
  problems = ParseFails(with_nul);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 8);
  EXPECT_EQ(problems[0].column, 11);
  EXPECT_EQ(problems[0].message,
            "Remove the control character (U+0000) from this line. The selected file must be "
            "plain text");
}

TEST(FrameworkDocumentRefusalTest, EmptyFiles) {
  for (std::string_view empty :
       {std::string_view(""), std::string_view(" \n\n\t"), std::string_view("\xEF\xBB\xBF"),
        std::string_view("\r\n\r\n"), std::string_view("-------------\n\n")}) {
    const auto problems = ParseFails(empty);
    ASSERT_EQ(problems.size(), 1u) << empty;
    EXPECT_EQ(problems[0].line, 1);
    EXPECT_EQ(problems[0].column, 1);
    EXPECT_EQ(problems[0].message, "The selected file is empty");
  }
}

TEST(FrameworkDocumentRefusalTest, FilesOfTheWrongFormat) {
  struct Case {
    std::string text;
    std::string_view message_start;
  };
  const std::vector<Case> cases{
      {R"({"CFDocument": {"title": "Civil Service Competency Framework"}})",
       "The selected file is JSON."},
      {"[\n  {\"title\": \"Seeing the Big Picture\"}\n]\n", "The selected file is JSON."},
      {"competency,kind,text\nSeeing the Big Picture,effective,Anticipate and predict\n",
       "The selected file is a CSV file."},
      {"title;level\nCivil Service Competency Framework;5\n", "The selected file is a CSV file."},
      {"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n", "The selected file is a PDF."},
      {std::string("PK\x03\x04\x14\x00\x06\x00", 8), "The selected file is a Word document"},
      {std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), "The selected file is an older Word"},
      {std::string("\xFF\xFE"
                   "C\0i\0v\0",
                   8),
       "The selected file is saved as UTF-16."},
      {"<!DOCTYPE html>\n<html><body>Framework</body></html>\n",
       "The selected file is HTML or XML."},
      {"Hello world\n\nThis is not a framework.\n", "The first line must be the framework’s title"},
      {"1. Seeing the Big Picture\tHave limited insight\n",
       "The first line must be the framework’s title"},
  };
  for (const Case& c : cases) {
    const auto problems = ParseFails(c.text);
    ASSERT_EQ(problems.size(), 1u) << c.text;
    EXPECT_EQ(problems[0].message.rfind(c.message_start, 0), 0u) << problems[0].message;
  }
}

TEST(FrameworkDocumentRefusalTest, FilesOverTheSizeLimit) {
  ParseOptions options;
  options.max_bytes = Seed().size() - 1;
  auto problems = ParseFails(Seed(), options);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, "The selected file must be smaller than 23 KB");
  options.max_bytes = 1024 * 1024;
  EXPECT_EQ(ParseFails(std::string(options.max_bytes + 1, 'a'), options).at(0).message,
            "The selected file must be smaller than 1 MB");
}

TEST(FrameworkDocumentRefusalTest, StructuralProblemsSayWhere) {
  // A competency heading in the tables part with a number the list does not have.
  auto problems = ParseFails(ReplaceOnce(Seed(), "\n9. Managing a Quality Service\t\n",
                                         "\n11. Managing a Quality Service\t\n"));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].line, LineOf(Seed(), "9. Managing a Quality Service\n"));
  EXPECT_EQ(problems[0].message,
            "Competency 9, ‘Managing a Quality Service’, has no behaviours. Add its table of "
            "effective and ineffective behaviours");
  EXPECT_EQ(problems[1].line, LineOf(Seed(), "9. Managing a Quality Service\t"));
  EXPECT_EQ(problems[1].column, 1);
  EXPECT_EQ(problems[1].message,
            "Competency 11 is not in the list of competencies at the start. Add it to the list, "
            "or correct its number");

  // A heading that disagrees with the list.
  problems = ParseFails(ReplaceOnce(Seed(), "\n4. Leading and Communicating\t\n",
                                    "\n4. Leading and Communication\t\n"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, LineOf(Seed(), "4. Leading and Communicating\t"));
  EXPECT_EQ(problems[0].column, 1);
  EXPECT_EQ(problems[0].message,
            "The heading ‘4. Leading and Communication’ does not match competency 4 in the list "
            "at the start, ‘Leading and Communicating’. Use the same title in both places");

  // A row repeated, and a row with three columns.
  const std::string row =
      "Take quick, confident decisions at a strategic level to move things forward\tConstantly "
      "change decisions based on new opinions, information or challenge\n";
  problems = ParseFails(ReplaceOnce(Seed(), row, row + row));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].line, LineOf(Seed(), row) + 1);
  EXPECT_EQ(problems[0].column, 1);
  EXPECT_EQ(problems[0].message,
            "‘Making Effective Decisions’ already has this effective behaviour. Remove the "
            "repeated one");
  EXPECT_EQ(problems[1].column, CodePoints(row.substr(0, row.find('\t'))) + 2);
  problems = ParseFails(ReplaceOnce(Seed(), row, row.substr(0, row.size() - 1) + "\tMore\n"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].column, CodePoints(row) + 1);
  EXPECT_EQ(problems[0].message.rfind("This row has 3 columns.", 0), 0u);

  // A lower-case line inside a table is the tail of a behaviour broken by the export.
  problems = ParseFails(ReplaceOnce(Seed(), row, row + "  and to deliver results\n"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, LineOf(Seed(), row) + 1);
  EXPECT_EQ(problems[0].column, 3);
}

TEST(FrameworkDocumentRefusalTest, LostHeadingsAreNoticed) {
  // Dropping competency 2 from the list: numbering jumps and the tables name a
  // competency the list lacks.
  const std::string without_two = ReplaceOnce(Seed(), "2. Changing and Improving\n\n", "");
  auto problems = ParseFails(without_two);
  std::set<std::string> messages;
  for (const auto& problem : problems) messages.insert(problem.message);
  EXPECT_TRUE(
      messages.count("Competency 3 should be numbered 2. Check that no competency is "
                     "missing and the numbers are in order"))
      << Describe(ParseFrameworkDocument(without_two));
  EXPECT_TRUE(
      messages.count("Competency 2 is not in the list of competencies at the start. Add "
                     "it to the list, or correct its number"));
  EXPECT_TRUE(std::is_sorted(problems.begin(), problems.end(),
                             [](const auto& a, const auto& b) { return a.line < b.line; }));

  // The introduction's count disagrees with the headings found.
  problems =
      ParseFails(ReplaceOnce(Seed(), "outlines 10 competencies", "outlines 11 competencies"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, LineOf(Seed(), "outlines 10 competencies"));
  EXPECT_EQ(problems[0].message,
            "The introduction says there are 11 competencies, but the document has 10. Check "
            "that no heading is missing or mistyped");

  // Dropping the first heading of the tables: competency 1 ends up with no behaviours.
  problems = ParseFails(ReplaceOnce(Seed(), "\n1. Seeing the Big Picture\n\n<i>", "\n\n<i>"));
  messages.clear();
  for (const auto& problem : problems) messages.insert(problem.message);
  EXPECT_TRUE(
      messages.count("Competency 1, ‘Seeing the Big Picture’, has no behaviours. Add its "
                     "table of effective and ineffective behaviours"))
      << Describe(ParseFrameworkDocument(
             ReplaceOnce(Seed(), "\n1. Seeing the Big Picture\n\n<i>", "\n\n<i>")));

  // A cluster heading lost: its competencies join the previous cluster, and the stated
  // number of clusters no longer matches.
  problems = ParseFails(ReplaceOnce(Seed(), "People Cluster - Engaging People\n", "\n"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message,
            "The introduction says there are 3 clusters, but the document has 2. Check that no "
            "heading is missing or mistyped");
}

TEST(FrameworkDocumentRefusalTest, ReportingStopsAtTheLimit) {
  std::string text = Seed();
  for (const char* word : {"Anticipate", "Identify and shape", "Develop an in-depth",
                           "Create joined up", "Shape strategies"}) {
    text = ReplaceOnce(text, word, std::string("\x01") + word);
  }
  ParseOptions options;
  options.max_problems = 3;
  const auto problems = ParseFails(text, options);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[3].message,
            "There are more problems than shown here. Fix these and upload the file again");
  options.max_problems = 0;
  EXPECT_EQ(ParseFails(text, options).size(), 2u);
}

TEST(FrameworkDocumentRefusalTest, NeverCrashesOnDamagedInput) {
  const std::string& seed = Seed();
  auto check = [](std::string_view text) {
    const auto result = ParseFrameworkDocument(text);
    if (result.ok()) {
      EXPECT_TRUE(domain::ValidateFramework(*result).empty());
      return;
    }
    ASSERT_FALSE(result.problems().empty());
    for (const auto& problem : result.problems()) {
      EXPECT_GE(problem.line, 1);
      EXPECT_GE(problem.column, 1);
      EXPECT_FALSE(problem.message.empty());
    }
  };
  for (std::size_t size = 0; size < seed.size(); size += 211) check(seed.substr(0, size));
  std::mt19937 random(20240601);
  const std::string alphabet = "\t\n\r -.1\xE2\x80\x93\xC2\xA0<i>Cluster";
  for (int round = 0; round < 150; ++round) {
    std::string text = seed;
    const int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = random() % text.size();
      switch (random() % 4) {
        case 0:
          text[at] = alphabet[random() % alphabet.size()];
          break;
        case 1:
          text.insert(at, 1, alphabet[random() % alphabet.size()]);
          break;
        case 2:
          text.erase(at, random() % 200);
          break;
        default:
          text[at] = static_cast<char>(random() % 256);
          break;
      }
    }
    check(text);
  }
}

}  // namespace
}  // namespace pathway::interchange

namespace pathway::interchange {
namespace {

TEST(FrameworkDocumentLimitsTest, A1MbTitleOrBehaviourIsRefusedWhereItIs) {
  const std::string huge(1024 * 1024, 'N');
  const auto title =
      ParseFails(ReplaceOnce(Seed(), "Civil Service Competency Framework By Grade – SMS 1",
                             "Civil Service Competency Framework " + huge + " By Grade – SMS 1"));
  ASSERT_EQ(title.size(), 1u) << FormatImportProblem(title.front()).substr(0, 300);
  EXPECT_EQ(title[0].line, 4);
  EXPECT_EQ(title[0].column, 1);
  EXPECT_EQ(title[0].message,
            "This line has 1048628 characters. No text in a framework may be longer than 10000");
  const auto long_title = ParseFails(ReplaceOnce(
      Seed(), "Civil Service Competency Framework By Grade – SMS 1",
      "Civil Service Competency Framework " + std::string(300, 'N') + " By Grade – SMS 1"));
  ASSERT_EQ(long_title.size(), 1u) << FormatImportProblem(long_title.front());
  EXPECT_EQ(long_title[0].line, 4);
  EXPECT_EQ(long_title[0].message,
            "The framework’s title must be 250 characters or fewer. It has 352");

  const std::string behaviour =
      "Identify and shape how own area fits within and supports the work of the Department";
  const auto indicator = ParseFails(ReplaceOnce(Seed(), behaviour, std::string(2001, 'b')));
  ASSERT_EQ(indicator.size(), 1u) << FormatImportProblem(indicator.front()).substr(0, 300);
  EXPECT_EQ(indicator[0].line, 76);
  EXPECT_EQ(indicator[0].column, 1);
  EXPECT_EQ(indicator[0].message, "A behaviour must be 2000 characters or fewer. It has 2001");
}

}  // namespace
}  // namespace pathway::interchange
