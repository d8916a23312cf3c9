#include "app/workforce_demo.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "domain/framework.hpp"
#include "domain/workforce.hpp"
#include "interchange/framework_csv.hpp"
#include "store/assessment_writer.hpp"
#include "store/database.hpp"
#include "store/workforce_lookup.hpp"
#include "store/workforce_write.hpp"

namespace pathway::app {
namespace {

using domain::Clearance;
using domain::ClearanceStatus;
using domain::Error;
using domain::Grade;

// ---------------------------------------------------------------------------------
// Randomness: splitmix64, fixed and portable, so a seed gives the same data everywhere.

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // 0 <= result < n; n > 0.
  int Below(int n) { return static_cast<int>((Next() >> 11) % static_cast<std::uint64_t>(n)); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // An index drawn in proportion to `cumulative` (running totals, last = total).
  int Pick(const std::vector<double>& cumulative) {
    const double x = Unit() * cumulative.back();
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
    return static_cast<int>(
        std::min<std::ptrdiff_t>(it - cumulative.begin(), std::ssize(cumulative) - 1));
  }

 private:
  std::uint64_t state_;
};

std::uint64_t Mix(std::uint64_t seed, std::uint64_t stream) {
  Random r(seed ^ (stream * 0xd1b54a32d192ed03ULL));
  return r.Next();
}

std::vector<double> Cumulative(const std::vector<double>& weights) {
  std::vector<double> out(weights.size());
  std::partial_sum(weights.begin(), weights.end(), out.begin());
  return out;
}

// Splits `total` in proportion to `weights` (largest remainders), deterministically.
std::vector<std::int64_t> Apportion(std::int64_t total, const std::vector<double>& weights) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::int64_t> out(weights.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    out[i] = static_cast<std::int64_t>(std::floor(exact));
    given += out[i];
    remainders.emplace_back(exact - std::floor(exact), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total; ++k, ++given)
    ++out[remainders[k % remainders.size()].second];
  return out;
}

// ---------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01), after Howard Hinnant's algorithms.

int DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string IsoDate(int days) {
  days += 719468;
  const int era = (days >= 0 ? days : days - 146096) / 146097;
  const int doe = days - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  const int y = yoe + era * 400 + (m <= 2);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

// The demo's "today": fixed, so that the same seed gives the same dates on any day.
const int kToday = DaysFromCivil(2025, 4, 1);

// ---------------------------------------------------------------------------------
// A small RFC 4180 reader for professions.csv (the format is ours and simple).

Result<std::vector<std::vector<std::string>>> ReadCsv(std::string_view text,
                                                      std::string_view what) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
      }
      field.clear();
      row.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted) return Error::Internal(fmt::format("{} ends inside a quoted field", what));
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

// ---------------------------------------------------------------------------------
// The organisation.

struct DepartmentSpec {
  const char* code;
  const char* name;
  double weight;        // share of the workforce, in per cent
  bool high_security;   // defence, home and national security: more SC and DV posts
  double overseas;      // share of people posted overseas
  const char* leaning;  // profession multipliers: "code:factor,..."
};

constexpr DepartmentSpec kDepartments[] = {
    {"DWP", "Department for Work and Pensions", 18.0, false, 0.0,
     "operational-delivery:1.6,digital:1.3,counter-fraud:2"},
    {"MOJ", "Ministry of Justice", 17.0, false, 0.0, "operational-delivery:1.6,legal:2"},
    {"HMRC", "HM Revenue and Customs", 13.0, false, 0.0,
     "tax:8,digital:1.3,counter-fraud:2,policy:0.5"},
    {"MOD", "Ministry of Defence", 12.0, true, 0.02,
     "science-and-engineering:5,security:3,project-delivery:2,commercial:2"},
    {"HO", "Home Office", 9.0, true, 0.005,
     "operational-delivery:1.4,intelligence-analysis:4,security:2"},
    {"DEFRA", "Department for Environment, Food and Rural Affairs", 5.0, false, 0.0,
     "veterinary:12,science-and-engineering:3,geography:4"},
    {"DFT", "Department for Transport", 4.0, false, 0.0,
     "operational-delivery:1.2,science-and-engineering:2,project-delivery:2"},
    {"FCDO", "Foreign, Commonwealth and Development Office", 4.0, true, 0.3,
     "policy:4,economics:2,security:2"},
    {"CO", "Cabinet Office", 3.0, true, 0.0, "policy:3,digital:2,commercial:2,project-delivery:2"},
    {"DFE", "Department for Education", 2.5, false, 0.0, "policy:3,social-research:3,statistics:2"},
    {"DHSC", "Department of Health and Social Care", 2.0, false, 0.0,
     "policy:3,medicine:15,economics:2"},
    {"DBT", "Department for Business and Trade", 1.5, false, 0.08,
     "policy:3,economics:3,corporate-finance:4"},
    {"DESNZ", "Department for Energy Security and Net Zero", 1.5, false, 0.0,
     "policy:3,science-and-engineering:3,economics:2"},
    {"DSIT", "Department for Science, Innovation and Technology", 1.3, false, 0.0,
     "policy:3,digital:3,science-and-engineering:2"},
    {"MHCLG", "Ministry of Housing, Communities and Local Government", 1.3, false, 0.0,
     "policy:3,planning:8,planning-inspectors:6"},
    {"HMT", "HM Treasury", 0.8, false, 0.0, "policy:3,economics:8,finance:2,corporate-finance:6"},
    {"DCMS", "Department for Culture, Media and Sport", 0.6, false, 0.0,
     "policy:3,communication:2"},
    {"UKSA", "UK Statistics Authority", 1.0, false, 0.0, "statistics:25,social-research:8"},
    {"CPS", "Crown Prosecution Service", 1.2, false, 0.0, "legal:15"},
    {"HMLR", "HM Land Registry", 1.2, false, 0.0, "operational-delivery:1.3,property:3,legal:2"},
};

// Directorates: every department has each, under the Permanent Secretary's office.
struct UnitSpec {
  const char* code;
  const char* name;
  const char* professions;  // professions whose posts sit here, comma-separated
};

constexpr UnitSpec kUnits[] = {
    {"PSO", "Office of the Permanent Secretary", ""},
    {"OPS", "Operations", "operational-delivery,tax,counter-fraud"},
    {"DDAT", "Digital, Data and Technology", "digital"},
    {"POL", "Policy and Strategy",
     "policy,economics,social-research,statistics,operational-research,geography,actuarial"},
    {"FIN", "Finance", "finance,internal-audit,corporate-finance"},
    {"PEO", "People and Capability", "human-resources,occupational-psychology"},
    {"COM", "Commercial", "commercial"},
    {"COMMS", "Communications", "communication"},
    {"LEG", "Legal Services", "legal"},
    {"SEC", "Security, Estates and Information",
     "security,property,knowledge-and-information-management,intelligence-analysis"},
    {"PROG", "Programmes and Projects", "project-delivery"},
    {"SCI", "Science and Specialist Services",
     "science-and-engineering,medicine,veterinary,planning,planning-inspectors"},
};
constexpr int kUnitCount = static_cast<int>(std::size(kUnits));

struct LocationSpec {
  const char* code;
  const char* name;
  const char* region;
};

constexpr LocationSpec kLocations[] = {
    {"NCL", "Newcastle upon Tyne", "TLC"},
    {"SUN", "Sunderland", "TLC"},
    {"MBR", "Middlesbrough", "TLC"},
    {"DUR", "Durham", "TLC"},
    {"MAN", "Manchester", "TLD"},
    {"LIV", "Liverpool", "TLD"},
    {"PRE", "Preston", "TLD"},
    {"BLP", "Blackpool", "TLD"},
    {"LDS", "Leeds", "TLE"},
    {"SHF", "Sheffield", "TLE"},
    {"YRK", "York", "TLE"},
    {"HUL", "Hull", "TLE"},
    {"NOT", "Nottingham", "TLF"},
    {"LEI", "Leicester", "TLF"},
    {"DER", "Derby", "TLF"},
    {"LIN", "Lincoln", "TLF"},
    {"BHM", "Birmingham", "TLG"},
    {"COV", "Coventry", "TLG"},
    {"WOL", "Wolverhampton", "TLG"},
    {"TEL", "Telford", "TLG"},
    {"CAM", "Cambridge", "TLH"},
    {"NOR", "Norwich", "TLH"},
    {"IPS", "Ipswich", "TLH"},
    {"PBO", "Peterborough", "TLH"},
    {"LON-WM", "London (Westminster)", "TLI"},
    {"LON-CW", "London (Canary Wharf)", "TLI"},
    {"LON-CR", "London (Croydon)", "TLI"},
    {"LON-ST", "London (Stratford)", "TLI"},
    {"RDG", "Reading", "TLJ"},
    {"BTN", "Brighton", "TLJ"},
    {"SOU", "Southampton", "TLJ"},
    {"PME", "Portsmouth", "TLJ"},
    {"MK", "Milton Keynes", "TLJ"},
    {"BRS", "Bristol", "TLK"},
    {"PLY", "Plymouth", "TLK"},
    {"EXE", "Exeter", "TLK"},
    {"SWI", "Swindon", "TLK"},
    {"CDF", "Cardiff", "TLL"},
    {"SWA", "Swansea", "TLL"},
    {"NWP", "Newport", "TLL"},
    {"GLA", "Glasgow", "TLM"},
    {"EDI", "Edinburgh", "TLM"},
    {"DND", "Dundee", "TLM"},
    {"ABZ", "Aberdeen", "TLM"},
    {"BFS", "Belfast", "TLN"},
    {"LDY", "Derry~Londonderry", "TLN"},
    {"WAS", "Washington DC", "OVERSEAS"},
    {"BRU", "Brussels", "OVERSEAS"},
    {"DEL", "New Delhi", "OVERSEAS"},
    {"NBO", "Nairobi", "OVERSEAS"},
};
constexpr int kLocationCount = static_cast<int>(std::size(kLocations));

// Share of people by region (per cent), London about a fifth.
double RegionWeight(std::string_view region) {
  static const std::map<std::string_view, double> kWeights{
      {"TLC", 7},  {"TLD", 11}, {"TLE", 9}, {"TLF", 5}, {"TLG", 7}, {"TLH", 5},
      {"TLI", 20}, {"TLJ", 8},  {"TLK", 7}, {"TLL", 6}, {"TLM", 9}, {"TLN", 2.5}};
  const auto it = kWeights.find(region);
  return it == kWeights.end() ? 0.0 : it->second;
}

// Grade mix of the Civil Service: AA, AO, EO, HEO, SEO, G7, G6, then all SCS.
constexpr std::array<double, 8> kGradeShares{4, 22, 27, 18, 12, 11, 5, 1};

// Base share of each profession (per cent), before a department's leaning.
double ProfessionBase(std::string_view code) {
  static const std::map<std::string_view, double> kBase{
      {"operational-delivery", 42},
      {"policy", 6},
      {"digital", 5},
      {"finance", 3.5},
      {"human-resources", 2.5},
      {"project-delivery", 3},
      {"tax", 1},
      {"commercial", 1.5},
      {"communication", 1.2},
      {"science-and-engineering", 2},
      {"security", 1.2},
      {"legal", 1.2},
      {"intelligence-analysis", 0.6},
      {"counter-fraud", 0.8},
      {"internal-audit", 0.3},
      {"knowledge-and-information-management", 0.8},
      {"economics", 0.6},
      {"statistics", 0.5},
      {"social-research", 0.3},
      {"operational-research", 0.3},
      {"actuarial", 0.05},
      {"corporate-finance", 0.08},
      {"geography", 0.1},
      {"medicine", 0.05},
      {"occupational-psychology", 0.1},
      {"planning", 0.15},
      {"planning-inspectors", 0.05},
      {"property", 0.5},
      {"veterinary", 0.1}};
  const auto it = kBase.find(code);
  return it == kBase.end() ? 0.2 : it->second;
}

double Leaning(std::string_view leaning, std::string_view profession) {
  std::size_t start = 0;
  while (start < leaning.size()) {
    std::size_t end = leaning.find(',', start);
    if (end == std::string_view::npos) end = leaning.size();
    const std::string_view pair = leaning.substr(start, end - start);
    const std::size_t colon = pair.find(':');
    if (pair.substr(0, colon) == profession) return std::stod(std::string(pair.substr(colon + 1)));
    start = end + 1;
  }
  return 1.0;
}

bool ListHas(std::string_view list, std::string_view code) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    if (list.substr(start, end - start) == code) return true;
    start = end + 1;
  }
  return false;
}

