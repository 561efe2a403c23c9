#include "ucan/signer.h"

#include <sodium.h>

#include "ipld/varint.h"
#include "ucan/did_key.h"

namespace ipvm::ucan {

Ed25519Signer Ed25519Signer::generate() {
  if (sodium_init() < 0) std::abort();  // no entropy source: nothing safe to do
  std::array<uint8_t, kSeedSize> seed;
  randombytes_buf(seed.data(), seed.size());
  auto s = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return std::move(*s);
}

Result<Ed25519Signer> Ed25519Signer::from_seed(ByteView seed) {
  if (seed.size() != kSeedSize)
    return failf("key", "an Ed25519 seed is 32 bytes, found {}", seed.size());
  if (sodium_init() < 0) return fail("key", "libsodium failed to initialise");
  Ed25519Signer s;
  std::array<uint8_t, 32> pk;
  crypto_sign_seed_keypair(pk.data(), s.secret_.data(), seed.data());
  s.did_ = ed25519_did(pk);
  return s;
}

Result<Ed25519Signer> Ed25519Signer::from_multikey(ByteView bytes) {
  size_t pos = 0;
  auto code = ipld::read_uvarint(bytes, pos);
  if (!code || *code != kMultikeyCode)
    return fail("key", "not an Ed25519 private key (expected multicodec 0x1300 ed25519-priv)");
  return from_seed(bytes.subspan(pos));
}

Ed25519Signer::~Ed25519Signer() { sodium_memzero(secret_.data(), secret_.size()); }

Bytes Ed25519Signer::sign(ByteView message) const {
  Bytes sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

Bytes Ed25519Signer::to_multikey() const {
  Bytes out;
  ipld::put_uvarint(out, kMultikeyCode);
  out.insert(out.end(), secret_.begin(), secret_.begin() + kSeedSize);
  return out;
}

}  // namespace ipvm::ucan
