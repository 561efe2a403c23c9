// A block is bytes named by a CID; its codec says how to read it.
//
// This file is the one place that dispatches on a block's codec: decoding into the data model
// (dag-cbor, dag-json, raw) for path resolution, and listing the links a block holds (the same three
// plus dag-pb, so DAGs imported from CAR files can be walked and exported again).
#pragma once

#include <functional>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "ipld/value.h"

namespace ipvm::ipld {

// Fetches the bytes of a block. Implementations fail with a clear message when the block is
// missing (the store uses kind "store.not_found").
using BlockLoader = std::function<Result<Bytes>(const Cid&)>;

// Decodes a block by its CID's codec: dag-cbor and dag-json strictly, raw as a bytes value.
// Other codecs fail with kind "block".
Result<Value> decode_block(const Cid& cid, ByteView data);

// Links of a block in the order they appear in it (dag-cbor/dag-json: depth-first through the
// value, map entries in key order; dag-pb: the PBNode's Links). Raw and unknown codecs have none
// we can see, except that unknown codecs fail so nothing is silently skipped.
Result<std::vector<Cid>> block_links(const Cid& cid, ByteView data);

// Links found inside a decoded value, in order.
void collect_links(const Value& v, std::vector<Cid>& out);

}  // namespace ipvm::ipld
