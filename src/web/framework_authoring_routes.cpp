#include "web/framework_authoring_routes.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "app/passwords.hpp"
#include "app/secrets.hpp"
#include "domain/framework.hpp"
#include "domain/framework_edit.hpp"
#include "domain/text.hpp"
#include "interchange/case_json.hpp"
#include "interchange/framework_csv.hpp"
#include "interchange/framework_document.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/multipart.hpp"
#include "web/pages.hpp"

namespace pathway::web {
namespace {

using domain::Error;
using domain::ErrorCode;
using domain::Framework;
using domain::Status;
using nlohmann::json;
using Ctx = std::shared_ptr<const FrameworkAuthoringRoutesContext>;

using domain::kMaxTagLength;
using domain::kMaxTags;
constexpr int kMaxItemNumber = 999;
constexpr int kMaxLevel = 99;

// Where errors that belong to no field of a form link to: the draft's status, at the
// top of the editor.
constexpr std::string_view kDraftStatus = domain::kDraftStatusField;

// ---------- small helpers (minimal copies of framework_routes.cpp's private ones) ----------

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page,
              const std::string& title, const json& view, int status = 200) {
  const bool has_errors = view.value("has_errors", false);
  return Response::Html(status, RenderPage(c->templates, c->asset_base, page, title, view,
                                           has_errors, ChromeFor(actor, "frameworks")));
}

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

// A whole number from `low` to `high` written in digits alone, or nullopt.
std::optional<int> ParseWhole(std::string_view text, int low, int high) {
  if (text.empty() || text.size() > 6) return std::nullopt;
  const auto number = ParseId(text);
  if (!number || *number < low || *number > high) return std::nullopt;
  return static_cast<int>(*number);
}

std::string VersionHref(const std::string& id, int version) {
  return fmt::format("/frameworks/{}/versions/{}", id, version);
}
std::string EditorHref(const std::string& id, int version) {
  return VersionHref(id, version) + "/edit";
}
// The editor's page for one item (its levels and indicators); `base` is VersionHref.
std::string ItemPageHref(const std::string& base, std::string_view item) {
  return fmt::format("{}/edit/items/{}", base, item);
}

// A new object's id: a random (version 4) UUID from the operating system's randomness.
std::string NewId() {
  app::EnsureSodium();
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return domain::RandomUuid(bytes);
}

std::string Thousands(std::size_t n) {
  std::string digits = std::to_string(n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(at, ",");
  return digits;
}

// The editor's fields that are text areas (read with Lines); every other field is one line.
const std::initializer_list<std::string_view> kMultiLineFields = {"description", "text",
                                                                  "replaces"};

// A one-line field as typed, a pasted tab as a space, without white space around it.
std::string Line(const Form& form, const std::string& name) {
  return domain::NameAsTyped(FormValue(form, name));
}

// A multi-line field: lines end in "\n" alone; no white space around the whole text.
std::string Lines(const Form& form, const std::string& name) {
  std::string text = FormValue(form, name);
  std::erase(text, '\r');
  return std::string(domain::Trim(text));
}

// Paragraphs separated by a blank line, each as one string.
json Paragraphs(std::string_view text) {
  json paragraphs = json::array();
  std::string current;
  auto flush = [&] {
    if (!current.empty()) paragraphs.push_back(current);
    current.clear();
  };
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string line(domain::Trim(text.substr(0, newline)));
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
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

std::string KindLabel(domain::FrameworkKind kind) {
  switch (kind) {
    case domain::FrameworkKind::kCompetency:
      return "Competency framework";
    case domain::FrameworkKind::kBehaviours:
      return "Behaviours framework";
    case domain::FrameworkKind::kStrengths:
      return "Strengths framework";
    case domain::FrameworkKind::kCareer:
      return "Career framework";
    case domain::FrameworkKind::kTechnical:
      return "Technical framework";
  }
  return "Framework";
}

// What the framework calls its items (domain::ItemNoun), as a string to build on.
std::string Noun(domain::FrameworkKind kind) { return std::string(domain::ItemNoun(kind)); }

// "competency" or "competencies", "behaviour" or "behaviours"...
using domain::ItemsNoun;

std::string Quoted(std::string_view text) { return std::string("‘").append(text).append("’"); }

// ---------- checking what was typed ----------

// Collects the problems with one form's fields, in the order of the form.
class FieldCheck {
 public:
  // `text` must not be blank and must have at most `max` characters.
  void Required(const std::string& field, std::string_view text, std::size_t max,
                std::string missing, std::string_view what) {
    if (text.empty()) {
      Add(field, std::move(missing));
    } else {
      Length(field, text, max, what);
    }
  }
  void Length(const std::string& field, std::string_view text, std::size_t max,
              std::string_view what) {
    if (CharacterCount(text) > max) {
      Add(field, fmt::format("{} must be {} characters or fewer", what, Thousands(max)));
    }
  }
  void Add(const std::string& field, std::string message) {
    errors_.push_back(Error::InvalidInput(field, std::move(message)));
  }
  bool ok() const { return errors_.empty(); }
  std::vector<Error> take() { return std::move(errors_); }

 private:
  std::vector<Error> errors_;
};

// ---------- finding things in a draft ----------
// The rules (finding, moving, renumbering, "gone" and "at the end" refusals) live in
// domain/framework_edit; the editor only parses forms into their arguments.

using domain::FindCluster;
using domain::FindIndicator;
using domain::FindItem;
using domain::Gone;
using domain::Renumber;

// ---------- the open form ----------

// The editor shows one form at a time besides "Add a cluster": the one a link asked
// for, or the one whose submission was refused, with what was typed.
enum class FormKind {
  kNone,
  kAddCluster,
  kEditCluster,
  kAddItem,
  kEditItem,
  kAddLevel,
  kEditLevel,
  kAddIndicator,
  kEditIndicator,
  kEditUnresolved,  // ?edit=<id>: a cluster, an item or an indicator, found when shown
};

struct OpenForm {
  FormKind kind = FormKind::kNone;
  std::string target;         // the cluster, item or indicator the form changes or adds to
  int level = 0;              // kEditLevel: the level descriptor's number
  std::optional<Form> typed;  // what was sent, to show again; otherwise the saved values
};

// The fields of each form, the one to link to by default first.
const std::vector<std::string>& FieldsOf(FormKind kind) {
  static const std::map<FormKind, std::vector<std::string>> kFields{
      {FormKind::kNone, {}},
      {FormKind::kAddCluster, {"title", "subtitle", "description"}},
      {FormKind::kEditCluster, {"title", "subtitle", "description"}},
      {FormKind::kAddItem, {"title", "number", "description"}},
      {FormKind::kEditItem, {"title", "number", "description"}},
      {FormKind::kAddLevel, {"level", "label", "description"}},
      {FormKind::kEditLevel, {"label", "description"}},
      {FormKind::kAddIndicator, {"text", "kind", "level", "tags"}},
      {FormKind::kEditIndicator, {"text", "kind", "level", "tags"}},
      {FormKind::kEditUnresolved, {}}};
  return kFields.at(kind);
}

// The id of a form's field on the page. "Add a cluster" is always on the page, beside
// whichever other form is open, so its fields have their own ids.
std::string FieldId(FormKind kind, std::string_view name) {
  return (kind == FormKind::kAddCluster ? "new-cluster-" : "") + std::string(name);
}

// The field of the open form that a validation problem of the whole draft is about:
// "clusters[0].items[2].indicators[4].text" is the "text" field.
std::string FieldFor(const std::string& path, FormKind kind) {
  const auto& fields = FieldsOf(kind);
  if (fields.empty()) return std::string(kDraftStatus);
  const auto dot = path.rfind('.');
  const std::string last = dot == std::string::npos ? path : path.substr(dot + 1);
  const bool known = std::find(fields.begin(), fields.end(), last) != fields.end();
  return FieldId(kind, known ? last : fields.front());
}

// ---------- what each form does to the draft ----------

// What an edit reports back for the redirect or the error summary.
struct Change {
  std::string verb = "changed";  // for the notice: "added", "changed", "moved-up"...
  std::string anchor;            // the element the editor goes to afterwards
  std::string item;              // the item whose page that is; empty for the first page
  std::vector<Error> field_errors;
};

using Apply = std::function<Status(Framework&, const Form&, const Request&, Change&)>;

// Refuses the edit with the first of `check`'s problems; the handler shows them all.
// A domain refusal that names a form field is shown beside that field; other errors
// (gone, at the end) pass through.
Status ShowFieldError(Status status, Change& change) {
  if (!status.ok() && status.error().code == ErrorCode::kInvalidInput) {
    change.field_errors = {status.error()};
  }
  return status;
}

Status Refuse(FieldCheck& check, Change& change) {
  change.field_errors = check.take();
  const Error& first = change.field_errors.front();
  return Error::InvalidInput(first.field, first.message);
}

using ClusterFields = domain::ClusterText;

std::optional<ClusterFields> ReadCluster(const Form& form, FormKind kind, FieldCheck& check) {
  ClusterFields fields{Line(form, "title"), Line(form, "subtitle"), Lines(form, "description")};
  check.Required(FieldId(kind, "title"), fields.title, kMaxAuthoredTitle,
                 "Enter a title for the cluster", "Title");
  check.Length(FieldId(kind, "subtitle"), fields.subtitle, kMaxAuthoredTitle, "Subtitle");
  check.Length(FieldId(kind, "description"), fields.description, kMaxAuthoredDescription,
               "Description");
  if (!check.ok()) return std::nullopt;
  return fields;
}

using ItemFields = domain::ItemText;

std::optional<ItemFields> ReadItem(const Form& form, const std::string& noun, FieldCheck& check) {
  ItemFields fields{0, Line(form, "title"), Lines(form, "description")};
  check.Required("title", fields.title, kMaxAuthoredTitle, "Enter a title for the " + noun,
                 "Title");
  const std::string number = Line(form, "number");
  if (!number.empty()) {
    const auto parsed = ParseWhole(number, 1, kMaxItemNumber);
    if (!parsed) {
      check.Add("number", fmt::format("Number must be a whole number from 1 to {}, or leave it "
                                      "empty",
                                      kMaxItemNumber));
    } else {
      fields.number = *parsed;
    }
  }
  check.Length("description", fields.description, kMaxAuthoredDescription, "Description");
  if (!check.ok()) return std::nullopt;
  return fields;
}

using IndicatorFields = domain::IndicatorText;

bool TagCharactersOk(std::string_view tag) {
  return std::all_of(tag.begin(), tag.end(), [](char ch) {
    const auto byte = static_cast<unsigned char>(ch);
    return std::isalnum(byte) || ch == ' ' || ch == '-' || byte >= 0x80;
  });
}

std::optional<IndicatorFields> ReadIndicator(const Form& form, FieldCheck& check) {
  IndicatorFields fields;
  const std::string kind = FormValue(form, "kind");
  if (kind == "effective") {
    fields.kind = domain::IndicatorKind::kEffective;
  } else if (kind == "ineffective") {
    fields.kind = domain::IndicatorKind::kIneffective;
  } else {
    check.Add("kind", "Select whether the indicator is effective or less effective");
  }
  fields.text = Lines(form, "text");
  check.Required("text", fields.text, kMaxIndicatorText, "Enter the text of the indicator",
                 "Indicator text");
  const std::string level = Line(form, "level");
  const auto parsed = ParseWhole(level.empty() ? "0" : level, 0, kMaxLevel);
  if (!parsed) {
    check.Add("level", "Select a level from the list");
  } else {
    fields.level = *parsed;
  }
  fields.tags = IndicatorTags(FormValue(form, "security") == "yes", FormValue(form, "tags"));
  if (fields.tags.size() > kMaxTags) {
    check.Add("tags", fmt::format("Enter {} tags or fewer", kMaxTags));
  } else if (std::any_of(fields.tags.begin(), fields.tags.end(),
                         [](const auto& tag) { return CharacterCount(tag) > kMaxTagLength; })) {
    check.Add("tags", fmt::format("Each tag must be {} characters or fewer", kMaxTagLength));
  } else if (!std::all_of(fields.tags.begin(), fields.tags.end(), TagCharactersOk)) {
    check.Add("tags", "Tags can only include letters, numbers, spaces and hyphens");
  }
  if (!check.ok()) return std::nullopt;
  return fields;
}

std::string_view Param(const Request& request, const char* name) {
  return request.path_params.at(name);
}

// The level descriptor number in the path, or nullopt.
std::optional<int> LevelParam(const Request& request) {
  return ParseWhole(Param(request, "level"), 1, kMaxLevel);
}

// The direction of a move form's button: up, down, or nullopt for anything else.
std::optional<bool> MovesUp(const Form& form) {
  const std::string direction = FormValue(form, "direction");
  if (direction == "up" || direction == "down") return direction == "up";
  return std::nullopt;
}

Error NoDirection() {
  return Error::InvalidInput(std::string(kDraftStatus), "Choose whether to move it up or down");
}

// ---------- the editor page ----------

// "effective indicator 3 of ‘Seeing the Big Picture’": how buttons name their object
// to screen readers.
std::string IndicatorName(const domain::Indicator& indicator, int position,
                          const domain::Item& item, bool quote = false) {
  return fmt::format(
      "{} indicator {} of {}",
      indicator.kind == domain::IndicatorKind::kEffective ? "effective" : "less effective",
      position, quote ? Quoted(item.title) : item.title);
}

std::string LevelName(const domain::LevelDescriptor& level) {
  return level.label.empty() || level.label == fmt::format("Level {}", level.level)
             ? fmt::format("Level {}", level.level)
             : fmt::format("Level {}: {}", level.level, level.label);
}

json FormBase() {
  return {{"title", ""},
          {"subtitle", ""},
          {"description", ""},
          {"number", ""},
          {"level", ""},
          {"label", ""},
          {"text", ""},
          {"tags", ""},
          {"security", false},
          {"kind_effective", false},
          {"kind_ineffective", false},
          {"level_options", json::array()},
          {"has_title", false},
          {"has_subtitle", false},
          {"has_number", false},
          {"has_level_number", false},
          {"has_label", false},
          {"is_indicator", false},
          {"title_hint", ""},
          {"description_hint", ""}};
}

// The open form's view: heading, action, labels and the values to show.
json FormView(const Framework& f, const OpenForm& open, const std::string& base) {
  const std::string editor = base + "/edit";
  const std::string noun = Noun(f.kind);
  json form = FormBase();
  // Under a cluster's h2 on the editor's first page; under the item's h1 on its own.
  form["heading_tag"] =
      open.kind == FormKind::kEditCluster || open.kind == FormKind::kAddItem ? "h3" : "h2";
  const Form* typed = open.typed ? &*open.typed : nullptr;
  auto value = [&](const char* name, const std::string& saved) {
    return typed ? FormValue(*typed, name) : saved;
  };
  switch (open.kind) {
    case FormKind::kEditCluster: {
      const auto c = FindCluster(f, open.target);
      if (!c) return false;
      const auto& cluster = f.clusters[*c];
      form["heading"] = "Edit cluster " + Quoted(cluster.title);
      form["action"] = fmt::format("{}/clusters/{}/edit", base, cluster.id);
      form["submit"] = "Save cluster";
      form["cancel_href"] = fmt::format("{}#cluster-{}", editor, cluster.id);
      form["has_title"] = form["has_subtitle"] = true;
      form["title"] = value("title", cluster.title);
      form["subtitle"] = value("subtitle", cluster.subtitle);
      form["description"] = value("description", cluster.description);
      form["description_hint"] =
          "The text under the cluster’s heading. Leave a blank line between paragraphs.";
      return form;
    }
    case FormKind::kAddItem:
    case FormKind::kEditItem: {
      const bool adding = open.kind == FormKind::kAddItem;
      std::string saved_number, saved_title, saved_description;
      std::string cancel;
      if (adding) {
        const auto c = FindCluster(f, open.target);
        if (!c) return false;
        int highest = 0;
        for (const auto& cluster : f.clusters) {
          for (const auto& item : cluster.items) highest = std::max(highest, item.number);
        }
        if (highest > 0) saved_number = std::to_string(highest + 1);
        form["heading"] = fmt::format("Add a {} to {}", noun, Quoted(f.clusters[*c].title));
        form["action"] = fmt::format("{}/clusters/{}/items", base, open.target);
        form["submit"] = "Add " + noun;
        cancel = fmt::format("{}#cluster-{}", editor, open.target);
      } else {
        const auto at = FindItem(f, open.target);
        if (!at) return false;
        const auto& item = f.clusters[at->cluster].items[at->index];
        saved_number = item.number > 0 ? std::to_string(item.number) : "";
        saved_title = item.title;
        saved_description = item.description;
        form["heading"] = fmt::format("Edit {} {}", noun, Quoted(item.title));
        form["action"] = fmt::format("{}/items/{}/edit", base, item.id);
        form["submit"] = "Save " + noun;
        cancel = fmt::format("{}#item-{}", ItemPageHref(base, item.id), item.id);
      }
      form["cancel_href"] = cancel;
      form["has_title"] = form["has_number"] = true;
      form["number"] = value("number", saved_number);
      form["title"] = value("title", saved_title);
      form["description"] = value("description", saved_description);
      form["description_hint"] = "What the " + noun +
                                 " means, before its levels and indicators. Leave a blank line "
                                 "between paragraphs.";
      return form;
    }
    case FormKind::kAddLevel:
    case FormKind::kEditLevel: {
      const auto at = FindItem(f, open.target);
      if (!at) return false;
      const auto& item = f.clusters[at->cluster].items[at->index];
      const bool adding = open.kind == FormKind::kAddLevel;
      form["has_label"] = true;
      const std::string page = ItemPageHref(base, item.id);
      form["cancel_href"] = fmt::format("{}#item-{}", page, item.id);
      if (adding) {
        form["heading"] = "Add a level to " + Quoted(item.title);
        form["action"] = fmt::format("{}/items/{}/levels", base, item.id);
        form["submit"] = "Add level";
        form["has_level_number"] = true;
        form["level"] = value("level", "");
        form["label"] = value("label", "");
        form["description"] = value("description", "");
      } else {
        const auto level =
            std::find_if(item.levels.begin(), item.levels.end(),
                         [&](const auto& descriptor) { return descriptor.level == open.level; });
        if (level == item.levels.end()) return false;
        form["heading"] = fmt::format("Edit level {} of {}", level->level, Quoted(item.title));
        form["action"] = fmt::format("{}/items/{}/levels/{}/edit", base, item.id, level->level);
        form["submit"] = "Save level";
        form["label"] = value("label", level->label);
        form["description"] = value("description", level->description);
        form["cancel_href"] = fmt::format("{}#level-{}-{}", page, item.id, level->level);
      }
      form["description_hint"] = "What the " + noun + " looks like at this level.";
      return form;
    }
    case FormKind::kAddIndicator:
    case FormKind::kEditIndicator: {
      const bool adding = open.kind == FormKind::kAddIndicator;
      const domain::Item* item = nullptr;
      const domain::Indicator* indicator = nullptr;
      if (adding) {
        const auto at = FindItem(f, open.target);
        if (!at) return false;
        item = &f.clusters[at->cluster].items[at->index];
        form["heading"] = "Add an indicator to " + Quoted(item->title);
        form["action"] = fmt::format("{}/items/{}/indicators", base, item->id);
        form["submit"] = "Add indicator";
        form["cancel_href"] = fmt::format("{}#item-{}", ItemPageHref(base, item->id), item->id);
      } else {
        const auto at = FindIndicator(f, open.target);
        if (!at) return false;
        item = &f.clusters[at->cluster].items[at->item];
        indicator = &item->indicators[at->index];
        const auto same_kind = domain::IndicatorsOfKind(*item, indicator->kind);
        const auto position = std::find(same_kind.begin(), same_kind.end(), indicator);
        form["heading"] =
            "Edit " + IndicatorName(*indicator, static_cast<int>(position - same_kind.begin()) + 1,
                                    *item, true);
        form["action"] = fmt::format("{}/indicators/{}/edit", base, indicator->id);
        form["submit"] = "Save indicator";
        form["cancel_href"] =
            fmt::format("{}#indicator-{}", ItemPageHref(base, item->id), indicator->id);
      }
      form["is_indicator"] = true;
      form["text"] = value("text", indicator ? indicator->text : "");
      const std::string kind =
          value("kind", indicator ? std::string(domain::IndicatorKindName(indicator->kind)) : "");
      form["kind_effective"] = kind == "effective";
      form["kind_ineffective"] = kind == "ineffective";
      std::string other_tags;
      bool security = false;
      for (const auto& tag : indicator ? indicator->tags : std::vector<std::string>{}) {
        if (tag == "security") {
          security = true;
        } else {
          other_tags += (other_tags.empty() ? "" : ", ") + tag;
        }
      }
      form["security"] = typed ? FormValue(*typed, "security") == "yes" : security;
      form["tags"] = value("tags", other_tags);
      const std::string level = value("level", std::to_string(indicator ? indicator->level : 0));
      std::vector<std::pair<std::string, std::string>> options{{"0", "Every level"}};
      for (const auto& descriptor : item->levels) {
        options.emplace_back(std::to_string(descriptor.level), LevelName(descriptor));
      }
      if (std::none_of(options.begin(), options.end(),
                       [&](const auto& option) { return option.first == level; }) &&
          ParseWhole(level, 1, kMaxLevel)) {
        options.emplace_back(level, "Level " + level);
      }
      json level_options = json::array();
      for (const auto& [option, label] : options) {
        level_options.push_back(
            {{"value", option}, {"label", label}, {"selected", option == level}});
      }
      form["level_options"] = level_options;
      return form;
    }
    case FormKind::kNone:
    case FormKind::kAddCluster:
    case FormKind::kEditUnresolved:
      return false;
  }
  return false;
}

// What ?edit=<id> names: a cluster, an item or an indicator.
OpenForm Resolve(const Framework& f, OpenForm open) {
  if (open.kind != FormKind::kEditUnresolved) return open;
  if (FindCluster(f, open.target)) {
    open.kind = FormKind::kEditCluster;
  } else if (FindItem(f, open.target)) {
    open.kind = FormKind::kEditItem;
  } else if (FindIndicator(f, open.target)) {
    open.kind = FormKind::kEditIndicator;
  } else {
    open.kind = FormKind::kNone;
  }
  return open;
}

// The form shown at this place of the page, or false.
json FormAt(const Framework& f, const OpenForm& open, const std::string& base,
            std::initializer_list<FormKind> kinds, std::string_view target) {
  if (open.target != target) return false;
  if (std::find(kinds.begin(), kinds.end(), open.kind) == kinds.end()) return false;
  return FormView(f, open, base);
}

// One item with its levels and indicators and the forms open on them: the item's page.
// `c` and `i` are its cluster's and its own index.
json ItemView(const Framework& f, const OpenForm& open, std::size_t c, std::size_t i) {
  const std::string base = VersionHref(f.id, f.version);
  const std::string noun = Noun(f.kind);
  const auto& cluster = f.clusters[c];
  const auto& item = cluster.items[i];
  const std::string page = ItemPageHref(base, item.id);
  const std::string item_base = fmt::format("{}/items/{}", base, item.id);
  json levels = json::array();
  for (const auto& level : item.levels) {
    levels.push_back(
        {{"item_id", item.id},
         {"level", level.level},
         {"name", LevelName(level)},
         {"description", level.description},
         {"context", fmt::format("level {} of {}", level.level, item.title)},
         {"edit_href", fmt::format("{}?edit={}&level={}#author-form", page, item.id, level.level)},
         {"delete_action", fmt::format("{}/levels/{}/delete", item_base, level.level)}});
  }
  std::array<int, 2> totals{};
  for (const auto& indicator : item.indicators) ++totals[static_cast<int>(indicator.kind)];
  std::array<int, 2> seen{};
  json effective = json::array();
  json ineffective = json::array();
  for (const auto& indicator : item.indicators) {
    const int k = static_cast<int>(indicator.kind);
    const int position = ++seen[k];
    json other_tags = json::array();
    bool security = false;
    for (const auto& tag : indicator.tags) {
      if (tag == "security") {
        security = true;
      } else {
        other_tags.push_back(tag);
      }
    }
    const std::string indicator_base = fmt::format("{}/indicators/{}", base, indicator.id);
    (k == 0 ? effective : ineffective)
        .push_back(
            {{"id", indicator.id},
             {"text", indicator.text},
             {"security", security},
             {"other_tags", other_tags},
             {"level_label", indicator.level == 0 ? std::string("Every level")
                                                  : fmt::format("Level {}", indicator.level)},
             {"context", IndicatorName(indicator, position, item)},
             {"edit_href", fmt::format("{}?edit={}#author-form", page, indicator.id)},
             {"move_action", indicator_base + "/move"},
             {"delete_action", indicator_base + "/delete"},
             {"can_move_up", position > 1},
             {"can_move_down", position < totals[k]}});
  }
  const bool first = c == 0 && i == 0;
  const bool last = c + 1 == f.clusters.size() && i + 1 == cluster.items.size();
  json view{
      {"id", item.id},
      {"heading", item.number > 0 ? fmt::format("{}. {}", item.number, item.title) : item.title},
      {"description", Paragraphs(item.description)},
      {"context", fmt::format("{} {}", noun, item.title)},
      {"edit_href", fmt::format("{}?edit={}#author-form", page, item.id)},
      {"move_action", item_base + "/move"},
      {"replaces_action", item_base + "/replaces"},
      {"replaces", fmt::format("{}", fmt::join(item.replaces, "\n"))},
      {"has_replaces", !item.replaces.empty()},
      {"delete_action", item_base + "/delete"},
      {"can_move_up", !first},
      {"can_move_down", !last},
      {"levels", levels},
      {"has_levels", !levels.empty()},
      {"effective", effective},
      {"has_effective", !effective.empty()},
      {"ineffective", ineffective},
      {"has_ineffective", !ineffective.empty()},
      {"add_level_href", fmt::format("{}?add=level&to={}#author-form", page, item.id)},
      {"add_indicator_href", fmt::format("{}?add=indicator&to={}#author-form", page, item.id)},
      {"form", FormAt(f, open, base, {FormKind::kEditItem}, item.id)},
      {"level_form", FormAt(f, open, base, {FormKind::kAddLevel, FormKind::kEditLevel}, item.id)},
      {"indicator_form", FormAt(f, open, base, {FormKind::kAddIndicator}, item.id)}};
  // An indicator's form goes under its item's lists, where the indicator is.
  if (open.kind == FormKind::kEditIndicator) {
    for (const auto& indicator : item.indicators) {
      if (indicator.id == open.target) view["indicator_form"] = FormView(f, open, base);
    }
  }
  return view;
}

// What the editor's pages share: the framework, the version and where they are.
json EditorBase(const Framework& f) {
  const std::string base = VersionHref(f.id, f.version);
  return {{"title", f.title},
          {"version", f.version},
          {"kind_label", KindLabel(f.kind)},
          {"noun", Noun(f.kind)},
          {"nouns", ItemsNoun(f.kind, 2)},
          {"editor_href", base + "/edit"},
          {"version_href", base},
          {"is_draft", f.status == domain::FrameworkStatus::kDraft},
          {"status_name", std::string(domain::FrameworkStatusName(f.status))}};
}

// The editor's first page: the clusters with their forms, and each cluster's items as
// links to the item's own page, so that the page stays short whatever the size of the
// framework.
json EditorView(const Framework& f, const OpenForm& open) {
  const std::string base = VersionHref(f.id, f.version);
  const std::string editor = base + "/edit";
  json clusters = json::array();
  for (std::size_t c = 0; c < f.clusters.size(); ++c) {
    const auto& cluster = f.clusters[c];
    const std::string cluster_base = fmt::format("{}/clusters/{}", base, cluster.id);
    json items = json::array();
    for (const auto& item : cluster.items) {
      items.push_back(
          {{"id", item.id},
           {"heading",
            item.number > 0 ? fmt::format("{}. {}", item.number, item.title) : item.title},
           {"href", ItemPageHref(base, item.id)},
           {"summary",
            fmt::format("{}, {}",
                        item.levels.size() == 1 ? std::string("1 level")
                                                : fmt::format("{} levels", item.levels.size()),
                        item.indicators.size() == 1
                            ? std::string("1 indicator")
                            : fmt::format("{} indicators", item.indicators.size()))}});
    }
    clusters.push_back(
        {{"id", cluster.id},
         {"title", cluster.title},
         {"subtitle", cluster.subtitle},
         {"description", Paragraphs(cluster.description)},
         {"context", "cluster " + cluster.title},
         {"edit_href", fmt::format("{}?edit={}#author-form", editor, cluster.id)},
         {"move_action", cluster_base + "/move"},
         {"delete_action", cluster_base + "/delete"},
         {"can_move_up", c > 0},
         {"can_move_down", c + 1 < f.clusters.size()},
         {"items", items},
         {"has_items", !items.empty()},
         {"add_item_href", fmt::format("{}?add=item&to={}#author-form", editor, cluster.id)},
         {"form", FormAt(f, open, base, {FormKind::kEditCluster}, cluster.id)},
         {"item_form", FormAt(f, open, base, {FormKind::kAddItem}, cluster.id)}});
  }
  const bool adding_cluster = open.kind == FormKind::kAddCluster && open.typed;
  auto typed = [&](const char* name) {
    return adding_cluster ? FormValue(*open.typed, name) : std::string{};
  };
  json view = EditorBase(f);
  view.update({{"clusters", clusters},
               {"has_clusters", !clusters.empty()},
               {"add_cluster_action", base + "/clusters"},
               {"new_cluster_title", typed("title")},
               {"new_cluster_subtitle", typed("subtitle")},
               {"new_cluster_description", typed("description")}});
  return view;
}

// The page of the item at `at`, with `open` shown if it is one of the item's forms.
json ItemPageView(const Framework& f, const OpenForm& open, const domain::ItemAt& at) {
  const auto& cluster = f.clusters[at.cluster];
  json view = EditorBase(f);
  view["item"] = ItemView(f, open, at.cluster, at.index);
  view["item_heading"] = view["item"]["heading"];
  view["cluster_title"] = cluster.title;
  view["cluster_href"] =
      fmt::format("{}/edit#cluster-{}", VersionHref(f.id, f.version), cluster.id);
  return view;
}

// Where a validation problem of the whole draft is in the editor, as a link from its
// first page: an element of that page, or an element of an item's page.
std::string HrefOf(const Framework& f, std::string_view path) {
  const std::string base = VersionHref(f.id, f.version);
  auto index = [&](std::string_view name) -> std::optional<std::size_t> {
    const std::string key = std::string(name) + "[";
    const auto at = path.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    const auto end = path.find(']', at);
    const auto number = ParseId(path.substr(at + key.size(), end - at - key.size()));
    if (!number) return std::nullopt;
    return static_cast<std::size_t>(*number);
  };
  if (path == "clusters") {  // no items at all: add them to the first cluster, or add one
    return f.clusters.empty() ? "#add-cluster" : "#cluster-" + f.clusters.front().id;
  }
  const auto c = index("clusters");
  if (!c || *c >= f.clusters.size()) return fmt::format("#{}", kDraftStatus);
  const auto& cluster = f.clusters[*c];
  const auto i = index("items");
  if (!i || *i >= cluster.items.size()) return "#cluster-" + cluster.id;
  const auto& item = cluster.items[*i];
  const std::string page = ItemPageHref(base, item.id);
  if (const auto n = index("indicators"); n && *n < item.indicators.size()) {
    return page + "#indicator-" + item.indicators[*n].id;
  }
  if (const auto l = index("levels"); l && *l < item.levels.size()) {
    return fmt::format("{}#level-{}-{}", page, item.id, item.levels[*l].level);
  }
  return page + "#item-" + item.id;
}

// The success banner for ?done=<what>-<verb>. Only known words are shown.
std::string Notice(std::string_view done, const std::string& noun) {
  if (done == "framework-created") {
    return "The framework has been created as a draft";
  }
  static const std::map<std::string, std::string, std::less<>> kVerbs{{"added", "added"},
                                                                      {"changed", "saved"},
                                                                      {"moved-up", "moved up"},
                                                                      {"moved-down", "moved down"},
                                                                      {"deleted", "deleted"}};
  const auto dash = done.find('-');
  if (dash == std::string_view::npos) return "";
  const std::string_view what = done.substr(0, dash);
  const auto verb = kVerbs.find(done.substr(dash + 1));
  if (verb == kVerbs.end()) return "";
  std::string thing;
  if (what == "cluster" || what == "level" || what == "indicator") {
    thing = std::string(what);
  } else if (what == "item") {
    thing = noun;
  } else {
    return "";
  }
  return fmt::format("The {} has been {}", thing, verb->second);
}

struct EditorOptions {
  bool check = false;  // show the problems that would stop publication
  std::string done;    // the change just made, for the success banner
  // An item, or an indicator, whose item's page to show when no open form names one;
  // empty or gone for the editor's first page.
  std::string item;
};

// The item whose page shows `open`, or else the item (or indicator's item) `hint` names;
// nullopt for the editor's first page.
std::optional<domain::ItemAt> PageItem(const Framework& f, const OpenForm& open,
                                       std::string_view hint) {
  auto item_of = [&](std::string_view id) -> std::optional<domain::ItemAt> {
    if (const auto at = FindItem(f, id)) return at;
    if (const auto at = FindIndicator(f, id)) return domain::ItemAt{at->cluster, at->item};
    return std::nullopt;
  };
  switch (open.kind) {
    case FormKind::kEditItem:
    case FormKind::kAddLevel:
    case FormKind::kEditLevel:
    case FormKind::kAddIndicator:
    case FormKind::kEditIndicator:
      return item_of(open.target);
    case FormKind::kAddCluster:
    case FormKind::kEditCluster:
    case FormKind::kAddItem:
      return std::nullopt;
    case FormKind::kNone:
    case FormKind::kEditUnresolved:
      break;
  }
  return item_of(hint);
}

// The editor for a version, with `open` shown and `errors` summarised. The caller has
// made sure the actor may edit the framework.
Response EditorPage(const Ctx& c, const Request& request, const app::Actor& actor,
                    const std::string& id, int version, const OpenForm& open,
                    const std::vector<Error>& errors, int status,
                    const EditorOptions& options = {}) {
  auto framework = c->frameworks.Get(actor, id, version);
  if (!framework.ok()) return c->errors.ForError(request, framework.error());
  const bool draft = framework->status == domain::FrameworkStatus::kDraft;
  const OpenForm shown = draft ? Resolve(*framework, open) : OpenForm{};
  const auto item = PageItem(*framework, shown, options.item);
  json view = item ? ItemPageView(*framework, shown, *item) : EditorView(*framework, shown);
  const std::string noun = Noun(framework->kind);
  if (!options.done.empty()) {
    if (const std::string notice = Notice(options.done, noun); !notice.empty()) {
      view["notice"] = notice;
    }
  }
  view["checked"] = false;
  if (options.check && draft && !item) {
    Framework as_published = *framework;
    as_published.status = domain::FrameworkStatus::kPublished;
    json problems = json::array();
    for (const auto& problem : domain::ValidateFramework(as_published)) {
      problems.push_back(
          {{"href", HrefOf(*framework, problem.field)}, {"message", problem.message}});
    }
    view["checked"] = true;
    view["check_problems"] = problems;
    view["has_check_problems"] = !problems.empty();
    view["check_summary"] =
        problems.size() == 1
            ? std::string("1 problem to fix before this draft can be published")
            : fmt::format("{} problems to fix before this draft can be published", problems.size());
    if (problems.empty()) view["notice"] = "No problems found. This draft is ready to publish.";
  }
  AddErrors(view, errors);
  if (item) {
    const auto& shown_item = framework->clusters[item->cluster].items[item->index];
    return Page(c, actor, "author_item",
                fmt::format("Edit {} - {} (version {})", shown_item.title, framework->title,
                            framework->version),
                view, status);
  }
  return Page(c, actor, "author_editor",
              fmt::format("Edit {} (version {})", framework->title, framework->version), view,
              status);
}

// What the editor's query asks to show: ?edit=<id>[&level=<n>] or ?add=<what>&to=<id>.
OpenForm OpenFormOf(const Request& request) {
  OpenForm open;
  if (const auto edit = request.QueryParam("edit"); edit && domain::ValidUuid(*edit)) {
    open.target = *edit;
    open.kind = FormKind::kEditUnresolved;
    if (const auto level = request.QueryParam("level")) {
      const auto number = ParseWhole(*level, 1, kMaxLevel);
      open.kind = number ? FormKind::kEditLevel : FormKind::kNone;
      open.level = number.value_or(0);
    }
    return open;
  }
  const auto add = request.QueryParam("add");
  const auto to = request.QueryParam("to");
  if (!add || !to || !domain::ValidUuid(*to)) return open;
  open.target = *to;
  if (*add == "item") open.kind = FormKind::kAddItem;
  if (*add == "level") open.kind = FormKind::kAddLevel;
  if (*add == "indicator") open.kind = FormKind::kAddIndicator;
  return open;
}

// ---------- the editor's forms ----------

struct EditorForm {
  std::string suffix;      // the route after /frameworks/{id}/versions/{version}
  std::string what;        // names the change in the audit trail
  std::string thing;       // for the notice: "cluster", "item", "level", "indicator"
  FormKind form;           // the form to show again when the change is refused
  std::string form_param;  // the path parameter naming that form's target, if any
  Apply apply;
};

void AddEditorForm(Router& router, const Ctx& c, EditorForm spec) {
  const std::string pattern = "/frameworks/{id}/versions/{version}" + spec.suffix;
  router.Add("POST", pattern, [c, spec = std::move(spec)](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor, kMultiLineFields);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& fields = std::get<Form>(form);
    const auto id = FrameworkId(request);
    const auto version = ParseVersion(request.path_params.at("version"));
    if (!id || !version) return c->errors.ForStatus(request, 404);
    if (spec.suffix.ends_with("/delete") && !Confirmed(fields)) {
      // Deleting asks first; someone who may not edit the framework learns nothing.
      app::Subject subject;
      subject.framework_id = *id;
      if (auto allowed = c->identity.Check(actor, "framework.edit", subject); !allowed.ok()) {
        return c->errors.ForError(request, allowed.error());
      }
      const Confirmation confirmation{
          fmt::format("Delete this {} from the draft?", spec.thing),
          spec.thing == "cluster" || spec.thing == "item"
              ? fmt::format("Everything in the {} goes with it.", spec.thing)
              : std::string{},
          fmt::format("Delete {}", spec.thing), EditorHref(*id, *version)};
      return Page(c, actor, "confirm", confirmation.question,
                  ConfirmationView(request, actor, confirmation));
    }
    Change change;
    auto status = c->frameworks.EditDraft(
        actor, *id, *version, spec.what, [&](Framework& framework) -> Status {
          PATHWAY_TRY(spec.apply(framework, fields, request, change));
          Renumber(framework);
          return domain::Ok{};
        });
    if (status.ok()) {
      const std::string page = change.item.empty()
                                   ? EditorHref(*id, *version)
                                   : ItemPageHref(VersionHref(*id, *version), change.item);
      std::string location = fmt::format("{}?done={}-{}", page, spec.thing, change.verb);
      if (!change.anchor.empty()) location += "#" + change.anchor;
      return Redirect(location);
    }
    const Error& error = status.error();
    if (error.code != ErrorCode::kInvalidInput && error.code != ErrorCode::kConflict) {
      return c->errors.ForError(request, error);
    }
    OpenForm open;
    open.kind = spec.form;
    open.typed = fields;
    if (!spec.form_param.empty()) open.target = request.path_params.at(spec.form_param);
    if (spec.form == FormKind::kEditLevel) open.level = LevelParam(request).value_or(0);
    std::vector<Error> errors = change.field_errors;
    if (errors.empty()) {
      const std::string field = error.code == ErrorCode::kConflict
                                    ? std::string(kDraftStatus)
                                    : FieldFor(error.field, open.kind);
      errors.push_back(Error{error.code, field, error.message});
    }
    EditorOptions options;
    for (const char* name : {"item", "indicator"}) {
      if (const auto it = request.path_params.find(name); it != request.path_params.end()) {
        options.item = it->second;
      }
    }
    return EditorPage(c, request, actor, *id, *version, open, errors, HttpStatus(error.code),
                      options);
  });
  router.SetAction("framework.edit");
}

void RegisterEditorForms(Router& router, const Ctx& c) {
  // Each form: the target must still be in the draft (checked first, so a stale form says
  // so rather than complaining about its fields), the form's fields parse, then the
  // domain's rule for the operation (domain/framework_edit) changes the draft.

  // Clusters.
  AddEditorForm(router, c,
                {"/clusters", "add cluster", "cluster", FormKind::kAddCluster, "",
                 [](Framework& f, const Form& form, const Request&, Change& change) -> Status {
                   FieldCheck check;
                   auto fields = ReadCluster(form, FormKind::kAddCluster, check);
                   if (!fields) return Refuse(check, change);
                   std::string id = NewId();
                   change.verb = "added";
                   change.anchor = "cluster-" + id;
                   return domain::AddCluster(f, std::move(id), std::move(*fields));
                 }});
  AddEditorForm(
      router, c,
      {"/clusters/{cluster}/edit", "change cluster", "cluster", FormKind::kEditCluster, "cluster",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto id = Param(request, "cluster");
         if (!FindCluster(f, id)) return Gone("cluster");
         FieldCheck check;
         auto fields = ReadCluster(form, FormKind::kEditCluster, check);
         if (!fields) return Refuse(check, change);
         change.anchor = "cluster-" + std::string(id);
         return domain::EditCluster(f, id, std::move(*fields));
       }});
  AddEditorForm(
      router, c,
      {"/clusters/{cluster}/move", "move cluster", "cluster", FormKind::kNone, "",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto id = Param(request, "cluster");
         if (!FindCluster(f, id)) return Gone("cluster");
         const auto direction = MovesUp(form);
         if (!direction) return NoDirection();
         const bool up = *direction;
         PATHWAY_TRY(domain::MoveCluster(f, id, up));
         change.verb = up ? "moved-up" : "moved-down";
         change.anchor = "cluster-" + std::string(id);
         return domain::Ok{};
       }});
  AddEditorForm(
      router, c,
      {"/clusters/{cluster}/delete", "delete cluster", "cluster", FormKind::kNone, "",
       [](Framework& f, const Form&, const Request& request, Change& change) -> Status {
         PATHWAY_TRY(ShowFieldError(domain::RemoveCluster(f, Param(request, "cluster")), change));
         change.verb = "deleted";
         change.anchor = "clusters";
         return domain::Ok{};
       }});

