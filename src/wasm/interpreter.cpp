// The interpreter: direct-threaded dispatch over the word code (computed goto). All state that
// must survive a suspension lives in the Execution (frames, stack, fuel); the locals below are
// caches reloaded from it.
#include "wasm/interpreter.h"

#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "wasm/instance.h"
#include "wasm/jit.h"
#include "wasm/jit_numeric.h"
#include "wasm/ops.h"
#include "wasm/store.h"

namespace ipvm::wasm {
namespace {

// Fuel is handed to the loop in chunks so the deadline is checked once per chunk, off the hot path.
constexpr int64_t kFuelChunk = int64_t{1} << 20;

using namespace numeric_types;

struct HostCallResult {
  bool ok;
  Trap trap;
};

// Calls a host function with arguments from `slots`, writing results back to `slots`.
HostCallResult call_host(Execution& ex, Func* f, uint64_t* slots, Instance* caller) {
  const FuncType& t = *f->type;
  Value small_args[8];
  Value small_res[8];
  std::vector<Value> big_args, big_res;
  Value* args = small_args;
  Value* res = small_res;
  if (t.params.size() > 8) {
    big_args.resize(t.params.size());
    args = big_args.data();
  }
  if (t.results.size() > 8) {
    big_res.resize(t.results.size());
    res = big_res.data();
  }
  for (size_t i = 0; i < t.params.size(); ++i) args[i] = Value{t.params[i], slots[i], 0};
  for (size_t i = 0; i < t.results.size(); ++i) res[i] = default_value(t.results[i]);
  HostContext ctx(ex, caller);
  auto st = f->host(ctx, std::span<const Value>(args, t.params.size()), std::span<Value>(res, t.results.size()));
  if (!st) {
    Trap trap = std::move(st.error());
    if (trap.function.empty()) trap.function = f->name();
    return {false, std::move(trap)};
  }
  for (size_t i = 0; i < t.results.size(); ++i) {
    uint64_t bits = res[i].bits;
    if (t.results[i] == ValType::kI32 || t.results[i] == ValType::kF32) bits = static_cast<uint32_t>(bits);
    slots[i] = bits;
  }
  return {true, {}};
}

RunResult run(Execution* ex, bool allow_suspend, const int32_t** table_out) {
#define X_IOP(name) static_cast<int32_t>(reinterpret_cast<const char*>(&&L_##name) - reinterpret_cast<const char*>(&&L_Unreachable)),
#define IPVM_IOP_OFFSET(name) X_IOP(name)
  static const int32_t kOffsets[] = {IPVM_IOPS(IPVM_IOP_OFFSET)};
#undef IPVM_IOP_OFFSET
#undef X_IOP
  if (table_out) {
    *table_out = kOffsets;
    return {};
  }

  RunResult result;
  Store& store = ex->store();
  const CallLimits& lim = ex->limits();
  const char* const base = reinterpret_cast<const char*>(&&L_Unreachable);

  Instance* inst = nullptr;
  uint32_t inst_id = 0;
  const Code* code = nullptr;
  const uint32_t* words = nullptr;
  const FuncCode* fcodes = nullptr;
  GlobalVar* const* G = nullptr;
  Memory* mem0 = nullptr;
  uint8_t* mem = nullptr;
  uint64_t msize = 0;
  uint64_t* stack_base = ex->stack.data();
  uint64_t* fp = nullptr;
  const uint32_t* pc = nullptr;
  TrapKind trap_kind = TrapKind::kUnreachable;
  Trap host_trap;
  bool have_host_trap = false;

  // Native tier (jit.h): the running instance's code when this call uses it, else null.
  const bool use_jit = lim.jit;
  const JitCode* jit = nullptr;
  const void* jit_target = nullptr;
  JitCtx jctx;

  // Call path state.
  Func* callee = nullptr;
  uint64_t* nfp = nullptr;
  const uint32_t* next_pc = nullptr;

  // Loops charge fuel on every back edge: a register (g++ spilled it otherwise, making the charge a
  // read-modify-write of the stack on each iteration).
  register int64_t fuel asm("r14") = 0;
  uint64_t acc = 0;
  {
    int64_t chunk = std::min(ex->fuel_left_, kFuelChunk);
    if (chunk < 0) chunk = 0;
    ex->fuel_left_ -= chunk;
    fuel = chunk;
  }

#define RELOAD_MEM()                        \
  do {                                      \
    if (mem0) {                             \
      mem = mem0->data();                   \
      msize = mem0->size();                 \
    }                                       \
  } while (0)
#define LOAD_INSTANCE(i)                                     \
  do {                                                       \
    inst = (i);                                              \
    inst_id = inst->id;                                      \
    code = &inst->compiled->code();                          \
    words = code->words.data();                              \
    fcodes = code->funcs.data();                             \
    G = inst->globals.data();                                \
    mem0 = inst->memories.empty() ? nullptr : inst->memories[0]; \
    mem = nullptr;                                           \
    msize = 0;                                               \
    RELOAD_MEM();                                            \
    jit = use_jit ? inst->compiled->jit() : nullptr;         \
  } while (0)
// Continues at word index w in native code when its function was compiled.
#define TRY_JIT(w)                                              \
  do {                                                          \
    if (jit && (jit_target = jit->entry(w)) != nullptr) goto jit_run; \
  } while (0)
#define DISPATCH() goto *(base + static_cast<int32_t>(*pc))
// After an op native code has no template for (it exited to run it here): back to native code.
#define NEXT_JIT(n)                                    \
  do {                                                 \
    pc += (n);                                         \
    TRY_JIT(static_cast<uint32_t>(pc - words));        \
    DISPATCH();                                        \
  } while (0)
#define NEXT(n)  \
  do {           \
    pc += (n);   \
    DISPATCH();  \
  } while (0)
#define TRAP(k)          \
  do {                   \
    trap_kind = (k);     \
    goto trap;           \
  } while (0)
// An access of n bytes at effective address ea (a 64-bit sum, so it cannot wrap) must fit memory.
#define CHECK_MEM(ea, n) \
  if (__builtin_expect((ea) + (n) > msize, 0)) TRAP(TrapKind::kMemoryOutOfBounds)
#define SL(i) fp[pc[i]]
#define GET_u32(i) static_cast<uint32_t>(SL(i))
#define GET_s32(i) static_cast<int32_t>(static_cast<uint32_t>(SL(i)))
#define GET_u64(i) (SL(i))
#define GET_s64(i) static_cast<int64_t>(SL(i))
#define GET_f32(i) std::bit_cast<float>(static_cast<uint32_t>(SL(i)))
#define GET_f64(i) std::bit_cast<double>(SL(i))
// Results go to their slot and to acc (see ops.h: the next instruction may read acc).
#define PUT_R32(i, v) SL(i) = acc = static_cast<uint64_t>(static_cast<uint32_t>(v))
#define PUT_R64(i, v) SL(i) = acc = static_cast<uint64_t>(v)
#define PUT_F32(i, v) SL(i) = acc = canon_f32(v)
#define PUT_F64(i, v) SL(i) = acc = canon_f64(v)
#define ACC_u32 static_cast<uint32_t>(acc)
#define ACC_s32 static_cast<int32_t>(static_cast<uint32_t>(acc))
#define ACC_u64 acc
#define ACC_s64 static_cast<int64_t>(acc)
#define ACC_f32 std::bit_cast<float>(static_cast<uint32_t>(acc))
#define ACC_f64 std::bit_cast<double>(acc)
#define PUT_s32(i, v) PUT_R32(i, static_cast<int32_t>(v))
#define PUT_u32(i, v) PUT_R32(i, static_cast<uint32_t>(v))
#define PUT_s64(i, v) PUT_R64(i, static_cast<int64_t>(v))
#define PUT_u64(i, v) PUT_R64(i, static_cast<uint64_t>(v))

  // Frames: ex->frames is used as storage with `depth` live entries while running; its size is
  // set back to `depth` whenever control leaves the loop.
  uint32_t depth = static_cast<uint32_t>(ex->frames.size());
  const uint32_t max_depth = lim.max_call_depth;
  if (ex->frames.size() < 64) ex->frames.resize(64);
  Frame* frames = ex->frames.data();
  uint32_t frame_cap = static_cast<uint32_t>(ex->frames.size());
#define TOP_FRAME() frames[depth - 1]
#define SYNC_FRAMES() ex->frames.resize(depth)
  // frame_lim: calls below it need no check beyond one compare (min of capacity and max depth).
  uint32_t frame_lim = std::min(frame_cap, max_depth);
#define GROW_FRAMES()                                                                   \
  do {                                                                                  \
    ex->frames.resize(std::min<size_t>(size_t{frame_cap} * 2, max_depth + size_t{1}));  \
    frames = ex->frames.data();                                                         \
    frame_cap = static_cast<uint32_t>(ex->frames.size());                               \
    frame_lim = std::min(frame_cap, max_depth);                                         \
  } while (0)
  // stack_end: one past the last slot of ex->stack (re-read whenever the vector may have moved).
  uint64_t* stack_end = stack_base + ex->stack.size();
#define GROW_STACK(slots)                                                                          \
  do {                                                                                             \
    size_t need = static_cast<size_t>(nfp - stack_base) + (slots);                                 \
    if (need > lim.max_stack_slots) TRAP(TrapKind::kCallStackExhausted);                           \
    size_t fpo = static_cast<size_t>(fp - stack_base), nfpo = static_cast<size_t>(nfp - stack_base); \
    ex->stack.resize(std::min<size_t>(std::max(need, ex->stack.size() * 2), lim.max_stack_slots)); \
    stack_base = ex->stack.data();                                                                 \
    stack_end = stack_base + ex->stack.size();                                                     \
    fp = stack_base + fpo;                                                                         \
    nfp = stack_base + nfpo;                                                                       \
  } while (0)
  // Declared locals start at zero. The empty asm keeps g++ from turning the (usually 0-3
  // iteration) loop into a memset call.
#define ZERO_LOCALS(fc)                                                     \
  do {                                                                      \
    for (uint32_t k = (fc).num_params, n = (fc).num_locals; k < n; ++k) {   \
      nfp[k] = 0;                                                           \
      asm("" : "+r"(k));                                                    \
    }                                                                       \
  } while (0)

  {
    Frame& f = TOP_FRAME();
    LOAD_INSTANCE(store.instance(f.instance));
    fp = stack_base + f.fp;
    pc = words + f.pc;
    TRY_JIT(f.pc);
  }
  DISPATCH();

L_Unreachable:
  TRAP(TrapKind::kUnreachable);

L_Fuel:
  fuel -= pc[1];
  if (__builtin_expect(fuel < 0, 0)) goto fuel_slow;
  NEXT(2);

L_Br:
  pc = words + pc[1];
  DISPATCH();
L_BrIfNz:
  if (GET_u32(1)) {
    pc = words + pc[2];
    DISPATCH();
  }
  NEXT(3);
L_BrIfZ:
  if (!GET_u32(1)) {
    pc = words + pc[2];
    DISPATCH();
  }
  NEXT(3);
L_BrTable: {
  uint32_t i = GET_u32(1);
  uint32_t n = pc[2];
  if (i > n) i = n;
  pc = words + pc[3 + i];
  DISPATCH();
}
L_Copy:
  SL(1) = SL(2);
  NEXT(3);
L_Copy2:
  SL(1) = SL(2);
  SL(3) = SL(4);
  NEXT(5);
L_Copy3:
  SL(1) = SL(2);
  SL(3) = SL(4);
  SL(5) = SL(6);
  NEXT(7);
L_Copy4:
  SL(1) = SL(2);
  SL(3) = SL(4);
  SL(5) = SL(6);
  SL(7) = SL(8);
  NEXT(9);
L_CopyN: {
  uint64_t* d = fp + pc[1];
  const uint64_t* a = fp + pc[2];
  for (uint32_t k = 0, n = pc[3]; k < n; ++k) d[k] = a[k];
  NEXT(4);
}
L_Const32:
  SL(1) = pc[2];
  NEXT(3);
L_Const64:
  SL(1) = uint64_t{pc[2]} | (uint64_t{pc[3]} << 32);
  NEXT(4);
L_Select:
  SL(1) = GET_u32(4) ? SL(2) : SL(3);
  NEXT(5);
L_SelectA:
  SL(1) = ACC_u32 ? SL(2) : SL(3);
  NEXT(5);

L_Call: {
  const FuncCode& fc = fcodes[pc[1]];
  nfp = fp + pc[2];
  TOP_FRAME().pc = static_cast<uint32_t>(pc + 3 - words);
  if (__builtin_expect(depth >= frame_lim, 0)) {
    if (depth >= max_depth) TRAP(TrapKind::kCallStackExhausted);
    GROW_FRAMES();
  }
  if (__builtin_expect(nfp + fc.frame_slots > stack_end, 0)) {
    GROW_STACK(fc.frame_slots);
  }
  frames[depth++] = Frame{inst_id, pc[1], 0, static_cast<uint32_t>(nfp - stack_base)};
  ZERO_LOCALS(fc);
  fp = nfp;
  TRY_JIT(fc.entry);
  // The callee's entry Fuel instruction, executed inline.
  pc = words + fc.entry;
  fuel -= pc[1];
  if (__builtin_expect(fuel < 0, 0)) goto fuel_slow;
  NEXT(2);
}
L_CallImport:
  callee = inst->funcs[pc[1]];
  nfp = fp + pc[2];
  next_pc = pc + 3;
  goto call_func;
L_CallIndirect: {
  Table* t = inst->tables[pc[2]];
  uint32_t i = GET_u32(3);
  if (i >= t->size()) TRAP(TrapKind::kUndefinedElement);
  uint64_t r = t->data()[i];
  if (r == 0) TRAP(TrapKind::kUninitializedElement);
  // Tables only hold ids the store made, but a funcref restored from a snapshot's value stack
  // (untyped slots, so not checkable at load) may reach one through table.set: never index past.
  if (__builtin_expect(r > store.num_funcs(), 0)) TRAP(TrapKind::kUninitializedElement);
  callee = store.func_table()[r - 1];
  if (callee->type_id != inst->type_ids[pc[1]]) TRAP(TrapKind::kIndirectCallTypeMismatch);
  nfp = fp + pc[4];
  next_pc = pc + 5;
  goto call_func;
}
L_Ret: {
  const uint64_t* a = fp + pc[1];
  acc = a[0];  // the caller may read a single result from acc (a[0] is in the frame even if n = 0)
  if (a != fp)
    for (uint32_t k = 0, n = pc[2]; k < n; ++k) fp[k] = a[k];
  if (--depth == 0) goto done;
  const Frame& f = TOP_FRAME();
  // Memory is only re-read when the instance changes: a grow in this instance updated mem/msize
  // already, and host calls re-read them when they return.
  if (__builtin_expect(f.instance != inst_id, 0)) LOAD_INSTANCE(store.instance(f.instance));
  fp = stack_base + f.fp;
  pc = words + f.pc;
  TRY_JIT(f.pc);
  DISPATCH();
}

L_GlobalGet:
  SL(1) = G[pc[2]]->bits;
  NEXT(3);
L_GlobalSet:
  G[pc[1]]->bits = SL(2);
  NEXT(3);
L_RefFunc:
  SL(1) = uint64_t{inst->funcs[pc[2]]->id} + 1;
  NEXT_JIT(3);

L_TableGet: {
  Table* t = inst->tables[pc[2]];
  uint32_t i = GET_u32(3);
  if (i >= t->size()) TRAP(TrapKind::kTableOutOfBounds);
  SL(1) = t->data()[i];
  NEXT_JIT(4);
}
L_TableSet: {
  Table* t = inst->tables[pc[1]];
  uint32_t i = GET_u32(2);
  if (i >= t->size()) TRAP(TrapKind::kTableOutOfBounds);
  t->data()[i] = SL(3);
  NEXT_JIT(4);
}
L_TableSize:
  PUT_R32(1, inst->tables[pc[2]]->size());
  NEXT_JIT(3);
L_TableGrow: {
  Table* t = inst->tables[pc[2]];
  uint32_t n = GET_u32(4);
  fuel -= n >> 6;
  auto old = t->grow(n, SL(3), lim.max_table_elements);
  PUT_R32(1, old ? *old : 0xffffffffu);
  NEXT_JIT(5);
}
L_TableFill: {
  Table* t = inst->tables[pc[1]];
  uint64_t i = GET_u32(2), n = GET_u32(4);
  if (i + n > t->size()) TRAP(TrapKind::kTableOutOfBounds);
  fuel -= static_cast<int64_t>(n >> 6);
  uint64_t v = SL(3);
  uint64_t* e = t->data();
  for (uint64_t k = 0; k < n; ++k) e[i + k] = v;
  NEXT_JIT(5);
}
L_TableCopy: {
  Table* dt = inst->tables[pc[1]];
  Table* st = inst->tables[pc[2]];
  uint64_t d = GET_u32(3), s = GET_u32(4), n = GET_u32(5);
  if (d + n > dt->size() || s + n > st->size()) TRAP(TrapKind::kTableOutOfBounds);
  fuel -= static_cast<int64_t>(n >> 6);
  if (n) std::memmove(dt->data() + d, st->data() + s, n * sizeof(uint64_t));
  NEXT_JIT(6);
}
L_TableInit: {
  Table* t = inst->tables[pc[1]];
  const std::vector<uint64_t>& seg = inst->elems[pc[2]];
  uint64_t d = GET_u32(3), s = GET_u32(4), n = GET_u32(5);
  if (s + n > seg.size() || d + n > t->size()) TRAP(TrapKind::kTableOutOfBounds);
  fuel -= static_cast<int64_t>(n >> 6);
  if (n) std::memcpy(t->data() + d, seg.data() + s, n * sizeof(uint64_t));
  NEXT_JIT(6);
}
L_ElemDrop:
  inst->elems[pc[1]].clear();
  inst->elems[pc[1]].shrink_to_fit();
  NEXT_JIT(2);

L_MemorySize:
  PUT_R32(1, msize / kPageSize);
  NEXT(2);
L_MemoryGrow: {
  uint32_t n = GET_u32(2);
  uint32_t r = 0xffffffffu;
  if (mem0) {
    auto old = mem0->grow(n, lim.max_memory_pages);
    if (old) {
      r = *old;
      fuel -= static_cast<int64_t>(n) << 4;
    }
    RELOAD_MEM();
  }
  PUT_R32(1, r);
  NEXT_JIT(3);
}
L_MemoryInit: {
  uint32_t seg = pc[1];
  const DataSegment& ds = inst->module().datas[seg];
  uint64_t len = inst->data_dropped[seg] ? 0 : ds.size;
  uint64_t d = GET_u32(2), s = GET_u32(3), n = GET_u32(4);
  if (s + n > len || d + n > msize) TRAP(TrapKind::kMemoryOutOfBounds);
  fuel -= static_cast<int64_t>(n >> 6);
  if (n) std::memcpy(mem + d, inst->module().bytes.data() + ds.offset_in_module + s, n);
  NEXT_JIT(5);
}
L_DataDrop:
  inst->data_dropped[pc[1]] = 1;
  NEXT_JIT(2);
L_MemoryCopy: {
  uint64_t d = GET_u32(1), s = GET_u32(2), n = GET_u32(3);
  if (d + n > msize || s + n > msize) TRAP(TrapKind::kMemoryOutOfBounds);
  fuel -= static_cast<int64_t>(n >> 6);
  if (n) std::memmove(mem + d, mem + s, n);
  NEXT_JIT(4);
}
L_MemoryFill: {
  uint64_t d = GET_u32(1), n = GET_u32(3);
  if (d + n > msize) TRAP(TrapKind::kMemoryOutOfBounds);
  fuel -= static_cast<int64_t>(n >> 6);
  if (n) std::memset(mem + d, static_cast<int>(GET_u32(2) & 0xff), n);
  NEXT_JIT(4);
}

L_I32DivS: {
  int32_t a = GET_s32(2), b = GET_s32(3);
  if (b == 0) TRAP(TrapKind::kIntegerDivideByZero);
  if (a == std::numeric_limits<int32_t>::min() && b == -1) TRAP(TrapKind::kIntegerOverflow);
  PUT_R32(1, a / b);
  NEXT(4);
}
L_I32DivU: {
  uint32_t a = GET_u32(2), b = GET_u32(3);
  if (b == 0) TRAP(TrapKind::kIntegerDivideByZero);
  PUT_R32(1, a / b);
  NEXT(4);
}
L_I32RemS: {
  int32_t a = GET_s32(2), b = GET_s32(3);
  if (b == 0) TRAP(TrapKind::kIntegerDivideByZero);
  PUT_R32(1, b == -1 ? 0 : a % b);
  NEXT(4);
}
L_I32RemU: {
  uint32_t a = GET_u32(2), b = GET_u32(3);
  if (b == 0) TRAP(TrapKind::kIntegerDivideByZero);
  PUT_R32(1, a % b);
  NEXT(4);
}
L_I64DivS: {
  int64_t a = GET_s64(2), b = GET_s64(3);
  if (b == 0) TRAP(TrapKind::kIntegerDivideByZero);
  if (a == std::numeric_limits<int64_t>::min() && b == -1) TRAP(TrapKind::kIntegerOverflow);
  PUT_R64(1, a / b);
  NEXT(4);
}
L_I64DivU: {
  uint64_t a = GET_u64(2), b = GET_u64(3);
  if (b == 0) TRAP(TrapKind::kIntegerDivideByZero);
  PUT_R64(1, a / b);
  NEXT(4);
}
L_I64RemS: {
  int64_t a = GET_s64(2), b = GET_s64(3);
  if (b == 0) TRAP(TrapKind::kIntegerDivideByZero);
  PUT_R64(1, b == -1 ? 0 : a % b);
  NEXT(4);
}
L_I64RemU: {
  uint64_t a = GET_u64(2), b = GET_u64(3);
  if (b == 0) TRAP(TrapKind::kIntegerDivideByZero);
  PUT_R64(1, a % b);
  NEXT(4);
}

#define IPVM_BIN_HANDLER(Name, op, T, R, expr) \
  L_##Name : {                                 \
    T a = GET_##T(2);                          \
    T b = GET_##T(3);                          \
    PUT_##R(1, (expr));                        \
    NEXT(4);                                   \
  }
  IPVM_BINOPS(IPVM_BIN_HANDLER)
#undef IPVM_BIN_HANDLER
#define IPVM_BIN_ACC_HANDLER(Name, op, T, R, expr) \
  L_##Name##A : {                                  \
    T a = ACC_##T;                                 \
    T b = GET_##T(3);                              \
    PUT_##R(1, (expr));                            \
    NEXT(4);                                       \
  }                                                \
  L_##Name##B : {                                  \
    T a = GET_##T(2);                              \
    T b = ACC_##T;                                 \
    PUT_##R(1, (expr));                            \
    NEXT(4);                                       \
  }
  IPVM_BINOPS(IPVM_BIN_ACC_HANDLER)
