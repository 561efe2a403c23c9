// The store's schema, versioned with `PRAGMA user_version`.
//
// Migrations form one ordered list; migration N takes a database from user_version N-1 to N inside
// a single write transaction, so a crash leaves either the old or the new schema. A database newer
// than this binary is refused rather than guessed at.
//
// To add tables (receipts, task index, workflow journal, ...): define the migration's SQL in the
// file that owns those tables (e.g. store/receipts_schema.cpp exporting
// `extern const Migration kReceiptsMigration`), then append it to the list in schema.cpp with the
// next version number. Never edit a migration that has shipped; add a new one.
#pragma once

#include <span>
#include <string_view>

#include "base/error.h"
#include "store/sqlite.h"

namespace ipvm::store {

struct Migration {
  int version;             // the user_version after this migration
  std::string_view name;   // for error messages
  std::string_view sql;    // one or more statements
};

// Version 1: the blocks table.
extern const Migration kBlocksMigration;

// All migrations in order (versions 1, 2, 3, ... with no gaps).
std::span<const Migration> migrations();
int schema_version();  // the newest version this binary knows

// Brings `db` up to schema_version(). Fails if the file is newer or a migration fails.
Status migrate(sqlite::Db& db);

}  // namespace ipvm::store
