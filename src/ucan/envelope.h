// The UCAN envelope: DAG-CBOR  [signature, {"h": varsig header, "<tag>": payload}].
//
// The signature covers the DAG-CBOR encoding of the second element (the "SigPayload", header
// included). A token's CID is CIDv1 dag-cbor sha2-256 of the whole envelope. Tags look like
// "ucan/dlg@1.0.0"; this layer reads any "ucan/<spec>@<version>" so receipts ("ucan/rct@...")
// can use it too, and leaves version policy to the payload layers.
//
// Decoding checks structure only (kind "envelope"); verify_envelope checks the signature against
// the payload's "iss" did:key (kind "InvalidSignature").
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "ipld/value.h"
#include "ucan/signer.h"
#include "ucan/varsig.h"

namespace ipvm::ucan {

// Invocations may carry inline Wasm in their args, hence generous; anything larger is refused
// before decoding.
inline constexpr size_t kMaxEnvelopeSize = 8u << 20;

struct Envelope {
  Bytes signature;
  Bytes header;  // raw varsig header ("h")
  Varsig varsig;
  std::string tag;      // "ucan/dlg@1.0.0"
  std::string spec;     // "dlg"
  std::string version;  // "1.0.0"
  ipld::Value payload;  // the map under the tag
  Bytes bytes;          // the envelope's DAG-CBOR bytes
  size_t signed_offset = 0;
  ipld::Cid cid;

  ByteView signed_bytes() const { return ByteView(bytes).subspan(signed_offset); }
  // The payload's "iss" string, or empty.
  std::string_view issuer() const;
};

Result<Envelope> decode_envelope(ByteView bytes, size_t max_size = kMaxEnvelopeSize);

// Verifies the signature against the did:key in payload["iss"].
Status verify_envelope(const Envelope& e);

// Signs `payload` (a map; its "iss" should be signer.did()) under `tag`.
Result<Envelope> sign_envelope(const Signer& signer, std::string_view tag, ipld::Value payload);

// Splits "ucan/dlg@1.0.0" into spec "dlg" and version "1.0.0"; false if it is not of that form.
bool split_tag(std::string_view tag, std::string& spec, std::string& version);

}  // namespace ipvm::ucan
