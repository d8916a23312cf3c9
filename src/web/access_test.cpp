// Authorisation tests generated from the policy file (policy/access.csv) and the route
// table: every route that names an action is tried by an actor of every role against
// objects in every relationship (self, own report, someone else's report, another
// department, a missing id), and must answer exactly as the policy says. Workforce
// lists and objects named by code (professions, departments) have their own test. Objects
// outside the actor's scope answer 404, like objects that do not exist. Framework
// routes have their own targets (a draft in the author's scope, a published framework,
// a draft outside everyone's scope, a missing id) and their own test below.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/clock.hpp"
#include "app/identity.hpp"
#include "app/policy.hpp"
#include "app/service.hpp"
#include "domain/framework.hpp"
#include "store/audit.hpp"
#include "store/frameworks.hpp"
#include "store/identity.hpp"
#include "store/migrations.hpp"
#include "store/workforce_change.hpp"
#include "web/assets.hpp"
#include "web/auth.hpp"
#include "web/errors.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

namespace pathway::web {
namespace {

using domain::Relationship;
using domain::Role;

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

// Routes anyone may call; every other route must name a policy action.
const std::set<std::string> kPublicRoutes{"GET /",
                                          "GET /healthz",
                                          "GET /metrics",
                                          "GET /api/v1",
                                          "GET /api/v1/openapi.json",
                                          "GET /assets/{path...}",
                                          "GET /sign-in",
                                          "POST /sign-in",
                                          "POST /sign-out",
                                          "GET /api/v1/me"};

// The objects a route can be aimed at, and how each relates to each test actor.
enum class Target { kSelf, kOwnReport, kOtherReport, kOtherDepartment, kMissing, kNone };

// Routes about frameworks, whose objects relate to actors through a framework
// author's scope and publication rather than through people.
// The CASE read API, which serves published frameworks to any signed-in caller and
// answers in imsx_StatusInfo; it has its own test below.
bool IsCaseRoute(const Route& route) { return route.pattern.starts_with("/ims/case/"); }

// Workforce routes other than a person's record (which the generic test covers): lists
// scoped to the actor, and professions and departments named by code. They have their
// own test below.
bool IsWorkforceRoute(const Route& route) {
  static const std::set<std::string> kPatterns{"/professions",
                                               "/professions/{code}",
                                               "/professions/{code}/workforce",
                                               "/professions/{code}/roles/{role}",
                                               "/people",
                                               "/team",
                                               "/posts",
                                               "/departments",
                                               "/departments/{code}",
                                               "/api/v1/people",
                                               "/api/v1/posts",
                                               "/api/v1/role-levels",
                                               "/api/v1/professions",
                                               "/api/v1/professions/{code}",
                                               "/api/v1/departments"};
  return kPatterns.contains(route.pattern);
}

// The workforce engine's routes (talent match, capability maps, pathways): lists scoped
// like the workforce lists, and a person's pathways. They have their own test below.
bool IsEngineRoute(const Route& route) {
  return route.action == "talent.match" || route.action == "capability.read" ||
         route.action == "pathway.read";
}

// Assessment routes whose object is not a person (a self-assessment, the catalogue, the
// manager's to-do list): tests/blackbox/assessments.test.mjs checks who may use them.
bool IsAssessmentObjectRoute(const Route& route) {
  for (const char* prefix : {"/self-assessments", "/api/v1/self-assessments", "/assessments/",
                             "/learning", "/api/v1/learning-resources"}) {
    if (route.pattern.starts_with(prefix)) return true;
  }
  return false;
}

// Performance-year routes: their objects are records and years, not people or users;
// tests/blackbox/performance.test.mjs checks who may use them (the person, the line
// manager, the countersigning manager, HR) and app/performance_test.cpp the refusals.
bool IsPerformanceRoute(const Route& route) {
  return route.pattern.starts_with("/performance") ||
         route.pattern.starts_with("/api/v1/performance-") ||
         route.pattern == "/api/v1/people/{id}/performance-record";
}

// Vetting routes, whose objects are cases and departments, and whose HR partners reach
// only the cases they were added to: tests/blackbox/vetting.test.mjs and
// app/vetting_test.cpp check who may use them.
bool IsVettingRoute(const Route& route) {
  for (const char* prefix : {"/vetting", "/api/v1/vetting", "/clearances", "/api/v1/clearances"}) {
    if (route.pattern.starts_with(prefix)) return true;
  }
  return false;
}

// Recruitment routes: their objects are vacancies, applications and inductions, seen by
// panel membership and ownership; tests/blackbox/recruitment.test.mjs checks who may use
// them.
bool IsRecruitmentRoute(const Route& route) {
  for (const char* prefix : {"/vacancies", "/applications", "/inductions", "/api/v1/vacancies",
                             "/api/v1/applications", "/api/v1/inductions"}) {
    if (route.pattern.starts_with(prefix)) return true;
  }
  return false;
}

// Importing passports (no object in the path: the person is in the form or body) and the
// crosswalk API's writes (JSON bodies): tests/blackbox/passport.test.mjs covers who may
// do them for whom.
bool IsPassportImportRoute(const Route& route) {
  return route.pattern.starts_with("/passports") ||
         route.pattern.starts_with("/api/v1/passports") ||
         (route.pattern.starts_with("/api/v1/frameworks/{id}/crosswalks") && route.method != "GET");
}

bool IsFrameworkRoute(const Route& route) {
  return (route.pattern.starts_with("/frameworks") ||
          route.pattern.starts_with("/api/v1/frameworks")) &&
         !IsPassportImportRoute(route);
}

// A small valid framework with a stable id derived from `name`: one cluster, one item
// with one level, and an effective and an ineffective indicator.
domain::Framework TestFramework(const std::string& name, domain::FrameworkStatus status) {
  constexpr std::string_view kNamespace = "3b241101-e2bb-4255-8caf-4136c566a962";
  const auto uuid = [&](const std::string& part) {
    return domain::NameBasedUuid(kNamespace, name + "/" + part);
  };
  domain::Framework framework;
  framework.id = uuid("framework");
  framework.title = "Access test " + name;
  framework.status = status;
  framework.grade_levels = {{domain::Grade::kHEO, 3}};
  domain::Item item;
  item.id = uuid("item");
  item.number = 1;
  item.title = "Working together";
  item.levels = {{3, "Level 3", "Works with colleagues across teams"}};
  item.indicators = {
      {uuid("effective"),
       domain::IndicatorKind::kEffective,
       "Share information",
       {"security"},
       1,
       0},
      {uuid("ineffective"), domain::IndicatorKind::kIneffective, "Work alone", {}, 1, 3}};
  framework.clusters = {{uuid("cluster"), "People", "", "", 1, {item}}};
  return framework;
}

// The item of the test framework with this id, for the editor's page of one item; empty
// for other ids.
std::string ItemOf(const std::string& framework_id) {
  for (const char* name : {"scoped draft", "published", "unscoped draft", "missing"}) {
    const auto framework = TestFramework(name, domain::FrameworkStatus::kDraft);
    if (framework.id == framework_id) return framework.clusters[0].items[0].id;
  }
  return "";
}

const char* TargetName(Target target) {
  switch (target) {
    case Target::kSelf:
      return "self";
    case Target::kOwnReport:
      return "own-report";
    case Target::kOtherReport:
      return "someone-elses-report";
    case Target::kOtherDepartment:
      return "other-department";
    case Target::kMissing:
      return "missing-id";
    case Target::kNone:
      return "no-object";
  }
  return "?";
}

class AccessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fixture_ = new Fixture(); }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }

  struct TestActor {
    Role role = Role::kIndividual;
    std::string scope;
    std::int64_t user_id = 0;
    std::int64_t person_id = 0;
    std::string session;
    std::string csrf;
    std::int64_t token_id = 0;
    std::string email;
  };

  struct Fixture {
    Fixture() {
      dir = std::filesystem::temp_directory_path() / fmt::format("pathway-access-{}", getpid());
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
      const std::string path = (dir / "access.db").string();
      {
        auto db = store::Database::Open(path);
        EXPECT_TRUE(db.ok());
        EXPECT_TRUE(store::Migrate(**db).ok());
      }
      pool = std::move(store::ConnectionPool::Open(path, 2)).value();
      auto parsed = app::Policy::Parse(ReadText(SourceDir() + "/policy/access.csv"));
      EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
      authorizer = std::make_unique<app::Authorizer>(std::move(parsed).value());
      kernel = std::make_unique<app::UnitOfWork>(*pool, *authorizer, clock);
      identity = std::make_unique<app::IdentityService>(
          *kernel, blocklist, throttle, app::SessionSettings{}, app::PasswordHashCost{1, 8192});
      service = std::make_unique<app::Service>(*pool);
      frameworks = std::make_unique<app::FrameworkService>(*kernel);
      workforce = std::make_unique<app::WorkforceService>(*kernel);
      workforce_import = std::make_unique<app::WorkforceImportService>(*kernel);
      assessments = std::make_unique<app::AssessmentService>(*kernel);
      performance = std::make_unique<app::PerformanceService>(*kernel);
      recruitment = std::make_unique<app::RecruitmentService>(*kernel);
      engine = std::make_unique<app::EngineService>(*kernel);
      vetting = std::make_unique<app::VettingService>(*kernel, nullptr);
      crosswalks = std::make_unique<app::CrosswalkService>(*kernel, *frameworks);
      passport = std::make_unique<app::PassportService>(*kernel, "");
      templates = std::make_unique<TemplateSet>(
          std::move(TemplateSet::Load(SourceDir() + "/templates")).value());
      auto loaded = AssetStore::Load(SourceDir() + "/node_modules/govuk-frontend/dist/govuk",
                                     SourceDir() + "/static");
      EXPECT_TRUE(loaded.ok());
      assets = std::make_unique<AssetStore>(std::move(loaded).value());
      errors = std::make_unique<ErrorPages>(*templates, assets->VersionedBase());
      RegisterRoutes(router, {app::Services{*kernel, *service, *identity, *frameworks, *workforce,
                                            *workforce_import, *engine, *assessments, *performance,
                                            *recruitment, *vetting, *crosswalks, *passport},
                              *templates, *assets, *errors, metrics, "{}", "metrics-token"});
      BuildFrameworks();
      BuildPeople();
      BuildOrganisation();
    }

    // The departments and professions the people below belong to.
    void BuildOrganisation() {
      auto lease = pool->Acquire();
      ASSERT_TRUE(lease
                      ->Execute(R"sql(
INSERT INTO department (code, name) VALUES ('DEPT-A', 'Department A'), ('DEPT-B', 'Department B'),
  ('HQ', 'Headquarters');
INSERT INTO profession (code, name) VALUES ('PROF-P', 'Profession P'), ('PROF-Q', 'Profession Q'),
  ('HQP', 'Headquarters profession');
-- The departments the role-grant requests name, a fresh one each so that none conflicts:
-- a grant's scope must name a department that exists.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)
INSERT INTO department (code, name) SELECT 'D' || i, 'Department ' || i FROM n;
INSERT INTO job_family (profession_id, code, name)
  SELECT id, 'FAMILY-' || code, 'Family of ' || name FROM profession;
INSERT INTO career_role (job_family_id, code, name)
  SELECT id, 'ROLE-' || substr(code, 8), 'Role of ' || name FROM job_family;
)sql")
                      .ok());
    }
    ~Fixture() { std::filesystem::remove_all(dir); }

    std::int64_t Person(const std::string& id, const std::string& department,
                        const std::string& profession, std::optional<std::int64_t> manager) {
      auto lease = pool->Acquire();
      return store::InsertPerson(*lease, {0, id, id, department, profession, manager}).value();
    }

    void BuildFrameworks() {
      // A draft in the framework author's scope, a published framework, and a draft in
      // nobody's scope; and the id of one that does not exist.
      const auto scoped = TestFramework("scoped draft", domain::FrameworkStatus::kDraft);
      const auto published = TestFramework("published", domain::FrameworkStatus::kPublished);
      const auto unscoped = TestFramework("unscoped draft", domain::FrameworkStatus::kDraft);
      auto lease = pool->Acquire();
      auto tx = store::Transaction::Begin(*lease);
      ASSERT_TRUE(tx.ok());
      for (const auto* framework : {&scoped, &published, &unscoped}) {
        const auto inserted = store::InsertFrameworkVersion(*lease, *framework);
        ASSERT_TRUE(inserted.ok()) << inserted.error().message;
      }
      ASSERT_TRUE(tx->Commit().ok());
      scoped_draft = scoped.id;
      published_framework = published.id;
      unscoped_draft = unscoped.id;
      missing_framework = TestFramework("missing", domain::FrameworkStatus::kDraft).id;
    }

    void BuildPeople() {
      // The line manager M manages R; N manages S (same department and profession as R)
      // and T (another department and profession).
      manager_m = Person("M", "HQ", "HQP", std::nullopt);
      const auto manager_n = Person("N", "HQ", "HQP", std::nullopt);
      report_r = Person("R", "DEPT-A", "PROF-P", manager_m);
      report_s = Person("S", "DEPT-A", "PROF-P", manager_n);
      person_t = Person("T", "DEPT-B", "PROF-Q", manager_n);
      // Owner of the "other" account and token.
      other_user = AddUser("other@example.gov.uk", person_t, {});
      {
        auto lease = pool->Acquire();
        other_token = store::InsertToken(*lease, other_user, "other", "hash-of-other").value();
      }
      const std::vector<std::pair<Role, std::string>> roles{{Role::kIndividual, ""},
                                                            {Role::kLineManager, ""},
                                                            {Role::kHrPartner, "DEPT-A"},
                                                            {Role::kVettingOfficer, "DEPT-A"},
                                                            {Role::kHeadOfProfession, "PROF-P"},
                                                            {Role::kRecruiter, ""},
                                                            {Role::kFrameworkAuthor, scoped_draft},
                                                            {Role::kAdministrator, ""}};
      int n = 0;
      for (const auto& [role, scope] : roles) {
        TestActor actor;
        actor.role = role;
        actor.scope = scope;
        actor.person_id = role == Role::kLineManager
                              ? manager_m
                              : Person(fmt::format("HQ{}", n), "HQ", "HQP", std::nullopt);
        const std::string email = fmt::format("actor{}@example.gov.uk", n++);
        actor.user_id = AddUser(email, actor.person_id, {{role, scope}});
        auto signed_in = identity->SignIn(email, "a long test password", {"test", "10.0.0.1"});
        EXPECT_TRUE(signed_in.ok());
        actor.session = signed_in->session_id;
        actor.csrf = signed_in->actor.csrf_token;
        actor.email = email;
        auto lease = pool->Acquire();
        actor.token_id = store::InsertToken(*lease, actor.user_id, "mine", "hash-" + email).value();
        actors.push_back(actor);
      }
    }

    std::int64_t AddUser(const std::string& email, std::int64_t person,
                         std::vector<std::pair<Role, std::string>> grants) {
      auto lease = pool->Acquire();
      const auto hash = app::HashPassword("a long test password", {1, 8192}).value();
      const auto id = store::InsertUser(*lease, email, email, hash, person).value();
      for (const auto& [role, scope] : grants) {
        EXPECT_TRUE(
            store::InsertGrant(*lease, id, std::string(domain::RoleName(role)), scope).ok());
      }
      return id;
    }

    std::filesystem::path dir;
    app::ManualClock clock{1'800'000'000};
    domain::PasswordBlocklist blocklist;
    app::SignInThrottle throttle{app::ThrottleLimits{1000, 1000, 1000, 1, 1, 1, 1}};
    std::unique_ptr<store::ConnectionPool> pool;
    std::unique_ptr<app::Authorizer> authorizer;
    std::unique_ptr<app::UnitOfWork> kernel;
    std::unique_ptr<app::IdentityService> identity;
    std::unique_ptr<app::Service> service;
    std::unique_ptr<app::FrameworkService> frameworks;
    std::unique_ptr<app::WorkforceService> workforce;
    std::unique_ptr<app::WorkforceImportService> workforce_import;
    std::unique_ptr<app::AssessmentService> assessments;
    std::unique_ptr<app::PerformanceService> performance;
    std::unique_ptr<app::RecruitmentService> recruitment;
    std::unique_ptr<app::EngineService> engine;
    std::unique_ptr<app::VettingService> vetting;
    std::unique_ptr<app::CrosswalkService> crosswalks;
    std::unique_ptr<app::PassportService> passport;
    std::unique_ptr<TemplateSet> templates;
    std::unique_ptr<AssetStore> assets;
    std::unique_ptr<ErrorPages> errors;
    Metrics metrics;
    Router router;
    std::vector<TestActor> actors;
    std::int64_t manager_m = 0, report_r = 0, report_s = 0, person_t = 0;
    std::int64_t other_user = 0, other_token = 0;
    std::string scoped_draft, published_framework, unscoped_draft, missing_framework;
    int counter = 0;
  };

  // The relationship the policy should see between `actor` and the target, through
  // the actor's one grant; none when there is none.
  static std::optional<Relationship> Expected(const TestActor& actor, Target target,
                                              bool person_object) {
    if (target == Target::kMissing) return std::nullopt;
    if (actor.role == Role::kAdministrator) return Relationship::kAny;
    if (target == Target::kSelf) {
      if (actor.role == Role::kIndividual) return Relationship::kSelf;
      return std::nullopt;
    }
    if (!person_object) return std::nullopt;
    switch (actor.role) {
      case Role::kLineManager:
        return target == Target::kOwnReport ? std::optional(Relationship::kReport) : std::nullopt;
      case Role::kHrPartner:
      case Role::kVettingOfficer:
        return target == Target::kOwnReport || target == Target::kOtherReport
                   ? std::optional(Relationship::kDepartment)
                   : std::nullopt;
      case Role::kHeadOfProfession:
        return target == Target::kOwnReport || target == Target::kOtherReport
                   ? std::optional(Relationship::kProfession)
                   : std::nullopt;
      default:
        return std::nullopt;
    }
  }

  static Fixture* fixture_;
};

