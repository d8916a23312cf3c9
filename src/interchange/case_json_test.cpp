// Tests of the CASE 1.1 package writer and reader: round trips of seed 001 and of a
// framework that uses every field, determinism, a package in the shape other CASE tools
// publish (testdata/case_third_party.json), and every refusal with its JSON path.
//
// When PATHWAY_CASE_EXPORT_DIR names a directory, every package these tests export is
// also written there, so that tests/blackbox/case-schema.test.mjs can validate them
// against the CASE 1.1 JSON Schema.
#include "interchange/case_json.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include "interchange/framework_document.hpp"

namespace pathway::interchange {
namespace {

using domain::Cluster;
using domain::Framework;
using domain::FrameworkKind;
using domain::FrameworkStatus;
using domain::Grade;
using domain::Indicator;
using domain::IndicatorKind;
using domain::Item;
using domain::NameBasedUuid;
using Json = nlohmann::ordered_json;

constexpr std::string_view kBase = "http://127.0.0.1:8080/ims/case/v1p1";
constexpr std::string_view kStamp = "2024-05-01T09:30:00Z";

CaseExportOptions Options() {
  return {std::string(kBase), "Civil Service HR", std::string(kStamp)};
}

std::filesystem::path SourceDir() {
  if (const char* dir = std::getenv("PATHWAY_SOURCE_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return PATHWAY_SOURCE_DIR;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::filesystem::path Testdata(std::string_view name) {
  return SourceDir() / "src" / "interchange" / "testdata" / name;
}

// Writes `json` to $PATHWAY_CASE_EXPORT_DIR/<name>.json when that variable is set.
void SaveExport(std::string_view name, const std::string& json) {
  const char* dir = std::getenv("PATHWAY_CASE_EXPORT_DIR");
  if (dir == nullptr || *dir == '\0') return;
  std::ofstream out(std::filesystem::path(dir) / (std::string(name) + ".json"), std::ios::binary);
  out << json;
  EXPECT_TRUE(out) << "cannot write the export " << name;
}

std::string Export(const Framework& framework, std::string_view save_as) {
  std::string json = WriteCasePackage(framework, Options());
  SaveExport(save_as, json);
  return json;
}

std::string Describe(const std::vector<ImportProblem>& problems) {
  std::string text;
  for (const ImportProblem& problem : problems) text += FormatImportProblem(problem) + "\n";
  return text;
}

Framework Imported(std::string_view json) {
  ImportResult<Framework> result = ParseCasePackage(json);
  if (!result.ok()) {
    ADD_FAILURE() << "import failed:\n" << Describe(result.problems());
    return {};
  }
  return std::move(result).value();
}

std::vector<ImportProblem> Problems(std::string_view json, const CaseImportOptions& options = {}) {
  ImportResult<Framework> result = ParseCasePackage(json, options);
  if (result.ok()) {
    ADD_FAILURE() << "import succeeded but should have failed";
    return {};
  }
  return result.problems();
}

// The one problem whose message contains `text`; fails the test unless there is one.
ImportProblem ProblemWith(const std::vector<ImportProblem>& problems, std::string_view text) {
  std::vector<ImportProblem> found;
  for (const ImportProblem& problem : problems) {
    if (problem.message.find(text) != std::string::npos) found.push_back(problem);
  }
  EXPECT_EQ(found.size(), 1u) << "looking for: " << text << "\nin:\n" << Describe(problems);
  return found.empty() ? ImportProblem{-1, -1, ""} : found.front();
}

Framework SeedFramework() {
  ImportResult<Framework> result =
      ParseFrameworkDocument(ReadFile(Testdata("competency_framework_sms1.txt")));
  if (!result.ok()) {
    ADD_FAILURE() << Describe(result.problems());
    return {};
  }
  return std::move(result).value();
}

Indicator MakeIndicator(const std::string& item_id, IndicatorKind kind, std::string text,
                        std::vector<std::string> tags, int order, int level) {
  Indicator indicator;
  indicator.id = NameBasedUuid(item_id, text);
  indicator.kind = kind;
  indicator.text = std::move(text);
  indicator.tags = std::move(tags);
  indicator.order = order;
  indicator.level = level;
  return indicator;
}

// A framework that uses every field the model has: tags, levels with and without a
// grade, indicators for every level (0), a rating scale, subtitles, numbers and none.
Framework RichFramework() {
  Framework framework;
  framework.id = "5b3c1f8e-2a4d-4e6f-8a1b-3c5d7e9f1a2b";
  framework.title = "Success Profiles: Civil Service Behaviours";
  framework.kind = FrameworkKind::kBehaviours;
  framework.description =
      "The behaviours are the actions and activities that people do.\n\n"
      "Each has six levels, from Level 1 to Level 6.";
  framework.version = 3;
  framework.status = FrameworkStatus::kPublished;
  framework.grade_levels = {{Grade::kEO, 2}, {Grade::kHEO, 3}, {Grade::kSEO, 3}, {Grade::kG7, 4}};
  framework.rating_scale = {{1, "Insufficient evidence", "Little or no evidence of the behaviour."},
                            {4, "Moderate demonstration", "The acceptable standard."},
                            {7, "Exceptional demonstration", ""}};

  Cluster direction;
  direction.id = NameBasedUuid(framework.id, "cluster direction");
  direction.title = "Strategic Cluster";
  direction.subtitle = "Setting Direction";
  direction.description = "How people see the big picture.";
  direction.order = 1;

  Item big_picture;
  big_picture.id = NameBasedUuid(framework.id, "item big picture");
  big_picture.number = 1;
  big_picture.title = "Seeing the Big Picture";
  big_picture.description = "Understand how your role fits.\n\nThink ahead.";
  big_picture.levels = {{2, "Level 2", "Understand the strategic drivers."},
                        {3, "Level 3", ""},
                        {6, "Level 6 – Director General", "Shape the strategy of the service."}};
  big_picture.indicators = {
      MakeIndicator(big_picture.id, IndicatorKind::kEffective, "Anticipate future needs",
                    {"strategy", "horizon scanning"}, 1, 3),
      MakeIndicator(big_picture.id, IndicatorKind::kIneffective, "Focus only on the task", {}, 1,
                    3),
      MakeIndicator(big_picture.id, IndicatorKind::kEffective, "Explain “why”, not only “what”",
                    {"communication"}, 2, 0),
      MakeIndicator(big_picture.id, IndicatorKind::kEffective, "Set a 10-year direction", {}, 3, 6),
  };
  direction.items.push_back(big_picture);

  Item change;
  change.id = NameBasedUuid(framework.id, "item change");
  change.number = 0;
  change.title = "Changing and Improving";
  change.indicators = {
      MakeIndicator(change.id, IndicatorKind::kIneffective, "Resist new ideas", {"change"}, 1, 2)};
  direction.items.push_back(change);
  framework.clusters.push_back(direction);

  Cluster empty;
  empty.id = NameBasedUuid(framework.id, "cluster empty");
  empty.title = "A cluster with no behaviours yet";
  empty.order = 2;
  framework.clusters.push_back(empty);

  Cluster people;
  people.id = NameBasedUuid(framework.id, "cluster people");
  people.title = "People Cluster";
  people.order = 3;
  Item leading;
  leading.id = NameBasedUuid(framework.id, "item leading");
  leading.number = 7;
  leading.title = "Leading and Communicating";
  leading.levels = {{1, "", "Communicate clearly."}};
  people.items.push_back(leading);
  framework.clusters.push_back(people);
  return framework;
}

// Every field CASE carries, compared one by one so that a failure names the field.
void ExpectSameFramework(const Framework& expected, const Framework& actual) {
  EXPECT_EQ(expected.id, actual.id);
  EXPECT_EQ(expected.title, actual.title);
  EXPECT_EQ(expected.kind, actual.kind);
  EXPECT_EQ(expected.description, actual.description);
  EXPECT_EQ(expected.version, actual.version);
  EXPECT_EQ(expected.status, actual.status);
  EXPECT_EQ(expected.grade_levels, actual.grade_levels);
  ASSERT_EQ(expected.rating_scale.size(), actual.rating_scale.size());
  for (std::size_t s = 0; s < expected.rating_scale.size(); ++s) {
    EXPECT_EQ(expected.rating_scale[s].value, actual.rating_scale[s].value);
    EXPECT_EQ(expected.rating_scale[s].label, actual.rating_scale[s].label);
    EXPECT_EQ(expected.rating_scale[s].description, actual.rating_scale[s].description);
  }
  ASSERT_EQ(expected.clusters.size(), actual.clusters.size());
  for (std::size_t c = 0; c < expected.clusters.size(); ++c) {
    SCOPED_TRACE("cluster " + std::to_string(c));
    const Cluster& a = expected.clusters[c];
    const Cluster& b = actual.clusters[c];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.title, b.title);
    EXPECT_EQ(a.subtitle, b.subtitle);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.order, b.order);
    ASSERT_EQ(a.items.size(), b.items.size());
    for (std::size_t i = 0; i < a.items.size(); ++i) {
      SCOPED_TRACE("item " + std::to_string(i));
      const Item& x = a.items[i];
      const Item& y = b.items[i];
      EXPECT_EQ(x.id, y.id);
      EXPECT_EQ(x.number, y.number);
      EXPECT_EQ(x.title, y.title);
      EXPECT_EQ(x.description, y.description);
      ASSERT_EQ(x.levels.size(), y.levels.size());
      for (std::size_t l = 0; l < x.levels.size(); ++l) {
        EXPECT_EQ(x.levels[l].level, y.levels[l].level);
        EXPECT_EQ(x.levels[l].label, y.levels[l].label);
        EXPECT_EQ(x.levels[l].description, y.levels[l].description);
      }
      ASSERT_EQ(x.indicators.size(), y.indicators.size());
      for (std::size_t n = 0; n < x.indicators.size(); ++n) {
        SCOPED_TRACE("indicator " + std::to_string(n));
        const Indicator& p = x.indicators[n];
        const Indicator& q = y.indicators[n];
        EXPECT_EQ(p.id, q.id);
        EXPECT_EQ(p.kind, q.kind);
        EXPECT_EQ(p.text, q.text);
        EXPECT_EQ(p.tags, q.tags);
        EXPECT_EQ(p.order, q.order);
        EXPECT_EQ(p.level, q.level);
      }
    }
  }
}

// Collects every string under a key named `key`, anywhere in `json`.
void CollectStrings(const Json& json, std::string_view key, std::vector<std::string>& out) {
  if (json.is_object()) {
    for (const auto& [name, value] : json.items()) {
      if (name == key && value.is_string()) out.push_back(value.get<std::string>());
      CollectStrings(value, key, out);
    }
  } else if (json.is_array()) {
    for (const Json& value : json) CollectStrings(value, key, out);
  }
}

const Json* FindItem(const Json& package, std::string_view id) {
  for (const Json& item : package["CFItems"]) {
    if (item["identifier"] == id) return &item;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------
// Writing and round trips

TEST(CaseJson, SeedRoundTripKeepsEveryField) {
  const Framework seed = SeedFramework();
  ASSERT_EQ(seed.clusters.size(), 3u);
  ASSERT_EQ(domain::CountItems(seed), 10);
  const std::string json = Export(seed, "seed_sms1");
  const Framework back = Imported(json);
  ExpectSameFramework(seed, back);
  EXPECT_TRUE(domain::ValidateFramework(back).empty());
}

TEST(CaseJson, RichFrameworkRoundTripKeepsEveryField) {
  const Framework rich = RichFramework();
  ASSERT_TRUE(domain::ValidateFramework(rich).empty());
  const Framework back = Imported(Export(rich, "rich_behaviours"));
  ExpectSameFramework(rich, back);
}

TEST(CaseJson, ReplacedItemsTravelAsReplacedByAssociationsAndComeBack) {
  Framework rich = RichFramework();
  auto& first = rich.clusters[0].items[0];
  first.replaces = {"11111111-2222-4333-8444-555555555555", "11111111-2222-4333-8444-666666666666"};
  ASSERT_TRUE(domain::ValidateFramework(rich).empty());
  const std::string json = Export(rich, "rich_with_replacements");
  const auto package = nlohmann::json::parse(json);
  int replaced_by = 0;
  for (const auto& association : package["CFAssociations"]) {
    if (association["associationType"] != "replacedBy") continue;
    ++replaced_by;
    EXPECT_EQ(association["destinationNodeURI"]["identifier"], first.id);
  }
  EXPECT_EQ(replaced_by, 2);
  const Framework back = Imported(json);
  EXPECT_EQ(back.clusters[0].items[0].replaces, first.replaces);
  // An item replacing one still in the framework is refused, naming the item's field.
  Framework wrong = RichFramework();
  wrong.clusters[0].items[0].replaces = {wrong.clusters[0].items[1].id};
  const auto problems = domain::ValidateFramework(wrong);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "clusters[0].items[0].replaces[0]");
  EXPECT_EQ(problems[0].code, domain::ValidationCode::kInvalidReplacement);
}

TEST(CaseJson, EveryKindAndStatusRoundTrips) {
  const std::vector<FrameworkKind> kinds{FrameworkKind::kCompetency, FrameworkKind::kBehaviours,
                                         FrameworkKind::kStrengths, FrameworkKind::kCareer,
                                         FrameworkKind::kTechnical};
  const std::vector<FrameworkStatus> statuses{FrameworkStatus::kDraft, FrameworkStatus::kPublished,
                                              FrameworkStatus::kRetired};
  for (FrameworkKind kind : kinds) {
    for (FrameworkStatus status : statuses) {
      Framework framework = RichFramework();
      framework.kind = kind;
      framework.status = status;
      const std::string name = std::string(domain::FrameworkKindName(kind)) + "_" +
                               std::string(domain::FrameworkStatusName(status));
      SCOPED_TRACE(name);
      const Framework back = Imported(Export(framework, "kind_" + name));
      EXPECT_EQ(back.kind, kind);
      EXPECT_EQ(back.status, status);
    }
  }
}

TEST(CaseJson, ExportIsDeterministic) {
  const Framework rich = RichFramework();
  const std::string first = WriteCasePackage(rich, Options());
  EXPECT_EQ(first, WriteCasePackage(rich, Options()));
  EXPECT_EQ(first, WriteCasePackage(RichFramework(), Options()));
  // Importing an export and exporting it again gives the same bytes.
  EXPECT_EQ(first, WriteCasePackage(Imported(first), Options()));
  const Framework seed = SeedFramework();
  EXPECT_EQ(WriteCasePackage(seed, Options()), WriteCasePackage(SeedFramework(), Options()));
}

TEST(CaseJson, ExportDerivesEveryIdentifierFromTheFrameworkId) {
  const Framework rich = RichFramework();
  const Json package = Json::parse(WriteCasePackage(rich, Options()));
  std::vector<std::string> ids;
  CollectStrings(package, "identifier", ids);
  CollectStrings(package, "rubricId", ids);
  CollectStrings(package, "rubricCriterionId", ids);
  for (const std::string& id : ids) EXPECT_TRUE(domain::ValidUuid(id)) << id;

  // Each object's own identifier is unique: CFItems, associations, item types, rubrics,
  // criteria and levels.
  std::vector<std::string> own;
  auto add_own = [&](const Json& list) {
    for (const Json& object : list) own.push_back(object["identifier"].get<std::string>());
  };
  add_own(package["CFItems"]);
  add_own(package["CFAssociations"]);
  add_own(package["CFDefinitions"]["CFItemTypes"]);
  for (const Json& rubric : package["CFRubrics"]) {
    own.push_back(rubric["identifier"].get<std::string>());
    for (const Json& criterion : rubric["CFRubricCriteria"]) {
      own.push_back(criterion["identifier"].get<std::string>());
      add_own(criterion["CFRubricCriterionLevels"]);
    }
  }
  own.push_back(package["CFDocument"]["identifier"].get<std::string>());
  EXPECT_EQ(std::set<std::string>(own.begin(), own.end()).size(), own.size());

  // Another framework id gives other association and rubric identifiers, and the same
  // item type identifiers.
  Framework other = rich;
  other.id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  const Json second = Json::parse(WriteCasePackage(other, Options()));
  EXPECT_NE(package["CFAssociations"][0]["identifier"], second["CFAssociations"][0]["identifier"]);
  EXPECT_NE(package["CFRubrics"][0]["identifier"], second["CFRubrics"][0]["identifier"]);
  EXPECT_EQ(package["CFDefinitions"], second["CFDefinitions"]);
}

TEST(CaseJson, ExportMapsFieldsAsDocumented) {
  const Framework rich = RichFramework();
  const Json package = Json::parse(WriteCasePackage(rich, Options()));
  const Json& document = package["CFDocument"];
  EXPECT_EQ(document["identifier"], rich.id);
  EXPECT_EQ(document["uri"], std::string(kBase) + "/CFDocuments/" + rich.id);
  EXPECT_EQ(document["caseVersion"], "1.1");
  EXPECT_EQ(document["creator"], "Civil Service HR");
  EXPECT_EQ(document["title"], rich.title);
  EXPECT_EQ(document["frameworkType"], "behaviours");
  EXPECT_EQ(document["version"], "3");
  EXPECT_EQ(document["adoptionStatus"], "Adopted");
  EXPECT_EQ(document["lastChangeDateTime"], std::string(kStamp));
  EXPECT_FALSE(document.contains("CFPackageURI"));  // not a CFPackage field in CASE 1.1

  const Json* cluster = FindItem(package, rich.clusters[0].id);
  ASSERT_NE(cluster, nullptr);
  EXPECT_EQ((*cluster)["CFItemType"], "Cluster");
  EXPECT_EQ((*cluster)["fullStatement"], "Strategic Cluster");
  EXPECT_EQ((*cluster)["alternativeLabel"], "Setting Direction");
  EXPECT_EQ((*cluster)["notes"], "How people see the big picture.");

  const Item& big_picture = rich.clusters[0].items[0];
  const Json* item = FindItem(package, big_picture.id);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ((*item)["CFItemType"], "Behaviour");
  EXPECT_EQ((*item)["humanCodingScheme"], "1");
  EXPECT_EQ((*item)["fullStatement"], "Seeing the Big Picture");
  EXPECT_EQ((*item)["uri"], std::string(kBase) + "/CFItems/" + big_picture.id);
  EXPECT_FALSE(FindItem(package, rich.clusters[0].items[1].id)->contains("humanCodingScheme"));

  const Json* anticipate = FindItem(package, big_picture.indicators[0].id);
  ASSERT_NE(anticipate, nullptr);
  EXPECT_EQ((*anticipate)["CFItemType"], "Effective indicator");
  EXPECT_EQ((*anticipate)["conceptKeywords"], Json({"strategy", "horizon scanning"}));
  EXPECT_EQ((*anticipate)["educationLevel"], Json({"HEO", "SEO"}));  // level 3
  EXPECT_EQ((*FindItem(package, big_picture.indicators[1].id))["CFItemType"],
            "Ineffective indicator");
  EXPECT_FALSE(FindItem(package, big_picture.indicators[2].id)->contains("educationLevel"));
  EXPECT_EQ((*FindItem(package, big_picture.indicators[3].id))["educationLevel"],
            Json({"Level 6"}));  // no grade is expected at level 6

  // The item's place: isChildOf its cluster, third of ... with its sequence number.
  bool found = false;
  for (const Json& association : package["CFAssociations"]) {
    if (association["originNodeURI"]["identifier"] == big_picture.indicators[2].id) {
      found = true;
      EXPECT_EQ(association["associationType"], "isChildOf");
      EXPECT_EQ(association["destinationNodeURI"]["identifier"], big_picture.id);
      EXPECT_EQ(association["sequenceNumber"], 3);
      EXPECT_EQ(association["identifier"],
                NameBasedUuid(rich.id, "association\x1fisChildOf\x1f" +
                                           big_picture.indicators[2].id + "\x1f" + big_picture.id));
    }
  }
  EXPECT_TRUE(found);

  // Rubrics: the rating scale, the grade map, then one per item with levels.
  const Json& rubrics = package["CFRubrics"];
  ASSERT_EQ(rubrics.size(), 4u);
  EXPECT_EQ(rubrics[0]["title"], "Rating scale");
  const Json& scale = rubrics[0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"];
  ASSERT_EQ(scale.size(), 3u);
  EXPECT_EQ(scale[1]["score"], 4);
  EXPECT_EQ(scale[1]["quality"], "Moderate demonstration");
  EXPECT_EQ(rubrics[1]["title"], "Expected level by grade");
  const Json& grades = rubrics[1]["CFRubricCriteria"];
  ASSERT_EQ(grades.size(), 4u);
  EXPECT_EQ(grades[1]["category"], "HEO");
  EXPECT_EQ(grades[1]["CFRubricCriterionLevels"][0]["score"], 3);
  const Json& levels = rubrics[2]["CFRubricCriteria"][0];
  EXPECT_EQ(levels["CFItemURI"]["identifier"], big_picture.id);
  ASSERT_EQ(levels["CFRubricCriterionLevels"].size(), 3u);
  EXPECT_EQ(levels["CFRubricCriterionLevels"][2]["score"], 6);
  EXPECT_EQ(levels["CFRubricCriterionLevels"][2]["quality"], "Level 6 – Director General");
  EXPECT_EQ(levels["CFRubricCriterionLevels"][2]["rubricCriterionId"], levels["identifier"]);

  std::vector<std::string> types;
  for (const Json& type : package["CFDefinitions"]["CFItemTypes"]) {
    types.push_back(type["title"].get<std::string>());
  }
  EXPECT_EQ(types, (std::vector<std::string>{"Cluster", "Behaviour", "Effective indicator",
                                             "Ineffective indicator"}));
}

TEST(CaseJson, ExportRefusesOptionsThatWouldMakeInvalidCase) {
  const Framework rich = RichFramework();
  CaseExportOptions options = Options();
  options.base_uri = "127.0.0.1:8080/ims";  // "127.0.0" is not a scheme
  EXPECT_THROW((void)WriteCasePackage(rich, options), std::invalid_argument);
  options = Options();
  options.base_uri = "http://example.org/a path";
  EXPECT_THROW((void)WriteCasePackage(rich, options), std::invalid_argument);
  for (const char* stamp : {"2024-05-01", "2024-02-30T10:00:00Z", "2024-05-01 10:00:00Z",
                            "2024-05-01T10:00:00", "yesterday"}) {
    options = Options();
    options.last_change_date_time = stamp;
    EXPECT_THROW((void)WriteCasePackage(rich, options), std::invalid_argument) << stamp;
  }
  options = Options();
  options.last_change_date_time = "2024-02-29T10:00:00.125+01:00";
  EXPECT_NO_THROW((void)WriteCasePackage(rich, options));
  Framework broken = rich;
  broken.clusters[0].items[0].id = "not-a-uuid";
  EXPECT_THROW((void)WriteCasePackage(broken, Options()), std::invalid_argument);
}

TEST(CaseJson, ExportIgnoresATrailingSlashOnTheBaseUri) {
  CaseExportOptions options = Options();
  options.base_uri += "/";
  EXPECT_EQ(WriteCasePackage(RichFramework(), options),
            WriteCasePackage(RichFramework(), Options()));
}

// ---------------------------------------------------------------------------------
// Reading packages from other tools

TEST(CaseJson, ThirdPartyPackageImports) {
  const std::string json = ReadFile(Testdata("case_third_party.json"));
  const Framework framework = Imported(json);
  EXPECT_EQ(framework.id, "9df6ec72-b135-443f-b79b-14dc95a4c069");
  EXPECT_EQ(framework.title, "Data Skills Framework (sample)");
  EXPECT_EQ(framework.kind, FrameworkKind::kTechnical);      // from its "Skill" items
  EXPECT_EQ(framework.status, FrameworkStatus::kPublished);  // "Adopted"
  EXPECT_EQ(framework.version, 2);                           // "2.1"
  EXPECT_TRUE(framework.grade_levels.empty());
  EXPECT_TRUE(framework.rating_scale.empty());

  // "Data" and "Technical" have items under them: clusters. "Communicating with
  // stakeholders" (directly under the document) and "Ethics" (under nothing) are items,
  // gathered in one cluster where the first of them stood.
  ASSERT_EQ(framework.clusters.size(), 3u);
  const Cluster& data = framework.clusters[0];
  const Cluster& technical = framework.clusters[1];
  const Cluster& other = framework.clusters[2];
  EXPECT_EQ(data.title, "Data");
  EXPECT_EQ(technical.title, "Technical");
  EXPECT_EQ(other.title, "Other skills");
  EXPECT_EQ(other.id, NameBasedUuid(framework.id,
                                    "cluster\x1f"
                                    "default"));
  EXPECT_EQ(other.order, 3);
  ASSERT_EQ(other.items.size(), 2u);
  EXPECT_EQ(other.items[0].title, "Communicating with stakeholders");
  EXPECT_EQ(other.items[1].title, "Ethics");

  // isChildOf and isPartOf both place an item; sequenceNumber orders.
  ASSERT_EQ(data.items.size(), 2u);
  const Item& analysis = data.items[0];
  EXPECT_EQ(analysis.title, "Data analysis");
  EXPECT_EQ(analysis.number, 0);  // "DA.1" is not a number
  EXPECT_EQ(analysis.description, "Adapted from the 2019 data profession framework.");
  const Item& engineering = data.items[1];
  EXPECT_EQ(engineering.title, "Data engineering");  // abbreviatedStatement
  EXPECT_EQ(engineering.description,
            "Designs, builds and tests data products that meet users' needs.");
  EXPECT_EQ(engineering.number, 2);

  // precedes orders siblings that have no sequenceNumber.
  ASSERT_EQ(technical.items.size(), 2u);
  EXPECT_EQ(technical.items[0].title, "Programming");
  EXPECT_EQ(technical.items[1].title, "Testing");

  // Indicators: by sequenceNumber, deeper levels flattened depth first; kinds from the
  // item type; tags from conceptKeywords; levels from educationLevel.
  ASSERT_EQ(analysis.indicators.size(), 4u);
  EXPECT_EQ(analysis.indicators[0].text, "Applies appropriate statistical methods");
  EXPECT_EQ(analysis.indicators[0].tags, (std::vector<std::string>{"statistics", "methods"}));
  EXPECT_EQ(analysis.indicators[0].level, 2);
  EXPECT_EQ(analysis.indicators[1].text, "Communicates findings clearly");
  EXPECT_EQ(analysis.indicators[2].text, "Explains uncertainty to people who are not specialists");
  EXPECT_EQ(analysis.indicators[2].order, 3);
  EXPECT_EQ(analysis.indicators[3].text, "Reports results without checking them");
  EXPECT_EQ(analysis.indicators[3].kind, IndicatorKind::kIneffective);
  EXPECT_EQ(analysis.indicators[3].order, 1);
  EXPECT_EQ(analysis.indicators[3].level, 0);

  // Rubric levels: scores when they are whole numbers, else positions.
  ASSERT_EQ(analysis.levels.size(), 4u);
  EXPECT_EQ(analysis.levels[0].level, 1);
  EXPECT_EQ(analysis.levels[0].label, "Awareness");
  EXPECT_EQ(analysis.levels[3].level, 4);
  EXPECT_EQ(analysis.levels[3].label, "Expert");
  EXPECT_EQ(analysis.levels[3].description, "Sets standards and develops others.");
  const Item& testing = technical.items[1];
  ASSERT_EQ(testing.levels.size(), 3u);
  EXPECT_EQ(testing.levels[0].label, "Not yet");
  EXPECT_EQ(testing.levels[0].level, 1);
  EXPECT_EQ(testing.levels[2].label, "Fully");
  EXPECT_EQ(testing.levels[2].level, 3);

  EXPECT_TRUE(domain::ValidateFramework(framework).empty());
  // What Pathway makes of it exports as valid CASE too.
  const Framework again = Imported(Export(framework, "third_party_reexport"));
  ExpectSameFramework(framework, again);
}

Json SmallPackage() {
  const std::string document = "3a0c6e2f-8b1d-4c5e-9f7a-1b3d5e7f9a0c";
  Json package = {{"CFDocument",
                   {{"identifier", document},
                    {"uri", "https://example.org/CFDocuments/" + document},
                    {"creator", "Somebody"},
                    {"title", "Flat framework"},
                    {"lastChangeDateTime", "2020-01-01T00:00:00Z"}}},
                  {"CFItems", Json::array()},
                  {"CFAssociations", Json::array()}};
  return package;
}

std::string Id(int n) {
  return NameBasedUuid("3a0c6e2f-8b1d-4c5e-9f7a-1b3d5e7f9a0c", "node " + std::to_string(n));
}

void AddItem(Json& package, int n, const std::string& statement, const std::string& type = "") {
  Json item = {{"identifier", Id(n)},
               {"fullStatement", statement},
               {"uri", "https://example.org/CFItems/" + Id(n)},
               {"lastChangeDateTime", "2020-01-01T00:00:00Z"}};
  if (!type.empty()) item["CFItemType"] = type;
  package["CFItems"].push_back(std::move(item));
}

void AddAssociation(Json& package, const std::string& type, const std::string& origin,
                    const std::string& destination) {
  const std::string id =
      NameBasedUuid("3a0c6e2f-8b1d-4c5e-9f7a-1b3d5e7f9a0c", origin + type + destination);
  package["CFAssociations"].push_back(
      {{"identifier", id},
       {"associationType", type},
       {"uri", "https://example.org/CFAssociations/" + id},
       {"originNodeURI", {{"title", "o"}, {"identifier", origin}, {"uri", "https://o.example"}}},
       {"destinationNodeURI",
        {{"title", "d"}, {"identifier", destination}, {"uri", "https://d.example"}}},
       {"lastChangeDateTime", "2020-01-01T00:00:00Z"}});
}

std::string DocumentId(const Json& package) {
  return package["CFDocument"]["identifier"].get<std::string>();
}

TEST(CaseJson, PackageWithoutClustersImportsIntoOneCluster) {
  Json package = SmallPackage();
  AddItem(package, 1, "Numeracy", "Competency");
  AddItem(package, 2, "Literacy", "Competency");
  AddItem(package, 3, "Uses numbers in context", "Indicator");
  AddAssociation(package, "isChildOf", Id(1), DocumentId(package));
  AddAssociation(package, "isChildOf", Id(2), DocumentId(package));
  AddAssociation(package, "isChildOf", Id(3), Id(1));  // indicators only: Numeracy is an item
  const Framework framework = Imported(package.dump());
  ASSERT_EQ(framework.clusters.size(), 1u);
  EXPECT_EQ(framework.clusters[0].title, "Flat framework");
  ASSERT_EQ(framework.clusters[0].items.size(), 2u);
  EXPECT_EQ(framework.clusters[0].items[0].title, "Numeracy");
  ASSERT_EQ(framework.clusters[0].items[0].indicators.size(), 1u);
  EXPECT_EQ(framework.clusters[0].items[1].title, "Literacy");
  EXPECT_EQ(framework.kind, FrameworkKind::kCompetency);
  EXPECT_EQ(framework.status, FrameworkStatus::kDraft);
  EXPECT_EQ(framework.version, 1);
  EXPECT_TRUE(domain::ValidateFramework(framework).empty());
  SaveExport("flat_reexport", WriteCasePackage(framework, Options()));
}

TEST(CaseJson, DeeperTreesAreFlattenedIntoIndicators) {
  // Domain > Area > Skill > Statement > Sub-statement: the domain is a cluster, the
  // area an item, everything below it the item's indicators, depth first.
  Json package = SmallPackage();
  AddItem(package, 1, "Domain");
  AddItem(package, 2, "Area");
  AddItem(package, 3, "Skill");
  AddItem(package, 4, "Statement");
  AddItem(package, 5, "Sub-statement");
  AddItem(package, 6, "Second skill");
  AddAssociation(package, "isChildOf", Id(1), DocumentId(package));
  AddAssociation(package, "isChildOf", Id(2), Id(1));
  AddAssociation(package, "isChildOf", Id(3), Id(2));
  AddAssociation(package, "isChildOf", Id(4), Id(3));
  AddAssociation(package, "isChildOf", Id(5), Id(4));
  AddAssociation(package, "isChildOf", Id(6), Id(2));
  const Framework framework = Imported(package.dump());
  ASSERT_EQ(framework.clusters.size(), 1u);
  EXPECT_EQ(framework.clusters[0].title, "Domain");
  ASSERT_EQ(framework.clusters[0].items.size(), 1u);
  const Item& area = framework.clusters[0].items[0];
  EXPECT_EQ(area.title, "Area");
  std::vector<std::string> texts;
  for (const Indicator& indicator : area.indicators) texts.push_back(indicator.text);
  EXPECT_EQ(texts,
            (std::vector<std::string>{"Skill", "Statement", "Sub-statement", "Second skill"}));
}

TEST(CaseJson, UpperCaseIdentifiersAreAcceptedAndLowerCased) {
  Json package = SmallPackage();
  AddItem(package, 1, "Numeracy");
  std::string upper = Id(1);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](char c) { return static_cast<char>(std::toupper(c)); });
  package["CFItems"][0]["identifier"] = upper;
  AddAssociation(package, "isChildOf", upper, DocumentId(package));
  const Framework framework = Imported(package.dump());
  ASSERT_EQ(framework.clusters.size(), 1u);
  ASSERT_EQ(framework.clusters[0].items.size(), 1u);
  EXPECT_EQ(framework.clusters[0].items[0].id, Id(1));
}

TEST(CaseJson, OtherAssociationTypesAreIgnoredWhereverTheyPoint) {
  Json package = SmallPackage();
  AddItem(package, 1, "Numeracy");
  AddAssociation(package, "isChildOf", Id(1), DocumentId(package));
  const std::string outside = "0f8fad5b-d9cb-469f-a165-70867728950e";
  for (const char* type : {"isRelatedTo", "exactMatchOf", "exemplar", "replacedBy", "isPeerOf",
                           "hasSkillLevel", "isTranslationOf", "ext:alignsWith"}) {
    AddAssociation(package, type, Id(1), outside);
    AddAssociation(package, type, outside, "https://example.org/not-even-a-uuid");
  }
  const Framework framework = Imported(package.dump());
  ASSERT_EQ(framework.clusters.size(), 1u);
  EXPECT_EQ(framework.clusters[0].items.size(), 1u);
}

// ---------------------------------------------------------------------------------
// Refusals

TEST(CaseJson, MalformedJsonIsReportedAtItsLineAndColumn) {
  const std::vector<ImportProblem> problems = Problems("{\n  \"CFDocument\": {,\n}");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 2);
  EXPECT_EQ(problems[0].column, 18);
  EXPECT_NE(problems[0].message.find("not valid JSON"), std::string::npos);

