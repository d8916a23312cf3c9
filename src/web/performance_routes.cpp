#include "web/performance_routes.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/text.hpp"
#include "interchange/csv.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"

namespace pathway::web {
namespace {

using domain::Error;
using domain::ErrorCode;
using domain::Status;
using nlohmann::json;

using Ctx = std::shared_ptr<const PerformanceRoutesContext>;

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page,
              const std::string& title, json view, std::string current, int status = 200) {
  const bool has_errors = view.value("has_errors", false);
  view["csrf_token"] = actor.csrf_token;
  return Response::Html(status, RenderPage(c->templates, c->asset_base, page, title, view,
                                           has_errors, ChromeFor(actor, std::move(current))));
}

// The HTML id of a field a use case names: "objectives[2].text" → "objective-text-2",
// "competencies[1].item" → "competency-1", "competencies[0].level" → "level-c-0".
std::string FieldId(const std::string& field, bool person) {
  const auto indexed =
      [&](std::string_view prefix) -> std::optional<std::pair<std::string, std::string>> {
    if (!field.starts_with(prefix)) return std::nullopt;
    const auto close = field.find(']');
    if (close == std::string::npos) return std::nullopt;
    const std::string n = field.substr(prefix.size(), close - prefix.size());
    const std::string part =
        close + 2 <= field.size() ? field.substr(std::min(field.size(), close + 2)) : "";
    return std::pair{n, part};
  };
  if (auto o = indexed("objectives[")) {
    if (o->second == "evidence" || o->second == "comment") {
      return fmt::format("{}-o-{}", person ? "evidence" : "comment", o->first);
    }
    return fmt::format("objective-{}-{}", o->second.empty() ? "text" : o->second, o->first);
  }
  if (auto c = indexed("competencies[")) {
    if (c->second == "evidence" || c->second == "comment" || c->second == "level") {
      const std::string kind = c->second == "level" ? "level" : (person ? "evidence" : "comment");
      return fmt::format("{}-c-{}", kind, c->first);
    }
    return "competency-" + c->first;
  }
  if (field == "status" || field == "record") return "objectives";
  if (field == "kind" || field == "signer") return "reviews";
  if (field.empty()) return "reviews";
  std::string out = field;
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

std::string Date(const std::string& timestamp) {
  return timestamp.substr(0, std::min<std::size_t>(10, timestamp.size()));
}

// ---------- JSON views ----------

json YearJson(const domain::PerformanceYear& y) {
  return {{"id", y.id},
          {"name", y.name},
          {"departments", y.departments},
          {"starts_on", y.starts_on},
          {"objectives_due", y.objectives_due},
          {"midyear_due", y.midyear_due},
          {"endyear_due", y.endyear_due},
          {"scale", y.scale},
          {"people", y.people},
          {"opened_at", y.opened_at}};
}

json EntryJson(const domain::ReviewEntry& e) {
  json out{{"evidence", e.evidence}, {"comment", e.manager_comment}};
  out["level"] = e.level ? json(*e.level) : json(nullptr);
  return out;
}

json ReviewJson(const domain::Review& r, const domain::PerformanceYear& year) {
  json objectives = json::array();
  for (const auto& e : r.objectives) objectives.push_back(EntryJson(e));
  json competencies = json::array();
  for (const auto& e : r.competencies) competencies.push_back(EntryJson(e));
  const auto label = [&](std::optional<int> position) -> json {
    if (!position || *position < 0 || *position >= static_cast<int>(year.scale.size()))
      return nullptr;
    return year.scale[static_cast<std::size_t>(*position)];
  };
  return {{"kind", domain::ReviewKindName(r.kind)},
          {"stage", domain::ReviewStageName(r.stage)},
          {"objectives", objectives},
          {"competencies", competencies},
          {"summary", r.summary},
          {"rating", label(r.rating)},
          {"moderated_rating", label(r.moderated_rating)},
          {"moderation_reason", r.moderation_reason},
          {"final_rating", label(r.final_rating())},
          {"person_signed_at", r.person_signed_at},
          {"manager_signed_at", r.manager_signed_at},
          {"countersigned_at", r.countersigned_at}};
}

json RecordJson(const app::RecordView& view) {
  const auto& r = view.record;
  json objectives = json::array();
  for (const auto& o : r.objectives) {
    objectives.push_back(
        {{"text", o.text}, {"measure", o.measure}, {"due_on", o.due_on}, {"weight", o.weight}});
  }
  json competencies = json::array();
  for (const auto& c : r.competencies) {
    competencies.push_back({{"item", c.item_id},
                            {"title", c.item.title},
                            {"framework", c.item.framework_id},
                            {"reason", c.reason},
                            {"required_level", c.level}});
  }
  json out{{"id", r.id},
           {"year", YearJson(view.year)},
           {"person", r.person_id},
           {"person_name", r.person_name},
           {"status", domain::RecordStatusName(r.status)},
           {"person_agreed_at", r.person_agreed_at},
           {"manager_agreed_at", r.manager_agreed_at},
           {"agreed_at", r.agreed_at},
           {"objectives", objectives},
           {"competencies", competencies},
           {"left", view.left}};
  out["midyear"] = r.midyear ? ReviewJson(*r.midyear, view.year) : json(nullptr);
  out["endyear"] = r.endyear ? ReviewJson(*r.endyear, view.year) : json(nullptr);
  json reopenings = json::array();
  for (const auto& o : r.reopenings) {
    reopenings.push_back({{"what", o.what}, {"reason", o.reason}, {"by", o.by_name}, {"at", o.at}});
  }
  out["reopenings"] = reopenings;
  return out;
}

json ProposalJson(const domain::ProposedCompetency& p) {
  return {
      {"item", p.item.item_id},    {"title", p.item.title},   {"framework", p.item.framework_id},
      {"required_level", p.level}, {"current_level", p.have}, {"security", p.security},
      {"reasons", p.reasons}};
}

json ModerationJson(const domain::Moderation& m) {
  const auto group = [&](const domain::RatingGroup& g) {
    json counts = json::array();
    const auto total = g.total();
    for (std::size_t i = 0; i < m.scale.size() && i < g.counts.size(); ++i) {
      counts.push_back({{"rating", m.scale[i]},
                        {"count", g.counts[i]},
                        {"share", domain::Share(g.counts[i], total)},
                        {"department_share", domain::Share(m.whole.counts[i], m.whole.total())}});
    }
    return json{{"dimension", g.dimension},
                {"key", g.key},
                {"label", g.label},
                {"rated", total},
                {"counts", counts}};
  };
  json groups = json::array();
  for (const auto& g : m.groups) groups.push_back(group(g));
  return {{"year", m.year_id},
          {"year_name", m.year_name},
          {"department", m.whole.key},
          {"scale", m.scale},
          {"people", m.people},
          {"rated", m.whole.total()},
          {"department_counts", group(m.whole)},
          {"groups", groups}};
}

std::string ModerationCsv(const domain::Moderation& m) {
  interchange::CsvWriter csv;
  std::vector<std::string> header{"dimension", "key", "label", "rated"};
  for (const auto& label : m.scale) {
    header.push_back(label + " count");
    header.push_back(label + " share %");
  }
  csv.Row(header);
  const auto row = [&](const domain::RatingGroup& g) {
    std::vector<std::string> cells{g.dimension, g.key, g.label, std::to_string(g.total())};
    for (std::size_t i = 0; i < m.scale.size(); ++i) {
      const auto count = i < g.counts.size() ? g.counts[i] : 0;
      cells.push_back(std::to_string(count));
      cells.push_back(fmt::format("{:.1f}", domain::Share(count, g.total())));
    }
    csv.Row(cells);
  };
  row(m.whole);
  for (const auto& g : m.groups) row(g);
  return std::move(csv).text();
}

}  // namespace

std::string ModerationChartSvg(const domain::Moderation& m) {
  constexpr int kLabelWidth = 150;
  constexpr int kBarMax = 400;
  constexpr int kRowHeight = 30;
  constexpr int kTop = 10;
  const auto total = m.whole.total();
  const int height = kTop + kRowHeight * static_cast<int>(m.scale.size()) + 10;
  const int width = kLabelWidth + kBarMax + 120;
  std::string summary;
  for (std::size_t i = 0; i < m.scale.size(); ++i) {
    summary += fmt::format("{}{}: {} ({:.1f}%)", i == 0 ? "" : "; ", m.scale[i], m.whole.counts[i],
                           domain::Share(m.whole.counts[i], total));
  }
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" class="pathway-chart" role="img" )"
      R"(aria-labelledby="moderation-chart-title moderation-chart-desc" viewBox="0 0 {0} {1}" )"
      R"(width="100%" style="max-width:{0}px">)"
      R"(<title id="moderation-chart-title">End-year ratings in {2}, {3} of {4} people rated</title>)"
      R"(<desc id="moderation-chart-desc">{5}. The table below gives the same numbers.</desc>)",
      width, height, HtmlEscape(m.whole.label), total, m.people, HtmlEscape(summary));
  int y = kTop;
  for (std::size_t i = 0; i < m.scale.size(); ++i) {
    const double share = domain::Share(m.whole.counts[i], total);
    const int bar = static_cast<int>(share / 100.0 * kBarMax + 0.5);
    svg += fmt::format(R"(<text x="0" y="{}" font-size="13">{}</text>)", y + 18,
                       HtmlEscape(m.scale[i]));
    svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="18" fill="#1d70b8"/>)",
                       kLabelWidth, y + 4, bar);
    svg += fmt::format(R"(<text x="{}" y="{}" font-size="13">{} ({:.1f}%)</text>)",
                       kLabelWidth + bar + 6, y + 18, m.whole.counts[i], share);
    y += kRowHeight;
  }
  svg += "</svg>";
  return svg;
}