// ---------------------------------------------------------------------------------
// Professions, loaded from the shipped files.

struct ItemInfo {
  std::string id;
  bool behaviour = false;
};

struct LevelInfo {
  int profession = 0;
  Grade grade_min = Grade::kAA;
  Grade grade_max = Grade::kAA;
  std::vector<std::pair<int, int>> requirements;  // (item index, level)
};

struct Catalogue {
  std::vector<domain::Profession> professions;
  std::vector<domain::JobFamily> families;
  std::vector<domain::CareerRole> roles;
  std::vector<domain::RoleLevel> role_levels;
  std::vector<ItemInfo> items;
  std::vector<std::vector<int>> profession_skills;  // item indexes of each profession
  std::vector<int> behaviours;                      // item indexes
  std::vector<LevelInfo> levels;                    // parallel to role_levels
  // Role levels of each profession open to each grade.
  std::vector<std::array<std::vector<int>, domain::kGradeCount>> levels_by_grade;
  std::map<std::string, int, std::less<>> profession_index;
};

std::string ProblemsText(const std::vector<interchange::ImportProblem>& problems) {
  std::string text;
  for (const auto& p : problems) text += "\n  " + interchange::FormatImportProblem(p);
  return text;
}

// Reads professions.csv into `catalogue`, resolving requirement titles against the
// imported frameworks (`skills` by profession code, `behaviours` by title).
Status ReadProfessions(
    std::string_view text,
    const std::map<std::string, std::map<std::string, int, std::less<>>, std::less<>>& skills,
    const std::map<std::string, int, std::less<>>& behaviours, Catalogue& catalogue) {
  PATHWAY_ASSIGN_OR_RETURN(auto rows, ReadCsv(text, "professions.csv"));
  const std::vector<std::string> header{"type",      "code",      "parent", "name",  "text",
                                        "grade_min", "grade_max", "level",  "weight"};
  if (rows.empty() || rows.front() != header) {
    return Error::Internal("professions.csv does not start with the expected header");
  }
  std::map<std::string, int, std::less<>> role_profession;
  std::map<std::string, int, std::less<>> family_profession;
  std::map<std::string, int, std::less<>> role_positions;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() != header.size()) {
      return Error::Internal(
          fmt::format("professions.csv line {} has {} fields", r + 1, row.size()));
    }
    const std::string& type = row[0];
    const auto bad = [&](std::string_view why) {
      return Error::Internal(fmt::format("professions.csv line {}: {}", r + 1, why));
    };
    if (type == "profession") {
      catalogue.profession_index[row[1]] = static_cast<int>(catalogue.professions.size());
      catalogue.professions.push_back({row[1], row[3], row[4], "", ""});
    } else if (type == "induction") {
      const auto it = catalogue.profession_index.find(row[2]);
      if (it == catalogue.profession_index.end()) return bad("unknown profession");
      catalogue.professions[static_cast<std::size_t>(it->second)].induction = row[4];
    } else if (type == "family") {
      const auto it = catalogue.profession_index.find(row[2]);
      if (it == catalogue.profession_index.end()) return bad("unknown profession");
      family_profession[row[1]] = it->second;
      catalogue.families.push_back({row[1], row[3], row[2]});
    } else if (type == "role") {
      const auto it = family_profession.find(row[2]);
      if (it == family_profession.end()) return bad("unknown job family");
      role_profession[row[1]] = it->second;
      catalogue.roles.push_back({row[1], row[3], row[4], row[2]});
    } else if (type == "level") {
      const auto it = role_profession.find(row[2]);
      const auto min = domain::ParseGrade(row[5]);
      const auto max = domain::ParseGrade(row[6]);
      if (it == role_profession.end() || !min || !max) return bad("unknown role or grade");
      domain::RoleLevel level;
      level.code = row[1];
      level.title = row[3];
      level.role = row[2];
      level.position = ++role_positions[row[2]];
      level.grade_min = *min;
      level.grade_max = *max;
      catalogue.role_levels.push_back(std::move(level));
      catalogue.levels.push_back({it->second, *min, *max, {}});
    } else if (type == "experience" || type == "qualification" || type == "requirement") {
      if (catalogue.role_levels.empty() || catalogue.role_levels.back().code != row[2]) {
        return bad("a statement or requirement must follow its level");
      }
      domain::RoleLevel& level = catalogue.role_levels.back();
      if (type == "experience") {
        level.experience.push_back(row[4]);
      } else if (type == "qualification") {
        level.qualifications.push_back(row[4]);
      } else {
        LevelInfo& info = catalogue.levels.back();
        int item = -1;
        if (row[1] == "behaviour") {
          const auto it = behaviours.find(row[3]);
          if (it != behaviours.end()) item = it->second;
        } else {
          const auto& code = catalogue.professions[static_cast<std::size_t>(info.profession)].code;
          const auto prof = skills.find(code);
          if (prof != skills.end()) {
            const auto it = prof->second.find(row[3]);
            if (it != prof->second.end()) item = it->second;
          }
        }
        if (item < 0) return bad(fmt::format("no skill or behaviour titled {}", row[3]));
        const int lvl = std::stoi(row[7]);
        const int weight = std::stoi(row[8]);
        level.requirements.push_back(
            {catalogue.items[static_cast<std::size_t>(item)].id, lvl, weight});
        info.requirements.emplace_back(item, lvl);
      }
    } else {
      return bad(fmt::format("unknown row type {}", type));
    }
  }
  catalogue.levels_by_grade.resize(catalogue.professions.size());
  for (std::size_t i = 0; i < catalogue.levels.size(); ++i) {
    const LevelInfo& info = catalogue.levels[i];
    for (int g = static_cast<int>(info.grade_min); g <= static_cast<int>(info.grade_max); ++g) {
      catalogue
          .levels_by_grade[static_cast<std::size_t>(info.profession)][static_cast<std::size_t>(g)]
          .push_back(static_cast<int>(i));
    }
  }
  return domain::Ok{};
}

