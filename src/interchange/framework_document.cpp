#include "interchange/framework_document.hpp"
#include "domain/text.hpp"
#include "interchange/internal/utf8.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace pathway::interchange {
namespace {

using domain::Framework;
using domain::Grade;
using domain::IndicatorKind;

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kExampleTitle = "‘Civil Service Competency Framework By Grade – SMS 1’";
constexpr std::string_view kExampleCluster = "‘Strategic Cluster – Setting Direction’";
constexpr std::string_view kExampleHeading = "‘1. Seeing the Big Picture’";
constexpr int kMaxLevel = 6;
constexpr std::string_view kRowWithoutTab =
    "Put a tab between the effective and the ineffective behaviour. If this effective "
    "behaviour has no ineffective pair, put a tab after it";
constexpr std::string_view kMoreProblems = kMoreImportProblems;

// ---------------------------------------------------------------------------------
// Text helpers. Input is valid UTF-8 by the time these run.

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// 1-based character column of `byte_offset` within `line`.
int CharColumn(std::string_view line, std::size_t byte_offset) {
  int column = 1;
  for (std::size_t i = 0; i < byte_offset && i < line.size(); ++i) {
    if (!IsContinuationByte(line[i])) ++column;
  }
  return column;
}

// Length of the whitespace character at `text[i]` (ASCII blanks, form feed, U+00A0),
// or 0 if there is none.
std::size_t SpaceLength(std::string_view text, std::size_t i) {
  const char c = text[i];
  if (c == ' ' || c == '\t' || c == '\f' || c == '\v') return 1;
  if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') return 2;
  return 0;
}

using domain::Trim;

// The byte range of `text` without leading and trailing whitespace (domain::Trim).
std::pair<std::size_t, std::size_t> TrimRange(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  const auto begin = static_cast<std::size_t>(trimmed.data() - text.data());
  return {begin, begin + trimmed.size()};
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Folds the spelling differences an export introduces without changing the meaning:
// ASCII case, curly and straight quotes, the dash family, and runs of whitespace.
// Used to compare headings and to derive ids, never for stored text.
std::string Fold(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, char>, 15> kSubstitutes{{
      {"\xE2\x80\x98", '\''},  // left single quotation mark
      {"\xE2\x80\x99", '\''},  // right single quotation mark
      {"\xE2\x80\x9A", '\''},  // single low-9 quotation mark
      {"\xE2\x80\x9B", '\''},  // single high-reversed-9 quotation mark
      {"\xE2\x80\xB2", '\''},  // prime
      {"\xE2\x80\x9C", '"'},   // left double quotation mark
      {"\xE2\x80\x9D", '"'},   // right double quotation mark
      {"\xE2\x80\x9E", '"'},   // double low-9 quotation mark
      {"\xE2\x80\x90", '-'},   // hyphen
      {"\xE2\x80\x91", '-'},   // non-breaking hyphen
      {"\xE2\x80\x92", '-'},   // figure dash
      {"\xE2\x80\x93", '-'},   // en dash
      {"\xE2\x80\x94", '-'},   // em dash
      {"\xE2\x80\x95", '-'},   // horizontal bar
      {"\xE2\x88\x92", '-'},   // minus sign
  }};
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (const std::size_t n = SpaceLength(text, i); n > 0 || text[i] == '\r' || text[i] == '\n') {
      pending_space = !out.empty();
      i += std::max<std::size_t>(n, 1);
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    bool substituted = false;
    for (const auto& [from, to] : kSubstitutes) {
      if (text[i] == from.front() && text.substr(i, from.size()) == from) {
        out.push_back(to);
        i += from.size();
        substituted = true;
        break;
      }
    }
    if (!substituted) out.push_back(domain::LowerAscii(text[i++]));
  }
  return out;
}

std::vector<std::string_view> Words(std::string_view folded) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < folded.size()) {
    const std::size_t end = std::min(folded.find(' ', i), folded.size());
    if (end > i) words.push_back(folded.substr(i, end - i));
    i = end + 1;
  }
  return words;
}

// True if a paragraph ending in `text` ends a sentence (or a heading-like line that
// ends with a question mark or colon), so that a following paragraph is a new one.
bool EndsSentence(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return true;
  static constexpr std::array<std::string_view, 9> kEndings{
      ".", "!", "?", ":", ";", "\"", ")", "\xE2\x80\x9D", "\xE2\x80\x99"};
  for (std::string_view ending : kEndings) {
    if (EndsWith(text, ending)) return true;
  }
  return false;
}

// Removes the inline formatting tags some PDF-to-text exports leave (<i>, </b>, ...).
std::string StripFormattingTags(std::string_view text) {
  static constexpr std::array<std::string_view, 5> kTags{"i", "b", "u", "em", "strong"};
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool stripped = false;
    if (text[i] == '<') {
      const std::size_t close = text.find('>', i);
      if (close != std::string_view::npos && close - i <= 9) {
        std::string name = Fold(text.substr(i + 1, close - i - 1));
        if (!name.empty() && name.front() == '/') name.erase(0, 1);
        if (std::find(kTags.begin(), kTags.end(), name) != kTags.end()) {
          i = close + 1;
          stripped = true;
        }
      }
    }
    if (!stripped) out.push_back(text[i++]);
  }
  return out;
}

// ---------------------------------------------------------------------------------
// Grades and levels (the 2012 framework: L1 AA/AO, L2 EO, L3 HEO/SEO, L4 G7/G6,
// L5 SCS1, L6 SCS2-3).

int Level2012(Grade grade) {
  switch (grade) {
    case Grade::kAA:
    case Grade::kAO:
      return 1;
    case Grade::kEO:
      return 2;
    case Grade::kHEO:
    case Grade::kSEO:
      return 3;
    case Grade::kG7:
    case Grade::kG6:
      return 4;
    case Grade::kSCS1:
      return 5;
    case Grade::kSCS2:
    case Grade::kSCS3:
      return 6;
  }
  return 0;
}

std::vector<Grade> GradesAtLevel(int level) {
  std::vector<Grade> grades;
  for (const auto& info : domain::AllGrades()) {
    if (Level2012(info.grade) == level) grades.push_back(info.grade);
  }
  return grades;
}

