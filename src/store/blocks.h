// Block operations on one connection, for use inside Store::write / Store::read (so other tables'
// code can store blocks in the same transaction as its own rows). Store wraps these for the
// common single-operation case.
#pragma once

#include <optional>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "store/sqlite.h"

namespace ipvm::store::blocks {

// Verifies `data` against the CID's multihash and inserts it (a no-op if present).
// Returns true if the block was new. Identity-hash CIDs are verified but not stored.
Result<bool> put(sqlite::Db& db, const ipld::Cid& cid, ByteView data);
// The same without hashing `data` again: only for a CID this process has just computed from these
// very bytes (a token it signed or decoded), where verifying would hash the same bytes twice.
Result<bool> put_hashed(sqlite::Db& db, const ipld::Cid& cid, ByteView data);
Result<std::optional<Bytes>> get(sqlite::Db& db, const ipld::Cid& cid);
Result<bool> has(sqlite::Db& db, const ipld::Cid& cid);
Result<bool> remove(sqlite::Db& db, const ipld::Cid& cid);  // true if it was there
Result<uint64_t> count(sqlite::Db& db);

}  // namespace ipvm::store::blocks
