#include "web/framework_routes.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/secrets.hpp"
#include "domain/framework.hpp"
#include "domain/framework_diff.hpp"
#include "domain/grade.hpp"
#include "domain/text.hpp"
#include "interchange/case_json.hpp"
#include "interchange/framework_csv.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"

namespace pathway::web {
namespace {

using nlohmann::json;
using Ctx = std::shared_ptr<const FrameworkRoutesContext>;

constexpr int kSearchLimit = 50;
constexpr std::size_t kMaxSearchText = 200;

// ---------- small helpers (minimal copies of identity_routes.cpp's private ones) ----------

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page,
              const std::string& title, const json& view, int status = 200) {
  const bool has_errors = view.value("has_errors", false);
  return Response::Html(status, RenderPage(c->templates, c->asset_base, page, title, view,
                                           has_errors, ChromeFor(actor, "frameworks")));
}

// A framework id from the path, if it has the only form ids take.
std::optional<std::string> FrameworkId(const Request& request) {
  const std::string& id = request.path_params.at("id");
  if (!domain::ValidUuid(id)) return std::nullopt;
  return id;
}

std::optional<int> ParseVersion(std::string_view text) {
  const auto number = ParseId(text);
  if (!number || *number < 1 || *number > 1'000'000) return std::nullopt;
  return static_cast<int>(*number);
}

// "2026-11-23T12:25:01.123Z" as GOV.UK writes dates: "23 November 2026".
std::string LongDate(const std::string& iso) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  if (iso.size() < 10) return iso;
  const auto month = ParseId(iso.substr(5, 2));
  const auto day = ParseId(iso.substr(8, 2));
  if (!month || !day || *month < 1 || *month > 12) return iso.substr(0, 10);
  return fmt::format("{} {} {}", *day, kMonths[*month - 1], iso.substr(0, 4));
}

// Paragraphs separated by a blank line; the lines of one paragraph joined by spaces.
json Paragraphs(std::string_view text) {
  json paragraphs = json::array();
  std::string current;
  auto flush = [&] {
    if (!current.empty()) paragraphs.push_back(current);
    current.clear();
  };
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) {
      flush();
    } else {
      if (!current.empty()) current += ' ';
      current += line;
    }
  }
  flush();
  return paragraphs;
}

bool IsSecurity(const std::vector<std::string>& tags) {
  return std::find(tags.begin(), tags.end(), "security") != tags.end();
}

std::string KindLabel(std::string_view kind) {
  if (kind == "competency") return "Competency framework";
  if (kind == "behaviours") return "Behaviours framework";
  if (kind == "strengths") return "Strengths framework";
  if (kind == "career") return "Career framework";
  if (kind == "technical") return "Technical framework";
  return std::string(kind);
}

struct StatusLook {
  std::string label;
  std::string tag_class;
};

StatusLook LookOf(std::string_view status) {
  if (status == "published") return {"Published", "govuk-tag--green"};
  if (status == "retired") return {"Retired", "govuk-tag--grey"};
  return {"Draft", "govuk-tag--yellow"};
}

std::string FrameworkHref(const std::string& id) { return "/frameworks/" + id; }
std::string VersionHref(const std::string& id, int version) {
  return fmt::format("/frameworks/{}/versions/{}", id, version);
}

// ---------- the framework page ----------

// What the reader asked to see: the level for a grade, emphasis for a post's security
// clearance, and the print-friendly view.
struct Tailoring {
  std::optional<domain::Grade> grade;
  std::string grade_text;  // as sent, for the select
  std::string clearance;   // "", "BPSS", "CTC", "SC" or "DV"
  bool print = false;
  std::vector<domain::Error> errors;

  bool EmphasisesSecurity() const { return clearance == "SC" || clearance == "DV"; }

  // The query string that keeps these choices, without the leading '?'.
  std::string Query() const {
    std::string query;
    if (grade) query += "grade=" + std::string(domain::GradeCode(*grade));
    if (!clearance.empty())
      query += std::string(query.empty() ? "" : "&") + "clearance=" + clearance;
    return query;
  }
};

const std::vector<std::pair<std::string, std::string>>& Clearances() {
  static const std::vector<std::pair<std::string, std::string>> kClearances{
      {"", "None"},
      {"BPSS", "BPSS (Baseline Personnel Security Standard)"},
      {"CTC", "CTC (Counter-Terrorist Check)"},
      {"SC", "SC (Security Check)"},
      {"DV", "DV (Developed Vetting)"}};
  return kClearances;
}

Tailoring ParseTailoring(const Request& request) {
  Tailoring tailoring;
  std::string grade = request.QueryParam("grade").value_or("");
  grade = domain::Upper(grade);
  tailoring.grade_text = grade;
  if (!grade.empty()) {
    tailoring.grade = domain::ParseGrade(grade);
    if (!tailoring.grade) {
      tailoring.errors.push_back(
          domain::Error::InvalidInput("grade", "Select a grade from the list"));
    }
  }
  std::string clearance = request.QueryParam("clearance").value_or("");
  clearance = domain::Upper(clearance);
  if (clearance == "NONE") clearance.clear();
  const auto& known = Clearances();
  if (std::any_of(known.begin(), known.end(),
                  [&](const auto& c) { return c.first == clearance; })) {
    tailoring.clearance = clearance;
  } else {
    tailoring.errors.push_back(domain::Error::InvalidInput(
        "clearance", "Select the security clearance the post needs from the list"));
  }
  tailoring.print = request.QueryParam("print") == "1";
  return tailoring;
}

