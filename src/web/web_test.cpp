#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "web/assets.hpp"
#include "web/errors.hpp"
#include "web/forms.hpp"
#include "web/http.hpp"
#include "web/metrics.hpp"
#include "web/pages.hpp"
#include "web/router.hpp"
#include "web/server.hpp"
#include "web/templates.hpp"

namespace pathway::web {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("PATHWAY_SOURCE_DIR");
  return dir != nullptr ? dir : PATHWAY_SOURCE_DIR;
}

Request Get(std::string path, std::string query = {}) {
  Request request;
  request.method = "GET";
  request.path = std::move(path);
  request.query = std::move(query);
  return request;
}

Response Named(std::string name) { return Response::Text(200, std::move(name)); }

TEST(RouterTest, MatchesLiteralsParametersAndTails) {
  Router router;
  router.Add("GET", "/", [](Request&) { return Named("root"); });
  router.Add("GET", "/people/{id}", [](Request&) { return Named("person"); });
  router.Add("GET", "/people/{id}/reviews", [](Request&) { return Named("reviews"); });
  router.Add("GET", "/assets/{path...}", [](Request&) { return Named("asset"); });

  auto root = Get("/");
  ASSERT_NE(router.Match(root).route, nullptr);
  EXPECT_EQ(router.Match(root).route->pattern, "/");

  auto person = Get("/people/42");
  auto match = router.Match(person);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/people/{id}");
  EXPECT_EQ(person.path_params.at("id"), "42");

  auto reviews = Get("/people/42/reviews");
  ASSERT_NE(router.Match(reviews).route, nullptr);
  EXPECT_EQ(router.Match(reviews).route->pattern, "/people/{id}/reviews");

  auto asset = Get("/assets/fonts/a.woff2");
  ASSERT_NE(router.Match(asset).route, nullptr);
  EXPECT_EQ(asset.path_params.at("path"), "fonts/a.woff2");

  for (const char* path : {"/people", "/people/", "/people/42/other", "/assets/", "/nope", ""}) {
    auto request = Get(path);
    EXPECT_EQ(router.Match(request).route, nullptr) << path;
  }
}

TEST(RouterTest, HeadMatchesGetAndOtherMethodsGet405WithAllow) {
  Router router;
  router.Add("GET", "/api/v1", [](Request&) { return Named("index"); });
  router.Add("POST", "/api/v1/things", [](Request&) { return Named("create"); });

  auto head = Get("/api/v1");
  head.method = "HEAD";
  EXPECT_NE(router.Match(head).route, nullptr);

  auto del = Get("/api/v1");
  del.method = "DELETE";
  auto match = router.Match(del);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.method_not_allowed);
  EXPECT_EQ(match.allow, "GET, HEAD");

  auto get_things = Get("/api/v1/things");
  auto things = router.Match(get_things);
  EXPECT_TRUE(things.method_not_allowed);
  EXPECT_EQ(things.allow, "POST");
}

TEST(HttpTest, PercentDecodingRefusesMalformedEscapesAndNul) {
  EXPECT_EQ(PercentDecode("a%20b", false), "a b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("%C3%A9", false), "\xC3\xA9");
  EXPECT_FALSE(PercentDecode("%", false).has_value());
  EXPECT_FALSE(PercentDecode("%2", false).has_value());
  EXPECT_FALSE(PercentDecode("%zz", false).has_value());
  EXPECT_FALSE(PercentDecode("a%00b", false).has_value());
}

TEST(HttpTest, QueryParametersAndHeadersAreFoundByName) {
  auto request = Get("/search", "q=seeing+the%20big&empty&page=2&q=second");
  EXPECT_EQ(request.QueryParam("q"), "seeing the big");
  EXPECT_EQ(request.QueryParam("page"), "2");
  EXPECT_EQ(request.QueryParam("empty"), "");
  EXPECT_FALSE(request.QueryParam("missing").has_value());
  request.headers = {{"content-type", "text/html"}};
  EXPECT_EQ(request.Header("Content-Type"), "text/html");

  Response response;
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("cache-control", "public");
  EXPECT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.Header("CACHE-CONTROL"), "public");
}