AccessTest::Fixture* AccessTest::fixture_ = nullptr;

struct Case {
  std::string path;
  std::string body;
};

TEST_F(AccessTest, EveryNonPublicRouteNamesAnActionThePolicyKnows) {
  const auto& policy = fixture_->authorizer->policy();
  std::set<std::string> used;
  for (const auto& route : fixture_->router.routes()) {
    const std::string key = route.method + " " + route.pattern;
    if (kPublicRoutes.contains(key)) {
      EXPECT_TRUE(route.action.empty()) << key << " is public but names an action";
      continue;
    }
    ASSERT_FALSE(route.action.empty()) << key << " names no policy action";
    EXPECT_TRUE(policy.actions().contains(route.action)) << key << ": " << route.action;
    used.insert(route.action);
  }
  // Actions only the command line uses, and token.read, which decides whether an
  // account's page lists its tokens.
  for (const char* other :
       {"token.create", "audit.verify", "token.read", "framework.create", "framework.edit",
        "framework.publish", "framework.retire", "framework.read", "workforce.import",
        "demo.create", "framework.carry_over", "notice.send", "recruitment.purge", "passport.keys",
        "passport.export", "passport.import"}) {
    used.insert(other);
  }
  for (const auto& action : policy.actions()) {
    EXPECT_TRUE(used.contains(action)) << "policy action " << action << " is used by nothing";
  }
}

