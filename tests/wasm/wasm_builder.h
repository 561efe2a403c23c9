// Tiny helpers to assemble WebAssembly binaries byte by byte in tests.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace ipvm::wasm::test {

inline Bytes uleb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v ? (b | 0x80) : b);
  } while (v);
  return out;
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes vec(const std::vector<Bytes>& items) {
  Bytes out = uleb(items.size());
  for (const Bytes& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

inline Bytes name(std::string_view s) { return cat({uleb(s.size()), Bytes(s.begin(), s.end())}); }

inline Bytes functype(Bytes params, Bytes results) {
  return cat({Bytes{0x60}, uleb(params.size()), params, uleb(results.size()), results});
}

// A code-section entry: local groups (count, type) and the body, which should end with 0x0b.
inline Bytes code(std::vector<std::pair<uint32_t, uint8_t>> locals, Bytes body) {
  Bytes inner = uleb(locals.size());
  for (auto [n, t] : locals) {
    Bytes c = uleb(n);
    inner.insert(inner.end(), c.begin(), c.end());
    inner.push_back(t);
  }
  inner.insert(inner.end(), body.begin(), body.end());
  return cat({uleb(inner.size()), inner});
}

class ModuleBuilder {
 public:
  ModuleBuilder() : bytes_{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00} {}
  ModuleBuilder& section(uint8_t id, const Bytes& content) {
    bytes_.push_back(id);
    Bytes size = uleb(content.size());
    bytes_.insert(bytes_.end(), size.begin(), size.end());
    bytes_.insert(bytes_.end(), content.begin(), content.end());
    return *this;
  }
  ModuleBuilder& raw(const Bytes& b) {
    bytes_.insert(bytes_.end(), b.begin(), b.end());
    return *this;
  }
  const Bytes& bytes() const { return bytes_; }

 private:
  Bytes bytes_;
};

// A module with one type, one function of it and the given body; `middle` sections (id, content)
// go between the function and code sections (table, memory, global, export, start, elem, datacount).
inline Bytes one_function(Bytes params, Bytes results, Bytes body,
                          std::vector<std::pair<uint8_t, Bytes>> middle = {},
                          std::vector<std::pair<uint32_t, uint8_t>> locals = {}) {
  ModuleBuilder b;
  b.section(1, vec({functype(std::move(params), std::move(results))}));
  b.section(3, vec({Bytes{0x00}}));
  for (const auto& [id, content] : middle) b.section(id, content);
  b.section(10, vec({code(std::move(locals), std::move(body))}));
  return b.bytes();
}

}  // namespace ipvm::wasm::test
