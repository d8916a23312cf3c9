// Crosswalks: an item of one framework linked to an item of another framework (a
// department's own framework and the Civil Service one, or two versions of one) with a
// kind. They travel in CASE as associations, and let a passport or a gap analysis read a
// level held in one framework as a level in another (only "same as" does: a broader,
// narrower or related item is shown, never counted).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pathway::domain {

enum class CrosswalkKind { kSame, kBroader, kNarrower, kRelated };

// Stable lower-case name ("same", "broader", "narrower", "related"), used in the
// database, forms and the API.
std::string_view CrosswalkKindName(CrosswalkKind kind);
std::optional<CrosswalkKind> ParseCrosswalkKind(std::string_view name);

// How a person reads it: "is the same as", "is broader than", "is narrower than",
// "is related to" (the origin item, then this, then the target item).
std::string_view CrosswalkKindPhrase(CrosswalkKind kind);

// The CASE associationType that carries the kind, origin = the framework's own item:
// exactMatchOf, ext:broaderThan, ext:narrowerThan, isRelatedTo.
std::string_view CrosswalkCaseType(CrosswalkKind kind);
// The kind a CASE associationType carries, or nullopt for other types.
std::optional<CrosswalkKind> CrosswalkKindOfCaseType(std::string_view type);

// The most characters of a crosswalk's notes.
inline constexpr std::size_t kMaxCrosswalkNotes = 500;

}  // namespace pathway::domain
