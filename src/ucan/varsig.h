// Varsig headers (ChainAgnostic varsig v1): the "h" field of a UCAN envelope, describing how the
// signature was made and how the signed payload was encoded.
//
// v1 layout: 0x34 (varsig), 0x01 (version), signature-algorithm segments, payload-encoding varint.
// Ed25519 is EdDSA (0xed) on curve Ed25519 (0xed) with SHA2-512 (0x13), so over DAG-CBOR (0x71)
// the header is 34 01 ed01 ed01 13 71. The pre-v1 form 34 ed01 71 (written by some 1.0.0-rc.1
// tools) is read too, never written. Only EdDSA/Ed25519 over DAG-CBOR is accepted; the others are
// recognised and refused by name (kind "varsig"), so a P-256 signer can be added here later.
#pragma once

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/value.h"
#include "ucan/did_key.h"

namespace ipvm::ucan {

enum class SigAlg { kEd25519 };

struct Varsig {
  SigAlg alg = SigAlg::kEd25519;
  uint64_t payload_codec = 0x71;  // DAG-CBOR
  bool legacy = false;            // read from the pre-v1 layout
};

inline constexpr size_t kEd25519SignatureSize = 64;

Result<Varsig> parse_varsig_header(ByteView header);
Bytes varsig_header(SigAlg alg);  // always v1, DAG-CBOR payload

// A readable description for `ipvm ucan inspect`: {"alg","curve","hash","enc","version"}.
ipld::Value describe_varsig(const Varsig& v);

// Checks `signature` over `message` with `key` as described by `v`; kind "InvalidSignature".
Status verify_signature(const PublicKey& key, const Varsig& v, ByteView message, ByteView signature);

}  // namespace ipvm::ucan
