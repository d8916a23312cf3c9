#include "domain/framework.hpp"

#include <sodium.h>

#include <set>
#include <stdexcept>
#include <unordered_map>

#include "domain/text.hpp"

namespace pathway::domain {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::size_t kUuidLength = 36;

bool IsHyphenPosition(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Sets the RFC 9562 version nibble and the variant bits (10xx) and formats.
std::string FormatUuid(std::array<std::uint8_t, 16> bytes, int version) {
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | (version << 4));
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);
  std::string out;
  out.reserve(kUuidLength);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHexDigits[bytes[i] >> 4]);
    out.push_back(kHexDigits[bytes[i] & 0x0F]);
  }
  return out;
}

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

// A text in curly quotes, cut to 80 characters so that a message stays readable
// whatever it quotes.
std::string Quoted(std::string_view text) {
  constexpr std::size_t kMost = 80;
  std::string out = "‘";
  if (CharacterCount(text) <= kMost) return out.append(text).append("’");
  std::size_t i = 0;
  for (std::size_t characters = 0; i < text.size() && characters < kMost - 1; ++characters) {
    const std::size_t length = Utf8SequenceLength(text, i);
    i += length == 0 ? 1 : length;
  }
  return out.append(text.substr(0, i)).append("…’");
}

// Collects problems while walking a framework, naming each object the way the person
// fixing it will recognise it.
class Validator {
 public:
  explicit Validator(const Framework& framework)
      : framework_(framework), noun_(ItemNoun(framework.kind)) {}

  std::vector<ValidationProblem> Run() {
    if (Blank(framework_.title)) {
      Add("title", ValidationCode::kMissingTitle, "Enter a title for the framework");
    }
    Line("title", framework_.title, kMaxNameLength, "The framework’s title");
    Lines("description", framework_.description, kMaxDescriptionLength,
          "The framework’s introduction");
    for (std::size_t p = 0; p < framework_.rating_scale.size(); ++p) {
      const ScalePoint& point = framework_.rating_scale[p];
      const std::string path = "rating_scale[" + std::to_string(p) + "]";
      const std::string what = "scale point " + std::to_string(point.value);
      Line(path + ".label", point.label, kMaxNameLength, "The label of " + what);
      Lines(path + ".description", point.description, kMaxDescriptionLength,
            "The description of " + what);
    }
    CheckId("id", framework_.id, "the framework");
    if (framework_.version < 1) {
      Add("version", ValidationCode::kInvalidVersion, "Version must be 1 or more");
    }
    for (const auto& [grade, level] : framework_.grade_levels) {
      if (level < 1) {
        Add("grade_levels." + std::string(GradeCode(grade)), ValidationCode::kInvalidLevel,
            "The level for " + std::string(GradeCode(grade)) + " must be 1 or more");
      }
    }
    int item_count = 0;
    for (std::size_t c = 0; c < framework_.clusters.size(); ++c) {
      const Cluster& cluster = framework_.clusters[c];
      const std::string path = "clusters[" + std::to_string(c) + "]";
      const std::string name = Blank(cluster.title) ? "cluster " + std::to_string(c + 1)
                                                    : "cluster " + Quoted(cluster.title);
      if (Blank(cluster.title)) {
        Add(path + ".title", ValidationCode::kMissingTitle,
            "Enter a title for cluster " + std::to_string(c + 1));
      }
      const std::string position = "cluster " + std::to_string(c + 1);
      Line(path + ".title", cluster.title, kMaxNameLength, "The title of " + position);
      Line(path + ".subtitle", cluster.subtitle, kMaxNameLength, "The subtitle of " + position);
      Lines(path + ".description", cluster.description, kMaxDescriptionLength,
            "The description of " + position);
      CheckId(path + ".id", cluster.id, name);
      for (std::size_t i = 0; i < cluster.items.size(); ++i) {
        ++item_count;
        CheckItem(cluster.items[i], path + ".items[" + std::to_string(i) + "]", name, i);
      }
    }
    CheckReplacements();
    CheckAssociations();
    if (framework_.status == FrameworkStatus::kPublished && item_count == 0) {
      Add("clusters", ValidationCode::kEmptyPublished,
          "A published framework must have at least one " + std::string(noun_));
    }
    return std::move(problems_);
  }

