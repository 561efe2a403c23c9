// Unsigned LEB128 varints as used by multiformats (at most 9 bytes, minimal encoding required).
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "base/error.h"

namespace ipvm::ipld {

void put_uvarint(Bytes& out, uint64_t value);
// Reads a minimal varint at in[pos...]; advances pos. Fails on truncation, overlong or > 2^63 values.
Result<uint64_t> read_uvarint(ByteView in, size_t& pos);

}  // namespace ipvm::ipld
