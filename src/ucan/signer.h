// Signing keys. A Signer is what envelopes are signed with; Ed25519Signer is the only kind today
// (libsodium). The secret is zeroed when the signer is destroyed.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "base/bytes.h"
#include "base/error.h"
#include "ucan/varsig.h"

namespace ipvm::ucan {

class Signer {
 public:
  virtual ~Signer() = default;
  virtual const std::string& did() const = 0;
  virtual SigAlg alg() const = 0;
  virtual Bytes sign(ByteView message) const = 0;
};

class Ed25519Signer final : public Signer {
 public:
  static constexpr size_t kSeedSize = 32;
  static constexpr uint64_t kMultikeyCode = 0x1300;  // ed25519-priv

  static Ed25519Signer generate();
  static Result<Ed25519Signer> from_seed(ByteView seed);
  // varint(0x1300) + 32-byte seed: the form the UCAN fixtures use (base64pad of it).
  static Result<Ed25519Signer> from_multikey(ByteView bytes);

  Ed25519Signer(const Ed25519Signer&) = default;
  Ed25519Signer& operator=(const Ed25519Signer&) = default;
  ~Ed25519Signer() override;

  const std::string& did() const override { return did_; }
  SigAlg alg() const override { return SigAlg::kEd25519; }
  Bytes sign(ByteView message) const override;

  ByteView public_key() const { return ByteView(secret_.data() + 32, 32); }
  Bytes to_multikey() const;

 private:
  Ed25519Signer() = default;
  std::array<uint8_t, 64> secret_{};  // libsodium layout: seed || public key
  std::string did_;
};

}  // namespace ipvm::ucan
