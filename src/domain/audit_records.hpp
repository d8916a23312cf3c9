// The audit trail's events, records, queries and verification report (store/audit.hpp keeps them),
// named here so that use cases and pages use them without seeing the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/result.hpp"

namespace pathway::domain {

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

struct AuditChainReport {
  std::int64_t rows = 0;
  // The first row whose hash does not match its contents or whose predecessor is
  // missing; none when the chain is intact.
  std::optional<std::int64_t> first_broken_seq;
  std::string problem;
  std::optional<std::int64_t> keyed_from;  // the first row hashed with the key
  std::int64_t last_seq = 0;               // the last row checked intact, and its hash
  std::string last_hash;
};

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

}  // namespace pathway::domain
