// Server-side page rendering with mustache templates, compiled once at start and rendered
// straight from the JSON view (web::JsonMustache; docs/adr/005 and 009). `{{name}}` is
// HTML-escaped; `{{{name}}}` inserts raw HTML and is used only for markup we built.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "domain/result.hpp"

namespace pathway::web {

// Every `*.mustache` file of a folder, loaded and compiled once, with the partials it
// includes (`{{> name}}`) inlined. Each is usable as a page and as a partial. Load
// refuses a template that does not parse. Thread-safe after Load: rendering only reads
// the compiled templates.
class TemplateSet {
 public:
  static domain::Result<TemplateSet> Load(const std::string& dir);

  // Renders template `name` with `view` (objects, arrays, strings, numbers, booleans).
  // `base`, when given, is a shared object whose members the view lacks are read as the
  // view's own (JsonMustache::Render). Throws std::out_of_range if no such template: a
  // missing template is a bug.
  std::string Render(const std::string& name, const nlohmann::json& view,
                     const nlohmann::json* base = nullptr) const;

  bool Has(const std::string& name) const;

  // Calls `observer` after each render with the template's name and the time it took
  // (for the metrics). Set it before rendering starts; it must be thread-safe.
  void ObserveRenders(
      std::function<void(const std::string& name, std::chrono::nanoseconds took)> observer) {
    observer_ = std::move(observer);
  }

  // Calls `observer` after each whole page (web::RenderPage: the page's template and the
  // layout around it) with the page's template name and the time it took. Set it before
  // rendering starts; it must be thread-safe.
  void ObservePages(
      std::function<void(const std::string& page, std::chrono::nanoseconds took)> observer) {
    page_observer_ = std::move(observer);
  }

  // Tells the page observer, if any, that `page` was rendered whole in `took`.
  void PageRendered(const std::string& page, std::chrono::nanoseconds took) const {
    if (page_observer_) page_observer_(page, took);
  }

 private:
  struct Compiled;
  std::shared_ptr<const Compiled> compiled_;
  std::function<void(const std::string&, std::chrono::nanoseconds)> observer_;
  std::function<void(const std::string&, std::chrono::nanoseconds)> page_observer_;
};

}  // namespace pathway::web
