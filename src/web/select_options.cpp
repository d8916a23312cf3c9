#include "web/select_options.hpp"

#include <nlohmann/json.hpp>

#include "domain/grade.hpp"
#include "domain/workforce.hpp"

namespace pathway::web {

nlohmann::json SelectOptions(const Choices& choices, std::string_view selected,
                             std::string_view any_label) {
  using json = nlohmann::json;
  json list = json::array();
  auto& items = list.get_ref<json::array_t&>();
  items.reserve(choices.size() + 1);
  auto add = [&items](std::string_view value, std::string_view label, bool chosen) {
    json::object_t option;
    option.emplace("value", value);
    option.emplace("label", label);
    option.emplace("selected", chosen);
    items.emplace_back(std::move(option));
  };
  if (!any_label.empty()) add("", any_label, selected.empty());
  for (const auto& [value, label] : choices) add(value, label, value == selected);
  return list;
}

const Choices& GradeChoices() {
  static const Choices choices = [] {
    Choices list;
    for (const auto& info : domain::AllGrades()) list.emplace_back(info.code, info.code);
    return list;
  }();
  return choices;
}

const Choices& RegionChoices() {
  static const Choices choices = [] {
    Choices list;
    for (const auto& info : domain::AllRegions()) list.emplace_back(info.code, info.name);
    return list;
  }();
  return choices;
}

const Choices& ClearanceChoices() {
  static const Choices choices{{"BPSS", "BPSS"}, {"CTC", "CTC"}, {"SC", "SC"}, {"DV", "DV"}};
  return choices;
}

}  // namespace pathway::web
