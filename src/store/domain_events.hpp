// Domain events: what happened, in the users' words (`framework.published`,
// `role.granted`, later `assessment.confirmed`, `review.signed`), appended by the use-case
// kernel in the transaction of the change that caused them. Append-only: the database
// refuses updates and deletes. Other parts of Pathway (notifications, the engine, other
// HR systems) read them in order of `seq`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

struct DomainEventRecord {
  std::int64_t seq = 0;                       // set by the store
  std::string occurred_at;                    // UTC, ISO 8601 with milliseconds
  std::string name;                           // e.g. "framework.published"
  std::string object_type;                    // e.g. "framework"
  std::string object_id;                      // e.g. "cscf"
  std::optional<std::int64_t> actor_user_id;  // none for the system
  std::string detail;                         // short, never personal data beyond ids
};

// Appends one event. Call inside the write transaction of the change it records.
Status AppendDomainEvent(Database& db, const DomainEventRecord& event);

// Events with seq > `after`, oldest first, at most `limit`. Not an error if there are none.
Result<std::vector<DomainEventRecord>> DomainEventsAfter(Database& db, std::int64_t after,
                                                         int limit);

}  // namespace pathway::store
