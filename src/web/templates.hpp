// Server-side page rendering with mustache templates (mstch). `{{name}}` is
// HTML-escaped; `{{{name}}}` inserts raw HTML and is used only for markup we built.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "domain/result.hpp"

namespace pathway::web {

// Every `*.mustache` file of a folder, loaded once. Each is usable as a page and as a
// partial (`{{> name}}`). Thread-safe after Load: rendering only reads.
class TemplateSet {
 public:
  static domain::Result<TemplateSet> Load(const std::string& dir);

  // Renders template `name` with `view` (objects, arrays, strings, numbers, booleans).
  // Throws std::out_of_range if no such template: a missing template is a bug.
  std::string Render(const std::string& name, const nlohmann::json& view) const;

  bool Has(const std::string& name) const { return templates_.contains(name); }

 private:
  std::map<std::string, std::string> templates_;
};

}  // namespace pathway::web
