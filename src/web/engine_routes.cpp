#include "web/engine_routes.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/workforce_engine.hpp"
#include "domain/grade.hpp"
#include "domain/text.hpp"
#include "domain/workforce.hpp"
#include "interchange/csv.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"
#include "web/select_options.hpp"
#include "web/workforce_routes.hpp"

namespace pathway::web {
namespace {

using domain::Upper;
using nlohmann::json;

struct State {
  explicit State(const EngineRoutesContext& c) : context(c), engine(c.engine) {}
  EngineRoutesContext context;
  app::EngineService& engine;
};
using Ctx = std::shared_ptr<State>;

constexpr int kPageRequirementRows = 12;
constexpr int kMapItemRows = 4;
constexpr int kDefaultMatchK = 20;
constexpr std::size_t kMaxText = 200;
constexpr int kClosestRoles = 10;
constexpr int kVacanciesPerRegion = 10;

// ---------- small helpers ----------

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page,
              const std::string& title, const json& view, std::string current, int status = 200) {
  const bool has_errors = view.value("has_errors", false);
  return Response::Html(status, RenderPage(c->context.templates, c->context.asset_base, page, title,
                                           view, has_errors, ChromeFor(actor, std::move(current))));
}

std::string Thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string Truncate(const std::string& text, std::size_t most) {
  if (text.size() <= most) return text;
  std::size_t cut = most - 1;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\xE2\x80\xA6";
}

Response CsvResponse(std::string body, const std::string& name) {
  Response response = Response::Text(200, std::move(body), "text/csv; charset=utf-8");
  response.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"{}.csv\"", name));
  return response;
}

Response ApiProblem(const domain::Error& error) {
  return ProblemResponse(400, "invalid-input", error.message, error.field);
}

// Errors from the use cases: bad input is a 400 problem on the API; the rest as usual.
Response ApiError(const Ctx& c, const Request& request, const domain::Error& error) {
  if (error.code == domain::ErrorCode::kInvalidInput) return ApiProblem(error);
  return c->context.errors.ForError(request, error);
}

std::optional<int> ParseInt(std::string_view text, int lo, int hi) {
  const auto id = ParseId(text);
  if (!id || *id < lo || *id > hi) return std::nullopt;
  return static_cast<int>(*id);
}

std::string GradeCodeOf(int rank) {
  if (rank < 0 || rank >= domain::kGradeCount) return {};
  return std::string(domain::GradeCode(static_cast<domain::Grade>(rank)));
}

std::string GradeRange(int lo, int hi) {
  const std::string a = GradeCodeOf(lo), b = GradeCodeOf(hi);
  return a == b ? a : a + " to " + b;
}

std::string RegionName(std::string_view code) {
  const auto* info = domain::FindRegion(code);
  return info ? std::string(info->name) : std::string(code);
}

std::string TitleOf(const std::unordered_map<std::string, std::string>& titles,
                    const std::string& item) {
  const auto found = titles.find(item);
  return found == titles.end() || found->second.empty() ? item : found->second;
}

const engine::RoleLevelInfo* RoleLevel(const engine::Snapshot& snapshot, const std::string& code) {
  const auto& catalog = snapshot.catalog();
  const auto found = catalog.role_level_by_code.find(code);
  return found == catalog.role_level_by_code.end() ? nullptr : &catalog.role_levels[found->second];
}

std::string RoleLevelTitle(const engine::Snapshot& snapshot, const std::string& code) {
  const auto* level = RoleLevel(snapshot, code);
  return level ? level->title : code;
}

// ---------- form options ----------

std::vector<std::pair<std::string, std::string>> Named(const std::vector<domain::NamedCode>& list) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& n : list) out.emplace_back(n.code, n.name);
  return out;
}

std::vector<std::pair<std::string, std::string>> ClearanceOptions() {
  return {{"BPSS", "BPSS or above"}, {"CTC", "CTC or above"}, {"SC", "SC or above"}, {"DV", "DV"}};
}

// ---------- page forms ----------

// The fields of a GET form, as sent, and the problems found reading them.
struct PageForm {
  std::map<std::string, std::string> fields;
  std::vector<domain::Error> errors;
  bool submitted = false;
  bool csv = false;

  std::string Get(const std::string& name) const {
    const auto found = fields.find(name);
    return found == fields.end() ? std::string{} : found->second;
  }
  void Error(std::string field, std::string message) {
    errors.push_back(domain::Error::InvalidInput(std::move(field), std::move(message)));
  }
  // This page's address with its fields and `changes` (an empty value drops a field).
  std::string Href(const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& changes = {}) const {
    std::map<std::string, std::string> all = fields;
    for (const auto& [key, value] : changes) all[key] = value;
    std::string query;
    for (const auto& [key, value] : all) {
      if (value.empty()) continue;
      query += (query.empty() ? "?" : "&") + UrlEncode(key) + "=" + UrlEncode(value);
    }
    return path + query;
  }
};

PageForm ReadPageForm(const Request& request) {
  PageForm form;
  auto parsed = ParseForm(request.query);
  if (!parsed) {
    form.Error("form", "The address of this page is not valid");
    return form;
  }
  for (auto& [key, value] : *parsed) {
    if (key == "format") {
      form.csv = value == "csv";
      continue;
    }
    if (value.size() > kMaxText) {
      form.Error(key, fmt::format("Enter {} characters or fewer", kMaxText));
      continue;
    }
    if (!value.empty()) form.fields[key] = value;
  }
  // Choosing a tab (`mode`) alone is not a question: the page opens with its form.
  form.submitted = std::any_of(form.fields.begin(), form.fields.end(),
                               [](const auto& field) { return field.first != "mode"; });
  return form;
}

// Department, profession, grade range, region and clearance from a page form.
engine::Filters ReadPageFilters(PageForm& form) {
  engine::Filters filters;
  if (auto v = form.Get("department"); !v.empty()) filters.departments.push_back(v);
  if (auto v = form.Get("profession"); !v.empty()) filters.professions.push_back(v);
  for (const auto& [name, target] :
       {std::pair{"grade_from", &filters.grade_min}, std::pair{"grade_to", &filters.grade_max}}) {
    if (auto v = form.Get(name); !v.empty()) {
      *target = domain::ParseGrade(Upper(v));
      if (!*target) form.Error(name, "Select a grade");
    }
  }
  if (auto v = form.Get("region"); !v.empty()) filters.regions.push_back(v);
  if (auto v = form.Get("clearance"); !v.empty()) {
    filters.clearance_at_least = domain::ParseClearance(Upper(v));
    if (!filters.clearance_at_least) form.Error("clearance", "Select a security clearance");
  }
  return filters;
}

// The ad-hoc requirement rows 1..rows (blank rows skipped). `row_numbers[i]` is the form
// row of requirement i, to put an error from the engine on the right field.
std::vector<engine::RequirementSpec> ReadPageRequirements(PageForm& form, int rows,
                                                          const app::EngineChoices& choices,
                                                          std::vector<int>& row_numbers) {
  std::vector<engine::RequirementSpec> specs;
  for (int row = 1; row <= rows; ++row) {
    const std::string item = form.Get(fmt::format("item_{}", row));
    const std::string level = form.Get(fmt::format("level_{}", row));
    const std::string weight = form.Get(fmt::format("weight_{}", row));
    if (item.empty() && level.empty() && weight.empty()) continue;
    engine::RequirementSpec spec;
    spec.item_id = item;
    // An item may be typed by its title as offered in the list.
    for (const auto& choice : choices.items) {
      if (!choice.title.empty() && EqualsIgnoreCase(choice.title, item)) {
        spec.item_id = choice.item_id;
        break;
      }
    }
    if (item.empty()) form.Error(fmt::format("item_{}", row), "Enter an item");
    if (level.empty()) {
      form.Error(fmt::format("level_{}", row), "Enter a level from 1 to 9");
    } else if (auto n = ParseInt(level, 1, 9)) {
      spec.level = *n;
    } else {
      form.Error(fmt::format("level_{}", row), "Enter a level from 1 to 9");
    }
    if (!weight.empty()) {
      if (auto n = ParseInt(weight, 1, 10)) {
        spec.weight = *n;
      } else {
        form.Error(fmt::format("weight_{}", row), "Enter a weight from 1 to 10");
      }
    }
    specs.push_back(spec);
    row_numbers.push_back(row);
  }
  return specs;
}

