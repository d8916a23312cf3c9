// Timing for the benchmark programs: run a question N times and keep each time in ms.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

namespace pathway::bench {

template <typename F>
std::vector<double> Time(int runs, F&& query) {
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    query();
    samples.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  return samples;
}

inline double Median(std::vector<double> samples) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace pathway::bench
