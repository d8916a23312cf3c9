// Vetting on a real SQLite file through the kernel: the clearance report's numbers
// against plain SQL counts over the same data; cases whose decision alone changes a
// person's clearance; refused input changing nothing; need-to-know (an HR partner not
// added to a case, a vetting officer of another department, the person themselves: not
// found); notes encrypted at rest, read with an audited reason, exported only with a
// second officer's approval.
#include "app/vetting.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "domain/vetting.hpp"
#include "store/database.hpp"
#include "store/identity.hpp"
#include "store/migrations.hpp"

namespace pathway::app {
namespace {

using domain::Role;

// 2027-01-15T08:00:00Z.
constexpr std::int64_t kNow = 1'800'000'000;
constexpr const char* kToday = "2027-01-15";

class VettingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("pathway-vetting-{}-{}", getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    {
      auto db = store::Database::Open(path_);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(store::Migrate(**db).ok());
      ASSERT_TRUE((*db)->Execute(Workforce()).ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path_, 2)).value();
    std::ifstream in(std::string(PATHWAY_SOURCE_DIR) + "/policy/access.csv");
    std::stringstream text;
    text << in.rdbuf();
    authorizer_ = std::make_unique<Authorizer>(std::move(Policy::Parse(text.str())).value());
    kernel_ = std::make_unique<UnitOfWork>(*pool_, *authorizer_, clock_);
    std::array<unsigned char, 32> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i * 7 + 1);
    service_ = std::make_unique<VettingService>(
        *kernel_, std::make_shared<const VettingKey>(VettingKey::FromBytes(bytes)));
    officer_ = User("officer@example.gov.uk", 101, Role::kVettingOfficer, "DA");
    second_ = User("second@example.gov.uk", 102, Role::kVettingOfficer, "DA");
    elsewhere_ = User("elsewhere@example.gov.uk", 103, Role::kVettingOfficer, "DB");
    hr_ = User("hr@example.gov.uk", 104, Role::kHrPartner, "DA");
    other_hr_ = User("otherhr@example.gov.uk", 105, Role::kHrPartner, "DA");
    admin_ = User("admin@example.gov.uk", 106, Role::kAdministrator, "");
    subject_ = User("subject@example.gov.uk", 1, Role::kIndividual, "");
  }
  void TearDown() override {
    service_.reset();
    kernel_.reset();
    pool_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Two departments: DA with units U1 and U2, DB with U3. Sixty post holders in DA with
  // every mix of post requirement, level held, status and review date; some people of
  // DA without a post; ten in DB. People 101 to 106 are the users' own records.
  static std::string Workforce() {
    std::string sql = R"sql(
INSERT INTO department (id, code, name) VALUES (1, 'DA', 'Department A'), (2, 'DB', 'Department B');
INSERT INTO unit (id, code, name, department_id) VALUES (1, 'U1', 'Unit one', 1),
  (2, 'U2', 'Unit two', 1), (3, 'U3', 'Unit three', 2);
INSERT INTO location (id, code, name, region) VALUES (1, 'L1', 'London', 'TLI');
INSERT INTO profession (id, code, name) VALUES (1, 'P', 'Profession');
INSERT INTO job_family (id, profession_id, code, name) VALUES (1, 1, 'JF', 'Family');
INSERT INTO career_role (id, job_family_id, code, name) VALUES (1, 1, 'CR', 'Role');
INSERT INTO role_level (id, role_id, code, title, position, grade_min, grade_max)
  VALUES (1, 1, 'RL', 'Role level', 1, 0, 9);
)sql";
    const char* levels[] = {"'BPSS'", "'CTC'", "'SC'", "'DV'", "NULL"};
    const char* statuses[] = {"'active'",    "'pending'", "'expired'",
                              "'withdrawn'", "'active'",  "NULL"};
    const char* reviews[] = {"'2027-01-05'", "'2027-01-20'", "'2027-03-01'", "'2027-05-01'",
                             "'2027-07-01'", "'2028-01-01'", "NULL"};
    for (int i = 1; i <= 80; ++i) {
      const bool in_db = i > 70;
      const int unit = in_db ? 3 : (i % 2 == 0 ? 1 : 2);
      sql += fmt::format(
          "INSERT INTO post (id, external_id, role_level_id, unit_id, location_id, grade, "
          "clearance) VALUES ({0}, 'POST-{0}', 1, {1}, 1, 3, {2});",
          i, unit, levels[(i * 3) % 4]);
      const bool has_post = in_db || i <= 60;
      sql += fmt::format(
          "INSERT INTO person (id, external_id, display_name, department, post_id, "
          "clearance_level, clearance_status, clearance_review_due) VALUES "
          "({0}, 'E-{0}', 'Person {0}', '{1}', {2}, {3}, {4}, {5});",
          i, in_db ? "DB" : "DA", has_post ? std::to_string(i) : "NULL", levels[i % 5],
          levels[i % 5] == std::string("NULL") ? "NULL" : statuses[i % 6],
          levels[i % 5] == std::string("NULL") ? "NULL" : reviews[i % 7]);
    }
    for (int i = 101; i <= 106; ++i) {
      sql += fmt::format(
          "INSERT INTO person (id, external_id, display_name, department) VALUES ({0}, 'E-{0}', "
          "'User {0}', 'DA');",
          i);
    }
    return sql;
  }

