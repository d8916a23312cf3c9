#include "interchange/passport_credential.hpp"

#include <sodium.h>

#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

namespace pathway::interchange {
namespace {

domain::Error Refused(std::string reason) {
  return domain::Error::InvalidInput("credential", std::move(reason));
}

}  // namespace

std::string Base64Url(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> FromBase64Url(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  // Only the canonical encoding: re-encoding gives the same text (no stray bits).
  if (Base64Url(out) != text) return std::nullopt;
  return out;
}

domain::Result<ParsedCredential> ParsePassportJws(std::string_view raw) {
  using nlohmann::json;
  if (raw.size() > kMaxCredentialBytes) return Refused("The credential is larger than 1 MiB");
  std::string_view text = raw;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const auto dot1 = text.find('.');
  const auto dot2 =
      dot1 == std::string_view::npos ? std::string_view::npos : text.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || text.find('.', dot2 + 1) != std::string_view::npos) {
    return Refused("This is not a compact JWS: it needs three parts separated by dots");
  }
  auto header_bytes = FromBase64Url(text.substr(0, dot1));
  auto payload_bytes = FromBase64Url(text.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = FromBase64Url(text.substr(dot2 + 1));
  if (!header_bytes || !payload_bytes || !signature)
    return Refused("A part of the JWS is not base64url");
  const json header = json::parse(*header_bytes, nullptr, false);
  if (!header.is_object()) return Refused("The JWS header is not JSON");
  const auto text_member = [](const json& object, const char* name) -> std::optional<std::string> {
    auto it = object.find(name);
    if (it == object.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  if (text_member(header, "alg") != std::optional<std::string>("EdDSA"))
    return Refused("The JWS algorithm must be EdDSA");
  if (text_member(header, "typ") != std::optional<std::string>("vc+jwt"))
    return Refused("The JWS type must be vc+jwt");
  auto kid = text_member(header, "kid");
  if (!kid || kid->empty()) return Refused("The JWS header names no key (kid)");
  const json vc = json::parse(*payload_bytes, nullptr, false);
  if (!vc.is_object()) return Refused("The credential is not a JSON object");
  try {
    if (!vc.at("@context").is_array() || vc.at("@context").empty() ||
        vc.at("@context").at(0) != "https://www.w3.org/ns/credentials/v2") {
      return Refused("The credential is not a Verifiable Credential 2.0");
    }
    ParsedCredential out;
    out.kid = *kid;
    out.signing_input = std::string(text.substr(0, dot2));
    out.signature = std::move(*signature);
    out.id = vc.at("id").get<std::string>();
    const auto& issuer = vc.at("issuer");
    out.issuer =
        issuer.is_string() ? issuer.get<std::string>() : issuer.at("name").get<std::string>();
    out.valid_from = vc.at("validFrom").get<std::string>();
    out.valid_until = vc.at("validUntil").get<std::string>();
    const auto& subject = vc.at("credentialSubject");
    const std::string subject_id = subject.at("id").get<std::string>();
    if (!subject_id.starts_with(kPassportSubjectPrefix))
      return Refused("The credential's subject is not a person");
    out.subject_hr_id = subject_id.substr(kPassportSubjectPrefix.size());
    out.subject_name =
        subject.contains("name") ? subject.at("name").get<std::string>() : std::string();
    std::map<std::string, std::string> titles;
    for (const auto& d : subject.at("achievement").at("resultDescription")) {
      titles[d.at("id").get<std::string>()] =
          d.contains("name") ? d.at("name").get<std::string>() : std::string();
    }
    const auto& results = subject.at("result");
    if (!results.is_array()) return Refused("The credential's results are not a list");
    for (const auto& r : results) {
      const auto& level = r.at("pathwayLevel");
      CredentialEntry e;
      e.item_uri = level.at("item").get<std::string>();
      const auto slash = e.item_uri.rfind("/CFItems/");
      e.item_id = slash == std::string::npos ? std::string() : e.item_uri.substr(slash + 9);
      e.title = titles[e.item_uri];
      e.framework = level.at("framework").get<std::string>();
      e.framework_version = level.at("frameworkVersion").get<int>();
      e.level = level.at("level").get<int>();
      e.source = level.at("source").get<std::string>();
      e.assessed_on = level.at("assessedOn").get<std::string>();
      if (e.level < 1 || e.level > 9) return Refused("A level in the credential is out of range");
      out.entries.push_back(std::move(e));
    }
    return out;
  } catch (const json::exception&) {
    return Refused(
        "The credential is missing a member Pathway needs, or has one of another type "
        "(see docs/formats/passport.md)");
  }
}

}  // namespace pathway::interchange