// "HEO – Higher Executive Officer": the code first, as people look for it in a list.
std::string GradeLabel(domain::Grade grade) {
  const auto& info = domain::AllGrades()[static_cast<int>(grade)];
  return fmt::format("{} – {}", info.code, info.name);
}

json IndicatorView(const domain::Indicator& indicator, bool show_level) {
  return {
      {"id", indicator.id},
      {"text", indicator.text},
      {"security", IsSecurity(indicator.tags)},
      {"level_label", show_level && indicator.level > 0 ? fmt::format("Level {}", indicator.level)
                                                        : std::string{}}};
}

json ItemView(const domain::Item& item, std::optional<int> level, json& security_rows) {
  const std::string heading =
      item.number > 0 ? fmt::format("{}. {}", item.number, item.title) : item.title;
  json levels = json::array();
  for (const auto& descriptor : item.levels) {
    if (level && descriptor.level != *level) continue;
    const std::string name =
        descriptor.label.empty() || descriptor.label == fmt::format("Level {}", descriptor.level)
            ? fmt::format("Level {}", descriptor.level)
            : fmt::format("Level {}: {}", descriptor.level, descriptor.label);
    levels.push_back({{"name", name}, {"description", descriptor.description}});
  }
  // A single level without a description is a note, not a list.
  const bool one_plain_level =
      levels.size() == 1 && levels.front()["description"].get<std::string>().empty();
  const bool mixed_levels = !level && item.levels.size() > 1;
  json effective = json::array();
  json ineffective = json::array();
  for (const auto& indicator : item.indicators) {
    if (level && indicator.level != 0 && indicator.level != *level) continue;
    const bool is_effective = indicator.kind == domain::IndicatorKind::kEffective;
    (is_effective ? effective : ineffective).push_back(IndicatorView(indicator, mixed_levels));
    if (IsSecurity(indicator.tags)) {
      security_rows.push_back({{"item_id", item.id},
                               {"item_heading", heading},
                               {"polarity", is_effective ? "Effective" : "Less effective"},
                               {"text", indicator.text}});
    }
  }
  return {{"id", item.id},
          {"heading", heading},
          {"description", Paragraphs(item.description)},
          {"levels", one_plain_level ? json::array() : levels},
          {"has_levels", !levels.empty() && !one_plain_level},
          {"level_note", one_plain_level ? levels.front()["name"].get<std::string>() : ""},
          {"effective", effective},
          {"ineffective", ineffective},
          {"has_effective", !effective.empty()},
          {"has_ineffective", !ineffective.empty()}};
}

// Whether any item of `f` describes `level` or has an indicator for it (indicators for
// every level do not count: they say nothing about this level in particular).
bool HasContentAtLevel(const domain::Framework& f, int level) {
  for (const auto& cluster : f.clusters) {
    for (const auto& item : cluster.items) {
      for (const auto& descriptor : item.levels) {
        if (descriptor.level == level) return true;
      }
      for (const auto& indicator : item.indicators) {
        if (indicator.level == level) return true;
      }
    }
  }
  return false;
}

// The version history, newest first, each version with a link to what changed since the
// one before; and, for those who may author the framework, its buttons.
void AddVersions(json& view, const domain::Framework& f,
                 const std::vector<domain::FrameworkVersionInfo>& versions, bool author) {
  json rows = json::array();
  std::optional<int> newest_published;
  std::optional<int> draft;
  std::string published_on;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const auto& info = versions[i];
    if (info.status == "published" && !newest_published) newest_published = info.version;
    if (info.status == "draft") draft = info.version;
    if (info.version == f.version && !info.published_at.empty()) {
      published_on = LongDate(info.published_at);
    }
    const auto look = LookOf(info.status);
    json row{{"version", info.version},
             {"href", VersionHref(f.id, info.version)},
             {"current", info.version == f.version},
             {"status_label", look.label},
             {"tag_class", look.tag_class},
             {"date", LongDate(info.published_at.empty() ? info.created_at : info.published_at)},
             {"compare_href", ""},
             {"previous", ""}};
    if (i + 1 < versions.size()) {
      row["compare_href"] =
          fmt::format("{}/diff?from={}", VersionHref(f.id, info.version), versions[i + 1].version);
      row["previous"] = std::to_string(versions[i + 1].version);
    }
    rows.push_back(row);
  }
  view["versions"] = rows;
  view["published_on"] = published_on;
  // Any two versions can be compared: the selects of the compare form.
  json from_options = json::array();
  json to_options = json::array();
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const int v = versions[i].version;
    const std::string label = fmt::format("Version {} ({})", v, LookOf(versions[i].status).label);
    from_options.push_back({{"value", v}, {"label", label}, {"selected", i == 1}});
    to_options.push_back({{"value", v}, {"label", label}, {"selected", i == 0}});
  }
  view["compare_from"] = from_options;
  view["compare_to"] = to_options;
  view["can_compare"] = versions.size() > 1;
  view["compare_action"] = FrameworkHref(f.id) + "/compare";
  // A draft started before another version was published: what changed since.
  view["out_of_date"] = false;
  if (f.status == domain::FrameworkStatus::kDraft) {
    if (const auto newer = app::PublishedSinceDraft(versions, f.version)) {
      const auto base = app::DraftBase(versions, f.version);
      view["out_of_date"] = true;
      view["newer_version"] = *newer;
      view["base_version"] = base ? std::to_string(*base) : "";
      view["newer_diff_href"] =
          base && *base != *newer
              ? fmt::format("{}/diff?from={}", VersionHref(f.id, *newer), *base)
              : fmt::format("{}/diff?from={}", VersionHref(f.id, *newer), f.version);
    }
  }
  view["current_href"] = newest_published && *newest_published != f.version &&
                                 f.status != domain::FrameworkStatus::kDraft
                             ? FrameworkHref(f.id)
                             : "";
  view["author"] = author;
  view["can_publish"] = author && f.status == domain::FrameworkStatus::kDraft;
  view["can_retire"] = author && f.status == domain::FrameworkStatus::kPublished;
  view["can_new_draft"] = author && !draft;
  view["draft_href"] = author && draft && *draft != f.version ? VersionHref(f.id, *draft) : "";
  view["draft_version"] = draft ? std::to_string(*draft) : "";
  view["publish_action"] = VersionHref(f.id, f.version) + "/publish";
  view["edit_href"] = VersionHref(f.id, f.version) + "/edit";
  view["retire_action"] = VersionHref(f.id, f.version) + "/retire";
  view["new_draft_action"] = FrameworkHref(f.id) + "/drafts";
  view["crosswalks_href"] = FrameworkHref(f.id) + "/crosswalks";
}

