#include "web/identity_routes.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/secrets.hpp"
#include "domain/password_policy.hpp"
#include "domain/text.hpp"
#include "domain/workforce.hpp"
#include "web/auth.hpp"
#include "web/forms.hpp"
#include "web/json.hpp"
#include "web/pages.hpp"

namespace pathway::web {
namespace {

using nlohmann::json;
using Ctx = std::shared_ptr<const IdentityRoutesContext>;

constexpr int kPageSize = 50;

// "2026-11-23T12:25:01.123Z" as people read it: "2026-11-23 12:25".
std::string ShortTime(const std::string& iso) {
  std::string text = iso.substr(0, 16);
  if (text.size() > 10 && text[10] == 'T') text[10] = ' ';
  return text;
}

Response Page(const Ctx& c, const app::Actor& actor, const std::string& page,
              const std::string& title, json view, int status = 200, std::string current = {}) {
  const bool has_errors = view.contains("has_errors") && view.at("has_errors").get<bool>();
  return Response::Html(
      status, RenderPage(c->templates, c->asset_base, page, title, std::move(view), has_errors,
                         ChromeFor(actor, std::move(current))));
}

// Only local paths, never "//host" or a scheme, so sign-in cannot bounce elsewhere.
std::string SafeNext(const std::optional<std::string>& next) {
  if (!next) return "/";
  return LocalRedirectTarget(*next, "/");
}

bool IsFormPost(const Request& request) {
  return request.Header("content-type").starts_with("application/x-www-form-urlencoded");
}

json RolesView(const std::vector<domain::Grant>& grants, std::int64_t user_id,
               const std::string& csrf_token) {
  json roles = json::array();
  for (const auto& grant : grants) {
    roles.push_back({{"id", grant.id},
                     {"label", std::string(domain::RoleLabel(grant.role))},
                     {"scope", grant.scope},
                     {"user_id", user_id},
                     {"csrf_token", csrf_token}});
  }
  return roles;
}

json TokensView(const std::vector<domain::TokenRecord>& tokens, const std::string& csrf_token,
                bool admin_view) {
  json list = json::array();
  for (const auto& token : tokens) {
    list.push_back(
        {{"name", token.name},
         {"created_at", ShortTime(token.created_at)},
         {"last_used_at", token.last_used_at.empty() ? "Never" : ShortTime(token.last_used_at)},
         {"revoked", token.revoked},
         {"csrf_token", csrf_token},
         {"revoke_url",
          admin_view ? fmt::format("/admin/users/{}/tokens/{}/revoke", token.user_id, token.id)
                     : fmt::format("/account/tokens/{}/revoke", token.id)}});
  }
  return list;
}

json Pagination(const std::string& base, std::int64_t total, int page) {
  const std::int64_t pages = std::max<std::int64_t>(1, (total + kPageSize - 1) / kPageSize);
  json view{{"has_pages", pages > 1}, {"page", page}, {"pages", pages}};
  const std::string joiner = base.find('?') == std::string::npos ? "?" : "&";
  if (page > 1) view["previous"] = fmt::format("{}{}page={}", base, joiner, page - 1);
  if (page < pages) view["next"] = fmt::format("{}{}page={}", base, joiner, page + 1);
  return view;
}

int PageNumber(const Request& request) {
  const auto page = request.QueryParam("page");
  if (!page) return 1;
  const auto number = ParseId(*page);
  return number && *number >= 1 && *number < 1000000 ? static_cast<int>(*number) : 1;
}

// ---------- pages ----------

Response SignInPage(const Ctx& c, const Request& request, const app::Actor& actor, json view,
                    int status) {
  const std::string token = app::RandomSecret(32);
  view["signin_token"] = token;
  if (!view.contains("next")) view["next"] = SafeNext(request.QueryParam("next"));
  Response response = Page(c, actor, "sign_in", "Sign in", view, status, "sign-in");
  response.headers.emplace_back("Set-Cookie", SignInCookieHeader(token));
  return response;
}

void RegisterPages(Router& router, const Ctx& c) {
  router.Add("GET", "/sign-in", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (actor.signed_in()) return Redirect("/account");
    Response response = SignInPage(c, request, actor, json::object(), 200);
    if (request.Cookie(kSessionCookie)) {
      response.headers.emplace_back("Set-Cookie", ExpiredCookieHeader(kSessionCookie));
    }
    return response;
  });

