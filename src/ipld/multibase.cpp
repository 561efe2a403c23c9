#include "ipld/multibase.h"

#include <array>
#include <vector>

namespace ipvm::ipld {
namespace {

constexpr char kB32Lower[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr char kB32HexLower[] = "0123456789abcdefghijklmnopqrstuv";
constexpr char kB58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr char kB36Lower[] = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Reverse lookup: 0xff marks a character outside the alphabet.
struct Table {
  std::array<uint8_t, 256> v{};
  constexpr Table(const char* alphabet, bool fold_case) {
    for (auto& x : v) x = 0xff;
    for (int i = 0; alphabet[i]; ++i) {
      auto c = static_cast<unsigned char>(alphabet[i]);
      v[c] = static_cast<uint8_t>(i);
      if (fold_case && c >= 'a' && c <= 'z') v[c - 32] = static_cast<uint8_t>(i);
      if (fold_case && c >= 'A' && c <= 'Z') v[c + 32] = static_cast<uint8_t>(i);
    }
  }
  uint8_t operator[](char c) const { return v[static_cast<unsigned char>(c)]; }
};

constexpr Table kB16Table("0123456789abcdef", true);
constexpr Table kB32Table(kB32Lower, true);
constexpr Table kB32HexTable(kB32HexLower, true);
constexpr Table kB36Table(kB36Lower, true);
constexpr Table kB58Table(kB58, false);
constexpr Table kB64Table(kB64, false);
constexpr Table kB64UrlTable(kB64Url, false);

std::string to_upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return s;
}

std::string base16_encode(ByteView data) {
  static constexpr char d[] = "0123456789abcdef";
  std::string out(data.size() * 2, '\0');
  for (size_t i = 0; i < data.size(); ++i) {
    out[2 * i] = d[data[i] >> 4];
    out[2 * i + 1] = d[data[i] & 15];
  }
  return out;
}

Result<Bytes> base16_decode(std::string_view text) {
  if (text.size() % 2) return fail("multibase", "base16: odd number of digits");
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    uint8_t hi = kB16Table[text[2 * i]], lo = kB16Table[text[2 * i + 1]];
    if ((hi | lo) == 0xff) {
      size_t at = hi == 0xff ? 2 * i : 2 * i + 1;
      return failf("multibase", "base16: invalid character '{}' at position {}", text[at], at);
    }
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string base32_encode(ByteView data, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 4) / 5 * 8);
  uint64_t buffer = 0;
  int bits = 0;
  for (uint8_t b : data) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(alphabet[(buffer >> bits) & 31]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (5 - bits)) & 31]);
  if (pad)
    while (out.size() % 8) out.push_back('=');
  return out;
}

// Strips RFC 4648 padding; the unpadded length must be one a real encoder can produce.
Result<std::string_view> strip_padding(std::string_view text, size_t group, const char* name) {
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '=') --end;
  if (end != text.size() && text.size() % group != 0)
    return failf("multibase", "{}: bad padding", name);
  return text.substr(0, end);
}

Result<Bytes> base32_decode(std::string_view text, const Table& table, const char* name) {
  IPVM_TRY(std::string_view body, strip_padding(text, 8, name));
  size_t rem = body.size() % 8;
  if (rem == 1 || rem == 3 || rem == 6) return failf("multibase", "{}: impossible length {}", name, body.size());
  auto invalid = [&](size_t i) {
    return failf("multibase", "{}: invalid character '{}' at position {}", name, body[i], i);
  };
  // Exactly floor(5n/8) bytes: whole 8-character groups give 5 bytes each, the tail the rest.
  Bytes out(body.size() * 5 / 8);
  size_t i = 0, o = 0;
  for (; i + 8 <= body.size(); i += 8, o += 5) {
    uint64_t group = 0;
    uint8_t seen = 0;  // valid digits are < 32, so any 0xff marks an invalid character
    for (size_t k = 0; k < 8; ++k) {
      uint8_t v = table[body[i + k]];
      seen |= v;
      group = (group << 5) | (v & 31);
    }
    if (seen & 0x80) {
      for (size_t k = 0;; ++k)
        if (table[body[i + k]] == 0xff) return invalid(i + k);
    }
    for (size_t k = 0; k < 5; ++k) out[o + k] = static_cast<uint8_t>(group >> (32 - 8 * k));
  }
  uint64_t buffer = 0;
  int bits = 0;
  for (; i < body.size(); ++i) {
    uint8_t v = table[body[i]];
    if (v == 0xff) return invalid(i);
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<uint8_t>(buffer >> bits);
    }
  }
  if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0)
    return failf("multibase", "{}: non-zero trailing bits", name);
  return out;
}