  // Columns count characters, not bytes, and a byte order mark is not counted.
  const std::vector<ImportProblem> after_accents =
      Problems("\xEF\xBB\xBF{\"title\": \"Café Ü\" x}");
  ASSERT_EQ(after_accents.size(), 1u);
  EXPECT_EQ(after_accents[0].line, 1);
  EXPECT_EQ(after_accents[0].column, 20);

  const std::vector<ImportProblem> truncated = Problems(R"({"CFDocument": {"title": "A)");
  ASSERT_EQ(truncated.size(), 1u);
  EXPECT_EQ(truncated[0].line, 1);

  // A number too large for a double is refused (nlohmann throws out_of_range for it).
  const std::vector<ImportProblem> huge = Problems("{\n  \"CFDocument\": 1e999}");
  ASSERT_EQ(huge.size(), 1u);
  EXPECT_EQ(huge[0].line, 2);
  EXPECT_EQ(huge[0].column, 17);
  EXPECT_NE(huge[0].message.find("number too large"), std::string::npos);
}

TEST(CaseJson, InvalidUtf8IsReportedAtItsLineAndColumn) {
  const std::vector<ImportProblem> problems = Problems("{\n  \"a\": \"ok é\xC3\x28\"\n}");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 2);
  EXPECT_EQ(problems[0].column, 13);
  EXPECT_NE(problems[0].message.find("not UTF-8"), std::string::npos);
  // Overlong forms and surrogates are not UTF-8 either.
  EXPECT_EQ(Problems("{\"a\": \"\xC0\xAF\"}").at(0).column, 8);
  EXPECT_EQ(Problems("{\"a\": \"\xED\xA0\x80\"}").at(0).column, 8);
  const std::vector<ImportProblem> utf16 = Problems(std::string("\xFF\xFE{\0}\0", 6));
  EXPECT_NE(utf16.at(0).message.find("UTF-16"), std::string::npos);
}

