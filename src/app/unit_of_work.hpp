// The use-case kernel: the one path every change of state takes, whatever its door (a
// page, the API or a command).
//
//   kernel.Execute(actor, command, subject_of, [&](Tx& tx) -> Result<T> { ... });
//
// 1. Opens one write transaction (BEGIN IMMEDIATE: the write lock is taken first, so
//    what the checks read is what the write changes).
// 2. Finds the subject inside it (`subject_of`) and asks the policy whether `actor` may
//    do `command.action` to it. A missing subject and a refusal answer the same
//    kNotFound (outside one's scope looks like nothing there); a refusal is rolled back
//    and audited in a transaction of its own.
// 3. Runs the use case's body with the transaction: its state-dependent checks and its
//    writes. An error from the body rolls everything back; a refused input (kInvalidInput,
//    kConflict) is audited as a failure naming the field, never the value.
// 4. Appends the audit event and the body's domain events, and logs the people the body
//    changed to the workforce change log, in the same transaction; then commits.
// 5. After the commit, tells the listeners (the engine) what changed.
//
// Reads of a person's record by someone else go through Read(): the same authorise step,
// and an audit event per read, written in batches (at most one transaction a second).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <tuple>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "app/clock.hpp"
#include "app/policy.hpp"
#include "domain/result.hpp"
#include "domain/workforce.hpp"

namespace pathway::store {
class ConnectionPool;
class Database;
}  // namespace pathway::store

namespace pathway::app {

using domain::Result;
using domain::Status;

// What a use case does, as the policy and the audit trail name it.
struct Command {
  // How the kernel decides whether the actor may do it.
  enum class Guard {
    kPolicy,          // the access policy, for `action` on the subject (the default)
    kAuthentication,  // none: the body itself authenticates (signing in, a session)
  };
  Command(std::string action, std::string object_type = {}, std::string object_id = {},
          std::string not_found = "Page not found")
      : action(std::move(action)),
        object_type(std::move(object_type)),
        object_id(std::move(object_id)),
        not_found(std::move(not_found)) {}

  std::string action;       // the policy's action and the audit event's: "framework.publish"
  std::string object_type;  // the audit event's object: "framework"
  std::string object_id;    // "cscf"; the body may set it once known (Tx::SetObjectId)
  // The message of the kNotFound answered for a missing subject or a refusal.
  std::string not_found = "Page not found";
  // Whether a refusal answers kNotFound with `not_found` (objects outside one's scope look
  // like nothing there) or, for actions on no object such as an import, kForbidden with
  // `forbidden`.
  std::optional<std::string> forbidden;
  Guard guard = Guard::kPolicy;
  // Whether a refused input (kInvalidInput, kConflict from the body) is audited.
  bool audit_failures = true;
  std::string audit_action;  // the audit event's action when it differs; empty: `action`

  const std::string& AuditAction() const { return audit_action.empty() ? action : audit_action; }
};

// Finds the subject of a command inside its transaction: nullopt when the object does
// not exist (answered as kNotFound, like a refusal).
using SubjectOf = std::function<Result<std::optional<Subject>>(store::Database&)>;

// A subject that needs no lookup: an action on no object, or one already known.
SubjectOf Fixed(Subject subject = {});
// A person's record, with the department and profession the policy scopes by; nullopt
// when there is no such person.
SubjectOf OfPerson(std::int64_t person_id);

// A domain event: something that happened, in the users' words ("framework.published").
struct DomainEvent {
  std::string name;
  std::string object_type;
  std::string object_id;
  std::string detail;
};

// What a committed unit of work changed, as the listeners see it.
struct Committed {
  std::string action;
  std::vector<DomainEvent> events;
  std::vector<std::int64_t> people;  // people whose records or assessments changed
  bool workforce = false;            // anything else in the workforce changed
};

// The transaction a use case's body runs in. Not thread-safe; lives for one Execute.
class Tx {
 public:
  store::Database& db() const { return db_; }
  const Actor& actor() const { return actor_; }
  // The time the unit of work started, UTC ISO 8601 with milliseconds.
  const std::string& now() const { return now_; }
  const Clock& clock() const { return clock_; }

  // The success event's detail ("version 3"); empty unless set. Never secrets.
  void Describe(std::string detail) { detail_ = std::move(detail); }
  // The audit event's object id, when the body learns it (an inserted row's id).
  void SetObjectId(std::string id) { object_id_ = std::move(id); }
  // Records a domain event about the command's object, or about another object.
  void Emit(std::string name, std::string detail = {});
  void Emit(DomainEvent event) { events_.push_back(std::move(event)); }
  // Logs people (store ids) whose records or assessments changed, so that the engine
  // reloads them alone.
  void PeopleChanged(std::span<const std::int64_t> person_ids);
  // The same for people named by external id, looked up after the body's writes.
  void PeopleChanged(std::span<const domain::Person> people);
  // Logs a change the engine must reload everything for (reference data, posts, roles).
  void WorkforceChanged() { workforce_ = true; }

