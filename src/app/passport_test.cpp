// The skills passport through the kernel on real SQLite files: a credential signed in one
// database verifies in another that trusts the key, and imports once with consent; every
// byte altered, an unknown or revoked key, another person, no consent, an expired or
// malformed credential: refused, nothing recorded.
#include "app/passport.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>
#include <functional>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "interchange/passport_credential.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace pathway::app {
namespace {

const std::string kItem = "00000000-0000-4000-8000-0000000000b1";
const std::string kOther = "00000000-0000-4000-8000-0000000000b2";

struct Side {
  std::unique_ptr<store::ConnectionPool> pool;
  std::unique_ptr<Authorizer> authorizer;
  std::unique_ptr<UnitOfWork> kernel;
  std::unique_ptr<PassportService> service;
};

class PassportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("pathway-passport-{}-{}", getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open(issuer_, "a.db", true);
    Open(receiver_, "b.db", false);
  }
  void TearDown() override {
    for (Side* s : {&issuer_, &receiver_}) {
      s->service.reset();
      s->kernel.reset();
      s->pool.reset();
    }
    std::filesystem::remove_all(dir_);
  }
  void Open(Side& side, const std::string& name, bool issuer) {
    const std::string path = (dir_ / name).string();
    {
      auto db = store::Database::Open(path);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(store::Migrate(**db).ok());
      std::string sql =
          "INSERT INTO framework (id, kind) VALUES ('fw', 'competency');"
          "INSERT INTO framework_version (framework_id, version, title, description) VALUES ('fw', "
          "1, 'F', '');"
          "INSERT INTO fw_cluster VALUES ('fw', 1, 'c', 1, 'C', '', '');";
      // The receiver holds only the first item.
      const std::vector<std::string> items =
          issuer ? std::vector<std::string>{kItem, kOther} : std::vector<std::string>{kItem};
      int position = 0;
      for (const auto& item : items) {
        sql += fmt::format("INSERT INTO fw_item VALUES ('fw', 1, '{}', 'c', {}, 0, 'Item {}', '');",
                           item, ++position, position);
        for (int level = 1; level <= 4; ++level) {
          sql += fmt::format("INSERT INTO fw_level VALUES ('fw', 1, '{}', {}, 'L{}', '');", item,
                             level, level);
        }
      }
      sql +=
          "UPDATE framework_version SET status = 'published';"
          "INSERT INTO department (id, code, name) VALUES (1, 'D1', 'One');"
          "INSERT INTO person (id, external_id, display_name, department) VALUES (1, 'P1', 'Ann', "
          "'D1'), (2, 'P2', 'Bob', 'D1');";
      if (issuer) {
        sql += fmt::format(
            "INSERT INTO item_ref (id, framework_id, item_id) VALUES (1, 'fw', '{}'), (2, 'fw', "
            "'{}');"
            "INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, "
            "framework_version) VALUES "
            "(1, 1, 1, 3, 'manager', '2026-06-01', 1), (1, 2, 1, 2, 'panel', '2026-06-01', 1), "
            "(1, 2, 2, 4, 'self', '2026-07-01', 1);",
            kItem, kOther);
      }
      ASSERT_TRUE((*db)->Execute(sql).ok());
    }
    side.pool = std::move(store::ConnectionPool::Open(path, 2)).value();
    std::ifstream in(std::string(PATHWAY_SOURCE_DIR) + "/policy/access.csv");
    std::stringstream text;
    text << in.rdbuf();
    side.authorizer = std::make_unique<Authorizer>(std::move(Policy::Parse(text.str())).value());
    side.kernel = std::make_unique<UnitOfWork>(*side.pool, *side.authorizer, clock_);
    side.service = std::make_unique<PassportService>(*side.kernel);
  }
  std::int64_t Count(Side& side, const std::string& sql) {
    auto db = side.pool->Acquire();
    auto s = db->Prepare(sql);
    EXPECT_TRUE(s.ok() && *s->Step());
    return s->ColumnInt(0);
  }
  // A credential for P1 from the issuer, its key trusted by the receiver.
  std::string Issue(bool trust = true) {
    auto key = issuer_.service->CreateKey(Actor::System(), "D1", (dir_ / "d1.key").string());
    EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message);
    if (trust) {
      EXPECT_TRUE(receiver_.service->Trust(Actor::System(), *key).ok());
    }
    key_ = *key;
    auto text = issuer_.service->Export(Actor::System(), "P1", (dir_ / "d1.key").string(),
                                        "https://d1.example/ims/case/v1p1", 30);
    EXPECT_TRUE(text.ok()) << (text.ok() ? "" : text.error().message);
    return *text;
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  Side issuer_;
  Side receiver_;
  PassportKey key_;
};

