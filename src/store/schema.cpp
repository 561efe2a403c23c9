#include "store/schema.h"

#include <array>

#include "store/receipt_store.h"

namespace ipvm::store {

const Migration kBlocksMigration{1, "blocks", R"sql(
CREATE TABLE blocks (
  cid   BLOB PRIMARY KEY,  -- binary CID
  codec INTEGER NOT NULL,  -- multicodec of the CID, for listings by codec
  size  INTEGER NOT NULL,
  data  BLOB NOT NULL
);
)sql"};

namespace {
// Append new migrations here, in version order.
const std::array<const Migration*, 3> kAll{&kBlocksMigration, &receipts::kReceiptsMigration,
                                          &receipts::kAnswersMigration};
}  // namespace

std::span<const Migration> migrations() {
  static const auto list = [] {
    std::array<Migration, kAll.size()> out{};
    for (size_t i = 0; i < kAll.size(); ++i) out[i] = *kAll[i];
    return out;
  }();
  return list;
}

int schema_version() { return static_cast<int>(kAll.size()); }

Status migrate(sqlite::Db& db) {
  IPVM_TRY(auto current, db.query_int("PRAGMA user_version"));
  int64_t have = current.value_or(0);
  if (have > schema_version())
    return failf("store", "{} has schema version {} but this ipvm knows only up to {}; upgrade ipvm",
                 db.path(), have, schema_version());
  for (const Migration& m : migrations()) {
    if (m.version <= have) continue;
    IPVM_TRY(auto txn, sqlite::Transaction::begin(db, true));
    // Another process may have migrated while we waited for the write lock.
    IPVM_TRY(auto now, db.query_int("PRAGMA user_version"));
    if (now.value_or(0) >= m.version) continue;
    if (now.value_or(0) != m.version - 1)
      return failf("store", "{}: schema version {} cannot take migration {} ({})", db.path(),
                   now.value_or(0), m.version, m.name);
    auto st = db.exec(m.sql);
    if (!st) return failf("store", "migration {} ({}) failed: {}", m.version, m.name, st.error().message);
    IPVM_TRY_STATUS(db.exec(fmt::format("PRAGMA user_version = {}", m.version)));
    IPVM_TRY_STATUS(txn.commit());
  }
  return {};
}

}  // namespace ipvm::store
