// The one place where failures become HTTP: status codes, RFC 9457 problem details
// for the API, and GOV.UK-style error pages for people.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "web/http.hpp"

namespace pathway::web {

class TemplateSet;

int HttpStatus(domain::ErrorCode code);

// Whether the request is for the JSON API, whose errors are problem details.
bool IsApiPath(std::string_view path);

// application/problem+json with type, title, status, detail, code (a stable name) and
// `errors` ([{field, message}]) when the error names a field.
Response ProblemResponse(int status, std::string_view code, std::string_view detail,
                         std::string_view field = {});

// Answers an error as the client expects it: problem details under /api, otherwise a
// GOV.UK error page rendered from `error.mustache` with the layout. Pages with the
// standard wording are rendered once and kept, so that answering 503 under load or
// 400 to a broken client costs no rendering. Thread-safe.
class ErrorPages {
 public:
  ErrorPages(const TemplateSet& templates, std::string asset_base)
      : templates_(templates), asset_base_(std::move(asset_base)) {}

  Response ForStatus(const Request& request, int status, std::string_view detail = {}) const;
  Response ForError(const Request& request, const domain::Error& error) const;
  // 400 for input refused at the door (a form, query string or multipart field that is
  // not text): problem details naming error.field under /api, else the error page with
  // error.message.
  Response ForBadRequest(const Request& request, const domain::Error& error) const;

 private:
  const TemplateSet& templates_;
  std::string asset_base_;
  mutable std::mutex mutex_;
  mutable std::map<int, std::string> standard_pages_;
};

// The stable problem code for an HTTP status that has no domain ErrorCode (400, 408...).
std::string_view StatusCode(int status);

}  // namespace pathway::web