  // Items.
  AddEditorForm(
      router, c,
      {"/clusters/{cluster}/items", "add item", "item", FormKind::kAddItem, "cluster",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto cluster = Param(request, "cluster");
         if (!FindCluster(f, cluster)) return Gone("cluster");
         FieldCheck check;
         auto fields = ReadItem(form, Noun(f.kind), check);
         if (!fields) return Refuse(check, change);
         std::string id = NewId();
         change.verb = "added";
         change.anchor = "item-" + id;
         change.item = id;
         return domain::AddItem(f, cluster, std::move(id), std::move(*fields));
       }});
  AddEditorForm(
      router, c,
      {"/items/{item}/edit", "change item", "item", FormKind::kEditItem, "item",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto id = Param(request, "item");
         if (!FindItem(f, id)) return Gone(Noun(f.kind));
         FieldCheck check;
         auto fields = ReadItem(form, Noun(f.kind), check);
         if (!fields) return Refuse(check, change);
         change.anchor = "item-" + std::string(id);
         change.item = id;
         return domain::EditItem(f, id, std::move(*fields));
       }});
  AddEditorForm(
      router, c,
      {"/items/{item}/replaces", "set replaced items", "item", FormKind::kNone, "",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto id = Param(request, "item");
         if (!FindItem(f, id)) return Gone(Noun(f.kind));
         change.anchor = "item-" + std::string(id);
         change.item = id;
         return domain::SetReplacements(f, id, FormValue(form, "replaces"));
       }});
  AddEditorForm(
      router, c,
      {"/items/{item}/move", "move item", "item", FormKind::kNone, "",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto id = Param(request, "item");
         if (!FindItem(f, id)) return Gone(Noun(f.kind));
         const auto direction = MovesUp(form);
         if (!direction) return NoDirection();
         const bool up = *direction;
         PATHWAY_TRY(domain::MoveItem(f, id, up));
         change.verb = up ? "moved-up" : "moved-down";
         change.anchor = "item-" + std::string(id);
         change.item = id;
         return domain::Ok{};
       }});
  AddEditorForm(router, c,
                {"/items/{item}/delete", "delete item", "item", FormKind::kNone, "",
                 [](Framework& f, const Form&, const Request& request, Change& change) -> Status {
                   const auto id = Param(request, "item");
                   const auto at = FindItem(f, id);
                   if (!at) return Gone(Noun(f.kind));
                   change.anchor = "cluster-" + f.clusters[at->cluster].id;
                   PATHWAY_TRY(domain::RemoveItem(f, id));
                   change.verb = "deleted";
                   return domain::Ok{};
                 }});

  // Level descriptors, kept in order of their numbers.
  AddEditorForm(
      router, c,
      {"/items/{item}/levels", "add level", "level", FormKind::kAddLevel, "item",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto id = Param(request, "item");
         const auto at = FindItem(f, id);
         if (!at) return Gone(Noun(f.kind));
         const auto& item = f.clusters[at->cluster].items[at->index];
         FieldCheck check;
         domain::LevelDescriptor level;
         const std::string number = Line(form, "level");
         if (number.empty()) {
           check.Add("level", "Enter the level’s number");
         } else if (const auto parsed = ParseWhole(number, 1, kMaxLevel); !parsed) {
           check.Add("level", fmt::format("Level must be a whole number from 1 to {}", kMaxLevel));
         } else if (const auto fresh = domain::CheckNewLevel(item, *parsed); !fresh.ok()) {
           check.Add(fresh.error().field, fresh.error().message);
         } else {
           level.level = *parsed;
         }
         level.label = Line(form, "label");
         level.description = Lines(form, "description");
         check.Length("label", level.label, kMaxAuthoredTitle, "Name");
         check.Length("description", level.description, kMaxAuthoredDescription, "Description");
         if (!check.ok()) return Refuse(check, change);
         change.verb = "added";
         change.anchor = fmt::format("level-{}-{}", item.id, level.level);
         change.item = item.id;
         return ShowFieldError(domain::AddLevel(f, id, std::move(level)), change);
       }});
  AddEditorForm(
      router, c,
      {"/items/{item}/levels/{level}/edit", "change level", "level", FormKind::kEditLevel, "item",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto id = Param(request, "item");
         const auto at = FindItem(f, id);
         const auto number = LevelParam(request);
         if (!at || !number) return Gone("level");
         if (!domain::FindLevel(f.clusters[at->cluster].items[at->index], *number)) {
           return Gone("level");
         }
         FieldCheck check;
         std::string label = Line(form, "label");
         std::string description = Lines(form, "description");
         check.Length("label", label, kMaxAuthoredTitle, "Name");
         check.Length("description", description, kMaxAuthoredDescription, "Description");
         if (!check.ok()) return Refuse(check, change);
         change.anchor = fmt::format("level-{}-{}", id, *number);
         change.item = id;
         return domain::EditLevel(f, id, *number, std::move(label), std::move(description));
       }});
  AddEditorForm(
      router, c,
      {"/items/{item}/levels/{level}/delete", "delete level", "level", FormKind::kNone, "",
       [](Framework& f, const Form&, const Request& request, Change& change) -> Status {
         const auto number = LevelParam(request);
         if (!number) return Gone("level");
         PATHWAY_TRY(domain::RemoveLevel(f, Param(request, "item"), *number));
         change.verb = "deleted";
         change.anchor = "item-" + std::string(Param(request, "item"));
         change.item = Param(request, "item");
         return domain::Ok{};
       }});

  // Indicators.
  AddEditorForm(
      router, c,
      {"/items/{item}/indicators", "add indicator", "indicator", FormKind::kAddIndicator, "item",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto item = Param(request, "item");
         if (!FindItem(f, item)) return Gone(Noun(f.kind));
         FieldCheck check;
         auto fields = ReadIndicator(form, check);
         if (!fields) return Refuse(check, change);
         std::string id = NewId();
         change.verb = "added";
         change.anchor = "indicator-" + id;
         change.item = item;
         return domain::AddIndicator(f, item, std::move(id), std::move(*fields));
       }});
  AddEditorForm(
      router, c,
      {"/indicators/{indicator}/edit", "change indicator", "indicator", FormKind::kEditIndicator,
       "indicator",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto id = Param(request, "indicator");
         const auto at = FindIndicator(f, id);
         if (!at) return Gone("indicator");
         change.item = f.clusters[at->cluster].items[at->item].id;
         FieldCheck check;
         auto fields = ReadIndicator(form, check);
         if (!fields) return Refuse(check, change);
         change.anchor = "indicator-" + std::string(id);
         return domain::EditIndicator(f, id, std::move(*fields));
       }});
  AddEditorForm(
      router, c,
      {"/indicators/{indicator}/move", "move indicator", "indicator", FormKind::kNone, "",
       [](Framework& f, const Form& form, const Request& request, Change& change) -> Status {
         const auto id = Param(request, "indicator");
         const auto at = FindIndicator(f, id);
         if (!at) return Gone("indicator");
         change.item = f.clusters[at->cluster].items[at->item].id;
         const auto direction = MovesUp(form);
         if (!direction) return NoDirection();
         const bool up = *direction;
         PATHWAY_TRY(domain::MoveIndicator(f, id, up));
         change.verb = up ? "moved-up" : "moved-down";
         change.anchor = "indicator-" + std::string(id);
         return domain::Ok{};
       }});
  AddEditorForm(
      router, c,
      {"/indicators/{indicator}/delete", "delete indicator", "indicator", FormKind::kNone, "",
       [](Framework& f, const Form&, const Request& request, Change& change) -> Status {
         const auto id = Param(request, "indicator");
         const auto at = FindIndicator(f, id);
         if (!at) return Gone("indicator");
         change.item = f.clusters[at->cluster].items[at->item].id;
         change.anchor = "item-" + change.item;
         PATHWAY_TRY(domain::RemoveIndicator(f, id));
         change.verb = "deleted";
         return domain::Ok{};
       }});
}

