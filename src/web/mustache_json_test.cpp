#include "web/mustache_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace pathway::web {
namespace {

using nlohmann::json;

void Angles(std::string_view text, std::string& out) {
  for (const char ch : text) {
    if (ch == '<') {
      out += "&lt;";
    } else {
      out += ch;
    }
  }
}

std::string Render(std::string_view text, const json& view) {
  auto compiled = JsonMustache::Compile(text);
  EXPECT_TRUE(compiled.ok()) << (compiled.ok() ? "" : compiled.error().message);
  if (!compiled.ok()) return "";
  std::string out;
  compiled->Render(view, Angles, out);
  return out;
}

std::string CompileError(std::string_view text) {
  auto compiled = JsonMustache::Compile(text);
  return compiled.ok() ? "" : compiled.error().message;
}

TEST(JsonMustacheTest, VariablesEscapeUnlessTripleOrAmpersand) {
  const json view{{"x", "<b>"}};
  EXPECT_EQ(Render("a {{x}} {{{x}}} {{& x}} {{ x }}", view), "a &lt;b> <b> <b> &lt;b>");
}

TEST(JsonMustacheTest, TextAfterASectionIsNotPartOfIt) {
  const json view{{"on", false}, {"x", "v"}};
  EXPECT_EQ(Render("<li{{#on}} class=\"on\"{{/on}}>{{x}}</li>", view), "<li>v</li>");
  EXPECT_EQ(Render("[{{^on}}a{{/on}}b]", view), "[ab]");
  EXPECT_EQ(Render("[{{#on}}a{{/on}}b]", view), "[b]");
}

TEST(JsonMustacheTest, ValuesRenderAsTextOnlyWhenTheyAreTextOrNumbers) {
  const json view{{"s", "t"},    {"i", -42},       {"u", 7u},         {"f", 1.5},    {"yes", true},
                  {"no", false}, {"nil", nullptr}, {"o", {{"k", 1}}}, {"a", {1, 2}}, {"empty", ""}};
  EXPECT_EQ(
      Render("{{s}}|{{i}}|{{u}}|{{f}}|{{yes}}|{{no}}|{{nil}}|{{o}}|{{a}}|{{empty}}|{{missing}}",
             view),
      "t|-42|7|1.5|||||||");
}

TEST(JsonMustacheTest, SectionsOpenForTruthyValuesAndRepeatOverArrays) {
  const json view{{"yes", true},
                  {"no", false},
                  {"nil", nullptr},
                  {"zero", 0},
                  {"empty", ""},
                  {"text", "t"},
                  {"none", json::array()},
                  {"obj", json::object()},
                  {"items", {{{"n", 1}}, {{"n", 2}}}}};
  EXPECT_EQ(Render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{#nil}}L{{/nil}}{{#zero}}Z{{/zero}}"
                   "{{#empty}}E{{/empty}}{{#text}}T{{/text}}{{#none}}A{{/none}}"
                   "{{#obj}}O{{/obj}}{{#missing}}M{{/missing}}{{#items}}[{{n}}]{{/items}}",
                   view),
            "YZTO[1][2]");
  EXPECT_EQ(Render("{{^yes}}Y{{/yes}}{{^no}}N{{/no}}{{^nil}}L{{/nil}}{{^zero}}Z{{/zero}}"
                   "{{^empty}}E{{/empty}}{{^text}}T{{/text}}{{^none}}A{{/none}}"
                   "{{^obj}}O{{/obj}}{{^missing}}M{{/missing}}{{^items}}I{{/items}}",
                   view),
            "NLEAM");
}

TEST(JsonMustacheTest, NamesAreFoundFromTheInnermostContextOutwards) {
  const json view{{"name", "outer"},
                  {"title", "page"},
                  {"rows", {{{"name", "first"}}, {{"name", ""}}, {{"other", 1}}}}};
  // An empty value found inside hides the outer value; a missing one does not.
  EXPECT_EQ(Render("{{#rows}}<{{name}}/{{title}}>{{/rows}}", view),
            "<first/page></page><outer/page>");
}

TEST(JsonMustacheTest, ABaseViewIsReadAsTheViewsOwnMembersItLacks) {
  auto compiled = JsonMustache::Compile(
      "{{title}}|{{shared}}|{{#rows}}{{name}}:{{shared}};{{/rows}}|{{#list}}{{.}}{{/list}}|"
      "{{a.b}}|{{^gone}}none{{/gone}}");
  ASSERT_TRUE(compiled.ok());
  const json base{{"title", "base title"},
                  {"shared", "<s>"},
                  {"list", {"x", "y"}},
                  {"a", {{"b", "from base"}}},
                  {"gone", true}};
  // The view's own members hide the base's, even empty or null ones; `a` is found in
  // the view, so `a.b` is not looked for in the base's `a`.
  const json view{{"title", "page"},
                  {"rows", {{{"name", "one"}}, {{"name", "two"}, {"shared", "own"}}}},
                  {"a", {{"c", 1}}},
                  {"gone", nullptr}};
  std::string out;
  compiled->Render(view, Angles, out, &base);
  EXPECT_EQ(out, "page|&lt;s>|one:&lt;s>;two:own;|xy||none");
  // Without the base, its members are simply missing; a base that is not an object is
  // no base.
  out.clear();
  compiled->Render(view, Angles, out);
  EXPECT_EQ(out, "page||one:;two:own;|||none");
  const json not_an_object = json::array({1});
  out.clear();
  compiled->Render(view, Angles, out, &not_an_object);
  EXPECT_EQ(out, "page||one:;two:own;|||none");
}

TEST(JsonMustacheTest, DottedNamesNeedTheWholePathInOneContextAndDotIsTheContext) {
  const json view{
      {"a", {{"b", {{"c", "deep"}}}}}, {"list", {"x", "y"}}, {"rows", {{{"a", {{"z", 1}}}}}}};
  EXPECT_EQ(Render("{{a.b.c}}|{{#list}}{{.}}{{/list}}|{{#rows}}{{a.b.c}}{{/rows}}", view),
            "deep|xy|deep");
}

TEST(JsonMustacheTest, ALineLeftBlankByARenderedSectionIsDroppedWithItsLineBreak) {
  const json view{{"items", {"a", "b"}}, {"on", true}, {"off", false}};
  EXPECT_EQ(Render("<ul>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ul>\n", view),
            "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
  // A section that is not rendered leaves its line, as the renderer we replaced did.
  EXPECT_EQ(Render("a\n  {{#off}}\nx\n  {{/off}}\nb", view), "a\n  \nb");
  EXPECT_EQ(Render("a\n{{#on}}\nx\n{{/on}}\nb", view), "a\nx\nb");
  // A line with text beside the section keeps its line break; CRLF is one line break.
  EXPECT_EQ(Render("a {{#on}}x{{/on}}\r\nb", view), "a x\r\nb");
  // The last line, without a line break, is dropped when blank.
  EXPECT_EQ(Render("a\n{{#on}}{{/on}}  ", view), "a\n");
  // A comment alone on its line leaves the line.
  EXPECT_EQ(Render("a\n{{! note }}\nb", view), "a\n\nb");
}

TEST(JsonMustacheTest, TemplatesThatDoNotParseAreRefusedWithThePlace) {
  EXPECT_EQ(CompileError("ok\n {{x"), "Unclosed tag at line 2, column 2");
  EXPECT_EQ(CompileError("{{#a}}{{/b}}"), "Section a is closed by b at line 1, column 7");
  EXPECT_EQ(CompileError("{{/a}}"), "Section a closed at line 1, column 1 was never opened");
  EXPECT_EQ(CompileError("{{#a}}{{#b}}{{/b}}"), "Section a is never closed");
  EXPECT_NE(CompileError("{{=<% %>=}}"), "");
  EXPECT_NE(CompileError("{{> partial}}"), "");
  EXPECT_EQ(CompileError("{{#a.b}}{{/a.b}}"), "");
}

TEST(JsonMustacheTest, RenderingAppendsToWhatIsThere) {
  auto compiled = JsonMustache::Compile("{{x}}\n{{#on}}\n{{/on}}\n");
  ASSERT_TRUE(compiled.ok());
  std::string out = "head\n";
  compiled->Render(json{{"x", "v"}, {"on", true}}, Angles, out);
  EXPECT_EQ(out, "head\nv\n");
}

}  // namespace
}  // namespace pathway::web