TEST(CaseJson, EmptyOversizedAndTooDeepFilesAreRefused) {
  EXPECT_NE(Problems("").at(0).message.find("empty"), std::string::npos);
  EXPECT_NE(Problems(" \n\t").at(0).message.find("empty"), std::string::npos);

  CaseImportOptions small;
  small.max_bytes = 100;
  const std::vector<ImportProblem> big = Problems(std::string(101, ' '), small);
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0].line, 0);
  EXPECT_NE(big[0].message.find("larger than 100 bytes"), std::string::npos);
  const std::string export_json = WriteCasePackage(RichFramework(), Options());
  small.max_bytes = export_json.size();
  EXPECT_TRUE(ParseCasePackage(export_json, small).ok());
  small.max_bytes = export_json.size() - 1;
  EXPECT_FALSE(ParseCasePackage(export_json, small).ok());
  EXPECT_NE(Problems(std::string(9 * 1024 * 1024, ' ')).at(0).message.find("larger than 8 MB"),
            std::string::npos);

  const std::string deep = std::string(65, '[') + std::string(65, ']');
  const std::vector<ImportProblem> nested = Problems(deep);
  ASSERT_EQ(nested.size(), 1u);
  EXPECT_EQ(nested[0].column, 65);
  EXPECT_NE(nested[0].message.find("more than 64 deep"), std::string::npos);
  // Brackets inside strings do not count.
  EXPECT_NE(Problems("{\"a\": \"" + std::string(100, '[') + "\"}").at(0).message.find("CFPackage:"),
            std::string::npos);
}

