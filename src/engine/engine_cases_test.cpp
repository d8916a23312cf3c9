// Runs the data-driven case files in tests/engine-cases/*.json: each holds a small
// hand-made workforce and a list of steps (queries with the expected answer or error,
// and writes applied through Index). The format is described in
// tests/engine-cases/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "engine/index.hpp"
#include "engine/queries.hpp"

namespace pathway::engine {
namespace {

using nlohmann::json;

std::filesystem::path CasesDir() {
  const char* dir = std::getenv("PATHWAY_SOURCE_DIR");
  return std::filesystem::path(dir != nullptr ? dir : PATHWAY_SOURCE_DIR) / "tests" /
         "engine-cases";
}

int GradeRank(const json& j) {
  auto grade = domain::ParseGrade(j.get<std::string>());
  if (!grade) throw std::runtime_error("unknown grade " + j.dump());
  return static_cast<int>(*grade);
}

int RegionIndex(const std::string& code) {
  const domain::RegionInfo* r = domain::FindRegion(code);
  if (!r) throw std::runtime_error("unknown region " + code);
  return static_cast<int>(r - domain::AllRegions().data());
}

// Names in the case file -> store-like ids.
struct Ids {
  std::map<std::string, std::int64_t> items, professions, departments, role_levels, posts;
  std::int64_t Of(const std::map<std::string, std::int64_t>& m, const std::string& key) const {
    auto found = m.find(key);
    return found == m.end() ? 999'999 : found->second;
  }
};

PersonInput PersonOf(const json& p, const Ids& ids) {
  PersonInput in;
  in.id = p.at("id").get<std::int64_t>();
  if (p.contains("profession")) in.profession_id = ids.Of(ids.professions, p["profession"]);
  if (p.contains("grade")) in.grade = GradeRank(p["grade"]);
  if (p.contains("region")) in.region = RegionIndex(p["region"]);
  if (p.contains("department")) in.department_id = ids.Of(ids.departments, p["department"]);
  if (p.contains("clearance")) {
    in.clearance = static_cast<int>(*domain::ParseClearance(p["clearance"].get<std::string>()));
  }
  if (p.contains("clearance_status")) {
    in.clearance_status = *domain::ParseClearanceStatus(p["clearance_status"].get<std::string>());
  }
  if (p.contains("post")) in.post_id = ids.Of(ids.posts, p["post"]);
  return in;
}

// Ledger rows of one person: {"item": 3} (one manager assessment) or
// {"item": [[2, "self"], [3, "manager"]]} in ledger order.
std::vector<AssessmentInput> LedgerOf(const json& p, const Ids& ids) {
  std::vector<AssessmentInput> rows;
  if (!p.contains("levels")) return rows;
  for (const auto& [item, value] : p["levels"].items()) {
    const std::int64_t item_id = ids.Of(ids.items, item);
    if (value.is_number()) {
      rows.push_back({p["id"].get<std::int64_t>(), item_id, value.get<int>(), true});
    } else {
      for (const auto& entry : value) {
        const auto kind = domain::ParseAssessorKind(entry.at(1).get<std::string>());
        rows.push_back({p["id"].get<std::int64_t>(), item_id, entry.at(0).get<int>(),
                        domain::Confirms(*kind)});
      }
    }
  }
  return rows;
}

std::shared_ptr<const Snapshot> BuildWorkforce(const json& w, Ids& ids) {
  ReferenceInput ref;
  std::int64_t next = 1;
  for (const auto& item : w.value("items", json::array())) {
    ids.items[item] = next;
    ref.items.push_back({next++, item});
  }
  for (const auto& p : w.value("professions", json::array())) {
    ids.professions[p] = next;
    ref.professions.push_back({next++, p});
  }
  for (const auto& d : w.value("departments", json::array())) {
    ids.departments[d] = next;
    ref.departments.push_back({next++, d});
  }
  std::map<std::string, std::int64_t> roles;
  for (const auto& rl : w.value("role_levels", json::array())) {
    RoleLevelInput in;
    in.id = next++;
    in.code = rl.at("code");
    ids.role_levels[in.code] = in.id;
    const std::string role = rl.value("role", in.code);
    if (!roles.count(role)) roles[role] = next++;
    in.role_id = roles[role];
    in.profession_id = ids.Of(ids.professions, rl.at("profession"));
    in.position = rl.value("position", 1);
    in.grade_min = GradeRank(rl.at("grades").at(0));
    in.grade_max = GradeRank(rl.at("grades").at(1));
    for (const auto& req : rl.value("requires", json::array())) {
      in.requirements.push_back({ids.Of(ids.items, req.at(0)), req.at(1).get<int>(),
                                 req.size() > 2 ? req.at(2).get<int>() : 1});
    }
    ref.role_levels.push_back(std::move(in));
  }
  for (const auto& p : w.value("posts", json::array())) {
    PostInput in;
    in.id = next++;
    in.external_id = p.at("id");
    ids.posts[in.external_id] = in.id;
    in.role_level_id = ids.Of(ids.role_levels, p.at("role_level"));
    in.department_id = ids.Of(ids.departments, p.at("department"));
    in.region = RegionIndex(p.at("region"));
    in.grade = GradeRank(p.at("grade"));
    ref.posts.push_back(std::move(in));
  }
  SnapshotBuilder builder;
  auto status = builder.SetReference(ref);
  if (!status.ok()) throw std::runtime_error(status.error().field + ": " + status.error().message);
  std::vector<AssessmentInput> ledger;
  for (const auto& p : w.value("people", json::array())) {
    builder.AddPerson(PersonOf(p, ids));
    for (const auto& a : LedgerOf(p, ids)) ledger.push_back(a);
  }
  std::stable_sort(ledger.begin(), ledger.end(), [](const auto& x, const auto& y) {
    return std::tie(x.person_id, x.item) < std::tie(y.person_id, y.item);
  });
  for (const auto& a : ledger) builder.AddAssessment(a.person_id, a.item, a.level, a.confirms);
  auto built = builder.Build();
  if (!built.ok()) throw std::runtime_error(built.error().field + ": " + built.error().message);
  return *built;
}

Filters FiltersOf(const json& j) {
  Filters f;
  if (!j.is_object()) return f;
  f.professions = j.value("professions", std::vector<std::string>{});
  f.regions = j.value("regions", std::vector<std::string>{});
  f.departments = j.value("departments", std::vector<std::string>{});
  if (j.contains("grade_min")) f.grade_min = static_cast<domain::Grade>(GradeRank(j["grade_min"]));
  if (j.contains("grade_max")) f.grade_max = static_cast<domain::Grade>(GradeRank(j["grade_max"]));
  if (j.contains("clearance_at_least")) {
    f.clearance_at_least = domain::ParseClearance(j["clearance_at_least"].get<std::string>());
  }
  return f;
}

std::vector<RequirementSpec> RequirementsOf(const json& j) {
  std::vector<RequirementSpec> out;
  for (const auto& r : j.value("requirements", json::array())) {
    out.push_back({r.at(0), r.at(1).get<int>(), r.size() > 2 ? r.at(2).get<int>() : 1});
  }
  return out;
}

Dimension DimensionOf(const std::string& name) {
  for (Dimension d :
       {Dimension::kProfession, Dimension::kRegion, Dimension::kGrade, Dimension::kDepartment}) {
    if (DimensionName(d) == name) return d;
  }
  throw std::runtime_error("unknown dimension " + name);
}

// Compares an error with {"error": {"code": ..., "field": ...}}.
template <typename T>
bool ExpectError(const Result<T>& result, const json& expect) {
  if (!expect.contains("error")) {
    EXPECT_TRUE(result.ok()) << (result.ok()
                                     ? ""
                                     : result.error().field + ": " + result.error().message);
    return !result.ok();
  }
  EXPECT_FALSE(result.ok()) << "expected an error";
  if (result.ok()) return true;
  EXPECT_EQ(domain::ErrorCodeName(result.error().code),
            expect["error"].value("code", "invalid-input"));
  EXPECT_EQ(result.error().field, expect["error"].value("field", ""));
  EXPECT_FALSE(result.error().message.empty());
  return true;
}

void RunStep(Index& index, Ids& ids, const json& step) {
  const json& expect = step.value("expect", json::object());
  auto snapshot = index.Current();
  if (step.contains("write")) {
    const json& w = step["write"];
    std::vector<PersonInput> people;
    std::vector<AssessmentInput> ledger;
    for (const auto& p : w.value("people", json::array())) {
      if (p.value("upsert", false)) people.push_back(PersonOf(p, ids));
      for (const auto& a : LedgerOf(p, ids)) ledger.push_back(a);
    }
    if (!people.empty()) {
      auto status = index.UpsertPeople(people);
      if (ExpectError(status, expect)) return;
    }
    auto status = index.ApplyAssessments(ledger);
    ExpectError(status, expect);
    for (const auto& id : w.value("remove", std::vector<std::int64_t>{})) {
      ASSERT_TRUE(index.RemovePeople(std::vector<std::int64_t>{id}).ok());
    }
    return;
  }
  for (const char* kind : {"match", "closest"}) {
    if (!step.contains(kind)) continue;
    const json& q = step[kind];
    MatchQuery query;
    query.role_level = q.value("role_level", "");
    query.requirements = RequirementsOf(q);
    query.filters = FiltersOf(q.value("filters", json::object()));
    query.k = q.value("k", 10);
    const std::string order = q.value("grade_order", "ignore");
    query.grade_order = order == "nearest-first"      ? GradeOrder::kNearestFirst
                        : order == "over-graded-last" ? GradeOrder::kOverGradedLast
                                                      : GradeOrder::kIgnore;
    auto result =
        std::string(kind) == "match" ? Match(*snapshot, query) : ClosestToReady(*snapshot, query);
    if (ExpectError(result, expect)) return;
    std::vector<std::int64_t> people;
    std::vector<int> scores, gaps;
    for (const auto& e : result->entries) {
      people.push_back(e.person_id);
      scores.push_back(e.score);
      gaps.push_back(e.gap);
      EXPECT_EQ(e.fit.size(), result->entries.front().fit.size());
    }
    EXPECT_EQ(people, expect.at("people").get<std::vector<std::int64_t>>());
    if (expect.contains("scores")) {
      EXPECT_EQ(scores, expect["scores"].get<std::vector<int>>());
    }
    if (expect.contains("gaps")) {
      EXPECT_EQ(gaps, expect["gaps"].get<std::vector<int>>());
    }
    if (expect.contains("candidates")) {
      EXPECT_EQ(result->candidates, expect["candidates"].get<std::int64_t>());
    }
    if (expect.contains("grade_fits")) {
      // "in_band", "below:N", "above:N", "unknown" or "no_band" per entry.
      std::vector<std::string> fits;
      for (const auto& e : result->entries) {
        switch (e.grade_fit) {
          case GradeFit::kNoBand:
            fits.emplace_back("no_band");
            break;
          case GradeFit::kUnknown:
            fits.emplace_back("unknown");
            break;
          case GradeFit::kInBand:
            fits.emplace_back("in_band");
            break;
          case GradeFit::kBelow:
            fits.push_back("below:" + std::to_string(e.grades_outside));
            break;
          case GradeFit::kAbove:
            fits.push_back("above:" + std::to_string(e.grades_outside));
            break;
        }
      }
      EXPECT_EQ(fits, expect["grade_fits"].get<std::vector<std::string>>());
    }
    if (expect.contains("fit")) {
      // [[item, has, needs], ...] of the first entry.
      ASSERT_FALSE(result->entries.empty());
      json fit = json::array();
      for (const auto& f : result->entries.front().fit) fit.push_back({f.item_id, f.has, f.needs});
      EXPECT_EQ(fit, expect["fit"]);
    }
    return;
  }
  if (step.contains("capability")) {
    const json& q = step["capability"];
    CapabilityQuery query;
    query.rows = DimensionOf(q.at("rows"));
    query.columns = DimensionOf(q.at("columns"));
    query.role_level = q.value("role_level", "");
    query.requirements = RequirementsOf(q);
    query.filters = FiltersOf(q.value("filters", json::object()));
    auto result = MapCapability(*snapshot, query);
    if (ExpectError(result, expect)) return;
    json cells = json::array();
    for (const auto& c : result->cells) {
      cells.push_back({{"row", result->row_labels[static_cast<std::size_t>(c.row)]},
                       {"column", result->column_labels[static_cast<std::size_t>(c.column)]},
                       {"headcount", c.headcount},
                       {"meeting", c.meeting},
                       {"level_sum", c.level_sum},
                       {"demand_filled", c.demand_filled},
                       {"demand_vacant", c.demand_vacant},
                       {"gap", c.gap}});
    }
    EXPECT_EQ(cells, expect.at("cells")) << cells.dump();
    return;
  }
  if (step.contains("routes")) {
    const json& q = step["routes"];
    RouteQuery query;
    query.person_id = q.at("person");
    query.target = q.at("target");
    query.k = q.value("k", 3);
    query.max_steps = q.value("max_steps", 4);
    query.regions = q.value("regions", std::vector<std::string>{});
    if (q.contains("grade_min"))
      query.grade_min = static_cast<domain::Grade>(GradeRank(q["grade_min"]));
    if (q.contains("grade_max"))
      query.grade_max = static_cast<domain::Grade>(GradeRank(q["grade_max"]));
    auto result = BestRoutes(*snapshot, query);
    if (ExpectError(result, expect)) return;
    json routes = json::array();
    json gaps = json::array();
    json kinds = json::array();
    json learn = json::array();
    for (const auto& r : result->routes) {
      json steps = json::array();
      json step_kinds = json::array();
      for (const auto& s : r.steps) {
        steps.push_back(s.role_level);
        step_kinds.push_back(s.kind);
      }
      routes.push_back(steps);
      kinds.push_back(step_kinds);
      gaps.push_back(r.total_gap);
    }
    EXPECT_EQ(routes, expect.at("routes")) << routes.dump();
    // No route is always said with a reason, and a reason only when there is no route.
    EXPECT_EQ(result->routes.empty(), result->reason != NoRouteReason::kNone);
    EXPECT_EQ(result->routes.empty(), !result->reason_text.empty()) << result->reason_text;
    if (expect.contains("no_route")) {
      EXPECT_EQ(NoRouteReasonCode(result->reason), expect["no_route"]);
    }
    if (expect.contains("reason")) {
      EXPECT_EQ(result->reason_text, expect["reason"]);
    }
    if (expect.contains("gaps")) {
      EXPECT_EQ(gaps, expect["gaps"]);
    }
    if (expect.contains("kinds")) {
      EXPECT_EQ(kinds, expect["kinds"]) << kinds.dump();
    }
    if (expect.contains("start")) {
      EXPECT_EQ(result->start, expect["start"]);
    }
    if (expect.contains("first_learn")) {
      // [[item, has, needs], ...] per step of the first route.
      ASSERT_FALSE(result->routes.empty());
      for (const auto& s : result->routes.front().steps) {
        json items = json::array();
        for (const auto& l : s.learn) items.push_back({l.item_id, l.has, l.needs});
        learn.push_back(items);
      }
      EXPECT_EQ(learn, expect["first_learn"]) << learn.dump();
    }
    return;
  }
  if (step.contains("closest_roles")) {
    const json& q = step["closest_roles"];
    auto result = ClosestRoles(*snapshot, q.at("person"), q.value("k", 5));
    if (ExpectError(result, expect)) return;
    json roles = json::array();
    for (const auto& r : *result) roles.push_back({r.role_level, r.gap});
    EXPECT_EQ(roles, expect.at("roles")) << roles.dump();
    return;
  }
  if (step.contains("vacancies")) {
    const json& q = step["vacancies"];
    auto result = ReachableVacancies(*snapshot, q.at("person"), q.value("limit", 10));
    if (ExpectError(result, expect)) return;
    json regions = json::object();
    for (const auto& r : *result) {
      json posts = json::array();
      for (const auto& p : r.posts) posts.push_back({p.post, p.steps, p.gap});
      regions[r.region] = posts;
    }
    EXPECT_EQ(regions, expect.at("regions")) << regions.dump();
    return;
  }
  ADD_FAILURE() << "unknown step " << step.dump();
}

TEST(EngineCases, EveryCaseFilePasses) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(CasesDir())) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 4u) << "no case files in " << CasesDir();
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::ifstream in(file);
    const json doc = json::parse(in);
    Ids ids;
    Index index(BuildWorkforce(doc.at("workforce"), ids));
    int n = 0;
    for (const auto& step : doc.at("steps")) {
      SCOPED_TRACE("step " + std::to_string(n++) + ": " + step.value("name", ""));
      RunStep(index, ids, step);
    }
  }
}

}  // namespace
}  // namespace pathway::engine
