#include "web/workforce_routes.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/workforce.hpp"
#include "domain/grade.hpp"
#include "domain/text.hpp"
#include "domain/workforce.hpp"
#include "interchange/csv.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"
#include "web/select_options.hpp"

namespace pathway::web {
namespace {

using nlohmann::json;

// What a list's filter form chose in each of its selects (codes, as the lists hold them).
struct ChosenFilters {
  std::string department;
  std::string profession;
  std::string grade_from;
  std::string grade_to;
  std::string region;
  std::string clearance;

  bool None() const {
    return department.empty() && profession.empty() && grade_from.empty() && grade_to.empty() &&
           region.empty() && clearance.empty();
  }
};

// The filter form's six option lists, each with its chosen value selected ("Any ..." when
// none is).
void PutOptionLists(json& view, const app::FilterOptions& options, const ChosenFilters& chosen) {
  view["department_options"] =
      SelectOptions(options.departments, chosen.department, "Any department");
  view["profession_options"] =
      SelectOptions(options.professions, chosen.profession, "Any profession");
  view["grade_from_options"] = SelectOptions(GradeChoices(), chosen.grade_from, "Any grade");
  view["grade_to_options"] = SelectOptions(GradeChoices(), chosen.grade_to, "Any grade");
  view["region_options"] = SelectOptions(RegionChoices(), chosen.region, "Any region");
  view["clearance_options"] = SelectOptions(ClearanceChoices(), chosen.clearance, "Any clearance");
}

// The filter form's six option lists with nothing chosen ("Any ..." selected in each),
// built once per app::FilterOptions (read again only after a write to the workforce)
// and read under the view of every list page that chooses nothing (RenderPage's base
// view), so that such a page neither builds nor frees them.
class UnchosenFilters {
 public:
  std::shared_ptr<const json> For(const std::shared_ptr<const app::FilterOptions>& options) {
    std::lock_guard lock(mutex_);
    if (options_ == options && view_) return view_;
    if (options_ && view_ && options_->generation > options->generation) {
      return Build(*options);  // an older read than the one kept: use it once
    }
    options_ = options;
    view_ = Build(*options);
    return view_;
  }

 private:
  static std::shared_ptr<const json> Build(const app::FilterOptions& options) {
    auto view = std::make_shared<json>(json::object());
    PutOptionLists(*view, options, {});
    return view;
  }

  std::mutex mutex_;
  std::shared_ptr<const app::FilterOptions> options_;
  std::shared_ptr<const json> view_;
};

struct State {
  WorkforceRoutesContext context;
  app::WorkforceService& workforce;
  std::shared_ptr<UnchosenFilters> unchosen_filters = std::make_shared<UnchosenFilters>();
};
using Ctx = std::shared_ptr<State>;

constexpr int kPageSize = 50;
constexpr int kDefaultApiLimit = 50;
constexpr std::size_t kMaxText = 200;
constexpr std::size_t kMaxCode = 64;
constexpr std::size_t kMaxRoleCode = 256;

// ---------- small helpers ----------

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page,
              const std::string& title, json view, std::string current, int status = 200,
              const json* base = nullptr) {
  const bool has_errors = view.value("has_errors", false);
  return Response::Html(
      status, RenderPage(c->context.templates, c->context.asset_base, page, title, std::move(view),
                         has_errors, ChromeFor(actor, std::move(current)), base));
}

// A code in a path or filter: letters, digits, '-', '_' and '.', at most `max` of them.
// Files import codes of at most 64 characters; the demo's role codes are longer.
bool ValidCode(std::string_view code, std::size_t max = kMaxCode) {
  if (code.empty() || code.size() > max) return false;
  return std::all_of(code.begin(), code.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
  });
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

std::string Plural(std::int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", Thousands(n), n == 1 ? one : many);
}

std::string GradeRange(const std::string& from, const std::string& to) {
  if (from.empty() && to.empty()) return "";
  return from == to ? from : from + " to " + to;
}

// A role's page, where each of its levels has the anchor level-<code>.
std::string RoleHref(const std::string& profession, const std::string& role) {
  return fmt::format("/professions/{}/roles/{}", UrlEncode(profession), UrlEncode(role));
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
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
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

// ---------- CSV ----------

Response CsvResponse(std::string body, const std::string& name) {
  Response response = Response::Text(200, std::move(body), "text/csv; charset=utf-8");
  response.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"{}.csv\"", name));
  return response;
}

bool WantsCsv(const Request& request, bool api) {
  if (const auto format = request.QueryParam("format")) return *format == "csv";
  return api && request.Header("accept").starts_with("text/csv");
}

// ---------- list parameters ----------

// What a list request asked for: its filters (as sent, to keep in links and forms), its
// page, and the problems with what was sent, each naming its field.
struct ListRequest {
  std::vector<std::pair<std::string, std::string>> kept;  // filters and sort, in order
  std::vector<domain::Error> errors;
  int limit = kPageSize;
  std::int64_t offset = 0;
  int page = 1;
  bool csv = false;

  std::string Get(const std::string& name) const {
    for (const auto& [key, value] : kept) {
      if (key == name) return value;
    }
    return {};
  }
  // The address of this list with some parameters replaced (an empty value drops it).
  std::string Href(const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& changes = {}) const {
    std::string query;
    auto add = [&](const std::string& key, const std::string& value) {
      if (value.empty()) return;
      query += (query.empty() ? "?" : "&") + key + "=" + UrlEncode(value);
    };
    for (const auto& [key, value] : kept) {
      const auto changed = std::find_if(changes.begin(), changes.end(),
                                        [&](const auto& change) { return change.first == key; });
      add(key, changed == changes.end() ? value : changed->second);
    }
    for (const auto& [key, value] : changes) {
      if (std::none_of(kept.begin(), kept.end(), [&](const auto& k) { return k.first == key; })) {
        add(key, value);
      }
    }
    return path + query;
  }
};

// What a list's filter is called where people see it, for messages: the filter form's
// label, never the parameter's name.
std::string FilterLabel(std::string_view name) {
  static const std::map<std::string_view, std::string_view> kLabels{
      {"q", "The search text"},
      {"department", "Department"},
      {"profession", "Profession"},
      {"grade", "Grade"},
      {"grade_from", "Lowest grade"},
      {"grade_to", "Highest grade"},
      {"region", "Region"},
      {"clearance", "Security clearance"},
      {"status", "Filled or vacant"},
      {"critical", "Critical posts only"},
      {"sort", "Sort by"},
      {"order", "Sort order"}};
  const auto it = kLabels.find(name);
  return std::string(it == kLabels.end() ? std::string_view("This filter") : it->second);
}

