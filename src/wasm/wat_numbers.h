// Number literals of the WebAssembly text format (spec 6.3.2): decimal and 0x hex integers with
// optional sign and single underscores between digits; floats in decimal or hex (0x1.8p3), `inf`,
// `nan` and `nan:0xPAYLOAD`.
//
// Each parser takes the token text and returns nullopt-like failure as a short reason ("i32
// constant out of range", "unexpected token") that the caller prefixes with a position. Floats are
// rounded once, to nearest-even, straight to the target width (never via double for f32), and a
// value that rounds to infinity is out of range, as the spec requires.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ipvm::wasm {

// On failure `error` is set and the value is 0.
struct WatNumber {
  uint64_t bits = 0;
  std::string error;  // empty on success
};

// u32 / u64 as used for indices, limits, offset= and align=: no sign allowed.
WatNumber wat_parse_unsigned(std::string_view text, unsigned bits);
// iN for N = 32 / 64: a sign is allowed; the value must lie in [-2^(N-1), 2^N - 1]. Returns the
// two's complement bit pattern in the low N bits.
WatNumber wat_parse_int(std::string_view text, unsigned bits);
// f32 / f64 bit patterns.
WatNumber wat_parse_f32(std::string_view text);
WatNumber wat_parse_f64(std::string_view text);

// True when `text` has the shape of an integer literal (so an index, not a keyword).
bool wat_looks_unsigned(std::string_view text);

}  // namespace ipvm::wasm