  router.Add("POST", "/sign-in", [c](Request& request) {
    app::Actor anonymous;
    anonymous.request_id = request.request_id;
    anonymous.source_address = request.remote_address;
    if (!IsFormPost(request)) return c->errors.ForStatus(request, 400);
    auto form = ParseForm(request.body);
    if (!form.ok()) return c->errors.ForBadRequest(request, form.error());
    const auto cookie = request.Cookie(kSignInCookie);
    if (!FromOurOrigin(request) || !cookie ||
        !app::ConstantTimeEquals(*cookie, FormValue(*form, "signin-token"))) {
      c->identity.RecordRefusal(anonymous, "csrf", "POST /sign-in");
      json view{{"next", SafeNext(FormValue(*form, "next"))}};
      AddErrors(view, {domain::Error::InvalidInput(
                          "email", "Your sign-in form expired. Enter your details again.")});
      return SignInPage(c, request, anonymous, view, 403);
    }
    const std::string email = FormValue(*form, "email");
    const std::string next = SafeNext(FormValue(*form, "next"));
    if (auto missing = MissingFields(
            *form, {{"email", "Enter your email address"}, {"password", "Enter your password"}});
        !missing.empty()) {
      json view{{"email", email}, {"next", next}};
      AddErrors(view, missing);
      return SignInPage(c, request, anonymous, view, 422);
    }
    auto signed_in = c->identity.SignIn(email, FormValue(*form, "password"), ContextOf(request));
    if (!signed_in.ok()) {
      const domain::Error& error = signed_in.error();
      if (error.code != domain::ErrorCode::kInvalidInput &&
          error.code != domain::ErrorCode::kTooManyRequests) {
        return c->errors.ForError(request, error);
      }
      json view{{"email", email}, {"next", next}};
      AddErrors(view, {error});
      const bool throttled = error.code == domain::ErrorCode::kTooManyRequests;
      Response response = SignInPage(c, request, anonymous, view, throttled ? 429 : 422);
      if (throttled) response.SetHeader("Retry-After", std::to_string(error.retry_after_seconds));
      return response;
    }
    Response response = Redirect(next);
    response.headers.emplace_back("Set-Cookie", SessionCookieHeader(signed_in->session_id));
    response.headers.emplace_back("Set-Cookie", ExpiredCookieHeader(kSignInCookie));
    return response;
  });

  router.Add("POST", "/sign-out", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return Redirect("/sign-in");
    auto form = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    if (auto status = c->identity.SignOut(actor); !status.ok()) {
      return c->errors.ForError(request, status.error());
    }
    app::Actor signed_out;
    Response response = Page(c, signed_out, "signed_out", "You have signed out", json::object());
    response.headers.emplace_back("Set-Cookie", ExpiredCookieHeader(kSessionCookie));
    return response;
  });

