#include "ucan/validator.h"

#include "ipld/dag_json.h"
#include "ucan/command.h"
#include "ucan/did_key.h"

namespace ipvm::ucan {
namespace {

bool same_did(std::string_view a, std::string_view b) { return did_without_fragment(a) == did_without_fragment(b); }

std::string when(int64_t t) { return fmt::format("{}", t); }

Status check_time(std::string_view what, const ipld::Cid& cid, std::optional<int64_t> nbf,
                  std::optional<int64_t> exp, int64_t now) {
  if (exp && now > *exp)
    return failf("Expired", "{} {} expired at {} (validation time {}); ask its issuer for a fresh one", what,
                 cid.to_string(), when(*exp), when(now));
  if (nbf && now < *nbf)
    return failf("TooEarly", "{} {} is not valid before {} (validation time {}); retry later", what,
                 cid.to_string(), when(*nbf), when(now));
  return {};
}

Result<std::shared_ptr<const Delegation>> load_proof(const ipld::Cid& cid, size_t index, const ProofLookup& lookup,
                                                     const ValidationOptions& opts) {
  if (opts.revoked && opts.revoked->is_revoked(cid))
    return failf("Revoked", "proof {} (prf[{}]) has been revoked", cid.to_string(), index);
  if (opts.cache)
    if (auto d = opts.cache->delegation(cid)) return d;
  std::optional<ByteView> bytes = lookup ? lookup(cid) : std::nullopt;
  if (!bytes)
    return failf("UnavailableProof", "proof {} (prf[{}]) was not provided; pass it with --proof FILE",
                 cid.to_string(), index);
  auto env = decode_envelope(*bytes);
  if (!env) return failf("InvalidClaim", "proof {} (prf[{}]): {}", cid.to_string(), index, env.error().message);
  if (env->cid != cid && !cid.verify(*bytes))
    return failf("UnavailableProof", "the bytes given for proof {} hash to {}", cid.to_string(), env->cid.to_string());
  auto d = delegation_from_envelope(std::move(*env));
  if (!d) return failf("InvalidClaim", "proof {} (prf[{}]): {}", cid.to_string(), index, d.error().message);
  if (auto ok = verify_envelope(d->envelope); !ok) return tl::unexpected(ok.error());
  auto shared = std::make_shared<const Delegation>(std::move(*d));
  if (opts.cache) opts.cache->put(cid, shared);
  return shared;
}

Status check_chain(const Invocation& inv, const std::vector<std::shared_ptr<const Delegation>>& chain,
                   std::string& subject) {
  const Delegation& root = *chain.front();
  if (!root.sub)
    return failf("InvalidClaim", "the root proof {} is a powerline (sub: null); a chain must start with a delegation from its subject",
                 root.cid().to_string());
  subject = std::string(did_without_fragment(*root.sub));
  if (!same_did(root.iss, subject))
    return failf("InvalidSubject", "the root proof {} is issued by {} but is about {}; only the subject can start a chain",
                 root.cid().to_string(), root.iss, subject);
  for (size_t i = 1; i < chain.size(); ++i) {
    const Delegation& prev = *chain[i - 1];
    const Delegation& d = *chain[i];
    if (!same_did(prev.aud, d.iss))
      return failf("InvalidAudience", "proof {} (prf[{}]) is issued by {} but the previous proof was delegated to {}",
                   d.cid().to_string(), i, d.iss, prev.aud);
    if (d.sub && !same_did(*d.sub, subject))
      return failf("InvalidSubject", "proof {} (prf[{}]) is about {} but the chain's subject is {}", d.cid().to_string(),
                   i, *d.sub, subject);
  }
  const Delegation& last = *chain.back();
  if (!same_did(last.aud, inv.iss))
    return failf("InvalidAudience", "the invocation is issued by {} but its last proof {} was delegated to {}", inv.iss,
                 last.cid().to_string(), last.aud);
  if (!same_did(inv.sub, subject))
    return failf("InvalidSubject", "the invocation is about {} but its proofs delegate authority over {}", inv.sub,
                 subject);
  return {};
}

Status check_authority(const Invocation& inv, const std::vector<std::shared_ptr<const Delegation>>& chain) {
  for (size_t i = 0; i < chain.size(); ++i) {
    const Delegation& d = *chain[i];
    if (!command_proves(d.cmd, inv.cmd))
      return failf("InvalidClaim", "proof {} (prf[{}]) delegates {}, which does not cover the invoked command {}",
                   d.cid().to_string(), i, d.cmd, inv.cmd);
  }
  for (size_t i = 0; i < chain.size(); ++i) {
    const Delegation& d = *chain[i];
    if (const Statement* s = first_violation(d.pol, inv.args)) {
      std::string stmt = ipld::dag_json_encode(s->source);
      if (stmt.size() > 200) stmt = stmt.substr(0, 197) + "...";
      return failf("MatchError", "the arguments do not satisfy the policy {} of proof {} (prf[{}])", stmt,
                   d.cid().to_string(), i);
    }
  }
  return {};
}

}  // namespace

Result<ValidatedInvocation> validate_invocation(std::shared_ptr<const Invocation> inv, const ProofLookup& proofs,
                                                const ValidationOptions& opts) {
  // A cached, verified copy wins over the caller's object, so the checks below only ever read
  // fields that were covered by a signature check.
  std::shared_ptr<const Invocation> cached = opts.cache ? opts.cache->invocation(inv->cid()) : nullptr;
  if (cached) {
    inv = std::move(cached);
  } else {
    IPVM_TRY_STATUS(verify_envelope(inv->envelope));
    if (opts.cache) opts.cache->put(inv->cid(), inv);
  }
  if (opts.revoked && opts.revoked->is_revoked(inv->cid()))
    return failf("Revoked", "the invocation {} itself has been revoked", inv->cid().to_string());
  IPVM_TRY_STATUS(check_time("invocation", inv->cid(), std::nullopt, inv->exp, opts.now));
  ValidatedInvocation out;
  if (inv->prf.empty()) {
    if (!same_did(inv->iss, inv->sub))
      return failf("InvalidClaim", "the invocation has no proofs, so only its subject {} may issue it (issuer is {})",
                   inv->sub, inv->iss);
    out.subject = std::string(did_without_fragment(inv->sub));
    out.invocation = std::move(inv);
    return out;
  }
  if (inv->prf.size() > opts.max_chain)
    return failf("InvalidClaim", "the invocation lists {} proofs, more than the limit of {}", inv->prf.size(),
                 opts.max_chain);
  out.proofs.reserve(inv->prf.size());
  for (size_t i = 0; i < inv->prf.size(); ++i) {
    IPVM_TRY(auto d, load_proof(inv->prf[i], i, proofs, opts));
    out.proofs.push_back(std::move(d));
  }
  for (const auto& d : out.proofs) IPVM_TRY_STATUS(check_time("proof", d->cid(), d->nbf, d->exp, opts.now));
  IPVM_TRY_STATUS(check_chain(*inv, out.proofs, out.subject));
  IPVM_TRY_STATUS(check_authority(*inv, out.proofs));
  out.invocation = std::move(inv);
  return out;
}

Result<ValidatedInvocation> validate_invocation(ByteView invocation_bytes, const ProofLookup& proofs,
                                                const ValidationOptions& opts) {
  if (opts.cache) {
    if (invocation_bytes.size() > kMaxEnvelopeSize)
      return failf("InvalidClaim", "the invocation is {} bytes, over the {} byte limit", invocation_bytes.size(),
                   kMaxEnvelopeSize);
    auto cid = ipld::Cid::of(ipld::codec::kDagCbor, invocation_bytes);
    if (cid)
      if (auto inv = opts.cache->invocation(*cid)) return validate_invocation(std::move(inv), proofs, opts);
  }
  IPVM_TRY(Invocation inv, decode_invocation(invocation_bytes));
  return validate_invocation(std::make_shared<const Invocation>(std::move(inv)), proofs, opts);
}

ipld::Cid ProofStore::add(Bytes bytes) {
  ipld::Cid cid = *ipld::Cid::of(ipld::codec::kDagCbor, bytes);
  blocks_[cid] = std::move(bytes);
  return cid;
}

ProofLookup ProofStore::lookup() const {
  return [this](const ipld::Cid& cid) -> std::optional<ByteView> {
    auto it = blocks_.find(cid);
    if (it == blocks_.end()) return std::nullopt;
    return ByteView(it->second);
  };
}

}  // namespace ipvm::ucan
