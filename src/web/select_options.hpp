// The options of a form's <select> as a view, for the templates' loops
// (`{{#x_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}`).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pathway::web {

using Choices = std::vector<std::pair<std::string, std::string>>;  // value, label

// Each choice as {value, label, selected}, `selected` true for the one whose value is
// `selected`; first an option with the value "" labelled `any_label` (selected when
// nothing is), unless `any_label` is empty. Built member by member: a list page has about
// a hundred options, and json's initializer lists copy each pair.
nlohmann::json SelectOptions(const Choices& choices, std::string_view selected,
                             std::string_view any_label);

// Every grade by code, junior first; every region by name, in the ONS order; every
// security clearance level by code, shallowest first. Built once.
const Choices& GradeChoices();
const Choices& RegionChoices();
const Choices& ClearanceChoices();

}  // namespace pathway::web
