// A framework's versions and search hits as the store answers them (store/frameworks.hpp), named
// here so that use cases and pages use them without seeing the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/framework.hpp"
#include "domain/result.hpp"

namespace pathway::domain {

struct FrameworkVersionInfo {
  std::string framework_id;
  int version = 0;
  std::string kind;
  std::string status;
  std::string title;
  std::string created_at;
  std::string published_at;
  std::string retired_at;
};

struct SearchHit {
  std::string framework_id;
  int version = 0;
  std::string framework_title;
  std::string item_id;
  std::string item_title;
  std::string indicator_id;  // empty when the hit is the item's own text
  std::string kind;          // "effective", "ineffective" or "item"
  std::string tags;
  // The matched text with each match between \x01 and \x02, for the caller to mark up.
  std::string highlighted;
};

}  // namespace pathway::domain