TEST(CaseJson, TheTopLevelMustBeAnObjectWithACFDocument) {
  for (const char* json :
       {"[]", "{}", "\"CFDocument\"", "42", "null", R"({"CFItems": [], "CFAssociations": []})"}) {
    const std::vector<ImportProblem> problems = Problems(json);
    ASSERT_EQ(problems.size(), 1u) << json;
    EXPECT_EQ(problems[0].line, 0);
    EXPECT_EQ(problems[0].message.rfind("CFPackage: ", 0), 0u) << problems[0].message;
  }
  EXPECT_EQ(ProblemWith(Problems(R"({"CFDocument": [1]})"), "CFDocument:").message,
            "CFDocument: must be an object (in braces)");
  Json package = SmallPackage();
  package["CFItems"] = Json::object();
  ProblemWith(Problems(package.dump()), "CFItems: must be a list");
}

TEST(CaseJson, MissingRequiredFieldsAreReportedWithTheirPath) {
  Json package = Json::parse(WriteCasePackage(RichFramework(), Options()));
  package["CFDocument"].erase("title");
  package["CFDocument"].erase("creator");
  package["CFItems"][1].erase("fullStatement");
  package["CFItems"][2].erase("uri");
  package["CFAssociations"][0].erase("originNodeURI");
  package["CFAssociations"][1]["destinationNodeURI"].erase("identifier");
  package["CFAssociations"][2].erase("associationType");
  package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][1].erase("identifier");
  const std::vector<ImportProblem> problems = Problems(package.dump());
  for (const char* path :
       {"CFDocument.title: ", "CFDocument.creator: ", "CFItems[1].fullStatement: ",
        "CFItems[2].uri: ", "CFAssociations[0].originNodeURI: ",
        "CFAssociations[1].destinationNodeURI.identifier: ", "CFAssociations[2].associationType: ",
        "CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[1].identifier: "}) {
    const ImportProblem problem = ProblemWith(problems, path);
    EXPECT_EQ(problem.message.rfind(path, 0), 0u) << problem.message;
    EXPECT_NE(problem.message.find("this field is missing"), std::string::npos);
    EXPECT_EQ(problem.line, 0);
    EXPECT_EQ(problem.column, 0);
  }
  EXPECT_EQ(problems.size(), 8u) << Describe(problems);
}

