// Random secrets (session ids, CSRF tokens, API tokens) and how they are stored: only
// a hash of each secret is ever written to the database.
#pragma once

#include <string>
#include <string_view>

namespace pathway::app {

// `bytes` random bytes from the operating system, base64url-encoded without padding.
std::string RandomSecret(std::size_t bytes = 32);

// BLAKE2b-256 of the secret, hex. A fast hash suffices: the secrets are random and
// long, so there is nothing to guess.
std::string HashSecret(std::string_view secret);

// Compares in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace pathway::app