TEST_F(AccessTest, EveryRouteAnswersEveryRoleAndRelationshipAsThePolicySays) {
  auto& f = *fixture_;
  const auto& policy = f.authorizer->policy();
  int checked = 0;
  for (const auto& route : f.router.routes()) {
    if (route.action.empty() || IsFrameworkRoute(route) || IsCaseRoute(route) ||
        IsWorkforceRoute(route) || IsEngineRoute(route) || IsAssessmentObjectRoute(route) ||
        IsPerformanceRoute(route) || IsRecruitmentRoute(route) || IsVettingRoute(route) ||
        IsPassportImportRoute(route) || route.pattern == "/api/v1/role-levels/search") {
      continue;  // see the tests below
    }
    const bool api = route.pattern.starts_with("/api/");
    const bool has_object = route.pattern.find("{id}") != std::string::npos;
    const bool person_object = route.pattern.find("/people/") != std::string::npos;
    const bool token_object = route.pattern.find("tokens/{") != std::string::npos;
    std::vector<Target> targets;
    if (has_object) {
      targets = {Target::kSelf, Target::kOwnReport, Target::kOtherReport, Target::kOtherDepartment,
                 Target::kMissing};
    } else if (route.action == "user.read" || route.action == "user.change_password") {
      targets = {Target::kSelf};  // /account: always the actor's own
    } else {
      targets = {Target::kNone};
    }
    for (auto& actor : f.actors) {
      for (const Target target : targets) {
        // Work out the id in the path for this target.
        std::int64_t id = 0;
        if (person_object) {
          id = target == Target::kSelf              ? actor.person_id
               : target == Target::kOwnReport       ? f.report_r
               : target == Target::kOtherReport     ? f.report_s
               : target == Target::kOtherDepartment ? f.person_t
                                                    : 999999;
          // The line manager's own report is theirs; for others R is simply in DEPT-A.
        } else if (token_object && route.pattern.starts_with("/account")) {
          id = target == Target::kSelf      ? actor.token_id
               : target == Target::kMissing ? 999999
                                            : f.other_token;
        } else if (token_object && route.pattern.starts_with("/api")) {
          id = target == Target::kSelf      ? actor.token_id
               : target == Target::kMissing ? 999999
                                            : f.other_token;
        } else {
          id = target == Target::kSelf      ? actor.user_id
               : target == Target::kMissing ? 999999
                                            : f.other_user;
        }
        std::string path = route.pattern;
        std::string body;
        auto replace = [&path](const std::string& from, const std::string& to) {
          const auto at = path.find(from);
          if (at != std::string::npos) path.replace(at, from.size(), to);
        };
        replace("{id}", std::to_string(id));
        // Admin token and grant routes: the token/grant belongs to the target user.
        if (path.find("{token}") != std::string::npos) {
          replace("{token}", std::to_string(target == Target::kSelf      ? actor.token_id
                                            : target == Target::kMissing ? 999999
                                                                         : f.other_token));
        }
        if (path.find("{grant}") != std::string::npos) {
          // A fresh grant on the target user each time, so an allowed revoke finds it.
          std::int64_t grant = 999999;
          if (target != Target::kMissing) {
            auto lease = f.pool->Acquire();
            auto inserted =
                store::InsertGrant(*lease, id, "hr_partner", fmt::format("g{}", f.counter++));
            if (inserted.ok()) grant = *inserted;
          }
          replace("{grant}", std::to_string(grant));
        }
        if (route.method == "POST") {
          body = "csrf-token=" + actor.csrf + "&confirm=yes";  // confirmed where asked
          if (route.pattern == "/admin/users") {
            body +=
                fmt::format("&email=new{}%40example.gov.uk&name=New&password=another+long+password",
                            f.counter++);
          }
          if (route.pattern.ends_with("/roles")) {
            body += fmt::format("&role=hr_partner&scope=D{}", f.counter++);
          }
          if (route.pattern == "/account/password") {
            body += "&current-password=a+long+test+password&new-password=a+long+test+password";
          }
        }
        if (route.pattern.starts_with("/api/v1/people/") && route.method == "POST") {
          body = "{}";  // authorised before the body is read; an empty one is then refused
        }
        if (route.pattern == "/api/v1/users" && route.method == "POST") {
          body = fmt::format(R"({{"email":"api{}@example.gov.uk","name":"API"}})", f.counter++);
        }

        Request request;
        request.method = route.method;
        request.path = path;
        request.target = path;
        request.request_id = "access-test";
        request.remote_address = "10.0.0.2";
        request.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, actor.session));
        request.headers.emplace_back("host", "pathway.test");
        if (!body.empty()) {
          request.headers.emplace_back("content-type", body.front() == '{'
                                                           ? "application/json"
                                                           : "application/x-www-form-urlencoded");
          request.body = body;
        }
        auto match = f.router.Match(request);
        ASSERT_NE(match.route, nullptr) << path;
        const Response response = match.route->handler(request);

        const auto relationship = Expected(actor, target, person_object);
        bool allowed = relationship && policy.Allows(actor.role, route.action, *relationship);
        if (route.pattern == "/admin/import") {
          // The upload is for the rows of a department: open to whoever holds a grant
          // whose role the policy lets import its department's rows (the grant routes
          // above give actors HR partner grants of their own).
          auto lease = f.pool->Acquire();
          for (const auto& grant : store::ActiveGrants(*lease, actor.user_id).value()) {
            const auto role = domain::ParseRole(grant.role);
            if (role && !grant.scope.empty() &&
                policy.Allows(*role, route.action, Relationship::kDepartment)) {
              allowed = true;
            }
          }
        }
        const std::string what =
            fmt::format("{} {} as {} on {} (action {})", route.method, path,
                        domain::RoleName(actor.role), TargetName(target), route.action);
        if (allowed) {
          EXPECT_TRUE(response.status == 200 || response.status == 201 || response.status == 204 ||
                      response.status == 303 || response.status == 422)
              << what << " should be allowed, got " << response.status;
          EXPECT_NE(response.status, 404) << what;
        } else {
          EXPECT_EQ(response.status, 404) << what << " should answer 404 like a missing object";
        }
        if (api && !allowed) {
          EXPECT_EQ(response.Header("Content-Type"), "application/problem+json") << what;
        }
        if (allowed && target == Target::kSelf && route.action == "role.revoke") {
          // Revoking one of your own roles ends your sessions at once: sign in again.
          auto again =
              f.identity->SignIn(actor.email, "a long test password", {"test", "10.0.0.1"});
          ASSERT_TRUE(again.ok());
          actor.session = again->session_id;
          actor.csrf = again->actor.csrf_token;
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 200);
}

// Framework routes: every route x every role x {the draft in the author's scope ("self"),
// a published framework ("own-report"), a draft outside everyone's scope ("someone-
// elses-report", "other-department"), a missing id}. A framework relates to an actor as
// `public` once it has a published (or retired) version, as `framework` to the author
// whose scope names it, and as `any` to an administrator. Reads run first, while the
// drafts are drafts; then the forms (publish, retire, new draft), which change what
// they are aimed at, so each expectation is worked out from the framework as it is
// just before its request.
TEST_F(AccessTest, EveryFrameworkRouteAnswersEveryRoleAndTargetAsThePolicySays) {
  auto& f = *fixture_;
  const auto& policy = f.authorizer->policy();
  std::vector<const Route*> routes;
  for (const auto& route : f.router.routes()) {
    if (!route.action.empty() && IsFrameworkRoute(route)) routes.push_back(&route);
  }
  std::stable_partition(routes.begin(), routes.end(),
                        [](const Route* route) { return route->method == "GET"; });
  ASSERT_GE(routes.size(), 12u);
  int checked = 0;
  std::map<std::string, int> done_by_form;  // POST route -> requests that changed something
  for (const Route* route : routes) {
    const bool api = route->pattern.starts_with("/api/");
    const bool has_object = route->pattern.find("{id}") != std::string::npos;
    const std::vector<Target> targets =
        has_object ? std::vector<Target>{Target::kSelf, Target::kOwnReport, Target::kOtherReport,
                                         Target::kOtherDepartment, Target::kMissing}
                   : std::vector<Target>{Target::kNone};
    for (const auto& actor : f.actors) {
      for (const Target target : targets) {
        const std::string id = target == Target::kSelf        ? f.scoped_draft
                               : target == Target::kOwnReport ? f.published_framework
                               : target == Target::kMissing   ? f.missing_framework
                                                              : f.unscoped_draft;
        // How the target relates to the actor now.
        std::vector<Relationship> relationships;
        if (target == Target::kNone) {
          relationships.push_back(Relationship::kPublic);  // lists and search: published only
          // A framework being created relates to every framework author's grant.
          if (actor.role == Role::kFrameworkAuthor && route->action == "framework.create") {
            relationships.push_back(Relationship::kFramework);
          }
          // The import page opens to framework authors (for a new framework, or theirs)
          // and to heads of profession (for their profession's career framework); the
          // import then asks about the file's framework.
          if (route->action == "framework.import") {
            if (actor.role == Role::kFrameworkAuthor) {
              relationships.push_back(Relationship::kFramework);
            }
            if (actor.role == Role::kHeadOfProfession) {
              relationships.push_back(Relationship::kProfession);
            }
          }
        } else if (target != Target::kMissing) {
          auto lease = f.pool->Acquire();
          auto versions = store::ListVersions(*lease, id);
          ASSERT_TRUE(versions.ok());
          for (const auto& info : *versions) {
            const bool in_path =
                route->pattern.find("{version}") == std::string::npos || info.version == 1;
            if (in_path && (info.status == "published" || info.status == "retired")) {
              relationships.push_back(Relationship::kPublic);
            }
          }
          if (actor.role == Role::kFrameworkAuthor && id == actor.scope) {
            relationships.push_back(Relationship::kFramework);
          }
        }
        if (actor.role == Role::kAdministrator && target != Target::kMissing) {
          relationships.push_back(Relationship::kAny);
        }
        const bool allowed = std::any_of(
            relationships.begin(), relationships.end(),
            [&](Relationship r) { return policy.Allows(actor.role, route->action, r); });

        std::string path = route->pattern;
        auto replace = [&path](const std::string& from, const std::string& to) {
          const auto at = path.find(from);
          if (at != std::string::npos) path.replace(at, from.size(), to);
        };
        replace("{id}", id);
        replace("{version}", "1");
        // Pages about one item name a real one; forms aimed at "{item}" find it gone.
        if (route->method == "GET") replace("{item}", ItemOf(id));
        Request request;
        request.method = route->method;
        request.path = path;
        if (route->pattern.ends_with("/diff")) request.query = "from=1";
        if (route->pattern == "/frameworks/search") request.query = "q=information";
        request.target = request.query.empty() ? path : path + "?" + request.query;
        request.request_id = "access-test";
        request.remote_address = "10.0.0.2";
        request.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, actor.session));
        request.headers.emplace_back("host", "pathway.test");
        if (route->method == "POST") {
          request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
          request.body = "csrf-token=" + actor.csrf + "&confirm=yes";  // ticked where asked
        }
        auto match = f.router.Match(request);
        ASSERT_EQ(match.route, route) << path;
        const Response response = match.route->handler(request);

        const std::string what =
            fmt::format("{} {} as {} on {} (action {})", route->method, path,
                        domain::RoleName(actor.role), TargetName(target), route->action);
        if (allowed) {
          EXPECT_TRUE(response.status == 200 || response.status == 303 || response.status == 409 ||
                      response.status == 422)
              << what << " should be allowed, got " << response.status;
          if (route->method == "POST" && response.status == 303) ++done_by_form[route->pattern];
        } else {
          EXPECT_EQ(response.status, 404) << what << " should answer 404 like a missing object";
        }
        if (api) {
          EXPECT_EQ(response.Header("Content-Type"),
                    allowed ? "application/json" : "application/problem+json")
              << what;
        }
        ++checked;
      }
    }
  }
  // Each version form did its work at least once (a 303), rather than only refusing.
  // The draft editor's forms need a sub-object and fields this generic request does not
  // send, so here they only show that the policy lets the right people through (422 or
  // 409 rather than 404); tests/blackbox/authoring.test.mjs makes each of them work, and
  // tests/blackbox/passport.test.mjs the crosswalk forms.
  constexpr std::array<std::string_view, 4> kSubObjects{"{cluster}", "{item}", "{indicator}",
                                                        "{level}"};
  for (const Route* route : routes) {
    const bool editor_form =
        route->pattern == "/frameworks/new" || route->pattern == "/frameworks/import" ||
        route->pattern.ends_with("/clusters") ||
        route->pattern.find("/crosswalks") != std::string::npos ||
        std::any_of(kSubObjects.begin(), kSubObjects.end(), [&](std::string_view part) {
          return route->pattern.find(part) != std::string::npos;
        });
    if (route->method == "POST" && !editor_form) {
      EXPECT_GT(done_by_form[route->pattern], 0) << route->pattern;
    }
  }
  EXPECT_GE(checked, 384);  // 9 routes with an id x 8 roles x 5 targets, 3 without x 8
}

