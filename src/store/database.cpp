#include "store/database.hpp"

#include <sqlite3.h>

#include <list>
#include <unordered_map>

#include <fmt/format.h>

namespace pathway::store {

// The idle compiled statements of one connection, by SQL text, the most recently used
// first. Owned by the connection (and finalized before it closes); statements in use
// hold it weakly. Not thread-safe, like the connection.
class StatementCache {
 public:
  explicit StatementCache(std::size_t capacity) : capacity_(capacity) {}
  ~StatementCache() {
    for (auto& entry : idle_) sqlite3_finalize(entry.stmt);
  }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // An idle statement of this text, now the caller's, or nullptr.
  sqlite3_stmt* Take(std::string_view sql) {
    const auto found = index_.find(sql);
    if (found == index_.end()) return nullptr;
    const auto entry = found->second;
    sqlite3_stmt* stmt = entry->stmt;
    index_.erase(found);
    idle_.erase(entry);
    return stmt;
  }

  // Takes back a statement no longer in use: rewound and kept, or finalized when a
  // statement of the same text is already idle (it was in use twice at once).
  void Put(std::string sql, sqlite3_stmt* stmt) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (index_.contains(sql)) {
      sqlite3_finalize(stmt);
      return;
    }
    idle_.push_front({std::move(sql), stmt});
    index_.emplace(idle_.front().sql, idle_.begin());
    if (idle_.size() > capacity_) {
      index_.erase(idle_.back().sql);
      sqlite3_finalize(idle_.back().stmt);
      idle_.pop_back();
    }
  }

  std::int64_t compiled = 0;

 private:
  struct Entry {
    std::string sql;
    sqlite3_stmt* stmt;
  };
  std::size_t capacity_;
  std::list<Entry> idle_;
  // Keys view the texts held by idle_, whose nodes do not move.
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
};

namespace {

Error SqliteError(sqlite3* db, std::string_view what) {
  const int code = db != nullptr ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  std::string message =
      fmt::format("{}: {} (SQLite {})", what, db != nullptr ? sqlite3_errmsg(db) : "", code);
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
      return Error::Unavailable(std::move(message));
    case SQLITE_CONSTRAINT:
      return {domain::ErrorCode::kConflict, {}, std::move(message)};
    default:
      return Error::Internal(std::move(message));
  }
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const OpenOptions& options) {
  // No process-wide memory statistics: nothing reads them, and keeping them takes a
  // global mutex on every allocation SQLite makes, which the worker threads contend for.
  // Possible only before SQLite initialises (the first open); later it is refused and
  // changes nothing.
  static const int kMemoryStatistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kMemoryStatistics;
  sqlite3* db = nullptr;
  const int flags =
      (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Error error = SqliteError(db, fmt::format("Could not open database {}", path));
    sqlite3_close_v2(db);
    return Error::Unavailable(std::move(error.message));
  }
  std::unique_ptr<Database> database(new Database(db, path));
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  sqlite3_extended_result_codes(db, 1);
  // WAL lets readers run beside one writer; FULL syncs the WAL on every commit so a
  // committed change survives power loss.
  PATHWAY_TRY(database->Execute(options.read_only ? "PRAGMA foreign_keys = ON;"
                                                  : "PRAGMA journal_mode = WAL;"
                                                    "PRAGMA synchronous = FULL;"
                                                    "PRAGMA foreign_keys = ON;"));
  return database;
}

Database::Database(sqlite3* db, std::string path)
    : db_(db),
      path_(std::move(path)),
      cache_(std::make_shared<StatementCache>(kCachedStatements)) {}

Database::~Database() {
  // Idle statements first; a statement still in use finds the cache gone, and SQLite
  // keeps the connection open until it is finalized.
  cache_.reset();
  sqlite3_close_v2(db_);
}

Status Database::Execute(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    return SqliteError(db_, "Statement failed");
  }
  return domain::Ok{};
}

Result<Statement> Database::Prepare(std::string_view sql) {
  if (sqlite3_stmt* cached = cache_->Take(sql)) {
    return Statement(cached, db_, cache_, std::string(sql));
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return SqliteError(db_, fmt::format("Could not prepare [{}]", sql));
  }
  ++cache_->compiled;
  return Statement(stmt, db_, cache_, std::string(sql));
}

std::int64_t Database::StatementsCompiled() const { return cache_->compiled; }

std::int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      db_(other.db_),
      cache_(std::move(other.cache_)),
      sql_(std::move(other.sql_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = other.db_;
    cache_ = std::move(other.cache_);
    sql_ = std::move(other.sql_);
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  sqlite3_stmt* stmt = std::exchange(stmt_, nullptr);
  if (stmt == nullptr) return;
  if (auto cache = cache_.lock()) {
    cache->Put(std::move(sql_), stmt);
  } else {
    sqlite3_finalize(stmt);
  }
}

Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}
Statement& Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, "Step failed");
}

Status Statement::Run() {
  for (;;) {
    PATHWAY_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return domain::Ok{};
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::ColumnDouble(int column) const { return sqlite3_column_double(stmt_, column); }
std::string Statement::ColumnText(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}
bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<Transaction> Transaction::Begin(Database& db) {
  PATHWAY_TRY(db.Execute("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->Execute("ROLLBACK");
}

Status Transaction::Commit() {
  if (db_ == nullptr) return Error::Internal("Commit on a finished transaction");
  auto status = db_->Execute("COMMIT");
  if (status.ok()) db_ = nullptr;  // on failure the destructor rolls back
  return status;
}

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Open(const std::string& path, int size,
                                                             const OpenOptions& options) {
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(path));
  for (int i = 0; i < size; ++i) {
    PATHWAY_ASSIGN_OR_RETURN(auto db, Database::Open(path, options));
    pool->idle_.push_back(std::move(db));
  }
  return pool;
}

ConnectionPool::Lease ConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  auto db = std::move(idle_.back());
  idle_.pop_back();
  return Lease(this, std::move(db));
}

void ConnectionPool::Release(std::unique_ptr<Database> db) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(db));
  }
  available_.notify_one();
}

ConnectionPool::Lease::~Lease() {
  if (db_) pool_->Release(std::move(db_));
}

}  // namespace pathway::store
