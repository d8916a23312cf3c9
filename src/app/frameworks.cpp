#include "app/frameworks.hpp"

#include <fmt/format.h>

#include "domain/text.hpp"
#include "store/audit.hpp"

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
  return authorizer_.Allowed(db, actor, action, subject);
}

Status FrameworkService::Audit(store::Database& db, const Actor& actor, std::string_view action,
                               const std::string& object_id, std::string_view outcome,
                               std::string_view detail) {
  store::AuditEvent event;
  event.occurred_at = clock_.NowIso();
  if (actor.kind == Actor::Kind::kUser) event.actor_user_id = actor.user_id;
  event.actor = actor.AuditName();
  event.action = action;
  event.object_type = "framework";
  event.object_id = object_id;
  event.outcome = outcome;
  event.detail = detail;
  event.request_id = actor.request_id;
  event.source_address = actor.source_address;
  return store::AppendAudit(db, event);
}

Result<FrameworkRef> FrameworkService::Import(const Actor& actor, domain::Framework framework,
                                              std::string_view source) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto versions, store::ListVersions(*db, framework.id));
  const bool exists = !versions.empty();
  PATHWAY_ASSIGN_OR_RETURN(
      bool allowed,
      Allowed(*db, actor, exists ? "framework.edit" : "framework.create", framework.id, false));
  if (!allowed) {
    auto tx = store::Transaction::Begin(*db);
    if (tx.ok() && Audit(*db, actor, "framework.import", framework.id, "refused", source).ok()) {
      (void)tx->Commit();
    }
    return NotFound();
  }
  if (exists && versions.front().kind != domain::FrameworkKindName(framework.kind)) {
    return Error{ErrorCode::kConflict, "kind",
                 fmt::format("This framework exists as a {} framework; the file says {}",
                             versions.front().kind, domain::FrameworkKindName(framework.kind))};
  }
  const auto problems = domain::ValidateFramework(framework);
  if (!problems.empty()) {
    std::string message = "The framework is not valid:";
    for (const auto& problem : problems) message += "\n  " + problem.field + ": " + problem.message;
    return Error::InvalidInput("file", message);
  }
  PATHWAY_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(*db));
  PATHWAY_ASSIGN_OR_RETURN(framework.version, store::NextVersionNumber(*db, framework.id));
  PATHWAY_TRY(store::InsertFrameworkVersion(*db, framework));
  PATHWAY_TRY(Audit(*db, actor, "framework.import", framework.id, "success",
                    fmt::format("version {} from {}", framework.version, source)));
  PATHWAY_TRY(tx.Commit());
  return FrameworkRef{framework.id, framework.version};
}

Result<std::vector<FrameworkSummary>> FrameworkService::List(const Actor& actor) {
  auto db = pool_.Acquire();
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
  auto db = pool_.Acquire();
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
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto framework, store::LoadFrameworkVersion(*db, id, chosen->version));
  if (!framework) return NotFound();
  return std::move(*framework);
}

Status FrameworkService::Publish(const Actor& actor, const std::string& id, int version) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, Allowed(*db, actor, "framework.publish", id, false));
  PATHWAY_ASSIGN_OR_RETURN(auto info, store::FindVersion(*db, id, version));
  if (!allowed || !info) {
    auto tx = store::Transaction::Begin(*db);
    if (tx.ok() && Audit(*db, actor, "framework.publish", id, "refused", "").ok())
      (void)tx->Commit();
    return NotFound();
  }
  if (info->status != "draft") {
    return Error{ErrorCode::kConflict, "version", "Only a draft can be published"};
  }
  PATHWAY_ASSIGN_OR_RETURN(auto framework, store::LoadFrameworkVersion(*db, id, version));
  framework->status = FrameworkStatus::kPublished;
  const auto problems = domain::ValidateFramework(*framework);
  if (!problems.empty()) {
    return Error::InvalidInput("version",
                               "Fix these before publishing: " + problems.front().message);
  }
  PATHWAY_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(*db));
  PATHWAY_TRY(store::SetVersionStatus(*db, id, version, FrameworkStatus::kPublished));
  PATHWAY_TRY(
      Audit(*db, actor, "framework.publish", id, "success", fmt::format("version {}", version)));
  return tx.Commit();
}

