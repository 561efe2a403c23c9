// Single pass over each function body. The operand stack height is static at every instruction,
// so each stack value gets a fixed frame slot (locals first, then heights); instructions name
// their slots directly and the interpreter never moves a stack pointer. Branches copy block
// results to the target's slots only when they are not already there. Unreachable code is parsed
// but not emitted. Fuel: the function entry and each loop header start with a Fuel instruction
// charging every wasm instruction of that function/loop body outside nested loops, so straight-line
// and forward-branching code is paid for once per entry or iteration (skipped arms included).
// Peephole fusions work on the instruction just emitted (LastOp), never across a label: local.get
// and constants are read in place (deferred), a result is computed straight into the local that
// local.set/tee names, constants become immediates, a compare (or i32.and imm / i32.eqz) fuses
// with br_if/if, i32.add imm folds into the next load/store address, a load folds into the add or
// mul that consumes it, and consecutive moves pair up.
#include "wasm/compiler.h"

#include <algorithm>
#include <array>

#include "wasm/leb128.h"
#include "wasm/opcodes.h"
#include "wasm/ops.h"

namespace ipvm::wasm {
namespace {

struct OpInfo {
  IOp op;
  uint8_t arity;  // 0: not a simple numeric op; 1: unary; 2: binary; 3: no-op (reinterpret)
};

std::array<OpInfo, 256> build_numeric_table() {
  std::array<OpInfo, 256> t{};
  for (auto& e : t) e = {IOp::kUnreachable, 0};
#define BIN(Name, code, T, R, expr) t[code] = {IOp::k##Name, 2};
  IPVM_BINOPS(BIN)
#undef BIN
#define UN(Name, code, T, R, expr) t[code] = {IOp::k##Name, 1};
  IPVM_UNOPS(UN)
#undef UN
#define TR(Name, code, FT, IT, lo, hi) t[code] = {IOp::k##Name, 1};
  IPVM_TRUNCS(TR)
#undef TR
  t[0x6d] = {IOp::kI32DivS, 2};
  t[0x6e] = {IOp::kI32DivU, 2};
  t[0x6f] = {IOp::kI32RemS, 2};
  t[0x70] = {IOp::kI32RemU, 2};
  t[0x7f] = {IOp::kI64DivS, 2};
  t[0x80] = {IOp::kI64DivU, 2};
  t[0x81] = {IOp::kI64RemS, 2};
  t[0x82] = {IOp::kI64RemU, 2};
  for (int c = 0xbc; c <= 0xbf; ++c) t[c] = {IOp::kUnreachable, 3};  // reinterpret: bits unchanged
  t[0xd1] = {IOp::kI64Eqz, 1};                                         // ref.is_null
  return t;
}

std::array<IOp, 256> build_memory_table() {
  std::array<IOp, 256> t{};
  for (auto& e : t) e = IOp::kUnreachable;
#define LD(Name, code, N, CT, R) t[code] = IOp::k##Name;
  IPVM_LOADS(LD)
#undef LD
#define ST(Name, code, N) t[code] = IOp::k##Name;
  IPVM_STORES(ST)
#undef ST
  return t;
}

const std::array<OpInfo, 256>& numeric_table() {
  static const auto t = build_numeric_table();
  return t;
}
const std::array<IOp, 256>& memory_table() {
  static const auto t = build_memory_table();
  return t;
}

// Immediate-operand and fused-branch variants, indexed by wasm opcode (kUnreachable: none).
struct Variants {
  std::array<IOp, 256> imm;
  std::array<IOp, 256> br;        // branch if the compare holds
  std::array<uint8_t, 256> inverse;  // opcode of the negated compare (0: none)
};

Variants build_variants() {
  Variants v;
  v.imm.fill(IOp::kUnreachable);
  v.br.fill(IOp::kUnreachable);
  v.inverse.fill(0);
  auto code_of = [](IOp op) -> int {
    for (int c = 0; c < 256; ++c)
      if (numeric_table()[c].arity == 2 && numeric_table()[c].op == op) return c;
    return -1;
  };
#define IMM(Name, T, R, expr) v.imm[code_of(IOp::k##Name)] = IOp::k##Name##Imm;
  IPVM_IMMOPS(IMM)
#undef IMM
#define BR(Name, T, expr) v.br[code_of(IOp::k##Name)] = IOp::kBrIf##Name;
  IPVM_CMPOPS(BR)
#undef BR
  const uint8_t pairs[][2] = {{0x46, 0x47}, {0x48, 0x4e}, {0x49, 0x4f}, {0x4a, 0x4c}, {0x4b, 0x4d},
                              {0x51, 0x52}, {0x53, 0x59}, {0x54, 0x5a}, {0x55, 0x57}, {0x56, 0x58}};
  for (auto& p : pairs) {
    v.inverse[p[0]] = p[1];
    v.inverse[p[1]] = p[0];
  }
  return v;
}

const Variants& variants() {
  static const Variants v = build_variants();
  return v;
}

// Accumulator variants (ops.h): acc_a[op] reads its first slot operand (a, an address, a stored
// value or a tested value) from acc, acc_b[op] its second; IOp::kCount: no such variant.
struct AccVariants {
  std::array<IOp, static_cast<size_t>(IOp::kCount)> a, b;
};

AccVariants build_acc_variants() {
  AccVariants v;
  v.a.fill(IOp::kCount);
  v.b.fill(IOp::kCount);
  auto set = [](auto& t, IOp from, IOp to) { t[static_cast<size_t>(from)] = to; };
#define ACC_AB(Name, code, T, R, expr) set(v.a, IOp::k##Name, IOp::k##Name##A); set(v.b, IOp::k##Name, IOp::k##Name##B);
  IPVM_BINOPS(ACC_AB)
#undef ACC_AB
#define ACC_IMM(Name, T, R, expr) set(v.a, IOp::k##Name##Imm, IOp::k##Name##ImmA);
  IPVM_IMMOPS(ACC_IMM)
#undef ACC_IMM
#define ACC_LOAD(Name, code, N, CT, R) set(v.a, IOp::k##Name, IOp::k##Name##A);
  IPVM_LOADS(ACC_LOAD)
#undef ACC_LOAD
#define ACC_STORE(Name, code, N) set(v.a, IOp::k##Name, IOp::k##Name##V); set(v.a, IOp::k##Name##AI, IOp::k##Name##AIV);
  IPVM_STORES(ACC_STORE)
#undef ACC_STORE
#define ACC_BR(Name, T, expr)                              \
  set(v.a, IOp::kBrIf##Name, IOp::kBrIf##Name##A);         \
  set(v.a, IOp::kBrIf##Name##Imm, IOp::kBrIf##Name##ImmA); \
  set(v.a, IOp::kBrIf##Name##Loop, IOp::kBrIf##Name##LoopA); \
  set(v.a, IOp::kBrIf##Name##ImmLoop, IOp::kBrIf##Name##ImmLoopA);
  IPVM_CMPOPS(ACC_BR)
#undef ACC_BR
  set(v.a, IOp::kBrIfNz, IOp::kBrIfNzA);
  set(v.a, IOp::kBrIfZ, IOp::kBrIfZA);
  set(v.a, IOp::kBrIfNzLoop, IOp::kBrIfNzLoopA);
  set(v.a, IOp::kBrIfAndNz, IOp::kBrIfAndNzA);
  set(v.a, IOp::kBrIfAndZ, IOp::kBrIfAndZA);
#define ACC_UN(Name, code, T, R, expr) set(v.a, IOp::k##Name, IOp::k##Name##A);
  IPVM_UNOPS(ACC_UN)
#undef ACC_UN
  const IOp binload[][2] = {{IOp::kI32AddLoad, IOp::kI32AddLoadA}, {IOp::kI32AddLoadAI, IOp::kI32AddLoadAIA},
                            {IOp::kF64AddLoad, IOp::kF64AddLoadA}, {IOp::kF64AddLoadAI, IOp::kF64AddLoadAIA},
                            {IOp::kF64SubLoad, IOp::kF64SubLoadA}, {IOp::kF64SubLoadAI, IOp::kF64SubLoadAIA},
                            {IOp::kF64MulLoad, IOp::kF64MulLoadA}, {IOp::kF64MulLoadAI, IOp::kF64MulLoadAIA}};
  for (auto& p : binload) set(v.a, p[0], p[1]);
  set(v.a, IOp::kSelect, IOp::kSelectA);
  return v;
}

const AccVariants& acc_variants() {
  static const AccVariants v = build_acc_variants();
  return v;
}

enum class CtlKind : uint8_t { kFunc, kBlock, kLoop, kIf };

struct Ctl {
  CtlKind kind;
  uint32_t height;    // operand height below the block's parameters
  uint32_t nparams;
  uint32_t nresults;
  uint32_t loop_pc = 0;
  int32_t fixups = -1;           // head of this label's list in FuncCompiler::fixups_
  int64_t else_fixup = -1;       // if: the branch-to-else target word to patch
  bool unreachable = false;      // the rest of the current (then/else) body is dead
  bool dead = false;             // the whole construct is in dead code
};

// Where a value on the compile-time operand stack lives. Values from local.get and constants are
// not copied to their stack slot until needed ("deferred"): instructions read the local slot or
// take the constant as an immediate.
struct Entry {
  enum Kind : uint8_t { kSlot, kConst } kind = kSlot;
  bool is64 = false;  // kConst: needs a 64-bit constant
  uint32_t loc = 0;   // kSlot: the frame slot holding the value
  uint64_t imm = 0;   // kConst
};

// The last emitted value-producing instruction, for fusing with what consumes it.
struct LastOp {
  int64_t start = -1;     // word index of its handler (-1: none)
  int64_t dst_word = -1;  // word index of its destination operand
  uint8_t wasm_op = 0;    // numeric opcode (compares fuse with br_if / if)
  bool has_imm = false;
  uint32_t a = 0, b = 0;  // operand slots / immediate (loads: address slot, offset or imm)
  uint32_t off = 0;       // AI loads: the memarg offset
  bool binload = false;   // an <Op>Load (plain form): d a addr offset
};

class FuncCompiler {
 public:
  FuncCompiler(const Module& m, Code& code)
      : m_(m), code_(code), w_(code.words), handlers_(handler_offsets()), numeric_(numeric_table()),
        memory_(memory_table()), var_(variants()) {}

  Status compile(uint32_t defined_index) {
    const Function& fn = m_.functions[defined_index];
    const FuncType& ft = m_.types[fn.type];
    FuncCode fc;
    fc.entry = static_cast<uint32_t>(w_.size());
    fc.num_params = static_cast<uint32_t>(ft.params.size());
    fc.num_locals = fc.num_params + static_cast<uint32_t>(fn.locals.size());
    fc.num_results = static_cast<uint32_t>(ft.results.size());
    fc.type = fn.type;
    nl_ = fc.num_locals;
    nr_ = fc.num_results;
    maxh_ = 0;
    vs_.clear();
    ctls_.clear();
    fixups_.clear();
    regions_.clear();
    bad_ = false;
    last_copy_ = -1;
    acc_ = prev_acc_ = -1;
    addimm_local_ = prev_addimm_local_ = -1;
    load_local_ = prev_load_local_ = -1;
    after_label_ = false;
    zero_known_.assign(nl_, 1);
    std::fill_n(zero_known_.begin(), fc.num_params, 0);
    ctls_.push_back(Ctl{CtlKind::kFunc, 0, 0, fc.num_results});
    if (fn.body_offset + uint64_t{fn.body_size} > m_.bytes.size()) return fail("invalid", "function body out of range");
    Reader r(ByteView(m_.bytes.data() + fn.body_offset, fn.body_size), fn.body_offset);
    at_ = fn.body_offset;
    begin_region();
    while (!ctls_.empty()) {
      if (!step(r)) {
        if (!r.ok()) return tl::unexpected(r.error());
        return failf("invalid", "cannot compile instruction at offset {}", at_);
      }
    }
    end_region();
    fc.frame_slots = nl_ + maxh_ + 1;
    code_.funcs.push_back(fc);
    return {};
  }

 private:
  uint32_t h() const { return static_cast<uint32_t>(vs_.size()); }
  uint32_t slot(uint32_t height) const { return nl_ + height; }

  void op(IOp o) {
    code_.offsets.emplace_back(static_cast<uint32_t>(w_.size()), at_);
    w_.push_back(static_cast<uint32_t>(handlers_[static_cast<int>(o)]));
    prev_last_ = last_;
    prev_addimm_local_ = addimm_local_;
    addimm_local_ = -1;
    prev_load_local_ = load_local_;
    load_local_ = -1;
    last_ = LastOp{};
    last_copy_ = -1;
    prev_acc_ = acc_;
    acc_ = -1;
  }
  // Emits `o`, or its accumulator variant when the slot it reads first (a) or second (b) is the
  // one the previous instruction just produced.
  void op_acc(IOp o, uint32_t a, int64_t b = -1) {
    const AccVariants& av = acc_variants();
    IOp v = IOp::kCount;
    if (acc_ >= 0 && a == acc_) v = av.a[static_cast<size_t>(o)];
    if (v == IOp::kCount && acc_ >= 0 && b == acc_) v = av.b[static_cast<size_t>(o)];
    op(v == IOp::kCount ? o : v);
  }
  // The current position as a branch target: nothing emitted before may be merged with what
  // follows.
  uint32_t label_here() {
    last_copy_ = -1;
    acc_ = prev_acc_ = -1;
    addimm_local_ = prev_addimm_local_ = -1;
    load_local_ = prev_load_local_ = -1;
    after_label_ = true;
    return here();
  }
  void u(uint32_t x) { w_.push_back(x); }
  void add_fixup(Ctl& c, uint32_t word) {
    fixups_.emplace_back(word, c.fixups);
    c.fixups = static_cast<int32_t>(fixups_.size() - 1);
  }
  uint32_t here() const { return static_cast<uint32_t>(w_.size()); }

  // --- operand stack ---
  void push_slot(uint32_t loc) {
    vs_.push_back(Entry{Entry::kSlot, false, loc, 0});
    if (h() > maxh_) maxh_ = h();
  }
  void push_const(uint64_t v, bool is64) {
    vs_.push_back(Entry{Entry::kConst, is64, 0, v});
    if (h() > maxh_) maxh_ = h();
  }
  // Pushes the result slot of an instruction about to be emitted and returns it.
  uint32_t push_result() {
    uint32_t d = slot(h());
    push_slot(d);
    return d;
  }
  // Stack underflow cannot happen in validated code; if it does, compilation fails (bad_).
  void pop(uint32_t n = 1) {
    if (vs_.size() < n) {
      bad_ = true;
      vs_.clear();
      return;
    }
    for (uint32_t i = 0; i < n; ++i) vs_.pop_back();
  }
  // Writes entry e's value into slot `dst` (no code if it is already there).
  void put(const Entry& e, uint32_t dst) {
    if (e.kind == Entry::kConst) {
      if (!e.is64) {
        op(IOp::kConst32);
        u(dst);
        u(static_cast<uint32_t>(e.imm));
      } else {
        op(IOp::kConst64);
        u(dst);
        u(static_cast<uint32_t>(e.imm));
        u(static_cast<uint32_t>(e.imm >> 32));
      }
    } else if (e.loc != dst) {
      if (last_copy_ >= 0 && static_cast<size_t>(last_copy_) + 1 + 2 * last_copy_n_ == w_.size() && last_copy_n_ < 4) {
        // Up to four moves in a row (no label between) become one Copy2/3/4.
        ++last_copy_n_;
        IOp merged = last_copy_n_ == 2 ? IOp::kCopy2 : last_copy_n_ == 3 ? IOp::kCopy3 : IOp::kCopy4;
        w_[static_cast<size_t>(last_copy_)] = static_cast<uint32_t>(handlers_[static_cast<int>(merged)]);
        u(dst);
        u(e.loc);
        last_ = LastOp{};
        return;
      }
      int64_t start = here();
      op(IOp::kCopy);
      u(dst);
      u(e.loc);
      last_copy_ = start;
      last_copy_n_ = 1;
    }
  }
  void materialize(uint32_t i) {
    Entry& e = vs_[i];
    if (e.kind == Entry::kSlot && e.loc == slot(i)) return;
    Entry copy = e;
    put(copy, slot(i));
    vs_[i] = Entry{Entry::kSlot, false, slot(i), 0};
  }
  void materialize_all() {
    for (uint32_t i = 0; i < h(); ++i) materialize(i);
  }
  // The slot holding entry i (constants are first stored to their own stack slot).
  uint32_t loc(uint32_t i) {
    if (i >= h()) {
      bad_ = true;
      return 0;
    }
    if (vs_[i].kind == Entry::kConst) materialize(i);
    return vs_[i].loc;
  }
  uint32_t top_loc(uint32_t k = 0) {
    if (k >= h()) {
      bad_ = true;
      return 0;
    }
    return loc(h() - 1 - k);
  }
  // Before local x changes: deferred reads of x below `limit` must take their value now.
  void protect_local(uint32_t x, uint32_t limit) {
    for (uint32_t i = 0; i < limit; ++i)
      if (vs_[i].kind == Entry::kSlot && vs_[i].loc == x) materialize(i);
  }
  // Whether the top value was just computed into its stack slot by the last instruction.
  bool top_is_fresh_result() const {
    return last_.dst_word >= 0 && h() > 0 && vs_.back().kind == Entry::kSlot &&
           vs_.back().loc == slot(h() - 1) && w_[static_cast<size_t>(last_.dst_word)] == slot(h() - 1);
  }

  // --- fuel regions ---
  void begin_region() {
    code_.fuel_points.push_back(here());
    op(IOp::kFuel);
    regions_.emplace_back(here(), 0);
    u(0);
  }
  void end_region() {
    auto [word, cost] = regions_.back();
    regions_.pop_back();
    w_[word] = cost == 0 ? 1 : cost;
  }

  // --- branches ---
  // Return. May sit on a conditional path (br_if / br_table stubs), so it only reads vs_.
  void ret() {
    if (h() < nr_) {
      bad_ = true;
      return;
    }
    if (nr_ == 1) {
      const Entry& e = vs_.back();
      uint32_t a = e.loc;
      if (e.kind == Entry::kConst) {
        a = slot(h() - 1);
        put(e, a);
      }
      op(IOp::kRet);
      u(a);
      u(1);
      return;
    }
    for (uint32_t i = h() - nr_; i < h(); ++i) put(vs_[i], slot(i));
    op(IOp::kRet);
    u(slot(h() - nr_));
    u(nr_);
  }
  void target(Ctl& c, uint32_t word) {
    if (c.kind == CtlKind::kLoop)
      w_[word] = c.loop_pc;
    else
      add_fixup(c, word);
  }
  uint32_t label_arity(const Ctl& c) const { return c.kind == CtlKind::kLoop ? c.nparams : c.nresults; }
  // Whether a branch to c needs no value moves.
  bool branch_is_plain(const Ctl& c) const {
    if (c.kind == CtlKind::kFunc) return false;
    uint32_t n = label_arity(c);
    if (h() < n) return false;
    for (uint32_t i = 0; i < n; ++i) {
      const Entry& e = vs_[h() - n + i];
      if (e.kind != Entry::kSlot || e.loc != slot(c.height + i)) return false;
    }
    return true;
  }
  // Unconditional branch to depth `depth`, moving the carried values into the label's slots.
  void branch(uint32_t depth) {
    Ctl& c = ctls_[ctls_.size() - 1 - depth];
    if (c.kind == CtlKind::kFunc) return ret();
    uint32_t n = label_arity(c);
    if (h() < n) {
      bad_ = true;
      return;
    }
    for (uint32_t i = 0; i < n; ++i) put(vs_[h() - n + i], slot(c.height + i));
    op(c.kind == CtlKind::kLoop ? IOp::kBrLoop : IOp::kBr);
    u(0);
    target(c, here() - 1);
  }

  bool block_type(Reader& r, uint32_t& np, uint32_t& nr) {
    BlockType bt;
    if (!read_block_type(r, bt)) return false;
    np = nr = 0;
    if (bt.kind == BlockType::Kind::kValue) nr = 1;
    if (bt.kind == BlockType::Kind::kIndex) {
      if (bt.index >= m_.types.size()) return false;
      np = static_cast<uint32_t>(m_.types[bt.index].params.size());
      nr = static_cast<uint32_t>(m_.types[bt.index].results.size());
    }
    return true;
  }

  // Emits "branch to `word_target_owner` when cond holds (negate: when it does not)", fusing
  // with a compare that just produced the condition. Returns the target operand's word index.
  uint32_t cond_branch(bool negate, bool to_loop = false) {
    const Variants& var = var_;
    if (top_is_fresh_result() && last_.start >= 0) {
      uint8_t cmp = last_.wasm_op;
      if ((cmp == 0x28 || cmp == 0x2c || cmp == 0x2d) && !last_.has_imm && !to_loop) {
        // A plain i32.load / load8 tested right away: load and branch in one (a sign-extended
        // byte is zero exactly when the unsigned one is).
        LastOp l = last_;
        drop_last();
        pop();
        op(cmp == 0x28 ? (negate ? IOp::kBrIfLoadZ : IOp::kBrIfLoadNz) : (negate ? IOp::kBrIfLoad8UZ : IOp::kBrIfLoad8UNz));
        u(l.a);
        u(l.b);
        u(0);
        return here() - 1;
      }
      if (cmp == 0x45 && !to_loop) {  // i32.eqz: branch on the operand directly
        uint32_t a = last_.a;
        LastOp ld = prev_last_;
        int64_t ldl = prev_load_local_;
        drop_last();
        pop();
        if (ldl >= 0 && ldl + 4 == here() && w_[static_cast<size_t>(ldl) + 1] == a) {
          // "load into local x; local.get x; i32.eqz; br_if": the load also branches.
          bool byte = load_local_op_ == 0x2d;
          IOp z = byte ? IOp::kBrIfLoad8UZD : IOp::kBrIfLoadZD;
          IOp nz = byte ? IOp::kBrIfLoad8UNzD : IOp::kBrIfLoadNzD;
          w_[static_cast<size_t>(ldl)] = static_cast<uint32_t>(handlers_[static_cast<int>(negate ? nz : z)]);
          u(0);
          acc_ = prev_acc_ = -1;
          load_local_ = prev_load_local_ = -1;
          return here() - 1;
        }
        if (ld.start >= 0 && (ld.wasm_op == 0x28 || ld.wasm_op == 0x2c || ld.wasm_op == 0x2d) && !ld.has_imm &&
            ld.dst_word + 3 == here() && w_[static_cast<size_t>(ld.dst_word)] == a) {
          // "i32.load8 / i32.load; i32.eqz; br_if": the load was right before and only feeds the test.
          last_ = ld;
          drop_last();
          IOp z = ld.wasm_op == 0x28 ? IOp::kBrIfLoadZ : IOp::kBrIfLoad8UZ;
          IOp nz = ld.wasm_op == 0x28 ? IOp::kBrIfLoadNz : IOp::kBrIfLoad8UNz;
          op(negate ? nz : z);
          u(ld.a);
          u(ld.b);
          u(0);
          return here() - 1;
        }
        op_acc(negate ? IOp::kBrIfNz : IOp::kBrIfZ, a);
        u(a);
        u(0);
        return here() - 1;
      }
      if (cmp == 0x71 && last_.has_imm) {  // i32.and x, imm: test the bits directly
        LastOp l = last_;
        drop_last();
        pop();
        op_acc(negate ? IOp::kBrIfAndZ : IOp::kBrIfAndNz, l.a);
        u(l.a);
        u(l.b);
        u(0);
        return here() - 1;
      }
      if (negate) cmp = var.inverse[cmp];
      if (cmp && var.br[cmp] != IOp::kUnreachable) {
        LastOp l = last_;
        drop_last();
        pop();
        // Variant order in ops.h: BrIf<C>, BrIf<C>Imm, BrIf<C>Loop, BrIf<C>ImmLoop.
        int variant = (l.has_imm ? 1 : 0) + (to_loop ? 2 : 0);
        op_acc(static_cast<IOp>(static_cast<int>(var.br[cmp]) + variant), l.a);
        u(l.a);
        u(l.b);
        u(0);
        return here() - 1;
      }
    }
    uint32_t c = top_loc();
    pop();
    op_acc(negate ? IOp::kBrIfZ : to_loop ? IOp::kBrIfNzLoop : IOp::kBrIfNz, c);
    u(c);
    u(0);
    return here() - 1;
  }
  // Removes the last emitted instruction (it is being fused into the next one).
  void drop_last() {
    w_.resize(static_cast<size_t>(last_.start));
    if (!code_.offsets.empty() && code_.offsets.back().first == static_cast<uint32_t>(last_.start))
      code_.offsets.pop_back();
    last_ = LastOp{};
    acc_ = prev_acc_;  // acc holds what the instruction before the removed one produced
    prev_acc_ = -1;
    addimm_local_ = prev_addimm_local_ = -1;
    load_local_ = prev_load_local_ = -1;
  }

  void binary(uint8_t opc, const OpInfo& info) {
    const Variants& var = var_;
    if (h() < 2) {
      bad_ = true;
      return;
    }
    // "x op load(addr)": the right operand was just loaded; read memory inside the operation.
    IOp mem_op = IOp::kUnreachable;
    uint8_t want_load = 0;
    switch (opc) {
      case 0x6a: mem_op = IOp::kI32AddLoad; want_load = 0x28; break;
      case 0xa0: mem_op = IOp::kF64AddLoad; want_load = 0x2b; break;
      case 0xa1: mem_op = IOp::kF64SubLoad; want_load = 0x2b; break;
      case 0xa2: mem_op = IOp::kF64MulLoad; want_load = 0x2b; break;
      default: break;
    }
    if (want_load && top_is_fresh_result() && last_.wasm_op == want_load) {
      LastOp l = last_;
      drop_last();
      pop();
      uint32_t al = top_loc();  // may store a constant into its own slot (not the address)
      pop();
      uint32_t d = slot(h());
      int64_t start = here();
      op_acc(l.has_imm ? static_cast<IOp>(static_cast<int>(mem_op) + 1) : mem_op, al);
      u(d);
      u(al);
      u(l.a);
      u(l.b);
      if (l.has_imm) u(l.off);
      push_slot(d);
      last_ = LastOp{start, start + 1, 0, false, 0, 0};  // only for local.set to retarget d
      last_.binload = !l.has_imm;
      acc_ = d;
      return;
    }
    // "a op shift(c, imm)": the right operand is a shift/rotate by an immediate just computed.
    if (top_is_fresh_result() && last_.has_imm && last_.start >= 0) {
      IOp sop = IOp::kCount;
#define SHIFTED(Name, o, sh, expr) \
  if (opc == (o) && last_.wasm_op == (sh)) sop = IOp::k##Name##Imm;
      IPVM_SHIFTED_OPS(SHIFTED)
#undef SHIFTED
      if (sop != IOp::kCount) {
        LastOp l = last_;
        drop_last();
        pop();
        uint32_t al = top_loc();
        pop();
        uint32_t d = slot(h());
        int64_t start = here();
        op(sop);
        u(d);
        u(al);
        u(l.a);
        u(l.b);
        push_slot(d);
        last_ = LastOp{start, start + 1, 0, false, 0, 0};  // only for local.set to retarget d
        acc_ = d;
        return;
      }
    }
    Entry& b = vs_.back();
    IOp immop = var.imm[opc];
    if (b.kind == Entry::kConst && immop != IOp::kUnreachable) {
      // 64-bit ops take a sign-extended 32-bit immediate.
      bool fits = !b.is64 || static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(b.imm))) == b.imm;
      if (fits) {
        uint32_t imm = static_cast<uint32_t>(b.imm);
        pop();
        uint32_t a = top_loc();
        pop();
        uint32_t d = slot(h());
        int64_t start = here();
        op_acc(immop, a);
        u(d);
        u(a);
        u(imm);
        push_slot(d);
        last_ = LastOp{start, start + 1, opc, true, a, imm};
        acc_ = d;
        return;
      }
    }
    uint32_t bl = top_loc();
    uint32_t al = top_loc(1);
    pop(2);
    uint32_t d = slot(h());
    int64_t start = here();
    op_acc(info.op, al, bl);
    u(d);
    u(al);
    u(bl);
    push_slot(d);
    last_ = LastOp{start, start + 1, opc, false, al, bl};
    acc_ = d;
  }
  void unary(IOp o, uint8_t opc) {
    uint32_t a = top_loc();
    pop();
    uint32_t d = slot(h());
    int64_t start = here();
    op_acc(o, a);
    u(d);
    u(a);
    push_slot(d);
    last_ = LastOp{start, start + 1, opc, false, a, 0};
    acc_ = d;
  }

  bool step(Reader& r) {
    at_ = static_cast<uint32_t>(r.offset());
    uint8_t opc = 0;
    if (!r.read_u8(opc)) return false;
    if (ctls_.empty() || bad_) return false;
    if (!step_op(r, opc) || bad_) return false;
    return true;
  }

  bool step_op(Reader& r, uint8_t opc) {
    Ctl& top = ctls_.back();
    const bool live = !top.unreachable && !top.dead;
    if (live) ++regions_.back().second;  // one fuel unit per wasm instruction

    switch (opc) {
      case 0x02:    // block
      case 0x03:    // loop
      case 0x04: {  // if
        uint32_t np, nr;
        if (!block_type(r, np, nr)) return false;
        CtlKind kind = opc == 0x02 ? CtlKind::kBlock : opc == 0x03 ? CtlKind::kLoop : CtlKind::kIf;
        if (!live) {
          Ctl c{kind, 0, np, nr};
          c.dead = true;
          ctls_.push_back(std::move(c));
          return true;
        }
        if (h() < np + (kind == CtlKind::kIf ? 1 : 0)) return false;
        int64_t else_word = -1;
        if (kind == CtlKind::kIf) {
          // The condition is consumed first; everything below must be in its slot on both paths.
          uint32_t hh = h() - 1;
          for (uint32_t i = 0; i < hh; ++i)
            if (!(vs_[i].kind == Entry::kSlot && vs_[i].loc == slot(i))) {
              // Materializing may clobber nothing the condition reads (it lives above or in a local).
              materialize(i);
            }
          else_word = cond_branch(true);
        } else {
          materialize_all();
        }
        Ctl c{kind, h() - np, np, nr};
        c.else_fixup = else_word;
        if (kind == CtlKind::kLoop) c.loop_pc = label_here();
        ctls_.push_back(std::move(c));
        if (kind == CtlKind::kLoop) begin_region();
        return true;
      }
      case 0x05: {  // else
        Ctl& c = ctls_.back();
        if (c.dead) return true;
        if (c.kind != CtlKind::kIf || c.else_fixup < 0) return false;
        if (!c.unreachable) {
          materialize_all();
          op(IOp::kBr);
          u(0);
          add_fixup(c, here() - 1);
        }
        w_[static_cast<size_t>(c.else_fixup)] = label_here();
        c.else_fixup = -1;
        reset_stack(c.height + c.nparams);
        c.unreachable = false;
        return true;
      }
      case 0x0b: {  // end
        Ctl& cref = ctls_.back();
        if (!cref.dead && !cref.unreachable && cref.kind != CtlKind::kFunc) materialize_all();
        Ctl c = std::move(ctls_.back());
        ctls_.pop_back();
        if (c.dead) return true;
        if (c.kind == CtlKind::kFunc) {
          if (!c.unreachable) ret();
          return true;
        }
        bool reached = !c.unreachable || c.fixups >= 0 || c.else_fixup >= 0;
        if (c.kind == CtlKind::kLoop) end_region();
        uint32_t label = label_here();
        for (int32_t f = c.fixups; f >= 0; f = fixups_[f].second) w_[fixups_[f].first] = label;
        if (c.else_fixup >= 0) w_[static_cast<size_t>(c.else_fixup)] = label;
        reset_stack(c.height + c.nresults);
        if (!reached) ctls_.back().unreachable = true;
        return true;
      }
      default:
        break;
    }

    switch (opc) {
      case 0x00:  // unreachable
        if (!live) return true;
        op(IOp::kUnreachable);
        top.unreachable = true;
        return true;
      case 0x01:  // nop
        return true;
      case 0x0c: {  // br
        uint32_t d;
        if (!r.read_u32(d) || d >= ctls_.size()) return false;
        if (!live) return true;
        branch(d);
        top.unreachable = true;
        return true;
      }
      case 0x0d: {  // br_if
        uint32_t d;
        if (!r.read_u32(d) || d >= ctls_.size()) return false;
        if (!live) return true;
        Ctl& c = ctls_[ctls_.size() - 1 - d];
        // Is the branch plain once the condition is popped?
        if (h() < 1 + label_arity(c)) return false;
        Entry cond = vs_.back();
        vs_.pop_back();
        bool plain = branch_is_plain(c);
        vs_.push_back(cond);
        if (plain) {
          uint32_t w = cond_branch(false, c.kind == CtlKind::kLoop);
          target(c, w);
        } else {
          uint32_t skip = cond_branch(true);
          branch(d);
          w_[skip] = label_here();
        }
        return true;
      }
      case 0x0e: {  // br_table
        uint32_t n;
        if (!r.read_u32(n) || n > r.remaining()) return false;
        std::vector<uint32_t> depths(n + 1);
        for (auto& d : depths)
          if (!r.read_u32(d) || d >= ctls_.size()) return false;
        if (!live) return true;
        uint32_t idx = top_loc();
        pop();
        op(IOp::kBrTable);
        u(idx);
        u(n);
        uint32_t first = here();
        for (uint32_t i = 0; i <= n; ++i) u(0);
        for (uint32_t i = 0; i <= n; ++i) {
          Ctl& c = ctls_[ctls_.size() - 1 - depths[i]];
          if (branch_is_plain(c)) {
            target(c, first + i);
          } else {
            w_[first + i] = label_here();  // a stub that moves the values, then branches
            branch(depths[i]);
          }
        }
        top.unreachable = true;
        return true;
      }
      case 0x0f:  // return
        if (!live) return true;
        ret();
        top.unreachable = true;
        return true;
      case 0x10: {  // call
        uint32_t f;
        if (!r.read_u32(f) || f >= m_.total_funcs()) return false;
        if (!live) return true;
        const FuncType& ft = m_.func_type(f);
        uint32_t np = static_cast<uint32_t>(ft.params.size()), nr = static_cast<uint32_t>(ft.results.size());
        if (h() < np) return false;
        for (uint32_t i = h() - np; i < h(); ++i) materialize(i);
        pop(np);
        CallSite site;
        if (f >= m_.num_imported_funcs) {
          op(IOp::kCall);
          site.callee = f - m_.num_imported_funcs;
        } else {
          op(IOp::kCallImport);
          site.callee = f;
          site.kind = CallSite::Kind::kImport;
        }
        u(site.callee);
        site.args = slot(h());
        u(site.args);
        site.ret = here();
        code_.call_sites.push_back(site);
        for (uint32_t i = 0; i < nr; ++i) push_result();
        // A defined function always comes back through Ret, which leaves its first result in acc.
        if (site.kind == CallSite::Kind::kDirect && nr == 1) acc_ = site.args;
        return true;
      }
      case 0x11: {  // call_indirect
        uint32_t t, table;
        if (!r.read_u32(t) || !r.read_u32(table) || t >= m_.types.size() || table >= m_.total_tables())
          return false;
        if (!live) return true;
        const FuncType& ft = m_.types[t];
        uint32_t np = static_cast<uint32_t>(ft.params.size()), nr = static_cast<uint32_t>(ft.results.size());
        uint32_t idx = top_loc();
        pop();
        if (h() < np) return false;
        for (uint32_t i = h() - np; i < h(); ++i) materialize(i);
        pop(np);
        op(IOp::kCallIndirect);
        u(t);
        u(table);
        u(idx);
        u(slot(h()));
        code_.call_sites.push_back(CallSite{here(), t, slot(h()), CallSite::Kind::kIndirect});
        for (uint32_t i = 0; i < nr; ++i) push_result();
        return true;
      }
      case 0x1a:  // drop
        if (live) pop();
        return true;
      case 0x1c: {  // select t*
        uint32_t n;
        if (!r.read_u32(n)) return false;
        for (uint32_t i = 0; i < n; ++i) {
          ValType vt;
          if (!read_val_type(r, vt)) return false;
        }
        [[fallthrough]];
      }
      case 0x1b: {  // select
        if (!live) return true;
        uint32_t c = top_loc();
        uint32_t b = top_loc(1);
        uint32_t a = top_loc(2);
        pop(3);
        uint32_t d = slot(h());
        int64_t start = here();
        op_acc(IOp::kSelect, c);
        u(d);
        u(a);
        u(b);
        u(c);
        push_slot(d);
        last_ = LastOp{start, start + 1, 0, false, 0, 0};  // only for local.set to retarget d
        return true;
      }
      case 0x20: {  // local.get
        uint32_t x;
        if (!r.read_u32(x) || x >= nl_) return false;
        if (!live) return true;
        push_slot(x);
        return true;
      }
      case 0x21:
      case 0x22: {  // local.set / local.tee
        uint32_t x;
        if (!r.read_u32(x) || x >= nl_) return false;
        if (!live) return true;
        if (h() == 0) return false;
        Entry& t = vs_.back();
        if (!after_label_ && zero_known_[x] && t.kind == Entry::kConst && t.imm == 0) {
          // Straight-line code from the entry: declared locals still hold the zero the call put there.
          if (opc == 0x21) pop();
          return true;
        }
        zero_known_[x] = 0;
        if (t.kind == Entry::kSlot && t.loc == x) {
          if (opc == 0x21) pop();
          return true;
        }
        bool hazard = false;
        for (uint32_t i = 0; i + 1 < h(); ++i)
          if (vs_[i].kind == Entry::kSlot && vs_[i].loc == x) hazard = true;
        if (!hazard && top_is_fresh_result()) {
          w_[static_cast<size_t>(last_.dst_word)] = x;  // compute straight into the local
          if (acc_ == static_cast<int64_t>(slot(h() - 1))) acc_ = x;
          if ((last_.wasm_op == 0x28 || last_.wasm_op == 0x2d) && !last_.has_imm && last_.start >= 0) {
            load_local_ = last_.start;
            load_local_op_ = last_.wasm_op;
          }
          if (last_.wasm_op == 0x6a && last_.has_imm && last_.start >= 0) {
            if (prev_addimm_local_ >= 0 && prev_addimm_local_ + 4 == last_.start &&
                code_.offsets.back().first == static_cast<uint32_t>(last_.start)) {
              // Two "local = local + imm" in a row (pointer and counter steps): one I32AddImm2.
              w_[static_cast<size_t>(prev_addimm_local_)] = static_cast<uint32_t>(handlers_[static_cast<int>(IOp::kI32AddImm2)]);
              w_.erase(w_.begin() + last_.start);
              code_.offsets.pop_back();
              prev_addimm_local_ = -1;
            } else {
              addimm_local_ = last_.start;
            }
          }
          last_ = LastOp{};
        } else {
          protect_local(x, h() - 1);
          put(vs_.back(), x);
        }
        pop();
        if (opc == 0x22) push_slot(x);
        return true;
      }
      case 0x23:
      case 0x24: {  // global.get/set
        uint32_t g;
        if (!r.read_u32(g) || g >= m_.total_globals()) return false;
        if (!live) return true;
        if (opc == 0x23) {
          uint32_t d = slot(h());
          int64_t start = here();
          op(IOp::kGlobalGet);
          u(d);
          u(g);
          push_slot(d);
          last_ = LastOp{start, start + 1, 0, false, 0, 0};
        } else {
          uint32_t a = top_loc();
          pop();
          op(IOp::kGlobalSet);
          u(g);
          u(a);
        }
        return true;
      }
      case 0x25: {  // table.get
        uint32_t t;
        if (!r.read_u32(t) || t >= m_.total_tables()) return false;
        if (!live) return true;
        uint32_t i = top_loc();
        pop();
        uint32_t d = slot(h());
        op(IOp::kTableGet);
        u(d);
        u(t);
        u(i);
        push_slot(d);
        return true;
      }
      case 0x26: {  // table.set
        uint32_t t;
        if (!r.read_u32(t) || t >= m_.total_tables()) return false;
        if (!live) return true;
        uint32_t v = top_loc();
        uint32_t i = top_loc(1);
        pop(2);
        op(IOp::kTableSet);
        u(t);
        u(i);
        u(v);
        return true;
      }
      case 0x3f:
      case 0x40: {  // memory.size / memory.grow
        uint8_t zero;
        if (!r.read_u8(zero)) return false;
        if (!live) return true;
        if (opc == 0x3f) {
          uint32_t d = slot(h());
          op(IOp::kMemorySize);
          u(d);
          push_slot(d);
        } else {
          uint32_t n = top_loc();
          pop();
          uint32_t d = slot(h());
          op(IOp::kMemoryGrow);
          u(d);
          u(n);
          push_slot(d);
        }
        return true;
      }
      case 0x41: {
        int32_t v = 0;
        if (!r.read_s32(v)) return false;
        if (live) push_const(static_cast<uint32_t>(v), false);
        return true;
      }
      case 0x42: {
        int64_t v = 0;
        if (!r.read_s64(v)) return false;
        if (live) push_const(static_cast<uint64_t>(v), true);
        return true;
      }
      case 0x43: {
        uint32_t v = 0;
        if (!r.read_f32_bits(v)) return false;
        if (live) push_const(v, false);
        return true;
      }
      case 0x44: {
        uint64_t v = 0;
        if (!r.read_f64_bits(v)) return false;
        if (live) push_const(v, true);
        return true;
      }
      case 0xd0: {  // ref.null t
        ValType t;
        if (!read_ref_type(r, t)) return false;
        if (live) push_const(0, false);
        return true;
      }
      case 0xd2: {  // ref.func
        uint32_t f;
        if (!r.read_u32(f) || f >= m_.total_funcs()) return false;
        if (!live) return true;
        uint32_t d = slot(h());
        op(IOp::kRefFunc);
        u(d);
        u(f);
        push_slot(d);
        return true;
      }
      case 0xfc:
        return step_fc(r, live);
      default:
        break;
    }

    if (opc >= 0x28 && opc <= 0x3e) {
      MemArg ma;
      if (!read_memarg(r, ma)) return false;
      if (!live) return true;
      IOp o = memory_[opc];
      // Op<Name>AI follows Op<Name> by the same distance for every load/store (ops.h order).
      auto ai = [](IOp base) {
        int first_load = static_cast<int>(IOp::kI32Load), first_store = static_cast<int>(IOp::kI32Store);
        int b = static_cast<int>(base);
        if (b >= first_store) return static_cast<IOp>(static_cast<int>(IOp::kI32StoreAI) + b - first_store);
        return static_cast<IOp>(static_cast<int>(IOp::kI32LoadAI) + b - first_load);
      };
      // An address computed by "i32.add x, const" just before is folded into the access.
      auto fresh_addimm = [&](uint32_t height) {
        return height < h() && last_.dst_word >= 0 && last_.wasm_op == 0x6a && last_.has_imm &&
               vs_[height].kind == Entry::kSlot && vs_[height].loc == slot(height) &&
               w_[static_cast<size_t>(last_.dst_word)] == slot(height);
      };
      if (opc <= 0x35) {
        if (h() < 1) return false;
        if (fresh_addimm(h() - 1)) {
          LastOp l = last_;
          drop_last();
          pop();
          uint32_t d = slot(h());
          int64_t start = here();
          op(ai(o));
          u(d);
          u(l.a);
          u(l.b);
          u(ma.offset);
          push_slot(d);
          last_ = LastOp{start, start + 1, opc, true, l.a, l.b, ma.offset};
          acc_ = d;
          return true;
        }
        if (vs_.back().kind == Entry::kConst) {
          // A constant address: no slot for it. <Name>K follows the same order as the loads.
          uint32_t k = static_cast<uint32_t>(vs_.back().imm);
          pop();
          uint32_t d = slot(h());
          int64_t start = here();
          op(static_cast<IOp>(static_cast<int>(IOp::kI32LoadK) + static_cast<int>(o) - static_cast<int>(IOp::kI32Load)));
          u(d);
          u(k);
          u(ma.offset);
          push_slot(d);
          last_ = LastOp{start, start + 1, 0, false, 0, 0};  // only for local.set to retarget d
          acc_ = d;
          return true;
        }
        uint32_t a = top_loc();
        pop();
        uint32_t d = slot(h());
        int64_t start = here();
        op_acc(o, a);
        u(d);
        u(a);
        u(ma.offset);
        push_slot(d);
        last_ = LastOp{start, start + 1, opc, false, a, ma.offset};
        acc_ = d;
      } else {
        if (h() < 2) return false;
        if ((opc == 0x36 || opc == 0x39) && last_.binload && top_is_fresh_result() &&
            vs_[h() - 2].kind == Entry::kSlot && vs_[h() - 2].loc == w_[static_cast<size_t>(last_.start) + 3] &&
            ma.offset == w_[static_cast<size_t>(last_.start) + 4]) {
          // "*p = x op *p" (p a slot, same offset): the load-fused op stores its result back.
          IOp rmw = IOp::kCount;
          uint32_t hw = w_[static_cast<size_t>(last_.start)];
          const std::pair<IOp, IOp> forms[] = {
              {IOp::kI32AddLoad, IOp::kI32AddLoadStore}, {IOp::kI32AddLoadA, IOp::kI32AddLoadStoreA},
              {IOp::kF64AddLoad, IOp::kF64AddLoadStore}, {IOp::kF64AddLoadA, IOp::kF64AddLoadStoreA},
              {IOp::kF64SubLoad, IOp::kF64SubLoadStore}, {IOp::kF64SubLoadA, IOp::kF64SubLoadStoreA},
              {IOp::kF64MulLoad, IOp::kF64MulLoadStore}, {IOp::kF64MulLoadA, IOp::kF64MulLoadStoreA}};
          for (const auto& f : forms)
            if (hw == static_cast<uint32_t>(handlers_[static_cast<int>(f.first)]) &&
                (opc == 0x36) == (f.first == IOp::kI32AddLoad || f.first == IOp::kI32AddLoadA))
              rmw = f.second;
          if (rmw != IOp::kCount) {
            w_[static_cast<size_t>(last_.start)] = static_cast<uint32_t>(handlers_[static_cast<int>(rmw)]);
            pop(2);
            last_ = LastOp{};
            return true;
          }
        }
        // Store<Name>K / <Name>AIK: the value is a constant that fits a sign-extended immediate.
        int store_index = static_cast<int>(o) - static_cast<int>(IOp::kI32Store);
        const Entry& val = vs_.back();
        bool const_value = val.kind == Entry::kConst &&
                           (!val.is64 || static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(val.imm))) == val.imm);
        // 32-bit constants are zero-extended values; storing at most 4 bytes makes the extension moot.
        if (val.kind == Entry::kConst && !val.is64 && (opc == 0x37 || opc == 0x39)) const_value = false;
        if (const_value) {
          uint32_t k = static_cast<uint32_t>(val.imm);
          IOp kop = static_cast<IOp>(static_cast<int>(IOp::kI32StoreK) + 2 * store_index);
          if (fresh_addimm(h() - 2)) {
            LastOp l = last_;
            drop_last();
            pop(2);
            op(static_cast<IOp>(static_cast<int>(kop) + 1));
            u(l.a);
            u(l.b);
            u(k);
            u(ma.offset);
            return true;
          }
          uint32_t a = top_loc(1);
          pop(2);
          op(kop);
          u(a);
          u(k);
          u(ma.offset);
          return true;
        }
        if (vs_.back().kind != Entry::kSlot || vs_.back().loc != slot(h() - 1)) {
          // The value is deferred (a local or constant): the address may be a fresh add.
          if (fresh_addimm(h() - 2)) {
            LastOp l = last_;
            drop_last();
            uint32_t v = top_loc();  // may emit a constant into the value's own slot
            pop(2);
            op_acc(ai(o), v);
            u(l.a);
            u(l.b);
            u(v);
            u(ma.offset);
            return true;
          }
        }
        uint32_t v = top_loc();
        uint32_t a = top_loc(1);
        pop(2);
        op_acc(o, v);
        u(a);
        u(v);
        u(ma.offset);
      }
      return true;
    }

    const OpInfo& info = numeric_[opc];
    if (info.arity == 0) return false;
    if (!live) return true;
    if (info.arity == 3) {  // reinterpret: same bits; a constant keeps its width
      return true;
    }
    if (info.arity == 1)
      unary(info.op, opc);
    else
      binary(opc, info);
    return true;
  }

  // After a label: the stack is `height` values, all in their own slots.
  void reset_stack(uint32_t height) {
    vs_.resize(height);
    for (uint32_t i = 0; i < height; ++i) vs_[i] = Entry{Entry::kSlot, false, slot(i), 0};
    if (height > maxh_) maxh_ = height;
    last_ = LastOp{};
  }

  bool step_fc(Reader& r, bool live) {
    uint32_t sub;
    if (!r.read_u32(sub)) return false;
    if (sub <= 7) {
      if (!live) return true;
      static constexpr IOp kSat[] = {IOp::kI32TruncSatF32S, IOp::kI32TruncSatF32U, IOp::kI32TruncSatF64S,
                                     IOp::kI32TruncSatF64U, IOp::kI64TruncSatF32S, IOp::kI64TruncSatF32U,
                                     IOp::kI64TruncSatF64S, IOp::kI64TruncSatF64U};
      unary(kSat[sub], 0);
      return true;
    }
    uint32_t a = 0, b = 0;
    switch (sub) {
      case 8:
      case 12:
      case 14:
      case 10:
        if (!r.read_u32(a) || !r.read_u32(b)) return false;
        break;
      case 9:
      case 11:
      case 13:
      case 15:
      case 16:
      case 17:
        if (!r.read_u32(a)) return false;
        break;
      default:
        return false;
    }
    // Segment and table indices (validated already; checked again because the interpreter
    // indexes with them unchecked).
    const uint32_t ndata = static_cast<uint32_t>(m_.datas.size()), nelem = static_cast<uint32_t>(m_.elems.size());
    const uint32_t ntab = m_.total_tables();
    if ((sub == 8 || sub == 9) && a >= ndata) return false;
    if ((sub == 12 || sub == 13) && a >= nelem) return false;
    if (sub == 12 && b >= ntab) return false;
    if (sub == 14 && (a >= ntab || b >= ntab)) return false;
    if (sub >= 15 && a >= ntab) return false;
    if (!live) return true;
    auto three = [&](uint32_t out[3]) {
      out[2] = top_loc();
      out[1] = top_loc(1);
      out[0] = top_loc(2);
      pop(3);
    };
    uint32_t s[3];
    switch (sub) {
      case 8:
        three(s);
        op(IOp::kMemoryInit);
        u(a);
        u(s[0]);
        u(s[1]);
        u(s[2]);
        return true;
      case 9:
        op(IOp::kDataDrop);
        u(a);
        return true;
      case 10:
      case 11:
        three(s);
        op(sub == 10 ? IOp::kMemoryCopy : IOp::kMemoryFill);
        u(s[0]);
        u(s[1]);
        u(s[2]);
        return true;
      case 12:
        three(s);
        op(IOp::kTableInit);
        u(b);
        u(a);
        u(s[0]);
        u(s[1]);
        u(s[2]);
        return true;
      case 13:
        op(IOp::kElemDrop);
        u(a);
        return true;
      case 14:
        three(s);
        op(IOp::kTableCopy);
        u(a);
        u(b);
        u(s[0]);
        u(s[1]);
        u(s[2]);
        return true;
      case 15: {
        uint32_t n = top_loc();
        uint32_t init = top_loc(1);
        pop(2);
        uint32_t d = slot(h());
        op(IOp::kTableGrow);
        u(d);
        u(a);
        u(init);
        u(n);
        push_slot(d);
        return true;
      }
      case 16: {
        uint32_t d = slot(h());
        op(IOp::kTableSize);
        u(d);
        u(a);
        push_slot(d);
        return true;
      }
      case 17:
        three(s);
        op(IOp::kTableFill);
        u(a);
        u(s[0]);
        u(s[1]);
        u(s[2]);
        return true;
      default:
        return false;
    }
  }

  const Module& m_;
  Code& code_;
  std::vector<uint32_t>& w_;
  std::vector<Ctl> ctls_;
  std::vector<Entry> vs_;
  std::vector<std::pair<uint32_t, int32_t>> fixups_;  // (word, next) linked lists per label
  const int32_t* handlers_;
  const std::array<OpInfo, 256>& numeric_;
  const std::array<IOp, 256>& memory_;
  const Variants& var_;
  LastOp last_;
  LastOp prev_last_;  // last_ as it was before the last emitted instruction
  // Start of the last instruction if it is an I32AddImm into a local (-1: not), and the same for
  // the one before it: two in a row merge into an I32AddImm2.
  int64_t addimm_local_ = -1, prev_addimm_local_ = -1;
  // The same for a plain i32.load / i32.load8_u into a local (its opcode in load_local_op_): an
  // "eqz; br_if" on that local right after becomes one load-and-branch that also writes it.
  int64_t load_local_ = -1, prev_load_local_ = -1;
  uint8_t load_local_op_ = 0;
  uint32_t nl_ = 0, nr_ = 0, maxh_ = 0;
  bool bad_ = false;
  // Until the first label, declared locals not yet written are known to be zero.
  bool after_label_ = false;
  std::vector<uint8_t> zero_known_;
  // The slot whose value acc holds after the last emitted instruction (-1: none), and the same
  // before it (for when the last one is removed by a fusion).
  int64_t acc_ = -1, prev_acc_ = -1;
  uint32_t last_copy_n_ = 0;  // moves in the instruction at last_copy_
  int64_t last_copy_ = -1;  // start of the last emitted Copy, while it may still become a Copy2
  uint32_t at_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> regions_;  // open fuel regions: (cost word, cost)
};

}  // namespace

Result<Code> compile_code(const Module& module) {
  Code code;
  code.words.reserve(module.bytes.size());
  code.offsets.reserve(module.bytes.size() / 2);
  // Cheap consistency checks so that even an unvalidated module cannot make the compiler index
  // out of range (its precondition is validation; this keeps mistakes from becoming memory errors).
  for (const Import& imp : module.imports)
    if (imp.kind == ExternKind::kFunc && imp.func_type >= module.types.size())
      return fail("invalid", "function type index out of range");
  for (const Function& f : module.functions)
    if (f.type >= module.types.size()) return fail("invalid", "function type index out of range");
  FuncCompiler fc(module, code);
  for (uint32_t i = 0; i < module.functions.size(); ++i) IPVM_TRY_STATUS(fc.compile(i));
  return code;
}

uint32_t Code::wasm_offset(uint32_t pc) const {
  auto it = std::upper_bound(offsets.begin(), offsets.end(), std::make_pair(pc, UINT32_MAX));
  if (it == offsets.begin()) return 0;
  return std::prev(it)->second;
}

uint32_t Code::func_at(uint32_t pc) const {
  // Entries increase with the function index: the last function starting at or before pc.
  auto it = std::upper_bound(funcs.begin(), funcs.end(), pc,
                             [](uint32_t p, const FuncCode& f) { return p < f.entry; });
  return it == funcs.begin() ? 0 : static_cast<uint32_t>(it - funcs.begin() - 1);
}

}  // namespace ipvm::wasm