// The page field for a field named by the engine (`requirements[2].item`,
// `filters.grade_max`, `k`...).
std::string PageField(const std::string& field, const std::vector<int>& row_numbers) {
  if (field.starts_with("requirements[")) {
    const auto close = field.find(']');
    const auto index = ParseId(field.substr(13, close - 13));
    const std::string part = close + 2 < field.size() ? field.substr(close + 2) : "item";
    if (index && static_cast<std::size_t>(*index) < row_numbers.size()) {
      return fmt::format("{}_{}", part, row_numbers[static_cast<std::size_t>(*index)]);
    }
    return "item_1";
  }
  if (field == "requirements") return "role_level";
  std::string f = field.starts_with("filters.") ? field.substr(8) : field;
  if (f.starts_with("professions")) return "profession";
  if (f.starts_with("departments")) return "department";
  if (f.starts_with("regions")) return "region";
  if (f == "grade_min") return "grade_from";
  if (f == "grade_max") return "grade_to";
  if (f.starts_with("clearance")) return "clearance";
  return f;
}

void AddFilterView(json& view, const PageForm& form, const app::EngineChoices& choices) {
  view["department_options"] =
      SelectOptions(Named(choices.departments), form.Get("department"), "Any department");
  view["profession_options"] =
      SelectOptions(Named(choices.professions), form.Get("profession"), "Any profession");
  view["grade_from_options"] =
      SelectOptions(GradeChoices(), Upper(form.Get("grade_from")), "Any grade");
  view["grade_to_options"] =
      SelectOptions(GradeChoices(), Upper(form.Get("grade_to")), "Any grade");
  std::string region = form.Get("region");
  if (const auto* info = domain::FindRegion(region)) region = std::string(info->code);
  view["region_options"] = SelectOptions(RegionChoices(), region, "Any region");
  view["clearance_options"] =
      SelectOptions(ClearanceOptions(), Upper(form.Get("clearance")), "Any clearance");
}

json ItemChoicesView(const app::EngineChoices& choices) {
  json items = json::array();
  for (const auto& item : choices.items) {
    items.push_back({{"value", item.title.empty() ? item.item_id : item.title}});
  }
  return items;
}

constexpr int kRoleLevelSuggestions = 10;

// What was typed in a role level field, as a code. A code in any case stands for itself;
// other text is searched in the codes and titles, and a single match stands for its
// code. Anything else is an error on the field, with up to ten matches to choose from as
// links to this page (`path`) with the field set: the picker for browsers without its
// script. The field's value becomes the code, so that links and the form carry it.
std::string ResolveRoleLevel(const Ctx& c, const app::Actor& actor, PageForm& form,
                             const std::string& field, const std::string& path, json& view) {
  const std::string typed = form.Get(field);
  if (typed.empty()) return typed;
  auto found = c->engine.SearchRoleLevels(actor, typed, kRoleLevelSuggestions, field);
  if (!found.ok()) {
    form.Error(field, found.error().message);
    return {};
  }
  const auto& hits = found->hits;
  const bool exact =
      !hits.empty() && domain::Lower(hits.front().code) == domain::Lower(domain::Trim(typed));
  if (exact || found->total == 1) {
    form.fields[field] = hits.front().code;
    return hits.front().code;
  }
  if (found->total == 0) {
    form.Error(field, fmt::format("No role level has \u2018{}\u2019 in its code or title. Enter "
                                  "a code such as DDAT-DEV-3, or words from a role\u2019s title",
                                  typed));
    return {};
  }
  form.Error(field, fmt::format("\u2018{}\u2019 matches {} role levels. Choose one from the list "
                                "or enter its code",
                                typed, Thousands(found->total)));
  json items = json::array();
  for (const auto& hit : hits) {
    items.push_back(
        {{"code", hit.code}, {"title", hit.title}, {"href", form.Href(path, {{field, hit.code}})}});
  }
  view[field + "_suggest"] = {
      {"items", items},
      {"more", found->total > static_cast<std::int64_t>(hits.size())
                   ? fmt::format("and {} more: add words to narrow the search",
                                 Thousands(found->total - static_cast<std::int64_t>(hits.size())))
                   : std::string{}}};
  return {};
}

// Whether any requirement row was filled in or has an error (to show the rows open).
bool RowsUsed(const PageForm& form) {
  for (const auto& [key, value] : form.fields) {
    if (key.starts_with("item_") || key.starts_with("level_") || key.starts_with("weight_")) {
      return true;
    }
  }
  return std::any_of(form.errors.begin(), form.errors.end(), [](const domain::Error& e) {
    return e.field.starts_with("item_") || e.field.starts_with("level_") ||
           e.field.starts_with("weight_");
  });
}

json RequirementRowsView(const PageForm& form, int rows) {
  json list = json::array();
  for (int row = 1; row <= rows; ++row) {
    const auto key = [&](const char* name) { return fmt::format("{}_{}", name, row); };
    json entry{{"n", row},
               {"item", form.Get(key("item"))},
               {"level", form.Get(key("level"))},
               {"weight", form.Get(key("weight"))}};
    for (const char* name : {"item", "level", "weight"}) {
      for (const auto& error : form.errors) {
        if (error.field == key(name)) entry[std::string("error_") + name] = error.message;
      }
    }
    list.push_back(entry);
  }
  return list;
}

// ---------- JSON bodies ----------

domain::Status ReadJsonFilters(const JsonField& body, engine::Filters& filters) {
  const auto f = body.Member("filters");
  if (!f) return domain::Ok{};
  PATHWAY_TRY(f->Object("filters must be an object"));
  for (const auto& [name, target] :
       {std::pair{"professions", &filters.professions},
        std::pair{"departments", &filters.departments}, std::pair{"regions", &filters.regions}}) {
    const auto list = f->Member(name);
    if (!list) continue;
    PATHWAY_ASSIGN_OR_RETURN(auto codes,
                             list->Array(100, list->field() + " must be a list of codes"));
    for (const JsonField& code : codes) {
      PATHWAY_ASSIGN_OR_RETURN(auto text, code.String("Enter a code"));
      target->push_back(std::move(text));
    }
  }
  for (const auto& [name, target] :
       {std::pair{"grade_min", &filters.grade_min}, std::pair{"grade_max", &filters.grade_max}}) {
    const auto grade = f->Member(name);
    if (!grade) continue;
    PATHWAY_ASSIGN_OR_RETURN(const std::string text, grade->String("Enter a grade code"));
    *target = domain::ParseGrade(Upper(text));
    if (!*target) return domain::Error::InvalidInput(grade->field(), "Select a grade that exists");
  }
  if (const auto clearance = f->Member("clearance_at_least")) {
    const auto text = clearance->String("Select BPSS, CTC, SC or DV");
    if (text.ok()) filters.clearance_at_least = domain::ParseClearance(Upper(*text));
    if (!filters.clearance_at_least) {
      return domain::Error::InvalidInput(clearance->field(), "Select BPSS, CTC, SC or DV");
    }
  }
  return domain::Ok{};
}

// `role_level` or `requirements` ([{item, level, weight}]) from a JSON body.
domain::Status ReadJsonRequirements(const JsonField& body, std::string& role_level,
                                    std::vector<engine::RequirementSpec>& specs) {
  if (const auto level = body.Member("role_level")) {
    PATHWAY_ASSIGN_OR_RETURN(role_level, level->String("role_level must be a role level code"));
  }
  if (const auto list = body.Member("requirements")) {
    PATHWAY_ASSIGN_OR_RETURN(
        auto requirements,
        list->Array(static_cast<std::size_t>(engine::kMaxRequirements),
                    "requirements must be a list",
                    fmt::format("Enter at most {} requirements", engine::kMaxRequirements)));
    for (const JsonField& r : requirements) {
      PATHWAY_TRY(r.Object("Each requirement is an object"));
      engine::RequirementSpec spec;
      const auto item = r.Member("item");
      if (!item) return domain::Error::InvalidInput(r.field() + ".item", "Enter the item's id");
      PATHWAY_ASSIGN_OR_RETURN(spec.item_id, item->String("Enter the item's id"));
      const auto level = r.Member("level");
      if (!level)
        return domain::Error::InvalidInput(r.field() + ".level", "Enter a level from 1 to 9");
      PATHWAY_ASSIGN_OR_RETURN(const std::int64_t level_value,
                               level->Integer("Enter a level from 1 to 9"));
      spec.level = static_cast<int>(std::clamp<std::int64_t>(level_value, -1, 99));
      if (const auto weight = r.Member("weight")) {
        PATHWAY_ASSIGN_OR_RETURN(const std::int64_t weight_value,
                                 weight->Integer("Enter a weight from 1 to 10"));
        spec.weight = static_cast<int>(std::clamp<std::int64_t>(weight_value, -1, 99));
      }
      specs.push_back(spec);
    }
  }
  if (role_level.empty() && specs.empty()) {
    return domain::Error::InvalidInput("requirements",
                                       "Give a role level or at least one requirement");
  }
  return domain::Ok{};
}

