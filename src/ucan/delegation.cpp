#include "ucan/delegation.h"

#include "ucan/command.h"
#include "ucan/payload_fields.h"

namespace ipvm::ucan {

Result<Delegation> delegation_from_envelope(Envelope e) {
  constexpr std::string_view what = "delegation";
  if (e.spec != "dlg") return failf("InvalidClaim", "token {} is a '{}' token, not a delegation", e.cid.to_string(), e.tag);
  if (!fields::supported_version(e.version))
    return failf("InvalidClaim", "delegation version '{}' is not supported (1.0.0 or 1.0.0-rc.1)", e.version);
  const ipld::Value& p = e.payload;
  Delegation d;
  IPVM_TRY(d.iss, fields::required_did(p, what, "iss"));
  IPVM_TRY(d.aud, fields::required_did(p, what, "aud"));
  const ipld::Value* sub = p.find("sub");
  if (!sub) return fail("InvalidClaim", "delegation has no \"sub\" field (use null for a powerline)");
  if (!sub->is_null()) {
    IPVM_TRY(d.sub, fields::optional_did(p, what, "sub"));
  }
  IPVM_TRY(d.cmd, fields::required_string(p, what, "cmd"));
  if (auto ok = validate_command(d.cmd); !ok) return fail("InvalidClaim", "delegation " + ok.error().message);
  const ipld::Value* pol = p.find("pol");
  if (!pol) return fail("InvalidClaim", "delegation has no \"pol\" field (use [] for no policy)");
  auto policy = parse_policy(*pol);
  if (!policy) return failf("InvalidClaim", "delegation {} has an invalid policy: {}", e.cid.to_string(), policy.error().message);
  d.pol = std::move(*policy);
  IPVM_TRY(d.nonce, fields::required_bytes(p, what, "nonce"));
  IPVM_TRY(d.meta, fields::optional_map(p, what, "meta"));
  IPVM_TRY(d.nbf, fields::time_field(p, what, "nbf", false));
  IPVM_TRY(d.exp, fields::time_field(p, what, "exp", true));
  d.envelope = std::move(e);
  return d;
}

Result<Delegation> decode_delegation(ByteView bytes) {
  auto e = decode_envelope(bytes);
  if (!e) return fail("InvalidClaim", e.error().message);
  return delegation_from_envelope(std::move(*e));
}

Result<Envelope> sign_delegation(const Signer& signer, const DelegationParams& p) {
  IPVM_TRY_STATUS(validate_command(p.cmd));
  IPVM_TRY(Policy pol, parse_policy(p.pol));
  (void)pol;
  if (p.aud.substr(0, 4) != "did:") return failf("delegation", "audience '{}' is not a DID", p.aud);
  if (p.sub && p.sub->substr(0, 4) != "did:") return failf("delegation", "subject '{}' is not a DID", *p.sub);
  if (!p.meta.is_null() && !p.meta.is_map()) return fail("delegation", "meta must be a map");
  ipld::Map m;
  m.emplace_back("iss", ipld::Value::string(signer.did()));
  m.emplace_back("aud", ipld::Value::string(p.aud));
  m.emplace_back("sub", p.sub ? ipld::Value::string(*p.sub) : ipld::Value::null());
  m.emplace_back("cmd", ipld::Value::string(p.cmd));
  m.emplace_back("pol", p.pol);
  m.emplace_back("nonce", ipld::Value::bytes(p.nonce ? *p.nonce : fields::random_nonce()));
  m.emplace_back("exp", p.exp ? ipld::Value::integer(*p.exp) : ipld::Value::null());
  if (p.nbf) m.emplace_back("nbf", ipld::Value::integer(*p.nbf));
  if (p.meta.is_map()) m.emplace_back("meta", p.meta);
  return sign_envelope(signer, kDelegationTag, ipld::Value::map(std::move(m)));
}

}  // namespace ipvm::ucan
