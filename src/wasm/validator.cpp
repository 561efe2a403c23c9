#include "wasm/validator.h"

#include <algorithm>
#include <array>
#include <span>
#include <string_view>

#include "wasm/leb128.h"
#include "wasm/opcodes.h"

namespace ipvm::wasm {
namespace {

// The operand stack's "unknown" type (the spec's bottom), produced by popping a polymorphic stack.
constexpr ValType kUnknown = static_cast<ValType>(0);
using Types = std::span<const ValType>;

Types single(ValType t) {
  static constexpr ValType kAll[] = {ValType::kI32,  ValType::kI64,     ValType::kF32,      ValType::kF64,
                                     ValType::kV128, ValType::kFuncRef, ValType::kExternRef};
  for (const ValType& v : kAll) {
    if (v == t) return Types(&v, 1);
  }
  return {};
}

const char* type_name(ValType t) { return t == kUnknown ? "unknown" : valtype_name(t); }

bool has_v128(Types types) { return std::find(types.begin(), types.end(), ValType::kV128) != types.end(); }

// Plain numeric instructions: operands a (and b), one result r. Everything with immediates or
// polymorphic typing is handled case by case.
struct Sig {
  ValType a = kUnknown, b = kUnknown, r = kUnknown;
};
constexpr std::array<Sig, 256> make_sigs() {
  std::array<Sig, 256> s{};
  constexpr ValType I32 = ValType::kI32, I64 = ValType::kI64, F32 = ValType::kF32, F64 = ValType::kF64;
  auto range = [&](int lo, int hi, Sig sig) {
    for (int i = lo; i <= hi; ++i) s[i] = sig;
  };
  range(0x45, 0x45, {I32, kUnknown, I32});
  range(0x46, 0x4f, {I32, I32, I32});
  range(0x50, 0x50, {I64, kUnknown, I32});
  range(0x51, 0x5a, {I64, I64, I32});
  range(0x5b, 0x60, {F32, F32, I32});
  range(0x61, 0x66, {F64, F64, I32});
  range(0x67, 0x69, {I32, kUnknown, I32});
  range(0x6a, 0x78, {I32, I32, I32});
  range(0x79, 0x7b, {I64, kUnknown, I64});
  range(0x7c, 0x8a, {I64, I64, I64});
  range(0x8b, 0x91, {F32, kUnknown, F32});
  range(0x92, 0x98, {F32, F32, F32});
  range(0x99, 0x9f, {F64, kUnknown, F64});
  range(0xa0, 0xa6, {F64, F64, F64});
  s[0xa7] = {I64, kUnknown, I32};
  range(0xa8, 0xa9, {F32, kUnknown, I32});
  range(0xaa, 0xab, {F64, kUnknown, I32});
  range(0xac, 0xad, {I32, kUnknown, I64});
  range(0xae, 0xaf, {F32, kUnknown, I64});
  range(0xb0, 0xb1, {F64, kUnknown, I64});
  range(0xb2, 0xb3, {I32, kUnknown, F32});
  range(0xb4, 0xb5, {I64, kUnknown, F32});
  s[0xb6] = {F64, kUnknown, F32};
  range(0xb7, 0xb8, {I32, kUnknown, F64});
  range(0xb9, 0xba, {I64, kUnknown, F64});
  s[0xbb] = {F32, kUnknown, F64};
  s[0xbc] = {F32, kUnknown, I32};
  s[0xbd] = {F64, kUnknown, I64};
  s[0xbe] = {I32, kUnknown, F32};
  s[0xbf] = {I64, kUnknown, F64};
  range(0xc0, 0xc1, {I32, kUnknown, I32});
  range(0xc2, 0xc4, {I64, kUnknown, I64});
  // Loads: address -> value.
  s[0x28] = {I32, kUnknown, I32};
  s[0x29] = {I32, kUnknown, I64};
  s[0x2a] = {I32, kUnknown, F32};
  s[0x2b] = {I32, kUnknown, F64};
  range(0x2c, 0x2f, {I32, kUnknown, I32});
  range(0x30, 0x35, {I32, kUnknown, I64});
  return s;
}
constexpr std::array<Sig, 256> kSigs = make_sigs();

// Stores: [address value] -> [].
ValType store_type(uint8_t op) {
  switch (op) {
    case 0x36: case 0x3a: case 0x3b: return ValType::kI32;
    case 0x37: case 0x3c: case 0x3d: case 0x3e: return ValType::kI64;
    case 0x38: return ValType::kF32;
    case 0x39: return ValType::kF64;
    default: return kUnknown;
  }
}

// The operand stack: a vector whose push stays inline (std::vector::push_back is not inlined here
// and was a tenth of validation time).
class TypeStack {
 public:
  size_t size() const { return size_; }
  ValType back() const { return data_[size_ - 1]; }
  ValType& operator[](size_t i) { return data_[i]; }
  void pop_back() { --size_; }
  void clear() { size_ = 0; }
  void shrink_to(size_t n) { size_ = n; }
  void push_back(ValType t) {
    if (size_ == data_.size()) [[unlikely]] grow(1);
    data_[size_++] = t;
  }
  void append(Types ts) {
    if (size_ + ts.size() > data_.size()) [[unlikely]] grow(ts.size());
    std::copy(ts.begin(), ts.end(), data_.begin() + size_);
    size_ += ts.size();
  }

