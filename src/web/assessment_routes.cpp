#include "web/assessment_routes.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/text.hpp"
#include "interchange/csv.hpp"
#include "interchange/csv_table.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/json.hpp"
#include "web/multipart.hpp"
#include "web/pages.hpp"

namespace pathway::web {
namespace {

using domain::Error;
using domain::ErrorCode;
using nlohmann::json;

using Ctx = std::shared_ptr<const AssessmentRoutesContext>;

constexpr std::size_t kMaxResourceFile = 2 * 1024 * 1024;
const std::vector<std::string> kResourceHeader{"title",   "url",       "provider",
                                               "item_id", "level_min", "level_max"};

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page,
              const std::string& title, json view, std::string current, int status = 200) {
  const bool has_errors = view.value("has_errors", false);
  view["csrf_token"] = actor.csrf_token;
  return Response::Html(status, RenderPage(c->templates, c->asset_base, page, title, view,
                                           has_errors, ChromeFor(actor, std::move(current))));
}

bool Own(const app::Actor& actor, std::int64_t person_id) {
  return actor.person_id && *actor.person_id == person_id;
}

std::optional<int> ParseLevel(std::string_view text) {
  if (text.size() != 1 || text[0] < '1' || text[0] > '9') return std::nullopt;
  return text[0] - '0';
}

// The HTML id of a form field named by a use case ("items[2].situation" → "situation-2").
std::string FieldId(const std::string& field) {
  if (field.starts_with("items[")) {
    const auto close = field.find(']');
    const auto dot = field.find('.', close);
    if (close != std::string::npos && dot != std::string::npos) {
      return field.substr(dot + 1) + "-" + field.substr(6, close - 6);
    }
  }
  std::string out = field;
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

// ---------- JSON views ----------

json ItemJson(const domain::AssessedItem& item) {
  json scale = json::array();
  for (const auto& point : item.scale)
    scale.push_back({{"value", point.value}, {"label", point.label}});
  return {{"id", item.item_id},
          {"title", item.title},
          {"framework", item.framework_id},
          {"framework_title", item.framework_title},
          {"framework_version", item.framework_version},
          {"scale", scale}};
}

json EvidenceJson(const domain::StarEvidence& e) {
  return {{"situation", e.situation}, {"task", e.task}, {"action", e.action}, {"result", e.result}};
}

std::string_view SourceLabel(domain::AssessorKind kind) {
  switch (kind) {
    case domain::AssessorKind::kSelf:
      return "Self-assessment";
    case domain::AssessorKind::kManager:
      return "Line manager";
    case domain::AssessorKind::kPanel:
      return "Panel";
    case domain::AssessorKind::kRecruitment:
      return "Recruitment";
    case domain::AssessorKind::kPassport:
      return "Skills passport";
    case domain::AssessorKind::kReview:
      return "End-year review";
  }
  return "";
}

json EntryJson(const domain::LedgerEntry& e, bool evidence) {
  json out{{"seq", e.seq},
           {"level", e.level},
           {"source", domain::AssessorKindName(e.source)},
           {"capacity", e.capacity},
           {"recorded_by", e.recorded_by_name},
           {"assessed_on", e.assessed_on},
           {"recorded_at", e.recorded_at},
           {"framework_version", e.framework_version},
           {"confirmed", e.confirmed()}};
  if (e.cites_seq) out["cites_seq"] = *e.cites_seq;
  if (evidence) {
    out["evidence"] = EvidenceJson(e.evidence);
    if (!e.legacy_evidence.empty()) out["notes"] = e.legacy_evidence;
    out["comment"] = e.comment;
  }
  return out;
}

json LevelsJson(const app::PersonLevels& levels) {
  json rows = json::array();
  for (const auto& l : levels.levels) {
    json why = json::array();
    for (const auto& e : l.why) why.push_back(EntryJson(e, levels.evidence_visible));
    rows.push_back({{"item", ItemJson(l.item)},
                    {"level", l.level},
                    {"level_label", l.item.LevelLabel(l.level)},
                    {"confirmed", l.confirmed},
                    {"source", domain::AssessorKindName(l.source)},
                    {"assessed_on", l.assessed_on},
                    {"why", why}});
  }
  return {{"person", levels.person_id},
          {"rule", std::string(domain::kCurrentLevelRule)},
          {"evidence_visible", levels.evidence_visible},
          {"levels", rows}};
}

json GapJson(const domain::Gap& gap) {
  json rows = json::array();
  for (const auto& row : gap.rows) {
    rows.push_back({{"item", row.item.item_id},
                    {"title", row.item.title},
                    {"need", row.need},
                    {"have", row.have},
                    {"gap", row.gap()},
                    {"confirmed", row.confirmed},
                    {"via", row.via.empty() ? json(nullptr) : json(row.via)}});
  }
  json strengths = json::array();
  for (std::size_t i : gap.strengths) {
    strengths.push_back({{"item", gap.rows[i].item.item_id},
                         {"title", gap.rows[i].item.title},
                         {"above_need", gap.rows[i].surplus()}});
  }
  return {{"role_level", gap.role_level_code},
          {"role_level_title", gap.role_level_title},
          {"requirements", rows},
          {"total_gap", gap.total_gap},
          {"met", gap.met},
          {"unconfirmed", gap.unconfirmed},
          {"strengths", strengths},
          {"summary", gap.summary}};
}

std::string GapCsv(const domain::Gap& gap) {
  interchange::CsvWriter csv;
  csv.Row({"item_id", "item", "need", "have", "gap", "confirmed"});
  for (const auto& row : gap.rows) {
    csv.Row({row.item.item_id, row.item.title, std::to_string(row.need), std::to_string(row.have),
             std::to_string(row.gap()), row.confirmed ? "yes" : "no"});
  }
  return std::move(csv).text();
}

json SelfAssessmentJson(const domain::SelfAssessment& s) {
  json items = json::array();
  for (const auto& item : s.items) {
    json entry{{"item", ItemJson(item.item)}, {"evidence", EvidenceJson(item.evidence)}};
    entry["level"] = item.level ? json(*item.level) : json(nullptr);
    items.push_back(entry);
  }
  return {{"id", s.id},
          {"person", s.person_id},
          {"person_name", s.person_name},
          {"status", domain::SelfAssessmentStatusName(s.status)},
          {"created_at", s.created_at},
          {"submitted_at", s.submitted_at},
          {"reviewed_at", s.reviewed_at},
          {"reviewed_by", s.reviewed_by_name},
          {"items", items}};
}

json PlanJson(const domain::DevelopmentPlan& plan) {
  json actions = json::array();
  for (const auto& a : plan.actions) {
    actions.push_back({{"id", a.id},
                       {"item", a.item.item_id},
                       {"item_title", a.item.title},
                       {"target_level", a.target_level},
                       {"title", a.title},
                       {"due_on", a.due_on},
                       {"status", domain::ActionStatusName(a.status)},
                       {"overdue", a.overdue}});
  }
  json comments = json::array();
  for (const auto& c : plan.comments) {
    comments.push_back({{"author", c.author_name}, {"body", c.body}, {"created_at", c.created_at}});
  }
  return {{"id", plan.id},
          {"person", plan.person_id},
          {"target_role_level", plan.target_role_level_code},
          {"target_role_level_title", plan.target_role_level_title},
          {"actions", actions},
          {"comments", comments}};
}

json ResourceJson(const domain::LearningResource& r) {
  return {{"id", r.id},
          {"title", r.title},
          {"url", r.url},
          {"provider", r.provider},
          {"item", r.item.item_id},
          {"item_title", r.item.title},
          {"level_min", r.level_min},
          {"level_max", r.level_max}};
}

// ---------- JSON bodies ----------

domain::Result<domain::StarEvidence> ReadEvidence(const JsonField& item) {
  domain::StarEvidence evidence;
  auto member = item.Member("evidence");
  if (!member) return evidence;
  for (auto [name, target] :
       {std::pair{"situation", &evidence.situation}, std::pair{"task", &evidence.task},
        std::pair{"action", &evidence.action}, std::pair{"result", &evidence.result}}) {
    if (auto part = member->Member(name)) {
      PATHWAY_ASSIGN_OR_RETURN(*target, part->String("Enter the evidence as text"));
    }
  }
  return evidence;
}

domain::Result<int> ReadLevel(const JsonField& item, const char* name = "level") {
  auto level = item.Member(name);
  if (!level) return Error::InvalidInput(item.field() + "." + name, "Choose a level");
  PATHWAY_ASSIGN_OR_RETURN(auto value, level->Integer("Choose a level from the item's scale"));
  if (value < 1 || value > 9) {
    return Error::InvalidInput(level->field(), "Choose a level from the item's scale");
  }
  return static_cast<int>(value);
}

domain::Result<std::string> ReadString(const JsonField& body, const char* name, bool required,
                                       const char* message) {
  auto member = body.Member(name);
  if (!member) {
    if (required) return Error::InvalidInput(name, message);
    return std::string();
  }
  return member->String(message);
}

// The items of a JSON body: at most the use cases' limit, each an object.
domain::Result<std::vector<JsonField>> ReadItems(const JsonField& body) {
  auto items = body.Member("items");
  if (!items) return Error::InvalidInput("items", "Send the items as a list");
  PATHWAY_ASSIGN_OR_RETURN(
      auto out,
      items->Array(domain::kSelfAssessmentItemLimit, "Send the items as a list",
                   fmt::format("Send {} items or fewer", domain::kSelfAssessmentItemLimit)));
  for (const JsonField& item : out) PATHWAY_TRY(item.Object("Send each item as an object"));
  return out;
}

domain::Result<std::string> ReadItemId(const JsonField& item) {
  auto id = item.Member("item");
  if (!id) return Error::InvalidInput(item.field() + ".item", "Choose an item");
  return id->String("Choose an item by its id");
}

// ---------- the gap chart ----------

}  // namespace

std::string GapChartSvg(const domain::Gap& gap) {
  constexpr int kLabelWidth = 260;
  constexpr int kLevelWidth = 36;
  constexpr int kRowHeight = 34;
  constexpr int kTop = 30;
  int max_level = 1;
  for (const auto& row : gap.rows) max_level = std::max({max_level, row.need, row.have});
  const int width = kLabelWidth + kLevelWidth * max_level + 20;
  const int height = kTop + kRowHeight * static_cast<int>(gap.rows.size()) + 10;
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" class="pathway-chart" role="img" )"
      R"(aria-labelledby="gap-chart-title gap-chart-desc" viewBox="0 0 {0} {1}" width="100%" )"
      R"(style="max-width:{0}px">)"
      R"(<title id="gap-chart-title">Levels held against levels needed for {2}</title>)"
      R"(<desc id="gap-chart-desc">{3} The table below gives the same numbers.</desc>)",
      width, height, HtmlEscape(gap.role_level_title), HtmlEscape(gap.summary));
  // Legend and scale.
  svg += fmt::format(
      R"(<rect x="{0}" y="6" width="14" height="10" fill="#1d70b8"/>)"
      R"(<text x="{1}" y="15" font-size="12">Level held</text>)"
      R"(<rect x="{2}" y="6" width="14" height="10" fill="none" stroke="#0b0c0c" stroke-width="2"/>)"
      R"(<text x="{3}" y="15" font-size="12">Level needed</text>)",
      kLabelWidth, kLabelWidth + 18, kLabelWidth + 110, kLabelWidth + 128);
  for (int l = 0; l <= max_level; ++l) {
    const int x = kLabelWidth + l * kLevelWidth;
    svg += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#b1b4b6"/>)", x,
                       kTop - 4, height - 6);
  }
  int y = kTop;
  for (const auto& row : gap.rows) {
    std::string title = row.item.title;
    if (domain::CharacterCount(title) > 38) {
      std::size_t cut = 36;
      while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
      title = title.substr(0, cut) + "…";
    }
    svg += fmt::format(R"(<text x="0" y="{}" font-size="13">{}</text>)", y + 18, HtmlEscape(title));
    if (row.have > 0) {
      svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="12" fill="{}"/>)", kLabelWidth,
                         y + 6, row.have * kLevelWidth, row.confirmed ? "#1d70b8" : "#5694ca");
    }
    svg += fmt::format(
        R"(<rect x="{}" y="{}" width="{}" height="22" fill="none" stroke="#0b0c0c" stroke-width="2"/>)",
        kLabelWidth, y + 1, row.need * kLevelWidth);
    y += kRowHeight;
  }
  svg += "</svg>";
  return svg;
}

