#include "domain/crosswalk.hpp"

#include <array>

namespace pathway::domain {
namespace {

struct KindRow {
  CrosswalkKind kind;
  std::string_view name;
  std::string_view phrase;
  std::string_view case_type;
};

constexpr std::array<KindRow, 4> kKinds{{
    {CrosswalkKind::kSame, "same", "is the same as", "exactMatchOf"},
    {CrosswalkKind::kBroader, "broader", "is broader than", "ext:broaderThan"},
    {CrosswalkKind::kNarrower, "narrower", "is narrower than", "ext:narrowerThan"},
    {CrosswalkKind::kRelated, "related", "is related to", "isRelatedTo"},
}};

const KindRow& Row(CrosswalkKind kind) {
  for (const KindRow& row : kKinds) {
    if (row.kind == kind) return row;
  }
  return kKinds[0];
}

}  // namespace

std::string_view CrosswalkKindName(CrosswalkKind kind) { return Row(kind).name; }
std::string_view CrosswalkKindPhrase(CrosswalkKind kind) { return Row(kind).phrase; }
std::string_view CrosswalkCaseType(CrosswalkKind kind) { return Row(kind).case_type; }

std::optional<CrosswalkKind> ParseCrosswalkKind(std::string_view name) {
  for (const KindRow& row : kKinds) {
    if (row.name == name) return row.kind;
  }
  return std::nullopt;
}

std::optional<CrosswalkKind> CrosswalkKindOfCaseType(std::string_view type) {
  for (const KindRow& row : kKinds) {
    if (row.case_type == type) return row.kind;
  }
  return std::nullopt;
}

}  // namespace pathway::domain
