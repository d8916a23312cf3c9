// Identity use cases against a real SQLite file, with a clock the tests move.
#include <gtest/gtest.h>

#include "app/unit_of_work.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "app/identity.hpp"
#include "app/secrets.hpp"
#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/identity.hpp"
#include "store/migrations.hpp"

namespace pathway::app {
namespace {

using domain::ErrorCode;
using domain::Role;

constexpr PasswordHashCost kCheap{1, 8192};
constexpr char kPassword[] = "a perfectly long password";

std::string PolicyText() {
  const char* dir = std::getenv("PATHWAY_SOURCE_DIR");
  std::ifstream in(std::string(dir != nullptr ? dir : PATHWAY_SOURCE_DIR) + "/policy/access.csv");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("pathway-identity-{}-{}", getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    {
      auto db = store::Database::Open(path_);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(store::Migrate(**db).ok());
      // What grants may name: two departments, a profession and a framework.
      ASSERT_TRUE((*db)
                      ->Execute(R"sql(
INSERT INTO department (code, name) VALUES ('DWP', 'Department for Work and Pensions'),
  ('HMRC', 'HM Revenue and Customs');
INSERT INTO framework (id, kind) VALUES ('6f1c1d2e-8a3b-4c5d-9e6f-7a8b9c0d1e2f', 'career');
INSERT INTO framework_version (framework_id, version, title, description)
  VALUES ('6f1c1d2e-8a3b-4c5d-9e6f-7a8b9c0d1e2f', 1, 'Digital skills', '');
INSERT INTO profession (code, name, career_framework_id)
  VALUES ('ddat', 'Digital, Data and Technology', '6f1c1d2e-8a3b-4c5d-9e6f-7a8b9c0d1e2f');
)sql")
                      .ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path_, 2)).value();
    authorizer_ = std::make_unique<Authorizer>(std::move(Policy::Parse(PolicyText())).value());
    kernel_ = std::make_unique<UnitOfWork>(*pool_, *authorizer_, clock_);
    identity_ = std::make_unique<IdentityService>(*kernel_, blocklist_, throttle_,
                                                  SessionSettings{}, kCheap);
    auto admin = identity_->AddUser(
        Actor::System(),
        {"admin@example.gov.uk", "Ada", kPassword, {{0, Role::kAdministrator, ""}}});
    ASSERT_TRUE(admin.ok()) << admin.error().message;
    admin_id_ = *admin;
    auto user = identity_->AddUser(Actor::System(), {"ben@example.gov.uk", "Ben", kPassword, {}});
    ASSERT_TRUE(user.ok());
    user_id_ = *user;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Actor SignedIn(const std::string& email) {
    auto signed_in = identity_->SignIn(email, kPassword, {"req", "192.0.2.1"});
    EXPECT_TRUE(signed_in.ok());
    return signed_in->actor;
  }

  std::vector<store::AuditRecord> Audit(const std::string& action) {
    auto db = pool_->Acquire();
    store::AuditQuery query;
    query.action = action;
    return store::SearchAudit(*db, query).value();
  }

  std::filesystem::path dir_;
  std::string path_;
  ManualClock clock_{1'800'000'000};
  domain::PasswordBlocklist blocklist_{"password\nletmein123\n"};
  SignInThrottle throttle_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
  std::unique_ptr<IdentityService> identity_;
  std::int64_t admin_id_ = 0;
  std::int64_t user_id_ = 0;
};

TEST_F(IdentityTest, SignInStartsASessionWithItsOwnCsrfTokenAndAudits) {
  auto first = identity_->SignIn("ben@example.gov.uk", kPassword, {"r1", "192.0.2.1"});
  ASSERT_TRUE(first.ok());
  auto second = identity_->SignIn("BEN@example.gov.uk", kPassword, {"r2", "192.0.2.1"});
  ASSERT_TRUE(second.ok()) << "emails compare case-insensitively";
  EXPECT_NE(first->session_id, second->session_id);
  EXPECT_GE(first->session_id.size(), 43u);  // 256 bits, base64url
  EXPECT_NE(first->actor.csrf_token, second->actor.csrf_token);
  auto resolved = identity_->ResolveSession(first->session_id, {"r3", "192.0.2.1"});
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->user_id, user_id_);
  EXPECT_EQ(resolved->csrf_token, first->actor.csrf_token);
  EXPECT_TRUE(resolved->HasRole(Role::kIndividual));
  const auto events = Audit("sign-in");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event.outcome, "success");
  EXPECT_EQ(events[0].event.source_address, "192.0.2.1");
  // Only the hash of the session id is stored.
  auto db = pool_->Acquire();
  EXPECT_TRUE(store::FindSession(*db, HashSecret(first->session_id))->has_value());
  EXPECT_FALSE(store::FindSession(*db, first->session_id)->has_value());
}

TEST_F(IdentityTest, WrongPasswordUnknownEmailAndDisabledAccountLookTheSame) {
  auto wrong = identity_->SignIn("ben@example.gov.uk", "not the password", {"r", "192.0.2.1"});
  auto unknown = identity_->SignIn("nobody@example.gov.uk", kPassword, {"r", "192.0.2.1"});
  ASSERT_TRUE(identity_->SetDisabled(Actor::System(), user_id_, true).ok());
  auto disabled = identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "192.0.2.1"});
  for (const auto* result : {&wrong, &unknown, &disabled}) {
    ASSERT_FALSE(result->ok());
    EXPECT_EQ(result->error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(result->error().message, "Enter a correct email address and password");
  }
  const auto events = Audit("sign-in");
  ASSERT_EQ(events.size(), 3u);
  for (const auto& record : events) {
    EXPECT_EQ(record.event.outcome, "failure");
    EXPECT_EQ(record.event.detail.find(kPassword), std::string::npos);
    EXPECT_EQ(record.event.detail.find("not the password"), std::string::npos);
  }
}

TEST_F(IdentityTest, SessionsEndAfterIdleTimeAndAbsoluteLifetime) {
  const std::string idle =
      identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "a"})->session_id;
  clock_.Advance(std::chrono::minutes(29));
  EXPECT_TRUE(identity_->ResolveSession(idle, {}).ok()) << "29 minutes idle is fine";
  clock_.Advance(std::chrono::minutes(29));
  EXPECT_TRUE(identity_->ResolveSession(idle, {}).ok()) << "each request resets the idle timer";
  clock_.Advance(std::chrono::minutes(31));
  auto expired = identity_->ResolveSession(idle, {});
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);

  const std::string busy =
      identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "a"})->session_id;
  for (int hour = 0; hour < 11; ++hour) {
    for (int step = 0; step < 3; ++step) {
      clock_.Advance(std::chrono::minutes(20));
      ASSERT_TRUE(identity_->ResolveSession(busy, {}).ok()) << hour;
    }
  }
  clock_.Advance(std::chrono::minutes(61));  // past 12 hours since sign-in
  EXPECT_FALSE(identity_->ResolveSession(busy, {}).ok());
}