// Workforce routes x every role. Lists answer 200 to every role that the policy gives
// a scope (the relationship its grants reach: self, report, department, profession or
// any) for the list's action, and hold only people the actor may read; others answer
// 404. Professions are public to everyone signed in; a profession's workforce overview
// and a department's overview follow the grant's scope.
TEST_F(AccessTest, EveryWorkforceRouteAnswersEveryRoleAsThePolicySays) {
  auto& f = *fixture_;
  const auto& policy = f.authorizer->policy();
  const auto scope_relationship = [](Role role) -> std::optional<Relationship> {
    switch (role) {
      case Role::kIndividual:
        return Relationship::kSelf;
      case Role::kLineManager:
        return Relationship::kReport;
      case Role::kHrPartner:
      case Role::kVettingOfficer:
        return Relationship::kDepartment;
      case Role::kHeadOfProfession:
        return Relationship::kProfession;
      case Role::kAdministrator:
        return Relationship::kAny;
      default:
        return std::nullopt;
    }
  };
  int checked = 0;
  int routes = 0;
  for (const auto& route : f.router.routes()) {
    if (!IsWorkforceRoute(route)) continue;
    ++routes;
    const bool api = route.pattern.starts_with("/api/");
    const bool by_code = route.pattern.find("{code}") != std::string::npos;
    std::vector<std::string> codes{""};
    if (by_code) {
      codes = route.pattern.starts_with("/departments/")
                  ? std::vector<std::string>{"DEPT-A", "DEPT-B", "MISSING"}
                  : std::vector<std::string>{"PROF-P", "PROF-Q", "MISSING"};
    }
    for (const auto& actor : f.actors) {
      for (const auto& code : codes) {
        // Other tests add grants to the actors (role grants aimed at themselves), so
        // work from every grant the actor holds now.
        std::vector<domain::Grant> grants;
        {
          auto lease = f.pool->Acquire();
          for (const auto& record : store::ActiveGrants(*lease, actor.user_id).value()) {
            grants.push_back({record.id, *domain::ParseRole(record.role), record.scope});
          }
        }
        const auto allows = [&](const domain::Grant& grant) {
          const auto relationship = scope_relationship(grant.role);
          if (route.action == "profession.read") {
            return code != "MISSING" &&
                   (policy.Allows(grant.role, route.action, Relationship::kPublic) ||
                    (relationship && policy.Allows(grant.role, route.action, *relationship)));
          }
          if (by_code) {
            // The object is in the grant's scope when the scope names it.
            const bool in_scope = grant.role == Role::kAdministrator || code == grant.scope;
            return code != "MISSING" && in_scope && relationship &&
                   policy.Allows(grant.role, route.action, *relationship);
          }
          if (route.pattern == "/team") {
            return grant.role == Role::kLineManager &&
                   policy.Allows(grant.role, "person.list", Relationship::kReport) &&
                   policy.Allows(grant.role, "person.read", Relationship::kReport);
          }
          return relationship && policy.Allows(grant.role, route.action, *relationship) &&
                 (route.action != "person.list" ||
                  policy.Allows(grant.role, "person.read", *relationship));
        };
        const bool allowed = std::any_of(grants.begin(), grants.end(), allows);
        std::string path = route.pattern;
        if (by_code) path.replace(path.find("{code}"), 6, code);
        // Each profession has one role, ROLE-<code> (BuildOrganisation).
        if (const auto role = path.find("{role}"); role != std::string::npos) {
          path.replace(role, 6, "ROLE-" + code);
        }
        Request request;
        request.method = "GET";
        request.path = path;
        request.target = path;
        request.request_id = "access-test";
        request.remote_address = "10.0.0.2";
        request.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, actor.session));
        request.headers.emplace_back("host", "pathway.test");
        auto match = f.router.Match(request);
        ASSERT_EQ(match.route, &route) << path;
        const Response response = match.route->handler(request);
        const std::string what = fmt::format("GET {} as {} (action {})", path,
                                             domain::RoleName(actor.role), route.action);
        EXPECT_EQ(response.status, allowed ? 200 : 404) << what;
        if (api) {
          EXPECT_EQ(response.Header("Content-Type"),
                    allowed ? "application/json" : "application/problem+json")
              << what;
        }
        // A list holds only people the actor may read, and everyone in the grant's scope.
        if (allowed && route.pattern == "/api/v1/people") {
          const auto body = nlohmann::json::parse(response.body);
          std::set<std::int64_t> ids;
          for (const auto& item : body["items"]) ids.insert(item["id"].get<std::int64_t>());
          EXPECT_EQ(body["total"].get<std::size_t>(), ids.size()) << what;
          auto lease = f.pool->Acquire();
          app::Actor as;
          as.kind = app::Actor::Kind::kUser;
          as.user_id = actor.user_id;
          as.person_id = actor.person_id;
          as.grants = grants;
          for (const std::int64_t id :
               {actor.person_id, f.manager_m, f.report_r, f.report_s, f.person_t}) {
            auto person = store::FindPerson(*lease, id).value();
            ASSERT_TRUE(person.has_value());
            app::Subject subject;
            subject.person_id = id;
            subject.department = person->department;
            subject.profession = person->profession;
            const bool readable = f.authorizer->Allowed(*lease, as, "person.read", subject).value();
            EXPECT_EQ(ids.contains(id), readable) << what << " person " << id;
          }
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(routes, 15);
  EXPECT_GE(checked, 15 * 8);
}

// One item and one role level for the engine routes to ask about; then the change
// counter moves, so the engine reloads the fixture's workforce. Idempotent.
template <typename Fixture>
void AddEngineData(Fixture& f) {
  // One item and one role level to ask about, then tell the engine the workforce moved.
  auto lease = f.pool->Acquire();
  ASSERT_TRUE(lease
                  ->Execute(fmt::format(R"sql(
INSERT OR IGNORE INTO item_ref (framework_id, item_id) VALUES ('{}', 'access-item');
INSERT OR IGNORE INTO job_family (profession_id, code, name)
  SELECT id, 'ACC-JF', 'Access family' FROM profession WHERE code = 'PROF-P';
INSERT OR IGNORE INTO career_role (job_family_id, code, name)
  SELECT id, 'ACC-R', 'Access role' FROM job_family WHERE code = 'ACC-JF';
INSERT OR IGNORE INTO role_level (role_id, code, title, position, grade_min, grade_max)
  SELECT id, 'ACC-L1', 'Access level', 1, 0, 9 FROM career_role WHERE code = 'ACC-R';
INSERT OR IGNORE INTO role_requirement (role_level_id, item_ref_id, level, weight)
  SELECT rl.id, ir.id, 1, 1 FROM role_level rl, item_ref ir
  WHERE rl.code = 'ACC-L1' AND ir.item_id = 'access-item';
)sql",
                                        f.published_framework))
                  .ok());
  ASSERT_TRUE(store::BumpWorkforceGeneration(*lease).ok());
}

// Engine routes x every role. Rankings and capability maps answer 200 to every role
// whose grants the policy opens (department, profession or any) for the route's action,
// and 404 to the rest; a person's pathways follow pathway.read on that person (self,
// own report, someone else's report, another department, a missing id).
// The role-level picker's search: role levels are career-framework data, public to
// everyone signed in (framework.read is `public` for every role); nobody else.
TEST_F(AccessTest, TheRoleLevelSearchAnswersEveryoneSignedInAndNobodyElse) {
  auto& f = *fixture_;
  AddEngineData(f);
  const auto ask = [&](const std::string& cookie) {
    Request request;
    request.method = "GET";
    request.path = "/api/v1/role-levels/search";
    request.query = "q=dev";
    request.target = "/api/v1/role-levels/search?q=dev";
    request.request_id = "access-test";
    request.remote_address = "10.0.0.2";
    request.headers.emplace_back("host", "pathway.test");
    if (!cookie.empty()) request.headers.emplace_back("cookie", cookie);
    auto match = f.router.Match(request);
    EXPECT_NE(match.route, nullptr);
    return match.route->handler(request);
  };
  for (const auto& actor : f.actors) {
    const Response response = ask(fmt::format("{}={}", kSessionCookie, actor.session));
    EXPECT_EQ(response.status, 200) << domain::RoleName(actor.role);
    EXPECT_TRUE(response.Header("Content-Type").starts_with("application/json"))
        << domain::RoleName(actor.role);
  }
  EXPECT_EQ(ask("").status, 401);
  EXPECT_EQ(ask(fmt::format("{}=not-a-session", kSessionCookie)).status, 401);
}

TEST_F(AccessTest, EveryEngineRouteAnswersEveryRoleAsThePolicySays) {
  auto& f = *fixture_;
  const auto& policy = f.authorizer->policy();
  AddEngineData(f);
  const auto scope_relationship = [](Role role) -> std::optional<Relationship> {
    switch (role) {
      case Role::kHrPartner:
      case Role::kVettingOfficer:
        return Relationship::kDepartment;
      case Role::kHeadOfProfession:
        return Relationship::kProfession;
      case Role::kAdministrator:
        return Relationship::kAny;
      default:
        return std::nullopt;
    }
  };
  int checked = 0;
  int routes = 0;
  for (const auto& route : f.router.routes()) {
    if (!IsEngineRoute(route)) continue;
    ++routes;
    const bool api = route.pattern.starts_with("/api/");
    const bool person_object = route.pattern.find("{id}") != std::string::npos;
    const std::vector<Target> targets =
        person_object ? std::vector<Target>{Target::kSelf, Target::kOwnReport, Target::kOtherReport,
                                            Target::kOtherDepartment, Target::kMissing}
                      : std::vector<Target>{Target::kNone};
    for (const auto& actor : f.actors) {
      std::vector<domain::Grant> grants;
      {
        auto lease = f.pool->Acquire();
        for (const auto& record : store::ActiveGrants(*lease, actor.user_id).value()) {
          grants.push_back({record.id, *domain::ParseRole(record.role), record.scope});
        }
      }
      for (const Target target : targets) {
        bool allowed = false;
        std::string path = route.pattern;
        if (person_object) {
          const auto relationship = Expected(actor, target, true);
          allowed = relationship && policy.Allows(actor.role, route.action, *relationship);
          const std::int64_t id = target == Target::kSelf              ? actor.person_id
                                  : target == Target::kOwnReport       ? f.report_r
                                  : target == Target::kOtherReport     ? f.report_s
                                  : target == Target::kOtherDepartment ? f.person_t
                                                                       : 999999;
          path.replace(path.find("{id}"), 4, std::to_string(id));
        } else {
          allowed = std::any_of(grants.begin(), grants.end(), [&](const domain::Grant& grant) {
            const auto relationship = scope_relationship(grant.role);
            return relationship && policy.Allows(grant.role, route.action, *relationship) &&
                   (*relationship == Relationship::kAny || !grant.scope.empty());
          });
        }
        Request request;
        request.method = route.method;
        request.path = path;
        if (route.pattern == "/talent/match" || route.pattern == "/capability") {
          request.query = "item_1=access-item&level_1=1";
        }
        if (route.pattern.ends_with("/routes")) request.query = "target=ACC-L1";
        request.target = request.query.empty() ? path : path + "?" + request.query;
        request.request_id = "access-test";
        request.remote_address = "10.0.0.2";
        request.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, actor.session));
        request.headers.emplace_back("host", "pathway.test");
        if (route.method == "POST") {
          request.headers.emplace_back("content-type", "application/json");
          request.body = R"({"requirements":[{"item":"access-item","level":1}]})";
        }
        auto match = f.router.Match(request);
        ASSERT_EQ(match.route, &route) << path;
        const Response response = match.route->handler(request);
        const std::string what =
            fmt::format("{} {} as {} on {} (action {})", route.method, path,
                        domain::RoleName(actor.role), TargetName(target), route.action);
        if (allowed) {
          EXPECT_EQ(response.status, 200) << what << ": " << response.body.substr(0, 300);
        } else {
          EXPECT_EQ(response.status, 404) << what << " should answer 404 like a missing object";
        }
        if (api) {
          EXPECT_EQ(response.Header("Content-Type"),
                    allowed ? "application/json" : "application/problem+json")
              << what;
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(routes, 8);
  EXPECT_GE(checked, 4 * 8 + 4 * 8 * 5);
}

TEST_F(AccessTest, EngineApiBadInputIsAProblemNamingTheField) {
  auto& f = *fixture_;
  AddEngineData(f);
  const auto& admin = f.actors.back();
  ASSERT_EQ(admin.role, Role::kAdministrator);
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"requirements":[{"item":"no-such-item","level":1}]})", "requirements[0].item"},
      {R"({"requirements":[]})", "requirements"},
      {R"({"role_level":"NO-SUCH-LEVEL"})", "role_level"},
      {R"({"role_level":"ACC-L1","k":0})", "k"},
      {R"({"role_level":"ACC-L1","filters":{"grade_min":"G7","grade_max":"EO"}})",
       "filters.grade_max"}};
  for (const auto& [body, field] : cases) {
    Request request;
    request.method = "POST";
    request.path = "/api/v1/match";
    request.target = request.path;
    request.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, admin.session));
    request.headers.emplace_back("host", "pathway.test");
    request.headers.emplace_back("content-type", "application/json");
    request.body = body;
    auto match = f.router.Match(request);
    ASSERT_NE(match.route, nullptr);
    const Response response = match.route->handler(request);
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_EQ(response.Header("Content-Type"), "application/problem+json") << body;
    const auto problem = nlohmann::json::parse(response.body, nullptr, false);
    ASSERT_TRUE(problem.is_object()) << body;
    ASSERT_TRUE(problem.contains("errors")) << response.body;
    EXPECT_EQ(problem["errors"][0]["field"], field) << body;
  }
}