#undef IPVM_BIN_ACC_HANDLER

#define IPVM_UN_HANDLER(Name, op, T, R, expr) \
  L_##Name : {                                \
    T a = GET_##T(2);                         \
    PUT_##R(1, (expr));                       \
    NEXT(3);                                  \
  }
  IPVM_UNOPS(IPVM_UN_HANDLER)
#undef IPVM_UN_HANDLER
#define IPVM_UN_ACC_HANDLER(Name, op, T, R, expr) \
  L_##Name##A : {                                 \
    T a = ACC_##T;                                \
    PUT_##R(1, (expr));                           \
    NEXT(3);                                      \
  }
  IPVM_UNOPS(IPVM_UN_ACC_HANDLER)
#undef IPVM_UN_ACC_HANDLER

#define IPVM_LOAD_HANDLER(Name, op, N, CT, R)                             \
  L_##Name : {                                                            \
    uint64_t ea = uint64_t{GET_u32(2)} + pc[3];                           \
    CHECK_MEM(ea, N); \
    CT v;                                                                 \
    std::memcpy(&v, mem + ea, (N));                                       \
    PUT_##R(1, v);                                                        \
    NEXT(4);                                                              \
  }
  IPVM_LOADS(IPVM_LOAD_HANDLER)
#undef IPVM_LOAD_HANDLER
#define IPVM_LOAD_ACC_HANDLER(Name, op, N, CT, R)                         \
  L_##Name##A : {                                                         \
    uint64_t ea = uint64_t{ACC_u32} + pc[3];                              \
    CHECK_MEM(ea, N); \
    CT v;                                                                 \
    std::memcpy(&v, mem + ea, (N));                                       \
    PUT_##R(1, v);                                                        \
    NEXT(4);                                                              \
  }
  IPVM_LOADS(IPVM_LOAD_ACC_HANDLER)
