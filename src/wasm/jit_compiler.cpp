// Word code -> x86-64 (see jit.h for the contract with the interpreter).
//
// Register assignment while native code runs (all callee-saved, so helper calls keep them):
//   rbx = fp (frame slot 0), rbp = live frames (JitCtx::depth), r12 = memory 0 base,
//   r13 = memory 0 size, r14 = fuel chunk left, r15 = JitCtx*. rax, rcx, rdx, rsi, rdi and xmm0/xmm1 are scratch.
// Native stack: the trampoline calls into a function body; every body keeps rsp 16-byte aligned
// (its prologue pushes 8 bytes of padding over the return address) so helpers can be called
// directly. A nested wasm call is a native call; Ret is a native ret. Exits restore the
// trampoline's rsp, so a trap or fuel exit deep in nested calls unwinds them all at once (the
// Frame records, not the native stack, are the truth).
#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <type_traits>
#include <algorithm>

#include "wasm/execution.h"
#include "wasm/instance.h"
#include "wasm/store.h"
#include "wasm/jit.h"
#include "wasm/jit_helpers.h"
#include "wasm/jit_x64.h"
#include "wasm/ops.h"
#include "wasm/table.h"
#include "wasm/trap.h"

namespace ipvm::wasm {

static_assert(sizeof(Frame) == 16 && offsetof(Frame, instance) == 0 && offsetof(Frame, func) == 4 &&
              offsetof(Frame, pc) == 8 && offsetof(Frame, fp) == 12);

bool jit_default() {
#if defined(__x86_64__)
  static const bool on = [] {
    const char* e = std::getenv("IPVM_JIT");
    return !(e && std::strcmp(e, "0") == 0);
  }();
  return on;
#else
  return false;
#endif
}

#if defined(__x86_64__)

namespace {

using namespace x64;

constexpr Reg kFp = RBX, kDepth = RBP, kMem = R12, kMsize = R13, kFuel = R14, kCtx = R15;

#define CTX_FIELD(f) Mem{kCtx, static_cast<int32_t>(offsetof(JitCtx, f))}

// Handler word -> op (the word code stores handler offsets, see code.h), as a dense table over
// the handlers' offset range. Words outside it, and offsets two ops would share, give kCount
// (never compiled).
class OpsByWord {
 public:
  OpsByWord() {
    lo_ = INT32_MAX;
    int32_t hi = INT32_MIN;
    for (int i = 0; i < static_cast<int>(IOp::kCount); ++i) {
      int32_t w = static_cast<int32_t>(handler_word(static_cast<IOp>(i)));
      lo_ = std::min(lo_, w);
      hi = std::max(hi, w);
    }
    table_.assign(static_cast<size_t>(int64_t{hi} - lo_ + 1), IOp::kCount);
    std::vector<uint8_t> seen(table_.size(), 0);
    for (int i = 0; i < static_cast<int>(IOp::kCount); ++i) {
      size_t at = static_cast<size_t>(int64_t{static_cast<int32_t>(handler_word(static_cast<IOp>(i)))} - lo_);
      table_[at] = seen[at]++ ? IOp::kCount : static_cast<IOp>(i);
    }
  }
  IOp operator()(uint32_t word) const {
    uint64_t at = static_cast<uint64_t>(int64_t{static_cast<int32_t>(word)} - lo_);
    return at < table_.size() ? table_[at] : IOp::kCount;
  }

