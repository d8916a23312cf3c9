// What every page handler needs to read a form and answer it: CSRF-checked form
// fields, redirects (to sign-in too), and the GOV.UK error-summary view keys.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "app/identity.hpp"
#include "domain/result.hpp"
#include "web/errors.hpp"
#include "web/http.hpp"

namespace pathway::web {

using Form = std::map<std::string, std::string>;

// `target` if it is a local path that is safe to redirect to, else `fallback`: after
// percent-decoding it must start with exactly one '/' (not "//" nor "/\\"), hold no
// backslash, no scheme before its first '/', and no control character (CR, LF, tab, NUL,
// any C0 or DEL), and be at most 500 bytes. For sign-in's `next` and every redirect built
// from what a client sent.
std::string LocalRedirectTarget(std::string_view target, std::string_view fallback = "/");

// 303 See Other to `location`, a local path: one that LocalRedirectTarget refuses becomes
// "/". Every redirect the pages answer goes through here.
Response Redirect(const std::string& location);

// Percent-encodes everything but unreserved characters and those in `keep`.
std::string UrlEncode(std::string_view text, std::string_view keep = {});

// Sends a signed-out visitor to sign in, and back afterwards to `next`: by default this
// page (query included) for a GET, the start page otherwise. A session cookie they still
// send is stale (ended, expired or forged) and is cleared.
Response SignInRedirect(const Request& request, std::string next = {});

// 401 problem details with WWW-Authenticate, for the API.
Response ApiUnauthenticated();

// The view keys for a failed form: `has_errors`, `errors` ([{field, message}]) for the
// summary, and `error_<field>` (hyphens as underscores) for each inline message.
void AddErrors(nlohmann::json& view, const std::vector<domain::Error>& errors);

// A change that removes something (revoking a role or a token, deleting part of a draft,
// removing a crosswalk) asks first: the first POST answers a page that asks "Are you
// sure?" (template "confirm") and changes nothing; its form posts the same address again
// with confirm=yes. Whether `form` carries that answer.
bool Confirmed(const Form& form);

struct Confirmation {
  std::string question;   // the page's heading: "Revoke the HR partner role?"
  std::string detail;     // what happens, or empty
  std::string button;     // "Revoke role"
  std::string back_href;  // where Cancel leads, a local path
};
// The view of the page asking for `confirmation` of the POST `request`.
nlohmann::json ConfirmationView(const Request& request, const app::Actor& actor,
                                const Confirmation& confirmation);

// A field a form needs, and what to say when it is empty ("Enter an email address").
struct RequiredField {
  std::string_view name;
  std::string_view message;
};
// One error for each of `required` that is empty or only white space in `form`, in the
// order given: the GOV.UK error summary lists every empty required field at once, rather
// than one per submission.
std::vector<domain::Error> MissingFields(const Form& form,
                                         std::initializer_list<RequiredField> required);

// What a form's error summary lists when its use case refused it with `refused` and
// `missing` (from MissingFields) holds its empty required fields: every one of `missing`,
// then `refused` if it is about another field (the use case stops at its first problem, so
// it names an empty field only when that field was the first); `refused` alone when no
// required field is empty.
std::vector<domain::Error> WithMissingFields(std::vector<domain::Error> missing,
                                             const domain::Error& refused);

// The value of a form field, or empty.
std::string FormValue(const Form& form, const std::string& name);

// The fields of a state-changing form sent by `actor`, if it is url-encoded, its text
// passes the door (ParseForm: line breaks only in the fields named in `multi_line`) and
// it passes the CSRF-token and origin checks. Otherwise the answer is 400 (not a form, or
// a field that is not text, named on the error page) or 403 (the refusal is audited).
std::variant<Form, Response> CheckedForm(app::IdentityService& identity, const ErrorPages& errors,
                                         const Request& request, const app::Actor& actor,
                                         std::initializer_list<std::string_view> multi_line = {});

}  // namespace pathway::web
