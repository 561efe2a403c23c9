// The Wasm engine against native code, V8 (node) and wabt's interpreter, measured in one run.
//
// Each kernel in examples/bench/*.c is built here with `clang --target=wasm32-wasi -O2` and
// natively with `cc -O2`, then run natively, on ipvm (in process, fuel metering on; its native
// tier, and again interpreter only: CallLimits::jit = false), on node (its
// WASI, timing only wasi.start) and on `wasm-interp --wasi`. Every runtime must print exactly the
// native output. Printed: each time and its ratio to native, ipvm's speedup over wasm-interp, and
// geometric means; then compile throughput, instantiation time and suspend/resume of a call with
// 16 MiB of memory. wasm-interp runs a smaller repetition count and is compared with native time
// scaled to the same count (kernels are linear in their count), so the run stays short. Debian's
// wasm-interp has no WASI, so it runs a reactor build of the kernel that exports `bench()` (see
// examples/bench/bench_main.h) with --run-all-exports; its checksum must match native's.
//
// Usage: ipvm_bench_wasm_engine [--quick] [--no-node] [--no-wabt] [--kernels fib,sha256,...]
// All times are CPU times (user + system: this thread's for work done in process, the children's
// from getrusage for the others, node's process.cpuUsage() around wasi.start), so that a machine
// shared with other jobs skews them less than wall time would. Compare ratios, not milliseconds.
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/file.h"
#include "wasm/engine.h"
#include "wasm/snapshot.h"
#include "wasm/wasi_process.h"

namespace fs = std::filesystem;
using namespace ipvm;
using namespace ipvm::wasm;

namespace {

struct Kernel {
  std::string name;
  int reps;        // repetition count for native, ipvm and node (native: ~20-70 ms of CPU)
  int small_reps;  // for wasm-interp
};

const std::vector<Kernel> kKernels = {
    {"fib", 20, 1}, {"sha256", 20, 1}, {"matmul", 40, 2}, {"nbody", 100, 10}, {"sieve", 6, 1}, {"strings", 4, 1},
};

// CPU milliseconds of this thread so far.
double cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// CPU milliseconds of all waited-for children so far.
double children_cpu_ms() {
  rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a shell command; returns the CPU milliseconds it used, or nullopt if it failed.
std::optional<double> timed(const std::string& cmd) {
  double t0 = children_cpu_ms();
  int rc = std::system(cmd.c_str());
  double ms = children_cpu_ms() - t0;
  if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) return std::nullopt;
  return ms;
}

bool have(const char* tool) { return std::system(fmt::format("command -v {} >/dev/null 2>&1", tool).c_str()) == 0; }

struct IpvmRun {
  double ms = 0;
  uint64_t fuel = 0;
  std::string out;
};

Result<IpvmRun> run_ipvm(const Bytes& wasm, const std::string& name, int reps, bool jit = true) {
  IPVM_TRY(auto cm, CompiledModule::compile(wasm));
  WasiState st;
  st.args = {name, std::to_string(reps)};
  IPVM_TRY(auto proc, WasiProcess::create(cm, std::move(st)));
  Func* start = proc->instance->func("_start");
  if (!start) return fail("bench", "no _start");
  CallLimits limits;  // fuel metering is always on; the budget is just large
  limits.jit = jit;
  double t0 = cpu_ms();
  Outcome o = proc->store->call(start, {}, limits);
  double ms = cpu_ms() - t0;
  if (o.trapped() && o.trap.kind != TrapKind::kExit) return fail("bench", o.trap.to_string());
  return IpvmRun{ms, o.fuel_used, proc->wasi->state().stdout_buf};
}

const char* kNodeRunner = R"(import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, stderr } from 'node:process';
const wasi = new WASI({ version: 'preview1', args: argv.slice(2), env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(argv[2]));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const t0 = process.cpuUsage();
const code = wasi.start(instance);
const t = process.cpuUsage(t0);
stderr.write(`time_ms ${(t.user + t.system) / 1000}\n`);
process.exitCode = code;
)";

double geomean(const std::vector<double>& xs) {
  if (xs.empty()) return 0;
  double s = 0;
  for (double x : xs) s += std::log(x);
  return std::exp(s / xs.size());
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, use_node = true, use_wabt = true;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") quick = true;
    else if (a == "--no-node") use_node = false;
    else if (a == "--no-wabt") use_wabt = false;
    else if (a == "--kernels" && i + 1 < argc) {
      std::stringstream ss(argv[++i]);
      for (std::string k; std::getline(ss, k, ',');) only.push_back(k);
    } else {
      fmt::print(stderr, "usage: {} [--quick] [--no-node] [--no-wabt] [--kernels a,b]\n", argv[0]);
      return 2;
    }
  }
  if (!have("clang") || !have("cc")) {
    fmt::print(stderr, "needs clang (wasm32-wasi) and cc\n");
    return 1;
  }
  use_node = use_node && have("node");
  use_wabt = use_wabt && have("wasm-interp");
  fs::path src = fs::path(IPVM_SOURCE_DIR) / "examples" / "bench";
  fs::path work = fs::path(IPVM_BINARY_DIR) / "bench-wasm";
  fs::create_directories(work);
  std::ofstream(work / "run.mjs") << kNodeRunner;

