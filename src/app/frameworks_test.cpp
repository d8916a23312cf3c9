// Framework use cases and their store against a real SQLite file: the shipped
// frameworks, immutability of published versions, search and version diffs.
#include <gtest/gtest.h>

#include "app/unit_of_work.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "app/demo.hpp"
#include "app/frameworks.hpp"
#include "domain/framework_diff.hpp"
#include "interchange/case_json.hpp"
#include "interchange/framework_document.hpp"
#include "store/database.hpp"
#include "store/frameworks.hpp"
#include "store/identity.hpp"
#include "store/migrations.hpp"

namespace pathway::app {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("PATHWAY_SOURCE_DIR");
  return dir != nullptr ? dir : PATHWAY_SOURCE_DIR;
}

std::string Read(const std::string& relative) {
  std::ifstream in(SourceDir() + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class FrameworkServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("pathway-fw-{}-{}", getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string path = (dir_ / "t.db").string();
    {
      auto db = store::Database::Open(path);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(store::Migrate(**db).ok());
    }
    pool_ = std::move(store::ConnectionPool::Open(path, 2)).value();
    authorizer_ =
        std::make_unique<Authorizer>(std::move(Policy::Parse(Read("policy/access.csv"))).value());
    kernel_ = std::make_unique<UnitOfWork>(*pool_, *authorizer_, clock_);
    service_ = std::make_unique<FrameworkService>(*kernel_);
    auto id = ShipFrameworks(*service_, {Read("data/frameworks/cscf-level5-sms1.txt"),
                                         Read("data/frameworks/cscf-level5-security-additions.csv"),
                                         Read("data/frameworks/success-profiles-behaviours.csv")});
    ASSERT_TRUE(id.ok()) << id.error().message;
    cscf_ = *id;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Actor UserWith(domain::Role role, std::string scope = {}) {
    Actor actor;
    actor.kind = Actor::Kind::kUser;
    actor.user_id = 42;
    actor.email = "someone@example.gov.uk";
    actor.grants.push_back({1, role, std::move(scope)});
    return actor;
  }

  std::filesystem::path dir_;
  ManualClock clock_{1'800'000'000};
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<UnitOfWork> kernel_;
  std::unique_ptr<FrameworkService> service_;
  std::string cscf_;
};

TEST_F(FrameworkServiceTest, ShipsTheCompetencyFrameworkAsTwoPublishedVersions) {
  const Actor reader = UserWith(domain::Role::kIndividual);
  auto versions = service_->Versions(reader, cscf_);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);
  EXPECT_EQ((*versions)[0].status, "published");
  auto current = service_->Get(reader, cscf_);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->version, 2);
  EXPECT_EQ(current->clusters.size(), 3u);
  EXPECT_EQ(domain::CountItems(*current), 10);
  EXPECT_EQ(current->grade_levels.size(), 10u);
  EXPECT_EQ(current->grade_levels.at(domain::Grade::kHEO), 3);
  EXPECT_EQ(current->grade_levels.at(domain::Grade::kSCS3), 6);
}

TEST_F(FrameworkServiceTest, ShipsTheSuccessProfilesBehavioursWithLevelsAndTheSevenPointScale) {
  auto list = service_->List(UserWith(domain::Role::kIndividual));
  ASSERT_TRUE(list.ok());
  const FrameworkSummary* behaviours = nullptr;
  for (const auto& summary : *list) {
    if (summary.title == "Success Profiles: Behaviours") behaviours = &summary;
  }
  ASSERT_NE(behaviours, nullptr);
  auto framework = service_->Get(UserWith(domain::Role::kIndividual), behaviours->id);
  ASSERT_TRUE(framework.ok());
  EXPECT_EQ(framework->kind, domain::FrameworkKind::kBehaviours);
  ASSERT_EQ(domain::CountItems(*framework), 9);
  const std::vector<std::string> names{"Seeing the Big Picture",
                                       "Changing and Improving",
                                       "Making Effective Decisions",
                                       "Leadership",
                                       "Communicating and Influencing",
                                       "Working Together",
                                       "Developing Self and Others",
                                       "Managing a Quality Service",
                                       "Delivering at Pace"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& item = framework->clusters[0].items[i];
    EXPECT_EQ(item.title, names[i]);
    ASSERT_EQ(item.levels.size(), 6u) << item.title;
    for (int level = 1; level <= 6; ++level) {
      EXPECT_EQ(item.levels[level - 1].level, level);
      EXPECT_FALSE(item.levels[level - 1].description.empty());
    }
  }
  ASSERT_EQ(framework->rating_scale.size(), 7u);
  EXPECT_EQ(framework->rating_scale[3].value, 4);
  EXPECT_EQ(framework->rating_scale[3].label, "Moderate demonstration");
  EXPECT_EQ(framework->grade_levels.at(domain::Grade::kEO), 2);
  EXPECT_EQ(framework->grade_levels.at(domain::Grade::kSCS1), 5);
}

TEST_F(FrameworkServiceTest, VersionTwoAddsExactlyTheSecurityIndicators) {
  auto diff = service_->Diff(UserWith(domain::Role::kIndividual), cscf_, 1, 2);
  ASSERT_TRUE(diff.ok()) << diff.error().message;
  EXPECT_FALSE(diff->title_changed);
  EXPECT_FALSE(diff->grade_map_changed);
  EXPECT_TRUE(diff->clusters_added.empty());
  std::set<std::string> items;
  int added = 0;
  for (const auto& item : diff->items) {
    items.insert(item.title);
    EXPECT_EQ(item.kind, domain::ChangeKind::kChanged);
    EXPECT_FALSE(item.title_changed);
    EXPECT_FALSE(item.description_changed);
    for (const auto& change : item.indicators) {
      EXPECT_EQ(change.kind, domain::ChangeKind::kAdded) << change.after;
      EXPECT_EQ(change.tags, std::vector<std::string>{"security"});
      ++added;
    }
  }
  EXPECT_EQ(items, (std::set<std::string>{"Seeing the Big Picture", "Making Effective Decisions",
                                          "Managing a Quality Service"}));
  EXPECT_EQ(added, 15);
}

TEST_F(FrameworkServiceTest, PublishedVersionsNeverChangeEvenInTheDatabase) {
  auto db = pool_->Acquire();
  EXPECT_FALSE(db->Execute("UPDATE fw_indicator SET text = 'x' WHERE version = 1").ok());
  EXPECT_FALSE(db->Execute("DELETE FROM fw_item WHERE version = 1").ok());
  EXPECT_FALSE(db->Execute("UPDATE framework_version SET title = 'x' WHERE version = 1").ok());
  EXPECT_FALSE(db->Execute("DELETE FROM framework_version WHERE version = 1").ok());
  auto edit = service_->EditDraft(Actor::System(), cscf_, 1, "rename", [](domain::Framework& f) {
    f.title = "Renamed";
    return domain::Status(domain::Ok{});
  });
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.error().code, domain::ErrorCode::kConflict);
  // Retiring is the one change allowed.
  ASSERT_TRUE(service_->Retire(Actor::System(), cscf_, 1).ok());
  EXPECT_EQ(store::FindVersion(*db, cscf_, 1).value()->status, "retired");
}

