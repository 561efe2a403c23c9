// The runtime's throughput on `add_one`, through the Executor API, on one thread:
//   executed, signed        pure tasks issued by the node (signature known good), each new:
//                           run + receipt signed + stored (one transaction per 1000 tasks)
//   executed, from bytes    the same from signed envelope bytes, one at a time (Executor::submit):
//                           decode + verify the signature, run, sign, one durable transaction each
//   executed, unsigned      the task alone: module cache, instantiate, lower/lift, call
//                           (Executor::evaluate: no authorisation, no receipt, no store)
//   memoized, same inv      an invocation that already has a receipt (replay by invocation CID)
//   memoized, new inv       a new invocation of an answered pure task (authorise + memo key)
//   first call, 1 MiB       a fresh executor: store a 1 MiB module, compile, run, sign, store
// Anchors in the same run: raw Ed25519 signatures per second, and whole receipts signed per second
// (payload encode + sign + envelope decode), the floor of the signed path. Goals: 20,000/s signed,
// 50,000/s unsigned, 200,000/s memoized. Usage: ipvm_bench_runtime_tasks [N] [signed|memo] (only the
// signed phase, or it and the memoized new-invocation phase, for profiling); set
// IPVM_BENCH_DIR=/dev/shm to keep disk latency out, and IPVM_BENCH_CPU=1 to count this thread's CPU
// time instead of wall time (on a busy machine; it leaves out time spent waiting, fsync included).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <vector>

#include "base/file.h"
#include "runtime/executor.h"
#include "ucan/signer.h"