  Actor User(const std::string& email, std::int64_t person, Role role, const std::string& scope) {
    auto db = pool_->Acquire();
    Actor actor;
    actor.kind = Actor::Kind::kUser;
    actor.email = email;
    actor.display_name = email;
    actor.user_id = store::InsertUser(*db, email, email, std::nullopt, person).value();
    actor.person_id = person;
    if (role != Role::kIndividual) {
      EXPECT_TRUE(
          store::InsertGrant(*db, actor.user_id, std::string(domain::RoleName(role)), scope).ok());
    }
    actor.grants.push_back({0, role, scope});
    return actor;
  }

  std::int64_t Count(const std::string& sql) {
    auto db = pool_->Acquire();
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return stmt->ColumnInt(0);
  }
  std::string Text(const std::string& sql) {
    auto db = pool_->Acquire();
    auto stmt = db->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return stmt->ColumnText(0);
  }
  // Every row of every table that can change, as one text: nothing-changed checks.
  std::string State() {
    std::string out;
    for (const char* sql :
         {"SELECT group_concat(id || status || stage || COALESCE(outcome, ''), ';') FROM "
          "vetting_case",
          "SELECT COUNT(*) FROM vetting_stage", "SELECT COUNT(*) FROM vetting_note",
          "SELECT COUNT(*) FROM vetting_export WHERE approved_by IS NOT NULL",
          "SELECT group_concat(COALESCE(clearance_level, '-') || COALESCE(clearance_status, '-') "
          "|| "
          "COALESCE(clearance_review_due, '-'), ';') FROM person"}) {
      out += Text(sql) + "|";
    }
    return out;
  }

  std::int64_t Open(const std::string& kind = "renewal", std::int64_t person = 2) {
    domain::NewVettingCase input;
    input.person_id = person;
    input.kind = kind;
    input.level_sought = "SC";
    input.opened_on = "2027-01-02";
    auto id = service_->OpenCase(officer_, input);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
    return id.ok() ? *id : 0;
  }

  std::filesystem::path dir_;
  std::string path_;
  ManualClock clock_{kNow};
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
  std::unique_ptr<VettingService> service_;
  Actor officer_, second_, elsewhere_, hr_, other_hr_, admin_, subject_;
};

