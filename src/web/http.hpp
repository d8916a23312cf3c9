// Request and response as the handlers see them. Deliberately free of Boost.Beast so
// that handlers and tests compile without it; only server.cpp speaks Beast.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pathway::web {

struct Request {
  std::string method;  // "GET", "POST", ...; HEAD is routed as GET
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path, no query
  std::string query;   // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string request_id;
  std::string remote_address;  // for the audit trail and throttling; never in access logs
  std::map<std::string, std::string, std::less<>> path_params;  // set by the router

  // First value of a header (name in any case), or empty.
  std::string_view Header(std::string_view name) const;
  // Percent-decoded value of the first query parameter with this name.
  std::optional<std::string> QueryParam(std::string_view name) const;
  // Value of the cookie with this name from the Cookie header, if any.
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Replaces any header of the same name (case-insensitive).
  void SetHeader(std::string_view name, std::string value);
  std::string_view Header(std::string_view name) const;

  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response Html(int status, std::string body);
  static Response Json(int status, std::string body, std::string content_type = "application/json");
};

// Parses an application/x-www-form-urlencoded body (or query string). Later values of
// a repeated name win. Malformed escapes make the whole form nullopt.
std::optional<std::map<std::string, std::string>> ParseForm(std::string_view body);

// Decodes %XX escapes (and '+' as space when `plus_is_space`). Returns nullopt on a
// malformed escape or a decoded NUL byte.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace pathway::web