TEST(CaseJson, FieldsOfTheWrongTypeAreReportedWithTheirPath) {
  Json package = Json::parse(WriteCasePackage(RichFramework(), Options()));
  package["CFDocument"]["title"] = 12;
  package["CFItems"][1]["notes"] = Json::array();
  package["CFItems"][2]["conceptKeywords"] = {"fine", 3};
  package["CFItems"][3]["fullStatement"] = "   ";
  package["CFItems"][4]["fullStatement"] = std::string("bell\x07");
  package["CFAssociations"][3]["sequenceNumber"] = "first";
  package["CFAssociations"][4]["sequenceNumber"] = 1.5;
  package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0]["score"] = "1";
  const std::vector<ImportProblem> problems = Problems(package.dump());
  EXPECT_EQ(ProblemWith(problems, "CFDocument.title").message,
            "CFDocument.title: must be text (a JSON string)");
  ProblemWith(problems, "CFItems[1].notes: must be text");
  ProblemWith(problems, "CFItems[2].conceptKeywords[1]: must be text");
  ProblemWith(problems, "CFItems[3].fullStatement: must not be empty");
  ProblemWith(problems, "CFItems[4].fullStatement: must not contain control characters");
  ProblemWith(problems, "CFAssociations[3].sequenceNumber: must be a whole number");
  ProblemWith(problems, "CFAssociations[4].sequenceNumber: must be a whole number");
  ProblemWith(problems,
              "CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[0].score: "
              "must be a number");
}

