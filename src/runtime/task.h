// `/wasm/run` tasks: what an invocation's args and meta mean to the executor.
//
// args = {"mod": M, "fun": string, "params": [IPLD values...], "sig"?: WIT function signature}
// where M is a CID link to the module's block (any codec; `ipvm call` stores modules as raw
// blocks), the string "ipfs://<cid>", or a "data:application/wasm;base64,<...>" URL (the module
// travels inline; its CID is that of a raw block of the decoded bytes).
// meta (optional) = {"fuel": int, "memory": int (bytes), "time": int (milliseconds)}.
//
// Memoization: a pure task (cmd "/wasm/run" with an empty nonce) is identified by
// memo_key = CID (dag-cbor, sha2-256) of {"cmd": cmd, "args": args}. It leaves out iss, sub, aud
// and meta, so any node can answer a task from any node's receipt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "ipld/value.h"
#include "runtime/wit.h"

namespace ipvm::runtime {

inline constexpr std::string_view kWasmRunCmd = "/wasm/run";

// Defaults for absent meta limits (documented in docs/formats.md).
inline constexpr uint64_t kDefaultFuel = 1'000'000'000;          // instructions
inline constexpr uint64_t kDefaultMemory = 256ull << 20;          // bytes of linear memory
inline constexpr uint64_t kDefaultTimeMs = 10'000;                // wall-clock milliseconds
inline constexpr uint64_t kMaxMemory = 4ull << 30;                // wasm32's whole address space

struct TaskLimits {
  uint64_t fuel = kDefaultFuel;
  uint64_t memory = kDefaultMemory;
  uint64_t time_ms = kDefaultTimeMs;
};

struct WasmTask {
  ipld::Cid module;                  // the module block's CID
  std::optional<Bytes> inline_module;  // from a data: URL
  std::string fun;
  ipld::List params;
  std::optional<WitFunc> sig;        // parsed "sig"
  std::string sig_text;
};

// Parses a /wasm/run args map. Errors (kind "InvalidTask") name the field.
Result<WasmTask> parse_wasm_task(const ipld::Value& args);
// Reads fuel/memory/time from an invocation's meta (null or a map); absent keys keep `defaults`.
// Errors (kind "InvalidTask") name the key.
Result<TaskLimits> parse_limits(const ipld::Value& meta, TaskLimits defaults = {});

// Parses a module reference string: "ipfs://<cid>", a bare CID, or a data: URL (bytes returned).
struct ModuleRef {
  ipld::Cid cid;
  std::optional<Bytes> bytes;
};
Result<ModuleRef> parse_module_ref(std::string_view text);

// The raw-block CID of module bytes.
ipld::Cid module_cid(ByteView wasm);

// {"mod": link, "fun": fun, "params": params} (+ "sig" when non-empty).
ipld::Value make_wasm_args(const ipld::Cid& mod, std::string_view fun, ipld::List params,
                           std::string_view sig = {});

ipld::Cid memo_key(std::string_view cmd, const ipld::Value& args);
bool is_pure(std::string_view cmd, ByteView nonce);

}  // namespace ipvm::runtime