// Reads the text filters named `names` and the paging parameters. On the API, `limit`
// and `offset`; on pages, `page`.
ListRequest ReadList(const Request& request, const std::vector<std::string>& names, bool api) {
  ListRequest list;
  list.csv = WantsCsv(request, api);
  for (const auto& name : names) {
    std::string value = request.QueryParam(name).value_or("");
    if (value.size() > kMaxText) {
      list.errors.push_back(domain::Error::InvalidInput(
          name, fmt::format("{} must be {} characters or fewer", FilterLabel(name), kMaxText)));
      value.clear();
    }
    if (!value.empty()) list.kept.emplace_back(name, value);
  }
  if (api) {
    // A misspelt filter must not quietly widen the answer: name what was not understood.
    const auto form = ParseForm(request.query);
    if (!form) {
      list.errors.push_back(domain::Error::InvalidInput("query", "The query string is malformed"));
    } else {
      for (const auto& [key, value] : *form) {
        if (key == "limit" || key == "offset" || key == "format" ||
            std::find(names.begin(), names.end(), key) != names.end()) {
          continue;
        }
        std::string known;
        for (const auto& name : names) known += name + ", ";
        const bool plain = !key.empty() && key.size() <= 64 &&
                           std::all_of(key.begin(), key.end(), [](unsigned char ch) {
                             return std::isalnum(ch) || ch == '_' || ch == '-' || ch == '.';
                           });
        list.errors.push_back(domain::Error::InvalidInput(
            plain ? key : "query",
            fmt::format("Unknown parameter; this list takes {}limit, offset and format", known)));
      }
    }
  }
  if (api || list.csv) {
    const int most = list.csv ? app::kMaxDownloadRows : app::kMaxPageSize;
    const auto limit_text = request.QueryParam("limit");
    const auto offset_text = request.QueryParam("offset");
    list.limit = list.csv ? app::kMaxDownloadRows : kDefaultApiLimit;
    if (limit_text) {
      const auto limit = ParseId(*limit_text);
      if (!limit || *limit < 1 || *limit > most) {
        list.errors.push_back(domain::Error::InvalidInput(
            "limit",
            fmt::format("The number of results must be a whole number from 1 to {}", most)));
      } else {
        list.limit = static_cast<int>(*limit);
      }
    }
    if (offset_text) {
      const auto offset = ParseId(*offset_text);
      if (!offset || *offset > 1'000'000'000) {
        list.errors.push_back(
            domain::Error::InvalidInput("offset",
                                        "The number of results to skip must be a whole "
                                        "number of 0 or more"));
      } else {
        list.offset = *offset;
      }
    }
  } else {
    const auto page = request.QueryParam("page");
    if (page) {
      const auto number = ParseId(*page);
      if (number && *number >= 1 && *number < 1'000'000) list.page = static_cast<int>(*number);
    }
    list.offset = static_cast<std::int64_t>(list.page - 1) * kPageSize;
  }
  return list;
}

std::optional<int> GradeRank(const std::string& code) {
  std::string upper = code;
  upper = domain::Upper(upper);
  const auto grade = domain::ParseGrade(upper);
  if (!grade) return std::nullopt;
  return static_cast<int>(*grade);
}

// Grade range, region and clearance: shared by people and posts.
void ReadCommonFilters(ListRequest& list, std::optional<int>& grade_min,
                       std::optional<int>& grade_max, std::string& region, std::string& clearance) {
  if (const auto from = list.Get("grade_from"); !from.empty()) {
    grade_min = GradeRank(from);
    if (!grade_min)
      list.errors.push_back(domain::Error::InvalidInput("grade_from", "Select a grade"));
  }
  if (const auto to = list.Get("grade_to"); !to.empty()) {
    grade_max = GradeRank(to);
    if (!grade_max)
      list.errors.push_back(domain::Error::InvalidInput("grade_to", "Select a grade"));
  }
  if (grade_min && grade_max && *grade_min > *grade_max) {
    list.errors.push_back(domain::Error::InvalidInput(
        "grade_to", "The highest grade must be the same as or above the lowest grade"));
  }
  if (const auto text = list.Get("region"); !text.empty()) {
    const auto* info = domain::FindRegion(text);
    if (!info) {
      list.errors.push_back(domain::Error::InvalidInput("region", "Select a region"));
    } else {
      region = std::string(info->code);
    }
  }
  if (const auto text = list.Get("clearance"); !text.empty()) {
    std::string upper = text;
    upper = domain::Upper(upper);
    if (!domain::ParseClearance(upper)) {
      list.errors.push_back(
          domain::Error::InvalidInput("clearance", "Select a security clearance"));
    } else {
      clearance = upper;
    }
  }
  for (const char* name : {"department", "profession"}) {
    const auto value = list.Get(name);
    if (!value.empty() && !ValidCode(value)) {
      list.errors.push_back(domain::Error::InvalidInput(
          name, fmt::format("Select a {}",
                            std::string(name) == "department" ? "department" : "profession")));
    }
  }
}

std::optional<domain::Error> ReadOrder(ListRequest& list, domain::SortOrder& order) {
  const auto text = list.Get("order");
  if (text.empty() || text == "asc") {
    order = domain::SortOrder::kAscending;
  } else if (text == "desc") {
    order = domain::SortOrder::kDescending;
  } else {
    return domain::Error::InvalidInput("order",
                                       "Sort order must be ascending (asc) or descending (desc)");
  }
  return std::nullopt;
}

Response ApiProblem(const domain::Error& error) {
  return ProblemResponse(400, "invalid-input", error.message, error.field);
}

// The sortable column headers: each a link that sorts by it, ascending first, or flips
// the order when it is the current sort; aria-sort says which is current.
json SortHeaders(const ListRequest& list, const std::string& path,
                 const std::vector<std::pair<std::string, std::string>>& columns,
                 const std::string& default_sort) {
  const std::string sort = list.Get("sort").empty() ? default_sort : list.Get("sort");
  const bool descending = list.Get("order") == "desc";
  json headers = json::array();
  for (const auto& [key, label] : columns) {
    const bool current = key == sort;
    const std::string next_order = current && !descending ? "desc" : "asc";
    headers.push_back(
        {{"label", label},
         {"href", list.Href(path, {{"sort", key}, {"order", next_order}, {"page", ""}})},
         {"aria_sort", current ? (descending ? "descending" : "ascending") : "none"}});
  }
  return headers;
}

