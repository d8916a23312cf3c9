// The framework pages rendered through the real routes, use cases and templates on a
// temporary database: levels and grades, security tags and clearance, the rating
// scale, escaping; and the search snippet's HTML.
#include "web/framework_routes.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/clock.hpp"
#include "app/passwords.hpp"
#include "app/throttle.hpp"
#include "domain/framework.hpp"
#include "domain/password_policy.hpp"
#include "store/frameworks.hpp"
#include "store/identity.hpp"
#include "store/migrations.hpp"
#include "web/auth.hpp"

namespace pathway::web {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("PATHWAY_SOURCE_DIR");
  return dir != nullptr ? dir : PATHWAY_SOURCE_DIR;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(SearchSnippetTest, EscapesTheTextAndMarksTheMatches) {
  EXPECT_EQ(SearchSnippetHtml("<b>\x01team\x02</b> & \"co\" 'x'"),
            "&lt;b&gt;<mark>team</mark>&lt;/b&gt; &amp; &quot;co&quot; &#39;x&#39;");
  EXPECT_EQ(SearchSnippetHtml("no match at all"), "no match at all");
  EXPECT_EQ(SearchSnippetHtml("stray \x02 end \x01open"), "stray  end <mark>open</mark>");
}

TEST(SearchSnippetTest, CutsLongTextAroundTheFirstMatchBetweenCharacters) {
  std::string text;
  for (int i = 0; i < 60; ++i) text += "caf\xc3\xa9 word ";
  text += "\x01stakeholder\x02 ";
  for (int i = 0; i < 60; ++i) text += "\xe2\x80\x94 more ";
  const std::string html = SearchSnippetHtml(text, 100);
  EXPECT_TRUE(html.starts_with("&hellip;")) << html;
  EXPECT_TRUE(html.ends_with("&hellip;")) << html;
  EXPECT_NE(html.find("<mark>stakeholder</mark>"), std::string::npos) << html;
  EXPECT_LT(html.size(), 140u);
  // Every byte sequence is whole UTF-8: no lead byte without its continuation bytes.
  const std::string stripped = std::regex_replace(html, std::regex("&hellip;"), "");
  for (std::size_t i = 0; i < stripped.size(); ++i) {
    const auto byte = static_cast<unsigned char>(stripped[i]);
    const int length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 0;
    ASSERT_GT(length, 0) << "continuation byte at " << i;
    ASSERT_LE(i + length, stripped.size()) << "cut character at " << i;
    i += length - 1;
  }
}

TEST(SearchSnippetTest, NeverLeavesAMarkOpenWhenACutFallsInsideIt) {
  const std::string text = "\x01" + std::string(300, 'a') + "\x02 tail";
  const std::string html = SearchSnippetHtml(text, 50);
  EXPECT_TRUE(html.starts_with("<mark>")) << html;
  EXPECT_EQ(Count(html, "<mark>"), Count(html, "</mark>")) << html;
  EXPECT_TRUE(html.ends_with("</mark>&hellip;")) << html;
}

// A database with one framework (levels 3 and 5, a rating scale, security tags) and a
// signed-in reader, served by the framework routes alone.
class FrameworkPagesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { env_ = new Env(); }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }

  struct Env {
    Env() {
      dir = std::filesystem::temp_directory_path() / fmt::format("pathway-fwpages-{}", getpid());
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
      const std::string path = (dir / "pages.db").string();
      {
        auto db = store::Database::Open(path);
        EXPECT_TRUE(db.ok());
        EXPECT_TRUE(store::Migrate(**db).ok());
      }
      pool = std::move(store::ConnectionPool::Open(path, 2)).value();
      authorizer = std::make_unique<app::Authorizer>(
          std::move(app::Policy::Parse(ReadText(SourceDir() + "/policy/access.csv"))).value());
      kernel = std::make_unique<app::UnitOfWork>(*pool, *authorizer, clock);
      identity = std::make_unique<app::IdentityService>(
          *kernel, blocklist, throttle, app::SessionSettings{}, app::PasswordHashCost{1, 8192});
      frameworks = std::make_unique<app::FrameworkService>(*kernel);
      templates = std::make_unique<TemplateSet>(
          std::move(TemplateSet::Load(SourceDir() + "/templates")).value());
      errors = std::make_unique<ErrorPages>(*templates, "/assets");
      crosswalks = std::make_unique<app::CrosswalkService>(*kernel, *frameworks);
      RegisterFrameworkRoutes(
          router, {*identity, *frameworks, *crosswalks, *templates, "/assets", *errors});
      AddFramework();
      auto lease = pool->Acquire();
      const auto hash = app::HashPassword("a long test password", {1, 8192}).value();
      const auto user =
          store::InsertUser(*lease, "reader@example.gov.uk", "Reader", hash, std::nullopt);
      EXPECT_TRUE(user.ok());
      EXPECT_TRUE(store::InsertGrant(*lease, user.value(), "individual", "").ok());
      auto signed_in =
          identity->SignIn("reader@example.gov.uk", "a long test password", {"test", "10.0.0.1"});
      EXPECT_TRUE(signed_in.ok());
      session = signed_in->session_id;
    }
    ~Env() { std::filesystem::remove_all(dir); }

    void AddFramework() {
      constexpr std::string_view kNamespace = "5d1f8c2a-7b3e-4f60-9a1d-2c3b4e5f6a7b";
      auto uuid = [&](std::string_view name) { return domain::NameBasedUuid(kNamespace, name); };
      domain::Framework f;
      f.id = uuid("framework");
      f.title = "Behaviours <for> testing";
      f.kind = domain::FrameworkKind::kBehaviours;
      f.description = "First paragraph\nstill the first.\n\nSecond paragraph.";
      f.status = domain::FrameworkStatus::kPublished;
      f.grade_levels = {{domain::Grade::kHEO, 3}, {domain::Grade::kSCS1, 5}};
      f.rating_scale = {{1, "Insufficient evidence", ""},
                        {4, "Moderate demonstration", "The acceptable standard"}};
      domain::Item item;
      item.id = uuid("item");
      item.number = 1;
      item.title = "Working Together";
      item.levels = {{3, "Level 3", "Builds relationships <b>within</b> the team"},
                     {5, "Level 5", "Builds partnerships across departments"}};
      item.indicators = {
          {uuid("every"), domain::IndicatorKind::kEffective, "Listen to others", {}, 1, 0},
          {uuid("three"),
           domain::IndicatorKind::kEffective,
           "Share files only with those who need them",
           {"security"},
           2,
           3},
          {uuid("five"), domain::IndicatorKind::kEffective, "Lead joint programmes", {}, 3, 5},
          {uuid("less"),
           domain::IndicatorKind::kIneffective,
           "Leave papers on the desk",
           {"security"},
           1,
           5}};
      f.clusters = {{uuid("cluster"), "Behaviours", "", "", 1, {item}}};
      id = f.id;
      // A second framework with content at level 5 only, as the shipped competency
      // framework has.
      domain::Framework senior;
      senior.id = uuid("senior");
      senior.title = "Senior only";
      senior.kind = domain::FrameworkKind::kCompetency;
      senior.status = domain::FrameworkStatus::kPublished;
      senior.grade_levels = {{domain::Grade::kHEO, 3}, {domain::Grade::kSCS1, 5}};
      for (const char* name : {"Seeing the big picture", "Leading and communicating"}) {
        domain::Item senior_item;
        senior_item.id = uuid(std::string("senior item ") + name);
        senior_item.title = name;
        senior_item.levels = {{5, "Level 5", std::string("Senior ") + name}};
        senior_item.indicators = {{uuid(std::string("senior indicator ") + name),
                                   domain::IndicatorKind::kEffective,
                                   "Sets direction",
                                   {},
                                   1,
                                   5}};
        if (senior.clusters.empty()) {
          senior.clusters = {{uuid("senior cluster"), "Set direction", "", "", 1, {}}};
        }
        senior.clusters.front().items.push_back(senior_item);
      }
      senior_id = senior.id;
      auto lease = pool->Acquire();
      auto tx = store::Transaction::Begin(*lease);
      EXPECT_TRUE(tx.ok());
      EXPECT_TRUE(store::InsertFrameworkVersion(*lease, f).ok());
      EXPECT_TRUE(store::InsertFrameworkVersion(*lease, senior).ok());
      EXPECT_TRUE(tx->Commit().ok());
    }

    std::filesystem::path dir;
    app::ManualClock clock{1'800'000'000};
    domain::PasswordBlocklist blocklist;
    app::SignInThrottle throttle;
    std::unique_ptr<store::ConnectionPool> pool;
    std::unique_ptr<app::Authorizer> authorizer;
    std::unique_ptr<app::UnitOfWork> kernel;
    std::unique_ptr<app::IdentityService> identity;
    std::unique_ptr<app::FrameworkService> frameworks;
    std::unique_ptr<app::CrosswalkService> crosswalks;
    std::unique_ptr<TemplateSet> templates;
    std::unique_ptr<ErrorPages> errors;
    Router router;
    std::string id;
    std::string senior_id;
    std::string session;
  };

  static Response Get(const std::string& path, const std::string& query = {}) {
    Request request;
    request.method = "GET";
    request.path = path;
    request.query = query;
    request.target = query.empty() ? path : path + "?" + query;
    request.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, env_->session));
    auto match = env_->router.Match(request);
    EXPECT_NE(match.route, nullptr) << path;
    return match.route->handler(request);
  }

  static Env* env_;
};

