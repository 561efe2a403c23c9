// IPLD paths: `CID/a/b/0/c` resolved through links across blocks.
//
// A path is a CID (optionally after /ipfs/ or /ipld/) followed by segments separated by "/".
// In a map a segment is a key; in a list it is a decimal index (no sign, no leading zeros).
// Whenever the value reached is a link, the linked block is loaded and decoded by its CID's codec
// (dag-cbor, dag-json, raw), and resolution continues inside it. A trailing "/" is ignored; an
// empty segment in the middle is an error. Errors have kind "path" and say which segment failed
// and what was there instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "ipld/block.h"
#include "ipld/cid.h"
#include "ipld/value.h"

namespace ipvm::ipld {

struct IpldPath {
  Cid root;
  std::vector<std::string> segments;
};

Result<IpldPath> parse_path(std::string_view text);

struct Resolved {
  Cid block;    // the block the value was found in
  Value value;  // the value at the end of the path
  std::vector<std::string> consumed;  // segments walked (all of them on success)
};

// Resolves `path`. With follow_final_link, a link at the end of the path is loaded too, so
// `root/company` yields the company node rather than the link to it.
Result<Resolved> resolve_path(const IpldPath& path, const BlockLoader& load,
                              bool follow_final_link = true);
inline Result<Resolved> resolve_path(std::string_view text, const BlockLoader& load,
                                     bool follow_final_link = true) {
  IPVM_TRY(IpldPath p, parse_path(text));
  return resolve_path(p, load, follow_final_link);
}

}  // namespace ipvm::ipld