 private:
  int32_t lo_;
  std::vector<IOp> table_;
};

const OpsByWord& ops_by_word() {
  static const OpsByWord table;
  return table;
}

// --- op classification (operand layouts from ops.h) ---

#define JIT_ARITH_OPS(X)                                                                       \
  X(I32Add, false, kAlu, kAdd) X(I32Sub, false, kAlu, kSub) X(I32Mul, false, kMul, 0)         \
  X(I32And, false, kAlu, kAnd) X(I32Or, false, kAlu, kOr) X(I32Xor, false, kAlu, kXor)        \
  X(I32Shl, false, kSh, kShl) X(I32ShrS, false, kSh, kSar) X(I32ShrU, false, kSh, kShr)       \
  X(I32Rotl, false, kSh, kRol) X(I32Rotr, false, kSh, kRor)                                   \
  X(I64Add, true, kAlu, kAdd) X(I64Sub, true, kAlu, kSub) X(I64Mul, true, kMul, 0)            \
  X(I64And, true, kAlu, kAnd) X(I64Or, true, kAlu, kOr) X(I64Xor, true, kAlu, kXor)           \
  X(I64Shl, true, kSh, kShl) X(I64ShrS, true, kSh, kSar) X(I64ShrU, true, kSh, kShr)          \
  X(I64Rotl, true, kSh, kRol) X(I64Rotr, true, kSh, kRor)
#define JIT_CMP_OPS(X)                                                                         \
  X(I32Eq, false, kE) X(I32Ne, false, kNE) X(I32LtS, false, kL) X(I32LtU, false, kB)          \
  X(I32GtS, false, kG) X(I32GtU, false, kA) X(I32LeS, false, kLE) X(I32LeU, false, kBE)       \
  X(I32GeS, false, kGE) X(I32GeU, false, kAE)                                                 \
  X(I64Eq, true, kE) X(I64Ne, true, kNE) X(I64LtS, true, kL) X(I64LtU, true, kB)              \
  X(I64GtS, true, kG) X(I64GtU, true, kA) X(I64LeS, true, kLE) X(I64LeU, true, kBE)           \
  X(I64GeS, true, kGE) X(I64GeU, true, kAE)
// Float arithmetic inlined as SSE: X(Name, double, opcode byte after 0F).
#define JIT_FLOAT_ARITH(X)                                                                     \
  X(F32Add, false, 0x58) X(F32Sub, false, 0x5C) X(F32Mul, false, 0x59) X(F32Div, false, 0x5E) \
  X(F64Add, true, 0x58) X(F64Sub, true, 0x5C) X(F64Mul, true, 0x59) X(F64Div, true, 0x5E)
enum FCmp { kFEq, kFNe, kFLt, kFGt, kFLe, kFGe };
#define JIT_FLOAT_CMP(X)                                                                       \
  X(F32Eq, false, kFEq) X(F32Ne, false, kFNe) X(F32Lt, false, kFLt) X(F32Gt, false, kFGt)     \
  X(F32Le, false, kFLe) X(F32Ge, false, kFGe) X(F64Eq, true, kFEq) X(F64Ne, true, kFNe)       \
  X(F64Lt, true, kFLt) X(F64Gt, true, kFGt) X(F64Le, true, kFLe) X(F64Ge, true, kFGe)

enum IntKind { kAlu, kMul, kSh, kCmpK };

struct LoadInfo {
  uint8_t n;
  bool sign;
  bool r64;
};
constexpr bool kR64_R32 = false, kR64_R64 = true;

// Instruction length in words (0: unknown op).
uint64_t op_len(IOp op, const uint32_t* p, uint64_t avail) {
  switch (op) {
    case IOp::kUnreachable:
      return 1;
    case IOp::kFuel: case IOp::kBr: case IOp::kBrLoop: case IOp::kElemDrop: case IOp::kMemorySize:
    case IOp::kDataDrop:
      return 2;
    case IOp::kBrIfNz: case IOp::kBrIfZ: case IOp::kBrIfNzA: case IOp::kBrIfZA: case IOp::kBrIfNzLoop:
    case IOp::kBrIfNzLoopA: case IOp::kCopy: case IOp::kConst32: case IOp::kCall: case IOp::kCallImport:
    case IOp::kRet: case IOp::kGlobalGet: case IOp::kGlobalSet: case IOp::kRefFunc: case IOp::kTableSize:
    case IOp::kMemoryGrow:
      return 3;
    case IOp::kBrTable:
      return avail < 3 ? 0 : 4 + uint64_t{p[2]};
    case IOp::kCopyN: case IOp::kConst64: case IOp::kTableGet: case IOp::kTableSet: case IOp::kMemoryCopy:
    case IOp::kMemoryFill: case IOp::kI32DivS: case IOp::kI32DivU: case IOp::kI32RemS: case IOp::kI32RemU:
    case IOp::kI64DivS: case IOp::kI64DivU: case IOp::kI64RemS: case IOp::kI64RemU: case IOp::kBrIfAndNz:
    case IOp::kBrIfAndZ: case IOp::kBrIfAndNzA: case IOp::kBrIfAndZA: case IOp::kBrIfLoadNz:
    case IOp::kBrIfLoadZ: case IOp::kBrIfLoad8UNz: case IOp::kBrIfLoad8UZ:
      return 4;
    case IOp::kCopy2: case IOp::kSelect: case IOp::kSelectA: case IOp::kCallIndirect: case IOp::kTableGrow:
    case IOp::kTableFill: case IOp::kMemoryInit: case IOp::kI32AddLoad: case IOp::kI32AddLoadA:
    case IOp::kF64AddLoad: case IOp::kF64AddLoadA: case IOp::kF64SubLoad: case IOp::kF64SubLoadA:
    case IOp::kF64MulLoad: case IOp::kF64MulLoadA: case IOp::kI32AddLoadStore: case IOp::kI32AddLoadStoreA:
    case IOp::kF64AddLoadStore: case IOp::kF64AddLoadStoreA: case IOp::kF64SubLoadStore:
    case IOp::kF64SubLoadStoreA: case IOp::kF64MulLoadStore: case IOp::kF64MulLoadStoreA:
    case IOp::kBrIfLoadNzD: case IOp::kBrIfLoadZD: case IOp::kBrIfLoad8UNzD: case IOp::kBrIfLoad8UZD:
      return 5;
    case IOp::kTableCopy: case IOp::kTableInit: case IOp::kI32AddLoadAI: case IOp::kI32AddLoadAIA:
    case IOp::kF64AddLoadAI: case IOp::kF64AddLoadAIA: case IOp::kF64SubLoadAI: case IOp::kF64SubLoadAIA:
    case IOp::kF64MulLoadAI: case IOp::kF64MulLoadAIA:
      return 6;
    case IOp::kCopy3: case IOp::kI32AddImm2:
      return 7;
    case IOp::kCopy4:
      return 9;
#define L_BIN(N, ...) case IOp::k##N: case IOp::k##N##A: case IOp::k##N##B:
      IPVM_BINOPS(L_BIN)
#undef L_BIN
#define L_IMM(N, ...) case IOp::k##N##Imm: case IOp::k##N##ImmA:
      IPVM_IMMOPS(L_IMM)
#undef L_IMM
#define L_BR(N, ...) case IOp::kBrIf##N: case IOp::kBrIf##N##Imm: case IOp::kBrIf##N##Loop: \
  case IOp::kBrIf##N##ImmLoop: case IOp::kBrIf##N##A: case IOp::kBrIf##N##ImmA: case IOp::kBrIf##N##LoopA: \
  case IOp::kBrIf##N##ImmLoopA:
      IPVM_CMPOPS(L_BR)
#undef L_BR
#define L_LD(N, ...) case IOp::k##N: case IOp::k##N##A: case IOp::k##N##K:
      IPVM_LOADS(L_LD)
#undef L_LD
#define L_ST(N, ...) case IOp::k##N: case IOp::k##N##V: case IOp::k##N##K:
      IPVM_STORES(L_ST)
#undef L_ST
      return 4;
#define L_LDAI(N, ...) case IOp::k##N##AI:
      IPVM_LOADS(L_LDAI)
#undef L_LDAI
#define L_STAI(N, ...) case IOp::k##N##AI: case IOp::k##N##AIV: case IOp::k##N##AIK:
      IPVM_STORES(L_STAI)
#undef L_STAI
#define L_SH(N, ...) case IOp::k##N##Imm:
      IPVM_SHIFTED_OPS(L_SH)
#undef L_SH
      return 5;
#define L_UN(N, ...) case IOp::k##N: case IOp::k##N##A:
      IPVM_UNOPS(L_UN)
#undef L_UN
#define L_TR(N, ...) case IOp::k##N:
      IPVM_TRUNCS(L_TR)
      IPVM_TRUNC_SATS(L_TR)
#undef L_TR
      return 3;
    default:
      return 0;
  }
}

bool supported(IOp op) { return op != IOp::kCount; }

// Ops without a template: native code exits before them, the interpreter runs them and comes back
// at the next instruction (NEXT_JIT in interpreter.cpp).
bool interpreted(IOp op) {
  switch (op) {
    case IOp::kRefFunc: case IOp::kTableGet: case IOp::kTableSet: case IOp::kTableSize: case IOp::kTableGrow:
    case IOp::kTableFill: case IOp::kTableCopy: case IOp::kTableInit: case IOp::kElemDrop:
    case IOp::kMemoryGrow: case IOp::kMemoryInit: case IOp::kDataDrop: case IOp::kMemoryCopy:
    case IOp::kMemoryFill:
      return true;
    default:
      return false;
  }
}

// Word positions (relative to the instruction) of branch targets.
void branch_targets(IOp op, const uint32_t* p, std::vector<uint32_t>& out) {
  switch (op) {
    case IOp::kBr: case IOp::kBrLoop:
      out.push_back(p[1]);
      return;
    case IOp::kBrIfNz: case IOp::kBrIfZ: case IOp::kBrIfNzA: case IOp::kBrIfZA: case IOp::kBrIfNzLoop:
    case IOp::kBrIfNzLoopA:
      out.push_back(p[2]);
      return;
    case IOp::kBrTable:
      for (uint64_t i = 0; i <= p[2]; ++i) out.push_back(p[3 + i]);
      return;
    case IOp::kBrIfAndNz: case IOp::kBrIfAndZ: case IOp::kBrIfAndNzA: case IOp::kBrIfAndZA:
    case IOp::kBrIfLoadNz: case IOp::kBrIfLoadZ: case IOp::kBrIfLoad8UNz: case IOp::kBrIfLoad8UZ:
#define T_BR(N, ...) case IOp::kBrIf##N: case IOp::kBrIf##N##Imm: case IOp::kBrIf##N##Loop: \
  case IOp::kBrIf##N##ImmLoop: case IOp::kBrIf##N##A: case IOp::kBrIf##N##ImmA: case IOp::kBrIf##N##LoopA: \
  case IOp::kBrIf##N##ImmLoopA:
      IPVM_CMPOPS(T_BR)
#undef T_BR
      out.push_back(p[3]);
      return;
    case IOp::kBrIfLoadNzD: case IOp::kBrIfLoadZD: case IOp::kBrIfLoad8UNzD: case IOp::kBrIfLoad8UZD:
      out.push_back(p[4]);
      return;
    default:
      return;
  }
}

struct Cold {
  Label label;
  uint32_t pc = 0;
  JitExit exit = kJitTrap;
  int32_t trap = -1;  // kJitTrap: TrapKind, or -1 when rdx holds TrapKind + 1
};

class Compiler {
 public:
  explicit Compiler(const Code& code) : code_(code), w_(code.words.data()), nw_(code.words.size()) {}

  // Returns false when nothing was compiled.
  bool run(std::vector<uint8_t>& out, std::vector<uint32_t>& map, std::vector<uint32_t>& entries, uint32_t& nfuncs) {
    const size_t nf = code_.funcs.size();
    ok_.assign(nf, 0);
    ops_.assign(nw_, IOp::kCount);
    label_.assign(nw_, 0);
    nfuncs = 0;
    for (size_t i = 0; i < nf; ++i) {
      ok_[i] = check(static_cast<uint32_t>(i));
      nfuncs += ok_[i];
    }
    if (nfuncs == 0) return false;
    map.assign(nw_, 0xffffffffu);
    pos_.assign(nw_, 0);
    map_ = &map;
    a_.buf.reserve(nw_ * 8 + 4096);
    func_labels_.resize(nf);
    emit_trampoline();
    entries.assign(nf, 0xffffffffu);
    for (size_t i = 0; i < nf; ++i)
      if (ok_[i]) {
        entries[i] = static_cast<uint32_t>(a_.size());
        emit_func(static_cast<uint32_t>(i));
      }
    out = std::move(a_.buf);
    return true;
  }

