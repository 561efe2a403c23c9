#include "store/receipt_store.h"

namespace ipvm::store::receipts {

const Migration kReceiptsMigration{2, "receipts", R"sql(
CREATE TABLE IF NOT EXISTS task_receipts (
  invocation BLOB PRIMARY KEY,  -- binary CID of the invocation
  receipt    BLOB NOT NULL,     -- binary CID of the receipt answering it
  created    INTEGER NOT NULL   -- unix seconds
);
CREATE TABLE IF NOT EXISTS task_memo (
  memo_key BLOB PRIMARY KEY,    -- binary CID of {cmd, args} (pure tasks only)
  receipt  BLOB NOT NULL
);
)sql"};

const Migration kAnswersMigration{3, "answers in invocation blocks", R"sql(
ALTER TABLE blocks ADD COLUMN answer BLOB;  -- invocation blocks: binary CID of the receipt answering it
UPDATE blocks SET answer = (SELECT receipt FROM task_receipts WHERE invocation = blocks.cid)
  WHERE cid IN (SELECT invocation FROM task_receipts);
DROP TABLE task_receipts;
)sql"};

namespace {

Result<std::optional<ipld::Cid>> lookup(sqlite::Db& db, std::string_view sql, const ipld::Cid& key) {
  Bytes k = key.to_bytes();
  IPVM_TRY(auto stmt, db.cached(sql));
  IPVM_TRY_STATUS(stmt->bind(1, ByteView(k)));
  IPVM_TRY(bool row, stmt->step());
  if (!row) return std::optional<ipld::Cid>();
  auto cid = ipld::Cid::from_bytes(stmt->column_blob(0));
  if (!cid) return failf("store", "task index holds a corrupt CID: {}", cid.error().message);
  return std::optional<ipld::Cid>(std::move(*cid));
}

}  // namespace

Status put(sqlite::Db& db, const ipld::Cid& invocation, ByteView invocation_bytes, const ipld::Cid& receipt,
           const std::optional<ipld::Cid>& memo_key, bool replace_memo) {
  if (!invocation.is_valid() || !receipt.is_valid()) return fail("store", "cannot index a task under an empty CID");
  Bytes inv = invocation.to_bytes(), rct = receipt.to_bytes();
  {
    // A block stored earlier without an answer (an Unauthorized try) gets this one.
    IPVM_TRY(auto stmt, db.cached("INSERT INTO blocks (cid, codec, size, data, answer) VALUES (?1, ?2, ?3, ?4, ?5) "
                                  "ON CONFLICT (cid) DO UPDATE SET answer = excluded.answer WHERE answer IS NULL"));
    IPVM_TRY_STATUS(stmt->bind(1, ByteView(inv)));
    IPVM_TRY_STATUS(stmt->bind(2, static_cast<int64_t>(invocation.codec())));
    IPVM_TRY_STATUS(stmt->bind(3, static_cast<int64_t>(invocation_bytes.size())));
    IPVM_TRY_STATUS(stmt->bind(4, invocation_bytes));
    IPVM_TRY_STATUS(stmt->bind(5, ByteView(rct)));
    IPVM_TRY_STATUS(stmt->run());
  }
  if (memo_key) {
    Bytes key = memo_key->to_bytes();
    IPVM_TRY(auto stmt, db.cached(replace_memo ? "INSERT OR REPLACE INTO task_memo (memo_key, receipt) VALUES (?1, ?2)"
                                               : "INSERT OR IGNORE INTO task_memo (memo_key, receipt) VALUES (?1, ?2)"));
    IPVM_TRY_STATUS(stmt->bind(1, ByteView(key)));
    IPVM_TRY_STATUS(stmt->bind(2, ByteView(rct)));
    IPVM_TRY_STATUS(stmt->run());
  }
  return {};
}

Result<std::optional<ipld::Cid>> by_invocation(sqlite::Db& db, const ipld::Cid& invocation) {
  return lookup(db, "SELECT answer FROM blocks WHERE cid = ?1 AND answer IS NOT NULL", invocation);
}

Result<std::optional<ipld::Cid>> by_memo(sqlite::Db& db, const ipld::Cid& memo_key) {
  return lookup(db, "SELECT receipt FROM task_memo WHERE memo_key = ?1", memo_key);
}

Result<bool> answered(sqlite::Db& db, const ipld::Cid& invocation, const ipld::Cid* memo_key) {
  Bytes inv = invocation.to_bytes();
  Bytes key = memo_key ? memo_key->to_bytes() : Bytes{};
  IPVM_TRY(auto stmt, db.cached("SELECT EXISTS (SELECT 1 FROM blocks WHERE cid = ?1 AND answer IS NOT NULL) OR "
                                "EXISTS (SELECT 1 FROM task_memo WHERE memo_key = ?2)"));
  IPVM_TRY_STATUS(stmt->bind(1, ByteView(inv)));
  if (memo_key) {
    IPVM_TRY_STATUS(stmt->bind(2, ByteView(key)));
  } else {
    IPVM_TRY_STATUS(stmt->bind_null(2));
  }
  IPVM_TRY(bool row, stmt->step());
  return row && stmt->column_int64(0) != 0;
}

Result<uint64_t> count(sqlite::Db& db) {
  IPVM_TRY(auto n, db.query_int("SELECT COUNT(*) FROM blocks WHERE answer IS NOT NULL"));
  return static_cast<uint64_t>(n.value_or(0));
}

}  // namespace ipvm::store::receipts
