// The embedded block store: one SQLite file under the ipvm home.
//
// Durability: WAL journal, synchronous=FULL, every write in one transaction, so a process killed
// mid-write leaves the store as it was before or after that transaction, never in between.
// Concurrency: one writer connection behind a mutex (writes also wait up to busy_timeout for
// other processes) and a pool of reader connections, so any number of threads read while one
// writes; each reader sees a consistent snapshot. A Store may be shared freely between threads.
//
// Blocks are keyed by their binary CID. put() verifies the bytes against the CID's multihash
// (any codec is accepted, dag-pb included). Identity-hash CIDs hold their data inline: they are
// never stored, has() is always true and get() returns the digest.
//
// Later tables (receipts, task index, workflow journal) live in their own files: their migration
// goes into schema.cpp's list, and their code uses write()/read() below, which hand out a
// connection inside a transaction (a receipt and its blocks can be written atomically together).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/block.h"
#include "ipld/cid.h"
#include "store/blocks.h"
#include "store/sqlite.h"

namespace ipvm::store {

// The store file inside an ipvm home.
inline constexpr std::string_view kStoreFileName = "store.sqlite";
std::string store_path(std::string_view home);

struct StoreOptions {
  int busy_timeout_ms = 10000;
  size_t max_idle_readers = 8;
  // SQLite page cache per connection (KiB), allocated as used.
  size_t writer_cache_kib = 64 * 1024;
  size_t reader_cache_kib = 8 * 1024;
  // Page size of a store created now (an existing file keeps its own). 16 KiB rather than SQLite's
  // 4 KiB: a batch of task rows lands on random index pages (keys are hashes), and each dirty page
  // costs a WAL frame write and a checkpoint copy; bigger pages mean 4x fewer of them.
  int new_page_size = 16384;
};

class Store {
 public:
  // Opens (creating if needed) the store at `path` and brings its schema up to date.
  static Result<std::unique_ptr<Store>> open(const std::string& path, StoreOptions options = {});
  // Opens HOME/store.sqlite.
  static Result<std::unique_ptr<Store>> open_home(std::string_view home, StoreOptions options = {}) {
    return open(store_path(home), options);
  }
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Result<bool> put(const ipld::Cid& cid, ByteView data);  // true if new
  // The block's bytes; fails with kind "store.not_found" if absent.
  Result<Bytes> get(const ipld::Cid& cid) const;
  Result<std::optional<Bytes>> find(const ipld::Cid& cid) const;
  Result<bool> has(const ipld::Cid& cid) const;
  Result<bool> remove(const ipld::Cid& cid);  // true if it was there

  // A loader for path resolution and CAR export backed by this store.
  ipld::BlockLoader loader() const;

  // Runs fn in one write transaction (BEGIN IMMEDIATE ... COMMIT); rolls back if fn fails.
  Status write(const std::function<Status(sqlite::Db&)>& fn);
  // Runs fn in one read transaction on a pooled reader connection (a consistent snapshot).
  Status read(const std::function<Status(sqlite::Db&)>& fn) const;

  const std::string& path() const { return path_; }

 private:
  Store(std::string path, StoreOptions options, std::unique_ptr<sqlite::Db> writer);
  Result<std::unique_ptr<sqlite::Db>> open_reader() const;
  // A pooled reader without an explicit transaction (one SELECT is already a snapshot).
  Status with_reader(const std::function<Status(sqlite::Db&)>& fn) const;

  std::string path_;
  StoreOptions options_;
  std::mutex write_mu_;
  std::unique_ptr<sqlite::Db> writer_;
  mutable std::mutex pool_mu_;
  mutable std::vector<std::unique_ptr<sqlite::Db>> idle_readers_;
};

}  // namespace ipvm::store
