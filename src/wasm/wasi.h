// WASI preview1 ("wasi_snapshot_preview1") for C programs built with wasi-libc, without a
// filesystem or network.
//
// Everything a guest can observe is given by the host and kept in WasiState, which is plain data so
// a suspended call can be snapshotted and resumed in another process with identical behaviour:
// - args and environment are given;
// - stdin is given bytes, or (CLI) the process's real stdin;
// - stdout/stderr are captured into buffers up to a cap (further bytes are counted and dropped),
//   or (CLI) passed through to the process's stdout/stderr;
// - clocks are virtual: they start at `clock_ns` and advance `clock_step_ns` on every read;
// - random_get returns the ChaCha20 keystream of `random_seed`, continuing at `random_offset`;
// - proc_exit ends the call with a Trap of kind kExit carrying the exit code.
// No file descriptors besides 0, 1, 2 exist (no preopens). Every other preview1 import is linked
// to a function that returns ENOSYS with the import's own signature, so no module fails to link
// for want of a WASI function and no call aborts the host. Guest memory access is bounds-checked:
// a bad pointer gives EFAULT, never a host crash.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "wasm/linker.h"
#include "wasm/memory.h"
#include "wasm/module.h"
#include "wasm/value.h"

namespace ipvm::wasm {

inline constexpr const char* kWasiModule = "wasi_snapshot_preview1";

namespace wasi_errno {
inline constexpr uint32_t kSuccess = 0;
inline constexpr uint32_t k2Big = 1;
inline constexpr uint32_t kBadf = 8;
inline constexpr uint32_t kFault = 21;
inline constexpr uint32_t kInval = 28;
inline constexpr uint32_t kIo = 29;
inline constexpr uint32_t kNosys = 52;
inline constexpr uint32_t kNotsup = 58;
inline constexpr uint32_t kOverflow = 61;
inline constexpr uint32_t kSpipe = 70;
}  // namespace wasi_errno

struct WasiState {
  std::vector<std::string> args;  // args[0] is the program name
  std::vector<std::string> env;   // "KEY=value"
  // stdin: given bytes, consumed from stdin_pos; `stdin_passthrough` reads the process's fd 0.
  Bytes stdin_data;
  uint64_t stdin_pos = 0;
  bool stdin_passthrough = false;
  // stdout/stderr: captured up to output_cap bytes each unless `output_passthrough`.
  bool output_passthrough = false;
  uint64_t output_cap = 1 << 20;
  std::string stdout_buf, stderr_buf;
  uint64_t stdout_dropped = 0, stderr_dropped = 0;
  // Virtual clock (nanoseconds since the Unix epoch) and its per-read step.
  uint64_t clock_ns = 1'700'000'000'000'000'000ull;
  uint64_t clock_step_ns = 1'000'000;  // 1 ms per read
  // Deterministic randomness: ChaCha20 (IETF) keystream of this 32-byte key.
  Bytes random_seed = Bytes(32, 0);
  uint64_t random_offset = 0;
  // fds 0..2: whether closed, and their fdflags (only APPEND/NONBLOCK are remembered).
  uint32_t closed_fds = 0;  // bit i: fd i closed
  uint16_t fd_flags[3] = {0, 0, 0};
  // Set by proc_exit.
  bool exited = false;
  int32_t exit_code = 0;
  // Number of WASI calls made (for stats and determinism checks).
  uint64_t calls = 0;
};

// The implementation of each preview1 function, over a memory and raw arguments (engine-independent,
// so it can be unit-tested with a bare Memory); define_wasi() binds it as host functions.
class Wasi {
 public:
  explicit Wasi(WasiState state = {}) : s_(std::move(state)) {}
  WasiState& state() { return s_; }
  const WasiState& state() const { return s_; }

  // The preview1 function names this class implements (everything else: ENOSYS stub).
  static bool implements(std::string_view name);
  // The exact wasm signature of a preview1 function, or nullptr if the name is not in preview1.
  static const FuncType* signature(std::string_view name);

  // Calls function `name` with `args` (already type-checked against signature(name)) on `mem`
  // (nullptr if the guest exports no memory). Returns the errno result. proc_exit sets
  // state().exited and returns 0; the binding turns that into an exit trap.
  uint32_t call(std::string_view name, Memory* mem, std::span<const Value> args);

  uint32_t args_sizes_get(Memory* m, uint32_t argc_ptr, uint32_t buf_size_ptr);
  uint32_t args_get(Memory* m, uint32_t argv_ptr, uint32_t buf_ptr);
  uint32_t environ_sizes_get(Memory* m, uint32_t count_ptr, uint32_t buf_size_ptr);
  uint32_t environ_get(Memory* m, uint32_t env_ptr, uint32_t buf_ptr);
  uint32_t clock_res_get(Memory* m, uint32_t id, uint32_t ret_ptr);
  uint32_t clock_time_get(Memory* m, uint32_t id, uint64_t precision, uint32_t ret_ptr);
  uint32_t fd_read(Memory* m, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread_ptr);
  uint32_t fd_write(Memory* m, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten_ptr);
  uint32_t fd_close(uint32_t fd);
  uint32_t fd_seek(Memory* m, uint32_t fd, int64_t offset, uint32_t whence, uint32_t ret_ptr);
  uint32_t fd_tell(Memory* m, uint32_t fd, uint32_t ret_ptr);
  uint32_t fd_fdstat_get(Memory* m, uint32_t fd, uint32_t ret_ptr);
  uint32_t fd_fdstat_set_flags(uint32_t fd, uint32_t flags);
  uint32_t fd_filestat_get(Memory* m, uint32_t fd, uint32_t ret_ptr);
  uint32_t fd_prestat_get(uint32_t fd);
  uint32_t fd_prestat_dir_name(uint32_t fd);
  uint32_t random_get(Memory* m, uint32_t buf, uint32_t len);
  uint32_t poll_oneoff(Memory* m, uint32_t in, uint32_t out, uint32_t nsubs, uint32_t nevents_ptr);
  void proc_exit(uint32_t code);

 private:
  bool open(uint32_t fd) const { return fd < 3 && !(s_.closed_fds & (1u << fd)); }
  void emit(uint32_t fd, const uint8_t* data, uint64_t n);
  uint64_t tick();  // reads the virtual clock and advances it

  WasiState s_;
};

// Defines every preview1 function under "wasi_snapshot_preview1" in `linker`, as host functions
// in `store` that call `wasi` with the caller's memory 0. Unimplemented ones return ENOSYS;
// proc_exit ends the call with Trap::exit(code). `wasi` must outlive the store's calls.
void define_wasi(Store& store, Linker& linker, Wasi& wasi);

// The same host functions without a linker: all of them, created in define_wasi's order (so store
// function ids are the same either way), and the module's imports resolved against them directly;
// unknown or mistyped imports fail as Linker::resolve does ("unlinkable"). For the per-task path,
// where filling a linker's name map costs more than instantiating the module.
Result<std::vector<Extern>> wasi_imports(Store& store, Wasi& wasi, const Module& module);

}  // namespace ipvm::wasm
