// The framework CSV format (docs/formats/framework-csv.md): one file holds one version of one
// framework — its clusters, items, level descriptors, indicators, grade-to-level map and rating
// scale — one object per row. `pathway import framework --format csv` reads it and `pathway export
// framework --format csv` writes it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/framework.hpp"
#include "interchange/import_problem.hpp"

namespace pathway::interchange {

// The first line of every framework CSV file, without its line break.
inline constexpr std::string_view kFrameworkCsvHeader =
    "type,id,parent,order,level,title,text,polarity,tags";

// Files larger than this are refused unread.
inline constexpr std::size_t kFrameworkCsvMaxBytes = 20 * 1024 * 1024;

// Parses `text`, the whole file as uploaded, into a framework, or returns every problem found (at
// most kMaxImportProblems, then one saying there are more) in file order. A problem's line is the
// physical line an editor shows, counting line breaks inside quoted fields, of the field at fault
// (for a character that is not UTF-8, of that character); its column is the 1-based field number.
// Never throws on any input (short of running out of memory); does no I/O; thread-safe.
//
// Accepted: RFC 4180 CSV in UTF-8 with or without a byte order mark, LF or CRLF line endings, blank
// lines between rows. A line break inside a quoted field is read as LF whether the file writes it
// as LF or CRLF; every other character is kept as written, spaces included.
//
// Refused, each problem at its place: a file over kFrameworkCsvMaxBytes, an empty file, UTF-16 or a
// spreadsheet, bytes that are not UTF-8, control characters, a carriage return not followed by a
// line feed, malformed quoting, a header other than kFrameworkCsvHeader (nothing after it is read),
// rows without exactly 9 fields, an unknown type, a value in a column that must be empty for the
// row's type, ids that are not UUIDs (domain::ValidUuid) or are used twice, a parent that is not
// the id of an earlier row of the right type, numbers that are not plain digits or do not fit an
// int, numbers out of range, an unknown kind, status, polarity or grade, a level an item describes
// twice, a cluster position or an indicator position (per item and polarity) used twice, a grade or
// scale value given twice, a scale point without a label, empty tags, a framework row missing,
// repeated or not first, and every problem domain::ValidateFramework finds in the rows that had
// none of these.
//
// The result: clusters in order of their `order` column; items, levels, indicators and scale points
// in file order; tags split at `;` with spaces around each removed; a cluster's text split at its
// first line break into subtitle and description.
ImportResult<domain::Framework> ParseFrameworkCsv(std::string_view text);

// The framework as framework CSV: the header, the framework row, grade rows in grade order, scale
// rows, then each cluster in turn followed by its items, each item followed by its level rows and
// then its indicator rows, all in the order of the framework's vectors. Fields are quoted only if
// they contain a comma, a double quote or a line break; lines end with LF; an indicator for every
// level (level 0) has an empty level column. The same framework always gives the same bytes.
//
// Any framework can be written. Parsing the output gives an equal framework when the framework
// passes domain::ValidateFramework and the format's rules hold: clusters' orders 1 or more,
// distinct and ascending; no negative numbers; indicator positions (per item and polarity) and
// scale values distinct; scale labels not blank; subtitles of one line; text in UTF-8 with no
// control character but tab and LF; and no tag empty, holding a `;` or starting or ending with a
// space. Thread-safe.
std::string WriteFrameworkCsv(const domain::Framework& framework);

}  // namespace pathway::interchange