// The "For my grade" form and what it found: the level the framework expects of the
// chosen grade, which the caller shows alone; nullopt for every level.
std::optional<int> AddGradeChoice(json& view, const domain::Framework& f,
                                  const Tailoring& tailoring, const std::string& page_href) {
  json grades =
      json::array({{{"value", ""}, {"label", "Any grade"}, {"selected", !tailoring.grade}}});
  for (const auto& info : domain::AllGrades()) {
    grades.push_back({{"value", std::string(info.code)},
                      {"label", GradeLabel(info.grade)},
                      {"selected", tailoring.grade == info.grade}});
  }
  json clearances = json::array();
  for (const auto& [value, label] : Clearances()) {
    clearances.push_back(
        {{"value", value}, {"label", label}, {"selected", value == tailoring.clearance}});
  }
  view["grade_options"] = grades;
  view["clearance_options"] = clearances;
  const std::string query = tailoring.Query();
  view["print_href"] = page_href + "?print=1" + (query.empty() ? "" : "&" + query);
  const std::string download = fmt::format("/frameworks/{}/versions/{}/download", f.id, f.version);
  view["download_csv_href"] = download + "?format=csv";
  view["download_case_href"] = download + "?format=case";
  view["full_href"] = page_href + (query.empty() ? "" : "?" + query);

  std::optional<int> level;
  view["grade_applies"] = false;
  view["grade_missing"] = false;
  if (tailoring.grade) {
    view["grade_name"] = GradeLabel(*tailoring.grade);
    if (const auto it = f.grade_levels.find(*tailoring.grade); it != f.grade_levels.end()) {
      level = it->second;
      view["grade_applies"] = true;
      view["grade_level"] = *level;
    } else {
      view["grade_missing"] = true;
    }
  }
  json grade_map = json::array();
  std::string covered;
  std::size_t i = 0;
  for (const auto& [grade, grade_level] : f.grade_levels) {
    grade_map.push_back({{"grade", GradeLabel(grade)},
                         {"level", grade_level},
                         {"chosen", tailoring.grade == grade}});
    if (i > 0) covered += i + 1 == f.grade_levels.size() ? " and " : ", ";
    covered += domain::GradeCode(grade);
    ++i;
  }
  view["grade_map"] = grade_map;
  view["has_grade_map"] = !grade_map.empty();
  view["covered_grades"] = covered;
  return level;
}

// Everything the framework template shows about one version.
json FrameworkView(const domain::Framework& f,
                   const std::vector<domain::FrameworkVersionInfo>& versions,
                   const Tailoring& tailoring, const std::string& page_href, bool author) {
  const auto look = LookOf(domain::FrameworkStatusName(f.status));
  json view{{"id", f.id},
            {"title", f.title},
            {"kind_label", KindLabel(domain::FrameworkKindName(f.kind))},
            {"version", f.version},
            {"status_label", look.label},
            {"status_class", look.tag_class},
            {"is_draft", f.status == domain::FrameworkStatus::kDraft},
            {"is_retired", f.status == domain::FrameworkStatus::kRetired},
            {"description", Paragraphs(f.description)},
            {"print", tailoring.print},
            {"page_href", page_href}};
  AddVersions(view, f, versions, author && !tailoring.print);
  const std::optional<int> level = AddGradeChoice(view, f, tailoring, page_href);

  // Clusters, items and the indicators for the chosen level; security behaviours also
  // gathered for the section that a post needing SC or DV clearance shows first.
  json security_rows = json::array();
  json clusters = json::array();
  bool has_security = false;
  const bool level_empty = level && !HasContentAtLevel(f, *level);
  view["level_empty"] = level_empty;
  for (const auto& cluster : f.clusters) {
    json items = json::array();
    for (const auto& item : cluster.items) {
      json shown = ItemView(item, level, security_rows);
      // Said once above the contents when the chosen level has nothing, not per item.
      shown["show_indicators"] = !level_empty || shown["has_effective"].get<bool>() ||
                                 shown["has_ineffective"].get<bool>();
      items.push_back(std::move(shown));
      for (const auto& indicator : item.indicators) has_security |= IsSecurity(indicator.tags);
    }
    clusters.push_back({{"id", cluster.id},
                        {"title", cluster.title},
                        {"subtitle", cluster.subtitle},
                        {"description", Paragraphs(cluster.description)},
                        {"items", items}});
  }
  view["clusters"] = clusters;
  view["has_security"] = has_security;
  view["emphasise_security"] = tailoring.EmphasisesSecurity();
  view["clearance"] = tailoring.clearance;
  view["security_rows"] = security_rows;
  view["has_security_rows"] = !security_rows.empty();

  json scale = json::array();
  for (const auto& point : f.rating_scale) {
    scale.push_back(
        {{"value", point.value}, {"label", point.label}, {"description", point.description}});
  }
  view["rating_scale"] = scale;
  view["has_rating_scale"] = !scale.empty();
  return view;
}

