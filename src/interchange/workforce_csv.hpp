// The workforce CSV files that HR systems export (docs/formats/workforce-csv.md): the
// organisation (departments, units, locations), professions with their roles and role
// levels, posts, and people. `pathway import org|roles|posts|people` and the
// /admin/import page read them; app/workforce_import.hpp checks what each names
// against the database and stores them.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/workforce.hpp"
#include "interchange/import_problem.hpp"

namespace pathway::interchange {

enum class WorkforceFileKind { kOrg, kRoles, kPosts, kPeople };

// "org", "roles", "posts", "people": the names the command line and the upload page use.
std::string_view WorkforceFileKindName(WorkforceFileKind kind);
std::optional<WorkforceFileKind> ParseWorkforceFileKind(std::string_view name);

// The first line each kind of file must have, without its line break.
inline constexpr std::string_view kOrgCsvHeader = "type,code,name,department,parent_unit,region";
inline constexpr std::string_view kRolesCsvHeader =
    "profession,profession_name,career_framework,job_family,job_family_name,role,role_name,"
    "role_level,role_level_title,position,grade_min,grade_max,requirement_type,requirement,level,"
    "weight";
inline constexpr std::string_view kPostsCsvHeader =
    "external_id,role_level,unit,location,grade,clearance,critical";
inline constexpr std::string_view kPeopleCsvHeader =
    "external_id,name,grade,department,location,profession,other_professions,post,line_manager,"
    "clearance_level,clearance_status,clearance_granted,clearance_review_due,start_date";

std::string_view WorkforceCsvHeader(WorkforceFileKind kind);

// 1-based column numbers of each file, as problems report them.
struct OrgColumn {
  static constexpr int kType = 1, kCode = 2, kName = 3, kDepartment = 4, kParentUnit = 5,
                       kRegion = 6;
};
struct RolesColumn {
  static constexpr int kProfession = 1, kProfessionName = 2, kCareerFramework = 3, kJobFamily = 4,
                       kJobFamilyName = 5, kRole = 6, kRoleName = 7, kRoleLevel = 8,
                       kRoleLevelTitle = 9, kPosition = 10, kGradeMin = 11, kGradeMax = 12,
                       kRequirementType = 13, kRequirement = 14, kLevel = 15, kWeight = 16;
};
struct PostsColumn {
  static constexpr int kExternalId = 1, kRoleLevel = 2, kUnit = 3, kLocation = 4, kGrade = 5,
                       kClearance = 6, kCritical = 7;
};
struct PeopleColumn {
  static constexpr int kExternalId = 1, kName = 2, kGrade = 3, kDepartment = 4, kLocation = 5,
                       kProfession = 6, kOtherProfessions = 7, kPost = 8, kLineManager = 9,
                       kClearanceLevel = 10, kClearanceStatus = 11, kClearanceGranted = 12,
                       kClearanceReviewDue = 13, kStartDate = 14;
};

// Files larger than this are refused unread.
inline constexpr std::size_t kWorkforceCsvMaxBytes = 512 * 1024 * 1024;

// Where each record of a parsed file was written, so that problems found later (a code
// that names nothing in the database) can be reported at a line and column. Records
// are numbered in the order of their vector.
class SourceLines {
 public:
  // The physical line of `column` (1-based) of record `record`'s row. Lines of fields
  // after a quoted line break are exact; any other record or column gives the row's
  // first line.
  int Line(std::size_t record, int column) const;
  std::size_t size() const { return first_.size(); }

  // For readers: the record's row, given the line of each of its fields.
  void Add(const std::vector<int>& field_lines);

 private:
  std::vector<int> first_;
  std::unordered_map<std::size_t, std::vector<int>> spanning_;  // rows over several lines
};

struct OrgFile {
  std::vector<domain::Department> departments;
  SourceLines department_lines;
  std::vector<domain::Unit> units;
  SourceLines unit_lines;
  std::vector<domain::Location> locations;  // region holds the RegionInfo code
  SourceLines location_lines;
};

// A skill or behaviour that a role level needs, as the file names it: by framework item
// UUID or by the item's title. Resolving a title needs the frameworks in the database,
// so app/ does it and fills in RoleLevel::requirements.
struct RequirementReference {
  std::size_t role_level = 0;  // index in RolesFile::role_levels
  bool skill = true;           // skill (career framework) or behaviour
  std::string item;            // a UUID or an item title, as written
  int level = 1;
  int weight = 1;
  int line = 1;  // line of the requirement field
};

struct RolesFile {
  // career_framework_id holds the career_framework column as written: a framework UUID,
  // a framework title, or empty. app/ resolves it.
  std::vector<domain::Profession> professions;
  SourceLines profession_lines;
  std::vector<domain::JobFamily> job_families;
  SourceLines job_family_lines;
  std::vector<domain::CareerRole> career_roles;
  SourceLines career_role_lines;
  // With experience and qualification statements in file order, and no requirements
  // (see `requirements`).
  std::vector<domain::RoleLevel> role_levels;
  SourceLines role_level_lines;
  std::vector<RequirementReference> requirements;
  std::size_t rows = 0;
};

struct PostsFile {
  std::vector<domain::Post> posts;
  SourceLines lines;
};

struct PeopleFile {
  std::vector<domain::Person> people;
  SourceLines lines;
};

struct WorkforceCsvOptions {
  // Problems reported before the reader adds one saying that there are more.
  std::size_t max_problems = kMaxImportProblems;
  // Called with the bytes read so far, about every megabyte and at the end.
  std::function<void(std::size_t bytes_read)> progress;
};

// Each reader parses `text`, the whole file as uploaded, or returns every problem found
// (up to options.max_problems, then one saying that there are more) in file order. A
// problem's line is the physical line an editor shows, counting line breaks inside
// quoted fields; its column is the 1-based field number. Never throws on any input
// (short of running out of memory); does no I/O; thread-safe.
//
// Accepted: RFC 4180 CSV in UTF-8 with or without a byte order mark, LF or CRLF line
// endings, blank lines, quoted fields holding commas, double quotes and line breaks
// (read as LF). Spaces around a value are removed.
//
// Refused, each at its place: a file over kWorkforceCsvMaxBytes, an empty file, UTF-16
// or a spreadsheet, bytes that are not UTF-8, control characters, a lone carriage
// return, malformed quoting, a header other than the kind's (the problem names the
// first column that differs; nothing after it is read), a row with the wrong number of
// fields, a required value missing, an unknown grade, clearance level, clearance
// status, region or row type, a number or date that is not one (domain::ValidIsoDate),
// and a code or external id used twice in the file. What a value names in other files
// or the database is not checked here.
ImportResult<OrgFile> ParseOrgCsv(std::string_view text, const WorkforceCsvOptions& options = {});
// Also refused: rows for the same profession, job family, role or role level that
// disagree about its name, parent, position or grades; grade_min above grade_max; a
// skill level outside 1 to 4; a requirement named twice for one role level.
ImportResult<RolesFile> ParseRolesCsv(std::string_view text,
                                      const WorkforceCsvOptions& options = {});
ImportResult<PostsFile> ParsePostsCsv(std::string_view text,
                                      const WorkforceCsvOptions& options = {});
// Also refused: a person who is their own line manager; clearance columns without a
// clearance level; a review date before the grant date.
ImportResult<PeopleFile> ParsePeopleCsv(std::string_view text,
                                        const WorkforceCsvOptions& options = {});

}  // namespace pathway::interchange
