#include "wasm/wasi.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include <sodium.h>

#include "wasm/execution.h"
#include "wasm/store.h"

namespace ipvm::wasm {
namespace {

constexpr ValType I = ValType::kI32;
constexpr ValType L = ValType::kI64;

// Every wasi_snapshot_preview1 function with its core-wasm signature (witx lowered by wasi-libc).
const std::map<std::string, FuncType, std::less<>>& signatures() {
  static const std::map<std::string, FuncType, std::less<>> table = [] {
    std::map<std::string, FuncType, std::less<>> t;
    auto add = [&](const char* n, std::vector<ValType> p, bool ret = true) {
      t[n] = FuncType{std::move(p), ret ? std::vector<ValType>{I} : std::vector<ValType>{}};
    };
    add("args_get", {I, I});
    add("args_sizes_get", {I, I});
    add("environ_get", {I, I});
    add("environ_sizes_get", {I, I});
    add("clock_res_get", {I, I});
    add("clock_time_get", {I, L, I});
    add("fd_advise", {I, L, L, I});
    add("fd_allocate", {I, L, L});
    add("fd_close", {I});
    add("fd_datasync", {I});
    add("fd_fdstat_get", {I, I});
    add("fd_fdstat_set_flags", {I, I});
    add("fd_fdstat_set_rights", {I, L, L});
    add("fd_filestat_get", {I, I});
    add("fd_filestat_set_size", {I, L});
    add("fd_filestat_set_times", {I, L, L, I});
    add("fd_pread", {I, I, I, L, I});
    add("fd_prestat_get", {I, I});
    add("fd_prestat_dir_name", {I, I, I});
    add("fd_pwrite", {I, I, I, L, I});
    add("fd_read", {I, I, I, I});
    add("fd_readdir", {I, I, I, L, I});
    add("fd_renumber", {I, I});
    add("fd_seek", {I, L, I, I});
    add("fd_sync", {I});
    add("fd_tell", {I, I});
    add("fd_write", {I, I, I, I});
    add("path_create_directory", {I, I, I});
    add("path_filestat_get", {I, I, I, I, I});
    add("path_filestat_set_times", {I, I, I, I, L, L, I});
    add("path_link", {I, I, I, I, I, I, I});
    add("path_open", {I, I, I, I, I, L, L, I, I});
    add("path_readlink", {I, I, I, I, I, I});
    add("path_remove_directory", {I, I, I});
    add("path_rename", {I, I, I, I, I, I});
    add("path_symlink", {I, I, I, I, I});
    add("path_unlink_file", {I, I, I});
    add("poll_oneoff", {I, I, I, I});
    add("proc_exit", {I}, false);
    add("proc_raise", {I});
    add("sched_yield", {});
    add("random_get", {I, I});
    add("sock_accept", {I, I, I});
    add("sock_recv", {I, I, I, I, I, I});
    add("sock_send", {I, I, I, I, I});
    add("sock_shutdown", {I, I});
    return t;
  }();
  return table;
}

bool store_u32(Memory* m, uint64_t at, uint32_t v) {
  if (!m) return false;
  uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
  return m->write(at, b, 4);
}
bool store_u64(Memory* m, uint64_t at, uint64_t v) {
  if (!m) return false;
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = uint8_t(v >> (8 * i));
  return m->write(at, b, 8);
}
bool load_u32(Memory* m, uint64_t at, uint32_t& v) {
  uint8_t b[4];
  if (!m || !m->read(at, b, 4)) return false;
  v = uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
  return true;
}

// Writes a list of strings the way args_get/environ_get want: pointers at ptrs, NUL-terminated
// bytes at buf. Checks the whole ranges first so a fault leaves memory untouched.
uint32_t write_string_list(Memory* m, const std::vector<std::string>& list, uint32_t ptrs, uint32_t buf) {
  if (!m) return wasi_errno::kFault;
  uint64_t total = 0;
  for (const auto& s : list) total += s.size() + 1;
  if (!m->in_bounds(ptrs, uint64_t{4} * list.size()) || !m->in_bounds(buf, total)) return wasi_errno::kFault;
  uint64_t at = buf;
  for (size_t i = 0; i < list.size(); ++i) {
    store_u32(m, ptrs + 4 * i, static_cast<uint32_t>(at));
    m->write(at, list[i].data(), list[i].size());
    uint8_t nul = 0;
    m->write(at + list[i].size(), &nul, 1);
    at += list[i].size() + 1;
  }
  return wasi_errno::kSuccess;
}

uint32_t list_sizes(Memory* m, const std::vector<std::string>& list, uint32_t count_ptr, uint32_t size_ptr) {
  uint64_t total = 0;
  for (const auto& s : list) total += s.size() + 1;
  if (total > UINT32_MAX) return wasi_errno::kOverflow;
  if (!m || !m->in_bounds(count_ptr, 4) || !m->in_bounds(size_ptr, 4)) return wasi_errno::kFault;
  store_u32(m, count_ptr, static_cast<uint32_t>(list.size()));
  store_u32(m, size_ptr, static_cast<uint32_t>(total));
  return wasi_errno::kSuccess;
}

}  // namespace

bool Wasi::implements(std::string_view name) {
  static const char* const names[] = {
      "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get",
      "clock_time_get", "fd_read", "fd_write", "fd_close", "fd_seek", "fd_tell", "fd_fdstat_get",
      "fd_fdstat_set_flags", "fd_filestat_get", "fd_prestat_get", "fd_prestat_dir_name",
      "random_get", "poll_oneoff", "proc_exit", "sched_yield"};
  for (const char* n : names)
    if (name == n) return true;
  return false;
}

const FuncType* Wasi::signature(std::string_view name) {
  const auto& t = signatures();
  auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

uint32_t Wasi::call(std::string_view name, Memory* m, std::span<const Value> a) {
  ++s_.calls;
  auto u = [&](size_t i) { return i < a.size() ? a[i].as_u32() : 0u; };
  auto l = [&](size_t i) { return i < a.size() ? a[i].as_u64() : uint64_t{0}; };
  if (name == "args_sizes_get") return args_sizes_get(m, u(0), u(1));
  if (name == "args_get") return args_get(m, u(0), u(1));
  if (name == "environ_sizes_get") return environ_sizes_get(m, u(0), u(1));
  if (name == "environ_get") return environ_get(m, u(0), u(1));
  if (name == "clock_res_get") return clock_res_get(m, u(0), u(1));
  if (name == "clock_time_get") return clock_time_get(m, u(0), l(1), u(2));
  if (name == "fd_read") return fd_read(m, u(0), u(1), u(2), u(3));
  if (name == "fd_write") return fd_write(m, u(0), u(1), u(2), u(3));
  if (name == "fd_close") return fd_close(u(0));
  if (name == "fd_seek") return fd_seek(m, u(0), static_cast<int64_t>(l(1)), u(2), u(3));
  if (name == "fd_tell") return fd_tell(m, u(0), u(1));
  if (name == "fd_fdstat_get") return fd_fdstat_get(m, u(0), u(1));
  if (name == "fd_fdstat_set_flags") return fd_fdstat_set_flags(u(0), u(1));
  if (name == "fd_filestat_get") return fd_filestat_get(m, u(0), u(1));
  if (name == "fd_prestat_get") return fd_prestat_get(u(0));
  if (name == "fd_prestat_dir_name") return fd_prestat_dir_name(u(0));
  if (name == "random_get") return random_get(m, u(0), u(1));
  if (name == "poll_oneoff") return poll_oneoff(m, u(0), u(1), u(2), u(3));
  if (name == "sched_yield") return wasi_errno::kSuccess;
  if (name == "proc_exit") {
    proc_exit(u(0));
    return wasi_errno::kSuccess;
  }
  return wasi_errno::kNosys;
}

uint32_t Wasi::args_sizes_get(Memory* m, uint32_t c, uint32_t s) { return list_sizes(m, s_.args, c, s); }
uint32_t Wasi::args_get(Memory* m, uint32_t p, uint32_t b) { return write_string_list(m, s_.args, p, b); }
uint32_t Wasi::environ_sizes_get(Memory* m, uint32_t c, uint32_t s) { return list_sizes(m, s_.env, c, s); }
uint32_t Wasi::environ_get(Memory* m, uint32_t p, uint32_t b) { return write_string_list(m, s_.env, p, b); }

uint64_t Wasi::tick() {
  uint64_t now = s_.clock_ns;
  s_.clock_ns += s_.clock_step_ns;
  return now;
}

uint32_t Wasi::clock_res_get(Memory* m, uint32_t id, uint32_t ret) {
  if (id > 3) return wasi_errno::kInval;
  return store_u64(m, ret, std::max<uint64_t>(s_.clock_step_ns, 1)) ? wasi_errno::kSuccess : wasi_errno::kFault;
}

uint32_t Wasi::clock_time_get(Memory* m, uint32_t id, uint64_t, uint32_t ret) {
  if (id > 3) return wasi_errno::kInval;
  if (!m || !m->in_bounds(ret, 8)) return wasi_errno::kFault;
  // One virtual clock for all ids: realtime and monotonic advance together, deterministically.
  store_u64(m, ret, tick());
  return wasi_errno::kSuccess;
}

uint32_t Wasi::fd_read(Memory* m, uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nread_ptr) {
  if (fd != 0 || !open(fd)) return wasi_errno::kBadf;
  if (!m || !m->in_bounds(iovs, uint64_t{8} * n) || !m->in_bounds(nread_ptr, 4)) return wasi_errno::kFault;
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t buf = 0, len = 0;
    load_u32(m, iovs + 8 * i, buf);
    load_u32(m, iovs + 8 * i + 4, len);
    if (!m->in_bounds(buf, len)) return wasi_errno::kFault;
    if (len == 0) continue;
    uint64_t got = 0;
    if (s_.stdin_passthrough) {
      ssize_t r;
      do r = ::read(0, m->data() + buf, len);
      while (r < 0 && errno == EINTR);
      if (r < 0) return total ? (store_u32(m, nread_ptr, uint32_t(total)), wasi_errno::kSuccess) : wasi_errno::kIo;
      got = static_cast<uint64_t>(r);
    } else {
      uint64_t left = s_.stdin_data.size() - std::min<uint64_t>(s_.stdin_pos, s_.stdin_data.size());
      got = std::min<uint64_t>(left, len);
      if (got) std::memcpy(m->data() + buf, s_.stdin_data.data() + s_.stdin_pos, got);
      s_.stdin_pos += got;
    }
    total += got;
    if (got < len) break;  // short read: hand back what we have
  }
  store_u32(m, nread_ptr, static_cast<uint32_t>(total));
  return wasi_errno::kSuccess;
}

void Wasi::emit(uint32_t fd, const uint8_t* data, uint64_t n) {
  if (s_.output_passthrough) {
    int out = fd == 1 ? 1 : 2;
    while (n > 0) {
      ssize_t w = ::write(out, data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return;  // the reader went away: drop output like a closed pipe would
      data += w;
      n -= static_cast<uint64_t>(w);
    }
    return;
  }
  std::string& buf = fd == 1 ? s_.stdout_buf : s_.stderr_buf;
  uint64_t& dropped = fd == 1 ? s_.stdout_dropped : s_.stderr_dropped;
  uint64_t room = s_.output_cap > buf.size() ? s_.output_cap - buf.size() : 0;
  uint64_t take = std::min(room, n);
  buf.append(reinterpret_cast<const char*>(data), take);
  dropped += n - take;
}

uint32_t Wasi::fd_write(Memory* m, uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten_ptr) {
  if ((fd != 1 && fd != 2) || !open(fd)) return wasi_errno::kBadf;
  if (!m || !m->in_bounds(iovs, uint64_t{8} * n) || !m->in_bounds(nwritten_ptr, 4)) return wasi_errno::kFault;
  // Check every buffer before writing any, so a fault has no partial effect.
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t buf = 0, len = 0;
    load_u32(m, iovs + 8 * i, buf);
    load_u32(m, iovs + 8 * i + 4, len);
    if (!m->in_bounds(buf, len)) return wasi_errno::kFault;
  }
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t buf = 0, len = 0;
    load_u32(m, iovs + 8 * i, buf);
    load_u32(m, iovs + 8 * i + 4, len);
    emit(fd, m->data() + buf, len);
    total += len;
  }
  if (total > UINT32_MAX) total = UINT32_MAX;
  store_u32(m, nwritten_ptr, static_cast<uint32_t>(total));
  return wasi_errno::kSuccess;
}