TEST_F(IdentityTest, SignOutAndDisablingEndSessionsOnTheServer) {
  auto ben = identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "a"});
  auto other = identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "a"});
  ASSERT_TRUE(ben.ok() && other.ok());
  ASSERT_TRUE(identity_->ResolveSession(ben->session_id, {}).ok());
  ASSERT_TRUE(identity_->SignOut(ben->actor).ok());
  EXPECT_FALSE(identity_->ResolveSession(ben->session_id, {}).ok()) << "ended on the server";
  EXPECT_FALSE(identity_->ResolveSession("forged-session-id", {}).ok());
  EXPECT_TRUE(identity_->ResolveSession(other->session_id, {}).ok()) << "other sessions go on";
  const Actor admin = SignedIn("admin@example.gov.uk");
  ASSERT_TRUE(identity_->SetDisabled(admin, user_id_, true).ok());
  EXPECT_FALSE(identity_->ResolveSession(other->session_id, {}).ok());
  auto self = identity_->SetDisabled(admin, admin_id_, true);
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().message, "You cannot disable your own account");
}

TEST_F(IdentityTest, RepeatedFailuresAreThrottledWithoutLockingOutOtherAddresses) {
  for (int i = 0; i < 5; ++i) {
    auto failed = identity_->SignIn("ben@example.gov.uk", "wrong", {"r", "198.51.100.7"});
    ASSERT_EQ(failed.error().code, ErrorCode::kInvalidInput) << i;
  }
  auto failed = identity_->SignIn("ben@example.gov.uk", "wrong", {"r", "198.51.100.7"});
  ASSERT_EQ(failed.error().code, ErrorCode::kInvalidInput);
  auto throttled = identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "198.51.100.7"});
  ASSERT_FALSE(throttled.ok());
  EXPECT_EQ(throttled.error().code, ErrorCode::kTooManyRequests);
  EXPECT_GT(throttled.error().retry_after_seconds, 0);
  // The real user, elsewhere, still gets in.
  EXPECT_TRUE(identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "203.0.113.9"}).ok());
  // And after waiting, so does this address.
  clock_.Advance(std::chrono::seconds(throttled.error().retry_after_seconds));
  EXPECT_TRUE(identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "198.51.100.7"}).ok());
  bool refusal_logged = false;
  for (const auto& record : Audit("sign-in")) {
    if (record.event.outcome == "refused") refusal_logged = true;
  }
  EXPECT_TRUE(refusal_logged);
}