TEST_F(AccessTest, TheOpenApiDocumentDescribesExactlyTheApiRoutes) {
  const auto doc = nlohmann::json::parse(ReadText(SourceDir() + "/api/openapi.json"));
  std::set<std::string> documented;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string upper = method;
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert(upper + " " + path);
    }
  }
  std::set<std::string> served;
  for (const auto& route : fixture_->router.routes()) {
    if (route.pattern.starts_with("/api/") || route.pattern.starts_with("/ims/") ||
        route.pattern == "/healthz" || route.pattern == "/metrics") {
      served.insert(route.method + " " + route.pattern);
    }
  }
  EXPECT_EQ(documented, served);
}

TEST_F(AccessTest, TheCaseApiServesPublishedFrameworksToEveryRoleAndNothingElse) {
  auto& f = *fixture_;
  int checked = 0;
  for (const auto& route : f.router.routes()) {
    if (!IsCaseRoute(route)) continue;
    ASSERT_EQ(route.action, "framework.read") << route.pattern;
    for (const auto& actor : f.actors) {
      // A framework with a published version is served to every role; a draft, in the
      // actor's scope or not, and a missing id are not. (Other tests publish and retire
      // these frameworks, so ask the store which is which now.)
      for (const std::string& id :
           {f.published_framework, f.scoped_draft, f.unscoped_draft, f.missing_framework}) {
        bool served = false;
        {
          auto lease = f.pool->Acquire();
          for (const auto& info : store::ListVersions(*lease, id).value()) {
            served = served || info.status == "published";
          }
        }
        Request request;
        request.method = "GET";
        request.path = route.pattern;
        const auto at = request.path.find("{id}");
        if (at != std::string::npos) request.path.replace(at, 4, id);
        request.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, actor.session));
        request.headers.emplace_back("host", "pathway.test");
        auto match = f.router.Match(request);
        ASSERT_NE(match.route, nullptr) << request.path;
        const Response response = match.route->handler(request);
        const std::string what =
            fmt::format("{} as {}", request.path, domain::RoleName(actor.role));
        const bool by_framework_id = route.pattern.ends_with("CFDocuments/{id}") ||
                                     route.pattern.ends_with("CFPackages/{id}");
        if (at == std::string::npos) {
          EXPECT_EQ(response.status, 200) << what;
          const auto body = nlohmann::json::parse(response.body);
          for (const auto& document : body["CFDocuments"]) {
            auto lease = f.pool->Acquire();
            const auto versions =
                store::ListVersions(*lease, document["identifier"].get<std::string>()).value();
            EXPECT_TRUE(std::any_of(versions.begin(), versions.end(),
                                    [](const auto& info) { return info.status == "published"; }))
                << what << ": only published frameworks are listed";
          }
          break;  // the list takes no id
        }
        if (by_framework_id) {
          EXPECT_EQ(response.status, served ? 200 : 404) << what << " for " << id;
        } else {
          EXPECT_EQ(response.status, 404) << what << ": a framework id is not an item";
        }
        ++checked;
      }
    }
    // Without a session or token: 401 in imsx_StatusInfo.
    Request anonymous;
    anonymous.method = "GET";
    anonymous.path = route.pattern;
    const auto at = anonymous.path.find("{id}");
    if (at != std::string::npos) anonymous.path.replace(at, 4, f.published_framework);
    auto match = f.router.Match(anonymous);
    ASSERT_NE(match.route, nullptr);
    const Response response = match.route->handler(anonymous);
    EXPECT_EQ(response.status, 401) << route.pattern;
    EXPECT_EQ(nlohmann::json::parse(response.body)["imsx_codeMajor"], "failure");
  }
  EXPECT_GT(checked, 50);
}

