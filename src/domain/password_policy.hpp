// The rules a new password must meet, after NCSC and NIST SP 800-63B: a minimum
// length, a generous maximum, no composition rules, and a block-list of common
// passwords. Hashing and verifying live in app/passwords.hpp.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "domain/result.hpp"

namespace pathway::domain {

// Lengths are counted in Unicode code points, so "é" or "密" counts as one character.
inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kRecommendedPasswordLength = 15;
inline constexpr std::size_t kMaxPasswordLength = 256;

// A set of common passwords that may not be chosen, compared case-insensitively
// (ASCII letters only: "PassWord" matches "password"; "É" does not match "é").
// Immutable once built: const methods are safe to call from any number of threads,
// and copies share the same entries.
class PasswordBlocklist {
 public:
  // An empty list, which contains nothing.
  PasswordBlocklist();

  // Builds the list from the text of a block-list file: one password per line, LF or
  // CRLF line endings, a final newline optional. Blank lines are skipped; nothing else
  // is trimmed, so a line's spaces are part of its password. The text is copied.
  explicit PasswordBlocklist(std::string_view text);

  // Whether `password` is on the list, ignoring ASCII case. Average O(1).
  bool Contains(std::string_view password) const;

  // The number of distinct entries (after lower-casing).
  std::size_t size() const;

 private:
  struct Entries;  // defined in the .cpp file

  // Shared so that copies stay cheap and the views in the set never dangle.
  std::shared_ptr<const Entries> entries_;
};

// Checks a password someone is choosing (on registration, reset or change) and
// returns nullopt if it may be used, else an InvalidInput Error for field "password"
// with the message to show under the field:
//   "Enter a password"                               it is empty
//   "Password must be valid text"                    invalid UTF-8, or a control character
//                                                    (U+0000-U+001F, U+007F-U+009F; tab and
//                                                    newline included). Spaces are allowed.
//   "Password must be 8 characters or more"          fewer than kMinPasswordLength
//   "Password must be 256 characters or fewer"       more than kMaxPasswordLength
//   "Password must not be a commonly used password"  on `blocklist`, or equal to `email`
//                                                    or its part before the last "@"
//                                                    (ignoring ASCII case)
// The first rule broken wins, in that order. There are no composition rules (digits,
// symbols, mixed case). The password never appears in the Error. `email` may be empty.
std::optional<Error> CheckNewPassword(std::string_view password, const PasswordBlocklist& blocklist,
                                      std::string_view email);

// The hint shown under a new-password field, in GOV.UK style. Static text.
std::string_view PasswordHint();

}  // namespace pathway::domain