json PaginationView(const ListRequest& list, const std::string& path, std::int64_t total) {
  const std::int64_t pages = std::max<std::int64_t>(1, (total + kPageSize - 1) / kPageSize);
  json view{{"has_pages", pages > 1}, {"page", list.page}, {"pages", pages}};
  if (list.page > 1) {
    view["previous"] = list.Href(path, {{"page", std::to_string(list.page - 1)}});
  }
  if (list.page < pages) view["next"] = list.Href(path, {{"page", std::to_string(list.page + 1)}});
  if (list.page > pages) {
    // Past the end: say so and link to the last page rather than count rows that are
    // not there.
    view["past_end"] = true;
    view["previous"] = list.Href(path, {{"page", std::to_string(pages)}});
    view["last_href"] = list.Href(path, {{"page", pages > 1 ? std::to_string(pages) : ""}});
  }
  return view;
}

std::string ShowingText(const ListRequest& list, std::int64_t shown, std::int64_t total,
                        std::string_view one, std::string_view many) {
  if (total == 0) return fmt::format("No {} match", many);
  if (shown == 0)
    return fmt::format("{} match; this page is past the end", Plural(total, one, many));
  return fmt::format("Showing {} to {} of {}", Thousands(list.offset + 1),
                     Thousands(list.offset + shown), Plural(total, one, many));
}

// The filter form's selects and the error summary, for people and posts. When nothing is
// chosen in any select, the option lists are not put in `view`: the answer is the shared
// base view that holds them, to render the page with; otherwise it is null.
std::shared_ptr<const json> FilterView(json& view, const ListRequest& list,
                                       const std::shared_ptr<const app::FilterOptions>& options,
                                       UnchosenFilters& unchosen) {
  view["q"] = list.Get("q");
  ChosenFilters chosen{list.Get("department"),
                       list.Get("profession"),
                       domain::Upper(list.Get("grade_from")),
                       domain::Upper(list.Get("grade_to")),
                       list.Get("region"),
                       domain::Upper(list.Get("clearance"))};
  if (const auto* info = domain::FindRegion(chosen.region)) chosen.region = std::string(info->code);
  std::shared_ptr<const json> base;
  if (chosen.None()) {
    base = unchosen.For(options);
  } else {
    PutOptionLists(view, *options, chosen);
  }
  view["sort"] = list.Get("sort");
  view["order"] = list.Get("order");
  view["has_filters"] = std::any_of(list.kept.begin(), list.kept.end(), [](const auto& kv) {
    return kv.first != "sort" && kv.first != "order";
  });
  AddErrors(view, list.errors);
  return base;
}

// ---------- people ----------

const std::vector<std::string> kPeopleParams{"q",          "department", "profession",
                                             "grade_from", "grade_to",   "region",
                                             "clearance",  "sort",       "order"};

// The `sort` parameter: one of `choices` by name, the first when absent; anything else
// is an error naming the choices ("Sort by must be one of name, grade, department or
// start_date").
template <typename Sort>
void ReadSort(ListRequest& list, std::initializer_list<std::pair<std::string_view, Sort>> choices,
              Sort& sort) {
  const std::string wanted = list.Get("sort");
  sort = choices.begin()->second;
  if (wanted.empty()) return;
  std::string names;
  std::size_t i = 0;
  for (const auto& [name, value] : choices) {
    if (name == wanted) {
      sort = value;
      return;
    }
    names += i == 0 ? "" : (i + 1 == choices.size() ? " or " : ", ");
    names += name;
    ++i;
  }
  list.errors.push_back(domain::Error::InvalidInput("sort", "Sort by must be one of " + names));
}

domain::PeopleQuery ReadPeopleQuery(ListRequest& list) {
  domain::PeopleQuery query;
  query.filter.text = list.Get("q");
  query.filter.department = list.Get("department");
  query.filter.profession = list.Get("profession");
  ReadCommonFilters(list, query.filter.grade_min, query.filter.grade_max, query.filter.region,
                    query.filter.clearance);
  ReadSort(list,
           {{"name", domain::PeopleSort::kName},
            {"profession", domain::PeopleSort::kProfession},
            {"region", domain::PeopleSort::kRegion},
            {"line_manager", domain::PeopleSort::kLineManager},
            {"grade", domain::PeopleSort::kGrade},
            {"department", domain::PeopleSort::kDepartment},
            {"start_date", domain::PeopleSort::kStartDate}},
           query.sort);
  if (auto error = ReadOrder(list, query.order)) list.errors.push_back(*error);
  query.limit = list.limit;
  query.offset = list.offset;
  query.file_columns = list.csv;
  return query;
}

json PersonRowJson(const domain::PersonRow& p) {
  auto nullable = [](const std::string& text) { return text.empty() ? json(nullptr) : json(text); };
  return {{"id", p.id},
          {"external_id", p.external_id},
          {"name", p.name},
          {"grade", nullable(p.grade)},
          {"department", p.department},
          {"department_name", p.department_name},
          {"profession", p.profession},
          {"profession_name", p.profession_name},
          {"location", p.location_name},
          {"region", nullable(p.region)},
          {"clearance", nullable(p.clearance)},
          {"start_date", nullable(p.start_date)},
          {"line_manager_id", p.line_manager_id ? json(*p.line_manager_id) : json(nullptr)}};
}

// In the people file's own columns (docs/formats/workforce-csv.md), so that an export
// imports back unchanged.
std::string PeopleCsv(const domain::PeoplePage& page) {
  interchange::CsvWriter csv;
  csv.Row({"external_id", "name", "grade", "department", "location", "profession",
           "other_professions", "post", "line_manager", "clearance_level", "clearance_status",
           "clearance_granted", "clearance_review_due", "start_date"});
  for (const auto& p : page.rows) {
    csv.Row({p.external_id, p.name, p.grade, p.department, p.location, p.profession,
             p.other_professions, p.post, p.line_manager_external_id, p.clearance,
             p.clearance_status, p.clearance_granted, p.clearance_review_due, p.start_date});
  }
  return std::move(csv).text();
}

// The people list and the team page, as a page, JSON or CSV.
// What every list route does before its page is drawn: refuse bad filters (a problem for
// the API and CSV; for the page, the form is shown again with its errors and no rows, and
// only to those who may list at all), fetch the page in the caller's scope, and answer
// the CSV download and the API. Returns the response when there is nothing left to draw;
// otherwise `page` holds the rows for the HTML page.
template <typename Query, typename PageT, typename Fetch, typename ToCsv, typename ToJson>
std::optional<Response> AnswerList(const Ctx& c, const Request& request, const ListRequest& list,
                                   bool api, Query query, Fetch&& fetch, PageT& page,
                                   ToCsv&& to_csv, const std::string& csv_name, ToJson&& to_json) {
  if (api && !list.errors.empty()) return ApiProblem(list.errors.front());
  if (list.csv && !list.errors.empty()) {
    return c->context.errors.ForError(request, list.errors.front());
  }
  if (!list.errors.empty()) {
    query = Query{};
    query.limit = 1;
  }
  auto fetched = fetch(query);
  if (!fetched.ok()) return c->context.errors.ForError(request, fetched.error());
  page = list.errors.empty() ? std::move(*fetched) : PageT{};
  if (list.csv) return CsvResponse(to_csv(page), csv_name);
  if (!api) return std::nullopt;
  json items = json::array();
  for (const auto& row : page.rows) items.push_back(to_json(row));
  return JsonResponse(
      200,
      json{
          {"items", items}, {"total", page.total}, {"limit", list.limit}, {"offset", list.offset}});
}