// For a reader whose grade has no content in `f`: the other published frameworks that
// describe the level they set for that grade, each linked tailored to the grade.
void AddFrameworksForGrade(const Ctx& c, const app::Actor& actor, const domain::Framework& f,
                           domain::Grade grade, json& view) {
  json others = json::array();
  auto list = c->frameworks.List(actor);
  if (list.ok()) {
    for (const auto& summary : *list) {
      if (summary.id == f.id || !summary.published_version) continue;
      auto other = c->frameworks.Get(actor, summary.id, summary.published_version);
      if (!other.ok()) continue;
      const auto it = other->grade_levels.find(grade);
      if (it == other->grade_levels.end() || !HasContentAtLevel(*other, it->second)) continue;
      others.push_back({{"title", other->title},
                        {"level", it->second},
                        {"href", fmt::format("{}?grade={}", FrameworkHref(other->id),
                                             domain::GradeCode(grade))}});
    }
  }
  view["level_others"] = others;
  view["has_level_others"] = !others.empty();
}

// Renders a version of a framework, or the newest one when `version` is not given,
// tailored as the query asks, with a success `notice` or the `errors` of a form.
Response FrameworkPage(const Ctx& c, const Request& request, const app::Actor& actor,
                       const std::string& id, std::optional<int> version, const std::string& notice,
                       std::vector<domain::Error> errors = {}, int status = 200) {
  auto versions = c->frameworks.Versions(actor, id);
  if (!versions.ok()) return c->errors.ForError(request, versions.error());
  auto framework = c->frameworks.Get(actor, id, version);
  if (!framework.ok()) return c->errors.ForError(request, framework.error());
  const Tailoring tailoring = ParseTailoring(request);
  const std::string href = version ? VersionHref(id, *version) : FrameworkHref(id);
  json view = FrameworkView(*framework, *versions, tailoring, href,
                            MayAuthorFramework(c->identity, actor, framework->id));
  if (view["level_empty"].get<bool>())
    AddFrameworksForGrade(c, actor, *framework, *tailoring.grade, view);
  if (!notice.empty()) view["notice"] = notice;
  errors.insert(errors.end(), tailoring.errors.begin(), tailoring.errors.end());
  if (!tailoring.errors.empty() && status == 200) status = 422;
  AddErrors(view, errors);
  std::string title = framework->title;
  if (version) title += fmt::format(" (version {})", framework->version);
  return Page(c, actor, "framework", title, view, status);
}

// ---------- what changed ----------

std::string ChangeLabel(domain::ChangeKind kind) {
  switch (kind) {
    case domain::ChangeKind::kAdded:
      return "Added";
    case domain::ChangeKind::kRemoved:
      return "Removed";
    case domain::ChangeKind::kChanged:
      return "Changed";
  }
  return "Changed";
}

std::string ChangeClass(domain::ChangeKind kind) {
  switch (kind) {
    case domain::ChangeKind::kAdded:
      return "govuk-tag--green";
    case domain::ChangeKind::kRemoved:
      return "govuk-tag--red";
    case domain::ChangeKind::kChanged:
      return "govuk-tag--blue";
  }
  return "";
}

