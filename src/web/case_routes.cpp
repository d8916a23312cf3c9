#include "web/case_routes.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/text.hpp"
#include "interchange/case_json.hpp"
#include "web/auth.hpp"
#include "web/json.hpp"

namespace pathway::web {
namespace {

using nlohmann::json;
using Ctx = std::shared_ptr<const CaseRoutesContext>;

constexpr std::string_view kBase = "/ims/case/v1p1";

Response Imsx(int status, std::string_view minor, std::string_view description) {
  json body{{"imsx_codeMajor", "failure"},
            {"imsx_severity", "error"},
            {"imsx_description", std::string(description)},
            {"imsx_codeMinor",
             {{"imsx_codeMinorField",
               json::array({{{"imsx_codeMinorFieldName", "sourcedId"},
                             {"imsx_codeMinorFieldValue", std::string(minor)}}})}}}};
  Response response = JsonResponse(status, body);
  if (status == 401) response.SetHeader("WWW-Authenticate", "Bearer realm=\"Pathway\"");
  return response;
}

// The base URI of this server's CASE API, from the request's Host header.
std::string BaseUri(const Request& request) {
  std::string host(request.Header("host"));
  if (host.empty() || host.find_first_of(" /\\\"<>") != std::string::npos) host = "localhost";
  return fmt::format("http://{}{}", host, kBase);
}

// The published frameworks' packages as JSON, for one base URI, each with its crosswalks
// as associations.
domain::Result<std::vector<json>> Packages(const Ctx& c, const app::PublishedFrameworks& published,
                                           const std::string& base) {
  std::vector<json> packages;
  packages.reserve(published.frameworks.size());
  for (const auto& entry : published.frameworks) {
    const std::string changed =
        entry.published_at.empty() ? "2026-01-01T00:00:00" : entry.published_at.substr(0, 19);
    interchange::CaseExportOptions options{base, "Pathway", changed + "Z"};
    PATHWAY_ASSIGN_OR_RETURN(auto framework, c->crosswalks.WithCrosswalks(entry.framework, base));
    packages.push_back(json::parse(interchange::WriteCasePackage(framework, options)));
  }
  return packages;
}

// The packages of the published frameworks (which app::FrameworkService caches and
// forgets on publish and retire), serialised once per base URI for each load of them,
// so that a request neither loads nor serialises any framework. Thread-safe.
class PackageCache {
 public:
  using Shared = std::shared_ptr<const std::vector<json>>;

  domain::Result<Shared> Get(const Ctx& c, const app::Actor& actor, const Request& request) {
    auto published = c->frameworks.Published(actor);
    if (!published.ok()) {
      if (published.error().code == domain::ErrorCode::kNotFound) {
        return std::make_shared<const std::vector<json>>();  // may read none
      }
      return published.error();
    }
    const std::uint64_t generation = (*published)->generation;
    const std::string base = BaseUri(request);
    {
      std::lock_guard lock(mutex_);
      if (generation != generation_) {
        generation_ = generation;
        by_base_.clear();
      }
      if (auto found = by_base_.find(base); found != by_base_.end()) return found->second;
    }
    PATHWAY_ASSIGN_OR_RETURN(auto built, Packages(c, **published, base));
    auto packages = std::make_shared<const std::vector<json>>(std::move(built));
    std::lock_guard lock(mutex_);
    // The Host header names the base: keep a few, so that odd hosts cannot fill memory.
    if (generation == generation_) {
      if (by_base_.size() >= kMaxBases) by_base_.clear();
      by_base_[base] = packages;
    }
    return packages;
  }

 private:
  static constexpr std::size_t kMaxBases = 4;
  std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::map<std::string, Shared> by_base_;
};

// Runs `answer` for a signed-in actor (API token or session), else 401.
template <typename F>
Handler Guarded(const Ctx& c, const std::shared_ptr<PackageCache>& cache, F answer) {
  return [c, cache, answer](Request& request) -> Response {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) {
      return Imsx(401, "unauthorisedrequest", "Send an API token: Authorization: Bearer <token>");
    }
    auto packages = cache->Get(c, actor, request);
    if (!packages.ok())
      return Imsx(500, "internal_server_error", "The frameworks could not be read");
    return answer(request, **packages);
  };
}

Response Found(const json& object) { return JsonResponse(200, object); }

// Finds an object by identifier in one array of every package.
std::optional<json> FindIn(const std::vector<json>& packages, const std::string& array,
                           const std::string& id) {
  for (const auto& package : packages) {
    if (!package.contains(array)) continue;
    for (const auto& object : package[array]) {
      if (object.value("identifier", "") == id) return object;
    }
  }
  return std::nullopt;
}

// `filter`: clauses joined by " AND ", each FIELD=VALUE (equal) or FIELD~VALUE
// (contains, ignoring case); values may be in single quotes.
std::optional<std::vector<std::tuple<std::string, char, std::string>>> ParseFilter(
    const std::string& text) {
  std::vector<std::tuple<std::string, char, std::string>> clauses;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(" AND ", start);
    if (end == std::string::npos) end = text.size();
    const std::string clause = text.substr(start, end - start);
    const auto op = clause.find_first_of("=~");
    if (op == std::string::npos || op == 0) return std::nullopt;
    std::string value = clause.substr(op + 1);
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
      value = value.substr(1, value.size() - 2);
    }
    clauses.emplace_back(clause.substr(0, op), clause[op], value);
    start = end == text.size() ? end : end + 5;
  }
  return clauses;
}

