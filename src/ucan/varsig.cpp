#include "ucan/varsig.h"

#include <sodium.h>

#include "ipld/varint.h"

namespace ipvm::ucan {
namespace {

constexpr uint64_t kVarsigPrefix = 0x34;
constexpr uint64_t kEdDsa = 0xed;
constexpr uint64_t kCurveEd25519 = 0xed;
constexpr uint64_t kSha2_512 = 0x13;
constexpr uint64_t kDagCbor = 0x71;

std::string encoding_name(uint64_t code) {
  switch (code) {
    case 0x5f: return "raw bytes";
    case 0x70: return "DAG-PB";
    case 0x71: return "DAG-CBOR";
    case 0x0129: return "DAG-JSON";
    case 0x6a77: return "JWT";
    case 0xe191: return "EIP-191";
    default: return fmt::format("0x{:x}", code);
  }
}

Result<uint64_t> next(ByteView h, size_t& pos) {
  auto v = ipld::read_uvarint(h, pos);
  if (!v) return fail("varsig", "varsig header is truncated or has a malformed varint");
  return *v;
}

}  // namespace

Result<Varsig> parse_varsig_header(ByteView h) {
  size_t pos = 0;
  IPVM_TRY(uint64_t prefix, next(h, pos));
  if (prefix != kVarsigPrefix)
    return failf("varsig", "header does not start with the varsig prefix 0x34 (found 0x{:x})", prefix);
  IPVM_TRY(uint64_t first, next(h, pos));
  Varsig out;
  if (first == 1) {
    IPVM_TRY(uint64_t alg, next(h, pos));
    if (alg == 0xec) return fail("varsig", "ECDSA signatures (P-256, secp256k1) are not supported yet");
    if (alg == 0x1205) return fail("varsig", "RSA signatures are not supported");
    if (alg != kEdDsa) return failf("varsig", "unknown signature algorithm 0x{:x}", alg);
    IPVM_TRY(uint64_t curve, next(h, pos));
    if (curve != kCurveEd25519) return failf("varsig", "EdDSA curve 0x{:x} is not supported; only Ed25519", curve);
    IPVM_TRY(uint64_t hash, next(h, pos));
    if (hash != kSha2_512) return failf("varsig", "Ed25519 must use SHA2-512 (0x13), header says 0x{:x}", hash);
  } else if (first == kEdDsa) {
    out.legacy = true;  // 34 ed01 <enc>
  } else {
    return failf("varsig", "unsupported varsig version or algorithm 0x{:x}", first);
  }
  IPVM_TRY(uint64_t enc, next(h, pos));
  if (enc != kDagCbor)
    return failf("varsig", "payload encoding {} is not supported; only DAG-CBOR", encoding_name(enc));
  if (pos != h.size()) return fail("varsig", "varsig header has trailing bytes");
  out.payload_codec = enc;
  return out;
}

Bytes varsig_header(SigAlg alg) {
  Bytes h;
  h.reserve(16);  // every header we write is 8 bytes or fewer: one allocation, not one per varint
  ipld::put_uvarint(h, kVarsigPrefix);
  ipld::put_uvarint(h, 1);
  switch (alg) {
    case SigAlg::kEd25519:
      ipld::put_uvarint(h, kEdDsa);
      ipld::put_uvarint(h, kCurveEd25519);
      ipld::put_uvarint(h, kSha2_512);
      break;
  }
  ipld::put_uvarint(h, kDagCbor);
  return h;
}

ipld::Value describe_varsig(const Varsig& v) {
  ipld::Map m;
  m.emplace_back("alg", ipld::Value::string("EdDSA"));
  m.emplace_back("curve", ipld::Value::string("Ed25519"));
  m.emplace_back("hash", ipld::Value::string("sha2-512"));
  m.emplace_back("enc", ipld::Value::string(encoding_name(v.payload_codec)));
  m.emplace_back("version", ipld::Value::string(v.legacy ? "pre-v1" : "1"));
  return ipld::Value::map(std::move(m));
}

Status verify_signature(const PublicKey& key, const Varsig& v, ByteView message, ByteView signature) {
  if (key.type != KeyType::kEd25519 || v.alg != SigAlg::kEd25519)
    return fail("InvalidSignature", "the varsig header's algorithm does not match the issuer's key type");
  if (signature.size() != kEd25519SignatureSize)
    return failf("InvalidSignature", "an Ed25519 signature is 64 bytes, this one is {}", signature.size());
  if (key.bytes.size() != crypto_sign_PUBLICKEYBYTES)
    return fail("InvalidSignature", "malformed Ed25519 public key");
  if (sodium_init() < 0) return fail("InvalidSignature", "libsodium failed to initialise");
  if (crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.bytes.data()) != 0)
    return fail("InvalidSignature", "the signature does not verify against the issuer's key");
  return {};
}

}  // namespace ipvm::ucan