TEST_F(IdentityTest, ChangingAPasswordNeedsTheCurrentOneAndFollowsThePolicy) {
  const Actor ben = SignedIn("ben@example.gov.uk");
  auto wrong = identity_->ChangePassword(ben, "not it", "a brand new long password");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "current-password");
  auto common = identity_->ChangePassword(ben, kPassword, "letmein123");
  ASSERT_FALSE(common.ok());
  EXPECT_EQ(common.error().field, "new-password");
  auto short_one = identity_->ChangePassword(ben, kPassword, "short");
  ASSERT_FALSE(short_one.ok());
  ASSERT_TRUE(identity_->ChangePassword(ben, kPassword, "a brand new long password").ok());
  EXPECT_FALSE(identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "x"}).ok());
  EXPECT_TRUE(
      identity_->SignIn("ben@example.gov.uk", "a brand new long password", {"r", "x"}).ok());
}

TEST_F(IdentityTest, ChangingAPasswordEndsEveryOtherSessionAndCanRevokeTokens) {
  auto here = identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "192.0.2.1"});
  auto elsewhere = identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "192.0.2.2"});
  ASSERT_TRUE(here.ok() && elsewhere.ok());
  auto token = identity_->CreateToken(Actor::System(), "ben@example.gov.uk", "HR system");
  ASSERT_TRUE(token.ok());
  // Without asking, tokens are kept; the other session ends, the acting one does not.
  ASSERT_TRUE(identity_->ChangePassword(here->actor, kPassword, "a brand new long password").ok());
  EXPECT_TRUE(identity_->ResolveSession(here->session_id, {}).ok());
  EXPECT_FALSE(identity_->ResolveSession(elsewhere->session_id, {}).ok());
  EXPECT_TRUE(identity_->ResolveToken(token->token, {}).ok());
  // Asked to, every token is revoked too.
  ASSERT_TRUE(identity_
                  ->ChangePassword(here->actor, "a brand new long password",
                                   "another brand new password", true)
                  .ok());
  EXPECT_FALSE(identity_->ResolveToken(token->token, {}).ok());
  EXPECT_TRUE(identity_->ResolveSession(here->session_id, {}).ok());
}

TEST_F(IdentityTest, RevokingARoleEndsTheUsersSessionsAtOnce) {
  auto grant = identity_->GrantRole(Actor::System(), user_id_, Role::kHrPartner, "DWP");
  ASSERT_TRUE(grant.ok()) << grant.error().message;
  auto session = identity_->SignIn("ben@example.gov.uk", kPassword, {"r", "192.0.2.1"});
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(session->actor.HasRole(Role::kHrPartner));
  ASSERT_TRUE(identity_->RevokeRole(Actor::System(), user_id_, *grant).ok());
  EXPECT_FALSE(identity_->ResolveSession(session->session_id, {}).ok());
}