FrameworkPagesTest::Env* FrameworkPagesTest::env_ = nullptr;

TEST_F(FrameworkPagesTest, ShowsEveryLevelItsDescriptorsTheScaleAndTheGradeMap) {
  const Response response = Get("/frameworks/" + env_->id);
  ASSERT_EQ(response.status, 200);
  const std::string& html = response.body;
  EXPECT_NE(html.find("<h1 class=\"govuk-heading-l\">Behaviours &lt;for&gt; testing</h1>"),
            std::string::npos);
  EXPECT_NE(html.find("<p class=\"govuk-body\">First paragraph still the first.</p>"),
            std::string::npos);
  EXPECT_NE(html.find("<p class=\"govuk-body\">Second paragraph.</p>"), std::string::npos);
  EXPECT_NE(html.find("Builds relationships &lt;b&gt;within&lt;&#x2F;b&gt; the team"),
            std::string::npos);
  EXPECT_NE(html.find("Builds partnerships across departments"), std::string::npos);
  EXPECT_EQ(Count(html, "pathway-indicator--effective\""), 3);
  EXPECT_EQ(Count(html, "pathway-indicator--ineffective\""), 1);
  EXPECT_NE(html.find("(Level 5)"), std::string::npos) << "indicators say their level";
  EXPECT_NE(html.find("Moderate demonstration"), std::string::npos);
  EXPECT_NE(html.find("id=\"rating-scale\""), std::string::npos);
  EXPECT_NE(html.find("HEO – Higher Executive Officer</th>"), std::string::npos);
  EXPECT_EQ(Count(html, "Why security behaviours matter"), 1);
  EXPECT_EQ(Count(html, "<strong class=\"govuk-tag govuk-tag--red\">Security</strong>"), 2 + 1);
  EXPECT_EQ(html.find("Security behaviours for this post"), std::string::npos);
}

