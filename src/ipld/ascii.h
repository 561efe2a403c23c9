// A fast "is this all ASCII" test for the decoders' hot path: most keys and strings in real
// documents are short ASCII, and this inline check spares them the general UTF-8 validator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ipvm::ipld {

inline bool is_ascii(const void* data, size_t n) {
  auto* p = static_cast<const unsigned char*>(data);
  uint64_t acc = 0;
  if (n >= 8) {
    uint64_t w;
    for (size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&w, p + i, 8);
      acc |= w;
    }
    std::memcpy(&w, p + n - 8, 8);  // the tail, overlapping bytes already seen
    acc |= w;
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    acc = a | b;
  } else {
    for (size_t i = 0; i < n; ++i) acc |= p[i];
  }
  return (acc & 0x8080808080808080ull) == 0;
}

}  // namespace ipvm::ipld
