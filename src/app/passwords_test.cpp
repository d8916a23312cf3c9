#include "app/passwords.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>
#include <string>

namespace pathway::app {
namespace {

// libsodium's minimum argon2id cost: fast enough for many hashes per test. Never
// for stored passwords.
constexpr PasswordHashCost kCheap{1, 8192};

std::string SourceDir() {
  if (const char* dir = std::getenv("PATHWAY_SOURCE_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return PATHWAY_SOURCE_DIR;
}

std::string CheapHash(std::string_view password) {
  auto hash = HashPassword(password, kCheap);
  EXPECT_TRUE(hash.ok()) << hash.error().message;
  return hash.ok() ? *hash : std::string();
}

TEST(PasswordHashTest, RoundTripsWithACheapCost) {
  const std::string hash = CheapHash("correct horse battery staple");
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", hash));
  const std::string unicode = CheapHash("pässwörd 密码 🔑");
  EXPECT_TRUE(VerifyPassword("pässwörd 密码 🔑", unicode));
}

TEST(PasswordHashTest, RefusesTheWrongPassword) {
  const std::string hash = CheapHash("correct horse battery staple");
  EXPECT_FALSE(VerifyPassword("correct horse battery stapler", hash));
  EXPECT_FALSE(VerifyPassword("Correct horse battery staple", hash));
  EXPECT_FALSE(VerifyPassword("", hash));
}

TEST(PasswordHashTest, IsArgon2idAndRecordsItsCost) {
  const std::string hash = CheapHash("correct horse battery staple");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_NE(hash.find("$m=8,t=1,p=1$"), std::string::npos) << hash;  // m is in KiB
  EXPECT_EQ(hash.find("correct"), std::string::npos);
}

TEST(PasswordHashTest, SamePasswordHashesDifferentlyEachTime) {
  const std::string first = CheapHash("correct horse battery staple");
  const std::string second = CheapHash("correct horse battery staple");
  EXPECT_NE(first, second);  // a fresh salt each time
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", first));
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", second));
}

TEST(PasswordHashTest, DefaultCostIsArgon2idInteractive) {
  EXPECT_EQ(PasswordHashCost{}.opslimit, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
  EXPECT_EQ(PasswordHashCost{}.memlimit, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
  auto hash = HashPassword("correct horse battery staple");  // one hash: about 0.1 s
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
  EXPECT_FALSE(NeedsRehash(*hash));
}

TEST(PasswordHashTest, CheaperHashNeedsRehashUnderTheDefaultCost) {
  const std::string hash = CheapHash("correct horse battery staple");
  EXPECT_TRUE(NeedsRehash(hash));
  EXPECT_TRUE(NeedsRehash(hash, PasswordHashCost{2, 8192}));
  EXPECT_TRUE(NeedsRehash(hash, PasswordHashCost{1, 16384}));
  EXPECT_FALSE(NeedsRehash(hash, kCheap));
}

TEST(PasswordHashTest, Argon2iHashVerifiesButNeedsRehash) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  const std::string password = "correct horse battery staple";
  ASSERT_EQ(crypto_pwhash_str_alg(out, password.data(), password.size(), 3, 8192,
                                  crypto_pwhash_ALG_ARGON2I13),
            0);
  const std::string hash = out;
  ASSERT_TRUE(hash.starts_with("$argon2i$")) << hash;
  EXPECT_TRUE(VerifyPassword(password, hash));
  EXPECT_TRUE(NeedsRehash(hash, PasswordHashCost{3, 8192}));
}

TEST(PasswordHashTest, MalformedStoredHashVerifiesFalse) {
  const std::string good = CheapHash("correct horse battery staple");
  std::string tampered = good;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  const std::string with_nul = good.substr(0, 20) + std::string(1, '\0') + good.substr(20);
  for (const std::string& stored :
       {std::string(), std::string("not a hash"), std::string("$argon2id$"),
        good.substr(0, good.size() - 10), with_nul, good + std::string(200, 'A'),
        "$2b$12$" + std::string(53, 'a')}) {
    EXPECT_FALSE(VerifyPassword("correct horse battery staple", stored)) << stored;
    EXPECT_TRUE(NeedsRehash(stored, kCheap)) << stored;
  }
  // An altered but well-formed hash is refused, though its cost is current.
  EXPECT_FALSE(VerifyPassword("correct horse battery staple", tampered));
  EXPECT_FALSE(NeedsRehash(tampered, kCheap));
}

TEST(PasswordHashTest, RefusesACostOutsideLibsodiumsRange) {
  for (PasswordHashCost cost : {PasswordHashCost{0, 8192}, PasswordHashCost{1, 1024}}) {
    auto hash = HashPassword("correct horse battery staple", cost);
    ASSERT_FALSE(hash.ok());
    EXPECT_EQ(hash.error().code, domain::ErrorCode::kInternal);
    EXPECT_EQ(hash.error().message.find("correct"), std::string::npos);
  }
}

TEST(PasswordBlocklistFileTest, ShippedListHoldsRealCommonPasswords) {
  auto blocklist = LoadPasswordBlocklist(SourceDir() + "/data/common-passwords.txt");
  ASSERT_TRUE(blocklist.ok()) << blocklist.error().message;
  EXPECT_GE(blocklist->size(), 10000u);
  for (std::string_view common : {"123456", "password", "123456789", "qwerty", "letmein",
                                  "trustno1", "iloveyou", "password1", "PASSW0RD", "Sunshine"}) {
    EXPECT_TRUE(blocklist->Contains(common)) << common;
  }
  EXPECT_FALSE(blocklist->Contains("correct horse battery staple"));
  EXPECT_FALSE(blocklist->Contains(""));

  const auto refused = domain::CheckNewPassword("Password1", *blocklist, "jo@example.gov.uk");
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->message, "Password must not be a commonly used password");
  EXPECT_FALSE(domain::CheckNewPassword("plum velvet harbour", *blocklist, "jo@example.gov.uk"));
}

TEST(PasswordBlocklistFileTest, MissingFileIsAnErrorNamingThePath) {
  auto blocklist = LoadPasswordBlocklist(SourceDir() + "/data/no-such-list.txt");
  ASSERT_FALSE(blocklist.ok());
  EXPECT_EQ(blocklist.error().code, domain::ErrorCode::kInternal);
  EXPECT_NE(blocklist.error().message.find("no-such-list.txt"), std::string::npos);
}

}  // namespace
}  // namespace pathway::app
