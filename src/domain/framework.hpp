// Competency, behaviour, strength, career and technical frameworks as plain values:
// a framework holds clusters, a cluster holds items (a competency, behaviour or skill),
// and an item holds level descriptors and effective / ineffective indicators.
// Every framework, cluster, item and indicator carries a stable UUID so that CASE
// export and comparisons across versions can refer to it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/grade.hpp"

namespace pathway::domain {

// ---------------------------------------------------------------------------------
// Identifiers

// True if `text` is a UUID in the form CASE 1.1 accepts and Pathway stores: 36
// characters, lower-case hexadecimal in groups 8-4-4-4-12 separated by hyphens, with
// the RFC 9562 variant (first digit of the fourth group is 8, 9, a or b). Upper-case
// digits, braces and the nil UUID are rejected.
bool ValidUuid(std::string_view text);

// A name-based UUID (RFC 9562 version 8): the first 16 bytes of the BLAKE2b hash of
// the namespace's 16 bytes followed by `name`, with the version and variant bits set.
// The same namespace and name always give the same UUID, on every machine, so ids
// survive re-importing the same document. The name is hashed byte for byte: callers
// normalise it first if spelling variants should share an id.
// `namespace_uuid` must satisfy ValidUuid; anything else is a programming error and
// throws std::invalid_argument. Thread-safe; does no I/O.
std::string NameBasedUuid(std::string_view namespace_uuid, std::string_view name);

// A random UUID (RFC 9562 version 4) from 16 bytes the caller drew from a
// cryptographically secure source (for example libsodium's randombytes_buf); this
// function only sets the version and variant bits and formats the result.
std::string RandomUuid(const std::array<std::uint8_t, 16>& random_bytes);

// ---------------------------------------------------------------------------------
// The model

enum class FrameworkKind { kCompetency, kBehaviours, kStrengths, kCareer, kTechnical };

// Stable lower-case name ("competency", "behaviours", "strengths", "career",
// "technical"), used in files, the API and the database.
std::string_view FrameworkKindName(FrameworkKind kind);

// The kind with this name (as FrameworkKindName writes it), or nullopt.
std::optional<FrameworkKind> ParseFrameworkKind(std::string_view name);

// What a framework of this kind calls its items, in lower case: "competency",
// "behaviour", "strength" or "skill" (career and technical frameworks).
std::string_view ItemNoun(FrameworkKind kind);

// A version's life: drafted, then published (after which it never changes), then
// retired when a newer version replaces it.
enum class FrameworkStatus { kDraft, kPublished, kRetired };

// Stable lower-case name ("draft", "published", "retired").
std::string_view FrameworkStatusName(FrameworkStatus status);

// The status with this name (as FrameworkStatusName writes it), or nullopt.
std::optional<FrameworkStatus> ParseFrameworkStatus(std::string_view name);

enum class IndicatorKind { kEffective, kIneffective };

// Stable lower-case name ("effective", "ineffective").
std::string_view IndicatorKindName(IndicatorKind kind);

// One example of behaviour: "People who are effective are likely to ..." (effective)
// or "People who are less effective are likely to ..." (ineffective).
struct Indicator {
  std::string id;  // satisfies ValidUuid
  IndicatorKind kind = IndicatorKind::kEffective;
  std::string text;               // as written in the source, never empty
  std::vector<std::string> tags;  // lower-case labels such as "security"; may be empty
  int order = 0;                  // 1-based position among the item's indicators of the same kind
  int level = 0;                  // the level this indicator illustrates; 0 means every level
};

// What an item means at one level of its scale: level 1..6 for the Civil Service
// behaviours, awareness / working / practitioner / expert for technical skills.
struct LevelDescriptor {
  int level = 0;            // 1 or more; unique within an item
  std::string label;        // as the source names the level: "SMS 1", "Practitioner"
  std::string description;  // may be empty when the indicators say it all
};

// A competency, behaviour, strength or skill.
struct Item {
  std::string id;  // satisfies ValidUuid
  int number = 0;  // as numbered in the source ("3. Making Effective Decisions"); 0 if none
  std::string title;
  std::string description;  // paragraphs separated by a blank line; may be empty
  std::vector<LevelDescriptor> levels;
  std::vector<Indicator> indicators;  // in the source's order
  // Items of earlier versions that this item replaces (renamed with a new id, split or
  // merged): CASE `replacedBy` associations from each of them to this item. Authored in a
  // draft; people's ratings of the replaced items carry over to this one on publication.
  std::vector<std::string> replaces;
};

// A group of items, such as "Strategic Cluster" with the subtitle "Setting Direction".
struct Cluster {
  std::string id;  // satisfies ValidUuid
  std::string title;
  std::string subtitle;     // empty when the source gives none
  std::string description;  // text under the heading before the first item; may be empty
  int order = 0;            // 1-based position in the framework
  std::vector<Item> items;
};

// One version of a framework.
// One point of a rating scale, such as Success Profiles' 1 to 7: "4 Moderate
// demonstration: the acceptable standard".
struct ScalePoint {
  int value = 0;            // unique within the scale
  std::string label;        // "Moderate demonstration"
  std::string description;  // may be empty
};

// One end of a CASE association, or its grouping: the node's identifier (a UUID when
// the node is in a CASE package, otherwise whatever the source gave), its URI, title and
// CASE targetType ("CFItem", "CFDocument", ...). Any field but the identifier may be empty.
struct NodeRef {
  std::string identifier;
  std::string uri;
  std::string title;
  std::string target_type;
};

// A CASE association that Pathway keeps as it was given, besides the tree (clusters,
// items, indicators) and the replacements (Item::replaces), which it models itself:
// precedes, isPeerOf, exactMatchOf, isRelatedTo, exemplar, hasSkillLevel,
// isTranslationOf and extension types ("ext:..."), with either end inside or outside the
// framework. Imported from CASE and exported back unchanged.
struct Association {
  std::string id;    // satisfies ValidUuid
  std::string type;  // the CASE associationType, as given
  NodeRef origin;
  NodeRef destination;
  std::optional<long long> sequence;
  NodeRef grouping;  // identifier empty: in no CFAssociationGrouping
  std::string notes;
  std::string extensions;  // the association's CASE `extensions` object as JSON text, or ""
};

struct Framework {
  std::string id;  // satisfies ValidUuid
  std::string title;
  FrameworkKind kind = FrameworkKind::kCompetency;
  std::string description;  // introduction; paragraphs separated by a blank line
  int version = 1;          // 1 or more
  FrameworkStatus status = FrameworkStatus::kDraft;
  std::map<Grade, int> grade_levels;     // the level expected of each grade it covers
  std::vector<ScalePoint> rating_scale;  // how evidence is scored; empty if none
  std::vector<Cluster> clusters;
  std::vector<Association> associations;  // kept CASE associations, in the package's order
  // The CASE package's CFAssociationGroupings and CFRubrics, kept whole as JSON arrays
  // (text) and exported back; empty when the framework did not come with any.
  std::string case_groupings;
  std::string case_rubrics;
};

// Number of items in all clusters.
int CountItems(const Framework& framework);

// Number of indicators of `kind` in all items of all clusters.
int CountIndicators(const Framework& framework, IndicatorKind kind);

// The item's indicators of `kind`, in order. The pointers point into `item` and are
// valid while it is neither changed nor destroyed.
std::vector<const Indicator*> IndicatorsOfKind(const Item& item, IndicatorKind kind);

// The item numbered `number`, or nullptr. The pointer points into `framework`.
const Item* FindItemByNumber(const Framework& framework, int number);

// ---------------------------------------------------------------------------------
// Validation

enum class ValidationCode {
  kMissingTitle,        // a framework, cluster or item has an empty title
  kMissingText,         // an indicator has empty text
  kInvalidId,           // an id does not satisfy ValidUuid
  kDuplicateId,         // two objects in the framework share an id
  kDuplicateNumber,     // two items share a non-zero number
  kDuplicateIndicator,  // an item lists the same indicator text twice for one kind
  kInvalidVersion,      // version below 1
  kInvalidLevel,        // a level below 1 (0 is allowed for an indicator: every level)
  kDuplicateLevel,      // an item describes the same level twice
  kEmptyPublished,      // a published framework has no items
  kTooLong,             // a text longer than its limit (domain/text.hpp), or too many tags
  kInvalidText,         // not UTF-8, a control character, or a line break in one-line text
  kInvalidReplacement,  // an item replaces itself, an item still in the framework, or twice
};

// The most tags an indicator has, and the longest tag, in characters.
inline constexpr std::size_t kMaxTags = 20;
// The most CASE associations a framework keeps besides its tree and replacements.
inline constexpr std::size_t kMaxAssociations = 50000;
inline constexpr std::size_t kMaxTagLength = 50;

// One broken rule. `field` locates it with 0-based indexes, for example
// "clusters[0].items[2].indicators[4].text"; `message` is for the person who has to
// fix it, in GOV.UK style.
struct ValidationProblem {
  std::string field;
  ValidationCode code = ValidationCode::kMissingTitle;
  std::string message;
};

// Every rule `framework` breaks, in the order of its fields; empty means valid.
// Checks: every text is text (domain::FindTextProblem; titles, subtitles, labels and
// tags are one line) and within its limit in characters: titles, subtitles, labels
// kMaxNameLength, indicators kMaxStatementLength, descriptions kMaxDescriptionLength,
// at most kMaxTags tags of kMaxTagLength; non-empty titles and indicator texts
// (whitespace alone counts as empty),
// ids valid and unique across the framework, item numbers unique, no indicator
// repeated within an item and kind, version and levels in range, and at least one
// item once published. It is not an error for an item to have no description, no
// level descriptors or no indicators, nor for a cluster to have no subtitle.
std::vector<ValidationProblem> ValidateFramework(const Framework& framework);

}  // namespace pathway::domain
