// Multibase: a one-character prefix naming the base, then the encoded bytes.
// Supported: identity (0x00), base16/B16 (f/F), base32/base32upper (b/B), base32pad (c/C),
// base32hex (v/V, t/T padded), base36 (k/K), base58btc (z), base64 (m), base64pad (M),
// base64url (u), base64urlpad (U).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace ipvm::ipld {

enum class Base : char {
  kIdentity = '\0',
  kBase16 = 'f',
  kBase16Upper = 'F',
  kBase32 = 'b',
  kBase32Upper = 'B',
  kBase32Pad = 'c',
  kBase32PadUpper = 'C',
  kBase32Hex = 'v',
  kBase32HexUpper = 'V',
  kBase32HexPad = 't',
  kBase32HexPadUpper = 'T',
  kBase36 = 'k',
  kBase36Upper = 'K',
  kBase58Btc = 'z',
  kBase64 = 'm',
  kBase64Pad = 'M',
  kBase64Url = 'u',
  kBase64UrlPad = 'U',
};

// Encodes with the prefix character.
std::string multibase_encode(Base base, ByteView data);
// Decodes a prefixed string; names the base and the offending character on error.
// Base16/32/36 decode case-insensitively; padding is optional for the padded bases. Base36 and
// base58btc inputs are limited to 64 KiB characters (their decoding is quadratic).
Result<Bytes> multibase_decode(std::string_view text);
// The base for a multibase table name ("base32", "base58btc", "base64urlpad", ...).
std::optional<Base> base_from_name(std::string_view name);

// Un-prefixed codecs, used directly by DAG-JSON (base64 standard, no padding) and CIDv0.
std::string base58btc_encode(ByteView data);
Result<Bytes> base58btc_decode(std::string_view text);
std::string base64_encode(ByteView data, bool url = false, bool pad = false);
// Accepts input with or without padding, but never mixed alphabets.
Result<Bytes> base64_decode(std::string_view text, bool url = false);

}  // namespace ipvm::ipld