std::string FieldText(const json& object, const std::string& field) {
  if (!object.contains(field)) return {};
  const json& value = object[field];
  return value.is_string() ? value.get<std::string>() : JsonText(value);
}

Response Documents(const Request& request, const std::vector<json>& packages) {
  std::vector<json> documents;
  for (const auto& package : packages) documents.push_back(package["CFDocument"]);
  const auto number = [&](const char* name, long fallback, long max) -> std::optional<long> {
    const auto text = request.QueryParam(name);
    if (!text) return fallback;
    const auto value = ParseId(*text);
    if (!value || *value > max) return std::nullopt;
    return *value;
  };
  const auto limit = number("limit", 100, 1000);
  const auto offset = number("offset", 0, 1000000);
  if (!limit || *limit == 0)
    return Imsx(400, "invalid_selection_field", "The number of results (limit) must be 1 to 1000");
  if (!offset)
    return Imsx(400, "invalid_selection_field",
                "The number of results to skip (offset) must be 0 or more");
  if (const auto filter = request.QueryParam("filter")) {
    const auto clauses = ParseFilter(*filter);
    if (!clauses) {
      return Imsx(400, "invalid_filter_field",
                  "The filter must be FIELD=VALUE or FIELD~VALUE clauses joined by AND");
    }
    std::erase_if(documents, [&](const json& document) {
      for (const auto& [field, op, value] : *clauses) {
        const std::string have = FieldText(document, field);
        if (op == '=' ? have != value
                      : domain::Lower(have).find(domain::Lower(value)) == std::string::npos) {
          return true;
        }
      }
      return false;
    });
  }
  const std::string sort = request.QueryParam("sort").value_or("title");
  const bool descending = request.QueryParam("orderBy").value_or("asc") == "desc";
  if (const auto order = request.QueryParam("orderBy");
      order && *order != "asc" && *order != "desc") {
    return Imsx(400, "invalid_sort_field", "The sort order (orderBy) must be asc or desc");
  }
  std::stable_sort(documents.begin(), documents.end(), [&](const json& a, const json& b) {
    return descending ? FieldText(b, sort) < FieldText(a, sort)
                      : FieldText(a, sort) < FieldText(b, sort);
  });
  const std::size_t total = documents.size();
  json page = json::array();
  for (std::size_t i = static_cast<std::size_t>(*offset);
       i < documents.size() && page.size() < static_cast<std::size_t>(*limit); ++i) {
    json document = documents[i];
    if (const auto fields = request.QueryParam("fields")) {
      json projected = json::object();
      std::size_t start = 0;
      while (start <= fields->size()) {
        auto end = fields->find(',', start);
        if (end == std::string::npos) end = fields->size();
        const std::string field = fields->substr(start, end - start);
        if (document.contains(field)) projected[field] = document[field];
        start = end + 1;
      }
      document = projected;
    }
    page.push_back(document);
  }
  Response response = JsonResponse(200, json{{"CFDocuments", page}});
  response.SetHeader("X-Total-Count", std::to_string(total));
  return response;
}

}  // namespace

void RegisterCaseRoutes(Router& router, const CaseRoutesContext& context) {
  const Ctx c = std::make_shared<const CaseRoutesContext>(context);
  const auto cache = std::make_shared<PackageCache>();
  const std::string base(kBase);
  router.Add("GET", base + "/CFDocuments", Guarded(c, cache, Documents));
  router.SetAction("framework.read");
  router.Add(
      "GET", base + "/CFDocuments/{id}",
      Guarded(c, cache, [](Request& request, const std::vector<json>& packages) {
        for (const auto& package : packages) {
          if (package["CFDocument"].value("identifier", "") == request.path_params.at("id")) {
            return Found(package["CFDocument"]);
          }
        }
        return Imsx(404, "unknownobject", "No published framework has this identifier");
      }));
  router.SetAction("framework.read");
  router.Add(
      "GET", base + "/CFPackages/{id}",
      Guarded(c, cache, [](Request& request, const std::vector<json>& packages) {
        for (const auto& package : packages) {
          if (package["CFDocument"].value("identifier", "") == request.path_params.at("id")) {
            return Found(package);
          }
        }
        return Imsx(404, "unknownobject", "No published framework has this identifier");
      }));
  router.SetAction("framework.read");
  router.Add("GET", base + "/CFItems/{id}",
             Guarded(c, cache, [](Request& request, const std::vector<json>& packages) {
               const auto item = FindIn(packages, "CFItems", request.path_params.at("id"));
               if (!item)
                 return Imsx(404, "unknownobject", "No published item has this identifier");
               return Found(*item);
             }));
  router.SetAction("framework.read");
  router.Add("GET", base + "/CFAssociations/{id}",
             Guarded(c, cache, [](Request& request, const std::vector<json>& packages) {
               const auto association =
                   FindIn(packages, "CFAssociations", request.path_params.at("id"));
               if (!association) {
                 return Imsx(404, "unknownobject", "No published association has this identifier");
               }
               return Found(*association);
             }));
  router.SetAction("framework.read");
}

}  // namespace pathway::web
