// WebAssembly 2.0 instruction encoding: opcode constants for every non-SIMD instruction (single byte
// and 0xFC-prefixed), plus readers for the immediates shared by validator and compiler.
//
// The X-macro lists let users generate tables (names, handlers, costs): X(Name, code, "text").
// SIMD (prefix 0xFD) is reserved: validators reject it with "SIMD not supported yet"; a future
// IPVM_WASM_FD_OPCODES list can slot in next to the 0xFC one.
#pragma once

#include <cstdint>

#include "wasm/leb128.h"
#include "wasm/module.h"

namespace ipvm::wasm {

#define IPVM_WASM_OPCODES(X) \
  X(Unreachable, 0x00, "unreachable") \
  X(Nop, 0x01, "nop") \
  X(Block, 0x02, "block") \
  X(Loop, 0x03, "loop") \
  X(If, 0x04, "if") \
  X(Else, 0x05, "else") \
  X(End, 0x0b, "end") \
  X(Br, 0x0c, "br") \
  X(BrIf, 0x0d, "br_if") \
  X(BrTable, 0x0e, "br_table") \
  X(Return, 0x0f, "return") \
  X(Call, 0x10, "call") \
  X(CallIndirect, 0x11, "call_indirect") \
  X(Drop, 0x1a, "drop") \
  X(Select, 0x1b, "select") \
  X(SelectT, 0x1c, "select") \
  X(LocalGet, 0x20, "local.get") \
  X(LocalSet, 0x21, "local.set") \
  X(LocalTee, 0x22, "local.tee") \
  X(GlobalGet, 0x23, "global.get") \
  X(GlobalSet, 0x24, "global.set") \
  X(TableGet, 0x25, "table.get") \
  X(TableSet, 0x26, "table.set") \
  X(I32Load, 0x28, "i32.load") \
  X(I64Load, 0x29, "i64.load") \
  X(F32Load, 0x2a, "f32.load") \
  X(F64Load, 0x2b, "f64.load") \
  X(I32Load8S, 0x2c, "i32.load8_s") \
  X(I32Load8U, 0x2d, "i32.load8_u") \
  X(I32Load16S, 0x2e, "i32.load16_s") \
  X(I32Load16U, 0x2f, "i32.load16_u") \
  X(I64Load8S, 0x30, "i64.load8_s") \
  X(I64Load8U, 0x31, "i64.load8_u") \
  X(I64Load16S, 0x32, "i64.load16_s") \
  X(I64Load16U, 0x33, "i64.load16_u") \
  X(I64Load32S, 0x34, "i64.load32_s") \
  X(I64Load32U, 0x35, "i64.load32_u") \
  X(I32Store, 0x36, "i32.store") \
  X(I64Store, 0x37, "i64.store") \
  X(F32Store, 0x38, "f32.store") \
  X(F64Store, 0x39, "f64.store") \
  X(I32Store8, 0x3a, "i32.store8") \
  X(I32Store16, 0x3b, "i32.store16") \
  X(I64Store8, 0x3c, "i64.store8") \
  X(I64Store16, 0x3d, "i64.store16") \
  X(I64Store32, 0x3e, "i64.store32") \
  X(MemorySize, 0x3f, "memory.size") \
  X(MemoryGrow, 0x40, "memory.grow") \
  X(I32Const, 0x41, "i32.const") \
  X(I64Const, 0x42, "i64.const") \
  X(F32Const, 0x43, "f32.const") \
  X(F64Const, 0x44, "f64.const") \
  X(I32Eqz, 0x45, "i32.eqz") \
  X(I32Eq, 0x46, "i32.eq") \
  X(I32Ne, 0x47, "i32.ne") \
  X(I32LtS, 0x48, "i32.lt_s") \
  X(I32LtU, 0x49, "i32.lt_u") \
  X(I32GtS, 0x4a, "i32.gt_s") \
  X(I32GtU, 0x4b, "i32.gt_u") \
  X(I32LeS, 0x4c, "i32.le_s") \
  X(I32LeU, 0x4d, "i32.le_u") \
  X(I32GeS, 0x4e, "i32.ge_s") \
  X(I32GeU, 0x4f, "i32.ge_u") \
  X(I64Eqz, 0x50, "i64.eqz") \
  X(I64Eq, 0x51, "i64.eq") \
  X(I64Ne, 0x52, "i64.ne") \
  X(I64LtS, 0x53, "i64.lt_s") \
  X(I64LtU, 0x54, "i64.lt_u") \
  X(I64GtS, 0x55, "i64.gt_s") \
  X(I64GtU, 0x56, "i64.gt_u") \
  X(I64LeS, 0x57, "i64.le_s") \
  X(I64LeU, 0x58, "i64.le_u") \
  X(I64GeS, 0x59, "i64.ge_s") \
  X(I64GeU, 0x5a, "i64.ge_u") \
  X(F32Eq, 0x5b, "f32.eq") \
  X(F32Ne, 0x5c, "f32.ne") \
  X(F32Lt, 0x5d, "f32.lt") \
  X(F32Gt, 0x5e, "f32.gt") \
  X(F32Le, 0x5f, "f32.le") \
  X(F32Ge, 0x60, "f32.ge") \
  X(F64Eq, 0x61, "f64.eq") \
  X(F64Ne, 0x62, "f64.ne") \
  X(F64Lt, 0x63, "f64.lt") \
  X(F64Gt, 0x64, "f64.gt") \
  X(F64Le, 0x65, "f64.le") \
  X(F64Ge, 0x66, "f64.ge") \
  X(I32Clz, 0x67, "i32.clz") \
  X(I32Ctz, 0x68, "i32.ctz") \
  X(I32Popcnt, 0x69, "i32.popcnt") \
  X(I32Add, 0x6a, "i32.add") \
  X(I32Sub, 0x6b, "i32.sub") \
  X(I32Mul, 0x6c, "i32.mul") \
  X(I32DivS, 0x6d, "i32.div_s") \
  X(I32DivU, 0x6e, "i32.div_u") \
  X(I32RemS, 0x6f, "i32.rem_s") \
  X(I32RemU, 0x70, "i32.rem_u") \
  X(I32And, 0x71, "i32.and") \
  X(I32Or, 0x72, "i32.or") \
  X(I32Xor, 0x73, "i32.xor") \
  X(I32Shl, 0x74, "i32.shl") \
  X(I32ShrS, 0x75, "i32.shr_s") \
  X(I32ShrU, 0x76, "i32.shr_u") \
  X(I32Rotl, 0x77, "i32.rotl") \
  X(I32Rotr, 0x78, "i32.rotr") \
  X(I64Clz, 0x79, "i64.clz") \
  X(I64Ctz, 0x7a, "i64.ctz") \
  X(I64Popcnt, 0x7b, "i64.popcnt") \
  X(I64Add, 0x7c, "i64.add") \
  X(I64Sub, 0x7d, "i64.sub") \
  X(I64Mul, 0x7e, "i64.mul") \
  X(I64DivS, 0x7f, "i64.div_s") \
  X(I64DivU, 0x80, "i64.div_u") \
  X(I64RemS, 0x81, "i64.rem_s") \
  X(I64RemU, 0x82, "i64.rem_u") \
  X(I64And, 0x83, "i64.and") \
  X(I64Or, 0x84, "i64.or") \
  X(I64Xor, 0x85, "i64.xor") \
  X(I64Shl, 0x86, "i64.shl") \
  X(I64ShrS, 0x87, "i64.shr_s") \
  X(I64ShrU, 0x88, "i64.shr_u") \
  X(I64Rotl, 0x89, "i64.rotl") \
  X(I64Rotr, 0x8a, "i64.rotr") \
  X(F32Abs, 0x8b, "f32.abs") \
  X(F32Neg, 0x8c, "f32.neg") \
  X(F32Ceil, 0x8d, "f32.ceil") \
  X(F32Floor, 0x8e, "f32.floor") \
  X(F32Trunc, 0x8f, "f32.trunc") \
  X(F32Nearest, 0x90, "f32.nearest") \
  X(F32Sqrt, 0x91, "f32.sqrt") \
  X(F32Add, 0x92, "f32.add") \
  X(F32Sub, 0x93, "f32.sub") \
  X(F32Mul, 0x94, "f32.mul") \
  X(F32Div, 0x95, "f32.div") \
  X(F32Min, 0x96, "f32.min") \
  X(F32Max, 0x97, "f32.max") \
  X(F32Copysign, 0x98, "f32.copysign") \
  X(F64Abs, 0x99, "f64.abs") \
  X(F64Neg, 0x9a, "f64.neg") \
  X(F64Ceil, 0x9b, "f64.ceil") \
  X(F64Floor, 0x9c, "f64.floor") \
  X(F64Trunc, 0x9d, "f64.trunc") \
  X(F64Nearest, 0x9e, "f64.nearest") \
  X(F64Sqrt, 0x9f, "f64.sqrt") \
  X(F64Add, 0xa0, "f64.add") \
  X(F64Sub, 0xa1, "f64.sub") \
  X(F64Mul, 0xa2, "f64.mul") \
  X(F64Div, 0xa3, "f64.div") \
  X(F64Min, 0xa4, "f64.min") \
  X(F64Max, 0xa5, "f64.max") \
  X(F64Copysign, 0xa6, "f64.copysign") \
  X(I32WrapI64, 0xa7, "i32.wrap_i64") \
  X(I32TruncF32S, 0xa8, "i32.trunc_f32_s") \
  X(I32TruncF32U, 0xa9, "i32.trunc_f32_u") \
  X(I32TruncF64S, 0xaa, "i32.trunc_f64_s") \
  X(I32TruncF64U, 0xab, "i32.trunc_f64_u") \
  X(I64ExtendI32S, 0xac, "i64.extend_i32_s") \
  X(I64ExtendI32U, 0xad, "i64.extend_i32_u") \
  X(I64TruncF32S, 0xae, "i64.trunc_f32_s") \
  X(I64TruncF32U, 0xaf, "i64.trunc_f32_u") \
  X(I64TruncF64S, 0xb0, "i64.trunc_f64_s") \
  X(I64TruncF64U, 0xb1, "i64.trunc_f64_u") \
  X(F32ConvertI32S, 0xb2, "f32.convert_i32_s") \
  X(F32ConvertI32U, 0xb3, "f32.convert_i32_u") \
  X(F32ConvertI64S, 0xb4, "f32.convert_i64_s") \
  X(F32ConvertI64U, 0xb5, "f32.convert_i64_u") \
  X(F32DemoteF64, 0xb6, "f32.demote_f64") \
  X(F64ConvertI32S, 0xb7, "f64.convert_i32_s") \
  X(F64ConvertI32U, 0xb8, "f64.convert_i32_u") \
  X(F64ConvertI64S, 0xb9, "f64.convert_i64_s") \
  X(F64ConvertI64U, 0xba, "f64.convert_i64_u") \
  X(F64PromoteF32, 0xbb, "f64.promote_f32") \
  X(I32ReinterpretF32, 0xbc, "i32.reinterpret_f32") \
  X(I64ReinterpretF64, 0xbd, "i64.reinterpret_f64") \
  X(F32ReinterpretI32, 0xbe, "f32.reinterpret_i32") \
  X(F64ReinterpretI64, 0xbf, "f64.reinterpret_i64") \
  X(I32Extend8S, 0xc0, "i32.extend8_s") \
  X(I32Extend16S, 0xc1, "i32.extend16_s") \
  X(I64Extend8S, 0xc2, "i64.extend8_s") \
  X(I64Extend16S, 0xc3, "i64.extend16_s") \
  X(I64Extend32S, 0xc4, "i64.extend32_s") \
  X(RefNull, 0xd0, "ref.null") \
  X(RefIsNull, 0xd1, "ref.is_null") \
  X(RefFunc, 0xd2, "ref.func") \

#define IPVM_WASM_FC_OPCODES(X) \
  X(I32TruncSatF32S, 0, "i32.trunc_sat_f32_s") \
  X(I32TruncSatF32U, 1, "i32.trunc_sat_f32_u") \
  X(I32TruncSatF64S, 2, "i32.trunc_sat_f64_s") \
  X(I32TruncSatF64U, 3, "i32.trunc_sat_f64_u") \
  X(I64TruncSatF32S, 4, "i64.trunc_sat_f32_s") \
  X(I64TruncSatF32U, 5, "i64.trunc_sat_f32_u") \
  X(I64TruncSatF64S, 6, "i64.trunc_sat_f64_s") \
  X(I64TruncSatF64U, 7, "i64.trunc_sat_f64_u") \
  X(MemoryInit, 8, "memory.init") \
  X(DataDrop, 9, "data.drop") \
  X(MemoryCopy, 10, "memory.copy") \
  X(MemoryFill, 11, "memory.fill") \
  X(TableInit, 12, "table.init") \
  X(ElemDrop, 13, "elem.drop") \
  X(TableCopy, 14, "table.copy") \
  X(TableGrow, 15, "table.grow") \
  X(TableSize, 16, "table.size") \
  X(TableFill, 17, "table.fill") \

enum class Op : uint8_t {
#define IPVM_X(name, code, text) k##name = code,
  IPVM_WASM_OPCODES(IPVM_X)
#undef IPVM_X
};

inline constexpr uint8_t kPrefixFC = 0xfc;  // saturating truncation, bulk memory, table ops
inline constexpr uint8_t kPrefixSimd = 0xfd;

// Sub-opcodes after 0xFC (encoded as u32 LEB128).
enum class OpFC : uint32_t {
#define IPVM_X(name, code, text) k##name = code,
  IPVM_WASM_FC_OPCODES(IPVM_X)
#undef IPVM_X
};

// Text names ("i32.add"); nullptr for an unassigned code.
const char* opcode_name(uint8_t code);
const char* fc_opcode_name(uint32_t code);

// --- Immediates -------------------------------------------------------------------------------

// A value type byte (v128 included, so SIMD modules' types decode). Malformed on anything else.
bool read_val_type(Reader& r, ValType& out);
// A reference type byte (funcref / externref).
bool read_ref_type(Reader& r, ValType& out);

// blocktype: empty (0x40), one value type, or a type index (s33 >= 0).
struct BlockType {
  enum class Kind : uint8_t { kEmpty, kValue, kIndex };
  Kind kind = Kind::kEmpty;
  ValType value = ValType::kI32;  // kValue
  uint32_t index = 0;             // kIndex: type index, validated by the validator
};
bool read_block_type(Reader& r, BlockType& out);

// memarg: alignment exponent then offset (u32 each in Wasm 2.0).
struct MemArg {
  uint32_t align = 0;
  uint32_t offset = 0;
};
inline bool read_memarg(Reader& r, MemArg& out) { return r.read_u32(out.align) && r.read_u32(out.offset); }

// Natural alignment exponent of a load/store opcode (log2 of its access size); -1 if not a memory op.
int natural_alignment(uint8_t code);

}  // namespace ipvm::wasm
