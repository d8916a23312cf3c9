#include "interchange/passport_credential.hpp"

#include <sodium.h>

#include <cstring>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "interchange/json_field.hpp"

namespace pathway::interchange {
namespace {

// Lists in a credential hold at most this many elements (its size already bounds them).
constexpr std::size_t kMaxListLength = 100'000;

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
  std::string_view text_view = raw;
  while (!text_view.empty() && (text_view.back() == '\n' || text_view.back() == '\r'))
    text_view.remove_suffix(1);
  const auto dot1 = text_view.find('.');
  const auto dot2 =
      dot1 == std::string_view::npos ? std::string_view::npos : text_view.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || text_view.find('.', dot2 + 1) != std::string_view::npos) {
    return Refused("This is not a compact JWS: it needs three parts separated by dots");
  }
  auto header_bytes = FromBase64Url(text_view.substr(0, dot1));
  auto payload_bytes = FromBase64Url(text_view.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = FromBase64Url(text_view.substr(dot2 + 1));
  if (!header_bytes || !payload_bytes || !signature)
    return Refused("A part of the JWS is not base64url");
  const json header = json::parse(*header_bytes, nullptr, false);
  if (!header.is_object()) return Refused("The JWS header is not JSON");
  const JsonField head(header, "");
  const auto header_text = [&head](std::string_view name) -> std::optional<std::string> {
    auto value = head.RequiredString(name, "");
    return value.ok() ? std::optional<std::string>(*value) : std::nullopt;
  };
  if (header_text("alg") != std::optional<std::string>("EdDSA"))
    return Refused("The JWS algorithm must be EdDSA");
  if (header_text("typ") != std::optional<std::string>("vc+jwt"))
    return Refused("The JWS type must be vc+jwt");
  auto kid = header_text("kid");
  if (!kid || kid->empty()) return Refused("The JWS header names no key (kid)");
  const json vc = json::parse(*payload_bytes, nullptr, false);
  if (!vc.is_object()) return Refused("The credential is not a JSON object");
  const JsonField root(vc, "");
  // Each read names the member that is missing or of another type.
  const auto missing = [](const JsonField& at, std::string_view name, std::string_view kind) {
    return Refused(
        fmt::format("The credential's ‘{}’ is missing or is not {} (see docs/formats/passport.md)",
                    at.PlaceOf(name), kind));
  };
  const auto text = [&](const JsonField& at, std::string_view name) -> domain::Result<std::string> {
    auto value = at.RequiredString(name, "");
    if (!value.ok()) return missing(at, name, "text");
    return value;
  };
  const auto object = [&](const JsonField& at, std::string_view name) -> domain::Result<JsonField> {
    const auto member = at.Member(name);
    if (!member || !member->Object("").ok()) return missing(at, name, "an object");
    return *member;
  };
  const auto number = [&](const JsonField& at, std::string_view name) -> domain::Result<int> {
    const auto member = at.Member(name);
    const auto value = member ? member->Integer("") : domain::Result<std::int64_t>(domain::Error{});
    if (!value.ok() || *value < INT32_MIN || *value > INT32_MAX) {
      return missing(at, name, "a whole number");
    }
    return static_cast<int>(*value);
  };
  const auto list = [&](const JsonField& at,
                        std::string_view name) -> domain::Result<std::vector<JsonField>> {
    const auto member = at.Member(name);
    auto items = member ? member->Array(kMaxListLength, "")
                        : domain::Result<std::vector<JsonField>>(domain::Error{});
    if (!items.ok()) return missing(at, name, "a list");
    return items;
  };

  const auto contexts = list(root, "@context");
  if (!contexts.ok() || contexts->empty() ||
      contexts->front().value() != "https://www.w3.org/ns/credentials/v2") {
    return Refused("The credential is not a Verifiable Credential 2.0");
  }
  ParsedCredential out;
  out.kid = *kid;
  out.signing_input = std::string(text_view.substr(0, dot2));
  out.signature = std::move(*signature);
  PATHWAY_ASSIGN_OR_RETURN(out.id, text(root, "id"));
  if (const auto issuer = root.Member("issuer"); issuer && issuer->value().is_string()) {
    out.issuer = issuer->value().get<std::string>();
  } else {
    PATHWAY_ASSIGN_OR_RETURN(const JsonField named, object(root, "issuer"));
    PATHWAY_ASSIGN_OR_RETURN(out.issuer, text(named, "name"));
  }
  PATHWAY_ASSIGN_OR_RETURN(out.valid_from, text(root, "validFrom"));
  PATHWAY_ASSIGN_OR_RETURN(out.valid_until, text(root, "validUntil"));
  PATHWAY_ASSIGN_OR_RETURN(const JsonField subject, object(root, "credentialSubject"));
  PATHWAY_ASSIGN_OR_RETURN(const std::string subject_id, text(subject, "id"));
  if (!subject_id.starts_with(kPassportSubjectPrefix)) {
    return Refused("The credential's subject is not a person");
  }
  out.subject_hr_id = subject_id.substr(kPassportSubjectPrefix.size());
  if (subject.Member("name")) {
    PATHWAY_ASSIGN_OR_RETURN(out.subject_name, text(subject, "name"));
  }
  PATHWAY_ASSIGN_OR_RETURN(const JsonField achievement, object(subject, "achievement"));
  std::map<std::string, std::string> titles;
  PATHWAY_ASSIGN_OR_RETURN(const auto descriptions, list(achievement, "resultDescription"));
  for (const JsonField& d : descriptions) {
    PATHWAY_ASSIGN_OR_RETURN(const std::string id, text(d, "id"));
    std::string name;
    if (d.Member("name")) {
      PATHWAY_ASSIGN_OR_RETURN(name, text(d, "name"));
    }
    titles[id] = std::move(name);
  }
  PATHWAY_ASSIGN_OR_RETURN(const auto results, list(subject, "result"));
  for (const JsonField& r : results) {
    PATHWAY_ASSIGN_OR_RETURN(const JsonField level, object(r, "pathwayLevel"));
    CredentialEntry e;
    PATHWAY_ASSIGN_OR_RETURN(e.item_uri, text(level, "item"));
    const auto slash = e.item_uri.rfind("/CFItems/");
    e.item_id = slash == std::string::npos ? std::string() : e.item_uri.substr(slash + 9);
    e.title = titles[e.item_uri];
    PATHWAY_ASSIGN_OR_RETURN(e.framework, text(level, "framework"));
    PATHWAY_ASSIGN_OR_RETURN(e.framework_version, number(level, "frameworkVersion"));
    PATHWAY_ASSIGN_OR_RETURN(e.level, number(level, "level"));
    PATHWAY_ASSIGN_OR_RETURN(e.source, text(level, "source"));
    PATHWAY_ASSIGN_OR_RETURN(e.assessed_on, text(level, "assessedOn"));
    if (e.level < 1 || e.level > 9) return Refused("A level in the credential is out of range");
    out.entries.push_back(std::move(e));
  }
  return out;
}

}  // namespace pathway::interchange
