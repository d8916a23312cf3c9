#include "web/router.hpp"

#include <algorithm>

namespace pathway::web {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  if (!path.empty() && path.front() == '/') start = 1;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(path.substr(start));
      break;
    }
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string, std::less<>>& params) {
  const auto want = Split(pattern);
  const auto have = Split(path);
  params.clear();
  for (std::size_t i = 0; i < want.size(); ++i) {
    const std::string_view segment = want[i];
    const bool is_param = segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
    if (is_param && segment.ends_with("...}")) {
      if (i >= have.size()) return false;
      const auto offset = static_cast<std::size_t>(have[i].data() - path.data());
      const std::string_view rest = path.substr(offset);
      if (rest.empty()) return false;
      params.emplace(std::string(segment.substr(1, segment.size() - 5)), std::string(rest));
      return true;
    }
    if (i >= have.size()) return false;
    if (is_param) {
      if (have[i].empty()) return false;
      params.emplace(std::string(segment.substr(1, segment.size() - 2)), std::string(have[i]));
    } else if (segment != have[i]) {
      return false;
    }
  }
  return want.size() == have.size();
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler, Execution execution,
                 InlinePredicate inline_when) {
  routes_.push_back({std::move(method),
                     std::move(pattern),
                     std::move(handler),
                     execution,
                     std::move(inline_when),
                     {},
                     0});
}

std::size_t Router::LargestBody(std::size_t fallback) const {
  std::size_t largest = fallback;
  for (const Route& route : routes_) largest = std::max(largest, route.max_body_bytes);
  return largest;
}

RouteMatch Router::Match(Request& request) const {
  RouteMatch result;
  if (!request.path.starts_with('/')) return result;
  const std::string_view method =
      request.method == "HEAD" ? std::string_view("GET") : std::string_view(request.method);
  std::map<std::string, std::string, std::less<>> params;
  for (const Route& route : routes_) {
    if (!MatchPattern(route.pattern, request.path, params)) continue;
    if (route.method == method) {
      request.path_params = std::move(params);
      result.route = &route;
      result.method_not_allowed = false;
      return result;
    }
    result.method_not_allowed = true;
    if (result.allow.find(route.method) == std::string::npos) {
      if (!result.allow.empty()) result.allow += ", ";
      result.allow += route.method;
      if (route.method == "GET") result.allow += ", HEAD";
    }
  }
  return result;
}

}  // namespace pathway::web
