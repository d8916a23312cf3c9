#include "web/templates.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

namespace pathway::web {
namespace {

using Mustache = kainjow::mustache::mustache;
using Data = kainjow::mustache::data;

// Partials are included at most this deep; deeper means a partial includes itself.
constexpr int kMaxPartialDepth = 8;

// The escaping of `{{name}}`: the five HTML specials, and `/` so that a value can never
// close a tag early, as numeric references (what pages have always been rendered with).
std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '/':
        out += "&#x2F;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

// A view as the template engine takes it. An empty string becomes `false`: it renders
// as nothing and, as mustache readers expect, opens no `{{#section}}` (kainjow treats
// any string as true); looked up in the current context, it also hides a parent's value
// of the same name, as an empty string does.
//
// Built by moving each member into place: kainjow's set() and push_back() take a copy,
// which would copy every nested object and list once more at each level.
Data ToData(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      Data object{Data::type::object};
      for (auto it = value.begin(); it != value.end(); ++it) object[it.key()] = ToData(*it);
      return object;
    }
    case nlohmann::json::value_t::array: {
      Data list{Data::type::list};
      // kainjow offers no mutable access to a list; the vector it owns is not const.
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

// Each TemplateSet gets a number of its own, so that the per-thread copies of its
// compiled templates are never mistaken for another set's.
std::atomic<std::uint64_t> next_set_id{1};

}  // namespace

// The compiled templates of one set. kainjow's render() is not const (it keeps the last
// error), so each thread renders from copies of its own, made once per thread from the
// compiled originals: nothing is parsed at render time.
struct TemplateSet::Compiled {
  std::uint64_t id = 0;
  std::unordered_map<std::string, Mustache> pages;
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
  compiled->id = next_set_id.fetch_add(1);
  for (const auto& [name, text] : sources) {
    PATHWAY_ASSIGN_OR_RETURN(auto whole, Inline(sources, name, 0));
    Mustache page{whole};
    if (!page.is_valid()) {
      return domain::Error::Unavailable(
          fmt::format("Template {} does not parse: {}", name, page.error_message()));
    }
    page.set_custom_escape(HtmlEscape);
    compiled->pages.emplace(name, std::move(page));
  }
  set.compiled_ = std::move(compiled);
  return set;
}

bool TemplateSet::Has(const std::string& name) const {
  return compiled_ && compiled_->pages.contains(name);
}

std::string TemplateSet::Render(const std::string& name, const nlohmann::json& view) const {
  thread_local std::unordered_map<std::uint64_t, std::unordered_map<std::string, Mustache>> copies;
  auto& mine = copies[compiled_->id];
  auto found = mine.find(name);
  if (found == mine.end()) {
    found = mine.emplace(name, compiled_->pages.at(name)).first;
  }
  Mustache& page = found->second;
  const auto started = std::chrono::steady_clock::now();
  const Data data = ToData(view);
  // Appended to a string as kainjow hands out the text (its render(data) goes through an
  // ostringstream); the output is the same.
  std::string out;
  page.render(data, [&out](const std::string& text) { out += text; });
  if (observer_) observer_(name, std::chrono::steady_clock::now() - started);
  if (!page.is_valid()) {
    throw std::runtime_error(fmt::format("Template {} failed: {}", name, page.error_message()));
  }
  return out;
}

}  // namespace pathway::web
