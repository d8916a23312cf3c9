// The synthetic workforce of a demo database: the Civil Service's professions with
// their career frameworks (data/professions/), about twenty departments, locations in
// every region, posts, people in line-management trees, and their assessments. The
// same seed and size always give the same database content.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/frameworks.hpp"
#include "app/store_handles.hpp"
#include "app/unit_of_work.hpp"
#include "domain/result.hpp"

namespace pathway::app {

// The texts the workforce is made from, read by the caller.
struct WorkforceDemoFiles {
  // data/professions/professions.csv (format in data/professions/README.md).
  std::string professions;
  // Each profession's career framework CSV (data/professions/<code>.csv), by code.
  std::vector<std::pair<std::string, std::string>> career_frameworks;
  // The Success Profiles behaviours CSV, for the behaviours role levels require.
  std::string success_profiles;
  std::string first_names;  // data/names/first-names.txt, one a line
  std::string last_names;   // data/names/last-names.txt, one a line
};

// A named person the demo's users sign in as, placed in the generated workforce.
struct DemoCastMember {
  enum class Place {
    kHead,         // the head (Permanent Secretary) of `department`
    kLineManager,  // a line manager in `department` with at least 3 direct reports
    kReportOf,     // a direct report of the cast member `manager`
    kMember,       // anyone else in `department`
  };
  std::string external_id;  // "DWP-0002"
  std::string name;
  std::string department;  // department code
  Place place = Place::kMember;
  std::string profession;  // anchor profession to give them; empty keeps the generated one
  std::string manager;     // for kReportOf: the external id of an earlier cast member
};

struct WorkforceDemoOptions {
  std::int64_t people = 2000;  // at least kMinDemoPeople
  std::uint64_t seed = 1;
  // Told what is happening, for progress on the terminal; may be empty.
  std::function<void(std::string_view message)> progress;
};

inline constexpr std::int64_t kMinDemoPeople = 200;
inline constexpr std::int64_t kMaxDemoPeople = 2'000'000;

// What CreateDemoWorkforce wrote.
struct WorkforceDemoCounts {
  std::int64_t professions = 0;
  std::int64_t role_levels = 0;
  std::int64_t departments = 0;
  std::int64_t units = 0;
  std::int64_t locations = 0;
  std::int64_t posts = 0;
  std::int64_t vacant_posts = 0;
  std::int64_t people = 0;
  std::int64_t assessments = 0;
};

// Imports each profession's career framework (published, through `frameworks`, so
// audited) and writes the whole workforce into the database `pool` opens. Cast members
// keep their external ids and names and get the relationships their place asks for;
// the caller may already have stored them (by external id), in which case they are
// updated. kInvalidInput if `options.people` is outside kMinDemoPeople..kMaxDemoPeople;
// kInternal if the shipped files do not parse. The caller must hold no lease on `pool`
// (the load takes the connection for itself) and should use a new, empty database: the
// load turns off synchronous writes while it runs and restores them afterwards, and a
// failure leaves a partly written database for the caller to discard.
Result<WorkforceDemoCounts> CreateDemoWorkforce(UnitOfWork& kernel, FrameworkService& frameworks,
                                                const WorkforceDemoFiles& files,
                                                std::span<const DemoCastMember> cast,
                                                const WorkforceDemoOptions& options);

}  // namespace pathway::app
