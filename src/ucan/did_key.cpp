#include "ucan/did_key.h"

#include "ipld/multibase.h"
#include "ipld/varint.h"

namespace ipvm::ucan {
namespace {

constexpr std::string_view kPrefix = "did:key:";
constexpr uint64_t kEd25519Pub = 0xed;

// Key types that exist in the multicodec table but that we cannot verify yet.
std::string_view unsupported_key_name(uint64_t code) {
  switch (code) {
    case 0xe7: return "secp256k1";
    case 0x1200: return "P-256";
    case 0x1201: return "P-384";
    case 0x1202: return "P-521";
    case 0x1205: return "RSA";
    case 0xec: return "X25519";
    case 0xeb: return "BLS12-381 G2";
    default: return "";
  }
}

}  // namespace

std::string_view did_without_fragment(std::string_view did) {
  size_t hash = did.find('#');
  return hash == std::string_view::npos ? did : did.substr(0, hash);
}

Result<PublicKey> parse_did_key(std::string_view did) {
  std::string_view d = did_without_fragment(did);
  if (d.substr(0, kPrefix.size()) != kPrefix) {
    size_t method_end = d.find(':', 4);
    if (d.substr(0, 4) == "did:" && method_end != std::string_view::npos)
      return failf("did", "{}: DID method '{}' is not supported; use did:key", d,
                   d.substr(4, method_end - 4));
    return failf("did", "'{}' is not a DID", d);
  }
  std::string_view mb = d.substr(kPrefix.size());
  if (mb.empty() || mb[0] != 'z')
    return failf("did", "{}: did:key must be base58btc encoded (start with 'z')", d);
  auto raw = ipld::base58btc_decode(mb.substr(1));
  if (!raw) return failf("did", "{}: bad base58btc: {}", d, raw.error().message);
  size_t pos = 0;
  auto code = ipld::read_uvarint(*raw, pos);
  if (!code) return failf("did", "{}: bad multicodec prefix", d);
  if (*code != kEd25519Pub) {
    std::string_view name = unsupported_key_name(*code);
    if (!name.empty())
      return failf("did", "{}: {} keys are not supported yet; only Ed25519 (z6Mk...) is", d, name);
    return failf("did", "{}: unknown key type 0x{:x}; only Ed25519 (z6Mk...) is supported", d, *code);
  }
  if (raw->size() - pos != kEd25519PublicKeySize)
    return failf("did", "{}: Ed25519 key must be 32 bytes, found {}", d, raw->size() - pos);
  return PublicKey{KeyType::kEd25519, Bytes(raw->begin() + static_cast<long>(pos), raw->end())};
}

std::string ed25519_did(ByteView public_key) {
  Bytes buf;
  buf.reserve(2 + public_key.size());
  ipld::put_uvarint(buf, kEd25519Pub);
  buf.insert(buf.end(), public_key.begin(), public_key.end());
  return std::string(kPrefix) + "z" + ipld::base58btc_encode(buf);
}

}  // namespace ipvm::ucan