Response PeopleList(const Ctx& c, Request& request, bool api, bool team) {
  const app::Actor actor = ResolveActor(c->context.identity, request);
  if (!actor.signed_in()) return api ? ApiUnauthenticated() : SignInRedirect(request);
  ListRequest list = ReadList(request, kPeopleParams, api);
  domain::PeopleQuery query = ReadPeopleQuery(list);
  // The API answers each row's department and profession names; the page takes them from
  // its filter's options, which it reads anyway; the file has codes only.
  query.names = api;
  // Only the team page shows each person's line manager (the file names them by HR
  // reference, one of its own columns).
  query.manager_names = team && !api;
  domain::PeoplePage page;
  if (auto answered = AnswerList(
          c, request, list, api, std::move(query),
          [&](const domain::PeopleQuery& q) {
            return team ? c->workforce.ListTeam(actor, q) : c->workforce.ListPeople(actor, q);
          },
          page, PeopleCsv, team ? "team" : "people", PersonRowJson)) {
    return *answered;
  }
  auto options = c->workforce.ListFilterOptions(actor);
  if (!options.ok()) return c->context.errors.ForError(request, options.error());
  const std::string path = team ? "/team" : "/people";
  json view = json::object();
  const auto base = FilterView(view, list, *options, *c->unchosen_filters);
  const app::FilterOptions& names = **options;
  auto name_of = [](const std::string* name, std::string& code) {
    return !name || name->empty() ? std::move(code) : *name;
  };
  json rows = json::array();
  auto& row_list = rows.get_ref<json::array_t&>();
  row_list.reserve(page.rows.size());
  for (auto& p : page.rows) {
    // Member by member, moving the row's text: fifty rows are the page's largest part.
    // Only what the template shows: each member is a node to build and free.
    json::object_t row;
    row.emplace("id", p.id);
    row.emplace("name", std::move(p.name));
    row.emplace("grade", std::move(p.grade));
    row.emplace("department", name_of(names.DepartmentName(p.department), p.department));
    row.emplace("profession", name_of(names.ProfessionName(p.profession), p.profession));
    row.emplace("region", std::move(p.region_name));
    row.emplace("start_date", std::move(p.start_date));
    if (team) row.emplace("manager", std::move(p.line_manager_name));
    row_list.emplace_back(std::move(row));
  }
  view["has_rows"] = !rows.empty();
  view["rows"] = std::move(rows);
  view["team"] = team;
  view["action"] = path;
  view["search_label"] = "Name or HR reference";
  view["heading"] = team ? "Your team" : "People";
  view["caption"] =
      team ? "People who report to you, directly or through their managers" : "People you can see";
  std::vector<std::pair<std::string, std::string>> columns = {{"name", "Name"},
                                                              {"grade", "Grade"},
                                                              {"department", "Department"},
                                                              {"start_date", "Start date"},
                                                              {"profession", "Profession"},
                                                              {"region", "Region"}};
  if (team) columns.emplace_back("line_manager", "Line manager");
  view["headers"] = SortHeaders(list, path, columns, "name");
  view["summary"] = ShowingText(list, static_cast<std::int64_t>(page.rows.size()), page.total,
                                "person", "people");
  view["csv_href"] = list.Href(path, {{"format", "csv"}, {"page", ""}});
  view["clear_href"] = path;
  view.update(PaginationView(list, path, page.total));
  return Page(c, actor, "workforce_people", team ? "Your team" : "People", std::move(view),
              team ? "team" : "people", list.errors.empty() ? 200 : 422, base.get());
}

json ProfileView(const app::PersonProfile& profile) {
  const auto& d = profile.detail;
  const auto& p = d.person;
  json professions = json::array();
  professions.push_back({{"code", p.profession},
                         {"name", p.profession_name.empty() ? p.profession : p.profession_name},
                         {"anchor", true}});
  for (const auto& [code, name] : d.other_professions) {
    professions.push_back({{"code", code}, {"name", name}, {"anchor", false}});
  }
  json reports = json::array();
  for (const auto& r : profile.visible_reports) {
    reports.push_back({{"id", r.id}, {"name", r.name}, {"grade", r.grade}});
  }
  json view{{"id", p.id},
            {"name", p.name},
            {"external_id", p.external_id},
            {"grade", p.grade},
            {"department", p.department},
            {"department_name", p.department_name.empty() ? p.department : p.department_name},
            {"unit_name", d.unit_name},
            {"location", p.location_name},
            {"region", p.region_name},
            {"post", d.post},
            {"post_title", d.post_role_level_title},
            {"post_role", d.post_role},
            {"post_clearance", d.post_clearance},
            {"post_critical", d.post_critical},
            {"professions", professions},
            {"clearance", p.clearance},
            {"clearance_status", d.clearance_status},
            {"clearance_granted", d.clearance_granted},
            {"clearance_review_due", d.clearance_review_due},
            {"clearance_full", profile.clearance_visibility == app::ClearanceVisibility::kFull},
            {"clearance_requirement_only",
             profile.clearance_visibility == app::ClearanceVisibility::kRequirementOnly},
            {"clearance_meets_post", profile.clearance_meets_post.value_or(false)},
            {"clearance_has_post", profile.clearance_meets_post.has_value()},
            {"start_date", p.start_date},
            {"reports", reports},
            {"has_reports", !reports.empty()}};
  if (d.manager) {
    view["manager"] = {
        {"id", d.manager->id}, {"name", d.manager->name}, {"visible", profile.manager_visible}};
  }
  return view;
}

