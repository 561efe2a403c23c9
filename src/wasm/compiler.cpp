// Single pass over each function body. The operand stack height is static at every instruction,
// so each stack value gets a fixed frame slot (locals first, then heights); instructions name
// their slots directly and the interpreter never moves a stack pointer. Branches copy block
// results to the target's slots only when they are not already there. Unreachable code is parsed
// but not emitted. Fuel: each basic-block region starts with a Fuel instruction whose cost is the
// number of wasm instructions up to the next region.
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

enum class CtlKind : uint8_t { kFunc, kBlock, kLoop, kIf };

struct Ctl {
  CtlKind kind;
  uint32_t height;    // operand height below the block's parameters
  uint32_t nparams;
  uint32_t nresults;
  uint32_t loop_pc = 0;
  std::vector<uint32_t> fixups;  // words to patch with the end label
  int64_t else_fixup = -1;       // if: the BrIfZ target word to patch with the else/end label
  bool unreachable = false;      // the rest of the current (then/else) body is dead
  bool dead = false;             // the whole construct is in dead code
};

class FuncCompiler {
 public:
  FuncCompiler(const Module& m, Code& code) : m_(m), code_(code), w_(code.words) {}

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
    h_ = 0;
    maxh_ = 0;
    ctls_.clear();
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
  uint32_t slot(uint32_t height) const { return nl_ + height; }
  void push(uint32_t n = 1) {
    h_ += n;
    if (h_ > maxh_) maxh_ = h_;
  }
  void op(IOp o) {
    code_.offsets.emplace_back(static_cast<uint32_t>(w_.size()), at_);
    w_.push_back(handler_word(o));
  }
  void u(uint32_t x) { w_.push_back(x); }
  uint32_t here() const { return static_cast<uint32_t>(w_.size()); }

  void begin_region() {
    end_region();
    op(IOp::kFuel);
    region_word_ = static_cast<int64_t>(w_.size());
    u(0);
    region_cost_ = 0;
  }
  void end_region() {
    if (region_word_ >= 0) w_[static_cast<size_t>(region_word_)] = region_cost_ == 0 ? 1 : region_cost_;
    region_word_ = -1;
    region_cost_ = 0;
  }

