// The JIT's x86-64 encoder against hand-checked encodings (Intel SDM), especially the operand
// forms that need special bytes: REX for r8-r15 and byte registers, SIB for rsp/r12 bases, a zero
// displacement byte for rbp/r13 bases, legacy prefixes before REX, and rel32 labels.
#include <cstdint>
#include <initializer_list>
#include <vector>

#include <gtest/gtest.h>

#include "wasm/jit_x64.h"

namespace ipvm::wasm::x64 {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> b) {
  std::vector<uint8_t> v;
  for (int x : b) v.push_back(static_cast<uint8_t>(x));
  return v;
}

template <class F>
std::vector<uint8_t> enc(F f) {
  Assembler a;
  f(a);
  return a.buf;
}

TEST(JitX64, Moves) {
  EXPECT_EQ(enc([](Assembler& a) { a.load(true, RAX, Mem{RBX, 8}); }), bytes({0x48, 0x8B, 0x43, 0x08}));
  EXPECT_EQ(enc([](Assembler& a) { a.load(false, RAX, Mem{R13, 0}); }), bytes({0x41, 0x8B, 0x45, 0x00}));
  EXPECT_EQ(enc([](Assembler& a) { a.load(true, RAX, Mem{RSP, 0}); }), bytes({0x48, 0x8B, 0x04, 0x24}));
  EXPECT_EQ(enc([](Assembler& a) { a.store(false, Mem{R12, 0x10, RAX, 1}, RDX); }),
            bytes({0x41, 0x89, 0x54, 0x04, 0x10}));
  EXPECT_EQ(enc([](Assembler& a) { a.store(true, Mem{RBX, 0x1000}, R14); }),
            bytes({0x4C, 0x89, 0xB3, 0x00, 0x10, 0x00, 0x00}));
  EXPECT_EQ(enc([](Assembler& a) { a.store8(Mem{RAX, 0}, RDX); }), bytes({0x88, 0x10}));
  EXPECT_EQ(enc([](Assembler& a) { a.store8(Mem{RAX, 0}, RSI); }), bytes({0x40, 0x88, 0x30}));
  EXPECT_EQ(enc([](Assembler& a) { a.store16(Mem{R12, 0, RAX, 1}, RDX); }), bytes({0x66, 0x41, 0x89, 0x14, 0x04}));
  EXPECT_EQ(enc([](Assembler& a) { a.movsxd(RAX, Mem{RCX, 0, RAX, 4}); }), bytes({0x48, 0x63, 0x04, 0x81}));
  EXPECT_EQ(enc([](Assembler& a) { a.movzx8(RDX, Mem{R12, 3, RAX, 1}); }), bytes({0x41, 0x0F, 0xB6, 0x54, 0x04, 0x03}));
  EXPECT_EQ(enc([](Assembler& a) { a.movsx16(true, RAX, Mem{RBX, 16}); }), bytes({0x48, 0x0F, 0xBF, 0x43, 0x10}));
  EXPECT_EQ(enc([](Assembler& a) { a.lea(RCX, Mem{RAX, 4}); }), bytes({0x48, 0x8D, 0x48, 0x04}));
  EXPECT_EQ(enc([](Assembler& a) { a.mov(true, R15, RDI); }), bytes({0x4C, 0x8B, 0xFF}));
}

