// Maps a method and path to a handler. Patterns are literal segments, `{name}` for one
// segment and a trailing `{name...}` for the rest of the path.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "web/http.hpp"

namespace pathway::web {

using Handler = std::function<Response(Request&)>;

enum class Execution {
  kWorker,  // may block (database, rendering): runs on the worker pool
  kInline,  // answers from memory without blocking: runs on the I/O thread
};

// Decides per request whether a kWorker route can answer on the I/O thread after all
// (for example: a page served from a cache when the request carries no session).
using InlinePredicate = std::function<bool(const Request&)>;

struct Route;
// Decides, from a request's headers alone (before its body is read), whether the
// sender may send a body larger than the small cap to a route that takes large bodies:
// true only for an actor who holds the route's right. May block (a session lookup).
using LargeBodyGate = std::function<bool(const Request&, const Route&)>;

struct Route {
  std::string method;
  std::string pattern;  // also the route's name in metrics and logs
  Handler handler;
  Execution execution = Execution::kWorker;
  InlinePredicate inline_when;  // optional; only consulted for kWorker routes
  // The policy action the route performs (e.g. "user.read"), empty for public routes;
  // the access tests are generated from these.
  std::string action;
  // The largest request body this route accepts; 0 for the server's limit.
  std::size_t max_body_bytes = 0;
};

struct RouteMatch {
  const Route* route = nullptr;     // null when nothing matched
  bool method_not_allowed = false;  // the path matched under another method
  std::string allow;                // methods allowed for the path, for 405
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler,
           Execution execution = Execution::kWorker, InlinePredicate inline_when = {});

  // Finds the route for the request's method and path and fills request.path_params.
  // HEAD matches GET routes. The first route added that matches wins.
  RouteMatch Match(Request& request) const;

  // Names the policy action of the route added last.
  void SetAction(std::string action) { routes_.back().action = std::move(action); }
  // Lets the route added last accept bodies up to `bytes` (file uploads).
  void SetMaxBody(std::size_t bytes) { routes_.back().max_body_bytes = bytes; }
  // Sets who may send large bodies (see LargeBodyGate). Without a gate, anyone with
  // credentials may.
  void SetLargeBodyGate(LargeBodyGate gate) { large_body_gate_ = std::move(gate); }
  const LargeBodyGate& large_body_gate() const { return large_body_gate_; }
  // The largest body any route accepts, or `fallback` if larger.
  std::size_t LargestBody(std::size_t fallback) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  // One segment of a route's pattern, split once when the route is added: matching a
  // request then splits only its path, once, whatever the number of routes.
  struct Segment {
    enum class Kind { kLiteral, kParameter, kTail };
    Kind kind = Kind::kLiteral;
    std::string text;  // the literal, or the parameter's name
  };
  static std::vector<Segment> Compile(std::string_view pattern);
  static bool MatchSegments(const std::vector<Segment>& want, std::string_view path,
                            const std::vector<std::string_view>& have,
                            std::map<std::string, std::string, std::less<>>& params);

  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> segments_;  // segments_[i] is routes_[i]'s pattern
  LargeBodyGate large_body_gate_;
};

}  // namespace pathway::web