  size_t trampoline_entry() const { return 0; }

 private:
  const Code& code_;
  const uint32_t* w_;
  size_t nw_;
  Assembler a_;
  std::vector<uint8_t> ok_;
  std::vector<uint32_t> targets_;  // check() scratch
  std::vector<uint8_t> start_;
  std::vector<IOp> ops_;  // op at each instruction start of compiled functions
  std::vector<uint32_t>* map_ = nullptr;
  std::vector<Label> func_labels_;
  Label exit_common_;
  std::deque<Cold> cold_;
  std::vector<std::pair<size_t, uint32_t>> jumps_;  // rel32 field -> target word
  struct TableEntry {
    size_t at, base;
    uint32_t target;
  };
  std::vector<TableEntry> table_entries_;
  const uint32_t* p_ = nullptr;  // current instruction
  uint32_t pc_ = 0;
  // Instructions control can reach other than from the one before: branch targets, Fuel
  // instructions (function entries, loop headers) and call return sites. Only these are entries
  // for the interpreter, and no register value is assumed there.
  std::vector<uint8_t> label_;
  std::vector<uint32_t> pos_;  // code offset of every instruction start (compiled functions)
  // The slot whose value a register still holds after the previous instruction (its result), so
  // the next one need not reload it through memory. in_: at the current instruction's start.
  struct Cache {
    int64_t slot = -1;
    Reg reg = RAX;
  };
  Cache in_, out_;

  uint32_t func_end(uint32_t f) const {
    return f + 1 < code_.funcs.size() ? code_.funcs[f + 1].entry : static_cast<uint32_t>(nw_);
  }

  bool check(uint32_t f) {
    const FuncCode& fc = code_.funcs[f];
    uint32_t begin = fc.entry, end = func_end(f);
    if (begin >= end || end > nw_ || fc.frame_slots >= (1u << 24) || fc.num_locals > fc.frame_slots) return false;
    const OpsByWord& by_word = ops_by_word();
    std::vector<uint32_t>& targets = targets_;
    targets.clear();
    start_.assign(end - begin, 0);
    std::vector<uint8_t>& start = start_;
    for (uint32_t pc = begin; pc < end;) {
      IOp op = by_word(w_[pc]);
      if (!supported(op)) return false;
      uint64_t len = op_len(op, w_ + pc, end - pc);
      if (len == 0 || pc + len > end) return false;
      if (op == IOp::kFuel && w_[pc + 1] > (1u << 30)) return false;
      if (op == IOp::kCopyN && w_[pc + 3] > 256) return false;
      if (op == IOp::kCall && (w_[pc + 1] >= code_.funcs.size())) return false;
      start[pc - begin] = 1;
      branch_targets(op, w_ + pc, targets);
      pc += static_cast<uint32_t>(len);
    }
    if (w_[begin] != handler_word(IOp::kFuel)) return false;
    for (uint32_t t : targets)
      if (t < begin || t >= end || !start[t - begin]) return false;
    for (uint32_t pc = begin; pc < end; ++pc) {
      if (!start[pc - begin]) continue;
      IOp op = by_word(w_[pc]);
      ops_[pc] = op;
      if (op == IOp::kFuel) label_[pc] = 1;
      if (op == IOp::kCall || op == IOp::kCallImport || op == IOp::kCallIndirect || interpreted(op)) {
        uint64_t next = pc + op_len(op, w_ + pc, end - pc);
        if (next < end) label_[next] = 1;
      }
    }
    for (uint32_t t : targets) label_[t] = 1;
    label_[begin] = 1;
    return true;
  }

  // --- operands ---
  Mem slot(int i) const { return Mem{kFp, static_cast<int32_t>(p_[i] * 8)}; }
  int32_t imm(int i) const { return static_cast<int32_t>(p_[i]); }

  Label& cold(JitExit exit, int32_t trap = -1) {
    cold_.emplace_back();
    Cold& c = cold_.back();
    c.pc = pc_;
    c.exit = exit;
    c.trap = trap;
    return c.label;
  }
  Label& trap(TrapKind k) { return cold(kJitTrap, static_cast<int32_t>(k)); }

  void jump_word(int cond, uint32_t target) {  // cond < 0: unconditional
    if (cond < 0) {
      a_.byte(0xE9);
    } else {
      a_.byte(0x0F);
      a_.byte(static_cast<uint8_t>(0x80 + cond));
    }
    jumps_.emplace_back(a_.size(), target);
    a_.u32(0);
  }

  void put(int i, Reg r) {
    a_.store(true, slot(i), r);
    out_ = Cache{p_[i], r};
  }
  bool cached(int i) const { return in_.slot >= 0 && in_.slot == p_[i]; }
  // dst = slot i (w: 64 bits, else the low 32 zero-extended), from the cache when it holds it.
  void load_slot(bool w, Reg dst, int i) {
    if (!cached(i)) {
      a_.load(w, dst, slot(i));
    } else if (in_.reg != dst || !w) {
      a_.mov(w, dst, in_.reg);
    }
  }

  // Stores the float in xmm0 to slot i, canonicalizing NaN as the interpreter does.
  // The canonical bits stay in `r`.
  void put_float(bool dbl, int i, Reg r = RAX) {
    Label ok;
    a_.movd_from_xmm(dbl, r, 0);
    a_.ucomis(dbl, 0, 0);
    a_.jcc(kNP, ok);
    a_.mov_imm(r, dbl ? 0x7ff8000000000000ull : 0x7fc00000u);
    a_.bind(ok);
    put(i, r);
  }

  // Effective address of an n-byte access: from a slot (plus `add` wrapped to 32 bits when
  // has_add) or a constant, plus the memarg offset; bounds-checked against r13. Returns the
  // memory operand (rax holds the address part; rcx is clobbered).
  Mem address(int addr_slot, bool has_add, int32_t add, uint64_t const_ea, uint32_t offset, int n) {
    if (addr_slot >= 0) {
      load_slot(false, RAX, addr_slot);
      if (has_add) a_.alu_imm(kAdd, false, RAX, add);
    } else {
      a_.mov_imm(RAX, const_ea);
    }
    Label& oob = trap(TrapKind::kMemoryOutOfBounds);
    if (uint64_t{offset} + n <= 0x7fffffffu) {
      a_.lea(RCX, Mem{RAX, static_cast<int32_t>(offset + n)});
      a_.alu(kCmp, true, RCX, kMsize);
      a_.jcc(kA, oob);
      return Mem{kMem, static_cast<int32_t>(offset), RAX, 1};
    }
    a_.mov_imm(RCX, offset);
    a_.alu(kAdd, true, RAX, RCX);
    a_.lea(RCX, Mem{RAX, n});
    a_.alu(kCmp, true, RCX, kMsize);
    a_.jcc(kA, oob);
    return Mem{kMem, 0, RAX, 1};
  }

  void load_value(LoadInfo li, Reg dst, Mem m) {
    switch (li.n) {
      case 1:
        if (li.sign) a_.movsx8(li.r64, dst, m); else a_.movzx8(dst, m);
        break;
      case 2:
        if (li.sign) a_.movsx16(li.r64, dst, m); else a_.movzx16(dst, m);
        break;
      case 4:
        if (li.sign && li.r64) a_.movsxd(dst, m); else a_.load(false, dst, m);
        break;
      default:
        a_.load(true, dst, m);
    }
  }
  void store_value(int n, Mem m, Reg v) {
    switch (n) {
      case 1: a_.store8(m, v); break;
      case 2: a_.store16(m, v); break;
      case 4: a_.store(false, m, v); break;
      default: a_.store(true, m, v);
    }
  }