TEST(CaseJson, InvalidIdentifiersAreReportedWithTheirPath) {
  Json package = Json::parse(WriteCasePackage(RichFramework(), Options()));
  package["CFItems"][3]["identifier"] = "not-a-uuid";
  package["CFItems"][4]["identifier"] = "00000000-0000-0000-0000-000000000000";
  package["CFItems"][5]["identifier"] = "5b3c1f8e-2a4d-4e6f-ca1b-3c5d7e9f1a2b";  // variant c
  package["CFAssociations"][0]["identifier"] = "{5b3c1f8e-2a4d-4e6f-8a1b-3c5d7e9f1a2b}";
  package["CFRubrics"][1]["identifier"] = 7;
  const std::vector<ImportProblem> problems = Problems(package.dump());
  EXPECT_EQ(ProblemWith(problems, "CFItems[3].identifier").message,
            "CFItems[3].identifier: ‘not-a-uuid’ is not a valid identifier. It must be a UUID "
            "such as 0f8fad5b-d9cb-469f-a165-70867728950e");
  ProblemWith(problems, "CFItems[4].identifier: ‘00000000");
  ProblemWith(problems, "CFItems[5].identifier: ‘5b3c1f8e");
  ProblemWith(problems, "CFAssociations[0].identifier: ‘{5b3c");
  ProblemWith(problems, "CFRubrics[1].identifier: must be text");
}