// Lower-case alphanumeric tokens with a plural "s" removed ("officers" -> "officer").
std::vector<std::string> LabelTokens(std::string_view label) {
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&] {
    if (current.size() > 3 && current.back() == 's' && current[current.size() - 2] != 's') {
      current.pop_back();
    }
    if (!current.empty()) tokens.push_back(current);
    current.clear();
  };
  for (char c : label) {
    const char lower = domain::LowerAscii(c);
    if (IsAsciiLower(lower) || IsDigit(lower)) {
      current.push_back(lower);
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

bool IsNumber(std::string_view token) {
  return !token.empty() && token.size() <= 2 &&
         std::all_of(token.begin(), token.end(), [](char c) { return IsDigit(c); });
}

// ---------------------------------------------------------------------------------
// Lines

enum class LineKind {
  kBlank,            // nothing but whitespace and tabs
  kArtefact,         // a page-break rule ("-----") or a page number
  kText,             // one column of text
  kRow,              // a table row: text in a second column
  kTableHeader,      // "Effective Behaviour ... TAB Ineffective Behaviour ..."
  kClusterHeading,   // "Strategic Cluster – Setting Direction"
  kNumberedHeading,  // "1. Seeing the Big Picture" (the title may be empty: "7.")
};

struct Cell {
  std::string text;  // trimmed, formatting tags removed
  int column = 1;
};

struct Line {
  int number = 0;
  LineKind kind = LineKind::kBlank;
  std::vector<Cell> cells;  // one per tab-separated column, empty ones included
  bool has_tab = false;
  int item_number = 0;   // kNumberedHeading
  std::string title;     // kNumberedHeading, kClusterHeading
  std::string subtitle;  // kClusterHeading

  // The text of a one-column line (kText and the headings).
  const Cell& Only() const { return cells.front(); }
};

std::vector<Cell> SplitCells(std::string_view raw) {
  std::vector<Cell> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = raw.find('\t', start);
    const std::size_t end = tab == std::string_view::npos ? raw.size() : tab;
    const std::string_view cell = raw.substr(start, end - start);
    auto [begin, stop] = TrimRange(cell);
    std::string text(Trim(StripFormattingTags(cell.substr(begin, stop - begin))));
    cells.push_back({std::move(text), CharColumn(raw, start + begin)});
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return cells;
}

bool IsRuleCharacters(std::string_view text, int& rule_chars) {
  static constexpr std::array<std::string_view, 9> kRule{
      "-", "_", "=", "*", ".", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\xA2", "\xC2\xB7"};
  std::size_t i = 0;
  while (i < text.size()) {
    if (const std::size_t n = SpaceLength(text, i); n > 0) {
      i += n;
      continue;
    }
    bool matched = false;
    for (std::string_view rule : kRule) {
      if (text.substr(i, rule.size()) == rule) {
        i += rule.size();
        ++rule_chars;
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  return true;
}

bool IsPageNumber(std::string_view folded) {
  const std::vector<std::string_view> words = Words(folded);
  auto number = [](std::string_view w) {
    return !w.empty() && w.size() <= 3 &&
           std::all_of(w.begin(), w.end(), [](char c) { return IsDigit(c); });
  };
  if (words.size() == 1) return number(words[0]);
  if (words.size() == 2) return words[0] == "page" && number(words[1]);
  if (words.size() == 3) return words[0] == "-" && number(words[1]) && words[2] == "-";
  if (words.size() == 4) {
    return words[0] == "page" && number(words[1]) && words[2] == "of" && number(words[3]);
  }
  return false;
}

bool IsArtefact(const std::vector<Cell>& cells) {
  int rule_chars = 0;
  int non_empty = 0;
  bool all_rules = true;
  for (const Cell& cell : cells) {
    if (cell.text.empty()) continue;
    ++non_empty;
    if (!IsRuleCharacters(cell.text, rule_chars)) all_rules = false;
  }
  if (all_rules && rule_chars >= 3) return true;
  return non_empty == 1 && !cells.front().text.empty() && IsPageNumber(Fold(cells.front().text));
}

// A header is short: "People who are effective in this area are responsive ..." is
// the start of a description, not a header.
bool IsTableHeader(const std::vector<Cell>& cells) {
  static constexpr std::array<std::string_view, 4> kStarts{
      "effective behaviour", "ineffective behaviour", "people who are effective are likely to",
      "people who are less effective are likely to"};
  constexpr std::size_t kMaxHeaderWords = 14;
  bool any = false;
  for (const Cell& cell : cells) {
    if (cell.text.empty()) continue;
    const std::string folded = Fold(cell.text);
    const bool header = folded == "effective" || folded == "ineffective" ||
                        (Words(folded).size() <= kMaxHeaderWords &&
                         std::any_of(kStarts.begin(), kStarts.end(), [&](std::string_view start) {
                           return StartsWith(folded, start);
                         }));
    if (!header) return false;
    any = true;
  }
  return any;
}

// "12. Title" or "12) Title" (or "12." alone when the title went to the next line).
bool ParseNumberedHeading(std::string_view text, int& number, std::string& title) {
  std::size_t digits = 0;
  while (digits < text.size() && digits < 3 && IsDigit(text[digits])) ++digits;
  if (digits == 0 || digits > 2 || digits >= text.size()) return false;
  if (text[digits] != '.' && text[digits] != ')') return false;
  const std::string_view rest = text.substr(digits + 1);
  if (!rest.empty() && SpaceLength(rest, 0) == 0) return false;
  const std::string_view heading = Trim(rest);
  if (!heading.empty()) {
    const char first = heading.front();
    if (IsDigit(first) || first == '.' || first == '-') return false;
    if (Words(Fold(heading)).size() > 12) return false;
    const char last = heading.back();
    if (last == '.' || last == ',' || last == ';' || last == ':') return false;
  }
  number = std::stoi(std::string(text.substr(0, digits)));
  title = std::string(heading);
  return number > 0;
}

// The position of the separator in "Title – Subtitle" / "Title - Subtitle" /
// "Title: Subtitle": the start and end of the separator, or nullopt. `last` picks the
// last separator rather than the first.
std::optional<std::pair<std::size_t, std::size_t>> FindSeparator(std::string_view text, bool last) {
  static constexpr std::array<std::string_view, 4> kDashes{" \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                                           " - ", ": "};
  std::optional<std::pair<std::size_t, std::size_t>> found;
  for (std::string_view dash : kDashes) {
    const std::size_t at = last ? text.rfind(dash) : text.find(dash);
    if (at == std::string_view::npos) continue;
    if (!found || (last ? at > found->first : at < found->first)) {
      found = std::make_pair(at, at + dash.size());
    }
  }
  return found;
}

bool ParseClusterHeading(std::string_view text, std::string& title, std::string& subtitle) {
  std::string_view head = text;
  std::string_view tail;
  if (auto separator = FindSeparator(text, /*last=*/false)) {
    head = text.substr(0, separator->first);
    tail = text.substr(separator->second);
  }
  const std::string folded = Fold(head);
  const std::vector<std::string_view> words = Words(folded);
  if (words.empty() || words.size() > 5 || words.back() != "cluster") return false;
  if (Words(Fold(tail)).size() > 8 || EndsWith(Trim(tail), ".")) return false;
  title = std::string(Trim(head));
  subtitle = std::string(Trim(tail));
  return true;
}

Line Classify(int number, std::string_view raw) {
  Line line;
  line.number = number;
  line.cells = SplitCells(raw);
  line.has_tab = line.cells.size() > 1;
  std::vector<std::size_t> filled;
  for (std::size_t i = 0; i < line.cells.size(); ++i) {
    if (!line.cells[i].text.empty()) filled.push_back(i);
  }
  if (filled.empty()) {
    line.kind = LineKind::kBlank;
  } else if (IsArtefact(line.cells)) {
    line.kind = LineKind::kArtefact;
  } else if (IsTableHeader(line.cells)) {
    line.kind = LineKind::kTableHeader;
  } else if (filled.size() == 1 && filled.front() == 0) {
    const std::string& text = line.cells.front().text;
    if (ParseNumberedHeading(text, line.item_number, line.title)) {
      line.kind = LineKind::kNumberedHeading;
    } else if (ParseClusterHeading(text, line.title, line.subtitle)) {
      line.kind = LineKind::kClusterHeading;
    } else {
      line.kind = LineKind::kText;
    }
  } else {
    line.kind = LineKind::kRow;
  }
  return line;
}

// Splits at LF, CRLF or CR. The text has no BOM.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// ---------------------------------------------------------------------------------
// Paragraphs: lines of one paragraph are joined with a space; paragraphs are
// separated by a blank line, except that a paragraph the export broke mid-sentence
// (it does not end a sentence and the next starts in lower case) is joined again.

class Paragraphs {
 public:
  void AddLine(std::string_view text) {
    if (open_ && !paragraphs_.empty()) {
      paragraphs_.back().append(" ").append(text);
    } else if (!paragraphs_.empty() && !EndsSentence(paragraphs_.back()) && !text.empty() &&
               IsAsciiLower(text.front())) {
      paragraphs_.back().append(" ").append(text);
    } else {
      paragraphs_.emplace_back(text);
    }
    open_ = true;
  }
  void Break() { open_ = false; }
  bool empty() const { return paragraphs_.empty(); }

  std::string Join() const {
    std::string out;
    for (const std::string& paragraph : paragraphs_) {
      if (!out.empty()) out.append("\n\n");
      out.append(paragraph);
    }
    return out;
  }

 private:
  std::vector<std::string> paragraphs_;
  bool open_ = false;
};

// ---------------------------------------------------------------------------------
// The document as read, before ids are assigned.

struct DraftIndicator {
  IndicatorKind kind = IndicatorKind::kEffective;
  std::string text;
  int line = 0;  // where the text is
  int column = 1;
};

struct DraftItem {
  int number = 0;
  std::string title;
  int line = 0;  // of the first heading
  Paragraphs description;
  Paragraphs level_text;  // text under the heading in the tables part
  bool has_table = false;
  std::vector<DraftIndicator> indicators;
  std::set<std::pair<IndicatorKind, std::string>> seen;  // (kind, folded text)
};

struct DraftCluster {
  std::string title;
  std::string subtitle;
  int line = 0;
  Paragraphs description;
  std::vector<DraftItem> items;
};

constexpr std::array<std::string_view, 21> kNumberWords{
    "zero",     "one",     "two",     "three",     "four",     "five",     "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};

std::optional<int> CountWord(std::string_view word) {
  if (IsNumber(word)) return std::stoi(std::string(word));
  for (std::size_t i = 0; i < kNumberWords.size(); ++i) {
    if (kNumberWords[i] == word) return static_cast<int>(i);
  }
  return std::nullopt;
}

class DocumentParser {
 public:
  DocumentParser(std::vector<Line> lines, const ParseOptions& options)
      : lines_(std::move(lines)), options_(options) {}

  ImportResult<Framework> Run() {
    std::size_t i = NextContent(0);
    if (i >= lines_.size()) {
      Problem(1, 1, "The selected file is empty");
      return Finish();
    }
    if (!ReadTitle(i)) return Finish();
    MarkRunningHeaders(i);
    ReadIntroduction(i);
    ReadBody(i);
    CheckCompleteness();
    return Finish();
  }

 private:
  enum class Part { kList, kTables };

  // Where a line of text goes: a description of the current cluster or item, the
  // current item's text for this level, or nowhere (inside a table).
  enum class TextTarget { kNone, kClusterDescription, kItemDescription, kItemLevelText };

  Paragraphs* TargetParagraphs() {
    switch (target_) {
      case TextTarget::kNone:
        return nullptr;
      case TextTarget::kClusterDescription:
        return current_cluster_ ? &clusters_[*current_cluster_].description : nullptr;
      case TextTarget::kItemDescription:
        return CurrentItem() != nullptr ? &CurrentItem()->description : nullptr;
      case TextTarget::kItemLevelText:
        return CurrentItem() != nullptr ? &CurrentItem()->level_text : nullptr;
    }
    return nullptr;
  }

  // ---- Problems

  void Problem(int line, int column, std::string message) {
    if (problems_.size() >= options_.max_problems) {
      more_problems_ = true;
      return;
    }
    problems_.push_back({line, column, std::move(message)});
  }

  // ---- Navigation

  bool Ignorable(std::size_t i) const {
    return lines_[i].kind == LineKind::kBlank || lines_[i].kind == LineKind::kArtefact;
  }

  std::size_t NextContent(std::size_t i) const {
    while (i < lines_.size() && Ignorable(i)) ++i;
    return i;
  }

  // ---- Title

  bool ReadTitle(std::size_t& i) {
    const Line& first = lines_[i];
    // A tab pasted into the title splits its line into cells: they are read as one title,
    // each tab a space, as names are (domain::NameAsTyped).
    std::string text;
    if (first.kind == LineKind::kText || first.kind == LineKind::kRow) {
      for (std::size_t k = 0; k < first.cells.size(); ++k) {
        if (k > 0) text += '\t';
        text += first.cells[k].text;
      }
      text = domain::NameAsTyped(text);
    }
    const bool plausible = !text.empty() && Fold(text).find("framework") != std::string::npos &&
                           Words(Fold(text)).size() <= 20 && !EndsWith(text, ".");
    if (!plausible) {
      Problem(
          first.number, 1,
          "The first line must be the framework’s title, such as " + std::string(kExampleTitle));
      return false;
    }
    title_line_ = first.number;
    title_ = std::move(text);
    // A title broken after "By Grade" or after its dash continues on the next line.
    const std::string folded = Fold(title_);
    const std::size_t next = NextContent(i + 1);
    if ((EndsWith(folded, "-") || EndsWith(folded, "by grade")) && next < lines_.size() &&
        lines_[next].kind == LineKind::kText && Words(Fold(lines_[next].Only().text)).size() <= 8) {
      title_.append(" ").append(lines_[next].Only().text);
      i = next;
    }
    ++i;

    if (options_.level && (*options_.level < 1 || *options_.level > kMaxLevel)) {
      Problem(title_line_, 1, "The level must be between 1 and " + std::to_string(kMaxLevel));
      return false;
    }
    // The grade part normally follows the title's last dash: "... By Grade – SMS 1".
    std::string_view base = title_;
    std::optional<GradeLevelLabel> named;
    if (auto separator = FindSeparator(title_, /*last=*/true)) {
      const std::string_view label = Trim(std::string_view(title_).substr(separator->second));
      named = ParseGradeLevelLabel(label);
      if (named) {
        base = Trim(std::string_view(title_).substr(0, separator->first));
        level_label_ = std::string(label);
      }
    }
    if (!named) {
      named = ParseGradeLevelLabel(title_);
      if (named) level_label_ = "Level " + std::to_string(named->level);
    }
    if (named && options_.level && *options_.level != named->level) {
      Problem(title_line_, 1,
              "The title is for level " + std::to_string(named->level) + ", but level " +
                  std::to_string(*options_.level) +
                  " was chosen. Choose the level the title names");
      return false;
    }
    if (named) {
      level_ = named->level;
      grades_ = named->grades.empty() ? GradesAtLevel(level_) : named->grades;
    } else if (options_.level) {
      level_ = *options_.level;
      grades_ = GradesAtLevel(level_);
      level_label_ = "Level " + std::to_string(level_);
    } else {
      Problem(title_line_, 1,
              "The title must end with the grade or level the framework is for, such as " +
                  std::string(kExampleTitle));
      return false;
    }
    base_title_ = std::string(base);
    return true;
  }

  // The title repeated at the top of later pages is a page artefact.
  void MarkRunningHeaders(std::size_t from) {
    const std::string title = Fold(title_);
    const std::string first_line =
        Fold(lines_[static_cast<std::size_t>(title_line_ - 1)].Only().text);
    for (std::size_t i = from; i < lines_.size(); ++i) {
      if (lines_[i].kind != LineKind::kText) continue;
      const std::string text = Fold(lines_[i].Only().text);
      if (text == title || text == first_line) lines_[i].kind = LineKind::kArtefact;
    }
  }

  // ---- Introduction: everything up to the first heading or table.

  void ReadIntroduction(std::size_t& i) {
    for (; i < lines_.size(); ++i) {
      const Line& line = lines_[i];
      if (line.kind == LineKind::kText) {
        introduction_.AddLine(line.Only().text);
        introduction_lines_.emplace_back(line.number, Fold(line.Only().text));
      } else if (Ignorable(i)) {
        introduction_.Break();
      } else {
        return;
      }
    }
  }

  // ---- Body: clusters, the list of competencies, and the behaviour tables.

  void ReadBody(std::size_t& i) {
    for (; i < lines_.size(); ++i) {
      const Line& line = lines_[i];
      switch (line.kind) {
        case LineKind::kBlank:
        case LineKind::kArtefact:
          if (Paragraphs* paragraphs = TargetParagraphs()) paragraphs->Break();
          break;
        case LineKind::kClusterHeading:
          OnCluster(line);
          break;
        case LineKind::kNumberedHeading:
          OnNumberedHeading(i);
          break;
        case LineKind::kTableHeader:
          part_ = Part::kTables;
          if (DraftItem* item = CurrentItem()) {
            item->has_table = true;
            target_ = TextTarget::kNone;
          } else {
            Problem(line.number, 1,
                    "Put each table of behaviours under its competency’s heading, such as " +
                        std::string(kExampleHeading));
          }
          break;
        case LineKind::kRow:
          part_ = Part::kTables;
          OnRow(line);
          break;
        case LineKind::kText:
          OnText(line);
          break;
      }
    }
  }

  DraftItem* CurrentItem() {
    if (current_is_stray_) return &stray_;
    if (!current_item_) return nullptr;
    return &clusters_[current_item_->first].items[current_item_->second];
  }

  DraftItem& ItemAt(std::pair<std::size_t, std::size_t> at) {
    return clusters_[at.first].items[at.second];
  }

  void OnCluster(const Line& line) {
    const std::string folded = Fold(line.title);
    current_item_.reset();
    current_is_stray_ = false;
    for (std::size_t c = 0; c < clusters_.size(); ++c) {
      if (Fold(clusters_[c].title) == folded) {
        current_cluster_ = c;
        target_ = part_ == Part::kList ? TextTarget::kClusterDescription : TextTarget::kNone;
        return;
      }
    }
    DraftCluster cluster;
    cluster.title = line.title;
    cluster.subtitle = line.subtitle;
    cluster.line = line.number;
    clusters_.push_back(std::move(cluster));
    current_cluster_ = clusters_.size() - 1;
    target_ = TextTarget::kClusterDescription;
  }

  void OnNumberedHeading(std::size_t& i) {
    const Line& line = lines_[i];
    const int number = line.item_number;
    current_is_stray_ = false;
    auto existing = items_.find(number);
    if (existing != items_.end() && part_ == Part::kList) {
      // The list is complete: the tables part starts by repeating the first heading.
      part_ = Part::kTables;
      list_complete_ = true;
    }
    if (existing != items_.end()) {
      DraftItem& item = ItemAt(existing->second);
      if (!CompleteKnownTitle(i, line.title, item.title)) {
        Problem(line.number, line.Only().column,
                "The heading ‘" + line.Only().text + "’ does not match competency " +
                    std::to_string(number) + " in the list at the start, ‘" + item.title +
                    "’. Use the same title in both places");
      }
      current_item_ = existing->second;
      current_cluster_ = existing->second.first;
      target_ = item.has_table             ? TextTarget::kNone
                : item.description.empty() ? TextTarget::kItemDescription
                                           : TextTarget::kItemLevelText;
      return;
    }

    if (list_complete_) {
      Problem(line.number, line.Only().column,
              "Competency " + std::to_string(number) +
                  " is not in the list of competencies at the start. Add it to the list, or "
                  "correct its number");
      // Its table is read (so that its rows are not blamed on another competency) and
      // then dropped: the import has already failed.
      stray_ = DraftItem{};
      stray_.number = number;
      stray_.title = line.title;
      current_is_stray_ = true;
      target_ = TextTarget::kItemDescription;
      return;
    }
    if (number != last_number_ + 1) {
      Problem(line.number, line.Only().column,
              "Competency " + std::to_string(number) + " should be numbered " +
                  std::to_string(last_number_ + 1) +
                  ". Check that no competency is missing and the numbers are in order");
    }
    last_number_ = std::max(last_number_, number);
    if (!current_cluster_) {
      Problem(line.number, line.Only().column,
              "Put competency " + std::to_string(number) + " under a cluster heading, such as " +
                  std::string(kExampleCluster));
      DraftCluster unnamed;
      unnamed.line = line.number;
      clusters_.push_back(std::move(unnamed));
      current_cluster_ = clusters_.size() - 1;
    }
    DraftItem item;
    item.number = number;
    item.title = line.title;
    item.line = line.number;
    ContinueNewTitle(i, item.title);
    if (item.title.empty()) {
      Problem(line.number, line.Only().column,
              "Enter a title after the number of competency " + std::to_string(number));
    }
    for (const auto& [other_number, at] : items_) {
      if (Fold(ItemAt(at).title) == Fold(item.title) && !item.title.empty()) {
        Problem(line.number, line.Only().column,
                "Competencies " + std::to_string(other_number) + " and " + std::to_string(number) +
                    " are both called ‘" + item.title + "’. Give each competency its own title");
      }
    }
    DraftCluster& cluster = clusters_[*current_cluster_];
    cluster.items.push_back(std::move(item));
    current_item_ = std::make_pair(*current_cluster_, cluster.items.size() - 1);
    items_[number] = *current_item_;
    target_ = TextTarget::kItemDescription;
  }

  // A heading for a competency already listed: the same title, or its first words with
  // the rest on the following lines (a heading split by a page break).
  bool CompleteKnownTitle(std::size_t& i, std::string_view heading, std::string_view known) {
    const std::string want = Fold(known);
    std::string have = Fold(heading);
    if (have == want) return true;
    if (!have.empty() && !StartsWith(want, have + " ")) return false;
    std::string remaining = have.empty() ? want : want.substr(have.size() + 1);
    std::size_t j = i;
    while (!remaining.empty()) {
      j = NextContent(j + 1);
      if (j >= lines_.size() || lines_[j].kind != LineKind::kText) return false;
      const std::string piece = Fold(lines_[j].Only().text);
      if (piece == remaining) {
        remaining.clear();
      } else if (StartsWith(remaining, piece + " ")) {
        remaining.erase(0, piece.size() + 1);
      } else {
        return false;
      }
    }
    i = j;
    return true;
  }

  // A new competency's heading whose last words went to the next line: a short line
  // that does not end a sentence, standing alone as a paragraph, followed by more text
  // (the description).
  void ContinueNewTitle(std::size_t& i, std::string& title) {
    const std::size_t j = NextContent(i + 1);
    if (j >= lines_.size() || lines_[j].kind != LineKind::kText) return;
    if (j + 1 < lines_.size() && !Ignorable(j + 1)) return;
    const std::string& piece = lines_[j].Only().text;
    const std::size_t limit = title.empty() ? 12 : 4;
    if (Words(Fold(piece)).size() > limit || EndsSentence(piece) || EndsWith(piece, ",")) return;
    const std::size_t k = NextContent(j + 1);
    if (k >= lines_.size() || lines_[k].kind != LineKind::kText) return;
    if (!title.empty()) title.append(" ");
    title.append(piece);
    i = j;
  }

  void OnRow(const Line& line) {
    DraftItem* item = CurrentItem();
    if (item == nullptr) {
      Problem(line.number, 1,
              "Put each table of behaviours under its competency’s heading, such as " +
                  std::string(kExampleHeading));
      return;
    }
    item->has_table = true;
    target_ = TextTarget::kNone;
    int filled = 0;
    std::size_t last_filled = 0;
    for (std::size_t c = 0; c < line.cells.size(); ++c) {
      if (!line.cells[c].text.empty()) {
        ++filled;
        last_filled = c;
      }
    }
    if (last_filled >= 2) {
      Problem(line.number, line.cells[last_filled].column,
              "This row has " + std::to_string(std::max<std::size_t>(filled, last_filled + 1)) +
                  " columns. A behaviours table has 2: the effective behaviour, a tab, then the "
                  "ineffective behaviour");
      return;
    }
    if (line.cells[0].text.empty() || line.cells[1].text.empty()) ++uneven_rows_;
    AddIndicator(*item, IndicatorKind::kEffective, line, 0);
    AddIndicator(*item, IndicatorKind::kIneffective, line, 1);
  }

  void OnText(const Line& line) {
    DraftItem* item = CurrentItem();
    if (part_ == Part::kTables && item != nullptr && item->has_table) {
      const Cell& cell = line.Only();
      if (line.has_tab) {
        // "Behaviour<TAB>": an effective behaviour with no ineffective pair, marked so.
        ++uneven_rows_;
        AddIndicator(*item, IndicatorKind::kEffective, line, 0);
      } else if (IsAsciiLower(cell.text.front())) {
        Problem(line.number, cell.column,
                "This line looks like the end of the behaviour above it. Join it to the line "
                "above");
      } else if (options_.row_without_tab == RowWithoutTab::kRefuse) {
        Problem(line.number, cell.column, std::string(kRowWithoutTab));
      } else {
        if (options_.row_without_tab == RowWithoutTab::kAuto) {
          rows_without_tab_.emplace_back(line.number, cell.column);
        }
        AddIndicator(*item, IndicatorKind::kEffective, line, 0);
      }
      return;
    }
    Paragraphs* paragraphs = TargetParagraphs();
    if (paragraphs == nullptr) {
      Problem(line.number, line.Only().column,
              "Put this text under a cluster or competency heading, such as " +
                  std::string(kExampleHeading));
      return;
    }
    paragraphs->AddLine(line.Only().text);
  }

  void AddIndicator(DraftItem& item, IndicatorKind kind, const Line& line, std::size_t column) {
    const Cell& cell = line.cells[column];
    if (cell.text.empty()) return;
    if (!item.seen.emplace(kind, Fold(cell.text)).second) {
      Problem(line.number, cell.column,
              "‘" + item.title + "’ already has this " +
                  std::string(domain::IndicatorKindName(kind)) +
                  " behaviour. Remove the repeated one");
      return;
    }
    item.indicators.push_back({kind, cell.text, line.number, cell.column});
  }

  // ---- Whole-document checks

  void CheckCompleteness() {
    if (clusters_.empty()) {
      Problem(title_line_, 1,
              "The document has no cluster headings, such as " + std::string(kExampleCluster));
    }
    if (items_.empty()) {
      Problem(title_line_, 1,
              "The document has no numbered competencies, such as " + std::string(kExampleHeading));
    }
    for (const DraftCluster& cluster : clusters_) {
      if (cluster.items.empty()) {
        Problem(cluster.line, 1, "Cluster ‘" + cluster.title + "’ has no competencies under it");
      }
      for (const DraftItem& item : cluster.items) {
        if (item.indicators.empty()) {
          Problem(item.line, 1,
                  "Competency " + std::to_string(item.number) + ", ‘" + item.title +
                      "’, has no behaviours. Add its table of effective and ineffective "
                      "behaviours");
        }
      }
    }
    // Where every other row is a pair, a row without a tab is more likely two behaviours
    // whose tab was lost than one behaviour without a pair.
    if (uneven_rows_ == 0) {
      for (const auto& [line, column] : rows_without_tab_) {
        Problem(line, column, std::string(kRowWithoutTab));
      }
    }
    CheckStatedCount("competencies", static_cast<int>(items_.size()));
    CheckStatedCount("clusters", static_cast<int>(clusters_.size()));
  }

  // The introduction may say how many competencies and clusters there are ("The
  // framework outlines 10 competencies, which are grouped into 3 clusters"); a
  // mismatch means a heading was lost or mistyped.
  void CheckStatedCount(std::string_view noun, int found) {
    for (const auto& [line, folded] : introduction_lines_) {
      const std::vector<std::string_view> words = Words(folded);
      for (std::size_t w = 1; w < words.size(); ++w) {
        std::string_view word = words[w];
        while (!word.empty() && !IsAsciiLower(word.back())) word.remove_suffix(1);
        if (word != noun) continue;
        const std::optional<int> stated = CountWord(words[w - 1]);
        if (!stated || *stated == found) continue;
        Problem(line, 1,
                "The introduction says there are " + std::to_string(*stated) + " " +
                    std::string(noun) + ", but the document has " + std::to_string(found) +
                    ". Check that no heading is missing or mistyped");
      }
    }
  }

  // ---- Result

  // Every text within its limit (domain/text.hpp), at the line where it starts, so that
  // a 1 MB title or paragraph is refused where it is.
  void CheckLengths() {
    const auto check = [this](std::string_view text, std::size_t most, int line, int column,
                              std::string_view what) {
      if (text.size() <= most) return;
      const std::size_t characters = domain::CharacterCount(text);
      if (characters <= most) return;
      Problem(line, column,
              std::string(what) + " must be " + std::to_string(most) +
                  " characters or fewer. It has " + std::to_string(characters));
    };
    check(title_, domain::kMaxNameLength, title_line_, 1, "The framework’s title");
    check(introduction_.Join(), domain::kMaxDescriptionLength,
          introduction_lines_.empty() ? title_line_ : introduction_lines_.front().first, 1,
          "The introduction");
    for (const DraftCluster& cluster : clusters_) {
      check(cluster.title, domain::kMaxNameLength, cluster.line, 1, "The cluster’s title");
      check(cluster.subtitle, domain::kMaxNameLength, cluster.line, 1, "The cluster’s subtitle");
      check(cluster.description.Join(), domain::kMaxDescriptionLength, cluster.line, 1,
            "The text under this cluster’s heading");
      for (const DraftItem& item : cluster.items) {
        check(item.title, domain::kMaxNameLength, item.line, 1, "The competency’s title");
        check(item.description.Join(), domain::kMaxDescriptionLength, item.line, 1,
              "The text under this competency’s heading");
        check(item.level_text.Join(), domain::kMaxDescriptionLength, item.line, 1,
              "The text above this competency’s behaviours");
        for (const DraftIndicator& indicator : item.indicators) {
          check(indicator.text, domain::kMaxStatementLength, indicator.line, indicator.column,
                "A behaviour");
        }
      }
    }
  }

  ImportResult<Framework> Finish() {
    if (problems_.empty()) CheckLengths();
    if (problems_.empty()) {
      Framework framework = Build();
      for (const domain::ValidationProblem& problem : domain::ValidateFramework(framework)) {
        Problem(title_line_, 1, problem.message);
      }
      if (problems_.empty()) return framework;
    }
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const ImportProblem& a, const ImportProblem& b) {
                       return a.line != b.line ? a.line < b.line : a.column < b.column;
                     });
    if (more_problems_) {
      problems_.push_back({problems_.back().line, 1, std::string(kMoreProblems)});
    }
    return std::move(problems_);
  }

  Framework Build() const {
    Framework framework;
    framework.title = title_;
    framework.kind = options_.kind;
    framework.description = introduction_.Join();
    framework.version = options_.version;
    framework.status = domain::FrameworkStatus::kDraft;
    for (Grade grade : grades_) framework.grade_levels[grade] = level_;
    framework.id = domain::NameBasedUuid(
        kFrameworkDocumentNamespace,
        "framework\x1f" + Fold(base_title_) + "\x1flevel " + std::to_string(level_));
    int cluster_order = 0;
    for (const DraftCluster& draft : clusters_) {
      domain::Cluster cluster;
      cluster.id = domain::NameBasedUuid(framework.id, "cluster\x1f" + Fold(draft.title));
      cluster.title = draft.title;
      cluster.subtitle = draft.subtitle;
      cluster.description = draft.description.Join();
      cluster.order = ++cluster_order;
      for (const DraftItem& draft_item : draft.items) {
        domain::Item item;
        item.id = domain::NameBasedUuid(framework.id, "item\x1f" + Fold(draft_item.title));
        item.number = draft_item.number;
        item.title = draft_item.title;
        item.description = draft_item.description.Join();
        item.levels.push_back({level_, level_label_, draft_item.level_text.Join()});
        std::array<int, 2> order{};
        for (const DraftIndicator& draft_indicator : draft_item.indicators) {
          domain::Indicator indicator;
          indicator.kind = draft_indicator.kind;
          indicator.id = domain::NameBasedUuid(
              item.id, std::string(domain::IndicatorKindName(indicator.kind)) + "\x1f" +
                           Fold(draft_indicator.text));
          indicator.text = draft_indicator.text;
          indicator.order = ++order[static_cast<int>(indicator.kind)];
          indicator.level = level_;
          item.indicators.push_back(std::move(indicator));
        }
        cluster.items.push_back(std::move(item));
      }
      framework.clusters.push_back(std::move(cluster));
    }
    return framework;
  }

  std::vector<Line> lines_;
  const ParseOptions& options_;
  std::vector<ImportProblem> problems_;
  bool more_problems_ = false;

  int title_line_ = 1;
  std::string title_;
  std::string base_title_;
  int level_ = 0;
  std::string level_label_;
  std::vector<Grade> grades_;
  Paragraphs introduction_;
  std::vector<std::pair<int, std::string>> introduction_lines_;  // (line, folded text)

  std::vector<DraftCluster> clusters_;
  std::map<int, std::pair<std::size_t, std::size_t>> items_;  // number -> (cluster, item)
  std::optional<std::size_t> current_cluster_;
  std::optional<std::pair<std::size_t, std::size_t>> current_item_;
  int uneven_rows_ = 0;                                // table rows with one of the two cells empty
  std::vector<std::pair<int, int>> rows_without_tab_;  // (line, column), kAuto only
  DraftItem stray_;  // a competency the list lacks; never part of the result
  bool current_is_stray_ = false;
  TextTarget target_ = TextTarget::kNone;
  Part part_ = Part::kList;
  bool list_complete_ = false;  // the tables part began by repeating a listed heading
  int last_number_ = 0;
};

// ---------------------------------------------------------------------------------
// Checks before parsing: size, file type, encoding.

std::string SizeText(std::size_t bytes) {
  constexpr std::size_t kMegabyte = 1024 * 1024;
  if (bytes >= kMegabyte && bytes % kMegabyte == 0) {
    return std::to_string(bytes / kMegabyte) + " MB";
  }
  return std::to_string((bytes + 1023) / 1024) + " KB";
}

std::optional<std::string> BinaryFormatMessage(std::string_view text) {
  if (StartsWith(text, "%PDF-")) {
    return "The selected file is a PDF. Save it as text (.txt) and upload the text file";
  }
  if (StartsWith(text, "PK\x03\x04")) {
    return "The selected file is a Word document or another zipped file. Save it as text "
           "(.txt) and upload the text file";
  }
  if (StartsWith(text, "\xD0\xCF\x11\xE0")) {
    return "The selected file is an older Word or Office document. Save it as text (.txt) and "
           "upload the text file";
  }
  if (StartsWith(text, "\xFF\xFE") || StartsWith(text, "\xFE\xFF")) {
    return "The selected file is saved as UTF-16. Save it as UTF-8 text and upload it again";
  }
  return std::nullopt;
}

using internal::Utf8SequenceLength;

// One problem per line that has bytes that are not UTF-8 or are control characters.
void CheckEncoding(std::string_view text, const ParseOptions& options,
                   std::vector<ImportProblem>& problems) {
  int line = 1;
  std::size_t line_start = 0;
  bool line_reported = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      line_start = i;
      line_reported = false;
      continue;
    }
    const unsigned char byte = static_cast<unsigned char>(c);
    const std::size_t length = Utf8SequenceLength(text, i);
    const bool control = byte == 0x7F || (byte < 0x20 && c != '\t' && c != '\f');
    if ((length == 0 || control) && !line_reported) {
      if (problems.size() >= options.max_problems) {
        problems.push_back({line, 1, std::string(kMoreProblems)});
        return;
      }
      const int column = CharColumn(text.substr(line_start), i - line_start);
      if (length == 0) {
        problems.push_back({line, column,
                            "The selected file must be saved as UTF-8. This character is not "
                            "valid UTF-8"});
      } else {
        static constexpr std::string_view kHex = "0123456789ABCDEF";
        std::string code = "U+00";
        code.push_back(kHex[byte >> 4]);
        code.push_back(kHex[byte & 0x0F]);
        problems.push_back({line, column,
                            "Remove the control character (" + code +
                                ") from this line. The selected file must be plain text"});
      }
      line_reported = true;
    }
    i += std::max<std::size_t>(length, 1);
  }
}

// Text formats that are not framework documents, recognised by their first lines.
std::optional<std::string> TextFormatMessage(const std::vector<std::string_view>& lines) {
  std::vector<std::string_view> first;
  for (std::string_view line : lines) {
    if (!Trim(line).empty()) first.push_back(Trim(line));
    if (first.size() == 2) break;
  }
  if (first.empty()) return std::nullopt;
  const char lead = first[0].front();
  if (lead == '{' || lead == '[') {
    return "The selected file is JSON. Upload the framework document as text (.txt), or use "
           "the CASE JSON import for JSON files";
  }
  if (lead == '<') {
    return "The selected file is HTML or XML. Save the framework document as text (.txt) and "
           "upload the text file";
  }
  if (first[0].find('\t') != std::string_view::npos) return std::nullopt;
  for (char separator : {',', ';'}) {
    const auto count = [separator](std::string_view line) {
      return std::count(line.begin(), line.end(), separator);
    };
    const auto in_first = count(first[0]);
    const bool csv =
        first.size() == 2 ? in_first >= 1 && count(first[1]) == in_first : in_first >= 2;
    if (csv) {
      return "The selected file is a CSV file. Upload the framework document as text "
             "(.txt), or use the CSV import for CSV files";
    }
  }
  return std::nullopt;
}

bool IsSpaceOnly(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

}  // namespace

std::optional<GradeLevelLabel> ParseGradeLevelLabel(std::string_view label) {
  const std::vector<std::string> tokens = LabelTokens(label);
  std::set<Grade> grades;
  std::optional<int> explicit_level;
  auto at = [&](std::size_t k) -> std::string_view {
    return k < tokens.size() ? std::string_view(tokens[k]) : std::string_view();
  };
  static const std::set<std::string_view> kSeniorFillers{"pay", "band",       "civil", "service",
                                                         "and", "management", "grade"};
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view token = tokens[i];
    if (token == "level" && IsNumber(at(i + 1))) {
      explicit_level = std::stoi(tokens[i + 1]);
    } else if (token == "aa") {
      grades.insert(Grade::kAA);
    } else if (token == "ao") {
      grades.insert(Grade::kAO);
    } else if (token == "eo") {
      grades.insert(Grade::kEO);
    } else if (token == "heo") {
      grades.insert(Grade::kHEO);
    } else if (token == "seo") {
      grades.insert(Grade::kSEO);
    } else if (token == "g6" || token == "g7") {
      grades.insert(token == "g6" ? Grade::kG6 : Grade::kG7);
    } else if (token.size() == 4 && (StartsWith(token, "scs") || StartsWith(token, "sms")) &&
               token[3] >= '1' && token[3] <= '3') {
      grades.insert(token[3] == '1' ? Grade::kSCS1 : token[3] == '2' ? Grade::kSCS2 : Grade::kSCS3);
    } else if (token == "administrative") {
      bool named = false;
      for (std::size_t k = i + 1; k < tokens.size() && k <= i + 4; ++k) {
        if (tokens[k] == "officer") {
          grades.insert(Grade::kAO);
          named = true;
        }
        if (tokens[k] == "assistant") {
          grades.insert(Grade::kAA);
          named = true;
        }
      }
      if (!named) grades.insert({Grade::kAA, Grade::kAO});
    } else if (token == "higher") {
      for (std::size_t k = i + 1; k < tokens.size() && k <= i + 3; ++k) {
        if (tokens[k] == "executive") grades.insert(Grade::kHEO);
      }
    } else if (token == "senior" && at(i + 1) == "executive") {
      grades.insert(Grade::kSEO);
    } else if (token == "executive" &&
               (i == 0 || (tokens[i - 1] != "higher" && tokens[i - 1] != "senior"))) {
      grades.insert(Grade::kEO);
    } else if (token == "grade" && IsNumber(at(i + 1))) {
      for (std::size_t k = i + 1; k < tokens.size(); ++k) {
        if (tokens[k] == "and") continue;
        if (!IsNumber(tokens[k])) break;
        if (tokens[k] == "6") grades.insert(Grade::kG6);
        if (tokens[k] == "7") grades.insert(Grade::kG7);
      }
    } else if (token == "sms" || token == "scs" || token == "band" ||
               (token == "senior" && (at(i + 1) == "civil" || at(i + 1) == "management"))) {
      for (std::size_t k = i + 1; k < tokens.size(); ++k) {
        if (kSeniorFillers.count(tokens[k]) > 0) continue;
        if (!IsNumber(tokens[k])) break;
        if (tokens[k] == "1") grades.insert(Grade::kSCS1);
        if (tokens[k] == "2") grades.insert(Grade::kSCS2);
        if (tokens[k] == "3") grades.insert(Grade::kSCS3);
      }
    } else if (token == "deputy" && at(i + 1) == "director") {
      grades.insert(Grade::kSCS1);
    } else if (token == "director" && (i == 0 || tokens[i - 1] != "deputy")) {
      grades.insert(at(i + 1) == "general" ? Grade::kSCS3 : Grade::kSCS2);
    }
  }
  std::set<int> levels;
  for (Grade grade : grades) levels.insert(Level2012(grade));
  GradeLevelLabel result;
  result.grades.assign(grades.begin(), grades.end());
  if (explicit_level) {
    if (*explicit_level < 1 || *explicit_level > kMaxLevel) return std::nullopt;
    if (!levels.empty() && (levels.size() != 1 || *levels.begin() != *explicit_level)) {
      return std::nullopt;
    }
    result.level = *explicit_level;
    return result;
  }
  if (levels.size() != 1) return std::nullopt;
  result.level = *levels.begin();
  return result;
}

ImportResult<domain::Framework> ParseFrameworkDocument(std::string_view text,
                                                       const ParseOptions& requested) {
  ParseOptions options = requested;
  options.max_problems = std::max<std::size_t>(options.max_problems, 1);
  if (text.size() > options.max_bytes) {
    return std::vector<ImportProblem>{
        {1, 1, "The selected file must be smaller than " + SizeText(options.max_bytes)}};
  }
  if (auto message = BinaryFormatMessage(text)) {
    return std::vector<ImportProblem>{{1, 1, *message}};
  }
  if (StartsWith(text, kBom)) text.remove_prefix(kBom.size());
  if (IsSpaceOnly(text)) {
    return std::vector<ImportProblem>{{1, 1, "The selected file is empty"}};
  }
  std::vector<ImportProblem> problems;
  CheckEncoding(text, options, problems);
  if (!problems.empty()) return problems;

  const std::vector<std::string_view> raw_lines = SplitLines(text);
  if (auto message = TextFormatMessage(raw_lines)) {
    return std::vector<ImportProblem>{{1, 1, *message}};
  }
  // No text in a framework is longer than a description, and no line longer than that
  // is worth classifying: refuse it where it is.
  for (std::size_t i = 0; i < raw_lines.size() && problems.size() < options.max_problems; ++i) {
    if (raw_lines[i].size() <= domain::kMaxDescriptionLength) continue;
    const std::size_t characters = domain::CharacterCount(raw_lines[i]);
    if (characters <= domain::kMaxDescriptionLength) continue;
    problems.push_back({static_cast<int>(i + 1), 1,
                        "This line has " + std::to_string(characters) +
                            " characters. No text in a framework may be longer than " +
                            std::to_string(domain::kMaxDescriptionLength)});
  }
  if (!problems.empty()) return problems;
  std::vector<Line> lines;
  lines.reserve(raw_lines.size());
  for (std::size_t i = 0; i < raw_lines.size(); ++i) {
    lines.push_back(Classify(static_cast<int>(i + 1), raw_lines[i]));
  }
  return DocumentParser(std::move(lines), options).Run();
}

}  // namespace pathway::interchange