namespace {

// ---------- reading bodies ----------

domain::Result<std::string> ReadText(const JsonField& body, const char* name, const char* message) {
  auto member = body.Member(name);
  if (!member) return std::string();
  return member->String(message);
}

domain::Result<std::vector<domain::Objective>> ReadObjectives(const JsonField& body) {
  auto member = body.Member("objectives");
  if (!member) return Error::InvalidInput("objectives", "Send the objectives as a list");
  PATHWAY_ASSIGN_OR_RETURN(
      auto list, member->Array(domain::kObjectiveLimit, fmt::format("Send {} objectives or fewer",
                                                                    domain::kObjectiveLimit)));
  std::vector<domain::Objective> out;
  for (const auto& o : list) {
    PATHWAY_TRY(o.Object("Send each objective as an object"));
    domain::Objective objective;
    PATHWAY_ASSIGN_OR_RETURN(objective.text, ReadText(o, "text", "Enter the objective as text"));
    PATHWAY_ASSIGN_OR_RETURN(objective.measure,
                             ReadText(o, "measure", "Enter how success is measured as text"));
    PATHWAY_ASSIGN_OR_RETURN(
        objective.due_on,
        ReadText(o, "due_on", "Enter the due date as text, for example 2027-03-31"));
    if (auto weight = o.Member("weight")) {
      PATHWAY_ASSIGN_OR_RETURN(auto w, weight->Integer("A weight is a whole number from 1 to 100"));
      if (w < 1 || w > 100)
        return Error::InvalidInput(weight->field(), "A weight is a whole number from 1 to 100");
      objective.weight = static_cast<int>(w);
    } else {
      return Error::InvalidInput(o.field() + ".weight", "Give each objective a weight");
    }
    out.push_back(std::move(objective));
  }
  return out;
}

domain::Result<std::vector<domain::ChosenCompetency>> ReadCompetencies(const JsonField& body) {
  auto member = body.Member("competencies");
  if (!member) return Error::InvalidInput("competencies", "Send the competencies as a list");
  PATHWAY_ASSIGN_OR_RETURN(auto list, member->Array(domain::kCompetencyLimit,
                                                    fmt::format("Send {} competencies or fewer",
                                                                domain::kCompetencyLimit)));
  std::vector<domain::ChosenCompetency> out;
  for (const auto& c : list) {
    PATHWAY_TRY(c.Object("Send each competency as an object"));
    domain::ChosenCompetency chosen;
    PATHWAY_ASSIGN_OR_RETURN(chosen.item_id,
                             ReadText(c, "item", "Choose a competency by its item id"));
    PATHWAY_ASSIGN_OR_RETURN(chosen.reason, ReadText(c, "reason", "Enter the reason as text"));
    out.push_back(std::move(chosen));
  }
  return out;
}

domain::Result<std::vector<domain::ReviewEntry>> ReadEntries(const JsonField& body,
                                                             const char* name, std::size_t limit) {
  std::vector<domain::ReviewEntry> out;
  auto member = body.Member(name);
  if (!member) return out;
  PATHWAY_ASSIGN_OR_RETURN(auto list,
                           member->Array(limit, fmt::format("Send {} entries or fewer", limit)));
  for (const auto& e : list) {
    PATHWAY_TRY(e.Object("Send each entry as an object"));
    domain::ReviewEntry entry;
    PATHWAY_ASSIGN_OR_RETURN(entry.evidence, ReadText(e, "evidence", "Enter the evidence as text"));
    PATHWAY_ASSIGN_OR_RETURN(entry.manager_comment,
                             ReadText(e, "comment", "Enter the comment as text"));
    if (auto level = e.Member("level")) {
      PATHWAY_ASSIGN_OR_RETURN(auto l,
                               level->Integer("Choose a level from the competency's scale"));
      if (l < 1 || l > 9)
        return Error::InvalidInput(level->field(), "Choose a level from the competency's scale");
      entry.level = static_cast<int>(l);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

domain::Result<domain::ReviewKind> ReadKind(std::string_view text) {
  auto kind = domain::ParseReviewKind(domain::Trim(text));
  if (!kind) return Error::InvalidInput("kind", "Choose the review: mid or end");
  return *kind;
}

// ---------- pages ----------

struct Typed {
  const Form* form = nullptr;
  std::string Get(const std::string& name, const std::string& fallback) const {
    if (!form) return fallback;
    auto it = form->find(name);
    return it == form->end() ? fallback : it->second;
  }
};

void AddFieldErrors(json& view, const std::vector<Error>& errors, bool person) {
  json list = json::array();
  for (const auto& e : errors) {
    const std::string id = FieldId(e.field, person);
    list.push_back({{"field", id}, {"message", e.message}});
    std::string key = "error_" + id;
    std::replace(key.begin(), key.end(), '-', '_');
    view[key] = e.message;
  }
  view["has_errors"] = !errors.empty();
  view["errors"] = list;
}

json ReviewView(const app::RecordView& v, const domain::ReviewKind kind, const Typed& typed,
                const std::vector<Error>& errors) {
  const auto& r = v.record;
  const auto& review = kind == domain::ReviewKind::kEndYear ? r.endyear : r.midyear;
  const bool end = kind == domain::ReviewKind::kEndYear;
  const domain::ReviewStage stage = review ? review->stage : domain::ReviewStage::kOpen;
  const bool mid_done = r.midyear && r.midyear->stage == domain::ReviewStage::kCountersigned;
  const bool available = r.status == domain::RecordStatus::kAgreed && (!end || mid_done) && !v.left;
  const bool person_writes = available && v.is_person && stage == domain::ReviewStage::kOpen;
  const bool manager_writes =
      available && v.is_manager &&
      (stage == domain::ReviewStage::kOpen || stage == domain::ReviewStage::kPersonSigned);
  const auto next = domain::NextSigner(stage);
  const bool may_sign = available && review && next &&
                        ((*next == domain::Signer::kPerson && v.is_person) ||
                         (*next == domain::Signer::kManager && v.is_manager) ||
                         (*next == domain::Signer::kCountersigner && v.is_countersigner));
  const std::string k = std::string(domain::ReviewKindName(kind));
  json objectives = json::array();
  for (std::size_t i = 0; i < r.objectives.size(); ++i) {
    const std::string n = std::to_string(i);
    domain::ReviewEntry e;
    if (review && i < review->objectives.size()) e = review->objectives[i];
    objectives.push_back({{"n", n},
                          {"number", i + 1},
                          {"k", k},
                          {"text", r.objectives[i].text},
                          {"evidence", typed.Get("evidence-o-" + n, e.evidence)},
                          {"comment", typed.Get("comment-o-" + n, e.manager_comment)}});
  }
  json competencies = json::array();
  for (std::size_t i = 0; i < r.competencies.size(); ++i) {
    const std::string n = std::to_string(i);
    domain::ReviewEntry e;
    if (review && i < review->competencies.size()) e = review->competencies[i];
    const auto& item = r.competencies[i].item;
    json levels = json::array();
    const std::string chosen = typed.Get("level-c-" + n, e.level ? std::to_string(*e.level) : "");
    for (const auto& point : item.scale) {
      levels.push_back({{"value", point.value},
                        {"label", item.LevelLabel(point.value)},
                        {"selected", chosen == std::to_string(point.value)}});
    }
    competencies.push_back({{"n", n},
                            {"k", k},
                            {"title", item.title},
                            {"evidence", typed.Get("evidence-c-" + n, e.evidence)},
                            {"comment", typed.Get("comment-c-" + n, e.manager_comment)},
                            {"level_label", e.level ? item.LevelLabel(*e.level) : ""},
                            {"levels", levels},
                            {"rate", end && manager_writes}});
  }
  json scale = json::array();
  const std::string rating =
      typed.Get("rating", review && review->rating ? v.year.scale[*review->rating] : "");
  for (std::size_t i = 0; i < v.year.scale.size(); ++i) {
    scale.push_back({{"label", v.year.scale[i]}, {"n", i}, {"checked", rating == v.year.scale[i]}});
  }
  json out{{"kind", k},
           {"label", std::string(domain::ReviewKindLabel(kind))},
           {"end", end},
           {"started", review.has_value()},
           {"available", available},
           {"stage", std::string(domain::ReviewStageLabel(stage))},
           {"locked", stage == domain::ReviewStage::kCountersigned},
           {"person_writes", person_writes},
           {"manager_writes", manager_writes},
           {"writes", person_writes || manager_writes},
           {"may_sign", may_sign && !person_writes && !manager_writes},
           {"may_reopen", v.may_reopen && review && stage != domain::ReviewStage::kOpen},
           {"objectives", objectives},
           {"competencies", competencies},
           {"summary", typed.Get("summary", review ? review->summary : "")},
           {"scale", scale}};
  if (review) {
    out["person_signed_at"] = Date(review->person_signed_at);
    out["manager_signed_at"] = Date(review->manager_signed_at);
    out["manager_name"] = review->manager_name;
    out["countersigned_at"] = Date(review->countersigned_at);
    out["countersigner_name"] = review->countersigner_name;
    if (review->rating) out["rating"] = v.year.scale[*review->rating];
    if (review->moderated_rating) {
      out["moderated"] = v.year.scale[*review->moderated_rating];
      out["moderation_reason"] = review->moderation_reason;
      out["moderated_by"] = review->moderated_by_name;
    }
  }
  if (next && review) {
    out["next_signer"] = *next == domain::Signer::kPerson    ? "the person"
                         : *next == domain::Signer::kManager ? "the line manager"
                                                             : "the countersigning manager";
  }
  (void)errors;
  return out;
}

Response RecordPage(const Ctx& c, const Request& request, const app::Actor& actor, std::int64_t id,
                    const Form* form, const std::vector<Error>& errors, int status) {
  auto found = c->performance.GetRecord(actor, id);
  if (!found.ok()) return c->errors.ForError(request, found.error());
  const auto& v = *found;
  const auto& r = v.record;
  const Typed typed{form};
  const bool setting =
      r.status == domain::RecordStatus::kSetting && (v.is_person || v.is_manager) && !v.left;

  json objectives = json::array();
  for (const auto& o : r.objectives) {
    objectives.push_back(
        {{"text", o.text}, {"measure", o.measure}, {"due_on", o.due_on}, {"weight", o.weight}});
  }
  json rows = json::array();
  if (setting) {
    const std::size_t count = std::min<std::size_t>(
        domain::kObjectiveLimit, std::max<std::size_t>(3, r.objectives.size() + 1));
    for (std::size_t i = 0; i < count; ++i) {
      const std::string n = std::to_string(i);
      domain::Objective o;
      if (i < r.objectives.size()) o = r.objectives[i];
      rows.push_back({{"n", n},
                      {"number", i + 1},
                      {"text", typed.Get("objective-text-" + n, o.text)},
                      {"measure", typed.Get("objective-measure-" + n, o.measure)},
                      {"due_on", typed.Get("objective-due-on-" + n, o.due_on)},
                      {"weight", typed.Get("objective-weight-" + n,
                                           o.weight ? std::to_string(o.weight) : "")}});
    }
  }
  // Competencies: the chosen ones and, while setting, Pathway's proposals.
  json competencies = json::array();
  json choices = json::array();
  std::vector<std::string> offered;
  std::size_t n = 0;
  const auto offer = [&](const std::string& item_id, const std::string& title,
                         const std::string& reason, bool chosen, bool security) {
    if (std::find(offered.begin(), offered.end(), item_id) != offered.end()) return;
    offered.push_back(item_id);
    const std::string k = std::to_string(n++);
    const bool checked = form ? !typed.Get("competency-" + k, "").empty() : chosen;
    choices.push_back({{"n", k},
                       {"item_id", item_id},
                       {"title", title},
                       {"reason", reason},
                       {"checked", checked},
                       {"security", security}});
  };
  for (const auto& comp : r.competencies) {
    competencies.push_back({{"title", comp.item.title},
                            {"framework_title", comp.item.framework_title},
                            {"level", comp.level},
                            {"reason", comp.reason}});
    if (setting) offer(comp.item_id, comp.item.title, comp.reason, true, false);
  }
  if (setting) {
    auto proposals = c->performance.Propose(actor, id);
    if (proposals.ok()) {
      for (const auto& p : *proposals) {
        std::string reason;
        for (const auto& why : p.reasons) reason += (reason.empty() ? "" : "; ") + why;
        offer(p.item.item_id, p.item.title, reason, r.competencies.empty(), p.security);
      }
    }
  }
  const std::string typed_other = typed.Get("other-item", "");

  json view{{"id", r.id},
            {"record_id", r.id},
            {"year_name", r.year_name},
            {"person_name", r.person_name},
            {"person_id", r.person_id},
            {"own", v.is_person},
            {"objectives_due", v.year.objectives_due},
            {"midyear_due", v.year.midyear_due},
            {"endyear_due", v.year.endyear_due},
            {"agreed", r.status == domain::RecordStatus::kAgreed},
            {"agreed_at", Date(r.agreed_at)},
            {"person_agreed", !r.person_agreed_at.empty()},
            {"manager_agreed", !r.manager_agreed_at.empty()},
            {"setting", setting},
            {"left", v.left},
            {"objectives", objectives},
            {"has_objectives", !objectives.empty()},
            {"rows", rows},
            {"competencies", competencies},
            {"has_competencies", !competencies.empty()},
            {"choices", choices},
            {"other_item", typed_other},
            {"may_reopen_agreement", v.may_reopen && r.status == domain::RecordStatus::kAgreed},
            {"midyear", ReviewView(v, domain::ReviewKind::kMidYear, typed, errors)},
            {"endyear", ReviewView(v, domain::ReviewKind::kEndYear, typed, errors)},
            {"may_moderate", v.may_moderate && r.endyear && r.endyear->rating},
            {"reason", typed.Get("reason", "")}};
  json scale = json::array();
  for (const auto& label : v.year.scale) scale.push_back({{"label", label}});
  view["scale"] = scale;
  json reopenings = json::array();
  for (const auto& o : r.reopenings) {
    reopenings.push_back({{"what", o.what == "agreement" ? "Objectives and competencies"
                                   : o.what == "mid"     ? "Mid-year review"
                                                         : "End-year review"},
                          {"reason", o.reason},
                          {"by", o.by_name},
                          {"at", Date(o.at)}});
  }
  view["reopenings"] = reopenings;
  view["has_reopenings"] = !reopenings.empty();
  view["saved"] = request.QueryParam("saved").has_value();
  AddFieldErrors(view, errors, v.is_person);
  const std::string title = v.is_person ? "Your performance year " + r.year_name
                                        : "Performance year " + r.year_name + ": " + r.person_name;
  return Page(c, actor, "performance_record", title, view, "performance", status);
}

// Reads the agreement form: objective rows left wholly empty are skipped; `rows` maps
// each objective read to its row on the form, so that errors point at the right row.
void ReadAgreementForm(const Form& form, std::vector<domain::Objective>& objectives,
                       std::vector<std::size_t>& rows,
                       std::vector<domain::ChosenCompetency>& competencies,
                       std::vector<Error>& errors) {
  for (std::size_t i = 0; i < domain::kObjectiveLimit; ++i) {
    const std::string n = std::to_string(i);
    if (!form.contains("objective-text-" + n)) break;
    domain::Objective o;
    o.text = FormValue(form, "objective-text-" + n);
    o.measure = FormValue(form, "objective-measure-" + n);
    o.due_on = std::string(domain::Trim(FormValue(form, "objective-due-on-" + n)));
    const std::string weight = std::string(domain::Trim(FormValue(form, "objective-weight-" + n)));
    if (domain::Trim(o.text).empty() && domain::Trim(o.measure).empty() && o.due_on.empty() &&
        weight.empty()) {
      continue;
    }
    if (weight.empty() || weight.size() > 3 ||
        !std::all_of(weight.begin(), weight.end(),
                     [](char ch) { return ch >= '0' && ch <= '9'; })) {
      errors.push_back(Error::InvalidInput(
          fmt::format("objectives[{}].weight", i),
          fmt::format("Give objective {} a weight: a whole number from 1 to 100", i + 1)));
      continue;
    }
    o.weight = std::stoi(weight);
    objectives.push_back(std::move(o));
    rows.push_back(i);
  }
  for (std::size_t i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i);
    if (!form.contains("item-" + n)) break;
    if (FormValue(form, "competency-" + n).empty()) continue;
    competencies.push_back({FormValue(form, "item-" + n), FormValue(form, "reason-" + n), {}, 0});
  }
  const std::string other = std::string(domain::Trim(FormValue(form, "other-item")));
  if (!other.empty()) competencies.push_back({other, "Chosen by you", {}, 0});
}

// "objectives[k].x" of the k-th objective read → "objectives[row].x".
Error ToRow(Error error, const std::vector<std::size_t>& rows) {
  if (!error.field.starts_with("objectives[")) return error;
  const auto close = error.field.find(']');
  if (close == std::string::npos) return error;
  const std::string k = error.field.substr(11, close - 11);
  if (k.empty() || k.size() > 2 ||
      !std::all_of(k.begin(), k.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return error;
  }
  const auto index = static_cast<std::size_t>(std::stoi(k));
  if (index < rows.size())
    error.field = fmt::format("objectives[{}]{}", rows[index], error.field.substr(close + 1));
  return error;
}

// The review form: the person's evidence or the manager's comments, levels, summary
// and rating, for every objective and competency on the page.
app::ReviewSubmission ReadReviewForm(const Form& form, domain::ReviewKind kind,
                                     std::vector<Error>& errors) {
  app::ReviewSubmission part;
  part.kind = kind;
  const auto entries = [&](const char* letter, std::vector<domain::ReviewEntry>& out, bool levels) {
    for (std::size_t i = 0; i < 20; ++i) {
      const std::string n = std::to_string(i);
      const std::string evidence = std::string("evidence-") + letter + "-" + n;
      const std::string comment = std::string("comment-") + letter + "-" + n;
      if (!form.contains(evidence) && !form.contains(comment)) break;
      domain::ReviewEntry e;
      e.evidence = FormValue(form, evidence);
      e.manager_comment = FormValue(form, comment);
      if (levels) {
        const std::string level = std::string(domain::Trim(FormValue(form, "level-c-" + n)));
        if (!level.empty()) {
          if (level.size() == 1 && level[0] >= '1' && level[0] <= '9') {
            e.level = level[0] - '0';
          } else {
            errors.push_back(
                Error::InvalidInput(fmt::format("competencies[{}].level", i), "Choose a level"));
          }
        }
      }
      out.push_back(std::move(e));
    }
  };
  entries("o", part.objectives, false);
  entries("c", part.competencies, true);
  part.summary = FormValue(form, "summary");
  part.rating = FormValue(form, "rating");
  return part;
}

bool Shown(const Error& error) {
  return error.code == ErrorCode::kInvalidInput || error.code == ErrorCode::kConflict ||
         (error.code == ErrorCode::kForbidden && !error.field.empty());
}

// ---------- the hub, a year, moderation ----------

Response HubPage(const Ctx& c, const Request& request, const app::Actor& actor, const Form* form,
                 const std::vector<Error>& errors, int status) {
  json view{{"opened", request.QueryParam("opened").has_value()}};
  auto own = c->performance.OwnLatestRecord(actor);
  if (!own.ok()) return c->errors.ForError(request, own.error());
  if (*own) {
    view["own_record"] = **own;
    auto record = c->performance.GetRecord(actor, **own);
    if (record.ok()) {
      view["own_year"] = record->record.year_name;
      view["own_status"] = record->record.status == domain::RecordStatus::kAgreed
                               ? "Objectives agreed"
                               : "Objectives to agree by " + record->year.objectives_due;
      // The manager's team for the same year.
      if (actor.HasRole(domain::Role::kLineManager)) {
        auto team = c->performance.Team(actor, record->record.year_id);
        if (team.ok()) {
          json rows = json::array();
          for (const auto& p : *team) {
            std::string overdue;
            for (const auto& o : p.overdue) overdue += (overdue.empty() ? "" : ", ") + o;
            rows.push_back(
                {{"record", p.record_id},
                 {"name", p.person_name},
                 {"unit", p.unit},
                 {"agreed", p.agreed ? "Agreed" : "Not agreed"},
                 {"midyear", p.midyear_started ? std::string(domain::ReviewStageLabel(p.midyear))
                                               : "Not started"},
                 {"endyear", p.endyear_started ? std::string(domain::ReviewStageLabel(p.endyear))
                                               : "Not started"},
                 {"overdue", overdue}});
          }
          view["team"] = rows;
          view["has_team"] = !rows.empty();
        }
      }
    }
  }
  auto years = c->performance.ListYears(actor);
  if (!years.ok()) return c->errors.ForError(request, years.error());
  json year_rows = json::array();
  for (const auto& y : *years) {
    std::string departments;
    for (const auto& d : y.departments) departments += (departments.empty() ? "" : ", ") + d;
    year_rows.push_back({{"id", y.id},
                         {"name", y.name},
                         {"departments", departments},
                         {"people", y.people},
                         {"starts_on", y.starts_on},
                         {"endyear_due", y.endyear_due}});
  }
  view["years"] = year_rows;
  view["has_years"] = !year_rows.empty();
  const bool hr =
      actor.HasRole(domain::Role::kHrPartner) || actor.HasRole(domain::Role::kAdministrator);
  view["may_open"] = hr;
  std::string default_department;
  std::string own_departments;  // an HR partner's, for the hint
  for (const auto& grant : actor.grants) {
    if (grant.role == domain::Role::kHrPartner && !grant.scope.empty()) {
      default_department = grant.scope;
      own_departments += (own_departments.empty() ? "" : ", ") + grant.scope;
    }
  }
  if (hr) {
    // The hint shows codes that exist: the HR partner's own, or some of the organisation's.
    std::string examples = own_departments;
    if (examples.empty()) {
      auto scopes = c->identity.ExampleScopes();
      if (!scopes.ok()) return c->errors.ForError(request, scopes.error());
      examples = scopes->departments;
    }
    view["department_examples"] = examples;
  }
  const Typed typed{form};
  view["typed_name"] = typed.Get("name", "");
  view["typed_departments"] = typed.Get("departments", default_department);
  view["typed_starts_on"] = typed.Get("starts-on", "");
  view["typed_objectives_due"] = typed.Get("objectives-due", "");
  view["typed_midyear_due"] = typed.Get("midyear-due", "");
  view["typed_endyear_due"] = typed.Get("endyear-due", "");
  view["typed_scale"] = typed.Get("scale", "");
  AddFieldErrors(view, errors, false);
  return Page(c, actor, "performance_hub", "Performance year", view, "performance", status);
}

std::vector<std::string> SplitList(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find(separator, start);
    const std::string part(domain::Trim(
        text.substr(start, end == std::string::npos ? std::string::npos : end - start)));
    if (!part.empty()) out.push_back(part);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string DepartmentParam(const Request& request) {
  auto q = request.QueryParam("department");
  if (!q) return {};
  return std::string(domain::Trim(*q));
}

Response YearPage(const Ctx& c, const Request& request, const app::Actor& actor, std::int64_t id) {
  auto year = c->performance.GetYear(actor, id);
  if (!year.ok()) return c->errors.ForError(request, year.error());
  const std::string department = DepartmentParam(request);
  auto completion = c->performance.Completion(actor, id, department);
  if (!completion.ok()) return c->errors.ForError(request, completion.error());
  json rows = json::array();
  domain::UnitCompletion total{"All units", 0, 0, 0, 0};
  for (const auto& u : *completion) {
    rows.push_back({{"unit", u.unit},
                    {"people", u.people},
                    {"agreed", u.agreed},
                    {"midyear", u.midyear_done},
                    {"endyear", u.endyear_done},
                    {"agreed_share", fmt::format("{:.1f}", domain::Share(u.agreed, u.people))}});
    total.people += u.people;
    total.agreed += u.agreed;
    total.midyear_done += u.midyear_done;
    total.endyear_done += u.endyear_done;
  }
  json departments = json::array();
  for (const auto& d : year->departments)
    departments.push_back({{"code", d}, {"selected", d == department}});
  json view{{"id", id},
            {"name", year->name},
            {"starts_on", year->starts_on},
            {"objectives_due", year->objectives_due},
            {"midyear_due", year->midyear_due},
            {"endyear_due", year->endyear_due},
            {"people", year->people},
            {"rows", rows},
            {"total",
             {{"people", total.people},
              {"agreed", total.agreed},
              {"midyear", total.midyear_done},
              {"endyear", total.endyear_done}}},
            {"departments", departments},
            {"many_departments", year->departments.size() > 1},
            {"department_query", department.empty() ? "" : "?department=" + UrlEncode(department)}};
  return Page(c, actor, "performance_year", "Performance year " + year->name, view, "performance");
}

Response ModerationPage(const Ctx& c, const Request& request, const app::Actor& actor,
                        std::int64_t id, bool api) {
  const std::string department = DepartmentParam(request);
  if (department.size() > domain::kMaxCodeLength) {
    return c->errors.ForError(
        request, Error::InvalidInput("department", "Choose one of the year's departments"));
  }
  auto moderation = c->performance.GetModeration(actor, id, department);
  if (!moderation.ok()) return c->errors.ForError(request, moderation.error());
  const auto& m = *moderation;
  const bool csv = request.QueryParam("format") == std::optional<std::string>("csv") ||
                   (api && request.Header("accept").starts_with("text/csv"));
  if (csv) {
    Response response = Response::Text(200, ModerationCsv(m), "text/csv; charset=utf-8");
    response.SetHeader(
        "Content-Disposition",
        fmt::format("attachment; filename=\"moderation-{}-{}.csv\"", id, UrlEncode(m.whole.key)));
    return response;
  }
  if (api) return JsonResponse(200, ModerationJson(m));
  json header = json::array();
  for (const auto& label : m.scale) header.push_back({{"label", label}});
  const auto cells = [&](const domain::RatingGroup& g) {
    json out = json::array();
    for (std::size_t i = 0; i < m.scale.size(); ++i) {
      const auto count = i < g.counts.size() ? g.counts[i] : 0;
      const double share = domain::Share(count, g.total());
      const double whole = domain::Share(m.whole.counts[i], m.whole.total());
      out.push_back({{"count", count},
                     {"share", fmt::format("{:.1f}", share)},
                     {"differs", g.total() > 0 && std::abs(share - whole) >= 10.0}});
    }
    return out;
  };
  json sections = json::array();
  for (const char* dimension : {"grade", "profession", "unit"}) {
    json rows = json::array();
    for (const auto& g : m.groups) {
      if (g.dimension != dimension) continue;
      rows.push_back({{"label", g.label}, {"rated", g.total()}, {"cells", cells(g)}});
    }
    const std::string name = dimension;
    sections.push_back({{"title", "By " + name}, {"rows", rows}, {"has_rows", !rows.empty()}});
  }
  std::string csv_href = fmt::format("/performance/years/{}/moderation?format=csv", id);
  if (!department.empty()) csv_href += "&department=" + UrlEncode(department);
  json view{{"id", id},
            {"year_name", m.year_name},
            {"department", m.whole.key},
            {"people", m.people},
            {"rated", m.whole.total()},
            {"header", header},
            {"whole", cells(m.whole)},
            {"chart", ModerationChartSvg(m)},
            {"sections", sections},
            {"csv_href", csv_href}};
  return Page(c, actor, "performance_moderation", "Moderation: " + m.year_name, view,
              "performance");
}

// ---------- registration ----------

void RegisterPages(Router& router, const Ctx& c) {
  router.Add("GET", "/performance", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    return HubPage(c, request, actor, nullptr, {}, 200);
  });
  router.SetAction("performance.read");

  router.Add("POST", "/performance/years", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& fields = std::get<Form>(form);
    domain::PerformanceYearSpec spec;
    spec.name = FormValue(fields, "name");
    spec.departments = SplitList(FormValue(fields, "departments"), ',');
    spec.starts_on = std::string(domain::Trim(FormValue(fields, "starts-on")));
    spec.objectives_due = std::string(domain::Trim(FormValue(fields, "objectives-due")));
    spec.midyear_due = std::string(domain::Trim(FormValue(fields, "midyear-due")));
    spec.endyear_due = std::string(domain::Trim(FormValue(fields, "endyear-due")));
    spec.scale = SplitList(FormValue(fields, "scale"), ',');
    auto opened = c->performance.OpenYear(actor, spec);
    if (opened.ok()) return Redirect(fmt::format("/performance/years/{}?opened", opened->id));
    if (!Shown(opened.error())) return c->errors.ForError(request, opened.error());
    std::vector<Error> errors{opened.error()};
    if (opened.error().code == domain::ErrorCode::kInvalidInput) {
      // Every empty field at once, not one per submission (the use case stops at the
      // first; a refused actor never gets here).
      auto missing =
          MissingFields(fields, {{"name", "Enter a name for the year"},
                                 {"departments", "Enter at least one department code"},
                                 {"starts-on", "Enter the start date"},
                                 {"objectives-due", "Enter the date objectives are agreed by"},
                                 {"midyear-due", "Enter the date of the mid-year review"},
                                 {"endyear-due", "Enter the date of the end-year review"}});
      if (!missing.empty()) errors = std::move(missing);
    }
    return HubPage(c, request, actor, &fields, errors, 422);
  });
  router.SetAction("performance.open");

  router.Add("GET", "/performance/years/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return YearPage(c, request, actor, *id);
  });
  router.SetAction("performance.moderate");

  router.Add("GET", "/performance/years/{id}/moderation", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return ModerationPage(c, request, actor, *id, false);
  });
  router.SetAction("performance.moderate");

  router.Add("GET", "/performance/records/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    return RecordPage(c, request, actor, *id, nullptr, {}, 200);
  });
  router.SetAction("performance.read");

