#include "app/demo.hpp"

#include <sodium.h>

#include <map>

#include <fmt/format.h>

#include "app/passwords.hpp"
#include "interchange/framework_csv.hpp"
#include "interchange/framework_document.hpp"
#include "interchange/indicator_additions.hpp"
#include "store/database.hpp"
#include "store/identity.hpp"

namespace pathway::app {
namespace {

using domain::Role;

struct DemoUser {
  Role role;
  const char* scope;
  const char* email;
  const char* name;
  const char* person;  // external id of the person record, or empty
  const char* shows;
  // The sign-in list's label; null: the role's label.
  const char* label = nullptr;
};

// A demo user's person: an external id, or "manager-of:ID" for that person's line
// manager (whose id the generated workforce decides).
constexpr std::string_view kManagerOf = "manager-of:";

constexpr DemoUser kUsers[] = {
    {Role::kAdministrator, "", "admin@demo.pathway.test", "Ada Admin", "",
     "users, roles and the audit trail"},
    {Role::kIndividual, "", "ben.okafor@demo.pathway.test", "Ben Okafor", "DWP-0003",
     "your own account and record"},
    {Role::kLineManager, "", "chloe.wright@demo.pathway.test", "Chloe Wright", "DWP-0002",
     "the records of the people who report to you"},
    {Role::kHrPartner, "DWP", "dev.patel@demo.pathway.test", "Dev Patel", "DWP-0007",
     "everyone in the Department for Work and Pensions"},
    {Role::kVettingOfficer, "HMRC", "erin.walsh@demo.pathway.test", "Erin Walsh", "HMRC-0005",
     "HM Revenue and Customs' clearances against posts and its vetting cases"},
    {Role::kHeadOfProfession, "policy", "femi.adeyemi@demo.pathway.test", "Femi Adeyemi",
     "HMRC-0001", "everyone in the Policy profession"},
    {Role::kFrameworkAuthor, "", "gita.rao@demo.pathway.test", "Gita Rao", "HMRC-0004",
     "drafts of the Civil Service Competency Framework"},
    {Role::kLineManager, "", "countersigning.manager@demo.pathway.test", "Chloe Wright's manager",
     "manager-of:DWP-0002", "Chloe Wright's team, whose reviews you countersign",
     "Countersigning manager"},
};

// The 2012 framework's levels by grade.
const std::map<domain::Grade, int> k2012GradeLevels{
    {domain::Grade::kAA, 1},  {domain::Grade::kAO, 1},   {domain::Grade::kEO, 2},
    {domain::Grade::kHEO, 3}, {domain::Grade::kSEO, 3},  {domain::Grade::kG7, 4},
    {domain::Grade::kG6, 4},  {domain::Grade::kSCS1, 5}, {domain::Grade::kSCS2, 6},
    {domain::Grade::kSCS3, 6}};

std::string Problems(const std::vector<interchange::ImportProblem>& problems) {
  std::string text;
  for (const auto& problem : problems) text += "\n  " + interchange::FormatImportProblem(problem);
  return text;
}

using Place = DemoCastMember::Place;

// The people the demo users are, placed in the generated workforce where their roles
// make sense. Stored first, in this order, so that their row ids are 1 to 12.
const DemoCastMember kPeople[] = {
    {"DWP-0001", "Grace Hopper", "DWP", Place::kHead, "operational-delivery", ""},
    {"DWP-0002", "Chloe Wright", "DWP", Place::kLineManager, "policy", ""},
    {"DWP-0003", "Ben Okafor", "DWP", Place::kReportOf, "policy", "DWP-0002"},
    {"DWP-0004", "Hannah Kaur", "DWP", Place::kReportOf, "digital", "DWP-0002"},
    {"DWP-0005", "Ian Murray", "DWP", Place::kLineManager, "operational-delivery", ""},
    {"DWP-0006", "Jo Evans", "DWP", Place::kReportOf, "operational-delivery", "DWP-0005"},
    {"DWP-0007", "Dev Patel", "DWP", Place::kMember, "human-resources", ""},
    {"HMRC-0001", "Femi Adeyemi", "HMRC", Place::kHead, "policy", ""},
    {"HMRC-0002", "Kemi Bello", "HMRC", Place::kMember, "policy", ""},
    {"HMRC-0003", "Liam O'Neill", "HMRC", Place::kLineManager, "finance", ""},
    {"HMRC-0004", "Gita Rao", "HMRC", Place::kReportOf, "digital", "HMRC-0003"},
    {"HMRC-0005", "Erin Walsh", "HMRC", Place::kMember, "security", ""},
};

// A password that follows from the seed and the email, so the same demo always prints
// the same sign-ins; long enough to pass the password policy.
std::string DemoPassword(std::uint64_t seed, std::string_view email) {
  EnsureSodium();
  const std::string input = fmt::format("pathway-demo:{}:{}", seed, email);
  unsigned char digest[9];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  const std::string h(hex);
  return fmt::format("demo-{}-{}-{}", h.substr(0, 6), h.substr(6, 6), h.substr(12, 6));
}

std::vector<DemoSignIn> SignInsFor(std::uint64_t seed) {
  std::vector<DemoSignIn> sign_ins;
  for (const auto& user : kUsers) {
    sign_ins.push_back(
        {user.label ? std::string(user.label) : std::string(domain::RoleLabel(user.role)),
         user.email, DemoPassword(seed, user.email), user.shows});
  }
  return sign_ins;
}

}  // namespace

Result<std::string> ShipFrameworks(FrameworkService& frameworks,
                                   const ShippedFrameworkFiles& files) {
  const Actor system = Actor::System();
  auto parsed = interchange::ParseFrameworkDocument(files.cscf_document);
  if (!parsed.ok()) {
    return domain::Error::Internal("The shipped framework does not parse:" +
                                   Problems(parsed.problems()));
  }
  domain::Framework cscf = std::move(parsed).value();
  cscf.grade_levels = k2012GradeLevels;
  cscf.status = domain::FrameworkStatus::kPublished;
  PATHWAY_ASSIGN_OR_RETURN(auto v1, frameworks.Import(system, cscf, "cscf-level5-sms1.txt"));
  auto additions = interchange::ParseIndicatorAdditions(files.cscf_security_additions);
  if (!additions.ok()) {
    return domain::Error::Internal("The security additions do not parse:" +
                                   Problems(additions.problems()));
  }
  PATHWAY_ASSIGN_OR_RETURN(int v2, frameworks.NewDraft(system, v1.id));
  PATHWAY_TRY(frameworks.EditDraft(
      system, v1.id, v2, "embed security behaviours",
      [&](domain::Framework& draft) -> domain::Status {
        auto applied = interchange::ApplyIndicatorAdditions(draft, *additions);
        if (!applied.ok())
          return domain::Error::Internal("Additions do not apply:" + Problems(applied.problems()));
        draft = std::move(applied).value();
        return domain::Ok{};
      }));
  PATHWAY_TRY(frameworks.Publish(system, v1.id, v2));
  auto behaviours = interchange::ParseFrameworkCsv(files.success_profiles);
  if (!behaviours.ok()) {
    return domain::Error::Internal("The Success Profiles file does not parse:" +
                                   Problems(behaviours.problems()));
  }
  PATHWAY_TRY(
      frameworks.Import(system, std::move(behaviours).value(), "success-profiles-behaviours.csv"));
  return v1.id;
}

Result<std::vector<DemoSignIn>> CreateDemo(UnitOfWork& kernel, IdentityService& identity,
                                           FrameworkService& frameworks,
                                           const ShippedFrameworkFiles& files,
                                           const WorkforceDemoFiles& workforce, std::uint64_t seed,
                                           const DemoOptions& options) {
  const Actor system = Actor::System();
  PATHWAY_TRY(kernel.Execute(
      system, {"demo.create", "demo", std::to_string(seed)}, Fixed(), [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(auto users, store::CountUsers(tx.db(), ""));
        if (users > 0) {
          return domain::Error{domain::ErrorCode::kConflict, "db",
                               "This database already has users: demo data goes only into a "
                               "new, empty database"};
        }
        for (const auto& person : kPeople) {
          PATHWAY_TRY(store::InsertPerson(
              tx.db(),
              {0, person.external_id, person.name, person.department, person.profession, {}}));
        }
        PATHWAY_TRY(store::PutSetting(tx.db(), "demo_seed", std::to_string(seed)));
        tx.WorkforceChanged();
        tx.Describe("the demo's people");
        return domain::Ok{};
      }));
  PATHWAY_ASSIGN_OR_RETURN(const std::string cscf_id, ShipFrameworks(frameworks, files));
  WorkforceDemoOptions workforce_options{options.people, seed, options.progress};
  PATHWAY_TRY(CreateDemoWorkforce(kernel, frameworks, workforce, kPeople, workforce_options));
  for (const auto& user : kUsers) {
    NewUser new_user{user.email, user.name, DemoPassword(seed, user.email), {}};
    const std::string scope = user.role == Role::kFrameworkAuthor ? cscf_id : user.scope;
    if (user.role != Role::kIndividual) new_user.grants.push_back({0, user.role, scope});
    PATHWAY_ASSIGN_OR_RETURN(auto id, identity.AddUser(system, new_user));
    if (*user.person != '\0') {
      PATHWAY_TRY(kernel.Execute(
          system, {"demo.create", "user", std::to_string(id)}, Fixed(), [&](Tx& tx) -> Status {
            std::string person = user.person;
            if (person.starts_with(kManagerOf)) {
              PATHWAY_ASSIGN_OR_RETURN(auto find,
                                       tx.db().Prepare("SELECT m.external_id FROM person p "
                                                       "JOIN person m ON m.id = p.line_manager_id "
                                                       "WHERE p.external_id = ?"));
              find.Bind(1, person.substr(kManagerOf.size()));
              PATHWAY_ASSIGN_OR_RETURN(bool found, find.Step());
              if (!found) return domain::Error::Internal("The demo has no manager for " + person);
              person = find.ColumnText(0);
            }
            tx.Describe(fmt::format("linked to person {}", person));
            return store::LinkUserToPerson(tx.db(), id, person);
          }));
    }
  }
  return SignInsFor(seed);
}

Result<std::vector<DemoSignIn>> DemoSignIns(store::ConnectionPool& pool) {
  auto db = pool.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto seed, store::GetSetting(*db, "demo_seed"));
  if (!seed) return std::vector<DemoSignIn>{};
  return SignInsFor(std::stoull(*seed));
}

}  // namespace pathway::app
