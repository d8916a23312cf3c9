#include "app/throttle.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pathway::app {
namespace {

TEST(SignInThrottleTest, MemoryStaysBoundedWhateverIsSent) {
  ThrottleLimits limits;
  limits.max_entries = 100;
  SignInThrottle throttle(limits);
  // One 1 MB "email" costs one fixed-size key, like any other.
  throttle.RecordFailure(std::string(1024 * 1024, 'e'), "10.0.0.1", 999);
  const std::string long_prefix(1000, 'e');
  for (int i = 0; i < 2000; ++i) {
    throttle.RecordFailure(long_prefix + std::to_string(i) + "@example.gov.uk",
                           "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250), 1000 + i);
  }
  EXPECT_LE(throttle.size(), 300u);
  // The latest keys are still counted.
  ThrottleLimits strict;
  strict.max_entries = 10;
  strict.free_per_account_and_address = 1;
  SignInThrottle small(strict);
  for (int i = 0; i < 50; ++i) small.RecordFailure("other" + std::to_string(i), "10.1.1.1", 10 + i);
  small.RecordFailure("victim@example.gov.uk", "10.9.9.9", 100);
  small.RecordFailure("victim@example.gov.uk", "10.9.9.9", 100);
  EXPECT_GT(small.RetryAfter("VICTIM@example.gov.uk", "10.9.9.9", 100), 0) << "case folded";
}

TEST(SignInThrottleTest, FailuresCountPerAccountAcrossAddressesButOnlyBriefly) {
  ThrottleLimits limits;
  limits.free_per_account = 3;
  limits.max_wait_account = 10;
  SignInThrottle throttle(limits);
  for (int i = 0; i < 8; ++i) throttle.RecordFailure("ada@example.gov.uk", "10.0.0." + std::to_string(i), 500);
  const int wait = throttle.RetryAfter("ada@example.gov.uk", "10.0.1.1", 500);
  EXPECT_GT(wait, 0);
  EXPECT_LE(wait, 10);
  EXPECT_EQ(throttle.RetryAfter("bob@example.gov.uk", "10.0.1.1", 500), 0);
}

}  // namespace
}  // namespace pathway::app
