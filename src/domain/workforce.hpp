// The workforce as plain values: the organisation (departments, units, locations in
// regions), professions with their job families, roles and role levels, posts, people
// and their assessments. Records name each other by their codes or external (HR) ids,
// as HR-system exports do; the store turns those into row ids.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/grade.hpp"

namespace pathway::domain {

// ---------------------------------------------------------------------------------
// Fixed vocabularies

struct RegionInfo {
  std::string_view code;  // ITL1 code ("TLI") or "OVERSEAS"
  std::string_view name;  // "London"
};

inline constexpr int kRegionCount = 13;

// The UK's twelve ITL1 regions in their official order, then Overseas.
const std::array<RegionInfo, kRegionCount>& AllRegions();

// The region whose code or name (case-insensitive) is `text`, or nullptr.
const RegionInfo* FindRegion(std::string_view text);

// National security vetting levels, from least to most searching. Order matters: a
// post needing SC is satisfied by SC or DV.
enum class Clearance { kBPSS, kCTC, kSC, kDV };

std::string_view ClearanceCode(Clearance clearance);  // "BPSS", "CTC", "SC", "DV"
std::optional<Clearance> ParseClearance(std::string_view code);

enum class ClearanceStatus { kActive, kPending, kExpired, kWithdrawn };

std::string_view ClearanceStatusName(ClearanceStatus status);  // "active", ...
std::optional<ClearanceStatus> ParseClearanceStatus(std::string_view name);

// Who made an assessment.
enum class AssessorKind { kSelf, kManager, kPanel, kRecruitment, kPassport, kReview };

std::string_view AssessorKindName(AssessorKind kind);  // "self", "manager", ...
std::optional<AssessorKind> ParseAssessorKind(std::string_view name);

// Whether the assessor confirms a level rather than claims it (manager, panel,
// recruitment, passport). The current level of an item is the latest confirmed
// assessment, else the latest self-assessment.
bool Confirms(AssessorKind kind);

// The four levels of a technical skill in a career framework.
inline constexpr std::array<std::string_view, 4> kSkillLevelNames{"Awareness", "Working",
                                                                  "Practitioner", "Expert"};

// The name of skill level 1..4, or empty for anything else.
std::string_view SkillLevelName(int level);

// A calendar date in ISO 8601 form, YYYY-MM-DD, that exists (no 2023-02-30).
bool ValidIsoDate(std::string_view text);

// ---------------------------------------------------------------------------------
// Records

struct Department {
  std::string code;  // "DWP"
  std::string name;
};

struct Unit {
  std::string code;
  std::string name;
  std::string department;   // department code
  std::string parent_unit;  // unit code, or empty
};

struct Location {
  std::string code;
  std::string name;
  std::string region;  // a RegionInfo code
};

struct Profession {
  std::string code;  // "ddat"
  std::string name;  // "Digital, Data and Technology"
  std::string description;
  std::string induction;            // for new starters; paragraphs separated by a blank line
  std::string career_framework_id;  // a framework of kind career; empty if none yet
};

struct JobFamily {
  std::string code;
  std::string name;
  std::string profession;  // profession code
};

struct CareerRole {
  std::string code;
  std::string name;
  std::string description;
  std::string job_family;  // job family code
};

// What a role level needs of one framework item.
struct Requirement {
  std::string item_id;  // framework item UUID
  int level = 1;        // skill level 1..4, or the behaviour's level
  int weight = 1;       // 1..10, how much it counts in a match
};

struct RoleLevel {
  std::string code;
  std::string title;  // "Senior developer"
  std::string role;   // career role code
  int position = 1;   // 1 = the role's entry level
  Grade grade_min = Grade::kAA;
  Grade grade_max = Grade::kAA;
  std::vector<Requirement> requirements;
  std::vector<std::string> experience;      // statements, in order
  std::vector<std::string> qualifications;  // statements, in order
};

struct Post {
  std::string external_id;
  std::string role_level;  // role level code
  std::string unit;        // unit code
  std::string location;    // location code
  Grade grade = Grade::kAA;
  Clearance clearance = Clearance::kBPSS;
  bool critical = false;
};

struct PersonClearance {
  Clearance level = Clearance::kBPSS;
  ClearanceStatus status = ClearanceStatus::kActive;
  std::string granted;     // ISO date
  std::string review_due;  // ISO date, or empty
};

struct Person {
  std::string external_id;
  std::string name;
  Grade grade = Grade::kAA;
  std::string department;                      // department code
  std::string location;                        // location code
  std::string profession;                      // anchor profession code
  std::vector<std::string> other_professions;  // profession codes
  std::string post;                            // post external id, or empty
  std::string line_manager;                    // person external id, or empty
  std::optional<PersonClearance> clearance;
  std::string start_date;  // ISO date
};

// Someone in a profession's community: its head, or its head in one department.
struct ProfessionContact {
  enum class Kind { kHeadOfProfession, kDepartmentalHead };
  std::string profession;  // profession code
  std::string person;      // person external id
  Kind kind = Kind::kHeadOfProfession;
  std::string department;  // department code; for departmental heads only
};

struct Assessment {
  std::string person;   // person external id
  std::string item_id;  // framework item UUID
  int level = 1;
  AssessorKind assessor = AssessorKind::kSelf;
  std::string assessed_on;  // ISO date
  int framework_version = 1;
  std::string evidence;
};

}  // namespace pathway::domain