TEST_F(FrameworkServiceTest, ADraftStartedBeforeAnotherVersionWasPublishedIsNotPublished) {
  const Actor author = UserWith(domain::Role::kFrameworkAuthor, cscf_);
  ASSERT_EQ(service_->NewDraft(author, cscf_).value(), 3);
  ASSERT_TRUE(service_
                  ->EditDraft(author, cscf_, 3, "reword",
                              [](domain::Framework& f) {
                                f.clusters[0].items[0].indicators[0].text = "Reworded in the draft";
                                return domain::Status(domain::Ok{});
                              })
                  .ok());
  clock_.Advance(std::chrono::seconds(60));
  auto newer = service_->Get(author, cscf_, 2).value();
  newer.status = domain::FrameworkStatus::kPublished;
  newer.title = "Published while the draft was open";
  auto imported = service_->Import(Actor::System(), newer, "newer.txt");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  ASSERT_EQ(imported->version, 4);
  auto versions = service_->Versions(author, cscf_).value();
  EXPECT_EQ(PublishedSinceDraft(versions, 3), 4);
  EXPECT_EQ(DraftBase(versions, 3), 2);
  auto refused = service_->Publish(author, cscf_, 3);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, domain::ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("Version 4 was published after this draft"),
            std::string::npos)
      << refused.error().message;
  EXPECT_EQ(service_->Get(author, cscf_, 3)->status, domain::FrameworkStatus::kDraft);
  EXPECT_EQ(service_->Get(author, cscf_)->version, 4) << "the newer version stays current";
}

