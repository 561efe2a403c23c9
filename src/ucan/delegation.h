// UCAN Delegation (ucan-wg/delegation): "iss may let aud run cmd on sub, under pol, between nbf and
// exp". sub == nullopt is a powerline delegation (it follows whatever subject precedes it in a
// chain and can never be the root).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "ucan/envelope.h"
#include "ucan/policy.h"

namespace ipvm::ucan {

inline constexpr std::string_view kDelegationTag = "ucan/dlg@1.0.0";

struct Delegation {
  std::string iss;
  std::string aud;
  std::optional<std::string> sub;  // nullopt: powerline (sub: null)
  std::string cmd;
  Policy pol;
  Bytes nonce;
  ipld::Value meta;  // null when absent
  std::optional<int64_t> nbf;
  std::optional<int64_t> exp;  // nullopt: never expires
  Envelope envelope;

  const ipld::Cid& cid() const { return envelope.cid; }
};

// Reads the payload of a decoded envelope (kind "InvalidClaim"); the signature is not checked.
Result<Delegation> delegation_from_envelope(Envelope e);
// decode_envelope + delegation_from_envelope; structural errors become "InvalidClaim".
Result<Delegation> decode_delegation(ByteView bytes);

struct DelegationParams {
  std::string aud;
  std::optional<std::string> sub;  // nullopt: powerline
  std::string cmd = "/";
  ipld::Value pol = ipld::Value::list({});
  std::optional<int64_t> nbf;
  std::optional<int64_t> exp;   // nullopt: null (no expiry)
  ipld::Value meta;             // a map, or null to omit
  std::optional<Bytes> nonce;   // nullopt: 12 random bytes
};

// Validates the fields (command syntax, policy, DIDs) and signs with `signer` as issuer.
Result<Envelope> sign_delegation(const Signer& signer, const DelegationParams& p);

}  // namespace ipvm::ucan
