#include "store/store.h"

#include "store/schema.h"

namespace ipvm::store {

std::string store_path(std::string_view home) {
  std::string p(home);
  if (!p.empty() && p.back() != '/') p += '/';
  return p + std::string(kStoreFileName);
}

namespace {

Status configure(sqlite::Db& db, const StoreOptions& options, bool writer) {
  IPVM_TRY_STATUS(db.exec(fmt::format("PRAGMA busy_timeout = {}", options.busy_timeout_ms)));
  if (writer) {
    // Only an empty file takes a page size, and only before its first write (the WAL switch).
    IPVM_TRY(auto pages, db.query_int("PRAGMA page_count"));
    if (pages.value_or(0) == 0 && options.new_page_size > 0)
      IPVM_TRY_STATUS(db.exec(fmt::format("PRAGMA page_size = {}", options.new_page_size)));
    // journal_mode is persistent in the file; setting it needs a moment with no other writer,
    // which the busy timeout gives us.
    IPVM_TRY(sqlite::StmtRef s, db.cached("PRAGMA journal_mode = WAL"));
    IPVM_TRY(bool row, s->step());
    if (!row || s->column_text(0) != "wal")
      return failf("store", "{}: cannot switch to the WAL journal", db.path());
  } else {
    IPVM_TRY_STATUS(db.exec("PRAGMA query_only = ON"));
  }
  IPVM_TRY_STATUS(db.exec("PRAGMA synchronous = FULL"));
  // A page cache that holds the indexes of a busy store: SQLite's default 2 MiB makes every batch
  // of task rows re-read and spill pages. Memory is taken only as pages are used.
  size_t cache_kib = writer ? options.writer_cache_kib : options.reader_cache_kib;
  IPVM_TRY_STATUS(db.exec(fmt::format("PRAGMA cache_size = -{}", cache_kib)));
  return {};
}

}  // namespace

Store::Store(std::string path, StoreOptions options, std::unique_ptr<sqlite::Db> writer)
    : path_(std::move(path)), options_(options), writer_(std::move(writer)) {}

Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const std::string& path, StoreOptions options) {
  IPVM_TRY(auto writer, sqlite::Db::open(path, sqlite::Db::Mode::kReadWriteCreate));
  IPVM_TRY_STATUS(configure(*writer, options, true));
  IPVM_TRY_STATUS(migrate(*writer));
  return std::unique_ptr<Store>(new Store(path, options, std::move(writer)));
}

Result<std::unique_ptr<sqlite::Db>> Store::open_reader() const {
  {
    std::lock_guard lock(pool_mu_);
    if (!idle_readers_.empty()) {
      auto db = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return db;
    }
  }
  IPVM_TRY(auto db, sqlite::Db::open(path_, sqlite::Db::Mode::kReadWrite));
  IPVM_TRY_STATUS(configure(*db, options_, false));
  return db;
}

Status Store::write(const std::function<Status(sqlite::Db&)>& fn) {
  std::lock_guard lock(write_mu_);
  IPVM_TRY(auto txn, sqlite::Transaction::begin(*writer_, true));
  IPVM_TRY_STATUS(fn(*writer_));
  return txn.commit();
}

Status Store::with_reader(const std::function<Status(sqlite::Db&)>& fn) const {
  IPVM_TRY(auto db, open_reader());
  Status st = fn(*db);
  std::lock_guard lock(pool_mu_);
  if (idle_readers_.size() < options_.max_idle_readers) idle_readers_.push_back(std::move(db));
  return st;
}

Status Store::read(const std::function<Status(sqlite::Db&)>& fn) const {
  return with_reader([&](sqlite::Db& db) -> Status {
    IPVM_TRY(auto txn, sqlite::Transaction::begin(db, false));
    IPVM_TRY_STATUS(fn(db));
    return txn.commit();
  });
}

Result<bool> Store::put(const ipld::Cid& cid, ByteView data) {
  bool added = false;
  IPVM_TRY_STATUS(write([&](sqlite::Db& db) -> Status {
    IPVM_TRY(added, blocks::put(db, cid, data));
    return {};
  }));
  return added;
}

Result<std::optional<Bytes>> Store::find(const ipld::Cid& cid) const {
  std::optional<Bytes> out;
  IPVM_TRY_STATUS(with_reader([&](sqlite::Db& db) -> Status {
    IPVM_TRY(out, blocks::get(db, cid));
    return {};
  }));
  return out;
}

Result<Bytes> Store::get(const ipld::Cid& cid) const {
  IPVM_TRY(auto found, find(cid));
  if (!found) return failf("store.not_found", "block {} is not in the store", cid.to_string());
  return std::move(*found);
}

Result<bool> Store::has(const ipld::Cid& cid) const {
  bool present = false;
  IPVM_TRY_STATUS(with_reader([&](sqlite::Db& db) -> Status {
    IPVM_TRY(present, blocks::has(db, cid));
    return {};
  }));
  return present;
}

Result<bool> Store::remove(const ipld::Cid& cid) {
  bool removed = false;
  IPVM_TRY_STATUS(write([&](sqlite::Db& db) -> Status {
    IPVM_TRY(removed, blocks::remove(db, cid));
    return {};
  }));
  return removed;
}

ipld::BlockLoader Store::loader() const {
  return [this](const ipld::Cid& cid) { return get(cid); };
}

}  // namespace ipvm::store
