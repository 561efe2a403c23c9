#include "ipld/car.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <unordered_set>

#include "ipld/dag_cbor.h"
#include "ipld/value.h"
#include "ipld/varint.h"

namespace ipvm::ipld {

namespace {
constexpr size_t kBufferSize = 64 * 1024;
constexpr size_t kGrowStep = 1 << 20;  // largest single growth of a section buffer
}  // namespace

Result<size_t> MemorySource::read(uint8_t* buf, size_t n) {
  size_t k = std::min(n, data_.size() - pos_);
  if (k) std::memcpy(buf, data_.data() + pos_, k);
  pos_ += k;
  return k;
}

Result<std::unique_ptr<FileSource>> FileSource::open(const std::string& path) {
  if (path == "-") return std::unique_ptr<FileSource>(new FileSource(-1, "standard input"));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return failf("io", "cannot open {}: {}", path, std::strerror(errno));
  return std::unique_ptr<FileSource>(new FileSource(fd, path));
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

Result<size_t> FileSource::read(uint8_t* buf, size_t n) {
  int fd = fd_ >= 0 ? fd_ : STDIN_FILENO;
  for (;;) {
    ssize_t k = ::read(fd, buf, n);
    if (k >= 0) return static_cast<size_t>(k);
    if (errno != EINTR) return failf("io", "cannot read {}: {}", name_, std::strerror(errno));
  }
}

// ---- reader ----

Result<int> CarReader::read_byte() {
  if (buf_pos_ == buf_.size()) {
    buf_.resize(kBufferSize);
    auto n = source_->read(buf_.data(), buf_.size());
    if (!n) {
      buf_.clear();
      buf_pos_ = 0;
      return tl::unexpected(n.error());
    }
    buf_.resize(*n);
    buf_pos_ = 0;
    if (*n == 0) return -1;
  }
  ++offset_;
  return buf_[buf_pos_++];
}

Result<size_t> CarReader::read_exact(Bytes& out, uint64_t n) {
  out.clear();
  size_t have = 0;
  while (have < n) {
    if (buf_pos_ < buf_.size()) {
      size_t take = static_cast<size_t>(std::min<uint64_t>(n - have, buf_.size() - buf_pos_));
      out.insert(out.end(), buf_.begin() + buf_pos_, buf_.begin() + buf_pos_ + take);
      buf_pos_ += take;
      have += take;
      offset_ += take;
      continue;
    }
    size_t want = static_cast<size_t>(std::min<uint64_t>(n - have, kGrowStep));
    if (want < kBufferSize) {
      buf_.resize(kBufferSize);
      IPVM_TRY(size_t got, source_->read(buf_.data(), buf_.size()));
      buf_.resize(got);
      buf_pos_ = 0;
      if (got == 0) break;
      continue;
    }
    // Large remainder: read straight into the output, growing it only by what arrives.
    out.resize(have + want);
    IPVM_TRY(size_t got, source_->read(out.data() + have, want));
    out.resize(have + got);
    if (got == 0) break;
    have += got;
    offset_ += got;
  }
  return have;
}

Result<std::optional<uint64_t>> CarReader::read_varint(bool eof_ok, const char* what, uint64_t at) {
  uint8_t raw[10];
  size_t len = 0;
  for (;;) {
    IPVM_TRY(int b, read_byte());
    if (b < 0) {
      if (len == 0 && eof_ok) return std::optional<uint64_t>();
      if (len == 0) return failf("car", "{} at offset {}: the file ends where its length should be", what, at);
      return failf("car", "{} at offset {}: the file ends inside its length varint", what, at);
    }
    raw[len++] = static_cast<uint8_t>(b);
    if (!(b & 0x80)) break;
    if (len == 9) return failf("car", "{} at offset {}: length varint longer than 9 bytes", what, at);
  }
  size_t pos = 0;
  auto v = read_uvarint(ByteView(raw, len), pos);
  if (!v) return failf("car", "{} at offset {}: bad length varint: {}", what, at, v.error().message);
  return std::optional<uint64_t>(*v);
}

Result<CarReader> CarReader::open(ByteSource& source, CarLimits limits) {
  CarReader r(source, limits);
  IPVM_TRY(auto len, r.read_varint(false, "header", 0));
  if (*len == 0) return fail("car", "header at offset 0: length is 0");
  if (*len > limits.max_header)
    return failf("car", "header at offset 0: length {} is over the limit of {} bytes", *len,
                 limits.max_header);
  uint64_t body_at = r.offset_;
  Bytes body;
  IPVM_TRY(size_t got, r.read_exact(body, *len));
  if (got < *len)
    return failf("car", "header at offset 0: declares {} bytes but the file ends after {}", *len, got);
  auto v = dag_cbor_decode(body);
  if (!v) return failf("car", "header at offset {}: not valid DAG-CBOR: {}", body_at, v.error().message);
  if (!v->is_map()) return failf("car", "header at offset {}: not a map", body_at);
  const Value* version = v->find("version");
  if (!version) return failf("car", "header at offset {}: no version", body_at);
  auto ver = version->to_uint64();
  if (!ver) return failf("car", "header at offset {}: version is not a positive integer", body_at);
  if (*ver != 1)
    return failf("car", "header at offset {}: unsupported version {} (only CARv1 is read)", body_at, *ver);
  const Value* roots = v->find("roots");
  if (!roots || !roots->is_list())
    return failf("car", "header at offset {}: roots is missing or not a list", body_at);
  for (const Value& root : roots->as_list()) {
    if (!root.is_link()) return failf("car", "header at offset {}: a root is not a CID", body_at);
    r.header_.roots.push_back(root.as_link());
  }
  for (const auto& [key, value] : v->as_map())
    if (key != "roots" && key != "version")
      return failf("car", "header at offset {}: unexpected key \"{}\"", body_at, key);
  r.header_.version = 1;
  return r;
}

Result<std::optional<CarBlock>> CarReader::next() {
  if (failed_) return fail("car", "the reader already failed");
  auto result = [this]() -> Result<std::optional<CarBlock>> {
    uint64_t at = offset_;
    IPVM_TRY(auto len, read_varint(true, "section", at));
    if (!len) return std::optional<CarBlock>();
    if (*len == 0)
      return failf("car", "section at offset {}: zero-length section (not allowed in CARv1)", at);
    if (*len > limits_.max_section)
      return failf("car", "section at offset {}: length {} is over the limit of {} bytes", at, *len,
                   limits_.max_section);
    CarBlock block;
    block.offset = at;
    Bytes section;
    IPVM_TRY(size_t got, read_exact(section, *len));
    if (got < *len)
      return failf("car", "section at offset {}: declares {} bytes but the file ends after {}", at, *len,
                   got);
    size_t used = 0;
    auto cid = Cid::read_prefix(section, used);
    if (!cid) return failf("car", "section at offset {}: bad CID: {}", at, cid.error().message);
    auto ok = cid->verify(ByteView(section).subspan(used));
    if (!ok)
      return failf("car", "section at offset {}: block does not match its CID {}: {}", at,
                   cid->to_string(), ok.error().message);
    block.cid = std::move(*cid);
    section.erase(section.begin(), section.begin() + static_cast<ptrdiff_t>(used));
    block.data = std::move(section);
    return std::optional<CarBlock>(std::move(block));
  }();
  if (!result) failed_ = true;
  return result;
}

// ---- writer ----

Status CarWriter::emit(ByteView data) {
  if (data.empty()) return {};
  IPVM_TRY_STATUS(sink_(data));
  written_ += data.size();
  return {};
}

Result<CarWriter> CarWriter::begin(std::vector<Cid> roots, ByteSink sink) {
  if (roots.empty()) return fail("car", "a CARv1 needs at least one root");
  List links;
  links.reserve(roots.size());
  for (auto& c : roots) links.push_back(Value::link(std::move(c)));
  Value header = Value::map({{"roots", Value::list(std::move(links))}, {"version", Value::uinteger(1)}});
  Bytes body = dag_cbor_encode(header);
  Bytes out;
  put_uvarint(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
  CarWriter w(std::move(sink));
  IPVM_TRY_STATUS(w.emit(out));
  return w;
}

Status CarWriter::add(const Cid& cid, ByteView data) {
  Bytes prefix;
  Bytes cid_bytes = cid.to_bytes();
  put_uvarint(prefix, cid_bytes.size() + data.size());
  prefix.insert(prefix.end(), cid_bytes.begin(), cid_bytes.end());
  IPVM_TRY_STATUS(emit(prefix));
  return emit(data);
}

Result<uint64_t> write_car_dag(const Cid& root, const BlockLoader& load, const ByteSink& sink) {
  IPVM_TRY(CarWriter writer, CarWriter::begin({root}, sink));
  // Pre-order depth-first walk with an explicit stack (DAGs can be deeper than the call stack).
  std::vector<std::pair<Cid, Cid>> stack;  // (block, the block that links to it)
  stack.emplace_back(root, Cid());
  std::unordered_set<Cid> seen;
  uint64_t count = 0;
  while (!stack.empty()) {
    auto [cid, parent] = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(cid).second) continue;
    auto data = load(cid);
    if (!data) {
      if (!parent.is_valid()) return tl::unexpected(data.error());
      return failf(data.error().kind, "{} (linked from {})", data.error().message, parent.to_string());
    }
    IPVM_TRY_STATUS(writer.add(cid, *data));
    ++count;
    IPVM_TRY(std::vector<Cid> links, block_links(cid, *data));
    for (auto it = links.rbegin(); it != links.rend(); ++it)
      if (!seen.count(*it)) stack.emplace_back(std::move(*it), cid);
  }
  return count;
}

}  // namespace ipvm::ipld
