// Quoting untrusted text in one-line error messages: a task's module reference, export name or
// signature can be megabytes long, and echoing all of it would bury the message (and bloat the
// error receipt that stores it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace ipvm {

// `s` itself when at most `max` bytes, else its first `max` bytes (cut at a UTF-8 character
// boundary) followed by "... (N bytes)".
inline std::string ellipsize(std::string_view s, size_t max = 64) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  while (cut > 0 && (static_cast<uint8_t>(s[cut]) & 0xc0) == 0x80) --cut;
  return fmt::format("{}... ({} bytes)", s.substr(0, cut), s.size());
}

}  // namespace ipvm