std::string base64_encode_impl(ByteView data, const char* alphabet, bool pad) {
  std::string out;
  out.resize((data.size() + 2) / 3 * 4);
  size_t o = 0, i = 0;
  const uint8_t* p = data.data();
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = uint32_t(p[i]) << 16 | uint32_t(p[i + 1]) << 8 | p[i + 2];
    out[o++] = alphabet[v >> 18];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = alphabet[(v >> 6) & 63];
    out[o++] = alphabet[v & 63];
  }
  size_t rest = data.size() - i;
  if (rest) {
    uint32_t v = uint32_t(p[i]) << 16 | (rest == 2 ? uint32_t(p[i + 1]) << 8 : 0);
    out[o++] = alphabet[v >> 18];
    out[o++] = alphabet[(v >> 12) & 63];
    if (rest == 2) out[o++] = alphabet[(v >> 6) & 63];
    if (pad) {
      while (o % 4) out[o++] = '=';
    }
  }
  out.resize(o);
  return out;
}

Result<Bytes> base64_decode_impl(std::string_view text, const Table& table, const char* name) {
  IPVM_TRY(std::string_view body, strip_padding(text, 4, name));
  if (body.size() % 4 == 1) return failf("multibase", "{}: impossible length {}", name, body.size());
  Bytes out(body.size() / 4 * 3 + (body.size() % 4 ? body.size() % 4 - 1 : 0));
  const char* s = body.data();
  size_t i = 0, o = 0;
  for (; i + 4 <= body.size(); i += 4) {
    uint8_t a = table[s[i]], b = table[s[i + 1]], c = table[s[i + 2]], d = table[s[i + 3]];
    if ((a | b | c | d) & 0x80) break;  // report below
    uint32_t v = uint32_t(a) << 18 | uint32_t(b) << 12 | uint32_t(c) << 6 | d;
    out[o++] = static_cast<uint8_t>(v >> 16);
    out[o++] = static_cast<uint8_t>(v >> 8);
    out[o++] = static_cast<uint8_t>(v);
  }
  uint32_t v = 0;
  int bits = 0;
  for (; i < body.size(); ++i) {
    uint8_t x = table[s[i]];
    if (x == 0xff)
      return failf("multibase", "{}: invalid character '{}' at position {}", name, s[i], i);
    v = (v << 6) | x;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<uint8_t>(v >> bits);
    }
  }
  if (bits > 0 && (v & ((1u << bits) - 1)) != 0)
    return failf("multibase", "{}: non-zero trailing bits", name);
  return out;
}