json ProfileJson(const app::PersonProfile& profile) {
  const auto& d = profile.detail;
  json person = PersonRowJson(d.person);
  json others = json::array();
  for (const auto& [code, name] : d.other_professions) {
    others.push_back({{"code", code}, {"name", name}});
  }
  person["other_professions"] = others;
  person["unit"] = d.unit.empty() ? json(nullptr) : json({{"code", d.unit}, {"name", d.unit_name}});
  person["post"] = d.post.empty() ? json(nullptr)
                                  : json({{"external_id", d.post},
                                          {"role_level", d.post_role_level},
                                          {"title", d.post_role_level_title},
                                          {"role", d.post_role},
                                          {"clearance", d.post_clearance},
                                          {"critical", d.post_critical}});
  person["clearance_meets_post"] =
      profile.clearance_meets_post ? json(*profile.clearance_meets_post) : json(nullptr);
  person["clearance_detail"] =
      d.person.clearance.empty()
          ? json(nullptr)
          : json({{"level", d.person.clearance},
                  {"status", d.clearance_status},
                  {"granted",
                   d.clearance_granted.empty() ? json(nullptr) : json(d.clearance_granted)},
                  {"review_due",
                   d.clearance_review_due.empty() ? json(nullptr) : json(d.clearance_review_due)}});
  person["manager"] = d.manager && profile.manager_visible
                          ? json({{"id", d.manager->id}, {"name", d.manager->name}})
                          : json(nullptr);
  json reports = json::array();
  for (const auto& r : profile.visible_reports) {
    reports.push_back({{"id", r.id}, {"name", r.name}, {"grade", r.grade}});
  }
  person["direct_reports"] = reports;
  return person;
}

// ---------- posts ----------

const std::vector<std::string> kPostParams{"q",        "department", "profession", "grade_from",
                                           "grade_to", "region",     "clearance",  "critical",
                                           "status",   "sort",       "order"};

domain::PostQuery ReadPostQuery(ListRequest& list) {
  domain::PostQuery query;
  query.filter.text = list.Get("q");
  query.filter.department = list.Get("department");
  query.filter.profession = list.Get("profession");
  ReadCommonFilters(list, query.filter.grade_min, query.filter.grade_max, query.filter.region,
                    query.filter.clearance);
  if (const auto critical = list.Get("critical"); !critical.empty()) {
    if (critical == "true" || critical == "yes") {
      query.filter.critical = true;
    } else if (critical == "false" || critical == "no") {
      query.filter.critical = false;
    } else {
      list.errors.push_back(
          domain::Error::InvalidInput("critical", "Critical posts only must be true or false"));
    }
  }
  if (const auto status = list.Get("status"); !status.empty()) {
    if (status == "filled") {
      query.filter.filled = true;
    } else if (status == "vacant") {
      query.filter.filled = false;
    } else {
      list.errors.push_back(domain::Error::InvalidInput("status", "Select filled or vacant"));
    }
  }
  ReadSort(list,
           {{"reference", domain::PostSort::kReference},
            {"grade", domain::PostSort::kGrade},
            {"role", domain::PostSort::kRole},
            {"department", domain::PostSort::kDepartment},
            {"region", domain::PostSort::kRegion},
            {"clearance", domain::PostSort::kClearance},
            {"status", domain::PostSort::kStatus},
            {"holder", domain::PostSort::kHolder}},
           query.sort);
  if (auto error = ReadOrder(list, query.order)) list.errors.push_back(*error);
  query.limit = list.limit;
  query.offset = list.offset;
  return query;
}

json PostRowJson(const domain::PostRow& p) {
  return {
      {"id", p.id},
      {"external_id", p.external_id},
      {"role_level", p.role_level},
      {"title", p.role_level_title},
      {"role", p.role},
      {"profession", p.profession},
      {"department", p.department},
      {"unit", p.unit_name},
      {"location", p.location_name},
      {"region", p.region},
      {"grade", p.grade},
      {"clearance", p.clearance},
      {"critical", p.critical},
      {"filled", p.holder_id.has_value()},
      {"holder", p.holder_id ? json(*p.holder_id) : json(nullptr)},
      {"holder_name", p.holder_id ? json(p.holder_name) : json(nullptr)},
      {"holder_clearance", p.holder_clearance.empty() ? json(nullptr) : json(p.holder_clearance)},
      {"holder_clearance_shown", !p.holder_clearance_hidden},
      {"holder_below_clearance", p.holder_below_clearance}};
}

std::string PostsCsv(const domain::PostPage& page) {
  interchange::CsvWriter csv;
  csv.Row({"post_reference", "role_level", "title", "role", "profession", "department", "unit",
           "location", "region", "grade", "clearance", "critical", "status", "holder",
           "holder_clearance", "holder_below_clearance"});
  for (const auto& p : page.rows) {
    csv.Row({p.external_id, p.role_level, p.role_level_title, p.role, p.profession, p.department,
             p.unit_name, p.location_name, p.region_name, p.grade, p.clearance,
             p.critical ? "yes" : "no", p.holder_id ? "filled" : "vacant", p.holder_name,
             p.holder_clearance, p.holder_id ? (p.holder_below_clearance ? "yes" : "no") : ""});
  }
  return std::move(csv).text();
}

Response PostsList(const Ctx& c, Request& request, bool api) {
  const app::Actor actor = ResolveActor(c->context.identity, request);
  if (!actor.signed_in()) return api ? ApiUnauthenticated() : SignInRedirect(request);
  ListRequest list = ReadList(request, kPostParams, api);
  domain::PostPage page;
  if (auto answered = AnswerList(
          c, request, list, api, ReadPostQuery(list),
          [&](const domain::PostQuery& q) { return c->workforce.ListPosts(actor, q); }, page,
          PostsCsv, "posts", PostRowJson)) {
    return *answered;
  }
  auto options = c->workforce.ListFilterOptions(actor);
  if (!options.ok()) return c->context.errors.ForError(request, options.error());
  json view = json::object();
  const auto base = FilterView(view, list, *options, *c->unchosen_filters);
  view["action"] = "/posts";
  view["posts"] = true;
  view["search_label"] = "Role title or post reference";
  view["status_options"] = SelectOptions({{"filled", "Filled"}, {"vacant", "Vacant"}},
                                         list.Get("status"), "Filled or vacant");
  view["critical_checked"] = list.Get("critical") == "true" || list.Get("critical") == "yes";
  json rows = json::array();
  for (const auto& p : page.rows) {
    rows.push_back({{"external_id", p.external_id},
                    {"title", p.role_level_title},
                    {"level_href",
                     fmt::format("{}#level-{}", RoleHref(p.profession, p.role_code), p.role_level)},
                    {"grade", p.grade},
                    {"department", p.department_name},
                    {"region", p.region_name},
                    {"clearance", p.clearance},
                    {"critical", p.critical},
                    {"filled", p.holder_id.has_value()},
                    {"holder_id", p.holder_id.value_or(0)},
                    {"holder_name", p.holder_name},
                    {"holder_clearance", p.holder_clearance_hidden    ? "not shown to you"
                                         : p.holder_clearance.empty() ? "none recorded"
                                                                      : p.holder_clearance},
                    {"holder_below", p.holder_below_clearance}});
  }
  view["rows"] = rows;
  view["has_rows"] = !rows.empty();
  view["headers"] = SortHeaders(list, "/posts",
                                {{"reference", "Post"},
                                 {"role", "Role"},
                                 {"grade", "Grade"},
                                 {"department", "Department"},
                                 {"region", "Region"},
                                 {"clearance", "Clearance"},
                                 {"status", "Status"},
                                 {"holder", "Holder"}},
                                "reference");
  view["summary"] =
      ShowingText(list, static_cast<std::int64_t>(page.rows.size()), page.total, "post", "posts");
  view["csv_href"] = list.Href("/posts", {{"format", "csv"}, {"page", ""}});
  view.update(PaginationView(list, "/posts", page.total));
  return Page(c, actor, "workforce_posts", "Posts", std::move(view), "posts",
              list.errors.empty() ? 200 : 422, base.get());
}

