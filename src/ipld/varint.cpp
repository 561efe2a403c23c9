#include "ipld/varint.h"

namespace ipvm::ipld {

void put_uvarint(Bytes& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

Result<uint64_t> read_uvarint(ByteView in, size_t& pos) {
  uint64_t value = 0;
  // Multiformats caps varints at 9 bytes (63 bits of payload).
  for (size_t i = 0; i < 9; ++i) {
    if (pos + i >= in.size()) return failf("varint", "truncated varint at byte offset {}", pos);
    uint8_t b = in[pos + i];
    value |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) {
      if (b == 0 && i > 0) return failf("varint", "non-minimal varint at byte offset {}", pos);
      pos += i + 1;
      return value;
    }
  }
  return failf("varint", "varint longer than 9 bytes at byte offset {}", pos);
}

}  // namespace ipvm::ipld