 private:
  // An item replaces only items that are no longer in the framework, each at most once
  // across the framework (a split lists the old item under each new one; a merge lists
  // several old items under one new item).
  void CheckReplacements() {
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t c = 0; c < framework_.clusters.size(); ++c) {
      const Cluster& cluster = framework_.clusters[c];
      for (std::size_t i = 0; i < cluster.items.size(); ++i) {
        const Item& item = cluster.items[i];
        for (std::size_t r = 0; r < item.replaces.size(); ++r) {
          const std::string& old = item.replaces[r];
          const std::string path = "clusters[" + std::to_string(c) + "].items[" +
                                   std::to_string(i) + "].replaces[" + std::to_string(r) + "]";
          if (!ValidUuid(old)) {
            Add(path, ValidationCode::kInvalidReplacement,
                "The item it replaces must be named by its identifier, a UUID");
          } else if (ids_.contains(old)) {
            Add(path, ValidationCode::kInvalidReplacement,
                "An item still in the framework cannot be replaced: its ratings stay with it");
          } else if (!seen.emplace(item.id, old).second) {
            Add(path, ValidationCode::kInvalidReplacement, "This item already replaces that item");
          }
        }
      }
    }
  }

  // Kept CASE associations: valid, unique ids, a type, both ends named, one-line text
  // within limits. Their ends may be anywhere (inside the framework or outside it).
  void CheckAssociations() {
    if (framework_.associations.size() > kMaxAssociations) {
      Add("associations", ValidationCode::kTooLong,
          "A framework keeps at most " + std::to_string(kMaxAssociations) + " associations");
      return;
    }
    for (std::size_t a = 0; a < framework_.associations.size(); ++a) {
      const Association& association = framework_.associations[a];
      const std::string path = "associations[" + std::to_string(a) + "]";
      const std::string name = "association " + std::to_string(a + 1);
      CheckId(path + ".id", association.id, name);
      if (Blank(association.type)) {
        Add(path + ".type", ValidationCode::kMissingText, "Give the type of " + name);
      }
      Line(path + ".type", association.type, kMaxNameLength, "The type of " + name);
      const std::pair<const char*, const NodeRef*> ends[] = {
          {"origin", &association.origin},
          {"destination", &association.destination},
          {"grouping", &association.grouping}};
      for (const auto& [end, node] : ends) {
        const std::string at = path + "." + end;
        if (Blank(node->identifier) && std::string_view(end) != "grouping") {
          Add(at + ".identifier", ValidationCode::kMissingText,
              "Give the identifier of the " + std::string(end) + " of " + name);
        }
        Line(at + ".identifier", node->identifier, kMaxNameLength,
             "The " + std::string(end) + " identifier of " + name);
        Line(at + ".uri", node->uri, kMaxDescriptionLength,
             "The " + std::string(end) + " URI of " + name);
        Line(at + ".title", node->title, kMaxDescriptionLength,
             "The " + std::string(end) + " title of " + name);
        Line(at + ".target_type", node->target_type, kMaxNameLength,
             "The " + std::string(end) + " type of " + name);
      }
      Lines(path + ".notes", association.notes, kMaxDescriptionLength, "The notes of " + name);
      Lines(path + ".extensions", association.extensions, kMaxDescriptionLength,
            "The extensions of " + name);
    }
  }

  void CheckItem(const Item& item, const std::string& path, const std::string& cluster_name,
                 std::size_t index) {
    const std::string position =
        item.number > 0 ? std::to_string(item.number) : std::to_string(index + 1);
    const std::string name = Blank(item.title)
                                 ? std::string(noun_) + " " + position + " in " + cluster_name
                                 : std::string(noun_) + " " + Quoted(item.title);
    if (Blank(item.title)) {
      Add(path + ".title", ValidationCode::kMissingTitle,
          "Enter a title for " + std::string(noun_) + " " + position + " in " + cluster_name);
    }
    const std::string where = std::string(noun_) + " " + position + " in " + cluster_name;
    Line(path + ".title", item.title, kMaxNameLength, "The title of " + where);
    Lines(path + ".description", item.description, kMaxDescriptionLength,
          "The description of " + where);
    CheckId(path + ".id", item.id, name);
    if (item.number > 0 && !numbers_.insert(item.number).second) {
      Add(path + ".number", ValidationCode::kDuplicateNumber,
          "Number " + std::to_string(item.number) + " is used by more than one " +
              std::string(noun_));
    }
    std::set<int> levels;
    for (std::size_t l = 0; l < item.levels.size(); ++l) {
      const int level = item.levels[l].level;
      const std::string level_base = path + ".levels[" + std::to_string(l) + "]";
      const std::string level_name = "level " + std::to_string(level) + " of " + name;
      Line(level_base + ".label", item.levels[l].label, kMaxNameLength,
           "The label of " + level_name);
      Lines(level_base + ".description", item.levels[l].description, kMaxDescriptionLength,
            "The description of " + level_name);
      const std::string level_path = level_base + ".level";
      if (level < 1) {
        Add(level_path, ValidationCode::kInvalidLevel, "Levels of " + name + " must be 1 or more");
      } else if (!levels.insert(level).second) {
        Add(level_path, ValidationCode::kDuplicateLevel,
            "Level " + std::to_string(level) + " of " + name + " is described more than once");
      }
    }
    std::set<std::pair<IndicatorKind, std::string>> texts;
    std::array<int, 2> counts{};
    for (std::size_t n = 0; n < item.indicators.size(); ++n) {
      const Indicator& indicator = item.indicators[n];
      const std::string indicator_path = path + ".indicators[" + std::to_string(n) + "]";
      const std::string kind(IndicatorKindName(indicator.kind));
      const int order = ++counts[static_cast<int>(indicator.kind)];
      const std::string indicator_name =
          kind + " indicator " + std::to_string(order) + " of " + name;
      const bool text_ok = Lines(indicator_path + ".text", indicator.text, kMaxStatementLength,
                                 "The text of " + indicator_name);
      CheckTags(indicator_path + ".tags", indicator.tags, indicator_name);
      if (Blank(indicator.text)) {
        Add(indicator_path + ".text", ValidationCode::kMissingText,
            "Enter the text of " + indicator_name);
      } else if (!text_ok) {
        // Reported above; comparing it with the others would only repeat it.
      } else if (!texts.emplace(indicator.kind, indicator.text).second) {
        Add(indicator_path + ".text", ValidationCode::kDuplicateIndicator,
            Quoted(item.title) + " lists the " + kind + " indicator " + Quoted(indicator.text) +
                " more than once");
      }
      CheckId(indicator_path + ".id", indicator.id, indicator_name);
      if (indicator.level < 0) {
        Add(indicator_path + ".level", ValidationCode::kInvalidLevel,
            "The level of " + indicator_name + " must be 0 (every level) or more");
      }
    }
  }

  // One-line text of at most `most` characters; `what` names it in the message. True if
  // it is fine.
  bool Line(const std::string& path, std::string_view text, std::size_t most,
            const std::string& what) {
    return Text(path, text, most, LineBreaks::kRefused, what);
  }
  // Text that may have line breaks.
  bool Lines(const std::string& path, std::string_view text, std::size_t most,
             const std::string& what) {
    return Text(path, text, most, LineBreaks::kAllowed, what);
  }
  bool Text(const std::string& path, std::string_view text, std::size_t most,
            LineBreaks line_breaks, const std::string& what) {
    if (const auto problem = FindTextProblem(text, line_breaks)) {
      Add(path, ValidationCode::kInvalidText, DescribeTextProblem(*problem, what));
      return false;
    }
    if (text.size() > most && CharacterCount(text) > most) {
      Add(path, ValidationCode::kTooLong,
          what + " must be " + std::to_string(most) + " characters or fewer");
      return false;
    }
    return true;
  }

  void CheckTags(const std::string& path, const std::vector<std::string>& tags,
                 const std::string& name) {
    if (tags.size() > kMaxTags) {
      Add(path, ValidationCode::kTooLong,
          "Give " + name + " " + std::to_string(kMaxTags) + " tags or fewer");
      return;
    }
    for (const std::string& tag : tags) {
      if (!Line(path, tag, kMaxTagLength, "Each tag of " + name)) return;
    }
  }

  void CheckId(const std::string& path, const std::string& id, const std::string& name) {
    if (!ValidUuid(id)) {
      Add(path, ValidationCode::kInvalidId, "The identifier of " + name + " must be a UUID");
      return;
    }
    auto [it, inserted] = ids_.emplace(id, name);
    if (!inserted) {
      Add(path, ValidationCode::kDuplicateId,
          "The identifier of " + name + " is already used by " + it->second);
    }
  }

  void Add(std::string field, ValidationCode code, std::string message) {
    problems_.push_back({std::move(field), code, std::move(message)});
  }

  const Framework& framework_;
  std::string_view noun_;
  std::unordered_map<std::string, std::string> ids_;  // id -> who uses it
  std::set<int> numbers_;
  std::vector<ValidationProblem> problems_;
};

}  // namespace