TEST_F(PassportTest, ACredentialVerifiesWhereTheKeyIsTrustedAndImportsOnceWithConsent) {
  const std::string text = Issue();
  EXPECT_EQ(
      std::filesystem::status(dir_ / "d1.key").permissions() & std::filesystem::perms::others_all,
      std::filesystem::perms::none);
  auto verified = receiver_.service->Verify(text);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->subject_hr_id, "P1");
  // Only confirmed levels travel: item 1 (manager 3) and item 2 (panel 2, not the later self 4).
  ASSERT_EQ(verified->entries.size(), 2u);
  EXPECT_EQ(verified->entries[1].level, 2);
  EXPECT_EQ(verified->entries[1].source, "panel");
  EXPECT_FALSE(receiver_.service->Import(Actor::System(), "P1", text, false).ok()) << "no consent";
  EXPECT_FALSE(receiver_.service->Import(Actor::System(), "P2", text, true).ok())
      << "another person";
  EXPECT_EQ(Count(receiver_, "SELECT count(*) FROM assessment"), 0);
  auto imported = receiver_.service->Import(Actor::System(), "P1", text, true);
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->recorded, 1);
  ASSERT_EQ(imported->unmapped.size(), 1u) << "the item the receiver does not hold is listed";
  EXPECT_EQ(imported->unmapped[0], "Item 2");
  EXPECT_EQ(
      Count(receiver_, "SELECT count(*) FROM assessment WHERE assessor = 'passport' AND level = 3"),
      1);
  auto again = receiver_.service->Import(Actor::System(), "P1", text, true);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, domain::ErrorCode::kConflict);
  EXPECT_EQ(Count(receiver_, "SELECT count(*) FROM assessment"), 1);
}

TEST_F(PassportTest, EveryAlteredByteIsRefused) {
  const std::string text = Issue();
  int refused = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string altered = text;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    if (!receiver_.service->Verify(altered).ok()) ++refused;
  }
  EXPECT_EQ(refused, static_cast<int>(text.size()));
}

TEST_F(PassportTest, AnUnknownOrRevokedKeyOrAMalformedCredentialIsRefused) {
  const std::string text = Issue(false);
  auto unknown = receiver_.service->Verify(text);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("trust list"), std::string::npos);
  ASSERT_TRUE(receiver_.service->Trust(Actor::System(), key_).ok());
  EXPECT_TRUE(receiver_.service->Verify(text).ok());
  ASSERT_TRUE(receiver_.service->RevokeKey(Actor::System(), key_.kid).ok());
  auto revoked = receiver_.service->Verify(text);
  ASSERT_FALSE(revoked.ok());
  EXPECT_NE(revoked.error().message.find("revoked"), std::string::npos);
  EXPECT_FALSE(receiver_.service->Verify("not.a.jws").ok());
  EXPECT_FALSE(receiver_.service->Verify("{}").ok());
  EXPECT_FALSE(receiver_.service->Verify(std::string(kMaxCredentialBytes + 1, 'a')).ok());
  // A revoked signing key no longer signs.
  ASSERT_TRUE(issuer_.service->RevokeKey(Actor::System(), key_.kid).ok());
  EXPECT_FALSE(
      issuer_.service
          ->Export(Actor::System(), "P1", (dir_ / "d1.key").string(), "https://x.example", 30)
          .ok());
  EXPECT_FALSE(issuer_.service->CreateKey(Actor::System(), "D1", (dir_ / "d1.key").string()).ok())
      << "an existing key file is never overwritten";
}

