#include "store/audit.hpp"

#include <sodium.h>

#include <atomic>

#include <fmt/format.h>

namespace pathway::store {
namespace {

// The chain's key, set once at start (before any thread appends), and whether it is set.
std::array<unsigned char, kAuditKeyBytes> g_key{};
std::atomic<bool> g_keyed{false};

constexpr std::string_view kGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

// BLAKE2b-256 over each field, length-prefixed so that no two different rows can
// produce the same input.
// With `key`, the hash is BLAKE2b keyed with it: a MAC that nobody without the key can
// recompute.
std::string HashRow(std::int64_t seq, const AuditEvent& e, std::string_view prev_hash,
                    const unsigned char* key = nullptr) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, key, key ? kAuditKeyBytes : 0, 32);
  auto add = [&state](std::string_view field) {
    const std::string length = fmt::format("{}:", field.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(length.data()),
                              length.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(field.data()),
                              field.size());
  };
  add(prev_hash);
  add(std::to_string(seq));
  add(e.occurred_at);
  add(e.actor_user_id ? std::to_string(*e.actor_user_id) : std::string("-"));
  add(e.actor);
  add(e.action);
  add(e.object_type);
  add(e.object_id);
  add(e.outcome);
  add(e.detail);
  add(e.request_id);
  add(e.source_address);
  unsigned char digest[32];
  crypto_generichash_final(&state, digest, sizeof digest);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

constexpr std::string_view kColumns =
    "seq, occurred_at, actor_user_id, actor, action, object_type, object_id, outcome, detail, "
    "request_id, source_address, prev_hash, hash";

AuditRecord ReadRecord(const Statement& row, std::string* prev_hash) {
  AuditRecord record;
  record.seq = row.ColumnInt(0);
  record.event.occurred_at = row.ColumnText(1);
  if (!row.ColumnIsNull(2)) record.event.actor_user_id = row.ColumnInt(2);
  record.event.actor = row.ColumnText(3);
  record.event.action = row.ColumnText(4);
  record.event.object_type = row.ColumnText(5);
  record.event.object_id = row.ColumnText(6);
  record.event.outcome = row.ColumnText(7);
  record.event.detail = row.ColumnText(8);
  record.event.request_id = row.ColumnText(9);
  record.event.source_address = row.ColumnText(10);
  if (prev_hash != nullptr) *prev_hash = row.ColumnText(11);
  record.hash = row.ColumnText(12);
  return record;
}

// WHERE clause and its bindings for a query.
struct Filter {
  std::string where;
  std::vector<std::string> values;
};

Filter BuildFilter(const AuditQuery& q) {
  Filter f;
  auto add = [&f](std::string_view clause, const std::string& value) {
    if (value.empty()) return;
    f.where += f.where.empty() ? " WHERE " : " AND ";
    f.where += clause;
    f.values.push_back(value);
  };
  add("instr(lower(actor), lower(?)) > 0", q.actor);
  add("action = ?", q.action);
  add("object_type = ?", q.object_type);
  add("object_id = ?", q.object_id);
  add("outcome = ?", q.outcome);
  add("occurred_at >= ?", q.from);
  add("occurred_at < ?", q.to);
  return f;
}

}  // namespace

Status AppendAudit(Database& db, const AuditEvent& event) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  PATHWAY_ASSIGN_OR_RETURN(
      auto last, db.Prepare("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1"));
  PATHWAY_ASSIGN_OR_RETURN(bool has_last, last.Step());
  const std::int64_t seq = has_last ? last.ColumnInt(0) + 1 : 1;
  const std::string prev_hash = has_last ? last.ColumnText(1) : std::string(kGenesis);
  const std::string hash =
      g_keyed.load() ? std::string(kKeyedPrefix) + HashRow(seq, event, prev_hash, g_key.data())
                     : HashRow(seq, event, prev_hash);
  PATHWAY_ASSIGN_OR_RETURN(auto insert,
                           db.Prepare(fmt::format("INSERT INTO audit_event ({}) VALUES "
                                                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                                  kColumns)));
  insert.Bind(1, seq).Bind(2, event.occurred_at);
  if (event.actor_user_id) {
    insert.Bind(3, *event.actor_user_id);
  } else {
    insert.BindNull(3);
  }
  insert.Bind(4, event.actor)
      .Bind(5, event.action)
      .Bind(6, event.object_type)
      .Bind(7, event.object_id)
      .Bind(8, event.outcome)
      .Bind(9, event.detail)
      .Bind(10, event.request_id)
      .Bind(11, event.source_address)
      .Bind(12, prev_hash)
      .Bind(13, hash);
  return insert.Run();
}

