#include "runtime/receipt.h"

namespace ipvm::runtime {

namespace {

Error bad(std::string message) { return Error{"receipt", std::move(message)}; }

Result<std::vector<ipld::Cid>> link_list(const ipld::Value& p, std::string_view key, bool required) {
  std::vector<ipld::Cid> out;
  const ipld::Value* v = p.find(key);
  if (!v) {
    if (required) return tl::unexpected(bad(fmt::format("receipt field \"{}\" is missing", key)));
    return out;
  }
  if (!v->is_list()) return tl::unexpected(bad(fmt::format("receipt field \"{}\" must be a list of links", key)));
  for (const ipld::Value& l : v->as_list()) {
    if (!l.is_link()) return tl::unexpected(bad(fmt::format("receipt field \"{}\" must hold only links", key)));
    out.push_back(l.as_link());
  }
  return out;
}

Status check_out(const ipld::Value& out) {
  if (!out.is_map() || out.as_map().size() != 1)
    return tl::unexpected(bad("receipt field \"out\" must be {\"ok\": value} or {\"error\": {name, message}}"));
  if (out.find("ok")) return {};
  const ipld::Value* err = out.find("error");
  if (!err) return tl::unexpected(bad("receipt field \"out\" must have key \"ok\" or \"error\""));
  if (!err->is_map()) return tl::unexpected(bad("receipt \"out.error\" must be a map"));
  const ipld::Value* name = err->find("name");
  if (!name || !name->is_string()) return tl::unexpected(bad("receipt \"out.error.name\" must be a string"));
  return {};
}

}  // namespace

ipld::Value ok_out(ipld::Value value) {
  return ipld::Value::map_presorted({{"ok", std::move(value)}});
}

ipld::Value error_out(std::string_view name, std::string_view message) {
  ipld::Value err = ipld::Value::map_presorted({{"name", ipld::Value::string(std::string(name))},
                                                {"message", ipld::Value::string(std::string(message))}});
  return ipld::Value::map_presorted({{"error", std::move(err)}});
}

std::string Receipt::error_name() const {
  const ipld::Value* err = out.find("error");
  const ipld::Value* name = err ? err->find("name") : nullptr;
  return name && name->is_string() ? name->as_string() : std::string();
}

std::string Receipt::error_message() const {
  const ipld::Value* err = out.find("error");
  const ipld::Value* msg = err ? err->find("message") : nullptr;
  return msg && msg->is_string() ? msg->as_string() : std::string();
}

uint64_t Receipt::fuel() const {
  const ipld::Value* f = meta.find("fuel");
  return f ? f->to_uint64().value_or(0) : 0;
}

Result<Receipt> receipt_from_envelope(ucan::Envelope e) {
  if (e.spec != "rct")
    return tl::unexpected(bad(fmt::format("token {} is a '{}' token, not a receipt", e.cid.to_string(), e.tag)));
  if (e.version != "1.0.0") return tl::unexpected(bad(fmt::format("receipt version '{}' is not supported (1.0.0)", e.version)));
  const ipld::Value& p = e.payload;
  Receipt r;
  const ipld::Value* iss = p.find("iss");
  if (!iss || !iss->is_string() || iss->as_string().rfind("did:", 0) != 0)
    return tl::unexpected(bad("receipt field \"iss\" must be a DID string"));
  r.iss = iss->as_string();
  const ipld::Value* ran = p.find("ran");
  if (!ran || !ran->is_link()) return tl::unexpected(bad("receipt field \"ran\" must be a link to the invocation"));
  r.ran = ran->as_link();
  const ipld::Value* out = p.find("out");
  if (!out) return tl::unexpected(bad("receipt field \"out\" is missing"));
  IPVM_TRY_STATUS(check_out(*out));
  r.out = *out;
  IPVM_TRY(r.fx, link_list(p, "fx", true));
  IPVM_TRY(r.prf, link_list(p, "prf", false));
  if (const ipld::Value* meta = p.find("meta")) {
    if (!meta->is_map()) return tl::unexpected(bad("receipt field \"meta\" must be a map"));
    r.meta = *meta;
  } else {
    r.meta = ipld::Value::map({});
  }
  if (const ipld::Value* iat = p.find("iat"); iat && !iat->is_null()) {
    auto t = iat->to_int64();
    if (!t) return tl::unexpected(bad("receipt field \"iat\" must be an integer"));
    r.iat = *t;
  }
  r.envelope = std::move(e);
  return r;
}

Result<Receipt> decode_receipt(ByteView bytes) {
  auto e = ucan::decode_envelope(bytes);
  if (!e) return fail("receipt", e.error().message);
  return receipt_from_envelope(std::move(*e));
}

Status verify_receipt_signature(const Receipt& r) { return ucan::verify_envelope(r.envelope); }

ipld::Value receipt_payload(std::string_view iss, const ReceiptParams& p) {
  ipld::List fx, prf;
  fx.reserve(p.fx.size());
  for (const auto& c : p.fx) fx.push_back(ipld::Value::link(c));
  for (const auto& c : p.prf) prf.push_back(ipld::Value::link(c));
  ipld::Map m;
  m.reserve(7);
  // Canonical order (length, then bytes): fx, iat, iss, out, prf, ran, meta.
  m.emplace_back("fx", ipld::Value::list(std::move(fx)));
  if (p.iat) m.emplace_back("iat", ipld::Value::integer(*p.iat));
  m.emplace_back("iss", ipld::Value::string(std::string(iss)));
  m.emplace_back("out", p.out);
  m.emplace_back("prf", ipld::Value::list(std::move(prf)));
  m.emplace_back("ran", ipld::Value::link(p.ran));
  m.emplace_back("meta", p.meta.is_map() ? p.meta : ipld::Value::map({}));
  return ipld::Value::map_presorted(std::move(m));
}

Result<Receipt> sign_receipt(const ucan::Signer& signer, const ReceiptParams& p) {
  return sign_receipt(signer, ReceiptParams(p));
}

Result<Receipt> sign_receipt(const ucan::Signer& signer, ReceiptParams&& p) {
  IPVM_TRY_STATUS(check_out(p.out));
  IPVM_TRY(auto env, ucan::sign_envelope(signer, kReceiptTag, receipt_payload(signer.did(), p)));
  // What receipt_from_envelope would read back from the payload built above.
  Receipt r;
  r.iss = signer.did();
  r.ran = std::move(p.ran);
  r.out = std::move(p.out);
  r.fx = std::move(p.fx);
  r.meta = p.meta.is_map() ? std::move(p.meta) : ipld::Value::map({});
  r.iat = p.iat;
  r.prf = std::move(p.prf);
  r.envelope = std::move(env);
  return r;
}

}  // namespace ipvm::runtime