  void call_helper(const void* fn) {
    a_.mov_imm(RAX, reinterpret_cast<uint64_t>(fn));
    a_.call(RAX);
  }

  void emit_trampoline() {
    // uint32_t entry(JitCtx* ctx /* rdi */, const void* target /* rsi */)
    Label body;
    a_.push(RBX); a_.push(RBP); a_.push(R12); a_.push(R13); a_.push(R14); a_.push(R15);
    a_.alu_imm(kSub, true, RSP, 8);
    a_.store(true, Mem{RDI, static_cast<int32_t>(offsetof(JitCtx, saved_rsp))}, RSP);
    // Nested native calls may use 64 KiB of this thread's stack before exiting to the interpreter.
    a_.lea(RAX, Mem{RSP, -65536});
    a_.store(true, Mem{RDI, static_cast<int32_t>(offsetof(JitCtx, rsp_limit))}, RAX);
    a_.mov(true, kCtx, RDI);
    a_.load(true, kFp, CTX_FIELD(fp));
    a_.load(true, kMem, CTX_FIELD(mem));
    a_.load(true, kMsize, CTX_FIELD(msize));
    a_.load(true, kFuel, CTX_FIELD(fuel));
    a_.load(false, kDepth, CTX_FIELD(depth));
    a_.call(body);
    a_.mov_imm(RAX, kJitRet);
    a_.bind(exit_common_);
    a_.store(true, CTX_FIELD(fuel), kFuel);
    a_.store(true, CTX_FIELD(fp), kFp);
    a_.store(false, CTX_FIELD(depth), kDepth);
    a_.load(true, RSP, CTX_FIELD(saved_rsp));
    a_.alu_imm(kAdd, true, RSP, 8);
    a_.pop(R15); a_.pop(R14); a_.pop(R13); a_.pop(R12); a_.pop(RBP); a_.pop(RBX);
    a_.ret();
    a_.bind(body);
    a_.alu_imm(kSub, true, RSP, 8);
    a_.jmp(RSI);
  }

  void emit_func(uint32_t f) {
    const FuncCode& fc = code_.funcs[f];
    uint32_t end = func_end(f);
    a_.bind(func_labels_[f]);
    a_.alu_imm(kSub, true, RSP, 8);
    jumps_.clear();
    table_entries_.clear();
    for (uint32_t pc = fc.entry; pc < end;) {
      IOp op = ops_[pc];
      pos_[pc] = static_cast<uint32_t>(a_.size());
      if (label_[pc]) (*map_)[pc] = pos_[pc];
      pc_ = pc;
      p_ = w_ + pc;
      in_ = label_[pc] ? Cache{} : out_;
      out_ = Cache{};
      emit(op);
      pc += static_cast<uint32_t>(op_len(op, p_, end - pc));
    }
    for (Cold& c : cold_) {
      a_.bind(c.label);
      a_.store_imm(false, CTX_FIELD(exit_pc), static_cast<int32_t>(c.pc));
      if (c.exit == kJitTrap) {
        if (c.trap >= 0) {
          a_.store_imm(false, CTX_FIELD(trap), c.trap);
        } else {
          a_.alu_imm(kSub, false, RDX, 1);
          a_.store(false, CTX_FIELD(trap), RDX);
        }
      }
      a_.mov_imm(RAX, c.exit);
      a_.jmp(exit_common_);
    }
    cold_.clear();
    for (auto [at, target] : jumps_) a_.patch_rel32(at, pos_[target]);
    for (const TableEntry& e : table_entries_) {
      uint32_t rel = static_cast<uint32_t>(static_cast<int64_t>(pos_[e.target]) - static_cast<int64_t>(e.base));
      std::memcpy(a_.buf.data() + e.at, &rel, 4);
    }
  }

  // rax = slot ia OP (slot ib | imm), reading cached operands from their register.
  void int_op(bool w, IntKind kind, int code, bool is_imm) {
    binary(w, kind, code, is_imm, 2, 3);
    if (kind == kCmpK) {
      a_.setcc(static_cast<Cond>(code), RAX);
      a_.movzx8_rr(RAX, RAX);
    }
    put(1, RAX);
  }

  void binary(bool w, IntKind kind, int code, bool is_imm, int ia, int ib) {
    Alu alu = kind == kCmpK ? kCmp : static_cast<Alu>(code);
    if (is_imm) {
      load_slot(w, RAX, ia);
      switch (kind) {
        case kMul: a_.imul_imm(w, RAX, RAX, imm(ib)); break;
        case kSh: a_.shift_imm(static_cast<Shift>(code), w, RAX, static_cast<uint8_t>(p_[ib] & (w ? 63 : 31))); break;
        default: a_.alu_imm(alu, w, RAX, imm(ib)); break;
      }
      return;
    }
    if (kind == kSh) {
      load_slot(false, RCX, ib);  // before rax is overwritten (the cache may be rax)
      load_slot(w, RAX, ia);
      a_.shift_cl(static_cast<Shift>(code), w, RAX);
      return;
    }
    bool b_cached = cached(ib);
    if (b_cached && in_.reg == RAX && !cached(ia)) {
      a_.mov(true, RCX, RAX);
      a_.load(w, RAX, slot(ia));
      if (kind == kMul) a_.imul(w, RAX, RCX); else a_.alu(alu, w, RAX, RCX);
      return;
    }
    load_slot(w, RAX, ia);
    if (b_cached) {
      if (kind == kMul) a_.imul(w, RAX, in_.reg); else a_.alu(alu, w, RAX, in_.reg);
    } else {
      if (kind == kMul) a_.imul(w, RAX, slot(ib)); else a_.alu(alu, w, RAX, slot(ib));
    }
  }

  void cmp_branch(bool w, Cond c, bool is_imm) {
    binary(w, kCmpK, c, is_imm, 1, 2);
    jump_word(c, p_[3]);
  }

  void float_cmp(bool dbl, FCmp k) {
    bool swap = k == kFLt || k == kFLe;
    int first = swap ? 3 : 2, second = swap ? 2 : 3;
    a_.sse(0x10, dbl, 0, slot(first));
    a_.ucomis(dbl, 0, slot(second));
    switch (k) {
      case kFEq:
      case kFNe:
        a_.setcc(k == kFEq ? kE : kNE, RAX);
        a_.setcc(k == kFEq ? kNP : kP, RCX);
        a_.movzx8_rr(RAX, RAX);
        a_.movzx8_rr(RCX, RCX);
        a_.alu(k == kFEq ? kAnd : kOr, false, RAX, RCX);
        break;
      case kFLt:
      case kFGt:
        a_.setcc(kA, RAX);
        a_.movzx8_rr(RAX, RAX);
        break;
      default:
        a_.setcc(kAE, RAX);
        a_.movzx8_rr(RAX, RAX);
        break;
    }
    put(1, RAX);
  }

  void divrem(bool w, bool is_signed, bool rem) {
    Label done;
    a_.load(w, RAX, slot(2));
    a_.load(w, RCX, slot(3));
    a_.test(w, RCX, RCX);
    a_.jcc(kE, trap(TrapKind::kIntegerDivideByZero));
    if (is_signed) {
      Label normal;
      a_.alu_imm(kCmp, w, RCX, -1);
      a_.jcc(kNE, normal);
      if (rem) {
        a_.alu(kXor, false, RDX, RDX);
        a_.jmp(done);
      } else {
        a_.mov_imm(RDX, w ? 0x8000000000000000ull : 0x80000000u);
        a_.alu(kCmp, w, RAX, RDX);
        a_.jcc(kE, trap(TrapKind::kIntegerOverflow));
      }
      a_.bind(normal);
      a_.cdq_cqo(w);
    } else {
      a_.alu(kXor, false, RDX, RDX);
    }
    a_.div(w, is_signed, RCX);
    a_.bind(done);
    put(1, rem ? RDX : RAX);
  }

