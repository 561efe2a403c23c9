#include "ucan/payload_fields.h"

#include <sodium.h>

namespace ipvm::ucan::fields {

bool supported_version(std::string_view version) { return version == "1.0.0" || version == "1.0.0-rc.1"; }

Result<std::string> required_string(const ipld::Value& p, std::string_view what, std::string_view key) {
  const ipld::Value* v = p.find(key);
  if (!v) return failf("InvalidClaim", "{} has no \"{}\" field", what, key);
  if (!v->is_string()) return failf("InvalidClaim", "{} field \"{}\" must be a string", what, key);
  return v->as_string();
}

Result<std::optional<std::string>> optional_string(const ipld::Value& p, std::string_view what,
                                                   std::string_view key) {
  const ipld::Value* v = p.find(key);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return failf("InvalidClaim", "{} field \"{}\" must be a string", what, key);
  return std::optional<std::string>(v->as_string());
}

static Status check_did(const std::string& s, std::string_view what, std::string_view key) {
  if (s.substr(0, 4) != "did:" || s.size() < 7)
    return failf("InvalidClaim", "{} field \"{}\" is not a DID: '{}'", what, key, s);
  return {};
}

Result<std::string> required_did(const ipld::Value& p, std::string_view what, std::string_view key) {
  IPVM_TRY(std::string s, required_string(p, what, key));
  IPVM_TRY_STATUS(check_did(s, what, key));
  return s;
}

Result<std::optional<std::string>> optional_did(const ipld::Value& p, std::string_view what,
                                                std::string_view key) {
  IPVM_TRY(std::optional<std::string> s, optional_string(p, what, key));
  if (s) IPVM_TRY_STATUS(check_did(*s, what, key));
  return s;
}

Result<Bytes> required_bytes(const ipld::Value& p, std::string_view what, std::string_view key) {
  const ipld::Value* v = p.find(key);
  if (!v) return failf("InvalidClaim", "{} has no \"{}\" field", what, key);
  if (!v->is_bytes()) return failf("InvalidClaim", "{} field \"{}\" must be bytes", what, key);
  return v->as_bytes();
}

Result<std::optional<int64_t>> time_field(const ipld::Value& p, std::string_view what, std::string_view key,
                                          bool required_nullable) {
  const ipld::Value* v = p.find(key);
  if (!v) {
    if (required_nullable) return failf("InvalidClaim", "{} has no \"{}\" field (use null for none)", what, key);
    return std::optional<int64_t>();
  }
  if (v->is_null() && required_nullable) return std::optional<int64_t>();
  auto i = v->to_int64();
  if (!i) return failf("InvalidClaim", "{} field \"{}\" must be an integer Unix time in seconds", what, key);
  return std::optional<int64_t>(*i);
}

Result<ipld::Value> optional_map(const ipld::Value& p, std::string_view what, std::string_view key) {
  const ipld::Value* v = p.find(key);
  if (!v) return ipld::Value::null();
  if (!v->is_map()) return failf("InvalidClaim", "{} field \"{}\" must be a map", what, key);
  return *v;
}

Bytes random_nonce(size_t n) {
  if (sodium_init() < 0) std::abort();
  Bytes b(n);
  randombytes_buf(b.data(), b.size());
  return b;
}

}  // namespace ipvm::ucan::fields