#undef IPVM_LOAD_ACC_HANDLER
#define IPVM_LOADK_HANDLER(Name, op, N, CT, R)                            \
  L_##Name##K : {                                                         \
    uint64_t ea = uint64_t{pc[2]} + pc[3];                                \
    CHECK_MEM(ea, N); \
    CT v;                                                                 \
    std::memcpy(&v, mem + ea, (N));                                       \
    PUT_##R(1, v);                                                        \
    NEXT(4);                                                              \
  }
  IPVM_LOADS(IPVM_LOADK_HANDLER)
#undef IPVM_LOADK_HANDLER

#define IPVM_STORE_HANDLER(Name, op, N)                                   \
  L_##Name : {                                                            \
    uint64_t ea = uint64_t{GET_u32(1)} + pc[3];                           \
    CHECK_MEM(ea, N); \
    uint64_t v = SL(2);                                                   \
    std::memcpy(mem + ea, &v, (N));                                       \
    NEXT(4);                                                              \
  }
  IPVM_STORES(IPVM_STORE_HANDLER)
#undef IPVM_STORE_HANDLER
#define IPVM_STORE_ACC_HANDLER(Name, op, N)                               \
  L_##Name##V : {                                                         \
    uint64_t ea = uint64_t{GET_u32(1)} + pc[3];                           \
    CHECK_MEM(ea, N); \
    uint64_t v = acc;                                                     \
    std::memcpy(mem + ea, &v, (N));                                       \
    NEXT(4);                                                              \
  }                                                                       \
  L_##Name##AIV : {                                                       \
    uint64_t ea = uint64_t{static_cast<uint32_t>(GET_u32(1) + pc[2])} + pc[4]; \
    CHECK_MEM(ea, N); \
    uint64_t v = acc;                                                     \
    std::memcpy(mem + ea, &v, (N));                                       \
    NEXT(5);                                                              \
  }
  IPVM_STORES(IPVM_STORE_ACC_HANDLER)
