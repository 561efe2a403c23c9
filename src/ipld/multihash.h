// Multihash: <varint code><varint digest length><digest>. Hashing is done by OpenSSL/libsodium.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace ipvm::ipld {

namespace hash {
inline constexpr uint64_t kIdentity = 0x00;
inline constexpr uint64_t kSha1 = 0x11;  // only to read and verify existing data
inline constexpr uint64_t kSha2_256 = 0x12;
inline constexpr uint64_t kSha2_512 = 0x13;
inline constexpr uint64_t kSha3_512 = 0x14;
inline constexpr uint64_t kSha3_384 = 0x15;
inline constexpr uint64_t kSha3_256 = 0x16;
inline constexpr uint64_t kSha3_224 = 0x17;
inline constexpr uint64_t kSha2_384 = 0x20;
inline constexpr uint64_t kBlake2b256 = 0xb220;
}  // namespace hash

// Hash code for a name like "sha2-256", "sha3-512", "blake2b-256", "identity".
std::optional<uint64_t> hash_code_from_name(std::string_view name);
std::string_view hash_name(uint64_t code);  // "" if unknown

// Computes the multihash of data with the given function; fails for unsupported codes.
Result<Bytes> multihash_compute(uint64_t code, ByteView data);
// Same, with the digest truncated to `digest_length` bytes (multihash allows truncation).
Result<Bytes> multihash_compute(uint64_t code, ByteView data, size_t digest_length);
// The bare digest (for identity: the data itself).
Result<Bytes> hash_digest(uint64_t code, ByteView data);
// Full digest length of a supported function; nullopt for identity and unknown codes.
std::optional<size_t> hash_digest_size(uint64_t code);

struct MultihashView {
  uint64_t code;
  ByteView digest;
};
// Parses a complete multihash (no trailing bytes); `used` form reads a prefix. Unknown codes parse;
// a known code with a digest longer than its function produces is rejected.
Result<MultihashView> multihash_parse(ByteView in);
Result<MultihashView> multihash_read_prefix(ByteView in, size_t& used);
// Checks that `data` hashes to `multihash` (a truncated digest must match the prefix).
Status multihash_verify(ByteView multihash, ByteView data);

}  // namespace ipvm::ipld