TEST_F(IdentityTest, TokensActAsTheirUserUntilRevokedOrTheUserIsDisabled) {
  auto token = identity_->CreateToken(Actor::System(), "ben@example.gov.uk", "HR system");
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(token->token.starts_with("pw_"));
  auto actor = identity_->ResolveToken(token->token, {});
  ASSERT_TRUE(actor.ok());
  EXPECT_EQ(actor->user_id, user_id_);
  EXPECT_FALSE(identity_->ResolveToken("pw_forged", {}).ok());
  EXPECT_FALSE(identity_->ResolveToken(token->token + "x", {}).ok());
  ASSERT_TRUE(identity_->SetDisabled(Actor::System(), user_id_, true).ok());
  EXPECT_FALSE(identity_->ResolveToken(token->token, {}).ok());
  ASSERT_TRUE(identity_->SetDisabled(Actor::System(), user_id_, false).ok());
  EXPECT_TRUE(identity_->ResolveToken(token->token, {}).ok());
  // The owner may revoke it; someone else may not even see it.
  const Actor admin = SignedIn("admin@example.gov.uk");
  auto other = identity_->CreateToken(Actor::System(), "admin@example.gov.uk", "mine");
  const Actor ben = SignedIn("ben@example.gov.uk");
  auto refused = identity_->RevokeToken(ben, other->id);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(identity_->RevokeToken(ben, token->id).ok());
  EXPECT_FALSE(identity_->ResolveToken(token->token, {}).ok());
  (void)admin;
}

TEST_F(IdentityTest, NewUsersAreValidatedAndDuplicatesRefused) {
  const Actor admin = SignedIn("admin@example.gov.uk");
  auto bad_email = identity_->AddUser(admin, {"not-an-email", "X", kPassword, {}});
  EXPECT_EQ(bad_email.error().field, "email");
  auto no_name = identity_->AddUser(admin, {"x@example.gov.uk", "", kPassword, {}});
  EXPECT_EQ(no_name.error().field, "name");
  auto common = identity_->AddUser(admin, {"x@example.gov.uk", "X", "password", {}});
  EXPECT_EQ(common.error().field, "password");
  auto duplicate = identity_->AddUser(admin, {"BEN@example.gov.uk", "Ben again", kPassword, {}});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  const Actor ben = SignedIn("ben@example.gov.uk");
  auto refused = identity_->AddUser(ben, {"y@example.gov.uk", "Y", kPassword, {}});
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  auto scoped = identity_->GrantRole(admin, user_id_, Role::kHrPartner, "");
  EXPECT_EQ(scoped.error().field, "scope");
  ASSERT_TRUE(identity_->GrantRole(admin, user_id_, Role::kHrPartner, "DWP").ok());
  auto twice = identity_->GrantRole(admin, user_id_, Role::kHrPartner, "DWP");
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
}

TEST_F(IdentityTest, AGrantsScopeMustNameWhatExistsExactly) {
  const Actor admin = SignedIn("admin@example.gov.uk");
  const std::string framework = "6f1c1d2e-8a3b-4c5d-9e6f-7a8b9c0d1e2f";
  struct Case {
    Role role;
    std::string scope;
    std::string example;  // what the message offers as the valid form
  };
  for (const Case& refused :
       std::vector<Case>{{Role::kHrPartner, "NOPE", "DWP or HMRC"},
                         {Role::kHrPartner, "dwp", "DWP or HMRC"},
                         {Role::kVettingOfficer, "Work", "DWP or HMRC"},
                         {Role::kHeadOfProfession, "DDAT", "ddat"},
                         {Role::kFrameworkAuthor, "Digital skills", framework},
                         {Role::kLineManager, "DWP", "leave Scope empty"}}) {
    auto grant = identity_->GrantRole(admin, user_id_, refused.role, refused.scope);
    ASSERT_FALSE(grant.ok()) << refused.scope;
    EXPECT_EQ(grant.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(grant.error().field, "scope");
    EXPECT_NE(grant.error().message.find("Scope"), std::string::npos) << grant.error().message;
    EXPECT_NE(grant.error().message.find(refused.example), std::string::npos)
        << grant.error().message;
  }
  // A new user's roles are checked the same way, naming the role's place in the list;
  // nothing is stored.
  auto user = identity_->AddUser(
      admin, {"new@example.gov.uk",
              "New",
              kPassword,
              {{0, Role::kHrPartner, "DWP"}, {0, Role::kHeadOfProfession, "nope"}}});
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().field, "roles[1].scope");
  {
    auto db = pool_->Acquire();
    EXPECT_FALSE(store::FindUserByEmail(*db, "new@example.gov.uk").value().has_value());
  }
  EXPECT_TRUE(identity_->GrantRole(admin, user_id_, Role::kHrPartner, "HMRC").ok());
  EXPECT_TRUE(identity_->GrantRole(admin, user_id_, Role::kVettingOfficer, "DWP").ok());
  EXPECT_TRUE(identity_->GrantRole(admin, user_id_, Role::kHeadOfProfession, "ddat").ok());
  EXPECT_TRUE(identity_->GrantRole(admin, user_id_, Role::kFrameworkAuthor, framework).ok());
}