// ---------- creating a framework ----------

json NewFrameworkView(const Form& typed) {
  static const std::vector<std::pair<std::string, std::string>> kHints{
      {"competency", "Competencies with levels and effective and less effective behaviours"},
      {"behaviours", "Behaviours, such as those of Success Profiles"},
      {"strengths", "The things people do regularly, do well and that motivate them"},
      {"career", "The skills and roles of a profession’s career paths"},
      {"technical", "Technical skills with levels such as awareness, working and expert"}};
  const std::string chosen = FormValue(typed, "kind");
  json options = json::array();
  for (const auto& [value, hint] : kHints) {
    const auto kind = domain::ParseFrameworkKind(value);
    options.push_back({{"value", value},
                       {"id", options.empty() ? std::string("kind") : "kind-" + value},
                       {"label", KindLabel(*kind)},
                       {"hint", hint},
                       {"checked", value == chosen}});
  }
  return {{"title", FormValue(typed, "title")},
          {"description", FormValue(typed, "description")},
          {"kind_options", options}};
}

// The subject of creating a framework: one that no grant names yet.
app::Subject NewFramework() {
  app::Subject subject;
  subject.new_framework = true;
  return subject;
}

void RegisterNewFramework(Router& router, const Ctx& c) {
  router.Add("GET", "/frameworks/new", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    if (auto allowed = c->identity.Check(actor, "framework.create", NewFramework());
        !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    json view = NewFrameworkView({});
    AddErrors(view, {});
    return Page(c, actor, "author_new", "Create a framework", view);
  });
  router.SetAction("framework.create");

  router.Add("POST", "/frameworks/new", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor, kMultiLineFields);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const Form& fields = std::get<Form>(form);
    // Ask first, so that someone who may not create frameworks learns nothing from the
    // form's errors.
    if (auto allowed = c->identity.Check(actor, "framework.create", NewFramework());
        !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    Framework framework;
    framework.title = Line(fields, "title");
    framework.description = Lines(fields, "description");
    FieldCheck check;
    check.Required("title", framework.title, kMaxAuthoredTitle, "Enter a title for the framework",
                   "Title");
    const auto kind = domain::ParseFrameworkKind(FormValue(fields, "kind"));
    if (!kind) check.Add("kind", "Select the kind of framework");
    check.Length("description", framework.description, kMaxAuthoredDescription, "Introduction");
    if (!check.ok()) {
      json view = NewFrameworkView(fields);
      AddErrors(view, check.take());
      return Page(c, actor, "author_new", "Create a framework", view, 422);
    }
    framework.id = NewId();
    framework.kind = *kind;
    framework.version = 1;
    framework.status = domain::FrameworkStatus::kDraft;
    auto created = c->frameworks.Import(actor, std::move(framework), "the create-a-framework page");
    if (!created.ok()) return c->errors.ForError(request, created.error());
    return Redirect(EditorHref(created->id, created->version) + "?done=framework-created");
  });
  router.SetAction("framework.create");
}

