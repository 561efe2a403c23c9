// Byte buffers and views used across every layer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ipvm {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline std::string_view as_string_view(ByteView b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

std::string to_hex(ByteView bytes);
// Accepts upper and lower case; fails (returns false) on odd length or a non-hex digit.
bool from_hex(std::string_view hex, Bytes& out);

}  // namespace ipvm
