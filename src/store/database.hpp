// A thin RAII layer over SQLite's C API: connections, prepared statements,
// transactions and a connection pool. Holds no business rules.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace pathway::store {

using domain::Error;
using domain::Result;
using domain::Status;

struct OpenOptions {
  // How long a writer waits for another writer's lock before giving up.
  std::chrono::milliseconds busy_timeout{10000};
  bool read_only = false;
};

class Statement;
class StatementCache;

// One SQLite connection. Opened with WAL journaling, foreign keys enforced and
// synchronous=FULL. Not thread-safe: use one per thread (see ConnectionPool).
class Database {
 public:
  // Opens (creating if missing, unless read-only) the database file at `path`.
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const OpenOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows (schema changes, pragmas).
  Status Execute(std::string_view sql);

  // Compiles one statement, or takes an idle compiled statement of the same text from this
  // connection's cache: a finished statement goes back to the cache (rewound, bindings
  // cleared), and up to kCachedStatements texts are kept, the least recently used
  // finalized first, so a query run on every request is compiled once per connection.
  // A statement may outlive its connection: it is then finalized, never cached (the
  // connection closes when its last statement is finalized).
  Result<Statement> Prepare(std::string_view sql);

  // How many statements this connection has compiled (cache misses).
  std::int64_t StatementsCompiled() const;

  static constexpr std::size_t kCachedStatements = 128;

  // Row id of the last successful INSERT on this connection.
  std::int64_t LastInsertRowId() const;
  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  int Changes() const;

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  Database(sqlite3* db, std::string path);
  sqlite3* db_;
  std::string path_;
  // Shared with the statements handed out, which hold it weakly: one that outlives the
  // connection finds it gone and finalizes itself instead of returning.
  std::shared_ptr<StatementCache> cache_;
};

// A compiled statement. Bind parameters by 1-based index, then Step() through rows.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);  // copied by SQLite
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& BindNull(int index);

  // Advances to the next row: true if there is a row, false when done, or an error
  // (constraint violation, busy after the timeout, I/O failure).
  Result<bool> Step();
  // Runs a statement that returns no rows to completion.
  Status Run();
  // Clears bindings and rewinds so the statement can run again.
  void Reset();

  std::int64_t ColumnInt(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3_stmt* stmt, sqlite3* db, std::weak_ptr<StatementCache> cache, std::string sql)
      : stmt_(stmt), db_(db), cache_(std::move(cache)), sql_(std::move(sql)) {}
  // Returns the statement to its connection's cache, or finalizes it.
  void Release();
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  std::weak_ptr<StatementCache> cache_;
  std::string sql_;  // the cache's key
};

// A write transaction as a scope: BEGIN IMMEDIATE on Begin(), ROLLBACK on
// destruction unless Commit() succeeded. IMMEDIATE takes the write lock up front, so
// two writers queue on the busy timeout instead of failing on lock upgrade.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

// A fixed set of connections to one file, shared by the worker threads. Acquire()
// blocks until a connection is free; the lease returns it on destruction.
// Thread-safe.
class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Database> db_;
  };

  static Result<std::unique_ptr<ConnectionPool>> Open(const std::string& path, int size,
                                                      const OpenOptions& options = {});
  Lease Acquire();
  const std::string& path() const { return path_; }

 private:
  explicit ConnectionPool(std::string path) : path_(std::move(path)) {}
  void Release(std::unique_ptr<Database> db);

  std::string path_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Database>> idle_;
};

}  // namespace pathway::store
