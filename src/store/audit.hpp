// The audit trail: an append-only table whose rows form a hash chain, so that a row
// changed or removed behind the application's back is detected by VerifyAuditChain.
#pragma once

#include <array>
#include <optional>
#include <utility>

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

// The audit chain's key. Once set (at start, before any thread appends), new rows are
// hashed with BLAKE2b keyed with it and marked kKeyedPrefix: a MAC that cannot be
// recomputed without the key. Rows written before a key existed keep their plain hash;
// VerifyAuditChain refuses a plain row after a keyed one.
inline constexpr std::size_t kAuditKeyBytes = 32;
inline constexpr std::string_view kKeyedPrefix = "k1:";
void SetAuditKey(const std::array<unsigned char, kAuditKeyBytes>& key);
void ClearAuditKey();  // for tests
bool AuditKeyed();
// The newest row's seq and hash; nullopt for an empty trail.
Result<std::optional<std::pair<std::int64_t, std::string>>> AuditTail(Database& db);
Result<std::optional<std::string>> AuditHashAt(Database& db, std::int64_t seq);
// The first keyed row's seq; nullopt when no row is keyed.
Result<std::optional<std::int64_t>> FirstKeyedAuditRow(Database& db);

// Newest first. Empty fields of the query do not filter.
Result<std::vector<AuditRecord>> SearchAudit(Database& db, const AuditQuery& query);
Result<std::int64_t> CountAudit(Database& db, const AuditQuery& query);

}  // namespace pathway::store
