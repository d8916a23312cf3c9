#include "domain/result.hpp"

namespace pathway::domain {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return "invalid-input";
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kTooManyRequests:
      return "too-many-requests";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace pathway::domain