namespace {

// ---------- pages ----------

json LevelOptions(const domain::AssessedItem& item, std::optional<int> chosen) {
  json options = json::array();
  for (const auto& point : item.scale) {
    options.push_back({{"value", point.value},
                       {"label", item.LevelLabel(point.value)},
                       {"selected", chosen && *chosen == point.value}});
  }
  return options;
}

Response SelfAssessmentPage(const Ctx& c, const Request& request, const app::Actor& actor,
                            std::int64_t id, const Form* typed, const std::vector<Error>& errors,
                            int status) {
  auto found = c->assessments.GetSelfAssessment(actor, id);
  if (!found.ok()) return c->errors.ForError(request, found.error());
  const auto& s = *found;
  const bool owner = Own(actor, s.person_id);
  const bool editable = owner && s.status == domain::SelfAssessmentStatus::kDraft;
  const bool confirmable = !owner && s.status == domain::SelfAssessmentStatus::kSubmitted &&
                           actor.HasRole(domain::Role::kLineManager);
  json items = json::array();
  for (std::size_t i = 0; i < s.items.size(); ++i) {
    const auto& item = s.items[i];
    const std::string n = std::to_string(i);
    auto typed_value = [&](const std::string& name, const std::string& fallback) {
      if (typed) {
        auto it = typed->find(name + "-" + n);
        if (it != typed->end()) return it->second;
      }
      return fallback;
    };
    std::optional<int> level = item.level;
    if (typed) {
      if (auto parsed = ParseLevel(typed_value(confirmable ? "level" : "level", "")))
        level = parsed;
    }
    json entry{{"n", n},
               {"item_id", item.item.item_id},
               {"title", item.item.title},
               {"framework_title", item.item.framework_title},
               {"level_label", item.level ? item.item.LevelLabel(*item.level) : "Not rated"},
               {"levels", LevelOptions(item.item, level)},
               {"situation", typed_value("situation", item.evidence.situation)},
               {"task", typed_value("task", item.evidence.task)},
               {"action", typed_value("action", item.evidence.action)},
               {"result", typed_value("result", item.evidence.result)},
               {"comment", typed_value("comment", "")}};
    for (const char* part : {"level", "situation", "task", "action", "result", "comment"}) {
      for (const auto& e : errors) {
        if (FieldId(e.field) == std::string(part) + "-" + n)
          entry[std::string("error_") + part] = e.message;
      }
    }
    items.push_back(entry);
  }
  json error_list = json::array();
  for (const auto& e : errors)
    error_list.push_back({{"field", FieldId(e.field)}, {"message", e.message}});
  json view{{"id", s.id},
            {"person_id", s.person_id},
            {"person_name", s.person_name},
            {"own", owner},
            {"status", domain::SelfAssessmentStatusName(s.status)},
            {"draft", s.status == domain::SelfAssessmentStatus::kDraft},
            {"submitted", s.status == domain::SelfAssessmentStatus::kSubmitted},
            {"reviewed", s.status == domain::SelfAssessmentStatus::kReviewed},
            {"submitted_at", s.submitted_at},
            {"reviewed_at", s.reviewed_at},
            {"reviewed_by", s.reviewed_by_name},
            {"editable", editable},
            {"confirmable", confirmable},
            {"read_only", !editable && !confirmable},
            {"items", items},
            {"limit", fmt::format("{}", domain::kEvidencePartLimit)},
            {"saved", request.QueryParam("saved").has_value()},
            {"has_errors", !errors.empty()},
            {"errors", error_list}};
  return Page(c, actor, "assessment_self", owner ? "Your self-assessment" : "Self-assessment", view,
              owner ? "assessments" : "team", status);
}

std::vector<Error> FieldErrors(const Error& error) { return {error}; }

Response LevelsPage(const Ctx& c, const Request& request, const app::Actor& actor,
                    std::int64_t person_id, const std::vector<Error>& errors, int status) {
  auto levels = c->assessments.CurrentLevels(actor, person_id);
  if (!levels.ok()) return c->errors.ForError(request, levels.error());
  const bool own = Own(actor, person_id);
  json rows = json::array();
  for (const auto& l : levels->levels) {
    json why = json::array();
    for (const auto& e : l.why) {
      why.push_back({{"level_label", l.item.LevelLabel(e.level)},
                     {"source", SourceLabel(e.source)},
                     {"by", e.recorded_by_name},
                     {"on", e.assessed_on},
                     {"confirmed", e.confirmed()},
                     {"version", e.framework_version},
                     {"situation", e.evidence.situation},
                     {"task", e.evidence.task},
                     {"action", e.evidence.action},
                     {"result", e.evidence.result},
                     {"has_evidence", !e.evidence.empty()},
                     {"notes", e.legacy_evidence},
                     {"comment", e.comment}});
    }
    rows.push_back({{"title", l.item.title},
                    {"item_id", l.item.item_id},
                    {"framework_title", l.item.framework_title},
                    {"level_label", l.item.LevelLabel(l.level)},
                    {"confirmed", l.confirmed},
                    {"source", SourceLabel(l.source)},
                    {"on", l.assessed_on},
                    {"why", why},
                    {"count", l.why.size()}});
  }
  json selfs = json::array();
  if (levels->evidence_visible) {
    auto list = c->assessments.ListSelfAssessments(actor, person_id);
    if (list.ok()) {
      for (const auto& s : *list) {
        if (s.status == domain::SelfAssessmentStatus::kDraft && !own) continue;
        selfs.push_back(
            {{"id", s.id},
             {"status", domain::SelfAssessmentStatusName(s.status)},
             {"created_at", s.created_at.substr(0, 10)},
             {"submitted_at",
              s.submitted_at.substr(0, std::min<std::size_t>(10, s.submitted_at.size()))}});
      }
    }
  }
  json error_list = json::array();
  for (const auto& e : errors)
    error_list.push_back({{"field", FieldId(e.field)}, {"message", e.message}});
  json view{{"person_id", person_id},
            {"own", own},
            {"rule", std::string(domain::kCurrentLevelRule)},
            {"rows", rows},
            {"has_rows", !rows.empty()},
            {"evidence_visible", levels->evidence_visible},
            {"self_assessments", selfs},
            {"has_self_assessments", !selfs.empty()},
            {"has_errors", !errors.empty()},
            {"errors", error_list}};
  return Page(c, actor, "assessment_levels", own ? "Your assessments" : "Assessments", view,
              own ? "assessments" : "people", status);
}

Response GapPage(const Ctx& c, const Request& request, const app::Actor& actor,
                 std::int64_t person_id, bool api) {
  std::string role_level;
  if (auto q = request.QueryParam("role_level")) role_level = std::string(domain::Trim(*q));
  if (role_level.size() > domain::kMaxCodeLength) {
    return c->errors.ForError(request,
                              Error::InvalidInput("role_level", "Choose a role level that exists"));
  }
  auto gap = c->assessments.GetGap(actor, person_id, role_level);
  const bool csv = request.QueryParam("format") == std::optional<std::string>("csv") ||
                   (api && request.Header("accept").starts_with("text/csv"));
  if (!gap.ok()) {
    if (api || csv || gap.error().code != ErrorCode::kInvalidInput) {
      return c->errors.ForError(request, gap.error());
    }
    json view{
        {"person_id", person_id},
        {"role_level", role_level},
        {"has_gap", false},
        {"has_errors", true},
        {"role_level_picker", true},
        {"error_role_level", gap.error().message},
        {"errors", json::array({{{"field", "role-level"}, {"message", gap.error().message}}})}};
    return Page(c, actor, "assessment_gap", "Gap to a role level", view, "assessments", 422);
  }
  if (csv) {
    Response response = Response::Text(200, GapCsv(*gap), "text/csv; charset=utf-8");
    response.SetHeader("Content-Disposition",
                       fmt::format("attachment; filename=\"gap-{}-{}.csv\"", person_id,
                                   UrlEncode(gap->role_level_code)));
    return response;
  }
  if (api) return JsonResponse(200, GapJson(*gap));
  json rows = json::array();
  for (const auto& row : gap->rows) {
    rows.push_back({{"title", row.item.title},
                    {"need", row.item.LevelLabel(row.need)},
                    {"have", row.have > 0 ? row.item.LevelLabel(row.have) : "None recorded"},
                    {"gap", row.gap()},
                    {"confirmed", row.have > 0 && row.confirmed},
                    {"unconfirmed", row.have > 0 && !row.confirmed},
                    {"via", row.via}});
  }
  json strengths = json::array();
  for (std::size_t i : gap->strengths) {
    strengths.push_back({{"title", gap->rows[i].item.title}, {"above", gap->rows[i].surplus()}});
  }
  std::string csv_href = fmt::format("/people/{}/gap?format=csv", person_id);
  if (!role_level.empty()) csv_href += "&role_level=" + UrlEncode(role_level);
  json view{{"person_id", person_id},
            {"own", Own(actor, person_id)},
            {"role_level", role_level},
            {"has_gap", true},
            {"role_level_code", gap->role_level_code},
            {"role_level_title", gap->role_level_title},
            {"summary", gap->summary},
            {"chart", GapChartSvg(*gap)},
            {"rows", rows},
            {"strengths", strengths},
            {"has_strengths", !strengths.empty()},
            {"role_level_picker", true},
            {"csv_href", csv_href}};
  return Page(c, actor, "assessment_gap", "Gap to " + gap->role_level_title, view, "assessments");
}

Response PlanPage(const Ctx& c, const Request& request, const app::Actor& actor,
                  std::int64_t person_id, const Form* typed, const std::vector<Error>& errors,
                  int status) {
  auto plan = c->assessments.GetPlan(actor, person_id);
  if (!plan.ok()) return c->errors.ForError(request, plan.error());
  json actions = json::array();
  json view{
      {"person_id", person_id}, {"own", Own(actor, person_id)}, {"has_plan", plan->has_value()}};
  if (*plan) {
    const auto& p = **plan;
    view["target_title"] = p.target_role_level_title;
    view["target_code"] = p.target_role_level_code;
    for (const auto& a : p.actions) {
      json statuses = json::array();
      for (auto s : {domain::ActionStatus::kPlanned, domain::ActionStatus::kInProgress,
                     domain::ActionStatus::kDone, domain::ActionStatus::kDropped}) {
        statuses.push_back({{"value", domain::ActionStatusName(s)},
                            {"label", domain::ActionStatusLabel(s)},
                            {"selected", s == a.status}});
      }
      actions.push_back({{"id", a.id},
                         {"title", a.title},
                         {"item_title", a.item.title},
                         {"target", a.item.LevelLabel(a.target_level)},
                         {"due_on", a.due_on},
                         {"status", domain::ActionStatusLabel(a.status)},
                         {"statuses", statuses},
                         {"overdue", a.overdue}});
    }
    json comments = json::array();
    for (const auto& cm : p.comments) {
      comments.push_back(
          {{"author", cm.author_name}, {"body", cm.body}, {"at", cm.created_at.substr(0, 16)}});
    }
    view["comments"] = comments;
    view["has_comments"] = !comments.empty();
  }
  view["actions"] = actions;
  view["has_actions"] = !actions.empty();
  auto typed_value = [&](const char* name) {
    if (!typed) return std::string();
    return FormValue(*typed, name);
  };
  view["typed_target"] = typed_value("target-role-level");
  view["typed_due"] = typed_value("due-on");
  view["typed_item"] = typed_value("item");
  view["typed_title"] = typed_value("title");
  view["typed_level"] = typed_value("target-level");
  view["typed_body"] = typed_value("body");
  json error_list = json::array();
  for (const auto& e : errors) {
    const std::string id = FieldId(e.field);
    error_list.push_back({{"field", id}, {"message", e.message}});
    std::string key = "error_" + id;
    std::replace(key.begin(), key.end(), '-', '_');
    view[key] = e.message;
  }
  view["has_errors"] = !errors.empty();
  view["errors"] = error_list;
  return Page(c, actor, "development_plan",
              Own(actor, person_id) ? "Your development plan" : "Development plan", view,
              Own(actor, person_id) ? "assessments" : "people", status);
}

// The page to show again after a refused plan form.
Response PlanRefused(const Ctx& c, const Request& request, const app::Actor& actor,
                     std::int64_t person_id, const Form& form, const Error& error,
                     std::string_view default_field) {
  if (error.code != ErrorCode::kInvalidInput && error.code != ErrorCode::kConflict) {
    return c->errors.ForError(request, error);
  }
  Error shown = error;
  if (shown.field.empty()) shown.field = std::string(default_field);
  return PlanPage(c, request, actor, person_id, &form, {shown}, 422);
}

Response ResourcesPage(const Ctx& c, const Request& request, const app::Actor& actor,
                       const std::vector<Error>& errors, int status, std::string notice = {}) {
  std::string item;
  if (auto q = request.QueryParam("item")) item = std::string(domain::Trim(*q));
  if (item.size() > 64) item.clear();
  auto list = c->assessments.ListResources(actor, item, std::nullopt);
  if (!list.ok()) return c->errors.ForError(request, list.error());
  json rows = json::array();
  for (const auto& r : *list) {
    rows.push_back({{"id", r.id},
                    {"title", r.title},
                    {"url", r.url},
                    {"provider", r.provider},
                    {"item_title", r.item.title},
                    {"levels", r.level_min == r.level_max
                                   ? std::to_string(r.level_min)
                                   : fmt::format("{} to {}", r.level_min, r.level_max)}});
  }
  json error_list = json::array();
  for (const auto& e : errors)
    error_list.push_back(
        {{"field", "file"}, {"message", e.field.empty() ? e.message : e.field + ": " + e.message}});
  json view{
      {"rows", rows},
      {"has_rows", !rows.empty()},
      {"manage", actor.HasRole(domain::Role::kAdministrator)},
      {"notice", notice},
      {"has_errors", !errors.empty()},
      {"errors", error_list},
      {"error_file", errors.empty() ? ""
                                    : (errors.front().field.empty()
                                           ? errors.front().message
                                           : errors.front().field + ": " + errors.front().message)},
      {"header", "title,url,provider,item_id,level_min,level_max"}};
  return Page(c, actor, "learning_resources", "Learning resources", view, "learning", status);
}

domain::Result<std::vector<app::ResourceRow>> ParseResources(std::string_view text) {
  PATHWAY_ASSIGN_OR_RETURN(auto rows, interchange::ReadCsvTable(text, kResourceHeader, 5000,
                                                                domain::kMaxStatementLength));
  std::vector<app::ResourceRow> out;
  for (auto& row : rows) {
    out.push_back(
        {row.fields[0], row.fields[1], row.fields[2], row.fields[3], row.fields[4], row.fields[5]});
  }
  return out;
}

// ---------- what changed ----------

json ChangesJson(const app::WhatChanged& w) {
  json frameworks = json::array();
  for (const auto& f : w.frameworks) {
    json carried = json::array();
    for (const auto& c : f.carried) {
      carried.push_back({{"old_title", c.old_title},
                         {"item", c.item.item_id},
                         {"title", c.item.title},
                         {"level", c.level},
                         {"on", c.on}});
    }
    json unrated = json::array();
    for (const auto& u : f.unrated_new)
      unrated.push_back({{"item", u.item_id}, {"title", u.title}});
    json indicators = json::array();
    for (const auto& i : f.indicators) {
      indicators.push_back({{"item_title", i.item_title},
                            {"change", i.change},
                            {"before", i.before},
                            {"after", i.after}});
    }
    frameworks.push_back({{"framework", f.framework_id},
                          {"title", f.framework_title},
                          {"from_version", f.from_version},
                          {"to_version", f.to_version},
                          {"level", f.level},
                          {"carried", carried},
                          {"new_without_level", unrated},
                          {"indicators_at_level", indicators}});
  }
  return {{"person", w.person_id}, {"frameworks", frameworks}};
}

Response ChangesPage(const Ctx& c, const Request& request, const app::Actor& actor,
                     std::int64_t person_id, bool api) {
  auto changes = c->assessments.WhatChangedFor(actor, person_id);
  if (!changes.ok()) return c->errors.ForError(request, changes.error());
  if (api) return JsonResponse(200, ChangesJson(*changes));
  json frameworks = json::array();
  for (const auto& f : changes->frameworks) {
    json carried = json::array();
    for (const auto& x : f.carried) {
      carried.push_back({{"old_title", x.old_title},
                         {"title", x.item.title},
                         {"level", x.item.LevelLabel(x.level)},
                         {"on", x.on}});
    }
    json unrated = json::array();
    for (const auto& u : f.unrated_new) unrated.push_back({{"title", u.title}});
    json indicators = json::array();
    for (const auto& i : f.indicators) {
      indicators.push_back({{"item_title", i.item_title},
                            {"change", i.change},
                            {"before", i.before},
                            {"after", i.after},
                            {"reworded", i.change == "Reworded"}});
    }
    frameworks.push_back({{"title", f.framework_title},
                          {"from_version", f.from_version},
                          {"to_version", f.to_version},
                          {"level", f.level},
                          {"carried", carried},
                          {"has_carried", !carried.empty()},
                          {"unrated", unrated},
                          {"has_unrated", !unrated.empty()},
                          {"indicators", indicators},
                          {"has_indicators", !indicators.empty()}});
  }
  const bool own = Own(actor, person_id);
  json view{{"person_id", person_id},
            {"person_name", changes->person_name},
            {"own", own},
            {"frameworks", frameworks},
            {"has_frameworks", !frameworks.empty()}};
  return Page(c, actor, "assessment_changes", own ? "What changed for you" : "What changed", view,
              own ? "assessments" : "people");
}

// ---------- registration ----------

void RegisterPages(Router& router, const Ctx& c) {
  router.Add("GET", "/people/{id}/assessments", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return LevelsPage(c, request, actor, *id, {}, 200);
  });
  router.SetAction("assessment.levels");