TEST_F(FrameworkPagesTest, ForAGradeShowsOnlyItsLevelAndTheIndicatorsForEveryLevel) {
  const Response response = Get("/frameworks/" + env_->id, "grade=HEO");
  ASSERT_EQ(response.status, 200);
  const std::string& html = response.body;
  EXPECT_NE(html.find("this framework expects level 3"), std::string::npos);
  EXPECT_NE(html.find("Builds relationships"), std::string::npos);
  EXPECT_EQ(html.find("Builds partnerships"), std::string::npos) << "only level 3's descriptor";
  EXPECT_NE(html.find("Listen to others"), std::string::npos) << "level 0: every level";
  EXPECT_NE(html.find("Share files only with those who need them"), std::string::npos);
  EXPECT_EQ(html.find("Lead joint programmes"), std::string::npos);
  EXPECT_EQ(Count(html, "pathway-indicator--ineffective\""), 0);
  EXPECT_NE(html.find("None given at this level."), std::string::npos);
  EXPECT_NE(html.find("<option value=\"HEO\" selected>"), std::string::npos);

  const std::string g7 = Get("/frameworks/" + env_->id, "grade=G7").body;
  EXPECT_NE(g7.find("This framework has no level for grade G7 – Grade 7. It sets levels for HEO "
                    "and SCS1 only."),
            std::string::npos);
  EXPECT_EQ(Count(g7, "pathway-indicator--effective\""), 3) << "every level is shown";
}

