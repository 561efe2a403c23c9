// DAG-CBOR and DAG-JSON encode/decode throughput on (a) a mixed document (nested maps, strings,
// integers, floats, links) and (b) a byte-heavy block, in MB/s of encoded block size.
// If node is installed, the same blocks are measured with @ipld/dag-cbor and @ipld/dag-json
// in this run (installed with npm into <build>/bench-node on first use) and ratios printed.
// Set IPVM_BENCH_NO_NODE=1 to skip the JS anchor; IPVM_BENCH_SECONDS sets the time per case.
// Throughput is bytes per second of process CPU time (both sides), so that a busy machine
// slows the clock, not the result.
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"

using namespace ipvm;
using namespace ipvm::ipld;
namespace fs = std::filesystem;

namespace {

struct Rng {
  uint64_t s = 0x9e3779b97f4a7c15ull;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
};

std::string word(Rng& r, size_t min_len, size_t max_len) {
  static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_";
  size_t n = min_len + r.next() % (max_len - min_len + 1);
  std::string s(n, ' ');
  for (char& c : s) c = letters[r.next() % (sizeof letters - 1)];
  return s;
}

// A document shaped like real IPLD metadata: records with nested maps, tags and links.
Value mixed_document() {
  Rng r;
  List entries;
  for (int i = 0; i < 2000; ++i) {
    Bytes seed(8);
    for (auto& b : seed) b = static_cast<uint8_t>(r.next());
    Cid parent = *Cid::of(codec::kDagCbor, seed);
    List tags;
    for (int t = 0, n = static_cast<int>(r.next() % 5); t < n; ++t) tags.push_back(Value::string(word(r, 3, 10)));
    List counts;
    for (int t = 0; t < 4; ++t) counts.push_back(Value::integer(static_cast<int64_t>(r.next() % 1000000) - 1000));
    entries.push_back(Value::map({
        {"id", Value::integer(i)},
        {"name", Value::string(word(r, 8, 30))},
        {"parent", Value::link(parent)},
        // Never integral: JS numbers cannot keep 2.0 apart from 2, and the anchor must
        // re-encode these blocks to the same bytes.
        {"score", Value::float64((static_cast<double>(r.next() % 100000) + 0.5) / 7.0)},
        {"active", Value::boolean(r.next() & 1)},
        {"tags", Value::list(std::move(tags))},
        {"counts", Value::list(std::move(counts))},
        {"owner", Value::map({{"name", Value::string(word(r, 5, 15))},
                              {"email", Value::string(word(r, 10, 25) + "@example.org")},
                              {"since", Value::integer(static_cast<int64_t>(1600000000 + r.next() % 100000000))}})},
    }));
  }
  return Value::map({{"entries", Value::list(std::move(entries))},
                     {"version", Value::integer(3)},
                     {"description", Value::string(word(r, 200, 400))}});
}

// Four 256 KiB chunks of pseudo-random bytes plus a little metadata.
Value bytes_document() {
  Rng r;
  List chunks;
  for (int i = 0; i < 4; ++i) {
    Bytes b(256 * 1024);
    for (size_t k = 0; k + 8 <= b.size(); k += 8) {
      uint64_t x = r.next();
      std::memcpy(&b[k], &x, 8);
    }
    chunks.push_back(Value::bytes(std::move(b)));
  }
  return Value::map({{"chunks", Value::list(std::move(chunks))}, {"name", Value::string("blob")}});
}

double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

template <class F>
double mbps(size_t bytes_per_run, double seconds, F&& f) {
  for (int i = 0; i < 2; ++i) f();
  double start = cpu_seconds();
  size_t runs = 0;
  double elapsed = 0;
  do {
    f();
    ++runs;
    elapsed = cpu_seconds() - start;
  } while (elapsed < seconds);
  return static_cast<double>(bytes_per_run) * static_cast<double>(runs) / elapsed / 1e6;
}

volatile size_t g_sink;

bool have_node_modules(const fs::path& dir) {
  return fs::exists(dir / "node_modules/@ipld/dag-cbor/src/index.js") &&
         fs::exists(dir / "node_modules/@ipld/dag-json/src/index.js");
}

// Runs the JS anchor; returns "<case> <codec> <op>" -> MB/s (empty if node is unavailable).
std::map<std::string, double> run_js(const fs::path& data_dir, double seconds) {
  std::map<std::string, double> out;
  if (const char* no = std::getenv("IPVM_BENCH_NO_NODE"); no && *no && std::string(no) != "0") return out;
  if (std::system("node --version > /dev/null 2>&1") != 0) {
    std::printf("JS anchor: node not found, skipped\n");
    return out;
  }
  fs::path mods = fs::path(IPVM_BINARY_DIR) / "bench-node";
  if (!have_node_modules(mods)) {
    fs::create_directories(mods);
    std::string cmd = "cd '" + mods.string() +
                      "' && npm install --no-audit --no-fund --silent @ipld/dag-cbor @ipld/dag-json > npm.log 2>&1";
    if (std::system(cmd.c_str()) != 0 || !have_node_modules(mods)) {
      std::printf("JS anchor: npm install @ipld/dag-cbor failed (see %s/npm.log), skipped\n", mods.c_str());
      return out;
    }
  }
  std::string cmd = "node '" + std::string(IPVM_SOURCE_DIR) + "/bench/node/ipld_codec.mjs' '" + mods.string() +
                    "' '" + data_dir.string() + "' " + std::to_string(seconds);
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char kase[32], codec[32], op[32];
  double v;
  while (std::fscanf(p, "%31s %31s %31s %lf", kase, codec, op, &v) == 4)
    out[std::string(kase) + " " + codec + " " + op] = v;
  pclose(p);
  return out;
}

}  // namespace