TEST_F(VettingTest, TheReportAgreesWithPlainSqlCounts) {
  auto report = service_->ClearanceReport(officer_, "DA", 90);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->department_name, "Department A");
  EXPECT_EQ(report->today, kToday);
  const std::string holders =
      "FROM person p JOIN post po ON po.id = p.post_id JOIN unit u ON u.id = po.unit_id "
      "WHERE p.department = 'DA'";
  // Counts by unit and level held, each against its own COUNT(*).
  std::int64_t total = 0;
  ASSERT_FALSE(report->counts.empty());
  for (const auto& count : report->counts) {
    const std::string level = count.level.empty() ? "p.clearance_level IS NULL"
                                                  : "p.clearance_level = '" + count.level + "'";
    EXPECT_EQ(count.people, Count(fmt::format("SELECT COUNT(*) {} AND u.code = '{}' AND {}",
                                              holders, count.unit_code, level)))
        << count.unit_code << " " << count.level;
    total += count.people;
  }
  EXPECT_EQ(total, Count("SELECT COUNT(*) " + holders));
  EXPECT_EQ(total, 60);
  const std::string rank =
      "WITH r(code, n) AS (VALUES ('BPSS', 0), ('CTC', 1), ('SC', 2), ('DV', 3)) ";
  EXPECT_EQ(report->below_post,
            Count(rank + "SELECT COUNT(*) " +
                  "FROM person p JOIN post po ON po.id = p.post_id JOIN r need ON need.code = "
                  "po.clearance LEFT JOIN r held ON held.code = p.clearance_level "
                  "WHERE p.department = 'DA' AND (held.n IS NULL OR held.n < need.n)"));
  EXPECT_EQ(report->not_active,
            Count("SELECT COUNT(*) " + holders +
                  " AND p.clearance_status IN ('pending', 'expired', 'withdrawn')"));
  // Due within 90 days of 2027-01-15 (by 2027-04-15), or overdue.
  EXPECT_EQ(report->review_due,
            Count("SELECT COUNT(*) " + holders + " AND p.clearance_review_due <= '2027-04-15'"));
  EXPECT_EQ(static_cast<std::int64_t>(report->rows.size()),
            Count(rank + "SELECT COUNT(*) " +
                  "FROM person p JOIN post po ON po.id = p.post_id JOIN r need ON need.code = "
                  "po.clearance LEFT JOIN r held ON held.code = p.clearance_level "
                  "WHERE p.department = 'DA' AND (held.n IS NULL OR held.n < need.n OR "
                  "p.clearance_status IN ('pending', 'expired', 'withdrawn') OR "
                  "p.clearance_review_due <= '2027-04-15')"));
  std::int64_t mismatched = 0;
  for (const auto& count : report->counts) mismatched += count.mismatched;
  EXPECT_EQ(mismatched,
            Count(rank + "SELECT COUNT(*) " +
                  "FROM person p JOIN post po ON po.id = p.post_id JOIN r need ON need.code = "
                  "po.clearance LEFT JOIN r held ON held.code = p.clearance_level "
                  "WHERE p.department = 'DA' AND (held.n IS NULL OR held.n < need.n OR "
                  "p.clearance_status IN ('pending', 'expired', 'withdrawn'))"));

  // A wider window holds at least as many.
  auto wider = service_->ClearanceReport(officer_, "DA", 180);
  ASSERT_TRUE(wider.ok());
  EXPECT_EQ(wider->review_due,
            Count("SELECT COUNT(*) " + holders + " AND p.clearance_review_due <= '2027-07-14'"));
  EXPECT_GT(wider->review_due, report->review_due);
}

TEST_F(VettingTest, TheReportIsForTheDepartmentsOfficersAndAdministratorsOnly) {
  EXPECT_TRUE(service_->ClearanceReport(admin_, "DA", 30).ok());
  EXPECT_EQ(service_->ClearanceReport(elsewhere_, "DA", 30).error().code,
            domain::ErrorCode::kNotFound);
  EXPECT_EQ(service_->ClearanceReport(hr_, "DA", 30).error().code, domain::ErrorCode::kNotFound);
  auto window = service_->ClearanceReport(officer_, "DA", 45);
  ASSERT_FALSE(window.ok());
  EXPECT_EQ(window.error().field, "within");
  EXPECT_EQ(service_->ReportDepartments(officer_), std::vector<std::string>{"DA"});
}

TEST_F(VettingTest, OnlyADecisionChangesTheClearanceInTheSameUnitOfWork) {
  const auto id = Open("renewal", 2);
  ASSERT_GT(id, 0);
  const std::string before =
      Text("SELECT clearance_level || clearance_status FROM person WHERE id = 2");
  ASSERT_TRUE(service_->RecordStage(officer_, id, "checks", "2027-01-05").ok());
  ASSERT_TRUE(service_->RecordStage(officer_, id, "interview", "2027-01-10").ok());
  EXPECT_EQ(Text("SELECT clearance_level || clearance_status FROM person WHERE id = 2"), before);

  domain::VettingDecisionInput grant{"granted", "SC", "2027-01-12", "2032-01-12",
                                     "Checks and interview satisfactory"};
  auto decided = service_->Decide(officer_, id, grant);
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  EXPECT_EQ(Text("SELECT clearance_level || ' ' || clearance_status || ' ' || clearance_granted || "
                 "' ' || clearance_review_due FROM person WHERE id = 2"),
            "SC active 2027-01-12 2032-01-12");
  auto view = service_->GetCase(officer_, id);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->vetting_case.decided);
  EXPECT_EQ(view->vetting_case.granted_level, "SC");
  ASSERT_EQ(view->vetting_case.stages.size(), 4u);
  EXPECT_EQ(view->vetting_case.stages.back().stage, domain::VettingStage::kDecided);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action = 'vetting.case.decide' AND "
                  "outcome = 'success' AND detail LIKE 'granted; clearance SC active%'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domain_event WHERE name = 'person.clearance.changed'"), 1);
  // Deciding twice is refused.
  EXPECT_EQ(service_->Decide(officer_, id, grant).error().code, domain::ErrorCode::kConflict);

  // A refused aftercare review withdraws the clearance held.
  const auto aftercare = Open("aftercare", 2);
  ASSERT_TRUE(
      service_
          ->Decide(officer_, aftercare, {"refused", "", "2027-01-14", "", "Undeclared conflict"})
          .ok());
  EXPECT_EQ(Text("SELECT clearance_level || ' ' || clearance_status FROM person WHERE id = 2"),
            "SC withdrawn");
}

