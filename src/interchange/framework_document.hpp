// Reads the text export of a Civil Service competency framework "by grade" document
// (the family of seed 001: "Civil Service Competency Framework By Grade – SMS 1") into
// a domain::Framework. The layout it understands:
//
//   Civil Service Competency Framework By Grade – SMS 1      title; names the grade
//   About this framework ...                                  introduction paragraphs
//   Strategic Cluster – Setting Direction                     cluster heading
//   1. Seeing the Big Picture                                 competency heading
//   Seeing the big picture is about ...                       competency description
//   ...                                                       (all clusters, all items)
//   1. Seeing the Big Picture                                 the heading again, then
//   Effective Behaviour ... TAB Ineffective Behaviour ...     an optional header row
//   Anticipate and predict ... TAB Have limited insight ...   rows: effective TAB ineffective
//
// A document may instead give each competency's description and table together. Page
// breaks in the export repeat a competency heading or the header row mid-table, leave
// a dashed line, a page number or the title as a running header, and split a heading
// or a paragraph over two lines; all of these are absorbed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/framework.hpp"
#include "domain/grade.hpp"
#include "interchange/import_problem.hpp"

namespace pathway::interchange {

// What a line inside a behaviours table that has no tab at all means. A row whose
// ineffective cell is empty normally keeps its tab ("Behaviour<TAB>"), so a line with
// no tab may be two behaviours whose tab the export lost.
enum class RowWithoutTab {
  kAuto,           // an effective behaviour with no pair if some other row of the tables
                   // has an empty cell (the columns are uneven); refused if every other
                   // row is a pair
  kEffectiveOnly,  // always an effective behaviour with no pair
  kRefuse,         // always refused
};

struct ParseOptions {
  domain::FrameworkKind kind = domain::FrameworkKind::kCompetency;
  int version = 1;  // the version number given to the parsed framework
  // The level (1..6) the document describes when its title names no grade or level.
  // If the title does name one, the two must agree.
  std::optional<int> level;
  RowWithoutTab row_without_tab = RowWithoutTab::kAuto;
  std::size_t max_bytes = 2 * 1024 * 1024;  // larger files are refused unread
  // Reporting stops after this many problems (at least 1), and one more problem then
  // says that there are more.
  std::size_t max_problems = kMaxImportProblems;
};

// The grades and level named by the grade part of a title, such as "SMS 1" (level 5,
// SCS1), "SCS pay band 2 and 3" (level 6), "HEO/SEO" (level 3), "Grade 6 and 7"
// (level 4), "Executive Officers" (level 2), "Administrative Officers and Assistants"
// (level 1) or "Level 4", using the 2012 framework's grade to level map. Case,
// plurals, slashes and "and" do not matter.
struct GradeLevelLabel {
  int level = 0;                      // 1..6
  std::vector<domain::Grade> grades;  // most junior first; empty for "Level N"
};

// The label's level and grades, or nullopt if it names none, or names grades at
// different levels (such as "EO and HEO"), or a level that contradicts its grades.
std::optional<GradeLevelLabel> ParseGradeLevelLabel(std::string_view label);

// The namespace under which framework ids are derived from the framework's title and
// level. Fixed forever: changing it would change every imported id.
inline constexpr std::string_view kFrameworkDocumentNamespace =
    "9dd74655-4b1f-4479-87b1-ede4f3540ed3";

// Parses `text`, the whole file as uploaded, into a draft framework of
// `options.kind` and `options.version`, or returns every problem found (see
// options.max_problems), in file order, each with its line and column. Never throws
// on any input; does no I/O; thread-safe.
//
// Accepted: UTF-8 with or without a byte order mark; LF, CRLF or CR line endings.
// Refused with a clear message: an empty file, a file over options.max_bytes, bytes
// that are not UTF-8 or are control characters, UTF-16, PDF, Word, JSON, CSV, HTML
// and any text that does not start with a framework title naming a grade or level.
// Refused as damaged: a competency in the tables that the list at the start lacks or
// names differently, numbering that skips, a cluster or competency with nothing under
// it, a behaviour listed twice, a row with more than two columns, a row without a tab
// (see RowWithoutTab), a line that continues the behaviour above it, and counts stated
// in the introduction ("10 competencies", "3 clusters") that the headings contradict.
//
// The result: title as written (rejoined if the export split it); description = the
// introduction; grade_levels = the grades the title names, at its level; each item has
// one LevelDescriptor for that level (labelled as the title writes it, its description
// any text between the item's heading and its table) and its indicators carry that
// level. Text is kept as written (curly or straight quotes, dashes) apart from
// trimming, joining lines broken by the export, and removing the export's <i>/<b>
// formatting tags.
//
// Ids are name-based (domain::NameBasedUuid), so parsing the same document again
// gives the same ids: the framework's from its title without the grade part and its
// level; a cluster's and an item's from the framework id and their title; an
// indicator's from its item's id, its kind and its text. Names are compared after
// folding case, whitespace, quote and dash styles, so re-exports that only change
// those keep their ids.
ImportResult<domain::Framework> ParseFrameworkDocument(std::string_view text,
                                                       const ParseOptions& options = {});

}  // namespace pathway::interchange
