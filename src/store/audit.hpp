// The audit trail: an append-only table whose rows form a hash chain, so that a row
// changed or removed behind the application's back is detected by VerifyAuditChain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/audit_records.hpp"
#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::store {

// The value types these functions take and answer live in domain/audit_records.hpp.
using domain::AuditChainReport;
using domain::AuditEvent;
using domain::AuditQuery;
using domain::AuditRecord;

// Appends one event. Call inside the write transaction of the change it records, so
// that both are kept or neither. The row's hash covers its fields and the previous
// row's hash.
Status AppendAudit(Database& db, const AuditEvent& event);

// Recomputes every hash in order. Reading only; not an error if the table is empty.
Result<AuditChainReport> VerifyAuditChain(Database& db);

// Newest first. Empty fields of the query do not filter.
Result<std::vector<AuditRecord>> SearchAudit(Database& db, const AuditQuery& query);
Result<std::int64_t> CountAudit(Database& db, const AuditQuery& query);

}  // namespace pathway::store
