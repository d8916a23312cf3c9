// Framework use cases: import, read, search, version (draft -> published -> retired),
// author drafts, compare versions. Each asks the Authorizer and audits every change in
// the same transaction.
#pragma once

#include <functional>
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

  Result<domain::FrameworkDiff> Diff(const Actor& actor, const std::string& id, int from, int to);

  // Full-text search of the newest published version of every framework. Terms are the
  // words of `text`; a text with no words finds nothing.
  Result<std::vector<domain::SearchHit>> Search(const Actor& actor, std::string_view text,
                                                int limit = 50);

 private:
  Result<bool> Allowed(store::Database& db, const Actor& actor, std::string_view action,
                       const std::string& id, bool published);
  // A framework that must exist (kNotFound otherwise).
  static SubjectOf OfFramework(const std::string& id);
  // A version that must exist (kNotFound otherwise).
  static SubjectOf OfVersion(const std::string& id, int version);

  UnitOfWork& kernel_;
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
