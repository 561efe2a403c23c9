#include "wasm/leb128.h"

#include "base/utf8.h"

namespace ipvm::wasm {

bool Reader::fail_at(size_t offset, std::string message) {
  if (!failed_) {
    failed_ = true;
    error_offset_ = offset;
    message_ = std::move(message);
  }
  p_ = end_;  // later reads fail fast instead of reading garbage
  return false;
}

bool Reader::fail_end() { return fail("unexpected end"); }

Error Reader::error() const {
  return Error{"malformed", fmt::format("{} at offset {}", message_, error_offset_)};
}

// Reads an unsigned LEB128 of at most `bits` significant bits into a uint64_t.
// `max_bytes` = ceil(bits / 7); the last byte may only use the remaining bits.
namespace {
enum class LebStatus { kOk, kEnd, kTooLong, kTooLarge };

inline LebStatus leb_unsigned(const uint8_t*& p, const uint8_t* end, unsigned bits, uint64_t& out) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (unsigned i = 0;; ++i) {
    if (p >= end) return LebStatus::kEnd;
    uint8_t b = *p++;
    if (i + 1 == max_bytes) {
      if (b & 0x80) return LebStatus::kTooLong;
      unsigned used = bits - 7 * i;  // significant bits in the last byte
      if (b >> used) return LebStatus::kTooLarge;
      result |= static_cast<uint64_t>(b) << (7 * i);
      out = result;
      return LebStatus::kOk;
    }
    result |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) {
      out = result;
      return LebStatus::kOk;
    }
  }
}

inline LebStatus leb_signed(const uint8_t*& p, const uint8_t* end, unsigned bits, int64_t& out) {
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (unsigned i = 0;; ++i) {
    if (p >= end) return LebStatus::kEnd;
    uint8_t b = *p++;
    unsigned shift = 7 * i;
    if (i + 1 == max_bytes) {
      if (b & 0x80) return LebStatus::kTooLong;
      // The unused high bits of the last byte must all equal its top significant (sign) bit.
      unsigned used = bits - shift;
      uint8_t sign_and_unused = static_cast<uint8_t>((b & 0x7f) >> (used - 1));
      uint8_t all_ones = static_cast<uint8_t>((1u << (8 - used)) - 1);
      if (sign_and_unused != 0 && sign_and_unused != all_ones) return LebStatus::kTooLarge;
      result |= static_cast<uint64_t>(b & 0x7f) << shift;
      shift += 7;
      if (shift < 64 && (b & 0x40)) result |= ~uint64_t{0} << shift;
      out = static_cast<int64_t>(result);
      return LebStatus::kOk;
    }
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      shift += 7;
      if (shift < 64 && (b & 0x40)) result |= ~uint64_t{0} << shift;
      out = static_cast<int64_t>(result);
      return LebStatus::kOk;
    }
  }
}
}  // namespace

#define IPVM_LEB_RESULT(status)                                          \
  switch (status) {                                                      \
    case LebStatus::kOk: break;                                          \
    case LebStatus::kEnd: return fail_end();                             \
    case LebStatus::kTooLong: return fail_at(start, "integer representation too long"); \
    case LebStatus::kTooLarge: return fail_at(start, "integer too large"); \
  }

bool Reader::read_u32_slow(uint32_t& out) {
  size_t start = offset();
  uint64_t v = 0;
  IPVM_LEB_RESULT(leb_unsigned(p_, end_, 32, v));
  out = static_cast<uint32_t>(v);
  return true;
}

bool Reader::read_u64(uint64_t& out) {
  size_t start = offset();
  IPVM_LEB_RESULT(leb_unsigned(p_, end_, 64, out));
  return true;
}

bool Reader::read_s32_slow(int32_t& out) {
  size_t start = offset();
  int64_t v = 0;
  IPVM_LEB_RESULT(leb_signed(p_, end_, 32, v));
  out = static_cast<int32_t>(v);
  return true;
}

bool Reader::read_s33(int64_t& out) {
  size_t start = offset();
  IPVM_LEB_RESULT(leb_signed(p_, end_, 33, out));
  return true;
}

bool Reader::read_s64(int64_t& out) {
  size_t start = offset();
  IPVM_LEB_RESULT(leb_signed(p_, end_, 64, out));
  return true;
}

#undef IPVM_LEB_RESULT

bool Reader::read_name(std::string_view& out) {
  uint32_t len = 0;
  if (!read_u32(len)) return false;
  if (remaining() < len) return fail("length out of bounds");
  size_t start = offset();
  std::string_view s(reinterpret_cast<const char*>(p_), len);
  if (!utf8_valid(s)) return fail_at(start, "malformed UTF-8 encoding");
  p_ += len;
  out = s;
  return true;
}

}  // namespace ipvm::wasm