TEST_F(IdentityTest, ATabInANameBecomesASpaceAndBidirectionalControlsAreRefused) {
  const Actor admin = SignedIn("admin@example.gov.uk");
  auto tabbed = identity_->AddUser(admin, {"tab@example.gov.uk", "Ann\tSmith", kPassword, {}});
  ASSERT_TRUE(tabbed.ok()) << tabbed.error().message;
  {
    auto db = pool_->Acquire();
    EXPECT_EQ(store::FindUserByEmail(*db, "tab@example.gov.uk").value()->display_name, "Ann Smith");
  }
  for (const std::string name :
       {"Ann\u202Ehtims", "Ann\u2066Smith", "Ann\u200FSmith", "Ann\u061CSmith"}) {
    auto refused = identity_->AddUser(admin, {"bidi@example.gov.uk", name, kPassword, {}});
    ASSERT_FALSE(refused.ok()) << name;
    EXPECT_EQ(refused.error().field, "name");
    EXPECT_NE(refused.error().message.find("Name has a bidirectional control character"),
              std::string::npos)
        << refused.error().message;
  }
}

TEST_F(IdentityTest, TheAuditChainDetectsARowChangedBehindTheApplicationsBack) {
  SignedIn("ben@example.gov.uk");
  SignedIn("admin@example.gov.uk");
  auto intact = identity_->VerifyAudit(Actor::System());
  ASSERT_TRUE(intact.ok());
  EXPECT_FALSE(intact->first_broken_seq.has_value());
  EXPECT_GE(intact->rows, 4);

  auto db = pool_->Acquire();
  // The database itself refuses changes to the trail...
  EXPECT_FALSE(db->Execute("UPDATE audit_event SET actor = 'x' WHERE seq = 2").ok());
  EXPECT_FALSE(db->Execute("DELETE FROM audit_event WHERE seq = 2").ok());
  // ...so someone with the file drops the guard first.
  ASSERT_TRUE(db->Execute("DROP TRIGGER audit_event_no_update").ok());
  ASSERT_TRUE(db->Execute("UPDATE audit_event SET detail = 'edited' WHERE seq = 2").ok());
  auto broken = identity_->VerifyAudit(Actor::System());
  ASSERT_TRUE(broken.ok());
  ASSERT_TRUE(broken->first_broken_seq.has_value());
  EXPECT_EQ(*broken->first_broken_seq, 2);

  ASSERT_TRUE(db->Execute("DROP TRIGGER audit_event_no_delete").ok());
  ASSERT_TRUE(db->Execute("DELETE FROM audit_event WHERE seq = 1").ok());
  auto missing = identity_->VerifyAudit(Actor::System());
  EXPECT_EQ(*missing->first_broken_seq, 1);
}

TEST_F(IdentityTest, RefusedInputForgedSessionsAndBadTokensAreAudited) {
  const Actor admin = SignedIn("admin@example.gov.uk");
  auto long_name =
      identity_->AddUser(admin, {"long@example.gov.uk", std::string(300, 'n'), kPassword, {}});
  ASSERT_FALSE(long_name.ok());
  EXPECT_EQ(long_name.error().message, "Name must be 200 characters or fewer");
  auto weak = identity_->AddUser(admin, {"weak@example.gov.uk", "Weak", "letmein123", {}});
  ASSERT_FALSE(weak.ok());
  const auto creates = Audit("user.create");
  ASSERT_EQ(creates.size(), 4u);  // two in SetUp, two refused here
  EXPECT_EQ(creates[0].event.outcome, "failure");
  EXPECT_EQ(creates[0].event.detail.find("letmein123"), std::string::npos) << "never the value";
  EXPECT_NE(creates[1].event.detail.find("name: Name must be 200"), std::string::npos);

  EXPECT_FALSE(identity_->ResolveSession("forged-session-id", {"forged", "192.0.2.66"}).ok());
  kernel_->FlushReadAudits();  // noise is audited in aggregate, with the read audits
  const auto sessions = Audit("session");
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].event.detail, "unknown session");
  EXPECT_EQ(sessions[0].event.source_address, "192.0.2.66");

  auto token = identity_->CreateToken(Actor::System(), "ben@example.gov.uk", "t");
  ASSERT_TRUE(identity_->SetDisabled(admin, user_id_, true).ok());
  EXPECT_FALSE(identity_->ResolveToken(token->token, {"t", "192.0.2.67"}).ok());
  EXPECT_FALSE(identity_->ResolveToken("pw_made-up", {"t", "192.0.2.67"}).ok());
  kernel_->FlushReadAudits();  // the unknown token is noise, audited in aggregate
  const auto tokens = Audit("api-token");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].event.detail, "unknown or revoked token");
  EXPECT_EQ(tokens[1].event.detail, "user disabled");
}

