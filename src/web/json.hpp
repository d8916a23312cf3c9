// JSON in and out of the API, one way each: JsonText writes every JSON answer (and never
// throws on stored text), ReadJsonBody reads a request body and checks its text at the
// door, and interchange::JsonField reads its members by type, naming the member in every
// problem ("requirements[2].level").
// Include only in route files (it brings in nlohmann/json.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/result.hpp"
#include "interchange/json_field.hpp"
#include "web/http.hpp"

namespace pathway::web {

// `value` as compact JSON text. A string that is not UTF-8 (text stored before the doors
// checked it) is written with U+FFFD in place of each bad byte instead of throwing.
std::string JsonText(const nlohmann::json& value);

// Response::Json(status, JsonText(value)).
Response JsonResponse(int status, const nlohmann::json& value);

// The deepest nesting ReadJsonBody accepts (objects and arrays within each other).
inline constexpr int kMaxJsonDepth = 32;

// Reads `request`'s body as one JSON object and checks its text at the door. The answer
// refusing it, as problem details, when:
//  - the content type is not application/json: 415 ("Send `what` as application/json.");
//  - the body is not one JSON object, or nests deeper than kMaxJsonDepth: 400;
//  - a string or member name in it is not text (domain::FindTextProblem): bytes that are
//    not UTF-8, a control character other than tab, or a line break in a member whose
//    name is not in `multi_line`: `invalid_status` ("invalid-input"), naming the member
//    as JsonField does ("roles[1].scope"; "" for the body itself).
// Otherwise the body. Never throws on any body.
std::variant<nlohmann::json, Response> ReadJsonBody(
    const Request& request, std::string_view what, int invalid_status,
    std::initializer_list<std::string_view> multi_line = {});

// Members of a body are read with interchange::JsonField (typed reads naming the member
// in every problem), the one JSON reader for every layer.
using interchange::JsonField;

}  // namespace pathway::web
