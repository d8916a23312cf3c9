// A small CSV table reader for files with one fixed header: every row as text fields
// with its line number, or the first problem with its line and column. For the
// learning-resource catalogue (and other simple lists); the workforce and framework
// files have their own readers with richer reports.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"

namespace pathway::interchange {

struct CsvTableRow {
  int line = 0;  // 1-based line of the row's first field
  std::vector<std::string> fields;
};

// Parses `text` (UTF-8, optional BOM, CRLF or LF): the first row must equal `header`
// (names compared ignoring case and surrounding spaces); every other row must have that
// many fields and be text (line breaks refused), each field at most `max_field`
// characters; at most `max_rows` data rows. Cells written by our CSV writer with a
// neutralising quote are restored. kInvalidInput naming "line L, column C" otherwise.
domain::Result<std::vector<CsvTableRow>> ReadCsvTable(std::string_view text,
                                                      const std::vector<std::string>& header,
                                                      std::size_t max_rows,
                                                      std::size_t max_field);

}  // namespace pathway::interchange
