// The internal code a module compiles to (compiler.h writes it, interpreter.h runs it).
//
// A module's functions are one array of 32-bit words. An instruction is a handler word (the
// offset of its handler from the interpreter's base label, so dispatch is one indirect jump)
// followed by its operands: frame slot indices (locals first, then the operand stack at statically
// known heights), immediates, and absolute branch targets (word indices into `words`). Being plain
// indices, program counters and frame offsets can be saved in a snapshot and restored after
// recompiling the same module bytes (compilation is deterministic).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace ipvm::wasm {

struct FuncCode {
  uint32_t entry = 0;        // word index of the first instruction
  uint32_t num_params = 0;
  uint32_t num_locals = 0;   // params + declared locals
  uint32_t num_results = 0;
  uint32_t frame_slots = 0;  // locals + maximum operand-stack height
  uint32_t type = 0;         // module type index
};

// A call instruction, seen from the frame it returns to (restore checks saved frames against it).
struct CallSite {
  enum class Kind : uint8_t { kDirect, kImport, kIndirect };
  uint32_t ret = 0;     // word after the instruction: where the calling frame continues
  uint32_t callee = 0;  // kDirect: defined function; kImport: module function index; kIndirect: type
  uint32_t args = 0;    // frame slot of the first argument: the callee's frame starts there
  Kind kind = Kind::kDirect;
};

struct Code {
  std::vector<uint32_t> words;
  std::vector<FuncCode> funcs;  // per defined function
  // (word index of an instruction, byte offset of its wasm instruction), sorted by word index.
  std::vector<std::pair<uint32_t, uint32_t>> offsets;
  // The only places a saved frame can continue from, both sorted by word index: a suspended call
  // stops right before a Fuel instruction, and every caller frame right after a call.
  std::vector<uint32_t> fuel_points;
  std::vector<CallSite> call_sites;

  // The wasm byte offset of the instruction at or before `pc`.
  uint32_t wasm_offset(uint32_t pc) const;
  // The defined function whose code contains `pc`.
  uint32_t func_at(uint32_t pc) const;
};

}  // namespace ipvm::wasm