TEST(JitX64, Immediates) {
  EXPECT_EQ(enc([](Assembler& a) { a.mov_imm(RAX, 5); }), bytes({0xB8, 0x05, 0x00, 0x00, 0x00}));
  EXPECT_EQ(enc([](Assembler& a) { a.mov_imm(R9, 0xffffffffu); }), bytes({0x41, 0xB9, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(enc([](Assembler& a) { a.mov_imm(RCX, ~uint64_t{0}); }),
            bytes({0x48, 0xC7, 0xC1, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(enc([](Assembler& a) { a.mov_imm(RAX, 0x7ff8000000000000ull); }),
            bytes({0x48, 0xB8, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F}));
  EXPECT_EQ(enc([](Assembler& a) { a.alu_imm(kAdd, false, RAX, 1); }), bytes({0x83, 0xC0, 0x01}));
  EXPECT_EQ(enc([](Assembler& a) { a.alu_imm(kSub, true, R14, 0x1000); }),
            bytes({0x49, 0x81, 0xEE, 0x00, 0x10, 0x00, 0x00}));
  EXPECT_EQ(enc([](Assembler& a) { a.alu_imm(kCmp, false, Mem{RBX, 8}, 0); }), bytes({0x83, 0x7B, 0x08, 0x00}));
  EXPECT_EQ(enc([](Assembler& a) { a.store_imm(true, Mem{RDX, 8}, -1); }),
            bytes({0x48, 0xC7, 0x42, 0x08, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(enc([](Assembler& a) { a.shift_imm(kRol, false, RCX, 7); }), bytes({0xC1, 0xC1, 0x07}));
  EXPECT_EQ(enc([](Assembler& a) { a.imul_imm(true, RAX, RAX, 3); }),
            bytes({0x48, 0x69, 0xC0, 0x03, 0x00, 0x00, 0x00}));
}

TEST(JitX64, Arithmetic) {
  EXPECT_EQ(enc([](Assembler& a) { a.alu(kXor, false, RDX, RDX); }), bytes({0x33, 0xD2}));
  EXPECT_EQ(enc([](Assembler& a) { a.alu(kCmp, true, RSP, Mem{R15, 0x40}); }), bytes({0x49, 0x3B, 0x67, 0x40}));
  EXPECT_EQ(enc([](Assembler& a) { a.alu(kCmp, true, RCX, R13); }), bytes({0x49, 0x3B, 0xCD}));
  EXPECT_EQ(enc([](Assembler& a) { a.imul(false, RAX, Mem{RBX, 24}); }), bytes({0x0F, 0xAF, 0x43, 0x18}));
  EXPECT_EQ(enc([](Assembler& a) { a.shift_cl(kSar, true, RAX); }), bytes({0x48, 0xD3, 0xF8}));
  EXPECT_EQ(enc([](Assembler& a) { a.div(true, true, RCX); }), bytes({0x48, 0xF7, 0xF9}));
  EXPECT_EQ(enc([](Assembler& a) { a.div(false, false, RCX); }), bytes({0xF7, 0xF1}));
  EXPECT_EQ(enc([](Assembler& a) { a.cdq_cqo(true); }), bytes({0x48, 0x99}));
  EXPECT_EQ(enc([](Assembler& a) { a.setcc(kE, RAX); }), bytes({0x0F, 0x94, 0xC0}));
  EXPECT_EQ(enc([](Assembler& a) { a.setcc(kNE, RSI); }), bytes({0x40, 0x0F, 0x95, 0xC6}));
  EXPECT_EQ(enc([](Assembler& a) { a.movzx8_rr(RAX, RAX); }), bytes({0x0F, 0xB6, 0xC0}));
  EXPECT_EQ(enc([](Assembler& a) { a.cmov(kE, true, RAX, RCX); }), bytes({0x48, 0x0F, 0x44, 0xC1}));
  EXPECT_EQ(enc([](Assembler& a) { a.test(false, RDX, RDX); }), bytes({0x85, 0xD2}));
}

TEST(JitX64, Sse) {
  EXPECT_EQ(enc([](Assembler& a) { a.sse(0x10, true, 0, Mem{RBX, 16}); }), bytes({0xF2, 0x0F, 0x10, 0x43, 0x10}));
  EXPECT_EQ(enc([](Assembler& a) { a.sse(0x58, false, 0, Mem{RBX, 8}); }), bytes({0xF3, 0x0F, 0x58, 0x43, 0x08}));
  EXPECT_EQ(enc([](Assembler& a) { a.sse(0x5E, true, 0, 1); }), bytes({0xF2, 0x0F, 0x5E, 0xC1}));
  EXPECT_EQ(enc([](Assembler& a) { a.movd_from_xmm(true, RAX, 0); }), bytes({0x66, 0x48, 0x0F, 0x7E, 0xC0}));
  EXPECT_EQ(enc([](Assembler& a) { a.movd_to_xmm(false, 1, RDX); }), bytes({0x66, 0x0F, 0x6E, 0xCA}));
  EXPECT_EQ(enc([](Assembler& a) { a.ucomis(true, 0, 0); }), bytes({0x66, 0x0F, 0x2E, 0xC0}));
  EXPECT_EQ(enc([](Assembler& a) { a.ucomis(false, 0, Mem{RBX, 8}); }), bytes({0x0F, 0x2E, 0x43, 0x08}));
  EXPECT_EQ(enc([](Assembler& a) { a.cvtsi2s(true, true, 0, RAX); }), bytes({0xF2, 0x48, 0x0F, 0x2A, 0xC0}));
}

TEST(JitX64, ControlFlowAndLabels) {
  EXPECT_EQ(enc([](Assembler& a) { a.push(R15); a.pop(RBX); a.ret(); }), bytes({0x41, 0x57, 0x5B, 0xC3}));
  EXPECT_EQ(enc([](Assembler& a) { a.call(RAX); a.jmp(RSI); }), bytes({0xFF, 0xD0, 0xFF, 0xE6}));
  // A forward jcc and a backward jmp to the same label, and a third forward use (beyond the two
  // patches a label keeps inline).
  Assembler a;
  Label l;
  a.jcc(kE, l);   // 0..5
  a.jmp(l);       // 6..10
  a.call(l);      // 11..15
  a.bind(l);      // 16
  a.jmp(l);       // 16..20: rel -5
  EXPECT_EQ(a.buf, bytes({0x0F, 0x84, 10, 0, 0, 0, 0xE9, 5, 0, 0, 0, 0xE8, 0, 0, 0, 0, 0xE9, 0xFB, 0xFF, 0xFF, 0xFF}));
  // RIP-relative lea to a later label.
  Assembler b;
  Label t;
  b.lea_rip(RCX, t);  // 7 bytes
  b.ret();
  b.bind(t);
  EXPECT_EQ(b.buf, bytes({0x48, 0x8D, 0x0D, 1, 0, 0, 0, 0xC3}));
}

}  // namespace
}  // namespace ipvm::wasm::x64
