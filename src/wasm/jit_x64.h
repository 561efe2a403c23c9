// A small x86-64 machine-code assembler for the JIT tier (jit_compiler.cpp): just the integer,
// SSE2 and control-flow instructions the templates use, encoded into a byte buffer with
// position-independent (rel32) labels. No executable memory here: see jit_memory.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ipvm::wasm::x64 {

enum Reg : uint8_t { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
// xmm registers share the numbering (0-15); a separate type keeps call sites readable.
enum Xmm : uint8_t { XMM0, XMM1, XMM2, XMM3 };

// [base + index*scale + disp]; index < 0: none. base RSP/R12 and RBP/R13 are handled.
struct Mem {
  Reg base;
  int32_t disp = 0;
  int8_t index = -1;
  uint8_t scale = 1;  // 1, 2, 4, 8
};

// Condition codes (the low nibble of Jcc/SETcc/CMOVcc).
enum Cond : uint8_t { kO, kNO, kB, kAE, kE, kNE, kBE, kA, kS, kNS, kP, kNP, kL, kGE, kLE, kG };
inline Cond negate(Cond c) { return static_cast<Cond>(c ^ 1); }

// ALU operations with the /digit of their 0x81 immediate form.
enum Alu : uint8_t { kAdd = 0, kOr = 1, kAnd = 4, kSub = 5, kXor = 6, kCmp = 7 };
// Shift/rotate /digit (0xC1 / 0xD3).
enum Shift : uint8_t { kRol = 0, kRor = 1, kShl = 4, kShr = 5, kSar = 7 };

struct Label {
  int64_t pos = -1;  // bound position, or -1
  // rel32 fields to fill when bound: most labels have one or two, kept without allocating.
  size_t first[2] = {0, 0};
  uint32_t n = 0;
  std::vector<size_t> more;
};

class Assembler {
 public:
  std::vector<uint8_t> buf;

  size_t size() const { return buf.size(); }
  void byte(uint8_t b) { buf.push_back(b); }
  void u32(uint32_t v);
  void u64(uint64_t v);
  void patch_rel32(size_t at, size_t target);  // the rel32 at `at` points to `target`

  void bind(Label& l);
  // rel32 to a label (bound now or later).
  void rel32(Label& l);

  // --- integer ---
  // w: 64-bit operation (REX.W). Register-register forms are "op dst, src".
  void mov(bool w, Reg dst, Reg src);
  void load(bool w, Reg dst, Mem m);    // mov dst, [m]
  void store(bool w, Mem m, Reg src);   // mov [m], src
  void store8(Mem m, Reg src);          // mov byte [m], src8
  void store16(Mem m, Reg src);         // mov word [m], src16
  void store_imm(bool w, Mem m, int32_t imm);  // mov [m], imm32 (sign-extended when w)
  void mov_imm(Reg dst, uint64_t imm);  // shortest exact form
  void movzx8(Reg dst, Mem m);
  void movzx16(Reg dst, Mem m);
  void movsx8(bool w, Reg dst, Mem m);
  void movsx16(bool w, Reg dst, Mem m);
  void movsxd(Reg dst, Mem m);          // 64 <- sign-extended 32
  void movzx8_rr(Reg dst, Reg src);     // dst32 = zero-extended src8
  void movsx8_rr(bool w, Reg dst, Reg src);
  void movsx16_rr(bool w, Reg dst, Reg src);
  void movsxd_rr(Reg dst, Reg src);
  void lea(Reg dst, Mem m);
  void alu(Alu op, bool w, Reg dst, Reg src);
  void alu(Alu op, bool w, Reg dst, Mem m);     // op dst, [m]
  void alu_imm(Alu op, bool w, Reg dst, int32_t imm);
  void alu_imm(Alu op, bool w, Mem m, int32_t imm);
  void test(bool w, Reg a, Reg b);
  void imul(bool w, Reg dst, Reg src);
  void imul(bool w, Reg dst, Mem m);
  void imul_imm(bool w, Reg dst, Reg src, int32_t imm);
  void shift_imm(Shift op, bool w, Reg dst, uint8_t n);
  void shift_cl(Shift op, bool w, Reg dst);
  void neg(bool w, Reg r);
  void div(bool w, bool is_signed, Reg divisor);  // rdx:rax / divisor
  void cdq_cqo(bool w);
  void setcc(Cond c, Reg dst8);
  void cmov(Cond c, bool w, Reg dst, Reg src);
  void push(Reg r);
  void pop(Reg r);
  void ret();
  void call(Reg r);
  void call(Label& l);
  void jmp(Reg r);
  void jmp(Label& l);
  void jcc(Cond c, Label& l);
  void lea_rip(Reg dst, Label& l);

  // --- SSE2 (scalar) ---
  // op: the opcode byte after 0F; prefix F3 (single) or F2 (double) selected by `dbl`.
  void sse(uint8_t op, bool dbl, int dst, Mem m);
  void sse(uint8_t op, bool dbl, int dst, int src);
  void movd_to_xmm(bool w, int x, Reg r);    // movd/movq xmm, r
  void movd_from_xmm(bool w, Reg r, int x);  // movd/movq r, xmm
  void cvtsi2s(bool dbl, bool w, int x, Reg src);  // cvtsi2ss/sd xmm, r32/r64 (signed)
  void ucomis(bool dbl, int a, int b);
  void ucomis(bool dbl, int a, Mem m);

 private:
  // Emits [legacy prefix] [REX] opcode bytes ModRM/SIB/disp for a register or memory operand.
  void op_rr(uint8_t prefix, bool w, const uint8_t* opc, int n, int reg, int rm, bool byte_regs = false);
  void op_rm(uint8_t prefix, bool w, const uint8_t* opc, int n, int reg, const Mem& m, bool byte_regs = false);
};

}  // namespace ipvm::wasm::x64
