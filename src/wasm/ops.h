// The internal instruction set (see code.h for the encoding). Engine-internal.
//
// Operand notation in comments: d = destination slot, a/b/c = source slots, all frame-relative.
// Pure numeric instructions come from X-lists that carry their wasm opcode and semantics, so the
// compiler maps opcodes to them by table and the interpreter generates their handlers.
#pragma once

#include <cstdint>

namespace ipvm::wasm {

// Binary numeric ops: X(Name, wasm opcode, operand type, result kind, expression of a and b).
// Operand types: u32 s32 u64 s64 f32 f64. Result kinds: R32/R64 (integer bits), F32/F64 (float,
// NaN results canonicalized). Float bit manipulations (abs/neg/copysign) are integer ops on bits.
#define IPVM_BINOPS(X)                                       \
  X(I32Eq, 0x46, u32, R32, a == b)                           \
  X(I32Ne, 0x47, u32, R32, a != b)                           \
  X(I32LtS, 0x48, s32, R32, a < b)                           \
  X(I32LtU, 0x49, u32, R32, a < b)                           \
  X(I32GtS, 0x4a, s32, R32, a > b)                           \
  X(I32GtU, 0x4b, u32, R32, a > b)                           \
  X(I32LeS, 0x4c, s32, R32, a <= b)                          \
  X(I32LeU, 0x4d, u32, R32, a <= b)                          \
  X(I32GeS, 0x4e, s32, R32, a >= b)                          \
  X(I32GeU, 0x4f, u32, R32, a >= b)                          \
  X(I64Eq, 0x51, u64, R32, a == b)                           \
  X(I64Ne, 0x52, u64, R32, a != b)                           \
  X(I64LtS, 0x53, s64, R32, a < b)                           \
  X(I64LtU, 0x54, u64, R32, a < b)                           \
  X(I64GtS, 0x55, s64, R32, a > b)                           \
  X(I64GtU, 0x56, u64, R32, a > b)                           \
  X(I64LeS, 0x57, s64, R32, a <= b)                          \
  X(I64LeU, 0x58, u64, R32, a <= b)                          \
  X(I64GeS, 0x59, s64, R32, a >= b)                          \
  X(I64GeU, 0x5a, u64, R32, a >= b)                          \
  X(F32Eq, 0x5b, f32, R32, a == b)                           \
  X(F32Ne, 0x5c, f32, R32, a != b)                           \
  X(F32Lt, 0x5d, f32, R32, a < b)                            \
  X(F32Gt, 0x5e, f32, R32, a > b)                            \
  X(F32Le, 0x5f, f32, R32, a <= b)                           \
  X(F32Ge, 0x60, f32, R32, a >= b)                           \
  X(F64Eq, 0x61, f64, R32, a == b)                           \
  X(F64Ne, 0x62, f64, R32, a != b)                           \
  X(F64Lt, 0x63, f64, R32, a < b)                            \
  X(F64Gt, 0x64, f64, R32, a > b)                            \
  X(F64Le, 0x65, f64, R32, a <= b)                           \
  X(F64Ge, 0x66, f64, R32, a >= b)                           \
  X(I32Add, 0x6a, u32, R32, a + b)                           \
  X(I32Sub, 0x6b, u32, R32, a - b)                           \
  X(I32Mul, 0x6c, u32, R32, a * b)                           \
  X(I32And, 0x71, u32, R32, a & b)                           \
  X(I32Or, 0x72, u32, R32, a | b)                            \
  X(I32Xor, 0x73, u32, R32, a ^ b)                           \
  X(I32Shl, 0x74, u32, R32, a << (b & 31))                   \
  X(I32ShrS, 0x75, s32, R32, a >> (b & 31))                  \
  X(I32ShrU, 0x76, u32, R32, a >> (b & 31))                  \
  X(I32Rotl, 0x77, u32, R32, std::rotl(a, static_cast<int>(b & 31)))  \
  X(I32Rotr, 0x78, u32, R32, std::rotr(a, static_cast<int>(b & 31)))  \
  X(I64Add, 0x7c, u64, R64, a + b)                           \
  X(I64Sub, 0x7d, u64, R64, a - b)                           \
  X(I64Mul, 0x7e, u64, R64, a * b)                           \
  X(I64And, 0x83, u64, R64, a & b)                           \
  X(I64Or, 0x84, u64, R64, a | b)                            \
  X(I64Xor, 0x85, u64, R64, a ^ b)                           \
  X(I64Shl, 0x86, u64, R64, a << (b & 63))                   \
  X(I64ShrS, 0x87, s64, R64, a >> (b & 63))                  \
  X(I64ShrU, 0x88, u64, R64, a >> (b & 63))                  \
  X(I64Rotl, 0x89, u64, R64, std::rotl(a, static_cast<int>(b & 63)))  \
  X(I64Rotr, 0x8a, u64, R64, std::rotr(a, static_cast<int>(b & 63)))  \
  X(F32Add, 0x92, f32, F32, a + b)                           \
  X(F32Sub, 0x93, f32, F32, a - b)                           \
  X(F32Mul, 0x94, f32, F32, a * b)                           \
  X(F32Div, 0x95, f32, F32, a / b)                           \
  X(F32Min, 0x96, f32, F32, wasm_fmin(a, b))                 \
  X(F32Max, 0x97, f32, F32, wasm_fmax(a, b))                 \
  X(F32Copysign, 0x98, u32, R32, (a & 0x7fffffffu) | (b & 0x80000000u)) \
  X(F64Add, 0xa0, f64, F64, a + b)                           \
  X(F64Sub, 0xa1, f64, F64, a - b)                           \
  X(F64Mul, 0xa2, f64, F64, a * b)                           \
  X(F64Div, 0xa3, f64, F64, a / b)                           \
  X(F64Min, 0xa4, f64, F64, wasm_fmin(a, b))                 \
  X(F64Max, 0xa5, f64, F64, wasm_fmax(a, b))                 \
  X(F64Copysign, 0xa6, u64, R64, (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull))

// Integer compares that fuse with a following br_if/if: X(Name, operand type, expression).
#define IPVM_CMPOPS(X)                \
  X(I32Eq, u32, a == b)               \
  X(I32Ne, u32, a != b)               \
  X(I32LtS, s32, a < b)               \
  X(I32LtU, u32, a < b)               \
  X(I32GtS, s32, a > b)               \
  X(I32GtU, u32, a > b)               \
  X(I32LeS, s32, a <= b)              \
  X(I32LeU, u32, a <= b)              \
  X(I32GeS, s32, a >= b)              \
  X(I32GeU, u32, a >= b)              \
  X(I64Eq, u64, a == b)               \
  X(I64Ne, u64, a != b)               \
  X(I64LtS, s64, a < b)               \
  X(I64LtU, u64, a < b)               \
  X(I64GtS, s64, a > b)               \
  X(I64GtU, u64, a > b)               \
  X(I64LeS, s64, a <= b)              \
  X(I64LeU, u64, a <= b)              \
  X(I64GeS, s64, a >= b)              \
  X(I64GeU, u64, a >= b)

// Integer binary ops with an immediate right operand (32-bit; sign-extended for 64-bit ops):
// X(Name, operand type, result kind, expression).
#define IPVM_IMMOPS(X)                                        \
  X(I32Add, u32, R32, a + b)                                  \
  X(I32Sub, u32, R32, a - b)                                  \
  X(I32Mul, u32, R32, a * b)                                  \
  X(I32And, u32, R32, a & b)                                  \
  X(I32Or, u32, R32, a | b)                                   \
  X(I32Xor, u32, R32, a ^ b)                                  \
  X(I32Shl, u32, R32, a << (b & 31))                          \
  X(I32ShrS, s32, R32, a >> (b & 31))                         \
  X(I32ShrU, u32, R32, a >> (b & 31))                         \
  X(I32Rotl, u32, R32, std::rotl(a, static_cast<int>(b & 31))) \
  X(I32Rotr, u32, R32, std::rotr(a, static_cast<int>(b & 31))) \
  X(I32Eq, u32, R32, a == b)                                  \
  X(I32Ne, u32, R32, a != b)                                  \
  X(I32LtS, s32, R32, a < b)                                  \
  X(I32LtU, u32, R32, a < b)                                  \
  X(I32GtS, s32, R32, a > b)                                  \
  X(I32GtU, u32, R32, a > b)                                  \
  X(I32LeS, s32, R32, a <= b)                                 \
  X(I32LeU, u32, R32, a <= b)                                 \
  X(I32GeS, s32, R32, a >= b)                                 \
  X(I32GeU, u32, R32, a >= b)                                 \
  X(I64Add, u64, R64, a + b)                                  \
  X(I64Sub, u64, R64, a - b)                                  \
  X(I64Mul, u64, R64, a * b)                                  \
  X(I64And, u64, R64, a & b)                                  \
  X(I64Or, u64, R64, a | b)                                   \
  X(I64Xor, u64, R64, a ^ b)                                  \
  X(I64Shl, u64, R64, a << (b & 63))                          \
  X(I64ShrS, s64, R64, a >> (b & 63))                         \
  X(I64ShrU, u64, R64, a >> (b & 63))                         \
  X(I64Rotl, u64, R64, std::rotl(a, static_cast<int>(b & 63))) \
  X(I64Rotr, u64, R64, std::rotr(a, static_cast<int>(b & 63))) \
  X(I64Eq, u64, R32, a == b)                                  \
  X(I64Ne, u64, R32, a != b)                                  \
  X(I64LtS, s64, R32, a < b)                                  \
  X(I64LtU, u64, R32, a < b)                                  \
  X(I64GtS, s64, R32, a > b)                                  \
  X(I64GtU, u64, R32, a > b)                                  \
  X(I64LeS, s64, R32, a <= b)                                 \
  X(I64LeU, u64, R32, a <= b)                                 \
  X(I64GeS, s64, R32, a >= b)                                 \
  X(I64GeU, u64, R32, a >= b)

// Unary numeric ops: X(Name, wasm opcode, operand type, result kind, expression of a).
#define IPVM_UNOPS(X)                                                     \
  X(I32Eqz, 0x45, u32, R32, a == 0)                                       \
  X(I64Eqz, 0x50, u64, R32, a == 0)                                       \
  X(I32Clz, 0x67, u32, R32, std::countl_zero(a))                          \
  X(I32Ctz, 0x68, u32, R32, std::countr_zero(a))                          \
  X(I32Popcnt, 0x69, u32, R32, std::popcount(a))                          \
  X(I64Clz, 0x79, u64, R64, std::countl_zero(a))                          \
  X(I64Ctz, 0x7a, u64, R64, std::countr_zero(a))                          \
  X(I64Popcnt, 0x7b, u64, R64, std::popcount(a))                          \
  X(F32Abs, 0x8b, u32, R32, a & 0x7fffffffu)                              \
  X(F32Neg, 0x8c, u32, R32, a ^ 0x80000000u)                              \
  X(F32Ceil, 0x8d, f32, F32, std::ceil(a))                                \
  X(F32Floor, 0x8e, f32, F32, std::floor(a))                              \
  X(F32Trunc, 0x8f, f32, F32, std::trunc(a))                              \
  X(F32Nearest, 0x90, f32, F32, std::nearbyint(a))                        \
  X(F32Sqrt, 0x91, f32, F32, std::sqrt(a))                                \
  X(F64Abs, 0x99, u64, R64, a & 0x7fffffffffffffffull)                    \
  X(F64Neg, 0x9a, u64, R64, a ^ 0x8000000000000000ull)                    \
  X(F64Ceil, 0x9b, f64, F64, std::ceil(a))                                \
  X(F64Floor, 0x9c, f64, F64, std::floor(a))                              \
  X(F64Trunc, 0x9d, f64, F64, std::trunc(a))                              \
  X(F64Nearest, 0x9e, f64, F64, std::nearbyint(a))                        \
  X(F64Sqrt, 0x9f, f64, F64, std::sqrt(a))                                \
  X(I32WrapI64, 0xa7, u64, R32, static_cast<uint32_t>(a))                 \
  X(I64ExtendI32S, 0xac, s32, R64, static_cast<int64_t>(a))               \
  X(I64ExtendI32U, 0xad, u32, R64, static_cast<uint64_t>(a))              \
  X(F32ConvertI32S, 0xb2, s32, F32, static_cast<float>(a))                \
  X(F32ConvertI32U, 0xb3, u32, F32, static_cast<float>(a))                \
  X(F32ConvertI64S, 0xb4, s64, F32, static_cast<float>(a))                \
  X(F32ConvertI64U, 0xb5, u64, F32, static_cast<float>(a))                \
  X(F32DemoteF64, 0xb6, f64, F32, static_cast<float>(a))                  \
  X(F64ConvertI32S, 0xb7, s32, F64, static_cast<double>(a))               \
  X(F64ConvertI32U, 0xb8, u32, F64, static_cast<double>(a))               \
  X(F64ConvertI64S, 0xb9, s64, F64, static_cast<double>(a))               \
  X(F64ConvertI64U, 0xba, u64, F64, static_cast<double>(a))               \
  X(F64PromoteF32, 0xbb, f32, F64, static_cast<double>(a))                \
  X(I32Extend8S, 0xc0, u32, R32, static_cast<int32_t>(static_cast<int8_t>(a)))    \
  X(I32Extend16S, 0xc1, u32, R32, static_cast<int32_t>(static_cast<int16_t>(a)))  \
  X(I64Extend8S, 0xc2, u64, R64, static_cast<int64_t>(static_cast<int8_t>(a)))    \
  X(I64Extend16S, 0xc3, u64, R64, static_cast<int64_t>(static_cast<int16_t>(a)))  \
  X(I64Extend32S, 0xc4, u64, R64, static_cast<int64_t>(static_cast<int32_t>(a)))

// i32 binary ops whose right operand is a shift or rotate by an immediate of another slot (the
// shift just computed and consumed only here): X(Name, op opcode, shift opcode, expression of a, c
// and the count s). Hashes (sha256's sigma functions) are made of these.
#define IPVM_SHIFTED_OPS(X)                            \
  X(I32XorRotl, 0x73, 0x77, a ^ std::rotl(c, s))        \
  X(I32XorShrU, 0x73, 0x76, a ^ (c >> s))               \
  X(I32XorShl, 0x73, 0x74, a ^ (c << s))                \
  X(I32AddRotl, 0x6a, 0x77, a + std::rotl(c, s))        \
  X(I32AddShrU, 0x6a, 0x76, a + (c >> s))               \
  X(I32AddShl, 0x6a, 0x74, a + (c << s))                \
  X(I32OrRotl, 0x72, 0x77, a | std::rotl(c, s))         \
  X(I32OrShrU, 0x72, 0x76, a | (c >> s))                \
  X(I32OrShl, 0x72, 0x74, a | (c << s))                 \
  X(I32AndShrU, 0x71, 0x76, a & (c >> s))

// Loads: X(Name, wasm opcode, bytes, C type loaded, result kind). Stores: X(Name, opcode, bytes).
#define IPVM_LOADS(X)                      \
  X(I32Load, 0x28, 4, uint32_t, R32)       \
  X(I64Load, 0x29, 8, uint64_t, R64)       \
  X(F32Load, 0x2a, 4, uint32_t, R32)       \
  X(F64Load, 0x2b, 8, uint64_t, R64)       \
  X(I32Load8S, 0x2c, 1, int8_t, R32)       \
  X(I32Load8U, 0x2d, 1, uint8_t, R32)      \
  X(I32Load16S, 0x2e, 2, int16_t, R32)     \
  X(I32Load16U, 0x2f, 2, uint16_t, R32)    \
  X(I64Load8S, 0x30, 1, int8_t, R64)       \
  X(I64Load8U, 0x31, 1, uint8_t, R64)      \
  X(I64Load16S, 0x32, 2, int16_t, R64)     \
  X(I64Load16U, 0x33, 2, uint16_t, R64)    \
  X(I64Load32S, 0x34, 4, int32_t, R64)     \
  X(I64Load32U, 0x35, 4, uint32_t, R64)
#define IPVM_STORES(X)       \
  X(I32Store, 0x36, 4)       \
  X(I64Store, 0x37, 8)       \
  X(F32Store, 0x38, 4)       \
  X(F64Store, 0x39, 8)       \
  X(I32Store8, 0x3a, 1)      \
  X(I32Store16, 0x3b, 2)     \
  X(I64Store8, 0x3c, 1)      \
  X(I64Store16, 0x3d, 2)     \
  X(I64Store32, 0x3e, 4)

// Trapping conversions: X(Name, wasm opcode, float type, int result kind, lower bound exclusive,
// upper bound exclusive): NaN -> "invalid conversion", outside (lo, hi) -> "integer overflow".
#define IPVM_TRUNCS(X)                                                        \
  X(I32TruncF32S, 0xa8, f32, s32, -2147483904.0f, 2147483648.0f)             \
  X(I32TruncF32U, 0xa9, f32, u32, -1.0f, 4294967296.0f)                      \
  X(I32TruncF64S, 0xaa, f64, s32, -2147483649.0, 2147483648.0)               \
  X(I32TruncF64U, 0xab, f64, u32, -1.0, 4294967296.0)                        \
  X(I64TruncF32S, 0xae, f32, s64, -9223373136366403584.0f, 9223372036854775808.0f) \
  X(I64TruncF32U, 0xaf, f32, u64, -1.0f, 18446744073709551616.0f)            \
  X(I64TruncF64S, 0xb0, f64, s64, -9223372036854777856.0, 9223372036854775808.0) \
  X(I64TruncF64U, 0xb1, f64, u64, -1.0, 18446744073709551616.0)
// Saturating conversions (0xFC prefix): X(Name, sub-opcode, float type, int type).
#define IPVM_TRUNC_SATS(X)                    \
  X(I32TruncSatF32S, 0, f32, s32)             \
  X(I32TruncSatF32U, 1, f32, u32)             \
  X(I32TruncSatF64S, 2, f64, s32)             \
  X(I32TruncSatF64U, 3, f64, u32)             \
  X(I64TruncSatF32S, 4, f32, s64)             \
  X(I64TruncSatF32U, 5, f32, u64)             \
  X(I64TruncSatF64S, 6, f64, s64)             \
  X(I64TruncSatF64U, 7, f64, u64)

// Every internal op. Operands listed after each group.
#define IPVM_IOPS(X)                                                                   \
  X(Unreachable)   /* */                                                               \
  X(Fuel)          /* cost */                                                          \
  X(Br)            /* target */                                                        \
  X(BrIfNz)        /* c target */                                                      \
  X(BrIfZ)         /* c target */                                                      \
  X(BrTable)       /* c n target*(n+1): the last is the default */                    \
  X(Copy)          /* d a */                                                           \
  X(CopyN)         /* d a n (forward copy; d < a or disjoint) */                       \
  X(Copy2)         /* d1 a1 d2 a2: two moves in sequence */                            \
  X(Const32)       /* d imm */                                                         \
  X(Const64)       /* d lo hi */                                                       \
  X(Select)        /* d a b c: d = c ? a : b */                                        \
  X(Call)          /* defined-func argbase */                                          \
  X(CallImport)    /* func-index argbase */                                            \
  X(CallIndirect)  /* type table c argbase */                                          \
  X(Ret)           /* a n: results fp[a..a+n) -> fp[0..n) */                           \
  X(GlobalGet)     /* d global */                                                      \
  X(GlobalSet)     /* global a */                                                      \
  X(RefFunc)       /* d func-index */                                                  \
  X(TableGet)      /* d table i */                                                     \
  X(TableSet)      /* table i v */                                                     \
  X(TableSize)     /* d table */                                                       \
  X(TableGrow)     /* d table init n (d = init's slot) */                              \
  X(TableFill)     /* table i v n */                                                   \
  X(TableCopy)     /* dst-table src-table d s n */                                     \
  X(TableInit)     /* table seg d s n */                                               \
  X(ElemDrop)      /* seg */                                                           \
  X(MemorySize)    /* d */                                                             \
  X(MemoryGrow)    /* d n (d = n's slot) */                                            \
  X(MemoryInit)    /* seg d s n */                                                     \
  X(DataDrop)      /* seg */                                                           \
  X(MemoryCopy)    /* d s n */                                                         \
  X(MemoryFill)    /* d v n */                                                         \
  X(I32DivS) X(I32DivU) X(I32RemS) X(I32RemU) /* d a b */                              \
  X(I64DivS) X(I64DivU) X(I64RemS) X(I64RemU) /* d a b */                              \
  IPVM_BINOPS(IPVM_IOP_FROM_LIST5) /* d a b */                                         \
  IPVM_UNOPS(IPVM_IOP_FROM_LIST5)  /* d a */                                           \
  IPVM_LOADS(IPVM_IOP_FROM_LIST5)  /* d a offset */                                    \
  IPVM_STORES(IPVM_IOP_FROM_LIST3) /* a v offset */                                    \
  IPVM_TRUNCS(IPVM_IOP_FROM_LIST6) /* d a */                                           \
  IPVM_TRUNC_SATS(IPVM_IOP_FROM_LIST4) /* d a */                                       \
  IPVM_IMMOPS(IPVM_IOP_IMM)        /* <Name>Imm: d a imm */                            \
  IPVM_CMPOPS(IPVM_IOP_BR)         /* BrIf<Name>[Imm][Loop]: a b|imm target (Loop: charges the loop header's fuel) */ \
  IPVM_LOADS(IPVM_IOP_LOADAI)      /* <Name>AI: d a imm offset: address (u32)(a + imm) + offset */ \
  IPVM_STORES(IPVM_IOP_STOREAI)    /* <Name>AI: a imm v offset */                      \
  IPVM_STORES(IPVM_IOP_STOREK)     /* <Name>K: a k offset; <Name>AIK: a imm k offset (k: sign-extended value) */ \
  X(BrLoop) X(BrIfNzLoop)          /* like Br/BrIfNz to a loop header, charging its fuel */ \
  X(BrIfAndNz) X(BrIfAndZ)         /* a imm target: branch if (a & imm) != 0 / == 0 */ \
  X(I32AddLoad) X(I32AddLoadAI)    /* d a addr offset | d a addr imm offset: d = a + load(...) */ \
  X(F64AddLoad) X(F64AddLoadAI)                                                        \
  X(F64SubLoad) X(F64SubLoadAI)                                                        \
  X(F64MulLoad) X(F64MulLoadAI)                                                        \
  /* Accumulator variants: every value-producing handler also leaves its result in a register  \
     (acc). When the instruction right before (no label between) produced an operand, the       \
     consumer reads it from acc instead of its slot, off the store-to-load path. Same operands. */ \
  IPVM_BINOPS(IPVM_IOP_ACC_AB)     /* <Name>A / <Name>B: a / b from acc */             \
  IPVM_IMMOPS(IPVM_IOP_ACC_IMM)    /* <Name>ImmA: a from acc */                        \
  IPVM_LOADS(IPVM_IOP_ACC_LOAD)    /* <Name>A: the address from acc */                 \
  IPVM_STORES(IPVM_IOP_ACC_STORE)  /* <Name>V / <Name>AIV: the value from acc */       \
  IPVM_CMPOPS(IPVM_IOP_ACC_BR)     /* BrIf<Name>[Imm][Loop]A: a from acc */            \
  X(BrIfNzA) X(BrIfZA) X(BrIfNzLoopA) X(BrIfAndNzA) X(BrIfAndZA) /* the tested value from acc */ \
  X(I32AddLoadA) X(I32AddLoadAIA)  /* <Name>Load[AI]A: the left operand a from acc */    \
  X(F64AddLoadA) X(F64AddLoadAIA)                                                      \
  X(F64SubLoadA) X(F64SubLoadAIA)                                                      \
  X(F64MulLoadA) X(F64MulLoadAIA)                                                      \
  IPVM_UNOPS(IPVM_IOP_ACC_UN)      /* <Name>A: the operand from acc */                 \
  X(SelectA)                       /* the condition c from acc */                      \
  IPVM_SHIFTED_OPS(IPVM_IOP_SHIFTED) /* d a c s: d = a op shift(c, s) */               \
  X(BrIfLoadNz) X(BrIfLoadZ) X(BrIfLoad8UNz) X(BrIfLoad8UZ) /* a offset target: branch on i32.load / load8_u */ \
  X(I32AddImm2)                    /* d1 a1 imm1 d2 a2 imm2: two I32AddImm in sequence (acc: the second) */ \
  X(BrIfLoadNzD) X(BrIfLoadZD) X(BrIfLoad8UNzD) X(BrIfLoad8UZD) /* d a offset target: load into d, branch on it */ \
  IPVM_LOADS(IPVM_IOP_LOADK)       /* <Name>K: d addr offset: a constant address (C globals) */ \
  X(Copy3) X(Copy4)                /* d1 a1 d2 a2 d3 a3 [d4 a4]: moves in sequence */  \
  X(I32AddLoadStore) X(I32AddLoadStoreA) /* <Op>Load[A] that also stores d back to the address read */ \
  X(F64AddLoadStore) X(F64AddLoadStoreA)                                               \
  X(F64SubLoadStore) X(F64SubLoadStoreA)                                               \
  X(F64MulLoadStore) X(F64MulLoadStoreA)

#define IPVM_IOP_IMM(name, a, b, c) X_IOP(name##Imm)
#define IPVM_IOP_BR(name, a, b) X_IOP(BrIf##name) X_IOP(BrIf##name##Imm) X_IOP(BrIf##name##Loop) X_IOP(BrIf##name##ImmLoop)
#define IPVM_IOP_LOADAI(name, a, b, c, d) X_IOP(name##AI)
#define IPVM_IOP_STOREAI(name, a, b) X_IOP(name##AI)
#define IPVM_IOP_STOREK(name, a, b) X_IOP(name##K) X_IOP(name##AIK)
#define IPVM_IOP_ACC_AB(name, a, b, c, d) X_IOP(name##A) X_IOP(name##B)
#define IPVM_IOP_ACC_IMM(name, a, b, c) X_IOP(name##ImmA)
#define IPVM_IOP_ACC_UN(name, a, b, c, d) X_IOP(name##A)
#define IPVM_IOP_SHIFTED(name, a, b, c) X_IOP(name##Imm)
#define IPVM_IOP_LOADK(name, a, b, c, d) X_IOP(name##K)
#define IPVM_IOP_ACC_LOAD(name, a, b, c, d) X_IOP(name##A)
#define IPVM_IOP_ACC_STORE(name, a, b) X_IOP(name##V) X_IOP(name##AIV)
#define IPVM_IOP_ACC_BR(name, a, b) X_IOP(BrIf##name##A) X_IOP(BrIf##name##ImmA) X_IOP(BrIf##name##LoopA) X_IOP(BrIf##name##ImmLoopA)
#define IPVM_IOP_FROM_LIST3(name, a, b) X_IOP(name)
#define IPVM_IOP_FROM_LIST4(name, a, b, c) X_IOP(name)
#define IPVM_IOP_FROM_LIST5(name, a, b, c, d) X_IOP(name)
#define IPVM_IOP_FROM_LIST6(name, a, b, c, d, e) X_IOP(name)

enum class IOp : uint16_t {
#define X_IOP(name) k##name,
#define IPVM_IOP_ENUM(name) k##name,
  IPVM_IOPS(IPVM_IOP_ENUM)
#undef IPVM_IOP_ENUM
#undef X_IOP
  kCount
};

// Handler word for each op (defined by the interpreter; see code.h).
const int32_t* handler_offsets();
inline uint32_t handler_word(IOp op) { return static_cast<uint32_t>(handler_offsets()[static_cast<int>(op)]); }

}  // namespace ipvm::wasm
