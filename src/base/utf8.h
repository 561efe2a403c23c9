// UTF-8 validation and encoding (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ipvm {

// Returns the offset of the first invalid byte, or s.size() if s is valid UTF-8.
size_t utf8_invalid_offset(std::string_view s);
inline bool utf8_valid(std::string_view s) { return utf8_invalid_offset(s) == s.size(); }

// Appends the UTF-8 encoding of a Unicode scalar value; returns false for surrogates and
// values above U+10FFFF.
bool utf8_append(std::string& out, uint32_t scalar);

// Decodes a string holding exactly one scalar value; returns false otherwise.
bool utf8_single_scalar(std::string_view s, uint32_t& scalar);

}  // namespace ipvm