TEST_F(FrameworkPagesTest, WithNothingAtTheGradesLevelSaysSoOnceAndLeadsToOneThatHas) {
  const Response response = Get("/frameworks/" + env_->senior_id, "grade=HEO");
  ASSERT_EQ(response.status, 200);
  const std::string& html = response.body;
  EXPECT_EQ(html.find("None given"), std::string::npos) << "not once per competency";
  EXPECT_EQ(Count(html, "has no descriptions or behaviours for level 3"), 1);
  const auto others = html.find("id=\"level-others\"");
  ASSERT_NE(others, std::string::npos);
  EXPECT_NE(html.find(env_->id + "?grade=HEO\">Behaviours &lt;for&gt; testing</a>", others),
            std::string::npos)
      << "links to the framework with level 3 content";
  EXPECT_EQ(html.find("Sets direction"), std::string::npos) << "level 5 only";

  const std::string scs = Get("/frameworks/" + env_->senior_id, "grade=SCS1").body;
  EXPECT_EQ(scs.find("has no descriptions or behaviours"), std::string::npos);
  EXPECT_NE(scs.find("Sets direction"), std::string::npos);
}

TEST_F(FrameworkPagesTest, ForAnScOrDvPostListsTheSecurityBehavioursFirst) {
  for (const char* clearance : {"SC", "DV", "dv"}) {
    const std::string html =
        Get("/frameworks/" + env_->id, std::string("clearance=") + clearance).body;
    const auto section = html.find("Security behaviours for this post");
    ASSERT_NE(section, std::string::npos) << clearance;
    EXPECT_LT(section, html.find("<section class=\"pathway-cluster\"")) << clearance;
    EXPECT_EQ(Count(html, "pathway-security-row\""), 2) << clearance;
  }
  const std::string scs1 = Get("/frameworks/" + env_->id, "clearance=SC&grade=SCS1").body;
  EXPECT_EQ(Count(scs1, "pathway-security-row\""), 1) << "only level 5's security behaviours";
  for (const char* clearance : {"", "none", "BPSS", "CTC"}) {
    const Response response = Get("/frameworks/" + env_->id, std::string("clearance=") + clearance);
    EXPECT_EQ(response.status, 200) << clearance;
    EXPECT_EQ(response.body.find("Security behaviours for this post"), std::string::npos);
  }
  const Response wrong = Get("/frameworks/" + env_->id, "clearance=TOP");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("<a href=\"#clearance\">"), std::string::npos);
}

TEST_F(FrameworkPagesTest, TheApiGivesTheWholeVersion) {
  const Response response = Get("/api/v1/frameworks/" + env_->id + "/versions/1");
  ASSERT_EQ(response.status, 200);
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["kind"], "behaviours");
  EXPECT_EQ(body["grade_levels"],
            nlohmann::json::parse(R"([{"grade":"HEO","level":3},{"grade":"SCS1","level":5}])"));
  EXPECT_EQ(body["rating_scale"].size(), 2u);
  const auto& item = body["clusters"][0]["items"][0];
  EXPECT_EQ(item["levels"].size(), 2u);
  EXPECT_EQ(item["indicators"][1]["tags"], nlohmann::json::array({"security"}));
  EXPECT_EQ(item["indicators"][1]["level"], 3);
  EXPECT_EQ(Get("/api/v1/frameworks/" + env_->id + "/versions/2").status, 404);
}

}  // namespace
}  // namespace pathway::web