#undef IPVM_STORE_ACC_HANDLER

#define IPVM_TRUNC_HANDLER(Name, op, FT, IT, lo, hi)               \
  L_##Name : {                                                     \
    FT x = GET_##FT(2);                                            \
    if (x != x) TRAP(TrapKind::kInvalidConversion);                \
    if (!(x > (lo) && x < (hi))) TRAP(TrapKind::kIntegerOverflow); \
    PUT_##IT(1, static_cast<IT>(x));                               \
    NEXT(3);                                                       \
  }
  IPVM_TRUNCS(IPVM_TRUNC_HANDLER)
#undef IPVM_TRUNC_HANDLER

#define IPVM_SAT_HANDLER(Name, op, FT, IT)    \
  L_##Name : {                                \
    FT x = GET_##FT(2);                       \
    PUT_##IT(1, (trunc_sat<IT, FT>(x)));      \
    NEXT(3);                                  \
  }
  IPVM_TRUNC_SATS(IPVM_SAT_HANDLER)
#undef IPVM_SAT_HANDLER

#define IPVM_IMM_HANDLER(Name, T, R, expr)                              \
  L_##Name##Imm : {                                                     \
    T a = GET_##T(2);                                                   \
    T b = static_cast<T>(static_cast<int64_t>(static_cast<int32_t>(pc[3]))); \
    PUT_##R(1, (expr));                                                 \
    NEXT(4);                                                            \
  }
  IPVM_IMMOPS(IPVM_IMM_HANDLER)
