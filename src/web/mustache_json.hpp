// A mustache template compiled once and rendered straight from an nlohmann::json view
// (docs/adr/009-templates-read-the-json-view.md). Pages build their views as JSON; the
// library renderer we used before (kainjow) reads only its own data tree, and turning
// each view into that tree took a third of the CPU of a list page.
//
// The output is byte for byte what kainjow mustache produced from the same template and
// view (the dev build renders every page both ways and compares: web/templates.cpp):
//   - `{{name}}` escapes with the set's escape function; `{{{name}}}` and `{{& name}}`
//     insert the text as it is; `{{! ...}}` is a comment;
//   - a string, a whole number or a decimal renders as text; `true`, `false`, `null`,
//     objects and arrays render as nothing;
//   - `{{#name}}` opens for `true`, a non-empty string, any number, any object and each
//     item of a non-empty array; `{{^name}}` opens when the name is missing, `false`,
//     `null`, an empty string or an empty array;
//   - a name is looked up from the innermost section outwards; `a.b` needs the whole
//     path in one context; `.` is the innermost context itself; a name found with an
//     empty or null value stops the search (it hides an outer value of the same name);
//   - a view may sit on a base view, shared by many renders and never copied: the two
//     read as one object whose members are the view's, then those of the base that the
//     view does not have (so a page's unchanging parts are built once);
//   - a line of the template that held a section which was rendered, and is left with
//     only spaces and tabs, is dropped with its line break.
// Partials are inlined before compiling (TemplateSet); set-delimiter tags, partials and
// lambdas are not supported and refused when compiling.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "domain/result.hpp"

namespace pathway::web {

class JsonMustache {
 public:
  using Escape = void (*)(std::string_view text, std::string& out);

  // Parses `text`. A template that does not parse is an error naming the place: an
  // unclosed tag or section, a section closed by another name, an unsupported tag.
  static domain::Result<JsonMustache> Compile(std::string_view text);

  // Appends the template rendered with `view` to `out`, escaping `{{name}}` with
  // `escape`. Never fails: a name that is not in the view renders as nothing. `base`,
  // when given, is an object whose members the view lacks are read as the view's own.
  void Render(const nlohmann::json& view, Escape escape, std::string& out,
              const nlohmann::json* base = nullptr) const;

 private:
  enum class Kind : std::uint8_t { kText, kNewline, kEscaped, kRaw, kSection, kInverted };
  struct Node {
    Kind kind = Kind::kText;
    std::string text;               // kText, kNewline: the literal text
    std::vector<std::string> path;  // a name, split at dots; empty for `.`
    std::uint32_t end = 0;          // kSection, kInverted: one past the section's last node
  };
  struct State;

  void RenderRange(std::uint32_t begin, std::uint32_t end, State& state) const;

  std::vector<Node> nodes_;
};

}  // namespace pathway::web