// ---------- match ----------

std::vector<std::string> RequirementItems(const app::MatchAnswer& answer) {
  std::vector<std::string> items;
  if (!answer.result.entries.empty()) {
    for (const auto& fit : answer.result.entries.front().fit) items.push_back(fit.item_id);
  }
  return items;
}

// ---------- grade bands ----------

std::string_view GradeFitName(engine::GradeFit fit) {
  switch (fit) {
    case engine::GradeFit::kUnknown:
      return "unknown";
    case engine::GradeFit::kInBand:
      return "in_band";
    case engine::GradeFit::kBelow:
      return "below";
    case engine::GradeFit::kAbove:
      return "above";
    case engine::GradeFit::kNoBand:
      break;
  }
  return "no_band";
}

// "In the band", "2 grades above the band", …; empty without a band.
std::string GradeFitText(const engine::MatchEntry& e) {
  const auto grades = [](int n) {
    return n == 1 ? std::string("1 grade") : fmt::format("{} grades", n);
  };
  switch (e.grade_fit) {
    case engine::GradeFit::kUnknown:
      return "Grade not known";
    case engine::GradeFit::kInBand:
      return "In the role's grade band";
    case engine::GradeFit::kBelow:
      return grades(e.grades_outside) + " below the band";
    case engine::GradeFit::kAbove:
      return grades(e.grades_outside) + " above the band";
    case engine::GradeFit::kNoBand:
      break;
  }
  return {};
}

// The grade order a page or API names: "" or "nearest-first" (the default), "over-graded-last",
// "ignore".
std::optional<engine::GradeOrder> ParseGradeOrder(std::string_view text) {
  if (text.empty() || text == "nearest-first") return engine::GradeOrder::kNearestFirst;
  if (text == "over-graded-last") return engine::GradeOrder::kOverGradedLast;
  if (text == "ignore") return engine::GradeOrder::kIgnore;
  return std::nullopt;
}

// One sentence on how grades counted in a ranking against a role level's band.
std::string GradeOrderText(const engine::MatchResult& result, engine::GradeOrder order) {
  if (result.band_min < 0) return {};
  const std::string band = GradeRange(result.band_min, result.band_max);
  switch (order) {
    case engine::GradeOrder::kIgnore:
      return fmt::format("The role's grade band is {}; grades were not used in this ranking.",
                         band);
    case engine::GradeOrder::kNearestFirst:
      return fmt::format(
          "The role's grade band is {}. People with the same score are ranked by how near "
          "their grade is to the band: in the band first.",
          band);
    case engine::GradeOrder::kOverGradedLast:
      return fmt::format(
          "The role's grade band is {}. People above the band are ranked after everyone "
          "else; people with the same score are ranked by how near their grade is to the band.",
          band);
  }
  return {};
}

json MatchJson(const app::MatchAnswer& answer) {
  json items = json::array();
  int rank = 0;
  for (const auto& e : answer.result.entries) {
    json fit = json::array();
    for (const auto& f : e.fit) {
      fit.push_back({{"item", f.item_id},
                     {"title", TitleOf(answer.item_titles, f.item_id)},
                     {"has", f.has},
                     {"needs", f.needs},
                     {"weight", f.weight},
                     {"met", f.has >= f.needs}});
    }
    json person = {{"id", e.person_id}};
    if (const auto p = answer.people.find(e.person_id); p != answer.people.end()) {
      person["external_id"] = p->second.external_id;
      person["name"] = p->second.name;
      person["grade"] = p->second.grade.empty() ? json(nullptr) : json(p->second.grade);
      person["department"] = p->second.department;
      person["profession"] = p->second.profession;
      person["region"] = p->second.region.empty() ? json(nullptr) : json(p->second.region);
    }
    items.push_back({{"rank", ++rank},
                     {"person", person},
                     {"score", e.score},
                     {"max_score", e.max_score},
                     {"gap", e.gap},
                     {"met", e.met},
                     {"grade_fit", GradeFitName(e.grade_fit)},
                     {"grades_outside_band", e.grades_outside},
                     {"fit", fit}});
  }
  json out = {{"mode", answer.closest_to_ready ? "closest_to_ready" : "match"},
              {"candidates", answer.result.candidates},
              {"items", items}};
  if (answer.result.band_min >= 0) {
    out["grade_band"] = {{"from", GradeCodeOf(answer.result.band_min)},
                         {"to", GradeCodeOf(answer.result.band_max)}};
  }
  return out;
}

std::string MatchCsv(const app::MatchAnswer& answer) {
  interchange::CsvWriter csv;
  std::vector<std::string> header{
      "rank",      "person_id",          "hr_reference", "name",
      "grade",     "department",         "profession",   "region",
      "score",     "max_score",          "gap",          "requirements_met",
      "grade_fit", "grades_outside_band"};
  const auto items = RequirementItems(answer);
  for (const auto& item : items) {
    const std::string title = TitleOf(answer.item_titles, item);
    header.push_back(title + " has");
    header.push_back(title + " needs");
  }
  csv.Row(header);
  int rank = 0;
  for (const auto& e : answer.result.entries) {
    domain::PersonLabel p;
    if (const auto found = answer.people.find(e.person_id); found != answer.people.end()) {
      p = found->second;
    }
    std::vector<std::string> row{std::to_string(++rank),
                                 std::to_string(e.person_id),
                                 p.external_id,
                                 p.name,
                                 p.grade,
                                 p.department,
                                 p.profession,
                                 p.region,
                                 std::to_string(e.score),
                                 std::to_string(e.max_score),
                                 std::to_string(e.gap),
                                 std::to_string(e.met),
                                 e.grade_fit == engine::GradeFit::kNoBand
                                     ? std::string{}
                                     : std::string(GradeFitName(e.grade_fit)),
                                 std::to_string(e.grades_outside)};
    for (const auto& f : e.fit) {
      row.push_back(std::to_string(f.has));
      row.push_back(std::to_string(f.needs));
    }
    csv.Row(row);
  }
  return std::move(csv).text();
}

json MatchRowsView(const app::MatchAnswer& answer) {
  json rows = json::array();
  int rank = 0;
  for (const auto& e : answer.result.entries) {
    domain::PersonLabel p;
    if (const auto found = answer.people.find(e.person_id); found != answer.people.end()) {
      p = found->second;
    }
    json fit = json::array();
    for (const auto& f : e.fit) {
      fit.push_back({{"title", TitleOf(answer.item_titles, f.item_id)},
                     {"has", f.has},
                     {"needs", f.needs},
                     {"met", f.has >= f.needs}});
    }
    rows.push_back({{"rank", ++rank},
                    {"id", e.person_id},
                    {"name", p.name.empty() ? fmt::format("Person {}", e.person_id) : p.name},
                    {"grade", p.grade},
                    {"department", p.department},
                    {"score", e.score},
                    {"max_score", e.max_score},
                    {"gap", e.gap},
                    {"met", e.met},
                    {"requirements", e.fit.size()},
                    {"grade_fit", GradeFitText(e)},
                    {"grade_fit_in", e.grade_fit == engine::GradeFit::kInBand},
                    {"fit", fit}});
  }
  return rows;
}