Result<AuditChainReport> VerifyAuditChain(Database& db) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  PATHWAY_ASSIGN_OR_RETURN(
      auto rows, db.Prepare(fmt::format("SELECT {} FROM audit_event ORDER BY seq", kColumns)));
  AuditChainReport report;
  std::string expected_prev(kGenesis);
  std::int64_t expected_seq = 1;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool has_row, rows.Step());
    if (!has_row) break;
    std::string prev_hash;
    AuditRecord record = ReadRecord(rows, &prev_hash);
    ++report.rows;
    if (record.seq != expected_seq) {
      report.first_broken_seq = expected_seq;
      report.problem = fmt::format("row {} is missing", expected_seq);
      break;
    }
    if (prev_hash != expected_prev) {
      report.first_broken_seq = record.seq;
      report.problem = fmt::format("row {} does not follow row {}", record.seq, record.seq - 1);
      break;
    }
    const bool keyed = record.hash.starts_with(kKeyedPrefix);
    if (keyed && !report.keyed_from) report.keyed_from = record.seq;
    if (!keyed && report.keyed_from) {
      report.first_broken_seq = record.seq;
      report.problem = fmt::format(
          "row {} is not keyed, yet follows keyed rows: the chain was recomputed", record.seq);
      break;
    }
    if (keyed && !g_keyed.load()) {
      report.first_broken_seq = record.seq;
      report.problem = fmt::format("row {} is keyed: give the audit key to check it", record.seq);
      break;
    }
    const std::string expected =
        keyed
            ? std::string(kKeyedPrefix) + HashRow(record.seq, record.event, prev_hash, g_key.data())
            : HashRow(record.seq, record.event, prev_hash);
    if (expected != record.hash) {
      report.first_broken_seq = record.seq;
      report.problem = fmt::format(
          "row {} was changed after it was written, or its hash was "
          "recomputed without the key",
          record.seq);
      break;
    }
    expected_prev = record.hash;
    report.last_seq = record.seq;
    report.last_hash = record.hash;
    ++expected_seq;
  }
  return report;
}

void SetAuditKey(const std::array<unsigned char, kAuditKeyBytes>& key) {
  g_key = key;
  g_keyed.store(true);
}

void ClearAuditKey() {
  g_keyed.store(false);
  sodium_memzero(g_key.data(), g_key.size());
}

bool AuditKeyed() { return g_keyed.load(); }

Result<std::optional<std::pair<std::int64_t, std::string>>> AuditTail(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(
      auto last, db.Prepare("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1"));
  PATHWAY_ASSIGN_OR_RETURN(bool has_last, last.Step());
  if (!has_last) return std::optional<std::pair<std::int64_t, std::string>>();
  return std::optional<std::pair<std::int64_t, std::string>>(
      {last.ColumnInt(0), last.ColumnText(1)});
}

Result<std::optional<std::string>> AuditHashAt(Database& db, std::int64_t seq) {
  PATHWAY_ASSIGN_OR_RETURN(auto row, db.Prepare("SELECT hash FROM audit_event WHERE seq = ?"));
  row.Bind(1, seq);
  PATHWAY_ASSIGN_OR_RETURN(bool found, row.Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(row.ColumnText(0));
}

Result<std::optional<std::int64_t>> FirstKeyedAuditRow(Database& db) {
  PATHWAY_ASSIGN_OR_RETURN(auto row,
                           db.Prepare("SELECT min(seq) FROM audit_event WHERE hash LIKE 'k1:%'"));
  PATHWAY_ASSIGN_OR_RETURN(bool found, row.Step());
  if (!found || row.ColumnIsNull(0)) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row.ColumnInt(0));
}

Result<std::vector<AuditRecord>> SearchAudit(Database& db, const AuditQuery& query) {
  const Filter filter = BuildFilter(query);
  PATHWAY_ASSIGN_OR_RETURN(auto stmt,
                           db.Prepare(fmt::format("SELECT {} FROM audit_event{} ORDER BY seq DESC "
                                                  "LIMIT ? OFFSET ?",
                                                  kColumns, filter.where)));
  int index = 1;
  for (const auto& value : filter.values) stmt.Bind(index++, value);
  stmt.Bind(index, query.limit);
  stmt.Bind(index + 1, query.offset);
  std::vector<AuditRecord> records;
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    records.push_back(ReadRecord(stmt, nullptr));
  }
  return records;
}

Result<std::int64_t> CountAudit(Database& db, const AuditQuery& query) {
  const Filter filter = BuildFilter(query);
  PATHWAY_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare(fmt::format("SELECT COUNT(*) FROM audit_event{}", filter.where)));
  int index = 1;
  for (const auto& value : filter.values) stmt.Bind(index++, value);
  PATHWAY_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  return has_row ? stmt.ColumnInt(0) : 0;
}

}  // namespace pathway::store
