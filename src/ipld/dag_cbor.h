// DAG-CBOR: canonical encoder and strict decoder (ipld/specs codecs/dag-cbor).
//
// Encoder: shortest integer and length heads, map keys in canonical order (the Value keeps them so),
// floats always 64-bit, links as tag 42 over a bytes string of 0x00 + binary CID.
// Decoder rejects anything the spec forbids and names the rule and the byte offset
// (kind "dag-cbor"): non-minimal integers or lengths, indefinite lengths, unsorted or duplicate
// keys, non-string keys, tags other than 42, NaN and infinities, undefined and other simple values,
// 16/32-bit floats, invalid UTF-8, trailing bytes, nesting deeper than kMaxDepth. It never
// allocates more than the input's size would allow. Messages read "<rule> at byte offset N",
// N being the offset of the offending item's first byte. Whatever it accepts is canonical:
// dag_cbor_encode(dag_cbor_decode(b)) == b (the fuzz target checks this).
// The encoder trusts the Value: a NaN/infinite float or a non-UTF-8 string is written as is and
// will not decode again, so producers must not put those in a Value.
#pragma once

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/value.h"

namespace ipvm::ipld {

// Lists and maps nested deeper than this are rejected (DAG-JSON uses the same bound).
inline constexpr size_t kMaxDepth = 256;

Bytes dag_cbor_encode(const Value& v);
void dag_cbor_encode_into(const Value& v, Bytes& out);
// One byte string or (valid UTF-8) text string item, appended: what encoding Value::bytes(b) or
// Value::string(s) would append, without building the Value (hot paths that frame a payload).
void dag_cbor_encode_bytes_into(ByteView b, Bytes& out);
void dag_cbor_encode_text_into(std::string_view s, Bytes& out);
Result<Value> dag_cbor_decode(ByteView in);

}  // namespace ipvm::ipld