  router.Add("GET", "/account", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto detail = c->identity.GetUser(actor, actor.user_id);
    if (!detail.ok()) return c->errors.ForError(request, detail.error());
    json view{{"name", detail->user.display_name},
              {"email", detail->user.email},
              {"roles", RolesView(detail->grants, actor.user_id, actor.csrf_token)},
              {"can_revoke_roles", false},
              {"tokens", TokensView(detail->tokens, actor.csrf_token, false)},
              {"has_tokens", !detail->tokens.empty()}};
    if (request.QueryParam("changed") == "password")
      view["notice"] = "Your password has been changed";
    if (request.QueryParam("revoked") == "token") view["notice"] = "The token has been revoked";
    return Page(c, actor, "account", "Your account", std::move(view), 200, "account");
  });
  router.SetAction("user.read");

  auto password_page = [c](const app::Actor& actor, json view, int status) {
    view["hint"] = std::string(domain::PasswordHint());
    view["email"] = actor.email;
    return Page(c, actor, "change_password", "Change your password", view, status, "account");
  };
  router.Add("GET", "/account/password", [c, password_page](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    app::Subject self;
    self.user_id = actor.user_id;
    if (auto allowed = c->identity.Check(actor, "user.change_password", self); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    return password_page(actor, json::object(), 200);
  });
  router.SetAction("user.change_password");

  router.Add("POST", "/account/password", [c, password_page](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const auto& fields = std::get<std::map<std::string, std::string>>(form);
    const bool revoke_tokens = FormValue(fields, "revoke-tokens") == "yes";
    auto status = c->identity.ChangePassword(actor, FormValue(fields, "current-password"),
                                             FormValue(fields, "new-password"), revoke_tokens);
    if (!status.ok()) {
      if (status.error().code != domain::ErrorCode::kInvalidInput &&
          status.error().code != domain::ErrorCode::kConflict) {
        return c->errors.ForError(request, status.error());
      }
      json view{{"revoke_tokens", revoke_tokens}};
      if (status.error().code == domain::ErrorCode::kInvalidInput) {
        // Every empty field at once: the use case stops at the first (a refused actor
        // never gets here).
        AddErrors(view,
                  WithMissingFields(
                      MissingFields(fields, {{"current-password", "Enter your current password"},
                                             {"new-password", "Enter a new password"}}),
                      status.error()));
      } else {
        AddErrors(view, {status.error()});
      }
      return password_page(actor, view, 422);
    }
    return Redirect("/account?changed=password");
  });
  router.SetAction("user.change_password");

  router.Add("POST", "/account/tokens/{id}/revoke", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    if (!Confirmed(std::get<Form>(form))) {
      auto detail = c->identity.GetUser(actor, actor.user_id);
      if (!detail.ok()) return c->errors.ForError(request, detail.error());
      const auto token = std::find_if(detail->tokens.begin(), detail->tokens.end(),
                                      [&](const auto& t) { return t.id == *id && !t.revoked; });
      if (token == detail->tokens.end()) return c->errors.ForStatus(request, 404);
      Confirmation confirmation{
          fmt::format("Revoke your API token ‘{}’?", token->name),
          "Systems that send it are refused from now on. This cannot be undone.", "Revoke token",
          "/account"};
      return Page(c, actor, "confirm", confirmation.question,
                  ConfirmationView(request, actor, confirmation), 200, "account");
    }
    if (auto status = c->identity.RevokeToken(actor, *id); !status.ok()) {
      return c->errors.ForError(request, status.error());
    }
    return Redirect("/account?revoked=token");
  });
  router.SetAction("token.revoke");

  router.Add("GET", "/admin/users", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const std::string q = request.QueryParam("q").value_or("");
    const int page = PageNumber(request);
    auto list = c->identity.ListUsers(actor, q, kPageSize, (page - 1) * kPageSize);
    if (!list.ok()) return c->errors.ForError(request, list.error());
    json users = json::array();
    for (const auto& user : list->users) {
      users.push_back({{"id", user.id},
                       {"email", user.email},
                       {"name", user.display_name},
                       {"disabled", user.disabled}});
    }
    json view = Pagination(q.empty() ? "/admin/users" : "/admin/users?q=" + UrlEncode(q),
                           list->total, page);
    view["users"] = users;
    view["q"] = q;
    view["summary"] = fmt::format("{} {}", list->total, list->total == 1 ? "user" : "users");
    if (request.QueryParam("added")) view["notice"] = "The user has been added";
    return Page(c, actor, "users", "Users", view, 200, "users");
  });
  router.SetAction("user.list");

  auto new_user_page = [c](const app::Actor& actor, json view, int status) {
    view["hint"] = std::string(domain::PasswordHint());
    return Page(c, actor, "user_new", "Add a user", view, status, "users");
  };
  router.Add("GET", "/admin/users/new", [c, new_user_page](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    if (auto allowed = c->identity.Check(actor, "user.create", {}); !allowed.ok()) {
      return c->errors.ForError(request, allowed.error());
    }
    return new_user_page(actor, json::object(), 200);
  });
  router.SetAction("user.create");

  router.Add("POST", "/admin/users", [c, new_user_page](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    auto form = CheckedForm(c->identity, c->errors, request, actor);
    if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
    const auto& fields = std::get<std::map<std::string, std::string>>(form);
    app::NewUser user{
        FormValue(fields, "email"), FormValue(fields, "name"), FormValue(fields, "password"), {}};
    // Every empty field at once, after the policy (someone who may not add users learns
    // nothing from the form).
    if (auto missing = MissingFields(fields, {{"name", "Enter the user's full name"},
                                              {"email", "Enter an email address"},
                                              {"password", "Enter a first password"}});
        !missing.empty()) {
      if (auto allowed = c->identity.Check(actor, "user.create", {}); !allowed.ok()) {
        return c->errors.ForError(request, allowed.error());
      }
      json view{{"name", user.display_name}, {"email", user.email}};
      AddErrors(view, missing);
      return new_user_page(actor, view, 422);
    }
    auto id = c->identity.AddUser(actor, user);
    if (!id.ok()) {
      const auto code = id.error().code;
      if (code != domain::ErrorCode::kInvalidInput && code != domain::ErrorCode::kConflict) {
        return c->errors.ForError(request, id.error());
      }
      json view{{"name", user.display_name}, {"email", user.email}};
      AddErrors(view, {id.error()});
      return new_user_page(actor, view, 422);
    }
    return Redirect(fmt::format("/admin/users/{}?added=1", *id));
  });
  router.SetAction("user.create");

  auto user_page = [c](const Request& request, const app::Actor& actor, std::int64_t id, json view,
                       int status) {
    auto detail = c->identity.GetUser(actor, id, "user.manage");
    if (!detail.ok()) return c->errors.ForError(request, detail.error());
    json options = json::array();
    const std::string chosen = view.value("role", std::string{});
    for (const auto role : domain::kGrantableRoles) {
      const std::string name(domain::RoleName(role));
      options.push_back({{"value", name},
                         {"label", std::string(domain::RoleLabel(role))},
                         {"selected", name == chosen}});
    }
    view["user_id"] = id;
    view["name"] = detail->user.display_name;
    view["email"] = detail->user.email;
    view["disabled"] = detail->user.disabled;
    view["created_at"] = ShortTime(detail->user.created_at);
    view["roles"] = RolesView(detail->grants, id, actor.csrf_token);
    view["can_revoke_roles"] = true;
    view["role_options"] = options;
    auto examples = c->identity.ExampleScopes();
    if (!examples.ok()) return c->errors.ForError(request, examples.error());
    view["department_examples"] = examples->departments;
    view["profession_examples"] = examples->professions;
    view["framework_example"] = examples->framework;
    view["tokens"] = TokensView(detail->tokens, actor.csrf_token, true);
    view["has_tokens"] = !detail->tokens.empty();
    return Page(c, actor, "user", detail->user.display_name, view, status, "users");
  };

  router.Add("GET", "/admin/users/{id}", [c, user_page](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return c->errors.ForStatus(request, 404);
    json view = json::object();
    if (request.QueryParam("added")) view["notice"] = "The user has been added";
    if (auto done = request.QueryParam("done")) {
      static const std::map<std::string, std::string> kNotices{
          {"disabled", "The user has been disabled and signed out"},
          {"enabled", "The user has been enabled"},
          {"granted", "The role has been granted"},
          {"revoked", "The role has been revoked"},
          {"token", "The token has been revoked"}};
      if (auto it = kNotices.find(*done); it != kNotices.end()) view["notice"] = it->second;
    }
    return user_page(request, actor, *id, view, 200);
  });
  router.SetAction("user.manage");

  // What a removal asks before it is done, from the user's record: kNotFound when what it
  // names is not there.
  using Ask = std::function<domain::Result<Confirmation>(const app::UserDetail&, const Request&)>;
  auto user_post =
      [c, user_page](
          std::function<domain::Status(const app::Actor&, std::int64_t,
                                       const std::map<std::string, std::string>&, const Request&)>
              act,
          std::string done, Ask ask = nullptr) {
        return [c, user_page, act, done, ask](Request& request) {
          const app::Actor actor = ResolveActor(c->identity, request);
          if (!actor.signed_in()) return SignInRedirect(request);
          auto form = CheckedForm(c->identity, c->errors, request, actor);
          if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
          const auto& fields = std::get<std::map<std::string, std::string>>(form);
          const auto id = ParseId(request.path_params.at("id"));
          if (!id) return c->errors.ForStatus(request, 404);
          if (ask && !Confirmed(fields)) {
            auto detail = c->identity.GetUser(actor, *id, "user.manage");
            if (!detail.ok()) return c->errors.ForError(request, detail.error());
            auto confirmation = ask(*detail, request);
            if (!confirmation.ok()) return c->errors.ForError(request, confirmation.error());
            return Page(c, actor, "confirm", confirmation->question,
                        ConfirmationView(request, actor, *confirmation), 200, "users");
          }
          auto status = act(actor, *id, fields, request);
          if (!status.ok()) {
            const auto code = status.error().code;
            if (code != domain::ErrorCode::kInvalidInput && code != domain::ErrorCode::kConflict) {
              return c->errors.ForError(request, status.error());
            }
            json view{{"role", FormValue(fields, "role")}, {"scope", FormValue(fields, "scope")}};
            AddErrors(view, {status.error()});
            return user_page(request, actor, *id, view, 422);
          }
          return Redirect(fmt::format("/admin/users/{}?done={}", *id, done));
        };
      };

  router.Add("POST", "/admin/users/{id}/disable",
             user_post([c](const app::Actor& actor, std::int64_t id, const auto&,
                           const Request&) { return c->identity.SetDisabled(actor, id, true); },
                       "disabled"));
  router.SetAction("user.disable");
  router.Add("POST", "/admin/users/{id}/enable",
             user_post([c](const app::Actor& actor, std::int64_t id, const auto&,
                           const Request&) { return c->identity.SetDisabled(actor, id, false); },
                       "enabled"));
  router.SetAction("user.enable");
  router.Add(
      "POST", "/admin/users/{id}/roles",
      user_post(
          [c](const app::Actor& actor, std::int64_t id,
              const std::map<std::string, std::string>& fields, const Request&) -> domain::Status {
            const auto role = domain::ParseRole(FormValue(fields, "role"));
            if (!role || *role == domain::Role::kSystem) {
              return domain::Error::InvalidInput("role", "Select a role");
            }
            PATHWAY_TRY(c->identity.GrantRole(actor, id, *role, FormValue(fields, "scope")));
            return domain::Ok{};
          },
          "granted"));
  router.SetAction("role.grant");
  router.Add(
      "POST", "/admin/users/{id}/roles/{grant}/revoke",
      user_post(
          [c](const app::Actor& actor, std::int64_t id, const auto&,
              const Request& request) -> domain::Status {
            const auto grant = ParseId(request.path_params.at("grant"));
            if (!grant) return domain::Error::NotFound("No such role");
            return c->identity.RevokeRole(actor, id, *grant);
          },
          "revoked",
          [](const app::UserDetail& user, const Request& request) -> domain::Result<Confirmation> {
            const auto grant = ParseId(request.path_params.at("grant"));
            for (const auto& g : user.grants) {
              if (!grant || g.id != *grant) continue;
              const std::string role(domain::RoleLabel(g.role));
              return Confirmation{
                  fmt::format("Revoke the {} role{} from {}?", role,
                              g.scope.empty() ? "" : " for " + g.scope, user.user.display_name),
                  "They are signed out at once and lose what the role opened.", "Revoke role",
                  fmt::format("/admin/users/{}", user.user.id)};
            }
            return domain::Error::NotFound("No such role");
          }));
  router.SetAction("role.revoke");
  router.Add(
      "POST", "/admin/users/{id}/tokens/{token}/revoke",
      user_post(
          [c](const app::Actor& actor, std::int64_t, const auto&,
              const Request& request) -> domain::Status {
            const auto token = ParseId(request.path_params.at("token"));
            if (!token) return domain::Error::NotFound("No such token");
            return c->identity.RevokeToken(actor, *token);
          },
          "token",
          [](const app::UserDetail& user, const Request& request) -> domain::Result<Confirmation> {
            const auto token = ParseId(request.path_params.at("token"));
            for (const auto& t : user.tokens) {
              if (!token || t.id != *token || t.revoked) continue;
              return Confirmation{
                  fmt::format("Revoke the API token ‘{}’ of {}?", t.name, user.user.display_name),
                  "Systems that send it are refused from now on. This cannot be undone.",
                  "Revoke token", fmt::format("/admin/users/{}", user.user.id)};
            }
            return domain::Error::NotFound("No such token");
          }));
  router.SetAction("token.revoke");

  router.Add("GET", "/admin/audit", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return SignInRedirect(request);
    domain::AuditQuery query;
    query.actor = request.QueryParam("actor").value_or("");
    query.action = request.QueryParam("action").value_or("");
    query.outcome = request.QueryParam("outcome").value_or("");
    const std::string from = request.QueryParam("from").value_or("");
    json view = json::object();
    std::vector<domain::Error> errors;
    if (!from.empty()) {
      // A date that does not exist (2026-02-30) is an error, not an empty list.
      if (domain::ValidIsoDate(from)) {
        query.from = from;
      } else {
        errors.push_back(
            domain::Error::InvalidInput("from", "From date must be a real date, like 2026-11-23"));
      }
    }
    if (!query.outcome.empty() && query.outcome != "success" && query.outcome != "failure" &&
        query.outcome != "refused") {
      query.outcome.clear();
    }
    const int page = PageNumber(request);
    query.limit = kPageSize;
    query.offset = (page - 1) * kPageSize;
    auto result = c->identity.SearchAudit(actor, query);
    if (!result.ok()) return c->errors.ForError(request, result.error());
    json events = json::array();
    for (const auto& record : result->records) {
      const auto& e = record.event;
      events.push_back({{"seq", record.seq},
                        {"occurred_at", e.occurred_at},
                        {"actor", e.actor},
                        {"action", e.action},
                        {"object", e.object_type.empty() ? "" : e.object_type + " " + e.object_id},
                        {"outcome", e.outcome},
                        {"detail", e.detail},
                        {"source", e.source_address}});
    }
    // Links carry only the filters that are set.
    std::string base = "/admin/audit";
    for (const auto& [name, value] :
         {std::pair<const char*, const std::string&>{"actor", query.actor},
          {"action", query.action},
          {"outcome", query.outcome},
          {"from", query.from}}) {
      if (value.empty()) continue;
      base += (base.find('?') == std::string::npos ? "?" : "&") + std::string(name) + "=" +
              UrlEncode(value);
    }
    view.update(Pagination(base, result->total, page));
    view["events"] = events;
    view["actor"] = query.actor;
    view["action"] = query.action;
    view["from"] = from;
    json outcomes = json::array();
    for (const auto& [value, label] : std::vector<std::pair<std::string, std::string>>{
             {"", "Any"}, {"success", "Success"}, {"failure", "Failure"}, {"refused", "Refused"}}) {
      outcomes.push_back(
          {{"value", value}, {"label", label}, {"selected", value == query.outcome}});
    }
    view["outcome_options"] = outcomes;
    view["summary"] = fmt::format("{} {}", result->total, result->total == 1 ? "event" : "events");
    AddErrors(view, errors);
    return Page(c, actor, "audit", "Audit trail", view, errors.empty() ? 200 : 422, "audit");
  });
  router.SetAction("audit.read");
}

