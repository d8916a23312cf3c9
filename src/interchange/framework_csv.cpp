#include "interchange/framework_csv.hpp"
#include "domain/text.hpp"
#include "interchange/csv.hpp"
#include "interchange/internal/utf8.hpp"

#include <csv.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pathway::interchange {
namespace {

using domain::Cluster;
using domain::Framework;
using domain::Grade;
using domain::Indicator;
using domain::IndicatorKind;
using domain::Item;
using domain::LevelDescriptor;
using domain::ScalePoint;

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kColumnCount = 9;
constexpr std::string_view kExampleUuid = "3f2b8c1e-5a4d-4e6f-9b2a-7c8d9e0f1a2b";

// 1-based column numbers, as problems report them.
enum Column : int {
  kType = 1,
  kId = 2,
  kParent = 3,
  kOrder = 4,
  kLevel = 5,
  kTitle = 6,
  kText = 7,
  kPolarity = 8,
  kTags = 9,
};

constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "type", "id", "parent", "order", "level", "title", "text", "polarity", "tags"};

std::string_view ColumnName(int column) { return kColumnNames[column - 1]; }

enum class RowType { kFramework, kGrade, kScale, kCluster, kItem, kLevel, kIndicator };

constexpr std::array<std::pair<std::string_view, RowType>, 7> kRowTypes = {{
    {"framework", RowType::kFramework},
    {"grade", RowType::kGrade},
    {"scale", RowType::kScale},
    {"cluster", RowType::kCluster},
    {"item", RowType::kItem},
    {"level", RowType::kLevel},
    {"indicator", RowType::kIndicator},
}};

std::optional<RowType> ParseRowType(std::string_view name) {
  for (const auto& [type_name, type] : kRowTypes) {
    if (type_name == name) return type;
  }
  return std::nullopt;
}

// How a message names a row of this type.
std::string_view RowNoun(RowType type) {
  switch (type) {
    case RowType::kFramework:
      return "framework";
    case RowType::kGrade:
      return "grade";
    case RowType::kScale:
      return "scale point";
    case RowType::kCluster:
      return "cluster";
    case RowType::kItem:
      return "item";
    case RowType::kLevel:
      return "level";
    case RowType::kIndicator:
      return "indicator";
  }
  return "row";
}

bool HasIdColumn(RowType type) {
  return type == RowType::kFramework || type == RowType::kCluster || type == RowType::kItem ||
         type == RowType::kIndicator;
}

// ---------------------------------------------------------------------------------
// Text helpers

using internal::Shown;
using internal::Utf8SequenceLength;

// "a", "a or b", "a, b or c".
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

std::string KnownTypes() {
  std::vector<std::string_view> names;
  for (const auto& [name, type] : kRowTypes) names.push_back(name);
  return OneOf(names);
}

std::string KnownKinds() {
  std::vector<std::string_view> names;
  for (auto kind : {domain::FrameworkKind::kCompetency, domain::FrameworkKind::kBehaviours,
                    domain::FrameworkKind::kStrengths, domain::FrameworkKind::kCareer,
                    domain::FrameworkKind::kTechnical}) {
    names.push_back(domain::FrameworkKindName(kind));
  }
  return OneOf(names);
}

std::string KnownStatuses() {
  std::vector<std::string_view> names;
  for (auto status : {domain::FrameworkStatus::kDraft, domain::FrameworkStatus::kPublished,
                      domain::FrameworkStatus::kRetired}) {
    names.push_back(domain::FrameworkStatusName(status));
  }
  return OneOf(names);
}

std::string KnownGrades() {
  std::vector<std::string_view> names;
  for (const domain::GradeInfo& info : domain::AllGrades()) names.push_back(info.code);
  return OneOf(names);
}

