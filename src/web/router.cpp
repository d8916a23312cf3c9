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

}  // namespace

std::vector<Router::Segment> Router::Compile(std::string_view pattern) {
  std::vector<Segment> segments;
  for (const std::string_view part : Split(pattern)) {
    Segment segment;
    const bool is_param = part.size() > 2 && part.front() == '{' && part.back() == '}';
    if (is_param && part.ends_with("...}")) {
      segment.kind = Segment::Kind::kTail;
      segment.text = part.substr(1, part.size() - 5);
    } else if (is_param) {
      segment.kind = Segment::Kind::kParameter;
      segment.text = part.substr(1, part.size() - 2);
    } else {
      segment.text = part;
    }
    segments.push_back(std::move(segment));
  }
  return segments;
}

bool Router::MatchSegments(const std::vector<Segment>& want, std::string_view path,
                           const std::vector<std::string_view>& have,
                           std::map<std::string, std::string, std::less<>>& params) {
  params.clear();
  for (std::size_t i = 0; i < want.size(); ++i) {
    const Segment& segment = want[i];
    if (segment.kind == Segment::Kind::kTail) {
      if (i >= have.size()) return false;
      const auto offset = static_cast<std::size_t>(have[i].data() - path.data());
      const std::string_view rest = path.substr(offset);
      if (rest.empty()) return false;
      params.emplace(segment.text, std::string(rest));
      return true;
    }
    if (i >= have.size()) return false;
    if (segment.kind == Segment::Kind::kParameter) {
      if (have[i].empty()) return false;
      params.emplace(segment.text, std::string(have[i]));
    } else if (segment.text != have[i]) {
      return false;
    }
  }
  return want.size() == have.size();
}

void Router::Add(std::string method, std::string pattern, Handler handler, Execution execution,
                 InlinePredicate inline_when) {
  segments_.push_back(Compile(pattern));
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
  const std::string_view path = request.path;
  const std::vector<std::string_view> have = Split(path);
  std::map<std::string, std::string, std::less<>> params;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Route& route = routes_[i];
    if (!MatchSegments(segments_[i], path, have, params)) continue;
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
