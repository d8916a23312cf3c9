#include "interchange/case_json.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <queue>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/text.hpp"

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
using domain::LevelDescriptor;
using domain::Lower;
using domain::ScalePoint;
using domain::Trim;

// ---------------------------------------------------------------------------------
// Names shared by the writer and the reader

constexpr std::string_view kCaseVersion = "1.1";
constexpr std::string_view kClusterType = "Cluster";
constexpr std::string_view kEffectiveType = "Effective indicator";
constexpr std::string_view kIneffectiveType = "Ineffective indicator";
constexpr std::string_view kRatingScaleName = "rubric\x1frating-scale";
constexpr std::string_view kGradeLevelsName = "rubric\x1fgrade-levels";
constexpr std::string_view kDefaultClusterName =
    "cluster\x1f"
    "default";
constexpr std::string_view kLevelPrefix = "Level ";

std::string_view ItemTypeOf(FrameworkKind kind) {
  switch (kind) {
    case FrameworkKind::kCompetency:
      return "Competency";
    case FrameworkKind::kBehaviours:
      return "Behaviour";
    case FrameworkKind::kStrengths:
      return "Strength";
    case FrameworkKind::kCareer:
    case FrameworkKind::kTechnical:
      return "Skill";
  }
  return "Competency";
}

std::string_view ItemNounPlural(FrameworkKind kind) {
  switch (kind) {
    case FrameworkKind::kCompetency:
      return "competencies";
    case FrameworkKind::kBehaviours:
      return "behaviours";
    case FrameworkKind::kStrengths:
      return "strengths";
    case FrameworkKind::kCareer:
    case FrameworkKind::kTechnical:
      return "skills";
  }
  return "competencies";
}

std::string_view AdoptionStatusOf(FrameworkStatus status) {
  switch (status) {
    case FrameworkStatus::kDraft:
      return "Draft";
    case FrameworkStatus::kPublished:
      return "Adopted";
    case FrameworkStatus::kRetired:
      return "Deprecated";
  }
  return "Draft";
}

// ---------------------------------------------------------------------------------
// Writer

using OrderedJson = nlohmann::ordered_json;

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int TwoDigits(std::string_view text) { return (text[0] - '0') * 10 + (text[1] - '0'); }

// RFC 3339 date-time, as JSON Schema's "date-time" format accepts it:
// YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM).
bool ValidDateTime(std::string_view text) {
  if (text.size() < 20) return false;
  const std::string_view year = text.substr(0, 4);
  if (!IsDigits(year) || text[4] != '-' || !IsDigits(text.substr(5, 2)) || text[7] != '-' ||
      !IsDigits(text.substr(8, 2)) || (text[10] != 'T' && text[10] != 't') ||
      !IsDigits(text.substr(11, 2)) || text[13] != ':' || !IsDigits(text.substr(14, 2)) ||
      text[16] != ':' || !IsDigits(text.substr(17, 2))) {
    return false;
  }
  const int y = std::stoi(std::string(year));
  const int month = TwoDigits(text.substr(5, 2));
  const int day = TwoDigits(text.substr(8, 2));
  static constexpr std::array<int, 12> kDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (month == 2 && day == 29 && !leap) return false;
  if (TwoDigits(text.substr(11, 2)) > 23 || TwoDigits(text.substr(14, 2)) > 59 ||
      TwoDigits(text.substr(17, 2)) > 59) {
    return false;
  }
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 1) return false;
    rest.remove_prefix(digits);
  }
  if (rest == "Z" || rest == "z") return true;
  return rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && IsDigits(rest.substr(1, 2)) &&
         rest[3] == ':' && IsDigits(rest.substr(4, 2)) && TwoDigits(rest.substr(1, 2)) <= 23 &&
         TwoDigits(rest.substr(4, 2)) <= 59;
}

