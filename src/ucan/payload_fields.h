// Field readers shared by the delegation and invocation payload parsers. Every failure is kind
// "InvalidClaim" and names the token type and field.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/value.h"

namespace ipvm::ucan::fields {

// The two versions we read; we write the first.
bool supported_version(std::string_view version);

Result<std::string> required_string(const ipld::Value& p, std::string_view what, std::string_view key);
Result<std::optional<std::string>> optional_string(const ipld::Value& p, std::string_view what, std::string_view key);
Result<std::string> required_did(const ipld::Value& p, std::string_view what, std::string_view key);
Result<std::optional<std::string>> optional_did(const ipld::Value& p, std::string_view what, std::string_view key);
Result<Bytes> required_bytes(const ipld::Value& p, std::string_view what, std::string_view key);
// `required_nullable`: the key must be present (value integer or null), as for "exp".
Result<std::optional<int64_t>> time_field(const ipld::Value& p, std::string_view what, std::string_view key,
                                          bool required_nullable);
Result<ipld::Value> optional_map(const ipld::Value& p, std::string_view what, std::string_view key);

Bytes random_nonce(size_t n = 12);

}  // namespace ipvm::ucan::fields
