// The audit trail: an append-only table whose rows form a hash chain, so that a row
// changed or removed behind the application's back is detected by VerifyAuditChain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

struct AuditEvent {
  std::string occurred_at;                    // UTC, ISO 8601 with milliseconds
  std::optional<std::int64_t> actor_user_id;  // none for anonymous and system actors
  std::string actor;                          // the actor's email, "system" (CLI) or "anonymous"
  std::string action;                         // e.g. "sign-in", "user.create", "role.grant"
  std::string object_type;                    // e.g. "user"; empty if none
  std::string object_id;
  std::string outcome;  // "success", "failure" or "refused"
  std::string detail;   // short, never secrets or passwords
  std::string request_id;
  std::string source_address;
};

struct AuditRecord {
  std::int64_t seq = 0;
  AuditEvent event;
  std::string hash;
};

// Appends one event. Call inside the write transaction of the change it records, so
// that both are kept or neither. The row's hash covers its fields and the previous
// row's hash.
Status AppendAudit(Database& db, const AuditEvent& event);

struct AuditChainReport {
  std::int64_t rows = 0;
  // The first row whose hash does not match its contents or whose predecessor is
  // missing; none when the chain is intact.
  std::optional<std::int64_t> first_broken_seq;
  std::string problem;
};

// Recomputes every hash in order. Reading only; not an error if the table is empty.
Result<AuditChainReport> VerifyAuditChain(Database& db);

struct AuditQuery {
  std::string actor;        // substring of the actor, case-insensitive
  std::string action;       // exact
  std::string object_type;  // exact
  std::string object_id;    // exact
  std::string outcome;      // exact
  std::string from;         // occurred_at >= from (ISO date or date-time)
  std::string to;           // occurred_at < to
  int limit = 50;
  int offset = 0;
};

// Newest first. Empty fields of the query do not filter.
Result<std::vector<AuditRecord>> SearchAudit(Database& db, const AuditQuery& query);
Result<std::int64_t> CountAudit(Database& db, const AuditQuery& query);

}  // namespace pathway::store
