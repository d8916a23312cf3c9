// Request counters and latency histograms, exposed in Prometheus text format.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace pathway::web {

// Thread-safe. Route names are patterns ("/api/v1/people/{id}"), never raw paths, so
// the label set stays small and holds no personal data.
class Metrics {
 public:
  static constexpr std::array<double, 12> kBucketsSeconds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05,   0.1,   0.25,   0.5,   1,    2.5};

  void Record(const std::string& route, int status, std::chrono::nanoseconds latency);
  void RecordRejected(const std::string& reason);
  // The time one template took to render (the page, or the layout around it).
  void RecordRender(const std::string& template_name, std::chrono::nanoseconds took);
  // The time a whole page took to render: its template and the layout around it.
  void RecordPageRender(const std::string& page, std::chrono::nanoseconds took);

  // Prometheus text exposition format 0.0.4.
  std::string Render() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBucketsSeconds.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, std::uint64_t> rejected_;
  std::map<std::string, Histogram> renders_;
  std::map<std::string, Histogram> pages_;
};

}  // namespace pathway::web
