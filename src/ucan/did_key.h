// did:key principals (w3c-ccg did-method-key): "did:key:z" + base58btc(multicodec(key type) + key).
//
// Only Ed25519 (multicodec 0xed) is supported today. The KeyType enum and the multicodec table in
// did_key.cpp are the two places to extend for P-256 (0x1200) or secp256k1 (0xe7); other key types
// are recognised by name and refused with a message saying so. Errors have kind "did".
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace ipvm::ucan {

enum class KeyType { kEd25519 };

struct PublicKey {
  KeyType type = KeyType::kEd25519;
  Bytes bytes;  // raw public key (32 bytes for Ed25519)
};

inline constexpr size_t kEd25519PublicKeySize = 32;

// The DID with any "#fragment" removed: principal alignment ignores fragments (delegation spec).
std::string_view did_without_fragment(std::string_view did);

// Parses "did:key:z6Mk..." (a fragment is ignored). Fails for other DID methods, other multibases,
// unsupported key types (named), and keys of the wrong length.
Result<PublicKey> parse_did_key(std::string_view did);

// "did:key:z6Mk..." for a raw 32-byte Ed25519 public key.
std::string ed25519_did(ByteView public_key);

}  // namespace ipvm::ucan
