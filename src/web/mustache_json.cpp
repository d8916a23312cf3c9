#include "web/mustache_json.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pathway::web {
namespace {

using json = nlohmann::json;

// "line L, column C" of byte `at` of `text`, for a template's parse errors.
std::string PlaceOf(std::string_view text, std::size_t at) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("line {}, column {}", line, column);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// A name's parts: `a.b.c` -> a, b, c (an empty last part is dropped, as the renderer we
// replaced did). A name without dots is one part, even when empty.
std::vector<std::string> PathOf(std::string_view name) {
  if (name.find('.') == std::string_view::npos) return {std::string(name)};
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < name.size()) {
    const auto dot = name.find('.', start);
    const auto end = dot == std::string_view::npos ? name.size() : dot;
    parts.emplace_back(name.substr(start, end - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

// Whether a value opens `{{#name}}` (and so does not open `{{^name}}`).
bool Truthy(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return true;
    case json::value_t::array:
      return !value.empty();
    case json::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    case json::value_t::boolean:
      return value.get<bool>();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct JsonMustache::State {
  std::string& out;
  Escape escape;
  std::vector<const json*> stack;
  // Where the current line of output began, and whether a section was rendered on it.
  std::size_t line_start = 0;
  bool had_section = false;

  // Ends the current line: a line that held a rendered section and is left blank is
  // dropped whole, with its line break.
  void EndLine(const std::string* line_break) {
    const bool blank =
        had_section && std::all_of(out.begin() + static_cast<long>(line_start), out.end(),
                                   [](char ch) { return ch == ' ' || ch == '\t'; });
    if (blank) {
      out.resize(line_start);
    } else if (line_break) {
      out += *line_break;
    }
    line_start = out.size();
    had_section = false;
  }

  // The view's base, read as part of the outermost context (stack.front()).
  const json* base = nullptr;

  // The member `name` of `context`, or null. In the outermost context a member the view
  // lacks is looked up in the base.
  const json* Member(const json* context, const std::string& name, bool outermost) const {
    if (context->is_object()) {
      if (const json* found = MemberOf(context->get_ref<const json::object_t&>(), name)) {
        return found;
      }
    }
    if (!outermost || !base) return nullptr;
    return MemberOf(base->get_ref<const json::object_t&>(), name);
  }

  // A small object (a list's row, a select's option) is searched member by member,
  // comparing lengths first: most names differ in length, and the tree's search costs a
  // full comparison at every step.
  static const json* MemberOf(const json::object_t& members, const std::string& name) {
    if (members.size() <= kScannedMembers) {
      for (const auto& [key, value] : members) {
        if (key.size() == name.size() && key.compare(name) == 0) return &value;
      }
      return nullptr;
    }
    const auto found = members.find(name);
    return found == members.end() ? nullptr : &found->second;
  }
  static constexpr std::size_t kScannedMembers = 12;

  const json* Find(const Node& node) const {
    if (node.path.empty()) return stack.back();
    for (std::size_t depth = stack.size(); depth-- > 0;) {
      const json* at = Member(stack[depth], node.path.front(), depth == 0);
      for (std::size_t part = 1; at && part < node.path.size(); ++part) {
        at = Member(at, node.path[part], false);
      }
      if (at) return at;
    }
    return nullptr;
  }
};

domain::Result<JsonMustache> JsonMustache::Compile(std::string_view text) {
  JsonMustache compiled;
  auto& nodes = compiled.nodes_;
  std::vector<std::uint32_t> open;  // the sections not yet closed, innermost last

  // Whether the last node is text that the next text may join: not after a tag, which
  // may have closed a section whose last node is text.
  bool joinable = false;
  auto add_text = [&](std::string_view literal) {
    std::size_t at = 0;
    while (at < literal.size()) {
      const auto line_break = literal.find_first_of("\r\n", at);
      const auto stop = line_break == std::string_view::npos ? literal.size() : line_break;
      if (stop > at) {
        if (joinable) {
          nodes.back().text.append(literal.substr(at, stop - at));
        } else {
          nodes.push_back({Kind::kText, std::string(literal.substr(at, stop - at)), {}, 0});
          joinable = true;
        }
      }
      if (stop == literal.size()) break;
      joinable = false;
      const std::size_t width =
          literal[stop] == '\r' && stop + 1 < literal.size() && literal[stop + 1] == '\n' ? 2 : 1;
      nodes.push_back({Kind::kNewline, std::string(literal.substr(stop, width)), {}, 0});
      at = stop + width;
    }
  };

  std::size_t at = 0;
  while (at < text.size()) {
    const auto tag = text.find("{{", at);
    if (tag == std::string_view::npos) {
      add_text(text.substr(at));
      break;
    }
    add_text(text.substr(at, tag - at));
    joinable = false;
    const bool triple = tag + 2 < text.size() && text[tag + 2] == '{';
    const std::size_t contents_at = tag + (triple ? 3 : 2);
    const std::string_view closer = triple ? "}}}" : "}}";
    const auto close = text.find(closer, contents_at);
    if (close == std::string_view::npos) {
      return domain::Error::Unavailable(fmt::format("Unclosed tag at {}", PlaceOf(text, tag)));
    }
    const std::string_view contents = Trim(text.substr(contents_at, close - contents_at));
    at = close + closer.size();

    Node node;
    node.kind = Kind::kEscaped;
    std::string_view name = contents;
    if (triple) {
      node.kind = Kind::kRaw;
    } else if (!contents.empty()) {
      const char sigil = contents.front();
      if (sigil == '=' || sigil == '>') {
        return domain::Error::Unavailable(
            fmt::format("Unsupported tag {{{{{}}}}} at {} (set-delimiter tags and partials are not "
                        "supported; partials are inlined when the templates are loaded)",
                        contents, PlaceOf(text, tag)));
      }
      if (sigil == '!') continue;
      if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&') {
        name = Trim(contents.substr(1));
        node.kind = sigil == '#'   ? Kind::kSection
                    : sigil == '^' ? Kind::kInverted
                    : sigil == '&' ? Kind::kRaw
                                   : Kind::kText;
        if (sigil == '/') {
          if (open.empty()) {
            return domain::Error::Unavailable(
                fmt::format("Section {} closed at {} was never opened", name, PlaceOf(text, tag)));
          }
          Node& section = nodes[open.back()];
          const std::string opened = fmt::format("{}", fmt::join(section.path, "."));
          if (std::string(name) != opened && !(section.path.empty() && name == ".")) {
            return domain::Error::Unavailable(
                fmt::format("Section {} is closed by {} at {}", opened, name, PlaceOf(text, tag)));
          }
          section.end = static_cast<std::uint32_t>(nodes.size());
          open.pop_back();
          continue;
        }
      }
    }
    if (name != ".") node.path = PathOf(name);
    if (node.kind == Kind::kSection || node.kind == Kind::kInverted) {
      open.push_back(static_cast<std::uint32_t>(nodes.size()));
    }
    nodes.push_back(std::move(node));
  }
  if (!open.empty()) {
    const Node& section = nodes[open.back()];
    return domain::Error::Unavailable(
        fmt::format("Section {} is never closed", fmt::join(section.path, ".")));
  }
  return compiled;
}

void JsonMustache::RenderRange(std::uint32_t begin, std::uint32_t end, State& state) const {
  for (std::uint32_t i = begin; i < end; ++i) {
    const Node& node = nodes_[i];
    switch (node.kind) {
      case Kind::kText:
        state.out += node.text;
        break;
      case Kind::kNewline:
        state.EndLine(&node.text);
        break;
      case Kind::kEscaped:
      case Kind::kRaw: {
        const json* value = state.Find(node);
        if (!value) break;
        if (value->is_string()) {
          const auto& text = value->get_ref<const std::string&>();
          if (node.kind == Kind::kEscaped) {
            state.escape(text, state.out);
          } else {
            state.out += text;
          }
        } else if (value->is_number_integer()) {
          // Digits need no escaping.
          state.out += std::to_string(value->get<long long>());
        } else if (value->is_number_float()) {
          state.out += fmt::format("{}", value->get<double>());
        }
        break;
      }
      case Kind::kSection:
      case Kind::kInverted: {
        const json* value = state.Find(node);
        const bool truthy = value && Truthy(*value);
        if ((node.kind == Kind::kSection) == truthy) {
          if (truthy && value->is_array()) {
            for (const auto& item : *value) {
              state.had_section = true;
              state.stack.push_back(&item);
              RenderRange(i + 1, node.end, state);
              state.stack.pop_back();
              state.had_section = true;
            }
          } else {
            state.had_section = true;
            if (value) state.stack.push_back(value);
            RenderRange(i + 1, node.end, state);
            if (value) state.stack.pop_back();
            state.had_section = true;
          }
        }
        i = node.end - 1;
        break;
      }
    }
  }
}

void JsonMustache::Render(const json& view, Escape escape, std::string& out,
                          const json* base) const {
  State state{out, escape, {&view}, out.size(), false, base && base->is_object() ? base : nullptr};
  state.stack.reserve(8);
  RenderRange(0, static_cast<std::uint32_t>(nodes_.size()), state);
  state.EndLine(nullptr);
}

}  // namespace pathway::web
