#include "web/templates.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#ifdef PATHWAY_TEMPLATE_CROSSCHECK
#include <kainjow/mustache.hpp>
#endif

#include "web/mustache_json.hpp"

namespace pathway::web {
namespace {

// Partials are included at most this deep; deeper means a partial includes itself.
constexpr int kMaxPartialDepth = 8;

// The escaping of `{{name}}`: the five HTML specials, and `/` so that a value can never
// close a tag early, as numeric references (what pages have always been rendered with).
void HtmlEscapeInto(std::string_view text, std::string& out) {
  std::size_t plain = 0;  // the start of the run of characters that need no escaping
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* entity = nullptr;
    switch (text[i]) {
      case '&':
        entity = "&amp;";
        break;
      case '<':
        entity = "&lt;";
        break;
      case '>':
        entity = "&gt;";
        break;
      case '"':
        entity = "&quot;";
        break;
      case '\'':
        entity = "&#39;";
        break;
      case '/':
        entity = "&#x2F;";
        break;
      default:
        continue;
    }
    out.append(text.substr(plain, i - plain));
    out += entity;
    plain = i + 1;
  }
  out.append(text.substr(plain));
}

#ifdef PATHWAY_TEMPLATE_CROSSCHECK
// The dev build renders every page with kainjow mustache too, the library this renderer
// replaced, and refuses to answer with a page the two render differently.
using Kainjow = kainjow::mustache::mustache;
using Data = kainjow::mustache::data;

std::string KainjowEscape(const std::string& text) {
  std::string out;
  HtmlEscapeInto(text, out);
  return out;
}

// A view as kainjow takes it. An empty string becomes `false`, as JsonMustache reads it.
Data ToData(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      Data object{Data::type::object};
      for (auto it = value.begin(); it != value.end(); ++it) object[it.key()] = ToData(*it);
      return object;
    }
    case nlohmann::json::value_t::array: {
      Data list{Data::type::list};
      auto& items = const_cast<kainjow::mustache::list&>(list.list_value());
      items.reserve(value.size());
      for (const auto& item : value) items.push_back(ToData(item));
      return list;
    }
    case nlohmann::json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      if (text.empty()) return Data{Data::type::bool_false};
      return Data{text};
    }
    case nlohmann::json::value_t::boolean:
      return Data{value.get<bool>() ? Data::type::bool_true : Data::type::bool_false};
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return Data{std::to_string(value.get<long long>())};
    case nlohmann::json::value_t::number_float:
      return Data{fmt::format("{}", value.get<double>())};
    default:
      return Data{Data::type::bool_false};
  }
}
#endif

// The text of `name` with every `{{> partial}}` replaced by the partial's own text
// (recursively), so that a page is parsed once with everything it includes.
domain::Result<std::string> Inline(const std::map<std::string, std::string>& sources,
                                   const std::string& name, int depth) {
  if (depth > kMaxPartialDepth) {
    return domain::Error::Unavailable(fmt::format(
        "Template {} includes partials more than {} deep (a loop?)", name, kMaxPartialDepth));
  }
  const std::string& text = sources.at(name);
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (true) {
    const auto open = text.find("{{>", at);
    if (open == std::string::npos) break;
    const auto close = text.find("}}", open);
    if (close == std::string::npos) break;
    std::string partial = text.substr(open + 3, close - open - 3);
    partial.erase(0, partial.find_first_not_of(" \t"));
    partial.erase(partial.find_last_not_of(" \t") + 1);
    out.append(text, at, open - at);
    if (sources.contains(partial)) {
      PATHWAY_ASSIGN_OR_RETURN(auto included, Inline(sources, partial, depth + 1));
      out += included;
    }
    at = close + 2;
  }
  out.append(text, at, std::string::npos);
  return out;
}

}  // namespace

// The compiled templates of one set: read-only after Load, so any thread renders from
// them without a lock.
struct TemplateSet::Compiled {
  struct Page {
    JsonMustache mustache;
    // The length of the last render, to reserve for the next.
    std::unique_ptr<std::atomic<std::size_t>> size_hint =
        std::make_unique<std::atomic<std::size_t>>(0);
  };
  std::unordered_map<std::string, Page> pages;
#ifdef PATHWAY_TEMPLATE_CROSSCHECK
  // The same pages as kainjow parsed them. kainjow's render() is not const (it keeps the
  // last error), so each render takes a copy: this is the dev build's check, not a path
  // that must be fast.
  std::unordered_map<std::string, Kainjow> reference;
#endif
};

domain::Result<TemplateSet> TemplateSet::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> sources;
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
    sources.emplace(entry.path().stem().string(), text.str());
  }
  if (sources.empty()) {
    return domain::Error::Unavailable(fmt::format("No templates in {}", dir));
  }
  TemplateSet set;
  auto compiled = std::make_shared<Compiled>();
  for (const auto& [name, text] : sources) {
    PATHWAY_ASSIGN_OR_RETURN(auto whole, Inline(sources, name, 0));
    auto page = JsonMustache::Compile(whole);
    if (!page.ok()) {
      return domain::Error::Unavailable(
          fmt::format("Template {} does not parse: {}", name, page.error().message));
    }
    compiled->pages.emplace(name, Compiled::Page{std::move(*page)});
#ifdef PATHWAY_TEMPLATE_CROSSCHECK
    Kainjow reference{whole};
    if (!reference.is_valid()) {
      return domain::Error::Unavailable(
          fmt::format("Template {} does not parse: {}", name, reference.error_message()));
    }
    reference.set_custom_escape(KainjowEscape);
    compiled->reference.emplace(name, std::move(reference));
#endif
  }
  set.compiled_ = std::move(compiled);
  return set;
}

bool TemplateSet::Has(const std::string& name) const {
  return compiled_ && compiled_->pages.contains(name);
}

std::string TemplateSet::Render(const std::string& name, const nlohmann::json& view,
                                const nlohmann::json* base) const {
  const auto& page = compiled_->pages.at(name);
  const auto started = std::chrono::steady_clock::now();
  std::string out;
  // As much room as this template's last page took, so that a long page is not copied
  // again and again as it grows.
  out.reserve(page.size_hint->load(std::memory_order_relaxed));
  page.mustache.Render(view, HtmlEscapeInto, out, base);
  page.size_hint->store(out.size(), std::memory_order_relaxed);
  if (observer_) observer_(name, std::chrono::steady_clock::now() - started);
#ifdef PATHWAY_TEMPLATE_CROSSCHECK
  Kainjow reference = compiled_->reference.at(name);
  std::string expected;
  // kainjow has no base view: it reads the view with the base's other members merged in.
  nlohmann::json merged = view;
  if (base && base->is_object() && merged.is_object()) {
    for (auto it = base->begin(); it != base->end(); ++it) {
      if (!merged.contains(it.key())) merged[it.key()] = *it;
    }
  }
  reference.render(ToData(merged), [&expected](const std::string& text) { expected += text; });
  if (expected != out) {
    std::size_t at = 0;
    while (at < out.size() && at < expected.size() && out[at] == expected[at]) ++at;
    const std::size_t from = at > 60 ? at - 60 : 0;
    throw std::logic_error(fmt::format(
        "Template {} renders differently from kainjow at byte {}:\n ours:    [{}]\n kainjow: [{}]",
        name, at, out.substr(from, 160), expected.substr(from, 160)));
  }
#endif
  return out;
}

}  // namespace pathway::web