 private:
  [[gnu::noinline]] void grow(size_t extra) { data_.resize(std::max<size_t>(data_.size() * 2, size_ + extra + 256)); }
  std::vector<ValType> data_;
  size_t size_ = 0;
};

struct Ctrl {
  uint8_t opcode;  // block, loop, if, else; the function frame uses block
  Types params;
  Types results;
  size_t height;
  bool unreachable;
  Types labels() const { return opcode == static_cast<uint8_t>(Op::kLoop) ? params : results; }
};

class Validator {
 public:
  explicit Validator(const Module& m) : m_(m) {}
  Status run();

 private:
  // --- errors ---
  Status module_error(std::string message) { return fail("invalid", std::move(message)); }
  bool err(std::string message) { return func_fail("invalid", std::move(message), op_offset_); }
  bool malformed(std::string message) { return func_fail("malformed", std::move(message), op_offset_); }
  bool unsupported(std::string message) { return func_fail("unsupported", std::move(message), op_offset_); }
  bool reader_error() { return func_fail("malformed", r_.error_message(), r_.error_offset()); }
  bool func_fail(const char* kind, std::string message, size_t offset) {
    if (!failed_) {
      failed_ = true;
      error_ = Error{kind, fmt::format("{} in function {} at offset {}", message, func_index_, offset)};
    }
    return false;
  }

  // --- module level ---
  bool check_limits(const Limits& l, uint64_t bound, const char* what, std::string& msg);
  // Constant expressions may only read imported, immutable globals (Wasm 2.0).
  bool const_expr(const ConstExpr& e, ValType expected, std::string& msg);

  // --- function bodies ---
  bool function(uint32_t index, const Function& f);
  bool instruction(uint8_t op);
  bool prefixed_fc();
  bool block_type(Types& params, Types& results);
  bool memarg(uint8_t op);
  bool need_memory();
  bool need_table(uint32_t index, ValType& elem);
  bool zero_byte();
  bool data_index();
  ValType local_type(uint32_t i) const {
    return i < params_.size() ? params_[i] : func_->locals[i - params_.size()];
  }

  void push(ValType t) { vals_.push_back(t); }
  void push(Types ts) { vals_.append(ts); }
  bool pop_any(ValType& out) {
    const Ctrl& c = ctrls_.back();
    if (vals_.size() == c.height) {
      if (c.unreachable) {
        out = kUnknown;
        return true;
      }
      return err("type mismatch: expected a value but the stack is empty");
    }
    out = vals_.back();
    vals_.pop_back();
    return true;
  }
  // Fast path inline; the polymorphic and error cases live in pop_slow.
  bool pop(ValType expected) {
    if (vals_.size() > ctrls_.back().height) [[likely]] {
      ValType actual = vals_.back();
      if (actual == expected || actual == kUnknown || expected == kUnknown) [[likely]] {
        vals_.pop_back();
        return true;
      }
    }
    return pop_slow(expected);
  }
  [[gnu::noinline]] bool pop_slow(ValType expected) {
    const Ctrl& c = ctrls_.back();
    if (vals_.size() == c.height) {
      if (c.unreachable) return true;
      return err(fmt::format("type mismatch: expected {} but the stack is empty", type_name(expected)));
    }
    ValType actual = vals_.back();
    return err(fmt::format("type mismatch: expected {}, got {}", type_name(expected), type_name(actual)));
  }
  bool pop(Types ts) {
    for (size_t i = ts.size(); i-- > 0;) {
      if (!pop(ts[i])) return false;
    }
    return true;
  }
  // push_vals(pop_vals(ts)) of the spec: keeps what was there (unknowns included) after checking it.
  bool pop_push(Types ts) {
    scratch_.resize(ts.size());
    for (size_t i = ts.size(); i-- > 0;) {
      const Ctrl& c = ctrls_.back();
      ValType actual = vals_.size() > c.height ? vals_.back() : kUnknown;
      if (!pop(ts[i])) return false;
      scratch_[i] = actual == kUnknown ? kUnknown : ts[i];
    }
    push(Types(scratch_));
    return true;
  }
  void push_ctrl(uint8_t opcode, Types params, Types results) {
    ctrls_.push_back(Ctrl{opcode, params, results, vals_.size(), false});
    push(params);
  }
  bool pop_ctrl(Ctrl& out) {
    const Ctrl& c = ctrls_.back();
    if (!pop(c.results)) return false;
    if (vals_.size() != c.height) {
      return err(fmt::format("type mismatch: {} value(s) left on the stack at the end of a block",
                             vals_.size() - c.height));
    }
    out = c;
    ctrls_.pop_back();
    return true;
  }
  void set_unreachable() {
    vals_.shrink_to(ctrls_.back().height);
    ctrls_.back().unreachable = true;
  }
  bool label(Types& out) {
    uint32_t depth = 0;
    if (!r_.read_u32(depth)) return reader_error();
    if (depth >= ctrls_.size()) return err(fmt::format("unknown label {}", depth));
    out = ctrls_[ctrls_.size() - 1 - depth].labels();
    return true;
  }

