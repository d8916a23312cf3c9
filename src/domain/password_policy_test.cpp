#include "domain/password_policy.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

namespace pathway::domain {
namespace {

constexpr std::string_view kNoEmail;

// The message CheckNewPassword gives, or "" if the password is accepted.
std::string Message(std::string_view password, const PasswordBlocklist& blocklist = {},
                    std::string_view email = kNoEmail) {
  auto error = CheckNewPassword(password, blocklist, email);
  if (!error) return "";
  EXPECT_EQ(error->code, ErrorCode::kInvalidInput);
  EXPECT_EQ(error->field, "password");
  return error->message;
}

std::string Repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

constexpr std::string_view kTooShort = "Password must be 8 characters or more";
constexpr std::string_view kTooLong = "Password must be 256 characters or fewer";
constexpr std::string_view kCommon = "Password must not be a commonly used password";
constexpr std::string_view kNotText = "Password must be valid text";

TEST(PasswordPolicyTest, EmptyPasswordAsksForOne) { EXPECT_EQ(Message(""), "Enter a password"); }

TEST(PasswordPolicyTest, MinimumIsEightCodePoints) {
  EXPECT_EQ(Message("abcdefg"), kTooShort);
  EXPECT_EQ(Message("abcdefgh"), "");
  // 7 two-byte characters (14 bytes) are still 7 characters; 8 are enough.
  EXPECT_EQ(Message(Repeat("é", 7)), kTooShort);
  EXPECT_EQ(Message(Repeat("é", 8)), "");
  // 3- and 4-byte characters count as one each too.
  EXPECT_EQ(Message(Repeat("密", 7)), kTooShort);
  EXPECT_EQ(Message(Repeat("🔑", 7)), kTooShort);
  EXPECT_EQ(Message(Repeat("🔑", 8)), "");
}

TEST(PasswordPolicyTest, MaximumIsTwoHundredFiftySixCodePoints) {
  EXPECT_EQ(Message(Repeat("a", 256)), "");
  EXPECT_EQ(Message(Repeat("a", 257)), kTooLong);
  // 256 four-byte characters are 1,024 bytes but 256 characters.
  EXPECT_EQ(Message(Repeat("🔑", 256)), "");
  EXPECT_EQ(Message(Repeat("🔑", 257)), kTooLong);
}

TEST(PasswordPolicyTest, NoCompositionRules) {
  EXPECT_EQ(Message("aaaaaaaa"), "");               // one letter, repeated
  EXPECT_EQ(Message("correct horse battery"), "");  // spaces allowed
  EXPECT_EQ(Message("        "), "");               // spaces only: allowed, if unwise
  EXPECT_EQ(Message("ÄÖÜ äöü ß"), "");
}

TEST(PasswordPolicyTest, RefusesInvalidUtf8AndControlCharacters) {
  EXPECT_EQ(Message("abcdefgh\xff"), kNotText);
  EXPECT_EQ(Message("abcdefgh\xc3"), kNotText);              // truncated sequence
  EXPECT_EQ(Message("abcdefgh\xc0\xaf"), kNotText);          // overlong "/"
  EXPECT_EQ(Message("abcdefgh\xe0\x80\xaf"), kNotText);      // overlong, 3 bytes
  EXPECT_EQ(Message("abcdefgh\xed\xa0\x80"), kNotText);      // surrogate U+D800
  EXPECT_EQ(Message("abcdefgh\xf4\x90\x80\x80"), kNotText);  // above U+10FFFF
  EXPECT_EQ(Message("abcdefgh\x80"), kNotText);              // lone continuation
  EXPECT_EQ(Message(std::string("abcd\0efgh", 9)), kNotText);
  EXPECT_EQ(Message("abcd\tefgh"), kNotText);
  EXPECT_EQ(Message("abcd\nefgh"), kNotText);
  EXPECT_EQ(Message("abcd\x7f"
                    "efgh"),
            kNotText);
  EXPECT_EQ(Message("abcd\xc2\x85"
                    "efgh"),
            kNotText);  // U+0085, a C1 control
  EXPECT_EQ(Message("abcd\xc2\xa0"
                    "efgh"),
            "");                                      // U+00A0, no-break space
  EXPECT_EQ(Message("abcdefg\xf4\x8f\xbf\xbf"), "");  // U+10FFFF, the last code point
}

TEST(PasswordPolicyTest, RefusesBlocklistedPasswordsIgnoringCase) {
  const PasswordBlocklist blocklist("password\nletmein1\r\n123456789\n");
  EXPECT_EQ(Message("password", blocklist), kCommon);
  EXPECT_EQ(Message("PassWord", blocklist), kCommon);
  EXPECT_EQ(Message("LETMEIN1", blocklist), kCommon);
  EXPECT_EQ(Message("123456789", blocklist), kCommon);
  EXPECT_EQ(Message("password1", blocklist), "");
  // Length is checked first: a short listed password is reported as too short.
  EXPECT_EQ(Message("pass", PasswordBlocklist("pass\n")), kTooShort);
}

TEST(PasswordPolicyTest, RefusesTheEmailAddressAndItsLocalPart) {
  const PasswordBlocklist none;
  const std::string_view email = "Jo.Bloggs@Example.gov.uk";
  EXPECT_EQ(Message("jo.bloggs", none, email), kCommon);
  EXPECT_EQ(Message("JO.BLOGGS", none, email), kCommon);
  EXPECT_EQ(Message("jo.bloggs@example.gov.uk", none, email), kCommon);
  EXPECT_EQ(Message("jo.bloggs2", none, email), "");
  // The local part is what comes before the last "@".
  EXPECT_EQ(Message("\"a@b\"-local", none, "\"a@b\"-local@example.com"), kCommon);
  // An address without "@" is compared whole; an empty one is ignored.
  EXPECT_EQ(Message("someone1", none, "someone1"), kCommon);
  EXPECT_EQ(Message("someone1", none, ""), "");
  EXPECT_EQ(Message("someone1", none, "@example.com"), "");
}

TEST(PasswordBlocklistTest, ParsesLinesWithCrlfBlankLinesAndNoFinalNewline) {
  const PasswordBlocklist blocklist("Alpha\r\n\r\nbeta\n\ngamma delta\n\nepsilon");
  EXPECT_EQ(blocklist.size(), 4u);
  EXPECT_TRUE(blocklist.Contains("alpha"));
  EXPECT_TRUE(blocklist.Contains("ALPHA"));
  EXPECT_TRUE(blocklist.Contains("beta"));
  EXPECT_TRUE(blocklist.Contains("gamma delta"));
  EXPECT_TRUE(blocklist.Contains("epsilon"));
  EXPECT_FALSE(blocklist.Contains("alpha\r"));
  EXPECT_FALSE(blocklist.Contains("gamma"));
  EXPECT_FALSE(blocklist.Contains(""));
}

TEST(PasswordBlocklistTest, DuplicatesIgnoringCaseCountOnce) {
  EXPECT_EQ(PasswordBlocklist("abc\nABC\nAbc\n").size(), 1u);
  EXPECT_EQ(PasswordBlocklist("").size(), 0u);
  EXPECT_EQ(PasswordBlocklist("\n\r\n").size(), 0u);
  EXPECT_FALSE(PasswordBlocklist().Contains("password"));
}

TEST(PasswordBlocklistTest, CopiesShareEntriesAndOutliveTheOriginal) {
  PasswordBlocklist copy;
  {
    std::string text = "qwerty123\n";
    const PasswordBlocklist original(text);
    text.assign(text.size(), 'x');  // the list keeps its own copy of the text
    copy = original;
  }
  EXPECT_TRUE(copy.Contains("QWERTY123"));
}

TEST(PasswordHintTest, MentionsTheMinimumAndRecommendedLengths) {
  const std::string_view hint = PasswordHint();
  EXPECT_NE(hint.find(fmt::format("{} characters or more", kMinPasswordLength)),
            std::string_view::npos);
  EXPECT_NE(hint.find(fmt::format("({} characters or more)", kRecommendedPasswordLength)),
            std::string_view::npos);
}

}  // namespace
}  // namespace pathway::domain
