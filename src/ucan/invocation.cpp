#include "ucan/invocation.h"

#include "ipld/dag_cbor.h"
#include "ucan/command.h"
#include "ucan/payload_fields.h"

namespace ipvm::ucan {

Result<Invocation> invocation_from_envelope(Envelope e) {
  constexpr std::string_view what = "invocation";
  if (e.spec != "inv") return failf("InvalidClaim", "token {} is a '{}' token, not an invocation", e.cid.to_string(), e.tag);
  if (!fields::supported_version(e.version))
    return failf("InvalidClaim", "invocation version '{}' is not supported (1.0.0 or 1.0.0-rc.1)", e.version);
  const ipld::Value& p = e.payload;
  Invocation inv;
  IPVM_TRY(inv.iss, fields::required_did(p, what, "iss"));
  IPVM_TRY(inv.sub, fields::required_did(p, what, "sub"));
  IPVM_TRY(inv.aud, fields::optional_did(p, what, "aud"));
  IPVM_TRY(inv.cmd, fields::required_string(p, what, "cmd"));
  if (auto ok = validate_command(inv.cmd); !ok) return fail("InvalidClaim", "invocation " + ok.error().message);
  const ipld::Value* args = p.find("args");
  if (!args || !args->is_map()) return fail("InvalidClaim", "invocation field \"args\" must be a map");
  inv.args = *args;
  const ipld::Value* prf = p.find("prf");
  if (!prf || !prf->is_list()) return fail("InvalidClaim", "invocation field \"prf\" must be a list of CIDs");
  for (const ipld::Value& link : prf->as_list()) {
    if (!link.is_link()) return fail("InvalidClaim", "invocation field \"prf\" must hold only CID links");
    inv.prf.push_back(link.as_link());
  }
  IPVM_TRY(inv.meta, fields::optional_map(p, what, "meta"));
  IPVM_TRY(inv.nonce, fields::required_bytes(p, what, "nonce"));
  IPVM_TRY(inv.exp, fields::time_field(p, what, "exp", true));
  IPVM_TRY(inv.iat, fields::time_field(p, what, "iat", false));
  if (const ipld::Value* cause = p.find("cause")) {
    if (!cause->is_link()) return fail("InvalidClaim", "invocation field \"cause\" must be a CID link");
    inv.cause = cause->as_link();
  }
  inv.envelope = std::move(e);
  return inv;
}

Result<Invocation> decode_invocation(ByteView bytes) {
  auto e = decode_envelope(bytes);
  if (!e) return fail("InvalidClaim", e.error().message);
  return invocation_from_envelope(std::move(*e));
}

ipld::Cid task_id(std::string_view sub, std::string_view cmd, const ipld::Value& args, ByteView nonce) {
  ipld::Map m;
  m.emplace_back("sub", ipld::Value::string(std::string(sub)));
  m.emplace_back("cmd", ipld::Value::string(std::string(cmd)));
  m.emplace_back("args", args);
  m.emplace_back("nonce", ipld::Value::bytes(Bytes(nonce.begin(), nonce.end())));
  Bytes enc = ipld::dag_cbor_encode(ipld::Value::map(std::move(m)));
  return *ipld::Cid::of(ipld::codec::kDagCbor, enc);  // sha2-256 is always available
}

Result<Envelope> sign_invocation(const Signer& signer, const InvocationParams& p) {
  IPVM_TRY_STATUS(validate_command(p.cmd));
  if (p.sub.substr(0, 4) != "did:") return failf("invocation", "subject '{}' is not a DID", p.sub);
  if (p.aud && p.aud->substr(0, 4) != "did:") return failf("invocation", "audience '{}' is not a DID", *p.aud);
  if (!p.args.is_map()) return fail("invocation", "args must be a map");
  if (!p.meta.is_null() && !p.meta.is_map()) return fail("invocation", "meta must be a map");
  ipld::List prf;
  for (const auto& c : p.prf) prf.push_back(ipld::Value::link(c));
  ipld::Map m;
  m.emplace_back("iss", ipld::Value::string(signer.did()));
  m.emplace_back("sub", ipld::Value::string(p.sub));
  if (p.aud) m.emplace_back("aud", ipld::Value::string(*p.aud));
  m.emplace_back("cmd", ipld::Value::string(p.cmd));
  m.emplace_back("args", p.args);
  m.emplace_back("prf", ipld::Value::list(std::move(prf)));
  m.emplace_back("nonce", ipld::Value::bytes(p.nonce ? *p.nonce : fields::random_nonce()));
  m.emplace_back("exp", p.exp ? ipld::Value::integer(*p.exp) : ipld::Value::null());
  if (p.iat) m.emplace_back("iat", ipld::Value::integer(*p.iat));
  if (p.meta.is_map()) m.emplace_back("meta", p.meta);
  if (p.cause) m.emplace_back("cause", ipld::Value::link(*p.cause));
  return sign_envelope(signer, kInvocationTag, ipld::Value::map(std::move(m)));
}

}  // namespace ipvm::ucan
