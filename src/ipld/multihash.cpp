#include "ipld/multihash.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <array>

#include "ipld/varint.h"

namespace ipvm::ipld {
namespace {

struct HashInfo {
  uint64_t code;
  std::string_view name;
  size_t size;  // full digest length; 0 for identity (digest == input)
};

constexpr std::array<HashInfo, 10> kHashes{{
    {hash::kIdentity, "identity", 0},
    {hash::kSha1, "sha1", 20},
    {hash::kSha2_256, "sha2-256", 32},
    {hash::kSha2_512, "sha2-512", 64},
    {hash::kSha2_384, "sha2-384", 48},
    {hash::kSha3_512, "sha3-512", 64},
    {hash::kSha3_384, "sha3-384", 48},
    {hash::kSha3_256, "sha3-256", 32},
    {hash::kSha3_224, "sha3-224", 28},
    {hash::kBlake2b256, "blake2b-256", 32},
}};

const HashInfo* find_hash(uint64_t code) {
  for (const auto& h : kHashes)
    if (h.code == code) return &h;
  return nullptr;
}

// Digests are fetched from OpenSSL's provider once per process: EVP_sha256() and friends make
// EVP_Digest fetch the implementation again on every call, which costs about as much as hashing a
// small block. The fetched objects are immutable and shared by all threads (initialisation of a
// function-local static is thread-safe); they live until exit on purpose.
const EVP_MD* fetch_once(const char* name, const EVP_MD* fallback) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  return md ? md : fallback;
}

const EVP_MD* evp_for(uint64_t code) {
  switch (code) {
    case hash::kSha1: { static const EVP_MD* md = fetch_once("SHA1", EVP_sha1()); return md; }
    case hash::kSha2_256: { static const EVP_MD* md = fetch_once("SHA2-256", EVP_sha256()); return md; }
    case hash::kSha2_384: { static const EVP_MD* md = fetch_once("SHA2-384", EVP_sha384()); return md; }
    case hash::kSha2_512: { static const EVP_MD* md = fetch_once("SHA2-512", EVP_sha512()); return md; }
    case hash::kSha3_224: { static const EVP_MD* md = fetch_once("SHA3-224", EVP_sha3_224()); return md; }
    case hash::kSha3_256: { static const EVP_MD* md = fetch_once("SHA3-256", EVP_sha3_256()); return md; }
    case hash::kSha3_384: { static const EVP_MD* md = fetch_once("SHA3-384", EVP_sha3_384()); return md; }
    case hash::kSha3_512: { static const EVP_MD* md = fetch_once("SHA3-512", EVP_sha3_512()); return md; }
    default: return nullptr;
  }
}

}  // namespace

std::optional<uint64_t> hash_code_from_name(std::string_view name) {
  for (const auto& h : kHashes)
    if (h.name == name) return h.code;
  return std::nullopt;
}

std::string_view hash_name(uint64_t code) {
  const HashInfo* h = find_hash(code);
  return h ? h->name : std::string_view();
}

std::optional<size_t> hash_digest_size(uint64_t code) {
  const HashInfo* h = find_hash(code);
  if (!h || h->code == hash::kIdentity) return std::nullopt;
  return h->size;
}

Result<Bytes> hash_digest(uint64_t code, ByteView data) {
  const HashInfo* info = find_hash(code);
  if (!info) return failf("multihash", "unsupported hash function 0x{:x}", code);
  if (code == hash::kIdentity) return Bytes(data.begin(), data.end());
  Bytes digest(info->size);
  if (code == hash::kBlake2b256) {
    if (sodium_init() < 0) return fail("multihash", "libsodium failed to initialise");
    crypto_generichash(digest.data(), digest.size(), data.data(), data.size(), nullptr, 0);
    return digest;
  }
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &len, evp_for(code), nullptr) != 1 ||
      len != digest.size())
    return failf("multihash", "OpenSSL failed to compute {}", info->name);
  return digest;
}

Result<Bytes> multihash_compute(uint64_t code, ByteView data) {
  IPVM_TRY(Bytes digest, hash_digest(code, data));
  Bytes out;
  out.reserve(digest.size() + 4);
  put_uvarint(out, code);
  put_uvarint(out, digest.size());
  out.insert(out.end(), digest.begin(), digest.end());
  return out;
}

Result<Bytes> multihash_compute(uint64_t code, ByteView data, size_t digest_length) {
  IPVM_TRY(Bytes digest, hash_digest(code, data));
  if (code != hash::kIdentity && digest_length > digest.size())
    return failf("multihash", "{} digests are {} bytes, not {}", hash_name(code), digest.size(),
                 digest_length);
  if (code == hash::kIdentity && digest_length != digest.size())
    return fail("multihash", "identity multihash cannot be truncated");
  Bytes out;
  put_uvarint(out, code);
  put_uvarint(out, digest_length);
  out.insert(out.end(), digest.begin(), digest.begin() + static_cast<std::ptrdiff_t>(digest_length));
  return out;
}

Result<MultihashView> multihash_read_prefix(ByteView in, size_t& used) {
  size_t pos = 0;
  auto code = read_uvarint(in, pos);
  if (!code) return failf("multihash", "bad hash code: {}", code.error().message);
  auto len = read_uvarint(in, pos);
  if (!len) return failf("multihash", "bad digest length: {}", len.error().message);
  if (*len > in.size() - pos)
    return failf("multihash", "digest length {} exceeds the {} bytes available", *len, in.size() - pos);
  const HashInfo* info = find_hash(*code);
  if (info && info->size != 0 && *len > info->size)
    return failf("multihash", "{} digest of {} bytes is longer than {}", info->name, *len, info->size);
  MultihashView view{*code, in.subspan(pos, static_cast<size_t>(*len))};
  used = pos + static_cast<size_t>(*len);
  return view;
}

Result<MultihashView> multihash_parse(ByteView in) {
  size_t used = 0;
  IPVM_TRY(MultihashView view, multihash_read_prefix(in, used));
  if (used != in.size())
    return failf("multihash", "{} trailing bytes after the multihash", in.size() - used);
  return view;
}

Status multihash_verify(ByteView multihash, ByteView data) {
  IPVM_TRY(MultihashView mh, multihash_parse(multihash));
  IPVM_TRY(Bytes digest, hash_digest(mh.code, data));
  if (mh.code == hash::kIdentity ? digest.size() != mh.digest.size()
                                 : digest.size() < mh.digest.size())
    return fail("multihash", "digest does not match the data");
  // Digests are public; a plain comparison is fine.
  if (!std::equal(mh.digest.begin(), mh.digest.end(), digest.begin()))
    return failf("multihash", "{} digest does not match the data", hash_name(mh.code));
  return {};
}

}  // namespace ipvm::ipld
