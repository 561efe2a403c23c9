// Numeric semantics shared by the interpreter and the JIT's out-of-line helpers, so both tiers
// compute bit-identical results (NaN canonicalization included). Engine-internal.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace ipvm::wasm {

// The operand type names the op lists in ops.h use (u32 s32 u64 s64 f32 f64).
namespace numeric_types {
using s32 = int32_t;
using u32 = uint32_t;
using s64 = int64_t;
using u64 = uint64_t;
using f32 = float;
using f64 = double;
}  // namespace numeric_types

template <class F>
inline F wasm_fmin(F a, F b) {
  if (a != a || b != b) return std::numeric_limits<F>::quiet_NaN();
  if (a == b) return std::signbit(a) ? a : b;  // min(-0, +0) = -0
  return a < b ? a : b;
}
template <class F>
inline F wasm_fmax(F a, F b) {
  if (a != a || b != b) return std::numeric_limits<F>::quiet_NaN();
  if (a == b) return std::signbit(a) ? b : a;  // max(-0, +0) = +0
  return a > b ? a : b;
}

template <class I, class F>
inline I trunc_sat(F x) {
  if (x != x) return 0;
  const F lo = static_cast<F>(std::numeric_limits<I>::min());
  const F hi = std::is_signed_v<I> ? -lo : static_cast<F>(std::numeric_limits<I>::max()) + F(1);
  if (x <= lo) return std::numeric_limits<I>::min();
  if (x >= hi) return std::numeric_limits<I>::max();
  return static_cast<I>(x);
}

inline uint64_t canon_f32(float r) {
  return r == r ? std::bit_cast<uint32_t>(r) : uint64_t{0x7fc00000u};
}
inline uint64_t canon_f64(double r) { return r == r ? std::bit_cast<uint64_t>(r) : 0x7ff8000000000000ull; }

}  // namespace ipvm::wasm