uint32_t Wasi::fd_close(uint32_t fd) {
  if (!open(fd)) return wasi_errno::kBadf;
  s_.closed_fds |= 1u << fd;
  return wasi_errno::kSuccess;
}

uint32_t Wasi::fd_seek(Memory*, uint32_t fd, int64_t, uint32_t whence, uint32_t) {
  if (!open(fd)) return wasi_errno::kBadf;
  if (whence > 2) return wasi_errno::kInval;
  return wasi_errno::kSpipe;  // stdio streams are pipes
}

uint32_t Wasi::fd_tell(Memory*, uint32_t fd, uint32_t) {
  return open(fd) ? wasi_errno::kSpipe : wasi_errno::kBadf;
}

uint32_t Wasi::fd_fdstat_get(Memory* m, uint32_t fd, uint32_t ret) {
  if (!open(fd)) return wasi_errno::kBadf;
  if (!m || !m->in_bounds(ret, 24)) return wasi_errno::kFault;
  uint8_t st[24] = {};
  st[0] = 2;  // character device
  st[2] = uint8_t(s_.fd_flags[fd]);
  st[3] = uint8_t(s_.fd_flags[fd] >> 8);
  // rights_base: fd_read (bit 1) for stdin, fd_write (bit 6) for stdout/stderr, plus
  // fd_fdstat_set_flags (bit 3) and poll_fd_readwrite (bit 27).
  uint64_t rights = (fd == 0 ? (1ull << 1) : (1ull << 6)) | (1ull << 3) | (1ull << 27);
  for (int i = 0; i < 8; ++i) st[8 + i] = uint8_t(rights >> (8 * i));
  m->write(ret, st, sizeof st);
  return wasi_errno::kSuccess;
}

