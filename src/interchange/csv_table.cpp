#include "interchange/csv_table.hpp"

#include <csv.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "domain/text.hpp"
#include "interchange/csv.hpp"

namespace pathway::interchange {
namespace {

struct State {
  std::string_view text;
  std::vector<CsvTableRow> rows;
  CsvTableRow current;
  std::size_t consumed = 0;  // bytes before the current parse chunk
  int line = 1;
  bool too_many = false;
  std::size_t max_rows = 0;
};

int LineAt(std::string_view text, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
  }
  return line;
}

void OnField(void* data, std::size_t size, void* raw) {
  auto* state = static_cast<State*>(raw);
  state->current.fields.emplace_back(static_cast<const char*>(data), data == nullptr ? 0 : size);
}

void OnRow(int, void* raw) {
  auto* state = static_cast<State*>(raw);
  if (state->rows.size() > state->max_rows) {
    state->too_many = true;
  } else {
    state->rows.push_back(std::move(state->current));
  }
  state->current = {};
}

domain::Error At(int line, std::size_t column, std::string message) {
  return domain::Error::InvalidInput(fmt::format("line {}, column {}", line, column),
                                     std::move(message));
}

}  // namespace

domain::Result<std::vector<CsvTableRow>> ReadCsvTable(std::string_view text,
                                                      const std::vector<std::string>& header,
                                                      std::size_t max_rows,
                                                      std::size_t max_field) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (!domain::ValidUtf8(text)) {
    return domain::Error::InvalidInput("file", "The selected file must be saved as ‘CSV UTF-8’");
  }
  State state;
  state.text = text;
  state.max_rows = max_rows;  // the header is one more row
  csv_parser parser{};
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL);
  const std::size_t used = csv_parse(&parser, text.data(), text.size(), OnField, OnRow, &state);
  const bool broken = used < text.size() || csv_fini(&parser, OnField, OnRow, &state) != 0;
  csv_free(&parser);
  if (broken) {
    return At(LineAt(text, used), state.current.fields.size() + 1,
              "This field's double quotes are not closed or not doubled. Check the quoting");
  }
  if (state.too_many) {
    return domain::Error::InvalidInput(
        "file", fmt::format("The file has more than {} rows. Split it", max_rows));
  }
  if (state.rows.empty()) return domain::Error::InvalidInput("file", "The selected file is empty");
  // Line numbers: count rows' line breaks (fields may not hold any, so one row a line,
  // blank lines skipped by libcsv aside). Recompute by scanning for row starts.
  {
    int line = 1;
    std::size_t row = 0;
    bool at_start = true;
    for (std::size_t i = 0; i <= text.size() && row < state.rows.size(); ++i) {
      const bool end = i == text.size();
      if (at_start && !end && text[i] != '\n' && text[i] != '\r') {
        state.rows[row++].line = line;
        at_start = false;
      }
      if (!end && text[i] == '\n') {
        ++line;
        at_start = true;
      }
    }
  }
  const CsvTableRow& head = state.rows.front();
  if (head.fields.size() != header.size()) {
    return At(1, 1, fmt::format("The header must be: {}", fmt::join(header, ",")));
  }
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (!domain::EqualsIgnoringCase(domain::Trim(head.fields[c]), header[c])) {
      return At(1, c + 1, fmt::format("Column {} must be ‘{}’", c + 1, header[c]));
    }
  }
  std::vector<CsvTableRow> out;
  for (std::size_t r = 1; r < state.rows.size(); ++r) {
    CsvTableRow& row = state.rows[r];
    if (row.fields.size() == 1 && row.fields[0].empty()) continue;
    if (row.fields.size() != header.size()) {
      return At(row.line, std::min(row.fields.size(), header.size()) + 1,
                fmt::format("This row has {} fields; the header has {}", row.fields.size(),
                            header.size()));
    }
    for (std::size_t c = 0; c < row.fields.size(); ++c) {
      std::string& field = row.fields[c];
      field = std::string(RestoreCsvField(field));
      if (auto problem = domain::FindTextProblem(field, domain::LineBreaks::kRefused)) {
        return At(row.line, c + 1, domain::DescribeTextProblem(*problem, "This field"));
      }
      if (domain::CharacterCount(field) > max_field) {
        return At(row.line, c + 1,
                  fmt::format("This field must be {} characters or fewer", max_field));
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace pathway::interchange