TEST(MetricsTest, RendersCountersAndCumulativeHistogram) {
  Metrics metrics;
  metrics.Record("/healthz", 200, std::chrono::microseconds(300));
  metrics.Record("/healthz", 200, std::chrono::milliseconds(3));
  metrics.Record("/", 404, std::chrono::milliseconds(2));
  metrics.RecordRejected("queue-full");
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("pathway_http_requests_total{route=\"/healthz\",status=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("pathway_http_requests_total{route=\"/\",status=\"404\"} 1\n"),
            std::string::npos);
  // 0.3 ms falls in every bucket from 0.0005 s up; 3 ms from 0.005 s up.
  EXPECT_NE(text.find("duration_seconds_bucket{route=\"/healthz\",le=\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("duration_seconds_bucket{route=\"/healthz\",le=\"0.0025\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("duration_seconds_count{route=\"/healthz\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("pathway_http_rejected_total{reason=\"queue-full\"} 1\n"), std::string::npos);
}

class TemplateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = TemplateSet::Load(SourceDir() + "/templates");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    templates_ = std::make_unique<TemplateSet>(std::move(loaded).value());
  }
  std::unique_ptr<TemplateSet> templates_;
};

TEST_F(TemplateTest, EscapesUserTextInPages) {
  const std::string html = RenderPage(*templates_, "/assets/vX", "error", "A <b>title</b>",
                                      {{"title", "<script>alert(1)</script>"}, {"body", "a & b"}});
  EXPECT_EQ(html.find("<script>alert(1)</script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &amp; b"), std::string::npos);
  EXPECT_NE(html.find("<title>A &lt;b&gt;title&lt;&#x2F;b&gt; - Pathway</title>"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"/assets/vX/govuk-frontend.min.css\""), std::string::npos);
}

TEST_F(TemplateTest, APageRenderedWholeIsTimedByPage) {
  Metrics metrics;
  templates_->ObservePages([&metrics](const std::string& page, std::chrono::nanoseconds took) {
    metrics.RecordPageRender(page, took);
  });
  (void)RenderPage(*templates_, "/a", "error", "Once", {});
  (void)RenderPage(*templates_, "/a", "error", "Twice", {});
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("# TYPE pathway_page_render_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("pathway_page_render_seconds_count{page=\"error\"} 2\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("pathway_page_render_seconds_bucket{page=\"error\",le=\"+Inf\"} 2\n"),
            std::string::npos);
}

TEST_F(TemplateTest, ErrorTitlesStartWithError) {
  const std::string html = RenderPage(*templates_, "/a", "error", "Enter a name", {}, true);
  EXPECT_NE(html.find("<title>Error: Enter a name - Pathway</title>"), std::string::npos);
}

TEST(TemplateEscapeTest, EverySpecialIsEscapedWhereverItFallsInALongValue) {
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("pathway-tpl-escape-{}", getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "value.mustache") << "{{v}}|{{{v}}}";
  auto set = TemplateSet::Load(dir.string());
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(set.ok()) << set.error().message;
  const std::map<char, std::string> entities{{'&', "&amp;"},  {'<', "&lt;"},   {'>', "&gt;"},
                                             {'"', "&quot;"}, {'\'', "&#39;"}, {'/', "&#x2F;"}};
  // Each special at each place of values longer than the eight bytes passed over at once,
  // alone and next to another, and values of plain text and multi-byte characters.
  std::vector<std::string> values{"", "plain", "exactly8", "sixteen chars ok", "Zoë Ünal – Łódź"};
  for (const auto& [special, entity] : entities) {
    for (std::size_t at = 0; at < 20; ++at) {
      std::string value(19, 'a');
      value.insert(at, 1, special);
      values.push_back(value);
      value.insert(at, 1, '<');
      values.push_back(value);
    }
  }
  for (const auto& value : values) {
    std::string expected;
    for (const char ch : value) {
      const auto found = entities.find(ch);
      expected += found == entities.end() ? std::string(1, ch) : found->second;
    }
    EXPECT_EQ(set->Render("value", nlohmann::json{{"v", value}}), expected + "|" + value);
  }
}

TEST_F(TemplateTest, SectionsAndPartialsBehaveAsMustacheSaysAndRendersAreTimed) {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("pathway-tpl-{}", getpid());
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / (name + ".mustache")) << text;
  };
  write("page", "[{{#e}}E{{/e}}{{^e}}notE{{/e}}][{{#items}}{{> item}}{{/items}}][{{s}}]");
  write("item", "<{{name}}>");
  write("loop", "{{> loop}}");
  auto set = TemplateSet::Load(dir.string());
  // A partial that includes itself is refused at load, naming it.
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().message.find("loop"), std::string::npos);
  std::filesystem::remove(dir / "loop.mustache");
  set = TemplateSet::Load(dir.string());
  ASSERT_TRUE(set.ok()) << set.error().message;
  Metrics metrics;
  set->ObserveRenders([&metrics](const std::string& name, std::chrono::nanoseconds took) {
    metrics.RecordRender(name, took);
  });
  const nlohmann::json view{
      {"e", ""}, {"items", {{{"name", "a/b"}}, {{"name", "'c'"}}}}, {"s", "x<y>&\""}};
  EXPECT_EQ(set->Render("page", view), "[notE][<a&#x2F;b><&#39;c&#39;>][x&lt;y&gt;&amp;&quot;]");
  EXPECT_NE(metrics.Render().find("pathway_template_render_seconds_count{template=\"page\"} 1"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_F(TemplateTest, MissingTemplateIsABug) {
  EXPECT_THROW((void)templates_->Render("no-such-template", {}), std::out_of_range);
}

TEST_F(TemplateTest, ErrorPagesAnswerProblemJsonUnderApiAndHtmlElsewhere) {
  ErrorPages pages(*templates_, "/assets/vX");
  Response api = pages.ForStatus(Get("/api/v1/people/1"), 404);
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.Header("Content-Type"), "application/problem+json");
  auto problem = nlohmann::json::parse(api.body);
  EXPECT_EQ(problem["code"], "not-found");
  EXPECT_EQ(problem["status"], 404);
  EXPECT_EQ(problem["type"], "/problems/not-found");

  Response page = pages.ForStatus(Get("/people/1"), 404);
  EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("Page not found"), std::string::npos);

  // The message of an internal error is for the log only.
  Response internal = pages.ForError(Get("/api/v1"), domain::Error::Internal("secret detail"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("secret detail"), std::string::npos);

  Response invalid =
      pages.ForError(Get("/api/v1"), domain::Error::InvalidInput("grade", "Select a grade"));
  EXPECT_EQ(invalid.status, 422);
  auto details = nlohmann::json::parse(invalid.body);
  EXPECT_EQ(details["errors"][0]["field"], "grade");
  EXPECT_EQ(details["errors"][0]["message"], "Select a grade");
}

TEST(ErrorStatusTest, EveryErrorCodeMapsToAStatus) {
  EXPECT_EQ(HttpStatus(domain::ErrorCode::kInvalidInput), 422);
  EXPECT_EQ(HttpStatus(domain::ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatus(domain::ErrorCode::kForbidden), 403);
  EXPECT_EQ(HttpStatus(domain::ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatus(domain::ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatus(domain::ErrorCode::kInternal), 500);
  EXPECT_TRUE(IsApiPath("/api/v1"));
  EXPECT_TRUE(IsApiPath("/api"));
  EXPECT_FALSE(IsApiPath("/apiary"));
}

TEST(HeadersTest, StandardHeadersKeepAResponsesOwnCaching) {
  Response page = Response::Html(200, "x");
  ApplyStandardHeaders(page);
  EXPECT_EQ(page.Header("Cache-Control"), "no-store");
  EXPECT_NE(page.Header("Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(page.Header("Content-Security-Policy").find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(page.Header("X-Content-Type-Options"), "nosniff");

  EXPECT_TRUE(page.Header("Strict-Transport-Security").empty()) << "no HSTS over plain HTTP";
  Response secure = Response::Html(200, "x");
  ApplyStandardHeaders(secure, true);
  EXPECT_EQ(secure.Header("Strict-Transport-Security"), "max-age=31536000; includeSubDomains");

  Response asset;
  asset.SetHeader("Cache-Control", "public, max-age=60");
  ApplyStandardHeaders(asset);
  EXPECT_EQ(asset.Header("Cache-Control"), "public, max-age=60");
}

class AssetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pathway-assets-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "govuk/assets/fonts");
    std::filesystem::create_directories(dir_ / "static");
    Write("govuk/govuk-frontend.min.css", "body{}");
    Write("govuk/govuk-frontend.min.js", "export{}");
    Write("govuk/assets/fonts/bold-abc.woff2", "font");
    Write("static/pathway.css", "p{}");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  domain::Result<AssetStore> Load() {
    return AssetStore::Load((dir_ / "govuk").string(), (dir_ / "static").string());
  }
  std::filesystem::path dir_;
};

TEST_F(AssetTest, ServesVersionedAssetsAsImmutable) {
  auto store = Load();
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(store->size(), 4u);
  EXPECT_EQ(store->version().size(), 12u);
  Response css = store->Serve("v" + store->version() + "/govuk-frontend.min.css", "");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.body, "body{}");
  EXPECT_EQ(css.Header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.Header("Cache-Control"), "public, max-age=31536000, immutable");
  Response font = store->Serve("fonts/bold-abc.woff2", "");
  EXPECT_EQ(font.Header("Content-Type"), "font/woff2");
  EXPECT_EQ(font.Header("Cache-Control"), "public, max-age=31536000, immutable");
  Response plain = store->Serve("pathway.css", "");
  EXPECT_EQ(plain.Header("Cache-Control"), "public, max-age=3600");
  EXPECT_EQ(store->Serve("pathway.css", css.Header("ETag")).status, 304);
  EXPECT_EQ(store->Serve("../etc/passwd", "").status, 404);
  EXPECT_EQ(store->Serve("vdeadbeef0000/pathway.css", "").status, 404);
}

TEST_F(AssetTest, VersionChangesWhenAnyAssetChanges) {
  auto before = Load();
  ASSERT_TRUE(before.ok());
  Write("static/pathway.css", "p{color:red}");
  auto after = Load();
  ASSERT_TRUE(after.ok());
  EXPECT_NE(before->version(), after->version());
}

TEST_F(AssetTest, MissingGovukFrontendIsAClearError) {
  std::filesystem::remove(dir_ / "govuk/govuk-frontend.min.css");
  auto store = Load();
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("npm ci"), std::string::npos);
}

}  // namespace
}  // namespace pathway::web