// ---------- professions ----------

json MovesView(const std::vector<domain::RoleMove>& moves, const std::string& profession) {
  json list = json::array();
  for (const auto& m : moves) {
    const bool promotion = m.kind == domain::RoleMove::Kind::kPromotion;
    list.push_back(
        {{"promotion", promotion},
         {"title", m.title},
         {"role", m.role},
         {"href", fmt::format("{}#level-{}", RoleHref(m.profession, m.role_code), m.role_level)},
         {"profession_name", m.profession_name},
         {"other_profession", m.profession != profession},
         {"grades", GradeRange(m.grade_min, m.grade_max)},
         {"shared_items", m.shared_items}});
  }
  return list;
}

// What both profession pages show of the profession itself.
json ProfessionHeadView(const domain::ProfessionDetail& d) {
  return {{"code", d.summary.code},
          {"name", d.summary.name},
          {"href", "/professions/" + UrlEncode(d.summary.code)},
          {"headcount", Thousands(d.summary.headcount)},
          {"roles_count", d.summary.roles},
          {"levels_count", d.summary.role_levels},
          {"framework_id", d.career_framework_id},
          {"framework_title", d.career_framework_title},
          {"has_framework", !d.career_framework_title.empty()}};
}

// The profession's page: its roles as a table per job family (each role on a page of its
// own, so that the page stays small whatever the size of the ladder), its community
// and induction. `d` is the ladder alone (ProfessionParts::level_details false).
json ProfessionView(const domain::ProfessionDetail& d) {
  json families = json::array();
  for (const auto& family : d.job_families) {
    json roles = json::array();
    for (const auto& role : family.roles) {
      std::int64_t posts = 0;
      for (const auto& level : role.levels) posts += level.posts;
      roles.push_back({{"name", role.name},
                       {"href", RoleHref(d.summary.code, role.code)},
                       {"levels", role.levels.size()},
                       {"grades", role.levels.empty() ? std::string()
                                                      : GradeRange(role.levels.front().grade_min,
                                                                   role.levels.back().grade_max)},
                       {"posts", Thousands(posts)}});
    }
    families.push_back({{"code", family.code},
                        {"name", family.name},
                        {"roles", roles},
                        {"has_roles", !roles.empty()}});
  }
  json heads = json::array();
  json departmental = json::array();
  for (const auto& contact : d.community) {
    json entry{{"name", contact.name}, {"department", contact.department_name}};
    (contact.kind == "head_of_profession" ? heads : departmental).push_back(entry);
  }
  json view = ProfessionHeadView(d);
  view.update({{"description", Paragraphs(d.summary.description)},
               {"families", families},
               {"has_families", !families.empty()},
               {"heads", heads},
               {"departmental_heads", departmental},
               {"has_community", !d.community.empty()},
               {"induction", Paragraphs(d.induction)},
               {"has_induction", !d.induction.empty()}});
  return view;
}

// One role of a profession: its ladder of levels, what each level needs and the usual
// moves from and to it. `d` holds only that role (ProfessionParts::role).
json ProfessionRoleView(const domain::ProfessionDetail& d) {
  json view = ProfessionHeadView(d);
  for (const auto& family : d.job_families) {
    for (const auto& role : family.roles) {
      json levels = json::array();
      for (const auto& level : role.levels) {
        json requirements = json::array();
        for (const auto& r : level.requirements) {
          const std::string skill_level(domain::SkillLevelName(r.level));
          requirements.push_back(
              {{"title", r.item_title.empty() ? r.item_id : r.item_title},
               {"href", r.item_title.empty() ? "" : "/frameworks/" + r.framework_id},
               {"level", skill_level.empty() ? fmt::format("Level {}", r.level) : skill_level},
               {"weight", r.weight}});
        }
        levels.push_back({{"code", level.code},
                          {"title", level.title},
                          {"position", level.position},
                          {"grades", GradeRange(level.grade_min, level.grade_max)},
                          {"posts", Thousands(level.posts)},
                          {"requirements", requirements},
                          {"has_requirements", !requirements.empty()},
                          {"experience", level.experience},
                          {"has_experience", !level.experience.empty()},
                          {"qualifications", level.qualifications},
                          {"has_qualifications", !level.qualifications.empty()},
                          {"moves_out", MovesView(level.moves_out, d.summary.code)},
                          {"has_moves_out", !level.moves_out.empty()},
                          {"moves_in", MovesView(level.moves_in, d.summary.code)},
                          {"has_moves_in", !level.moves_in.empty()}});
      }
      view.update({{"family", family.name},
                   {"role_code", role.code},
                   {"role_name", role.name},
                   {"role_description", Paragraphs(role.description)},
                   {"levels", levels},
                   {"has_levels", !levels.empty()}});
    }
  }
  return view;
}

json MovesJson(const std::vector<domain::RoleMove>& moves) {
  json list = json::array();
  for (const auto& m : moves) {
    list.push_back(
        {{"kind", m.kind == domain::RoleMove::Kind::kPromotion ? "promotion" : "lateral"},
         {"role_level", m.role_level},
         {"title", m.title},
         {"role", m.role},
         {"profession", m.profession},
         {"grade_min", m.grade_min},
         {"grade_max", m.grade_max},
         {"shared_items", m.shared_items}});
  }
  return list;
}