TEST_F(AccessTest, WithoutASessionPagesRedirectToSignInAndTheApiAnswers401) {
  auto& f = *fixture_;
  for (const auto& route : f.router.routes()) {
    if (route.action.empty() || IsCaseRoute(route)) continue;
    Request request;
    request.method = route.method;
    request.path = route.pattern;
    for (const char* param : {"{id}", "{token}", "{grant}"}) {
      const auto at = request.path.find(param);
      if (at != std::string::npos) request.path.replace(at, std::string(param).size(), "1");
    }
    auto match = f.router.Match(request);
    ASSERT_NE(match.route, nullptr);
    const Response response = match.route->handler(request);
    if (route.pattern.starts_with("/api/")) {
      EXPECT_EQ(response.status, 401) << route.pattern;
      EXPECT_EQ(response.Header("WWW-Authenticate"), "Bearer realm=\"Pathway\"");
    } else {
      EXPECT_EQ(response.status, 303) << route.pattern;
      EXPECT_TRUE(response.Header("Location").starts_with("/sign-in?next=")) << route.pattern;
    }
  }
}

TEST_F(AccessTest, RefusalsAreAudited) {
  auto& f = *fixture_;
  const auto& individual = f.actors.front();
  Request request;
  request.method = "GET";
  request.path = fmt::format("/people/{}", f.person_t);
  request.request_id = "refusal-test";
  request.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, individual.session));
  auto match = f.router.Match(request);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->handler(request).status, 404);
  auto lease = f.pool->Acquire();
  store::AuditQuery query;
  query.action = "person.read";
  query.outcome = "refused";
  auto found = store::SearchAudit(*lease, query);
  ASSERT_TRUE(found.ok());
  bool seen = false;
  for (const auto& record : *found) {
    if (record.event.request_id == "refusal-test" &&
        record.event.object_id == std::to_string(f.person_t)) {
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

TEST_F(AccessTest, FormsWithoutTheSessionsCsrfTokenAreRefused) {
  auto& f = *fixture_;
  const auto& admin = f.actors.back();
  ASSERT_EQ(admin.role, Role::kAdministrator);
  for (const std::string& body : {std::string("csrf-token=wrong"), std::string("name=x")}) {
    Request request;
    request.method = "POST";
    request.path = fmt::format("/admin/users/{}/disable", f.other_user);
    request.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, admin.session));
    request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    request.body = body;
    auto match = f.router.Match(request);
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->handler(request).status, 403) << body;
  }
  // The right token but from another site's page.
  Request request;
  request.method = "POST";
  request.path = fmt::format("/admin/users/{}/enable", f.other_user);
  request.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, admin.session));
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("host", "pathway.test");
  request.headers.emplace_back("origin", "https://evil.example");
  request.body = "csrf-token=" + admin.csrf;
  auto match = f.router.Match(request);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->handler(request).status, 403);
}