// ---------- API ----------

// The user a POST /api/v1/users body describes: email and name (strings), password
// (a string, optional) and roles ([{role, scope}], optional).
domain::Result<app::NewUser> ReadNewUser(const JsonField& body) {
  app::NewUser user;
  for (const auto& [name, target, label] : {std::tuple{"email", &user.email, "Email address"},
                                            std::tuple{"name", &user.display_name, "Name"}}) {
    const auto member = body.Member(name);
    const std::string message = fmt::format("Enter the {} as text", domain::Lower(label));
    if (!member) return domain::Error::InvalidInput(name, message);
    PATHWAY_ASSIGN_OR_RETURN(*target, member->String(message));
  }
  if (const auto password = body.Member("password")) {
    PATHWAY_ASSIGN_OR_RETURN(user.password, password->String("Enter the password as text"));
  }
  if (const auto roles = body.Member("roles")) {
    PATHWAY_ASSIGN_OR_RETURN(
        auto list, roles->Array(100, "Give the roles as a list of up to 100 {role, scope}"));
    for (const JsonField& item : list) {
      constexpr std::string_view kUnknown =
          "Each role needs a known role name, like hr_partner or admin";
      const auto role_name = item.Member("role");
      if (!role_name)
        return domain::Error::InvalidInput(item.field() + ".role", std::string(kUnknown));
      PATHWAY_ASSIGN_OR_RETURN(const std::string text, role_name->String(kUnknown));
      const auto role = domain::ParseRole(text);
      if (!role || *role == domain::Role::kSystem) {
        return domain::Error::InvalidInput(role_name->field(), std::string(kUnknown));
      }
      std::string scope;
      if (const auto given = item.Member("scope")) {
        PATHWAY_ASSIGN_OR_RETURN(scope, given->String("Enter the scope as text"));
      }
      user.grants.push_back({0, *role, scope});
    }
  }
  return user;
}

