#include "domain/password_policy.hpp"

#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>

#include "domain/text.hpp"

namespace pathway::domain {
namespace {

constexpr std::string_view kField = "password";

bool EqualIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

// FNV-1a over the ASCII-lower-cased bytes, so that equal-ignoring-case keys collide.
struct CaseInsensitiveHash {
  std::size_t operator()(std::string_view text) const {
    std::uint64_t hash = 14695981039346656037ULL;
    for (char c : text) {
      hash ^= static_cast<unsigned char>(LowerAscii(c));
      hash *= 1099511628211ULL;
    }
    return static_cast<std::size_t>(hash);
  }
};

struct CaseInsensitiveEqual {
  bool operator()(std::string_view a, std::string_view b) const {
    return EqualIgnoringAsciiCase(a, b);
  }
};

bool IsControl(char32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

// The number of code points in `text`, or nullopt if it is not well-formed UTF-8
// (overlong forms, surrogates and values above U+10FFFF included) or holds a control
// character.
std::optional<std::size_t> CountPrintableCodePoints(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t code_point = 0;
    unsigned char min_second = 0x80;
    unsigned char max_second = 0xBF;
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0F;
      if (lead == 0xE0) min_second = 0xA0;  // overlong
      if (lead == 0xED) max_second = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07;
      if (lead == 0xF0) min_second = 0x90;  // overlong
      if (lead == 0xF4) max_second = 0x8F;  // above U+10FFFF
    } else {
      return std::nullopt;  // a continuation byte, C0/C1 (overlong) or F5..FF
    }
    if (text.size() - i < length) return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      const unsigned char low = k == 1 ? min_second : 0x80;
      const unsigned char high = k == 1 ? max_second : 0xBF;
      if (byte < low || byte > high) return std::nullopt;
      code_point = (code_point << 6) | (byte & 0x3F);
    }
    if (IsControl(code_point)) return std::nullopt;
    i += length;
    ++count;
  }
  return count;
}

Error Invalid(std::string message) {
  return Error::InvalidInput(std::string(kField), std::move(message));
}

}  // namespace

struct PasswordBlocklist::Entries {
  std::string text;  // the lower-cased entries, which `set` views
  std::unordered_set<std::string_view, CaseInsensitiveHash, CaseInsensitiveEqual> set;
};

PasswordBlocklist::PasswordBlocklist() : entries_(std::make_shared<const Entries>()) {}

PasswordBlocklist::PasswordBlocklist(std::string_view text) {
  auto entries = std::make_shared<Entries>();
  entries->text.reserve(text.size());
  for (char c : text) entries->text.push_back(LowerAscii(c));
  // Views into entries->text, which is not modified again.
  std::string_view rest = entries->text;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) entries->set.insert(line);
  }
  entries_ = std::move(entries);
}

bool PasswordBlocklist::Contains(std::string_view password) const {
  return entries_->set.contains(password);
}

std::size_t PasswordBlocklist::size() const { return entries_->set.size(); }

std::optional<Error> CheckNewPassword(std::string_view password, const PasswordBlocklist& blocklist,
                                      std::string_view email) {
  if (password.empty()) return Invalid("Enter a password");
  const std::optional<std::size_t> length = CountPrintableCodePoints(password);
  if (!length) return Invalid("Password must be valid text");
  if (*length < kMinPasswordLength) {
    return Invalid("Password must be " + std::to_string(kMinPasswordLength) +
                   " characters or more");
  }
  if (*length > kMaxPasswordLength) {
    return Invalid("Password must be " + std::to_string(kMaxPasswordLength) +
                   " characters or fewer");
  }
  const std::string_view local_part = email.substr(0, email.rfind('@'));
  if (blocklist.Contains(password) || (!email.empty() && EqualIgnoringAsciiCase(password, email)) ||
      (!local_part.empty() && EqualIgnoringAsciiCase(password, local_part))) {
    return Invalid("Password must not be a commonly used password");
  }
  return std::nullopt;
}

std::string_view PasswordHint() {
  static_assert(kMinPasswordLength == 8 && kRecommendedPasswordLength == 15,
                "update the hint text to match the lengths");
  return "Use 8 characters or more. A longer password, like 3 random words (15 characters or "
         "more), is harder to guess.";
}

}  // namespace pathway::domain
