#include "app/frameworks.hpp"

#include <fmt/format.h>

#include <map>

#include "domain/text.hpp"
#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/frameworks.hpp"
#include "store/identity.hpp"

namespace pathway::app {

using domain::Error;
using domain::ErrorCode;
using domain::FrameworkStatus;

namespace {

Error NotFound() { return Error::NotFound("No such framework"); }

bool Visible(const store::FrameworkVersionInfo& info) {
  return info.status == "published" || info.status == "retired";
}

}  // namespace

std::vector<std::string> SearchTerms(std::string_view text) {
  std::vector<std::string> terms;
  std::string current;
  auto flush = [&] {
    if (!current.empty() && terms.size() < 10) terms.push_back(domain::Lower(current));
    current.clear();
  };
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) {
      current.push_back(static_cast<char>(c));
    } else {
      flush();
    }
  }
  flush();
  return terms;
}

Result<bool> FrameworkService::Allowed(store::Database& db, const Actor& actor,
                                       std::string_view action, const std::string& id,
                                       bool published) {
  Subject subject;
  subject.framework_id = id;
  subject.published = published;
  return kernel_.authorizer().Allowed(db, actor, action, subject);
}

SubjectOf FrameworkService::OfFramework(const std::string& id) {
  return [id](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto versions, store::ListVersions(db, id));
    if (versions.empty()) return std::optional<Subject>();
    Subject subject;
    subject.framework_id = id;
    return std::optional<Subject>(std::move(subject));
  };
}

SubjectOf FrameworkService::OfVersion(const std::string& id, int version) {
  return [id, version](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto info, store::FindVersion(db, id, version));
    if (!info) return std::optional<Subject>();
    Subject subject;
    subject.framework_id = id;
    return std::optional<Subject>(std::move(subject));
  };
}

Result<FrameworkRef> FrameworkService::Import(const Actor& actor, domain::Framework framework,
                                              std::string_view source) {
  // A tab pasted into a title, in a form or a file, is kept as a space.
  framework.title = domain::NameAsTyped(framework.title);
  for (auto& cluster : framework.clusters) {
    cluster.title = domain::NameAsTyped(cluster.title);
    for (auto& item : cluster.items) item.title = domain::NameAsTyped(item.title);
  }
  // The action depends on whether the framework exists; the body checks that it still
  // does (or still does not) inside the transaction.
  bool existed = false;
  {
    auto db = kernel_.pool().Acquire();
    PATHWAY_ASSIGN_OR_RETURN(auto versions, store::ListVersions(*db, framework.id));
    existed = !versions.empty();
  }
  Command command{existed ? "framework.import" : "framework.create", "framework", framework.id,
                  "No such framework"};
  command.audit_action = "framework.import";
  Subject subject;  // a new framework's id, or an existing one's: the policy decides on it
  subject.framework_id = framework.id;
  subject.new_framework = !existed;
  return kernel_.Execute(
      actor, command, Fixed(std::move(subject)), [&](Tx& tx) -> Result<FrameworkRef> {
        PATHWAY_ASSIGN_OR_RETURN(auto versions, store::ListVersions(tx.db(), framework.id));
        if (versions.empty() == existed) {
          return Error{ErrorCode::kConflict, "file",
                       "The framework changed while the file was read: try again"};
        }
        if (existed && versions.front().kind != domain::FrameworkKindName(framework.kind)) {
          return Error{
              ErrorCode::kConflict, "kind",
              fmt::format("This framework exists as a {} framework; the file says {}",
                          versions.front().kind, domain::FrameworkKindName(framework.kind))};
        }
        const auto problems = domain::ValidateFramework(framework);
        if (!problems.empty()) {
          std::string message = "The framework is not valid:";
          for (const auto& problem : problems) {
            message += "\n  " + problem.field + ": " + problem.message;
          }
          return Error::InvalidInput("file", message);
        }
        PATHWAY_ASSIGN_OR_RETURN(framework.version,
                                 store::NextVersionNumber(tx.db(), framework.id));
        PATHWAY_TRY(store::InsertFrameworkVersion(tx.db(), framework));
        std::string authored;
        if (!existed && actor.kind == Actor::Kind::kUser) {
          // A framework author's new framework becomes theirs to author; an administrator
          // needs no grant for it.
          Subject created;
          created.framework_id = framework.id;
          PATHWAY_ASSIGN_OR_RETURN(bool editable, kernel_.authorizer().Allowed(
                                                      tx.db(), actor, "framework.edit", created));
          if (!editable) {
            PATHWAY_ASSIGN_OR_RETURN(
                [[maybe_unused]] auto grant_id,
                store::InsertGrant(tx.db(), actor.user_id,
                                   std::string(domain::RoleName(domain::Role::kFrameworkAuthor)),
                                   framework.id));
            authored = "; its author granted the framework author role for it";
          }
        }
        tx.Describe(fmt::format("version {} from {}{}", framework.version, source, authored));
        tx.Emit("framework.imported", fmt::format("version {}", framework.version));
        if (framework.status == FrameworkStatus::kPublished) {
          tx.Emit("framework.published", fmt::format("version {}", framework.version));
        }
        return FrameworkRef{framework.id, framework.version};
      });
}

