#include "app/throttle.hpp"

#include <algorithm>
#include <cctype>

namespace pathway::app {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string PairKey(std::string_view account, std::string_view address) {
  return Lower(account) + '\n' + std::string(address);
}

constexpr std::size_t kPruneAbove = 50000;

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
  if (counters.size() > kPruneAbove) {
    std::erase_if(counters, [&](const auto& entry) {
      return now - entry.second.last_failure > limits_.forget_after;
    });
  }
  Counter& counter = counters[key];
  if (now - counter.last_failure > limits_.forget_after) counter.failures = 0;
  ++counter.failures;
  counter.last_failure = now;
}

int SignInThrottle::RetryAfter(std::string_view account, std::string_view address,
                               std::int64_t now) {
  std::lock_guard lock(mutex_);
  return std::max(
      {Wait(by_pair_, PairKey(account, address), limits_.free_per_account_and_address,
            limits_.max_wait_account_and_address, now),
       Wait(by_address_, std::string(address), limits_.free_per_address, limits_.max_wait_address,
            now),
       Wait(by_account_, Lower(account), limits_.free_per_account, limits_.max_wait_account, now)});
}

void SignInThrottle::RecordFailure(std::string_view account, std::string_view address,
                                   std::int64_t now) {
  std::lock_guard lock(mutex_);
  Bump(by_pair_, PairKey(account, address), now);
  Bump(by_address_, std::string(address), now);
  Bump(by_account_, Lower(account), now);
}

void SignInThrottle::RecordSuccess(std::string_view account, std::string_view address) {
  std::lock_guard lock(mutex_);
  by_pair_.erase(PairKey(account, address));
}

}  // namespace pathway::app