// The payload of `text` changed by `change` and signed again with the issuer's key file,
// as the issuer would: a well-signed credential whose content is the test's to choose.
std::string Resigned(const std::string& text, const std::filesystem::path& key_file,
                     const std::function<void(nlohmann::json&)>& change) {
  const auto first = text.find('.');
  const auto second = text.find('.', first + 1);
  auto payload = interchange::FromBase64Url(text.substr(first + 1, second - first - 1));
  EXPECT_TRUE(payload.has_value());
  nlohmann::json credential = nlohmann::json::parse(*payload);
  change(credential);
  const std::string input = text.substr(0, first) + "." + interchange::Base64Url(credential.dump());
  std::ifstream in(key_file);
  std::string hex;
  in >> hex;
  unsigned char seed[crypto_sign_SEEDBYTES];
  EXPECT_EQ(sodium_hex2bin(seed, sizeof seed, hex.data(), hex.size(), nullptr, nullptr, nullptr),
            0);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, seed);
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size(), sk);
  return input + "." +
         interchange::Base64Url(
             std::string_view(reinterpret_cast<const char*>(signature), sizeof signature));
}

TEST_F(PassportTest, AnExpiredOrNotYetValidCredentialIsRefusedAndRecordsNothing) {
  const std::string text = Issue();
  // The re-signing itself is sound: an unchanged payload still verifies.
  ASSERT_TRUE(
      receiver_.service->Verify(Resigned(text, dir_ / "d1.key", [](nlohmann::json&) {})).ok());
  const std::string expired = Resigned(text, dir_ / "d1.key", [](nlohmann::json& vc) {
    vc["validFrom"] = "2020-01-01T00:00:00Z";
    vc["validUntil"] = "2021-01-01T00:00:00Z";
  });
  auto refused = receiver_.service->Verify(expired);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "credential");
  EXPECT_NE(refused.error().message.find("expired on 2021-01-01"), std::string::npos)
      << refused.error().message;
  EXPECT_FALSE(receiver_.service->Import(Actor::System(), "P1", expired, true).ok());
  const std::string early = Resigned(text, dir_ / "d1.key", [](nlohmann::json& vc) {
    vc["validFrom"] = "2999-01-01T00:00:00Z";
    vc["validUntil"] = "2999-12-31T00:00:00Z";
  });
  auto not_yet = receiver_.service->Verify(early);
  ASSERT_FALSE(not_yet.ok());
  EXPECT_NE(not_yet.error().message.find("not valid yet"), std::string::npos);
  EXPECT_EQ(Count(receiver_, "SELECT count(*) FROM assessment"), 0);
}

TEST_F(PassportTest, ARotatedKeyLeavesOldCredentialsVerifiable) {
  const std::string old_credential = Issue();
  auto rotated = issuer_.service->CreateKey(Actor::System(), "D1", (dir_ / "d1-2027.key").string());
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_NE(rotated->kid, key_.kid);
  ASSERT_TRUE(receiver_.service->Trust(Actor::System(), *rotated).ok());
  auto fresh = issuer_.service->Export(Actor::System(), "P1", (dir_ / "d1-2027.key").string(),
                                       "https://d1.example/ims/case/v1p1", 30);
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_TRUE(receiver_.service->Verify(*fresh).ok());
  EXPECT_TRUE(receiver_.service->Verify(old_credential).ok()) << "the old public key is kept";
  // Retiring the old key for good is a revocation: its credentials stop verifying.
  ASSERT_TRUE(receiver_.service->RevokeKey(Actor::System(), key_.kid).ok());
  EXPECT_FALSE(receiver_.service->Verify(old_credential).ok());
  EXPECT_TRUE(receiver_.service->Verify(*fresh).ok());
}

TEST(Base64UrlTest, OnlyTheCanonicalEncodingDecodes) {
  using interchange::Base64Url;
  using interchange::FromBase64Url;
  EXPECT_EQ(Base64Url("hi?"), "aGk_");
  EXPECT_EQ(FromBase64Url("aGk_"), std::optional<std::string>("hi?"));
  EXPECT_FALSE(FromBase64Url("aGk/"));
  EXPECT_FALSE(FromBase64Url("aGk_="));
  EXPECT_FALSE(FromBase64Url("aGl"));  // stray bits
}

}  // namespace
}  // namespace pathway::app
