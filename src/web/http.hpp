// Request and response as the handlers see them. Deliberately free of Boost.Beast so
// that handlers and tests compile without it; only server.cpp speaks Beast.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.hpp"

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

// Whether a header name or value is free of CR, LF and NUL (the server answers 500
// instead of writing a response with such a header).
bool HeaderIsSafe(std::string_view text);

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

// How a message names the form field or query parameter `name`: the label people see
// ("Name", "Email address", "The search text"), or the name in quotes ("‘situation-3’")
// for a field without one in the catalogue.
std::string FieldLabel(std::string_view name);

// Parses an application/x-www-form-urlencoded body (or query string) and checks its text
// at the door: every name and value must decode (%XX escapes, '+' as space) to text
// (domain::FindTextProblem): UTF-8 with no control character other than tab, and line
// breaks only in the values of names listed in `multi_line` (a name ending in '*' lists
// every name with that prefix). Later values of a repeated
// name win. Otherwise kInvalidInput naming the field (its name; `whole` when the name
// itself is at fault), with a message for the person who sent it.
domain::Result<std::map<std::string, std::string>> ParseForm(
    std::string_view body, std::initializer_list<std::string_view> multi_line = {},
    std::string_view whole = "form");

// The request's target checked at the door, as ParseForm checks a form: the decoded path
// must be one-line text, and the query string a form of one-line values. nullopt when it
// is; otherwise the problem, naming `path` or the query parameter. The server refuses
// such a request with 400 before any handler sees it.
std::optional<domain::Error> CheckTarget(const Request& request);

// Decodes %XX escapes (and '+' as space when `plus_is_space`). Returns nullopt on a
// malformed escape or a decoded NUL byte.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace pathway::web