Result<std::vector<FrameworkSummary>> FrameworkService::List(const Actor& actor) {
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto all, store::ListAllVersions(*db));
  std::vector<FrameworkSummary> list;
  for (std::size_t i = 0; i < all.size();) {
    const std::string id = all[i].framework_id;
    FrameworkSummary summary;
    summary.id = id;
    summary.kind = all[i].kind;
    summary.title = all[i].title;
    const std::size_t first = i;
    std::optional<std::string> published_title;
    for (; i < all.size() && all[i].framework_id == id; ++i) {
      if (all[i].status == "published" && !summary.published_version) {
        summary.published_version = all[i].version;
        published_title = all[i].title;
      }
    }
    if (published_title) summary.title = *published_title;
    PATHWAY_ASSIGN_OR_RETURN(bool readable, Allowed(*db, actor, "framework.read", id,
                                                    summary.published_version.has_value()));
    PATHWAY_ASSIGN_OR_RETURN(bool editable, Allowed(*db, actor, "framework.edit", id, false));
    if (!(readable && summary.published_version) && !editable) continue;
    // The newest version this actor may open: a reader never learns that a draft exists.
    for (std::size_t v = first; v < i; ++v) {
      if (editable || Visible(all[v])) {
        summary.latest_version = all[v].version;
        summary.latest_status = all[v].status;
        break;
      }
    }
    list.push_back(std::move(summary));
  }
  std::sort(list.begin(), list.end(),
            [](const auto& a, const auto& b) { return a.title < b.title; });
  return list;
}

Result<std::vector<store::FrameworkVersionInfo>> FrameworkService::Versions(const Actor& actor,
                                                                            const std::string& id) {
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto versions, store::ListVersions(*db, id));
  PATHWAY_ASSIGN_OR_RETURN(bool editable, Allowed(*db, actor, "framework.edit", id, false));
  std::vector<store::FrameworkVersionInfo> visible;
  for (auto& info : versions) {
    PATHWAY_ASSIGN_OR_RETURN(bool readable,
                             Allowed(*db, actor, "framework.read", id, Visible(info)));
    if ((readable && Visible(info)) || editable) visible.push_back(std::move(info));
  }
  if (visible.empty()) return NotFound();
  return visible;
}

Result<domain::Framework> FrameworkService::Get(const Actor& actor, const std::string& id,
                                                std::optional<int> version) {
  PATHWAY_ASSIGN_OR_RETURN(auto versions, Versions(actor, id));
  const store::FrameworkVersionInfo* chosen = nullptr;
  for (const auto& info : versions) {
    if (version ? info.version == *version : info.status == "published") {
      chosen = &info;
      break;
    }
  }
  if (!chosen && !version) chosen = &versions.front();
  if (!chosen) return NotFound();
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto framework, store::LoadFrameworkVersion(*db, id, chosen->version));
  if (!framework) return NotFound();
  return std::move(*framework);
}

Status FrameworkService::Publish(const Actor& actor, const std::string& id, int version) {
  return kernel_.Execute(
      actor, {"framework.publish", "framework", id, "No such framework"}, OfVersion(id, version),
      [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(auto info, store::FindVersion(tx.db(), id, version));
        if (info->status != "draft") {
          return Error{ErrorCode::kConflict, "version", "Only a draft can be published"};
        }
        PATHWAY_ASSIGN_OR_RETURN(auto versions, store::ListVersions(tx.db(), id));
        if (const auto newer = PublishedSinceDraft(versions, version)) {
          return Error{ErrorCode::kConflict, "version",
                       fmt::format("Version {} was published after this draft was started, so "
                                   "publishing the draft would undo its changes. Compare the two "
                                   "versions, then start a fresh draft from version {} and make "
                                   "your edits again",
                                   *newer, *newer)};
        }
        PATHWAY_ASSIGN_OR_RETURN(auto framework, store::LoadFrameworkVersion(tx.db(), id, version));
        framework->status = FrameworkStatus::kPublished;
        const auto problems = domain::ValidateFramework(*framework);
        if (!problems.empty()) {
          return Error::InvalidInput("version",
                                     "Fix these before publishing: " + problems.front().message);
        }
        PATHWAY_TRY(store::SetVersionStatus(tx.db(), id, version, FrameworkStatus::kPublished));
        tx.Describe(fmt::format("version {}", version));
        tx.Emit("framework.published", fmt::format("version {}", version));
        return domain::Ok{};
      });
}

