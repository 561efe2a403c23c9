// The task index: which receipt answers which invocation, and which receipt answers a pure task
// by its memoization key (runtime/task.h). Receipt, invocation and module bytes are ordinary blocks
// in the block store; these tables only hold binary CIDs, so this file knows nothing of UCAN.
//
// Use inside Store::write / Store::read so a receipt, its blocks and its index rows are committed
// in one transaction.
#pragma once

#include <cstdint>
#include <optional>

#include "base/error.h"
#include "ipld/cid.h"
#include "store/schema.h"
#include "store/sqlite.h"

namespace ipvm::store::receipts {

// The tables, idempotent (CREATE ... IF NOT EXISTS), so they can be applied either as a numbered
// migration in schema.cpp's list or by ensure_schema() on a store opened by an older list.
extern const Migration kReceiptsMigration;
Status ensure_schema(sqlite::Db& db);

// Records that `receipt` answers `invocation` and, for pure tasks, `memo_key`. An invocation keeps
// its first receipt (a forced re-run, e.g. `ipvm call --no-cache` within the same second, signs the
// same invocation again and must not change its answer); a memo key too, unless `replace_memo`.
Status put(sqlite::Db& db, const ipld::Cid& invocation, const ipld::Cid& receipt,
           const std::optional<ipld::Cid>& memo_key, int64_t created_unix, bool replace_memo = false);

Result<std::optional<ipld::Cid>> by_invocation(sqlite::Db& db, const ipld::Cid& invocation);
Result<std::optional<ipld::Cid>> by_memo(sqlite::Db& db, const ipld::Cid& memo_key);
// Whether a receipt answers `invocation` or (if given) `memo_key`: the executor's check for a new
// task, one statement for both.
Result<bool> answered(sqlite::Db& db, const ipld::Cid& invocation, const ipld::Cid* memo_key);
Result<uint64_t> count(sqlite::Db& db);

}  // namespace ipvm::store::receipts
