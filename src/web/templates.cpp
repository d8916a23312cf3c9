#include "web/templates.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <mstch/mstch.hpp>
#include <nlohmann/json.hpp>

namespace pathway::web {
namespace {

mstch::node ToNode(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mstch::map map;
      for (const auto& [key, item] : value.items()) map.emplace(key, ToNode(item));
      return map;
    }
    case nlohmann::json::value_t::array: {
      mstch::array array;
      array.reserve(value.size());
      for (const auto& item : value) array.push_back(ToNode(item));
      return array;
    }
    case nlohmann::json::value_t::string:
      return value.get<std::string>();
    case nlohmann::json::value_t::boolean:
      return value.get<bool>();
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return std::to_string(value.get<long long>());
    case nlohmann::json::value_t::number_float:
      return fmt::format("{}", value.get<double>());
    default:
      return std::string{};
  }
}

}  // namespace

domain::Result<TemplateSet> TemplateSet::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  TemplateSet set;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return domain::Error::Unavailable(fmt::format("Template folder {} is missing", dir));
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      return domain::Error::Unavailable(fmt::format("Could not read {}", entry.path().string()));
    }
    set.templates_.emplace(entry.path().stem().string(), text.str());
  }
  if (set.templates_.empty()) {
    return domain::Error::Unavailable(fmt::format("No templates in {}", dir));
  }
  return set;
}

std::string TemplateSet::Render(const std::string& name, const nlohmann::json& view) const {
  return mstch::render(templates_.at(name), ToNode(view), templates_);
}

}  // namespace pathway::web