uint32_t Wasi::fd_fdstat_set_flags(uint32_t fd, uint32_t flags) {
  if (!open(fd)) return wasi_errno::kBadf;
  if (flags & ~0x1fu) return wasi_errno::kInval;
  s_.fd_flags[fd] = static_cast<uint16_t>(flags & 0x5u);  // APPEND | NONBLOCK; sync flags ignored
  return wasi_errno::kSuccess;
}

uint32_t Wasi::fd_filestat_get(Memory* m, uint32_t fd, uint32_t ret) {
  if (!open(fd)) return wasi_errno::kBadf;
  if (!m || !m->in_bounds(ret, 64)) return wasi_errno::kFault;
  uint8_t st[64] = {};
  st[16] = 2;  // filetype at offset 16: character device
  m->write(ret, st, sizeof st);
  return wasi_errno::kSuccess;
}

uint32_t Wasi::fd_prestat_get(uint32_t) { return wasi_errno::kBadf; }  // no preopened directories
uint32_t Wasi::fd_prestat_dir_name(uint32_t) { return wasi_errno::kBadf; }

uint32_t Wasi::random_get(Memory* m, uint32_t buf, uint32_t len) {
  if (!m || !m->in_bounds(buf, len)) return wasi_errno::kFault;
  if (s_.random_seed.size() != crypto_stream_chacha20_ietf_KEYBYTES) return wasi_errno::kInval;
  static const uint8_t nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
  uint8_t block[4096 + 64];
  uint64_t done = 0;
  while (done < len) {
    uint64_t off = s_.random_offset;
    uint64_t skip = off % 64;
    uint64_t n = std::min<uint64_t>(len - done, 4096);
    uint64_t need = skip + n;
    std::memset(block, 0, need);
    uint64_t counter = off / 64;
    if (counter + (need + 63) / 64 > UINT32_MAX) return wasi_errno::kOverflow;  // 256 GiB of randomness
    crypto_stream_chacha20_ietf_xor_ic(block, block, need, nonce, static_cast<uint32_t>(counter),
                                       s_.random_seed.data());
    m->write(uint64_t{buf} + done, block + skip, n);
    done += n;
    s_.random_offset += n;
  }
  return wasi_errno::kSuccess;
}

