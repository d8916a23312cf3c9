// The workforce change counter (migration 7): one number that grows with every committed
// write to the workforce, so that a server can tell cheaply whether its in-memory index
// (engine/) is behind the database, whichever process wrote. Writers call
// BumpWorkforceGeneration inside their write transaction; readers compare
// WorkforceGeneration with the generation their index was loaded at.
#pragma once

#include <cstdint>

#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

// Adds one to the generation. Call it inside the transaction of every write to people,
// posts, role levels and their requirements, assessments, person professions,
// departments, locations and professions, so that the bump commits (or rolls back) with
// the write. One UPDATE per transaction, not per row: call it once per batch.
Status BumpWorkforceGeneration(Database& db);

// The current generation: 1 on a new database, growing by one per bump. One indexed
// read of a one-row table. kUnavailable if SQLite fails (for example before migration 7).
Result<std::int64_t> WorkforceGeneration(Database& db);

}  // namespace pathway::store