TEST_F(FrameworkServiceTest, DraftsAreSeenAndEditedOnlyByTheirAuthorsAndAdministrators) {
  const Actor author = UserWith(domain::Role::kFrameworkAuthor, cscf_);
  const Actor other_author = UserWith(domain::Role::kFrameworkAuthor, "another-framework");
  const Actor reader = UserWith(domain::Role::kIndividual);
  auto draft = service_->NewDraft(author, cscf_);
  ASSERT_TRUE(draft.ok()) << draft.error().message;
  EXPECT_EQ(*draft, 3);
  EXPECT_EQ(service_->NewDraft(author, cscf_).error().code, domain::ErrorCode::kConflict);
  EXPECT_EQ(service_->NewDraft(other_author, cscf_).error().code, domain::ErrorCode::kNotFound);
  EXPECT_EQ(service_->Get(reader, cscf_, 3).error().code, domain::ErrorCode::kNotFound);
  EXPECT_EQ(service_->Get(reader, cscf_)->version, 2) << "readers see the published version";
  ASSERT_TRUE(service_->Get(author, cscf_, 3).ok());
  auto edited = service_->EditDraft(author, cscf_, 3, "reword", [](domain::Framework& f) {
    f.clusters[0].items[0].indicators[0].text = "Reworded";
    return domain::Status(domain::Ok{});
  });
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  auto invalid = service_->EditDraft(author, cscf_, 3, "empty", [](domain::Framework& f) {
    f.clusters[0].items[0].title.clear();
    return domain::Status(domain::Ok{});
  });
  EXPECT_EQ(invalid.error().code, domain::ErrorCode::kInvalidInput);
  EXPECT_EQ(service_->Publish(reader, cscf_, 3).error().code, domain::ErrorCode::kNotFound);
  ASSERT_TRUE(service_->Publish(author, cscf_, 3).ok());
  auto diff = service_->Diff(reader, cscf_, 2, 3);
  ASSERT_EQ(diff->items.size(), 1u);
  ASSERT_EQ(diff->items[0].indicators.size(), 1u);
  EXPECT_EQ(diff->items[0].indicators[0].kind, domain::ChangeKind::kChanged);
  EXPECT_EQ(diff->items[0].indicators[0].after, "Reworded");
}

TEST_F(FrameworkServiceTest, SearchIsRankedStemmedPrefixedAndSafe) {
  const Actor reader = UserWith(domain::Role::kIndividual);
  auto hits = service_->Search(reader, "national interest");
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ((*hits)[0].version, 2) << "only the newest published version is searched";
  EXPECT_NE((*hits)[0].highlighted.find('\x01'), std::string::npos);
  EXPECT_NE((*hits)[0].tags.find("security"), std::string::npos);
  // Stemming: "decisions" finds "decision"; prefix: "stakeh" finds "stakeholders".
  EXPECT_FALSE(service_->Search(reader, "decisions")->empty());
  EXPECT_FALSE(service_->Search(reader, "stakeh")->empty());
  for (const char* hostile : {"\"", "NEAR(", "*", "a OR b", "-x", "col:val", "''", ")("}) {
    auto result = service_->Search(reader, hostile);
    EXPECT_TRUE(result.ok()) << hostile;
  }
  EXPECT_TRUE(service_->Search(reader, "   ")->empty());
  Actor anonymous;
  EXPECT_FALSE(service_->Search(anonymous, "national").ok());
}

TEST_F(FrameworkServiceTest, ImportRefusesAnInvalidFrameworkAndChangesNothing) {
  auto parsed = interchange::ParseFrameworkDocument(Read("data/frameworks/cscf-level5-sms1.txt"));
  ASSERT_TRUE(parsed.ok());
  domain::Framework broken = std::move(parsed).value();
  broken.clusters[1].items[0].title.clear();
  auto result = service_->Import(Actor::System(), broken, "broken.txt");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, domain::ErrorCode::kInvalidInput);
  auto versions = service_->Versions(Actor::System(), cscf_);
  EXPECT_EQ(versions->size(), 2u);
  // A reader may not import.
  auto refused = service_->Import(UserWith(domain::Role::kIndividual), broken, "x");
  EXPECT_EQ(refused.error().code, domain::ErrorCode::kNotFound);
}