  fmt::print("{:<8} {:>9} {:>16} {:>16} {:>16} {:>16} {:>10} {:>12}\n", "kernel", "native", "ipvm (fuel on)",
             "ipvm interp", "node (V8)", "wasm-interp", "ipvm/wabt", "fuel");
  std::vector<double> r_ipvm, r_interp, r_node, r_wabt, speedup;
  std::vector<Bytes> modules;
  bool all_ok = true;
  for (const Kernel& k0 : kKernels) {
    if (!only.empty() && std::find(only.begin(), only.end(), k0.name) == only.end()) continue;
    Kernel k = k0;
    if (quick) k.reps = std::max(1, k.reps / 4);
    fs::path c = src / (k.name + ".c");
    fs::path wasm = work / (k.name + ".wasm"), native = work / k.name;
    fs::path reactor = work / (k.name + ".reactor.wasm");
    if (std::system(fmt::format("clang --target=wasm32-wasi -O2 -o {} {}", wasm.string(), c.string()).c_str()) ||
        std::system(fmt::format("clang --target=wasm32-wasi -O2 -mexec-model=reactor -DBENCH_EXPORT_REPS={} -o {} {}",
                                k.small_reps, reactor.string(), c.string())
                        .c_str()) ||
        std::system(fmt::format("cc -O2 -o {} {} -lm", native.string(), c.string()).c_str())) {
      fmt::print(stderr, "{}: build failed\n", k.name);
      all_ok = false;
      continue;
    }
    std::string reps = std::to_string(k.reps);
    fs::path nout = work / (k.name + ".native.out");
    double t_native = 1e300;
    for (int i = 0; i < 3; ++i) {  // best of three: native runs are short
      auto t = timed(fmt::format("{} {} > {}", native.string(), reps, nout.string()));
      if (t) t_native = std::min(t_native, *t);
    }
    std::string expect = slurp(nout);

    auto bytes = read_file(wasm.string());
    if (!bytes) {
      fmt::print(stderr, "{}: {}\n", k.name, bytes.error().to_string());
      continue;
    }
    modules.push_back(*bytes);
    auto ir = run_ipvm(*bytes, k.name, k.reps);
    std::string ipvm_cell = "error";
    if (!ir) {
      fmt::print(stderr, "{}: ipvm: {}\n", k.name, ir.error().to_string());
      all_ok = false;
    } else if (ir->out != expect) {
      fmt::print(stderr, "{}: ipvm output differs: [{}] vs native [{}]\n", k.name, ir->out, expect);
      all_ok = false;
    } else {
      r_ipvm.push_back(ir->ms / t_native);
      ipvm_cell = fmt::format("{:.0f}ms {:.1f}x", ir->ms, ir->ms / t_native);
    }

    // The same run in the interpreter only (the tier the JIT falls back to).
    std::string interp_cell = "error";
    auto ii = run_ipvm(*bytes, k.name, k.reps, false);
    if (ii && ii->out == expect && (!ir || ii->fuel == ir->fuel)) {
      r_interp.push_back(ii->ms / t_native);
      interp_cell = fmt::format("{:.0f}ms {:.1f}x", ii->ms, ii->ms / t_native);
    } else {
      fmt::print(stderr, "{}: ipvm interpreter failed, differs or used other fuel\n", k.name);
      all_ok = false;
    }

    std::string node_cell = "-";
    if (use_node) {
      fs::path out = work / (k.name + ".node.out"), err = work / (k.name + ".node.err");
      auto t = timed(fmt::format("node {} {} {} > {} 2> {}", (work / "run.mjs").string(), wasm.string(), reps,
                                 out.string(), err.string()));
      double ms = 0;
      std::string e = slurp(err);
      if (auto at = e.find("time_ms "); t && at != std::string::npos) ms = std::atof(e.c_str() + at + 8);
      if (!t || ms <= 0 || slurp(out) != expect) {
        node_cell = "error";
        fmt::print(stderr, "{}: node failed or differs: {}\n", k.name, e);
      } else {
        r_node.push_back(ms / t_native);
        node_cell = fmt::format("{:.0f}ms {:.1f}x", ms, ms / t_native);
      }
    }

    std::string wabt_cell = "-", speed_cell = "-";
    if (use_wabt) {
      fs::path out = work / (k.name + ".wabt.out"), nsmall = work / (k.name + ".native-small.out");
      std::string sreps = std::to_string(k.small_reps);
      auto t = timed(fmt::format("wasm-interp --dummy-import-func --run-all-exports {} > {} 2>/dev/null",
                                 reactor.string(), out.string()));
      timed(fmt::format("{} {} > {}", native.string(), sreps, nsmall.string()));
      // "bench() => i64:N" must carry the checksum native prints as "KERNEL N".
      std::string got = slurp(out), want = slurp(nsmall);
      auto at = got.find("bench() => i64:");
      std::string sum = at == std::string::npos ? "" : got.substr(at + 15, got.find('\n', at) - at - 15);
      if (!t || sum.empty() || want != k.name + " " + sum + "\n") {
        wabt_cell = "error";
        fmt::print(stderr, "{}: wasm-interp failed or differs\n", k.name);
      } else {
        double native_scaled = t_native * k.small_reps / k.reps;
        double ratio = *t / native_scaled;
        r_wabt.push_back(ratio);
        wabt_cell = fmt::format("{:.0f}ms {:.0f}x", *t, ratio);
        if (ir && ir->out == expect) {
          speedup.push_back(ratio / (ir->ms / t_native));
          speed_cell = fmt::format("{:.0f}x", speedup.back());
        }
      }
    }
    fmt::print("{:<8} {:>7.1f}ms {:>16} {:>16} {:>16} {:>16} {:>10} {:>12}\n", k.name, t_native, ipvm_cell,
               interp_cell, node_cell, wabt_cell, speed_cell, ir ? fmt::format("{}", ir->fuel) : "-");
    std::fflush(stdout);
  }
  fmt::print("geometric mean vs native: ipvm {:.2f}x", geomean(r_ipvm));
  if (!r_interp.empty()) fmt::print(", ipvm interpreter {:.2f}x", geomean(r_interp));
  if (!r_node.empty()) fmt::print(", node {:.2f}x", geomean(r_node));
  if (!r_wabt.empty()) fmt::print(", wasm-interp {:.0f}x", geomean(r_wabt));
  if (!speedup.empty()) fmt::print("; ipvm is {:.0f}x faster than wasm-interp", geomean(speedup));
  fmt::print("\n");