TEST(CaseJson, DuplicateIdentifiersAreReportedWithTheirPath) {
  Json package = Json::parse(WriteCasePackage(RichFramework(), Options()));
  const std::string first = package["CFItems"][0]["identifier"].get<std::string>();
  package["CFItems"][2]["identifier"] = first;
  package["CFItems"][3]["identifier"] = DocumentId(package);
  package["CFAssociations"][5]["identifier"] = package["CFAssociations"][4]["identifier"];
  const std::string level =
      package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0]["identifier"];
  package["CFRubrics"][2]["identifier"] = level;
  const std::vector<ImportProblem> problems = Problems(package.dump());
  EXPECT_EQ(ProblemWith(problems, "CFItems[2].identifier").message,
            "CFItems[2].identifier: identifier " + first + " is already used by CFItems[0]");
  ProblemWith(problems, "CFItems[3].identifier: identifier " + DocumentId(package) +
                            " is already used by CFDocument");
  ProblemWith(problems, "CFAssociations[5].identifier: identifier");
  ProblemWith(problems, "CFRubrics[2].identifier: identifier " + level +
                            " is already used by "
                            "CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[0]");
}

TEST(CaseJson, AssociationsToNodesOutsideThePackageAreReported) {
  Json package = SmallPackage();
  AddItem(package, 1, "Numeracy");
  AddItem(package, 2, "Literacy");
  const std::string outside = "0f8fad5b-d9cb-469f-a165-70867728950e";
  AddAssociation(package, "isChildOf", Id(1), DocumentId(package));
  AddAssociation(package, "isChildOf", Id(2), outside);
  AddAssociation(package, "isPartOf", outside, Id(1));
  AddAssociation(package, "precedes", Id(1), outside);
  AddAssociation(package, "isChildOf", DocumentId(package), Id(1));
  const std::vector<ImportProblem> problems = Problems(package.dump());
  // The tree's ends must be in the package; a precedes to a node elsewhere is kept.
  EXPECT_EQ(problems.size(), 3u) << Describe(problems);
  EXPECT_EQ(ProblemWith(problems, "CFAssociations[1]").message,
            "CFAssociations[1].destinationNodeURI.identifier: ‘" + outside +
                "’ is not the CFDocument or a CFItem in this package");
  ProblemWith(problems, "CFAssociations[2].originNodeURI.identifier: ‘" + outside);
  ProblemWith(problems, "CFAssociations[4].originNodeURI.identifier: the CFDocument cannot");
}

// A package with every association type CASE 1.1 names and an extension type, with ends
// in the package and in other frameworks, in an association grouping, with notes and
// extensions, and a rubric of its own: all of it is kept on import and written back.
TEST(CaseJson, EveryAssociationTypeGroupingAndRubricSurvivesARoundTrip) {
  Json package = SmallPackage();
  AddItem(package, 1, "Numeracy", "Competency");
  AddItem(package, 2, "Literacy", "Competency");
  AddAssociation(package, "isChildOf", Id(1), DocumentId(package));
  AddAssociation(package, "isChildOf", Id(2), DocumentId(package));
  const std::string elsewhere = "7d444840-9dc0-41dc-8a5e-4a1b2c3d4e5f";  // another framework
  const std::string grouping = "1c9a3b0e-5d6f-4a7b-8c9d-0e1f2a3b4c5d";
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> kept = {
      {"precedes", {Id(1), Id(2)}},          {"precedes", {Id(2), elsewhere}},
      {"exactMatchOf", {Id(1), elsewhere}},  {"isRelatedTo", {Id(2), elsewhere}},
      {"isPeerOf", {Id(1), Id(2)}},          {"exemplar", {Id(2), elsewhere}},
      {"hasSkillLevel", {Id(1), elsewhere}}, {"isTranslationOf", {Id(2), elsewhere}},
      {"replacedBy", {Id(1), elsewhere}},    {"ext:broaderThan", {Id(1), elsewhere}},
  };
  for (const auto& [type, ends] : kept) AddAssociation(package, type, ends.first, ends.second);
  Json& exact = package["CFAssociations"][4];
  exact["sequenceNumber"] = 3;
  exact["notes"] = "Same skill, as the DDaT framework names it";
  exact["extensions"] = {{"confidence", "high"}};
  exact["destinationNodeURI"]["targetType"] = "CASE";
  exact["CFAssociationGroupingURI"] = {
      {"title", "Crosswalk to DDaT"},
      {"identifier", grouping},
      {"uri", "https://example.org/CFAssociationGroupings/" + grouping}};
  package["CFDefinitions"] = {{"CFAssociationGroupings",
                               {{{"identifier", grouping},
                                 {"uri", "https://example.org/CFAssociationGroupings/" + grouping},
                                 {"title", "Crosswalk to DDaT"},
                                 {"lastChangeDateTime", "2020-01-01T00:00:00Z"}}}}};
  const std::string rubric = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
  package["CFRubrics"] = {{{"identifier", rubric},
                           {"uri", "https://example.org/CFRubrics/" + rubric},
                           {"title", "Their own rubric"},
                           {"lastChangeDateTime", "2020-01-01T00:00:00Z"}}};

  const Framework framework = Imported(package.dump());
  ASSERT_EQ(framework.associations.size(), kept.size());
  for (std::size_t a = 0; a < kept.size(); ++a) {
    EXPECT_EQ(framework.associations[a].type, kept[a].first);
    EXPECT_EQ(framework.associations[a].origin.identifier, kept[a].second.first);
    EXPECT_EQ(framework.associations[a].destination.identifier, kept[a].second.second);
  }
  const domain::Association& match = framework.associations[2];
  EXPECT_EQ(match.sequence, 3);
  EXPECT_EQ(match.notes, "Same skill, as the DDaT framework names it");
  EXPECT_EQ(match.grouping.identifier, grouping);
  EXPECT_EQ(match.destination.uri, "https://d.example");
  EXPECT_EQ(match.destination.target_type, "CASE");
  EXPECT_EQ(Json::parse(match.extensions), Json({{"confidence", "high"}}));
  EXPECT_TRUE(domain::ValidateFramework(framework).empty());

  const std::string written = Export(framework, "every_association_type");
  const Json out = Json::parse(written);
  std::set<std::string> types;
  for (const Json& association : out["CFAssociations"]) {
    types.insert(association["associationType"].get<std::string>());
    if (association["identifier"] == match.id) {
      EXPECT_EQ(association["notes"], match.notes);
      EXPECT_EQ(association["extensions"]["confidence"], "high");
      EXPECT_EQ(association["CFAssociationGroupingURI"]["identifier"], grouping);
      EXPECT_EQ(association["originNodeURI"]["uri"], std::string(kBase) + "/CFItems/" + Id(1));
      EXPECT_EQ(association["destinationNodeURI"]["uri"], "https://d.example");
      EXPECT_EQ(association["sequenceNumber"], 3);
    }
  }
  for (const auto& [type, ends] : kept) EXPECT_TRUE(types.contains(type)) << type;
  EXPECT_EQ(out["CFDefinitions"]["CFAssociationGroupings"][0]["identifier"], grouping);
  bool rubric_back = false;
  for (const Json& r : out["CFRubrics"]) rubric_back = rubric_back || r["identifier"] == rubric;
  EXPECT_TRUE(rubric_back);

  // Read again, everything is the same; written again, the bytes are the same.
  const Framework again = Imported(written);
  ASSERT_EQ(again.associations.size(), framework.associations.size());
  for (std::size_t a = 0; a < again.associations.size(); ++a) {
    EXPECT_EQ(again.associations[a].id, framework.associations[a].id);
    EXPECT_EQ(again.associations[a].type, framework.associations[a].type);
    EXPECT_EQ(again.associations[a].extensions, framework.associations[a].extensions);
  }
  EXPECT_EQ(WriteCasePackage(again, Options()), written);
}

