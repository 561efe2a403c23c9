#include "store/sqlite.h"

#include <sqlite3.h>

namespace ipvm::store::sqlite {

// ---- Stmt ----

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Error Stmt::error(std::string_view what) const {
  return Error{"store", fmt::format("{}: {}", what, sqlite3_errmsg(db_))};
}

Status Stmt::bind(int index, ByteView blob) {
  // A zero-length blob needs a non-null pointer or SQLite binds NULL.
  static const uint8_t empty = 0;
  const void* p = blob.empty() ? &empty : blob.data();
  if (sqlite3_bind_blob64(stmt_, index, p, blob.size(), SQLITE_STATIC) != SQLITE_OK)
    return tl::unexpected(error("bind"));
  return {};
}

Status Stmt::bind(int index, std::string_view text) {
  if (sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8) != SQLITE_OK)
    return tl::unexpected(error("bind"));
  return {};
}

Status Stmt::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) return tl::unexpected(error("bind"));
  return {};
}

Status Stmt::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) return tl::unexpected(error("bind"));
  return {};
}

Result<bool> Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(error(sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "step"));
}

Status Stmt::run() {
  IPVM_TRY(bool row, step());
  (void)row;
  return {};
}

int64_t Stmt::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

ByteView Stmt::column_blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  if (!p || n <= 0) return {};
  return ByteView(static_cast<const uint8_t*>(p), static_cast<size_t>(n));
}

std::string_view Stmt::column_text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  if (!p || n <= 0) return {};
  return std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
}

bool Stmt::column_is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Stmt::changes() const { return sqlite3_changes(db_); }

// ---- Db ----

Result<std::unique_ptr<Db>> Db::open(const std::string& path, Mode mode) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (mode == Mode::kReadWriteCreate) flags |= SQLITE_OPEN_CREATE;
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return failf("store", "cannot open {}: {}", path, msg);
  }
  sqlite3_extended_result_codes(handle, 1);
  return std::unique_ptr<Db>(new Db(handle, path));
}

Db::~Db() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close_v2(db_);
}

Error Db::error(std::string_view what) const {
  return Error{"store", fmt::format("{} ({}): {}", what, path_, sqlite3_errmsg(db_))};
}

Status Db::exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Error e{"store", fmt::format("{} ({}): {}", text.substr(0, 60), path_, err ? err : sqlite3_errmsg(db_))};
    sqlite3_free(err);
    return tl::unexpected(std::move(e));
  }
  return {};
}

Result<StmtRef> Db::cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    std::string key(sql);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &s,
                           nullptr) != SQLITE_OK)
      return tl::unexpected(error(fmt::format("prepare \"{}\"", key)));
    it = cache_.emplace(std::move(key), std::make_unique<Stmt>(db_, s)).first;
  }
  return StmtRef(it->second.get());
}

Result<std::optional<int64_t>> Db::query_int(std::string_view sql) {
  IPVM_TRY(StmtRef s, cached(sql));
  IPVM_TRY(bool row, s->step());
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(s->column_int64(0));
}

// ---- Transaction ----

namespace {
Status run_cached(Db& db, std::string_view sql) {
  IPVM_TRY(StmtRef s, db.cached(sql));
  return s->run();
}
}  // namespace

Result<Transaction> Transaction::begin(Db& db, bool immediate) {
  IPVM_TRY_STATUS(run_cached(db, immediate ? "BEGIN IMMEDIATE" : "BEGIN"));
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_) (void)run_cached(*db_, "ROLLBACK");
}

Status Transaction::commit() {
  Db* db = db_;
  db_ = nullptr;
  auto st = run_cached(*db, "COMMIT");
  if (!st) (void)run_cached(*db, "ROLLBACK");
  return st;
}

}  // namespace ipvm::store::sqlite
