#include "runtime/task.h"

#include "base/ellipsis.h"
#include "ipld/dag_cbor.h"
#include "ipld/multibase.h"

namespace ipvm::runtime {

namespace {

constexpr std::string_view kIpfsScheme = "ipfs://";
constexpr std::string_view kDataPrefix = "data:application/wasm;base64,";

Result<uint64_t> limit(const ipld::Value& meta, std::string_view key, uint64_t fallback, uint64_t max) {
  const ipld::Value* v = meta.find(key);
  if (!v || v->is_null()) return fallback;
  auto u = v->to_uint64();
  if (!u || *u == 0 || *u > max)
    return failf("InvalidTask", "meta \"{}\" must be an integer between 1 and {}", key, max);
  return *u;
}

}  // namespace

ipld::Cid module_cid(ByteView wasm) { return *ipld::Cid::of(ipld::codec::kRaw, wasm); }

Result<ModuleRef> parse_module_ref(std::string_view text) {
  ModuleRef ref;
  if (text.substr(0, kDataPrefix.size()) == kDataPrefix) {
    std::string_view b64 = text.substr(kDataPrefix.size());
    while (!b64.empty() && b64.back() == '=') b64.remove_suffix(1);
    auto bytes = ipld::base64_decode(b64);
    if (!bytes) return failf("InvalidTask", "args \"mod\": the data URL is not valid base64: {}", bytes.error().message);
    ref.cid = module_cid(*bytes);
    ref.bytes = std::move(*bytes);
    return ref;
  }
  if (text.substr(0, 5) == "data:")
    return fail("InvalidTask", "args \"mod\": only data:application/wasm;base64,... URLs are supported");
  std::string_view cid_text = text;
  if (cid_text.substr(0, kIpfsScheme.size()) == kIpfsScheme) cid_text.remove_prefix(kIpfsScheme.size());
  auto cid = ipld::Cid::parse(cid_text);
  if (!cid) return failf("InvalidTask", "args \"mod\": '{}' is not a CID, ipfs://CID or data: URL", ellipsize(text));
  ref.cid = *cid;
  return ref;
}

Result<WasmTask> parse_wasm_task(const ipld::Value& args) {
  if (!args.is_map()) return fail("InvalidTask", "args must be a map {mod, fun, params}");
  WasmTask t;
  const ipld::Value* mod = args.find("mod");
  if (!mod) return fail("InvalidTask", "args \"mod\" is missing (a module CID link, ipfs://CID or data: URL)");
  if (mod->is_link()) {
    t.module = mod->as_link();
  } else if (mod->is_string()) {
    IPVM_TRY(auto ref, parse_module_ref(mod->as_string()));
    t.module = ref.cid;
    t.inline_module = std::move(ref.bytes);
  } else {
    return fail("InvalidTask", "args \"mod\" must be a CID link, ipfs://CID or data: URL");
  }
  const ipld::Value* fun = args.find("fun");
  if (!fun || !fun->is_string() || fun->as_string().empty())
    return fail("InvalidTask", "args \"fun\" must be the name of an exported function");
  t.fun = fun->as_string();
  const ipld::Value* params = args.find("params");
  if (params && !params->is_null()) {
    if (!params->is_list()) return fail("InvalidTask", "args \"params\" must be a list");
    t.params = params->as_list();
  }
  if (const ipld::Value* sig = args.find("sig"); sig && !sig->is_null()) {
    if (!sig->is_string()) return fail("InvalidTask", "args \"sig\" must be a WIT function signature string");
    auto f = parse_wit_func(sig->as_string());
    if (!f) return failf("InvalidTask", "args \"sig\": {}", f.error().message);
    t.sig = std::move(*f);
    t.sig_text = sig->as_string();
  }
  return t;
}

Result<TaskLimits> parse_limits(const ipld::Value& meta, TaskLimits defaults) {
  if (meta.is_null()) return defaults;
  if (!meta.is_map()) return fail("InvalidTask", "meta must be a map");
  TaskLimits l;
  IPVM_TRY(l.fuel, limit(meta, "fuel", defaults.fuel, uint64_t{1} << 62));
  IPVM_TRY(l.memory, limit(meta, "memory", defaults.memory, kMaxMemory));
  IPVM_TRY(l.time_ms, limit(meta, "time", defaults.time_ms, uint64_t{1} << 40));
  return l;
}

ipld::Value make_wasm_args(const ipld::Cid& mod, std::string_view fun, ipld::List params, std::string_view sig) {
  ipld::Map m;
  m.emplace_back("fun", ipld::Value::string(std::string(fun)));
  m.emplace_back("mod", ipld::Value::link(mod));
  if (!sig.empty()) m.emplace_back("sig", ipld::Value::string(std::string(sig)));
  m.emplace_back("params", ipld::Value::list(std::move(params)));
  return ipld::Value::map_presorted(std::move(m));
}

// The DAG-CBOR of {"cmd": cmd, "args": args} ("cmd" sorts first: shorter), written directly so no
// Value is built for it on the memoized path.
ipld::Cid memo_key(std::string_view cmd, const ipld::Value& args) {
  Bytes enc;
  enc.reserve(128);
  const uint8_t head[] = {0xa2, 0x63, 'c', 'm', 'd'};
  enc.insert(enc.end(), std::begin(head), std::end(head));
  const uint64_t n = cmd.size();
  if (n < 24) {
    enc.push_back(static_cast<uint8_t>(0x60 | n));
  } else {
    int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x100000000ull ? 4 : 8;
    enc.push_back(static_cast<uint8_t>(0x60 | (bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27)));
    for (int i = bytes - 1; i >= 0; --i) enc.push_back(static_cast<uint8_t>(n >> (8 * i)));
  }
  enc.insert(enc.end(), cmd.begin(), cmd.end());
  const uint8_t args_key[] = {0x64, 'a', 'r', 'g', 's'};
  enc.insert(enc.end(), std::begin(args_key), std::end(args_key));
  ipld::dag_cbor_encode_into(args, enc);
  return *ipld::Cid::of(ipld::codec::kDagCbor, enc);
}

bool is_pure(std::string_view cmd, ByteView nonce) { return cmd == kWasmRunCmd && nonce.empty(); }

}  // namespace ipvm::runtime
