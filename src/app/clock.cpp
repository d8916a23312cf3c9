#include "app/clock.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace pathway::app {

std::int64_t Clock::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
}

std::string Clock::NowIso() const {
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(Now());
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(now);
  const auto millis = (now - seconds).count();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", seconds, millis);
}

std::chrono::system_clock::time_point SystemClock::Now() const {
  return std::chrono::system_clock::now();
}

std::chrono::system_clock::time_point ManualClock::Now() const {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds_.load()));
}

}  // namespace pathway::app
