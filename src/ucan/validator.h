// Validation of an invocation and its proof chain at a given time (delegation and invocation
// specs). The checks, in order, each with its own error kind:
//
//   1. the invocation's signature                                   InvalidSignature
//   2. the invocation itself not revoked; its expiry                Revoked / Expired
//   3. no proofs: only the subject may invoke on itself             InvalidClaim
//   4. each proof (CIDs in prf, root first): not revoked,           Revoked
//      available from the lookup and hashing to its CID,            UnavailableProof
//      a well-formed delegation, correctly signed                   InvalidClaim / InvalidSignature
//   5. each proof's time bounds (exp null = never, nbf optional)    Expired / TooEarly
//   6. the chain: the root names a subject (not a powerline) and    InvalidClaim
//      is issued by it; each aud is the next iss; the invocation's  InvalidSubject / InvalidAudience
//      iss is the last aud; every sub (null = powerline) and the
//      invocation's sub are the root's subject
//   7. every delegation's command covers the invoked command         InvalidClaim
//   8. every delegation's policy holds for the invocation's args    MatchError
//
// DIDs are compared without fragments. With a VerifiedCache, tokens already verified are taken
// from it by CID (no decoding, no signature check); steps 2-3 and 5-8 always run.
#pragma once

#include <functional>
#include <unordered_map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "ucan/delegation.h"
#include "ucan/invocation.h"
#include "ucan/revocation.h"
#include "ucan/verified_cache.h"

namespace ipvm::ucan {

// Finds a proof's envelope bytes by CID; nullopt if it is not available. The view must stay
// valid for the duration of the validate call.
using ProofLookup = std::function<std::optional<ByteView>(const ipld::Cid&)>;

struct ValidationOptions {
  int64_t now = 0;                          // Unix seconds
  const RevocationList* revoked = nullptr;  // optional
  VerifiedCache* cache = nullptr;           // optional
  size_t max_chain = 64;                    // longer proof lists are refused (InvalidClaim)
};

struct ValidatedInvocation {
  std::shared_ptr<const Invocation> invocation;
  std::vector<std::shared_ptr<const Delegation>> proofs;  // root first
  std::string subject;
};

Result<ValidatedInvocation> validate_invocation(ByteView invocation_bytes, const ProofLookup& proofs,
                                                const ValidationOptions& opts);
// For an invocation from decode_invocation / invocation_from_envelope (unmodified: the checks read
// its fields, the signature covers its envelope). Its signature is still verified, or a verified
// copy with the same CID is taken from the cache.
Result<ValidatedInvocation> validate_invocation(std::shared_ptr<const Invocation> inv,
                                                const ProofLookup& proofs, const ValidationOptions& opts);

// A lookup over an in-memory set of envelopes, keyed by their computed CIDs.
class ProofStore {
 public:
  // Adds one envelope's bytes; returns its CID (CIDv1 dag-cbor sha2-256).
  ipld::Cid add(Bytes bytes);
  ProofLookup lookup() const;

 private:
  std::unordered_map<ipld::Cid, Bytes> blocks_;
};

}  // namespace ipvm::ucan
