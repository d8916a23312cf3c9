#include "app/passwords.hpp"

#include <sodium.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <system_error>

namespace pathway::app {
namespace {

using domain::Error;

static_assert(PasswordHashCost{}.opslimit == crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
static_assert(PasswordHashCost{}.memlimit == crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);

constexpr std::string_view kArgon2idPrefix = crypto_pwhash_argon2id_STRPREFIX;

// libsodium reads stored hashes as NUL-terminated strings of fewer than STRBYTES
// bytes. Copies `stored_hash` into `out` and returns true if it fits that shape.
bool ToHashBuffer(std::string_view stored_hash, std::array<char, crypto_pwhash_STRBYTES>& out) {
  if (stored_hash.empty() || stored_hash.size() >= out.size()) return false;
  if (stored_hash.find('\0') != std::string_view::npos) return false;
  out.fill('\0');
  std::memcpy(out.data(), stored_hash.data(), stored_hash.size());
  return true;
}

}  // namespace

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

domain::Result<std::string> HashPassword(std::string_view password, PasswordHashCost cost) {
  EnsureSodium();
  if (cost.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      cost.opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
      cost.memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      cost.memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    return Error::Internal("password hash cost out of range");
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost.opslimit,
                            cost.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::Internal("password hashing failed (out of memory?)");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view password, std::string_view stored_hash) {
  EnsureSodium();
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (!ToHashBuffer(stored_hash, hash)) return false;
  return crypto_pwhash_str_verify(hash.data(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view stored_hash, PasswordHashCost cost) {
  EnsureSodium();
  // crypto_pwhash_str_needs_rehash accepts argon2i hashes as current; we want argon2id.
  if (!stored_hash.starts_with(kArgon2idPrefix)) return true;
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (!ToHashBuffer(stored_hash, hash)) return true;
  return crypto_pwhash_str_needs_rehash(hash.data(), cost.opslimit, cost.memlimit) != 0;
}

domain::Result<domain::PasswordBlocklist> LoadPasswordBlocklist(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::string reason = std::error_code(errno, std::generic_category()).message();
    return Error::Internal("cannot open password block-list " + path + ": " + reason);
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error::Internal("cannot read password block-list " + path);
  domain::PasswordBlocklist blocklist(text);
  if (blocklist.size() == 0) return Error::Internal("password block-list " + path + " is empty");
  return blocklist;
}

}  // namespace pathway::app