std::string Counted(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

json DiffView(const domain::FrameworkDiff& diff, const std::string& id, int from, int to) {
  std::map<domain::ChangeKind, std::size_t> items_by_kind;
  std::map<domain::ChangeKind, std::size_t> indicators_by_kind;
  json items = json::array();
  for (const auto& item : diff.items) {
    ++items_by_kind[item.kind];
    std::vector<std::string> what;
    if (item.title_changed) what.push_back("title");
    if (item.description_changed) what.push_back("description");
    std::string levels;
    for (std::size_t i = 0; i < item.levels_changed.size(); ++i) {
      levels += (i == 0 ? "" : ", ") + std::to_string(item.levels_changed[i]);
    }
    json indicators = json::array();
    for (const auto& change : item.indicators) {
      ++indicators_by_kind[change.kind];
      json other_tags = json::array();
      for (const auto& tag : change.tags) {
        if (tag != "security") other_tags.push_back(tag);
      }
      indicators.push_back(
          {{"change", ChangeLabel(change.kind)},
           {"change_class", ChangeClass(change.kind)},
           {"polarity",
            change.polarity == domain::IndicatorKind::kEffective ? "Effective" : "Less effective"},
           {"before", change.before},
           {"after", change.after},
           {"security", IsSecurity(change.tags)},
           {"tags", other_tags}});
    }
    std::string details;
    if (!what.empty()) {
      details = what.size() == 2 ? "The title and description changed."
                                 : "The " + what.front() + " changed.";
    }
    items.push_back({{"title", item.title},
                     {"cluster", item.cluster},
                     {"change", ChangeLabel(item.kind)},
                     {"change_class", ChangeClass(item.kind)},
                     {"href", item.kind == domain::ChangeKind::kRemoved
                                  ? ""
                                  : VersionHref(id, to) + "#" + item.item_id},
                     {"details", details},
                     {"levels_changed",
                      levels.empty() ? ""
                                     : (item.levels_changed.size() == 1 ? "Level " : "Levels ") +
                                           levels + " changed."},
                     {"indicators", indicators},
                     {"has_indicators", !indicators.empty()}});
  }
  json framework_changes = json::array();
  if (diff.title_changed) framework_changes.push_back("The framework's title changed.");
  if (diff.description_changed) {
    framework_changes.push_back("The framework's introduction changed.");
  }
  if (diff.grade_map_changed) framework_changes.push_back("The levels expected of grades changed.");
  if (diff.rating_scale_changed) framework_changes.push_back("The rating scale changed.");
  for (const auto& title : diff.clusters_added) {
    framework_changes.push_back("Cluster added: " + title);
  }
  for (const auto& title : diff.clusters_removed) {
    framework_changes.push_back("Cluster removed: " + title);
  }
  for (const auto& [old_title, new_title] : diff.clusters_renamed) {
    framework_changes.push_back(
        fmt::format("Cluster renamed: {} is now called {}", old_title, new_title));
  }
  using domain::ChangeKind;
  auto counts = [](std::map<ChangeKind, std::size_t>& by_kind) {
    return fmt::format("{} added, {} removed, {} changed", by_kind[ChangeKind::kAdded],
                       by_kind[ChangeKind::kRemoved], by_kind[ChangeKind::kChanged]);
  };
  std::size_t indicator_total = 0;
  for (const auto& [kind, n] : indicators_by_kind) indicator_total += n;
  return {
      {"from", from},
      {"to", to},
      {"from_href", VersionHref(id, from)},
      {"to_href", VersionHref(id, to)},
      {"nothing_changed", diff.empty()},
      {"items_summary", Counted(diff.items.size(), "competency changed", "competencies changed")},
      {"items_counts", counts(items_by_kind)},
      {"indicators_summary", Counted(indicator_total, "indicator changed", "indicators changed")},
      {"indicators_counts", counts(indicators_by_kind)},
      {"framework_changes", framework_changes},
      {"has_framework_changes", !framework_changes.empty()},
      {"items", items}};
}

// ---------- search ----------

std::string HitKindLabel(std::string_view kind) {
  if (kind == "effective") return "Effective behaviour";
  if (kind == "ineffective") return "Less effective behaviour";
  return "Description";
}

// ---------- routes: pages ----------

void RegisterPages(Router& router, const Ctx& c) {
  router.Add("GET", "/frameworks", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto list = c->frameworks.List(actor);
    if (!list.ok()) return c->errors.ForError(request, list.error());
    json rows = json::array();
    bool has_drafts = false;
    for (const auto& summary : *list) {
      const bool draft = summary.latest_status == "draft";
      has_drafts |= draft;
      rows.push_back(
          {{"href", FrameworkHref(summary.id)},
           {"title", summary.title},
           {"kind_label", KindLabel(summary.kind)},
           {"published_version", summary.published_version
                                     ? fmt::format("Version {}", *summary.published_version)
                                     : "Not published"},
           {"draft", draft},
           {"draft_href", draft ? VersionHref(summary.id, summary.latest_version) : ""},
           {"draft_version", summary.latest_version}});
    }
    app::Subject new_framework;
    new_framework.new_framework = true;
    auto may_create = c->identity.May(actor, "framework.create", new_framework);
    if (!may_create.ok()) return c->errors.ForError(request, may_create.error());
    const bool can_create = *may_create;
    json view{{"frameworks", rows},
              {"has_frameworks", !rows.empty()},
              {"has_drafts", has_drafts},
              {"q", ""},
              {"summary", Counted(rows.size(), "framework", "frameworks")},
              {"can_create", can_create},
              {"can_import", can_create || MayImportFrameworks(c->identity, actor)}};
    return Page(c, actor, "frameworks", "Frameworks", view);
  });
  router.SetAction("framework.read");

  // Before /frameworks/{id}, which would otherwise take "search" for an id.
  router.Add("GET", "/frameworks/search", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    std::string q = request.QueryParam("q").value_or("");
    json view{{"q", q}, {"searched", false}};
    std::vector<domain::Error> errors;
    if (q.size() > kMaxSearchText) {
      errors.push_back(domain::Error::InvalidInput(
          "q", fmt::format("Search text must be {} characters or fewer", kMaxSearchText)));
      q.clear();
    }
    auto hits = c->frameworks.Search(actor, q, kSearchLimit);
    if (!hits.ok()) return c->errors.ForError(request, hits.error());
    const bool has_words = !app::SearchTerms(q).empty();
    json results = json::array();
    for (const auto& hit : *hits) {
      results.push_back({{"href", FrameworkHref(hit.framework_id) + "#" + hit.item_id},
                         {"item_title", hit.item_title},
                         {"framework_title", hit.framework_title},
                         {"framework_href", FrameworkHref(hit.framework_id)},
                         {"kind_label", HitKindLabel(hit.kind)},
                         {"security", hit.tags.find("security") != std::string::npos},
                         {"snippet_html", SearchSnippetHtml(hit.highlighted)}});
    }
    view["searched"] = !q.empty();
    view["no_words"] = !q.empty() && !has_words;
    view["results"] = results;
    view["has_results"] = !results.empty();
    view["summary"] =
        results.empty()
            ? std::string{}
            : fmt::format(
                  "{}{}",
                  results.size() == static_cast<std::size_t>(kSearchLimit) ? "The first " : "",
                  Counted(results.size(), "result", "results"));
    AddErrors(view, errors);
    return Page(c, actor, "search", q.empty() ? "Search frameworks" : "Search results for " + q,
                view, errors.empty() ? 200 : 422);
  });
  router.SetAction("framework.read");

  router.Add("GET", "/frameworks/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = FrameworkId(request);
    if (!id) return c->errors.ForStatus(request, 404);
    return FrameworkPage(c, request, actor, *id, std::nullopt, "");
  });
  router.SetAction("framework.read");

  router.Add("GET", "/frameworks/{id}/versions/{version}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = FrameworkId(request);
    const auto version = ParseVersion(request.path_params.at("version"));
    if (!id || !version) return c->errors.ForStatus(request, 404);
    std::string notice;
    if (auto done = request.QueryParam("done")) {
      static const std::map<std::string, std::string> kNotices{
          {"published", "This version has been published"},
          {"retired", "This version has been retired"},
          {"drafted", "This draft has been started from the newest version"},
          {"imported", "The framework has been imported"}};
      if (auto it = kNotices.find(*done); it != kNotices.end()) notice = it->second;
    }
    return FrameworkPage(c, request, actor, *id, *version, notice);
  });
  router.SetAction("framework.read");

  // Downloads of a version as CSV or CASE JSON, for other tools and for re-import.
  router.Add("GET", "/frameworks/{id}/versions/{version}/download", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = FrameworkId(request);
    const auto version = ParseVersion(request.path_params.at("version"));
    const std::string format = request.QueryParam("format").value_or("csv");
    if (!id || !version) return c->errors.ForStatus(request, 404);
    if (format != "csv" && format != "case") {
      return c->errors.ForError(
          request, domain::Error::InvalidInput("format", "Choose a download format: csv or case"));
    }
    auto framework = c->frameworks.Get(actor, *id, *version);
    if (!framework.ok()) return c->errors.ForError(request, framework.error());
    Response response;
    const std::string name = fmt::format("framework-{}-v{}", *id, *version);
    if (format == "csv") {
      response = Response::Text(200, interchange::WriteFrameworkCsv(*framework),
                                "text/csv; charset=utf-8");
      response.SetHeader("Content-Disposition",
                         fmt::format("attachment; filename=\"{}.csv\"", name));
    } else {
      std::string host(request.Header("host"));
      if (host.empty() || host.find_first_of(" /\\\"<>") != std::string::npos) host = "localhost";
      interchange::CaseExportOptions options{fmt::format("http://{}/ims/case/v1p1", host),
                                             "Pathway", "2026-01-01T00:00:00Z"};
      auto versions = c->frameworks.Versions(actor, *id);
      if (versions.ok()) {
        for (const auto& info : *versions) {
          const std::string& when = info.published_at.empty() ? info.created_at : info.published_at;
          if (info.version == *version && when.size() >= 19)
            options.last_change_date_time = when.substr(0, 19) + "Z";
        }
      }
      auto linked = c->crosswalks.WithCrosswalks(*framework, options.base_uri);
      if (!linked.ok()) return c->errors.ForError(request, linked.error());
      response = Response::Json(200, interchange::WriteCasePackage(*linked, options));
      response.SetHeader("Content-Disposition",
                         fmt::format("attachment; filename=\"{}.json\"", name));
    }
    return response;
  });
  router.SetAction("framework.read");

  // The version history's compare form: two versions, sent to their diff page.
  router.Add("GET", "/frameworks/{id}/compare", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = FrameworkId(request);
    if (!id) return c->errors.ForStatus(request, 404);
    const auto from = ParseVersion(request.QueryParam("from").value_or(""));
    const auto to = ParseVersion(request.QueryParam("to").value_or(""));
    if (!from || !to) {
      return FrameworkPage(c, request, actor, *id, std::nullopt, "",
                           {domain::Error::InvalidInput(!from ? "compare-from" : "compare-to",
                                                        "Select the two versions to compare")},
                           422);
    }
    return Redirect(fmt::format("{}/diff?from={}", VersionHref(*id, *to), *from));
  });
  router.SetAction("framework.read");

  router.Add("GET", "/frameworks/{id}/versions/{version}/diff", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = FrameworkId(request);
    const auto version = ParseVersion(request.path_params.at("version"));
    if (!id || !version) return c->errors.ForStatus(request, 404);
    auto versions = c->frameworks.Versions(actor, *id);
    if (!versions.ok()) return c->errors.ForError(request, versions.error());
    const domain::FrameworkVersionInfo* to = nullptr;
    for (const auto& info : *versions) {
      if (info.version == *version) to = &info;
    }
    if (!to) return c->errors.ForStatus(request, 404);
    // Without ?from=, the version before this one that the reader may see.
    std::optional<int> from;
    if (const auto text = request.QueryParam("from")) {
      from = ParseVersion(*text);
      if (!from) return c->errors.ForStatus(request, 404);
    } else {
      for (const auto& info : *versions) {
        if (info.version < *version && !from) from = info.version;
      }
    }
    json view{{"title", to->title},
              {"id", *id},
              {"framework_href", FrameworkHref(*id)},
              {"to", *version},
              {"to_href", VersionHref(*id, *version)},
              {"first_version", !from}};
    if (from) {
      auto diff = c->frameworks.Diff(actor, *id, *from, *version);
      if (!diff.ok()) return c->errors.ForError(request, diff.error());
      view.update(DiffView(*diff, *id, *from, *version));
    }
    const std::string title =
        from ? fmt::format("Changes from version {} to version {}", *from, *version)
             : fmt::format("Version {}", *version);
    view["heading"] = title;
    return Page(c, actor, "framework_diff", title + " - " + to->title, view);
  });
  router.SetAction("framework.read");

  // The author's forms: each calls one use case and comes back to the version's page
  // with a notice, or shows the use case's refusal as an error summary on that page.
  using Act = std::function<domain::Result<int>(const app::Actor&, const std::string&, int)>;
  // `confirm`: the checkbox a lasting change needs ticked, and the error when it is not.
  struct Confirmation {
    std::string field;
    std::string message;
  };
  auto author_post = [c](Act act, std::string done, bool has_version,
                         std::optional<Confirmation> confirm = std::nullopt) {
    return [c, act = std::move(act), done = std::move(done), has_version,
            confirm = std::move(confirm)](Request& request) {
      const auto id = FrameworkId(request);
      const app::Actor actor = ResolveActor(c->identity, request);
      // Back to the page of the form, not to this POST-only address.
      if (!actor.signed_in())
        return SignInRedirect(request, id ? FrameworkHref(*id) : "/frameworks");
      auto form = CheckedForm(c->identity, c->errors, request, actor);
      if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
      std::optional<int> version;
      if (has_version) {
        version = ParseVersion(request.path_params.at("version"));
        if (!version) return c->errors.ForStatus(request, 404);
      }
      if (!id) return c->errors.ForStatus(request, 404);
      const Form& fields = std::get<Form>(form);
      if (confirm) {
        const auto ticked = fields.find("confirm");
        if (ticked == fields.end() || ticked->second != "yes") {
          // Those who may not author it learn nothing more than from the use case.
          if (!MayAuthorFramework(c->identity, actor, *id))
            return c->errors.ForStatus(request, 404);
          return FrameworkPage(c, request, actor, *id, version, "",
                               {domain::Error::InvalidInput(confirm->field, confirm->message)},
                               422);
        }
      }
      auto result = act(actor, *id, version.value_or(0));
      if (!result.ok()) {
        const auto code = result.error().code;
        if (code != domain::ErrorCode::kInvalidInput && code != domain::ErrorCode::kConflict) {
          return c->errors.ForError(request, result.error());
        }
        // The summary links to the author's buttons, the nearest thing to a field.
        return FrameworkPage(c, request, actor, *id, version, "",
                             {domain::Error{code, "author-actions", result.error().message}},
                             HttpStatus(code));
      }
      return Redirect(fmt::format("{}?done={}", VersionHref(*id, *result), done));
    };
  };

  router.Add(
      "POST", "/frameworks/{id}/versions/{version}/publish",
      author_post(
          [c](const app::Actor& actor, const std::string& id, int version) -> domain::Result<int> {
            PATHWAY_TRY(c->frameworks.Publish(actor, id, version));
            return version;
          },
          "published", true,
          Confirmation{"confirm-publish",
                       "Confirm that you want to publish this draft for everyone to read"}));
  router.SetAction("framework.publish");

  router.Add(
      "POST", "/frameworks/{id}/versions/{version}/retire",
      author_post(
          [c](const app::Actor& actor, const std::string& id, int version) -> domain::Result<int> {
            PATHWAY_TRY(c->frameworks.Retire(actor, id, version));
            return version;
          },
          "retired", true,
          Confirmation{"confirm-retire", "Confirm that you want to retire this version"}));
  router.SetAction("framework.retire");

  router.Add("POST", "/frameworks/{id}/drafts",
             author_post([c](const app::Actor& actor, const std::string& id,
                             int) { return c->frameworks.NewDraft(actor, id); },
                         "drafted", false));
  router.SetAction("framework.edit");
}

