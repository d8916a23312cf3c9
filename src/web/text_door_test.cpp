// Text checked at the door: forms, query strings and JSON bodies refuse text that is not
// UTF-8 or holds control characters, naming the field; the JSON writer never throws.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "web/http.hpp"
#include "web/json.hpp"

namespace pathway::web {
namespace {

using nlohmann::json;

TEST(FormTextTest, AcceptsTextAndDecodesIt) {
  const auto form = ParseForm("name=Zo%C3%AB+Smith&tab=a%09b&empty=&flag");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->at("name"), "Zoë Smith");
  EXPECT_EQ(form->at("tab"), "a\tb") << "tab is text";
  EXPECT_EQ(form->at("empty"), "");
  EXPECT_EQ(form->at("flag"), "");
}

TEST(FormTextTest, RefusesValuesThatAreNotTextNamingTheField) {
  const auto utf8 = ParseForm("email=a%40b.c&name=Bad%FFName");
  ASSERT_FALSE(utf8.ok());
  EXPECT_EQ(utf8.error().code, domain::ErrorCode::kInvalidInput);
  EXPECT_EQ(utf8.error().field, "name");
  EXPECT_EQ(utf8.error().message, "Name has a character that is not UTF-8");
  const auto cut = ParseForm("text=%C3%28");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().field, "text");
  const auto control = ParseForm("name=a%1B%5B31m");
  ASSERT_FALSE(control.ok());
  EXPECT_EQ(control.error().message, "Name has a control character (U+001B). Remove it");
  const auto del = ParseForm("name=a%7F");
  ASSERT_FALSE(del.ok());
  EXPECT_EQ(del.error().field, "name");
  const auto malformed = ParseForm("name=100%");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().field, "name");
  const auto bad_name = ParseForm("na%FFme=x");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().field, "form");
}

TEST(FormTextTest, NamesAndTitlesRefuseBidirectionalControlsNamingTheFieldByItsLabel) {
  const auto name = ParseForm("name=Ann%E2%80%AEhtimS");
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().field, "name");
  EXPECT_EQ(name.error().message,
            "Name has a bidirectional control character (U+202E), which can make text show "
            "differently from what it says. Remove it");
  const auto title = ParseForm("title=a%E2%81%A7b");
  ASSERT_FALSE(title.ok());
  EXPECT_EQ(title.error().field, "title");
  const auto search = ParseForm("q=%D8%9C");
  ASSERT_FALSE(search.ok());
  EXPECT_NE(search.error().message.find("The search text has"), std::string::npos);
  // Multi-line text (a description in a right-to-left language) keeps its marks.
  const auto description = ParseForm("description=%E2%80%8Fabc", {"description"});
  ASSERT_TRUE(description.ok());
  // A tab is text: the use case turns it into a space in a name.
  EXPECT_TRUE(ParseForm("name=Ann%09Smith").ok());
}

TEST(FormTextTest, LineBreaksOnlyInMultiLineFields) {
  const auto one_line = ParseForm("title=a%0D%0Ab&description=c");
  ASSERT_FALSE(one_line.ok());
  EXPECT_EQ(one_line.error().field, "title");
  EXPECT_EQ(one_line.error().message, "Title must be one line. Remove the line break");
  const auto multi = ParseForm("title=a&description=c%0D%0Ad%0Ae", {"description"});
  ASSERT_TRUE(multi.ok());
  EXPECT_EQ(multi->at("description"), "c\r\nd\ne");
  const auto lone_cr = ParseForm("description=c%0Dd", {"description"});
  ASSERT_FALSE(lone_cr.ok());
  EXPECT_EQ(lone_cr.error().field, "description");
  const auto title = ParseForm("title=a%0Ab&description=c", {"description"});
  EXPECT_FALSE(title.ok()) << "naming one multi-line field leaves the others one line";
}

Request Target(std::string path, std::string query) {
  Request request;
  request.method = "GET";
  request.path = std::move(path);
  request.query = std::move(query);
  return request;
}

TEST(TargetTextTest, QueryParametersAndThePathMustBeOneLineText) {
  EXPECT_FALSE(CheckTarget(Target("/people", "q=Zo%C3%AB&page=2")));
  EXPECT_FALSE(CheckTarget(Target("/people", "")));
  const auto query = CheckTarget(Target("/api/v1/frameworks/search", "q=%C3%28"));
  ASSERT_TRUE(query);
  EXPECT_EQ(query->field, "q");
  const auto header = CheckTarget(Target("/sign-in", "next=/%0d%0aSet-Cookie:x=1"));
  ASSERT_TRUE(header);
  EXPECT_EQ(header->field, "next");
  const auto path = CheckTarget(Target("/frameworks/\xFF", ""));
  ASSERT_TRUE(path);
  EXPECT_EQ(path->field, "path");
  const auto key = CheckTarget(Target("/people", "%FF=1"));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->field, "query");
}

Request JsonPost(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  request.path = "/api/v1/users";
  request.headers = {{"content-type", std::move(content_type)}};
  request.body = std::move(body);
  return request;
}