// An absolute URI: a scheme, a colon and only characters RFC 3986 allows in a
// URI.
bool ValidBaseUri(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(text[0])) return false;
  for (char c : text.substr(0, colon)) {
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  constexpr std::string_view kAllowed = "-._~:/?#[]@!$&'()*+,;=%";
  for (char c : text.substr(colon + 1)) {
    if (!alpha(c) && !(c >= '0' && c <= '9') && kAllowed.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

void RequireUuid(const std::string& id, std::string_view what) {
  if (!domain::ValidUuid(id)) {
    throw std::invalid_argument("WriteCasePackage: the id of " + std::string(what) +
                                " is not a UUID: " + id);
  }
}

struct ItemTypeDefinition {
  std::string_view title;
  std::string_view type_code;
  std::string_view hierarchy_code;
  std::string description;
};

class PackageWriter {
 public:
  PackageWriter(const Framework& framework, const CaseExportOptions& options)
      : framework_(framework),
        base_(options.base_uri),
        creator_(options.creator),
        stamp_(options.last_change_date_time) {
    if (!base_.empty() && base_.back() == '/') base_.pop_back();
    if (!ValidBaseUri(base_)) {
      throw std::invalid_argument("WriteCasePackage: base_uri is not an absolute URI: " +
                                  options.base_uri);
    }
    if (!ValidDateTime(stamp_)) {
      throw std::invalid_argument(
          "WriteCasePackage: last_change_date_time is "
          "not an RFC 3339 date-time: " +
          stamp_);
    }
    RequireUuid(framework.id, "the framework");
    for (const Cluster& cluster : framework.clusters) {
      RequireUuid(cluster.id, "cluster " + cluster.title);
      own_ids_.insert(cluster.id);
      for (const Item& item : cluster.items) {
        RequireUuid(item.id, "item " + item.title);
        own_ids_.insert(item.id);
        for (const Indicator& indicator : item.indicators) {
          RequireUuid(indicator.id, "an indicator of " + item.title);
          own_ids_.insert(indicator.id);
        }
      }
    }
    for (const domain::Association& kept : framework.associations) {
      RequireUuid(kept.id, "an association");
    }
    const std::string_view item_type = ItemTypeOf(framework.kind);
    const std::string noun(ItemNounPlural(framework.kind));
    types_ = {
        {kClusterType, "cluster", "1", "A group of related " + noun + "."},
        {item_type, domain::ItemNoun(framework.kind), "2",
         "What one of the " + noun +
             " means, at each level it describes, with examples of effective "
             "and ineffective "
             "behaviour."},
        {kEffectiveType, "effective-indicator", "3.1",
         "An example of effective behaviour: what people who are effective are "
         "likely to do."},
        {kIneffectiveType, "ineffective-indicator", "3.2",
         "An example of ineffective behaviour: what people who are less "
         "effective are likely "
         "to do."},
    };
  }

  std::string Write() {
    OrderedJson package = OrderedJson::object();
    package["CFDocument"] = Document();
    OrderedJson items = OrderedJson::array();
    OrderedJson associations = OrderedJson::array();
    for (std::size_t c = 0; c < framework_.clusters.size(); ++c) {
      const Cluster& cluster = framework_.clusters[c];
      items.push_back(ClusterItem(cluster));
      associations.push_back(ChildOf(ClusterLink(cluster), DocumentLink(), c + 1));
      for (std::size_t i = 0; i < cluster.items.size(); ++i) {
        const Item& item = cluster.items[i];
        items.push_back(ItemItem(item));
        associations.push_back(ChildOf(ItemLink(item), ClusterLink(cluster), i + 1));
        for (const std::string& old : item.replaces) associations.push_back(ReplacedBy(old, item));
        for (std::size_t n = 0; n < item.indicators.size(); ++n) {
          const Indicator& indicator = item.indicators[n];
          items.push_back(IndicatorItem(indicator));
          associations.push_back(ChildOf(IndicatorLink(indicator), ItemLink(item), n + 1));
        }
      }
    }
    std::set<std::string> written;
    for (const OrderedJson& association : associations) {
      written.insert(association["identifier"].get<std::string>());
    }
    for (const domain::Association& kept : framework_.associations) {
      if (written.insert(kept.id).second) associations.push_back(KeptAssociation(kept));
    }
    package["CFItems"] = std::move(items);
    package["CFAssociations"] = std::move(associations);
    OrderedJson types = OrderedJson::array();
    for (const ItemTypeDefinition& type : types_) types.push_back(TypeDefinition(type));
    package["CFDefinitions"] = {{"CFItemTypes", std::move(types)}};
    if (OrderedJson groupings = KeptList(framework_.case_groupings); !groupings.empty()) {
      package["CFDefinitions"]["CFAssociationGroupings"] = std::move(groupings);
    }
    OrderedJson rubrics = Rubrics();
    std::set<std::string> rubric_ids;
    for (const OrderedJson& rubric : rubrics)
      rubric_ids.insert(rubric["identifier"].get<std::string>());
    for (OrderedJson& rubric : KeptList(framework_.case_rubrics)) {
      const auto id = rubric.find("identifier");
      if (id != rubric.end() && id->is_string() &&
          rubric_ids.insert(id->get<std::string>()).second) {
        rubrics.push_back(std::move(rubric));
      }
    }
    package["CFRubrics"] = std::move(rubrics);
    return package.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
  }

 private:
  std::string Uri(std::string_view collection, const std::string& id) const {
    return base_ + "/" + std::string(collection) + "/" + id;
  }

  std::string Derived(std::string_view name) const {
    return domain::NameBasedUuid(framework_.id, name);
  }

  static OrderedJson Link(const std::string& title, const std::string& id, std::string uri) {
    return {{"title", title}, {"identifier", id}, {"uri", std::move(uri)}};
  }

  OrderedJson DocumentLink() const {
    return Link(framework_.title, framework_.id, Uri("CFDocuments", framework_.id));
  }
  OrderedJson ClusterLink(const Cluster& cluster) const {
    return Link(cluster.title, cluster.id, Uri("CFItems", cluster.id));
  }
  OrderedJson ItemLink(const Item& item) const {
    return Link(item.title, item.id, Uri("CFItems", item.id));
  }
  OrderedJson IndicatorLink(const Indicator& indicator) const {
    return Link(indicator.text, indicator.id, Uri("CFItems", indicator.id));
  }

  const ItemTypeDefinition& Type(std::string_view title) const {
    for (const ItemTypeDefinition& type : types_) {
      if (type.title == title) return type;
    }
    throw std::logic_error("PackageWriter: no item type " + std::string(title));
  }

  std::string TypeId(const ItemTypeDefinition& type) const {
    return domain::NameBasedUuid(kCaseItemTypeNamespace,
                                 "CFItemType\x1f" + std::string(type.title));
  }

  OrderedJson TypeLink(std::string_view title) const {
    const ItemTypeDefinition& type = Type(title);
    const std::string id = TypeId(type);
    return Link(std::string(type.title), id, Uri("CFItemTypes", id));
  }

  OrderedJson TypeDefinition(const ItemTypeDefinition& type) const {
    const std::string id = TypeId(type);
    return {{"identifier", id},
            {"uri", Uri("CFItemTypes", id)},
            {"title", type.title},
            {"description", type.description},
            {"hierarchyCode", type.hierarchy_code},
            {"typeCode", type.type_code},
            {"lastChangeDateTime", stamp_}};
  }

  OrderedJson Document() const {
    OrderedJson document = {{"identifier", framework_.id},
                            {"uri", Uri("CFDocuments", framework_.id)},
                            {"frameworkType", domain::FrameworkKindName(framework_.kind)},
                            {"caseVersion", kCaseVersion},
                            {"creator", creator_},
                            {"title", framework_.title},
                            {"lastChangeDateTime", stamp_}};
    if (!framework_.description.empty()) document["description"] = framework_.description;
    document["version"] = std::to_string(framework_.version);
    document["adoptionStatus"] = AdoptionStatusOf(framework_.status);
    return document;
  }

  OrderedJson NodeItem(const std::string& id, const std::string& statement,
                       std::string_view type) const {
    return {{"identifier", id},
            {"fullStatement", statement},
            {"CFItemType", type},
            {"uri", Uri("CFItems", id)}};
  }

  OrderedJson ClusterItem(const Cluster& cluster) const {
    OrderedJson item = NodeItem(cluster.id, cluster.title, kClusterType);
    if (!cluster.subtitle.empty()) item["alternativeLabel"] = cluster.subtitle;
    if (!cluster.description.empty()) item["notes"] = cluster.description;
    item["CFItemTypeURI"] = TypeLink(kClusterType);
    item["lastChangeDateTime"] = stamp_;
    return item;
  }

  OrderedJson ItemItem(const Item& source) const {
    const std::string_view type = ItemTypeOf(framework_.kind);
    OrderedJson item = NodeItem(source.id, source.title, type);
    if (source.number > 0) item["humanCodingScheme"] = std::to_string(source.number);
    if (!source.description.empty()) item["notes"] = source.description;
    item["CFItemTypeURI"] = TypeLink(type);
    item["lastChangeDateTime"] = stamp_;
    return item;
  }

  // The education levels that carry an indicator's level: the codes of the
  // grades expected at that level, most junior first, or "Level N" when no
  // grade is.
  OrderedJson EducationLevels(int level) const {
    OrderedJson levels = OrderedJson::array();
    for (const auto& [grade, grade_level] : framework_.grade_levels) {
      if (grade_level == level) levels.push_back(domain::GradeCode(grade));
    }
    if (levels.empty()) levels.push_back(std::string(kLevelPrefix) + std::to_string(level));
    return levels;
  }

  OrderedJson IndicatorItem(const Indicator& indicator) const {
    const std::string_view type =
        indicator.kind == IndicatorKind::kEffective ? kEffectiveType : kIneffectiveType;
    OrderedJson item = NodeItem(indicator.id, indicator.text, type);
    if (!indicator.tags.empty()) item["conceptKeywords"] = indicator.tags;
    if (indicator.level > 0) item["educationLevel"] = EducationLevels(indicator.level);
    item["CFItemTypeURI"] = TypeLink(type);
    item["lastChangeDateTime"] = stamp_;
    return item;
  }

  OrderedJson ChildOf(OrderedJson origin, OrderedJson destination, std::size_t sequence) const {
    const std::string id =
        Derived("association\x1fisChildOf\x1f" + origin["identifier"].get<std::string>() + "\x1f" +
                destination["identifier"].get<std::string>());
    return {{"identifier", id},
            {"associationType", "isChildOf"},
            {"sequenceNumber", static_cast<std::int64_t>(sequence)},
            {"uri", Uri("CFAssociations", id)},
            {"originNodeURI", std::move(origin)},
            {"destinationNodeURI", std::move(destination)},
            {"lastChangeDateTime", stamp_}};
  }

  // The item of an earlier version `old` is replaced by `item` of this one. The earlier
  // item is not in the package; its link is named after the item that replaces it.
  OrderedJson ReplacedBy(const std::string& old, const Item& item) const {
    const std::string id = Derived("association\x1freplacedBy\x1f" + old + "\x1f" + item.id);
    return {{"identifier", id},
            {"associationType", "replacedBy"},
            {"uri", Uri("CFAssociations", id)},
            {"originNodeURI", Link("Replaced by " + item.title, old, Uri("CFItems", old))},
            {"destinationNodeURI", ItemLink(item)},
            {"lastChangeDateTime", stamp_}};
  }

  // A kept association's end: nodes of this framework point at this package's URIs;
  // others keep the URI they came with.
  OrderedJson KeptNode(const domain::NodeRef& node) const {
    std::string uri = node.uri;
    if (node.identifier == framework_.id) {
      uri = Uri("CFDocuments", node.identifier);
    } else if (own_ids_.contains(node.identifier)) {
      uri = Uri("CFItems", node.identifier);
    }
    OrderedJson link = Link(node.title, node.identifier, std::move(uri));
    if (!node.target_type.empty()) link["targetType"] = node.target_type;
    return link;
  }

  OrderedJson KeptAssociation(const domain::Association& kept) const {
    OrderedJson association = {{"identifier", kept.id}, {"associationType", kept.type}};
    if (kept.sequence) association["sequenceNumber"] = *kept.sequence;
    association["uri"] = Uri("CFAssociations", kept.id);
    association["originNodeURI"] = KeptNode(kept.origin);
    association["destinationNodeURI"] = KeptNode(kept.destination);
    if (!kept.grouping.identifier.empty()) {
      association["CFAssociationGroupingURI"] =
          Link(kept.grouping.title, kept.grouping.identifier, kept.grouping.uri);
    }
    association["lastChangeDateTime"] = stamp_;
    if (!kept.notes.empty()) association["notes"] = kept.notes;
    if (!kept.extensions.empty()) {
      OrderedJson extensions = OrderedJson::parse(kept.extensions, nullptr, false);
      if (extensions.is_object()) association["extensions"] = std::move(extensions);
    }
    return association;
  }

  // A kept JSON array (groupings, rubrics), or an empty array when there is none or it
  // does not parse (it was checked when imported).
  static OrderedJson KeptList(const std::string& text) {
    if (text.empty()) return OrderedJson::array();
    OrderedJson list = OrderedJson::parse(text, nullptr, false);
    return list.is_array() ? list : OrderedJson::array();
  }

  struct LevelRow {
    std::string key;  // unique within the criterion; names the level's derived id
    int score = 0;
    std::string quality;
    std::string description;
  };

  OrderedJson Criterion(const std::string& rubric_id, const std::string& key,
                        const std::string& category, const std::string& description,
                        std::size_t position, const OrderedJson* item_link,
                        const std::vector<LevelRow>& rows) const {
    const std::string id = Derived("rubric-criterion\x1f" + key);
    OrderedJson criterion = {{"identifier", id}, {"uri", Uri("CFRubricCriteria", id)}};
    if (!category.empty()) criterion["category"] = category;
    if (!description.empty()) criterion["description"] = description;
    if (item_link != nullptr) criterion["CFItemURI"] = *item_link;
    criterion["position"] = static_cast<std::int64_t>(position);
    criterion["rubricId"] = rubric_id;
    criterion["lastChangeDateTime"] = stamp_;
    OrderedJson levels = OrderedJson::array();
    for (std::size_t l = 0; l < rows.size(); ++l) {
      const LevelRow& row = rows[l];
      const std::string level_id = Derived("rubric-level\x1f" + key + "\x1f" + row.key);
      OrderedJson level = {{"identifier", level_id},
                           {"uri", Uri("CFRubricCriterionLevels", level_id)}};
      if (!row.description.empty()) level["description"] = row.description;
      if (!row.quality.empty()) level["quality"] = row.quality;
      level["score"] = static_cast<std::int64_t>(row.score);
      level["position"] = static_cast<std::int64_t>(l + 1);
      level["rubricCriterionId"] = id;
      level["lastChangeDateTime"] = stamp_;
      levels.push_back(std::move(level));
    }
    criterion["CFRubricCriterionLevels"] = std::move(levels);
    return criterion;
  }

  OrderedJson Rubric(const std::string& id, const std::string& title,
                     const std::string& description, OrderedJson criteria) const {
    OrderedJson rubric = {{"identifier", id}, {"uri", Uri("CFRubrics", id)}, {"title", title}};
    if (!description.empty()) rubric["description"] = description;
    rubric["lastChangeDateTime"] = stamp_;
    rubric["CFRubricCriteria"] = std::move(criteria);
    return rubric;
  }

  OrderedJson Rubrics() const {
    OrderedJson rubrics = OrderedJson::array();
    if (!framework_.rating_scale.empty()) {
      const std::string id = Derived(kRatingScaleName);
      std::vector<LevelRow> rows;
      for (const ScalePoint& point : framework_.rating_scale) {
        rows.push_back({std::to_string(point.value), point.value, point.label, point.description});
      }
      OrderedJson criteria = OrderedJson::array();
      criteria.push_back(Criterion(id, "rating-scale", "Rating scale", "", 1, nullptr, rows));
      rubrics.push_back(Rubric(id, "Rating scale",
                               "How evidence of each of the " +
                                   std::string(ItemNounPlural(framework_.kind)) + " is scored.",
                               std::move(criteria)));
    }
    if (!framework_.grade_levels.empty()) {
      const std::string id = Derived(kGradeLevelsName);
      OrderedJson criteria = OrderedJson::array();
      std::size_t position = 0;
      for (const auto& [grade, level] : framework_.grade_levels) {
        const domain::GradeInfo& info = domain::AllGrades()[static_cast<int>(grade)];
        const std::vector<LevelRow> rows{
            {"level", level, std::string(kLevelPrefix) + std::to_string(level), ""}};
        criteria.push_back(Criterion(id, "grade-levels\x1f" + std::string(info.code),
                                     std::string(info.code), std::string(info.name), ++position,
                                     nullptr, rows));
      }
      rubrics.push_back(Rubric(id, "Expected level by grade",
                               "The level of the framework expected of each grade it covers.",
                               std::move(criteria)));
    }
    for (const Cluster& cluster : framework_.clusters) {
      for (const Item& item : cluster.items) {
        if (item.levels.empty()) continue;
        const std::string id = Derived("rubric\x1f" + item.id);
        std::vector<LevelRow> rows;
        for (const LevelDescriptor& level : item.levels) {
          rows.push_back(
              {std::to_string(level.level), level.level, level.label, level.description});
        }
        const OrderedJson link = ItemLink(item);
        OrderedJson criteria = OrderedJson::array();
        criteria.push_back(Criterion(id, item.id, "Levels", "", 1, &link, rows));
        rubrics.push_back(Rubric(id, item.title, "", std::move(criteria)));
      }
    }
    return rubrics;
  }

  const Framework& framework_;
  std::string base_;
  std::string creator_;
  std::string stamp_;
  std::vector<ItemTypeDefinition> types_;
  std::set<std::string> own_ids_;  // clusters, items and indicators of the framework
};

// ---------------------------------------------------------------------------------
// Reader: text checks

using Json = nlohmann::json;

constexpr int kMaxDepth = 64;

struct TextPosition {
  int line = 1;
  int column = 1;
};

// 1-based line and column of byte `offset` of `text`; columns count characters.
TextPosition PositionOf(std::string_view text, std::size_t offset) {
  TextPosition position;
  offset = std::min(offset, text.size());
  for (std::size_t i = 0; i < offset; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++position.column;
    }
  }
  return position;
}

// The offset of the first byte that does not begin or continue a well-formed
// UTF-8 sequence (no overlong forms, surrogates or code points above U+10FFFF),
// or npos.
std::size_t FirstInvalidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      length = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      length = 3;
      if (b0 == 0xE0) low = 0xA0;
      if (b0 == 0xED) high = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      length = 4;
      if (b0 == 0xF0) low = 0x90;
      if (b0 == 0xF4) high = 0x8F;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if (b < (k == 1 ? low : 0x80) || b > (k == 1 ? high : 0xBF)) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

// The offset of the first '[' or '{' (outside strings) that opens more than
// kMaxDepth nested lists and objects, or npos. Malformed JSON is left to the
// parser.
std::size_t FirstTooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return i;
    } else if (c == ']' || c == '}') {
      depth = std::max(0, depth - 1);
    }
  }
  return std::string_view::npos;
}

