// CSV as Pathway writes it: RFC 4180 fields, made safe to open in a spreadsheet (OWASP
// CSV injection; ASVS 5.0 1.2.10). Every CSV Pathway writes goes through CsvWriter: the
// framework CSV export, and every list downloaded from the pages and the API.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace pathway::interchange {

// Whether a spreadsheet could run `value` as a formula, or whether it is the written form
// of one that could: it starts, after any number of apostrophes, with =, +, -, @, tab,
// carriage return or NUL.
bool NeedsNeutralising(std::string_view value);

// One field as CsvWriter writes it. A value that NeedsNeutralising gets one apostrophe in
// front (a spreadsheet shows the rest as text) and is quoted; any other value is quoted
// only when it holds a comma, a double quote, a carriage return or a line feed. Double
// quotes inside a quoted field are written twice.
std::string CsvField(std::string_view value);

// A field's value as read back from a file: one leading apostrophe is removed when what
// follows it NeedsNeutralising, which undoes CsvField exactly (a value that itself starts
// with an apostrophe and a formula character was written with one more). Any other value
// is returned as it is. A view into `field`.
std::string_view RestoreCsvField(std::string_view field);

enum class CsvLineEnd { kCrLf, kLf };

// Builds a CSV text row by row. Not thread-safe.
class CsvWriter {
 public:
  explicit CsvWriter(CsvLineEnd line_end = CsvLineEnd::kCrLf) : line_end_(line_end) {}

  // Appends one row of fields, each written by CsvField, and the line end.
  CsvWriter& Row(std::initializer_list<std::string_view> fields);
  CsvWriter& Row(const std::vector<std::string>& fields);

  const std::string& text() const& { return text_; }
  std::string text() && { return std::move(text_); }

 private:
  void Field(std::size_t index, std::string_view value);
  void EndRow();

  CsvLineEnd line_end_;
  std::string text_;
};

}  // namespace pathway::interchange