Response MatchPage(const Ctx& c, Request& request) {
  const app::Actor actor = ResolveActor(c->context.identity, request);
  if (!actor.signed_in()) return SignInRedirect(request);
  if (!c->engine.AccessOf(actor).match) {
    (void)c->engine.Match(actor, {});  // audits the refusal
    return c->context.errors.ForStatus(request, 404);
  }
  auto choices = c->engine.Choices(actor);
  if (!choices.ok()) return c->context.errors.ForError(request, choices.error());
  PageForm form = ReadPageForm(request);
  const bool closest = form.Get("mode") == "closest";
  json view = json::object();
  engine::MatchQuery query;
  query.role_level = ResolveRoleLevel(c, actor, form, "role_level", "/talent/match", view);
  query.filters = ReadPageFilters(form);
  std::vector<int> row_numbers;
  query.requirements = ReadPageRequirements(form, kPageRequirementRows, *choices, row_numbers);
  query.k = kDefaultMatchK;
  if (auto order = ParseGradeOrder(form.Get("grades"))) {
    query.grade_order = *order;
  } else {
    form.Error("grades", "Select how grades count in the ranking");
  }
  if (auto k = form.Get("k"); !k.empty()) {
    if (auto n = ParseInt(k, 1, engine::kMaxMatchResults)) {
      query.k = *n;
    } else {
      form.Error("k", "Enter a number of people from 1 to 1000");
    }
  }
  if (form.submitted && query.role_level.empty() && query.requirements.empty() &&
      form.errors.empty()) {
    form.Error("role_level", "Enter a role level code or at least one requirement");
  }
  std::optional<app::MatchAnswer> answer;
  if (form.submitted && form.errors.empty()) {
    auto result = closest ? c->engine.ClosestToReady(actor, query) : c->engine.Match(actor, query);
    if (!result.ok()) {
      if (result.error().code != domain::ErrorCode::kInvalidInput) {
        return c->context.errors.ForError(request, result.error());
      }
      form.Error(PageField(result.error().field, row_numbers), result.error().message);
    } else {
      answer = std::move(result).value();
    }
  }
  if (form.csv) {
    if (!answer) {
      return c->context.errors.ForError(
          request, form.errors.empty()
                       ? domain::Error::InvalidInput("role_level", "Enter a question")
                       : form.errors.front());
    }
    return CsvResponse(MatchCsv(*answer), closest ? "closest-to-ready" : "match");
  }
  AddFilterView(view, form, *choices);
  view["role_level"] = form.Get("role_level");
  view["k"] = form.Get("k").empty() ? std::to_string(kDefaultMatchK) : form.Get("k");
  view["rows"] = RequirementRowsView(form, kPageRequirementRows);
  view["rows_open"] = RowsUsed(form);
  view["item_choices"] = ItemChoicesView(*choices);
  view["role_level_picker"] = true;
  view["closest"] = closest;
  view["mode"] = closest ? "closest" : "";
  const std::string grades = form.Get("grades");
  view["grades_options"] = json::array(
      {{{"value", ""},
        {"label", "Nearest the role's grade band first"},
        {"hint",
         "Among people with the same score, those in the band, then those fewest grades from it"},
        {"id", "grades"},
        {"checked", grades != "over-graded-last" && grades != "ignore"}},
       {{"value", "over-graded-last"},
        {"label", "Over-graded last"},
        {"hint", "Everyone above the band after everyone else, however well they score"},
        {"id", "grades-over-graded-last"},
        {"checked", grades == "over-graded-last"}},
       {{"value", "ignore"},
        {"label", "Ignore grades"},
        {"hint", "Rank by the requirements only"},
        {"id", "grades-ignore"},
        {"checked", grades == "ignore"}}});
  view["match_href"] = form.Href("/talent/match", {{"mode", ""}});
  view["closest_href"] = form.Href("/talent/match", {{"mode", "closest"}});
  view["submitted"] = form.submitted && form.errors.empty();
  AddErrors(view, form.errors);
  if (answer) {
    view["results"] = MatchRowsView(*answer);
    view["has_results"] = !answer->result.entries.empty();
    view["summary"] =
        answer->result.entries.empty()
            ? std::string("Nobody you can see passes these filters")
            : fmt::format("Top {} of {} people who pass the filters",
                          Thousands(static_cast<std::int64_t>(answer->result.entries.size())),
                          Thousands(answer->result.candidates));
    view["csv_href"] = form.Href("/talent/match", {{"format", "csv"}});
    view["grade_order_text"] = GradeOrderText(answer->result, query.grade_order);
  }
  return Page(c, actor, "engine_match", closest ? "Closest to ready" : "Match people to a role",
              view, "talent", form.errors.empty() ? 200 : 422);
}

Response MatchApi(const Ctx& c, Request& request) {
  const app::Actor actor = ResolveActor(c->context.identity, request);
  if (!actor.signed_in()) return ApiUnauthenticated();
  if (!c->engine.AccessOf(actor).match) {
    auto refused = c->engine.Match(actor, {});
    return c->context.errors.ForError(request, refused.error());
  }
  if (!actor.session_id_hash.empty() && !FromOurOrigin(request)) {
    c->context.identity.RecordRefusal(actor, "csrf", "POST /api/v1/match");
    return ProblemResponse(403, "forbidden", "Cross-origin requests are refused.");
  }
  auto read = ReadJsonBody(request, "the question", 400);
  if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
  const JsonField body(std::get<json>(read), "");
  engine::MatchQuery query;
  if (auto status = ReadJsonRequirements(body, query.role_level, query.requirements);
      !status.ok()) {
    return ApiProblem(status.error());
  }
  if (auto status = ReadJsonFilters(body, query.filters); !status.ok()) {
    return ApiProblem(status.error());
  }
  query.k = 10;
  query.grade_order = engine::GradeOrder::kNearestFirst;
  if (const auto order = body.Member("grade_order")) {
    const auto text = order->String("");
    const auto parsed = text.ok() ? ParseGradeOrder(*text) : std::nullopt;
    if (!parsed || text->empty()) {
      return ApiProblem(domain::Error::InvalidInput(
          "grade_order", "grade_order must be nearest-first, over-graded-last or ignore"));
    }
    query.grade_order = *parsed;
  }
  if (const auto k = body.Member("k")) {
    const auto value = k->Integer("");
    if (!value.ok() || *value < 1 || *value > engine::kMaxMatchResults) {
      return ApiProblem(
          domain::Error::InvalidInput("k", "Enter a number of results from 1 to 1000"));
    }
    query.k = static_cast<int>(*value);
  }
  bool closest = false;
  if (const auto mode = body.Member("mode")) {
    const auto text = mode->String("");
    if (text.ok() && *text == "closest_to_ready") {
      closest = true;
    } else if (!text.ok() || *text != "match") {
      return ApiProblem(
          domain::Error::InvalidInput("mode", "mode must be match or closest_to_ready"));
    }
  }
  auto answer = closest ? c->engine.ClosestToReady(actor, query) : c->engine.Match(actor, query);
  if (!answer.ok()) return ApiError(c, request, answer.error());
  if (request.Header("accept").starts_with("text/csv")) {
    return CsvResponse(MatchCsv(*answer), closest ? "closest-to-ready" : "match");
  }
  return JsonResponse(200, MatchJson(*answer));
}

// ---------- capability map ----------

std::optional<engine::Dimension> ParseDimension(std::string_view text) {
  if (text == "profession") return engine::Dimension::kProfession;
  if (text == "region") return engine::Dimension::kRegion;
  if (text == "grade") return engine::Dimension::kGrade;
  if (text == "department") return engine::Dimension::kDepartment;
  return std::nullopt;
}

std::string DimensionLabel(engine::Dimension d) {
  switch (d) {
    case engine::Dimension::kProfession:
      return "Profession";
    case engine::Dimension::kRegion:
      return "Region";
    case engine::Dimension::kGrade:
      return "Grade";
    case engine::Dimension::kDepartment:
      return "Department";
  }
  return "";
}

std::string AxisLabel(const app::CapabilityAnswer& answer, engine::Dimension d,
                      const std::string& code) {
  if (d == engine::Dimension::kRegion) return RegionName(code);
  if (d == engine::Dimension::kGrade) return code;
  const auto found = answer.names.find(code);
  return found == answer.names.end() ? code : found->second;
}

enum class Measure { kShare, kMean, kHeadcount, kGap };

Measure ParseMeasure(const std::string& text) {
  if (text == "mean") return Measure::kMean;
  if (text == "headcount") return Measure::kHeadcount;
  if (text == "gap") return Measure::kGap;
  return Measure::kShare;
}

std::string MeasureName(Measure m) {
  switch (m) {
    case Measure::kShare:
      return "Share meeting the level";
    case Measure::kMean:
      return "Mean level";
    case Measure::kHeadcount:
      return "Headcount";
    case Measure::kGap:
      return "Gap (posts needing the level minus people meeting it)";
  }
  return "";
}

double MeasureValue(const engine::CapabilityCell& cell, Measure m) {
  switch (m) {
    case Measure::kShare:
      return cell.share_meeting;
    case Measure::kMean:
      return cell.mean_level;
    case Measure::kHeadcount:
      return static_cast<double>(cell.headcount);
    case Measure::kGap:
      return static_cast<double>(cell.gap);
  }
  return 0;
}

std::string MeasureText(const engine::CapabilityCell& cell, Measure m) {
  switch (m) {
    case Measure::kShare:
      return fmt::format("{}%", static_cast<int>(std::lround(cell.share_meeting * 100)));
    case Measure::kMean:
      return fmt::format("{:.1f}", cell.mean_level);
    case Measure::kHeadcount:
      return Thousands(cell.headcount);
    case Measure::kGap:
      return cell.gap > 0 ? "+" + Thousands(cell.gap) : Thousands(cell.gap);
  }
  return "";
}