// Arbitrary-base conversion (base36, base58) over 32-bit limbs, processing several digits
// per step so long inputs stay fast.
std::string basen_encode(ByteView data, const char* alphabet, uint32_t base) {
  size_t zeros = 0;
  while (zeros < data.size() && data[zeros] == 0) ++zeros;
  // Little-endian limbs of the number.
  std::vector<uint32_t> limbs;
  limbs.reserve((data.size() - zeros) / 4 + 1);
  for (size_t i = zeros; i < data.size(); ++i) {
    uint64_t carry = data[i];
    for (auto& l : limbs) {
      uint64_t x = (uint64_t(l) << 8) | carry;
      l = static_cast<uint32_t>(x);
      carry = x >> 32;
    }
    if (carry) limbs.push_back(static_cast<uint32_t>(carry));
  }
  uint32_t chunk = 1;
  int per_chunk = 0;
  while (uint64_t(chunk) * base <= 0xffffffffu) chunk *= base, ++per_chunk;
  std::string digits;  // reversed
  while (!limbs.empty()) {
    uint64_t rem = 0;
    for (size_t i = limbs.size(); i-- > 0;) {
      uint64_t x = (rem << 32) | limbs[i];
      limbs[i] = static_cast<uint32_t>(x / chunk);
      rem = x % chunk;
    }
    while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
    for (int k = 0; k < per_chunk; ++k) {
      if (limbs.empty() && rem == 0) break;
      digits.push_back(alphabet[rem % base]);
      rem /= base;
    }
  }
  std::string out(zeros, alphabet[0]);
  out.append(digits.rbegin(), digits.rend());
  return out;
}

// Base-N decoding is quadratic; nothing legitimate (CIDs, keys) comes near this size, and the
// bound keeps hostile input (e.g. a link string inside a DAG-JSON document) from stalling us.
constexpr size_t kMaxBaseNChars = 64 * 1024;

Result<Bytes> basen_decode(std::string_view text, const Table& table, uint32_t base, const char* name) {
  if (text.size() > kMaxBaseNChars)
    return failf("multibase", "{}: input of {} characters is over the {} limit", name, text.size(),
                 kMaxBaseNChars);
  size_t zeros = 0;
  while (zeros < text.size() && table[text[zeros]] == 0) ++zeros;
  std::vector<uint32_t> limbs;
  size_t i = zeros;
  while (i < text.size()) {
    uint64_t mul = 1, add = 0;
    for (; i < text.size() && mul * base <= 0xffffffffu; ++i) {
      uint8_t v = table[text[i]];
      if (v == 0xff)
        return failf("multibase", "{}: invalid character '{}' at position {}", name, text[i], i);
      mul *= base;
      add = add * base + v;
    }
    uint64_t carry = add;
    for (auto& l : limbs) {
      uint64_t x = uint64_t(l) * mul + carry;
      l = static_cast<uint32_t>(x);
      carry = x >> 32;
    }
    if (carry) limbs.push_back(static_cast<uint32_t>(carry));
  }
  Bytes out(zeros, 0);
  size_t value_bytes = limbs.size() * 4;
  out.resize(zeros + value_bytes);
  for (size_t k = 0; k < limbs.size(); ++k)
    for (int b = 0; b < 4; ++b)
      out[out.size() - 1 - (k * 4 + b)] = static_cast<uint8_t>(limbs[k] >> (8 * b));
  // Drop the leading zero bytes of the top limb.
  size_t first = zeros;
  while (first < out.size() && out[first] == 0) ++first;
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(zeros), out.begin() + static_cast<std::ptrdiff_t>(first));
  return out;
}

}  // namespace

std::string base58btc_encode(ByteView data) { return basen_encode(data, kB58, 58); }
Result<Bytes> base58btc_decode(std::string_view text) {
  return basen_decode(text, kB58Table, 58, "base58btc");
}

std::string base64_encode(ByteView data, bool url, bool pad) {
  return base64_encode_impl(data, url ? kB64Url : kB64, pad);
}
Result<Bytes> base64_decode(std::string_view text, bool url) {
  return base64_decode_impl(text, url ? kB64UrlTable : kB64Table, url ? "base64url" : "base64");
}

