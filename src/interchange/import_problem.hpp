// What every importer in interchange/ returns: either the imported value or
// every problem found in the file, each at a line and column, worded for the
// person who uploaded the file.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pathway::interchange {

// One reason an imported file was refused, at a place in the file. `line` and
// `column` are 1-based. Lines are physical lines as an editor numbers them (a
// line break inside a quoted CSV field starts a new line). What a column counts
// is the format's choice and is stated by each reader: characters (not bytes)
// from the start of the line, not counting a UTF-8 byte order mark, for
// framework documents; the 1-based field number for CSV. `message` is written
// for the person who uploaded the file, in GOV.UK style, and does not repeat
// the line and column.
struct ImportProblem {
  int line = 1;
  int column = 1;
  std::string message;

  friend bool operator==(const ImportProblem&, const ImportProblem&) = default;
};

// "Line 12, column 5: <message>", for logs and the command line.
inline std::string FormatImportProblem(const ImportProblem& problem) {
  return "Line " + std::to_string(problem.line) + ", column " + std::to_string(problem.column) +
         ": " + problem.message;
}

// How many problems a reader reports by default before it stops and adds one
// more problem, kMoreImportProblems, saying that there are more.
inline constexpr std::size_t kMaxImportProblems = 100;

inline constexpr std::string_view kMoreImportProblems =
    "There are more problems than shown here. Fix these and upload the file "
    "again";

// Either an imported value or every problem found, in file order. Never both,
// and a failed import always has at least one problem. Reading the wrong
// alternative is a bug and throws std::bad_variant_access.
template <typename T>
class [[nodiscard]] ImportResult {
 public:
  ImportResult(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  ImportResult(std::vector<ImportProblem> problems)    // NOLINT(google-explicit-constructor)
      : state_(std::move(problems)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<T>(state_); }
  T value() && { return std::get<T>(std::move(state_)); }
  const T* operator->() const { return &value(); }
  const T& operator*() const& { return value(); }

  const std::vector<ImportProblem>& problems() const& {
    return std::get<std::vector<ImportProblem>>(state_);
  }

 private:
  std::variant<T, std::vector<ImportProblem>> state_;
};

// Collects the problems of one import in any order and keeps the first `limit`
// of them in file order (by line, then column; problems at the same place keep
// the order they were added in). Memory stays proportional to `limit` however
// many are added. Not thread-safe.
class ImportProblemList {
 public:
  // A limit of 0 is taken as 1.
  explicit ImportProblemList(std::size_t limit = kMaxImportProblems)
      : limit_(std::max<std::size_t>(limit, 1)) {}

  void Add(int line, int column, std::string message) {
    problems_.push_back({line, column, std::move(message)});
    if (problems_.size() >= 2 * limit_) Trim();
  }

  // Notes that problems exist beyond those added, so that Take() says there are
  // more.
  void MarkMore() { more_ = true; }

  // True if no problem was added.
  bool empty() const { return problems_.empty(); }

  // True if `limit` problems were added: a later problem at a later place than
  // all of them would not be reported.
  bool full() const { return problems_.size() >= limit_; }

  // The first `limit` problems in file order, followed by one problem saying
  // that there are more if any were left out or MarkMore() was called. Leaves
  // the list empty.
  std::vector<ImportProblem> Take() {
    Trim();
    std::vector<ImportProblem> out = std::move(problems_);
    problems_.clear();
    if (more_ && !out.empty()) {
      out.push_back({out.back().line, 1, std::string(kMoreImportProblems)});
    }
    more_ = false;
    return out;
  }

 private:
  void Trim() {
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const ImportProblem& a, const ImportProblem& b) {
                       return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
    if (problems_.size() > limit_) {
      problems_.resize(limit_);
      more_ = true;
    }
  }

  std::size_t limit_;
  std::vector<ImportProblem> problems_;
  bool more_ = false;
};

}  // namespace pathway::interchange