json ProfessionJson(const domain::ProfessionDetail& d) {
  json families = json::array();
  for (const auto& family : d.job_families) {
    json roles = json::array();
    for (const auto& role : family.roles) {
      json levels = json::array();
      for (const auto& level : role.levels) {
        json requirements = json::array();
        for (const auto& r : level.requirements) {
          requirements.push_back({{"item_id", r.item_id},
                                  {"title", r.item_title},
                                  {"framework_id", r.framework_id},
                                  {"level", r.level},
                                  {"weight", r.weight}});
        }
        levels.push_back({{"code", level.code},
                          {"title", level.title},
                          {"position", level.position},
                          {"grade_min", level.grade_min},
                          {"grade_max", level.grade_max},
                          {"posts", level.posts},
                          {"requirements", requirements},
                          {"experience", level.experience},
                          {"qualifications", level.qualifications},
                          {"moves_out", MovesJson(level.moves_out)},
                          {"moves_in", MovesJson(level.moves_in)}});
      }
      roles.push_back({{"code", role.code},
                       {"name", role.name},
                       {"description", role.description},
                       {"levels", levels}});
    }
    families.push_back({{"code", family.code}, {"name", family.name}, {"roles", roles}});
  }
  json community = json::array();
  for (const auto& contact : d.community) {
    community.push_back(
        {{"kind", contact.kind},
         {"name", contact.name},
         {"department", contact.department.empty() ? json(nullptr) : json(contact.department)}});
  }
  return {{"code", d.summary.code},
          {"name", d.summary.name},
          {"description", d.summary.description},
          {"headcount", d.summary.headcount},
          {"career_framework_id",
           d.career_framework_id.empty() ? json(nullptr) : json(d.career_framework_id)},
          {"job_families", families},
          {"community", community},
          {"induction", d.induction}};
}

json CountsView(const std::vector<domain::Count>& counts) {
  json list = json::array();
  for (const auto& count : counts) {
    list.push_back({{"key", count.key}, {"label", count.label}, {"count", Thousands(count.count)}});
  }
  return list;
}

json CountsTable(const std::vector<domain::Count>& counts, const std::string& caption,
                 const std::string& key) {
  return {{"counts_caption", caption}, {"counts_key", key}, {"counts", CountsView(counts)}};
}

std::optional<std::string> CodeParam(const Request& request) {
  const std::string& code = request.path_params.at("code");
  if (!ValidCode(code)) return std::nullopt;
  return code;
}

// The professions list as a CSV download (the page's and the API's).
template <typename Professions>
Response ProfessionsCsv(const Professions& list) {
  interchange::CsvWriter csv;
  csv.Row({"code", "name", "roles", "role_levels", "headcount"});
  for (const auto& p : list) {
    csv.Row({p.code, p.name, std::to_string(p.roles), std::to_string(p.role_levels),
             std::to_string(p.headcount)});
  }
  return CsvResponse(std::move(csv).text(), "professions");
}

// ---------- routes ----------

void RegisterPages(Router& router, const Ctx& c) {
  router.Add("GET", "/professions", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto list = c->workforce.ListProfessions(actor);
    if (!list.ok()) return c->context.errors.ForError(request, list.error());
    if (WantsCsv(request, false)) {
      return ProfessionsCsv(*list);
    }
    json rows = json::array();
    for (const auto& p : *list) {
      rows.push_back({{"code", p.code},
                      {"name", p.name},
                      {"roles", p.roles},
                      {"levels", p.role_levels},
                      {"headcount", Thousands(p.headcount)}});
    }
    json view{{"rows", rows}, {"has_rows", !rows.empty()}};
    return Page(c, actor, "workforce_professions", "Professions", view, "professions");
  });
  router.SetAction("profession.read");

  router.Add("GET", "/professions/{code}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto code = CodeParam(request);
    if (!code) return c->context.errors.ForStatus(request, 404);
    domain::ProfessionParts parts;
    parts.level_details = false;
    auto detail = c->workforce.GetProfession(actor, *code, parts);
    if (!detail.ok()) return c->context.errors.ForError(request, detail.error());
    json view = ProfessionView(*detail);
    view["may_see_workforce"] =
        actor.HasRole(domain::Role::kAdministrator) ||
        std::any_of(actor.grants.begin(), actor.grants.end(), [&](auto& g) {
          return g.role == domain::Role::kHeadOfProfession && g.scope == *code;
        });
    return Page(c, actor, "workforce_profession", detail->summary.name, view, "professions");
  });
  router.SetAction("profession.read");

  router.Add("GET", "/professions/{code}/roles/{role}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto code = CodeParam(request);
    const std::string& role = request.path_params.at("role");
    if (!code || !ValidCode(role, kMaxRoleCode)) return c->context.errors.ForStatus(request, 404);
    domain::ProfessionParts parts;
    parts.role = role;
    auto detail = c->workforce.GetProfession(actor, *code, parts);
    if (!detail.ok()) return c->context.errors.ForError(request, detail.error());
    json view = ProfessionRoleView(*detail);
    return Page(c, actor, "workforce_profession_role",
                fmt::format("{} - {}", view.value("role_name", ""), detail->summary.name), view,
                "professions");
  });
  router.SetAction("profession.read");

  router.Add("GET", "/professions/{code}/workforce", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto code = CodeParam(request);
    if (!code) return c->context.errors.ForStatus(request, 404);
    auto overview = c->workforce.GetProfessionOverview(actor, *code);
    if (!overview.ok()) return c->context.errors.ForError(request, overview.error());
    json view{{"code", overview->code},
              {"name", overview->name},
              {"headcount", Plural(overview->headcount, "person", "people")},
              {"by_department_view",
               CountsTable(overview->by_department, "People by department", "Department")},
              {"by_grade_view", CountsTable(overview->by_grade, "People by grade", "Grade")},
              {"by_region_view", CountsTable(overview->by_region, "People by region", "Region")},
              {"people_href", "/people?profession=" + UrlEncode(overview->code)}};
    return Page(c, actor, "workforce_profession_overview", "Workforce - " + overview->name, view,
                "professions");
  });
  router.SetAction("profession.overview");

  router.Add("GET", "/people",
             [c](Request& request) { return PeopleList(c, request, false, false); });
  router.SetAction("person.list");

  router.Add("GET", "/team", [c](Request& request) { return PeopleList(c, request, false, true); });
  router.SetAction("person.list");

  router.Add("GET", "/people/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->context.errors.ForStatus(request, 404);
    auto profile = c->workforce.GetPerson(actor, *id);
    if (!profile.ok()) return c->context.errors.ForError(request, profile.error());
    json view = ProfileView(*profile);
    // A person's own record speaks to them.
    view["own"] = actor.person_id && *actor.person_id == *id;
    return Page(c, actor, "person", profile->detail.person.name, view, "people");
  });
  router.SetAction("person.read");

  router.Add("GET", "/posts", [c](Request& request) { return PostsList(c, request, false); });
  router.SetAction("post.list");

  router.Add("GET", "/departments", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto list = c->workforce.ListDepartments(actor);
    if (!list.ok()) return c->context.errors.ForError(request, list.error());
    if (WantsCsv(request, false)) {
      interchange::CsvWriter csv;
      csv.Row({"code", "name", "headcount"});
      for (const auto& d : *list) csv.Row({d.code, d.name, std::to_string(d.headcount)});
      return CsvResponse(std::move(csv).text(), "departments");
    }
    json rows = json::array();
    for (const auto& d : *list) {
      rows.push_back({{"code", d.code}, {"name", d.name}, {"headcount", Thousands(d.headcount)}});
    }
    json view{{"rows", rows}, {"has_rows", !rows.empty()}};
    return Page(c, actor, "workforce_departments", "Departments", view, "departments");
  });
  router.SetAction("department.read");

  router.Add("GET", "/departments/{code}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto code = CodeParam(request);
    if (!code) return c->context.errors.ForStatus(request, 404);
    auto overview = c->workforce.GetDepartment(actor, *code);
    if (!overview.ok()) return c->context.errors.ForError(request, overview.error());
    const auto& o = *overview;
    json view{
        {"code", o.summary.code},
        {"name", o.summary.name},
        {"headcount", Plural(o.summary.headcount, "person", "people")},
        {"by_grade_view", CountsTable(o.by_grade, "People by grade", "Grade")},
        {"by_region_view", CountsTable(o.by_region, "People by region", "Region")},
        {"by_profession_view", CountsTable(o.by_profession, "People by profession", "Profession")},
        {"posts_filled", Thousands(o.posts_filled)},
        {"posts_vacant", Thousands(o.posts_vacant)},
        {"people_href", "/people?department=" + UrlEncode(o.summary.code)},
        {"posts_href", "/posts?department=" + UrlEncode(o.summary.code)},
        {"vacant_href", "/posts?department=" + UrlEncode(o.summary.code) + "&status=vacant"}};
    return Page(c, actor, "workforce_department", o.summary.name, view, "departments");
  });
  router.SetAction("department.read");
}

