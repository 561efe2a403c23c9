// A block is bytes named by a CID; its codec says how to read it.
//
// This file is the one place that dispatches on a block's codec: decoding into the data model
// (dag-cbor, dag-json, raw, dag-pb) for path resolution, and listing the links a block holds, so
// DAGs imported from CAR files can be walked and exported again.
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

// Decodes a block by its CID's codec: dag-cbor and dag-json strictly, raw as a bytes value,
// dag-pb into its data model. Other codecs fail with kind "block".
Result<Value> decode_block(const Cid& cid, ByteView data);

// dag-pb (ipld/specs codecs/dag-pb) as {"Data": bytes (if present), "Links": [{"Hash": link,
// "Name": string (if present), "Tsize": integer (if present)}, ...]}. Checks the structure and
// UTF-8 names but not the canonical field order, so real-world blocks read (kind "dag-pb").
Result<Value> dag_pb_decode(ByteView data);

// Links of a block in the order they appear in it (dag-cbor/dag-json: depth-first through the
// value, map entries in the order encoded; dag-pb: the PBNode's Links). For dag-cbor this is a
// lenient scan for tag 42 (real-world blocks, such as Filecoin's, break the strict rules but their
// links must still be followed); dag-json is decoded strictly. Raw and libp2p-key blocks have no
// links; unknown codecs fail, so a walk never silently skips part of a DAG.
Result<std::vector<Cid>> block_links(const Cid& cid, ByteView data);

// Links found inside a decoded value, in order.
void collect_links(const Value& v, std::vector<Cid>& out);

}  // namespace ipvm::ipld