// A tab pasted into a title (the framework's, a cluster's, an item's) is kept as a space by
// whichever file brought it, here a CASE package.
TEST_F(FrameworkServiceTest, ImportKeepsATabInATitleAsASpace) {
  auto parsed = interchange::ParseFrameworkDocument(Read("data/frameworks/cscf-level5-sms1.txt"));
  ASSERT_TRUE(parsed.ok());
  domain::Framework framework = std::move(parsed).value();
  framework.id = domain::NameBasedUuid(framework.id, "tabbed");
  framework.title = "Tabbed\tframework";
  framework.clusters[0].title = "Tabbed\tcluster";
  framework.clusters[0].items[0].title = "Tabbed\titem";
  const std::string package = interchange::WriteCasePackage(
      framework, {"https://pathway.example/ims/case/v1p1", "", "2026-01-01T00:00:00Z"});
  auto read = interchange::ParseCasePackage(package);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->title, "Tabbed\tframework") << "the package carries the tab";
  auto ref = service_->Import(Actor::System(), read.value(), "tabbed.json");
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  auto db = pool_->Acquire();
  auto loaded = store::LoadFrameworkVersion(*db, framework.id, 1);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->title, "Tabbed framework");
  EXPECT_EQ((*loaded)->clusters[0].title, "Tabbed cluster");
  EXPECT_EQ((*loaded)->clusters[0].items[0].title, "Tabbed item");
}

TEST_F(FrameworkServiceTest, StoreRoundTripsEveryField) {
  auto parsed = interchange::ParseFrameworkDocument(Read("data/frameworks/cscf-level5-sms1.txt"));
  ASSERT_TRUE(parsed.ok());
  domain::Framework original = std::move(parsed).value();
  original.id = domain::NameBasedUuid(original.id, "copy");
  original.rating_scale = {{1, "Low", "a"}, {2, "High", "b"}};
  original.clusters[0].items[0].indicators[0].tags = {"security", "vetting"};
  domain::Association link;
  link.id = domain::NameBasedUuid(original.id, "a link");
  link.type = "exactMatchOf";
  link.origin = {original.clusters[0].items[0].id, "https://x.example/1", "Here", ""};
  link.destination = {"elsewhere-1", "https://y.example/2", "There", "CASE"};
  link.sequence = 7;
  link.grouping = {domain::NameBasedUuid(original.id, "group"), "https://g.example", "Group", ""};
  link.notes = "kept";
  link.extensions = R"({"a":1})";
  original.associations = {link};
  original.case_groupings = R"([{"identifier":"g"}])";
  original.case_rubrics = R"([{"identifier":"r"}])";
  auto ref = service_->Import(Actor::System(), original, "copy");
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  auto db = pool_->Acquire();
  auto loaded = store::LoadFrameworkVersion(*db, original.id, 1);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_TRUE(domain::DiffFrameworks(original, **loaded).empty());
  EXPECT_EQ((*loaded)->rating_scale.size(), 2u);
  EXPECT_EQ((*loaded)->clusters[0].items[0].indicators[0].tags,
            (std::vector<std::string>{"security", "vetting"}));
  EXPECT_EQ((*loaded)->description, original.description);
  ASSERT_EQ((*loaded)->associations.size(), 1u);
  const domain::Association& back = (*loaded)->associations[0];
  EXPECT_EQ(back.id, link.id);
  EXPECT_EQ(back.type, link.type);
  EXPECT_EQ(back.destination.identifier, "elsewhere-1");
  EXPECT_EQ(back.destination.target_type, "CASE");
  EXPECT_EQ(back.sequence, 7);
  EXPECT_EQ(back.grouping.title, "Group");
  EXPECT_EQ(back.notes, "kept");
  EXPECT_EQ(back.extensions, link.extensions);
  EXPECT_EQ((*loaded)->case_groupings, original.case_groupings);
  EXPECT_EQ((*loaded)->case_rubrics, original.case_rubrics);
}

}  // namespace
}  // namespace pathway::app