bool ValidUuid(std::string_view text) {
  if (text.size() != kUuidLength) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsHyphenPosition(i)) {
      if (text[i] != '-') return false;
    } else if (HexValue(text[i]) < 0) {
      return false;
    }
  }
  const char variant = text[19];
  return variant == '8' || variant == '9' || variant == 'a' || variant == 'b';
}

std::string NameBasedUuid(std::string_view namespace_uuid, std::string_view name) {
  if (!ValidUuid(namespace_uuid)) {
    throw std::invalid_argument("NameBasedUuid: namespace is not a UUID: " +
                                std::string(namespace_uuid));
  }
  std::array<std::uint8_t, 16> namespace_bytes{};
  std::size_t out = 0;
  for (std::size_t i = 0; i < namespace_uuid.size(); ++i) {
    if (IsHyphenPosition(i)) continue;
    const int high = HexValue(namespace_uuid[i]);
    const int low = HexValue(namespace_uuid[++i]);
    namespace_bytes[out++] = static_cast<std::uint8_t>((high << 4) | low);
  }
  // BLAKE2b needs no sodium_init(): its portable implementation is selected statically,
  // and sodium_init() would touch the random device, which domain/ must not do.
  std::array<std::uint8_t, 16> digest{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, digest.size());
  crypto_generichash_update(&state, namespace_bytes.data(), namespace_bytes.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(name.data()),
                            name.size());
  crypto_generichash_final(&state, digest.data(), digest.size());
  return FormatUuid(digest, 8);
}

