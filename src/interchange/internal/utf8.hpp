// UTF-8 checking shared by the readers: every importer refuses bytes that are not
// UTF-8, and says where.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pathway::interchange::internal {

// Length of the valid UTF-8 sequence starting at text[i] (1 to 4), or 0 if the bytes
// there are not valid UTF-8: a stray continuation byte, an overlong form, a surrogate, a
// code point above U+10FFFF or a sequence cut short by the end of `text`.
inline std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;   // overlong
    if (b0 == 0xED) high = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;   // overlong
    if (b0 == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

// A control character a text field may not hold (tab, CR and LF are judged by callers).
inline bool IsControl(unsigned char byte) { return byte == 0x7F || (byte < 0x20 && byte != '\t'); }

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
  std::size_t i = 0;
  while (i < data.size()) {
    const auto byte = static_cast<unsigned char>(data[i]);
    const std::size_t length = Utf8SequenceLength(data, i);
    const bool crlf = byte == '\r' && i + 1 < data.size() && data[i + 1] == '\n';
    if (length == 0) {
      return FieldProblem{line,
                          "This field has a character that is not UTF-8. Save the file as ‘CSV "
                          "UTF-8’ and upload it again"};
    }
    if (byte == '\r' && !crlf) {
      return FieldProblem{line,
                          "This field has a carriage return (CR) that is not part of a line "
                          "break. Save the file with LF or CRLF line breaks"};
    }
    if (IsControl(byte) && byte != '\n' && byte != '\r') {
      static constexpr std::string_view kHex = "0123456789ABCDEF";
      std::string code = "U+00";
      code.push_back(kHex[byte >> 4]);
      code.push_back(kHex[byte & 0x0F]);
      return FieldProblem{line, "Remove the control character (" + code +
                                    ") from this field. The file must be "
                                    "plain text"};
    }
    if (byte == '\n') ++line;
    i += length;
  }
  return std::nullopt;
}

}  // namespace pathway::interchange::internal
