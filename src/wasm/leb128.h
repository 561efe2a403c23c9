// A bounds-checked cursor over WebAssembly binary bytes: LEB128 integers, raw bytes, floats and
// UTF-8 names. Shared by the decoder (sections), the validator and the compiler (function bodies).
//
// Every read_* returns false on failure and records the first error with its absolute byte offset;
// the position is then unspecified and further reads keep failing, so a caller may check once at a
// convenient point. Errors are of kind "malformed" and use the spec interpreter's wording
// ("unexpected end", "integer representation too long", "integer too large",
// "malformed UTF-8 encoding").
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace ipvm::wasm {

class Reader {
 public:
  Reader() = default;
  // `base` is the absolute offset of data[0] in the module, used in error messages.
  explicit Reader(ByteView data, size_t base = 0)
      : begin_(data.data()), p_(data.data()), end_(data.data() + data.size()), base_(base) {}

  size_t offset() const { return base_ + static_cast<size_t>(p_ - begin_); }  // absolute
  size_t position() const { return static_cast<size_t>(p_ - begin_); }       // relative
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool at_end() const { return p_ >= end_; }
  const uint8_t* data() const { return p_; }
  bool ok() const { return !failed_; }

  bool read_u8(uint8_t& out) {
    if (p_ >= end_) return fail_end();
    out = *p_++;
    return true;
  }
  bool peek_u8(uint8_t& out) const {
    if (p_ >= end_) return false;
    out = *p_;
    return true;
  }

  bool read_u32(uint32_t& out) {
    if (p_ < end_ && *p_ < 0x80) {
      out = *p_++;
      return true;
    }
    return read_u32_slow(out);
  }
  bool read_s32(int32_t& out) {
    if (p_ < end_ && *p_ < 0x80) {
      out = static_cast<int32_t>(static_cast<uint32_t>(*p_++) << 25) >> 25;
      return true;
    }
    return read_s32_slow(out);
  }
  // Block types: a signed 33-bit value (negative = value type / empty, non-negative = type index).
  bool read_s33(int64_t& out);
  bool read_s64(int64_t& out);
  bool read_u64(uint64_t& out);

  bool read_f32_bits(uint32_t& out) {
    if (remaining() < 4) return fail_end();
    std::memcpy(&out, p_, 4);  // little-endian host assumed (x86-64, aarch64)
    p_ += 4;
    return true;
  }
  bool read_f64_bits(uint64_t& out) {
    if (remaining() < 8) return fail_end();
    std::memcpy(&out, p_, 8);
    p_ += 8;
    return true;
  }

  bool read_bytes(size_t n, ByteView& out) {
    if (remaining() < n) return fail_end();
    out = ByteView(p_, n);
    p_ += n;
    return true;
  }
  bool skip(size_t n) {
    if (remaining() < n) return fail_end();
    p_ += n;
    return true;
  }
  // A vec(byte) length followed by that many bytes of valid UTF-8.
  bool read_name(std::string_view& out);

  // A reader over the next n bytes (advancing this one past them), with absolute offsets kept.
  bool sub_reader(size_t n, Reader& out) {
    if (remaining() < n) return fail_end();
    out = Reader(ByteView(p_, n), offset());
    p_ += n;
    return true;
  }

  // Records an error at the current offset (first error wins); always returns false.
  bool fail(std::string message) { return fail_at(offset(), std::move(message)); }
  bool fail_at(size_t offset, std::string message);
  // The recorded error as "malformed: <message> at offset N".
  Error error() const;
  tl::unexpected<Error> failure() const { return tl::unexpected<Error>(error()); }
  // Message and offset separately, for callers that rewrap (e.g. the validator's kind "invalid").
  const std::string& error_message() const { return message_; }
  size_t error_offset() const { return error_offset_; }

 private:
  bool fail_end();
  bool read_u32_slow(uint32_t& out);
  bool read_s32_slow(int32_t& out);

  const uint8_t* begin_ = nullptr;
  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  size_t base_ = 0;
  bool failed_ = false;
  size_t error_offset_ = 0;
  std::string message_;
};

}  // namespace ipvm::wasm
