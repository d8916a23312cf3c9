#include "interchange/workforce_csv.hpp"

#include <csv.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "domain/text.hpp"
#include "domain/text_index.hpp"
#include "interchange/internal/utf8.hpp"

namespace pathway::interchange {

using domain::Lower;
using domain::Upper;
using internal::Shown;
using internal::Utf8SequenceLength;

std::string_view WorkforceFileKindName(WorkforceFileKind kind) {
  switch (kind) {
    case WorkforceFileKind::kOrg:
      return "org";
    case WorkforceFileKind::kRoles:
      return "roles";
    case WorkforceFileKind::kPosts:
      return "posts";
    case WorkforceFileKind::kPeople:
      return "people";
  }
  return "";
}

std::optional<WorkforceFileKind> ParseWorkforceFileKind(std::string_view name) {
  for (auto kind : {WorkforceFileKind::kOrg, WorkforceFileKind::kRoles, WorkforceFileKind::kPosts,
                    WorkforceFileKind::kPeople}) {
    if (WorkforceFileKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view WorkforceCsvHeader(WorkforceFileKind kind) {
  switch (kind) {
    case WorkforceFileKind::kOrg:
      return kOrgCsvHeader;
    case WorkforceFileKind::kRoles:
      return kRolesCsvHeader;
    case WorkforceFileKind::kPosts:
      return kPostsCsvHeader;
    case WorkforceFileKind::kPeople:
      return kPeopleCsvHeader;
  }
  return "";
}

int SourceLines::Line(std::size_t record, int column) const {
  if (record >= first_.size()) return 1;
  if (const auto found = spanning_.find(record); found != spanning_.end()) {
    if (column >= 1 && static_cast<std::size_t>(column) <= found->second.size()) {
      return found->second[static_cast<std::size_t>(column) - 1];
    }
  }
  return first_[record];
}

void SourceLines::Add(const std::vector<int>& field_lines) {
  const int first = field_lines.empty() ? 1 : field_lines.front();
  if (!field_lines.empty() && field_lines.back() != first) {
    spanning_.emplace(first_.size(), field_lines);
  }
  first_.push_back(first);
}

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// ---------------------------------------------------------------------------------
// Text helpers

template <typename Range>
std::string OneOf(const Range& names) {
  std::string out;
  std::size_t i = 0;
  const std::size_t count = std::size(names);
  for (const auto& name : names) {
    if (i > 0) out += i + 1 == count ? " or " : ", ";
    out.append(name);
    ++i;
  }
  return out;
}

std::string KnownGrades() {
  std::vector<std::string_view> names;
  for (const domain::GradeInfo& info : domain::AllGrades()) names.push_back(info.code);
  return OneOf(names);
}

std::string KnownRegions() {
  std::vector<std::string_view> names;
  for (const domain::RegionInfo& info : domain::AllRegions()) names.push_back(info.code);
  return OneOf(names);
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string SizeText(std::size_t bytes) {
  constexpr std::size_t kMegabyte = 1024 * 1024;
  if (bytes >= kMegabyte && bytes % kMegabyte == 0) {
    return std::to_string(bytes / kMegabyte) + " MB";
  }
  return std::to_string((bytes + 1023) / 1024) + " KB";
}

// A message for files that are plainly not CSV text, or nullopt.
std::optional<std::string> FileTypeMessage(std::string_view text) {
  if (StartsWith(text, "\xFF\xFE") || StartsWith(text, "\xFE\xFF")) {
    return "The selected file is saved as UTF-16. Save it as ‘CSV UTF-8’ and upload it again";
  }
  if (StartsWith(text, "PK\x03\x04") || StartsWith(text, "\xD0\xCF\x11\xE0")) {
    return "The selected file is a spreadsheet, not a CSV file. Save it as ‘CSV UTF-8’ and upload "
           "the CSV file";
  }
  return std::nullopt;
}

std::vector<std::string_view> SplitHeader(std::string_view header) {
  std::vector<std::string_view> names;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = header.find(',', start);
    names.push_back(header.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return names;
}

// Counts line feeds up to increasing offsets of a text.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}

  int LineAt(std::size_t offset) {
    offset = std::min(offset, text_.size());
    if (offset < counted_) {
      counted_ = 0;
      line_ = 1;
    }
    line_ +=
        static_cast<int>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(counted_),
                                    text_.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    counted_ = offset;
    return line_;
  }

 private:
  std::string_view text_;
  std::size_t counted_ = 0;
  int line_ = 1;
};

int NoSpace(unsigned char /*c*/) { return 0; }

// ---------------------------------------------------------------------------------
// Reading a table: libcsv delivers fields and row ends; this class checks the bytes,
// tracks lines, checks the header and hands each well-formed data row to the kind's
// reader through OnRow().

class TableReader {
 public:
  TableReader(std::string_view body, std::string_view header, const WorkforceCsvOptions& options)
      : body_(body),
        header_(header),
        names_(SplitHeader(header)),
        limits_(Limits(names_)),
        options_(options),
        problems_(options.max_problems),
        lines_(body) {
    fields_.resize(names_.size());
    field_lines_.resize(names_.size());
  }
  virtual ~TableReader() = default;
  TableReader(const TableReader&) = delete;
  TableReader& operator=(const TableReader&) = delete;

 protected:
  // Reads the whole body, calling OnRow() for every data row; false if nothing could
  // be read past the header.
  void Read() {
    Parse();
    if (!stopped_ && !header_seen_) {
      Problem(
          1, 1,
          "The selected file is empty. The first line must be the header " + std::string(header_));
    } else if (!stopped_ && data_rows_ == 0 && problem_count_ == 0) {
      Problem(line_ > 1 ? line_ - 1 : 1, 1,
              "The selected file has a header but no rows. Add a row for each record");
    }
  }

  virtual void OnRow() = 0;

  // ---- For OnRow()

  std::string_view Value(int column) const { return fields_[static_cast<std::size_t>(column) - 1]; }
  int LineOf(int column) const { return field_lines_[static_cast<std::size_t>(column) - 1]; }
  const std::vector<int>& FieldLines() const { return field_lines_; }
  std::string_view ColumnName(int column) const {
    return names_[static_cast<std::size_t>(column) - 1];
  }

  void Problem(int line, int column, std::string message) {
    ++problem_count_;
    problems_.Add(line, column, std::move(message));
    if (problems_.full() && problem_count_ > options_.max_problems) stopped_ = true;
  }
  // A problem in the current row at `column`.
  void RowProblem(int column, std::string message) {
    row_ok_ = false;
    Problem(LineOf(column), column, std::move(message));
  }
  bool row_ok() const { return row_ok_; }
  bool failed() const { return problem_count_ > 0; }
  std::vector<ImportProblem> TakeProblems() {
    if (stopped_after_limit_) problems_.MarkMore();
    return problems_.Take();
  }

  // The value, or a problem if it is empty.
  std::string_view Required(int column, std::string_view message) {
    const std::string_view value = Value(column);
    if (value.empty()) RowProblem(column, std::string(message));
    return value;
  }

  void RequireEmpty(int column, std::string_view why) {
    if (!Value(column).empty()) {
      RowProblem(column, "Leave the " + std::string(ColumnName(column)) + " column empty " +
                             std::string(why));
    }
  }

  std::optional<domain::Grade> GradeIn(int column, std::string_view missing) {
    const std::string_view text = Required(column, missing);
    if (text.empty()) return std::nullopt;
    const auto grade = domain::ParseGrade(Upper(text));
    if (!grade) {
      RowProblem(column, Shown(text) + " is not a grade. Use one of " + KnownGrades());
    }
    return grade;
  }

  std::optional<domain::Clearance> ClearanceIn(int column) {
    const std::string_view text = Value(column);
    const auto clearance = domain::ParseClearance(Upper(text));
    if (!clearance) {
      RowProblem(column, Shown(text) + " is not a clearance level. Use one of BPSS, CTC, SC or DV");
    }
    return clearance;
  }

  // A date in `column` if it holds a real one; `what` names it ("The start date").
  std::optional<std::string> DateIn(int column, std::string_view what) {
    const std::string_view text = Value(column);
    if (!domain::ValidIsoDate(text)) {
      RowProblem(column, std::string(what) + " must be a real date written as YYYY-MM-DD, like " +
                             "2024-03-31. " + Shown(text) + " is not");
      return std::nullopt;
    }
    return std::string(text);
  }

  // A whole number in `column` between `minimum` and `maximum`.
  std::optional<int> NumberIn(int column, std::string_view what, int minimum, int maximum) {
    const std::string_view text = Value(column);
    long long value = 0;
    bool digits = !text.empty() && text.size() <= 9;
    for (char c : text) {
      if (c < '0' || c > '9') digits = false;
    }
    if (digits) {
      for (char c : text) value = value * 10 + (c - '0');
    }
    if (!digits || value < minimum || value > maximum) {
      RowProblem(column, std::string(what) + " must be a whole number from " +
                             std::to_string(minimum) + " to " + std::to_string(maximum) + ". " +
                             Shown(text) + " is not");
      return std::nullopt;
    }
    return static_cast<int>(value);
  }

  // Records `key` as first used on this row's `column`; if it was used before, reports
  // it and returns false.
  bool FirstUse(domain::TextIndex& seen, std::string_view key, int column, std::string_view what) {
    const auto [at, inserted] = seen.Emplace(key, LineOf(column));
    if (!inserted) {
      RowProblem(column, std::string(what) + " " + Shown(key) + " is already used on line " +
                             std::to_string(*at) + ". Each must be used once");
    }
    return inserted;
  }

 private:
  struct ParserGuard {
    csv_parser parser{};
    ParserGuard() { Reset(); }
    ~ParserGuard() { csv_free(&parser); }
    ParserGuard(const ParserGuard&) = delete;
    ParserGuard& operator=(const ParserGuard&) = delete;
    void Reset() {
      csv_free(&parser);
      csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
      csv_set_space_func(&parser, NoSpace);
      csv_set_blk_size(&parser, 64 * 1024);
    }
  };

  static void OnField(void* data, std::size_t size, void* self) {
    static_cast<TableReader*>(self)->AddField(
        std::string_view(static_cast<const char*>(data), data == nullptr ? 0 : size));
  }
  static void OnRowEnd(int terminator, void* self) {
    static_cast<TableReader*>(self)->EndRow(terminator);
  }

  void Parse() {
    constexpr std::size_t kChunk = 1024 * 1024;
    ParserGuard guard;
    std::size_t pos = 0;
    while (pos < body_.size() && !stopped_) {
      const std::size_t length = std::min(kChunk, body_.size() - pos);
      const std::size_t used =
          csv_parse(&guard.parser, body_.data() + pos, length, OnField, OnRowEnd, this);
      if (stopped_) break;
      if (used >= length) {
        pos += length;
        if (options_.progress) options_.progress(pos);
        continue;
      }
      if (csv_error(&guard.parser) != CSV_EPARSE) {
        Problem(lines_.LineAt(pos + used), 1,
                "The selected file could not be read because a field is too large");
        stopped_ = true;
        break;
      }
      const std::size_t at = pos + used;
      QuoteProblem(at, guard.parser.quoted != 0);
      if (!header_seen_) {
        stopped_ = true;
        break;
      }
      // Start again on the next line, dropping the rest of this row.
      const std::size_t next = body_.find('\n', at);
      pos = next == std::string_view::npos ? body_.size() : next + 1;
      line_ = lines_.LineAt(pos);
      count_ = 0;
      pending_cr_ = false;
      ++data_rows_;
      guard.Reset();
    }
    if (stopped_) {
      if (problem_count_ > options_.max_problems) stopped_after_limit_ = true;
      return;
    }
    if (csv_fini(&guard.parser, OnField, OnRowEnd, this) != 0) {
      Problem(line_, static_cast<int>(count_) + 1,
              "This field starts with a double quote (\") but has no closing double quote. Add "
              "one at the end of the field");
      count_ = 0;
    }
    if (pending_cr_) LoneCarriageReturn();
    if (options_.progress) options_.progress(body_.size());
    if (problem_count_ > options_.max_problems) stopped_after_limit_ = true;
  }

  void QuoteProblem(std::size_t at, bool quoted) {
    const int column = static_cast<int>(count_) + 1;
    const int line = lines_.LineAt(at);
    if (quoted) {
      Problem(line, column,
              "This field has a double quote (\") that does not end it. Write a double quote "
              "inside a quoted field twice (\"\"), and put a comma or a line break straight after "
              "the closing double quote");
    } else {
      Problem(line, column,
              "This field has a double quote (\") in it. Put double quotes around the whole field "
              "and write each double quote inside it twice (\"\")");
    }
  }

  void AddField(std::string_view data) {
    if (stopped_) return;
    if (pending_cr_) {
      LoneCarriageReturn();
      pending_cr_ = false;
    }
    const int column = static_cast<int>(count_) + 1;
    const int line = line_;
    bool plain = true;  // printable ASCII only, the common case
    for (const char c : data) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte >= 0x7F) {
        plain = false;
        break;
      }
    }
    if (!plain) line_ += static_cast<int>(std::count(data.begin(), data.end(), '\n'));
    if (count_ == 0) {
      row_damaged_ = false;
      extra_fields_ = 0;
    }
    if (count_ >= fields_.size()) {
      if (extra_fields_ == 0) first_extra_line_ = line;
      ++extra_fields_;
      ++count_;
      return;
    }
    std::string& field = fields_[count_];
    field_lines_[count_] = line;
    ++count_;
    if (data.size() > limits_[count_ - 1] && !WithinLimit(data, line, column)) {
      row_damaged_ = true;
      field.clear();
      return;
    }
    if (plain) {
      field.assign(domain::Trim(data));
      return;
    }
    if (!CheckCharacters(data, line, column)) {
      row_damaged_ = true;
    } else if (data.find_first_of("\r\n") != std::string_view::npos) {
      // Every workforce value is one line: a name, a code, a date.
      Problem(line, column,
              "The " + std::string(names_[count_ - 1]) +
                  " must be one line. Remove the line break inside the quotes");
      row_damaged_ = true;
    }
    field.clear();
    const std::string_view trimmed = domain::Trim(data);
    for (std::size_t i = 0; i < trimmed.size(); ++i) {
      if (trimmed[i] == '\r' && i + 1 < trimmed.size() && trimmed[i + 1] == '\n') continue;
      field.push_back(trimmed[i]);
    }
    // A tab pasted into a name or title is read as a space.
    if (IsNameColumn(names_[count_ - 1])) field = domain::NameAsTyped(field);
  }

  // Whether the column holds a name or a title (`name`, `*_name`, `*_title`).
  static bool IsNameColumn(std::string_view name) {
    return name == "name" || name.ends_with("_name") || name.ends_with("_title");
  }

  // False, with the problem reported, if `data` has more characters than its column
  // allows.
  bool WithinLimit(std::string_view data, int line, int column) {
    const std::size_t limit = limits_[static_cast<std::size_t>(column) - 1];
    const std::size_t characters = domain::CharacterCount(domain::Trim(data));
    if (characters <= limit) return true;
    Problem(line, column,
            "Enter " + std::to_string(limit) + " characters or fewer in the " +
                std::string(names_[static_cast<std::size_t>(column) - 1]) +
                " column. This one has " + std::to_string(characters));
    return false;
  }

  // The longest value each column takes, by its name: names and titles
  // domain::kMaxNameLength, a requirement (an item's title, or an experience or
  // qualification statement) kMaxStatementLength, codes, ids, grades, dates and numbers
  // kMaxCodeLength.
  static std::vector<std::size_t> Limits(const std::vector<std::string_view>& names) {
    std::vector<std::size_t> limits;
    for (std::string_view name : names) {
      if (name == "requirement") {
        limits.push_back(domain::kMaxStatementLength);
      } else if (name == "name" || name.ends_with("_name") || name.ends_with("_title") ||
                 name == "career_framework" || name == "other_professions") {
        limits.push_back(domain::kMaxNameLength);
      } else {
        limits.push_back(domain::kMaxCodeLength);
      }
    }
    return limits;
  }

  // Reports the first byte of `data` that is not UTF-8 or is a control character; true
  // if there is none.
  bool CheckCharacters(std::string_view data, int line, int column) {
    auto problem = internal::CheckFieldCharacters(data, line);
    if (problem) Problem(problem->line, column, std::move(problem->message));
    return !problem;
  }

  void EndRow(int terminator) {
    if (stopped_) return;
    if (count_ == 0) {
      // A blank line, or the line feed of a CRLF.
      if (terminator == '\n') {
        pending_cr_ = false;
        ++line_;
      } else if (terminator == '\r') {
        if (pending_cr_) LoneCarriageReturn();
        pending_cr_ = true;
      }
      return;
    }
    if (pending_cr_) {
      LoneCarriageReturn();
      pending_cr_ = false;
    }
    Row();
    count_ = 0;
    if (terminator == '\n') ++line_;
    if (terminator == '\r') pending_cr_ = true;
  }

  void LoneCarriageReturn() {
    if (lone_cr_reported_) return;
    lone_cr_reported_ = true;
    Problem(line_, 1,
            "This line ends with a carriage return (CR) alone. Save the file with LF or CRLF line "
            "breaks");
  }

  void Row() {
    const std::size_t expected = fields_.size();
    // Unused fields of a short row are empty, so that problems can still name them.
    for (std::size_t i = std::min(count_, expected); i < expected; ++i) {
      fields_[i].clear();
      field_lines_[i] = field_lines_[i > 0 ? i - 1 : 0];
    }
    if (!header_seen_) {
      Header();
      return;
    }
    ++data_rows_;
    if (count_ == 1 && fields_[0].empty()) return;  // a line of spaces only
    if (count_ != expected) {
      const int column =
          count_ < expected ? static_cast<int>(count_) + 1 : static_cast<int>(expected) + 1;
      const int line = count_ < expected ? field_lines_[count_ - 1] : first_extra_line_;
      Problem(line, column,
              "This row has " + std::to_string(count_) + " fields. Every row must have " +
                  std::to_string(expected) + ": " + std::string(header_));
      return;
    }
    if (row_damaged_) return;
    row_ok_ = true;
    OnRow();
  }

  void Header() {
    header_seen_ = true;
    const std::size_t expected = fields_.size();
    for (std::size_t i = 0; i < expected; ++i) {
      if (i >= count_) {
        Problem(field_lines_[count_ - 1], static_cast<int>(i) + 1,
                "The header has no column " + std::to_string(i + 1) + " ‘" +
                    std::string(names_[i]) + "’. The first line must be " + std::string(header_));
        stopped_ = true;
        return;
      }
      if (Lower(fields_[i]) != names_[i]) {
        Problem(field_lines_[i], static_cast<int>(i) + 1,
                "Column " + std::to_string(i + 1) + " of the header must be ‘" +
                    std::string(names_[i]) + "’, not " + Shown(fields_[i]) +
                    ". The first line must be " + std::string(header_));
        stopped_ = true;
        return;
      }
    }
    if (count_ > expected) {
      Problem(first_extra_line_, static_cast<int>(expected) + 1,
              "The header has more than " + std::to_string(expected) +
                  " columns. The first line must be " + std::string(header_));
      stopped_ = true;
    }
  }

  std::string_view body_;
  std::string_view header_;
  std::vector<std::string_view> names_;
  std::vector<std::size_t> limits_;  // the longest value of each column, in characters
  const WorkforceCsvOptions& options_;
  ImportProblemList problems_;
  std::size_t problem_count_ = 0;
  LineCounter lines_;

  std::vector<std::string> fields_;
  std::vector<int> field_lines_;
  std::size_t count_ = 0;  // fields in the current row, extra ones included
  std::size_t extra_fields_ = 0;
  int first_extra_line_ = 1;
  bool row_damaged_ = false;
  bool row_ok_ = true;

  int line_ = 1;
  std::size_t data_rows_ = 0;
  bool header_seen_ = false;
  bool pending_cr_ = false;
  bool lone_cr_reported_ = false;
  bool stopped_ = false;
  bool stopped_after_limit_ = false;
};

// ---------------------------------------------------------------------------------
// The organisation file

class OrgReader : public TableReader {
 public:
  OrgReader(std::string_view body, const WorkforceCsvOptions& options)
      : TableReader(body, kOrgCsvHeader, options) {}

  ImportResult<OrgFile> Run() {
    Read();
    if (failed()) return TakeProblems();
    return std::move(file_);
  }

 private:
  using C = OrgColumn;

  void OnRow() override {
    const std::string_view type = Lower(Value(C::kType)) == "department" ? "department"
                                  : Lower(Value(C::kType)) == "unit"     ? "unit"
                                  : Lower(Value(C::kType)) == "location" ? "location"
                                                                         : "";
    if (type.empty()) {
      RowProblem(C::kType, Value(C::kType).empty()
                               ? "Enter the type of the row: department, unit or location"
                               : Shown(Value(C::kType)) +
                                     " is not a type of row. Use department, unit or location");
      return;
    }
    const std::string_view code = Required(C::kCode, "Enter the " + std::string(type) + "’s code");
    const std::string_view name = Required(C::kName, "Enter the " + std::string(type) + "’s name");
    if (type == "department") {
      RequireEmpty(C::kDepartment, "in a department row");
      RequireEmpty(C::kParentUnit, "in a department row");
      RequireEmpty(C::kRegion, "in a department row");
      if (!code.empty()) FirstUse(departments_, code, C::kCode, "The department code");
      if (!row_ok()) return;
      file_.departments.push_back({std::string(code), std::string(name)});
      file_.department_lines.Add(FieldLines());
    } else if (type == "unit") {
      const std::string_view department =
          Required(C::kDepartment, "Enter the code of the department the unit belongs to");
      RequireEmpty(C::kRegion, "in a unit row");
      const std::string_view parent = Value(C::kParentUnit);
      if (!code.empty() && parent == code) {
        RowProblem(C::kParentUnit,
                   "A unit cannot be its own parent unit. Leave parent_unit empty "
                   "or enter another unit’s code");
      }
      if (!code.empty()) FirstUse(units_, code, C::kCode, "The unit code");
      if (!row_ok()) return;
      file_.units.push_back(
          {std::string(code), std::string(name), std::string(department), std::string(parent)});
      file_.unit_lines.Add(FieldLines());
    } else {
      RequireEmpty(C::kDepartment, "in a location row");
      RequireEmpty(C::kParentUnit, "in a location row");
      const std::string_view region_text =
          Required(C::kRegion,
                   "Enter the location’s region, an ITL1 code like TLI or a name "
                   "like London");
      const domain::RegionInfo* region = nullptr;
      if (!region_text.empty()) {
        region = domain::FindRegion(region_text);
        if (region == nullptr) {
          RowProblem(C::kRegion, Shown(region_text) + " is not a region. Use an ITL1 code (" +
                                     KnownRegions() + ") or the region’s name");
        }
      }
      if (!code.empty()) FirstUse(locations_, code, C::kCode, "The location code");
      if (!row_ok() || region == nullptr) return;
      file_.locations.push_back({std::string(code), std::string(name), std::string(region->code)});
      file_.location_lines.Add(FieldLines());
    }
  }

  OrgFile file_;
  domain::TextIndex departments_;
  domain::TextIndex units_;
  domain::TextIndex locations_;
};

// ---------------------------------------------------------------------------------
// The roles file

class RolesReader : public TableReader {
 public:
  RolesReader(std::string_view body, const WorkforceCsvOptions& options)
      : TableReader(body, kRolesCsvHeader, options) {}

  ImportResult<RolesFile> Run() {
    Read();
    if (failed()) return TakeProblems();
    return std::move(file_);
  }

 private:
  using C = RolesColumn;

  // Where a profession, job family, role or role level was first described.
  struct Seen {
    std::size_t index = 0;
    int line = 0;
  };

  // On a later row for the same record, a non-empty `column` must say what the first did.
  void Agree(int column, std::string_view first_value, int first_line, std::string_view what) {
    const std::string_view value = Value(column);
    if (!value.empty() && value != first_value) {
      RowProblem(column, "This row gives " + std::string(what) + " a different " +
                             std::string(ColumnName(column)) + " from line " +
                             std::to_string(first_line) + " (" + Shown(first_value) +
                             "). Use the same value on every row, or leave it empty");
    }
  }

  void OnRow() override {
    file_.rows++;
    const std::string_view profession = Required(C::kProfession, "Enter the profession’s code");
    const std::string_view family = Value(C::kJobFamily);
    const std::string_view role = Value(C::kRole);
    const std::string_view level = Value(C::kRoleLevel);
    const std::string_view type = Value(C::kRequirementType);
    if (!role.empty() && family.empty()) {
      RowProblem(C::kJobFamily,
                 "Enter the code of the job family that role " + Shown(role) + " belongs to");
    }
    if (!level.empty() && role.empty()) {
      RowProblem(C::kRole,
                 "Enter the code of the role that role level " + Shown(level) + " belongs to");
    }
    if (!type.empty() && level.empty()) {
      RowProblem(C::kRoleLevel, "Enter the code of the role level that needs this requirement");
    }
    if (!row_ok() || profession.empty()) return;

    // Profession.
    if (const auto found = professions_.find(std::string(profession));
        found != professions_.end()) {
      const auto& p = file_.professions[found->second.index];
      const std::string what = "profession " + Shown(profession);
      Agree(C::kProfessionName, p.name, found->second.line, what);
      Agree(C::kCareerFramework, p.career_framework_id, found->second.line, what);
    } else {
      const std::string_view name =
          Required(C::kProfessionName, "Enter the name of profession " + Shown(profession));
      if (!row_ok()) return;
      domain::Profession p;
      p.code = profession;
      p.name = name;
      p.career_framework_id = Value(C::kCareerFramework);
      professions_.emplace(p.code, Seen{file_.professions.size(), LineOf(C::kProfession)});
      file_.professions.push_back(std::move(p));
      file_.profession_lines.Add(FieldLines());
    }
    if (family.empty()) {
      RequireEmpty(C::kJobFamilyName, "when the job_family column is empty");
      return;
    }

    // Job family.
    if (const auto found = families_.find(std::string(family)); found != families_.end()) {
      const auto& f = file_.job_families[found->second.index];
      const std::string what = "job family " + Shown(family);
      Agree(C::kJobFamilyName, f.name, found->second.line, what);
      Agree(C::kProfession, f.profession, found->second.line, what);
    } else {
      const std::string_view name =
          Required(C::kJobFamilyName, "Enter the name of job family " + Shown(family));
      if (!row_ok()) return;
      families_.emplace(std::string(family),
                        Seen{file_.job_families.size(), LineOf(C::kJobFamily)});
      file_.job_families.push_back(
          {std::string(family), std::string(name), std::string(profession)});
      file_.job_family_lines.Add(FieldLines());
    }
    if (role.empty()) {
      RequireEmpty(C::kRoleName, "when the role column is empty");
      return;
    }

    // Role.
    if (const auto found = roles_.find(std::string(role)); found != roles_.end()) {
      const auto& r = file_.career_roles[found->second.index];
      const std::string what = "role " + Shown(role);
      Agree(C::kRoleName, r.name, found->second.line, what);
      Agree(C::kJobFamily, r.job_family, found->second.line, what);
    } else {
      const std::string_view name = Required(C::kRoleName, "Enter the name of role " + Shown(role));
      if (!row_ok()) return;
      roles_.emplace(std::string(role), Seen{file_.career_roles.size(), LineOf(C::kRole)});
      file_.career_roles.push_back({std::string(role), std::string(name), "", std::string(family)});
      file_.career_role_lines.Add(FieldLines());
    }
    if (level.empty()) {
      for (int column : {C::kRoleLevelTitle, C::kPosition, C::kGradeMin, C::kGradeMax}) {
        RequireEmpty(column, "when the role_level column is empty");
      }
      return;
    }

    // Role level.
    std::size_t level_index = 0;
    if (const auto found = levels_.find(std::string(level)); found != levels_.end()) {
      level_index = found->second.index;
      const auto& l = file_.role_levels[level_index];
      const std::string what = "role level " + Shown(level);
      const int line = found->second.line;
      Agree(C::kRoleLevelTitle, l.title, line, what);
      Agree(C::kRole, l.role, line, what);
      Agree(C::kPosition, std::to_string(l.position), line, what);
      if (!Value(C::kGradeMin).empty() &&
          Upper(Value(C::kGradeMin)) != domain::GradeCode(l.grade_min)) {
        Agree(C::kGradeMin, domain::GradeCode(l.grade_min), line, what);
      }
      if (!Value(C::kGradeMax).empty() &&
          Upper(Value(C::kGradeMax)) != domain::GradeCode(l.grade_max)) {
        Agree(C::kGradeMax, domain::GradeCode(l.grade_max), line, what);
      }
    } else {
      const std::string_view title =
          Required(C::kRoleLevelTitle, "Enter the title of role level " + Shown(level));
      std::optional<int> position;
      if (Value(C::kPosition).empty()) {
        RowProblem(C::kPosition, "Enter the position of role level " + Shown(level) +
                                     " in its role, 1 for the entry level");
      } else {
        position = NumberIn(C::kPosition, "The position", 1, 99);
      }
      const auto grade_min = GradeIn(C::kGradeMin, "Enter the lowest grade of the role level");
      const auto grade_max = GradeIn(C::kGradeMax, "Enter the highest grade of the role level");
      if (grade_min && grade_max && *grade_min > *grade_max) {
        RowProblem(C::kGradeMax, "The highest grade must be the same as or above the lowest grade");
      }
      if (position) {
        const std::string key = std::string(role) + '\n' + std::to_string(*position);
        if (const auto [at, added] = positions_.emplace(key, LineOf(C::kPosition)); !added) {
          RowProblem(C::kPosition, "Role " + Shown(role) + " already has a level at position " +
                                       std::to_string(*position) + " (line " +
                                       std::to_string(at->second) + ")");
        }
      }
      if (!row_ok()) return;
      domain::RoleLevel l;
      l.code = level;
      l.title = title;
      l.role = role;
      l.position = *position;
      l.grade_min = *grade_min;
      l.grade_max = *grade_max;
      level_index = file_.role_levels.size();
      levels_.emplace(l.code, Seen{level_index, LineOf(C::kRoleLevel)});
      file_.role_levels.push_back(std::move(l));
      file_.role_level_lines.Add(FieldLines());
    }

    // Requirement.
    const std::string kind = Lower(type);
    if (kind.empty()) {
      for (int column : {C::kRequirement, C::kLevel, C::kWeight}) {
        RequireEmpty(column, "when the requirement_type column is empty");
      }
      return;
    }
    const bool skill = kind == "skill";
    const bool behaviour = kind == "behaviour";
    const bool statement = kind == "experience" || kind == "qualification";
    if (!skill && !behaviour && !statement) {
      RowProblem(C::kRequirementType,
                 Shown(type) +
                     " is not a type of requirement. Use skill, behaviour, experience or "
                     "qualification");
      return;
    }
    const std::string_view requirement = Required(
        C::kRequirement, statement ? "Enter the " + kind + " the role level needs"
                                   : "Enter the " + kind + ": a framework item’s id or its title");
    if (statement) {
      RequireEmpty(C::kLevel, "for " + kind);
      RequireEmpty(C::kWeight, "for " + kind);
      if (!row_ok()) return;
      auto& l = file_.role_levels[level_index];
      (kind == "experience" ? l.experience : l.qualifications).emplace_back(requirement);
      return;
    }
    std::optional<int> required_level;
    if (Value(C::kLevel).empty()) {
      RowProblem(C::kLevel, skill ? "Enter the skill level, from 1 (Awareness) to 4 (Expert)"
                                  : "Enter the behaviour’s level, from 1 to 9");
    } else {
      required_level = skill ? NumberIn(C::kLevel, "The skill level", 1, 4)
                             : NumberIn(C::kLevel, "The behaviour level", 1, 9);
    }
    std::optional<int> weight = 1;
    if (!Value(C::kWeight).empty()) weight = NumberIn(C::kWeight, "The weight", 1, 10);
    if (!requirement.empty()) {
      const std::string key = std::to_string(level_index) + '\n' + Lower(requirement);
      if (const auto [at, added] = requirement_lines_.emplace(key, LineOf(C::kRequirement));
          !added) {
        RowProblem(C::kRequirement, "Role level " + Shown(level) + " already needs " +
                                        Shown(requirement) + " (line " +
                                        std::to_string(at->second) + ")");
      }
    }
    if (!row_ok()) return;
    file_.requirements.push_back({level_index, skill, std::string(requirement), *required_level,
                                  *weight, LineOf(C::kRequirement)});
  }

  RolesFile file_;
  std::unordered_map<std::string, Seen> professions_;
  std::unordered_map<std::string, Seen> families_;
  std::unordered_map<std::string, Seen> roles_;
  std::unordered_map<std::string, Seen> levels_;
  std::unordered_map<std::string, int> positions_;
  std::unordered_map<std::string, int> requirement_lines_;
};

// ---------------------------------------------------------------------------------
// The posts file

std::optional<bool> ParseYesNo(std::string_view text) {
  const std::string lower = Lower(text);
  if (lower.empty() || lower == "no" || lower == "false" || lower == "0" || lower == "n") {
    return false;
  }
  if (lower == "yes" || lower == "true" || lower == "1" || lower == "y") return true;
  return std::nullopt;
}

class PostsReader : public TableReader {
 public:
  PostsReader(std::string_view body, const WorkforceCsvOptions& options)
      : TableReader(body, kPostsCsvHeader, options) {}

  ImportResult<PostsFile> Run() {
    Read();
    if (failed()) return TakeProblems();
    return std::move(file_);
  }

 private:
  using C = PostsColumn;

  void OnRow() override {
    const std::string_view id = Required(C::kExternalId, "Enter the post’s id");
    const std::string_view level = Required(C::kRoleLevel, "Enter the post’s role level code");
    const std::string_view unit = Required(C::kUnit, "Enter the code of the post’s unit");
    const std::string_view location =
        Required(C::kLocation, "Enter the code of the post’s location");
    const auto grade = GradeIn(C::kGrade, "Enter the post’s grade");
    std::optional<domain::Clearance> clearance = domain::Clearance::kBPSS;
    if (!Value(C::kClearance).empty()) clearance = ClearanceIn(C::kClearance);
    const auto critical = ParseYesNo(Value(C::kCritical));
    if (!critical) {
      RowProblem(C::kCritical, "Critical must be yes or no (or empty for no). " +
                                   Shown(Value(C::kCritical)) + " is not");
    }
    if (!id.empty()) FirstUse(ids_, id, C::kExternalId, "The post id");
    if (!row_ok()) return;
    file_.posts.push_back({std::string(id), std::string(level), std::string(unit),
                           std::string(location), *grade, *clearance, *critical});
    file_.lines.Add(FieldLines());
  }

  PostsFile file_;
  domain::TextIndex ids_;
};

// ---------------------------------------------------------------------------------
// The people file

class PeopleReader : public TableReader {
 public:
  PeopleReader(std::string_view body, const WorkforceCsvOptions& options)
      : TableReader(body, kPeopleCsvHeader, options) {
    // About 120 bytes a row.
    file_.people.reserve(body.size() / 100);
  }

  ImportResult<PeopleFile> Run() {
    Read();
    if (failed()) return TakeProblems();
    return std::move(file_);
  }

 private:
  using C = PeopleColumn;

  void OnRow() override {
    domain::Person person;
    const std::string_view id = Required(C::kExternalId, "Enter the person’s id");
    person.name = Required(C::kName, "Enter the person’s name");
    const auto grade = GradeIn(C::kGrade, "Enter the person’s grade");
    person.department = Required(C::kDepartment, "Enter the code of the person’s department");
    person.location = Required(C::kLocation, "Enter the code of the person’s location");
    person.profession = Required(C::kProfession, "Enter the code of the person’s profession");
    const std::string_view others = Value(C::kOtherProfessions);
    std::size_t start = 0;
    while (start <= others.size() && !others.empty()) {
      const std::size_t semi = std::min(others.find(';', start), others.size());
      const std::string_view code = domain::Trim(others.substr(start, semi - start));
      if (!code.empty()) {
        if (code == person.profession ||
            std::find(person.other_professions.begin(), person.other_professions.end(), code) !=
                person.other_professions.end()) {
          RowProblem(C::kOtherProfessions,
                     "Profession " + Shown(code) + " is named twice. Name each profession once");
        } else {
          person.other_professions.emplace_back(code);
        }
      }
      start = semi + 1;
    }
    person.post = Value(C::kPost);
    person.line_manager = Value(C::kLineManager);
    if (!id.empty() && person.line_manager == id) {
      RowProblem(C::kLineManager,
                 "A person cannot be their own line manager. Enter their line manager’s id, or "
                 "leave it empty");
    }
    if (Value(C::kClearanceLevel).empty()) {
      for (int column : {C::kClearanceStatus, C::kClearanceGranted, C::kClearanceReviewDue}) {
        RequireEmpty(column, "when the person has no clearance_level");
      }
    } else {
      domain::PersonClearance clearance;
      const auto level = ClearanceIn(C::kClearanceLevel);
      const std::string_view status_text =
          Required(C::kClearanceStatus,
                   "Enter the status of the clearance: active, pending, expired or withdrawn");
      const auto status = domain::ParseClearanceStatus(Lower(status_text));
      if (!status_text.empty() && !status) {
        RowProblem(C::kClearanceStatus,
                   Shown(status_text) +
                       " is not a clearance status. Use active, pending, expired or withdrawn");
      }
      std::optional<std::string> granted;
      if (Value(C::kClearanceGranted).empty()) {
        if (status != domain::ClearanceStatus::kPending) {
          RowProblem(C::kClearanceGranted, "Enter the date the clearance was granted");
        }
        granted = "";
      } else {
        granted = DateIn(C::kClearanceGranted, "The date the clearance was granted");
      }
      std::optional<std::string> review = "";
      if (!Value(C::kClearanceReviewDue).empty()) {
        review = DateIn(C::kClearanceReviewDue, "The clearance review date");
      }
      if (granted && review && !granted->empty() && !review->empty() && *review <= *granted) {
        RowProblem(C::kClearanceReviewDue,
                   "The clearance review date must be after the date it was granted");
      }
      if (level && status && granted && review) {
        clearance.level = *level;
        clearance.status = *status;
        clearance.granted = std::move(*granted);
        clearance.review_due = std::move(*review);
        person.clearance = std::move(clearance);
      }
    }
    if (Value(C::kStartDate).empty()) {
      RowProblem(C::kStartDate, "Enter the date the person started, as YYYY-MM-DD");
    } else if (auto date = DateIn(C::kStartDate, "The start date")) {
      person.start_date = std::move(*date);
    }
    if (!id.empty()) FirstUse(ids_, id, C::kExternalId, "The person id");
    if (!person.post.empty()) {
      const auto [at, added] = post_holders_.Emplace(person.post, LineOf(C::kPost));
      if (!added) {
        RowProblem(C::kPost, "Post " + Shown(person.post) +
                                 " is already held by the person on "
                                 "line " +
                                 std::to_string(*at) + ". A post has one holder");
      }
    }
    if (!row_ok()) return;
    person.external_id = id;
    person.grade = *grade;
    file_.people.push_back(std::move(person));
    file_.lines.Add(FieldLines());
  }

  PeopleFile file_;
  domain::TextIndex ids_;
  domain::TextIndex post_holders_;
};

// The checks every file gets before its rows are read.
std::optional<std::vector<ImportProblem>> RefuseUnread(std::string_view& text) {
  if (text.size() > kWorkforceCsvMaxBytes) {
    return std::vector<ImportProblem>{
        {1, 1, "The selected file must be smaller than " + SizeText(kWorkforceCsvMaxBytes)}};
  }
  if (auto message = FileTypeMessage(text)) return std::vector<ImportProblem>{{1, 1, *message}};
  if (StartsWith(text, kBom)) text.remove_prefix(kBom.size());
  return std::nullopt;
}

}  // namespace

ImportResult<OrgFile> ParseOrgCsv(std::string_view text, const WorkforceCsvOptions& options) {
  if (auto refused = RefuseUnread(text)) return std::move(*refused);
  return OrgReader(text, options).Run();
}

ImportResult<RolesFile> ParseRolesCsv(std::string_view text, const WorkforceCsvOptions& options) {
  if (auto refused = RefuseUnread(text)) return std::move(*refused);
  return RolesReader(text, options).Run();
}

ImportResult<PostsFile> ParsePostsCsv(std::string_view text, const WorkforceCsvOptions& options) {
  if (auto refused = RefuseUnread(text)) return std::move(*refused);
  return PostsReader(text, options).Run();
}

ImportResult<PeopleFile> ParsePeopleCsv(std::string_view text, const WorkforceCsvOptions& options) {
  if (auto refused = RefuseUnread(text)) return std::move(*refused);
  return PeopleReader(text, options).Run();
}

}  // namespace pathway::interchange