// Heads of profession import into their profession's career framework (issue 20.4) by the
// rule framework authors import into theirs (framework.import): the import page opens for
// them, and the import takes a new version of their career framework, but refuses another
// profession's career framework, a framework that is no profession's career framework and
// a new framework, as if they did not exist, storing nothing.
TEST_F(AccessTest, AHeadOfProfessionImportsIntoTheirCareerFrameworkAndNoOther) {
  auto& f = *fixture_;
  auto own = TestFramework("PROF-P career", domain::FrameworkStatus::kPublished);
  auto other = TestFramework("PROF-Q career", domain::FrameworkStatus::kPublished);
  auto competency = TestFramework("nobody's career", domain::FrameworkStatus::kPublished);
  own.kind = other.kind = domain::FrameworkKind::kCareer;
  {
    auto lease = f.pool->Acquire();
    for (const auto* framework : {&own, &other, &competency}) {
      ASSERT_TRUE(store::InsertFrameworkVersion(*lease, *framework).ok());
    }
    ASSERT_TRUE(lease
                    ->Execute(fmt::format("UPDATE profession SET career_framework_id = '{}' "
                                          "WHERE code = 'PROF-P'; UPDATE profession SET "
                                          "career_framework_id = '{}' WHERE code = 'PROF-Q';",
                                          own.id, other.id))
                    .ok());
  }
  const auto head = std::find_if(f.actors.begin(), f.actors.end(), [](const TestActor& a) {
    return a.role == Role::kHeadOfProfession;
  });
  ASSERT_NE(head, f.actors.end());
  ASSERT_EQ(head->scope, "PROF-P");
  app::Actor as;
  as.kind = app::Actor::Kind::kUser;
  as.user_id = head->user_id;
  as.person_id = head->person_id;
  as.email = head->email;
  as.grants = {{0, Role::kHeadOfProfession, "PROF-P"}};

  // The page: open to them, as to framework authors.
  Request page;
  page.method = "GET";
  page.path = page.target = "/frameworks/import";
  page.request_id = "access-test";
  page.remote_address = "10.0.0.2";
  page.headers.emplace_back("cookie", fmt::format("{}={}", kSessionCookie, head->session));
  page.headers.emplace_back("host", "pathway.test");
  auto match = f.router.Match(page);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->action, "framework.import");
  EXPECT_EQ(match.route->handler(page).status, 200);

  // Their career framework: a new version.
  auto imported = f.frameworks->Import(as, own, "access test");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->id, own.id);
  EXPECT_EQ(imported->version, 2);

  // Another profession's career framework, a framework of no profession, a new one.
  auto created = TestFramework("new from a head of profession", domain::FrameworkStatus::kDraft);
  for (const auto* framework : {&other, &competency, &created}) {
    auto refused = f.frameworks->Import(as, *framework, "access test");
    ASSERT_FALSE(refused.ok()) << framework->title;
    EXPECT_EQ(refused.error().code, domain::ErrorCode::kNotFound) << framework->title;
    auto lease = f.pool->Acquire();
    auto versions = store::ListVersions(*lease, framework->id);
    ASSERT_TRUE(versions.ok());
    EXPECT_EQ(versions->size(), framework == &created ? 0u : 1u) << framework->title;
  }
}

}  // namespace
}  // namespace pathway::web
