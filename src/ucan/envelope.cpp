#include "ucan/envelope.h"

#include <cmath>

#include "base/utf8.h"
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

// What dag_cbor_decode would refuse in a Value the encoder writes as is (ipld/dag_cbor.h): NaN
// and infinite floats, invalid UTF-8, keys out of canonical order, empty links, deep nesting.
Status check_decodable(const ipld::Value& v, size_t depth) {
  switch (v.kind()) {
    case ipld::Kind::kFloat:
      if (!std::isfinite(v.as_float())) return fail("envelope", "the payload holds a NaN or infinite float");
      return {};
    case ipld::Kind::kString:
      if (!utf8_valid(v.as_string())) return fail("envelope", "the payload holds a string that is not UTF-8");
      return {};
    case ipld::Kind::kLink:
      if (!v.as_link().is_valid()) return fail("envelope", "the payload holds an empty link");
      return {};
    case ipld::Kind::kList:
      if (depth >= ipld::kMaxDepth) return fail("envelope", "the payload is nested too deeply");
      for (const ipld::Value& x : v.as_list()) IPVM_TRY_STATUS(check_decodable(x, depth + 1));
      return {};
    case ipld::Kind::kMap: {
      if (depth >= ipld::kMaxDepth) return fail("envelope", "the payload is nested too deeply");
      const std::string* prev = nullptr;
      for (const auto& [key, x] : v.as_map()) {
        if (!utf8_valid(key)) return fail("envelope", "the payload holds a map key that is not UTF-8");
        if (prev && !ipld::canonical_key_less(*prev, key))
          return failf("envelope", "the payload's map keys are not in canonical order at \"{}\"", key);
        prev = &key;
        IPVM_TRY_STATUS(check_decodable(x, depth + 1));
      }
      return {};
    }
    default:
      return {};
  }
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
  Envelope e;
  if (!split_tag(tag, e.spec, e.version))
    return failf("envelope", "type tag '{}' is not of the form ucan/<type>@<version>", tag);
  if (!payload.is_map()) return fail("envelope", "the payload must be a map");
  // The token is built from bytes we write ourselves instead of being decoded again, so the
  // payload is checked for what the strict decoder would refuse: a token we sign must read back.
  IPVM_TRY_STATUS(check_decodable(payload, 2));  // under the envelope list and the SigPayload map
  e.header = varsig_header(signer.alg());
  IPVM_TRY(e.varsig, parse_varsig_header(e.header));
  e.tag = std::string(tag);
  // SigPayload {"h": header, tag: payload}: "h" sorts first (shorter than any "ucan/..." tag).
  Bytes sp;
  sp.reserve(256);
  sp.push_back(0xa2);
  ipld::dag_cbor_encode_text_into("h", sp);
  ipld::dag_cbor_encode_bytes_into(e.header, sp);
  ipld::dag_cbor_encode_text_into(e.tag, sp);
  ipld::dag_cbor_encode_into(payload, sp);
  e.signature = signer.sign(sp);
  // [signature, sigpayload]
  e.bytes.reserve(sp.size() + e.signature.size() + 4);
  e.bytes.push_back(0x82);
  ipld::dag_cbor_encode_bytes_into(e.signature, e.bytes);
  e.signed_offset = e.bytes.size();
  e.bytes.insert(e.bytes.end(), sp.begin(), sp.end());
  auto cid = ipld::Cid::of(ipld::codec::kDagCbor, e.bytes);
  if (!cid) return failf("envelope", "cannot hash the token: {}", cid.error().message);
  e.cid = std::move(*cid);
  e.payload = std::move(payload);
  return e;
}

}  // namespace ipvm::ucan
