// UTF-8 checking shared by the readers, on top of domain/text.hpp: every importer
// refuses bytes that are not UTF-8, and says where.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "domain/text.hpp"

namespace pathway::interchange::internal {

using domain::IsControl;
using domain::Utf8SequenceLength;

// A value as an error message shows it: in curly quotes, at most 40 characters, with
// bytes that are not UTF-8 and control characters replaced (a line feed by a space).
inline std::string Shown(std::string_view value) {
  constexpr std::size_t kMaxCharacters = 40;
  std::string out = "‘";
  std::size_t characters = 0;
  std::size_t i = 0;
  while (i < value.size()) {
    if (characters == kMaxCharacters) {
      out += "…";
      break;
    }
    const std::size_t length = Utf8SequenceLength(value, i);
    const auto byte = static_cast<unsigned char>(value[i]);
    if (length == 0 || (length == 1 && IsControl(byte))) {
      out += byte == '\n' ? " " : "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      out.append(value.substr(i, length));
      i += length;
    }
    ++characters;
  }
  return out + "’";
}

// What is wrong with the first bad byte of a CSV field that starts on line `line`: not
// UTF-8, a lone carriage return, or a control character. The line it is on, and the
// message the readers report; nullopt when the field is clean.
struct FieldProblem {
  int line = 0;
  std::string message;
};
inline std::optional<FieldProblem> CheckFieldCharacters(std::string_view data, int line) {
  const auto problem = domain::FindTextProblem(data, domain::LineBreaks::kAllowed);
  if (!problem) return std::nullopt;
  const std::string_view before = data.substr(0, problem->offset);
  line += static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  switch (problem->fault) {
    case domain::TextFault::kNotUtf8:
      return FieldProblem{line,
                          "This field has a character that is not UTF-8. Save the file as ‘CSV "
                          "UTF-8’ and upload it again"};
    case domain::TextFault::kLoneCarriageReturn:
    case domain::TextFault::kLineBreak:
      return FieldProblem{line,
                          "This field has a carriage return (CR) that is not part of a line "
                          "break. Save the file with LF or CRLF line breaks"};
    case domain::TextFault::kBidiControl:  // only in one-line text, which this is not
      return FieldProblem{line, domain::DescribeTextProblem(*problem, "This field")};
    case domain::TextFault::kControl:
      break;
  }
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string code = "U+00";
  code.push_back(kHex[problem->byte >> 4]);
  code.push_back(kHex[problem->byte & 0x0F]);
  return FieldProblem{line, "Remove the control character (" + code +
                                ") from this field. The file must be plain text"};
}

}  // namespace pathway::interchange::internal
