#include "ucan/envelope.h"

#include "ipld/dag_cbor.h"
#include "ucan/did_key.h"

namespace ipvm::ucan {
namespace {

// Offset of the second array element, given a canonical envelope that starts [bytes, ...].
Result<size_t> second_element_offset(ByteView b) {
  if (b.size() < 2 || b[0] != 0x82 || (b[1] >> 5) != 2) return fail("envelope", "not [signature, payload]");
  uint8_t ai = b[1] & 0x1f;
  size_t head = 2, len = 0;
  if (ai < 24) {
    len = ai;
  } else if (ai <= 27) {
    size_t n = size_t{1} << (ai - 24);
    if (b.size() < 2 + n) return fail("envelope", "truncated signature");
    for (size_t i = 0; i < n; ++i) len = (len << 8) | b[2 + i];
    head += n;
  } else {
    return fail("envelope", "bad signature length");
  }
  if (len > b.size() - head) return fail("envelope", "truncated signature");
  return head + len;
}

}  // namespace

std::string_view Envelope::issuer() const {
  const ipld::Value* iss = payload.find("iss");
  return iss && iss->is_string() ? std::string_view(iss->as_string()) : std::string_view();
}

bool split_tag(std::string_view tag, std::string& spec, std::string& version) {
  if (tag.substr(0, 5) != "ucan/") return false;
  size_t at = tag.find('@', 5);
  if (at == std::string_view::npos || at == 5 || at + 1 == tag.size()) return false;
  spec = std::string(tag.substr(5, at - 5));
  version = std::string(tag.substr(at + 1));
  return true;
}

Result<Envelope> decode_envelope(ByteView bytes, size_t max_size) {
  if (bytes.size() > max_size)
    return failf("envelope", "token is {} bytes, over the {} byte limit", bytes.size(), max_size);
  auto decoded = ipld::dag_cbor_decode(bytes);
  if (!decoded) return failf("envelope", "not DAG-CBOR: {}", decoded.error().message);
  const ipld::Value& v = *decoded;
  if (!v.is_list() || v.as_list().size() != 2)
    return fail("envelope", "a UCAN envelope is a two-element list [signature, payload]");
  const ipld::Value& sig = v.as_list()[0];
  const ipld::Value& sp = v.as_list()[1];
  if (!sig.is_bytes()) return fail("envelope", "the signature (first element) must be bytes");
  if (!sp.is_map() || sp.as_map().size() != 2)
    return fail("envelope", "the signed payload must be a map with exactly \"h\" and one type tag");
  Envelope e;
  const ipld::Value* h = sp.find("h");
  if (!h || !h->is_bytes()) return fail("envelope", "the varsig header \"h\" is missing or not bytes");
  for (const auto& [key, val] : sp.as_map()) {
    if (key == "h") continue;
    if (!split_tag(key, e.spec, e.version))
      return failf("envelope", "type tag '{}' is not of the form ucan/<type>@<version>", key);
    if (!val.is_map()) return failf("envelope", "the payload under '{}' must be a map", key);
    e.tag = key;
    e.payload = val;
  }
  auto vs = parse_varsig_header(h->as_bytes());
  if (!vs) return failf("envelope", "{}", vs.error().message);
  e.varsig = *vs;
  e.header = h->as_bytes();
  e.signature = sig.as_bytes();
  IPVM_TRY(e.signed_offset, second_element_offset(bytes));
  e.bytes.assign(bytes.begin(), bytes.end());
  auto cid = ipld::Cid::of(ipld::codec::kDagCbor, bytes);
  if (!cid) return failf("envelope", "cannot hash the token: {}", cid.error().message);
  e.cid = std::move(*cid);
  return e;
}

Status verify_envelope(const Envelope& e) {
  std::string_view iss = e.issuer();
  if (iss.empty()) return fail("InvalidSignature", "the payload has no \"iss\" to verify the signature against");
  auto key = parse_did_key(iss);
  if (!key) return failf("InvalidSignature", "cannot verify the issuer: {}", key.error().message);
  auto ok = verify_signature(*key, e.varsig, e.signed_bytes(), e.signature);
  if (!ok) return failf("InvalidSignature", "token {} signed by {}: {}", e.cid.to_string(), iss, ok.error().message);
  return {};
}

Result<Envelope> sign_envelope(const Signer& signer, std::string_view tag, ipld::Value payload) {
  std::string spec, version;
  if (!split_tag(tag, spec, version))
    return failf("envelope", "type tag '{}' is not of the form ucan/<type>@<version>", tag);
  if (!payload.is_map()) return fail("envelope", "the payload must be a map");
  Bytes header = varsig_header(signer.alg());
  ipld::Map sp;
  sp.emplace_back("h", ipld::Value::bytes(header));
  sp.emplace_back(std::string(tag), payload);
  Bytes signed_bytes = ipld::dag_cbor_encode(ipld::Value::map(std::move(sp)));
  Bytes sig = signer.sign(signed_bytes);
  // [sig, sigpayload]: array head, bytes head, signature, then the already encoded payload.
  Bytes out = ipld::dag_cbor_encode(ipld::Value::list({ipld::Value::bytes(sig), ipld::Value::null()}));
  out.pop_back();  // drop the null placeholder (0xf6)
  out.insert(out.end(), signed_bytes.begin(), signed_bytes.end());
  return decode_envelope(out, SIZE_MAX);
}

}  // namespace ipvm::ucan