using namespace ipvm;
using namespace ipvm::runtime;
namespace {

// steady_clock, or this thread's CPU time with IPVM_BENCH_CPU=1.
struct Clock {
  using time_point = double;
  static bool cpu() {
    static const bool on = [] {
      const char* v = std::getenv("IPVM_BENCH_CPU");
      return v && *v && std::string(v) != "0";
    }();
    return on;
  }
  static double now() {
    if (cpu()) {
      timespec ts;
      ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
      return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
};

double seconds_since(Clock::time_point t) { return Clock::now() - t; }

void leb(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v ? (b | 0x80) : b);
  } while (v);
}

void section(Bytes& out, uint8_t id, const Bytes& body) {
  out.push_back(id);
  leb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

// A valid module of about `size` bytes: many functions (i32) -> i32, the first exported as add_one.
Bytes big_module(size_t size) {
  const int adds = 30;
  Bytes body{0x00, 0x20, 0x00};
  for (int i = 0; i < adds; ++i) body.insert(body.end(), {0x41, 0x01, 0x6a});
  body.push_back(0x0b);
  size_t per = body.size() + 1;
  size_t k = size / per;
  Bytes m{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  section(m, 1, Bytes{0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f});
  Bytes funcs;
  leb(funcs, k);
  funcs.insert(funcs.end(), k, 0x00);
  section(m, 3, funcs);
  Bytes exports{0x01, 0x07, 'a', 'd', 'd', '_', 'o', 'n', 'e', 0x00, 0x00};
  section(m, 7, exports);
  Bytes code;
  leb(code, k);
  for (size_t i = 0; i < k; ++i) {
    leb(code, body.size());
    code.insert(code.end(), body.begin(), body.end());
  }
  section(m, 10, code);
  return m;
}

struct Node {
  std::string dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Executor> exec;
};

// The store lives under $IPVM_BENCH_DIR (default /tmp): point it at tmpfs (/dev/shm) to take the
// disk's fsync latency out of the numbers.
Node open_node(std::shared_ptr<ucan::Ed25519Signer> signer) {
  const char* base = std::getenv("IPVM_BENCH_DIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/ipvm-bench-runtime-XXXXXX";
  Node n;
  n.dir = ::mkdtemp(tmpl.data());
  n.store = std::move(*store::Store::open_home(n.dir));
  n.exec = std::move(*Executor::create(*n.store, signer));
  return n;
}

std::vector<std::shared_ptr<const ucan::Invocation>> invocations(Executor& exec, const ipld::Cid& mod, size_t n,
                                                                 int64_t first, int64_t iat) {
  std::vector<std::shared_ptr<const ucan::Invocation>> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    ucan::InvocationParams p;
    p.sub = exec.did();
    p.cmd = std::string(kWasmRunCmd);
    p.args = make_wasm_args(mod, "add_one", {ipld::Value::integer(first + static_cast<int64_t>(i))});
    p.nonce = Bytes{};
    p.iat = iat;
    out.push_back(*exec.invoke(p));
  }
  return out;
}

double run_batches(Executor& exec, const std::vector<std::shared_ptr<const ucan::Invocation>>& invs, size_t batch) {
  auto t = Clock::now();
  for (size_t i = 0; i < invs.size(); i += batch) {
    std::span<const std::shared_ptr<const ucan::Invocation>> s(invs.data() + i, std::min(batch, invs.size() - i));
    auto r = exec.run_batch(s);
    if (!r) {
      std::fprintf(stderr, "run_batch: %s\n", r.error().to_string().c_str());
      std::exit(1);
    }
  }
  return static_cast<double>(invs.size()) / seconds_since(t);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::stoul(argv[1]) : 20000;
  auto wasm = read_file(std::string(IPVM_BINARY_DIR) + "/examples/add_one.wasm");
  if (!wasm) {
    std::fprintf(stderr, "build the examples first (-DIPVM_EXAMPLES=ON): %s\n", wasm.error().to_string().c_str());
    return 1;
  }
  auto signer = std::make_shared<ucan::Ed25519Signer>(ucan::Ed25519Signer::generate());
  double sign_rate = 0;
  {
    Bytes msg(200, 7);
    size_t k = 0;
    auto t = Clock::now();
    while (seconds_since(t) < 0.5) {
      signer->sign(msg);
      ++k;
    }
    sign_rate = k / seconds_since(t);
    std::printf("anchor: Ed25519 signatures            %10.0f /s\n", sign_rate);
    ReceiptParams rp;
    rp.ran = module_cid(msg);
    rp.out = ok_out(ipld::Value::integer(42));
    rp.meta = ipld::Value::map({{"fuel", ipld::Value::integer(7)}, {"mod", ipld::Value::link(rp.ran)},
                                {"time_us", ipld::Value::integer(100)}});
    rp.iat = 1;
    k = 0;
    t = Clock::now();
    while (seconds_since(t) < 0.5) {
      k += sign_receipt(*signer, rp).has_value();
    }
    std::printf("anchor: receipts signed (sign_receipt) %10.0f /s\n", k / seconds_since(t));
  }
  Node node = open_node(signer);
  Executor& exec = *node.exec;
  ipld::Cid mod = *exec.put_module(*wasm);

  auto fresh = invocations(exec, mod, n, 0, 1);
  const double signed_rate = run_batches(exec, fresh, 1000);
  std::printf("executed, signed + stored (batch 1000) %10.0f tasks/s\n", signed_rate);
  // The goal (20,000/s "with Ed25519 signing at about 17 us") leaves 33 us per task for everything
  // but the signature; here is that remainder, and the goal restated for this machine's signing speed.
  const double rest_us = 1e6 / signed_rate - 1e6 / sign_rate;
  std::printf("  per task beyond its signature: %.1f us (goal's budget 33 us); goal at this machine's signing speed: "
              "%.0f tasks/s\n", rest_us, 1e6 / (1e6 / sign_rate + 33.0));
  // The same goal as a ratio to the anchor, for a machine slower or faster across the board:
  // 20,000 tasks/s where one signature takes 17 us is 0.34 tasks per signature.
  std::printf("  signed tasks per raw Ed25519 signature: %.2f (goal 0.34)\n", signed_rate / sign_rate);
  const std::string only = argc > 2 ? argv[2] : "";
  auto cleanup = [&] {
    node.exec.reset();
    node.store.reset();
    std::filesystem::remove_all(node.dir);
  };
  if (only == "signed") {  // for profiling one phase
    cleanup();
    return 0;
  }

  if (only.empty()) {
  {
    auto others = invocations(exec, mod, n / 4, 10'000'000, 1);
    std::vector<Bytes> bytes;
    for (const auto& i : others) bytes.push_back(i->envelope.bytes);
    Node other = open_node(signer);  // a node that has not seen these signatures yet
    ipld::Cid m2 = *other.exec->put_module(*wasm);
    (void)m2;
    auto t = Clock::now();
    for (const auto& b : bytes) (void)*other.exec->submit(b);
    std::printf("executed, from bytes (verify, txn each) %9.0f tasks/s\n", bytes.size() / seconds_since(t));
    std::filesystem::remove_all(other.dir);
  }

  {
    auto t = Clock::now();
    size_t k = 0;
    for (const auto& inv : fresh) {
      GuestResult g = exec.evaluate(*inv);
      k += g.fuel_used > 0;
    }
    std::printf("executed, unsigned (evaluate)          %10.0f tasks/s\n", fresh.size() / seconds_since(t));
    if (k != fresh.size()) std::printf("  (some evaluations failed)\n");
  }

  {
    auto t = Clock::now();
    size_t replayed = 0;
    for (int rep = 0; rep < 5; ++rep)
      for (const auto& inv : fresh) replayed += (*exec.run(inv)).replayed;
    std::printf("memoized, same invocation              %10.0f answers/s%s\n", 5 * fresh.size() / seconds_since(t),
                replayed == 5 * fresh.size() ? "" : " (NOT all replayed)");
  }
  }
  {
    auto again = invocations(exec, mod, n, 0, 2);  // same tasks, new invocation CIDs
    auto t = Clock::now();
    size_t replayed = 0;
    for (const auto& inv : again) replayed += (*exec.run(inv)).replayed;
    std::printf("memoized, new invocation (memo key)    %10.0f answers/s%s\n", again.size() / seconds_since(t),
                replayed == again.size() ? "" : " (NOT all replayed)");
  }

  if (only.empty()) {
    Bytes big = big_module(1 << 20);
    Node cold = open_node(signer);
    auto t = Clock::now();
    ipld::Cid bm = *cold.exec->put_module(big);
    ucan::InvocationParams p;
    p.sub = cold.exec->did();
    p.cmd = std::string(kWasmRunCmd);
    p.args = make_wasm_args(bm, "add_one", {ipld::Value::integer(1)});
    p.nonce = Bytes{};
    auto inv = *cold.exec->invoke(p);
    auto out = *cold.exec->run(inv);
    double ms = seconds_since(t) * 1e3;
    std::printf("first call, %zu-byte module          %10.1f ms (%s)\n", big.size(), ms,
                out.receipt->ok() ? "ok" : out.receipt->error_message().c_str());
    std::filesystem::remove_all(cold.dir);
  }
  cleanup();
  return 0;
}
