// Fuzzes what a /wasm/run task's `sig` and a hostile guest control in the canonical ABI: the WIT
// signature parser, layouts and flattening, lowering IPLD arguments into guest memory, and lifting
// results from arbitrary flat values and guest memory (bad pointers, lengths, discriminants, chars,
// UTF-8). Input: SIG '\n' DAG-JSON-ARGUMENTS '\n' GUEST-MEMORY-BYTES.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "ipld/dag_json.h"
#include "runtime/cabi.h"
#include "runtime/wit.h"

using namespace ipvm;

namespace {

// A 64 KiB guest memory, initialised from the input, with a bump allocator that fails when full
// (as a guest's cabi_realloc trapping would).
class FuzzGuest : public runtime::CabiGuest {
 public:
  explicit FuzzGuest(ByteView init) : memory_(65536, 0) {
    if (!init.empty()) std::memcpy(memory_.data(), init.data(), std::min(init.size(), memory_.size()));
  }
  Result<uint32_t> realloc(uint32_t, uint32_t, uint32_t align, uint32_t size) override {
    if (align == 0 || (align & (align - 1)) != 0) return fail("trap", "bad alignment");
    uint64_t p = (uint64_t{next_} + align - 1) / align * align;
    if (p + size > memory_.size()) return fail("trap", "out of memory");
    next_ = static_cast<uint32_t>(p + size);
    return static_cast<uint32_t>(p);
  }
  Status read(uint32_t addr, std::span<uint8_t> out) override {
    if (uint64_t{addr} + out.size() > memory_.size()) return fail("trap", "out of bounds");
    std::memcpy(out.data(), memory_.data() + addr, out.size());
    return {};
  }
  Status write(uint32_t addr, ByteView data) override {
    if (uint64_t{addr} + data.size() > memory_.size()) return fail("trap", "out of bounds");
    std::memcpy(memory_.data() + addr, data.data(), data.size());
    return {};
  }

 private:
  std::vector<uint8_t> memory_;
  uint32_t next_ = 32768;  // arguments go to the upper half; the lower half is the guest's data
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl1 = in.find('\n');
  if (nl1 == std::string_view::npos) nl1 = in.size();
  std::string_view sig = in.substr(0, nl1);
  std::string_view rest = nl1 < in.size() ? in.substr(nl1 + 1) : std::string_view();
  size_t nl2 = rest.find('\n');
  std::string_view args_json = rest.substr(0, nl2);
  std::string_view memory = nl2 == std::string_view::npos ? std::string_view() : rest.substr(nl2 + 1);

  auto f = runtime::parse_wit_func(sig);
  if (!f) return 0;
  runtime::CoreSignature core = runtime::core_signature(*f);
  for (const auto& p : f->params) (void)runtime::wit_layout(*p.type);

  FuzzGuest guest(as_bytes(memory));
  if (auto args = ipld::dag_json_decode(args_json); args && args->is_list())
    (void)runtime::lower_arguments(*f, args->as_list(), guest);

  // Flat results from the memory bytes: a return-area pointer or scalars, all hostile.
  std::vector<uint64_t> flat;
  for (size_t i = 0; i < core.results.size(); ++i) {
    uint64_t v = 0;
    if (memory.size() >= (i + 1) * 8) std::memcpy(&v, memory.data() + i * 8, 8);
    if (core.results[i] == runtime::CoreType::kI32 || core.results[i] == runtime::CoreType::kF32) v &= 0xffffffffu;
    flat.push_back(v);
  }
  (void)runtime::lift_results(*f, flat, guest);
  return 0;
}