  void call_direct() {
    uint32_t callee = p_[1];
    if (!ok_[callee]) {
      a_.jmp(cold(kJitInterp));
      return;
    }
    const FuncCode& fc = code_.funcs[callee];
    Label& slow = cold(kJitInterp);
    int32_t argbase = static_cast<int32_t>(p_[2] * 8);
    a_.alu(kCmp, false, kDepth, CTX_FIELD(frame_lim));
    a_.jcc(kAE, slow);
    a_.lea(RDX, Mem{kFp, argbase});
    a_.lea(RCX, Mem{RDX, static_cast<int32_t>(fc.frame_slots * 8)});
    a_.alu(kCmp, true, RCX, CTX_FIELD(stack_end));
    a_.jcc(kA, slow);
    a_.alu(kCmp, true, RSP, CTX_FIELD(rsp_limit));
    a_.jcc(kB, slow);
    // rsi = &frames[depth]
    a_.mov(false, RSI, kDepth);
    a_.shift_imm(kShl, true, RSI, 4);
    a_.alu(kAdd, true, RSI, CTX_FIELD(frames));
    a_.store_imm(false, Mem{RSI, -16 + 8}, static_cast<int32_t>(pc_ + 3));  // caller continues after the call
    a_.load(false, RCX, CTX_FIELD(inst_id));
    a_.store(false, Mem{RSI, 0}, RCX);
    a_.store_imm(false, Mem{RSI, 4}, static_cast<int32_t>(callee));
    a_.store_imm(false, Mem{RSI, 8}, 0);
    a_.mov(true, RCX, RDX);
    a_.alu(kSub, true, RCX, CTX_FIELD(stack_base));
    a_.shift_imm(kShr, true, RCX, 3);
    a_.store(false, Mem{RSI, 12}, RCX);
    a_.alu_imm(kAdd, false, kDepth, 1);
    uint32_t zeros = fc.num_locals - fc.num_params;
    if (zeros <= 16) {
      for (uint32_t k = fc.num_params; k < fc.num_locals; ++k) a_.store_imm(true, Mem{RDX, static_cast<int32_t>(k * 8)}, 0);
    } else {
      a_.lea(RDI, Mem{RDX, static_cast<int32_t>(fc.num_params * 8)});
      a_.mov_imm(RCX, zeros);
      a_.alu(kXor, false, RAX, RAX);
      a_.byte(0xF3);  // rep stosq
      a_.byte(0x48);
      a_.byte(0xAB);
    }
    a_.mov(true, kFp, RDX);
    a_.call(func_labels_[callee]);
    a_.lea(kFp, Mem{kFp, -argbase});
  }

