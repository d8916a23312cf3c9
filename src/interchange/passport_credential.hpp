// The skills passport's format (docs/formats/passport.md): a W3C Verifiable Credential
// 2.0 in the Open Badges 3.0 shape, secured as a compact JWS (VC-JOSE-COSE, EdDSA).
// Reading it here checks only its form; app/passport.cpp checks the signature against the
// trust list, the dates and revocation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"

namespace pathway::interchange {

inline constexpr std::size_t kMaxCredentialBytes = 1024 * 1024;
inline constexpr std::string_view kPassportSubjectPrefix = "urn:pathway:person:";

// Base64url without padding; decoding accepts only the canonical encoding.
std::string Base64Url(std::string_view bytes);
std::optional<std::string> FromBase64Url(std::string_view text);

struct CredentialEntry {
  std::string item_uri;  // BASE/CFItems/UUID
  std::string item_id;   // the UUID at its end; empty when the URI has none
  std::string title;
  std::string framework;
  int framework_version = 0;
  int level = 0;  // 1 to 9
  std::string source;
  std::string assessed_on;
};

struct ParsedCredential {
  std::string kid;            // the JWS header's key id
  std::string signing_input;  // BASE64URL(header) "." BASE64URL(payload): what is signed
  std::string signature;      // the raw signature bytes
  std::string id;
  std::string issuer;
  std::string subject_hr_id;
  std::string subject_name;
  std::string valid_from;
  std::string valid_until;
  std::vector<CredentialEntry> entries;
};

// Reads a compact JWS passport. kInvalidInput naming "credential" with the reason for
// anything but a well-formed one: over kMaxCredentialBytes, not three base64url parts,
// a header that is not {alg: EdDSA, typ: vc+jwt, kid}, a payload that is not a VC 2.0 with
// the members the format names, a level out of range. Never throws.
domain::Result<ParsedCredential> ParsePassportJws(std::string_view text);

}  // namespace pathway::interchange
