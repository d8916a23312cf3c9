// Names for ids: people, items, departments, professions and role levels as lists and the engine's
// answers show them (store/workforce_labels.hpp reads them).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/result.hpp"

namespace pathway::domain {

struct PersonLabel {
  std::int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string grade;       // code, empty if unknown
  std::string department;  // code
  std::string profession;  // anchor profession code
  std::string region;      // code, empty if unknown
};

struct ItemLabel {
  std::string item_id;  // framework item UUID
  std::string title;    // from the newest published version that has it, else empty
  std::string framework_id;
};

struct NamedCode {
  std::string code;
  std::string name;
};

}  // namespace pathway::domain
