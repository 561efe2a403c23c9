// CARv1 (ipld/specs, transport/car/carv1): a header, then sections of <varint length><CID><block>.
//
// The header is a varint length followed by DAG-CBOR {roots: [CID, ...], version: 1}.
// CarReader streams: it holds one section at a time and grows its buffer only as bytes actually
// arrive, so a hostile length prefix cannot make it allocate. An empty roots list is accepted (as
// go-car/v2 and the JS reader do, and as the spec's maintainers advise new implementations). Every block is checked against its
// CID's multihash whatever its codec (dag-pb too). Errors have kind "car" and name the byte offset
// of the header or section that is wrong. Rejected: a version other than 1 (CARv2 included),
// truncation anywhere, zero-length sections (go-car's default), sections over the limit,
// a CID that does not parse, a block whose hash does not match.
//
// CarWriter writes a header and then sections to a sink; write_car_dag walks a DAG from one root
// depth-first (pre-order, links in the order the block holds them, each block once).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/block.h"
#include "ipld/cid.h"

namespace ipvm::ipld {

// A pull-based byte stream.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes into buf; returns 0 only at the end of the input.
  virtual Result<size_t> read(uint8_t* buf, size_t n) = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(ByteView data) : data_(data) {}
  Result<size_t> read(uint8_t* buf, size_t n) override;

 private:
  ByteView data_;
  size_t pos_ = 0;
};

// A file (or standard input for "-"), read with plain read(2).
class FileSource final : public ByteSource {
 public:
  static Result<std::unique_ptr<FileSource>> open(const std::string& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  Result<size_t> read(uint8_t* buf, size_t n) override;

 private:
  FileSource(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  int fd_;
  std::string name_;
};

struct CarLimits {
  uint64_t max_header = 32u << 20;   // as go-car
  uint64_t max_section = 64u << 20;  // CID + block; Wasm modules can be large
};

struct CarHeader {
  uint64_t version = 1;
  std::vector<Cid> roots;
};

struct CarBlock {
  Cid cid;
  Bytes data;
  uint64_t offset = 0;  // byte offset of the section (its length prefix) in the file
};

class CarReader {
 public:
  // Reads and checks the header. The source must outlive the reader.
  static Result<CarReader> open(ByteSource& source, CarLimits limits = {});

  const CarHeader& header() const { return header_; }
  // The next block, verified against its CID; std::nullopt at a clean end of input.
  Result<std::optional<CarBlock>> next();
  uint64_t offset() const { return offset_; }  // bytes consumed so far

 private:
  CarReader(ByteSource& source, CarLimits limits) : source_(&source), limits_(limits) {}
  // Reads a varint; `eof_ok` allows a clean end of input before its first byte (returns nullopt).
  Result<std::optional<uint64_t>> read_varint(bool eof_ok, const char* what, uint64_t at);
  // Reads exactly n bytes (fewer only at end of input) into out, growing it as data arrives.
  Result<size_t> read_exact(Bytes& out, uint64_t n);
  Result<int> read_byte();

  ByteSource* source_;
  CarLimits limits_;
  CarHeader header_;
  uint64_t offset_ = 0;
  Bytes buf_;
  size_t buf_pos_ = 0;
  bool failed_ = false;
};

// Receives the CAR bytes as they are produced.
using ByteSink = std::function<Status(ByteView)>;

class CarWriter {
 public:
  // Writes the header at once. `roots` may not be empty.
  static Result<CarWriter> begin(std::vector<Cid> roots, ByteSink sink);
  Status add(const Cid& cid, ByteView data);
  uint64_t bytes_written() const { return written_; }

 private:
  explicit CarWriter(ByteSink sink) : sink_(std::move(sink)) {}
  Status emit(ByteView data);
  ByteSink sink_;
  uint64_t written_ = 0;
};

// Writes a CARv1 whose single root is `root`, with every block reachable from it, depth-first.
// Returns the number of blocks written. Fails if a block is missing or cannot be read for links.
Result<uint64_t> write_car_dag(const Cid& root, const BlockLoader& load, const ByteSink& sink);

}  // namespace ipvm::ipld