TEST(CaseJson, KeptAssociationsAreCheckedLikeEveryOtherField) {
  Json package = SmallPackage();
  AddItem(package, 1, "Numeracy", "Competency");
  AddAssociation(package, "isChildOf", Id(1), DocumentId(package));
  AddAssociation(package, "exactMatchOf", Id(1), "7d444840-9dc0-41dc-8a5e-4a1b2c3d4e5f");
  AddAssociation(package, "isRelatedTo", Id(1), "7d444840-9dc0-41dc-8a5e-4a1b2c3d4e5f");
  package["CFAssociations"][1]["extensions"] = "not an object";
  package["CFAssociations"][2]["destinationNodeURI"].erase("uri");
  const std::vector<ImportProblem> problems = Problems(package.dump());
  ASSERT_EQ(problems.size(), 2u) << Describe(problems);
  ProblemWith(problems, "CFAssociations[1].extensions: must be an object");
  ProblemWith(problems, "CFAssociations[2].destinationNodeURI.uri: this field is missing");
}

TEST(CaseJson, ChildOfCyclesAreReportedWithTheItemsInThem) {
  Json package = SmallPackage();
  AddItem(package, 1, "Numeracy");
  AddItem(package, 2, "Arithmetic");
  AddItem(package, 3, "Fractions");
  AddItem(package, 4, "Loner");
  AddAssociation(package, "isChildOf", Id(1), DocumentId(package));
  AddAssociation(package, "isChildOf", Id(2), Id(3));
  AddAssociation(package, "isPartOf", Id(3), Id(2));
  AddAssociation(package, "isChildOf", Id(4), Id(4));
  const std::vector<ImportProblem> problems = Problems(package.dump());
  ASSERT_EQ(problems.size(), 2u) << Describe(problems);
  EXPECT_EQ(problems[0].message,
            "CFAssociations[2]: isChildOf and isPartOf associations form a cycle, so these items "
            "have no place in the framework: ‘Arithmetic’ (" +
                Id(2) + ") → ‘Fractions’ (" + Id(3) + ") → ‘Arithmetic’ (" + Id(2) + ")");
  EXPECT_EQ(problems[1].message.rfind("CFAssociations[3]: ", 0), 0u);
  EXPECT_NE(problems[1].message.find("‘Loner’ (" + Id(4) + ") → ‘Loner’"), std::string::npos);
}

TEST(CaseJson, EveryProblemIsReportedUpToTheLimit) {
  Json package = Json::parse(WriteCasePackage(RichFramework(), Options()));
  for (Json& item : package["CFItems"]) item["identifier"] = "bad";
  const std::size_t items = package["CFItems"].size();
  const std::vector<ImportProblem> all = Problems(package.dump());
  EXPECT_GE(all.size(), items);
  for (std::size_t i = 0; i < items; ++i) {
    ProblemWith(all, "CFItems[" + std::to_string(i) + "].identifier: ");
  }
  CaseImportOptions options;
  options.max_problems = 3;
  const std::vector<ImportProblem> capped = Problems(package.dump(), options);
  ASSERT_EQ(capped.size(), 4u);
  EXPECT_NE(capped[3].message.find("more problems"), std::string::npos);
}

TEST(CaseJson, DamagedPackagesNeverCrashTheReader) {
  const std::string original = WriteCasePackage(RichFramework(), Options());
  std::mt19937 random(20240501);
  std::uniform_int_distribution<std::size_t> position(0, original.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  int refused = 0;
  for (int round = 0; round < 300; ++round) {
    std::string damaged = original;
    switch (round % 4) {
      case 0:
        damaged.resize(position(random));
        break;
      case 1:
        damaged[position(random)] = static_cast<char>(byte(random));
        break;
      case 2:
        damaged.erase(position(random), 1 + position(random) % 40);
        break;
      default: {
        // Swap two values of the same package: wrong types in unexpected places.
        Json package = Json::parse(original);
        const std::size_t a = position(random) % package["CFItems"].size();
        package["CFItems"][a]["identifier"] = package["CFAssociations"][0];
        damaged = package.dump();
      }
    }
    ImportResult<Framework> result = ParseCasePackage(damaged);
    if (!result.ok()) {
      ++refused;
      EXPECT_FALSE(result.problems().empty());
    }
  }
  EXPECT_GT(refused, 100);
}

}  // namespace
}  // namespace pathway::interchange

namespace pathway::interchange {
namespace {

TEST(CaseJson, A1MbNameAndTitlesTooLongForATitleAreRefusedWithTheirPath) {
  Json package = SmallPackage();
  package["CFDocument"]["title"] = std::string(1024 * 1024, 'N');
  AddItem(package, 1, std::string(300, 'T'));
  AddAssociation(package, "isChildOf", Id(1), DocumentId(package));
  AddItem(package, 2, std::string(10001, 'S'));
  AddAssociation(package, "isChildOf", Id(2), DocumentId(package));
  const std::vector<ImportProblem> huge = Problems(package.dump());
  EXPECT_EQ(ProblemWith(huge, "CFDocument.title").message,
            "CFDocument.title: must be 250 characters or fewer; it has 1048576");
  EXPECT_EQ(ProblemWith(huge, "CFItems[1].fullStatement").message,
            "CFItems[1].fullStatement: must be 10000 characters or fewer; it has 10001");

  package["CFDocument"]["title"] = "Flat framework";
  package["CFItems"][1]["fullStatement"] = "Short";
  const std::vector<ImportProblem> title = Problems(package.dump());
  ASSERT_EQ(title.size(), 1u) << Describe(title);
  EXPECT_EQ(title[0].message.substr(0, 12), "CFItems[0]: ");
  EXPECT_NE(title[0].message.find("must be 250 characters or fewer"), std::string::npos)
      << title[0].message;
}

}  // namespace
}  // namespace pathway::interchange