// The upload page: a framework document, CSV or CASE file, imported all or nothing.
constexpr std::size_t kMaxUpload = 20 * 1024 * 1024;

json ImportView(const std::string& format) {
  json options = json::array();
  for (const auto& [value, label, hint] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"document", "Framework document",
            "A text export of a competency framework by grade, like the Civil Service Competency "
            "Framework"},
           {"csv", "Framework CSV",
            "The CSV format Pathway exports (see docs/formats/framework-csv.md)"},
           {"case", "CASE 1.1 JSON package", "A CFPackage from a CASE tool or from Pathway"}}) {
    options.push_back(
        {{"value", value}, {"label", label}, {"hint", hint}, {"checked", value == format}});
  }
  return {{"format_options", options}, {"max_mb", kMaxUpload / (1024 * 1024)}};
}

// Who may open the upload page: see MayImportFrameworks (anyone else's refusal is audited).
// The import itself then asks the policy about the file's framework: a new one
// (framework.create), or an existing one (framework.import: its authors, the head of the
// profession whose career framework it is, administrators).
domain::Status MayImport(const Ctx& c, const app::Actor& actor) {
  if (MayImportFrameworks(c->identity, actor)) return domain::Ok{};
  return c->identity.Check(actor, "framework.create", NewFramework());
}