std::optional<int> PublishedSinceDraft(const std::vector<domain::FrameworkVersionInfo>& versions,
                                       int draft) {
  const auto it = std::find_if(versions.begin(), versions.end(),
                               [&](const auto& info) { return info.version == draft; });
  if (it == versions.end() || it->status != "draft") return std::nullopt;
  std::optional<int> newest;
  for (const auto& info : versions) {
    if (info.version == draft || info.status == "draft" || info.published_at.empty()) continue;
    if (info.version > draft || info.published_at > it->created_at) {
      newest = std::max(newest.value_or(0), info.version);
    }
  }
  return newest;
}

std::optional<int> DraftBase(const std::vector<domain::FrameworkVersionInfo>& versions, int draft) {
  std::optional<int> base;
  for (const auto& info : versions) {
    if (info.version < draft && info.status != "draft") {
      base = std::max(base.value_or(0), info.version);
    }
  }
  return base;
}

Status FrameworkService::Retire(const Actor& actor, const std::string& id, int version) {
  return kernel_.Execute(
      actor, {"framework.retire", "framework", id, "No such framework"}, OfVersion(id, version),
      [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(auto info, store::FindVersion(tx.db(), id, version));
        if (info->status != "published") {
          return Error{ErrorCode::kConflict, "version", "Only a published version can be retired"};
        }
        PATHWAY_TRY(store::SetVersionStatus(tx.db(), id, version, FrameworkStatus::kRetired));
        tx.Describe(fmt::format("version {}", version));
        tx.Emit("framework.retired", fmt::format("version {}", version));
        return domain::Ok{};
      });
}

Result<int> FrameworkService::NewDraft(const Actor& actor, const std::string& id) {
  Command command{"framework.edit", "framework", id, "No such framework"};
  return kernel_.Execute(actor, command, OfFramework(id), [&](Tx& tx) -> Result<int> {
    PATHWAY_ASSIGN_OR_RETURN(auto versions, store::ListVersions(tx.db(), id));
    for (const auto& info : versions) {
      if (info.status == "draft") {
        return Error{ErrorCode::kConflict, "version",
                     fmt::format("Version {} is already a draft: edit that one", info.version)};
      }
    }
    PATHWAY_ASSIGN_OR_RETURN(auto framework,
                             store::LoadFrameworkVersion(tx.db(), id, versions.front().version));
    framework->version = versions.front().version + 1;
    framework->status = FrameworkStatus::kDraft;
    // Replacements describe the step into the version that names them, not the next.
    for (auto& cluster : framework->clusters) {
      for (auto& item : cluster.items) item.replaces.clear();
    }
    PATHWAY_TRY(store::InsertFrameworkVersion(tx.db(), *framework));
    tx.Describe(fmt::format("new draft version {}", framework->version));
    tx.Emit("framework.draft_started", fmt::format("version {}", framework->version));
    return framework->version;
  });
}

Status FrameworkService::EditDraft(const Actor& actor, const std::string& id, int version,
                                   std::string_view what,
                                   const std::function<Status(domain::Framework&)>& edit) {
  return kernel_.Execute(
      actor, {"framework.edit", "framework", id, "No such framework"}, OfVersion(id, version),
      [&](Tx& tx) -> Status {
        PATHWAY_ASSIGN_OR_RETURN(auto info, store::FindVersion(tx.db(), id, version));
        if (info->status != "draft") {
          return Error{ErrorCode::kConflict, "version",
                       "A published version never changes: start a new draft"};
        }
        PATHWAY_ASSIGN_OR_RETURN(auto framework, store::LoadFrameworkVersion(tx.db(), id, version));
        PATHWAY_TRY(edit(*framework));
        const auto problems = domain::ValidateFramework(*framework);
        if (!problems.empty()) {
          return Error::InvalidInput(problems.front().field, problems.front().message);
        }
        PATHWAY_TRY(store::ReplaceDraft(tx.db(), *framework));
        tx.Describe(fmt::format("version {}: {}", version, what));
        return domain::Ok{};
      });
}