 private:
  friend class UnitOfWork;
  Tx(store::Database& db, const Actor& actor, const Clock& clock, const Command& command);

  store::Database& db_;
  const Actor& actor_;
  const Clock& clock_;
  std::string now_;
  std::string detail_;
  std::string object_id_;
  std::vector<DomainEvent> events_;
  std::vector<std::int64_t> people_;
  std::vector<domain::Person> people_by_external_id_;
  bool workforce_ = false;
};

// Thread-safe: each call leases its own connection from the pool.
class UnitOfWork {
 public:
  UnitOfWork(store::ConnectionPool& pool, const Authorizer& authorizer, const Clock& clock);
  // Writes the read audits still waiting.
  ~UnitOfWork();
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

  // Runs one change of state (see the top of this file). Returns the body's result, or
  // the error that stopped it; nothing is written unless the body succeeds and the
  // commit does.
  template <typename Body>
  auto Execute(const Actor& actor, const Command& command, const SubjectOf& subject_of, Body&& body)
      -> std::invoke_result_t<Body&, Tx&> {
    using R = std::invoke_result_t<Body&, Tx&>;
    std::optional<R> result;
    Status status = Run(actor, command, subject_of, [&](Tx& tx) -> Status {
      result.emplace(body(tx));
      if (!result->ok()) return result->error();
      return domain::Ok{};
    });
    if (!status.ok()) return std::move(status).error();
    return std::move(*result);
  }

  // Runs a read of another person's record: authorises `command.action` on the subject
  // like Execute (kNotFound, audited, when refused), runs the body on a connection of its
  // own, and, when the subject is a person other than the actor, queues an audit event of
  // the read ("success"), written with others within a second.
  template <typename Body>
  auto Read(const Actor& actor, const Command& command, const SubjectOf& subject_of, Body&& body)
      -> std::invoke_result_t<Body&, store::Database&> {
    using R = std::invoke_result_t<Body&, store::Database&>;
    std::optional<R> result;
    Status status = RunRead(actor, command, subject_of, [&](store::Database& db) -> Status {
      result.emplace(body(db));
      if (!result->ok()) return result->error();
      return domain::Ok{};
    });
    if (!status.ok()) return std::move(status).error();
    return std::move(*result);
  }

  // Records that `actor` was refused `command` (in a transaction of its own on `db`, the
  // caller's connection) and returns the error to answer: kNotFound with
  // `command.not_found`, or kForbidden when `command.forbidden` is set. For use cases that
  // decide a refusal themselves (a list the actor has no scope for).
  domain::Error Refuse(store::Database& db, const Actor& actor, const Command& command);

  // Queues an audit event of a read of other people's records that the use case
  // authorised itself (a list or a ranking within the actor's scope), written with the
  // other reads within a second. `detail` says what was read ("42 people"), never values.
  void RecordRead(const Actor& actor, const Command& command, std::string detail = {});

  // Counts a refusal that is noise rather than an event of its own (an unknown session
  // cookie, a bad API token, a missing or wrong CSRF token): the audit trail gets one
  // "refused" event per source address, action and detail per flush (at most one a
  // second), carrying how many there were, written with the read audits. No transaction
  // per refusal.
  void RecordNoise(const Actor& actor, std::string action, std::string detail);
  // Refusals counted by RecordNoise since start, by action and detail (for /metrics).
  std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>> NoiseTotals();

  // Calls `listener` after every commit, on the committing thread. Register listeners
  // before the first Execute (at start, in the composition root); they must be quick and
  // must not throw.
  void OnCommitted(std::function<void(const Committed&)> listener);

  // Writes the queued read audits now (tests, and shutdown).
  void FlushReadAudits();

  const Authorizer& authorizer() const { return authorizer_; }
  const Clock& clock() const { return clock_; }
  store::ConnectionPool& pool() const { return pool_; }

 private:
  Status Run(const Actor& actor, const Command& command, const SubjectOf& subject_of,
             const std::function<Status(Tx&)>& body);
  Status RunRead(const Actor& actor, const Command& command, const SubjectOf& subject_of,
                 const std::function<Status(store::Database&)>& body);
  void FlushLoop();

  store::ConnectionPool& pool_;
  const Authorizer& authorizer_;
  const Clock& clock_;
  std::vector<std::function<void(const Committed&)>> listeners_;

  struct PendingRead {
    std::string occurred_at;
    std::optional<std::int64_t> actor_user_id;
    std::string actor;
    std::string action;
    std::string object_type;
    std::string object_id;
    std::string detail;
    std::string request_id;
    std::string source_address;
  };
  std::mutex reads_mutex_;
  std::condition_variable reads_wake_;
  std::vector<PendingRead> reads_;
  struct NoiseCount {
    std::int64_t count = 0;
    PendingRead first;  // the first of them, for time, request id and actor
  };
  // (source address, action, detail) -> refusals since the last flush.
  std::map<std::tuple<std::string, std::string, std::string>, NoiseCount> noise_;
  std::map<std::pair<std::string, std::string>, std::int64_t> noise_totals_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace pathway::app