// Five shades of GOV.UK blue, light to dark; text is black on the first three and white
// on the last two, each pair with a contrast ratio of at least 4.5:1.
constexpr std::array<const char*, 5> kShades{"#f3f7fb", "#d2e2f1", "#a5c5e3", "#1d70b8", "#003078"};

int ShadeOf(double value, double max) {
  if (max <= 0 || value <= 0) return 0;
  const double t = std::min(1.0, value / max);
  return std::min(4, 1 + static_cast<int>(t * 3.999));
}

// The heatmap as an SVG image whose cells carry their values as text, and the same
// values as a matrix (rows x columns) for the table under it.
struct Heatmap {
  std::string svg;
  json matrix_rows = json::array();
  json matrix_columns = json::array();
};

Heatmap BuildHeatmap(const app::CapabilityAnswer& answer, engine::Dimension row_dim,
                     engine::Dimension column_dim, Measure measure, const std::string& subject) {
  const auto& map = answer.map;
  std::vector<int> rows, columns;
  std::map<std::pair<int, int>, const engine::CapabilityCell*> at;
  for (const auto& cell : map.cells) {
    at[{cell.row, cell.column}] = &cell;
    if (std::find(rows.begin(), rows.end(), cell.row) == rows.end()) rows.push_back(cell.row);
    if (std::find(columns.begin(), columns.end(), cell.column) == columns.end()) {
      columns.push_back(cell.column);
    }
  }
  std::sort(rows.begin(), rows.end());
  std::sort(columns.begin(), columns.end());
  double max = 0;
  for (const auto& cell : map.cells) {
    max = std::max(max, measure == Measure::kShare ? 1.0 : MeasureValue(cell, measure));
  }
  constexpr int kLabelWidth = 210, kHeaderHeight = 110, kCellWidth = 84, kCellHeight = 36;
  const int width =
      kLabelWidth + kCellWidth * static_cast<int>(std::max<std::size_t>(1, columns.size())) + 10;
  const int height =
      kHeaderHeight + kCellHeight * static_cast<int>(std::max<std::size_t>(1, rows.size())) + 10;
  Heatmap out;
  std::string& svg = out.svg;
  const std::string title =
      fmt::format("{} by {} and {}: {}", MeasureName(measure), DimensionLabel(row_dim),
                  DimensionLabel(column_dim), subject);
  svg += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pathway-heatmap\" role=\"img\" "
      "font-family=\"arial, sans-serif\" "
      "aria-labelledby=\"heatmap-title heatmap-desc\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
      "height=\"{1}\">",
      width, height);
  svg += fmt::format("<title id=\"heatmap-title\">{}</title>", HtmlEscape(title));
  svg += fmt::format(
      "<desc id=\"heatmap-desc\">{} rows by {} columns. Each cell shows its value as text; darker "
      "cells have higher values. The table below the map holds the same numbers.</desc>",
      rows.size(), columns.size());
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const std::string label =
        AxisLabel(answer, column_dim, map.column_labels[static_cast<std::size_t>(columns[j])]);
    const int x = kLabelWidth + static_cast<int>(j) * kCellWidth + kCellWidth / 2;
    svg += fmt::format(
        "<text x=\"{0}\" y=\"{1}\" transform=\"rotate(-40 {0} {1})\" font-size=\"13\" "
        "fill=\"#0b0c0c\">{2}</text>",
        x, kHeaderHeight - 8, HtmlEscape(Truncate(label, 18)));
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string label =
        AxisLabel(answer, row_dim, map.row_labels[static_cast<std::size_t>(rows[i])]);
    const int y = kHeaderHeight + static_cast<int>(i) * kCellHeight;
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"14\" text-anchor=\"end\" fill=\"#0b0c0c\">{}</text>",
        kLabelWidth - 8, y + kCellHeight / 2 + 5, HtmlEscape(Truncate(label, 26)));
    json cells = json::array();
    for (std::size_t j = 0; j < columns.size(); ++j) {
      const int x = kLabelWidth + static_cast<int>(j) * kCellWidth;
      const auto found = at.find({rows[i], columns[j]});
      if (found == at.end()) {
        svg += fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" "
            "stroke=\"#b1b4b6\"/><text x=\"{}\" y=\"{}\" font-size=\"14\" text-anchor=\"middle\" "
            "fill=\"#0b0c0c\" class=\"pathway-heatmap__value\">-</text>",
            x, y, kCellWidth, kCellHeight, x + kCellWidth / 2, y + kCellHeight / 2 + 5);
        cells.push_back({{"value", "-"}});
        continue;
      }
      const auto& cell = *found->second;
      const int shade = ShadeOf(std::max(0.0, MeasureValue(cell, measure)), max);
      const std::string text = MeasureText(cell, measure);
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\"/>"
          "<text x=\"{}\" y=\"{}\" font-size=\"14\" text-anchor=\"middle\" fill=\"{}\" "
          "class=\"pathway-heatmap__value\">{}</text>",
          x, y, kCellWidth, kCellHeight, kShades[static_cast<std::size_t>(shade)],
          x + kCellWidth / 2, y + kCellHeight / 2 + 5, shade >= 3 ? "#ffffff" : "#0b0c0c",
          HtmlEscape(text));
      cells.push_back({{"value", text}});
    }
    out.matrix_rows.push_back({{"label", label}, {"cells", cells}});
  }
  for (const int column : columns) {
    out.matrix_columns.push_back(
        {{"label",
          AxisLabel(answer, column_dim, map.column_labels[static_cast<std::size_t>(column)])}});
  }
  svg += "</svg>";
  return out;
}

json CapabilityJson(const app::CapabilityAnswer& answer, engine::Dimension rows,
                    engine::Dimension columns) {
  json cells = json::array();
  for (const auto& cell : answer.map.cells) {
    cells.push_back({{"row", answer.map.row_labels[static_cast<std::size_t>(cell.row)]},
                     {"column", answer.map.column_labels[static_cast<std::size_t>(cell.column)]},
                     {"headcount", cell.headcount},
                     {"meeting", cell.meeting},
                     {"share_meeting", cell.share_meeting},
                     {"mean_level", cell.mean_level},
                     {"demand_filled", cell.demand_filled},
                     {"demand_vacant", cell.demand_vacant},
                     {"gap", cell.gap}});
  }
  return {{"rows", engine::DimensionName(rows)},
          {"columns", engine::DimensionName(columns)},
          {"requirement_count", answer.map.requirement_count},
          {"cells", cells}};
}

std::string CapabilityCsv(const app::CapabilityAnswer& answer, engine::Dimension rows,
                          engine::Dimension columns) {
  interchange::CsvWriter csv;
  csv.Row({std::string(engine::DimensionName(rows)), std::string(engine::DimensionName(columns)),
           "headcount", "meeting", "share_meeting", "mean_level", "demand_filled", "demand_vacant",
           "gap"});
  for (const auto& cell : answer.map.cells) {
    csv.Row({answer.map.row_labels[static_cast<std::size_t>(cell.row)],
             answer.map.column_labels[static_cast<std::size_t>(cell.column)],
             std::to_string(cell.headcount), std::to_string(cell.meeting),
             fmt::format("{:.4f}", cell.share_meeting), fmt::format("{:.2f}", cell.mean_level),
             std::to_string(cell.demand_filled), std::to_string(cell.demand_vacant),
             std::to_string(cell.gap)});
  }
  return std::move(csv).text();
}

std::vector<std::pair<std::string, std::string>> DimensionOptions() {
  return {{"profession", "Profession"},
          {"region", "Region"},
          {"grade", "Grade"},
          {"department", "Department"}};
}

