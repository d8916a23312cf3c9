// The demo database: a synthetic workforce (app/workforce_demo.hpp) and a user for each
// role whose work can be shown today, each linked to a person placed in the workforce
// where their role makes sense, with passwords derived from the seed so that they can be
// printed again on every start. Demo users exist only in a database created by this
// command.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/frameworks.hpp"
#include "app/identity.hpp"
#include "app/store_handles.hpp"
#include "app/workforce_demo.hpp"
#include "domain/result.hpp"

namespace pathway::app {

struct DemoSignIn {
  std::string role;  // as people say it: "Administrator"
  std::string email;
  std::string password;
  std::string shows;  // what signing in as this user shows
};

// The texts of the frameworks Pathway ships (data/frameworks/), read by the caller.
struct ShippedFrameworkFiles {
  std::string cscf_document;            // cscf-level5-sms1.txt: the 2012 framework at level 5
  std::string cscf_security_additions;  // cscf-level5-security-additions.csv
  std::string success_profiles;         // success-profiles-behaviours.csv
};

// Imports the frameworks Pathway ships, as their authors would: the Civil Service
// Competency Framework at level 5 as version 1 (with the 2012 grade map), then version 2
// adding the security behaviours, both published; and the Success Profiles behaviours
// with their 1 to 7 scale. Returns the competency framework's id.
Result<std::string> ShipFrameworks(FrameworkService& frameworks,
                                   const ShippedFrameworkFiles& files);

struct DemoOptions {
  std::int64_t people = 2000;  // from kMinDemoPeople to kMaxDemoPeople
  // Told what is happening, for progress on the terminal; may be empty.
  std::function<void(std::string_view message)> progress;
};

// Fills an empty database with a demo workforce of `options.people` people and the demo
// users. Refuses (kConflict) a database that already has users: demo data never goes
// into a real database. The same seed and number of people give the same content.
// The frameworks are imported through FrameworkService and each user is added through
// the AddUser use case, so both are audited. On failure the caller discards the file
// (the CLI does).
Result<std::vector<DemoSignIn>> CreateDemo(UnitOfWork& kernel, IdentityService& identity,
                                           FrameworkService& frameworks,
                                           const ShippedFrameworkFiles& files,
                                           const WorkforceDemoFiles& workforce, std::uint64_t seed,
                                           const DemoOptions& options = {});

// The sign-ins of a demo database, or an empty list for a database that is not one.
Result<std::vector<DemoSignIn>> DemoSignIns(store::ConnectionPool& pool);

}  // namespace pathway::app
