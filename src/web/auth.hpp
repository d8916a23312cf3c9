// Who is asking, and whether a state-changing request really comes from our own pages:
// session cookies, bearer tokens, CSRF tokens and origin checks.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "app/identity.hpp"
#include "app/policy.hpp"
#include "web/http.hpp"

namespace pathway::web {

// The session cookie. `__Host-` binds it to this host and path "/", and requires
// Secure, which browsers accept over TLS and from localhost.
inline constexpr std::string_view kSessionCookie = "__Host-pathway-session";
// A per-form token for the sign-in form, where there is no session yet.
inline constexpr std::string_view kSignInCookie = "__Host-pathway-signin";

app::RequestContext ContextOf(const Request& request);

// The actor for a request: from `Authorization: Bearer <token>` if present, else
// from the session cookie, else anonymous. An invalid token or session gives an
// anonymous actor (the caller answers 401 or redirects to sign-in).
app::Actor ResolveActor(app::IdentityService& identity, const Request& request);

// Whether the policy lets some grant of `actor` do `action` to anything at all: what
// the server asks before it reads a large body for a route (an import).
bool HoldsRight(const app::Policy& policy, const app::Actor& actor, std::string_view action);

// Whether the request was sent by a page of this site: its Origin, if present, names
// this host; and Sec-Fetch-Site, if present, is same-origin or none. Requests from
// clients that send neither (scripts, curl) pass this check and rely on the token.
bool FromOurOrigin(const Request& request);

// For a state-changing API call: when a browser session sends it from another origin,
// the refusal is recorded (as a CSRF refusal naming `what`) and answered 403 as a problem
// document; otherwise nullopt.
std::optional<Response> RefuseCrossOrigin(app::IdentityService& identity, const app::Actor& actor,
                                          const Request& request, std::string_view what);

// Whether to offer a framework's author buttons and forms to `actor`: whether the policy
// lets them edit it (administrators, the system, authors of that framework, the head of
// the profession whose career framework it is). Records nothing; a database failure
// counts as no. Only a hint: the use case asks the policy again when the form is sent.
bool MayAuthorFramework(app::IdentityService& identity, const app::Actor& actor,
                        const std::string& framework_id);

// Whether `actor` may use the framework import page (/frameworks/import): whether the
// policy lets them create a framework (administrators, the system, framework authors) or
// import into a framework of a profession one of their grants names (heads of profession,
// into its career framework). Records nothing; a database failure counts as no. The
// import asks the policy again about the file's own framework.
bool MayImportFrameworks(app::IdentityService& identity, const app::Actor& actor);

// Set-Cookie values.
std::string SessionCookieHeader(std::string_view session_id);
std::string SignInCookieHeader(std::string_view token);
std::string ExpiredCookieHeader(std::string_view name);

// The id in a path segment: digits only, no more than 18 of them.
std::optional<std::int64_t> ParseId(std::string_view text);

}  // namespace pathway::web
