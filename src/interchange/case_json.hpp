// Frameworks as 1EdTech CASE 1.1 packages (CFPackage JSON): the format other
// competency and standards tools (OpenSALT, state and vendor CASE servers)
// publish and read. docs/formats/case-mapping.md describes which CASE field
// carries which part of a domain::Framework, and how packages from other tools
// are read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/framework.hpp"
#include "interchange/import_problem.hpp"

namespace pathway::interchange {

// The namespace under which the ids of the CASE item types Pathway exports
// ("Cluster", "Competency", "Effective indicator", ...) are derived, so that
// every Pathway export names the same type with the same id. Fixed forever.
inline constexpr std::string_view kCaseItemTypeNamespace = "e0674776-7236-48a6-aa9a-f46589bf209a";

struct CaseExportOptions {
  // Where the CASE read API serves this package, without a trailing slash, for example
  // "https://pathway.example.gov.uk/ims/case/v1p1". Every object's `uri` is this followed by
  // "/CFDocuments/<id>", "/CFItems/<id>", "/CFAssociations/<id>", "/CFItemTypes/<id>",
  // "/CFRubrics/<id>", "/CFRubricCriteria/<id>" or "/CFRubricCriterionLevels/<id>". One
  // trailing slash, if given, is ignored.
  std::string base_uri;
  // The organisation that promulgates the framework (CFDocument.creator), such
  // as "Civil Service HR". May be empty (CASE requires the field, not a value).
  std::string creator;
  // The lastChangeDateTime stamped on every object: an RFC 3339 date-time such
  // as "2024-05-01T09:30:00Z". The caller supplies it (usually the time the
  // framework version last changed) so that exporting the same version twice
  // gives equal bytes.
  std::string last_change_date_time;
};

// The framework as a CASE 1.1 CFPackage: UTF-8 JSON, indented by two spaces,
// that validates against the CASE 1.1 CFPackage JSON Schema (no fields outside
// it; extensions only where a kept association brought them). Besides the tree and
// the replacements, the framework's kept associations (framework.associations, ends
// in this framework pointing at this package's URIs), association groupings and
// rubrics (kept rubrics whose identifier Pathway does not derive itself) are written
// back as they were imported. Deterministic: the same framework and options always give
// the same bytes; every identifier the framework does not carry itself
// (associations, rubrics, criteria, levels) is derived with
// domain::NameBasedUuid from the framework id, item types from
// kCaseItemTypeNamespace. Does no I/O and reads no clock; thread-safe.
//
// `framework` should pass domain::ValidateFramework. Ids that are not
// ValidUuid, a base_uri without a scheme ("https:") or a last_change_date_time
// that is not an RFC 3339 date-time are programming errors and throw
// std::invalid_argument, because the package would not be valid CASE. Text that
// is not valid UTF-8 (which a validated framework never holds) is written with
// U+FFFD in place of the bad bytes.
std::string WriteCasePackage(const domain::Framework& framework, const CaseExportOptions& options);

struct CaseImportOptions {
  std::size_t max_bytes = 8 * 1024 * 1024;  // larger files are refused unread
  // Reporting stops after this many problems (at least 1), and one more problem
  // then says that there are more.
  std::size_t max_problems = kMaxImportProblems;
};

// Reads a CASE 1.1 CFPackage, as WriteCasePackage writes it or as another CASE
// tool publishes it (CASE 1.0 packages read the same way), into a framework, or
// returns every problem found (see options.max_problems). Never throws on any
// input; does no I/O; thread-safe.
//
// Problems in the JSON text itself (bytes that are not UTF-8, malformed JSON)
// carry the 1-based line and column where reading stopped (columns count
// characters, not bytes, and not a UTF-8 byte order mark). Every other problem
// has line 0 and column 0, and its message starts with the JSON path of the
// field at fault, for example "CFItems[3].identifier: ...". Refused: an empty
// or oversized file, anything but a JSON object with a CFDocument, fields CASE
// requires that are missing or of the wrong type, identifiers that are not
// UUIDs (upper-case UUIDs are accepted and lower-cased) or that two objects
// share, isChildOf / isPartOf associations whose ends are not in the
// package, and isChildOf / isPartOf associations that form a cycle (the message
// lists it). Every other association (precedes, isPeerOf, exactMatchOf, isRelatedTo,
// exemplar, hasSkillLevel, isTranslationOf, "ext:" types, and replacedBy other than
// "an earlier item is replaced by one of this package"), whatever its ends point at,
// is kept in framework.associations with its sequence, grouping, notes and extensions;
// precedes between two of the package's nodes also orders the tree. The package's
// CFAssociationGroupings and CFRubrics are kept whole (case_groupings, case_rubrics).
// Unknown fields are ignored.
//
// The tree: clusters, items and indicators come from the isChildOf / isPartOf
// tree under the CFDocument, ordered by sequenceNumber and then by precedes.
// Packages that do not have exactly three levels are folded into them as
// case-mapping.md describes; the result is not guaranteed to pass
// domain::ValidateFramework (for example an item may list the same indicator
// twice), which callers check before storing it.
ImportResult<domain::Framework> ParseCasePackage(std::string_view json,
                                                 const CaseImportOptions& options = {});

}  // namespace pathway::interchange
