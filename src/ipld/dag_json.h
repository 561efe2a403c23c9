// DAG-JSON (ipld/specs codecs/dag-json): links as {"/": "cid"}, bytes as {"/": {"bytes": "base64"}}
// (standard alphabet, no padding), map keys sorted bytewise, no insignificant whitespace,
// floats always written with a fraction or exponent so they stay floats, integers as integers.
// The decoder is strict (kind "dag-json"): it rejects what the spec forbids, such as duplicate
// keys, a "/" map that is neither a valid link nor valid bytes form, NaN/Infinity, invalid UTF-8,
// trailing data, nesting deeper than kMaxDepth; errors name the byte offset.
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
