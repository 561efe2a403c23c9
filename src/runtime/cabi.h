// The Component Model canonical ABI for core-module guests: lowering IPLD arguments into a
// guest's flat parameters and linear memory, and lifting its results back into IPLD.
//
// IPLD <-> WIT mapping (docs/abi.md): bool <-> bool; s8..u64 <-> integer (range checked);
// f32/f64 <-> float (an integer argument is accepted where a float is expected); char <-> string
// of one Unicode scalar; string <-> string; list<u8> <-> bytes; list<T> <-> list; tuple <-> list;
// record <-> map keyed by field name; option<T> <-> null or T; result<T, E> <-> {"ok": T} or
// {"error": E} (null payload when absent); enum <-> string naming the case.
//
// Flat values are raw bit patterns in uint64_t (i32 and f32 in the low 32 bits), which makes the
// ABI's joins of variant payload types free: only the slot's core type differs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/value.h"
#include "runtime/wit.h"

namespace ipvm::runtime {

enum class CoreType : uint8_t { kI32, kI64, kF32, kF64 };

inline constexpr size_t kMaxFlatParams = 16;
inline constexpr size_t kMaxFlatResults = 1;

// What lowering and lifting need from a running guest instance. All accesses are bounds-checked;
// lowering writes only where cabi_realloc pointed, so a write outside the memory fails with kind
// "trap" (the guest's fault, as is a misaligned block: both trap in the canonical ABI).
class CabiGuest {
 public:
  virtual ~CabiGuest() = default;
  virtual Result<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size) = 0;
  virtual Status read(uint32_t addr, std::span<uint8_t> out) = 0;
  virtual Status write(uint32_t addr, ByteView data) = 0;
};

// A number passed as an f32, rounded to nearest: nullopt when it is finite but would round to an
// infinity (beyond FLT_MAX by half an ulp or more; the C++ conversion would be undefined there).
std::optional<float> f32_of(double d);

struct WitLayout {
  uint32_t size = 0;
  uint32_t align = 1;
};
WitLayout wit_layout(const WitType& t);
std::vector<CoreType> wit_flatten(const WitType& t);

// The core signature the export must have for `f`: params spilled to memory (a single i32
// pointer) past kMaxFlatParams, results returned through a pointer past kMaxFlatResults.
struct CoreSignature {
  std::vector<CoreType> params;
  std::vector<CoreType> results;
  bool params_in_memory = false;
  bool results_in_memory = false;
};
CoreSignature core_signature(const WitFunc& f);

// Lowers `args` (one IPLD value per parameter) into flat core arguments (kind "abi" on a type
// mismatch, naming the parameter and the expected type).
Result<std::vector<uint64_t>> lower_arguments(const WitFunc& f, const ipld::List& args, CabiGuest& guest);
// Lifts the flat core results into one IPLD value: null for no results, the value for one
// unnamed result, a map for named results.
Result<ipld::Value> lift_results(const WitFunc& f, std::span<const uint64_t> flat, CabiGuest& guest);

}  // namespace ipvm::runtime