TEST_F(VettingTest, RefusedInputNamesTheFieldAndChangesNothing) {
  const auto id = Open("new", 3);
  ASSERT_GT(id, 0);
  const std::string before = State();
  struct Bad {
    domain::VettingDecisionInput input;
    std::string field;
  };
  const Bad bad[] = {
      {{"granted", "SC", "2027-01-12", "2032-01-12", ""}, "reason"},
      {{"granted", "SC", "2027-01-12", "2032-01-12", "   "}, "reason"},
      {{"granted", "TS", "2027-01-12", "2032-01-12", "ok"}, "granted_level"},
      {{"granted", "", "2027-01-12", "2032-01-12", "ok"}, "granted_level"},
      {{"maybe", "SC", "2027-01-12", "2032-01-12", "ok"}, "outcome"},
      {{"granted", "SC", "2027-01-12", "2027-01-11", "ok"}, "review_due"},
      {{"granted", "SC", "2027-01-01", "2032-01-12", "ok"}, "decided_on"},
      {{"granted", "SC", "2027-02-30", "2032-01-12", "ok"}, "decided_on"},
      {{"granted", "SC", "2027-01-12", "2032-01-12", std::string(10'001, 'x')}, "reason"},
  };
  for (const auto& b : bad) {
    auto refused = service_->Decide(officer_, id, b.input);
    ASSERT_FALSE(refused.ok()) << b.field;
    EXPECT_EQ(refused.error().code, domain::ErrorCode::kInvalidInput) << b.field;
    EXPECT_EQ(refused.error().field, b.field) << refused.error().message;
  }
  auto note = service_->AddNote(officer_, id, std::string(domain::kMaxVettingNote + 1, 'n'));
  ASSERT_FALSE(note.ok());
  EXPECT_EQ(note.error().field, "text");
  EXPECT_TRUE(service_->AddNote(officer_, id, std::string(domain::kMaxVettingNote, 'n')).ok());
  const std::string after_note = State();
  EXPECT_NE(after_note, before);
  auto stage = service_->RecordStage(officer_, id, "checks", "2027-01-01");
  ASSERT_FALSE(stage.ok());
  EXPECT_EQ(stage.error().field, "started_on");
  EXPECT_EQ(service_->RecordStage(officer_, id, "decided", "").error().field, "stage");
  domain::NewVettingCase unknown{3, "new", "TOP", "", ""};
  EXPECT_EQ(service_->OpenCase(officer_, unknown).error().field, "level_sought");
  domain::NewVettingCase again{3, "new", "SC", "", ""};
  EXPECT_EQ(service_->OpenCase(officer_, again).error().code, domain::ErrorCode::kConflict);
  EXPECT_EQ(State(), after_note);
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_event WHERE outcome = 'failure' AND "
                  "action = 'vetting.case.decide' AND detail LIKE 'reason:%'"),
            2);
}

TEST_F(VettingTest, NotesAreEncryptedAtRestAndOpenOnlyWithTheKey) {
  const auto id = Open("new", 4);
  const std::string secret = "Subject disclosed a debt of 12,345 pounds to a lender in Ruritania";
  ASSERT_TRUE(service_->AddNote(officer_, id, secret).ok());
  ASSERT_TRUE(service_->AddNote(officer_, id, secret).ok());
  auto notes = service_->ReadNotes(officer_, id, "Preparing the interview");
  ASSERT_TRUE(notes.ok()) << notes.error().message;
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ((*notes)[0].text, secret);
  // A fresh nonce each time: the same text twice is two different ciphertexts.
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT nonce) FROM vetting_note"), 2);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT ciphertext) FROM vetting_note"), 2);
  kernel_->FlushReadAudits();
  // The database file (and its write-ahead log) hold no trace of the text.
  pool_.reset();
  service_.reset();
  kernel_.reset();
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(path_ + suffix, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(bytes.str().find("Ruritania"), std::string::npos) << suffix;
    EXPECT_EQ(bytes.str().find("12,345 pounds"), std::string::npos) << suffix;
  }
  auto db = store::Database::Open(path_);
  ASSERT_TRUE(db.ok());
  auto stmt = (*db)->Prepare("SELECT nonce, ciphertext FROM vetting_note ORDER BY id LIMIT 1");
  ASSERT_TRUE(stmt.ok() && *stmt->Step());
  const VettingKey::Sealed sealed{stmt->ColumnText(0), stmt->ColumnText(1)};
  std::array<unsigned char, 32> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i * 7 + 1);
  const auto key = VettingKey::FromBytes(bytes);
  auto opened = key.Open(fmt::format("vetting-case:{}", id), sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, secret);
  // Another key, or another case, does not open it.
  std::array<unsigned char, 32> other{};
  EXPECT_FALSE(VettingKey::FromBytes(other).Open(fmt::format("vetting-case:{}", id), sealed).ok());
  EXPECT_FALSE(key.Open(fmt::format("vetting-case:{}", id + 1), sealed).ok());
}