Response CapabilityPage(const Ctx& c, Request& request) {
  const app::Actor actor = ResolveActor(c->context.identity, request);
  if (!actor.signed_in()) return SignInRedirect(request);
  if (!c->engine.AccessOf(actor).capability) {
    (void)c->engine.MapCapability(actor, {});  // audits the refusal
    return c->context.errors.ForStatus(request, 404);
  }
  auto choices = c->engine.Choices(actor);
  if (!choices.ok()) return c->context.errors.ForError(request, choices.error());
  PageForm form = ReadPageForm(request);
  engine::CapabilityQuery query;
  const std::string rows_text = form.Get("rows").empty() ? "profession" : form.Get("rows");
  const std::string columns_text = form.Get("columns").empty() ? "region" : form.Get("columns");
  const auto rows = ParseDimension(rows_text);
  const auto columns = ParseDimension(columns_text);
  if (!rows) form.Error("rows", "Select what the rows show");
  if (!columns) form.Error("columns", "Select what the columns show");
  if (rows && columns && *rows == *columns) {
    form.Error("columns", "Select a different dimension for the rows and the columns");
  }
  if (rows) query.rows = *rows;
  if (columns) query.columns = *columns;
  json view = json::object();
  query.role_level = ResolveRoleLevel(c, actor, form, "role_level", "/capability", view);
  query.filters = ReadPageFilters(form);
  std::vector<int> row_numbers;
  query.requirements = ReadPageRequirements(form, kMapItemRows, *choices, row_numbers);
  const Measure measure = ParseMeasure(form.Get("measure"));
  const bool asked = !query.role_level.empty() || !query.requirements.empty();
  if (form.submitted && !asked && form.errors.empty()) {
    form.Error("role_level", "Enter a role level code or at least one item and level");
  }
  std::optional<app::CapabilityAnswer> answer;
  if (asked && form.errors.empty()) {
    auto result = c->engine.MapCapability(actor, query);
    if (!result.ok()) {
      if (result.error().code != domain::ErrorCode::kInvalidInput) {
        return c->context.errors.ForError(request, result.error());
      }
      form.Error(PageField(result.error().field, row_numbers), result.error().message);
    } else {
      answer = std::move(result).value();
    }
  }
  if (form.csv) {
    if (!answer) {
      return c->context.errors.ForError(
          request, form.errors.empty()
                       ? domain::Error::InvalidInput("role_level", "Enter a question")
                       : form.errors.front());
    }
    return CsvResponse(CapabilityCsv(*answer, query.rows, query.columns), "capability-map");
  }
  AddFilterView(view, form, *choices);
  view["rows_options"] = SelectOptions(DimensionOptions(), rows_text, "");
  view["columns_options"] = SelectOptions(DimensionOptions(), columns_text, "");
  view["measure_options"] =
      SelectOptions({{"share", "Share meeting the level"},
                     {"mean", "Mean level"},
                     {"headcount", "Headcount"},
                     {"gap", "Gap between demand and supply"}},
                    form.Get("measure").empty() ? "share" : form.Get("measure"), "");
  view["role_level"] = form.Get("role_level");
  view["item_rows"] = RequirementRowsView(form, kMapItemRows);
  view["rows_open"] = RowsUsed(form);
  view["map"] = true;  // the rows ask for no weight
  view["item_choices"] = ItemChoicesView(*choices);
  view["role_level_picker"] = true;
  AddErrors(view, form.errors);
  if (answer) {
    std::string subject;
    if (!query.role_level.empty()) {
      subject = fmt::format("the requirements of {} ({})",
                            RoleLevelTitle(*answer->snapshot, query.role_level), query.role_level);
    } else {
      std::vector<std::string> parts;
      for (const auto& spec : query.requirements) {
        parts.push_back(
            fmt::format("{} at level {}", TitleOf(answer->item_titles, spec.item_id), spec.level));
      }
      for (std::size_t i = 0; i < parts.size(); ++i) subject += (i ? ", " : "") + parts[i];
    }
    Heatmap heatmap = BuildHeatmap(*answer, query.rows, query.columns, measure, subject);
    view["has_map"] = !answer->map.cells.empty();
    view["heatmap_svg"] = heatmap.svg;
    view["matrix_rows"] = heatmap.matrix_rows;
    view["matrix_columns"] = heatmap.matrix_columns;
    view["measure_name"] = MeasureName(measure);
    view["subject"] = subject;
    view["rows_label"] = DimensionLabel(query.rows);
    view["columns_label"] = DimensionLabel(query.columns);
    json details = json::array();
    for (const auto& cell : answer->map.cells) {
      details.push_back(
          {{"row", AxisLabel(*answer, query.rows,
                             answer->map.row_labels[static_cast<std::size_t>(cell.row)])},
           {"column", AxisLabel(*answer, query.columns,
                                answer->map.column_labels[static_cast<std::size_t>(cell.column)])},
           {"headcount", Thousands(cell.headcount)},
           {"meeting", Thousands(cell.meeting)},
           {"share", MeasureText(cell, Measure::kShare)},
           {"mean", MeasureText(cell, Measure::kMean)},
           {"filled", Thousands(cell.demand_filled)},
           {"vacant", Thousands(cell.demand_vacant)},
           {"gap", MeasureText(cell, Measure::kGap)}});
    }
    view["details"] = details;
    view["csv_href"] = form.Href("/capability", {{"format", "csv"}});
  }
  return Page(c, actor, "engine_capability", "Capability map", view, "capability",
              form.errors.empty() ? 200 : 422);
}

Response CapabilityApi(const Ctx& c, Request& request) {
  const app::Actor actor = ResolveActor(c->context.identity, request);
  if (!actor.signed_in()) return ApiUnauthenticated();
  if (!c->engine.AccessOf(actor).capability) {
    auto refused = c->engine.MapCapability(actor, {});
    return c->context.errors.ForError(request, refused.error());
  }
  if (!actor.session_id_hash.empty() && !FromOurOrigin(request)) {
    c->context.identity.RecordRefusal(actor, "csrf", "POST /api/v1/capability-map");
    return ProblemResponse(403, "forbidden", "Cross-origin requests are refused.");
  }
  auto read = ReadJsonBody(request, "the question", 400);
  if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
  const JsonField body(std::get<json>(read), "");
  engine::CapabilityQuery query;
  for (const auto& [name, target, fallback] :
       {std::tuple{"rows", &query.rows, engine::Dimension::kProfession},
        std::tuple{"columns", &query.columns, engine::Dimension::kRegion}}) {
    *target = fallback;
    const auto member = body.Member(name);
    if (!member) continue;
    const auto text = member->String("");
    const auto d = text.ok() ? ParseDimension(*text) : std::nullopt;
    if (!d) {
      return ApiProblem(domain::Error::InvalidInput(
          name, fmt::format("{} must be profession, region, grade or department", name)));
    }
    *target = *d;
  }
  if (auto status = ReadJsonRequirements(body, query.role_level, query.requirements);
      !status.ok()) {
    return ApiProblem(status.error());
  }
  if (auto status = ReadJsonFilters(body, query.filters); !status.ok()) {
    return ApiProblem(status.error());
  }
  auto answer = c->engine.MapCapability(actor, query);
  if (!answer.ok()) return ApiError(c, request, answer.error());
  if (request.Header("accept").starts_with("text/csv")) {
    return CsvResponse(CapabilityCsv(*answer, query.rows, query.columns), "capability-map");
  }
  return JsonResponse(200, CapabilityJson(*answer, query.rows, query.columns));
}

// ---------- pathways ----------

// Reads the route question from query parameters (the page and the API share names:
// target, k, max_steps, region, grade_from / grade_min, grade_to / grade_max).
engine::RouteQuery ReadRouteQuery(const PageForm& form, std::int64_t person_id,
                                  std::vector<domain::Error>& errors) {
  engine::RouteQuery query;
  query.person_id = person_id;
  query.target = form.Get("target");
  if (auto k = form.Get("k"); !k.empty()) {
    if (auto n = ParseInt(k, 1, engine::kMaxRoutes)) {
      query.k = *n;
    } else {
      errors.push_back(domain::Error::InvalidInput("k", "Enter a number of routes from 1 to 5"));
    }
  }
  if (auto steps = form.Get("max_steps"); !steps.empty()) {
    if (auto n = ParseInt(steps, 1, engine::kMaxRouteSteps)) {
      query.max_steps = *n;
    } else {
      errors.push_back(
          domain::Error::InvalidInput("max_steps", "Enter a number of steps from 1 to 8"));
    }
  }
  if (auto region = form.Get("region"); !region.empty()) query.regions.push_back(region);
  for (const auto& [names, target] :
       {std::pair{std::pair{"grade_from", "grade_min"}, &query.grade_min},
        std::pair{std::pair{"grade_to", "grade_max"}, &query.grade_max}}) {
    std::string text = form.Get(names.first);
    std::string field = names.first;
    if (text.empty()) {
      text = form.Get(names.second);
      field = names.second;
    }
    if (text.empty()) continue;
    *target = domain::ParseGrade(Upper(text));
    if (!*target) errors.push_back(domain::Error::InvalidInput(field, "Select a grade"));
  }
  return query;
}

json LearnJson(const std::vector<engine::LearnItem>& learn,
               const std::unordered_map<std::string, std::string>& titles) {
  json list = json::array();
  for (const auto& l : learn) {
    list.push_back({{"item", l.item_id},
                    {"title", TitleOf(titles, l.item_id)},
                    {"has", l.has},
                    {"needs", l.needs}});
  }
  return list;
}

