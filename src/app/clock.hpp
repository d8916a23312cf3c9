// Time as the use cases see it, injectable so tests can move it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace pathway::app {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;

  std::int64_t NowSeconds() const;
  // UTC, ISO 8601 with milliseconds: "2026-11-23T12:00:00.123Z".
  std::string NowIso() const;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override;
};

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t unix_seconds) : seconds_(unix_seconds) {}
  std::chrono::system_clock::time_point Now() const override;
  void Advance(std::chrono::seconds by) { seconds_ += by.count(); }

 private:
  std::atomic<std::int64_t> seconds_;
};

}  // namespace pathway::app
