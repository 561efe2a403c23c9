#include "wasm/opcodes.h"

#include <array>

namespace ipvm::wasm {

namespace {
constexpr std::array<const char*, 256> make_names() {
  std::array<const char*, 256> names{};
#define IPVM_X(name, code, text) names[code] = text;
  IPVM_WASM_OPCODES(IPVM_X)
#undef IPVM_X
  return names;
}
constexpr std::array<const char*, 256> kNames = make_names();

constexpr std::array<const char*, 18> make_fc_names() {
  std::array<const char*, 18> names{};
#define IPVM_X(name, code, text) names[code] = text;
  IPVM_WASM_FC_OPCODES(IPVM_X)
#undef IPVM_X
  return names;
}
constexpr std::array<const char*, 18> kFcNames = make_fc_names();
}  // namespace

const char* opcode_name(uint8_t code) { return kNames[code]; }

const char* fc_opcode_name(uint32_t code) { return code < kFcNames.size() ? kFcNames[code] : nullptr; }

static bool valtype_from_byte(uint8_t b, ValType& out) {
  switch (b) {
    case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x7b: case 0x70: case 0x6f:
      out = static_cast<ValType>(b);
      return true;
    default:
      return false;
  }
}

bool read_val_type(Reader& r, ValType& out) {
  size_t at = r.offset();
  uint8_t b = 0;
  if (!r.read_u8(b)) return false;
  if (!valtype_from_byte(b, out)) return r.fail_at(at, "malformed value type");
  return true;
}

bool read_ref_type(Reader& r, ValType& out) {
  size_t at = r.offset();
  uint8_t b = 0;
  if (!r.read_u8(b)) return false;
  if (b != 0x70 && b != 0x6f) return r.fail_at(at, "malformed reference type");
  out = static_cast<ValType>(b);
  return true;
}

bool read_block_type(Reader& r, BlockType& out) {
  uint8_t b = 0;
  if (!r.peek_u8(b)) return r.read_u8(b);  // reports "unexpected end"
  if (b == 0x40) {
    r.skip(1);
    out.kind = BlockType::Kind::kEmpty;
    return true;
  }
  if ((b & 0xc0) == 0x40) {  // a one-byte negative s33: must be a value type
    out.kind = BlockType::Kind::kValue;
    return read_val_type(r, out.value);
  }
  size_t at = r.offset();
  int64_t v;
  if (!r.read_s33(v)) return false;
  if (v < 0) return r.fail_at(at, "malformed block type");
  out.kind = BlockType::Kind::kIndex;
  out.index = static_cast<uint32_t>(v);
  return true;
}

int natural_alignment(uint8_t code) {
  switch (static_cast<Op>(code)) {
    case Op::kI32Load8S: case Op::kI32Load8U: case Op::kI64Load8S: case Op::kI64Load8U:
    case Op::kI32Store8: case Op::kI64Store8:
      return 0;
    case Op::kI32Load16S: case Op::kI32Load16U: case Op::kI64Load16S: case Op::kI64Load16U:
    case Op::kI32Store16: case Op::kI64Store16:
      return 1;
    case Op::kI32Load: case Op::kF32Load: case Op::kI64Load32S: case Op::kI64Load32U:
    case Op::kI32Store: case Op::kF32Store: case Op::kI64Store32:
      return 2;
    case Op::kI64Load: case Op::kF64Load: case Op::kI64Store: case Op::kF64Store:
      return 3;
    default:
      return -1;
  }
}

}  // namespace ipvm::wasm