Status FrameworkService::Retire(const Actor& actor, const std::string& id, int version) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, Allowed(*db, actor, "framework.retire", id, false));
  PATHWAY_ASSIGN_OR_RETURN(auto info, store::FindVersion(*db, id, version));
  if (!allowed || !info) {
    auto tx = store::Transaction::Begin(*db);
    if (tx.ok() && Audit(*db, actor, "framework.retire", id, "refused", "").ok())
      (void)tx->Commit();
    return NotFound();
  }
  if (info->status != "published") {
    return Error{ErrorCode::kConflict, "version", "Only a published version can be retired"};
  }
  PATHWAY_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(*db));
  PATHWAY_TRY(store::SetVersionStatus(*db, id, version, FrameworkStatus::kRetired));
  PATHWAY_TRY(
      Audit(*db, actor, "framework.retire", id, "success", fmt::format("version {}", version)));
  return tx.Commit();
}

Result<int> FrameworkService::NewDraft(const Actor& actor, const std::string& id) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, Allowed(*db, actor, "framework.edit", id, false));
  PATHWAY_ASSIGN_OR_RETURN(auto versions, store::ListVersions(*db, id));
  if (!allowed || versions.empty()) {
    auto tx = store::Transaction::Begin(*db);
    if (tx.ok() && Audit(*db, actor, "framework.edit", id, "refused", "new draft").ok()) {
      (void)tx->Commit();
    }
    return NotFound();
  }
  for (const auto& info : versions) {
    if (info.status == "draft") {
      return Error{ErrorCode::kConflict, "version",
                   fmt::format("Version {} is already a draft: edit that one", info.version)};
    }
  }
  PATHWAY_ASSIGN_OR_RETURN(auto framework,
                           store::LoadFrameworkVersion(*db, id, versions.front().version));
  PATHWAY_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(*db));
  framework->version = versions.front().version + 1;
  framework->status = FrameworkStatus::kDraft;
  PATHWAY_TRY(store::InsertFrameworkVersion(*db, *framework));
  PATHWAY_TRY(Audit(*db, actor, "framework.edit", id, "success",
                    fmt::format("new draft version {}", framework->version)));
  PATHWAY_TRY(tx.Commit());
  return framework->version;
}

Status FrameworkService::EditDraft(const Actor& actor, const std::string& id, int version,
                                   std::string_view what,
                                   const std::function<Status(domain::Framework&)>& edit) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, Allowed(*db, actor, "framework.edit", id, false));
  PATHWAY_ASSIGN_OR_RETURN(auto info, store::FindVersion(*db, id, version));
  if (!allowed || !info) {
    auto tx = store::Transaction::Begin(*db);
    if (tx.ok() && Audit(*db, actor, "framework.edit", id, "refused", what).ok())
      (void)tx->Commit();
    return NotFound();
  }
  if (info->status != "draft") {
    return Error{ErrorCode::kConflict, "version",
                 "A published version never changes: start a new draft"};
  }
  PATHWAY_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(*db));
  PATHWAY_ASSIGN_OR_RETURN(auto framework, store::LoadFrameworkVersion(*db, id, version));
  PATHWAY_TRY(edit(*framework));
  const auto problems = domain::ValidateFramework(*framework);
  if (!problems.empty())
    return Error::InvalidInput(problems.front().field, problems.front().message);
  PATHWAY_TRY(store::ReplaceDraft(*db, *framework));
  PATHWAY_TRY(Audit(*db, actor, "framework.edit", id, "success",
                    fmt::format("version {}: {}", version, what)));
  return tx.Commit();
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
  auto db = pool_.Acquire();
  // Everything indexed is a published version, which every signed-in role may read.
  PATHWAY_ASSIGN_OR_RETURN(bool allowed, Allowed(*db, actor, "framework.read", "", true));
  if (!allowed) return NotFound();
  return store::SearchFrameworks(*db, SearchTerms(text), limit);
}

}  // namespace pathway::app