// ---------- routes: API ----------

json FrameworkJson(const domain::Framework& f) {
  json grade_levels = json::array();
  for (const auto& [grade, level] : f.grade_levels) {
    grade_levels.push_back({{"grade", std::string(domain::GradeCode(grade))}, {"level", level}});
  }
  json scale = json::array();
  for (const auto& point : f.rating_scale) {
    scale.push_back(
        {{"value", point.value}, {"label", point.label}, {"description", point.description}});
  }
  json clusters = json::array();
  for (const auto& cluster : f.clusters) {
    json items = json::array();
    for (const auto& item : cluster.items) {
      json levels = json::array();
      for (const auto& level : item.levels) {
        levels.push_back(
            {{"level", level.level}, {"label", level.label}, {"description", level.description}});
      }
      json indicators = json::array();
      for (const auto& indicator : item.indicators) {
        indicators.push_back({{"id", indicator.id},
                              {"kind", std::string(domain::IndicatorKindName(indicator.kind))},
                              {"text", indicator.text},
                              {"tags", indicator.tags},
                              {"level", indicator.level}});
      }
      items.push_back({{"id", item.id},
                       {"number", item.number},
                       {"title", item.title},
                       {"description", item.description},
                       {"levels", levels},
                       {"indicators", indicators}});
    }
    clusters.push_back({{"id", cluster.id},
                        {"title", cluster.title},
                        {"subtitle", cluster.subtitle},
                        {"description", cluster.description},
                        {"items", items}});
  }
  return {{"id", f.id},
          {"title", f.title},
          {"kind", std::string(domain::FrameworkKindName(f.kind))},
          {"version", f.version},
          {"status", std::string(domain::FrameworkStatusName(f.status))},
          {"description", f.description},
          {"grade_levels", grade_levels},
          {"rating_scale", scale},
          {"clusters", clusters}};
}