namespace pathway::web {
namespace {

TEST(RedirectTest, OnlyLocalPathsWithoutControlCharactersAfterDecoding) {
  for (const char* ok :
       {"/", "/account", "/people/3/gap?role_level=x.1", "/a%20b", "/frameworks#x"}) {
    EXPECT_EQ(LocalRedirectTarget(ok), ok) << ok;
  }
  for (const char* bad :
       {"", "account", "//evil.example", "/\\evil.example", "https://evil.example",
        "/%0d%0aSet-Cookie:x=y", "/%0D%0ALocation:%20//evil", "/\r\nSet-Cookie: x=y", "/a\tb",
        "/%09", "/%00", "/%7F", "/%2F%2Fevil.example", "/%5Cevil.example", "/a\\b",
        "javascript:alert(1)"}) {
    EXPECT_EQ(LocalRedirectTarget(bad, "/fallback"), "/fallback") << bad;
  }
  EXPECT_EQ(LocalRedirectTarget("/" + std::string(600, 'a')), "/");
  EXPECT_EQ(Redirect("/%0d%0aSet-Cookie:x=y").Header("Location"), "/");
  EXPECT_EQ(Redirect("/people/3").Header("Location"), "/people/3");
}

TEST(RedirectTest, HeadersWithLineBreaksOrNulAreNotSafe) {
  EXPECT_TRUE(HeaderIsSafe("text/html; charset=utf-8"));
  EXPECT_FALSE(HeaderIsSafe("a\r\nSet-Cookie: x=y"));
  EXPECT_FALSE(HeaderIsSafe("a\nb"));
  EXPECT_FALSE(HeaderIsSafe(std::string_view("a\0b", 3)));
}

}  // namespace
}  // namespace pathway::web