  router.Add("POST", "/performance/records/{id}/agreement", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor,
                            {"objective-text-*", "objective-measure-*"});
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& fields = std::get<Form>(form);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    std::vector<domain::Objective> objectives;
    std::vector<std::size_t> rows;
    std::vector<domain::ChosenCompetency> competencies;
    std::vector<Error> errors;
    ReadAgreementForm(fields, objectives, rows, competencies, errors);
    if (!errors.empty()) return RecordPage(c, request, actor, *id, &fields, errors, 422);
    auto agreed = c->performance.Agree(actor, *id, objectives, competencies);
    if (agreed.ok()) return Redirect(fmt::format("/performance/records/{}?saved", *id));
    if (!Shown(agreed.error())) return c->errors.ForError(request, agreed.error());
    return RecordPage(c, request, actor, *id, &fields, {ToRow(agreed.error(), rows)}, 422);
  });
  router.SetAction("performance.agree");

  router.Add("POST", "/performance/records/{id}/review", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form =
        CheckedForm(c->identity, c->errors, request, actor,
                    {"evidence-o-*", "evidence-c-*", "comment-o-*", "comment-c-*", "summary"});
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& fields = std::get<Form>(form);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    auto kind = ReadKind(FormValue(fields, "kind"));
    if (!kind.ok()) return c->errors.ForError(request, kind.error());
    const std::string action = FormValue(fields, "action");
    Status done = domain::Ok{};
    if (action != "sign-only") {
      std::vector<Error> errors;
      auto part = ReadReviewForm(fields, *kind, errors);
      if (!errors.empty()) return RecordPage(c, request, actor, *id, &fields, errors, 422);
      done = c->performance.SubmitReview(actor, *id, part);
    }
    if (done.ok() && (action == "sign" || action == "sign-only")) {
      auto signed_stage = c->performance.SignReview(actor, *id, *kind);
      if (!signed_stage.ok()) done = signed_stage.error();
    }
    if (done.ok())
      return Redirect(
          fmt::format("/performance/records/{}?saved#{}", *id, domain::ReviewKindName(*kind)));
    if (!Shown(done.error())) return c->errors.ForError(request, done.error());
    return RecordPage(c, request, actor, *id, &fields, {done.error()}, 422);
  });
  router.SetAction("performance.review");

  router.Add("POST", "/performance/records/{id}/reopen", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor, {"reason"});
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& fields = std::get<Form>(form);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    const std::string what = FormValue(fields, "what");
    const std::string reason = FormValue(fields, "reason");
    Status done = domain::Ok{};
    if (what == "agreement") {
      done = c->performance.ReopenAgreement(actor, *id, reason);
    } else {
      auto kind = ReadKind(what);
      if (!kind.ok()) return c->errors.ForError(request, kind.error());
      done = c->performance.ReopenReview(actor, *id, *kind, reason);
    }
    if (done.ok()) return Redirect(fmt::format("/performance/records/{}?saved", *id));
    if (!Shown(done.error())) return c->errors.ForError(request, done.error());
    return RecordPage(c, request, actor, *id, &fields, {done.error()}, 422);
  });
  router.SetAction("performance.reopen");

  router.Add("POST", "/performance/records/{id}/moderation", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor, {"reason"});
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& fields = std::get<Form>(form);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    auto done = c->performance.Moderate(actor, *id, FormValue(fields, "rating"),
                                        FormValue(fields, "reason"));
    if (done.ok()) return Redirect(fmt::format("/performance/records/{}?saved", *id));
    if (!Shown(done.error())) return c->errors.ForError(request, done.error());
    return RecordPage(c, request, actor, *id, &fields, {done.error()}, 422);
  });
  router.SetAction("performance.moderate");
}

