#include "store/blocks.h"

#include "ipld/multihash.h"

namespace ipvm::store::blocks {

namespace {
bool is_identity(const ipld::Cid& cid) { return cid.hash_code() == ipld::hash::kIdentity; }
}  // namespace

Result<bool> put(sqlite::Db& db, const ipld::Cid& cid, ByteView data) {
  if (!cid.is_valid()) return fail("store", "cannot store a block under an empty CID");
  auto ok = cid.verify(data);
  if (!ok) return failf("store", "block does not match its CID {}: {}", cid.to_string(), ok.error().message);
  return put_hashed(db, cid, data);
}

Result<bool> put_hashed(sqlite::Db& db, const ipld::Cid& cid, ByteView data) {
  if (!cid.is_valid()) return fail("store", "cannot store a block under an empty CID");
  if (is_identity(cid)) return false;
  Bytes key = cid.to_bytes();
  IPVM_TRY(sqlite::StmtRef s,
           db.cached("INSERT OR IGNORE INTO blocks (cid, codec, size, data) VALUES (?1, ?2, ?3, ?4)"));
  IPVM_TRY_STATUS(s->bind(1, ByteView(key)));
  IPVM_TRY_STATUS(s->bind(2, static_cast<int64_t>(cid.codec())));
  IPVM_TRY_STATUS(s->bind(3, static_cast<int64_t>(data.size())));
  IPVM_TRY_STATUS(s->bind(4, data));
  IPVM_TRY_STATUS(s->run());
  return s->changes() > 0;
}

Result<std::optional<Bytes>> get(sqlite::Db& db, const ipld::Cid& cid) {
  if (is_identity(cid)) {
    ByteView d = cid.digest();
    return std::optional<Bytes>(Bytes(d.begin(), d.end()));
  }
  Bytes key = cid.to_bytes();
  IPVM_TRY(sqlite::StmtRef s, db.cached("SELECT data FROM blocks WHERE cid = ?1"));
  IPVM_TRY_STATUS(s->bind(1, ByteView(key)));
  IPVM_TRY(bool row, s->step());
  if (!row) return std::optional<Bytes>();
  ByteView d = s->column_blob(0);
  return std::optional<Bytes>(Bytes(d.begin(), d.end()));
}

Result<bool> has(sqlite::Db& db, const ipld::Cid& cid) {
  if (is_identity(cid)) return true;
  Bytes key = cid.to_bytes();
  IPVM_TRY(sqlite::StmtRef s, db.cached("SELECT 1 FROM blocks WHERE cid = ?1"));
  IPVM_TRY_STATUS(s->bind(1, ByteView(key)));
  return s->step();
}

Result<bool> remove(sqlite::Db& db, const ipld::Cid& cid) {
  if (is_identity(cid)) return false;
  Bytes key = cid.to_bytes();
  IPVM_TRY(sqlite::StmtRef s, db.cached("DELETE FROM blocks WHERE cid = ?1"));
  IPVM_TRY_STATUS(s->bind(1, ByteView(key)));
  IPVM_TRY_STATUS(s->run());
  return s->changes() > 0;
}

Result<uint64_t> count(sqlite::Db& db) {
  IPVM_TRY(auto n, db.query_int("SELECT count(*) FROM blocks"));
  return static_cast<uint64_t>(n.value_or(0));
}

}  // namespace ipvm::store::blocks
