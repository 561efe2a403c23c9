#include "wasm/jit_helpers.h"

#include <bit>
#include <cmath>

#include "wasm/jit_numeric.h"
#include "wasm/trap.h"

namespace ipvm::wasm {
namespace {

using namespace numeric_types;

// Slot bits -> operand, and result -> slot bits, exactly as the interpreter's GET_/PUT_ macros.
#define JH_GET_u32(x) static_cast<uint32_t>(x)
#define JH_GET_s32(x) static_cast<int32_t>(static_cast<uint32_t>(x))
#define JH_GET_u64(x) (x)
#define JH_GET_s64(x) static_cast<int64_t>(x)
#define JH_GET_f32(x) std::bit_cast<float>(static_cast<uint32_t>(x))
#define JH_GET_f64(x) std::bit_cast<double>(x)
#define JH_PUT_R32(v) static_cast<uint64_t>(static_cast<uint32_t>(v))
#define JH_PUT_R64(v) static_cast<uint64_t>(v)
#define JH_PUT_F32(v) canon_f32(v)
#define JH_PUT_F64(v) canon_f64(v)
#define JH_PUT_s32(v) JH_PUT_R32(static_cast<int32_t>(v))
#define JH_PUT_u32(v) JH_PUT_R32(static_cast<uint32_t>(v))
#define JH_PUT_s64(v) JH_PUT_R64(static_cast<int64_t>(v))
#define JH_PUT_u64(v) JH_PUT_R64(static_cast<uint64_t>(v))

#define JH_BIN(Name, op, T, R, expr)           \
  uint64_t bin_##Name(uint64_t x, uint64_t y) { \
    T a = JH_GET_##T(x);                        \
    T b = JH_GET_##T(y);                        \
    return JH_PUT_##R(expr);                    \
  }
IPVM_BINOPS(JH_BIN)
#undef JH_BIN

#define JH_UN(Name, op, T, R, expr) \
  uint64_t un_##Name(uint64_t x) {  \
    T a = JH_GET_##T(x);            \
    return JH_PUT_##R(expr);        \
  }
IPVM_UNOPS(JH_UN)
#undef JH_UN

#define JH_SAT(Name, op, FT, IT)                        \
  uint64_t un_##Name(uint64_t x) {                      \
    FT a = JH_GET_##FT(x);                              \
    return JH_PUT_##IT((trunc_sat<IT, FT>(a)));         \
  }
IPVM_TRUNC_SATS(JH_SAT)
#undef JH_SAT

#define JH_TRUNC(Name, op, FT, IT, lo, hi)                                                  \
  JitTruncResult trunc_##Name(uint64_t bits) {                                             \
    FT x = JH_GET_##FT(bits);                                                              \
    if (x != x) return {0, static_cast<uint64_t>(TrapKind::kInvalidConversion) + 1};       \
    if (!(x > (lo) && x < (hi))) return {0, static_cast<uint64_t>(TrapKind::kIntegerOverflow) + 1}; \
    return {JH_PUT_##IT(static_cast<IT>(x)), 0};                                           \
  }
IPVM_TRUNCS(JH_TRUNC)
#undef JH_TRUNC

}  // namespace

JitBinHelper jit_bin_helper(IOp op) {
  switch (op) {
#define JH_CASE(Name, ...) \
  case IOp::k##Name:       \
    return &bin_##Name;
    IPVM_BINOPS(JH_CASE)
#undef JH_CASE
    default:
      return nullptr;
  }
}

JitUnHelper jit_un_helper(IOp op) {
  switch (op) {
#define JH_CASE(Name, ...) \
  case IOp::k##Name:       \
    return &un_##Name;
    IPVM_UNOPS(JH_CASE)
    IPVM_TRUNC_SATS(JH_CASE)
#undef JH_CASE
    default:
      return nullptr;
  }
}

JitTruncHelper jit_trunc_helper(IOp op) {
  switch (op) {
#define JH_CASE(Name, ...) \
  case IOp::k##Name:       \
    return &trunc_##Name;
    IPVM_TRUNCS(JH_CASE)
#undef JH_CASE
    default:
      return nullptr;
  }
}

}  // namespace ipvm::wasm
