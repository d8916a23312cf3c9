// Reading JSON by type, one way for every reader: the API's request bodies (web), the
// skills passport's credential (interchange) and the key files the command line takes
// (cli). Each read names the place of the value in its problem ("requirements[2].level"),
// so that a refusal says which member is wrong.
//
// Not a JSON Schema validator: Debian 12's one C++ validator with an nlohmann-json
// adapter (libvalijson-dev) depends on the Qt 5, Poco, yaml-cpp, jsoncpp and RapidJSON
// development packages and words its own errors, and nlohmann-json-schema-validator is
// not packaged. The readers are few and their rules are the use cases' own; the CASE
// export is checked against the CASE 1.1 schema in tests (tests/blackbox/case-schema).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/result.hpp"

namespace pathway::interchange {

// One value of a JSON document and the name of its place: "" for the document, "name",
// "filters.grade_min", "requirements[2].level". Reads are typed: a value of another type
// is a kInvalidInput Error naming the place, with the caller's message. Absent members
// and null read as absent. Holds a pointer to the value, which must outlive it.
class JsonField {
 public:
  JsonField(const nlohmann::json& value, std::string field)
      : value_(&value), field_(std::move(field)) {}

  const std::string& field() const { return field_; }
  // The place of the member `name`: "name", or "field().name".
  std::string PlaceOf(std::string_view name) const;
  const nlohmann::json& value() const { return *value_; }

  // The member `name`, or nullopt when this is not an object, or the member is absent
  // or null.
  std::optional<JsonField> Member(std::string_view name) const;
  // The member `name` as text; absent (or of another type) is refused with `message`.
  domain::Result<std::string> RequiredString(std::string_view name, std::string_view message) const;

  domain::Result<std::string> String(std::string_view message) const;
  // A whole number; a fraction or a number beyond 64 bits is of another type.
  domain::Result<std::int64_t> Integer(std::string_view message) const;
  // The elements, each named field()[i]; more than `max_size` of them is refused with
  // `message` too.
  domain::Result<std::vector<JsonField>> Array(std::size_t max_size,
                                               std::string_view message) const;
  // The same, with a message of its own for a list that is too long.
  domain::Result<std::vector<JsonField>> Array(std::size_t max_size, std::string_view message,
                                               std::string_view too_many) const;
  domain::Status Object(std::string_view message) const;

 private:
  const nlohmann::json* value_;
  std::string field_;
};

}  // namespace pathway::interchange