// The problem document of a refused body.
json Problem(const std::variant<json, Response>& read, int status) {
  const auto* response = std::get_if<Response>(&read);
  if (response == nullptr) {
    ADD_FAILURE() << "the body was accepted";
    return json::object();
  }
  EXPECT_EQ(response->status, status);
  return json::parse(response->body);
}

TEST(JsonBodyTest, ReadsAnObjectWithText) {
  const auto read =
      ReadJsonBody(JsonPost(R"({"name":"Zoë","roles":[{"role":"admin"}]})"), "the user", 422);
  ASSERT_TRUE(std::holds_alternative<json>(read));
  EXPECT_EQ(std::get<json>(read)["name"], "Zoë");
}

TEST(JsonBodyTest, RefusesOtherMediaTypesAndWhatIsNotAnObject) {
  EXPECT_EQ(Problem(ReadJsonBody(JsonPost("{}", "text/plain"), "the user", 422), 415)["detail"],
            "Send the user as application/json.");
  EXPECT_EQ(Problem(ReadJsonBody(JsonPost("[1]"), "the user", 422), 400)["code"], "bad-request");
  EXPECT_EQ(Problem(ReadJsonBody(JsonPost("{"), "the user", 422), 400)["code"], "bad-request");
  std::string deep(200, '[');
  EXPECT_EQ(Problem(ReadJsonBody(JsonPost(R"({"a":)" + deep), "the user", 422), 400)["code"],
            "bad-request");
  deep = R"({"a":)" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_EQ(Problem(ReadJsonBody(JsonPost(deep), "the user", 422), 400)["code"], "bad-request")
      << "nested deeper than kMaxJsonDepth";
}

TEST(JsonBodyTest, BytesThatAreNotUtf8AreRefusedNamingTheMember) {
  const json name = Problem(
      ReadJsonBody(JsonPost("{\"email\":\"a@b.c\",\"name\":\"Bad\xFFName\"}"), "u", 422), 422);
  EXPECT_EQ(name["code"], "invalid-input");
  EXPECT_EQ(name["errors"][0]["field"], "name");
  EXPECT_EQ(name["detail"], "‘name’ has a character that is not UTF-8");
  const json nested = Problem(
      ReadJsonBody(JsonPost("{\"requirements\":[{\"item\":\"a\"},{\"item\":\"\xC3\x28\"}]}"), "q",
                   400),
      400);
  EXPECT_EQ(nested["code"], "invalid-input");
  EXPECT_EQ(nested["errors"][0]["field"], "requirements[1].item");
  const json raw_control =
      Problem(ReadJsonBody(JsonPost("{\"a\":1,\"name\":\"x\x01y\"}"), "u", 422), 422);
  EXPECT_EQ(raw_control["errors"][0]["field"], "name");
}

TEST(JsonBodyTest, EscapedControlsAndLineBreaksAreRefusedWhereTheTextIsOneLine) {
  const json escaped =
      Problem(ReadJsonBody(JsonPost(R"({"roles":[{"scope":"a\u0007"}]})"), "u", 422), 422);
  EXPECT_EQ(escaped["errors"][0]["field"], "roles[0].scope");
  EXPECT_EQ(escaped["detail"], "‘roles[0].scope’ has a control character (U+0007). Remove it");
  const json line = Problem(ReadJsonBody(JsonPost(R"({"name":"a\nb"})"), "u", 422), 422);
  EXPECT_EQ(line["errors"][0]["field"], "name");
  const auto multi = ReadJsonBody(JsonPost(R"({"note":"a\r\nb\tc"})"), "u", 422, {"note"});
  EXPECT_TRUE(std::holds_alternative<json>(multi));
}

TEST(JsonFieldTest, TypedReadsNameTheMember) {
  const json body =
      json::parse(R"({"k":"ten","list":[1,"two"],"n":null,"big":18446744073709551615})");
  const JsonField root(body, "");
  EXPECT_FALSE(root.Member("missing"));
  EXPECT_FALSE(root.Member("n")) << "null reads as absent";
  const auto k = root.Member("k")->Integer("Enter a number");
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().field, "k");
  EXPECT_EQ(k.error().message, "Enter a number");
  const auto list = root.Member("list")->Array(5, "Enter a list");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)[1].field(), "list[1]");
  EXPECT_EQ(*(*list)[0].Integer(""), 1);
  EXPECT_EQ((*list)[1].String("").value(), "two");
  EXPECT_FALSE(root.Member("list")->Array(1, "At most one").ok());
  EXPECT_FALSE(root.Member("big")->Integer("").ok()) << "beyond 64 bits";
  EXPECT_FALSE(root.Member("k")->Object("Enter an object").ok());
}

TEST(JsonTextTest, StoredTextThatIsNotUtf8IsWrittenWithReplacementCharacters) {
  const json value{{"name", "Bad\xFFName"}};
  EXPECT_THROW((void)value.dump(), json::type_error) << "the default dump throws";
  EXPECT_EQ(JsonText(value), "{\"name\":\"Bad\xEF\xBF\xBDName\"}");
  EXPECT_EQ(JsonResponse(200, value).Header("content-type"), "application/json");
}

}  // namespace
}  // namespace pathway::web
