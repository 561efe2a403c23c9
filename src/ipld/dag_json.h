// DAG-JSON (ipld/specs codecs/dag-json): links as {"/": "cid"}, bytes as {"/": {"bytes": "base64"}}
// (standard alphabet, no padding), map keys sorted bytewise, no insignificant whitespace,
// floats always written with a fraction or exponent so they stay floats, integers as integers.
// The decoder is strict (kind "dag-json"): it rejects what the spec forbids, such as duplicate
// keys, a "/" map that is neither a valid link nor valid bytes form, NaN/Infinity, invalid UTF-8,
// trailing data, nesting deeper than kMaxDepth; errors name the byte offset.
// Details: floats use the shortest round-trip digits in JavaScript's layout (0.5, 1e-7, 1e+21) and
// an integral float keeps ".0" (1.0, -0.0) so it decodes as a float again; strings escape only
// '"', '\\' and control characters (\n, \t, ... or \u00XX), like JSON.stringify. The decoder
// accepts insignificant whitespace and keys in any order (the Value re-sorts them), "-0" as the
// integer 0, and padded or unpadded base64 in the bytes form. Any map with a "/" key must be
// exactly a link or a bytes form; a Value map holding a "/" key therefore has no faithful
// DAG-JSON encoding (the encoder writes it anyway); NaN and infinities are written as the
// non-JSON words NaN, Infinity and -Infinity, which every decoder rejects.
#pragma once

#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/value.h"

namespace ipvm::ipld {

std::string dag_json_encode(const Value& v);
Result<Value> dag_json_decode(std::string_view in);
inline Result<Value> dag_json_decode(ByteView in) { return dag_json_decode(as_string_view(in)); }

}  // namespace ipvm::ipld
