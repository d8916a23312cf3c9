#include "interchange/json_field.hpp"

#include <gtest/gtest.h>

#include "interchange/passport_credential.hpp"

namespace pathway::interchange {
namespace {

using nlohmann::json;

TEST(JsonField, ReadsByTypeNamingThePlaceOfEveryProblem) {
  const json body = json::parse(
      R"({"name": "Ada", "k": 3, "big": 18446744073709551615, "half": 1.5,
          "filters": {"grade": "EO"}, "rows": [{"level": 2}, {"level": "two"}, 7], "gone": null})");
  const JsonField root(body, "");
  EXPECT_EQ(*root.RequiredString("name", "m"), "Ada");
  EXPECT_EQ(*root.Member("k")->Integer("m"), 3);
  EXPECT_FALSE(root.Member("gone").has_value());  // null reads as absent
  EXPECT_FALSE(root.Member("absent").has_value());
  const auto missing = root.RequiredString("absent", "Enter a name");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "absent");
  EXPECT_EQ(missing.error().message, "Enter a name");
  EXPECT_EQ(root.Member("big")->Integer("m").error().field, "big");  // beyond 64 bits
  EXPECT_EQ(root.Member("half")->Integer("m").error().field, "half");
  EXPECT_EQ(root.Member("filters")->RequiredString("grade", "m").value(), "EO");
  EXPECT_EQ(root.Member("filters")->RequiredString("region", "m").error().field, "filters.region");
  auto rows = root.Member("rows")->Array(3, "a list", "too many");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[1].Member("level")->Integer("m").error().field, "rows[1].level");
  EXPECT_EQ((*rows)[2].Object("an object").error().field, "rows[2]");
  EXPECT_EQ(root.Member("rows")->Array(2, "a list", "too many").error().message, "too many");
  EXPECT_EQ(root.Member("name")->Array(2, "a list", "too many").error().message, "a list");
  EXPECT_EQ(root.Member("name")->Array(2, "only one").error().message, "only one");
}

std::string Jws(const json& payload) {
  return Base64Url(R"({"alg":"EdDSA","typ":"vc+jwt","kid":"k1"})") + "." +
         Base64Url(payload.dump()) + "." + Base64Url(std::string(64, 'x'));
}

json Credential() {
  return json::parse(R"({
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:1", "issuer": {"name": "DWP"},
    "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z",
    "credentialSubject": {
      "id": "urn:pathway:person:E1", "name": "Ada",
      "achievement": {"resultDescription": [{"id": "https://x/CFItems/i1", "name": "Programming"}]},
      "result": [{"pathwayLevel": {"item": "https://x/CFItems/i1", "framework": "f",
                  "frameworkVersion": 2, "level": 3, "source": "manager",
                  "assessedOn": "2026-01-01"}}]}})");
}

TEST(PassportCredential, AMissingOrMistypedMemberIsNamed) {
  const json good = Credential();
  auto parsed = ParsePassportJws(Jws(good));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->entries.size(), 1u);
  EXPECT_EQ(parsed->entries[0].item_id, "i1");
  EXPECT_EQ(parsed->entries[0].title, "Programming");
  EXPECT_EQ(parsed->entries[0].level, 3);
  EXPECT_EQ(parsed->issuer, "DWP");

  json level_text = good;
  level_text["credentialSubject"]["result"][0]["pathwayLevel"]["level"] = "three";
  auto bad = ParsePassportJws(Jws(level_text));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "credential");
  EXPECT_NE(bad.error().message.find("‘credentialSubject.result[0].pathwayLevel.level’ is missing "
                                     "or is not a whole number"),
            std::string::npos)
      << bad.error().message;

  json no_valid_until = good;
  no_valid_until.erase("validUntil");
  auto missing = ParsePassportJws(Jws(no_valid_until));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("‘validUntil’ is missing or is not text"),
            std::string::npos)
      << missing.error().message;

  json results_object = good;
  results_object["credentialSubject"]["result"] = json::object();
  auto not_list = ParsePassportJws(Jws(results_object));
  ASSERT_FALSE(not_list.ok());
  EXPECT_NE(not_list.error().message.find("‘credentialSubject.result’ is missing or is not a list"),
            std::string::npos)
      << not_list.error().message;
}

}  // namespace
}  // namespace pathway::interchange
