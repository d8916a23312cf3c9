#include "app/throttle.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <sodium.h>

#include "domain/text.hpp"

namespace pathway::app {
namespace {

using domain::Lower;

// A 16-byte BLAKE2b digest of the parts, each prefixed by its length.
std::string Key(std::initializer_list<std::string_view> parts) {
  crypto_generichash_state state;
  std::array<unsigned char, 16> digest{};
  crypto_generichash_init(&state, nullptr, 0, digest.size());
  for (std::string_view part : parts) {
    const std::uint64_t size = part.size();
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&size), sizeof size);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                              part.size());
  }
  crypto_generichash_final(&state, digest.data(), digest.size());
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string AccountKey(std::string_view account) { return Key({"account", Lower(account)}); }
std::string AddressKey(std::string_view address) { return Key({"address", address}); }
std::string PairKey(std::string_view account, std::string_view address) {
  return Key({"pair", Lower(account), address});
}

}  // namespace

int SignInThrottle::Wait(Counters& counters, const std::string& key, int free, int max_wait,
                         std::int64_t now) {
  const auto it = counters.find(key);
  if (it == counters.end()) return 0;
  if (now - it->second.last_failure > limits_.forget_after) {
    counters.erase(it);
    return 0;
  }
  const int excess = it->second.failures - free;
  if (excess <= 0) return 0;
  // 1, 2, 4, 8 ... seconds after each further failure, up to the cap.
  const int wait = excess >= 20 ? max_wait : std::min(max_wait, 1 << (excess - 1));
  const std::int64_t remaining = it->second.last_failure + wait - now;
  return remaining > 0 ? static_cast<int>(remaining) : 0;
}

void SignInThrottle::Bump(Counters& counters, const std::string& key, std::int64_t now) {
  if (counters.size() >= limits_.max_entries && !counters.contains(key)) {
    std::erase_if(counters, [&](const auto& entry) {
      return now - entry.second.last_failure > limits_.forget_after;
    });
    // Still full: forget the stalest, so that the table never grows past the cap.
    while (counters.size() >= limits_.max_entries && !counters.empty()) {
      auto stalest =
          std::min_element(counters.begin(), counters.end(), [](const auto& a, const auto& b) {
            return a.second.last_failure < b.second.last_failure;
          });
      counters.erase(stalest);
    }
  }
  Counter& counter = counters[key];
  if (now - counter.last_failure > limits_.forget_after) counter.failures = 0;
  ++counter.failures;
  counter.last_failure = now;
}

int SignInThrottle::RetryAfter(std::string_view account, std::string_view address,
                               std::int64_t now) {
  std::lock_guard lock(mutex_);
  return std::max({Wait(by_pair_, PairKey(account, address), limits_.free_per_account_and_address,
                        limits_.max_wait_account_and_address, now),
                   Wait(by_address_, AddressKey(address), limits_.free_per_address,
                        limits_.max_wait_address, now),
                   Wait(by_account_, AccountKey(account), limits_.free_per_account,
                        limits_.max_wait_account, now)});
}

void SignInThrottle::RecordFailure(std::string_view account, std::string_view address,
                                   std::int64_t now) {
  std::lock_guard lock(mutex_);
  Bump(by_pair_, PairKey(account, address), now);
  Bump(by_address_, AddressKey(address), now);
  Bump(by_account_, AccountKey(account), now);
}

void SignInThrottle::RecordSuccess(std::string_view account, std::string_view address) {
  std::lock_guard lock(mutex_);
  by_pair_.erase(PairKey(account, address));
}

std::size_t SignInThrottle::size() {
  std::lock_guard lock(mutex_);
  return by_pair_.size() + by_address_.size() + by_account_.size();
}

}  // namespace pathway::app
