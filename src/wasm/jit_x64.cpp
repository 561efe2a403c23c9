#include "wasm/jit_x64.h"

namespace ipvm::wasm::x64 {

void Assembler::u32(uint32_t v) {
  for (int i = 0; i < 4; ++i) buf.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void Assembler::u64(uint64_t v) {
  for (int i = 0; i < 8; ++i) buf.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void Assembler::patch_rel32(size_t at, size_t target) {
  uint32_t rel = static_cast<uint32_t>(static_cast<int64_t>(target) - static_cast<int64_t>(at + 4));
  for (int i = 0; i < 4; ++i) buf[at + i] = static_cast<uint8_t>(rel >> (8 * i));
}

void Assembler::bind(Label& l) {
  l.pos = static_cast<int64_t>(buf.size());
  for (uint32_t i = 0; i < l.n && i < 2; ++i) patch_rel32(l.first[i], buf.size());
  for (size_t at : l.more) patch_rel32(at, buf.size());
  l.n = 0;
  l.more.clear();
}

void Assembler::rel32(Label& l) {
  size_t at = buf.size();
  u32(0);
  if (l.pos >= 0) {
    patch_rel32(at, static_cast<size_t>(l.pos));
  } else if (l.n < 2) {
    l.first[l.n++] = at;
  } else {
    l.more.push_back(at);
  }
}

void Assembler::op_rr(uint8_t prefix, bool w, const uint8_t* opc, int n, int reg, int rm, bool byte_regs) {
  if (prefix) byte(prefix);
  uint8_t rex = static_cast<uint8_t>(0x40 | (w ? 8 : 0) | ((reg >> 3) << 2) | (rm >> 3));
  bool need = rex != 0x40 || (byte_regs && ((reg >= 4 && reg < 8) || (rm >= 4 && rm < 8)));
  if (need) byte(rex);
  for (int i = 0; i < n; ++i) byte(opc[i]);
  byte(static_cast<uint8_t>(0xC0 | ((reg & 7) << 3) | (rm & 7)));
}

void Assembler::op_rm(uint8_t prefix, bool w, const uint8_t* opc, int n, int reg, const Mem& m, bool byte_regs) {
  if (prefix) byte(prefix);
  int index = m.index;
  uint8_t rex = static_cast<uint8_t>(0x40 | (w ? 8 : 0) | ((reg >> 3) << 2) | (index >= 8 ? 2 : 0) |
                                     (m.base >> 3));
  bool need = rex != 0x40 || (byte_regs && reg >= 4 && reg < 8);
  if (need) byte(rex);
  for (int i = 0; i < n; ++i) byte(opc[i]);
  int mod;
  if (m.disp == 0 && (m.base & 7) != 5) {
    mod = 0;
  } else if (m.disp >= -128 && m.disp <= 127) {
    mod = 1;
  } else {
    mod = 2;
  }
  bool sib = index >= 0 || (m.base & 7) == 4;
  byte(static_cast<uint8_t>((mod << 6) | ((reg & 7) << 3) | (sib ? 4 : (m.base & 7))));
  if (sib) {
    int ss = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;
    int idx = index >= 0 ? (index & 7) : 4;
    byte(static_cast<uint8_t>((ss << 6) | (idx << 3) | (m.base & 7)));
  }
  if (mod == 1) {
    byte(static_cast<uint8_t>(static_cast<int8_t>(m.disp)));
  } else if (mod == 2) {
    u32(static_cast<uint32_t>(m.disp));
  }
}

namespace {
const uint8_t kOp8B[] = {0x8B}, kOp89[] = {0x89}, kOp88[] = {0x88}, kOpC7[] = {0xC7}, kOp8D[] = {0x8D};
const uint8_t kOpB6[] = {0x0F, 0xB6}, kOpB7[] = {0x0F, 0xB7}, kOpBE[] = {0x0F, 0xBE}, kOpBF[] = {0x0F, 0xBF};
const uint8_t kOp63[] = {0x63}, kOp85[] = {0x85}, kOpAF[] = {0x0F, 0xAF}, kOpF7[] = {0xF7}, kOpFF[] = {0xFF};
}  // namespace

void Assembler::mov(bool w, Reg dst, Reg src) { op_rr(0, w, kOp8B, 1, dst, src); }
void Assembler::load(bool w, Reg dst, Mem m) { op_rm(0, w, kOp8B, 1, dst, m); }
void Assembler::store(bool w, Mem m, Reg src) { op_rm(0, w, kOp89, 1, src, m); }
void Assembler::store8(Mem m, Reg src) { op_rm(0, false, kOp88, 1, src, m, true); }
void Assembler::store16(Mem m, Reg src) { op_rm(0x66, false, kOp89, 1, src, m); }
void Assembler::store_imm(bool w, Mem m, int32_t imm) {
  op_rm(0, w, kOpC7, 1, 0, m);
  u32(static_cast<uint32_t>(imm));
}
void Assembler::mov_imm(Reg dst, uint64_t imm) {
  if (imm <= 0xFFFFFFFFull) {
    if (dst >= 8) byte(0x41);
    byte(static_cast<uint8_t>(0xB8 + (dst & 7)));
    u32(static_cast<uint32_t>(imm));
  } else if (static_cast<int64_t>(imm) == static_cast<int32_t>(imm)) {
    op_rr(0, true, kOpC7, 1, 0, dst);
    u32(static_cast<uint32_t>(imm));
  } else {
    byte(static_cast<uint8_t>(0x48 | (dst >> 3)));
    byte(static_cast<uint8_t>(0xB8 + (dst & 7)));
    u64(imm);
  }
}
void Assembler::movzx8(Reg dst, Mem m) { op_rm(0, false, kOpB6, 2, dst, m); }
void Assembler::movzx16(Reg dst, Mem m) { op_rm(0, false, kOpB7, 2, dst, m); }
void Assembler::movsx8(bool w, Reg dst, Mem m) { op_rm(0, w, kOpBE, 2, dst, m); }
void Assembler::movsx16(bool w, Reg dst, Mem m) { op_rm(0, w, kOpBF, 2, dst, m); }
void Assembler::movsxd(Reg dst, Mem m) { op_rm(0, true, kOp63, 1, dst, m); }
void Assembler::movzx8_rr(Reg dst, Reg src) { op_rr(0, false, kOpB6, 2, dst, src, true); }
void Assembler::movsx8_rr(bool w, Reg dst, Reg src) { op_rr(0, w, kOpBE, 2, dst, src, true); }
void Assembler::movsx16_rr(bool w, Reg dst, Reg src) { op_rr(0, w, kOpBF, 2, dst, src); }
void Assembler::movsxd_rr(Reg dst, Reg src) { op_rr(0, true, kOp63, 1, dst, src); }
void Assembler::lea(Reg dst, Mem m) { op_rm(0, true, kOp8D, 1, dst, m); }

void Assembler::alu(Alu op, bool w, Reg dst, Reg src) {
  const uint8_t opc[] = {static_cast<uint8_t>(op * 8 + 3)};
  op_rr(0, w, opc, 1, dst, src);
}
void Assembler::alu(Alu op, bool w, Reg dst, Mem m) {
  const uint8_t opc[] = {static_cast<uint8_t>(op * 8 + 3)};
  op_rm(0, w, opc, 1, dst, m);
}
void Assembler::alu_imm(Alu op, bool w, Reg dst, int32_t imm) {
  if (imm >= -128 && imm <= 127) {
    const uint8_t opc[] = {0x83};
    op_rr(0, w, opc, 1, op, dst);
    byte(static_cast<uint8_t>(static_cast<int8_t>(imm)));
  } else {
    const uint8_t opc[] = {0x81};
    op_rr(0, w, opc, 1, op, dst);
    u32(static_cast<uint32_t>(imm));
  }
}
void Assembler::alu_imm(Alu op, bool w, Mem m, int32_t imm) {
  if (imm >= -128 && imm <= 127) {
    const uint8_t opc[] = {0x83};
    op_rm(0, w, opc, 1, op, m);
    byte(static_cast<uint8_t>(static_cast<int8_t>(imm)));
  } else {
    const uint8_t opc[] = {0x81};
    op_rm(0, w, opc, 1, op, m);
    u32(static_cast<uint32_t>(imm));
  }
}
void Assembler::test(bool w, Reg a, Reg b) { op_rr(0, w, kOp85, 1, b, a); }
void Assembler::imul(bool w, Reg dst, Reg src) { op_rr(0, w, kOpAF, 2, dst, src); }
void Assembler::imul(bool w, Reg dst, Mem m) { op_rm(0, w, kOpAF, 2, dst, m); }
void Assembler::imul_imm(bool w, Reg dst, Reg src, int32_t imm) {
  const uint8_t opc[] = {0x69};
  op_rr(0, w, opc, 1, dst, src);
  u32(static_cast<uint32_t>(imm));
}
void Assembler::shift_imm(Shift op, bool w, Reg dst, uint8_t n) {
  const uint8_t opc[] = {0xC1};
  op_rr(0, w, opc, 1, op, dst);
  byte(n);
}
void Assembler::shift_cl(Shift op, bool w, Reg dst) {
  const uint8_t opc[] = {0xD3};
  op_rr(0, w, opc, 1, op, dst);
}
void Assembler::neg(bool w, Reg r) { op_rr(0, w, kOpF7, 1, 3, r); }
void Assembler::div(bool w, bool is_signed, Reg divisor) { op_rr(0, w, kOpF7, 1, is_signed ? 7 : 6, divisor); }
void Assembler::cdq_cqo(bool w) {
  if (w) byte(0x48);
  byte(0x99);
}
void Assembler::setcc(Cond c, Reg dst8) {
  const uint8_t opc[] = {0x0F, static_cast<uint8_t>(0x90 + c)};
  op_rr(0, false, opc, 2, 0, dst8, true);
}
void Assembler::cmov(Cond c, bool w, Reg dst, Reg src) {
  const uint8_t opc[] = {0x0F, static_cast<uint8_t>(0x40 + c)};
  op_rr(0, w, opc, 2, dst, src);
}
void Assembler::push(Reg r) {
  if (r >= 8) byte(0x41);
  byte(static_cast<uint8_t>(0x50 + (r & 7)));
}
void Assembler::pop(Reg r) {
  if (r >= 8) byte(0x41);
  byte(static_cast<uint8_t>(0x58 + (r & 7)));
}
void Assembler::ret() { byte(0xC3); }
void Assembler::call(Reg r) { op_rr(0, false, kOpFF, 1, 2, r); }
void Assembler::call(Label& l) {
  byte(0xE8);
  rel32(l);
}
void Assembler::jmp(Reg r) { op_rr(0, false, kOpFF, 1, 4, r); }
void Assembler::jmp(Label& l) {
  byte(0xE9);
  rel32(l);
}
void Assembler::jcc(Cond c, Label& l) {
  byte(0x0F);
  byte(static_cast<uint8_t>(0x80 + c));
  rel32(l);
}
void Assembler::lea_rip(Reg dst, Label& l) {
  byte(static_cast<uint8_t>(0x48 | ((dst >> 3) << 2)));
  byte(0x8D);
  byte(static_cast<uint8_t>(((dst & 7) << 3) | 5));
  rel32(l);
}

void Assembler::sse(uint8_t op, bool dbl, int dst, Mem m) {
  const uint8_t opc[] = {0x0F, op};
  op_rm(dbl ? 0xF2 : 0xF3, false, opc, 2, dst, m);
}
void Assembler::sse(uint8_t op, bool dbl, int dst, int src) {
  const uint8_t opc[] = {0x0F, op};
  op_rr(dbl ? 0xF2 : 0xF3, false, opc, 2, dst, src);
}
void Assembler::movd_to_xmm(bool w, int x, Reg r) {
  const uint8_t opc[] = {0x0F, 0x6E};
  op_rr(0x66, w, opc, 2, x, r);
}
void Assembler::movd_from_xmm(bool w, Reg r, int x) {
  const uint8_t opc[] = {0x0F, 0x7E};
  op_rr(0x66, w, opc, 2, x, r);
}
void Assembler::cvtsi2s(bool dbl, bool w, int x, Reg src) {
  const uint8_t opc[] = {0x0F, 0x2A};
  op_rr(dbl ? 0xF2 : 0xF3, w, opc, 2, x, src);
}
void Assembler::ucomis(bool dbl, int a, int b) {
  const uint8_t opc[] = {0x0F, 0x2E};
  op_rr(dbl ? 0x66 : 0, false, opc, 2, a, b);
}
void Assembler::ucomis(bool dbl, int a, Mem m) {
  const uint8_t opc[] = {0x0F, 0x2E};
  op_rm(dbl ? 0x66 : 0, false, opc, 2, a, m);
}

}  // namespace ipvm::wasm::x64
