#include "app/unit_of_work.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/domain_events.hpp"
#include "store/workforce_change.hpp"
#include "store/workforce_read.hpp"

namespace pathway::app {

using domain::Error;
using domain::ErrorCode;

namespace {

// Read audits wait at most this long, or until this many are queued.
constexpr auto kReadAuditDelay = std::chrono::seconds(1);
constexpr std::size_t kReadAuditBatch = 256;

store::AuditEvent EventOf(const Actor& actor, std::string occurred_at, std::string_view action,
                          std::string_view object_type, std::string_view object_id,
                          std::string_view outcome, std::string_view detail) {
  store::AuditEvent event;
  event.occurred_at = std::move(occurred_at);
  if (actor.kind == Actor::Kind::kUser) event.actor_user_id = actor.user_id;
  event.actor = actor.AuditName();
  event.action = action;
  event.object_type = object_type;
  event.object_id = object_id;
  event.outcome = outcome;
  event.detail = detail;
  event.request_id = actor.request_id;
  event.source_address = actor.source_address;
  return event;
}

// Audits a refused input in a transaction of its own, naming the field and the rule,
// never the refused value (it may be a password). Best effort: the error stands either way.
void AuditFailure(store::Database& db, const Clock& clock, const Actor& actor,
                  const Command& command, const Error& error) {
  auto tx = store::Transaction::Begin(db);
  const std::string detail =
      error.field.empty() ? error.message : fmt::format("{}: {}", error.field, error.message);
  if (tx.ok() &&
      store::AppendAudit(db, EventOf(actor, clock.NowIso(), command.AuditAction(),
                                     command.object_type, command.object_id, "failure", detail))
          .ok()) {
    (void)tx->Commit();
  }
}

// Records the refusal in a transaction of its own on `db` and returns the kNotFound to
// answer. Best effort: the refusal stands either way.
Error RefuseAndAudit(store::Database& db, const Clock& clock, const Actor& actor,
                     std::string_view action, std::string_view object_type,
                     std::string_view object_id, std::string message) {
  store::AuditEvent event;
  event.occurred_at = clock.NowIso();
  if (actor.kind == Actor::Kind::kUser) event.actor_user_id = actor.user_id;
  event.actor = actor.AuditName();
  event.action = action;
  event.object_type = object_type;
  event.object_id = object_id;
  event.outcome = "refused";
  event.request_id = actor.request_id;
  event.source_address = actor.source_address;
  auto tx = store::Transaction::Begin(db);
  if (tx.ok() && store::AppendAudit(db, event).ok()) (void)tx->Commit();
  return domain::Error::NotFound(std::move(message));
}

}  // namespace

SubjectOf Fixed(Subject subject) {
  return [subject = std::move(subject)](store::Database&) -> Result<std::optional<Subject>> {
    return std::optional<Subject>(subject);
  };
}

SubjectOf OfPerson(std::int64_t person_id) {
  return [person_id](store::Database& db) -> Result<std::optional<Subject>> {
    PATHWAY_ASSIGN_OR_RETURN(auto keys, store::FindPersonScopeKeys(db, person_id));
    if (!keys) return std::optional<Subject>();
    Subject subject;
    subject.person_id = person_id;
    subject.department = keys->department;
    subject.profession = keys->profession;
    return std::optional<Subject>(std::move(subject));
  };
}

Tx::Tx(store::Database& db, const Actor& actor, const Clock& clock, const Command& command)
    : db_(db), actor_(actor), clock_(clock), now_(clock.NowIso()), object_id_(command.object_id) {}

void Tx::Emit(std::string name, std::string detail) {
  events_.push_back(DomainEvent{std::move(name), {}, {}, std::move(detail)});
}

void Tx::PeopleChanged(std::span<const std::int64_t> person_ids) {
  people_.insert(people_.end(), person_ids.begin(), person_ids.end());
}

void Tx::PeopleChanged(std::span<const domain::Person> people) {
  people_by_external_id_.insert(people_by_external_id_.end(), people.begin(), people.end());
}

UnitOfWork::UnitOfWork(store::ConnectionPool& pool, const Authorizer& authorizer,
                       const Clock& clock)
    : pool_(pool), authorizer_(authorizer), clock_(clock), flusher_([this] { FlushLoop(); }) {}

UnitOfWork::~UnitOfWork() {
  {
    std::lock_guard lock(reads_mutex_);
    stopping_ = true;
  }
  reads_wake_.notify_all();
  flusher_.join();
  FlushReadAudits();
}

Error UnitOfWork::Refuse(store::Database& db, const Actor& actor, const Command& command) {
  Error refusal = RefuseAndAudit(db, clock_, actor, command.AuditAction(), command.object_type,
                                 command.object_id, command.not_found);
  if (command.forbidden) return Error{ErrorCode::kForbidden, {}, *command.forbidden};
  return refusal;
}

void UnitOfWork::OnCommitted(std::function<void(const Committed&)> listener) {
  listeners_.push_back(std::move(listener));
}

Status UnitOfWork::Run(const Actor& actor, const Command& command, const SubjectOf& subject_of,
                       const std::function<Status(Tx&)>& body) {
  auto db = pool_.Acquire();
  std::optional<store::Transaction> transaction;
  {
    PATHWAY_ASSIGN_OR_RETURN(auto begun, store::Transaction::Begin(*db));
    transaction.emplace(std::move(begun));
  }
  if (command.guard == Command::Guard::kPolicy) {
    PATHWAY_ASSIGN_OR_RETURN(auto subject, subject_of(*db));
    bool allowed = false;
    if (subject) {
      PATHWAY_ASSIGN_OR_RETURN(allowed, authorizer_.Allowed(*db, actor, command.action, *subject));
    }
    if (!allowed) {
      transaction.reset();  // roll back before the refusal's own transaction
      Error refusal = RefuseAndAudit(*db, clock_, actor, command.AuditAction(), command.object_type,
                                     command.object_id, command.not_found);
      if (command.forbidden) return Error{ErrorCode::kForbidden, {}, *command.forbidden};
      return refusal;
    }
  }

  Tx tx(*db, actor, clock_, command);
  if (Status done = body(tx); !done.ok()) {
    transaction.reset();
    const Error& error = done.error();
    if (command.audit_failures &&
        (error.code == ErrorCode::kInvalidInput || error.code == ErrorCode::kConflict)) {
      AuditFailure(*db, clock_, actor, command, error);
    }
    return done;
  }

  PATHWAY_TRY(
      store::AppendAudit(*db, EventOf(actor, tx.now_, command.AuditAction(), command.object_type,
                                      tx.object_id_, "success", tx.detail_)));
  Committed committed;
  committed.action = command.action;
  for (auto& event : tx.events_) {
    if (event.object_type.empty()) {
      event.object_type = command.object_type;
      event.object_id = tx.object_id_;
    }
    store::DomainEventRecord record;
    record.occurred_at = tx.now_;
    record.name = event.name;
    record.object_type = event.object_type;
    record.object_id = event.object_id;
    if (actor.kind == Actor::Kind::kUser) record.actor_user_id = actor.user_id;
    record.detail = event.detail;
    PATHWAY_TRY(store::AppendDomainEvent(*db, record));
  }
  if (tx.workforce_) {
    PATHWAY_TRY(store::BumpWorkforceGeneration(*db));
  } else {
    if (!tx.people_.empty()) {
      PATHWAY_TRY(
          store::BumpWorkforceGenerationForPeople(*db, std::span<const std::int64_t>(tx.people_)));
    }
    if (!tx.people_by_external_id_.empty()) {
      PATHWAY_TRY(store::BumpWorkforceGenerationForPeople(
          *db, std::span<const domain::Person>(tx.people_by_external_id_)));
    }
  }
  PATHWAY_TRY(transaction->Commit());

  committed.events = std::move(tx.events_);
  committed.people = std::move(tx.people_);
  committed.workforce = tx.workforce_ || !tx.people_by_external_id_.empty();
  for (const auto& listener : listeners_) listener(committed);
  return domain::Ok{};
}

Status UnitOfWork::RunRead(const Actor& actor, const Command& command, const SubjectOf& subject_of,
                           const std::function<Status(store::Database&)>& body) {
  auto db = pool_.Acquire();
  PATHWAY_ASSIGN_OR_RETURN(auto subject, subject_of(*db));
  bool allowed = false;
  if (subject) {
    PATHWAY_ASSIGN_OR_RETURN(allowed, authorizer_.Allowed(*db, actor, command.action, *subject));
  }
  if (!allowed) {
    return Refuse(*db, actor, command);
  }
  PATHWAY_TRY(body(*db));
  const bool someone_else =
      subject->person_id && (!actor.person_id || *actor.person_id != *subject->person_id);
  if (someone_else) RecordRead(actor, command);
  return domain::Ok{};
}

void UnitOfWork::RecordRead(const Actor& actor, const Command& command, std::string detail) {
  PendingRead read;
  read.occurred_at = clock_.NowIso();
  if (actor.kind == Actor::Kind::kUser) read.actor_user_id = actor.user_id;
  read.actor = actor.AuditName();
  read.action = command.AuditAction();
  read.object_type = command.object_type;
  read.object_id = command.object_id;
  read.detail = std::move(detail);
  read.request_id = actor.request_id;
  read.source_address = actor.source_address;
  bool full = false;
  {
    std::lock_guard lock(reads_mutex_);
    reads_.push_back(std::move(read));
    full = reads_.size() >= kReadAuditBatch;
  }
  if (full) reads_wake_.notify_all();
}

void UnitOfWork::RecordNoise(const Actor& actor, std::string action, std::string detail) {
  std::lock_guard lock(reads_mutex_);
  // The totals keep few keys, whatever the details sent: the CSRF refusals name paths.
  std::pair<std::string, std::string> total_key{action, action == "csrf" ? "" : detail};
  if (!noise_totals_.contains(total_key) && noise_totals_.size() >= 64) total_key = {"other", ""};
  ++noise_totals_[total_key];
  NoiseCount& entry = noise_[{actor.source_address, action, detail}];
  if (entry.count++ == 0) {
    entry.first.occurred_at = clock_.NowIso();
    if (actor.kind == Actor::Kind::kUser) entry.first.actor_user_id = actor.user_id;
    entry.first.actor = actor.AuditName();
    entry.first.action = std::move(action);
    entry.first.detail = std::move(detail);
    entry.first.request_id = actor.request_id;
    entry.first.source_address = actor.source_address;
  }
}

std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>> UnitOfWork::NoiseTotals() {
  std::lock_guard lock(reads_mutex_);
  return {noise_totals_.begin(), noise_totals_.end()};
}

void UnitOfWork::FlushLoop() {
  std::unique_lock lock(reads_mutex_);
  while (!stopping_) {
    reads_wake_.wait_for(lock, kReadAuditDelay,
                         [this] { return stopping_ || reads_.size() >= kReadAuditBatch; });
    if (reads_.empty() && noise_.empty()) continue;
    lock.unlock();
    FlushReadAudits();
    lock.lock();
  }
}

void UnitOfWork::FlushReadAudits() {
  std::vector<PendingRead> reads;
  std::vector<PendingRead> refusals;
  {
    std::lock_guard lock(reads_mutex_);
    reads.swap(reads_);
    for (auto& [key, entry] : noise_) {
      PendingRead refusal = std::move(entry.first);
      if (entry.count > 1) {
        refusal.detail += fmt::format(" ({} requests from this address since {})", entry.count,
                                      refusal.occurred_at);
      }
      refusals.push_back(std::move(refusal));
    }
    noise_.clear();
  }
  if (reads.empty() && refusals.empty()) return;
  auto db = pool_.Acquire();
  auto tx = store::Transaction::Begin(*db);
  Status written = tx.ok() ? Status(domain::Ok{}) : Status(tx.error());
  for (const auto& read : reads) {
    if (!written.ok()) break;
    store::AuditEvent event;
    event.occurred_at = read.occurred_at;
    event.actor_user_id = read.actor_user_id;
    event.actor = read.actor;
    event.action = read.action;
    event.object_type = read.object_type;
    event.object_id = read.object_id;
    event.outcome = "success";
    event.detail = read.detail;
    event.request_id = read.request_id;
    event.source_address = read.source_address;
    written = store::AppendAudit(*db, event);
  }
  for (const auto& refusal : refusals) {
    if (!written.ok()) break;
    store::AuditEvent event;
    event.occurred_at = refusal.occurred_at;
    event.actor_user_id = refusal.actor_user_id;
    event.actor = refusal.actor;
    event.action = refusal.action;
    event.outcome = "refused";
    event.detail = refusal.detail;
    event.request_id = refusal.request_id;
    event.source_address = refusal.source_address;
    written = store::AppendAudit(*db, event);
  }
  if (written.ok()) written = tx->Commit();
  if (!written.ok()) {
    spdlog::error("Could not write {} read audit events: {}", reads.size(),
                  written.error().message);
  }
}

}  // namespace pathway::app