#undef IPVM_IMM_HANDLER
#define IPVM_IMM_ACC_HANDLER(Name, T, R, expr)                          \
  L_##Name##ImmA : {                                                    \
    T a = ACC_##T;                                                      \
    T b = static_cast<T>(static_cast<int64_t>(static_cast<int32_t>(pc[3]))); \
    PUT_##R(1, (expr));                                                 \
    NEXT(4);                                                            \
  }
  IPVM_IMMOPS(IPVM_IMM_ACC_HANDLER)
#undef IPVM_IMM_ACC_HANDLER

// A taken branch to a loop header executes the header's Fuel instruction inline.
#define TAKE_LOOP_BRANCH(t)            \
  do {                                 \
    pc = words + (t);                  \
    fuel -= pc[1];                     \
    if (__builtin_expect(fuel < 0, 0)) goto fuel_slow; \
    NEXT(2);                           \
  } while (0)
#define IPVM_BR_HANDLER(Name, T, expr)                                  \
  L_BrIf##Name : {                                                      \
    T a = GET_##T(1);                                                   \
    T b = GET_##T(2);                                                   \
    if (expr) {                                                         \
      pc = words + pc[3];                                               \
      DISPATCH();                                                       \
    }                                                                   \
    NEXT(4);                                                            \
  }                                                                     \
  L_BrIf##Name##Imm : {                                                 \
    T a = GET_##T(1);                                                   \
    T b = static_cast<T>(static_cast<int64_t>(static_cast<int32_t>(pc[2]))); \
    if (expr) {                                                         \
      pc = words + pc[3];                                               \
      DISPATCH();                                                       \
    }                                                                   \
    NEXT(4);                                                            \
  }                                                                     \
  L_BrIf##Name##Loop : {                                                \
    T a = GET_##T(1);                                                   \
    T b = GET_##T(2);                                                   \
    if (expr) TAKE_LOOP_BRANCH(pc[3]);                                  \
    NEXT(4);                                                            \
  }                                                                     \
  L_BrIf##Name##ImmLoop : {                                             \
    T a = GET_##T(1);                                                   \
    T b = static_cast<T>(static_cast<int64_t>(static_cast<int32_t>(pc[2]))); \
    if (expr) TAKE_LOOP_BRANCH(pc[3]);                                  \
    NEXT(4);                                                            \
  }
  IPVM_CMPOPS(IPVM_BR_HANDLER)
