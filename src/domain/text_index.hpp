// A hash index from short texts (codes, external ids) to 64-bit numbers, for the bulk
// paths that look up hundreds of thousands of them: importing and checking a file of
// people. It is Abseil's flat_hash_map (one open-addressed array; texts of up to 15
// bytes, which codes and HR ids are, held inline without an allocation of their own),
// behind the few operations the importers use. std::unordered_map<std::string, ...>
// allocates a node per text, and at half a million those allocations and scattered
// nodes were most of an import's time outside SQLite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>

namespace pathway::domain {

class TextIndex {
 public:
  TextIndex() = default;
  explicit TextIndex(std::size_t expected) { Reserve(expected); }

  // Adds `key` (copied) with `value` unless it is there already. Returns the value
  // stored under `key`, which the caller may change, and whether it was added. The
  // pointer is valid until the next Emplace or Reserve.
  std::pair<std::int64_t*, bool> Emplace(std::string_view key, std::int64_t value) {
    auto [it, added] = map_.try_emplace(View(key), value);
    return {&it->second, added};
  }
  // The value stored under `key`, or null. Valid until the next Emplace or Reserve.
  const std::int64_t* Find(std::string_view key) const {
    const auto it = map_.find(View(key));
    return it == map_.end() ? nullptr : &it->second;
  }
  std::int64_t* Find(std::string_view key) {
    const auto it = map_.find(View(key));
    return it == map_.end() ? nullptr : &it->second;
  }
  bool Contains(std::string_view key) const { return map_.contains(View(key)); }

  // Makes room for `expected` texts in all, so that adding them does not rehash.
  void Reserve(std::size_t expected) { map_.reserve(expected); }
  std::size_t size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }

  // Calls f(key, value) for every text, in no particular order. The views are valid
  // until the next Emplace or Reserve.
  template <typename F>
  void ForEach(F f) const {
    for (const auto& [key, value] : map_) f(std::string_view(key), value);
  }

 private:
  // Debian builds Abseil with its own string_view type, not std::string_view.
  static absl::string_view View(std::string_view key) { return {key.data(), key.size()}; }

  absl::flat_hash_map<std::string, std::int64_t> map_;
};

}  // namespace pathway::domain
