// Runtime values as plain data: a type tag plus the value's bit pattern.
//
// Numbers are kept as bits so NaN payloads survive every copy (the engine never converts a float
// through the FPU unless the instruction is arithmetic). References are plain integers too, so the
// whole state of a store (stacks, tables, globals) can be serialized without pointer fix-ups:
//   funcref:   0 = null, else 1 + the function's id in its Store (Store::func(id)).
//   externref: 0 = null, else 1 + the host's 64-bit value.
// v128 is reserved (hi holds the upper half) so SIMD can be added without changing the layout.
#pragma once

#include <bit>
#include <cstdint>
#include <string>

#include "wasm/module.h"

namespace ipvm::wasm {

struct Value {
  ValType type = ValType::kI32;
  uint64_t bits = 0;
  uint64_t hi = 0;  // v128 upper half (SIMD not executed yet)

  static Value i32(uint32_t v) { return {ValType::kI32, v, 0}; }
  static Value i64(uint64_t v) { return {ValType::kI64, v, 0}; }
  static Value f32_bits(uint32_t v) { return {ValType::kF32, v, 0}; }
  static Value f64_bits(uint64_t v) { return {ValType::kF64, v, 0}; }
  static Value f32(float v) { return f32_bits(std::bit_cast<uint32_t>(v)); }
  static Value f64(double v) { return f64_bits(std::bit_cast<uint64_t>(v)); }
  static Value null(ValType ref_type) { return {ref_type, 0, 0}; }
  // A funcref to the function with this id in its store.
  static Value funcref(uint32_t func_id) { return {ValType::kFuncRef, uint64_t{func_id} + 1, 0}; }
  // A non-null externref carrying an arbitrary host value.
  static Value externref(uint64_t host_value) { return {ValType::kExternRef, host_value + 1, 0}; }

  uint32_t as_u32() const { return static_cast<uint32_t>(bits); }
  int32_t as_i32() const { return static_cast<int32_t>(bits); }
  uint64_t as_u64() const { return bits; }
  int64_t as_i64() const { return static_cast<int64_t>(bits); }
  float as_f32() const { return std::bit_cast<float>(static_cast<uint32_t>(bits)); }
  double as_f64() const { return std::bit_cast<double>(bits); }
  bool is_null() const { return bits == 0; }             // reference types only
  uint32_t func_id() const { return static_cast<uint32_t>(bits - 1); }  // non-null funcref
  uint64_t extern_value() const { return bits - 1; }     // non-null externref

  // "i32:42", "f64:0x7ff8000000000000 (nan)", "funcref:null": for messages and the CLI.
  std::string to_string() const;

  // Bit-exact equality (NaNs with equal payloads are equal; +0 != -0).
  friend bool operator==(const Value& a, const Value& b) {
    return a.type == b.type && a.bits == b.bits && a.hi == b.hi;
  }
};

// The zero value of a type (0, +0.0, null reference): what locals and new table slots hold.
inline Value default_value(ValType t) { return Value{t, 0, 0}; }

// Number of bits of the value that are significant when stored in a 64-bit slot.
inline bool is_numeric(ValType t) {
  return t == ValType::kI32 || t == ValType::kI64 || t == ValType::kF32 || t == ValType::kF64;
}

}  // namespace ipvm::wasm
