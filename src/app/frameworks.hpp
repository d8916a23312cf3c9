// Framework use cases: import, read, search, version (draft -> published -> retired),
// author drafts, compare versions. Each asks the Authorizer and audits every change in
// the same transaction.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/policy.hpp"
#include "app/store_handles.hpp"
#include "app/unit_of_work.hpp"
#include "domain/framework.hpp"
#include "domain/framework_diff.hpp"
#include "domain/framework_records.hpp"
#include "domain/result.hpp"

namespace pathway::app {

using domain::Result;
using domain::Status;

struct FrameworkRef {
  std::string id;
  int version = 0;
};

// The newest published version of every framework that has one, as the CASE API serves
// them, with when each was published ("" if not recorded).
struct PublishedFramework {
  domain::Framework framework;
  std::string published_at;
};
struct PublishedFrameworks {
  std::uint64_t generation = 0;  // a new number for every load
  std::vector<PublishedFramework> frameworks;
};

struct FrameworkSummary {
  std::string id;
  std::string title;
  std::string kind;
  std::optional<int> published_version;  // the newest published version, if any
  // The newest version the actor may open, and its status: a draft only for those who
  // may edit the framework.
  int latest_version = 0;
  std::string latest_status;
};

class FrameworkService {
 public:
  // Changes go through `kernel`; reads lease connections from its pool.
  explicit FrameworkService(UnitOfWork& kernel) : kernel_(kernel) {}

  // Stores an imported framework: a new framework, or the next version of an existing
  // one (same id). Its status is kept. Refuses a framework that fails validation (every
  // problem in the message) or whose kind differs from the existing one's.
  Result<FrameworkRef> Import(const Actor& actor, domain::Framework framework,
                              std::string_view source);

  // Frameworks the actor may read: with a published version, or drafts they may edit.
  Result<std::vector<FrameworkSummary>> List(const Actor& actor);
  // Every version of a framework the actor may see, newest first.
  Result<std::vector<domain::FrameworkVersionInfo>> Versions(const Actor& actor,
                                                             const std::string& id);
  // A version; without one, the newest published version (or, for those who may edit
  // it, the newest version of a framework never published). kNotFound when missing or
  // not visible to the actor.
  Result<domain::Framework> Get(const Actor& actor, const std::string& id,
                                std::optional<int> version = std::nullopt);

  // Refuses (kConflict, naming the newer version) a draft started before another
  // version was published: publishing it would silently undo that version's changes.
  Status Publish(const Actor& actor, const std::string& id, int version);
  Status Retire(const Actor& actor, const std::string& id, int version);
  // A new draft copied from the newest version; refused while a draft exists.
  Result<int> NewDraft(const Actor& actor, const std::string& id);
  // Applies `edit` to a draft, validates the result and saves it. `what` names the
  // change for the audit trail ("add indicator").
  Status EditDraft(const Actor& actor, const std::string& id, int version, std::string_view what,
                   const std::function<Status(domain::Framework&)>& edit);

  // A key that changes whenever the set of published (or retired) versions does, for
  // caches of published frameworks (the CASE API). kNotFound for an actor who may not
  // read published frameworks.
  Result<std::string> PublishedFingerprint(const Actor& actor);

  // Every published framework (PublishedFrameworks), from a cache shared by all readers
  // (published frameworks are the same for everyone who may read them). The cache is
  // dropped by ForgetPublished, which the composition root calls from the kernel's
  // OnCommitted events when a version is published or retired or a crosswalk changes,
  // and is checked against the store's fingerprint of published versions (one small
  // query), so that a version published by another process is served at once too.
  // kNotFound for an actor who may not read published frameworks. Thread-safe.
  Result<std::shared_ptr<const PublishedFrameworks>> Published(const Actor& actor);
  void ForgetPublished();
  // True for the domain events after which ForgetPublished must be called.
  static bool ChangesPublished(std::string_view event_name);
  // How many times the published frameworks were loaded from the store.
  std::int64_t published_loads() const { return published_loads_.load(); }

  Result<domain::FrameworkDiff> Diff(const Actor& actor, const std::string& id, int from, int to);

  // Full-text search of the newest published version of every framework. Terms are the
  // words of `text`; a text with no words finds nothing.
  Result<std::vector<domain::SearchHit>> Search(const Actor& actor, std::string_view text,
                                                int limit = 50);

  // The kernel's subject for a framework that must exist (kNotFound otherwise), and for
  // one of its versions; for use cases of the framework's capability (crosswalks).
  static SubjectOf OfFramework(const std::string& id);
  static SubjectOf OfVersion(const std::string& id, int version);

 private:
  Result<bool> Allowed(store::Database& db, const Actor& actor, std::string_view action,
                       const std::string& id, bool published);
  UnitOfWork& kernel_;

  std::mutex published_mutex_;  // guards the three below
  std::shared_ptr<const PublishedFrameworks> published_;
  std::string published_fingerprint_;
  std::uint64_t published_forgotten_ = 0;  // ForgetPublished calls so far
  std::mutex published_load_mutex_;        // one load at a time
  std::atomic<std::int64_t> published_loads_{0};
};

// The newest version published (or published and since retired) after draft `draft`
// was started: a higher version number, or a publication later than the draft's
// creation. nullopt when the draft is up to date or is not among `versions`.
std::optional<int> PublishedSinceDraft(const std::vector<domain::FrameworkVersionInfo>& versions,
                                       int draft);
// The version a draft was copied from: the newest version below it that is not a draft.
std::optional<int> DraftBase(const std::vector<domain::FrameworkVersionInfo>& versions, int draft);

// The words of a search text: runs of letters and digits (any script), lower-cased
// for ASCII, at most 10.
std::vector<std::string> SearchTerms(std::string_view text);

}  // namespace pathway::app
