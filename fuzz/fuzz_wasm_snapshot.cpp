// Loads arbitrary bytes as a snapshot CAR (wasm/snapshot.h): must fail cleanly, never crash or
// allocate without bound. A snapshot that loads is resumed under a small fuel budget with WASI
// output captured. Seeds: real snapshots of a small WASI loop (fuzz/seeds/wasm_snapshot/).
#include <cstddef>
#include <cstdint>

#include "wasm/snapshot.h"

using namespace ipvm::wasm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = load_snapshot(ipvm::ByteView(data, size));
  if (!r) return 0;
  WasiState& s = r->process->wasi->state();
  s.stdin_passthrough = false;
  s.output_passthrough = false;
  s.output_cap = 4096;
  r->execution->limits().suspend_on_fuel = false;
  r->execution->set_fuel(100000);
  (void)r->execution->run();
  return 0;
}
