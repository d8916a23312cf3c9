#include "interchange/csv.hpp"

#include <utility>

namespace pathway::interchange {
namespace {

bool StartsFormula(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\0';
}

}  // namespace

bool NeedsNeutralising(std::string_view value) {
  const std::size_t first = value.find_first_not_of('\'');
  return first != std::string_view::npos && StartsFormula(value[first]);
}

std::string CsvField(std::string_view value) {
  const bool neutralise = NeedsNeutralising(value);
  if (!neutralise && value.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(value);
  }
  std::string out = neutralise ? "\"'" : "\"";
  out.reserve(value.size() + 4);
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string_view RestoreCsvField(std::string_view field) {
  if (field.size() >= 2 && field.front() == '\'' && NeedsNeutralising(field.substr(1))) {
    field.remove_prefix(1);
  }
  return field;
}

CsvWriter& CsvWriter::Row(std::initializer_list<std::string_view> fields) {
  std::size_t i = 0;
  for (std::string_view value : fields) Field(i++, value);
  EndRow();
  return *this;
}

CsvWriter& CsvWriter::Row(const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) Field(i, fields[i]);
  EndRow();
  return *this;
}

void CsvWriter::Field(std::size_t index, std::string_view value) {
  if (index > 0) text_.push_back(',');
  text_ += CsvField(value);
}

void CsvWriter::EndRow() { text_ += line_end_ == CsvLineEnd::kCrLf ? "\r\n" : "\n"; }

}  // namespace pathway::interchange