TEST_F(VettingTest, KeyFilesAreMadeForTheirOwnerAloneAndNeverOverwritten) {
  const std::string path = (dir_ / "vetting.key").string();
  ASSERT_TRUE(VettingKey::Generate(path).ok());
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(VettingKey::Generate(path).error().code, domain::ErrorCode::kConflict);
  auto loaded = VettingKey::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const auto sealed = loaded->Seal("c", "text");
  EXPECT_EQ(*VettingKey::Load(path)->Open("c", sealed), "text");
  ::chmod(path.c_str(), 0644);
  EXPECT_FALSE(VettingKey::Load(path).ok());
  EXPECT_FALSE(VettingKey::Load((dir_ / "missing.key").string()).ok());
}

TEST_F(VettingTest, NeedToKnowReasonsAreAuditedAndOutsidersFindNothing) {
  const auto id = Open("new", 5);
  ASSERT_TRUE(service_->AddNote(officer_, id, "The vetting team's working note").ok());
  // Outsiders: an HR partner of the department not added, an officer elsewhere, an
  // administrator, the person themselves.
  for (const Actor* outsider : {&hr_, &other_hr_, &elsewhere_, &admin_}) {
    EXPECT_EQ(service_->GetCase(*outsider, id).error().code, domain::ErrorCode::kNotFound)
        << outsider->email;
    EXPECT_EQ(service_->ReadNotes(*outsider, id, "curious").error().code,
              domain::ErrorCode::kNotFound)
        << outsider->email;
    EXPECT_EQ(service_->AddNote(*outsider, id, "x").error().code, domain::ErrorCode::kNotFound);
  }
  // A reason is needed, and is what the audit keeps.
  EXPECT_EQ(service_->ReadNotes(second_, id, " ").error().field, "reason");
  ASSERT_TRUE(service_->ReadNotes(second_, id, "Peer review of the file").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action = 'vetting.note.read' AND "
                  "outcome = 'success' AND detail LIKE '%reason: Peer review of the file'"),
            1);
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_event WHERE action = 'vetting.note.read' AND "
                  "outcome = 'refused'"),
            4);
  // The text is never in the audit trail.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE detail LIKE '%working note%'"), 0);
}

