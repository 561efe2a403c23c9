// Snapshots of a suspended WASI call, as a CAR file (CARv1), so the call can finish in another
// process with exactly the output and result of an uninterrupted run.
//
// Layout: one root, a DAG-CBOR map
//   { "format": "ipvm/wasm-snapshot@1",
//     "module": <link to the module binary, a raw block>,
//     "entry": store function id of the called function, "num_funcs": functions in the store,
//     "memories": [ {"pages": N, "max": M|null, "chunks": [[chunk index, <raw link>], ...]} ],
//     "tables":   [ {"max": M|null, "elems": <bytes: u64 LE per element>} ],
//     "globals":  <bytes: (lo u64, hi u64) LE per global>,
//     "elems": [<bytes: u64 LE per element>], "data_dropped": <bytes>,
//     "stack": {"slots": N, "chunks": [...]}, "frames": <bytes: 4 x u32 LE per frame>,
//     "fuel_used": N, "fuel_budget": N|null (remaining total budget; null: unlimited),
//     "wasi": { args, env, stdin, stdin_pos, clock_ns, clock_step_ns, seed, random_offset, ... } }
// Memory and the value stack are cut into raw blocks of kChunkSize bytes; chunks that are all
// zero are left out, a chunk's trailing zero bytes are cut off (implied on load) and identical
// chunks are stored once. Loading checks every block's hash, the
// module against its link, and every index against the instance it restores into.
#pragma once

#include <memory>
#include <optional>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "wasm/wasi_process.h"

namespace ipvm::wasm {

inline constexpr size_t kChunkSize = 64 * 1024;

// Serializes the suspended `exec` running in `process`. `fuel_budget`: what remains of the
// caller's total budget (nullopt: unlimited), restored with the call.
Result<Bytes> save_snapshot(const WasiProcess& process, const Execution& exec,
                            std::optional<uint64_t> fuel_budget);

struct RestoredCall {
  std::unique_ptr<WasiProcess> process;
  std::unique_ptr<Execution> execution;  // suspended; set its fuel and run() it
  std::optional<uint64_t> fuel_budget;
  ipld::Cid module_cid;
};

// Recompiles the module, re-creates the process and loads memory, tables, globals, the call's
// stack and frames and the WASI state. Error kind "snapshot".
Result<RestoredCall> load_snapshot(ByteView car);

}  // namespace ipvm::wasm
