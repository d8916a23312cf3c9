// Use cases. Every page, API route and CLI command reaches the store through here.
#pragma once

#include "app/store_handles.hpp"
#include "domain/result.hpp"

namespace pathway::app {

using domain::Result;

struct HealthReport {
  int schema_version = 0;  // the migration the database is at
};

// The application's use cases over one store. Thread-safe: each call leases its own
// connection from the pool.
class Service {
 public:
  explicit Service(store::ConnectionPool& pool) : pool_(pool) {}

  // Whether the database answers a read. Unavailable when it does not.
  Result<HealthReport> CheckHealth();

 private:
  store::ConnectionPool& pool_;
};

}  // namespace pathway::app
