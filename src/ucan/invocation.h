// UCAN Invocation (ucan-wg/invocation): "iss asks that cmd(args) be run on sub, on the authority of
// the delegations prf (CIDs, root first)". aud names the executor when it differs from sub.
//
// The Task ID is the CID (CIDv1, dag-cbor, sha2-256) of the map {sub, cmd, args, nonce}: the same
// work requested twice with the same nonce has the same Task ID.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "ucan/envelope.h"

namespace ipvm::ucan {

inline constexpr std::string_view kInvocationTag = "ucan/inv@1.0.0";

struct Invocation {
  std::string iss;
  std::string sub;
  std::optional<std::string> aud;
  std::string cmd;
  ipld::Value args;  // a map
  std::vector<ipld::Cid> prf;
  ipld::Value meta;  // null when absent
  Bytes nonce;
  std::optional<int64_t> exp;  // nullopt: null
  std::optional<int64_t> iat;
  std::optional<ipld::Cid> cause;
  Envelope envelope;

  const ipld::Cid& cid() const { return envelope.cid; }
  // The executor this invocation is addressed to: aud, else sub.
  const std::string& executor() const { return aud ? *aud : sub; }
};

Result<Invocation> invocation_from_envelope(Envelope e);  // kind "InvalidClaim"
Result<Invocation> decode_invocation(ByteView bytes);

ipld::Cid task_id(std::string_view sub, std::string_view cmd, const ipld::Value& args, ByteView nonce);
inline ipld::Cid task_id(const Invocation& inv) { return task_id(inv.sub, inv.cmd, inv.args, inv.nonce); }

struct InvocationParams {
  std::string sub;
  std::optional<std::string> aud;
  std::string cmd;
  ipld::Value args = ipld::Value::map({});
  std::vector<ipld::Cid> prf;  // root first
  ipld::Value meta;            // a map, or null to omit
  std::optional<Bytes> nonce;  // nullopt: 12 random bytes; give {} for an idempotent task
  std::optional<int64_t> exp;  // nullopt: null
  std::optional<int64_t> iat;
  std::optional<ipld::Cid> cause;
};

Result<Envelope> sign_invocation(const Signer& signer, const InvocationParams& p);

}  // namespace ipvm::ucan