json RoutesJson(const app::PathwayAnswer& answer) {
  json routes = json::array();
  for (const auto& route : answer.routes.routes) {
    json steps = json::array();
    for (const auto& step : route.steps) {
      steps.push_back({{"role_level", step.role_level},
                       {"title", RoleLevelTitle(*answer.snapshot, step.role_level)},
                       {"kind", step.kind},
                       {"gap", step.gap},
                       {"learn", LearnJson(step.learn, answer.item_titles)}});
    }
    routes.push_back({{"steps", steps}, {"total_gap", route.total_gap}, {"cost", route.cost}});
  }
  json no_route = nullptr;
  if (answer.routes.reason != engine::NoRouteReason::kNone) {
    no_route = {{"code", engine::NoRouteReasonCode(answer.routes.reason)},
                {"reason", answer.routes.reason_text}};
    if (answer.routes.fewest_steps > 0) no_route["fewest_steps"] = answer.routes.fewest_steps;
  }
  return {{"person_id", answer.person.id},
          {"start", answer.routes.start.empty() ? json(nullptr) : json(answer.routes.start)},
          {"routes", routes},
          {"no_route", no_route}};
}

// Boxes and arrows, one row per route: the start, then each step.
std::string RouteDiagram(const app::PathwayAnswer& answer, const std::string& target) {
  constexpr int kBoxWidth = 190, kBoxHeight = 54, kGap = 44, kRowHeight = 96, kTop = 30;
  std::size_t most = 1;
  for (const auto& route : answer.routes.routes) most = std::max(most, route.steps.size() + 1);
  const int width = static_cast<int>(most) * (kBoxWidth + kGap) + 20;
  const int height = kTop + static_cast<int>(answer.routes.routes.size()) * kRowHeight;
  const std::string start = answer.routes.start.empty()
                                ? std::string("Now")
                                : RoleLevelTitle(*answer.snapshot, answer.routes.start);
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pathway-routes\" role=\"img\" "
      "font-family=\"arial, sans-serif\" "
      "aria-labelledby=\"routes-title routes-desc\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
      "height=\"{1}\">",
      width, height);
  svg += fmt::format("<title id=\"routes-title\">Routes from {} to {}</title>", HtmlEscape(start),
                     HtmlEscape(RoleLevelTitle(*answer.snapshot, target)));
  svg += fmt::format(
      "<desc id=\"routes-desc\">{} routes, one a row, each from the current role on the left "
      "through each step to the target. The list below the diagram gives the same routes with "
      "what to learn at each step.</desc>",
      answer.routes.routes.size());
  svg +=
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" "
      "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" "
      "fill=\"#0b0c0c\"/></marker></defs>";
  for (std::size_t r = 0; r < answer.routes.routes.size(); ++r) {
    const auto& route = answer.routes.routes[r];
    const int y = kTop + static_cast<int>(r) * kRowHeight;
    svg += fmt::format(
        "<text x=\"10\" y=\"{}\" font-size=\"14\" font-weight=\"bold\" fill=\"#0b0c0c\">Route {}: "
        "{} levels to learn</text>",
        y - 8, r + 1, route.total_gap);
    std::vector<std::pair<std::string, std::string>> boxes{{start, "now"}};
    for (const auto& step : route.steps) {
      boxes.emplace_back(RoleLevelTitle(*answer.snapshot, step.role_level),
                         fmt::format("{}, learn {}", step.kind, step.gap));
    }
    for (std::size_t b = 0; b < boxes.size(); ++b) {
      const int x = 10 + static_cast<int>(b) * (kBoxWidth + kGap);
      const bool last = b + 1 == boxes.size();
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{}\" "
          "stroke=\"#0b0c0c\" stroke-width=\"2\"/>",
          x, y, kBoxWidth, kBoxHeight, last ? "#1d70b8" : "#ffffff");
      const char* ink = last ? "#ffffff" : "#0b0c0c";
      svg += fmt::format(
          "<text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\" fill=\"{}\">{}</text>",
          x + 8, y + 22, ink, HtmlEscape(Truncate(boxes[b].first, 22)));
      svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"{}\">{}</text>", x + 8,
                         y + 42, ink, HtmlEscape(Truncate(boxes[b].second, 26)));
      if (!last) {
        svg += fmt::format(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"2\" "
            "marker-end=\"url(#arrow)\"/>",
            x + kBoxWidth, y + kBoxHeight / 2, x + kBoxWidth + kGap - 2, y + kBoxHeight / 2);
      }
    }
  }
  svg += "</svg>";
  return svg;
}

json ClosestRolesJson(const app::PathwayAnswer& answer) {
  json items = json::array();
  for (const auto& fit : answer.closest_roles) {
    const auto* level = RoleLevel(*answer.snapshot, fit.role_level);
    items.push_back({{"role_level", fit.role_level},
                     {"title", level ? level->title : fit.role_level},
                     {"grade_min", level ? json(GradeCodeOf(level->grade_min)) : json(nullptr)},
                     {"grade_max", level ? json(GradeCodeOf(level->grade_max)) : json(nullptr)},
                     {"gap", fit.gap},
                     {"met", fit.met},
                     {"requirements", fit.requirements}});
  }
  return {{"person_id", answer.person.id}, {"items", items}};
}

json VacanciesJson(const app::PathwayAnswer& answer) {
  json regions = json::array();
  for (const auto& region : answer.vacancies) {
    json posts = json::array();
    for (const auto& post : region.posts) {
      posts.push_back({{"post", post.post},
                       {"role_level", post.role_level},
                       {"title", RoleLevelTitle(*answer.snapshot, post.role_level)},
                       {"steps", post.steps},
                       {"gap", post.gap}});
    }
    regions.push_back({{"region", region.region},
                       {"region_name", RegionName(region.region)},
                       {"vacant", region.vacant},
                       {"posts", posts}});
  }
  return {{"person_id", answer.person.id}, {"regions", regions}};
}

std::optional<std::int64_t> PersonParam(const Request& request) {
  return ParseId(request.path_params.at("id"));
}

