// The baseline JIT tier: x86-64 machine code translated from a module's internal word code (code.h),
// one template per internal op. Engine-internal; the interpreter (interpreter.cpp) drives it.
//
// Contract with the interpreter (mixed mode):
// - Native code keeps every value in the frame slots the interpreter uses, so control can move
//   between the tiers at any instruction boundary: `entry(pc)` is the native address of the
//   instruction at word index pc (nullptr when its function was not compiled). Native code never
//   reads the interpreter's accumulator register (every producer also writes its slot).
// - Calls to defined functions of the same module push Frame records exactly like the interpreter;
//   anything else (imports, call_indirect, a frame or stack limit, a deep native stack) exits to the
//   interpreter *before* the call instruction, which then performs it.
// - Exits leave the Execution's frames/stack exactly as the interpreter has them at that
//   instruction: kFuel at a Fuel instruction whose cost is already subtracted (the interpreter's
//   slow path undoes it), kTrap at the trapping instruction, kRet after a Ret popped the frame the
//   native code was entered in.
// - Ops without a template (tables, bulk memory, memory.grow, ref.func) exit to the interpreter,
//   which runs that one instruction and re-enters native code at the next.
// Code is generated once per CompiledModule and is immutable (read+exec, never writable) after.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "wasm/code.h"

namespace ipvm::wasm {

struct Frame;
struct GlobalVar;
struct Instance;
class Store;
class JitCode;

// Registers of the running native code, spilled here at entry/exit. Plain data; field offsets are
// baked into the generated code.
struct JitCtx {
  uint64_t* fp = nullptr;        // in/out: the current frame's slot 0
  uint8_t* mem = nullptr;        // memory 0 base
  uint64_t msize = 0;            // memory 0 size in bytes
  int64_t fuel = 0;              // in/out: the fuel chunk left
  Frame* frames = nullptr;       // Execution::frames storage
  uint64_t* stack_base = nullptr;
  uint64_t* stack_end = nullptr;  // one past the last usable slot
  void* saved_rsp = nullptr;     // set by the entry trampoline
  uintptr_t rsp_limit = 0;       // nested native calls below this exit to the interpreter
  GlobalVar* const* globals = nullptr;
  uint32_t depth = 0;            // in/out: live frames
  uint32_t frame_lim = 0;        // min(frames capacity, max call depth)
  uint32_t inst_id = 0;          // the running instance's store id
  uint32_t exit_pc = 0;          // out: word index where the interpreter continues
  uint32_t trap = 0;             // out (kTrap): TrapKind
  Instance* inst = nullptr;      // the running instance (call_indirect resolution)
  Store* store = nullptr;
  const JitCode* jit = nullptr;  // inst's native code
};

enum JitExit : uint32_t { kJitRet = 0, kJitFuel = 1, kJitTrap = 2, kJitInterp = 3 };

class JitCode {
 public:
  // Translates every function whose ops all have templates. Null when the host is not x86-64,
  // nothing could be compiled, or executable memory is unavailable (everything then interprets).
  static std::unique_ptr<const JitCode> compile(const Code& code);
  ~JitCode();
  JitCode(const JitCode&) = delete;
  JitCode& operator=(const JitCode&) = delete;

  // Native code of the instruction at word index pc, or nullptr.
  const void* entry(uint32_t pc) const {
    return pc < map_.size() && map_[pc] != kNone ? base_ + map_[pc] : nullptr;
  }
  // The native prologue of defined function f (what a native call enters), or nullptr.
  const void* func_entry(uint32_t f) const {
    return f < func_entries_.size() && func_entries_[f] != kNone ? base_ + func_entries_[f] : nullptr;
  }
  // Runs native code from `target` (an entry()) until an exit; returns a JitExit.
  uint32_t run(JitCtx* ctx, const void* target) const;

  size_t code_bytes() const { return size_; }
  uint32_t compiled_funcs() const { return compiled_funcs_; }

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  JitCode() = default;
  uint8_t* base_ = nullptr;  // mmap'd, read+exec
  size_t size_ = 0;
  std::vector<uint32_t> map_;  // word index -> code offset (interpreter entry points only)
  std::vector<uint32_t> func_entries_;  // defined function -> prologue offset
  uint32_t compiled_funcs_ = 0;
};

// call_indirect from native code (the instruction at word index pc, frame fp): when the callee is a
// compiled function of the same instance and every check and limit passes, pushes its frame as the
// interpreter would and returns its native prologue; otherwise returns nullptr and changes
// nothing, and the interpreter performs the instruction (traps included).
const void* jit_call_indirect(JitCtx* ctx, uint64_t* fp, uint32_t pc);

// Whether the JIT is used by default: an x86-64 host and env IPVM_JIT is not "0" (read once).
bool jit_default();

}  // namespace ipvm::wasm