std::string SizeText(std::size_t bytes) {
  constexpr std::size_t kMegabyte = 1024 * 1024;
  if (bytes >= kMegabyte && bytes % kMegabyte == 0) {
    return std::to_string(bytes / kMegabyte) + " MB";
  }
  return std::to_string(bytes) + " bytes";
}

// At most `limit` bytes of `text`, cut on a character boundary, with "…" if
// cut.
std::string Shorten(std::string_view text, std::size_t limit = 60) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

std::string Quoted(std::string_view text) { return "‘" + Shorten(text) + "’"; }

// The lower-cased identifier if `text` is a UUID CASE accepts in any letter
// case.
std::optional<std::string> NormalisedUuid(std::string_view text) {
  std::string lower = Lower(text);
  if (!domain::ValidUuid(lower)) return std::nullopt;
  return lower;
}

// Text CASE may carry: no control character but tab and line breaks (LF, CRLF). The
// parser has refused bytes that are not UTF-8 already.
bool HasControlCharacter(std::string_view text) {
  return domain::FindTextProblem(text, domain::LineBreaks::kAllowed).has_value();
}

std::optional<long long> WholeNumber(const Json& value) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned()) {
      const auto number = value.get<std::uint64_t>();
      if (number > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
        return std::nullopt;
      }
      return static_cast<long long>(number);
    }
    const auto number = value.get<std::int64_t>();
    if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
      return std::nullopt;
    }
    return number;
  }
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (number >= std::numeric_limits<int>::min() && number <= std::numeric_limits<int>::max() &&
        static_cast<double>(static_cast<long long>(number)) == number) {
      return static_cast<long long>(number);
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------
// Reader: the package as read, before it becomes a framework

struct ItemTypeLink {
  std::string type;        // CFItemType, as written; may be empty
  std::string link_title;  // CFItemTypeURI.title
  std::string link_id;     // CFItemTypeURI.identifier, lower-cased
};

struct Node {
  std::string id;
  std::string path;  // "CFDocument" or "CFItems[3]"
  std::string full_statement;
  std::string abbreviated_statement;
  std::string alternative_label;
  std::string notes;
  std::string human_coding_scheme;
  ItemTypeLink type;
  std::vector<std::string> keywords;
  std::vector<std::string> education_levels;
  std::size_t file_index = 0;
};

struct Edge {
  std::size_t child = 0;
  std::size_t parent = 0;
  std::optional<long long> sequence;
  std::size_t association = 0;  // index in CFAssociations
  bool is_child_of = true;      // false: isPartOf
};

struct RubricLevel {
  std::optional<double> score;
  std::optional<long long> position;
  std::string quality;
  std::string description;
};

struct RubricCriterion {
  std::string rubric_id;
  std::string category;
  std::string item_id;  // CFItemURI.identifier, lower-cased; empty if none
  std::vector<RubricLevel> levels;
};

class PackageReader {
 public:
  explicit PackageReader(const CaseImportOptions& options)
      : problems_(options.max_problems), max_bytes_(options.max_bytes) {}

  ImportResult<Framework> Read(std::string_view text) {
    if (text.size() > max_bytes_) {
      AddAt(0, 0,
            "The file is larger than " + SizeText(max_bytes_) +
                ". Upload a CASE package no larger than that");
      return Finish();
    }
    if (Trim(text).empty()) {
      AddAt(0, 0, "The file is empty. Upload a CASE package (a CFPackage JSON file)");
      return Finish();
    }
    if (text.size() >= 2 &&
        ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
      AddAt(1, 1, "The file is UTF-16 text. Save it as UTF-8 and upload it again");
      return Finish();
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (const std::size_t bad = FirstInvalidUtf8(text); bad != std::string_view::npos) {
      const TextPosition at = PositionOf(text, bad);
      AddAt(at.line, at.column,
            "The file contains bytes that are not UTF-8 text. Save it as UTF-8 "
            "and upload it "
            "again");
      return Finish();
    }
    if (const std::size_t deep = FirstTooDeep(text); deep != std::string_view::npos) {
      const TextPosition at = PositionOf(text, deep);
      AddAt(at.line, at.column,
            "The file nests lists and objects more than " + std::to_string(kMaxDepth) +
                " deep, which a CASE package never needs");
      return Finish();
    }
    Json root;
    try {
      root = Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& error) {
      const std::size_t offset = error.byte > 0 ? error.byte - 1 : 0;
      const TextPosition at = PositionOf(text, offset);
      AddAt(at.line, at.column, "The file is not valid JSON (" + ParseReason(error.what()) + ")");
      return Finish();
    } catch (const Json::exception& error) {
      // A number too large for a double ("1e999"): nlohmann names it but not where it is.
      const std::string_view what = error.what();
      const std::size_t open = what.find("parsing '");
      std::size_t offset = 0;
      if (open != std::string_view::npos) {
        const std::string_view rest = what.substr(open + 9);
        const std::size_t found = text.find(rest.substr(0, rest.find('\'')));
        if (found != std::string_view::npos) offset = found;
      }
      const TextPosition at = PositionOf(text, offset);
      AddAt(at.line, at.column,
            "The file has a number too large to read (" + ParseReason(error.what()) + ")");
      return Finish();
    }
    if (!root.is_object() || !root.contains("CFDocument")) {
      Add("CFPackage",
          "the file is not a CASE package: it must be a JSON "
          "object with a CFDocument");
      return Finish();
    }
    ReadDocument(root.at("CFDocument"));
    ReadItemTypes(root);
    ReadItems(root);
    for (std::size_t n = 0; n < nodes_.size(); ++n) {
      if (!nodes_[n].id.empty()) index_.emplace(nodes_[n].id, n);
    }
    ReadAssociations(root);
    ReadRubrics(root);
    KeepPackageLists(root);
    if (!problems_.empty()) return Finish();
    FindCycles();
    if (!problems_.empty()) return Finish();
    return Build();
  }

 private:
  // ----- problems

  void AddAt(int line, int column, std::string message) {
    problems_.Add(line, column, std::move(message));
  }

  void Add(const std::string& path, const std::string& message) {
    AddAt(0, 0, path + ": " + message);
  }

  ImportResult<Framework> Finish() { return problems_.Take(); }

  static std::string ParseReason(std::string_view what) {
    // nlohmann: "[json.exception.parse_error.101] parse error at line 1, column
    // 5: <reason>"
    const std::size_t colon = what.find(": ");
    std::string reason(colon == std::string_view::npos ? what : what.substr(colon + 2));
    return Shorten(reason, 200);
  }

  // ----- typed field access; each returns nullopt (after reporting) when the
  // field is present but unusable, and nullopt without a problem when it is
  // absent and optional.

  static const Json* Member(const Json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
  }

  // The string member `key`, or nullopt (with the problem added when it is wrong or
  // missing while `required`): text of at most `most` characters.
  std::optional<std::string> Text(const Json& object, std::string_view key, const std::string& path,
                                  bool required, std::string_view owner,
                                  std::size_t most = domain::kMaxDescriptionLength) {
    const std::string field = path + "." + std::string(key);
    const Json* value = Member(object, key);
    if (value == nullptr) {
      if (required) {
        Add(field, "this field is missing. CASE requires it on every " + std::string(owner));
      }
      return std::nullopt;
    }
    if (!value->is_string()) {
      Add(field, "must be text (a JSON string)");
      return std::nullopt;
    }
    std::string text = value->get<std::string>();
    if (HasControlCharacter(text)) {
      Add(field, "must not contain control characters");
      return std::nullopt;
    }
    if (!WithinLimit(field, text, most)) return std::nullopt;
    return text;
  }

  // False, with the problem added, when `text` has more than `most` characters.
  bool WithinLimit(const std::string& field, std::string_view text, std::size_t most) {
    if (text.size() <= most) return true;
    const std::size_t characters = domain::CharacterCount(text);
    if (characters <= most) return true;
    Add(field, "must be " + std::to_string(most) + " characters or fewer; it has " +
                   std::to_string(characters));
    return false;
  }

  std::optional<std::string> Identifier(const Json& object, const std::string& path,
                                        std::string_view owner) {
    const std::optional<std::string> text = Text(object, "identifier", path, true, owner);
    if (!text) return std::nullopt;
    std::optional<std::string> id = NormalisedUuid(*text);
    if (!id) {
      Add(path + ".identifier", Quoted(*text) +
                                    " is not a valid identifier. It must be a UUID such as "
                                    "0f8fad5b-d9cb-469f-a165-70867728950e");
    }
    return id;
  }

  // Records `id` as used at `path` in `space`; reports it if already used.
  bool Claim(std::map<std::string, std::string>& space, const std::string& id,
             const std::string& path) {
    const auto [it, inserted] = space.emplace(id, path);
    if (!inserted) {
      Add(path + ".identifier", "identifier " + id + " is already used by " + it->second);
    }
    return inserted;
  }

  std::vector<std::string> TextList(const Json& object, std::string_view key,
                                    const std::string& path) {
    std::vector<std::string> list;
    const std::string field = path + "." + std::string(key);
    const Json* value = Member(object, key);
    if (value == nullptr) return list;
    if (value->is_string()) {
      if (HasControlCharacter(value->get<std::string>())) {
        Add(field, "must not contain control characters");
      } else if (WithinLimit(field, value->get<std::string>(), domain::kMaxNameLength)) {
        list.push_back(value->get<std::string>());
      }
      return list;
    }
    if (!value->is_array()) {
      Add(field, "must be a list of text");
      return list;
    }
    for (std::size_t i = 0; i < value->size(); ++i) {
      const Json& entry = (*value)[i];
      const std::string entry_path = field + "[" + std::to_string(i) + "]";
      if (!entry.is_string()) {
        Add(entry_path, "must be text (a JSON string)");
      } else if (HasControlCharacter(entry.get<std::string>())) {
        Add(entry_path, "must not contain control characters");
      } else if (WithinLimit(entry_path, entry.get<std::string>(), domain::kMaxNameLength)) {
        list.push_back(entry.get<std::string>());
      }
    }
    return list;
  }

  const Json* Array(const Json& object, std::string_view key, const std::string& field) {
    const Json* value = Member(object, key);
    if (value == nullptr) return nullptr;
    if (!value->is_array()) {
      Add(field, "must be a list (a JSON array)");
      return nullptr;
    }
    return value;
  }

  bool IsObject(const Json& value, const std::string& path) {
    if (value.is_object()) return true;
    Add(path, "must be an object (in braces)");
    return false;
  }

  std::optional<long long> Whole(const Json& object, std::string_view key,
                                 const std::string& path) {
    const Json* value = Member(object, key);
    if (value == nullptr) return std::nullopt;
    std::optional<long long> number = WholeNumber(*value);
    if (!number) Add(path + "." + std::string(key), "must be a whole number");
    return number;
  }

  // ----- sections

  void ReadDocument(const Json& document) {
    const std::string path = "CFDocument";
    nodes_.emplace_back();  // nodes_[0] is the document, even when it is unusable
    if (!IsObject(document, path)) return;
    Node node;
    node.path = path;
    if (std::optional<std::string> id = Identifier(document, path, "CFDocument")) {
      node.id = *id;
      Claim(node_ids_, node.id, path);
    }
    Text(document, "uri", path, true, "CFDocument");
    creator_ = Text(document, "creator", path, true, "CFDocument").value_or("");
    Text(document, "lastChangeDateTime", path, true, "CFDocument");
    if (std::optional<std::string> title =
            Text(document, "title", path, true, "CFDocument", domain::kMaxNameLength)) {
      if (Trim(*title).empty()) {
        Add(path + ".title", "must not be empty");
      } else {
        node.full_statement = *title;
      }
    }
    description_ = Text(document, "description", path, false, "CFDocument").value_or("");
    adoption_status_ = Text(document, "adoptionStatus", path, false, "CFDocument").value_or("");
    framework_type_ = Text(document, "frameworkType", path, false, "CFDocument").value_or("");
    if (const Json* version = Member(document, "version")) {
      if (version->is_string()) {
        version_text_ = version->get<std::string>();
      } else if (std::optional<long long> number = WholeNumber(*version)) {
        version_text_ = std::to_string(*number);
      } else {
        Add(path + ".version", "must be text (a JSON string)");
      }
    }
    nodes_[0] = std::move(node);
  }

  void ReadItemTypes(const Json& root) {
    const Json* definitions = Member(root, "CFDefinitions");
    if (definitions == nullptr) return;
    if (!IsObject(*definitions, "CFDefinitions")) return;
    const Json* types = Array(*definitions, "CFItemTypes", "CFDefinitions.CFItemTypes");
    if (types == nullptr) return;
    for (const Json& type : *types) {
      const Json* id = Member(type, "identifier");
      const Json* title = Member(type, "title");
      if (id != nullptr && id->is_string() && title != nullptr && title->is_string()) {
        type_titles_.emplace(Lower(id->get<std::string>()), title->get<std::string>());
      }
    }
  }

  void ReadItems(const Json& root) {
    const Json* items = Array(root, "CFItems", "CFItems");
    if (items == nullptr) return;
    for (std::size_t i = 0; i < items->size(); ++i) {
      const Json& item = (*items)[i];
      const std::string path = "CFItems[" + std::to_string(i) + "]";
      if (!IsObject(item, path)) continue;
      Node node;
      node.path = path;
      node.file_index = i;
      const std::optional<std::string> id = Identifier(item, path, "CFItem");
      if (id) {
        Claim(node_ids_, *id, path);
      } else if (const Json* raw = Member(item, "identifier"); raw != nullptr && raw->is_string()) {
        unusable_ids_.insert(Lower(raw->get<std::string>()));
      }
      std::optional<std::string> statement = Text(item, "fullStatement", path, true, "CFItem");
      if (statement && Trim(*statement).empty()) {
        Add(path + ".fullStatement", "must not be empty");
        statement.reset();
      }
      Text(item, "uri", path, true, "CFItem");
      Text(item, "lastChangeDateTime", path, true, "CFItem");
      node.abbreviated_statement =
          Text(item, "abbreviatedStatement", path, false, "CFItem", domain::kMaxNameLength)
              .value_or("");
      node.alternative_label =
          Text(item, "alternativeLabel", path, false, "CFItem", domain::kMaxNameLength)
              .value_or("");
      node.notes = Text(item, "notes", path, false, "CFItem").value_or("");
      node.human_coding_scheme =
          Text(item, "humanCodingScheme", path, false, "CFItem", domain::kMaxCodeLength)
              .value_or("");
      node.type.type = Text(item, "CFItemType", path, false, "CFItem").value_or("");
      if (const Json* link = Member(item, "CFItemTypeURI")) {
        if (IsObject(*link, path + ".CFItemTypeURI")) {
          const std::string link_path = path + ".CFItemTypeURI";
          node.type.link_title = Text(*link, "title", link_path, false, "link").value_or("");
          node.type.link_id =
              Lower(Text(*link, "identifier", link_path, false, "link").value_or(""));
        }
      }
      node.keywords = TextList(item, "conceptKeywords", path);
      node.education_levels = TextList(item, "educationLevel", path);
      // Kept when only other fields are at fault, so that associations to it still
      // resolve; the package is refused anyway.
      if (!id) continue;
      node.id = *id;
      node.full_statement = statement.value_or("");
      nodes_.push_back(std::move(node));
    }
  }

  // The index of the node an association end names, or nullopt (after
  // reporting, for associations whose ends must be in the package).
  std::optional<std::size_t> End(const Json& association, std::string_view key,
                                 const std::string& path) {
    const std::string field = path + "." + std::string(key);
    const Json* end = Member(association, key);
    if (end == nullptr) {
      Add(field, "this field is missing. CASE requires it on every CFAssociation");
      return std::nullopt;
    }
    if (!IsObject(*end, field)) return std::nullopt;
    const std::optional<std::string> text =
        Text(*end, "identifier", field, true, "association end");
    if (!text) return std::nullopt;
    const std::string id = Lower(*text);
    const auto it = index_.find(id);
    if (it == index_.end()) {
      // An item whose own identifier was refused is not reported again here.
      if (!unusable_ids_.contains(id)) {
        Add(field + ".identifier",
            Quoted(*text) + " is not the CFDocument or a CFItem in this package");
      }
      return std::nullopt;
    }
    return it->second;
  }

  void ReadAssociations(const Json& root) {
    const Json* associations = Array(root, "CFAssociations", "CFAssociations");
    if (associations == nullptr) return;
    std::map<std::string, std::string> ids;
    for (std::size_t a = 0; a < associations->size(); ++a) {
      const Json& association = (*associations)[a];
      const std::string path = "CFAssociations[" + std::to_string(a) + "]";
      if (!IsObject(association, path)) continue;
      const std::optional<std::string> type =
          Text(association, "associationType", path, true, "CFAssociation");
      if (!type) continue;
      const bool child_of = *type == "isChildOf";
      const bool part_of = *type == "isPartOf";
      const bool precedes = *type == "precedes";
      const bool replaced_by = *type == "replacedBy";
      std::optional<std::string> id = Identifier(association, path, "CFAssociation");
      if (id) Claim(ids, *id, path);
      Text(association, "uri", path, true, "CFAssociation");
      Text(association, "lastChangeDateTime", path, true, "CFAssociation");
      // Every type but the tree is kept whole, whatever its ends point at; precedes also
      // orders the tree and replacedBy of the package's own items is modelled (below).
      if (!child_of && !part_of && !replaced_by) {
        if (!WithinLimit(path + ".associationType", *type, domain::kMaxNameLength)) continue;
        if (std::optional<domain::Association> kept = Kept(association, path, *type, id)) {
          kept_.push_back(std::move(*kept));
        }
        if (!precedes) continue;
        // precedes orders siblings of the tree; with an end outside the package it is
        // only kept.
        if (!InPackage(association, "originNodeURI") ||
            !InPackage(association, "destinationNodeURI")) {
          continue;
        }
      }
      if (replaced_by) {
        // The replaced item belongs to an earlier version, outside the package; the item
        // replacing it must be in the package.
        const std::string field = path + ".originNodeURI";
        const Json* end = Member(association, "originNodeURI");
        if (end == nullptr) {
          Add(field, "this field is missing. CASE requires it on every CFAssociation");
          continue;
        }
        if (!IsObject(*end, field)) continue;
        const std::optional<std::string> old =
            Text(*end, "identifier", field, true, "association end");
        // Only replacements of the package's own items are kept: an association saying
        // that one of them is replaced by an item elsewhere is read past, like other types.
        const Json* to = Member(association, "destinationNodeURI");
        if (!old || to == nullptr || !to->is_object()) continue;
        const Json* to_id = Member(*to, "identifier");
        if (to_id == nullptr || !to_id->is_string()) continue;
        const auto replacing = index_.find(Lower(to_id->get<std::string>()));
        if (replacing == index_.end() || replacing->second == 0) {
          if (std::optional<domain::Association> kept = Kept(association, path, *type, id)) {
            kept_.push_back(std::move(*kept));
          }
          continue;
        }
        replaced_by_[nodes_[replacing->second].id].push_back(Lower(*old));
        continue;
      }
      const std::optional<long long> sequence = Whole(association, "sequenceNumber", path);
      const std::optional<std::size_t> origin = End(association, "originNodeURI", path);
      const std::optional<std::size_t> destination = End(association, "destinationNodeURI", path);
      if (!origin || !destination) continue;
      if (precedes) {
        precedes_.emplace_back(*origin, *destination);
        continue;
      }
      if (*origin == 0) {
        Add(path + ".originNodeURI.identifier",
            "the CFDocument cannot be the child or part of anything");
        continue;
      }
      edges_.push_back({*origin, *destination, sequence, a, child_of});
    }
  }

  // True when the association end `key` names the CFDocument or a CFItem of the package.
  bool InPackage(const Json& association, std::string_view key) const {
    const Json* end = Member(association, key);
    if (end == nullptr || !end->is_object()) return false;
    const Json* id = Member(*end, "identifier");
    return id != nullptr && id->is_string() && index_.contains(Lower(id->get<std::string>()));
  }

  // A link (an association end or grouping) read into a NodeRef: identifier and uri
  // required, title and targetType optional. Identifiers of the package's own nodes are
  // written as the package's node ids (lower case).
  std::optional<domain::NodeRef> LinkEnd(const Json& association, std::string_view key,
                                         const std::string& path, bool required) {
    const std::string field = path + "." + std::string(key);
    const Json* end = Member(association, key);
    if (end == nullptr) {
      if (required) Add(field, "this field is missing. CASE requires it on every CFAssociation");
      return std::nullopt;
    }
    if (!IsObject(*end, field)) return std::nullopt;
    domain::NodeRef node;
    const std::optional<std::string> id =
        Text(*end, "identifier", field, true, "association end", domain::kMaxNameLength);
    const std::optional<std::string> uri = Text(*end, "uri", field, true, "association end");
    if (!id || !uri) return std::nullopt;
    if (Trim(*id).empty()) {
      Add(field + ".identifier", "must not be empty");
      return std::nullopt;
    }
    const auto own = index_.find(Lower(*id));
    node.identifier = own != index_.end() ? nodes_[own->second].id : *id;
    node.uri = *uri;
    node.title = Text(*end, "title", field, false, "").value_or("");
    node.target_type =
        Text(*end, "targetType", field, false, "", domain::kMaxNameLength).value_or("");
    return node;
  }

  // An association of a type Pathway does not model, kept as given.
  std::optional<domain::Association> Kept(const Json& association, const std::string& path,
                                          const std::string& type,
                                          const std::optional<std::string>& id) {
    std::optional<domain::NodeRef> origin = LinkEnd(association, "originNodeURI", path, true);
    std::optional<domain::NodeRef> destination =
        LinkEnd(association, "destinationNodeURI", path, true);
    const std::optional<long long> sequence = Whole(association, "sequenceNumber", path);
    std::optional<domain::NodeRef> grouping =
        LinkEnd(association, "CFAssociationGroupingURI", path, false);
    const std::string notes = Text(association, "notes", path, false, "").value_or("");
    std::string extensions;
    if (const Json* value = Member(association, "extensions")) {
      if (!value->is_object()) {
        Add(path + ".extensions", "must be an object (in braces)");
        return std::nullopt;
      }
      extensions = value->dump(-1, ' ', false, Json::error_handler_t::replace);
      if (!WithinLimit(path + ".extensions", extensions, domain::kMaxDescriptionLength)) {
        return std::nullopt;
      }
    }
    if (!id || !origin || !destination) return std::nullopt;
    domain::Association kept;
    kept.id = *id;
    kept.type = type;
    kept.origin = std::move(*origin);
    kept.destination = std::move(*destination);
    kept.sequence = sequence;
    if (grouping) kept.grouping = std::move(*grouping);
    kept.notes = notes;
    kept.extensions = std::move(extensions);
    return kept;
  }

  // CFDefinitions.CFAssociationGroupings and CFRubrics, kept whole (compact JSON) after
  // checking that each entry is an object with an identifier.
  void KeepPackageLists(const Json& root) {
    if (const Json* definitions = Member(root, "CFDefinitions");
        definitions != nullptr && definitions->is_object()) {
      const std::string field = "CFDefinitions.CFAssociationGroupings";
      if (const Json* groupings = Array(*definitions, "CFAssociationGroupings", field)) {
        std::map<std::string, std::string> ids;
        for (std::size_t g = 0; g < groupings->size(); ++g) {
          const std::string path = field + "[" + std::to_string(g) + "]";
          if (!IsObject((*groupings)[g], path)) continue;
          if (std::optional<std::string> id =
                  Identifier((*groupings)[g], path, "CFAssociationGrouping")) {
            Claim(ids, *id, path);
          }
          Text((*groupings)[g], "title", path, true, "CFAssociationGrouping",
               domain::kMaxNameLength);
        }
        if (!groupings->empty()) {
          groupings_ = groupings->dump(-1, ' ', false, Json::error_handler_t::replace);
        }
      }
    }
    if (const Json* rubrics = Member(root, "CFRubrics");
        rubrics != nullptr && rubrics->is_array() && !rubrics->empty()) {
      rubrics_ = rubrics->dump(-1, ' ', false, Json::error_handler_t::replace);
    }
  }

  std::vector<RubricLevel> ReadLevels(const Json& criterion, const std::string& path,
                                      std::map<std::string, std::string>& ids) {
    std::vector<RubricLevel> levels;
    const std::string field = path + ".CFRubricCriterionLevels";
    const Json* list = Array(criterion, "CFRubricCriterionLevels", field);
    if (list == nullptr) return levels;
    for (std::size_t l = 0; l < list->size(); ++l) {
      const Json& level = (*list)[l];
      const std::string level_path = field + "[" + std::to_string(l) + "]";
      if (!IsObject(level, level_path)) continue;
      if (std::optional<std::string> id = Identifier(level, level_path, "CFRubricCriterionLevel")) {
        Claim(ids, *id, level_path);
      }
      Text(level, "uri", level_path, true, "CFRubricCriterionLevel");
      Text(level, "lastChangeDateTime", level_path, true, "CFRubricCriterionLevel");
      RubricLevel row;
      if (const Json* score = Member(level, "score")) {
        if (score->is_number()) {
          row.score = score->get<double>();
        } else {
          Add(level_path + ".score", "must be a number");
        }
      }
      row.position = Whole(level, "position", level_path);
      row.quality =
          Text(level, "quality", level_path, false, "", domain::kMaxNameLength).value_or("");
      row.description = Text(level, "description", level_path, false, "").value_or("");
      levels.push_back(std::move(row));
    }
    return levels;
  }

  void ReadRubrics(const Json& root) {
    const Json* rubrics = Array(root, "CFRubrics", "CFRubrics");
    if (rubrics == nullptr) return;
    std::map<std::string, std::string> ids;
    for (std::size_t r = 0; r < rubrics->size(); ++r) {
      const Json& rubric = (*rubrics)[r];
      const std::string path = "CFRubrics[" + std::to_string(r) + "]";
      if (!IsObject(rubric, path)) continue;
      const std::optional<std::string> rubric_id = Identifier(rubric, path, "CFRubric");
      if (rubric_id) Claim(ids, *rubric_id, path);
      Text(rubric, "uri", path, true, "CFRubric");
      Text(rubric, "lastChangeDateTime", path, true, "CFRubric");
      const std::string field = path + ".CFRubricCriteria";
      const Json* criteria = Array(rubric, "CFRubricCriteria", field);
      if (criteria == nullptr) continue;
      for (std::size_t c = 0; c < criteria->size(); ++c) {
        const Json& criterion = (*criteria)[c];
        const std::string criterion_path = field + "[" + std::to_string(c) + "]";
        if (!IsObject(criterion, criterion_path)) continue;
        if (std::optional<std::string> id =
                Identifier(criterion, criterion_path, "CFRubricCriterion")) {
          Claim(ids, *id, criterion_path);
        }
        Text(criterion, "uri", criterion_path, true, "CFRubricCriterion");
        Text(criterion, "lastChangeDateTime", criterion_path, true, "CFRubricCriterion");
        RubricCriterion row;
        row.rubric_id = rubric_id.value_or("");
        row.category =
            Text(criterion, "category", criterion_path, false, "", domain::kMaxNameLength)
                .value_or("");
        if (const Json* link = Member(criterion, "CFItemURI")) {
          const std::string link_path = criterion_path + ".CFItemURI";
          if (IsObject(*link, link_path)) {
            row.item_id = Lower(Text(*link, "identifier", link_path, true, "link").value_or(""));
          }
        }
        row.levels = ReadLevels(criterion, criterion_path, ids);
        criteria_.push_back(std::move(row));
      }
    }
  }

  // ----- structure

  // Reports every cycle the isChildOf / isPartOf associations form, once each.
  void FindCycles() {
    std::vector<std::vector<const Edge*>> out(nodes_.size());
    for (const Edge& edge : edges_) out[edge.child].push_back(&edge);
    enum class Mark { kNew, kOnPath, kDone };
    std::vector<Mark> marks(nodes_.size(), Mark::kNew);
    struct Frame {
      std::size_t node;
      std::size_t next_edge;
    };
    for (std::size_t start = 0; start < nodes_.size(); ++start) {
      if (marks[start] != Mark::kNew) continue;
      std::vector<Frame> stack{{start, 0}};
      std::vector<const Edge*> path_edges;
      marks[start] = Mark::kOnPath;
      while (!stack.empty()) {
        Frame& frame = stack.back();
        if (frame.next_edge == out[frame.node].size()) {
          marks[frame.node] = Mark::kDone;
          stack.pop_back();
          if (!path_edges.empty()) path_edges.pop_back();
          continue;
        }
        const Edge* edge = out[frame.node][frame.next_edge++];
        if (marks[edge->parent] == Mark::kNew) {
          marks[edge->parent] = Mark::kOnPath;
          path_edges.push_back(edge);
          stack.push_back({edge->parent, 0});
        } else if (marks[edge->parent] == Mark::kOnPath) {
          ReportCycle(path_edges, edge);
        }
      }
    }
  }

  void ReportCycle(const std::vector<const Edge*>& path_edges, const Edge* closing) {
    // The cycle starts where the closing edge points back into the current
    // path.
    std::size_t first = path_edges.size();
    while (first > 0 && path_edges[first - 1]->child != closing->parent) --first;
    if (first > 0) --first;
    std::vector<std::size_t> cycle;
    if (closing->child == closing->parent) {
      cycle.push_back(closing->child);
    } else {
      for (std::size_t e = first; e < path_edges.size(); ++e) cycle.push_back(path_edges[e]->child);
      cycle.push_back(closing->child);
    }
    std::string chain;
    for (std::size_t node : cycle) chain += NodeName(node) + " → ";
    chain += NodeName(cycle.front());
    Add("CFAssociations[" + std::to_string(closing->association) + "]",
        "isChildOf and isPartOf associations form a cycle, so these items have "
        "no place in the "
        "framework: " +
            chain);
  }

  std::string NodeName(std::size_t node) const {
    return Quoted(nodes_[node].full_statement) + " (" + nodes_[node].id + ")";
  }

  std::string TypeName(const Node& node) const {
    std::string type = node.type.type;
    if (type.empty()) type = node.type.link_title;
    if (type.empty() && !node.type.link_id.empty()) {
      const auto it = type_titles_.find(node.type.link_id);
      if (it != type_titles_.end()) type = it->second;
    }
    return Lower(Trim(type));
  }

  static bool IsClusterType(const std::string& type) { return type == "cluster"; }
  static bool IsIndicatorType(const std::string& type) {
    return type.find("indicator") != std::string::npos;
  }
  static bool IsIneffectiveType(const std::string& type) {
    return type.find("ineffective") != std::string::npos ||
           type.find("negative") != std::string::npos;
  }
  // The kind whose items a CFItemType names ("Competency", "Skills", ...), or nullopt.
  static std::optional<FrameworkKind> KindOfItemType(const std::string& type) {
    static const std::map<std::string_view, FrameworkKind> kTypes{
        {"competency", FrameworkKind::kCompetency}, {"competencies", FrameworkKind::kCompetency},
        {"behaviour", FrameworkKind::kBehaviours},  {"behaviours", FrameworkKind::kBehaviours},
        {"behavior", FrameworkKind::kBehaviours},   {"behaviors", FrameworkKind::kBehaviours},
        {"strength", FrameworkKind::kStrengths},    {"strengths", FrameworkKind::kStrengths},
        {"skill", FrameworkKind::kTechnical},       {"skills", FrameworkKind::kTechnical},
    };
    const auto it = kTypes.find(type);
    if (it == kTypes.end()) return std::nullopt;
    return it->second;
  }

  // children_[n]: the nodes under node n, in framework order.
  void BuildChildren() {
    children_.assign(nodes_.size(), {});
    std::vector<const Edge*> parent_edge(nodes_.size(), nullptr);
    for (const Edge& edge : edges_) {
      const Edge*& chosen = parent_edge[edge.child];
      if (chosen == nullptr || (edge.is_child_of && !chosen->is_child_of)) chosen = &edge;
    }
    struct Ranked {
      bool has_sequence;
      long long sequence;
      std::size_t tie;
      std::size_t node;
    };
    std::vector<std::vector<Ranked>> ranked(nodes_.size());
    for (std::size_t n = 1; n < nodes_.size(); ++n) {
      const Edge* edge = parent_edge[n];
      if (edge == nullptr) {
        // Not under anything: directly under the document, after the placed
        // nodes.
        ranked[0].push_back({false, 0, edges_.size() + nodes_[n].file_index, n});
      } else {
        ranked[edge->parent].push_back(
            {edge->sequence.has_value(), edge->sequence.value_or(0), edge->association, n});
      }
    }
    std::vector<std::size_t> parent_of(nodes_.size(), 0);
    for (std::size_t p = 0; p < nodes_.size(); ++p) {
      std::vector<Ranked>& list = ranked[p];
      std::stable_sort(list.begin(), list.end(), [](const Ranked& a, const Ranked& b) {
        if (a.has_sequence != b.has_sequence) return a.has_sequence;
        if (a.sequence != b.sequence) return a.sequence < b.sequence;
        return a.tie < b.tie;
      });
      for (const Ranked& r : list) {
        children_[p].push_back(r.node);
        parent_of[r.node] = p;
      }
    }
    // precedes: A before B among the same parent's children; a stable
    // topological sort that otherwise keeps the order above, and ignores
    // precedes cycles.
    std::map<std::size_t, std::vector<std::pair<std::size_t, std::size_t>>> by_parent;
    for (const auto& [before, after] : precedes_) {
      if (before == 0 || after == 0 || before == after) continue;
      if (parent_of[before] != parent_of[after]) continue;
      by_parent[parent_of[before]].emplace_back(before, after);
    }
    for (const auto& [parent, pairs] : by_parent) {
      std::vector<std::size_t>& list = children_[parent];
      std::unordered_map<std::size_t, std::size_t> rank;
      for (std::size_t k = 0; k < list.size(); ++k) rank.emplace(list[k], k);
      std::vector<std::vector<std::size_t>> next(list.size());
      std::vector<int> incoming(list.size(), 0);
      for (const auto& [before, after] : pairs) {
        next[rank[before]].push_back(rank[after]);
        ++incoming[rank[after]];
      }
      std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
      for (std::size_t k = 0; k < list.size(); ++k) {
        if (incoming[k] == 0) ready.push(k);
      }
      std::vector<std::size_t> order;
      std::vector<bool> placed(list.size(), false);
      while (!ready.empty()) {
        const std::size_t k = ready.top();
        ready.pop();
        order.push_back(k);
        placed[k] = true;
        for (std::size_t m : next[k]) {
          if (--incoming[m] == 0) ready.push(m);
        }
      }
      for (std::size_t k = 0; k < list.size(); ++k) {
        if (!placed[k]) order.push_back(k);
      }
      std::vector<std::size_t> sorted;
      for (std::size_t k : order) sorted.push_back(list[k]);
      list = std::move(sorted);
    }
  }

  bool HasChildren(std::size_t node) const { return !children_[node].empty(); }

  // Whether a node directly under the document is a cluster (else it is an
  // item).
  bool IsCluster(std::size_t node) const {
    const std::string type = TypeName(nodes_[node]);
    if (IsClusterType(type)) return true;
    if (!HasChildren(node)) return false;
    const std::vector<std::size_t>& kids = children_[node];
    if (std::all_of(kids.begin(), kids.end(),
                    [&](std::size_t k) { return IsIndicatorType(TypeName(nodes_[k])); })) {
      return false;
    }
    if (KindOfItemType(type) &&
        std::none_of(kids.begin(), kids.end(), [&](std::size_t k) { return HasChildren(k); })) {
      return false;
    }
    return true;
  }

  // Title and description of a cluster or item.
  std::pair<std::string, std::string> TitleAndDescription(const Node& node) const {
    if (!Trim(node.abbreviated_statement).empty() &&
        node.abbreviated_statement != node.full_statement) {
      std::string description = node.full_statement;
      if (!node.notes.empty()) description += "\n\n" + node.notes;
      return {node.abbreviated_statement, description};
    }
    return {node.full_statement, node.notes};
  }

  FrameworkKind Kind() const {
    const std::string type = Lower(Trim(framework_type_));
    if (std::optional<FrameworkKind> kind = domain::ParseFrameworkKind(type)) return *kind;
    if (std::optional<FrameworkKind> kind = KindOfItemType(type)) return *kind;
    std::map<FrameworkKind, int> votes;
    for (std::size_t n = 1; n < nodes_.size(); ++n) {
      if (std::optional<FrameworkKind> kind = KindOfItemType(TypeName(nodes_[n]))) {
        ++votes[*kind];
      }
    }
    FrameworkKind best = FrameworkKind::kCompetency;
    int best_votes = 0;
    for (const auto& [kind, count] : votes) {
      if (count > best_votes) {
        best = kind;
        best_votes = count;
      }
    }
    return best;
  }

  FrameworkStatus Status() const {
    const std::string status = Lower(Trim(adoption_status_));
    if (status == "adopted" || status == "published" || status == "implemented" ||
        status == "final") {
      return FrameworkStatus::kPublished;
    }
    if (status == "deprecated" || status == "retired" || status == "superseded" ||
        status == "obsolete") {
      return FrameworkStatus::kRetired;
    }
    return FrameworkStatus::kDraft;
  }

  int Version() const {
    std::string_view text = Trim(version_text_);
    if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
    int version = 0;
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9' &&
           version < 100'000'000) {
      version = version * 10 + (text[digits] - '0');
      ++digits;
    }
    return version >= 1 ? version : 1;
  }

  // Level numbers for rubric levels: their scores if all are distinct whole
  // numbers of at least 1 (or, for a rating scale, distinct whole numbers),
  // else their positions if those are, else 1, 2, 3 in order.
  static std::vector<int> LevelNumbers(const std::vector<RubricLevel>& levels, bool allow_zero) {
    auto usable = [&](auto get) {
      std::set<long long> seen;
      std::vector<int> numbers;
      for (const RubricLevel& level : levels) {
        const std::optional<double> value = get(level);
        if (!value || *value < (allow_zero ? -1e6 : 1) || *value > 1e6 ||
            *value != static_cast<double>(static_cast<long long>(*value)) ||
            !seen.insert(static_cast<long long>(*value)).second) {
          return std::vector<int>{};
        }
        numbers.push_back(static_cast<int>(*value));
      }
      return numbers;
    };
    std::vector<int> numbers =
        usable([](const RubricLevel& level) -> std::optional<double> { return level.score; });
    if (numbers.size() == levels.size()) return numbers;
    numbers = usable([](const RubricLevel& level) -> std::optional<double> {
      if (!level.position) return std::nullopt;
      return static_cast<double>(*level.position);
    });
    if (numbers.size() == levels.size()) return numbers;
    numbers.clear();
    for (std::size_t l = 0; l < levels.size(); ++l) numbers.push_back(static_cast<int>(l + 1));
    return numbers;
  }

  // Levels in their written positions (when every level has one), else file
  // order.
  static std::vector<RubricLevel> Ordered(std::vector<RubricLevel> levels) {
    if (std::all_of(levels.begin(), levels.end(),
                    [](const RubricLevel& level) { return level.position.has_value(); })) {
      std::stable_sort(
          levels.begin(), levels.end(),
          [](const RubricLevel& a, const RubricLevel& b) { return *a.position < *b.position; });
    }
    return levels;
  }

  int IndicatorLevel(const Node& node, const std::map<Grade, int>& grade_levels) const {
    for (const std::string& value : node.education_levels) {
      const std::string_view text = Trim(value);
      if (std::optional<Grade> grade = domain::ParseGrade(text)) {
        const auto it = grade_levels.find(*grade);
        if (it != grade_levels.end()) return it->second;
      }
      const std::string lower = Lower(text);
      const std::string prefix = Lower(kLevelPrefix);
      if (lower.starts_with(prefix) && IsDigits(lower.substr(prefix.size())) &&
          lower.size() - prefix.size() <= 6) {
        const int level = std::stoi(lower.substr(prefix.size()));
        if (level >= 1) return level;
      }
    }
    return 0;
  }

  static std::vector<std::string> Tags(const std::vector<std::string>& keywords) {
    std::vector<std::string> tags;
    for (const std::string& keyword : keywords) {
      std::string tag = Lower(Trim(keyword));
      if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end()) {
        tags.push_back(std::move(tag));
      }
    }
    return tags;
  }

  Item MakeItem(std::size_t node_index, std::set<int>& numbers,
                const std::map<Grade, int>& grade_levels) const {
    const Node& node = nodes_[node_index];
    Item item;
    item.id = node.id;
    std::tie(item.title, item.description) = TitleAndDescription(node);
    if (const auto it = replaced_by_.find(node.id); it != replaced_by_.end()) {
      item.replaces = it->second;
    }
    std::string_view code = Trim(node.human_coding_scheme);
    if (!code.empty() && code.back() == '.') code.remove_suffix(1);
    if (IsDigits(code) && code.size() <= 6) {
      const int number = std::stoi(std::string(code));
      if (number >= 1 && numbers.insert(number).second) item.number = number;
    }
    if (const auto it = item_criteria_.find(node.id); it != item_criteria_.end()) {
      const std::vector<RubricLevel> levels = Ordered(it->second->levels);
      const std::vector<int> numbers_of_levels = LevelNumbers(levels, false);
      for (std::size_t l = 0; l < levels.size(); ++l) {
        item.levels.push_back({numbers_of_levels[l], levels[l].quality, levels[l].description});
      }
    }
    // Every node below the item, depth first, is one of its indicators.
    std::array<int, 2> counts{};
    std::vector<std::size_t> stack(children_[node_index].rbegin(), children_[node_index].rend());
    while (!stack.empty()) {
      const std::size_t n = stack.back();
      stack.pop_back();
      const Node& below = nodes_[n];
      Indicator indicator;
      indicator.id = below.id;
      indicator.kind = IsIneffectiveType(TypeName(below)) ? IndicatorKind::kIneffective
                                                          : IndicatorKind::kEffective;
      indicator.text = below.full_statement;
      indicator.tags = Tags(below.keywords);
      indicator.order = ++counts[static_cast<int>(indicator.kind)];
      indicator.level = IndicatorLevel(below, grade_levels);
      item.indicators.push_back(std::move(indicator));
      stack.insert(stack.end(), children_[n].rbegin(), children_[n].rend());
    }
    return item;
  }

  // The id of the cluster that gathers items found directly under the document: derived
  // from the document id, and (only for a package made to collide) numbered on until it
  // is not one of the package's own identifiers.
  std::string DefaultClusterId() const {
    std::string id = domain::NameBasedUuid(nodes_[0].id, kDefaultClusterName);
    for (int n = 2; index_.contains(id); ++n) {
      id = domain::NameBasedUuid(nodes_[0].id,
                                 std::string(kDefaultClusterName) + "\x1f" + std::to_string(n));
    }
    return id;
  }

  ImportResult<Framework> Build() {
    BuildChildren();
    const Node& document = nodes_[0];
    Framework framework;
    framework.id = document.id;
    framework.title = document.full_statement;
    framework.description = description_;
    framework.kind = Kind();
    framework.status = Status();
    framework.version = Version();

    const std::string rating_id = domain::NameBasedUuid(document.id, kRatingScaleName);
    const std::string grades_id = domain::NameBasedUuid(document.id, kGradeLevelsName);
    const RubricCriterion* rating = nullptr;
    for (const RubricCriterion& criterion : criteria_) {
      if (criterion.rubric_id == rating_id && rating == nullptr) {
        rating = &criterion;
      } else if (criterion.rubric_id == grades_id) {
        const std::optional<Grade> grade = domain::ParseGrade(Trim(criterion.category));
        const std::vector<RubricLevel> levels = Ordered(criterion.levels);
        if (grade && !levels.empty() && levels[0].score && *levels[0].score >= 1 &&
            *levels[0].score <= 1e6 &&
            *levels[0].score == static_cast<double>(static_cast<int>(*levels[0].score))) {
          framework.grade_levels.emplace(*grade, static_cast<int>(*levels[0].score));
        }
      } else if (!criterion.item_id.empty()) {
        item_criteria_.emplace(criterion.item_id, &criterion);
      }
    }
    if (rating != nullptr) {
      const std::vector<RubricLevel> levels = Ordered(rating->levels);
      const std::vector<int> values = LevelNumbers(levels, true);
      for (std::size_t l = 0; l < levels.size(); ++l) {
        framework.rating_scale.push_back({values[l], levels[l].quality, levels[l].description});
      }
    }

    std::set<int> numbers;
    std::optional<std::size_t> default_cluster;
    int order = 0;
    for (std::size_t top : children_[0]) {
      if (IsCluster(top)) {
        Cluster cluster;
        cluster.id = nodes_[top].id;
        std::tie(cluster.title, cluster.description) = TitleAndDescription(nodes_[top]);
        cluster.subtitle = nodes_[top].alternative_label;
        cluster.order = ++order;
        for (std::size_t child : children_[top]) {
          cluster.items.push_back(MakeItem(child, numbers, framework.grade_levels));
        }
        framework.clusters.push_back(std::move(cluster));
        continue;
      }
      if (!default_cluster) {
        Cluster cluster;
        cluster.id = DefaultClusterId();
        cluster.order = ++order;
        default_cluster = framework.clusters.size();
        framework.clusters.push_back(std::move(cluster));
      }
      framework.clusters[*default_cluster].items.push_back(
          MakeItem(top, numbers, framework.grade_levels));
    }
    if (default_cluster) {
      framework.clusters[*default_cluster].title =
          framework.clusters.size() == 1 ? framework.title
                                         : "Other " + std::string(ItemNounPlural(framework.kind));
    }
    CheckTexts(framework);
    if (!problems_.empty()) return Finish();
    framework.associations = std::move(kept_);
    framework.case_groupings = std::move(groupings_);
    framework.case_rubrics = std::move(rubrics_);
    return framework;
  }

  // The texts of the framework as read, within their limits and on one line where they
  // must be (domain::ValidateFramework), each problem named by the CASE object it came
  // from. A title may be within the limit of the field it was read from (fullStatement)
  // and still too long for a title. Other rules are the callers' to check.
  void CheckTexts(const Framework& framework) {
    for (const domain::ValidationProblem& problem : domain::ValidateFramework(framework)) {
      if (problem.code != domain::ValidationCode::kTooLong &&
          problem.code != domain::ValidationCode::kInvalidText) {
        continue;
      }
      Add(SourceOf(framework, problem.field), problem.message);
    }
  }

  // The CASE object a framework field came from: "CFItems[3]" for a cluster, item or
  // indicator read from one, else "CFDocument".
  std::string SourceOf(const Framework& framework, std::string_view field) const {
    std::array<int, 3> indexes{-1, -1, -1};
    std::size_t depth = 0;
    for (std::size_t at = field.find('['); at != std::string_view::npos && depth < 3;
         at = field.find('[', at + 1)) {
      int index = 0;
      for (std::size_t k = at + 1; k < field.size() && field[k] >= '0' && field[k] <= '9'; ++k) {
        index = std::min(index * 10 + (field[k] - '0'), 1 << 24);
      }
      indexes[depth++] = index;
    }
    std::string id;
    if (field.starts_with("clusters[") && indexes[0] >= 0 &&
        static_cast<std::size_t>(indexes[0]) < framework.clusters.size()) {
      const Cluster& cluster = framework.clusters[static_cast<std::size_t>(indexes[0])];
      id = cluster.id;
      if (indexes[1] >= 0 && static_cast<std::size_t>(indexes[1]) < cluster.items.size()) {
        const Item& item = cluster.items[static_cast<std::size_t>(indexes[1])];
        id = item.id;
        if (field.find(".indicators[") != std::string_view::npos && indexes[2] >= 0 &&
            static_cast<std::size_t>(indexes[2]) < item.indicators.size()) {
          id = item.indicators[static_cast<std::size_t>(indexes[2])].id;
        }
      }
    }
    const auto it = index_.find(id);
    return it == index_.end() ? std::string("CFDocument") : nodes_[it->second].path;
  }

  ImportProblemList problems_;
  const std::size_t max_bytes_;

  std::string creator_;
  std::string description_;
  std::string adoption_status_;
  std::string framework_type_;
  std::string version_text_;
  std::map<std::string, std::string> type_titles_;      // CFItemType identifier -> title
  std::vector<Node> nodes_;                             // [0] is the CFDocument
  std::map<std::string, std::string> node_ids_;         // identifier -> path
  std::set<std::string> unusable_ids_;                  // refused CFItem identifiers, lower-cased
  std::unordered_map<std::string, std::size_t> index_;  // identifier -> index in nodes_
  std::vector<Edge> edges_;
  std::vector<std::pair<std::size_t, std::size_t>> precedes_;
  // replacedBy associations: an item of the package -> the earlier items it replaces.
  std::map<std::string, std::vector<std::string>> replaced_by_;
  std::vector<domain::Association> kept_;  // associations of types not modelled, as given
  std::string groupings_;                  // CFAssociationGroupings as compact JSON, or ""
  std::string rubrics_;                    // CFRubrics as compact JSON, or ""
  std::vector<RubricCriterion> criteria_;
  std::map<std::string, const RubricCriterion*> item_criteria_;  // first criterion per item
  std::vector<std::vector<std::size_t>> children_;
};

}  // namespace

std::string WriteCasePackage(const domain::Framework& framework, const CaseExportOptions& options) {
  return PackageWriter(framework, options).Write();
}

ImportResult<domain::Framework> ParseCasePackage(std::string_view json,
                                                 const CaseImportOptions& options) {
  return PackageReader(options).Read(json);
}

}  // namespace pathway::interchange