json UserJson(const domain::UserRecord& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"name", user.display_name},
          {"disabled", user.disabled},
          {"created_at", user.created_at}};
}

json GrantsJson(const std::vector<domain::Grant>& grants) {
  json list = json::array();
  for (const auto& grant : grants) {
    list.push_back({{"id", grant.id},
                    {"role", std::string(domain::RoleName(grant.role))},
                    {"scope", grant.scope}});
  }
  return list;
}

void RegisterApi(Router& router, const Ctx& c) {
  router.Add("GET", "/api/v1/me", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    json me{{"id", actor.user_id},
            {"email", actor.email},
            {"name", actor.display_name},
            {"roles", GrantsJson(actor.grants)}};
    return JsonResponse(200, me);
  });

  router.Add("GET", "/api/v1/users", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto limit_text = request.QueryParam("limit");
    const auto offset_text = request.QueryParam("offset");
    const auto limit = limit_text ? ParseId(*limit_text) : std::optional<std::int64_t>(kPageSize);
    const auto offset = offset_text ? ParseId(*offset_text) : std::optional<std::int64_t>(0);
    if (!limit || *limit < 1 || *limit > 500) {
      return ProblemResponse(422, "invalid-input",
                             "The number of results must be a whole number from 1 to 500", "limit");
    }
    if (!offset || *offset > 1000000000) {
      return ProblemResponse(422, "invalid-input",
                             "The number of results to skip must be a whole number of 0 or more",
                             "offset");
    }
    auto list = c->identity.ListUsers(actor, request.QueryParam("q").value_or(""),
                                      static_cast<int>(*limit), static_cast<int>(*offset));
    if (!list.ok()) return c->errors.ForError(request, list.error());
    json items = json::array();
    for (const auto& user : list->users) items.push_back(UserJson(user));
    return JsonResponse(
        200,
        json{{"items", items}, {"total", list->total}, {"limit", *limit}, {"offset", *offset}});
  });
  router.SetAction("user.list");

  router.Add("POST", "/api/v1/users", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (!actor.session_id_hash.empty() && !FromOurOrigin(request)) {
      c->identity.RecordRefusal(actor, "csrf", "POST /api/v1/users");
      return ProblemResponse(403, "forbidden", "Cross-origin requests are refused.");
    }
    auto read = ReadJsonBody(request, "the user", 422);
    if (auto* refused = std::get_if<Response>(&read)) return std::move(*refused);
    auto user = ReadNewUser(JsonField(std::get<json>(read), ""));
    if (!user.ok()) return c->errors.ForError(request, user.error());
    auto id = c->identity.AddUser(actor, *user);
    if (!id.ok()) return c->errors.ForError(request, id.error());
    Response response = JsonResponse(201, json{{"id", *id}});
    response.SetHeader("Location", fmt::format("/api/v1/users/{}", *id));
    return response;
  });
  router.SetAction("user.create");

  router.Add("GET", "/api/v1/users/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    auto detail = c->identity.GetUser(actor, *id);
    if (!detail.ok()) return c->errors.ForError(request, detail.error());
    json user = UserJson(detail->user);
    user["roles"] = GrantsJson(detail->grants);
    return JsonResponse(200, user);
  });
  router.SetAction("user.read");

  router.Add("DELETE", "/api/v1/tokens/{id}", [c](Request& request) {
    const app::Actor actor = ResolveActor(c->identity, request);
    if (!actor.signed_in()) return ApiUnauthenticated();
    if (!actor.session_id_hash.empty() && !FromOurOrigin(request)) {
      c->identity.RecordRefusal(actor, "csrf", "DELETE /api/v1/tokens");
      return ProblemResponse(403, "forbidden", "Cross-origin requests are refused.");
    }
    const auto id = ParseId(request.path_params.at("id"));
    if (!id) return ProblemResponse(404, "not-found", "");
    if (auto status = c->identity.RevokeToken(actor, *id); !status.ok()) {
      return c->errors.ForError(request, status.error());
    }
    Response response;
    response.status = 204;
    return response;
  });
  router.SetAction("token.revoke");
}

}  // namespace

void RegisterIdentityRoutes(Router& router, const IdentityRoutesContext& context) {
  const Ctx c = std::make_shared<const IdentityRoutesContext>(context);
  RegisterPages(router, c);
  RegisterApi(router, c);
}

}  // namespace pathway::web