#undef IPVM_BR_HANDLER
#define IPVM_BR_ACC_HANDLER(Name, T, expr)                              \
  L_BrIf##Name##A : {                                                   \
    T a = ACC_##T;                                                      \
    T b = GET_##T(2);                                                   \
    if (expr) {                                                         \
      pc = words + pc[3];                                               \
      DISPATCH();                                                       \
    }                                                                   \
    NEXT(4);                                                            \
  }                                                                     \
  L_BrIf##Name##ImmA : {                                                \
    T a = ACC_##T;                                                      \
    T b = static_cast<T>(static_cast<int64_t>(static_cast<int32_t>(pc[2]))); \
    if (expr) {                                                         \
      pc = words + pc[3];                                               \
      DISPATCH();                                                       \
    }                                                                   \
    NEXT(4);                                                            \
  }                                                                     \
  L_BrIf##Name##LoopA : {                                               \
    T a = ACC_##T;                                                      \
    T b = GET_##T(2);                                                   \
    if (expr) TAKE_LOOP_BRANCH(pc[3]);                                  \
    NEXT(4);                                                            \
  }                                                                     \
  L_BrIf##Name##ImmLoopA : {                                            \
    T a = ACC_##T;                                                      \
    T b = static_cast<T>(static_cast<int64_t>(static_cast<int32_t>(pc[2]))); \
    if (expr) TAKE_LOOP_BRANCH(pc[3]);                                  \
    NEXT(4);                                                            \
  }
  IPVM_CMPOPS(IPVM_BR_ACC_HANDLER)
#undef IPVM_BR_ACC_HANDLER
L_BrIfNzA:
  if (ACC_u32) {
    pc = words + pc[2];
    DISPATCH();
  }
  NEXT(3);
L_BrIfZA:
  if (!ACC_u32) {
    pc = words + pc[2];
    DISPATCH();
  }
  NEXT(3);
L_BrIfNzLoopA:
  if (ACC_u32) TAKE_LOOP_BRANCH(pc[2]);
  NEXT(3);
L_BrIfAndNzA:
  if (ACC_u32 & pc[2]) {
    pc = words + pc[3];
    DISPATCH();
  }
  NEXT(4);
L_BrIfAndZA:
  if (!(ACC_u32 & pc[2])) {
    pc = words + pc[3];
    DISPATCH();
  }
  NEXT(4);

L_BrLoop:
  TAKE_LOOP_BRANCH(pc[1]);
L_BrIfAndNz:
  if (GET_u32(1) & pc[2]) {
    pc = words + pc[3];
    DISPATCH();
  }
  NEXT(4);
L_BrIfAndZ:
  if (!(GET_u32(1) & pc[2])) {
    pc = words + pc[3];
    DISPATCH();
  }
  NEXT(4);
// Suffix "" reads a from its slot, "A" from acc (the value is read before PUT overwrites acc).
#define IPVM_BINLOAD_HANDLER(Name, T, LT, R, expr, Sfx, GET_A)            \
  L_##Name##Load##Sfx : {                                                 \
    uint64_t ea = uint64_t{GET_u32(3)} + pc[4];                           \
    CHECK_MEM(ea, sizeof(LT)); \
    LT raw;                                                               \
    std::memcpy(&raw, mem + ea, sizeof(LT));                              \
    T a = GET_A;                                                          \
    T b = std::bit_cast<T>(raw);                                          \
    PUT_##R(1, (expr));                                                   \
    NEXT(5);                                                              \
  }                                                                       \
  L_##Name##LoadAI##Sfx : {                                               \
    uint64_t ea = uint64_t{static_cast<uint32_t>(GET_u32(3) + pc[4])} + pc[5]; \
    CHECK_MEM(ea, sizeof(LT)); \
    LT raw;                                                               \
    std::memcpy(&raw, mem + ea, sizeof(LT));                              \
    T a = GET_A;                                                          \
    T b = std::bit_cast<T>(raw);                                          \
    PUT_##R(1, (expr));                                                   \
    NEXT(6);                                                              \
  }