void RegisterImport(Router& router, const Ctx& c) {
  router.Add("GET", "/frameworks/import", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    if (auto allowed = MayImport(c, actor); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    json view = ImportView("");
    AddErrors(view, {});
    return Page(c, actor, "author_import", "Import a framework", view);
  });
  router.SetAction("framework.import");

  router.Add("POST", "/frameworks/import", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    // The policy first: someone who may not import learns nothing from the upload.
    if (auto allowed = MayImport(c, actor); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    std::string csrf_from_form;
    // A form sent without its file (not multipart at all) is answered as "select a
    // file"; a multipart body that is not well formed is a bad request.
    const bool multipart = request.Header("content-type").starts_with("multipart/form-data");
    auto parts = multipart ? ParseMultipart(request.Header("content-type"), request.body)
                           : domain::Result<std::vector<FormPart>>(std::vector<FormPart>{});
    if (!parts.ok()) return c->errors.ForBadRequest(request, parts.error());
    if (!multipart) {
      auto form = ParseForm(request.body);
      if (!form.ok()) return c->errors.ForBadRequest(request, form.error());
      if (form->contains("csrf-token")) csrf_from_form = (*form)["csrf-token"];
    }
    std::string token = csrf_from_form;
    std::string format;
    const FormPart* file = nullptr;
    for (const auto& part : *parts) {
      if (part.name == "csrf-token") token = std::string(part.data);
      if (part.name == "format") format = std::string(part.data);
      if (part.name == "file") file = &part;
    }
    if (!FromOurOrigin(request) || actor.csrf_token.empty() ||
        !app::ConstantTimeEquals(token, actor.csrf_token)) {
      c->identity.RecordRefusal(actor, "csrf", "POST /frameworks/import");
      return c->errors.ForStatus(request, 403);
    }
    std::vector<Error> errors;
    if (format != "document" && format != "csv" && format != "case") {
      errors.push_back(Error::InvalidInput("format", "Select the file's format"));
    }
    if (file == nullptr || file->data.empty()) {
      errors.push_back(Error::InvalidInput("file", "Select a file to import"));
    }
    auto refuse = [&](std::vector<Error> problems) {
      json view = ImportView(format);
      AddErrors(view, problems);
      return Page(c, actor, "author_import", "Import a framework", view, 422);
    };
    if (!errors.empty()) return refuse(errors);
    const auto parsed = format == "csv"    ? interchange::ParseFrameworkCsv(file->data)
                        : format == "case" ? interchange::ParseCasePackage(file->data)
                                           : interchange::ParseFrameworkDocument(file->data);
    if (!parsed.ok()) {
      // Every problem, each linking to the file input, with where it is in the file.
      for (const auto& problem : parsed.problems()) {
        errors.push_back(Error::InvalidInput(
            "file", fmt::format("{}: {}", file->filename.empty() ? "The file" : file->filename,
                                interchange::FormatImportProblem(problem))));
      }
      return refuse(errors);
    }
    auto imported = c->frameworks.Import(actor, parsed.value(),
                                         file->filename.empty() ? "an upload" : file->filename);
    if (!imported.ok()) {
      if (imported.error().code == domain::ErrorCode::kInvalidInput ||
          imported.error().code == domain::ErrorCode::kConflict) {
        return refuse({Error::InvalidInput("file", imported.error().message)});
      }
      if (imported.error().code == domain::ErrorCode::kNotFound) {
        // The same words whether the file's framework is missing or not the actor's.
        return refuse({Error::InvalidInput(
            "file", fmt::format("{}: this file is for a framework you may not author. You may "
                                "import only into frameworks you author",
                                file->filename.empty() ? "The file" : file->filename))});
      }
      return c->errors.ForError(request, imported.error());
    }
    return Redirect(VersionHref(imported->id, imported->version) + "?done=imported");
  });
  router.SetAction("framework.import");
  router.SetMaxBody(kMaxUpload + 64 * 1024);
}

