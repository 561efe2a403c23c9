#include "wasm/wat_numbers.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace ipvm::wasm {
namespace {

int digit_value(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (!hex) return -1;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Consumes `digit ('_'? digit)*` from the front of s, appending the digits to `out`. Returns false
// if s does not start with a digit or an underscore is not between two digits.
bool take_digits(std::string_view& s, bool hex, std::string& out) {
  if (s.empty() || digit_value(s[0], hex) < 0) return false;
  size_t i = 0;
  while (i < s.size()) {
    if (digit_value(s[i], hex) >= 0) {
      out.push_back(s[i++]);
    } else if (s[i] == '_') {
      if (i + 1 >= s.size() || digit_value(s[i + 1], hex) < 0) return false;
      ++i;
    } else {
      break;
    }
  }
  s.remove_prefix(i);
  return true;
}

WatNumber bad(std::string why) {
  WatNumber n;
  n.error = std::move(why);
  return n;
}

// Magnitude of an unsigned literal (decimal or 0x hex); `overflow` when above 2^64 - 1.
bool parse_magnitude(std::string_view s, uint64_t& out, bool& overflow) {
  bool hex = s.size() > 2 && s[0] == '0' && s[1] == 'x';
  if (hex) s.remove_prefix(2);
  std::string digits;
  if (!take_digits(s, hex, digits) || !s.empty()) return false;
  unsigned __int128 v = 0;
  overflow = false;
  for (char c : digits) {
    v = v * (hex ? 16 : 10) + static_cast<unsigned>(digit_value(c, hex));
    if (v > UINT64_MAX) {
      overflow = true;
      v = UINT64_MAX;  // keep scanning: the syntax must still be checked
    }
  }
  out = static_cast<uint64_t>(v);
  return true;
}

std::string type_name(unsigned bits, bool is_float) {
  return std::string(is_float ? "f" : "i") + (bits == 32 ? "32" : "64");
}

// Float literal -> clean C string for strtof/strtod, or special values handled directly.
template <class F, class U>
WatNumber parse_float(std::string_view text) {
  constexpr unsigned kBits = sizeof(F) * 8;
  constexpr unsigned kMantissa = kBits == 32 ? 23 : 52;
  constexpr U kExpMask = kBits == 32 ? U(0x7f800000u) : U(0x7ff0000000000000ull);
  constexpr U kSign = U(1) << (kBits - 1);
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  WatNumber n;
  U sign = neg ? kSign : U(0);
  if (s == "inf") {
    n.bits = sign | kExpMask;
    return n;
  }
  if (s == "nan") {
    n.bits = sign | kExpMask | (U(1) << (kMantissa - 1));
    return n;
  }
  if (s.starts_with("nan:0x")) {
    std::string_view p = s.substr(6);
    std::string digits;
    if (!take_digits(p, true, digits) || !p.empty()) return bad("unexpected token");
    uint64_t payload = 0;
    for (char c : digits) {
      payload = payload * 16 + static_cast<uint64_t>(digit_value(c, true));
      if (payload >> kMantissa) return bad(type_name(kBits, true) + " constant out of range");
    }
    if (payload == 0) return bad(type_name(kBits, true) + " constant out of range");
    n.bits = sign | kExpMask | static_cast<U>(payload);
    return n;
  }
  std::string clean = neg ? "-" : "";
  bool hex = s.starts_with("0x");
  if (hex) {
    s.remove_prefix(2);
    clean += "0x";
  }
  if (!take_digits(s, hex, clean)) return bad("unexpected token");
  if (!s.empty() && s[0] == '.') {
    clean.push_back('.');
    s.remove_prefix(1);
    if (!s.empty() && digit_value(s[0], hex) >= 0 && !take_digits(s, hex, clean)) return bad("unexpected token");
  }
  if (!s.empty() && (hex ? (s[0] == 'p' || s[0] == 'P') : (s[0] == 'e' || s[0] == 'E'))) {
    clean.push_back(hex ? 'p' : 'e');
    s.remove_prefix(1);
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
      clean.push_back(s[0]);
      s.remove_prefix(1);
    }
    if (!take_digits(s, false, clean)) return bad("unexpected token");
  } else if (hex && !s.empty()) {
    return bad("unexpected token");
  }
  if (!s.empty()) return bad("unexpected token");
  errno = 0;
  F f;
  if constexpr (kBits == 32) f = std::strtof(clean.c_str(), nullptr);
  else f = std::strtod(clean.c_str(), nullptr);
  if (std::isinf(f)) return bad(type_name(kBits, true) + " constant out of range");
  U bits;
  std::memcpy(&bits, &f, sizeof bits);
  n.bits = bits;
  return n;
}

}  // namespace

bool wat_looks_unsigned(std::string_view text) {
  uint64_t v = 0;
  bool overflow = false;
  return parse_magnitude(text, v, overflow);
}

WatNumber wat_parse_unsigned(std::string_view text, unsigned bits) {
  uint64_t v = 0;
  bool overflow = false;
  if (!parse_magnitude(text, v, overflow)) return bad("unexpected token");
  if (overflow || (bits < 64 && v >> bits)) return bad(type_name(bits, false) + " constant out of range");
  WatNumber n;
  n.bits = v;
  return n;
}

WatNumber wat_parse_int(std::string_view text, unsigned bits) {
  bool neg = false;
  std::string_view s = text;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t v = 0;
  bool overflow = false;
  if (!parse_magnitude(s, v, overflow)) return bad("unexpected token");
  std::string range = type_name(bits, false) + " constant out of range";
  if (overflow) return bad(range);
  uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t(1) << bits) - 1;
  WatNumber n;
  if (neg) {
    if (v > (uint64_t(1) << (bits - 1))) return bad(range);
    n.bits = (0 - v) & mask;
  } else {
    if (v > mask) return bad(range);
    n.bits = v;
  }
  return n;
}

WatNumber wat_parse_f32(std::string_view text) { return parse_float<float, uint32_t>(text); }
WatNumber wat_parse_f64(std::string_view text) { return parse_float<double, uint64_t>(text); }

}  // namespace ipvm::wasm