#define IPVM_BINLOAD_HANDLERS(Name, T, LT, R, expr) \
  IPVM_BINLOAD_HANDLER(Name, T, LT, R, expr, , GET_##T(2)) \
  IPVM_BINLOAD_HANDLER(Name, T, LT, R, expr, A, ACC_##T)
  IPVM_BINLOAD_HANDLERS(I32Add, u32, uint32_t, R32, a + b)
  IPVM_BINLOAD_HANDLERS(F64Add, f64, uint64_t, F64, a + b)
  IPVM_BINLOAD_HANDLERS(F64Sub, f64, uint64_t, F64, a - b)
  IPVM_BINLOAD_HANDLERS(F64Mul, f64, uint64_t, F64, a * b)
#undef IPVM_BINLOAD_HANDLERS
#undef IPVM_BINLOAD_HANDLER
// Read-modify-write: as <Op>Load[A], then the result is stored back where it was loaded from.
#define IPVM_RMW_HANDLER(Name, T, LT, R, expr, Sfx, GET_A)                  \
  L_##Name##LoadStore##Sfx : {                                            \
    uint64_t ea = uint64_t{GET_u32(3)} + pc[4];                           \
    CHECK_MEM(ea, sizeof(LT)); \
    LT raw;                                                               \
    std::memcpy(&raw, mem + ea, sizeof(LT));                              \
    T a = GET_A;                                                          \
    T b = std::bit_cast<T>(raw);                                          \
    PUT_##R(1, (expr));                                                   \
    raw = static_cast<LT>(acc);                                           \
    std::memcpy(mem + ea, &raw, sizeof(LT));                              \
    NEXT(5);                                                              \
  }
#define IPVM_RMW_HANDLERS(Name, T, LT, R, expr)              \
  IPVM_RMW_HANDLER(Name, T, LT, R, expr, , GET_##T(2))       \
  IPVM_RMW_HANDLER(Name, T, LT, R, expr, A, ACC_##T)
  IPVM_RMW_HANDLERS(I32Add, u32, uint32_t, R32, a + b)
  IPVM_RMW_HANDLERS(F64Add, f64, uint64_t, F64, a + b)
  IPVM_RMW_HANDLERS(F64Sub, f64, uint64_t, F64, a - b)
  IPVM_RMW_HANDLERS(F64Mul, f64, uint64_t, F64, a * b)
#undef IPVM_RMW_HANDLERS
#undef IPVM_RMW_HANDLER

L_BrIfNzLoop:
  if (GET_u32(1)) TAKE_LOOP_BRANCH(pc[2]);
  NEXT(3);

#define IPVM_SHIFTED_HANDLER(Name, opc, shift, expr) \
  L_##Name##Imm : {                                  \
    uint32_t a = GET_u32(2);                         \
    uint32_t c = GET_u32(3);                         \
    uint32_t s = pc[4] & 31;                         \
    PUT_R32(1, (expr));                              \
    NEXT(5);                                         \
  }
  IPVM_SHIFTED_OPS(IPVM_SHIFTED_HANDLER)
#undef IPVM_SHIFTED_HANDLER

L_I32AddImm2:
  SL(1) = static_cast<uint32_t>(GET_u32(2) + pc[3]);
  PUT_R32(4, GET_u32(5) + pc[6]);
  NEXT(7);

#define IPVM_BRLOAD_HANDLER(Name, N, CT)                                  \
  L_BrIf##Name##Nz : {                                                    \
    uint64_t ea = uint64_t{GET_u32(1)} + pc[2];                           \
    CHECK_MEM(ea, N); \
    CT v;                                                                 \
    std::memcpy(&v, mem + ea, (N));                                       \
    if (v) {                                                              \
      pc = words + pc[3];                                                 \
      DISPATCH();                                                         \
    }                                                                     \
    NEXT(4);                                                              \
  }                                                                       \
  L_BrIf##Name##Z : {                                                     \
    uint64_t ea = uint64_t{GET_u32(1)} + pc[2];                           \
    CHECK_MEM(ea, N); \
    CT v;                                                                 \
    std::memcpy(&v, mem + ea, (N));                                       \
    if (!v) {                                                             \
      pc = words + pc[3];                                                 \
      DISPATCH();                                                         \
    }                                                                     \
    NEXT(4);                                                              \
  }
  IPVM_BRLOAD_HANDLER(Load, 4, uint32_t)
  IPVM_BRLOAD_HANDLER(Load8U, 1, uint8_t)
#undef IPVM_BRLOAD_HANDLER
#define IPVM_BRLOAD_D_HANDLER(Name, N, CT)                                \
  L_BrIf##Name##NzD : {                                                   \
    uint64_t ea = uint64_t{GET_u32(2)} + pc[3];                           \
    CHECK_MEM(ea, N); \
    CT v;                                                                 \
    std::memcpy(&v, mem + ea, (N));                                       \
    PUT_R32(1, v);                                                        \
    if (v) {                                                              \
      pc = words + pc[4];                                                 \
      DISPATCH();                                                         \
    }                                                                     \
    NEXT(5);                                                              \
  }                                                                       \
  L_BrIf##Name##ZD : {                                                    \
    uint64_t ea = uint64_t{GET_u32(2)} + pc[3];                           \
    CHECK_MEM(ea, N); \
    CT v;                                                                 \
    std::memcpy(&v, mem + ea, (N));                                       \
    PUT_R32(1, v);                                                        \
    if (!v) {                                                             \
      pc = words + pc[4];                                                 \
      DISPATCH();                                                         \
    }                                                                     \
    NEXT(5);                                                              \
  }
  IPVM_BRLOAD_D_HANDLER(Load, 4, uint32_t)
  IPVM_BRLOAD_D_HANDLER(Load8U, 1, uint8_t)
#undef IPVM_BRLOAD_D_HANDLER

#define IPVM_LOADAI_HANDLER(Name, op, N, CT, R)                           \
  L_##Name##AI : {                                                        \
    uint64_t ea = uint64_t{static_cast<uint32_t>(GET_u32(2) + pc[3])} + pc[4]; \
    CHECK_MEM(ea, N); \
    CT v;                                                                 \
    std::memcpy(&v, mem + ea, (N));                                       \
    PUT_##R(1, v);                                                        \
    NEXT(5);                                                              \
  }
  IPVM_LOADS(IPVM_LOADAI_HANDLER)
#undef IPVM_LOADAI_HANDLER

#define IPVM_STOREAI_HANDLER(Name, op, N)                                 \
  L_##Name##AI : {                                                        \
    uint64_t ea = uint64_t{static_cast<uint32_t>(GET_u32(1) + pc[2])} + pc[4]; \
    CHECK_MEM(ea, N); \
    uint64_t v = SL(3);                                                   \
    std::memcpy(mem + ea, &v, (N));                                       \
    NEXT(5);                                                              \
  }
  IPVM_STORES(IPVM_STOREAI_HANDLER)
#undef IPVM_STOREAI_HANDLER

#define IPVM_STOREK_HANDLER(Name, op, N)                                  \
  L_##Name##K : {                                                         \
    uint64_t ea = uint64_t{GET_u32(1)} + pc[3];                           \
    CHECK_MEM(ea, N); \
    uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(pc[2]))); \
    std::memcpy(mem + ea, &v, (N));                                       \
    NEXT(4);                                                              \
  }                                                                       \
  L_##Name##AIK : {                                                       \
    uint64_t ea = uint64_t{static_cast<uint32_t>(GET_u32(1) + pc[2])} + pc[4]; \
    CHECK_MEM(ea, N); \
    uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(pc[3]))); \
    std::memcpy(mem + ea, &v, (N));                                       \
    NEXT(5);                                                              \
  }
  IPVM_STORES(IPVM_STOREK_HANDLER)
#undef IPVM_STOREK_HANDLER

