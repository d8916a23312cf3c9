// Accounts, grants, sessions, tokens and people as the store keeps them (store/identity.hpp), named
// here so that use cases and pages use them without seeing the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/result.hpp"

namespace pathway::domain {

struct UserRecord {
  std::int64_t id = 0;
  std::string email;
  std::string display_name;
  std::optional<std::string> password_hash;
  std::optional<std::int64_t> person_id;
  bool disabled = false;
  std::string created_at;
};

struct GrantRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string role;
  std::string scope;
  std::string granted_at;
};

struct SessionRecord {
  std::string id_hash;
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::int64_t created_at = 0;    // Unix seconds
  std::int64_t last_seen_at = 0;  // Unix seconds
  bool ended = false;
};

struct TokenRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string created_at;
  std::string last_used_at;
  bool revoked = false;
};

struct PersonRecord {
  std::int64_t id = 0;
  std::string external_id;
  std::string display_name;
  std::string department;
  std::string profession;
  std::optional<std::int64_t> line_manager_id;
};

}  // namespace pathway::domain
