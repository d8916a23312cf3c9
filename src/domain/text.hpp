// Text as Pathway accepts and keeps it: UTF-8 checks, character counts, the longest
// texts it stores, and the one Trim, Lower and Upper. Every door checks text with
// FindTextProblem before anything is stored: form fields, query strings and multipart
// fields (web/http.hpp, web/multipart.hpp), JSON bodies (web/json.hpp) and imported files
// (interchange/). Only the standard library; no locale is consulted.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pathway::domain {

// ---- UTF-8

// Length of the valid UTF-8 sequence starting at text[i] (1 to 4), or 0 if the bytes
// there are not valid UTF-8: a stray continuation byte, an overlong form, a surrogate, a
// code point above U+10FFFF or a sequence cut short by the end of `text`. `i` must be
// less than text.size().
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

// Whether every byte of `text` belongs to a valid UTF-8 sequence. Empty text is valid.
bool ValidUtf8(std::string_view text);

// A control character: C0 other than tab, or DEL. Carriage return and line feed count;
// callers that allow line breaks judge them first.
inline bool IsControl(unsigned char byte) { return byte == 0x7F || (byte < 0x20 && byte != '\t'); }

// Number of characters (code points) in `text`. A byte that begins no valid sequence
// counts as one character, so the count never exceeds text.size().
std::size_t CharacterCount(std::string_view text);

// ---- Checking text at the door

enum class LineBreaks {
  kRefused,  // one-line text: names, titles, codes, query parameters
  kAllowed,  // multi-line text: LF and CRLF line breaks (descriptions, indicators)
};

enum class TextFault {
  kNotUtf8,             // bytes that are not UTF-8
  kControl,             // a control character other than tab (and line breaks where allowed)
  kLineBreak,           // a line feed or carriage return in one-line text
  kLoneCarriageReturn,  // in multi-line text, a carriage return not followed by a line feed
  kBidiControl,         // in one-line text, a bidirectional control character (see below)
};

struct TextProblem {
  TextFault fault = TextFault::kNotUtf8;
  std::size_t offset = 0;   // of the first byte at fault
  unsigned char byte = 0;   // that byte
  char32_t code_point = 0;  // for kBidiControl, which one
};

// The code point of a bidirectional control character encoded at text[i] (U+202A to
// U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C), or 0. They can make a name or title
// display differently from how it is stored ("Trojan Source"), so one-line text refuses
// them; multi-line text (descriptions in right-to-left languages) keeps them.
char32_t BidiControlAt(std::string_view text, std::size_t i);

// The first reason `text` is not text Pathway accepts, or nullopt when it is: valid
// UTF-8 with no control character other than tab, and, when `line_breaks` is kAllowed,
// line feeds and CRLF pairs; one-line text has no bidirectional control character.
// Empty text is fine. Linear in text.size(); never throws.
std::optional<TextProblem> FindTextProblem(std::string_view text, LineBreaks line_breaks);

// What is wrong, for the person who sent it, in GOV.UK style, about the text named
// `what` (for example "‘name’" or "The query parameter ‘q’"): "‘name’ has a character that
// is not UTF-8", "‘name’ has a control character (U+0007). Remove it", ...
std::string DescribeTextProblem(const TextProblem& problem, std::string_view what);

// ---- The longest texts Pathway keeps, in characters (CharacterCount)

inline constexpr std::size_t kMaxCodeLength = 64;            // codes and external ids
inline constexpr std::size_t kMaxNameLength = 250;           // names, titles, labels, tags
inline constexpr std::size_t kMaxStatementLength = 2000;     // an indicator, a requirement
inline constexpr std::size_t kMaxDescriptionLength = 10000;  // descriptions, introductions

// ---- Space and case (ASCII letters only; other bytes, UTF-8 included, are kept)

// `text` without the white space around it: space, tab, CR, LF, FF, VT and U+00A0
// NO-BREAK SPACE. A view into `text`.
std::string_view Trim(std::string_view text);

// A name or title as it is kept: each tab (pasted from a spreadsheet) becomes a space, and
// the white space around it goes (Trim). Other characters are kept as they are: checking
// them (FindTextProblem) is the caller's.
std::string NameAsTyped(std::string_view name);

// One byte in lower case if it is an ASCII capital letter; any other byte as it is.
inline char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string Lower(std::string_view text);
std::string Upper(std::string_view text);
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace pathway::domain