call_func: {
  // callee, nfp (its argument slots) and next_pc (the caller's continuation) are set.
  if (callee->is_host()) {
    TOP_FRAME().pc = static_cast<uint32_t>(next_pc - words);
    SYNC_FRAMES();
    ex->fuel_left_ += fuel;
    fuel = 0;
    bool host_ok;
    {
      // Scoped so no object with a destructor is live across the dispatch below.
      HostCallResult r = call_host(*ex, callee, nfp, inst);
      host_ok = r.ok;
      if (!host_ok) {
        host_trap = std::move(r.trap);
        have_host_trap = true;
      }
    }
    // The host may have re-entered wasm (other Executions) or grown memory.
    ex->frames.resize(frame_cap);
    frames = ex->frames.data();
    stack_base = ex->stack.data();
    stack_end = stack_base + ex->stack.size();
    fp = stack_base + TOP_FRAME().fp;
    {
      int64_t chunk = std::min(ex->fuel_left_, kFuelChunk);
      if (chunk < 0) chunk = 0;
      ex->fuel_left_ -= chunk;
      fuel = chunk;
    }
    RELOAD_MEM();
    if (!host_ok) goto trap;
    pc = next_pc;
    TRY_JIT(static_cast<uint32_t>(next_pc - words));
    DISPATCH();
  }
  Instance* ci = callee->instance;
  const FuncCode& fc = ci->compiled->code().funcs[callee->code];
  TOP_FRAME().pc = static_cast<uint32_t>(next_pc - words);
  if (depth >= frame_lim) {
    if (depth >= max_depth) TRAP(TrapKind::kCallStackExhausted);
    GROW_FRAMES();
  }
  if (nfp + fc.frame_slots > stack_end) {
    GROW_STACK(fc.frame_slots);
  }
  frames[depth++] = Frame{ci->id, callee->code, 0, static_cast<uint32_t>(nfp - stack_base)};
  if (ci != inst) LOAD_INSTANCE(ci);
  ZERO_LOCALS(fc);
  fp = nfp;
  TRY_JIT(fc.entry);
  // The callee's entry Fuel instruction, executed inline.
  pc = words + fc.entry;
  fuel -= pc[1];
  if (__builtin_expect(fuel < 0, 0)) goto fuel_slow;
  NEXT(2);
}

fuel_slow: {
  int64_t cost = pc[1];
  fuel += cost;  // undo: the block is charged only if it can be paid for
  ex->fuel_left_ += fuel;
  fuel = 0;
  if (lim.deadline && std::chrono::steady_clock::now() >= *lim.deadline) TRAP(TrapKind::kDeadline);
  if (ex->fuel_left_ < cost) {
    if (allow_suspend) {
      TOP_FRAME().pc = static_cast<uint32_t>(pc - words);
      SYNC_FRAMES();
      result.status = RunStatus::kSuspended;
      return result;
    }
    TRAP(TrapKind::kOutOfFuel);
  }
  int64_t chunk = std::min(ex->fuel_left_, kFuelChunk);
  ex->fuel_left_ -= chunk;
  if (jit && (jit_target = jit->entry(static_cast<uint32_t>(pc - words))) != nullptr) {
    fuel = chunk;  // native code charges the Fuel instruction itself
    goto jit_run;
  }
  fuel = chunk - cost;
  NEXT(2);
}

jit_run: {
  // fp, fuel, depth and the frame storage move to the native code and back (see jit.h).
  jctx.fp = fp;
  jctx.mem = mem;
  jctx.msize = msize;
  jctx.fuel = fuel;
  jctx.frames = frames;
  jctx.stack_base = stack_base;
  jctx.stack_end = stack_end;
  jctx.globals = G;
  jctx.depth = depth;
  jctx.frame_lim = frame_lim;
  jctx.inst_id = inst_id;
  jctx.inst = inst;
  jctx.store = &store;
  jctx.jit = jit;
  uint32_t why = jit->run(&jctx, jit_target);
  fuel = jctx.fuel;
  depth = jctx.depth;
  fp = jctx.fp;
  switch (why) {
    case kJitRet: {
      acc = fp[0];  // as L_Ret leaves it: the caller may read a single result from acc
      if (depth == 0) goto done;
      const Frame& f = TOP_FRAME();
      if (f.instance != inst_id) LOAD_INSTANCE(store.instance(f.instance));
      fp = stack_base + f.fp;
      pc = words + f.pc;
      TRY_JIT(f.pc);
      DISPATCH();
    }
    case kJitFuel:
      pc = words + jctx.exit_pc;
      goto fuel_slow;
    case kJitTrap:
      pc = words + jctx.exit_pc;
      trap_kind = static_cast<TrapKind>(jctx.trap);
      goto trap;
    default:  // kJitInterp: the interpreter performs this instruction
      pc = words + jctx.exit_pc;
      DISPATCH();
  }
}

trap: {
  ex->fuel_left_ += fuel;
  result.status = RunStatus::kTrapped;
  if (have_host_trap) {
    result.trap = std::move(host_trap);
  } else {
    result.trap = Trap::make(trap_kind);
  }
  SYNC_FRAMES();
  if (!ex->frames.empty()) {
    Frame& f = ex->frames.back();
    uint32_t at = static_cast<uint32_t>(pc - words);
    f.pc = at;
    if (!have_host_trap) {
      result.trap.function = inst->module().function_name(inst->module().num_imported_funcs + f.func);
      result.trap.offset = code->wasm_offset(at);
    }
  }
  return result;
}

done:
  SYNC_FRAMES();
  ex->fuel_left_ += fuel;
  result.status = RunStatus::kReturned;
  return result;

#undef RELOAD_MEM
#undef LOAD_INSTANCE
#undef DISPATCH
#undef NEXT
#undef TRAP
}

}  // namespace

const int32_t* handler_offsets() {
  static const int32_t* table = [] {
    const int32_t* t = nullptr;
    run(nullptr, false, &t);
    return t;
  }();
  return table;
}

RunResult interpret(Execution& ex, bool allow_suspend) { return run(&ex, allow_suspend, nullptr); }

}  // namespace ipvm::wasm
