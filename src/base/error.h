// Errors cross API boundaries as values: tl::expected<T, Error>.
//
// An Error carries a short machine-readable `kind` (stable; tests and the UCAN fixtures match on it,
// e.g. "InvalidSignature", "cbor", "wasm.trap") and a one-line `message` a person can act on.
#pragma once

#include <string>
#include <utility>

#include <fmt/format.h>
#include <tl/expected.hpp>

namespace ipvm {

struct Error {
  std::string kind;
  std::string message;

  // "kind: message", the form the CLI prints.
  std::string to_string() const { return kind.empty() ? message : kind + ": " + message; }
};

template <class T>
using Result = tl::expected<T, Error>;

// Status for operations that return nothing but can fail.
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> fail(std::string kind, std::string message) {
  return tl::unexpected<Error>(Error{std::move(kind), std::move(message)});
}

template <class... Args>
tl::unexpected<Error> failf(std::string kind, fmt::format_string<Args...> f, Args&&... args) {
  return tl::unexpected<Error>(Error{std::move(kind), fmt::format(f, std::forward<Args>(args)...)});
}

}  // namespace ipvm

// Propagate an error from an expression returning Result<T> / Status; binds nothing.
#define IPVM_TRY_STATUS(expr)                                        \
  do {                                                               \
    auto ipvm_try_status_ = (expr);                                  \
    if (!ipvm_try_status_) return tl::unexpected(ipvm_try_status_.error()); \
  } while (0)

#define IPVM_CONCAT_INNER(a, b) a##b
#define IPVM_CONCAT(a, b) IPVM_CONCAT_INNER(a, b)
// IPVM_TRY(auto x, expr): declares x from a Result, or returns its error. It expands to several
// statements: under an `if`, use braces.
#define IPVM_TRY(decl, expr) IPVM_TRY_IMPL(IPVM_CONCAT(ipvm_try_, __LINE__), decl, expr)
#define IPVM_TRY_IMPL(tmp, decl, expr)               \
  auto tmp = (expr);                                 \
  if (!tmp) return tl::unexpected(tmp.error());      \
  decl = std::move(*tmp)