  void move(uint32_t dst, uint32_t src, uint32_t n) {
    if (n == 0 || dst == src) return;
    if (n == 1) {
      op(IOp::kCopy);
      u(dst);
      u(src);
    } else {
      op(IOp::kCopyN);
      u(dst);
      u(src);
      u(n);
    }
  }
  void ret() {
    uint32_t nr = nr_;
    op(IOp::kRet);
    u(slot(h_ - nr));
    u(nr);
  }
  // Points the word at `word` to label `c`'s target (now for loops, at its end otherwise).
  void target(Ctl& c, uint32_t word) {
    if (c.kind == CtlKind::kLoop)
      w_[word] = c.loop_pc;
    else
      c.fixups.push_back(word);
  }
  uint32_t label_arity(const Ctl& c) const { return c.kind == CtlKind::kLoop ? c.nparams : c.nresults; }
  // Unconditional branch to depth `depth` from the current height.
  void branch(uint32_t depth) {
    Ctl& c = ctls_[ctls_.size() - 1 - depth];
    if (c.kind == CtlKind::kFunc) return ret();
    uint32_t n = label_arity(c);
    move(slot(c.height), slot(h_ - n), n);
    op(IOp::kBr);
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

  bool step(Reader& r) {
    at_ = static_cast<uint32_t>(r.offset());
    uint8_t opc;
    if (!r.read_u8(opc)) return false;
    Ctl& top = ctls_.back();
    const bool live = !top.unreachable && !top.dead;
    if (live) ++region_cost_;  // one fuel unit per executed wasm instruction

    switch (opc) {
      case 0x02:  // block
      case 0x03:  // loop
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
        if (kind == CtlKind::kIf) {
          --h_;
          op(IOp::kBrIfZ);
          u(slot(h_));
          u(0);
        }
        Ctl c{kind, h_ - np, np, nr};
        if (kind == CtlKind::kIf) c.else_fixup = here() - 1;
        if (kind == CtlKind::kLoop) {
          end_region();
          c.loop_pc = here();
        }
        ctls_.push_back(std::move(c));
        if (kind != CtlKind::kBlock) begin_region();
        return true;
      }
      case 0x05: {  // else
        Ctl& c = ctls_.back();
        if (c.dead) return true;
        if (!c.unreachable) {
          op(IOp::kBr);
          u(0);
          c.fixups.push_back(here() - 1);
        }
        end_region();
        w_[static_cast<size_t>(c.else_fixup)] = here();
        c.else_fixup = -1;
        h_ = c.height + c.nparams;
        c.unreachable = false;
        begin_region();
        return true;
      }
      case 0x0b: {  // end
        Ctl c = std::move(ctls_.back());
        ctls_.pop_back();
        if (c.dead) return true;
        if (c.kind == CtlKind::kFunc) {
          if (!c.unreachable) ret();
          return true;
        }
        bool reached = !c.unreachable || !c.fixups.empty() || c.else_fixup >= 0;
        bool merge = !c.fixups.empty() || c.else_fixup >= 0 || c.kind == CtlKind::kLoop;
        if (merge) end_region();
        uint32_t label = here();
        for (uint32_t f : c.fixups) w_[f] = label;
        if (c.else_fixup >= 0) w_[static_cast<size_t>(c.else_fixup)] = label;
        h_ = c.height + c.nresults;
        if (h_ > maxh_) maxh_ = h_;
        if (!reached) {
          ctls_.back().unreachable = true;
          return true;
        }
        if (merge) begin_region();
        return true;
      }
      default:
        break;
    }

    // Everything else: read immediates, then emit only when live.
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
        --h_;
        uint32_t cond = slot(h_);
        Ctl& c = ctls_[ctls_.size() - 1 - d];
        uint32_t n = label_arity(c);
        if (c.kind != CtlKind::kFunc && (n == 0 || slot(c.height) == slot(h_ - n))) {
          op(IOp::kBrIfNz);
          u(cond);
          u(0);
          target(c, here() - 1);
        } else {
          op(IOp::kBrIfZ);
          u(cond);
          u(0);
          uint32_t skip = here() - 1;
          branch(d);
          w_[skip] = here();
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
        --h_;
        op(IOp::kBrTable);
        u(slot(h_));
        u(n);
        uint32_t first = here();
        for (uint32_t i = 0; i <= n; ++i) u(0);
        for (uint32_t i = 0; i <= n; ++i) {
          Ctl& c = ctls_[ctls_.size() - 1 - depths[i]];
          uint32_t ar = label_arity(c);
          if (c.kind != CtlKind::kFunc && (ar == 0 || slot(c.height) == slot(h_ - ar))) {
            target(c, first + i);
          } else {
            w_[first + i] = here();  // a stub that moves the values, then branches
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
        h_ -= np;
        if (f >= m_.num_imported_funcs) {
          op(IOp::kCall);
          u(f - m_.num_imported_funcs);
        } else {
          op(IOp::kCallImport);
          u(f);
        }
        u(slot(h_));
        push(nr);
        return true;
      }
      case 0x11: {  // call_indirect
        uint32_t t, table;
        if (!r.read_u32(t) || !r.read_u32(table) || t >= m_.types.size()) return false;
        if (!live) return true;
        const FuncType& ft = m_.types[t];
        uint32_t np = static_cast<uint32_t>(ft.params.size()), nr = static_cast<uint32_t>(ft.results.size());
        --h_;
        uint32_t idx = slot(h_);
        h_ -= np;
        op(IOp::kCallIndirect);
        u(t);
        u(table);
        u(idx);
        u(slot(h_));
        push(nr);
        return true;
      }
      case 0x1a:  // drop
        if (live) --h_;
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
        h_ -= 2;
        op(IOp::kSelect);
        u(slot(h_ - 1));
        u(slot(h_ - 1));
        u(slot(h_));
        u(slot(h_ + 1));
        return true;
      }
      case 0x20:
      case 0x21:
      case 0x22: {  // local.get/set/tee
        uint32_t x;
        if (!r.read_u32(x) || x >= nl_) return false;
        if (!live) return true;
        if (opc == 0x20) {
          op(IOp::kCopy);
          u(slot(h_));
          u(x);
          push();
        } else if (opc == 0x21) {
          --h_;
          op(IOp::kCopy);
          u(x);
          u(slot(h_));
        } else {
          op(IOp::kCopy);
          u(x);
          u(slot(h_ - 1));
        }
        return true;
      }
      case 0x23:
      case 0x24: {  // global.get/set
        uint32_t g;
        if (!r.read_u32(g)) return false;
        if (!live) return true;
        if (opc == 0x23) {
          op(IOp::kGlobalGet);
          u(slot(h_));
          u(g);
          push();
        } else {
          --h_;
          op(IOp::kGlobalSet);
          u(g);
          u(slot(h_));
        }
        return true;
      }
      case 0x25: {  // table.get
        uint32_t t;
        if (!r.read_u32(t)) return false;
        if (!live) return true;
        op(IOp::kTableGet);
        u(slot(h_ - 1));
        u(t);
        u(slot(h_ - 1));
        return true;
      }
      case 0x26: {  // table.set
        uint32_t t;
        if (!r.read_u32(t)) return false;
        if (!live) return true;
        h_ -= 2;
        op(IOp::kTableSet);
        u(t);
        u(slot(h_));
        u(slot(h_ + 1));
        return true;
      }
      case 0x3f:
      case 0x40: {  // memory.size / memory.grow
        uint8_t zero;
        if (!r.read_u8(zero)) return false;
        if (!live) return true;
        if (opc == 0x3f) {
          op(IOp::kMemorySize);
          u(slot(h_));
          push();
        } else {
          op(IOp::kMemoryGrow);
          u(slot(h_ - 1));
          u(slot(h_ - 1));
        }
        return true;
      }
      case 0x41: {
        int32_t v;
        if (!r.read_s32(v)) return false;
        if (!live) return true;
        op(IOp::kConst32);
        u(slot(h_));
        u(static_cast<uint32_t>(v));
        push();
        return true;
      }
      case 0x42: {
        int64_t v;
        if (!r.read_s64(v)) return false;
        if (!live) return true;
        const64(static_cast<uint64_t>(v));
        return true;
      }
      case 0x43: {
        uint32_t v;
        if (!r.read_f32_bits(v)) return false;
        if (!live) return true;
        op(IOp::kConst32);
        u(slot(h_));
        u(v);
        push();
        return true;
      }
      case 0x44: {
        uint64_t v;
        if (!r.read_f64_bits(v)) return false;
        if (!live) return true;
        const64(v);
        return true;
      }
      case 0xd0: {  // ref.null t
        ValType t;
        if (!read_ref_type(r, t)) return false;
        if (!live) return true;
        op(IOp::kConst32);
        u(slot(h_));
        u(0);
        push();
        return true;
      }
      case 0xd2: {  // ref.func
        uint32_t f;
        if (!r.read_u32(f)) return false;
        if (!live) return true;
        op(IOp::kRefFunc);
        u(slot(h_));
        u(f);
        push();
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
      IOp o = memory_table()[opc];
      if (opc <= 0x35) {
        op(o);
        u(slot(h_ - 1));
        u(slot(h_ - 1));
        u(ma.offset);
      } else {
        h_ -= 2;
        op(o);
        u(slot(h_));
        u(slot(h_ + 1));
        u(ma.offset);
      }
      return true;
    }

    const OpInfo& info = numeric_table()[opc];
    if (info.arity == 0) return false;
    if (!live) return true;
    if (info.arity == 3) return true;  // reinterpret
    if (info.arity == 1) {
      op(info.op);
      u(slot(h_ - 1));
      u(slot(h_ - 1));
    } else {
      --h_;
      op(info.op);
      u(slot(h_ - 1));
      u(slot(h_ - 1));
      u(slot(h_));
    }
    return true;
  }

  void const64(uint64_t v) {
    op(IOp::kConst64);
    u(slot(h_));
    u(static_cast<uint32_t>(v));
    u(static_cast<uint32_t>(v >> 32));
    push();
  }

  bool step_fc(Reader& r, bool live) {
    uint32_t sub;
    if (!r.read_u32(sub)) return false;
    if (sub <= 7) {
      if (!live) return true;
      static constexpr IOp kSat[] = {IOp::kI32TruncSatF32S, IOp::kI32TruncSatF32U, IOp::kI32TruncSatF64S,
                                     IOp::kI32TruncSatF64U, IOp::kI64TruncSatF32S, IOp::kI64TruncSatF32U,
                                     IOp::kI64TruncSatF64S, IOp::kI64TruncSatF64U};
      op(kSat[sub]);
      u(slot(h_ - 1));
      u(slot(h_ - 1));
      return true;
    }
    uint32_t a = 0, b = 0;
    switch (sub) {
      case 8:  // memory.init seg mem
      case 12:  // table.init seg table
      case 14:  // table.copy dst src
      case 10: {  // memory.copy 0 0
        if (!r.read_u32(a) || !r.read_u32(b)) return false;
        break;
      }
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
    if (!live) return true;
    switch (sub) {
      case 8:
        h_ -= 3;
        op(IOp::kMemoryInit);
        u(a);
        u(slot(h_));
        u(slot(h_ + 1));
        u(slot(h_ + 2));
        return true;
      case 9:
        op(IOp::kDataDrop);
        u(a);
        return true;
      case 10:
      case 11:
        h_ -= 3;
        op(sub == 10 ? IOp::kMemoryCopy : IOp::kMemoryFill);
        u(slot(h_));
        u(slot(h_ + 1));
        u(slot(h_ + 2));
        return true;
      case 12:
        h_ -= 3;
        op(IOp::kTableInit);
        u(b);
        u(a);
        u(slot(h_));
        u(slot(h_ + 1));
        u(slot(h_ + 2));
        return true;
      case 13:
        op(IOp::kElemDrop);
        u(a);
        return true;
      case 14:
        h_ -= 3;
        op(IOp::kTableCopy);
        u(a);
        u(b);
        u(slot(h_));
        u(slot(h_ + 1));
        u(slot(h_ + 2));
        return true;
      case 15:
        --h_;
        op(IOp::kTableGrow);
        u(slot(h_ - 1));
        u(a);
        u(slot(h_ - 1));
        u(slot(h_));
        return true;
      case 16:
        op(IOp::kTableSize);
        u(slot(h_));
        u(a);
        push();
        return true;
      case 17:
        h_ -= 3;
        op(IOp::kTableFill);
        u(a);
        u(slot(h_));
        u(slot(h_ + 1));
        u(slot(h_ + 2));
        return true;
      default:
        return false;
    }
  }

  const Module& m_;
  Code& code_;
  std::vector<uint32_t>& w_;
  std::vector<Ctl> ctls_;
  uint32_t nl_ = 0, nr_ = 0, h_ = 0, maxh_ = 0;
  uint32_t at_ = 0;
  int64_t region_word_ = -1;
  uint32_t region_cost_ = 0;
};

}  // namespace

Result<Code> compile_code(const Module& module) {
  Code code;
  code.words.reserve(module.bytes.size());
  code.offsets.reserve(module.bytes.size() / 2);
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
  uint32_t lo = 0;
  for (uint32_t i = 0; i < funcs.size(); ++i)
    if (funcs[i].entry <= pc) lo = i;
  return lo;
}

}  // namespace ipvm::wasm
