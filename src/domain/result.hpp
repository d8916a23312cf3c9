// Expected failures as values: every operation that can fail for a reason the user
// can act on (bad input, missing object, refusal, conflict) returns Result<T>.
// Exceptions are kept for bugs and broken invariants, caught once in web/.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pathway::domain {

// The one list of failure kinds. Only web/ maps these to HTTP statuses and pages.
enum class ErrorCode {
  kInvalidInput,     // the request or file is malformed or breaks a rule; `field` says where
  kNotFound,         // no such object, or one the actor may not know exists
  kForbidden,        // the actor may not do this to an object they may see
  kConflict,         // the object changed or already exists
  kUnavailable,      // a dependency (the database) did not answer; retrying may help
  kTooManyRequests,  // the actor is being slowed down; retry after `retry_after_seconds`
  kUnauthenticated,  // the request needs a signed-in user or a valid API token
  kInternal,         // a bug; the message is for the log, never for the user
};

// Stable machine-readable name of a code, used in problem details and logs.
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string field;            // the input field or file position at fault; empty if none
  std::string message;          // user-facing text in GOV.UK style (internal codes: log text)
  int retry_after_seconds = 0;  // for kTooManyRequests

  static Error InvalidInput(std::string field, std::string message) {
    return {ErrorCode::kInvalidInput, std::move(field), std::move(message)};
  }
  static Error NotFound(std::string message) {
    return {ErrorCode::kNotFound, {}, std::move(message)};
  }
  static Error Unavailable(std::string message) {
    return {ErrorCode::kUnavailable, {}, std::move(message)};
  }
  static Error Internal(std::string message) {
    return {ErrorCode::kInternal, {}, std::move(message)};
  }
};

// Either a value or an Error. Accessing the wrong alternative is a bug and throws
// std::bad_variant_access.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  // By value, so that `for (auto& x : F().value())` does not dangle.
  T value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<Error>(state_); }
  Error&& error() && { return std::get<Error>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

// Result of an operation that returns nothing on success.
struct Ok {};
using Status = Result<Ok>;

}  // namespace pathway::domain

// Early return of the error from an expression yielding Result<...> or Status.
#define PATHWAY_TRY(expr)                            \
  do {                                               \
    auto pathway_try_result_ = (expr);               \
    if (!pathway_try_result_.ok()) {                 \
      return std::move(pathway_try_result_).error(); \
    }                                                \
  } while (false)

#define PATHWAY_CONCAT_INNER_(a, b) a##b
#define PATHWAY_CONCAT_(a, b) PATHWAY_CONCAT_INNER_(a, b)

// Declares `lhs` from the value of a Result, or returns its error.
//   PATHWAY_ASSIGN_OR_RETURN(auto rows, store.Find(id));
#define PATHWAY_ASSIGN_OR_RETURN(lhs, expr)                               \
  auto PATHWAY_CONCAT_(pathway_result_, __LINE__) = (expr);               \
  if (!PATHWAY_CONCAT_(pathway_result_, __LINE__).ok()) {                 \
    return std::move(PATHWAY_CONCAT_(pathway_result_, __LINE__)).error(); \
  }                                                                       \
  lhs = std::move(PATHWAY_CONCAT_(pathway_result_, __LINE__)).value()