Response PathwaysPage(const Ctx& c, Request& request) {
  const app::Actor actor = ResolveActor(c->context.identity, request);
  if (!actor.signed_in()) return SignInRedirect(request);
  const auto id = PersonParam(request);
  if (!id) return c->context.errors.ForStatus(request, 404);
  auto person = c->engine.PathwayPerson(actor, *id);
  if (!person.ok()) return c->context.errors.ForError(request, person.error());
  PageForm form = ReadPageForm(request);
  const std::string path = fmt::format("/people/{}/pathways", *id);
  json view = json::object();
  ResolveRoleLevel(c, actor, form, "target", path, view);
  engine::RouteQuery query = ReadRouteQuery(form, *id, form.errors);
  std::optional<app::PathwayAnswer> routes;
  if (!query.target.empty() && form.errors.empty()) {
    auto result = c->engine.BestRoutes(actor, query);
    if (!result.ok()) {
      if (result.error().code != domain::ErrorCode::kInvalidInput) {
        return c->context.errors.ForError(request, result.error());
      }
      form.Error(PageField(result.error().field, {}), result.error().message);
    } else {
      routes = std::move(result).value();
    }
  } else if (form.submitted && query.target.empty() && form.errors.empty() &&
             form.fields.contains("k")) {
    form.Error("target", "Enter the role level you want to reach");
  }
  auto closest = c->engine.ClosestRoles(actor, *id, kClosestRoles);
  auto vacancies = c->engine.ReachableVacancies(actor, *id, kVacanciesPerRegion);
  const auto& p = person->person;
  view["person_id"] = *id;
  view["name"] = p.name;
  view["grade"] = p.grade;
  view["target"] = form.Get("target");
  view["k"] = form.Get("k").empty() ? "3" : form.Get("k");
  view["max_steps"] = form.Get("max_steps").empty() ? "4" : form.Get("max_steps");
  std::string region = form.Get("region");
  if (const auto* info = domain::FindRegion(region)) region = std::string(info->code);
  view["region_options"] = SelectOptions(RegionChoices(), region, "Any region");
  view["grade_from_options"] =
      SelectOptions(GradeChoices(), Upper(form.Get("grade_from")), "Any grade");
  view["grade_to_options"] =
      SelectOptions(GradeChoices(), Upper(form.Get("grade_to")), "Any grade");
  view["role_level_picker"] = true;
  view["action"] = path;
  AddErrors(view, form.errors);
  if (routes) {
    view["asked"] = true;
    view["target_title"] = RoleLevelTitle(*routes->snapshot, query.target);
    view["has_routes"] = !routes->routes.routes.empty();
    view["no_route_reason"] = routes->routes.reason_text;
    view["routes_svg"] = RouteDiagram(*routes, query.target);
    const std::string start = routes->routes.start.empty()
                                  ? std::string("where you are now")
                                  : RoleLevelTitle(*routes->snapshot, routes->routes.start);
    view["start"] = start;
    json list = json::array();
    int n = 0;
    for (const auto& route : routes->routes.routes) {
      json steps = json::array();
      for (const auto& step : route.steps) {
        json learn = json::array();
        for (const auto& l : step.learn) {
          learn.push_back({{"title", TitleOf(routes->item_titles, l.item_id)},
                           {"has", l.has},
                           {"needs", l.needs}});
        }
        steps.push_back({{"title", RoleLevelTitle(*routes->snapshot, step.role_level)},
                         {"code", step.role_level},
                         {"kind_text", step.kind == "direct" ? "direct move" : step.kind},
                         {"gap", step.gap},
                         {"learn", learn},
                         {"has_learn", !learn.empty()}});
      }
      list.push_back({{"n", ++n}, {"total_gap", route.total_gap}, {"steps", steps}});
    }
    view["routes"] = list;
  }
  if (closest.ok()) {
    json rows = json::array();
    for (const auto& fit : closest->closest_roles) {
      const auto* level = RoleLevel(*closest->snapshot, fit.role_level);
      rows.push_back({{"code", fit.role_level},
                      {"title", level ? level->title : fit.role_level},
                      {"grades", level ? GradeRange(level->grade_min, level->grade_max) : ""},
                      {"gap", fit.gap},
                      {"met", fit.met},
                      {"requirements", fit.requirements},
                      {"href", form.Href(path, {{"target", fit.role_level}})}});
    }
    view["closest_roles"] = rows;
    view["has_closest_roles"] = !rows.empty();
  }
  if (vacancies.ok()) {
    json regions = json::array();
    for (const auto& region_vacancies : vacancies->vacancies) {
      json posts = json::array();
      for (const auto& post : region_vacancies.posts) {
        posts.push_back(
            {{"post", post.post},
             {"title", RoleLevelTitle(*vacancies->snapshot, post.role_level)},
             {"code", post.role_level},
             {"moves", post.steps == 1 ? "1 move" : fmt::format("{} moves", post.steps)},
             {"gap", post.gap}});
      }
      regions.push_back({{"name", RegionName(region_vacancies.region)},
                         {"vacant", Thousands(region_vacancies.vacant)},
                         {"posts", posts}});
    }
    view["vacancy_regions"] = regions;
    view["has_vacancies"] = !regions.empty();
  }
  const bool own = actor.person_id && *actor.person_id == *id;
  return Page(c, actor, "engine_pathways", "Career pathways - " + p.name, view,
              own ? "pathways" : "people", form.errors.empty() ? 200 : 422);
}

// ---------- registration ----------

void RegisterPages(Router& router, const Ctx& c) {
  router.Add("GET", "/talent/match", [c](Request& request) { return MatchPage(c, request); });
  router.SetAction("talent.match");

  router.Add("GET", "/capability", [c](Request& request) { return CapabilityPage(c, request); });
  router.SetAction("capability.read");

  router.Add("GET", "/people/{id}/pathways",
             [c](Request& request) { return PathwaysPage(c, request); });
  router.SetAction("pathway.read");
}

// A bounded whole-number query parameter of a question about one person.
struct CountParam {
  const char* name;
  int fallback;
  int lo;
  int hi;
  const char* message;
};

// GET /api/v1/people/{id}/...: one question about a person the caller may see, with one
// bounded number. A bad number is a 400 only for someone who may see the person (a
// 404 otherwise, as for the question itself).
template <typename Ask, typename ToJson>
Response PersonQuestion(const Ctx& c, Request& request, const CountParam& param, Ask&& ask,
                        ToJson&& to_json) {
  const app::Actor actor = ResolveActor(c->context.identity, request);
  if (!actor.signed_in()) return ApiUnauthenticated();
  const auto id = PersonParam(request);
  if (!id) return ProblemResponse(404, "not-found", "");
  int value = param.fallback;
  if (const auto text = request.QueryParam(param.name)) {
    if (auto n = ParseInt(*text, param.lo, param.hi)) {
      value = *n;
    } else {
      auto person = c->engine.PathwayPerson(actor, *id);
      if (!person.ok()) return c->context.errors.ForError(request, person.error());
      return ApiProblem(domain::Error::InvalidInput(param.name, param.message));
    }
  }
  auto answer = ask(actor, *id, value);
  if (!answer.ok()) return ApiError(c, request, answer.error());
  return JsonResponse(200, to_json(*answer));
}

// GET /api/v1/role-levels/search?q=…&limit=…: the role-level picker's search, from the
// index in memory (listRoleLevels at /api/v1/role-levels pages through the store).
Response RoleLevelsApi(const Ctx& c, Request& request) {
  const app::Actor actor = ResolveActor(c->context.identity, request);
  if (!actor.signed_in()) return ApiUnauthenticated();
  PageForm form = ReadPageForm(request);
  if (!form.errors.empty()) return ApiProblem(form.errors.front());
  int limit = kRoleLevelSuggestions;
  if (auto text = form.Get("limit"); !text.empty()) {
    auto n = ParseInt(text, 1, app::kMaxRoleLevelHits);
    if (!n) {
      return ApiProblem(
          domain::Error::InvalidInput("limit", "Enter a number of role levels from 1 to 50"));
    }
    limit = *n;
  }
  auto found = c->engine.SearchRoleLevels(actor, form.Get("q"), limit);
  if (!found.ok()) return ApiError(c, request, found.error());
  json levels = json::array();
  for (const auto& hit : found->hits) {
    levels.push_back({{"code", hit.code}, {"title", hit.title}, {"profession", hit.profession}});
  }
  return JsonResponse(200, {{"total", found->total}, {"role_levels", levels}});
}

void RegisterApi(Router& router, const Ctx& c) {
  router.Add("GET", "/api/v1/role-levels/search",
             [c](Request& request) { return RoleLevelsApi(c, request); });
  router.SetAction("framework.read");

  router.Add("POST", "/api/v1/match", [c](Request& request) { return MatchApi(c, request); });
  router.SetAction("talent.match");

  router.Add("POST", "/api/v1/capability-map",
             [c](Request& request) { return CapabilityApi(c, request); });
  router.SetAction("capability.read");

  router.Add("GET", "/api/v1/people/{id}/routes", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = PersonParam(request);
    if (!id) return ProblemResponse(404, "not-found", "");
    PageForm form = ReadPageForm(request);
    std::vector<domain::Error> errors = form.errors;
    const engine::RouteQuery query = ReadRouteQuery(form, *id, errors);
    if (query.target.empty() && errors.empty()) {
      errors.push_back(domain::Error::InvalidInput("target", "Enter the target role level's code"));
    }
    if (!errors.empty()) {
      // Answer bad input only to those who may ask about this person.
      auto person = c->engine.PathwayPerson(actor, *id);
      if (!person.ok()) return c->context.errors.ForError(request, person.error());
      return ApiProblem(errors.front());
    }
    auto answer = c->engine.BestRoutes(actor, query);
    if (!answer.ok()) return ApiError(c, request, answer.error());
    return JsonResponse(200, RoutesJson(*answer));
  });
  router.SetAction("pathway.read");

  router.Add("GET", "/api/v1/people/{id}/closest-roles", [c](Request& request) {
    return PersonQuestion(
        c, request, {"k", kClosestRoles, 1, 50, "Enter a number of roles from 1 to 50"},
        [&](const app::Actor& actor, std::int64_t id, int k) {
          return c->engine.ClosestRoles(actor, id, k);
        },
        ClosestRolesJson);
  });
  router.SetAction("pathway.read");

  router.Add("GET", "/api/v1/people/{id}/reachable-vacancies", [c](Request& request) {
    return PersonQuestion(
        c, request, {"limit", kVacanciesPerRegion, 1, 100, "Enter a number of posts from 1 to 100"},
        [&](const app::Actor& actor, std::int64_t id, int limit) {
          return c->engine.ReachableVacancies(actor, id, limit);
        },
        VacanciesJson);
  });
  router.SetAction("pathway.read");
}

}  // namespace

void RegisterEngineRoutes(Router& router, const EngineRoutesContext& context) {
  const Ctx c = std::make_shared<State>(context);
  RegisterPages(router, c);
  RegisterApi(router, c);
}

}  // namespace pathway::web