TEST_F(VettingTest, AReferralOpensACaseEachSideSeeingItsOwnPart) {
  auto referred = service_->RaiseConcern(hr_, 6, "Line manager reports unexplained absences");
  ASSERT_TRUE(referred.ok()) << referred.error().message;
  const auto id = *referred;
  ASSERT_TRUE(service_->AddNote(officer_, id, "Vetting team: financial checks requested").ok());
  ASSERT_TRUE(service_->AddNote(hr_, id, "HR: absences continue").ok());

  auto hr_view = service_->GetCase(hr_, id);
  ASSERT_TRUE(hr_view.ok());
  EXPECT_TRUE(hr_view->access.member);
  EXPECT_FALSE(hr_view->access.officer);
  EXPECT_EQ(hr_view->vetting_case.kind, domain::VettingCaseKind::kConcern);
  auto hr_notes = service_->ReadNotes(hr_, id, "Following up my referral");
  ASSERT_TRUE(hr_notes.ok());
  ASSERT_EQ(hr_notes->size(), 2u);
  for (const auto& note : *hr_notes) EXPECT_EQ(note.part, domain::VettingNotePart::kReferral);

  auto officer_notes = service_->ReadNotes(officer_, id, "Assessing the referral");
  ASSERT_TRUE(officer_notes.ok());
  EXPECT_EQ(officer_notes->size(), 3u);
  // HR neither decides, records stages nor exports; another HR partner sees nothing.
  EXPECT_EQ(service_->Decide(hr_, id, {"refused", "", "", "", "x"}).error().code,
            domain::ErrorCode::kNotFound);
  EXPECT_EQ(service_->RecordStage(hr_, id, "checks", "").error().code,
            domain::ErrorCode::kNotFound);
  EXPECT_EQ(service_->RequestExport(hr_, id).error().code, domain::ErrorCode::kNotFound);
  EXPECT_EQ(service_->GetCase(other_hr_, id).error().code, domain::ErrorCode::kNotFound);
  // The case's status reaches HR once decided; the reason does not.
  ASSERT_TRUE(service_->Decide(officer_, id, {"withdrawn", "", "", "", "Concern resolved"}).ok());
  hr_view = service_->GetCase(hr_, id);
  ASSERT_TRUE(hr_view.ok());
  EXPECT_TRUE(hr_view->vetting_case.decided);
  hr_notes = service_->ReadNotes(hr_, id, "Closing my referral");
  ASSERT_TRUE(hr_notes.ok());
  EXPECT_EQ(hr_notes->size(), 2u);
  auto lists = service_->ListCases(hr_);
  ASSERT_TRUE(lists.ok());
  ASSERT_EQ(lists->size(), 1u);
  EXPECT_TRUE(service_->ListCases(other_hr_)->empty());
}

TEST_F(VettingTest, ExportingNotesNeedsASecondOfficer) {
  const auto id = Open("new", 7);
  ASSERT_TRUE(service_->AddNote(officer_, id, "For the file").ok());
  auto asked = service_->RequestExport(officer_, id);
  ASSERT_TRUE(asked.ok());
  auto early = service_->DownloadExport(officer_, id, *asked);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, domain::ErrorCode::kConflict);
  auto self = service_->ApproveExport(officer_, id, *asked);
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().code, domain::ErrorCode::kInvalidInput);
  EXPECT_EQ(self.error().field, "approver");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM vetting_export WHERE approved_by IS NOT NULL"), 0);
  EXPECT_EQ(service_->ApproveExport(elsewhere_, id, *asked).error().code,
            domain::ErrorCode::kNotFound);
  ASSERT_TRUE(service_->ApproveExport(second_, id, *asked).ok());
  EXPECT_EQ(service_->ApproveExport(second_, id, *asked).error().code,
            domain::ErrorCode::kConflict);
  // Only the officer who asked downloads it.
  EXPECT_EQ(service_->DownloadExport(second_, id, *asked).error().code,
            domain::ErrorCode::kNotFound);
  auto notes = service_->DownloadExport(officer_, id, *asked);
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ((*notes)[0].text, "For the file");
}

TEST_F(VettingTest, WithoutAKeyNotesAreUnavailableAndNothingIsWritten) {
  VettingService keyless(*kernel_, nullptr);
  domain::NewVettingCase input{8, "new", "SC", "", ""};
  auto id = keyless.OpenCase(officer_, input);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(keyless.AddNote(officer_, *id, "text").error().code, domain::ErrorCode::kUnavailable);
  EXPECT_EQ(keyless.Decide(officer_, *id, {"refused", "", "", "", "r"}).error().code,
            domain::ErrorCode::kUnavailable);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM vetting_note"), 0);
  EXPECT_EQ(Text("SELECT status FROM vetting_case WHERE id = " + std::to_string(*id)), "open");
}

TEST_F(VettingTest, NobodyWorksOnTheirOwnCase) {
  Actor own = officer_;
  own.person_id = 9;
  domain::NewVettingCase input{9, "new", "SC", "", ""};
  EXPECT_EQ(service_->OpenCase(own, input).error().code, domain::ErrorCode::kNotFound);
  const auto id = Open("new", 9);
  EXPECT_EQ(service_->GetCase(own, id).error().code, domain::ErrorCode::kNotFound);
  EXPECT_EQ(service_->GetCase(subject_, Open("new", 1)).error().code, domain::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace pathway::app
