#include "ipld/cid.h"

#include <algorithm>
#include <cstring>

#include "ipld/multibase.h"
#include "ipld/multihash.h"
#include "ipld/varint.h"

namespace ipvm::ipld {
namespace {

// A v0 CID is a bare sha2-256 multihash: 0x12 0x20 + 32 bytes.
bool looks_like_v0(ByteView in) { return in.size() >= 2 && in[0] == 0x12 && in[1] == 0x20; }

}  // namespace

void Cid::assign(ByteView mh) {
  // Multihash lengths come from checked varints and real inputs; 4 GiB is far beyond any of them.
  size_ = static_cast<uint32_t>(mh.size());
  if (is_inline()) {
    if (!mh.empty()) std::memcpy(inline_, mh.data(), mh.size());
  } else {
    heap_ = new uint8_t[mh.size()];
    std::memcpy(heap_, mh.data(), mh.size());
  }
}

Cid Cid::v1(uint64_t codec, ByteView multihash) {
  Cid c;
  c.version_ = 1;
  c.codec_ = codec;
  c.assign(multihash);
  return c;
}

Result<Cid> Cid::v0(ByteView multihash) {
  if (multihash.size() != 34 || !looks_like_v0(multihash))
    return fail("cid", "a CIDv0 must be a 34-byte sha2-256 multihash");
  Cid c;
  c.version_ = 0;
  c.codec_ = codec::kDagPb;
  c.assign(multihash);
  return c;
}

Result<Cid> Cid::of(uint64_t codec, ByteView data, uint64_t hash_code) {
  auto mh = multihash_compute(hash_code, data);
  if (!mh) return fail("cid", mh.error().message);
  return v1(codec, std::move(*mh));
}

Result<Cid> Cid::read_prefix(ByteView in, size_t& used) {
  if (in.empty()) return fail("cid", "empty CID");
  if (looks_like_v0(in)) {
    if (in.size() < 34) return fail("cid", "truncated CIDv0: need 34 bytes");
    used = 34;
    return v0(in.first(34));
  }
  // The common case, CIDv1 + one-byte codec + sha2-256, skips the general varint parsing.
  if (in.size() >= 36 && in[0] == 1 && in[1] < 0x80 && in[2] == 0x12 && in[3] == 0x20) {
    used = 36;
    return v1(in[1], in.subspan(2, 34));
  }
  size_t pos = 0;
  auto version = read_uvarint(in, pos);
  if (!version) return failf("cid", "bad version: {}", version.error().message);
  if (*version != 1) {
    if (*version == 0x12) return fail("cid", "CIDv0 must use a 32-byte sha2-256 digest");
    return failf("cid", "unsupported CID version {}", *version);
  }
  auto codec = read_uvarint(in, pos);
  if (!codec) return failf("cid", "bad codec: {}", codec.error().message);
  size_t mh_used = 0;
  auto mh = multihash_read_prefix(in.subspan(pos), mh_used);
  if (!mh) return failf("cid", "bad multihash: {}", mh.error().message);
  Cid c = v1(*codec, in.subspan(pos, mh_used));
  used = pos + mh_used;
  return c;
}

Result<Cid> Cid::from_bytes(ByteView in) {
  size_t used = 0;
  IPVM_TRY(Cid c, read_prefix(in, used));
  if (used != in.size()) return failf("cid", "{} trailing bytes after the CID", in.size() - used);
  return c;
}

Result<Cid> Cid::parse(std::string_view text) {
  if (text.empty()) return fail("cid", "empty CID string");
  if (text.size() == 46 && text[0] == 'Q' && text[1] == 'm') {
    auto raw = base58btc_decode(text);
    if (!raw) return failf("cid", "invalid CIDv0 '{}': {}", text, raw.error().message);
    auto c = v0(*raw);
    if (!c) return failf("cid", "invalid CIDv0 '{}': {}", text, c.error().message);
    return c;
  }
  auto raw = multibase_decode(text);
  if (!raw) return failf("cid", "invalid CID '{}': {}", text, raw.error().message);
  if (looks_like_v0(*raw))
    return failf("cid", "invalid CID '{}': a CIDv0 is written in bare base58btc, not multibase", text);
  auto c = from_bytes(*raw);
  if (!c) return failf("cid", "invalid CID '{}': {}", text, c.error().message);
  return c;
}

uint64_t Cid::hash_code() const {
  auto mh = multihash_parse(multihash());
  return mh ? mh->code : 0;
}

ByteView Cid::digest() const {
  auto mh = multihash_parse(multihash());
  return mh ? mh->digest : ByteView();
}

Bytes Cid::to_bytes() const {
  if (version_ == 0) return Bytes(data(), data() + size_);
  Bytes out;
  out.reserve(size_ + 4);
  to_bytes_into(out);
  return out;
}

void Cid::to_bytes_into(Bytes& out) const {
  if (version_ != 0) {
    put_uvarint(out, version_);
    put_uvarint(out, codec_);
  }
  out.insert(out.end(), data(), data() + size_);
}

size_t Cid::encoded_size() const {
  auto varint_size = [](uint64_t v) {
    size_t n = 1;
    while (v >= 0x80) v >>= 7, ++n;
    return n;
  };
  size_t n = size_;
  if (version_ != 0) n += varint_size(version_) + varint_size(codec_);
  return n;
}

std::string Cid::to_string() const {
  if (version_ == 0) return base58btc_encode(multihash());
  return multibase_encode(Base::kBase32, to_bytes());
}

std::string Cid::to_string(Base base) const {
  if (version_ == 0) return base58btc_encode(multihash());
  return multibase_encode(base, to_bytes());
}

Status Cid::verify(ByteView data) const {
  auto ok = multihash_verify(multihash(), data);
  if (!ok) return failf("cid", "block does not match {}: {}", to_string(), ok.error().message);
  return {};
}

std::strong_ordering operator<=>(const Cid& a, const Cid& b) {
  if (auto c = a.version_ <=> b.version_; c != 0) return c;
  if (auto c = a.codec_ <=> b.codec_; c != 0) return c;
  ByteView x = a.multihash(), y = b.multihash();
  return std::lexicographical_compare_three_way(x.begin(), x.end(), y.begin(), y.end());
}

}  // namespace ipvm::ipld

size_t std::hash<ipvm::ipld::Cid>::operator()(const ipvm::ipld::Cid& c) const noexcept {
  ipvm::ByteView mh = c.multihash();
  // A cryptographic digest is already uniform: its last 8 bytes, mixed with codec and version,
  // are as good a hash as any and cost one load (CIDs key the hot caches of the runtime).
  // Identity multihashes (code 0x00) carry plain content, so they get FNV-1a over every byte.
  if (mh.size() >= 10 && mh[0] != 0x00) {
    uint64_t tail;
    std::memcpy(&tail, mh.data() + mh.size() - 8, sizeof tail);
    return static_cast<size_t>(tail ^ (c.codec() * 0x9e3779b97f4a7c15ull) ^ c.version());
  }
  uint64_t h = 1469598103934665603ull ^ c.codec() ^ (c.version() << 56);
  for (uint8_t b : mh) h = (h ^ b) * 1099511628211ull;
  return static_cast<size_t>(h);
}