  void emit(IOp op) {
    switch (op) {
      case IOp::kUnreachable:
        a_.jmp(trap(TrapKind::kUnreachable));
        return;
      case IOp::kFuel:
        a_.alu_imm(kSub, true, kFuel, imm(1));
        a_.jcc(kS, cold(kJitFuel));
        return;
      case IOp::kBr: case IOp::kBrLoop:
        jump_word(-1, p_[1]);
        return;
      case IOp::kBrIfNz: case IOp::kBrIfNzA: case IOp::kBrIfNzLoop: case IOp::kBrIfNzLoopA:
      case IOp::kBrIfZ: case IOp::kBrIfZA:
        if (cached(1)) {
          a_.test(false, in_.reg, in_.reg);
        } else {
          a_.alu_imm(kCmp, false, slot(1), 0);
        }
        jump_word(op == IOp::kBrIfZ || op == IOp::kBrIfZA ? kE : kNE, p_[2]);
        return;
      case IOp::kBrIfAndNz: case IOp::kBrIfAndNzA: case IOp::kBrIfAndZ: case IOp::kBrIfAndZA:
        load_slot(false, RAX, 1);
        a_.alu_imm(kAnd, false, RAX, imm(2));
        jump_word(op == IOp::kBrIfAndNz || op == IOp::kBrIfAndNzA ? kNE : kE, p_[3]);
        return;
      case IOp::kBrTable: {
        uint32_t n = p_[2];
        Label table;
        a_.load(false, RAX, slot(1));
        a_.mov_imm(RCX, n);
        a_.alu(kCmp, false, RAX, RCX);
        a_.cmov(kA, false, RAX, RCX);
        a_.lea_rip(RCX, table);
        a_.movsxd(RAX, Mem{RCX, 0, RAX, 4});
        a_.alu(kAdd, true, RAX, RCX);
        a_.jmp(RAX);
        a_.bind(table);
        size_t base = a_.size();
        for (uint64_t i = 0; i <= n; ++i) {
          table_entries_.push_back({a_.size(), base, p_[3 + i]});
          a_.u32(0);
        }
        return;
      }
      case IOp::kCopy:
        if (cached(2)) {
          put(1, in_.reg);
        } else {
          a_.load(true, RAX, slot(2));
          put(1, RAX);
        }
        return;
      case IOp::kCopy2: case IOp::kCopy3: case IOp::kCopy4: {
        int n = op == IOp::kCopy2 ? 2 : op == IOp::kCopy3 ? 3 : 4;
        for (int k = 0; k < n; ++k) {
          if (k == 0) load_slot(true, RAX, 2); else a_.load(true, RAX, slot(2 + 2 * k));
          put(1 + 2 * k, RAX);
        }
        return;
      }
      case IOp::kCopyN:
        for (uint32_t k = 0; k < p_[3]; ++k) {
          a_.load(true, RAX, Mem{kFp, static_cast<int32_t>((p_[2] + k) * 8)});
          a_.store(true, Mem{kFp, static_cast<int32_t>((p_[1] + k) * 8)}, RAX);
        }
        return;
      case IOp::kConst32:
        if (p_[2] < 0x80000000u) {
          a_.store_imm(true, slot(1), imm(2));
        } else {
          a_.mov_imm(RAX, p_[2]);
          put(1, RAX);
        }
        return;
      case IOp::kConst64: {
        uint64_t v = uint64_t{p_[2]} | (uint64_t{p_[3]} << 32);
        if (static_cast<int64_t>(v) == static_cast<int32_t>(v)) {
          a_.store_imm(true, slot(1), static_cast<int32_t>(v));
        } else {
          a_.mov_imm(RAX, v);
          put(1, RAX);
        }
        return;
      }
      case IOp::kSelect: case IOp::kSelectA:
        if (cached(4)) {
          a_.mov(false, RDX, in_.reg);
        } else {
          a_.load(false, RDX, slot(4));
        }
        a_.load(true, RAX, slot(2));
        a_.load(true, RCX, slot(3));
        a_.test(false, RDX, RDX);
        a_.cmov(kE, true, RAX, RCX);
        put(1, RAX);
        return;
      case IOp::kCall:
        call_direct();
        return;
      case IOp::kCallImport:
        a_.jmp(cold(kJitInterp));
        return;
      case IOp::kRefFunc: case IOp::kTableGet: case IOp::kTableSet: case IOp::kTableSize: case IOp::kTableGrow:
      case IOp::kTableFill: case IOp::kTableCopy: case IOp::kTableInit: case IOp::kElemDrop:
      case IOp::kMemoryGrow: case IOp::kMemoryInit: case IOp::kDataDrop: case IOp::kMemoryCopy:
      case IOp::kMemoryFill:
        a_.jmp(cold(kJitInterp));
        return;
      case IOp::kCallIndirect: {
        Label& slow = cold(kJitInterp);
        int32_t argbase = static_cast<int32_t>(p_[4] * 8);
        a_.alu(kCmp, true, RSP, CTX_FIELD(rsp_limit));
        a_.jcc(kB, slow);
        a_.store(false, CTX_FIELD(depth), kDepth);  // the helper pushes the frame
        a_.mov(true, RDI, kCtx);
        a_.mov(true, RSI, kFp);
        a_.mov_imm(RDX, pc_);
        call_helper(reinterpret_cast<const void*>(&jit_call_indirect));
        a_.test(true, RAX, RAX);
        a_.jcc(kE, slow);
        a_.load(false, kDepth, CTX_FIELD(depth));
        a_.lea(kFp, Mem{kFp, argbase});
        a_.call(RAX);
        a_.lea(kFp, Mem{kFp, -argbase});
        return;
      }
      case IOp::kRet: {
        uint32_t a = p_[1], n = p_[2];
        if (a != 0)
          for (uint32_t k = 0; k < n; ++k) {
            a_.load(true, RAX, Mem{kFp, static_cast<int32_t>((a + k) * 8)});
            a_.store(true, Mem{kFp, static_cast<int32_t>(k * 8)}, RAX);
          }
        a_.alu_imm(kSub, false, kDepth, 1);
        a_.alu_imm(kAdd, true, RSP, 8);
        a_.ret();
        return;
      }
      case IOp::kGlobalGet:
        a_.load(true, RAX, CTX_FIELD(globals));
        a_.load(true, RAX, Mem{RAX, static_cast<int32_t>(p_[2] * 8)});
        a_.load(true, RAX, Mem{RAX, static_cast<int32_t>(offsetof(GlobalVar, bits))});
        put(1, RAX);
        return;
      case IOp::kGlobalSet:
        load_slot(true, RCX, 2);
        a_.load(true, RAX, CTX_FIELD(globals));
        a_.load(true, RAX, Mem{RAX, static_cast<int32_t>(p_[1] * 8)});
        a_.store(true, Mem{RAX, static_cast<int32_t>(offsetof(GlobalVar, bits))}, RCX);
        return;
      case IOp::kMemorySize:
        a_.mov(true, RAX, kMsize);
        a_.shift_imm(kShr, true, RAX, 16);
        put(1, RAX);
        return;
      case IOp::kI32DivS: divrem(false, true, false); return;
      case IOp::kI32DivU: divrem(false, false, false); return;
      case IOp::kI32RemS: divrem(false, true, true); return;
      case IOp::kI32RemU: divrem(false, false, true); return;
      case IOp::kI64DivS: divrem(true, true, false); return;
      case IOp::kI64DivU: divrem(true, false, false); return;
      case IOp::kI64RemS: divrem(true, true, true); return;
      case IOp::kI64RemU: divrem(true, false, true); return;

#define C_ARITH(N, W, K, C)                             \
  case IOp::k##N: case IOp::k##N##A: case IOp::k##N##B: \
    int_op(W, K, C, false);                             \
    return;                                             \
  case IOp::k##N##Imm: case IOp::k##N##ImmA:            \
    int_op(W, K, C, true);                              \
    return;
      JIT_ARITH_OPS(C_ARITH)
#undef C_ARITH
#define C_CMP(N, W, C)                                                                           \
  case IOp::k##N: case IOp::k##N##A: case IOp::k##N##B:                                         \
    int_op(W, kCmpK, C, false);                                                                  \
    return;                                                                                      \
  case IOp::k##N##Imm: case IOp::k##N##ImmA:                                                     \
    int_op(W, kCmpK, C, true);                                                                   \
    return;                                                                                      \
  case IOp::kBrIf##N: case IOp::kBrIf##N##Loop: case IOp::kBrIf##N##A: case IOp::kBrIf##N##LoopA: \
    cmp_branch(W, C, false);                                                                     \
    return;                                                                                      \
  case IOp::kBrIf##N##Imm: case IOp::kBrIf##N##ImmLoop: case IOp::kBrIf##N##ImmA:                \
  case IOp::kBrIf##N##ImmLoopA:                                                                  \
    cmp_branch(W, C, true);                                                                      \
    return;
      JIT_CMP_OPS(C_CMP)
#undef C_CMP
#define C_FARITH(N, D, OPC)                             \
  case IOp::k##N: case IOp::k##N##A: case IOp::k##N##B: \
    float_arith(D, OPC);                                \
    return;
      JIT_FLOAT_ARITH(C_FARITH)
#undef C_FARITH
#define C_FCMP(N, D, K)                                 \
  case IOp::k##N: case IOp::k##N##A: case IOp::k##N##B: \
    float_cmp(D, K);                                    \
    return;
      JIT_FLOAT_CMP(C_FCMP)
#undef C_FCMP
      case IOp::kF32Copysign: case IOp::kF32CopysignA: case IOp::kF32CopysignB:
        a_.load(false, RAX, slot(2));
        a_.alu_imm(kAnd, false, RAX, 0x7fffffff);
        a_.load(false, RCX, slot(3));
        a_.alu_imm(kAnd, false, RCX, static_cast<int32_t>(0x80000000u));
        a_.alu(kOr, false, RAX, RCX);
        put(1, RAX);
        return;
      case IOp::kF64Copysign: case IOp::kF64CopysignA: case IOp::kF64CopysignB:
        a_.load(true, RAX, slot(2));
        a_.shift_imm(kShl, true, RAX, 1);
        a_.shift_imm(kShr, true, RAX, 1);
        a_.load(true, RCX, slot(3));
        a_.shift_imm(kShr, true, RCX, 63);
        a_.shift_imm(kShl, true, RCX, 63);
        a_.alu(kOr, true, RAX, RCX);
        put(1, RAX);
        return;

      // --- unary ---
      case IOp::kI32Eqz: case IOp::kI32EqzA: case IOp::kI64Eqz: case IOp::kI64EqzA:
        a_.alu_imm(kCmp, op == IOp::kI64Eqz || op == IOp::kI64EqzA, slot(2), 0);
        a_.setcc(kE, RAX);
        a_.movzx8_rr(RAX, RAX);
        put(1, RAX);
        return;
      case IOp::kF32Abs: case IOp::kF32AbsA:
        a_.load(false, RAX, slot(2));
        a_.alu_imm(kAnd, false, RAX, 0x7fffffff);
        put(1, RAX);
        return;
      case IOp::kF32Neg: case IOp::kF32NegA:
        a_.load(false, RAX, slot(2));
        a_.alu_imm(kXor, false, RAX, static_cast<int32_t>(0x80000000u));
        put(1, RAX);
        return;
      case IOp::kF64Abs: case IOp::kF64AbsA:
        a_.load(true, RAX, slot(2));
        a_.shift_imm(kShl, true, RAX, 1);
        a_.shift_imm(kShr, true, RAX, 1);
        put(1, RAX);
        return;
      case IOp::kF64Neg: case IOp::kF64NegA:
        a_.load(true, RAX, slot(2));
        a_.mov_imm(RCX, 0x8000000000000000ull);
        a_.alu(kXor, true, RAX, RCX);
        put(1, RAX);
        return;
      case IOp::kI32WrapI64: case IOp::kI32WrapI64A: case IOp::kI64ExtendI32U: case IOp::kI64ExtendI32UA:
        load_slot(false, RAX, 2);
        put(1, RAX);
        return;
      case IOp::kI64ExtendI32S: case IOp::kI64ExtendI32SA: case IOp::kI64Extend32S: case IOp::kI64Extend32SA:
        if (cached(2)) a_.movsxd_rr(RAX, in_.reg); else a_.movsxd(RAX, slot(2));
        put(1, RAX);
        return;
      case IOp::kI32Extend8S: case IOp::kI32Extend8SA:
        a_.movsx8(false, RAX, slot(2));
        put(1, RAX);
        return;
      case IOp::kI32Extend16S: case IOp::kI32Extend16SA:
        a_.movsx16(false, RAX, slot(2));
        put(1, RAX);
        return;
      case IOp::kI64Extend8S: case IOp::kI64Extend8SA:
        a_.movsx8(true, RAX, slot(2));
        put(1, RAX);
        return;
      case IOp::kI64Extend16S: case IOp::kI64Extend16SA:
        a_.movsx16(true, RAX, slot(2));
        put(1, RAX);
        return;
      case IOp::kF32Sqrt: case IOp::kF32SqrtA: case IOp::kF64Sqrt: case IOp::kF64SqrtA: {
        bool d = op == IOp::kF64Sqrt || op == IOp::kF64SqrtA;
        a_.sse(0x51, d, 0, slot(2));
        put_float(d, 1);
        return;
      }
      case IOp::kF32DemoteF64: case IOp::kF32DemoteF64A:
        a_.sse(0x5A, true, 0, slot(2));
        put_float(false, 1);
        return;
      case IOp::kF64PromoteF32: case IOp::kF64PromoteF32A:
        a_.sse(0x5A, false, 0, slot(2));
        put_float(true, 1);
        return;
      case IOp::kF32ConvertI32S: case IOp::kF32ConvertI32SA: case IOp::kF64ConvertI32S: case IOp::kF64ConvertI32SA:
      case IOp::kF32ConvertI32U: case IOp::kF32ConvertI32UA: case IOp::kF64ConvertI32U: case IOp::kF64ConvertI32UA:
      case IOp::kF32ConvertI64S: case IOp::kF32ConvertI64SA: case IOp::kF64ConvertI64S: case IOp::kF64ConvertI64SA: {
        bool d = op == IOp::kF64ConvertI32S || op == IOp::kF64ConvertI32SA || op == IOp::kF64ConvertI32U ||
                 op == IOp::kF64ConvertI32UA || op == IOp::kF64ConvertI64S || op == IOp::kF64ConvertI64SA;
        bool src64 = op == IOp::kF32ConvertI64S || op == IOp::kF32ConvertI64SA || op == IOp::kF64ConvertI64S ||
                     op == IOp::kF64ConvertI64SA;
        bool u32src = op == IOp::kF32ConvertI32U || op == IOp::kF32ConvertI32UA || op == IOp::kF64ConvertI32U ||
                      op == IOp::kF64ConvertI32UA;
        a_.load(src64, RAX, slot(2));
        a_.cvtsi2s(d, src64 || u32src, 0, RAX);  // a zero-extended u32 converts exactly as an i64
        put_float(d, 1);
        return;
      }

      // --- memory ---
#define C_LOAD(N, OPC, NB, CT, R)                                                                   \
  case IOp::k##N: case IOp::k##N##A:                                                               \
    load_value({NB, std::is_signed_v<CT>, kR64_##R}, RDX, address(2, false, 0, 0, p_[3], NB));     \
    put(1, RDX);                                                                                   \
    return;                                                                                        \
  case IOp::k##N##AI:                                                                              \
    load_value({NB, std::is_signed_v<CT>, kR64_##R}, RDX, address(2, true, imm(3), 0, p_[4], NB)); \
    put(1, RDX);                                                                                   \
    return;                                                                                        \
  case IOp::k##N##K:                                                                               \
    load_value({NB, std::is_signed_v<CT>, kR64_##R}, RDX, address(-1, false, 0, p_[2], p_[3], NB)); \
    put(1, RDX);                                                                                   \
    return;
      IPVM_LOADS(C_LOAD)
#undef C_LOAD
#define C_STORE(N, OPC, NB)                                                        \
  case IOp::k##N: case IOp::k##N##V: {                                            \
    bool v_cached = cached(2);                                                    \
    if (v_cached) a_.mov(true, RDX, in_.reg);                                      \
    Mem m = address(1, false, 0, 0, p_[3], NB);                                   \
    if (!v_cached) a_.load(true, RDX, slot(2));                                   \
    store_value(NB, m, RDX);                                                      \
    return;                                                                       \
  }                                                                               \
  case IOp::k##N##AI: case IOp::k##N##AIV: {                                      \
    bool v_cached = cached(3);                                                    \
    if (v_cached) a_.mov(true, RDX, in_.reg);                                      \
    Mem m = address(1, true, imm(2), 0, p_[4], NB);                               \
    if (!v_cached) a_.load(true, RDX, slot(3));                                   \
    store_value(NB, m, RDX);                                                      \
    return;                                                                       \
  }                                                                               \
  case IOp::k##N##K: {                                                            \
    Mem m = address(1, false, 0, 0, p_[3], NB);                                   \
    a_.mov_imm(RDX, static_cast<uint64_t>(static_cast<int64_t>(imm(2))));         \
    store_value(NB, m, RDX);                                                      \
    return;                                                                       \
  }                                                                               \
  case IOp::k##N##AIK: {                                                          \
    Mem m = address(1, true, imm(2), 0, p_[4], NB);                               \
    a_.mov_imm(RDX, static_cast<uint64_t>(static_cast<int64_t>(imm(3))));         \
    store_value(NB, m, RDX);                                                      \
    return;                                                                       \
  }
      IPVM_STORES(C_STORE)
#undef C_STORE
      case IOp::kI32AddLoad: case IOp::kI32AddLoadA: case IOp::kI32AddLoadStore: case IOp::kI32AddLoadStoreA:
      case IOp::kI32AddLoadAI: case IOp::kI32AddLoadAIA: {
        bool ai = op == IOp::kI32AddLoadAI || op == IOp::kI32AddLoadAIA;
        bool a_cached = cached(2);
        if (a_cached) a_.mov(true, RSI, in_.reg);
        Mem m = ai ? address(3, true, imm(4), 0, p_[5], 4) : address(3, false, 0, 0, p_[4], 4);
        a_.load(false, RDX, m);
        if (a_cached) a_.alu(kAdd, false, RDX, RSI); else a_.alu(kAdd, false, RDX, slot(2));
        put(1, RDX);
        if (op == IOp::kI32AddLoadStore || op == IOp::kI32AddLoadStoreA) a_.store(false, m, RDX);
        return;
      }
      case IOp::kF64AddLoad: case IOp::kF64AddLoadA: case IOp::kF64AddLoadAI: case IOp::kF64AddLoadAIA:
      case IOp::kF64AddLoadStore: case IOp::kF64AddLoadStoreA:
        f64_load_op(op, 0x58, op == IOp::kF64AddLoadAI || op == IOp::kF64AddLoadAIA,
                    op == IOp::kF64AddLoadStore || op == IOp::kF64AddLoadStoreA);
        return;
      case IOp::kF64SubLoad: case IOp::kF64SubLoadA: case IOp::kF64SubLoadAI: case IOp::kF64SubLoadAIA:
      case IOp::kF64SubLoadStore: case IOp::kF64SubLoadStoreA:
        f64_load_op(op, 0x5C, op == IOp::kF64SubLoadAI || op == IOp::kF64SubLoadAIA,
                    op == IOp::kF64SubLoadStore || op == IOp::kF64SubLoadStoreA);
        return;
      case IOp::kF64MulLoad: case IOp::kF64MulLoadA: case IOp::kF64MulLoadAI: case IOp::kF64MulLoadAIA:
      case IOp::kF64MulLoadStore: case IOp::kF64MulLoadStoreA:
        f64_load_op(op, 0x59, op == IOp::kF64MulLoadAI || op == IOp::kF64MulLoadAIA,
                    op == IOp::kF64MulLoadStore || op == IOp::kF64MulLoadStoreA);
        return;
      case IOp::kBrIfLoadNz: case IOp::kBrIfLoadZ: case IOp::kBrIfLoad8UNz: case IOp::kBrIfLoad8UZ: {
        bool byte = op == IOp::kBrIfLoad8UNz || op == IOp::kBrIfLoad8UZ;
        Mem m = address(1, false, 0, 0, p_[2], byte ? 1 : 4);
        load_value({static_cast<uint8_t>(byte ? 1 : 4), false, false}, RDX, m);
        a_.test(false, RDX, RDX);
        jump_word(op == IOp::kBrIfLoadNz || op == IOp::kBrIfLoad8UNz ? kNE : kE, p_[3]);
        return;
      }
      case IOp::kBrIfLoadNzD: case IOp::kBrIfLoadZD: case IOp::kBrIfLoad8UNzD: case IOp::kBrIfLoad8UZD: {
        bool byte = op == IOp::kBrIfLoad8UNzD || op == IOp::kBrIfLoad8UZD;
        Mem m = address(2, false, 0, 0, p_[3], byte ? 1 : 4);
        load_value({static_cast<uint8_t>(byte ? 1 : 4), false, false}, RDX, m);
        put(1, RDX);
        a_.test(false, RDX, RDX);
        jump_word(op == IOp::kBrIfLoadNzD || op == IOp::kBrIfLoad8UNzD ? kNE : kE, p_[4]);
        return;
      }
#define C_SHIFTED(N, OPC, SHIFT, expr)                                                    \
  case IOp::k##N##Imm:                                                                    \
    shifted_op(OPC, SHIFT);                                                               \
    return;
      IPVM_SHIFTED_OPS(C_SHIFTED)
#undef C_SHIFTED
      case IOp::kI32AddImm2:
        a_.load(false, RAX, slot(2));
        a_.alu_imm(kAdd, false, RAX, imm(3));
        put(1, RAX);
        a_.load(false, RAX, slot(5));
        a_.alu_imm(kAdd, false, RAX, imm(6));
        put(4, RAX);
        return;
      default:
        break;
    }
    // Remaining numeric ops: out-of-line helpers with the interpreter's exact expressions.
    if (JitBinHelper h = jit_bin_helper(base_op(op))) {
      load_slot(true, RDI, 2);
      load_slot(true, RSI, 3);
      call_helper(reinterpret_cast<const void*>(h));
      put(1, RAX);
      return;
    }
    if (JitUnHelper h = jit_un_helper(base_op(op))) {
      load_slot(true, RDI, 2);
      call_helper(reinterpret_cast<const void*>(h));
      put(1, RAX);
      return;
    }
    if (JitTruncHelper h = jit_trunc_helper(op)) {
      load_slot(true, RDI, 2);
      call_helper(reinterpret_cast<const void*>(h));
      a_.test(true, RDX, RDX);
      a_.jcc(kNE, cold(kJitTrap, -1));
      put(1, RAX);
      return;
    }
    // Unreachable: check() admits only ops handled above.
    a_.jmp(cold(kJitInterp));
  }

  // The accumulator variants of binary/unary ops compute the same as their plain op.
  static IOp base_op(IOp op) {
    switch (op) {
#define B_BIN(N, ...) case IOp::k##N##A: case IOp::k##N##B: return IOp::k##N;
      IPVM_BINOPS(B_BIN)
#undef B_BIN
#define B_UN(N, ...) case IOp::k##N##A: return IOp::k##N;
      IPVM_UNOPS(B_UN)
#undef B_UN
      default:
        return op;
    }
  }

  // xmm0 = slot 2 OP slot 3 for an SSE scalar op, operands from the cache when there.
  void float_arith(bool dbl, uint8_t opc) {
    bool b_cached = cached(3);
    if (cached(2)) a_.movd_to_xmm(dbl, 0, in_.reg); else a_.sse(0x10, dbl, 0, slot(2));
    if (b_cached) {
      a_.movd_to_xmm(dbl, 1, in_.reg);
      a_.sse(opc, dbl, 0, 1);
    } else {
      a_.sse(opc, dbl, 0, slot(3));
    }
    put_float(dbl, 1);
  }

  void f64_load_op(IOp, uint8_t opc, bool ai, bool rmw) {
    if (cached(2)) a_.movd_to_xmm(true, 0, in_.reg); else a_.sse(0x10, true, 0, slot(2));
    Mem m = ai ? address(3, true, imm(4), 0, p_[5], 8) : address(3, false, 0, 0, p_[4], 8);
    a_.sse(opc, true, 0, m);
    put_float(true, 1, RDX);
    if (rmw) a_.store(true, m, RDX);
  }

  void shifted_op(int opc, int shift) {
    Shift sh = shift == 0x77 ? kRol : shift == 0x76 ? kShr : kShl;
    Alu alu = opc == 0x73 ? kXor : opc == 0x6a ? kAdd : opc == 0x72 ? kOr : kAnd;
    load_slot(false, RCX, 3);
    a_.shift_imm(sh, false, RCX, static_cast<uint8_t>(p_[4] & 31));
    load_slot(false, RAX, 2);
    a_.alu(alu, false, RAX, RCX);
    put(1, RAX);
  }
};

}  // namespace

std::unique_ptr<const JitCode> JitCode::compile(const Code& code) {
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> map, entries;
  uint32_t nfuncs = 0;
  Compiler c(code);
  if (!c.run(bytes, map, entries, nfuncs)) return nullptr;
  size_t page = 4096;
  size_t size = (bytes.size() + page - 1) / page * page;
  void* m = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return nullptr;
  std::memcpy(m, bytes.data(), bytes.size());
  if (mprotect(m, size, PROT_READ | PROT_EXEC) != 0) {
    munmap(m, size);
    return nullptr;
  }
  std::unique_ptr<JitCode> j(new JitCode());
  j->base_ = static_cast<uint8_t*>(m);
  j->size_ = size;
  j->map_ = std::move(map);
  j->func_entries_ = std::move(entries);
  j->compiled_funcs_ = nfuncs;
  return j;
}

JitCode::~JitCode() {
  if (base_) munmap(base_, size_);
}

const void* jit_call_indirect(JitCtx* ctx, uint64_t* fp, uint32_t pc) {
  // The interpreter's L_CallIndirect checks, in the same order; any failure goes back to it.
  Instance* inst = ctx->inst;
  const Code& code = inst->compiled->code();
  const uint32_t* p = code.words.data() + pc;
  Table* t = inst->tables[p[2]];
  uint32_t i = static_cast<uint32_t>(fp[p[3]]);
  if (i >= t->size()) return nullptr;
  uint64_t r = t->data()[i];
  if (r == 0 || r > ctx->store->num_funcs()) return nullptr;
  Func* callee = ctx->store->func_table()[r - 1];
  if (callee->type_id != inst->type_ids[p[1]] || callee->instance != inst) return nullptr;
  const void* entry = ctx->jit->func_entry(callee->code);
  if (!entry) return nullptr;
  const FuncCode& fc = code.funcs[callee->code];
  uint64_t* nfp = fp + p[4];
  if (ctx->depth >= ctx->frame_lim || nfp + fc.frame_slots > ctx->stack_end) return nullptr;
  ctx->frames[ctx->depth - 1].pc = pc + 5;
  ctx->frames[ctx->depth++] = Frame{inst->id, callee->code, 0, static_cast<uint32_t>(nfp - ctx->stack_base)};
  for (uint32_t k = fc.num_params; k < fc.num_locals; ++k) nfp[k] = 0;
  return entry;
}

uint32_t JitCode::run(JitCtx* ctx, const void* target) const {
  using Entry = uint32_t (*)(JitCtx*, const void*);
  return reinterpret_cast<Entry>(base_)(ctx, target);
}

#else  // not x86-64: no native tier

std::unique_ptr<const JitCode> JitCode::compile(const Code&) { return nullptr; }
const void* jit_call_indirect(JitCtx*, uint64_t*, uint32_t) { return nullptr; }
JitCode::~JitCode() = default;
uint32_t JitCode::run(JitCtx*, const void*) const { return kJitInterp; }

#endif

}  // namespace ipvm::wasm