void RegisterApi(Router& router, const Ctx& c) {
  router.Add("GET", "/api/v1/frameworks", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    auto list = c->frameworks.List(actor);
    if (!list.ok()) return c->errors.ForError(request, list.error());
    json items = json::array();
    for (const auto& summary : *list) {
      items.push_back(
          {{"id", summary.id},
           {"title", summary.title},
           {"kind", summary.kind},
           {"published_version",
            summary.published_version ? json(*summary.published_version) : json(nullptr)},
           {"latest_version", summary.latest_version},
           {"latest_status", summary.latest_status}});
    }
    return JsonResponse(200, json{{"items", items}});
  });
  router.SetAction("framework.read");

  auto get_framework = [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = FrameworkId(request);
    std::optional<int> version;
    if (request.path_params.contains("version")) {
      version = ParseVersion(request.path_params.at("version"));
      if (!version) return ProblemResponse(404, "not-found", "");
    }
    if (!id) return ProblemResponse(404, "not-found", "");
    auto framework = c->frameworks.Get(actor, *id, version);
    if (!framework.ok()) return c->errors.ForError(request, framework.error());
    return JsonResponse(200, FrameworkJson(*framework));
  };
  router.Add("GET", "/api/v1/frameworks/{id}", get_framework);
  router.SetAction("framework.read");

  router.Add("GET", "/api/v1/frameworks/{id}/versions", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = FrameworkId(request);
    if (!id) return ProblemResponse(404, "not-found", "");
    auto versions = c->frameworks.Versions(actor, *id);
    if (!versions.ok()) return c->errors.ForError(request, versions.error());
    json items = json::array();
    for (const auto& info : *versions) {
      auto nullable = [](const std::string& text) {
        return text.empty() ? json(nullptr) : json(text);
      };
      items.push_back({{"version", info.version},
                       {"status", info.status},
                       {"title", info.title},
                       {"created_at", info.created_at},
                       {"published_at", nullable(info.published_at)},
                       {"retired_at", nullable(info.retired_at)}});
    }
    return JsonResponse(200, json{{"id", *id}, {"items", items}});
  });
  router.SetAction("framework.read");

  router.Add("GET", "/api/v1/frameworks/{id}/versions/{version}", get_framework);
  router.SetAction("framework.read");
}

}  // namespace

