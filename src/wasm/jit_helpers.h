// Out-of-line helpers the JIT calls for numeric ops it has no inline template for (float min/max,
// rounding, bit counts, 64-bit unsigned conversions, trapping and saturating truncations). Each
// computes exactly what the interpreter's handler stores in the destination slot (the same
// expressions from ops.h, see jit_numeric.h). Engine-internal.
#pragma once

#include <cstdint>

#include "wasm/ops.h"

namespace ipvm::wasm {

using JitBinHelper = uint64_t (*)(uint64_t a, uint64_t b);
using JitUnHelper = uint64_t (*)(uint64_t a);
struct JitTruncResult {
  uint64_t value;
  uint64_t trap;  // 0, or TrapKind + 1
};
using JitTruncHelper = JitTruncResult (*)(uint64_t a);

// The helper for a binary (IPVM_BINOPS), unary (IPVM_UNOPS, IPVM_TRUNC_SATS) or trapping
// conversion (IPVM_TRUNCS) op; nullptr for any other op.
JitBinHelper jit_bin_helper(IOp op);
JitUnHelper jit_un_helper(IOp op);
JitTruncHelper jit_trunc_helper(IOp op);

}  // namespace ipvm::wasm
