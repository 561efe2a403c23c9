// Helpers shared by the UCAN tests: conformance fixtures and throwaway principals.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "base/file.h"
#include "ipld/dag_json.h"
#include "ipld/multibase.h"
#include "ucan/signer.h"

namespace ipvm::ucan::test {

inline ipld::Value load_fixture(const std::string& name) {
  auto data = read_file(std::string(IPVM_CONFORMANCE_DIR) + "/ucan/" + name);
  EXPECT_TRUE(data.has_value()) << name;
  if (!data) return {};
  auto v = ipld::dag_json_decode(*data);
  EXPECT_TRUE(v.has_value()) << name << ": " << (v ? "" : v.error().message);
  return v ? *v : ipld::Value();
}

inline Bytes b64(std::string_view s) {
  auto b = ipld::base64_decode(s);
  EXPECT_TRUE(b.has_value()) << s;
  return b ? *b : Bytes();
}

inline Ed25519Signer signer_from_seed_byte(uint8_t b) {
  Bytes seed(32, b);
  return *Ed25519Signer::from_seed(seed);
}

}  // namespace ipvm::ucan::test
