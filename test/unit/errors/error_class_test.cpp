// The public error classes: Error::retryable() agrees with the chain's own rule for every
// kind, copies share one context and never throw, and MyAPIError is Error.
#include <catch2/catch.hpp>

#include <exception>
#include <memory>
#include <type_traits>

#include <rhc/errors.hpp>

#include "errors/classify.hpp"

using rhc::detail::ErrorKind;

namespace {

const rhc::Error* as_error(const std::exception_ptr& e, std::exception_ptr& keep) {
  keep = e;
  try {
    std::rethrow_exception(e);
  } catch (const rhc::Error& error) {
    return &error;  // the exception object lives as long as `keep`
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

TEST_CASE("Error::retryable() says what the retry policy does, for every kind", "[errors]") {
  for (int k = 0; k <= static_cast<int>(ErrorKind::Config); ++k) {
    const auto kind = static_cast<ErrorKind>(k);
    INFO("kind " << k);
    std::exception_ptr keep;
    const rhc::Error* error =
        as_error(rhc::detail::make_exception(rhc::detail::Failure::of(kind, "x"), {}), keep);
    REQUIRE(error != nullptr);
    CHECK(error->retryable() == rhc::detail::is_retryable(kind));
  }
}

TEST_CASE("copying an error shares its context and cannot throw", "[errors]") {
  static_assert(std::is_same_v<rhc::MyAPIError, rhc::Error>);
  static_assert(std::is_nothrow_copy_constructible_v<rhc::Error>);
  static_assert(std::is_nothrow_copy_constructible_v<rhc::ServerError>);
  rhc::ErrorContext context;
  context.status_code = 503;
  context.request_id = "abc";
  context.attempts = 3;
  context.method = "GET";
  context.url = "http://h/x";
  rhc::ServiceUnavailableError original("boom", context);
  rhc::ServiceUnavailableError copy = original;
  CHECK(copy.status_code() == 503);
  CHECK(copy.request_id() == "abc");
  CHECK(copy.attempts() == 3);
  CHECK(&copy.request_id() == &original.request_id());  // one context, not two
  CHECK(copy.retryable());
  CHECK_FALSE(rhc::ConfigError("bad").retryable());
  CHECK_FALSE(rhc::CircuitOpenError("open").retryable());
}
