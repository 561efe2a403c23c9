// The task index: which receipt answers which invocation, and which receipt answers a pure task
// by its memoization key (runtime/task.h). Receipt, invocation and module bytes are ordinary blocks
// in the block store, and this file knows nothing of UCAN: it only handles binary CIDs.
//
// The answer to an invocation lives in the invocation's own block row (column blocks.answer, the
// receipt's binary CID, since schema version 3): storing an answered invocation is one row, not a
// block row plus an index row (each is an insert at a random place in a b-tree keyed by a hash,
// the dominant cost of storing a task). Removing the invocation block forgets its answer.
// Memo keys name no block, so they keep their own table.
//
// Use inside Store::write / Store::read so a receipt, its blocks and its index rows are committed
// in one transaction.
#pragma once

#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "store/schema.h"
#include "store/sqlite.h"

namespace ipvm::store::receipts {

// Version 2: the task_receipts and task_memo tables. Version 3: task_receipts moves into
// blocks.answer (rows whose invocation block is missing are dropped) and is removed.
extern const Migration kReceiptsMigration;
extern const Migration kAnswersMigration;

// Stores the invocation's block (`invocation_bytes`, which this process decoded or signed, so they
// are not hashed again) as answered by `receipt` and, for pure tasks, records `memo_key`. An
// invocation keeps its first answer (a forced re-run, e.g. `ipvm call --no-cache` within the same
// second, signs the same invocation again and must not change it); a memo key too, unless
// `replace_memo`.
Status put(sqlite::Db& db, const ipld::Cid& invocation, ByteView invocation_bytes, const ipld::Cid& receipt,
           const std::optional<ipld::Cid>& memo_key, bool replace_memo = false);

Result<std::optional<ipld::Cid>> by_invocation(sqlite::Db& db, const ipld::Cid& invocation);
Result<std::optional<ipld::Cid>> by_memo(sqlite::Db& db, const ipld::Cid& memo_key);
// Whether a receipt answers `invocation` or (if given) `memo_key`: the executor's check for a new
// task, one statement for both.
Result<bool> answered(sqlite::Db& db, const ipld::Cid& invocation, const ipld::Cid* memo_key);
Result<uint64_t> count(sqlite::Db& db);  // answered invocations

}  // namespace ipvm::store::receipts
