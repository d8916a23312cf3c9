#include "domain/text.hpp"

#include <algorithm>

namespace pathway::domain {
namespace {

constexpr std::string_view kHexDigits = "0123456789ABCDEF";

// Length of the white space character at text[i] (see Trim), or 0.
std::size_t SpaceAt(std::string_view text, std::size_t i) {
  const char c = text[i];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') return 1;
  if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') return 2;
  return 0;
}

char UpperAscii(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

bool ValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = Utf8SequenceLength(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::size_t CharacterCount(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = Utf8SequenceLength(text, i);
    i += length == 0 ? 1 : length;
    ++count;
  }
  return count;
}

char32_t BidiControlAt(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) {
    return k < text.size() ? static_cast<unsigned char>(text[k]) : 0;
  };
  if (byte(i) == 0xD8 && byte(i + 1) == 0x9C) return 0x061C;
  if (byte(i) != 0xE2) return 0;
  const unsigned char b1 = byte(i + 1);
  const unsigned char b2 = byte(i + 2);
  if (b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) {
    return 0x2000 + (b2 - 0x80);
  }
  if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return 0x2040 + (b2 - 0x80);
  return 0;
}

std::optional<TextProblem> FindTextProblem(std::string_view text, LineBreaks line_breaks) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7F) {  // printable ASCII, the common case
      ++i;
      continue;
    }
    const std::size_t length = Utf8SequenceLength(text, i);
    if (length == 0) return TextProblem{TextFault::kNotUtf8, i, byte};
    if (byte == '\n' || byte == '\r') {
      if (line_breaks == LineBreaks::kRefused) return TextProblem{TextFault::kLineBreak, i, byte};
      if (byte == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) {
        return TextProblem{TextFault::kLoneCarriageReturn, i, byte};
      }
    } else if (length == 1 && IsControl(byte)) {
      return TextProblem{TextFault::kControl, i, byte};
    } else if (line_breaks == LineBreaks::kRefused) {
      if (const char32_t bidi = BidiControlAt(text, i)) {
        return TextProblem{TextFault::kBidiControl, i, byte, bidi};
      }
    }
    i += length;
  }
  return std::nullopt;
}

std::string DescribeTextProblem(const TextProblem& problem, std::string_view what) {
  std::string out(what);
  switch (problem.fault) {
    case TextFault::kNotUtf8:
      return out + " has a character that is not UTF-8";
    case TextFault::kControl: {
      std::string code = "U+00";
      code.push_back(kHexDigits[problem.byte >> 4]);
      code.push_back(kHexDigits[problem.byte & 0x0F]);
      return out + " has a control character (" + code + "). Remove it";
    }
    case TextFault::kLineBreak:
      return out + " must be one line. Remove the line break";
    case TextFault::kLoneCarriageReturn:
      return out + " has a carriage return (CR) that is not part of a line break";
    case TextFault::kBidiControl: {
      std::string code = "U+";
      for (int shift = 12; shift >= 0; shift -= 4) {
        code.push_back(kHexDigits[(problem.code_point >> shift) & 0x0F]);
      }
      return out + " has a bidirectional control character (" + code +
             "), which can make text show differently from what it says. Remove it";
    }
  }
  return out + " is not text";
}

std::string_view Trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t n = SpaceAt(text, begin);
    if (n == 0) break;
    begin += n;
  }
  std::size_t end = text.size();
  while (end > begin) {
    const char c = text[end - 1];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      --end;
    } else if (end - begin >= 2 && text[end - 2] == '\xC2' && c == '\xA0') {
      end -= 2;
    } else {
      break;
    }
  }
  return text.substr(begin, end - begin);
}

std::string NameAsTyped(std::string_view name) {
  std::string text(name);
  std::replace(text.begin(), text.end(), '\t', ' ');
  return std::string(Trim(text));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = UpperAscii(c);
  return out;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

}  // namespace pathway::domain