  // Compile throughput over all kernel modules.
  if (!modules.empty()) {
    uint64_t bytes = 0;
    int rounds = 0;
    double t0 = cpu_ms();
    while (cpu_ms() - t0 < 500 || rounds < 3) {
      for (const auto& m : modules) {
        auto cm = CompiledModule::compile(m);
        if (!cm) return 1;
        bytes += m.size();
      }
      ++rounds;
    }
    double s = (cpu_ms() - t0) / 1000;
    fmt::print("compile: {:.1f} MB/s ({} modules x {} rounds, {:.0f} KiB each on average)\n", bytes / s / 1e6,
               modules.size(), rounds, bytes / 1024.0 / (modules.size() * rounds));

    // Instantiation of an already compiled module (WASI imports resolved by a linker).
    auto cm = CompiledModule::compile(modules[0]);
    Store store;
    Linker linker;
    Wasi wasi;
    define_wasi(store, linker, wasi);
    const int n = 2000;
    double t1 = cpu_ms();
    for (int i = 0; i < n; ++i)
      if (!linker.instantiate(store, *cm)) return 1;
    fmt::print("instantiate: {:.2f} us per instance ({}: {} KiB memory)\n", (cpu_ms() - t1) * 1000 / n,
               kKernels[0].name, (*cm)->module().memories.empty() ? 0 : (*cm)->module().memories[0].limits.min * 64);

    // As the runtime instantiates for each task: a fresh WASI process (store, host functions,
    // instance) whose memory comes from a pool of wiped mappings, torn down again each time.
    MemoryPool pool;
    double t2 = cpu_ms();
    for (int i = 0; i < n; ++i)
      if (!WasiProcess::create(*cm, WasiState{}, CallLimits{}, &pool)) return 1;
    fmt::print("instantiate, fresh WASI process per task, pooled memory: {:.2f} us (incl. teardown)\n",
               (cpu_ms() - t2) * 1000 / n);
  }