std::string multibase_encode(Base base, ByteView data) {
  std::string body;
  switch (base) {
    case Base::kIdentity: body = std::string(as_string_view(data)); break;
    case Base::kBase16: body = base16_encode(data); break;
    case Base::kBase16Upper: body = to_upper(base16_encode(data)); break;
    case Base::kBase32: body = base32_encode(data, kB32Lower, false); break;
    case Base::kBase32Upper: body = to_upper(base32_encode(data, kB32Lower, false)); break;
    case Base::kBase32Pad: body = base32_encode(data, kB32Lower, true); break;
    case Base::kBase32PadUpper: body = to_upper(base32_encode(data, kB32Lower, true)); break;
    case Base::kBase32Hex: body = base32_encode(data, kB32HexLower, false); break;
    case Base::kBase32HexUpper: body = to_upper(base32_encode(data, kB32HexLower, false)); break;
    case Base::kBase32HexPad: body = base32_encode(data, kB32HexLower, true); break;
    case Base::kBase32HexPadUpper: body = to_upper(base32_encode(data, kB32HexLower, true)); break;
    case Base::kBase36: body = basen_encode(data, kB36Lower, 36); break;
    case Base::kBase36Upper: body = to_upper(basen_encode(data, kB36Lower, 36)); break;
    case Base::kBase58Btc: body = base58btc_encode(data); break;
    case Base::kBase64: body = base64_encode(data, false, false); break;
    case Base::kBase64Pad: body = base64_encode(data, false, true); break;
    case Base::kBase64Url: body = base64_encode(data, true, false); break;
    case Base::kBase64UrlPad: body = base64_encode(data, true, true); break;
  }
  std::string out(1, static_cast<char>(base));
  out += body;
  return out;
}

std::optional<Base> base_from_name(std::string_view name) {
  static constexpr std::pair<std::string_view, Base> kNames[] = {
      {"identity", Base::kIdentity},       {"base16", Base::kBase16},
      {"base16upper", Base::kBase16Upper}, {"base32", Base::kBase32},
      {"base32upper", Base::kBase32Upper}, {"base32pad", Base::kBase32Pad},
      {"base32padupper", Base::kBase32PadUpper}, {"base32hex", Base::kBase32Hex},
      {"base32hexupper", Base::kBase32HexUpper}, {"base32hexpad", Base::kBase32HexPad},
      {"base32hexpadupper", Base::kBase32HexPadUpper}, {"base36", Base::kBase36},
      {"base36upper", Base::kBase36Upper}, {"base58btc", Base::kBase58Btc},
      {"base64", Base::kBase64},           {"base64pad", Base::kBase64Pad},
      {"base64url", Base::kBase64Url},     {"base64urlpad", Base::kBase64UrlPad},
  };
  for (const auto& [n, b] : kNames)
    if (n == name) return b;
  return std::nullopt;
}

Result<Bytes> multibase_decode(std::string_view text) {
  if (text.empty()) return fail("multibase", "empty string has no multibase prefix");
  char prefix = text[0];
  std::string_view body = text.substr(1);
  switch (prefix) {
    case '\0': return Bytes(body.begin(), body.end());
    case 'f':
    case 'F': return base16_decode(body);
    case 'b':
    case 'B':
    case 'c':
    case 'C': return base32_decode(body, kB32Table, "base32");
    case 'v':
    case 'V':
    case 't':
    case 'T': return base32_decode(body, kB32HexTable, "base32hex");
    case 'k':
    case 'K': return basen_decode(body, kB36Table, 36, "base36");
    case 'z': return base58btc_decode(body);
    case 'm':
    case 'M': return base64_decode_impl(body, kB64Table, "base64");
    case 'u':
    case 'U': return base64_decode_impl(body, kB64UrlTable, "base64url");
    default:
      if (static_cast<unsigned char>(prefix) >= 0x20 && static_cast<unsigned char>(prefix) < 0x7f)
        return failf("multibase", "unsupported multibase prefix '{}'", prefix);
      return failf("multibase", "unsupported multibase prefix byte 0x{:02x}",
                   static_cast<unsigned char>(prefix));
  }
}

}  // namespace ipvm::ipld