  router.Add("POST", "/people/{id}/self-assessments", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    std::vector<std::string> items;
    if (auto item = FormValue(std::get<Form>(form), "item"); !item.empty()) items.push_back(item);
    auto started = c->assessments.StartSelfAssessment(actor, *id, items);
    if (!started.ok()) {
      if (started.error().code != ErrorCode::kInvalidInput) {
        return c->errors.ForError(request, started.error());
      }
      Error shown = started.error();
      shown.field = "start";
      return LevelsPage(c, request, actor, *id, {shown}, 422);
    }
    return Redirect(fmt::format("/self-assessments/{}", *started));
  });
  router.SetAction("assessment.self");

  router.Add("GET", "/self-assessments/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return SelfAssessmentPage(c, request, actor, *id, nullptr, {}, 200);
  });
  router.SetAction("assessment.evidence");

  router.Add("POST", "/self-assessments/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor,
                            {"situation-*", "task-*", "action-*", "result-*"});
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& fields = std::get<Form>(form);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    std::vector<domain::ItemRating> ratings;
    std::vector<Error> errors;
    for (int i = 0; i < static_cast<int>(domain::kSelfAssessmentItemLimit); ++i) {
      const std::string n = std::to_string(i);
      auto item = fields.find("item-" + n);
      if (item == fields.end()) break;
      domain::ItemRating rating;
      rating.item_id = item->second;
      const std::string level = FormValue(fields, "level-" + n);
      if (!level.empty()) {
        rating.level = ParseLevel(level);
        if (!rating.level) errors.push_back(Error::InvalidInput("level-" + n, "Choose a level"));
      }
      rating.evidence = {FormValue(fields, "situation-" + n), FormValue(fields, "task-" + n),
                         FormValue(fields, "action-" + n), FormValue(fields, "result-" + n)};
      if (auto checked = domain::CheckEvidence(rating.evidence, "items[" + n + "].");
          !checked.ok()) {
        errors.push_back(checked.error());
      }
      ratings.push_back(std::move(rating));
    }
    if (!errors.empty()) return SelfAssessmentPage(c, request, actor, *id, &fields, errors, 422);
    auto saved = c->assessments.SaveDraft(actor, *id, ratings);
    if (saved.ok() && FormValue(fields, "submit") == "yes") {
      auto submitted = c->assessments.Submit(actor, *id);
      if (submitted.ok()) return Redirect(fmt::format("/self-assessments/{}?submitted", *id));
      saved = std::move(submitted);
    }
    if (saved.ok()) return Redirect(fmt::format("/self-assessments/{}?saved", *id));
    const Error& error = saved.error();
    if (error.code != ErrorCode::kInvalidInput && error.code != ErrorCode::kConflict) {
      return c->errors.ForError(request, error);
    }
    return SelfAssessmentPage(c, request, actor, *id, &fields, FieldErrors(error), 422);
  });
  router.SetAction("assessment.self");

  router.Add("POST", "/self-assessments/{id}/confirm", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor, {"comment-*"});
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& fields = std::get<Form>(form);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    std::vector<domain::ItemDecision> decisions;
    std::vector<Error> errors;
    for (int i = 0; i < static_cast<int>(domain::kSelfAssessmentItemLimit); ++i) {
      const std::string n = std::to_string(i);
      auto item = fields.find("item-" + n);
      if (item == fields.end()) break;
      auto level = ParseLevel(FormValue(fields, "level-" + n));
      if (!level) {
        errors.push_back(Error::InvalidInput("level-" + n, "Choose a level"));
        continue;
      }
      decisions.push_back({item->second, *level, FormValue(fields, "comment-" + n)});
    }
    if (!errors.empty()) return SelfAssessmentPage(c, request, actor, *id, &fields, errors, 422);
    auto confirmed = c->assessments.Confirm(actor, *id, decisions);
    if (confirmed.ok()) return Redirect("/assessments/to-confirm?confirmed");
    const Error& error = confirmed.error();
    if (error.code != ErrorCode::kInvalidInput && error.code != ErrorCode::kConflict) {
      return c->errors.ForError(request, error);
    }
    return SelfAssessmentPage(c, request, actor, *id, &fields, FieldErrors(error), 422);
  });
  router.SetAction("assessment.confirm");

  router.Add("GET", "/assessments/to-confirm", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto list = c->assessments.ToConfirm(actor);
    if (!list.ok()) return c->errors.ForError(request, list.error());
    json rows = json::array();
    for (const auto& s : *list) {
      rows.push_back({{"id", s.id},
                      {"person_name", s.person_name},
                      {"person_id", s.person_id},
                      {"submitted_at", s.submitted_at.substr(
                                           0, std::min<std::size_t>(10, s.submitted_at.size()))}});
    }
    auto plans = c->assessments.TeamPlans(actor);
    json plan_rows = json::array();
    if (plans.ok()) {
      for (const auto& p : *plans) {
        plan_rows.push_back({{"person_id", p.person_id},
                             {"person_name", p.person_name},
                             {"target", p.target},
                             {"open", p.open},
                             {"overdue", p.overdue},
                             {"done", p.done}});
      }
    }
    json view{{"rows", rows},
              {"has_rows", !rows.empty()},
              {"plans", plan_rows},
              {"has_plans", !plan_rows.empty()},
              {"line_manager", actor.HasRole(domain::Role::kLineManager)},
              {"confirmed", request.QueryParam("confirmed").has_value()}};
    return Page(c, actor, "assessment_to_confirm", "Your team's assessments and plans", view,
                "team-assessments");
  });
  router.SetAction("assessment.confirm");

  router.Add("GET", "/people/{id}/changes", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return ChangesPage(c, request, actor, *id, false);
  });
  router.SetAction("assessment.levels");

  router.Add("GET", "/assessments/changes", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    json view{{"person_id", actor.person_id ? *actor.person_id : 0},
              {"has_record", actor.person_id.has_value()}};
    auto team = c->assessments.TeamChanges(actor);
    if (!team.ok()) return c->errors.ForError(request, team.error());
    json rows = json::array();
    for (const auto& t : *team) {
      rows.push_back({{"person_id", t.person_id},
                      {"name", t.person_name},
                      {"carried", t.carried},
                      {"unrated", t.unrated_new},
                      {"indicators", t.indicators}});
    }
    view["team"] = rows;
    view["has_team"] = !rows.empty();
    auto runs = c->assessments.CarryOverRuns(actor);
    json run_rows = json::array();
    if (runs.ok()) {
      for (const auto& r : *runs) {
        run_rows.push_back({{"title", r.framework_title},
                            {"version", r.version},
                            {"status", r.done ? "Finished" : "Running"},
                            {"people", r.people},
                            {"rows", r.rows_added},
                            {"started", r.started_at.substr(0, 16)},
                            {"finished", r.finished_at.substr(
                                             0, std::min<std::size_t>(16, r.finished_at.size()))}});
      }
      view["sees_runs"] = true;
    }
    view["runs"] = run_rows;
    view["has_runs"] = !run_rows.empty();
    return Page(c, actor, "assessment_changes_overview", "What changed in the frameworks", view,
                "team-assessments");
  });
  router.SetAction("assessment.levels");

  router.Add("GET", "/people/{id}/gap", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return GapPage(c, request, actor, *id, false);
  });
  router.SetAction("assessment.levels");

  router.Add("GET", "/people/{id}/development", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return PlanPage(c, request, actor, *id, nullptr, {}, 200);
  });
  router.SetAction("development.read");

  router.Add("POST", "/people/{id}/development", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor, {"body"});
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& fields = std::get<Form>(form);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    const std::string what = FormValue(fields, "form");
    const std::string back = fmt::format("/people/{}/development", *id);
    if (what == "plan") {
      auto made = c->assessments.CreatePlan(actor, *id, FormValue(fields, "target-role-level"),
                                            FormValue(fields, "from-gap") == "yes",
                                            FormValue(fields, "due-on"));
      if (!made.ok()) {
        Error e = made.error();
        if (e.field == "target_role_level") e.field = "target-role-level";
        if (e.field == "due_on") e.field = "due-on";
        return PlanRefused(c, request, actor, *id, fields, e, "target-role-level");
      }
      return Redirect(back + "?planned=" + std::to_string(*made));
    }
    if (what == "action") {
      auto level = ParseLevel(FormValue(fields, "target-level"));
      if (!level) {
        return PlanRefused(c, request, actor, *id, fields,
                           Error::InvalidInput("target-level", "Choose a target level"), "");
      }
      auto added =
          c->assessments.AddAction(actor, *id, FormValue(fields, "item"), *level,
                                   FormValue(fields, "title"), FormValue(fields, "due-on-action"));
      if (!added.ok()) {
        Error e = added.error();
        if (e.field == "target_level") e.field = "target-level";
        if (e.field == "due_on") e.field = "due-on-action";
        return PlanRefused(c, request, actor, *id, fields, e, "item");
      }
      return Redirect(back + "#actions");
    }
    if (what == "status") {
      const auto action = ParseId(FormValue(fields, "action-id"));
      const auto status = domain::ParseActionStatus(FormValue(fields, "status"));
      if (!action || !status) {
        return PlanRefused(c, request, actor, *id, fields,
                           Error::InvalidInput("status", "Choose a status"), "");
      }
      auto set = c->assessments.SetActionStatus(actor, *action, *status);
      if (!set.ok()) return PlanRefused(c, request, actor, *id, fields, set.error(), "status");
      return Redirect(back + "#actions");
    }
    if (what == "comment" || what.empty()) {
      auto added = c->assessments.AddComment(actor, *id, FormValue(fields, "body"));
      if (!added.ok()) return PlanRefused(c, request, actor, *id, fields, added.error(), "body");
      return Redirect(back + "#comments");
    }
    return c->errors.ForStatus(request, 400, "This form is not one Pathway knows.");
  });
  router.SetAction("development.edit");

  router.Add("GET", "/learning", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    return ResourcesPage(c, request, actor, {}, 200,
                         request.QueryParam("imported") ? "The resources were imported." : "");
  });
  router.SetAction("learning.read");

  router.Add("POST", "/learning/import", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    if (!request.Header("content-type").starts_with("multipart/form-data")) {
      return c->errors.ForStatus(request, 400, "Send the file with the form.");
    }
    auto parts = ParseMultipart(request.Header("content-type"), request.body);
    if (!parts.ok()) return c->errors.ForBadRequest(request, parts.error());
    std::string csrf;
    std::string_view file;
    for (const auto& part : *parts) {
      if (part.name == "csrf-token") csrf = std::string(part.data);
      if (part.name == "file") file = part.data;
    }
    if (!FromOurOrigin(request) || csrf.empty() || csrf != actor.csrf_token) {
      c->identity.RecordRefusal(actor, "csrf", "POST /learning/import");
      return c->errors.ForStatus(request, 403);
    }
    if (file.empty()) {
      return ResourcesPage(c, request, actor, {Error::InvalidInput("", "Select a CSV file")}, 422);
    }
    if (file.size() > kMaxResourceFile) {
      return ResourcesPage(c, request, actor,
                           {Error::InvalidInput("", "The file must be smaller than 2 MB")}, 422);
    }
    auto rows = ParseResources(file);
    if (!rows.ok()) return ResourcesPage(c, request, actor, {rows.error()}, 422);
    auto imported = c->assessments.ImportResources(actor, *rows);
    if (!imported.ok()) {
      if (imported.error().code != ErrorCode::kInvalidInput &&
          imported.error().code != ErrorCode::kConflict) {
        return c->errors.ForError(request, imported.error());
      }
      return ResourcesPage(c, request, actor, {imported.error()}, 422);
    }
    return Redirect("/learning?imported=" + std::to_string(*imported));
  });
  router.SetAction("learning.manage");
}

