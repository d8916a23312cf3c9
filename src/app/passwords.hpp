// Password hashing with argon2id (libsodium's crypto_pwhash_str), and loading the
// block-list of common passwords. What a new password must be is decided by
// domain/password_policy.hpp; this file only stores and checks them.
//
// Passwords are never logged, copied into an Error, or kept after a call returns.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/password_policy.hpp"
#include "domain/result.hpp"

namespace pathway::app {

// The argon2id work factors. The default is libsodium's "interactive" level
// (crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE): 2 passes
// over 64 MiB, so each hash or verification briefly takes 64 MiB of memory. Tests
// may pass a cheaper cost; stored passwords must use the default.
struct PasswordHashCost {
  unsigned long long opslimit = 2;               // passes over memory; at least 1
  std::size_t memlimit = std::size_t{64} << 20;  // bytes; at least 8 KiB

  friend bool operator==(const PasswordHashCost&, const PasswordHashCost&) = default;
};

// Initialises libsodium once per process (thread-safe, cheap after the first call).
// Every function here calls it; call it yourself before using libsodium directly.
// Throws std::runtime_error if libsodium cannot start (no system randomness): a broken
// environment, not an expected failure.
void EnsureSodium();

// The argon2id hash of `password` with a fresh random salt, in libsodium's string
// form ("$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>"), which records the cost so
// that VerifyPassword and NeedsRehash need nothing else. Two calls with the same
// password give different strings. Any bytes are accepted: check the policy first
// with domain::CheckNewPassword. Returns an Internal error (with no part of the
// password in it) if the cost is out of libsodium's range or memory runs out.
// Thread-safe; takes about 0.1 s of CPU at the default cost.
domain::Result<std::string> HashPassword(std::string_view password, PasswordHashCost cost = {});

// Whether `password` matches `stored_hash`, a string from HashPassword (argon2i
// hashes from libsodium are accepted too). The comparison is constant-time. It is not
// an error if `stored_hash` is empty or malformed: the answer is then false. Never
// throws (except from EnsureSodium). Takes as long as hashing at the stored cost.
bool VerifyPassword(std::string_view password, std::string_view stored_hash);

// Whether `stored_hash` should be replaced by HashPassword(password, cost) the next
// time the password is known (after a successful VerifyPassword): true if it is not
// argon2id or was made with a different cost. Also true for a malformed hash, which
// VerifyPassword refuses anyway. Cheap: does no hashing.
bool NeedsRehash(std::string_view stored_hash, PasswordHashCost cost = {});

// Reads the block-list file at `path` (for example
// <source dir>/data/common-passwords.txt; see data/README.md for its format). Returns
// an Internal error naming the path if the file cannot be read or lists no passwords.
// Meant to be called once at start-up; the list can then be shared by all threads.
domain::Result<domain::PasswordBlocklist> LoadPasswordBlocklist(const std::string& path);

}  // namespace pathway::app