// Subscriptions are answered at once: clock timeouts fire by advancing the virtual clock, fd
// readiness is reported for stdio (stdin reads never block on given bytes).
uint32_t Wasi::poll_oneoff(Memory* m, uint32_t in, uint32_t out, uint32_t nsubs, uint32_t nevents_ptr) {
  if (nsubs == 0) return wasi_errno::kInval;
  if (!m || !m->in_bounds(in, uint64_t{48} * nsubs) || !m->in_bounds(out, uint64_t{32} * nsubs) ||
      !m->in_bounds(nevents_ptr, 4))
    return wasi_errno::kFault;
  uint64_t max_timeout = 0;
  std::vector<uint8_t> sub(48);
  for (uint32_t i = 0; i < nsubs; ++i) {
    m->read(in + uint64_t{48} * i, sub.data(), 48);
    uint8_t ev[32] = {};
    std::memcpy(ev, sub.data(), 8);  // userdata
    uint8_t tag = sub[8];
    ev[10] = tag;
    uint16_t err = 0;
    if (tag == 0) {
      uint64_t timeout = 0;
      for (int k = 0; k < 8; ++k) timeout |= uint64_t(sub[24 + k]) << (8 * k);
      uint16_t flags = uint16_t(sub[40] | sub[41] << 8);
      if (flags & 1) timeout = timeout > s_.clock_ns ? timeout - s_.clock_ns : 0;  // absolute
      max_timeout = std::max(max_timeout, timeout);
    } else if (tag == 1 || tag == 2) {
      uint32_t fd = uint32_t(sub[16]) | uint32_t(sub[17]) << 8 | uint32_t(sub[18]) << 16 | uint32_t(sub[19]) << 24;
      bool ok = open(fd) && ((tag == 1) == (fd == 0));
      if (!ok) err = wasi_errno::kBadf;
      else if (tag == 1 && !s_.stdin_passthrough) {
        uint64_t left = s_.stdin_data.size() - std::min<uint64_t>(s_.stdin_pos, s_.stdin_data.size());
        for (int k = 0; k < 8; ++k) ev[16 + k] = uint8_t(left >> (8 * k));
      }
    } else {
      err = wasi_errno::kInval;
    }
    ev[8] = uint8_t(err);
    ev[9] = uint8_t(err >> 8);
    m->write(out + uint64_t{32} * i, ev, 32);
  }
  s_.clock_ns += max_timeout;  // sleeping passes virtual time only
  store_u32(m, nevents_ptr, nsubs);
  return wasi_errno::kSuccess;
}