void RegisterApi(Router& router, const Ctx& c) {
  router.Add("POST", "/api/v1/performance-years", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused =
            RefuseCrossOrigin(c->identity, actor, request, "POST /api/v1/performance-years"))
      return std::move(*refused);
    auto read = ReadJsonBody(request, "the performance year", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    domain::PerformanceYearSpec spec;
    auto text = [&](const char* name, std::string& out, const char* message) -> Status {
      PATHWAY_ASSIGN_OR_RETURN(out, ReadText(body, name, message));
      return domain::Ok{};
    };
    for (auto [name, target] :
         {std::pair{"name", &spec.name}, std::pair{"starts_on", &spec.starts_on},
          std::pair{"objectives_due", &spec.objectives_due},
          std::pair{"midyear_due", &spec.midyear_due},
          std::pair{"endyear_due", &spec.endyear_due}}) {
      if (auto ok = text(name, *target, "Send this as text"); !ok.ok())
        return c->errors.ForError(request, ok.error());
    }
    for (auto [name, target] :
         {std::pair{"departments", &spec.departments}, std::pair{"scale", &spec.scale}}) {
      auto member = body.Member(name);
      if (!member) continue;
      auto list = member->Array(20, "Send 20 values or fewer");
      if (!list.ok()) return c->errors.ForError(request, list.error());
      for (const auto& v : *list) {
        auto s = v.String("Send each value as text");
        if (!s.ok()) return c->errors.ForError(request, s.error());
        target->push_back(*s);
      }
    }
    auto opened = c->performance.OpenYear(actor, spec);
    if (!opened.ok()) return c->errors.ForError(request, opened.error());
    Response response = JsonResponse(201, YearJson(*opened));
    response.SetHeader("Location", fmt::format("/api/v1/performance-years/{}", opened->id));
    return response;
  });
  router.SetAction("performance.open");

  router.Add("GET", "/api/v1/performance-years/{id}/moderation", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    return ModerationPage(c, request, actor, *id, true);
  });
  router.SetAction("performance.moderate");

  router.Add("GET", "/api/v1/people/{id}/performance-record", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto person = ParseId(request.path_params.at("id"));
    if (!person) return ProblemResponse(404, "not-found", "");
    auto record = c->performance.LatestRecordOfPerson(actor, *person);
    if (!record.ok()) return c->errors.ForError(request, record.error());
    return JsonResponse(200, RecordJson(*record));
  });
  router.SetAction("performance.read");

  router.Add("GET", "/api/v1/performance-records/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto record = c->performance.GetRecord(actor, *id);
    if (!record.ok()) return c->errors.ForError(request, record.error());
    return JsonResponse(200, RecordJson(*record));
  });
  router.SetAction("performance.read");

  router.Add("GET", "/api/v1/performance-records/{id}/proposed-competencies",
             [c](Request& request) {
               const app::Actor actor = ResolveActor(c->identity, request);
               if (!actor.signed_in()) return ApiUnauthenticated();
               const auto id = ParseId(request.path_params.at("id"));
               if (!id) return ProblemResponse(404, "not-found", "");
               auto proposals = c->performance.Propose(actor, *id);
               if (!proposals.ok()) return c->errors.ForError(request, proposals.error());
               json list = json::array();
               for (const auto& p : *proposals) list.push_back(ProposalJson(p));
               return JsonResponse(200, json{{"record", *id}, {"competencies", list}});
             });
  router.SetAction("performance.read");

  router.Add("POST", "/api/v1/performance-records/{id}/agreement", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/performance-records/{id}/agreement")) {
      return std::move(*refused);
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto read = ReadJsonBody(request, "the objectives and competencies", 422, {"text", "measure"});
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto objectives = ReadObjectives(body);
    if (!objectives.ok()) return c->errors.ForError(request, objectives.error());
    auto competencies = ReadCompetencies(body);
    if (!competencies.ok()) return c->errors.ForError(request, competencies.error());
    auto agreed = c->performance.Agree(actor, *id, *objectives, *competencies);
    if (!agreed.ok()) return c->errors.ForError(request, agreed.error());
    auto record = c->performance.GetRecord(actor, *id);
    if (!record.ok()) return c->errors.ForError(request, record.error());
    json out = RecordJson(*record);
    out["changed"] = agreed->changed;
    return JsonResponse(200, out);
  });
  router.SetAction("performance.agree");

  router.Add("POST", "/api/v1/performance-records/{id}/reviews", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/performance-records/{id}/reviews")) {
      return std::move(*refused);
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto read = ReadJsonBody(request, "the review", 422, {"evidence", "comment", "summary"});
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto kind_text = ReadText(body, "kind", "Choose the review: mid or end");
    if (!kind_text.ok()) return c->errors.ForError(request, kind_text.error());
    auto kind = ReadKind(*kind_text);
    if (!kind.ok()) return c->errors.ForError(request, kind.error());
    app::ReviewSubmission part;
    part.kind = *kind;
    auto objectives = ReadEntries(body, "objectives", domain::kObjectiveLimit);
    if (!objectives.ok()) return c->errors.ForError(request, objectives.error());
    part.objectives = std::move(*objectives);
    auto competencies = ReadEntries(body, "competencies", domain::kCompetencyLimit);
    if (!competencies.ok()) return c->errors.ForError(request, competencies.error());
    part.competencies = std::move(*competencies);
    auto summary = ReadText(body, "summary", "Enter the summary as text");
    if (!summary.ok()) return c->errors.ForError(request, summary.error());
    part.summary = *summary;
    auto rating = ReadText(body, "rating", "Send the rating as a label of the year's scale");
    if (!rating.ok()) return c->errors.ForError(request, rating.error());
    part.rating = *rating;
    auto saved = c->performance.SubmitReview(actor, *id, part);
    if (!saved.ok()) return c->errors.ForError(request, saved.error());
    auto record = c->performance.GetRecord(actor, *id);
    if (!record.ok()) return c->errors.ForError(request, record.error());
    return JsonResponse(200, RecordJson(*record));
  });
  router.SetAction("performance.review");

  router.Add("POST", "/api/v1/performance-records/{id}/signatures", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/performance-records/{id}/signatures")) {
      return std::move(*refused);
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto read = ReadJsonBody(request, "the signature", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto kind_text = ReadText(body, "kind", "Choose the review: mid or end");
    if (!kind_text.ok()) return c->errors.ForError(request, kind_text.error());
    auto kind = ReadKind(*kind_text);
    if (!kind.ok()) return c->errors.ForError(request, kind.error());
    auto stage = c->performance.SignReview(actor, *id, *kind);
    if (!stage.ok()) return c->errors.ForError(request, stage.error());
    return JsonResponse(200, json{{"record", *id},
                                  {"kind", domain::ReviewKindName(*kind)},
                                  {"stage", domain::ReviewStageName(*stage)}});
  });
  router.SetAction("performance.review");

  router.Add("POST", "/api/v1/performance-records/{id}/reopenings", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/performance-records/{id}/reopenings")) {
      return std::move(*refused);
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto read = ReadJsonBody(request, "the reopening", 422, {"reason"});
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto what = ReadText(body, "what", "Choose what to reopen: agreement, mid or end");
    if (!what.ok()) return c->errors.ForError(request, what.error());
    auto reason = ReadText(body, "reason", "Enter the reason as text");
    if (!reason.ok()) return c->errors.ForError(request, reason.error());
    Status done = domain::Ok{};
    if (*what == "agreement") {
      done = c->performance.ReopenAgreement(actor, *id, *reason);
    } else {
      auto kind = domain::ParseReviewKind(*what);
      if (!kind)
        return ProblemResponse(422, "invalid-input", "Choose what to reopen: agreement, mid or end",
                               "what");
      done = c->performance.ReopenReview(actor, *id, *kind, *reason);
    }
    if (!done.ok()) return c->errors.ForError(request, done.error());
    return JsonResponse(200, json{{"record", *id}, {"reopened", *what}});
  });
  router.SetAction("performance.reopen");

  router.Add("POST", "/api/v1/performance-records/{id}/moderation", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (auto refused = RefuseCrossOrigin(c->identity, actor, request,
                                         "POST /api/v1/performance-records/{id}/moderation")) {
      return std::move(*refused);
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto read = ReadJsonBody(request, "the moderation", 422, {"reason"});
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    const JsonField body(std::get<json>(read), "");
    auto rating = ReadText(body, "rating", "Send the rating as a label of the year's scale");
    if (!rating.ok()) return c->errors.ForError(request, rating.error());
    auto reason = ReadText(body, "reason", "Enter the reason as text");
    if (!reason.ok()) return c->errors.ForError(request, reason.error());
    auto done = c->performance.Moderate(actor, *id, *rating, *reason);
    if (!done.ok()) return c->errors.ForError(request, done.error());
    auto record = c->performance.GetRecord(actor, *id);
    if (!record.ok()) return c->errors.ForError(request, record.error());
    return JsonResponse(200, RecordJson(*record));
  });
  router.SetAction("performance.moderate");
}

}  // namespace

void RegisterPerformanceRoutes(Router& router, const PerformanceRoutesContext& context) {
  const auto c = std::make_shared<const PerformanceRoutesContext>(context);
  RegisterPages(router, c);
  RegisterApi(router, c);
}

}  // namespace pathway::web
