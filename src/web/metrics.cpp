#include "web/metrics.hpp"

#include <fmt/format.h>

namespace pathway::web {
namespace {

// Label values are escaped as the exposition format requires.
std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void Observe(std::array<std::uint64_t, Metrics::kBucketsSeconds.size()>& buckets,
             std::uint64_t& count, double& sum, std::chrono::nanoseconds took) {
  const double seconds = std::chrono::duration<double>(took).count();
  for (std::size_t i = 0; i < Metrics::kBucketsSeconds.size(); ++i) {
    if (seconds <= Metrics::kBucketsSeconds[i]) ++buckets[i];
  }
  ++count;
  sum += seconds;
}

}  // namespace

void Metrics::Record(const std::string& route, int status, std::chrono::nanoseconds latency) {
  const double seconds = std::chrono::duration<double>(latency).count();
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  Histogram& histogram = latency_[route];
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::RecordRender(const std::string& template_name, std::chrono::nanoseconds took) {
  std::lock_guard lock(mutex_);
  Histogram& histogram = renders_[template_name];
  Observe(histogram.buckets, histogram.count, histogram.sum, took);
}

void Metrics::RecordPageRender(const std::string& page, std::chrono::nanoseconds took) {
  std::lock_guard lock(mutex_);
  Histogram& histogram = pages_[page];
  Observe(histogram.buckets, histogram.count, histogram.sum, took);
}

void Metrics::RecordRejected(const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++rejected_[reason];
}

std::string Metrics::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP pathway_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE pathway_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += fmt::format("pathway_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                       Escape(key.first), key.second, count);
  }
  out +=
      "# HELP pathway_http_request_duration_seconds Time from request read to response "
      "ready, by route.\n";
  out += "# TYPE pathway_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_) {
    const std::string label = Escape(route);
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      out +=
          fmt::format("pathway_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                      label, kBucketsSeconds[i], histogram.buckets[i]);
    }
    out +=
        fmt::format("pathway_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                    label, histogram.count);
    out += fmt::format("pathway_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label,
                       histogram.sum);
    out += fmt::format("pathway_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label,
                       histogram.count);
  }
  out += "# HELP pathway_template_render_seconds Time to render a template, by template.\n";
  out += "# TYPE pathway_template_render_seconds histogram\n";
  for (const auto& [name, histogram] : renders_) {
    const std::string label = Escape(name);
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      out += fmt::format("pathway_template_render_seconds_bucket{{template=\"{}\",le=\"{}\"}} {}\n",
                         label, kBucketsSeconds[i], histogram.buckets[i]);
    }
    out += fmt::format("pathway_template_render_seconds_bucket{{template=\"{}\",le=\"+Inf\"}} {}\n",
                       label, histogram.count);
    out += fmt::format("pathway_template_render_seconds_sum{{template=\"{}\"}} {}\n", label,
                       histogram.sum);
    out += fmt::format("pathway_template_render_seconds_count{{template=\"{}\"}} {}\n", label,
                       histogram.count);
  }
  out +=
      "# HELP pathway_page_render_seconds Time to render a whole page (its template and the "
      "layout around it), by page.\n";
  out += "# TYPE pathway_page_render_seconds histogram\n";
  for (const auto& [name, histogram] : pages_) {
    const std::string label = Escape(name);
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      out += fmt::format("pathway_page_render_seconds_bucket{{page=\"{}\",le=\"{}\"}} {}\n", label,
                         kBucketsSeconds[i], histogram.buckets[i]);
    }
    out += fmt::format("pathway_page_render_seconds_bucket{{page=\"{}\",le=\"+Inf\"}} {}\n", label,
                       histogram.count);
    out += fmt::format("pathway_page_render_seconds_sum{{page=\"{}\"}} {}\n", label, histogram.sum);
    out += fmt::format("pathway_page_render_seconds_count{{page=\"{}\"}} {}\n", label,
                       histogram.count);
  }
  out += "# HELP pathway_http_rejected_total Requests refused before reaching a handler.\n";
  out += "# TYPE pathway_http_rejected_total counter\n";
  for (const auto& [reason, count] : rejected_) {
    out += fmt::format("pathway_http_rejected_total{{reason=\"{}\"}} {}\n", Escape(reason), count);
  }
  return out;
}

}  // namespace pathway::web