  Status fail(const char* kind, std::string message) { return tl::unexpected(Error{kind, std::move(message)}); }

  const Module& m_;
  std::vector<bool> declared_funcs_;  // C.refs: functions referenced outside function bodies

  // Per-function state, reused across functions so bodies validate without allocation.
  Reader r_;
  uint32_t func_index_ = 0;
  const Function* func_ = nullptr;
  Types params_;
  Types func_results_;
  size_t num_locals_ = 0;
  size_t op_offset_ = 0;
  TypeStack vals_;
  std::vector<Ctrl> ctrls_;
  std::vector<ValType> scratch_;
  bool failed_ = false;
  Error error_;
};

bool Validator::check_limits(const Limits& l, uint64_t bound, const char* what, std::string& msg) {
  if (l.min > bound || (l.max && *l.max > bound)) {
    msg = what;
    return false;
  }
  if (l.max && *l.max < l.min) {
    msg = "size minimum must not be greater than maximum";
    return false;
  }
  return true;
}

bool Validator::const_expr(const ConstExpr& e, ValType expected, std::string& msg) {
  ValType t = e.type;
  switch (e.op) {
    case ConstExpr::Op::kGlobalGet: {
      if (e.index >= m_.num_imported_globals) {
        msg = fmt::format("unknown global {}", e.index);
        return false;
      }
      GlobalType g = m_.global_type(e.index);
      if (g.mutable_) {
        msg = fmt::format("constant expression required: global {} is mutable", e.index);
        return false;
      }
      t = g.type;
      break;
    }
    case ConstExpr::Op::kRefFunc:
      if (e.index >= m_.total_funcs()) {
        msg = fmt::format("unknown function {}", e.index);
        return false;
      }
      t = ValType::kFuncRef;
      break;
    default:
      break;
  }
  if (t != expected) {
    msg = fmt::format("type mismatch: constant expression has type {}, expected {}", type_name(t),
                      type_name(expected));
    return false;
  }
  return true;
}

Status Validator::run() {
  std::string msg;
  for (size_t i = 0; i < m_.types.size(); ++i) {
    if (has_v128(m_.types[i].params) || has_v128(m_.types[i].results)) {
      return fail("unsupported", fmt::format("SIMD not supported yet: type {} uses v128", i));
    }
  }
  uint32_t func_i = 0, table_i = 0, mem_i = 0, global_i = 0;
  for (const Import& imp : m_.imports) {
    switch (imp.kind) {
      case ExternKind::kFunc:
        if (imp.func_type >= m_.types.size()) {
          return module_error(fmt::format("unknown type {} (import {}.{})", imp.func_type, imp.module, imp.name));
        }
        ++func_i;
        break;
      case ExternKind::kTable:
        if (!check_limits(imp.table.limits, UINT32_MAX, "table size too large", msg)) {
          return module_error(fmt::format("{} (table {})", msg, table_i));
        }
        ++table_i;
        break;
      case ExternKind::kMemory:
        if (!check_limits(imp.memory.limits, kMaxPages, "memory size must be at most 65536 pages (4GiB)", msg)) {
          return module_error(fmt::format("{} (memory {})", msg, mem_i));
        }
        ++mem_i;
        break;
      case ExternKind::kGlobal:
        if (imp.global.type == ValType::kV128) {
          return fail("unsupported", fmt::format("SIMD not supported yet: global {} has type v128", global_i));
        }
        ++global_i;
        break;
    }
  }
  for (size_t i = 0; i < m_.functions.size(); ++i) {
    if (m_.functions[i].type >= m_.types.size()) {
      return module_error(fmt::format("unknown type {} (function {})", m_.functions[i].type,
                                      m_.num_imported_funcs + i));
    }
  }
  for (size_t i = 0; i < m_.tables.size(); ++i) {
    if (!check_limits(m_.tables[i].limits, UINT32_MAX, "table size too large", msg)) {
      return module_error(fmt::format("{} (table {})", msg, m_.num_imported_tables + i));
    }
  }
  if (m_.total_memories() > 1) return module_error("multiple memories are not allowed");
  for (size_t i = 0; i < m_.memories.size(); ++i) {
    if (!check_limits(m_.memories[i].limits, kMaxPages, "memory size must be at most 65536 pages (4GiB)", msg)) {
      return module_error(fmt::format("{} (memory {})", msg, m_.num_imported_memories + i));
    }
  }

  declared_funcs_.assign(m_.total_funcs(), false);
  auto declare = [&](const ConstExpr& e) {
    if (e.op == ConstExpr::Op::kRefFunc && e.index < declared_funcs_.size()) declared_funcs_[e.index] = true;
  };
  for (size_t i = 0; i < m_.globals.size(); ++i) {
    const Global& g = m_.globals[i];
    if (g.type.type == ValType::kV128) {
      return fail("unsupported", fmt::format("SIMD not supported yet: global {} has type v128", m_.num_imported_globals + i));
    }
    if (!const_expr(g.init, g.type.type, msg)) {
      return module_error(fmt::format("{} (initializer of global {})", msg, m_.num_imported_globals + i));
    }
    declare(g.init);
  }
  for (size_t i = 0; i < m_.elems.size(); ++i) {
    const ElemSegment& seg = m_.elems[i];
    for (const ConstExpr& item : seg.items) {
      if (!const_expr(item, seg.type, msg)) return module_error(fmt::format("{} (elem segment {})", msg, i));
      declare(item);
    }
    if (seg.mode == ElemSegment::Mode::kActive) {
      if (seg.table >= m_.total_tables()) {
        return module_error(fmt::format("unknown table {} (elem segment {})", seg.table, i));
      }
      if (m_.table_type(seg.table).elem != seg.type) {
        return module_error(fmt::format("type mismatch: elem segment {} of {} for a table of {}", i,
                                        type_name(seg.type), type_name(m_.table_type(seg.table).elem)));
      }
      if (!const_expr(seg.offset, ValType::kI32, msg)) {
        return module_error(fmt::format("{} (offset of elem segment {})", msg, i));
      }
    }
  }
  for (size_t i = 0; i < m_.datas.size(); ++i) {
    const DataSegment& seg = m_.datas[i];
    if (seg.mode != DataSegment::Mode::kActive) continue;
    if (seg.memory >= m_.total_memories()) {
      return module_error(fmt::format("unknown memory {} (data segment {})", seg.memory, i));
    }
    if (!const_expr(seg.offset, ValType::kI32, msg)) {
      return module_error(fmt::format("{} (offset of data segment {})", msg, i));
    }
  }
  if (m_.start) {
    if (*m_.start >= m_.total_funcs()) return module_error(fmt::format("unknown function {} (start)", *m_.start));
    const FuncType& ft = m_.func_type(*m_.start);
    if (!ft.params.empty() || !ft.results.empty()) {
      return module_error("start function must take no parameters and return nothing");
    }
  }
  std::vector<std::string_view> names;
  names.reserve(m_.exports.size());
  for (const Export& e : m_.exports) {
    uint32_t limit = 0;
    switch (e.kind) {
      case ExternKind::kFunc: limit = m_.total_funcs(); break;
      case ExternKind::kTable: limit = m_.total_tables(); break;
      case ExternKind::kMemory: limit = m_.total_memories(); break;
      case ExternKind::kGlobal: limit = m_.total_globals(); break;
    }
    if (e.index >= limit) {
      static constexpr const char* kWhat[] = {"function", "table", "memory", "global"};
      return module_error(fmt::format("unknown {} {} (export \"{}\")", kWhat[static_cast<int>(e.kind)], e.index, e.name));
    }
    if (e.kind == ExternKind::kFunc) declared_funcs_[e.index] = true;
    names.push_back(e.name);
  }
  std::sort(names.begin(), names.end());
  auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup != names.end()) return module_error(fmt::format("duplicate export name \"{}\"", *dup));