void RegisterEditor(Router& router, const Ctx& c) {
  router.Add("GET", "/frameworks/{id}/versions/{version}/edit", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = FrameworkId(request);
    const auto version = ParseVersion(request.path_params.at("version"));
    if (!id || !version) return c->errors.ForStatus(request, 404);
    app::Subject subject;
    subject.framework_id = *id;
    if (auto allowed = c->identity.Check(actor, "framework.edit", subject); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    EditorOptions options;
    options.check = request.QueryParam("check") == "1";
    options.done = request.QueryParam("done").value_or("");
    return EditorPage(c, request, actor, *id, *version, OpenFormOf(request), {}, 200, options);
  });
  router.SetAction("framework.edit");
  // One item's page: its levels and indicators, with the same ?edit= and ?add= links.
  router.Add("GET", "/frameworks/{id}/versions/{version}/edit/items/{item}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = FrameworkId(request);
    const auto version = ParseVersion(request.path_params.at("version"));
    const std::string& item = request.path_params.at("item");
    if (!id || !version || !domain::ValidUuid(item)) return c->errors.ForStatus(request, 404);
    app::Subject subject;
    subject.framework_id = *id;
    if (auto allowed = c->identity.Check(actor, "framework.edit", subject); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    auto framework = c->frameworks.Get(actor, *id, *version);
    if (!framework.ok()) return c->errors.ForError(request, framework.error());
    if (!FindItem(*framework, item)) return c->errors.ForStatus(request, 404);
    EditorOptions options;
    options.done = request.QueryParam("done").value_or("");
    options.item = item;
    return EditorPage(c, request, actor, *id, *version, OpenFormOf(request), {}, 200, options);
  });
  router.SetAction("framework.edit");
  RegisterEditorForms(router, c);
}

}  // namespace

std::vector<std::string> IndicatorTags(bool security, std::string_view others) {
  std::vector<std::string> tags;
  if (security) tags.emplace_back("security");
  while (true) {
    const auto comma = others.find(',');
    std::string tag = domain::Lower(domain::Trim(others.substr(0, comma)));
    if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end()) {
      if (tag == "security") {
        tags.insert(tags.begin(), tag);
      } else {
        tags.push_back(std::move(tag));
      }
    }
    if (comma == std::string_view::npos) break;
    others.remove_prefix(comma + 1);
  }
  return tags;
}

void RegisterFrameworkAuthoringRoutes(Router& router,
                                      const FrameworkAuthoringRoutesContext& context) {
  const Ctx c = std::make_shared<const FrameworkAuthoringRoutesContext>(context);
  RegisterNewFramework(router, c);
  RegisterImport(router, c);
  RegisterEditor(router, c);
}

}  // namespace pathway::web
