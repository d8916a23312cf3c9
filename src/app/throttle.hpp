// Slows down repeated failed sign-ins, by account and address together, by address
// alone and by account alone. The account-only limit only ever asks for a short wait,
// so that someone guessing at an account from elsewhere cannot lock its owner out.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pathway::app {

struct ThrottleLimits {
  int free_per_account_and_address = 5;  // failures before waits start
  int free_per_address = 30;
  int free_per_account = 20;
  int max_wait_account_and_address = 900;  // seconds
  int max_wait_address = 900;
  int max_wait_account = 10;
  std::int64_t forget_after = 900;  // seconds without failures before counts reset
  // The most counters each of the three tables keeps: beyond it the stalest is forgotten,
  // so that memory stays bounded whatever is sent.
  std::size_t max_entries = 100000;
};

// Thread-safe. Times are Unix seconds supplied by the caller (an injected clock). Keys
// are fixed-size digests of the account (case folded) and address, never the text sent,
// so a 1 MB "email" costs what any other does.
class SignInThrottle {
 public:
  explicit SignInThrottle(ThrottleLimits limits = {}) : limits_(limits) {}

  // Seconds to wait before the next attempt for this account from this address; 0
  // when an attempt may go ahead now.
  int RetryAfter(std::string_view account, std::string_view address, std::int64_t now);
  void RecordFailure(std::string_view account, std::string_view address, std::int64_t now);
  // Clears the account-and-address count (the owner got in from there).
  void RecordSuccess(std::string_view account, std::string_view address);
  // Counters held, in all three tables (for tests and metrics).
  std::size_t size();

 private:
  struct Counter {
    int failures = 0;
    std::int64_t last_failure = 0;
  };
  using Counters = std::unordered_map<std::string, Counter>;
  int Wait(Counters& counters, const std::string& key, int free, int max_wait, std::int64_t now);
  void Bump(Counters& counters, const std::string& key, std::int64_t now);

  ThrottleLimits limits_;
  std::mutex mutex_;
  Counters by_pair_;
  Counters by_address_;
  Counters by_account_;
};

}  // namespace pathway::app