std::string RandomUuid(const std::array<std::uint8_t, 16>& random_bytes) {
  return FormatUuid(random_bytes, 4);
}

std::string_view FrameworkKindName(FrameworkKind kind) {
  switch (kind) {
    case FrameworkKind::kCompetency:
      return "competency";
    case FrameworkKind::kBehaviours:
      return "behaviours";
    case FrameworkKind::kStrengths:
      return "strengths";
    case FrameworkKind::kCareer:
      return "career";
    case FrameworkKind::kTechnical:
      return "technical";
  }
  return "competency";
}

std::string_view ItemNoun(FrameworkKind kind) {
  switch (kind) {
    case FrameworkKind::kCompetency:
      return "competency";
    case FrameworkKind::kBehaviours:
      return "behaviour";
    case FrameworkKind::kStrengths:
      return "strength";
    case FrameworkKind::kCareer:
    case FrameworkKind::kTechnical:
      return "skill";
  }
  return "item";
}

std::optional<FrameworkKind> ParseFrameworkKind(std::string_view name) {
  for (FrameworkKind kind :
       {FrameworkKind::kCompetency, FrameworkKind::kBehaviours, FrameworkKind::kStrengths,
        FrameworkKind::kCareer, FrameworkKind::kTechnical}) {
    if (FrameworkKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view FrameworkStatusName(FrameworkStatus status) {
  switch (status) {
    case FrameworkStatus::kDraft:
      return "draft";
    case FrameworkStatus::kPublished:
      return "published";
    case FrameworkStatus::kRetired:
      return "retired";
  }
  return "draft";
}

std::optional<FrameworkStatus> ParseFrameworkStatus(std::string_view name) {
  for (FrameworkStatus status :
       {FrameworkStatus::kDraft, FrameworkStatus::kPublished, FrameworkStatus::kRetired}) {
    if (FrameworkStatusName(status) == name) return status;
  }
  return std::nullopt;
}

std::string_view IndicatorKindName(IndicatorKind kind) {
  return kind == IndicatorKind::kEffective ? "effective" : "ineffective";
}

int CountItems(const Framework& framework) {
  int count = 0;
  for (const Cluster& cluster : framework.clusters) {
    count += static_cast<int>(cluster.items.size());
  }
  return count;
}

int CountIndicators(const Framework& framework, IndicatorKind kind) {
  int count = 0;
  for (const Cluster& cluster : framework.clusters) {
    for (const Item& item : cluster.items) {
      count += static_cast<int>(IndicatorsOfKind(item, kind).size());
    }
  }
  return count;
}

std::vector<const Indicator*> IndicatorsOfKind(const Item& item, IndicatorKind kind) {
  std::vector<const Indicator*> out;
  for (const Indicator& indicator : item.indicators) {
    if (indicator.kind == kind) out.push_back(&indicator);
  }
  return out;
}

const Item* FindItemByNumber(const Framework& framework, int number) {
  for (const Cluster& cluster : framework.clusters) {
    for (const Item& item : cluster.items) {
      if (item.number == number) return &item;
    }
  }
  return nullptr;
}

std::vector<ValidationProblem> ValidateFramework(const Framework& framework) {
  return Validator(framework).Run();
}

}  // namespace pathway::domain