  for (size_t i = 0; i < m_.functions.size(); ++i) {
    if (!function(m_.num_imported_funcs + static_cast<uint32_t>(i), m_.functions[i])) {
      return tl::unexpected(error_);
    }
  }
  return {};
}

bool Validator::function(uint32_t index, const Function& f) {
  func_index_ = index;
  func_ = &f;
  const FuncType& ft = m_.types[f.type];
  params_ = Types(ft.params);
  func_results_ = Types(ft.results);
  num_locals_ = params_.size() + f.locals.size();
  if (std::find(f.locals.begin(), f.locals.end(), ValType::kV128) != f.locals.end()) {
    op_offset_ = f.body_offset;
    return unsupported("SIMD not supported yet: a local has type v128");
  }
  r_ = Reader(ByteView(m_.bytes.data() + f.body_offset, f.body_size), f.body_offset);
  vals_.clear();
  ctrls_.clear();
  ctrls_.push_back(Ctrl{static_cast<uint8_t>(Op::kBlock), {}, func_results_, 0, false});
  while (!ctrls_.empty()) {
    op_offset_ = r_.offset();
    // One instruction pushes at most kMaxFunctionParams values, so checking once per instruction
    // bounds memory.
    if (vals_.size() > kMaxOperandStack || ctrls_.size() > kMaxControlDepth) [[unlikely]] {
      return err(fmt::format("function too complex: operand stack above {} values or blocks nested deeper than {}",
                             kMaxOperandStack, kMaxControlDepth));
    }
    uint8_t op = 0;
    if (!r_.read_u8(op)) return malformed("END opcode expected: the function body ends inside a block");
    const Sig& sig = kSigs[op];
    if (sig.r != kUnknown) {
      if (op <= 0x35 && !memarg(op)) return false;  // loads (0x28..0x35): memarg immediate
      // Fast path: operands of exactly the right types on top of the current frame.
      size_t n = vals_.size(), height = ctrls_.back().height;
      if (sig.b != kUnknown) {
        if (n >= height + 2 && vals_[n - 1] == sig.b && vals_[n - 2] == sig.a) {
          vals_[n - 2] = sig.r;
          vals_.pop_back();
          continue;
        }
      } else if (n >= height + 1 && vals_[n - 1] == sig.a) {
        vals_[n - 1] = sig.r;
        continue;
      }
      if (sig.b != kUnknown && !pop(sig.b)) return false;
      if (!pop(sig.a)) return false;
      push(sig.r);
      continue;
    }
    // The commonest instructions with immediates, kept out of instruction()'s big frame.
    if (op == static_cast<uint8_t>(Op::kLocalGet)) {
      uint32_t i = 0;
      if (!r_.read_u32(i)) return reader_error();
      if (i >= num_locals_) return err(fmt::format("unknown local {}", i));
      push(local_type(i));
      continue;
    } else if (op == static_cast<uint8_t>(Op::kI32Const)) {
      int32_t v = 0;
      if (r_.read_s32(v)) [[likely]] {
        push(ValType::kI32);
        continue;
      }
      return reader_error();
    }
    if (!instruction(op)) return false;
  }
  if (!r_.at_end()) {
    op_offset_ = r_.offset();
    return malformed("section size mismatch: bytes after the function's final end");
  }
  return true;
}

bool Validator::need_memory() {
  if (m_.total_memories() == 0) return err("unknown memory 0");
  return true;
}

bool Validator::memarg(uint8_t op) {
  MemArg ma;
  if (!read_memarg(r_, ma)) return reader_error();
  if (!need_memory()) return false;
  if (ma.align > static_cast<uint32_t>(natural_alignment(op))) {
    return err(fmt::format("alignment must not be larger than natural ({} with 2^{})", opcode_name(op), ma.align));
  }
  return true;
}

bool Validator::need_table(uint32_t index, ValType& elem) {
  if (index >= m_.total_tables()) return err(fmt::format("unknown table {}", index));
  elem = m_.table_type(index).elem;
  return true;
}

bool Validator::zero_byte() {
  size_t at = r_.offset();
  uint8_t b = 0;
  if (!r_.read_u8(b)) return reader_error();
  if (b != 0) return func_fail("malformed", "zero byte expected", at);
  return true;
}

bool Validator::block_type(Types& params, Types& results) {
  BlockType bt;
  if (!read_block_type(r_, bt)) return reader_error();
  switch (bt.kind) {
    case BlockType::Kind::kEmpty:
      params = {};
      results = {};
      return true;
    case BlockType::Kind::kValue:
      if (bt.value == ValType::kV128) return unsupported("SIMD not supported yet: block of type v128");
      params = {};
      results = single(bt.value);
      return true;
    case BlockType::Kind::kIndex:
      if (bt.index >= m_.types.size()) return err(fmt::format("unknown type {}", bt.index));
      params = Types(m_.types[bt.index].params);
      results = Types(m_.types[bt.index].results);
      return true;
  }
  return false;
}

bool Validator::instruction(uint8_t op) {
  switch (static_cast<Op>(op)) {
    case Op::kUnreachable:
      set_unreachable();
      return true;
    case Op::kNop:
      return true;
    case Op::kBlock:
    case Op::kLoop: {
      Types params, results;
      if (!block_type(params, results) || !pop(params)) return false;
      push_ctrl(op, params, results);
      return true;
    }
    case Op::kIf: {
      Types params, results;
      if (!block_type(params, results) || !pop(ValType::kI32) || !pop(params)) return false;
      push_ctrl(op, params, results);
      return true;
    }
    case Op::kElse: {
      if (ctrls_.back().opcode != static_cast<uint8_t>(Op::kIf)) return malformed("else without a matching if");
      Ctrl c{};
      if (!pop_ctrl(c)) return false;
      push_ctrl(static_cast<uint8_t>(Op::kElse), c.params, c.results);
      return true;
    }
    case Op::kEnd: {
      Ctrl c{};
      if (!pop_ctrl(c)) return false;
      // An if without else behaves as if its else branch passed the parameters through.
      if (c.opcode == static_cast<uint8_t>(Op::kIf) && !std::equal(c.params.begin(), c.params.end(),
                                                                   c.results.begin(), c.results.end())) {
        return err("type mismatch: if without else must leave its parameters unchanged");
      }
      push(c.results);
      return true;
    }
    case Op::kBr: {
      Types ts;
      if (!label(ts) || !pop(ts)) return false;
      set_unreachable();
      return true;
    }
    case Op::kBrIf: {
      Types ts;
      if (!label(ts) || !pop(ValType::kI32) || !pop(ts)) return false;
      push(ts);  // the label's types, not what was popped: unknowns become concrete here
      return true;
    }
    case Op::kBrTable: {
      uint32_t count = 0;
      if (!r_.read_u32(count)) return reader_error();
      if (count > r_.remaining()) return malformed("unexpected end of section or function (br_table)");
      Reader labels = r_;  // first pass finds the default label, which fixes the arity
      for (uint32_t i = 0; i < count; ++i) {
        uint32_t skip = 0;
        if (!r_.read_u32(skip)) return reader_error();
      }
      Types default_types;
      if (!label(default_types)) return false;
      if (!pop(ValType::kI32)) return false;
      for (uint32_t i = 0; i < count; ++i) {
        uint32_t depth = 0;
        labels.read_u32(depth);
        if (depth >= ctrls_.size()) return err(fmt::format("unknown label {}", depth));
        Types ts = ctrls_[ctrls_.size() - 1 - depth].labels();
        if (ts.size() != default_types.size()) {
          return err(fmt::format("type mismatch: br_table targets with {} and {} values", ts.size(),
                                 default_types.size()));
        }
        if (!pop_push(ts)) return false;
      }
      if (!pop(default_types)) return false;
      set_unreachable();
      return true;
    }
    case Op::kReturn:
      if (!pop(func_results_)) return false;
      set_unreachable();
      return true;
    case Op::kCall: {
      uint32_t f = 0;
      if (!r_.read_u32(f)) return reader_error();
      if (f >= m_.total_funcs()) return err(fmt::format("unknown function {}", f));
      const FuncType& ft = m_.func_type(f);
      if (!pop(Types(ft.params))) return false;
      push(Types(ft.results));
      return true;
    }
    case Op::kCallIndirect: {
      uint32_t type = 0, table = 0;
      if (!r_.read_u32(type) || !r_.read_u32(table)) return reader_error();
      ValType elem = kUnknown;
      if (!need_table(table, elem)) return false;
      if (elem != ValType::kFuncRef) return err(fmt::format("type mismatch: call_indirect on table {} of {}", table, type_name(elem)));
      if (type >= m_.types.size()) return err(fmt::format("unknown type {}", type));
      const FuncType& ft = m_.types[type];
      if (!pop(ValType::kI32) || !pop(Types(ft.params))) return false;
      push(Types(ft.results));
      return true;
    }
    case Op::kDrop: {
      ValType t = kUnknown;
      return pop_any(t);
    }
    case Op::kSelect: {
      ValType t1 = kUnknown, t2 = kUnknown;
      if (!pop(ValType::kI32) || !pop_any(t1) || !pop_any(t2)) return false;
      if (is_reftype(t1) || is_reftype(t2) || t1 == ValType::kV128 || t2 == ValType::kV128) {
        return err("type mismatch: select without a type needs numeric operands");
      }
      if (t1 != t2 && t1 != kUnknown && t2 != kUnknown) {
        return err(fmt::format("type mismatch: select of {} and {}", type_name(t2), type_name(t1)));
      }
      push(t1 == kUnknown ? t2 : t1);
      return true;
    }
    case Op::kSelectT: {
      uint32_t count = 0;
      if (!r_.read_u32(count)) return reader_error();
      if (count != 1) return err("invalid result arity: select takes exactly one type");
      ValType t = kUnknown;
      if (!read_val_type(r_, t)) return reader_error();
      if (t == ValType::kV128) return unsupported("SIMD not supported yet: select of v128");
      if (!pop(ValType::kI32) || !pop(t) || !pop(t)) return false;
      push(t);
      return true;
    }
    case Op::kLocalGet:
    case Op::kLocalSet:
    case Op::kLocalTee: {
      uint32_t i = 0;
      if (!r_.read_u32(i)) return reader_error();
      if (i >= num_locals_) return err(fmt::format("unknown local {}", i));
      ValType t = local_type(i);
      if (op == static_cast<uint8_t>(Op::kLocalGet)) {
        push(t);
        return true;
      }
      if (!pop(t)) return false;
      if (op == static_cast<uint8_t>(Op::kLocalTee)) push(t);
      return true;
    }
    case Op::kGlobalGet:
    case Op::kGlobalSet: {
      uint32_t i = 0;
      if (!r_.read_u32(i)) return reader_error();
      if (i >= m_.total_globals()) return err(fmt::format("unknown global {}", i));
      GlobalType g = m_.global_type(i);
      if (op == static_cast<uint8_t>(Op::kGlobalGet)) {
        push(g.type);
        return true;
      }
      if (!g.mutable_) return err(fmt::format("global is immutable: global.set of global {}", i));
      return pop(g.type);
    }
    case Op::kTableGet:
    case Op::kTableSet: {
      uint32_t table = 0;
      if (!r_.read_u32(table)) return reader_error();
      ValType elem = kUnknown;
      if (!need_table(table, elem)) return false;
      if (op == static_cast<uint8_t>(Op::kTableGet)) {
        if (!pop(ValType::kI32)) return false;
        push(elem);
        return true;
      }
      return pop(elem) && pop(ValType::kI32);
    }
    case Op::kI32Store: case Op::kI64Store: case Op::kF32Store: case Op::kF64Store:
    case Op::kI32Store8: case Op::kI32Store16: case Op::kI64Store8: case Op::kI64Store16:
    case Op::kI64Store32:
      return memarg(op) && pop(store_type(op)) && pop(ValType::kI32);
    case Op::kMemorySize:
      if (!zero_byte() || !need_memory()) return false;
      push(ValType::kI32);
      return true;
    case Op::kMemoryGrow:
      if (!zero_byte() || !need_memory() || !pop(ValType::kI32)) return false;
      push(ValType::kI32);
      return true;
    case Op::kI32Const: {
      int32_t v = 0;
      if (!r_.read_s32(v)) return reader_error();
      push(ValType::kI32);
      return true;
    }
    case Op::kI64Const: {
      int64_t v = 0;
      if (!r_.read_s64(v)) return reader_error();
      push(ValType::kI64);
      return true;
    }
    case Op::kF32Const:
      if (!r_.skip(4)) return reader_error();
      push(ValType::kF32);
      return true;
    case Op::kF64Const:
      if (!r_.skip(8)) return reader_error();
      push(ValType::kF64);
      return true;
    case Op::kRefNull: {
      ValType t = kUnknown;
      if (!read_ref_type(r_, t)) return reader_error();
      push(t);
      return true;
    }
    case Op::kRefIsNull: {
      ValType t = kUnknown;
      if (!pop_any(t)) return false;
      if (t != kUnknown && !is_reftype(t)) {
        return err(fmt::format("type mismatch: ref.is_null expects a reference, got {}", type_name(t)));
      }
      push(ValType::kI32);
      return true;
    }
    case Op::kRefFunc: {
      uint32_t f = 0;
      if (!r_.read_u32(f)) return reader_error();
      if (f >= m_.total_funcs()) return err(fmt::format("unknown function {}", f));
      if (!declared_funcs_[f]) return err(fmt::format("undeclared function reference {}", f));
      push(ValType::kFuncRef);
      return true;
    }
    default:
      break;
  }
  if (op == kPrefixFC) return prefixed_fc();
  if (op == kPrefixSimd) return unsupported("SIMD not supported yet (opcode prefix 0xfd)");
  return malformed(fmt::format("illegal opcode 0x{:02x}", op));
}

bool Validator::data_index() {
  uint32_t i = 0;
  if (!r_.read_u32(i)) return reader_error();
  if (!m_.data_count) return malformed("data count section required");
  if (i >= *m_.data_count) return err(fmt::format("unknown data segment {}", i));
  return true;
}

bool Validator::prefixed_fc() {
  uint32_t sub = 0;
  if (!r_.read_u32(sub)) return reader_error();
  constexpr ValType I32 = ValType::kI32;
  switch (static_cast<OpFC>(sub)) {
    case OpFC::kI32TruncSatF32S: case OpFC::kI32TruncSatF32U:
      if (!pop(ValType::kF32)) return false;
      push(I32);
      return true;
    case OpFC::kI32TruncSatF64S: case OpFC::kI32TruncSatF64U:
      if (!pop(ValType::kF64)) return false;
      push(I32);
      return true;
    case OpFC::kI64TruncSatF32S: case OpFC::kI64TruncSatF32U:
      if (!pop(ValType::kF32)) return false;
      push(ValType::kI64);
      return true;
    case OpFC::kI64TruncSatF64S: case OpFC::kI64TruncSatF64U:
      if (!pop(ValType::kF64)) return false;
      push(ValType::kI64);
      return true;
    case OpFC::kMemoryInit:
      if (!data_index() || !zero_byte() || !need_memory()) return false;
      return pop(I32) && pop(I32) && pop(I32);
    case OpFC::kDataDrop:
      return data_index();
    case OpFC::kMemoryCopy:
      if (!zero_byte() || !zero_byte() || !need_memory()) return false;
      return pop(I32) && pop(I32) && pop(I32);
    case OpFC::kMemoryFill:
      if (!zero_byte() || !need_memory()) return false;
      return pop(I32) && pop(I32) && pop(I32);
    case OpFC::kTableInit: {
      uint32_t seg = 0, table = 0;
      if (!r_.read_u32(seg) || !r_.read_u32(table)) return reader_error();
      ValType elem = kUnknown;
      if (!need_table(table, elem)) return false;
      if (seg >= m_.elems.size()) return err(fmt::format("unknown elem segment {}", seg));
      if (m_.elems[seg].type != elem) {
        return err(fmt::format("type mismatch: table.init of {} into a table of {}", type_name(m_.elems[seg].type),
                               type_name(elem)));
      }
      return pop(I32) && pop(I32) && pop(I32);
    }
    case OpFC::kElemDrop: {
      uint32_t seg = 0;
      if (!r_.read_u32(seg)) return reader_error();
      if (seg >= m_.elems.size()) return err(fmt::format("unknown elem segment {}", seg));
      return true;
    }
    case OpFC::kTableCopy: {
      uint32_t dst = 0, src = 0;
      if (!r_.read_u32(dst) || !r_.read_u32(src)) return reader_error();
      ValType dst_elem = kUnknown, src_elem = kUnknown;
      if (!need_table(dst, dst_elem) || !need_table(src, src_elem)) return false;
      if (dst_elem != src_elem) {
        return err(fmt::format("type mismatch: table.copy from {} to {}", type_name(src_elem), type_name(dst_elem)));
      }
      return pop(I32) && pop(I32) && pop(I32);
    }
    case OpFC::kTableGrow:
    case OpFC::kTableSize:
    case OpFC::kTableFill: {
      uint32_t table = 0;
      if (!r_.read_u32(table)) return reader_error();
      ValType elem = kUnknown;
      if (!need_table(table, elem)) return false;
      if (sub == static_cast<uint32_t>(OpFC::kTableSize)) {
        push(I32);
        return true;
      }
      if (sub == static_cast<uint32_t>(OpFC::kTableGrow)) {
        if (!pop(I32) || !pop(elem)) return false;
        push(I32);
        return true;
      }
      return pop(I32) && pop(elem) && pop(I32);
    }
  }
  return malformed(fmt::format("illegal opcode 0xfc {}", sub));
}

}  // namespace

Status validate_module(const Module& module) { return Validator(module).run(); }

}  // namespace ipvm::wasm
