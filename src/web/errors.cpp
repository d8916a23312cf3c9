#include "web/errors.hpp"

#include <nlohmann/json.hpp>

#include "web/json.hpp"
#include "web/pages.hpp"
#include "web/templates.hpp"

namespace pathway::web {

int HttpStatus(domain::ErrorCode code) {
  switch (code) {
    case domain::ErrorCode::kInvalidInput:
      return 422;
    case domain::ErrorCode::kNotFound:
      return 404;
    case domain::ErrorCode::kForbidden:
      return 403;
    case domain::ErrorCode::kConflict:
      return 409;
    case domain::ErrorCode::kUnavailable:
      return 503;
    case domain::ErrorCode::kTooManyRequests:
      return 429;
    case domain::ErrorCode::kUnauthenticated:
      return 401;
    case domain::ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

std::string_view StatusCode(int status) {
  switch (status) {
    case 400:
      return "bad-request";
    case 403:
      return "forbidden";
    case 404:
      return "not-found";
    case 405:
      return "method-not-allowed";
    case 408:
      return "request-timeout";
    case 409:
      return "conflict";
    case 413:
      return "content-too-large";
    case 415:
      return "unsupported-media-type";
    case 422:
      return "invalid-input";
    case 431:
      return "header-fields-too-large";
    case 401:
      return "unauthenticated";
    case 429:
      return "too-many-requests";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "internal" : "bad-request";
  }
}

namespace {

struct StatusText {
  std::string_view title;
  std::string_view body;
};

StatusText TextFor(int status) {
  switch (status) {
    case 400:
      return {"Sorry, there is a problem with your request",
              "Your browser sent a request that Pathway could not read."};
    case 404:
      return {"Page not found",
              "If you typed the web address, check it is correct. If you pasted the web address, "
              "check you copied the entire address."};
    case 405:
      return {"Sorry, you cannot do that here", "This page does not accept that kind of request."};
    case 408:
      return {"Sorry, your request took too long",
              "Pathway stopped waiting for your request. Try again."};
    case 413:
      return {"The file or form is too large",
              "What you sent is larger than Pathway accepts. Send something smaller."};
    case 431:
      return {"Sorry, there is a problem with your request",
              "Your browser sent more header data than Pathway accepts. Clear this site's "
              "cookies and try again."};
    case 401:
      return {"Sign in to continue", "You need to sign in to see this page."};
    case 403:
      return {"Sorry, you cannot do that", "The request was refused. Go back and try again."};
    case 429:
      return {"Too many attempts", "Wait a while before you try again."};
    case 503:
      return {"Sorry, the service is busy",
              "Pathway is handling too many requests. Try again in "
              "a few seconds."};
    default:
      return {"Sorry, there is a problem with the service", "Try again later."};
  }
}

}  // namespace

Response ProblemResponse(int status, std::string_view code, std::string_view detail,
                         std::string_view field) {
  nlohmann::json problem{
      {"type", "/problems/" + std::string(code)},
      {"title", std::string(TextFor(status).title)},
      {"status", status},
      {"code", std::string(code)},
      {"detail", detail.empty() ? std::string(TextFor(status).body) : std::string(detail)},
  };
  if (!field.empty()) {
    problem["errors"] =
        nlohmann::json::array({{{"field", std::string(field)}, {"message", problem["detail"]}}});
  }
  return Response::Json(status, JsonText(problem), "application/problem+json");
}

Response ErrorPages::ForStatus(const Request& request, int status, std::string_view detail) const {
  if (IsApiPath(request.path)) return ProblemResponse(status, StatusCode(status), detail);
  const StatusText text = TextFor(status);
  if (detail.empty() || status >= 500) {
    std::lock_guard lock(mutex_);
    auto it = standard_pages_.find(status);
    if (it == standard_pages_.end()) {
      nlohmann::json view{{"title", text.title}, {"body", text.body}};
      it = standard_pages_
               .emplace(status,
                        RenderPage(templates_, asset_base_, "error", std::string(text.title), view))
               .first;
    }
    return Response::Html(status, it->second);
  }
  nlohmann::json view{{"title", text.title}, {"body", detail}};
  return Response::Html(
      status, RenderPage(templates_, asset_base_, "error", std::string(text.title), view));
}

Response ErrorPages::ForError(const Request& request, const domain::Error& error) const {
  const int status = HttpStatus(error.code);
  // Internal messages are for the log, never for the user.
  const std::string_view detail =
      error.code == domain::ErrorCode::kInternal ? std::string_view{} : error.message;
  if (IsApiPath(request.path)) {
    return ProblemResponse(status, domain::ErrorCodeName(error.code), detail, error.field);
  }
  return ForStatus(request, status, detail);
}

Response ErrorPages::ForBadRequest(const Request& request, const domain::Error& error) const {
  if (IsApiPath(request.path)) {
    return ProblemResponse(400, StatusCode(400), error.message, error.field);
  }
  return ForStatus(request, 400, error.message);
}

}  // namespace pathway::web
