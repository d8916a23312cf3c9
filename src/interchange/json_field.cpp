#include "interchange/json_field.hpp"

#include <cstdint>

namespace pathway::interchange {
namespace {

domain::Error Wrong(const std::string& field, std::string_view message) {
  return domain::Error::InvalidInput(field, std::string(message));
}

}  // namespace

std::string JsonField::PlaceOf(std::string_view name) const {
  return field_.empty() ? std::string(name) : field_ + "." + std::string(name);
}

std::optional<JsonField> JsonField::Member(std::string_view name) const {
  if (!value_->is_object()) return std::nullopt;
  const auto it = value_->find(name);
  if (it == value_->end() || it->is_null()) return std::nullopt;
  return JsonField(*it, PlaceOf(name));
}

domain::Result<std::string> JsonField::RequiredString(std::string_view name,
                                                      std::string_view message) const {
  const auto member = Member(name);
  if (!member) return Wrong(PlaceOf(name), message);
  return member->String(message);
}

domain::Result<std::string> JsonField::String(std::string_view message) const {
  if (!value_->is_string()) return Wrong(field_, message);
  return value_->get<std::string>();
}

domain::Result<std::int64_t> JsonField::Integer(std::string_view message) const {
  if (value_->is_number_integer() && !value_->is_number_unsigned()) {
    return value_->get<std::int64_t>();
  }
  if (value_->is_number_unsigned() &&
      value_->get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value_->get<std::uint64_t>());
  }
  return Wrong(field_, message);
}

domain::Result<std::vector<JsonField>> JsonField::Array(std::size_t max_size,
                                                        std::string_view message) const {
  return Array(max_size, message, message);
}

domain::Result<std::vector<JsonField>> JsonField::Array(std::size_t max_size,
                                                        std::string_view message,
                                                        std::string_view too_many) const {
  if (!value_->is_array()) return Wrong(field_, message);
  if (value_->size() > max_size) return Wrong(field_, too_many);
  std::vector<JsonField> elements;
  elements.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i) {
    elements.emplace_back((*value_)[i], field_ + "[" + std::to_string(i) + "]");
  }
  return elements;
}

domain::Status JsonField::Object(std::string_view message) const {
  if (!value_->is_object()) return Wrong(field_, message);
  return domain::Ok{};
}

}  // namespace pathway::interchange