void RegisterApi(Router& router, const Ctx& c) {
  router.Add("GET", "/api/v1/people",
             [c](Request& request) { return PeopleList(c, request, true, false); });
  router.SetAction("person.list");

  router.Add("GET", "/api/v1/people/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto profile = c->workforce.GetPerson(actor, *id);
    if (!profile.ok()) return c->context.errors.ForError(request, profile.error());
    return JsonResponse(200, ProfileJson(*profile));
  });
  router.SetAction("person.read");

  router.Add("GET", "/api/v1/posts", [c](Request& request) { return PostsList(c, request, true); });
  router.SetAction("post.list");

  router.Add("GET", "/api/v1/role-levels", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    ListRequest list = ReadList(request, {"q", "profession", "grade"}, true);
    domain::RoleLevelFilter filter;
    filter.text = list.Get("q");
    filter.profession = list.Get("profession");
    if (!filter.profession.empty() && !ValidCode(filter.profession)) {
      list.errors.push_back(domain::Error::InvalidInput("profession", "Select a profession"));
    }
    if (const auto grade = list.Get("grade"); !grade.empty()) {
      filter.grade = GradeRank(grade);
      if (!filter.grade)
        list.errors.push_back(domain::Error::InvalidInput("grade", "Select a grade"));
    }
    if (!list.errors.empty()) return ApiProblem(list.errors.front());
    auto page = c->workforce.ListRoleLevels(actor, filter, list.limit, list.offset);
    if (!page.ok()) return c->context.errors.ForError(request, page.error());
    if (list.csv) {
      interchange::CsvWriter csv;
      csv.Row({"code", "title", "position", "role", "role_name", "job_family", "profession",
               "grade_min", "grade_max", "requirements"});
      for (const auto& r : page->rows) {
        csv.Row({r.code, r.title, std::to_string(r.position), r.role, r.role_name, r.job_family,
                 r.profession, r.grade_min, r.grade_max, std::to_string(r.requirements)});
      }
      return CsvResponse(std::move(csv).text(), "role-levels");
    }
    json items = json::array();
    for (const auto& r : page->rows) {
      items.push_back({{"code", r.code},
                       {"title", r.title},
                       {"position", r.position},
                       {"role", r.role},
                       {"role_name", r.role_name},
                       {"job_family", r.job_family},
                       {"profession", r.profession},
                       {"grade_min", r.grade_min},
                       {"grade_max", r.grade_max},
                       {"requirements", r.requirements}});
    }
    return JsonResponse(200, json{{"items", items},
                                  {"total", page->total},
                                  {"limit", list.limit},
                                  {"offset", list.offset}});
  });
  router.SetAction("profession.read");

  router.Add("GET", "/api/v1/professions", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    auto list = c->workforce.ListProfessions(actor);
    if (!list.ok()) return c->context.errors.ForError(request, list.error());
    if (WantsCsv(request, true)) {
      return ProfessionsCsv(*list);
    }
    json items = json::array();
    for (const auto& p : *list) {
      items.push_back({{"code", p.code},
                       {"name", p.name},
                       {"description", p.description},
                       {"roles", p.roles},
                       {"role_levels", p.role_levels},
                       {"headcount", p.headcount}});
    }
    return JsonResponse(200, json{{"items", items}, {"total", items.size()}});
  });
  router.SetAction("profession.read");

  router.Add("GET", "/api/v1/professions/{code}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto code = CodeParam(request);
    if (!code) return ProblemResponse(404, "not-found", "");
    auto detail = c->workforce.GetProfession(actor, *code);
    if (!detail.ok()) return c->context.errors.ForError(request, detail.error());
    return JsonResponse(200, ProfessionJson(*detail));
  });
  router.SetAction("profession.read");

  router.Add("GET", "/api/v1/departments", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->context.identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    auto list = c->workforce.ListDepartments(actor);
    if (!list.ok()) return c->context.errors.ForError(request, list.error());
    if (WantsCsv(request, true)) {
      interchange::CsvWriter csv;
      csv.Row({"code", "name", "headcount"});
      for (const auto& d : *list) csv.Row({d.code, d.name, std::to_string(d.headcount)});
      return CsvResponse(std::move(csv).text(), "departments");
    }
    json items = json::array();
    for (const auto& d : *list) {
      items.push_back({{"code", d.code}, {"name", d.name}, {"headcount", d.headcount}});
    }
    return JsonResponse(200, json{{"items", items}, {"total", items.size()}});
  });
  router.SetAction("department.read");
}

}  // namespace

void RegisterWorkforceRoutes(Router& router, const WorkforceRoutesContext& context) {
  const Ctx c = std::make_shared<State>(State{context, context.workforce});
  RegisterPages(router, c);
  RegisterApi(router, c);
}

}  // namespace pathway::web
