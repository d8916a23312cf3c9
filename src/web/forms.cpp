#include "web/forms.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/secrets.hpp"
#include "domain/text.hpp"
#include "web/auth.hpp"

namespace pathway::web {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Whether `text` is a local path once percent-decoded (the checks of LocalRedirectTarget).
bool LocalPath(std::string_view text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = HexDigit(text[i + 1]);
      const int low = HexDigit(text[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    decoded.push_back(text[i]);
  }
  // Both the text as sent and decoded: the header carries the one, a browser follows
  // the other.
  for (std::string_view form : {text, std::string_view(decoded)}) {
    if (form.empty() || form.front() != '/') return false;
    if (form.size() > 1 && (form[1] == '/' || form[1] == '\\')) return false;
    for (const char c : form) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7F || c == '\\') return false;
    }
  }
  return true;
}

}  // namespace

std::string LocalRedirectTarget(std::string_view target, std::string_view fallback) {
  if (target.size() > 500 || !LocalPath(target)) return std::string(fallback);
  return std::string(target);
}

Response Redirect(const std::string& location) {
  Response response;
  response.status = 303;
  response.SetHeader("Location", LocalRedirectTarget(location));
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

std::vector<domain::Error> MissingFields(const Form& form,
                                         std::initializer_list<RequiredField> required) {
  std::vector<domain::Error> errors;
  for (const auto& field : required) {
    const auto it = form.find(std::string(field.name));
    if (it == form.end() || domain::Trim(it->second).empty()) {
      errors.push_back(
          domain::Error::InvalidInput(std::string(field.name), std::string(field.message)));
    }
  }
  return errors;
}

std::vector<domain::Error> WithMissingFields(std::vector<domain::Error> missing,
                                             const domain::Error& refused) {
  const bool named = std::any_of(missing.begin(), missing.end(),
                                 [&](const domain::Error& e) { return e.field == refused.field; });
  if (!named) missing.push_back(refused);
  return missing;
}

bool Confirmed(const Form& form) {
  const auto it = form.find("confirm");
  return it != form.end() && it->second == "yes";
}

nlohmann::json ConfirmationView(const Request& request, const app::Actor& actor,
                                const Confirmation& confirmation) {
  return {{"question", confirmation.question},
          {"detail", confirmation.detail},
          {"button", confirmation.button},
          {"back_href", LocalRedirectTarget(confirmation.back_href)},
          {"action", LocalRedirectTarget(request.path)},
          {"csrf_token", actor.csrf_token}};
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