Result<std::string> FrameworkService::PublishedFingerprint(const Actor& actor) {
  auto db = kernel_.pool().Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, Allowed(*db, actor, "framework.read", "", true));
  if (!allowed) return NotFound();
  return store::PublishedVersionsFingerprint(*db);
}

bool FrameworkService::ChangesPublished(std::string_view event_name) {
  return event_name == "framework.published" || event_name == "framework.retired" ||
         event_name == "framework.crosswalk_added" || event_name == "framework.crosswalk_removed";
}

void FrameworkService::ForgetPublished() {
  std::lock_guard lock(published_mutex_);
  published_.reset();
  ++published_forgotten_;
}

Result<std::shared_ptr<const PublishedFrameworks>> FrameworkService::Published(const Actor& actor) {
  std::string fingerprint;
  {
    auto db = kernel_.pool().Acquire();
    PATHWAY_ASSIGN_OR_RETURN(bool allowed, Allowed(*db, actor, "framework.read", "", true));
    if (!allowed) return NotFound();
    PATHWAY_ASSIGN_OR_RETURN(fingerprint, store::PublishedVersionsFingerprint(*db));
  }
  const auto cached = [&]() -> std::shared_ptr<const PublishedFrameworks> {
    std::lock_guard lock(published_mutex_);
    if (published_ && published_fingerprint_ == fingerprint) return published_;
    return nullptr;
  };
  if (auto hit = cached()) return hit;
  std::lock_guard load(published_load_mutex_);
  if (auto hit = cached()) return hit;  // loaded while this one waited
  std::uint64_t forgotten = 0;
  {
    std::lock_guard lock(published_mutex_);
    forgotten = published_forgotten_;
  }
  auto loaded = std::make_shared<PublishedFrameworks>();
  {
    // The fingerprint was read before the load: a version published meanwhile changes
    // it, and the next request loads again.
    auto db = kernel_.pool().Acquire();
    PATHWAY_ASSIGN_OR_RETURN(auto all, store::ListAllVersions(*db));
    std::map<std::string, const domain::FrameworkVersionInfo*> newest;
    for (const auto& info : all) {
      if (info.status != "published") continue;
      auto& chosen = newest[info.framework_id];
      if (chosen == nullptr || info.version > chosen->version) chosen = &info;
    }
    for (const auto& [id, info] : newest) {
      PATHWAY_ASSIGN_OR_RETURN(auto framework, store::LoadFrameworkVersion(*db, id, info->version));
      if (!framework) continue;  // retired since the list was read
      loaded->frameworks.push_back({std::move(*framework), info->published_at});
    }
  }
  static std::atomic<std::uint64_t> next_generation{1};
  loaded->generation = next_generation.fetch_add(1);
  published_loads_.fetch_add(1);
  std::shared_ptr<const PublishedFrameworks> answer = std::move(loaded);
  std::lock_guard lock(published_mutex_);
  // Keep it unless it was forgotten while loading (then the next request loads again).
  if (published_forgotten_ == forgotten) {
    published_ = answer;
    published_fingerprint_ = fingerprint;
  }
  return answer;
}

Result<domain::FrameworkDiff> FrameworkService::Diff(const Actor& actor, const std::string& id,
                                                     int from, int to) {
  PATHWAY_ASSIGN_OR_RETURN(auto before, Get(actor, id, from));
  PATHWAY_ASSIGN_OR_RETURN(auto after, Get(actor, id, to));
  return domain::DiffFrameworks(before, after);
}

Result<std::vector<store::SearchHit>> FrameworkService::Search(const Actor& actor,
                                                               std::string_view text, int limit) {
  if (!actor.signed_in() && actor.kind != Actor::Kind::kSystem) {
    return Error{ErrorCode::kUnauthenticated, {}, "Sign in to continue"};
  }
  auto db = kernel_.pool().Acquire();
  // Everything indexed is a published version, which every signed-in role may read.
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, Allowed(*db, actor, "framework.read", "", true));
  if (!allowed) return NotFound();
  return store::SearchFrameworks(*db, SearchTerms(text), limit);
}

}  // namespace pathway::app