namespace pathway::app {
namespace {

TEST_F(FrameworkServiceTest, ReadersNeverSeeADraftVersionInTheListOrTheVersions) {
  auto draft = service_->NewDraft(Actor::System(), cscf_);
  ASSERT_TRUE(draft.ok()) << draft.error().message;
  ASSERT_EQ(*draft, 3);
  const auto summary_for = [&](const Actor& actor) {
    auto list = service_->List(actor);
    EXPECT_TRUE(list.ok());
    for (const auto& summary : *list) {
      if (summary.id == cscf_) return summary;
    }
    ADD_FAILURE() << "the framework is not listed";
    return FrameworkSummary{};
  };
  const FrameworkSummary reader = summary_for(UserWith(domain::Role::kIndividual));
  EXPECT_EQ(reader.latest_version, 2);
  EXPECT_EQ(reader.latest_status, "published");
  EXPECT_EQ(reader.published_version, 2);
  auto versions = service_->Versions(UserWith(domain::Role::kIndividual), cscf_);
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->front().version, 2);

  const FrameworkSummary author = summary_for(UserWith(domain::Role::kFrameworkAuthor, cscf_));
  EXPECT_EQ(author.latest_version, 3);
  EXPECT_EQ(author.latest_status, "draft");
  const FrameworkSummary other_author =
      summary_for(UserWith(domain::Role::kFrameworkAuthor, "another-framework"));
  EXPECT_EQ(other_author.latest_version, 2) << "an author of another framework is a reader here";
}
TEST_F(FrameworkServiceTest, PublishedFrameworksComeFromACacheDroppedOnPublishAndRetire) {
  // Wired as the composition root wires it (cli/compose.cpp).
  kernel_->OnCommitted([service = service_.get()](const Committed& committed) {
    for (const auto& event : committed.events) {
      if (FrameworkService::ChangesPublished(event.name)) service->ForgetPublished();
    }
  });
  const Actor author = UserWith(domain::Role::kFrameworkAuthor, cscf_);
  const Actor reader = UserWith(domain::Role::kIndividual);
  const auto version_of = [&](const PublishedFrameworks& published) {
    for (const auto& entry : published.frameworks) {
      if (entry.framework.id == cscf_) return entry.framework.version;
    }
    return 0;
  };
  auto first = service_->Published(reader);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ((*first)->frameworks.size(), 2u);
  EXPECT_EQ(version_of(**first), 2);
  EXPECT_EQ(service_->published_loads(), 1);
  // No publish, no load: the same answer, whoever asks.
  auto second = service_->Published(author);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->get(), first->get());
  EXPECT_EQ(service_->published_loads(), 1);

  // A draft, edited, is not published: still no load.
  ASSERT_TRUE(service_->NewDraft(author, cscf_).ok());
  ASSERT_TRUE(service_
                  ->EditDraft(author, cscf_, 3, "reword",
                              [](domain::Framework& f) {
                                f.clusters[0].items[0].indicators[0].text = "Reworded";
                                return domain::Status(domain::Ok{});
                              })
                  .ok());
  EXPECT_EQ(service_->Published(reader).value().get(), first->get());
  EXPECT_EQ(service_->published_loads(), 1);

  // Publishing is visible on the next request, loaded once.
  ASSERT_TRUE(service_->Publish(author, cscf_, 3).ok());
  auto published = service_->Published(reader);
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(version_of(**published), 3);
  EXPECT_NE((*published)->generation, (*first)->generation);
  EXPECT_EQ(service_->published_loads(), 2);
  EXPECT_EQ(service_->Published(reader).value().get(), published->get());
  EXPECT_EQ(service_->published_loads(), 2);

  // Retiring too: the newest published version is 2 again.
  ASSERT_TRUE(service_->Retire(author, cscf_, 3).ok());
  EXPECT_EQ(version_of(*service_->Published(reader).value()), 2);
  EXPECT_EQ(service_->published_loads(), 3);

  // Another process (its own pool, kernel and service) publishes: the fingerprint
  // check serves it at once, without this process's events.
  auto other_pool = std::move(store::ConnectionPool::Open(pool_->path(), 1)).value();
  UnitOfWork other_kernel(*other_pool, *authorizer_, clock_);
  FrameworkService other(other_kernel);
  auto draft = other.NewDraft(author, cscf_);
  ASSERT_TRUE(draft.ok()) << draft.error().message;
  ASSERT_TRUE(other.Publish(author, cscf_, *draft).ok());
  EXPECT_EQ(version_of(*service_->Published(reader).value()), *draft);
  EXPECT_EQ(service_->published_loads(), 4);
}

}  // namespace
}  // namespace pathway::app
