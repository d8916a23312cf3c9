#include "interchange/indicator_additions.hpp"

#include <csv.h>

#include <memory>
#include <tuple>

#include <fmt/format.h>

#include "domain/text.hpp"

namespace pathway::interchange {
namespace {

struct Reader {
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_lines;
  std::vector<std::string> current;
  int line = 1;       // line on which the current row started
  int next_line = 1;  // line after the bytes consumed so far
};

void OnField(void* data, std::size_t size, void* context) {
  auto* reader = static_cast<Reader*>(context);
  reader->current.emplace_back(static_cast<const char*>(data), size);
}

void OnRow(int, void* context) {
  auto* reader = static_cast<Reader*>(context);
  reader->rows.push_back(std::move(reader->current));
  reader->row_lines.push_back(reader->line);
  reader->current.clear();
}

std::vector<std::string> SplitTags(const std::string& text) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto semi = text.find(';', start);
    const auto end = semi == std::string::npos ? text.size() : semi;
    if (end > start) tags.push_back(text.substr(start, end - start));
    if (semi == std::string::npos) break;
    start = semi + 1;
  }
  return tags;
}

}  // namespace

ImportResult<std::vector<IndicatorAddition>> ParseIndicatorAdditions(std::string_view text) {
  ImportProblemList problems;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  Reader reader;
  csv_parser parser;
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
  // Feed line by line so each row knows the line it started on.
  std::size_t pos = 0;
  bool failed = false;
  while (pos < text.size() && !failed) {
    const auto newline = text.find('\n', pos);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    if (reader.current.empty()) reader.line = reader.next_line;
    if (csv_parse(&parser, text.data() + pos, end - pos, OnField, OnRow, &reader) != end - pos) {
      problems.Add(reader.next_line, 1,
                   fmt::format("The CSV is malformed here: {}", csv_strerror(csv_error(&parser))));
      failed = true;
    }
    ++reader.next_line;
    pos = end;
  }
  if (!failed && csv_fini(&parser, OnField, OnRow, &reader) != 0) {
    problems.Add(reader.line, 1, "The file ends inside a quoted field");
  }
  csv_free(&parser);
  if (!problems.empty()) return problems.Take();
  if (reader.rows.empty() ||
      reader.rows.front() != std::vector<std::string>{"competency", "polarity", "text", "tags"}) {
    return std::vector<ImportProblem>{
        {1, 1, "The first line must be competency,polarity,text,tags"}};
  }
  std::vector<IndicatorAddition> additions;
  for (std::size_t i = 1; i < reader.rows.size(); ++i) {
    const auto& row = reader.rows[i];
    const int line = reader.row_lines[i];
    if (row.size() != 4) {
      problems.Add(line, 1, fmt::format("Expected 4 fields, found {}", row.size()));
      continue;
    }
    // Each field text, one line but the indicator's, within its limit (domain/text.hpp).
    bool fields_ok = true;
    for (const auto& [column, most, line_breaks] :
         {std::tuple{0, domain::kMaxNameLength, domain::LineBreaks::kRefused},
          std::tuple{1, domain::kMaxCodeLength, domain::LineBreaks::kRefused},
          std::tuple{2, domain::kMaxStatementLength, domain::LineBreaks::kAllowed},
          std::tuple{3, domain::kMaxTags * (domain::kMaxTagLength + 1),
                     domain::LineBreaks::kRefused}}) {
      const std::string& value = row[static_cast<std::size_t>(column)];
      if (const auto problem = domain::FindTextProblem(value, line_breaks)) {
        problems.Add(line, column + 1, domain::DescribeTextProblem(*problem, "This field"));
        fields_ok = false;
      } else if (const std::size_t characters = domain::CharacterCount(value); characters > most) {
        problems.Add(line, column + 1,
                     fmt::format("Enter {} characters or fewer in this field. This one has {}",
                                 most, characters));
        fields_ok = false;
      }
    }
    if (!fields_ok) continue;
    IndicatorAddition addition;
    addition.item_title = row[0];
    if (row[0].empty()) problems.Add(line, 1, "Enter the competency's title");
    if (row[1] == "effective") {
      addition.polarity = domain::IndicatorKind::kEffective;
    } else if (row[1] == "ineffective") {
      addition.polarity = domain::IndicatorKind::kIneffective;
    } else {
      problems.Add(line, 2, "Polarity must be effective or ineffective");
    }
    addition.text = row[2];
    if (row[2].empty()) problems.Add(line, 3, "Enter the indicator's text");
    addition.tags = SplitTags(row[3]);
    additions.push_back(std::move(addition));
  }
  if (!problems.empty()) return problems.Take();
  return additions;
}

ImportResult<domain::Framework> ApplyIndicatorAdditions(
    domain::Framework framework, const std::vector<IndicatorAddition>& additions) {
  std::vector<ImportProblem> problems;
  int row = 1;
  for (const auto& addition : additions) {
    ++row;
    domain::Item* target = nullptr;
    for (auto& cluster : framework.clusters) {
      for (auto& item : cluster.items) {
        if (item.title == addition.item_title) target = &item;
      }
    }
    if (target == nullptr) {
      problems.push_back(
          {row, 1, fmt::format("There is no competency called '{}'", addition.item_title)});
      continue;
    }
    int order = 0;
    for (const auto& indicator : target->indicators) {
      if (indicator.kind == addition.polarity) order = std::max(order, indicator.order);
      if (indicator.kind == addition.polarity && indicator.text == addition.text) {
        problems.push_back({row, 3, "The competency already has this indicator"});
      }
    }
    domain::Indicator indicator;
    indicator.id = domain::NameBasedUuid(
        framework.id, fmt::format("addition:{}:{}:{}", target->id,
                                  domain::IndicatorKindName(addition.polarity), addition.text));
    indicator.kind = addition.polarity;
    indicator.text = addition.text;
    indicator.tags = addition.tags;
    indicator.order = order + 1;
    target->indicators.push_back(std::move(indicator));
  }
  if (!problems.empty()) return problems;
  return framework;
}

}  // namespace pathway::interchange
