// Content identifiers (CIDv0 and CIDv1).
//
// A Cid is a value type: version, content codec (multicodec code) and the full multihash bytes.
// v0 is always dag-pb + sha2-256 and prints in base58btc ("Qm..."); v1 prints in base32 ("b...").
// Multihashes up to 40 bytes (sha2-256, sha3-256, blake2b-256, ...) are stored inline, so
// making or copying a typical CID does not allocate.
#pragma once

#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/multibase.h"

namespace ipvm::ipld {

// Multicodec codes we use.
namespace codec {
inline constexpr uint64_t kRaw = 0x55;
inline constexpr uint64_t kDagPb = 0x70;
inline constexpr uint64_t kDagCbor = 0x71;
inline constexpr uint64_t kDagJson = 0x0129;
inline constexpr uint64_t kLibp2pKey = 0x72;
}  // namespace codec

class Cid {
 public:
  Cid() = default;  // an empty, invalid CID (is_valid() == false)
  Cid(const Cid& o) { assign(o.multihash()), version_ = o.version_, codec_ = o.codec_; }
  Cid(Cid&& o) noexcept { steal(o); }
  Cid& operator=(const Cid& o) {
    if (this != &o) {
      Cid copy(o);
      *this = std::move(copy);
    }
    return *this;
  }
  Cid& operator=(Cid&& o) noexcept {
    if (this != &o) {
      clear();
      steal(o);
    }
    return *this;
  }
  ~Cid() { clear(); }

  // Builds a CIDv1 from a codec and a multihash (code + length + digest, already encoded).
  static Cid v1(uint64_t codec, ByteView multihash);
  // Builds a CIDv0 from a sha2-256 multihash (0x12 0x20 + 32 bytes); fails otherwise.
  static Result<Cid> v0(ByteView multihash);
  // CIDv1 of `data` hashed with the multihash function `hash_code` (default sha2-256).
  static Result<Cid> of(uint64_t codec, ByteView data, uint64_t hash_code = 0x12);

  // Parses the binary form. `from_bytes` requires the whole input to be one CID;
  // `read_prefix` reads one CID from the start of `in` and reports how many bytes it used.
  static Result<Cid> from_bytes(ByteView in);
  static Result<Cid> read_prefix(ByteView in, size_t& used);
  // Parses the string form: "Qm..." (v0, base58btc) or a multibase-prefixed v1.
  static Result<Cid> parse(std::string_view text);

  bool is_valid() const { return version_ != 0 || size_ != 0; }
  uint64_t version() const { return version_; }
  uint64_t codec() const { return codec_; }
  ByteView multihash() const { return ByteView(data(), size_); }
  uint64_t hash_code() const;   // the multihash function code
  ByteView digest() const;      // the digest inside the multihash

  Bytes to_bytes() const;               // binary form (v0: just the multihash)
  std::string to_string() const;        // base58btc for v0, base32 lower for v1
  std::string to_string(Base base) const;  // v1 in the given multibase (v0 is always base58btc)
  void to_bytes_into(Bytes& out) const;  // appends the binary form
  size_t encoded_size() const;           // size of the binary form
  // Checks that `data` hashes to this CID's multihash (same function, same digest).
  Status verify(ByteView data) const;

  friend bool operator==(const Cid& a, const Cid& b) {
    return a.version_ == b.version_ && a.codec_ == b.codec_ && a.size_ == b.size_ &&
           std::memcmp(a.data(), b.data(), a.size_) == 0;
  }
  friend std::strong_ordering operator<=>(const Cid& a, const Cid& b);

 private:
  static constexpr size_t kInline = 40;
  bool is_inline() const { return size_ <= kInline; }
  const uint8_t* data() const { return is_inline() ? inline_ : heap_; }
  void assign(ByteView mh);  // precondition: empty
  void clear() {
    if (!is_inline()) delete[] heap_;
    size_ = 0;
  }
  void steal(Cid& o) {
    version_ = o.version_, codec_ = o.codec_, size_ = o.size_;
    if (o.is_inline())
      std::memcpy(inline_, o.inline_, kInline);  // fixed size: a few vector moves, no call
    else
      heap_ = o.heap_;
    o.size_ = 0, o.version_ = 0, o.codec_ = 0;  // a moved-from Cid is empty
  }

  uint64_t codec_ = 0;
  uint32_t size_ = 0;  // of the multihash
  uint8_t version_ = 0;
  union {
    uint8_t inline_[kInline];
    uint8_t* heap_;
  };
};

}  // namespace ipvm::ipld

template <>
struct std::hash<ipvm::ipld::Cid> {
  size_t operator()(const ipvm::ipld::Cid& c) const noexcept;
};