// ---------------------------------------------------------------------------------
// The generated workforce, as indexes until it is written.

struct GenPost {
  int department = 0;
  int unit = 0;  // index into units (department * kUnitCount + kUnits index)
  int location = 0;
  int role_level = 0;
  Grade grade = Grade::kAA;
  Clearance clearance = Clearance::kBPSS;
  bool critical = false;
};

struct GenPerson {
  int department = 0;
  int unit_kind = 0;  // kUnits index
  int location = 0;
  Grade grade = Grade::kAA;
  int profession = 0;         // anchor
  int other_profession = -1;  // or -1
  int post = -1;
  int manager = -1;
  int reports = 0;
  int first_name = 0;
  int last_name = 0;
  int start_day = 0;
  int cast = -1;  // index into the cast, or -1
  std::uint64_t seed = 0;
};

int SkillLevelForGrade(Grade g) {
  static constexpr std::array<int, domain::kGradeCount> kLevels{1, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  return kLevels[static_cast<std::size_t>(g)];
}
int BehaviourLevelForGrade(Grade g) {
  static constexpr std::array<int, domain::kGradeCount> kLevels{1, 1, 2, 3, 3, 4, 4, 5, 6, 6};
  return kLevels[static_cast<std::size_t>(g)];
}

class Generator {
 public:
  Generator(const Catalogue& catalogue, std::int64_t people, std::uint64_t seed,
            std::size_t first_names, std::size_t last_names)
      : c_(catalogue),
        n_(people),
        seed_(seed),
        first_names_(static_cast<int>(first_names)),
        last_names_(static_cast<int>(last_names)) {}

  void Run() {
    Random rng(Mix(seed_, 1));
    std::vector<double> weights;
    for (const auto& d : kDepartments) weights.push_back(d.weight);
    const auto sizes = Apportion(n_, weights);
    for (int d = 0; d < static_cast<int>(std::size(kDepartments)); ++d) {
      GenerateDepartment(d, std::max<std::int64_t>(1, sizes[static_cast<std::size_t>(d)]), rng);
    }
  }

  const Catalogue& c_;
  std::int64_t n_;
  std::uint64_t seed_;
  int first_names_;
  int last_names_;
  std::vector<GenPerson> people;
  std::vector<GenPost> posts;
  std::vector<int> roots;  // each department's head

  int PickLocation(int department, Random& rng) {
    const auto& spec = kDepartments[department];
    if (spec.overseas > 0 && rng.Chance(spec.overseas)) {
      return kLocationCount - 4 + rng.Below(4);
    }
    static const std::vector<double> kCumulative = [] {
      std::vector<double> w;
      for (const auto& l : kLocations) {
        const double share = RegionWeight(l.region);
        int in_region = 0;
        for (const auto& other : kLocations)
          in_region += std::string_view(other.region) == l.region;
        w.push_back(share / in_region);
      }
      return Cumulative(w);
    }();
    return rng.Pick(kCumulative);
  }

  int PickProfession(int department, Grade grade, Random& rng) {
    auto& cache =
        profession_weights_[static_cast<std::size_t>(department)][static_cast<std::size_t>(grade)];
    if (cache.empty()) {
      std::vector<double> w;
      for (std::size_t p = 0; p < c_.professions.size(); ++p) {
        const std::string& code = c_.professions[p].code;
        double weight = ProfessionBase(code) * Leaning(kDepartments[department].leaning, code);
        const bool od = code == "operational-delivery";
        if (grade <= Grade::kAO) weight *= od ? 2.5 : 0.3;
        if (grade == Grade::kEO && od) weight *= 1.5;
        if (grade >= Grade::kG7 && od) weight *= 0.5;
        if (c_.levels_by_grade[p][static_cast<std::size_t>(grade)].empty()) weight = 0;
        w.push_back(weight);
      }
      cache = Cumulative(w);
    }
    return rng.Pick(cache);
  }

  int PickRoleLevel(int profession, Grade grade, Random& rng) const {
    const auto& options =
        c_.levels_by_grade[static_cast<std::size_t>(profession)][static_cast<std::size_t>(grade)];
    if (options.empty()) return -1;
    return options[static_cast<std::size_t>(rng.Below(static_cast<int>(options.size())))];
  }

  int UnitKindFor(int profession) const {
    const std::string& code = c_.professions[static_cast<std::size_t>(profession)].code;
    for (int u = 1; u < kUnitCount; ++u) {
      if (ListHas(kUnits[u].professions, code)) return u;
    }
    return 1;
  }

  Clearance PickClearance(int department, int profession, Grade grade, Random& rng) const {
    const std::string& code = c_.professions[static_cast<std::size_t>(profession)].code;
    const bool sensitive = kDepartments[department].high_security || code == "security" ||
                           code == "intelligence-analysis" || code == "counter-fraud";
    double ctc = sensitive ? 0.20 : 0.14;
    double sc = sensitive ? 0.33 : 0.10;
    double dv = sensitive ? 0.08 : 0.01;
    if (grade >= Grade::kSCS1) {
      sc += 0.3;
      dv += 0.05;
    }
    const double x = rng.Unit();
    if (x < dv) return Clearance::kDV;
    if (x < dv + sc) return Clearance::kSC;
    if (x < dv + sc + ctc) return Clearance::kCTC;
    return Clearance::kBPSS;
  }

  int NewPost(int department, int unit_kind, int location, int profession, Grade grade,
              Random& rng) {
    GenPost post;
    post.department = department;
    post.unit = department * kUnitCount + unit_kind;
    post.location = location;
    post.grade = grade;
    post.role_level = PickRoleLevel(profession, grade, rng);
    post.clearance = PickClearance(department, profession, grade, rng);
    post.critical = rng.Chance(grade >= Grade::kG6 ? 0.15 : 0.025);
    posts.push_back(post);
    return static_cast<int>(posts.size() - 1);
  }

  void GenerateDepartment(int department, std::int64_t size, Random& rng) {
    std::vector<double> shares(kGradeShares.begin(), kGradeShares.end());
    auto bands = Apportion(size, shares);
    if (bands[7] == 0) {  // every department has a head
      const auto largest = std::max_element(bands.begin(), bands.end()) - bands.begin();
      --bands[static_cast<std::size_t>(largest)];
      bands[7] = 1;
    }
    // Senior Civil Service: the head (SCS3), directors general (SCS3), directors (SCS2),
    // deputy directors (SCS1), in a pyramid that spans of 4 to 10 can hold.
    const std::int64_t scs = bands[7];
    const std::int64_t dgs =
        scs >= 8 ? std::clamp<std::int64_t>(std::llround(static_cast<double>(scs) / 30.0), 1, 9)
                 : 0;
    const std::int64_t rest = scs - 1 - dgs;
    const std::int64_t directors =
        std::clamp<std::int64_t>(std::llround(static_cast<double>(scs) * 0.2), std::min(rest, dgs),
                                 std::min(rest, 10 * std::max<std::int64_t>(dgs, 1)));
    std::vector<Grade> grades;
    grades.reserve(static_cast<std::size_t>(size));
    grades.push_back(Grade::kSCS3);
    for (std::int64_t i = 0; i < dgs; ++i) grades.push_back(Grade::kSCS3);
    for (std::int64_t i = 0; i < directors; ++i) grades.push_back(Grade::kSCS2);
    for (std::int64_t i = 0; i < rest - directors; ++i) grades.push_back(Grade::kSCS1);
    for (int band = 6; band >= 0; --band) {
      for (std::int64_t i = 0; i < bands[static_cast<std::size_t>(band)]; ++i) {
        grades.push_back(static_cast<Grade>(band));
      }
    }

    const int first = static_cast<int>(people.size());
    for (std::size_t i = 0; i < grades.size(); ++i) {
      GenPerson p;
      p.department = department;
      p.grade = grades[i];
      p.profession = PickProfession(department, p.grade, rng);
      p.unit_kind = p.grade == Grade::kSCS3 ? 0 : UnitKindFor(p.profession);
      p.first_name = rng.Below(first_names_);
      p.last_name = rng.Below(last_names_);
      p.seed = rng.Next();
      people.push_back(p);
    }
    roots.push_back(first);
    BuildTree(department, first, static_cast<int>(people.size()), static_cast<int>(dgs), rng);

    // Places, posts, professions, dates.
    for (int i = first; i < static_cast<int>(people.size()); ++i) {
      GenPerson& p = people[static_cast<std::size_t>(i)];
      if (p.manager < 0) {
        p.location = 24;  // London (Westminster)
      } else if (p.grade >= Grade::kSCS1 && rng.Chance(0.6)) {
        p.location = 24 + rng.Below(2);
      } else if (people[static_cast<std::size_t>(p.manager)].grade < Grade::kSCS1 &&
                 rng.Chance(0.6)) {
        // Most teams sit together; senior leaders' direct reports may be anywhere.
        p.location = people[static_cast<std::size_t>(p.manager)].location;
      } else {
        p.location = PickLocation(department, rng);
      }
      const int post_profession = p.profession;
      p.post = NewPost(department, p.unit_kind, p.location, post_profession, p.grade, rng);
      if (rng.Chance(0.1)) {
        // Works in a post of one profession while belonging to another.
        int other = PickProfession(department, p.grade, rng);
        for (int tries = 0; other == post_profession && tries < 8; ++tries) {
          other = PickProfession(department, p.grade, rng);
        }
        if (other != post_profession) {
          p.profession = other;
          p.other_profession = post_profession;
        }
      } else if (rng.Chance(0.05)) {
        const int other = PickProfession(department, p.grade, rng);
        if (other != p.profession) p.other_profession = other;
      }
      static constexpr std::array<double, domain::kGradeCount> kTenure{2,  5,  7,  9,  11,
                                                                       13, 15, 18, 20, 22};
      const double years =
          std::min(40.0, -std::log(1.0 - rng.Unit()) * kTenure[static_cast<std::size_t>(p.grade)]);
      p.start_day = kToday - 30 - static_cast<int>(years * 365.25);
    }
    // About one post in twenty is vacant.
    const std::int64_t vacancies = std::max<std::int64_t>(1, size / 20);
    for (std::int64_t v = 0; v < vacancies; ++v) {
      const GenPerson& like =
          people[static_cast<std::size_t>(first + rng.Below(static_cast<int>(size)))];
      const Grade grade = like.grade >= Grade::kSCS2 ? Grade::kSCS1 : like.grade;
      const int profession = PickProfession(department, grade, rng);
      NewPost(department, UnitKindFor(profession), PickLocation(department, rng), profession, grade,
              rng);
    }
  }

  // Line management within one department: the head at the top, directors general
  // under the head, then each person under someone of a higher grade, preferring the
  // nearest grade and their own directorate, filling each manager's span (4 to 10)
  // before taking on another manager.
  void BuildTree(int department, int first, int end, int dgs, Random& rng) {
    (void)department;
    constexpr int kGrades = domain::kGradeCount;
    // open[unit][grade]: managers with room; idle[unit][grade]: not yet managers.
    std::vector<std::vector<int>> open(static_cast<std::size_t>((kUnitCount + 1) * kGrades));
    std::vector<std::vector<int>> idle(static_cast<std::size_t>((kUnitCount + 1) * kGrades));
    std::vector<std::size_t> idle_cursor(idle.size(), 0);
    std::vector<int> room(static_cast<std::size_t>(end - first), 0);
    std::vector<char> manager(static_cast<std::size_t>(end - first), 0);
    const auto slot = [&](int unit, Grade g) {
      return static_cast<std::size_t>(unit * kGrades + static_cast<int>(g));
    };
    const int all = kUnitCount;  // the department-wide lists
    const auto promote = [&](int who) {
      manager[static_cast<std::size_t>(who - first)] = 1;
      room[static_cast<std::size_t>(who - first)] = 4 + rng.Below(7);
      const GenPerson& m = people[static_cast<std::size_t>(who)];
      open[slot(m.unit_kind, m.grade)].push_back(who);
      open[slot(all, m.grade)].push_back(who);
    };
    const auto take_open = [&](std::size_t s) -> int {
      auto& list = open[s];
      while (!list.empty() && room[static_cast<std::size_t>(list.back() - first)] <= 0) {
        list.pop_back();
      }
      return list.empty() ? -1 : list.back();
    };
    const auto take_idle = [&](std::size_t s) -> int {
      auto& list = idle[s];
      auto& cursor = idle_cursor[s];
      while (cursor < list.size() && manager[static_cast<std::size_t>(list[cursor] - first)]) {
        ++cursor;
      }
      if (cursor >= list.size()) return -1;
      const int who = list[cursor++];
      promote(who);
      return who;
    };
    const int root = first;
    manager[0] = 1;
    room[0] = std::max(0, 8 - dgs);
    open[slot(0, Grade::kSCS3)].push_back(root);
    open[slot(all, Grade::kSCS3)].push_back(root);
    for (int i = first + 1; i < end; ++i) {
      GenPerson& p = people[static_cast<std::size_t>(i)];
      int chosen = -1;
      if (p.grade == Grade::kSCS3) {
        chosen = root;  // directors general report to the head
      } else {
        for (int pass = 0; pass < 2 && chosen < 0; ++pass) {
          const int unit = pass == 0 ? p.unit_kind : all;
          for (int g = static_cast<int>(p.grade) + 1; g < kGrades && chosen < 0; ++g) {
            chosen = take_open(slot(unit, static_cast<Grade>(g)));
            if (chosen < 0) chosen = take_idle(slot(unit, static_cast<Grade>(g)));
          }
        }
        if (chosen < 0) chosen = root;
      }
      p.manager = chosen;
      --room[static_cast<std::size_t>(chosen - first)];
      ++people[static_cast<std::size_t>(chosen)].reports;
      idle[slot(p.unit_kind, p.grade)].push_back(i);
      idle[slot(all, p.grade)].push_back(i);
    }
  }

 private:
  std::array<std::array<std::vector<double>, domain::kGradeCount>, std::size(kDepartments)>
      profession_weights_;
};

// ---------------------------------------------------------------------------------
// Casting the named demo people into the generated workforce.

Status Cast(Generator& gen, std::span<const DemoCastMember> cast, Random& rng) {
  std::vector<int> placed(cast.size(), -1);
  const auto department_of = [](std::string_view code) {
    for (int d = 0; d < static_cast<int>(std::size(kDepartments)); ++d) {
      if (kDepartments[d].code == code) return d;
    }
    return -1;
  };
  for (std::size_t k = 0; k < cast.size(); ++k) {
    const DemoCastMember& member = cast[k];
    const int department = department_of(member.department);
    if (department < 0) {
      return Error::Internal(fmt::format("There is no demo department {}", member.department));
    }
    int profession = -1;
    if (!member.profession.empty()) {
      const auto it = gen.c_.profession_index.find(member.profession);
      if (it == gen.c_.profession_index.end()) {
        return Error::Internal(fmt::format("There is no profession {}", member.profession));
      }
      profession = it->second;
    }
    const auto free = [&](int i) {
      return gen.people[static_cast<std::size_t>(i)].cast < 0 &&
             gen.people[static_cast<std::size_t>(i)].department == department;
    };
    // The best candidate by `score` (higher is better; below 0 is never chosen).
    const auto best = [&](auto score) {
      int chosen = -1;
      int top = -1;
      for (int i = 0; i < static_cast<int>(gen.people.size()); ++i) {
        if (!free(i)) continue;
        const int s = score(gen.people[static_cast<std::size_t>(i)]);
        if (s > top) {
          top = s;
          chosen = i;
        }
      }
      return chosen;
    };
    const auto fits = [&](const GenPerson& p) {
      return profession < 0 || p.profession == profession;
    };
    int chosen = -1;
    switch (member.place) {
      case DemoCastMember::Place::kHead:
        chosen = gen.roots[static_cast<std::size_t>(department)];
        break;
      case DemoCastMember::Place::kLineManager:
        chosen = best([&](const GenPerson& p) {
          if (p.reports < 2 || p.manager < 0) return -1;
          return (p.reports >= 3 ? 4 : 0) + (p.grade == Grade::kG7 ? 2 : 0) + (fits(p) ? 1 : 0);
        });
        break;
      case DemoCastMember::Place::kReportOf: {
        int boss = -1;
        for (std::size_t j = 0; j < k; ++j) {
          if (cast[j].external_id == member.manager) boss = placed[j];
        }
        if (boss < 0) {
          return Error::Internal(fmt::format("Cast member {} must follow their manager {}",
                                             member.external_id, member.manager));
        }
        chosen = best([&](const GenPerson& p) {
          if (p.manager != boss) return -1;
          return (p.reports == 0 ? 4 : 0) + (fits(p) ? 2 : 0) + rng.Below(2);
        });
        break;
      }
      case DemoCastMember::Place::kMember:
        chosen = best([&](const GenPerson& p) {
          if (p.manager < 0) return -1;
          return (fits(p) ? 4 : 0) + (p.grade >= Grade::kHEO && p.grade <= Grade::kG7 ? 2 : 0) +
                 rng.Below(2);
        });
        break;
    }
    if (chosen < 0) {
      return Error::InvalidInput(
          "people", fmt::format("The demo needs more people to place {}", member.name));
    }
    GenPerson& p = gen.people[static_cast<std::size_t>(chosen)];
    p.cast = static_cast<int>(k);
    placed[k] = chosen;
    if (profession >= 0 && p.profession != profession) {
      // Their post changes to a role level of the new profession at their grade.
      p.profession = profession;
      p.other_profession = -1;
      GenPost& post = gen.posts[static_cast<std::size_t>(p.post)];
      const int level = gen.PickRoleLevel(profession, p.grade, rng);
      if (level >= 0) post.role_level = level;
    }
  }
  return domain::Ok{};
}

// ---------------------------------------------------------------------------------
// Assessments: 20 to 40 items a person, those their role level requires first.

const char* const kEvidence[] = {
    "Situation: a backlog of cases before a deadline. Task: clear it without losing quality. "
    "Action: re-planned the team's work and set daily checks. Result: cleared two weeks early.",
    "Situation: a new service with low take-up. Task: find out why. Action: ran sessions with "
    "users and changed the guidance. Result: take-up doubled in three months.",
    "Situation: a colleague new to the team. Task: help them settle in. Action: set up a buddy "
    "scheme and weekly check-ins. Result: they were working on their own within a month.",
    "Situation: a security incident in a shared mailbox. Task: contain it. Action: reported it "
    "at once and changed the sharing rules. Result: no further data was exposed.",
};

// One generated assessment, compact: the load writes about thirty million of them.
struct GenAssessment {
  int item = 0;  // index into Catalogue::items
  int day = 0;   // assessed on, as a day number
  std::int8_t level = 1;
  domain::AssessorKind assessor = domain::AssessorKind::kSelf;
  std::int8_t evidence = -1;  // index into kEvidence, or -1 for none
};

void AppendPersonAssessments(const Catalogue& c, const Generator& gen, int index,
                             std::uint64_t seed, std::vector<GenAssessment>& out) {
  const GenPerson& p = gen.people[static_cast<std::size_t>(index)];
  Random rng(Mix(seed, 1'000'003ULL + static_cast<std::uint64_t>(index)));
  const int target = 20 + rng.Below(21);
  const int expected = SkillLevelForGrade(p.grade);
  const int behaviour_expected = BehaviourLevelForGrade(p.grade);
  const GenPost& post = gen.posts[static_cast<std::size_t>(p.post)];
  const LevelInfo& level = c.levels[static_cast<std::size_t>(post.role_level)];

  std::vector<std::pair<int, int>> chosen;  // (item, level)
  chosen.reserve(48);
  const auto has = [&](int item) {
    return std::any_of(chosen.begin(), chosen.end(),
                       [&](const auto& e) { return e.first == item; });
  };
  const auto noise = [&]() {
    const double x = rng.Unit();
    return x < 0.25 ? -1 : (x < 0.8 ? 0 : 1);
  };
  for (const auto& [item, required] : level.requirements) {
    if (static_cast<int>(chosen.size()) >= target) break;
    const int max = c.items[static_cast<std::size_t>(item)].behaviour ? 6 : 4;
    chosen.emplace_back(item, std::clamp(required + noise(), 1, max));
  }
  const auto add_skills = [&](int profession, int offset) {
    for (int item : c.profession_skills[static_cast<std::size_t>(profession)]) {
      if (static_cast<int>(chosen.size()) >= target) return;
      if (has(item)) continue;
      chosen.emplace_back(item, std::clamp(expected + offset + noise(), 1, 4));
    }
  };
  add_skills(p.profession, 0);
  for (int item : c.behaviours) {
    if (static_cast<int>(chosen.size()) >= target) break;
    if (has(item)) continue;
    chosen.emplace_back(item, std::clamp(behaviour_expected + noise(), 1, 6));
  }
  if (p.other_profession >= 0) add_skills(p.other_profession, -1);
  // Then skills of neighbouring professions, as people often assess what they use.
  const int professions = static_cast<int>(c.professions.size());
  for (int step = 1; static_cast<int>(chosen.size()) < target && step < professions; ++step) {
    add_skills((p.profession + step * 7) % professions, -2);
  }

  const int from = std::max(p.start_day, kToday - 3 * 365);
  const int span = std::max(1, kToday - from);
  for (const auto& [item, lvl] : chosen) {
    GenAssessment a;
    a.item = item;
    a.level = static_cast<std::int8_t>(lvl);
    a.day = from + rng.Below(span);
    const double x = rng.Unit();
    a.assessor = x < 0.6
                     ? domain::AssessorKind::kSelf
                     : (x < 0.92 ? domain::AssessorKind::kManager : domain::AssessorKind::kPanel);
    if (rng.Chance(0.04)) a.evidence = static_cast<std::int8_t>(rng.Below(4));
    out.push_back(a);
    if (a.assessor == domain::AssessorKind::kSelf && rng.Chance(0.08)) {
      // A manager later confirms the level, or moderates it by one.
      GenAssessment confirmed = a;
      confirmed.assessor = domain::AssessorKind::kManager;
      confirmed.level =
          static_cast<std::int8_t>(std::clamp(lvl - (rng.Chance(0.3) ? 1 : 0), 1, lvl));
      confirmed.evidence = -1;
      confirmed.day = std::max(a.day, std::min(kToday, from + rng.Below(span) + 30));
      out.push_back(confirmed);
    }
  }
}

// ISO dates of the day numbers assessments use, formatted once instead of per row.
class DateTexts {
 public:
  DateTexts(int first, int last) : first_(first) {
    texts_.reserve(static_cast<std::size_t>(last - first + 1));
    for (int day = first; day <= last; ++day) {
      const std::string text = IsoDate(day);
      std::array<char, 10> chars{};
      std::copy_n(text.begin(), std::min<std::size_t>(text.size(), chars.size()), chars.begin());
      texts_.push_back(chars);
    }
  }
  // Valid as long as this object.
  std::string_view operator()(int day) {
    const auto index = static_cast<std::size_t>(day - first_);
    if (day >= first_ && index < texts_.size()) return {texts_[index].data(), texts_[index].size()};
    return others_.try_emplace(day, IsoDate(day)).first->second;
  }

 private:
  int first_;
  std::vector<std::array<char, 10>> texts_;
  std::map<int, std::string> others_;  // days outside the table; nodes never move
};

std::string Thousands(std::int64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

}  // namespace

Result<WorkforceDemoCounts> CreateDemoWorkforce(UnitOfWork& kernel, FrameworkService& frameworks,
                                                const WorkforceDemoFiles& files,
                                                std::span<const DemoCastMember> cast,
                                                const WorkforceDemoOptions& options) {
  if (options.people < kMinDemoPeople || options.people > kMaxDemoPeople) {
    return Error::InvalidInput(
        "people", fmt::format("Enter a number of people from {} to {}", Thousands(kMinDemoPeople),
                              Thousands(kMaxDemoPeople)));
  }
  const auto say = [&](const std::string& message) {
    if (options.progress) options.progress(message);
  };
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed = [&]() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };

  // The frameworks: Success Profiles behaviours (already imported by the caller) and a
  // career framework for each profession, imported here as published.
  Catalogue catalogue;
  std::map<std::string, int, std::less<>> behaviours;
  {
    auto parsed = interchange::ParseFrameworkCsv(files.success_profiles);
    if (!parsed.ok()) {
      return Error::Internal("The Success Profiles file does not parse:" +
                             ProblemsText(parsed.problems()));
    }
    for (const auto& cluster : parsed->clusters) {
      for (const auto& item : cluster.items) {
        behaviours[item.title] = static_cast<int>(catalogue.items.size());
        catalogue.behaviours.push_back(static_cast<int>(catalogue.items.size()));
        catalogue.items.push_back({item.id, true});
      }
    }
  }
  say(fmt::format("Importing {} career frameworks", files.career_frameworks.size()));
  std::map<std::string, std::map<std::string, int, std::less<>>, std::less<>> skills;
  std::map<std::string, std::string, std::less<>> framework_ids;
  const Actor system = Actor::System();
  for (const auto& [code, text] : files.career_frameworks) {
    auto parsed = interchange::ParseFrameworkCsv(text);
    if (!parsed.ok()) {
      return Error::Internal(fmt::format("The career framework {}.csv does not parse:{}", code,
                                         ProblemsText(parsed.problems())));
    }
    domain::Framework framework = std::move(parsed).value();
    auto& titles = skills[code];
    for (const auto& cluster : framework.clusters) {
      for (const auto& item : cluster.items) {
        titles[item.title] = static_cast<int>(catalogue.items.size());
        catalogue.items.push_back({item.id, false});
      }
    }
    PATHWAY_ASSIGN_OR_RETURN(auto ref,
                             frameworks.Import(system, std::move(framework),
                                               fmt::format("data/professions/{}.csv", code)));
    framework_ids[code] = ref.id;
  }
  PATHWAY_TRY(ReadProfessions(files.professions, skills, behaviours, catalogue));
  catalogue.profession_skills.resize(catalogue.professions.size());
  for (std::size_t p = 0; p < catalogue.professions.size(); ++p) {
    auto& profession = catalogue.professions[p];
    const auto id = framework_ids.find(profession.code);
    if (id == framework_ids.end()) {
      return Error::Internal(
          fmt::format("The profession {} has no career framework file", profession.code));
    }
    profession.career_framework_id = id->second;
    for (const auto& [title, item] : skills[profession.code]) {
      catalogue.profession_skills[p].push_back(item);
    }
    std::sort(catalogue.profession_skills[p].begin(), catalogue.profession_skills[p].end());
  }

  const auto first_names = Lines(files.first_names);
  const auto last_names = Lines(files.last_names);
  if (first_names.empty() || last_names.empty()) {
    return Error::Internal("The demo's name lists are empty");
  }

  say(fmt::format("Generating {} people", Thousands(options.people)));
  Generator gen(catalogue, options.people, options.seed, first_names.size(), last_names.size());
  gen.Run();
  {
    Random rng(Mix(options.seed, 2));
    PATHWAY_TRY(Cast(gen, cast, rng));
  }

  // Records, named by codes and external ids.
  std::vector<domain::Department> departments;
  std::vector<domain::Unit> units;
  for (const auto& d : kDepartments) {
    departments.push_back({d.code, d.name});
    for (int u = 0; u < kUnitCount; ++u) {
      units.push_back({fmt::format("{}-{}", d.code, kUnits[u].code),
                       fmt::format("{}: {}", d.code, kUnits[u].name), d.code,
                       u == 0 ? "" : fmt::format("{}-{}", d.code, kUnits[0].code)});
    }
  }
  std::vector<domain::Location> locations;
  for (const auto& l : kLocations) locations.push_back({l.code, l.name, l.region});

  std::vector<std::string> person_ids(gen.people.size());
  {
    std::vector<int> counters(std::size(kDepartments), 0);
    for (std::size_t i = 0; i < gen.people.size(); ++i) {
      const GenPerson& p = gen.people[i];
      person_ids[i] = p.cast >= 0 ? cast[static_cast<std::size_t>(p.cast)].external_id
                                  : fmt::format("{}-{:06}", kDepartments[p.department].code,
                                                ++counters[static_cast<std::size_t>(p.department)]);
    }
  }
  std::vector<domain::Post> posts;
  posts.reserve(gen.posts.size());
  for (std::size_t i = 0; i < gen.posts.size(); ++i) {
    const GenPost& g = gen.posts[i];
    posts.push_back({fmt::format("POST-{:07}", i + 1),
                     catalogue.role_levels[static_cast<std::size_t>(g.role_level)].code,
                     units[static_cast<std::size_t>(g.unit)].code, kLocations[g.location].code,
                     g.grade, g.clearance, g.critical});
  }
  std::vector<domain::Person> people;
  people.reserve(gen.people.size());
  {
    Random rng(Mix(options.seed, 3));
    static constexpr std::array<int, 4> kReviewYears{0, 5, 7, 7};
    for (std::size_t i = 0; i < gen.people.size(); ++i) {
      const GenPerson& g = gen.people[i];
      const GenPost& post = gen.posts[static_cast<std::size_t>(g.post)];
      domain::Person p;
      p.external_id = person_ids[i];
      p.name = g.cast >= 0 ? cast[static_cast<std::size_t>(g.cast)].name
                           : first_names[static_cast<std::size_t>(g.first_name)] + " " +
                                 last_names[static_cast<std::size_t>(g.last_name)];
      p.grade = g.grade;
      p.department = kDepartments[g.department].code;
      p.location = kLocations[g.location].code;
      p.profession = catalogue.professions[static_cast<std::size_t>(g.profession)].code;
      if (g.other_profession >= 0) {
        p.other_professions.push_back(
            catalogue.professions[static_cast<std::size_t>(g.other_profession)].code);
      }
      p.post = posts[static_cast<std::size_t>(g.post)].external_id;
      if (g.manager >= 0) p.line_manager = person_ids[static_cast<std::size_t>(g.manager)];
      p.start_date = IsoDate(g.start_day);

      // Clearance: what the post needs (now and then more), granted when they started
      // and renewed on time, except a few that lapsed, are pending or were withdrawn.
      domain::PersonClearance clearance;
      clearance.level = post.clearance;
      if (post.clearance < Clearance::kDV && rng.Chance(0.04)) {
        clearance.level = static_cast<Clearance>(static_cast<int>(post.clearance) + 1);
      }
      const int years = kReviewYears[static_cast<std::size_t>(clearance.level)];
      int granted = g.start_day;
      if (years > 0) {
        const int period = years * 365;
        while (granted + period <= kToday) granted += period;
        const double x = rng.Unit();
        if (kToday - g.start_day < 120 && x < 0.5) {
          clearance.status = ClearanceStatus::kPending;
        } else if (x < 0.04 && granted - period >= g.start_day) {
          granted -= period;  // the renewal did not happen
          clearance.status = ClearanceStatus::kExpired;
        } else if (x < 0.05) {
          clearance.status = ClearanceStatus::kWithdrawn;
        }
        clearance.review_due = IsoDate(granted + period);
      }
      clearance.granted = IsoDate(granted);
      p.clearance = clearance;
      people.push_back(std::move(p));
    }
  }

  // Each profession's community: its most senior member heads it (a named demo person
  // first, so the demo head of profession heads theirs), and its most senior member in
  // each department is that department's head of the profession.
  std::vector<domain::ProfessionContact> contacts;
  {
    const auto senior = [&](std::size_t a, std::size_t b) {
      const GenPerson& x = gen.people[a];
      const GenPerson& y = gen.people[b];
      if (x.grade != y.grade) return x.grade > y.grade;
      if ((x.cast >= 0) != (y.cast >= 0)) return x.cast >= 0;
      return a < b;
    };
    const std::size_t professions = catalogue.professions.size();
    const std::size_t department_count = std::size(kDepartments);
    std::vector<std::optional<std::size_t>> head(professions);
    std::vector<std::optional<std::size_t>> departmental(professions * department_count);
    for (std::size_t i = 0; i < gen.people.size(); ++i) {
      const auto profession = static_cast<std::size_t>(gen.people[i].profession);
      auto& h = head[profession];
      if (!h || senior(i, *h)) h = i;
      auto& d = departmental[profession * department_count +
                             static_cast<std::size_t>(gen.people[i].department)];
      if (!d || senior(i, *d)) d = i;
    }
    using Kind = domain::ProfessionContact::Kind;
    for (std::size_t p = 0; p < professions; ++p) {
      if (!head[p]) continue;
      const std::string& code = catalogue.professions[p].code;
      contacts.push_back({code, person_ids[*head[p]], Kind::kHeadOfProfession, ""});
      for (std::size_t d = 0; d < department_count; ++d) {
        const auto& who = departmental[p * department_count + d];
        if (!who || *who == *head[p]) continue;
        contacts.push_back(
            {code, person_ids[*who], Kind::kDepartmentalHead, std::string(kDepartments[d].code)});
      }
    }
  }

  WorkforceDemoCounts counts;
  counts.professions = static_cast<std::int64_t>(catalogue.professions.size());
  counts.role_levels = static_cast<std::int64_t>(catalogue.role_levels.size());
  counts.departments = static_cast<std::int64_t>(departments.size());
  counts.units = static_cast<std::int64_t>(units.size());
  counts.locations = static_cast<std::int64_t>(locations.size());
  counts.posts = static_cast<std::int64_t>(posts.size());
  counts.vacant_posts = counts.posts - static_cast<std::int64_t>(people.size());
  counts.people = static_cast<std::int64_t>(people.size());
  say(fmt::format("Generated in {:.1f} s; writing the organisation and {} posts", elapsed(),
                  Thousands(counts.posts)));

  store::ConnectionPool& pool = kernel.pool();
  // A bulk load into a new database: nothing is lost if the machine stops (the caller
  // discards a partly written file), so skip the syncs and keep more pages in memory.
  // Outside WAL, pages the load appends go straight to the file instead of through the
  // log; foreign keys are off because every reference was resolved by code already.
  // If another connection is open, the journal mode stays WAL, which is only slower.
  // The settings hold for the connection, which the units of work below lease in turn
  // (the command line's pool has one).
  PATHWAY_TRY(pool.Acquire()->Execute(
      "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; "
      "PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY;"));
  const auto restore = [&]() {
    return pool.Acquire()->Execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
        "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT;");
  };
  auto load = [&]() -> Status {
    store::WriteProgress progress;
    progress.every = 100'000;
    PATHWAY_TRY(kernel.Execute(
        system, {"demo.create", "workforce", "organisation"}, Fixed(), [&](Tx& tx) -> Status {
          store::Database* db = &tx.db();
          PATHWAY_TRY(store::UpsertDepartments(*db, departments));
          PATHWAY_TRY(store::UpsertUnits(*db, units));
          PATHWAY_TRY(store::UpsertLocations(*db, locations));
          PATHWAY_TRY(store::UpsertProfessions(*db, catalogue.professions));
          PATHWAY_TRY(store::UpsertJobFamilies(*db, catalogue.families));
          PATHWAY_TRY(store::UpsertCareerRoles(*db, catalogue.roles));
          PATHWAY_TRY(store::UpsertRoleLevels(*db, catalogue.role_levels));
          progress.report = [&](std::int64_t n) {
            say(fmt::format("  posts: {} of {}", Thousands(n), Thousands(counts.posts)));
          };
          PATHWAY_TRY(store::UpsertPosts(*db, posts, progress));
          say(fmt::format("Writing {} people ({:.1f} s)", Thousands(counts.people), elapsed()));
          progress.report = [&](std::int64_t n) {
            say(fmt::format("  people: {} of {}", Thousands(n), Thousands(counts.people)));
          };
          PATHWAY_TRY(store::UpsertPeople(*db, people, progress));
          PATHWAY_TRY(store::ReplaceProfessionContacts(*db, contacts));
          tx.Describe(fmt::format("{} posts and {} people", counts.posts, counts.people));
          tx.WorkforceChanged();
          return domain::Ok{};
        }));
    say(fmt::format("Writing assessments ({:.1f} s)", elapsed()));
    return kernel.Execute(
        system, {"demo.create", "workforce", "assessments"}, Fixed(), [&](Tx& tx) -> Status {
          store::Database* db = &tx.db();
          // Everyone's row id, by index into gen.people.
          std::vector<std::int64_t> row_ids(gen.people.size(), 0);
          {
            std::unordered_map<std::string_view, std::size_t> index_of;
            index_of.reserve(person_ids.size());
            for (std::size_t i = 0; i < person_ids.size(); ++i) index_of.emplace(person_ids[i], i);
            PATHWAY_TRY(store::ForEachPerson(*db, [&](const store::StoredPersonRef& p) {
              const auto found = index_of.find(p.external_id);
              if (found != index_of.end()) row_ids[found->second] = p.id;
            }));
          }
          // The item_ref id of each catalogue item. An item not referred to yet gets the next
          // id the first time it is assessed, as AppendAssessments would give it.
          std::vector<std::int64_t> item_refs(catalogue.items.size(), 0);
          std::int64_t next_ref = 1;
          {
            std::unordered_map<std::string_view, std::size_t> index_of;
            for (std::size_t i = 0; i < catalogue.items.size(); ++i) {
              index_of.emplace(catalogue.items[i].id, i);
            }
            PATHWAY_TRY(store::ForEachItemRef(*db, [&](std::int64_t id, std::string_view item_id) {
              next_ref = std::max(next_ref, id + 1);
              const auto found = index_of.find(item_id);
              if (found != index_of.end()) item_refs[found->second] = id;
            }));
          }

          // Generated, ordered and numbered in batches on a second thread while the previous
          // batch is written, so that the writer only binds and steps. Batches are made one at
          // a time, in order, so the generator's state (item_refs, next_ref, dates) is its own.
          constexpr std::size_t kBatch = 16'384;
          const std::size_t total = gen.people.size();
          DateTexts dates(kToday - 50 * 366, kToday);
          struct Batch {
            std::size_t end_person = 0;
            std::vector<store::AssessmentRow> rows;
            std::vector<std::pair<std::size_t, std::int64_t>> new_items;  // (item, its item_ref id)
            std::string missing;  // a person without a row id, if any
          };
          const auto make_batch = [&](std::size_t from) {
            Batch batch;
            batch.end_person = std::min(total, from + kBatch);
            batch.rows.reserve((batch.end_person - from) * 33);
            std::vector<GenAssessment> generated;
            generated.reserve(64);
            // A person's rows go in item order, so that keys arrive in order and each insert
            // lands at the end of the table; an item assessed twice gets seq 1, then 2.
            std::vector<std::pair<std::int64_t, std::uint32_t>> run;  // (item_ref, index)
            run.reserve(64);
            for (std::size_t i = from; i < batch.end_person; ++i) {
              const std::int64_t person = row_ids[i];
              if (person == 0) {
                batch.missing = person_ids[i];
                break;
              }
              generated.clear();
              AppendPersonAssessments(catalogue, gen, static_cast<int>(i), options.seed, generated);
              run.clear();
              for (std::size_t r = 0; r < generated.size(); ++r) {
                const auto item = static_cast<std::size_t>(generated[r].item);
                if (item_refs[item] == 0) {
                  item_refs[item] = next_ref++;
                  batch.new_items.emplace_back(item, item_refs[item]);
                }
                run.emplace_back(item_refs[item], static_cast<std::uint32_t>(r));
              }
              std::stable_sort(run.begin(), run.end(),
                               [](const auto& a, const auto& b) { return a.first < b.first; });
              std::int64_t seq = 0;
              for (std::size_t j = 0; j < run.size(); ++j) {
                seq = j > 0 && run[j].first == run[j - 1].first ? seq + 1 : 1;
                const GenAssessment& a = generated[run[j].second];
                batch.rows.push_back({person, run[j].first, seq, a.level, a.assessor, dates(a.day),
                                      1,
                                      a.evidence >= 0 ? std::string_view(kEvidence[a.evidence])
                                                      : std::string_view("")});
              }
            }
            return batch;
          };
          PATHWAY_ASSIGN_OR_RETURN(auto writer, store::AssessmentWriter::Open(*db));
          std::future<Batch> next = std::async(std::launch::async, make_batch, std::size_t{0});
          std::int64_t reported = 0;
          for (std::size_t from = 0; from < total; from += kBatch) {
            const Batch batch = next.get();
            if (!batch.missing.empty()) {
              return Error::Internal(fmt::format("Person {} was not stored", batch.missing));
            }
            if (batch.end_person < total) {
              next = std::async(std::launch::async, make_batch, batch.end_person);
            }
            for (const auto& [item, expected] : batch.new_items) {
              PATHWAY_ASSIGN_OR_RETURN(auto id, store::ItemRefId(*db, catalogue.items[item].id));
              if (id != expected) {
                return Error::Internal(fmt::format("Item {} got the item_ref id {}, not {}",
                                                   catalogue.items[item].id, id, expected));
              }
            }
            PATHWAY_TRY(writer.Add(batch.rows));
            counts.assessments += static_cast<std::int64_t>(batch.rows.size());
            if (counts.assessments - reported >= 2'000'000) {
              reported = counts.assessments;
              say(fmt::format("  assessments: {} ({} of {} people, {:.1f} s)",
                              Thousands(counts.assessments),
                              Thousands(static_cast<std::int64_t>(batch.end_person)),
                              Thousands(static_cast<std::int64_t>(total)), elapsed()));
            }
          }
          say(fmt::format("Committing ({:.1f} s)", elapsed()));
          tx.Describe(fmt::format("{} assessments", counts.assessments));
          tx.WorkforceChanged();
          return domain::Ok{};
        });
  };
  const Status loaded = load();
  const Status restored = restore();
  PATHWAY_TRY(loaded);
  PATHWAY_TRY(restored);
  say(fmt::format("Wrote {} people and {} assessments in {:.1f} s", Thousands(counts.people),
                  Thousands(counts.assessments), elapsed()));
  return counts;
}

}  // namespace pathway::app