void Wasi::proc_exit(uint32_t code) {
  s_.exited = true;
  s_.exit_code = static_cast<int32_t>(code);
}

namespace {

// Every preview1 function as a host function of `store`, in signatures() order. The closure holds
// a pointer to the name in the static table, so it fits std::function's inline storage.
std::vector<Func*> create_wasi_funcs(Store& store, Wasi& wasi) {
  std::vector<Func*> funcs;
  funcs.reserve(signatures().size());
  for (const auto& [name, type] : signatures()) {
    const std::string* n = &name;
    HostFunction fn = [&wasi, n](HostContext& ctx, std::span<const Value> args,
                                 std::span<Value> results) -> HostStatus {
      uint32_t err = wasi.call(*n, ctx.memory(), args);
      if (wasi.state().exited) return tl::unexpected(Trap::exit(wasi.state().exit_code));
      if (!results.empty()) results[0] = Value::i32(err);
      return {};
    };
    funcs.push_back(store.create_host_func(type, std::move(fn), "wasi." + name));
  }
  return funcs;
}

}  // namespace

void define_wasi(Store& store, Linker& linker, Wasi& wasi) {
  std::vector<Func*> funcs = create_wasi_funcs(store, wasi);
  size_t i = 0;
  for (const auto& entry : signatures()) linker.define(kWasiModule, entry.first, Extern::of(funcs[i++]));
}

Result<std::vector<Extern>> wasi_imports(Store& store, Wasi& wasi, const Module& module) {
  std::vector<Func*> funcs = create_wasi_funcs(store, wasi);
  const auto& table = signatures();
  std::vector<Extern> out;
  out.reserve(module.imports.size());
  for (const Import& imp : module.imports) {
    auto it = imp.module == kWasiModule ? table.find(imp.name) : table.end();
    if (it == table.end()) return failf("unlinkable", "unknown import {}.{}", imp.module, imp.name);
    Extern e = Extern::of(funcs[static_cast<size_t>(std::distance(table.begin(), it))]);
    if (!extern_matches(imp, module, e))
      return failf("unlinkable", "incompatible import type for {}.{}", imp.module, imp.name);
    out.push_back(e);
  }
  return out;
}

}  // namespace ipvm::wasm