void RegisterApi(Router& router, const Ctx& c) {
  router.Add("POST", "/api/v1/people/{id}/assessments", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/people/{id}/assessments")) {
      return std::move(*refused);
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    // Nothing is read before it is allowed (assessment.create: one's own record, or a
    // report's, a department's); the use case then checks the capacity asked for.
    if (auto allowed = c->assessments.Authorise(actor, "assessment.create", *id); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    auto read = ReadJsonBody(request, "the assessment", 422,
                             {"situation", "task", "action", "result", "comment"});
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto capacity =
        ReadString(body, "capacity", true, "Choose a capacity: self, line_manager or panel");
    if (!capacity.ok()) return c->errors.ForError(request, capacity.error());
    auto items = ReadItems(body);
    if (!items.ok()) return c->errors.ForError(request, items.error());
    if (*capacity == "self") {
      std::vector<std::string> ids;
      std::vector<domain::ItemRating> ratings;
      for (const auto& item : *items) {
        auto item_id = ReadItemId(item);
        if (!item_id.ok()) return c->errors.ForError(request, item_id.error());
        domain::ItemRating rating;
        rating.item_id = *item_id;
        if (item.Member("level")) {
          auto level = ReadLevel(item);
          if (!level.ok()) return c->errors.ForError(request, level.error());
          rating.level = *level;
        }
        auto evidence = ReadEvidence(item);
        if (!evidence.ok()) return c->errors.ForError(request, evidence.error());
        rating.evidence = *evidence;
        ids.push_back(*item_id);
        ratings.push_back(std::move(rating));
      }
      if (ids.empty())
        return ProblemResponse(422, "invalid-input", "Rate at least one item", "items");
      bool submit = false;
      if (auto s = body.Member("submit")) {
        if (!s->value().is_boolean())
          return ProblemResponse(422, "invalid-input", "Send submit as true or false", "submit");
        submit = s->value().get<bool>();
      }
      // One unit of work: a refused rating leaves no draft behind.
      auto started = c->assessments.RecordSelfAssessment(actor, *id, ratings, submit);
      if (!started.ok()) return c->errors.ForError(request, started.error());
      auto shown = c->assessments.GetSelfAssessment(actor, *started);
      if (!shown.ok()) return c->errors.ForError(request, shown.error());
      Response response = JsonResponse(201, json{{"person", *id},
                                                 {"capacity", "self"},
                                                 {"recorded", ratings.size()},
                                                 {"self_assessment", SelfAssessmentJson(*shown)}});
      response.SetHeader("Location", fmt::format("/api/v1/self-assessments/{}", *started));
      return response;
    }
    app::AssessingCapacity kind;
    if (*capacity == "line_manager") {
      kind = app::AssessingCapacity::kLineManager;
    } else if (*capacity == "panel") {
      kind = app::AssessingCapacity::kPanel;
    } else {
      return ProblemResponse(422, "invalid-input", "Choose a capacity: self, line_manager or panel",
                             "capacity");
    }
    std::vector<app::DirectRating> ratings;
    for (const auto& item : *items) {
      app::DirectRating rating;
      auto item_id = ReadItemId(item);
      if (!item_id.ok()) return c->errors.ForError(request, item_id.error());
      rating.item_id = *item_id;
      auto level = ReadLevel(item);
      if (!level.ok()) return c->errors.ForError(request, level.error());
      rating.level = *level;
      auto evidence = ReadEvidence(item);
      if (!evidence.ok()) return c->errors.ForError(request, evidence.error());
      rating.evidence = *evidence;
      if (auto comment = item.Member("comment")) {
        auto text = comment->String("Enter the comment as text");
        if (!text.ok()) return c->errors.ForError(request, text.error());
        rating.comment = *text;
      }
      ratings.push_back(std::move(rating));
    }
    auto seqs = c->assessments.CreateAssessment(actor, *id, kind, ratings);
    if (!seqs.ok()) return c->errors.ForError(request, seqs.error());
    return JsonResponse(201,
                        json{{"person", *id}, {"capacity", *capacity}, {"recorded", seqs->size()}});
  });
  router.SetAction("assessment.create");

  router.Add("GET", "/api/v1/self-assessments/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto found = c->assessments.GetSelfAssessment(actor, *id);
    if (!found.ok()) return c->errors.ForError(request, found.error());
    return JsonResponse(200, SelfAssessmentJson(*found));
  });
  router.SetAction("assessment.evidence");

  router.Add("POST", "/api/v1/self-assessments/{id}/confirm", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/self-assessments/{id}/confirm")) {
      return std::move(*refused);
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto read = ReadJsonBody(request, "the confirmation", 422, {"comment"});
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto items = ReadItems(body);
    if (!items.ok()) return c->errors.ForError(request, items.error());
    std::vector<domain::ItemDecision> decisions;
    for (const auto& item : *items) {
      domain::ItemDecision decision;
      auto item_id = ReadItemId(item);
      if (!item_id.ok()) return c->errors.ForError(request, item_id.error());
      decision.item_id = *item_id;
      auto level = ReadLevel(item);
      if (!level.ok()) return c->errors.ForError(request, level.error());
      decision.level = *level;
      if (auto comment = item.Member("comment")) {
        auto text = comment->String("Enter the comment as text");
        if (!text.ok()) return c->errors.ForError(request, text.error());
        decision.comment = *text;
      }
      decisions.push_back(std::move(decision));
    }
    auto confirmed = c->assessments.Confirm(actor, *id, decisions);
    if (!confirmed.ok()) return c->errors.ForError(request, confirmed.error());
    auto shown = c->assessments.GetSelfAssessment(actor, *id);
    if (!shown.ok()) return c->errors.ForError(request, shown.error());
    return JsonResponse(200, SelfAssessmentJson(*shown));
  });
  router.SetAction("assessment.confirm");

  router.Add("GET", "/api/v1/people/{id}/levels", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto levels = c->assessments.CurrentLevels(actor, *id);
    if (!levels.ok()) return c->errors.ForError(request, levels.error());
    return JsonResponse(200, LevelsJson(*levels));
  });
  router.SetAction("assessment.levels");

  router.Add("GET", "/api/v1/people/{id}/framework-changes", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    return ChangesPage(c, request, actor, *id, true);
  });
  router.SetAction("assessment.levels");

  router.Add("GET", "/api/v1/people/{id}/gap", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    return GapPage(c, request, actor, *id, true);
  });
  router.SetAction("assessment.levels");

  router.Add("POST", "/api/v1/people/{id}/development-plan", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/people/{id}/development-plan")) {
      return std::move(*refused);
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    if (auto allowed = c->assessments.Authorise(actor, "development.edit", *id); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    auto read = ReadJsonBody(request, "the plan", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto target =
        ReadString(body, "target_role_level", false, "Send the role level's code as text");
    if (!target.ok()) return c->errors.ForError(request, target.error());
    auto due =
        ReadString(body, "due_on", false, "Send the due date as text, for example 2027-03-31");
    if (!due.ok()) return c->errors.ForError(request, due.error());
    bool from_gap = false;
    if (auto g = body.Member("actions_from_gap")) {
      if (!g->value().is_boolean()) {
        return ProblemResponse(422, "invalid-input", "Send actions_from_gap as true or false",
                               "actions_from_gap");
      }
      from_gap = g->value().get<bool>();
    }
    auto added = c->assessments.CreatePlan(actor, *id, *target, from_gap, *due);
    if (!added.ok()) return c->errors.ForError(request, added.error());
    auto plan = c->assessments.GetPlan(actor, *id);
    if (!plan.ok() || !*plan) return ProblemResponse(500, "internal", "");
    json out = PlanJson(**plan);
    out["actions_added"] = *added;
    return JsonResponse(201, out);
  });
  router.SetAction("development.edit");

  router.Add("GET", "/api/v1/people/{id}/development-plan", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto plan = c->assessments.GetPlan(actor, *id);
    if (!plan.ok()) return c->errors.ForError(request, plan.error());
    if (!*plan) {
      // No plan yet: an empty one, so that a reader can tell it from a refusal.
      return JsonResponse(200, json{{"person", *id},
                                    {"target_role_level", ""},
                                    {"actions", json::array()},
                                    {"comments", json::array()}});
    }
    return JsonResponse(200, PlanJson(**plan));
  });
  router.SetAction("development.read");

  router.Add("POST", "/api/v1/people/{id}/development-plan/actions", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/people/{id}/development-plan/actions")) {
      return std::move(*refused);
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    if (auto allowed = c->assessments.Authorise(actor, "development.edit", *id); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    auto read = ReadJsonBody(request, "the action", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto item = ReadString(body, "item", true, "Choose an item by its id");
    if (!item.ok()) return c->errors.ForError(request, item.error());
    auto level = ReadLevel(body, "target_level");
    if (!level.ok()) return c->errors.ForError(request, level.error());
    auto title = ReadString(body, "title", true, "Enter a title for the action");
    if (!title.ok()) return c->errors.ForError(request, title.error());
    auto due = ReadString(body, "due_on", true, "Enter a due date, for example 2027-03-31");
    if (!due.ok()) return c->errors.ForError(request, due.error());
    auto added = c->assessments.AddAction(actor, *id, *item, *level, *title, *due);
    if (!added.ok()) return c->errors.ForError(request, added.error());
    return JsonResponse(201, json{{"id", *added}, {"person", *id}});
  });
  router.SetAction("development.edit");

  router.Add("GET", "/api/v1/learning-resources", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    std::string item;
    if (auto q = request.QueryParam("item")) item = *q;
    if (item.size() > 64)
      return ProblemResponse(422, "invalid-input", "Choose an item by its id", "item");
    std::optional<int> level;
    if (auto q = request.QueryParam("level")) {
      level = ParseLevel(*q);
      if (!level)
        return ProblemResponse(422, "invalid-input", "Enter a level from 1 to 9", "level");
    }
    auto list = c->assessments.ListResources(actor, item, level);
    if (!list.ok()) return c->errors.ForError(request, list.error());
    json rows = json::array();
    for (const auto& r : *list) rows.push_back(ResourceJson(r));
    return JsonResponse(200, json{{"resources", rows}});
  });
  router.SetAction("learning.read");

  router.Add("POST", "/api/v1/learning-resources", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused =
            RefuseCrossOrigin(c->identity, actor, request, "POST /api/v1/learning-resources")) {
      return std::move(*refused);
    }
    if (!request.Header("content-type").starts_with("text/csv")) {
      return ProblemResponse(415, "unsupported-media-type", "Send the resources as text/csv.");
    }
    if (request.body.size() > kMaxResourceFile) {
      return ProblemResponse(413, "too-large", "The file must be smaller than 2 MB.");
    }
    auto rows = ParseResources(request.body);
    if (!rows.ok()) return c->errors.ForError(request, rows.error());
    auto imported = c->assessments.ImportResources(actor, *rows);
    if (!imported.ok()) return c->errors.ForError(request, imported.error());
    return JsonResponse(201, json{{"imported", *imported}});
  });
  router.SetAction("learning.manage");
}

}  // namespace

void RegisterAssessmentRoutes(Router& router, const AssessmentRoutesContext& context) {
  const auto c = std::make_shared<const AssessmentRoutesContext>(context);
  RegisterPages(router, c);
  RegisterApi(router, c);
}

}  // namespace pathway::web