  // Suspend and resume of a call holding 16 MiB of (non-zero) memory.
  if (modules.size() >= 1) {
    auto cm = CompiledModule::compile(modules[0]);
    WasiState st;
    st.args = {"fib", "1000"};
    auto proc = WasiProcess::create(*cm, st);
    if (!proc) return 1;
    CallLimits limits;
    limits.suspend_on_fuel = true;
    limits.fuel = 1'000'000;
    auto ex = (*proc)->store->begin((*proc)->instance->func("_start"), {}, limits);
    if (!ex || !(*ex)->run().suspended()) {
      fmt::print(stderr, "snapshot bench: the call did not suspend\n");
      return 1;
    }
    Memory* m = (*proc)->instance->memory0();
    m->grow(256 - m->pages());  // bytes past the module's own data are never read by fib
    uint64_t x = 88172645463325252ull;
    for (uint64_t off = m->size() / 2; off + 8 <= m->size(); off += 8) {  // the top half random, rest zero
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      std::memcpy(m->data() + off, &x, 8);
    }
    double save_ms = 1e300, load_ms = 1e300;
    size_t car_size = 0;
    for (int i = 0; i < 5; ++i) {
      double t0 = cpu_ms();
      auto car = save_snapshot(**proc, **ex, std::nullopt);
      save_ms = std::min(save_ms, cpu_ms() - t0);
      if (!car) return 1;
      car_size = car->size();
      double t1 = cpu_ms();
      auto r = load_snapshot(*car);
      load_ms = std::min(load_ms, cpu_ms() - t1);
      if (!r) {
        fmt::print(stderr, "load: {}\n", r.error().to_string());
        return 1;
      }
    }
    fmt::print("snapshot of a call with {} MiB memory (half non-zero): suspend+save {:.1f} ms, load+restore {:.1f} ms, "
               "CAR {:.1f} MiB\n",
               m->size() >> 20, save_ms, load_ms, car_size / 1048576.0);
  }
  return all_ok ? 0 : 1;
}