TEST(PolicyTest, ParsesRulesAndReportsEveryProblemWithItsLine) {
  auto policy = Policy::Parse(
      "action,role,relationship\nuser.read,individual,self\n# note\n"
      "user.read,admin,any\n");
  ASSERT_TRUE(policy.ok());
  EXPECT_TRUE(policy->Allows(Role::kIndividual, "user.read", domain::Relationship::kSelf));
  EXPECT_FALSE(policy->Allows(Role::kIndividual, "user.read", domain::Relationship::kAny));
  EXPECT_FALSE(policy->Allows(Role::kIndividual, "user.delete", domain::Relationship::kSelf));

  auto bad = Policy::Parse(
      "action,role,relationship\nuser.read,wizard,self\nNOPE,admin,any\n"
      "user.read,admin\nuser.read,admin,sideways\nuser.read,individual,self\n"
      "user.read,individual,self\n");
  ASSERT_FALSE(bad.ok());
  const std::string& message = bad.error().message;
  EXPECT_NE(message.find("line 2: unknown role 'wizard'"), std::string::npos) << message;
  EXPECT_NE(message.find("line 3:"), std::string::npos);
  EXPECT_NE(message.find("line 4: expected 3 fields"), std::string::npos);
  EXPECT_NE(message.find("line 5: unknown relationship"), std::string::npos);
  EXPECT_NE(message.find("line 7: duplicate rule"), std::string::npos);
  EXPECT_FALSE(Policy::Parse("").ok());
  EXPECT_FALSE(Policy::Parse("role,action,relationship\n").ok());
}

TEST(ThrottleTest, WaitsDoubleAndAreForgottenAfterQuietTime) {
  SignInThrottle throttle({2, 100, 100, 60, 60, 5, 900});
  std::int64_t now = 1000;
  EXPECT_EQ(throttle.RetryAfter("a@x", "1.1.1.1", now), 0);
  throttle.RecordFailure("a@x", "1.1.1.1", now);
  throttle.RecordFailure("a@x", "1.1.1.1", now);
  EXPECT_EQ(throttle.RetryAfter("a@x", "1.1.1.1", now), 0) << "two free failures";
  throttle.RecordFailure("a@x", "1.1.1.1", now);
  EXPECT_EQ(throttle.RetryAfter("a@x", "1.1.1.1", now), 1);
  throttle.RecordFailure("a@x", "1.1.1.1", now);
  EXPECT_EQ(throttle.RetryAfter("A@X", "1.1.1.1", now), 2) << "accounts ignore case";
  for (int i = 0; i < 10; ++i) throttle.RecordFailure("a@x", "1.1.1.1", now);
  EXPECT_EQ(throttle.RetryAfter("a@x", "1.1.1.1", now), 60) << "capped";
  EXPECT_LE(throttle.RetryAfter("a@x", "2.2.2.2", now), 5) << "another address waits little";
  EXPECT_EQ(throttle.RetryAfter("a@x", "1.1.1.1", now + 1000), 0) << "forgotten";
}

TEST(EmailTest, AcceptsOrdinaryAddressesOnly) {
  EXPECT_TRUE(ValidEmail("ada.lovelace@cabinetoffice.gov.uk"));
  for (const char* bad :
       {"", "ada", "@x.uk", "ada@", "ada@x", "a@b@c.uk", "a b@x.uk", "a@x.uk.", "a\n@x.uk"}) {
    EXPECT_FALSE(ValidEmail(bad)) << bad;
  }
}

}  // namespace
}  // namespace pathway::app
