#include "web/auth.hpp"

#include <fmt/format.h>

#include "web/errors.hpp"

namespace pathway::web {

app::RequestContext ContextOf(const Request& request) {
  return {request.request_id, request.remote_address};
}

app::Actor ResolveActor(app::IdentityService& identity, const Request& request) {
  const app::RequestContext context = ContextOf(request);
  app::Actor anonymous;
  anonymous.request_id = context.request_id;
  anonymous.source_address = context.source_address;
  const std::string_view authorization = request.Header("authorization");
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization.starts_with(kBearer)) return anonymous;
    auto actor = identity.ResolveToken(authorization.substr(kBearer.size()), context);
    return actor.ok() ? std::move(actor).value() : anonymous;
  }
  const auto cookie = request.Cookie(kSessionCookie);
  if (!cookie) return anonymous;
  auto actor = identity.ResolveSession(*cookie, context);
  return actor.ok() ? std::move(actor).value() : anonymous;
}

bool FromOurOrigin(const Request& request) {
  const std::string_view site = request.Header("sec-fetch-site");
  if (!site.empty() && site != "same-origin" && site != "none") return false;
  const std::string_view origin = request.Header("origin");
  if (origin.empty()) return true;
  const std::string_view host = request.Header("host");
  if (host.empty()) return false;
  return origin == fmt::format("http://{}", host) || origin == fmt::format("https://{}", host);
}

std::string SessionCookieHeader(std::string_view session_id) {
  // No Max-Age: the browser forgets it when closed; the server enforces the idle and
  // absolute limits whatever the browser does.
  return fmt::format("{}={}; Path=/; Secure; HttpOnly; SameSite=Lax", kSessionCookie, session_id);
}

std::string SignInCookieHeader(std::string_view token) {
  return fmt::format("{}={}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600",
                     kSignInCookie, token);
}

std::string ExpiredCookieHeader(std::string_view name) {
  return fmt::format("{}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0", name);
}

std::optional<std::int64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool HoldsRight(const app::Policy& policy, const app::Actor& actor, std::string_view action) {
  if (!actor.signed_in() || action.empty()) return false;
  for (const auto& rule : policy.rules()) {
    if (rule.action != action) continue;
    for (const auto& grant : actor.grants) {
      if (grant.role == rule.role) return true;
    }
  }
  return false;
}

std::optional<Response> RefuseCrossOrigin(app::IdentityService& identity, const app::Actor& actor,
                                          const Request& request, std::string_view what) {
  if (actor.session_id_hash.empty() || FromOurOrigin(request)) return std::nullopt;
  identity.RecordRefusal(actor, "csrf", std::string(what));
  return ProblemResponse(403, "forbidden", "Cross-origin requests are refused.");
}

bool MayAuthorFramework(app::IdentityService& identity, const app::Actor& actor,
                        const std::string& framework_id) {
  app::Subject subject;
  subject.framework_id = framework_id;
  const auto allowed = identity.May(actor, "framework.edit", subject);
  return allowed.ok() && *allowed;
}

bool MayImportFrameworks(app::IdentityService& identity, const app::Actor& actor) {
  for (const auto& grant : actor.grants) {
    if (grant.scope.empty()) continue;
    app::Subject subject;
    subject.profession = grant.scope;
    const auto allowed = identity.May(actor, "framework.import", subject);
    if (allowed.ok() && *allowed) return true;
  }
  app::Subject created;
  created.new_framework = true;
  const auto allowed = identity.May(actor, "framework.create", created);
  return allowed.ok() && *allowed;
}

}  // namespace pathway::web
