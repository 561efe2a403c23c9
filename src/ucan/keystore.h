// The node's own Ed25519 key, kept in the ipvm home as HOME/node.key (mode 0600): one line of
// base64pad(varint(0x1300) + 32-byte seed), the private-key form the UCAN fixtures use.
#pragma once

#include <string>

#include "base/error.h"
#include "ucan/signer.h"

namespace ipvm::ucan {

std::string node_key_path(const std::string& home);

// Kind "key": a missing key says to run `ipvm key init`.
Result<Ed25519Signer> load_node_key(const std::string& home);

struct NodeKey {
  Ed25519Signer signer;
  bool created;  // false: a key already existed and was left untouched
};
// Creates the key if there is none (never overwrites one), else loads the existing one.
Result<NodeKey> init_node_key(const std::string& home);

}  // namespace ipvm::ucan
