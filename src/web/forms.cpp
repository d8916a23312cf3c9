#include "web/forms.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/secrets.hpp"
#include "web/auth.hpp"

namespace pathway::web {

Response Redirect(const std::string& location) {
  Response response;
  response.status = 303;
  response.SetHeader("Location", location);
  return response;
}

std::string UrlEncode(std::string_view text, std::string_view keep) {
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~' ||
        keep.find(static_cast<char>(ch)) != std::string_view::npos) {
      out.push_back(static_cast<char>(ch));
    } else {
      out += fmt::format("%{:02X}", ch);
    }
  }
  return out;
}

Response SignInRedirect(const Request& request, std::string next) {
  if (next.empty()) {
    next = request.method == "GET" ? request.path : "/";
    if (request.method == "GET" && !request.query.empty()) next += "?" + request.query;
  }
  Response response = Redirect("/sign-in?next=" + UrlEncode(next, "/"));
  if (request.Cookie(kSessionCookie)) {
    response.headers.emplace_back("Set-Cookie", ExpiredCookieHeader(kSessionCookie));
  }
  return response;
}

Response ApiUnauthenticated() {
  Response response = ProblemResponse(401, "unauthenticated",
                                      "Send a valid API token: Authorization: Bearer <token>.");
  response.SetHeader("WWW-Authenticate", "Bearer realm=\"Pathway\"");
  return response;
}

void AddErrors(nlohmann::json& view, const std::vector<domain::Error>& errors) {
  view["has_errors"] = !errors.empty();
  view["errors"] = nlohmann::json::array();
  for (const auto& error : errors) {
    view["errors"].push_back({{"field", error.field}, {"message", error.message}});
    std::string key = "error_" + error.field;
    std::replace(key.begin(), key.end(), '-', '_');
    view[key] = error.message;
  }
}

std::string FormValue(const Form& form, const std::string& name) {
  const auto it = form.find(name);
  return it == form.end() ? std::string{} : it->second;
}

std::variant<Form, Response> CheckedForm(app::IdentityService& identity, const ErrorPages& errors,
                                         const Request& request, const app::Actor& actor,
                                         std::initializer_list<std::string_view> multi_line) {
  if (!request.Header("content-type").starts_with("application/x-www-form-urlencoded")) {
    return errors.ForStatus(request, 400);
  }
  auto form = ParseForm(request.body, multi_line);
  if (!form.ok()) return errors.ForBadRequest(request, form.error());
  if (!FromOurOrigin(request) || actor.csrf_token.empty() ||
      !app::ConstantTimeEquals(FormValue(*form, "csrf-token"), actor.csrf_token)) {
    identity.RecordRefusal(actor, "csrf", request.method + " " + request.path);
    return errors.ForStatus(request, 403);
  }
  return std::move(*form);
}

}  // namespace pathway::web