std::string SearchSnippetHtml(std::string_view text, std::size_t max_bytes) {
  const auto is_continuation = [&](std::size_t at) {
    return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
  };
  std::size_t begin = 0;
  std::size_t end = text.size();
  if (text.size() > max_bytes) {
    const std::size_t first = std::min(text.find('\x01'), text.size());
    // Start a quarter of the room before the first match, at the next word.
    if (first > max_bytes / 4) {
      begin = first - max_bytes / 4;
      const auto space = text.find(' ', begin);
      if (space != std::string_view::npos && space < first) begin = space + 1;
    }
    end = std::min(text.size(), begin + max_bytes);
    if (end < text.size()) {
      const auto space = text.rfind(' ', end);
      if (space != std::string_view::npos && space > first && space > begin) end = space;
    }
    while (begin > 0 && is_continuation(begin)) --begin;
    while (end > begin && is_continuation(end)) --end;
  }
  bool marked = false;
  for (std::size_t i = 0; i < begin; ++i) {
    if (text[i] == '\x01') marked = true;
    if (text[i] == '\x02') marked = false;
  }
  std::string out = begin > 0 ? "&hellip;" : "";
  if (marked) out += "<mark>";
  for (std::size_t i = begin; i < end; ++i) {
    if (text[i] == '\x01') {
      if (!marked) out += "<mark>";
      marked = true;
    } else if (text[i] == '\x02') {
      if (marked) out += "</mark>";
      marked = false;
    } else {
      out += HtmlEscape(text.substr(i, 1));
    }
  }
  if (marked) out += "</mark>";
  if (end < text.size()) out += "&hellip;";
  return out;
}

void RegisterFrameworkRoutes(Router& router, const FrameworkRoutesContext& context) {
  const Ctx c = std::make_shared<const FrameworkRoutesContext>(context);
  RegisterPages(router, c);
  RegisterApi(router, c);
}

}  // namespace pathway::web