std::optional<IndicatorKind> ParseIndicatorKind(std::string_view name) {
  for (auto kind : {IndicatorKind::kEffective, IndicatorKind::kIneffective}) {
    if (domain::IndicatorKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string SizeText(std::size_t bytes) {
  constexpr std::size_t kMegabyte = 1024 * 1024;
  if (bytes >= kMegabyte && bytes % kMegabyte == 0) {
    return std::to_string(bytes / kMegabyte) + " MB";
  }
  return std::to_string((bytes + 1023) / 1024) + " KB";
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
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

// ---------------------------------------------------------------------------------
// Reading

// One field as libcsv delivered it, and the line it starts on.
struct Field {
  std::string value;
  int line = 1;
  bool damaged = false;  // has bytes that are not UTF-8 or control characters (reported)
};

// The line of each of a row's fields, so that a problem found later, such as one
// domain::ValidateFramework finds in the finished framework, can be placed.
struct Place {
  std::array<int, kColumnCount> lines{};
  int line(int column) const { return lines[column - 1]; }
};

struct DraftItem {
  Item item;
  Place place;
  std::vector<Place> level_places;      // parallel to item.levels
  std::vector<Place> indicator_places;  // parallel to item.indicators
  std::map<int, int> level_lines;       // level -> line of the level row
  std::map<std::pair<IndicatorKind, int>, int> indicator_order_lines;  // -> line
};

struct DraftCluster {
  Cluster cluster;  // without items
  Place place;
  std::vector<DraftItem> items;
};

// A row that has an id, by that id.
struct IdEntry {
  RowType type = RowType::kFramework;
  int line = 0;
  int cluster = -1;  // index in clusters_ of the cluster, or of the item's cluster; -1
                     // if the row had problems and is not part of the framework
  int item = -1;     // index of the item in its cluster's items, or -1
};

// A child whose parent was not found among the rows above it: reported at the end, when the rest of
// the file shows whether the parent comes later.
struct PendingParent {
  int line = 0;
  RowType child = RowType::kCluster;
  RowType parent = RowType::kFramework;
  std::string id;
};

// libcsv treats no character as padding: spaces belong to the fields.
int NoSpace(unsigned char /*c*/) { return 0; }

// Counts line feeds up to increasing offsets of a text.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}

  // The 1-based line of text[offset]. Fast when offsets passed do not decrease.
  int LineAt(std::size_t offset) {
    offset = std::min(offset, text_.size());
    if (offset < counted_) {  // not expected; count again from the start
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

class CsvReader {
 public:
  explicit CsvReader(std::string_view body) : body_(body), lines_(body) {}

  ImportResult<Framework> Run() {
    Parse();
    if (stopped_) {
      ReportPendingParents();
    } else {
      Finish();
    }
    if (problem_count_ > 0 || !problems_.empty()) return problems_.Take();
    return std::move(framework_);
  }

 private:
  // ---- Driving libcsv

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
    static_cast<CsvReader*>(self)->AddField(
        std::string_view(static_cast<const char*>(data), data == nullptr ? 0 : size));
  }

  static void OnRow(int terminator, void* self) {
    static_cast<CsvReader*>(self)->EndRow(terminator);
  }

  void Parse() {
    ParserGuard guard;
    std::size_t pos = 0;
    while (pos < body_.size() && !stopped_) {
      const std::size_t length = body_.size() - pos;
      const std::size_t used =
          csv_parse(&guard.parser, body_.data() + pos, length, OnField, OnRow, this);
      if (stopped_) return;
      if (used >= length) break;
      if (csv_error(&guard.parser) != CSV_EPARSE) {
        Problem(lines_.LineAt(pos + used), 1,
                "The selected file could not be read because a field is too large");
        stopped_ = true;
        return;
      }
      const std::size_t at = pos + used;
      QuoteProblem(at, guard.parser.quoted != 0);
      if (!header_seen_) {
        stopped_ = true;
        return;
      }
      BrokenRow();
      // Start again on the next line, dropping the rest of this row.
      const std::size_t next = body_.find('\n', at);
      pos = next == std::string_view::npos ? body_.size() : next + 1;
      line_ = lines_.LineAt(pos);
      fields_.clear();
      extra_fields_ = 0;
      pending_cr_ = false;
      guard.Reset();
    }
    if (stopped_) return;
    if (csv_fini(&guard.parser, OnField, OnRow, this) != 0) {
      Problem(line_, static_cast<int>(fields_.size() + extra_fields_) + 1,
              "This field starts with a double quote (\") but has no closing double quote. Add one "
              "at the end of the field");
      if (header_seen_) BrokenRow();
      fields_.clear();
    }
    if (pending_cr_) LoneCarriageReturn();
  }

  // Notes what can be known of a data row that cannot be checked because its quoting is broken or
  // it has the wrong number of fields (reported already): whether it is the framework row, and its
  // id, so that its children are not reported as orphans.
  void BrokenRow() {
    if (fields_.empty()) {
      data_seen_ = true;
      return;
    }
    const int line = fields_.front().line;
    const std::optional<RowType> type = ParseRowType(fields_.front().value);
    if (type) FirstRow(*type, line);
    data_seen_ = true;
    if (type == RowType::kFramework && !framework_seen_) {
      framework_seen_ = true;
      framework_row_problems_ = true;
      framework_line_ = line;
      framework_place_.lines.fill(line);
    }
    if (type && HasIdColumn(*type) && fields_.size() >= kId && !fields_[kId - 1].value.empty()) {
      ids_.emplace(fields_[kId - 1].value, IdEntry{*type, line});
    }
  }

  // Reports a first data row that is not the framework row.
  void FirstRow(RowType type, int line) {
    if (data_seen_) return;
    data_seen_ = true;
    if (type != RowType::kFramework) {
      Problem(
          line, kType,
          "The first row after the header must be the framework row. Move the framework row up");
    }
  }

  void QuoteProblem(std::size_t at, bool quoted) {
    const int column = static_cast<int>(fields_.size() + extra_fields_) + 1;
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
    const int column = static_cast<int>(fields_.size() + extra_fields_) + 1;
    const int line = line_;
    line_ += static_cast<int>(std::count(data.begin(), data.end(), '\n'));
    if (fields_.size() > kColumnCount) {
      ++extra_fields_;  // only the line of the first extra field is needed
      return;
    }
    Field field;
    field.line = line;
    field.damaged = !CheckCharacters(data, line, column);
    // The apostrophe a download puts before a formula comes off (RestoreCsvField).
    data = RestoreCsvField(data);
    field.value.reserve(data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') continue;
      field.value.push_back(data[i]);
    }
    fields_.push_back(std::move(field));
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
    if (fields_.empty() && extra_fields_ == 0) {
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
    fields_.clear();
    extra_fields_ = 0;
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

  // ---- Problems

  void Problem(int line, int column, std::string message) {
    ++problem_count_;
    problems_.Add(line, column, std::move(message));
  }

  // ---- Rows

  std::string_view Value(int column) const { return fields_[column - 1].value; }
  int LineOf(int column) const { return fields_[column - 1].line; }

  void RowProblem(int column, std::string message) {
    row_ok_ = false;
    Problem(LineOf(column), column, std::move(message));
  }

  Place RowPlace() const {
    Place place;
    for (std::size_t i = 0; i < kColumnCount; ++i) place.lines[i] = fields_[i].line;
    return place;
  }

  void Row() {
    if (!header_seen_) {
      Header();
      return;
    }
    const int row_line = fields_.front().line;
    const std::size_t count = fields_.size() + extra_fields_;
    const std::optional<RowType> type = ParseRowType(fields_.front().value);
    if (count != kColumnCount) {
      const int column = count < kColumnCount ? static_cast<int>(count) + 1 : kColumnCount + 1;
      const int line = count < kColumnCount ? fields_.back().line : fields_[kColumnCount].line;
      Problem(line, column,
              "This row has " + std::to_string(count) + " fields. Every row must have " +
                  std::to_string(kColumnCount) + ": " + std::string(kFrameworkCsvHeader));
      BrokenRow();
      return;
    }
    if (type) FirstRow(*type, row_line);
    data_seen_ = true;
    row_ok_ = true;
    for (const Field& field : fields_) {
      if (field.damaged) row_ok_ = false;
    }
    if (!type) {
      if (Value(kType).empty()) {
        RowProblem(kType, "Enter the type of this row: " + KnownTypes());
      } else {
        RowProblem(kType, "Type " + Shown(Value(kType)) + " is not known. Enter " + KnownTypes());
      }
      return;
    }
    row_start_problems_ = problem_count_;
    LimitTexts(*type);
    switch (*type) {
      case RowType::kFramework:
        FrameworkRow(row_line);
        break;
      case RowType::kGrade:
        GradeRow(row_line);
        break;
      case RowType::kScale:
        ScaleRow(row_line);
        break;
      case RowType::kCluster:
        ClusterRow(row_line);
        break;
      case RowType::kItem:
        ItemRow(row_line);
        break;
      case RowType::kLevel:
        LevelRow(row_line);
        break;
      case RowType::kIndicator:
        IndicatorRow(row_line);
        break;
    }
  }

  // Every text within its limit (domain/text.hpp), titles and labels on one line, so
  // that a 1 MB name is refused where it is. domain::ValidateFramework checks each part
  // again (a cluster's subtitle, each tag) once the row is read.
  void LimitTexts(RowType type) {
    const std::size_t text_limit = type == RowType::kIndicator ? domain::kMaxStatementLength
                                   : type == RowType::kCluster
                                       ? domain::kMaxNameLength + 1 + domain::kMaxDescriptionLength
                                       : domain::kMaxDescriptionLength;
    const std::size_t tags_limit = domain::kMaxTags * (domain::kMaxTagLength + 2);
    // Ids, numbers, kinds and statuses are checked whole by their rows, and problems show
    // at most 40 characters of them.
    for (const auto& [column, limit] :
         {std::pair{kTitle, domain::kMaxNameLength}, std::pair{kText, text_limit},
          std::pair{kTags, tags_limit}}) {
      const std::string_view value = Value(column);
      if (value.size() > limit && domain::CharacterCount(value) > limit) {
        RowProblem(column, "Enter " + std::to_string(limit) + " characters or fewer in the " +
                               std::string(ColumnName(column)) + " column. This one has " +
                               std::to_string(domain::CharacterCount(value)));
      } else if (column == kTitle && value.find_first_of("\r\n") != std::string_view::npos) {
        RowProblem(column, "The " + std::string(ColumnName(column)) +
                               " must be one line. Remove the line break");
      }
    }
  }

  void Header() {
    header_seen_ = true;
    header_line_ = fields_.front().line;
    std::size_t column = 0;
    while (column < kColumnCount && column < fields_.size() &&
           fields_[column].value == kColumnNames[column]) {
      ++column;
    }
    if (column == kColumnCount && fields_.size() == kColumnCount && extra_fields_ == 0) return;
    const int line = column < fields_.size() ? fields_[column].line : fields_.back().line;
    Problem(line, static_cast<int>(column) + 1,
            "The first line must be the header " + std::string(kFrameworkCsvHeader) +
                ". Check that this is a framework CSV file");
    stopped_ = true;
  }

  void RequireEmpty(RowType type, std::initializer_list<int> columns) {
    for (int column : columns) {
      if (!Value(column).empty()) {
        RowProblem(column, "Leave the " + std::string(ColumnName(column)) + " column empty in " +
                               Article(type) + " row");
      }
    }
  }

  // The number in `column`: digits only, at least `minimum`. `what` names it at the start of a
  // sentence ("Version"); `missing` is the message if the field is empty.
  std::optional<int> Number(int column, std::string_view what, int minimum,
                            const std::string& missing) {
    const std::string_view text = Value(column);
    if (text.empty()) {
      RowProblem(column, missing);
      return std::nullopt;
    }
    long long value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') {
        RowProblem(column, std::string(what) + " must be a whole number written with digits " +
                               "only, like " + std::to_string(std::max(minimum, 1)) + ". " +
                               Shown(text) + " is not");
        return std::nullopt;
      }
      value = value * 10 + (c - '0');
      if (value > INT_MAX) {
        RowProblem(column, std::string(what) + " must be " + std::to_string(INT_MAX) + " or less");
        return std::nullopt;
      }
    }
    if (value < minimum) {
      RowProblem(column, std::string(what) + " must be " + std::to_string(minimum) + " or more");
      return std::nullopt;
    }
    return static_cast<int>(value);
  }

  // Checks the row's own id and records it; true if it is a valid, new UUID.
  bool Id(RowType type, int row_line) {
    const std::string_view id = Value(kId);
    const std::string noun(RowNoun(type));
    if (id.empty()) {
      RowProblem(kId, "Enter the id of the " + noun + ", a UUID like " + std::string(kExampleUuid));
      return false;
    }
    if (!domain::ValidUuid(id)) {
      RowProblem(kId, "The id of the " + noun + " must be a UUID in lower case, like " +
                          std::string(kExampleUuid) + ". " + Shown(id) + " is not");
      // Remember it anyway, so that its children are not reported as orphans.
      ids_.emplace(std::string(id), IdEntry{type, row_line});
      return false;
    }
    const auto [it, inserted] = ids_.emplace(std::string(id), IdEntry{type, row_line});
    if (!inserted) {
      RowProblem(kId, "The id " + Shown(id) + " is already used on line " +
                          std::to_string(it->second.line) + ". Give each row its own id");
      return false;
    }
    return true;
  }

  // The parent named in the row, if it is an earlier row of type `parent`; problems otherwise. A
  // parent found but left out of the framework (it had problems) is returned too: its children are
  // checked but not added.
  const IdEntry* Parent(RowType child, RowType parent) {
    const std::string_view id = Value(kParent);
    if (id.empty()) {
      RowProblem(kParent, "Enter the id of the " + std::string(RowNoun(parent)) + " this " +
                              std::string(RowNoun(child)) + " belongs to");
      return nullptr;
    }
    const auto it = ids_.find(std::string(id));
    if (it == ids_.end()) {
      row_ok_ = false;
      if (pending_.size() < kMaxImportProblems) {
        pending_.push_back({LineOf(kParent), child, parent, std::string(id)});
        ++problem_count_;
      } else {
        Problem(LineOf(kParent), kParent, NoEarlierParent(child, parent, id));
      }
      return nullptr;
    }
    if (it->second.type != parent) {
      RowProblem(kParent, WrongParentType(child, parent, id, it->second));
      return nullptr;
    }
    return &it->second;
  }

  static std::string Article(RowType type) {
    const std::string noun(RowNoun(type));
    return (noun.front() == 'a' || noun.front() == 'i' ? "an " : "a ") + noun;
  }

  static std::string WrongParentType(RowType child, RowType parent, std::string_view id,
                                     const IdEntry& found) {
    return "The parent of " + Article(child) + " must be " + Article(parent) + ". " + Shown(id) +
           " is the id of the " + std::string(RowNoun(found.type)) + " on line " +
           std::to_string(found.line);
  }

  static std::string NoEarlierParent(RowType child, RowType parent, std::string_view id) {
    return "There is no " + std::string(RowNoun(parent)) + " with the id " + Shown(id) +
           " above this row. The parent of " + Article(child) + " must be " + Article(parent) +
           " on an earlier line";
  }

  void FrameworkRow(int row_line) {
    if (framework_seen_) {
      RowProblem(kType, "There must be only one framework row. The framework row is on line " +
                            std::to_string(framework_line_));
      return;
    }
    framework_seen_ = true;
    framework_line_ = row_line;
    const std::size_t before = row_start_problems_;
    RequireEmpty(RowType::kFramework, {kParent, kLevel});
    if (Id(RowType::kFramework, row_line)) framework_.id = std::string(Value(kId));
    if (auto version =
            Number(kOrder, "Version", 1,
                   "Enter the version number of the framework in the order column, like 1")) {
      framework_.version = *version;
    }
    framework_.title = std::string(Value(kTitle));
    framework_.description = std::string(Value(kText));
    if (Value(kPolarity).empty()) {
      RowProblem(kPolarity, "Enter the kind of framework in the polarity column: " + KnownKinds());
    } else if (auto kind = domain::ParseFrameworkKind(Value(kPolarity))) {
      framework_.kind = *kind;
    } else {
      RowProblem(kPolarity,
                 "Kind " + Shown(Value(kPolarity)) + " is not known. Enter " + KnownKinds());
    }
    if (Value(kTags).empty()) {
      RowProblem(kTags, "Enter the status of the framework in the tags column: " + KnownStatuses());
    } else if (auto status = domain::ParseFrameworkStatus(Value(kTags))) {
      framework_.status = *status;
    } else {
      RowProblem(kTags,
                 "Status " + Shown(Value(kTags)) + " is not known. Enter " + KnownStatuses());
    }
    framework_place_ = RowPlace();
    framework_row_problems_ = problem_count_ > before;
  }

  void GradeRow(int row_line) {
    RequireEmpty(RowType::kGrade, {kId, kParent, kOrder, kText, kPolarity, kTags});
    const std::optional<int> level =
        Number(kLevel, "The level of a grade", 1,
               "Enter the level this grade is expected to show in the level column, like 3");
    std::optional<Grade> grade;
    if (Value(kTitle).empty()) {
      RowProblem(kTitle, "Enter the grade in the title column: " + KnownGrades());
    } else if ((grade = domain::ParseGrade(Value(kTitle)))) {
      const auto [it, inserted] = grade_lines_.emplace(*grade, row_line);
      if (!inserted) {
        RowProblem(kTitle, "Grade " + std::string(domain::GradeCode(*grade)) +
                               " is already given on line " + std::to_string(it->second));
      }
    } else {
      RowProblem(kTitle, "Grade " + Shown(Value(kTitle)) + " is not known. Enter " + KnownGrades());
    }
    if (row_ok_ && grade && level) {
      framework_.grade_levels[*grade] = *level;
      grade_places_[*grade] = RowPlace();
    }
  }

  void ScaleRow(int row_line) {
    RequireEmpty(RowType::kScale, {kId, kParent, kLevel, kPolarity, kTags});
    const std::optional<int> value =
        Number(kOrder, "The value of a scale point", 0,
               "Enter the value of the scale point in the order column, like 4");
    if (value) {
      const auto [it, inserted] = scale_lines_.emplace(*value, row_line);
      if (!inserted) {
        RowProblem(kOrder, "Scale value " + std::to_string(*value) + " is already used on line " +
                               std::to_string(it->second));
      }
    }
    if (domain::Trim(Value(kTitle)).empty()) {
      RowProblem(kTitle, "Enter a label for the scale point in the title column");
    }
    if (row_ok_ && value) {
      framework_.rating_scale.push_back(
          ScalePoint{*value, std::string(Value(kTitle)), std::string(Value(kText))});
      scale_places_.push_back(RowPlace());
    }
  }

  void ClusterRow(int row_line) {
    RequireEmpty(RowType::kCluster, {kLevel, kPolarity, kTags});
    const bool id_ok = Id(RowType::kCluster, row_line);
    const IdEntry* parent = Parent(RowType::kCluster, RowType::kFramework);
    const std::optional<int> order =
        Number(kOrder, "The position of a cluster", 1,
               "Enter the position of the cluster in the order column, like 1");
    if (order) {
      const auto [it, inserted] = cluster_order_lines_.emplace(*order, row_line);
      if (!inserted) {
        RowProblem(kOrder, "Position " + std::to_string(*order) +
                               " is already used by the cluster on line " +
                               std::to_string(it->second));
      }
    }
    if (!row_ok_ || !id_ok || parent == nullptr || !order) return;
    DraftCluster draft;
    draft.cluster.id = std::string(Value(kId));
    draft.cluster.title = std::string(Value(kTitle));
    const std::string_view text = Value(kText);
    const std::size_t newline = text.find('\n');
    draft.cluster.subtitle = std::string(text.substr(0, newline));
    if (newline != std::string_view::npos) {
      draft.cluster.description = std::string(text.substr(newline + 1));
    }
    draft.cluster.order = *order;
    draft.place = RowPlace();
    ids_[draft.cluster.id].cluster = static_cast<int>(clusters_.size());
    clusters_.push_back(std::move(draft));
  }

  void ItemRow(int row_line) {
    RequireEmpty(RowType::kItem, {kLevel, kPolarity, kTags});
    const bool id_ok = Id(RowType::kItem, row_line);
    const IdEntry* parent = Parent(RowType::kItem, RowType::kCluster);
    const std::optional<int> number =
        Number(kOrder, "The number of an item", 0,
               "Enter the number of the item in the order column, or 0 if it has none");
    if (!row_ok_ || !id_ok || parent == nullptr || parent->cluster < 0 || !number) return;
    const int cluster = parent->cluster;
    DraftItem draft;
    draft.item.id = std::string(Value(kId));
    draft.item.number = *number;
    draft.item.title = std::string(Value(kTitle));
    draft.item.description = std::string(Value(kText));
    draft.place = RowPlace();
    std::vector<DraftItem>& items = clusters_[cluster].items;
    IdEntry& entry = ids_[draft.item.id];
    entry.cluster = cluster;
    entry.item = static_cast<int>(items.size());
    items.push_back(std::move(draft));
  }

  DraftItem* ItemOf(const IdEntry* parent) {
    if (parent == nullptr || parent->cluster < 0 || parent->item < 0) return nullptr;
    return &clusters_[parent->cluster].items[parent->item];
  }

  void LevelRow(int row_line) {
    RequireEmpty(RowType::kLevel, {kId, kOrder, kPolarity, kTags});
    DraftItem* item = ItemOf(Parent(RowType::kLevel, RowType::kItem));
    const std::optional<int> level =
        Number(kLevel, "The level", 1, "Enter the level number in the level column, like 3");
    if (item != nullptr && level) {
      const auto [it, inserted] = item->level_lines.emplace(*level, row_line);
      if (!inserted) {
        RowProblem(kLevel, "Level " + std::to_string(*level) +
                               " of this item is already described on line " +
                               std::to_string(it->second));
      }
    }
    if (!row_ok_ || item == nullptr || !level) return;
    item->item.levels.push_back(
        LevelDescriptor{*level, std::string(Value(kTitle)), std::string(Value(kText))});
    item->level_places.push_back(RowPlace());
  }

  void IndicatorRow(int row_line) {
    RequireEmpty(RowType::kIndicator, {kTitle});
    const bool id_ok = Id(RowType::kIndicator, row_line);
    DraftItem* item = ItemOf(Parent(RowType::kIndicator, RowType::kItem));
    const std::optional<int> order =
        Number(kOrder, "The position of an indicator", 1,
               "Enter the position of the indicator among its item's " +
                   std::string(Value(kPolarity) == "ineffective" ? "ineffective" : "effective") +
                   " indicators in the order column, like 1");
    std::optional<int> level = 0;
    if (!Value(kLevel).empty()) {
      level = Number(kLevel, "The level of an indicator", 0, "");
    }
    std::optional<IndicatorKind> kind;
    if (Value(kPolarity).empty()) {
      RowProblem(kPolarity, "Enter the polarity of the indicator: effective or ineffective");
    } else if (!(kind = ParseIndicatorKind(Value(kPolarity)))) {
      RowProblem(kPolarity, "Polarity " + Shown(Value(kPolarity)) +
                                " is not known. Enter effective or ineffective");
    }
    if (item != nullptr && kind && order) {
      const auto [it, inserted] =
          item->indicator_order_lines.emplace(std::pair(*kind, *order), row_line);
      if (!inserted) {
        RowProblem(kOrder, "Position " + std::to_string(*order) + " is already used by the " +
                               std::string(domain::IndicatorKindName(*kind)) +
                               " indicator of this item on line " + std::to_string(it->second));
      }
    }
    std::vector<std::string> tags;
    const std::string_view tag_text = Value(kTags);
    if (!tag_text.empty()) {
      std::size_t start = 0;
      while (true) {
        const std::size_t end = tag_text.find(';', start);
        const std::string_view tag = domain::Trim(tag_text.substr(start, end - start));
        if (tag.empty()) {
          RowProblem(
              kTags,
              "Tags must not be empty. Separate tags with one semicolon, like security;vetting");
          break;
        }
        tags.emplace_back(tag);
        if (end == std::string_view::npos) break;
        start = end + 1;
      }
    }
    if (!row_ok_ || !id_ok || item == nullptr || !order || !level || !kind) return;
    Indicator indicator;
    indicator.id = std::string(Value(kId));
    indicator.kind = *kind;
    indicator.text = std::string(Value(kText));
    indicator.tags = std::move(tags);
    indicator.order = *order;
    indicator.level = *level;
    item->item.indicators.push_back(std::move(indicator));
    item->indicator_places.push_back(RowPlace());
  }

  // ---- The end of the file

  void Finish() {
    if (!header_seen_) {
      Problem(1, 1, "The selected file is empty");
      return;
    }
    if (!framework_seen_) {
      if (!data_seen_) {
        Problem(header_line_ + 1, 1, "Add the framework row on the line after the header");
      }
      // Otherwise Row() reported that the first row is not the framework row.
    }
    ReportPendingParents();
    Assemble();
    if (!framework_seen_) return;
    const bool earlier_problems = problem_count_ > 0;
    for (const domain::ValidationProblem& problem : domain::ValidateFramework(framework_)) {
      Validation(problem, earlier_problems);
    }
  }

  void ReportPendingParents() {
    for (const PendingParent& pending : pending_) {
      const auto it = ids_.find(pending.id);
      std::string message;
      if (it == ids_.end()) {
        message = NoEarlierParent(pending.child, pending.parent, pending.id);
      } else if (it->second.type != pending.parent) {
        message = WrongParentType(pending.child, pending.parent, pending.id, it->second);
      } else {
        message = "Move this row below line " + std::to_string(it->second.line) + ", where its " +
                  std::string(RowNoun(pending.parent)) + " is. A row's parent must come before it";
      }
      problems_.Add(pending.line, kParent, std::move(message));
    }
    pending_.clear();
  }

  void Assemble() {
    std::stable_sort(clusters_.begin(), clusters_.end(),
                     [](const DraftCluster& a, const DraftCluster& b) {
                       return a.cluster.order < b.cluster.order;
                     });
    for (DraftCluster& draft : clusters_) {
      Cluster cluster = std::move(draft.cluster);
      for (DraftItem& item : draft.items) cluster.items.push_back(std::move(item.item));
      framework_.clusters.push_back(std::move(cluster));
    }
  }

  // Places a problem domain::ValidateFramework found by its field path, such as
  // "clusters[0].items[2].indicators[4].text" or "grade_levels.G7". `earlier_problems`: whether the
  // rows had problems, so that rows were left out.
  void Validation(const domain::ValidationProblem& problem, bool earlier_problems) {
    std::string_view path = problem.field;
    const Place* place = &framework_place_;
    bool framework_field = true;
    int column = kType;
    if (StartsWith(path, "rating_scale[")) {
      std::size_t index = 0;
      for (char c : path.substr(13)) {
        if (c < '0' || c > '9') break;
        index = std::min<std::size_t>(index * 10 + static_cast<std::size_t>(c - '0'), 1 << 24);
      }
      if (index >= scale_places_.size()) return;
      const int at = path.ends_with(".label") ? kTitle : kText;
      Problem(scale_places_[index].line(at), at, problem.message);
      return;
    }
    if (StartsWith(path, "grade_levels.")) {
      const std::optional<Grade> grade = domain::ParseGrade(path.substr(13));
      const auto it = grade ? grade_places_.find(*grade) : grade_places_.end();
      if (it == grade_places_.end()) return;
      Problem(it->second.line(kLevel), kLevel, problem.message);
      return;
    }
    std::array<int, 3> indexes{-1, -1, -1};  // cluster, item, level or indicator
    bool indicator = false;
    std::string_view name = path;
    std::size_t depth = 0;
    while (true) {
      const std::size_t dot = path.find('.');
      std::string_view segment = path.substr(0, dot);
      const std::size_t bracket = segment.find('[');
      if (bracket != std::string_view::npos && depth < indexes.size()) {
        int index = 0;
        for (char c : segment.substr(bracket + 1)) {
          if (c < '0' || c > '9') break;
          index = std::min(index * 10 + (c - '0'), 1 << 24);
        }
        if (depth == 2) indicator = StartsWith(segment, "indicators");
        indexes[depth++] = index;
        segment = segment.substr(0, bracket);
      }
      name = segment;
      if (dot == std::string_view::npos) break;
      path.remove_prefix(dot + 1);
    }
    if (indexes[0] >= 0) {
      framework_field = false;
      if (static_cast<std::size_t>(indexes[0]) >= clusters_.size()) return;
      const DraftCluster& cluster = clusters_[indexes[0]];
      place = &cluster.place;
      if (indexes[1] >= 0) {
        if (static_cast<std::size_t>(indexes[1]) >= cluster.items.size()) return;
        const DraftItem& item = cluster.items[indexes[1]];
        place = &item.place;
        if (indexes[2] >= 0) {
          const std::vector<Place>& places = indicator ? item.indicator_places : item.level_places;
          if (static_cast<std::size_t>(indexes[2]) >= places.size()) return;
          place = &places[indexes[2]];
        }
      }
    }
    if (name == "title" || name == "label") {
      column = kTitle;
    } else if (name == "subtitle") {
      column = kText;
    } else if (name == "tags") {
      column = kTags;
    } else if (name == "id") {
      column = kId;
    } else if (name == "text" || name == "description") {
      column = kText;
    } else if (name == "number" || name == "version") {
      column = kOrder;
    } else if (name == "level") {
      column = kLevel;
    } else if (name == "clusters") {
      column = kTags;                // a published framework without items: point at the status
      if (earlier_problems) return;  // items may have been left out for their problems
    }
    if (framework_field && framework_row_problems_) return;  // reported already
    Problem(place->line(column), column, problem.message);
  }

  std::string_view body_;
  LineCounter lines_;
  ImportProblemList problems_;
  std::size_t problem_count_ = 0;  // problems found, including those not kept
  bool stopped_ = false;

  int line_ = 1;  // the line the next field starts on
  std::vector<Field> fields_;
  std::size_t extra_fields_ = 0;  // fields beyond the tenth in the current row
  bool pending_cr_ = false;       // the last row ended with a CR; a LF should follow
  bool lone_cr_reported_ = false;
  bool row_ok_ = true;

  bool header_seen_ = false;
  int header_line_ = 1;
  bool data_seen_ = false;
  bool framework_seen_ = false;
  bool framework_row_problems_ = false;
  std::size_t row_start_problems_ = 0;  // problem_count_ before the current row's checks
  int framework_line_ = 0;

  Framework framework_;
  Place framework_place_;
  std::map<Grade, Place> grade_places_;
  std::map<Grade, int> grade_lines_;
  std::map<int, int> scale_lines_;
  std::vector<Place> scale_places_;  // parallel to framework_.rating_scale
  std::map<int, int> cluster_order_lines_;
  std::vector<DraftCluster> clusters_;
  std::unordered_map<std::string, IdEntry> ids_;
  std::vector<PendingParent> pending_;
};

}  // namespace

ImportResult<domain::Framework> ParseFrameworkCsv(std::string_view text) {
  if (text.size() > kFrameworkCsvMaxBytes) {
    return std::vector<ImportProblem>{
        {1, 1, "The selected file must be smaller than " + SizeText(kFrameworkCsvMaxBytes)}};
  }
  if (auto message = FileTypeMessage(text)) return std::vector<ImportProblem>{{1, 1, *message}};
  if (StartsWith(text, kBom)) text.remove_prefix(kBom.size());
  return CsvReader(text).Run();
}

std::string WriteFrameworkCsv(const domain::Framework& framework) {
  CsvWriter out(CsvLineEnd::kLf);
  out.Row(std::vector<std::string>(kColumnNames.begin(), kColumnNames.end()));
  const std::string version = std::to_string(framework.version);
  out.Row({"framework", framework.id, "", version, "", framework.title, framework.description,
           domain::FrameworkKindName(framework.kind),
           domain::FrameworkStatusName(framework.status)});
  for (const auto& [grade, level] : framework.grade_levels) {
    const std::string level_text = std::to_string(level);
    out.Row({"grade", "", "", "", level_text, domain::GradeCode(grade), "", "", ""});
  }
  for (const ScalePoint& point : framework.rating_scale) {
    const std::string value = std::to_string(point.value);
    out.Row({"scale", "", "", value, "", point.label, point.description, "", ""});
  }
  for (const Cluster& cluster : framework.clusters) {
    const std::string order = std::to_string(cluster.order);
    std::string text = cluster.subtitle;
    if (!cluster.description.empty()) text.append("\n").append(cluster.description);
    out.Row({"cluster", cluster.id, framework.id, order, "", cluster.title, text, "", ""});
    for (const Item& item : cluster.items) {
      const std::string number = std::to_string(item.number);
      out.Row({"item", item.id, cluster.id, number, "", item.title, item.description, "", ""});
      for (const LevelDescriptor& level : item.levels) {
        const std::string level_text = std::to_string(level.level);
        out.Row({"level", "", item.id, "", level_text, level.label, level.description, "", ""});
      }
      for (const Indicator& indicator : item.indicators) {
        const std::string indicator_order = std::to_string(indicator.order);
        const std::string level_text =
            indicator.level == 0 ? std::string() : std::to_string(indicator.level);
        std::string tags;
        for (std::size_t i = 0; i < indicator.tags.size(); ++i) {
          if (i > 0) tags.push_back(';');
          tags.append(indicator.tags[i]);
        }
        out.Row({"indicator", indicator.id, item.id, indicator_order, level_text, "",
                 indicator.text, domain::IndicatorKindName(indicator.kind), tags});
      }
    }
  }
  return std::move(out).text();
}

}  // namespace pathway::interchange