int main() {
  double seconds = 0.5;
  if (const char* s = std::getenv("IPVM_BENCH_SECONDS")) seconds = std::atof(s);
  fs::path data_dir = fs::path(IPVM_BINARY_DIR) / "bench-ipld";
  fs::create_directories(data_dir);

  std::map<std::string, Value> docs = {{"mixed", mixed_document()}, {"bytes", bytes_document()}};
  std::map<std::string, double> ours;
  std::printf("%-6s %-9s %-7s %10s %12s\n", "case", "codec", "op", "size", "ipvm MB/s");
  for (const auto& doc : docs) {
    const std::string& kase = doc.first;  // plain references: clang 14 cannot capture bindings
    const Value& value = doc.second;
    Bytes cbor = dag_cbor_encode(value);
    std::string json = dag_json_encode(value);
    std::ofstream(data_dir / (kase + ".dag-cbor"), std::ios::binary)
        .write(reinterpret_cast<const char*>(cbor.data()), static_cast<std::streamsize>(cbor.size()));
    std::ofstream(data_dir / (kase + ".dag-json"), std::ios::binary).write(json.data(), static_cast<std::streamsize>(json.size()));
    if (!dag_cbor_decode(cbor) || !dag_json_decode(json)) {
      std::fprintf(stderr, "benchmark document does not round-trip\n");
      return 1;
    }
    auto record = [&](const char* codec, const char* op, size_t size, double v) {
      ours[kase + " " + codec + " " + op] = v;
      std::printf("%-6s %-9s %-7s %10zu %12.1f\n", kase.c_str(), codec, op, size, v);
    };
    record("dag-cbor", "decode", cbor.size(), mbps(cbor.size(), seconds, [&] { g_sink = dag_cbor_decode(cbor)->is_map(); }));
    record("dag-cbor", "encode", cbor.size(), mbps(cbor.size(), seconds, [&] { g_sink = dag_cbor_encode(value).size(); }));
    record("dag-json", "decode", json.size(), mbps(json.size(), seconds, [&] { g_sink = dag_json_decode(json)->is_map(); }));
    record("dag-json", "encode", json.size(), mbps(json.size(), seconds, [&] { g_sink = dag_json_encode(value).size(); }));
  }

  auto js = run_js(data_dir, seconds);
  if (js.empty()) return 0;
  std::printf("\n%-6s %-9s %-7s %12s %12s %8s\n", "case", "codec", "op", "ipvm MB/s", "JS MB/s", "ratio");
  for (const auto& [key, v] : ours) {
    auto it = js.find(key);
    if (it == js.end()) continue;
    char kase[32], codec[32], op[32];
    std::sscanf(key.c_str(), "%31s %31s %31s", kase, codec, op);
    std::printf("%-6s %-9s %-7s %12.1f %12.1f %7.1fx\n", kase, codec, op, v, it->second, v / it->second);
  }
  return 0;
}
