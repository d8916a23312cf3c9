// JSON in and out of the API, one way each: JsonText writes every JSON answer (and never
// throws on stored text), ReadJsonBody reads a request body and checks its text at the
// door, and JsonField reads its members by type, naming the member in every problem
// ("requirements[2].level").
//
// Not a JSON Schema validator: Debian 12's one C++ validator with an nlohmann-json
// adapter (libvalijson-dev) depends on the Qt 5, Poco, yaml-cpp, jsoncpp and RapidJSON
// development packages and words its own errors, and nlohmann-json-schema-validator is
// not packaged. The routes that read JSON are few and their rules are the use cases' own.
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

// One value of a JSON body and the name of its place: "" for the body, "name",
// "filters.grade_min", "requirements[2].level". Reads are typed: a value of another
// type is a kInvalidInput Error naming the place, with the caller's message. Absent
// members and null read as absent. Holds a pointer to the value, which must outlive it.
class JsonField {
 public:
  JsonField(const nlohmann::json& value, std::string field)
      : value_(&value), field_(std::move(field)) {}

  const std::string& field() const { return field_; }
  const nlohmann::json& value() const { return *value_; }

  // The member `name`, or nullopt when this is not an object, or the member is absent
  // or null.
  std::optional<JsonField> Member(std::string_view name) const;

  domain::Result<std::string> String(std::string_view message) const;
  // A whole number; a fraction or a number beyond 64 bits is of another type.
  domain::Result<std::int64_t> Integer(std::string_view message) const;
  // The elements, each named field()[i]; more than `max_size` of them is refused with
  // `message` too.
  domain::Result<std::vector<JsonField>> Array(std::size_t max_size,
                                               std::string_view message) const;
  domain::Status Object(std::string_view message) const;

 private:
  const nlohmann::json* value_;
  std::string field_;
};

}  // namespace pathway::web
