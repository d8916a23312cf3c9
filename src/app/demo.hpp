// The demo database: a small organisation and a user for each role whose work can be
// shown today, with passwords derived from the seed so that they can be printed again
// on every start. Demo users exist only in a database created by this command.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/identity.hpp"
#include "domain/result.hpp"
#include "store/database.hpp"

namespace pathway::app {

struct DemoSignIn {
  std::string role;  // as people say it: "Administrator"
  std::string email;
  std::string password;
  std::string shows;  // what signing in as this user shows
};

// Fills an empty database with demo people and users. Refuses (kConflict) a database
// that already has users: demo data never goes into a real database. The people are
// written in one transaction, then each user through the AddUser use case, audited.
// On failure the caller discards the file (the CLI does).
Result<std::vector<DemoSignIn>> CreateDemo(store::ConnectionPool& pool, IdentityService& identity,
                                           std::uint64_t seed);

// The sign-ins of a demo database, or an empty list for a database that is not one.
Result<std::vector<DemoSignIn>> DemoSignIns(store::ConnectionPool& pool);

}  // namespace pathway::app
