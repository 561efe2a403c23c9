// A small RAII layer over the SQLite C API: one connection (Db), prepared statements (Stmt),
// errors as values with kind "store".
//
// A Db is used by one thread at a time (connections are opened with SQLITE_OPEN_NOMUTEX; the Store
// hands them out). Statements are cached per connection; Db::cached() returns a handle that resets
// the statement when it goes out of scope so no read transaction stays open by accident.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/bytes.h"
#include "base/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ipvm::store::sqlite {

class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), stmt_(s) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Parameters are 1-based, as in SQLite. Blobs and text are not copied: they must stay alive
  // until the statement is reset (the end of the StmtRef's scope).
  Status bind(int index, ByteView blob);
  Status bind(int index, std::string_view text);
  Status bind(int index, int64_t value);
  Status bind_null(int index);

  // Runs one step: true when a row is available, false when done.
  Result<bool> step();
  // Runs to completion, expecting no rows.
  Status run();

  int64_t column_int64(int col) const;
  ByteView column_blob(int col) const;
  std::string_view column_text(int col) const;
  bool column_is_null(int col) const;

  void reset();
  int changes() const;  // rows changed by the last completed statement on this connection

 private:
  Error error(std::string_view what) const;
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// A cached statement in use; resets it (and clears bindings) when destroyed.
class StmtRef {
 public:
  explicit StmtRef(Stmt* s) : s_(s) {}
  ~StmtRef() {
    if (s_) s_->reset();
  }
  StmtRef(StmtRef&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  StmtRef& operator=(StmtRef&&) = delete;
  Stmt* operator->() const { return s_; }
  Stmt& operator*() const { return *s_; }

 private:
  Stmt* s_;
};

class Db {
 public:
  enum class Mode { kReadWriteCreate, kReadWrite };
  static Result<std::unique_ptr<Db>> open(const std::string& path, Mode mode);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements that return no rows we need.
  Status exec(std::string_view sql);
  // A prepared statement cached on this connection by its SQL text.
  Result<StmtRef> cached(std::string_view sql);
  // A query returning one integer (e.g. "PRAGMA user_version"); nullopt when there is no row.
  Result<std::optional<int64_t>> query_int(std::string_view sql);

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  Error error(std::string_view what) const;

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<Stmt>, SqlHash, std::equal_to<>> cache_;
};

// BEGIN IMMEDIATE / BEGIN (deferred) ... COMMIT, rolled back unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Db& db, bool immediate);
  Transaction(Transaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Db& db) : db_(&db) {}
  Db* db_;
};

}  // namespace ipvm::store::sqlite
