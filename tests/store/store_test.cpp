// The SQLite block store: operations, schema versioning, transactions, threads, and kill -9.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "ipld/cid.h"
#include "ipld/multihash.h"
#include "store/blocks.h"
#include "store/schema.h"
#include "store/store.h"

namespace ipvm::store {
namespace {

using ipld::Cid;

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/ipvm-store-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string db() const { return path + "/store.sqlite"; }
};

Bytes block_bytes(int i) { return to_bytes(fmt::format("block number {} {}", i, std::string(i % 97, 'x'))); }
Cid block_cid(int i, uint64_t codec = ipld::codec::kRaw) { return *Cid::of(codec, block_bytes(i)); }

std::unique_ptr<Store> open_ok(const std::string& path) {
  auto s = Store::open(path);
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  return s ? std::move(*s) : nullptr;
}

TEST(Store, PutGetHasRemove) {
  TempDir dir;
  auto store = open_ok(dir.db());
  Cid cid = block_cid(1);
  EXPECT_FALSE(*store->has(cid));
  auto missing = store->get(cid);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, "store.not_found");

  EXPECT_TRUE(*store->put(cid, block_bytes(1)));
  EXPECT_FALSE(*store->put(cid, block_bytes(1)));  // already there
  EXPECT_TRUE(*store->has(cid));
  EXPECT_EQ(*store->get(cid), block_bytes(1));

  EXPECT_TRUE(*store->remove(cid));
  EXPECT_FALSE(*store->remove(cid));
  EXPECT_FALSE(*store->has(cid));
}

TEST(Store, PutVerifiesTheHash) {
  TempDir dir;
  auto store = open_ok(dir.db());
  auto r = store->put(block_cid(1), block_bytes(2));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("does not match"), std::string::npos) << r.error().message;
  EXPECT_FALSE(*store->has(block_cid(1)));
  EXPECT_FALSE(store->put(Cid(), block_bytes(1)));
}

TEST(Store, PutHashedStoresWithoutRehashing) {
  TempDir dir;
  auto store = open_ok(dir.db());
  bool added = false, again = true;
  ASSERT_TRUE(store->write([&](sqlite::Db& db) -> Status {
    IPVM_TRY(added, blocks::put_hashed(db, block_cid(3), block_bytes(3)));
    IPVM_TRY(again, blocks::put_hashed(db, block_cid(3), block_bytes(3)));
    return {};
  }));
  EXPECT_TRUE(added);
  EXPECT_FALSE(again);
  EXPECT_EQ(*store->get(block_cid(3)), block_bytes(3));
  ASSERT_FALSE(store->write([](sqlite::Db& db) -> Status {
    IPVM_TRY_STATUS(blocks::put_hashed(db, Cid(), block_bytes(1)));  // an empty CID is still refused
    return {};
  }));
}

TEST(Store, AnyCodecAndHash) {
  TempDir dir;
  auto store = open_ok(dir.db());
  Bytes data = block_bytes(5);
  for (uint64_t codec : {ipld::codec::kDagPb, ipld::codec::kDagCbor, uint64_t(0x300001)}) {
    for (uint64_t hash : {ipld::hash::kSha2_256, ipld::hash::kSha3_512, ipld::hash::kBlake2b256}) {
      auto cid = Cid::of(codec, data, hash);
      ASSERT_TRUE(cid);
      ASSERT_TRUE(store->put(*cid, data)) << cid->to_string();
      EXPECT_EQ(*store->get(*cid), data);
    }
  }
  // Same bytes under a different codec is a different CID, stored separately.
  EXPECT_FALSE(*store->has(*Cid::of(ipld::codec::kRaw, data)));
  Bytes empty;
  auto e = Cid::of(ipld::codec::kRaw, empty);
  ASSERT_TRUE(store->put(*e, empty));
  EXPECT_EQ(*store->get(*e), empty);
}

TEST(Store, IdentityCidsAreInline) {
  TempDir dir;
  auto store = open_ok(dir.db());
  auto cid = Cid::of(ipld::codec::kRaw, as_bytes("tiny"), ipld::hash::kIdentity);
  ASSERT_TRUE(cid);
  EXPECT_TRUE(*store->has(*cid));
  EXPECT_EQ(*store->get(*cid), to_bytes("tiny"));
  EXPECT_TRUE(store->put(*cid, to_bytes("tiny")));
  EXPECT_FALSE(store->put(*cid, to_bytes("tinY")));
}

TEST(Store, PersistsAcrossReopen) {
  TempDir dir;
  {
    auto store = open_ok(dir.db());
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(store->put(block_cid(i), block_bytes(i)));
  }
  auto store = open_ok(dir.db());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(*store->get(block_cid(i)), block_bytes(i));
}

TEST(Store, SchemaIsVersionedAndPragmasSet) {
  TempDir dir;
  auto store = open_ok(dir.db());
  int64_t version = 0;
  std::string journal;
  ASSERT_TRUE(store->read([&](sqlite::Db& db) -> Status {
    IPVM_TRY(auto v, db.query_int("PRAGMA user_version"));
    version = v.value_or(-1);
    IPVM_TRY(auto s, db.cached("PRAGMA journal_mode"));
    IPVM_TRY(bool row, s->step());
    if (row) journal = std::string(s->column_text(0));
    return {};
  }));
  EXPECT_EQ(version, schema_version());
  EXPECT_GE(schema_version(), 1);
  EXPECT_EQ(journal, "wal");
  // Reopening an up-to-date store runs no migration and succeeds.
  store.reset();
  EXPECT_TRUE(Store::open(dir.db()));
}

int64_t page_size(Store& store) {
  int64_t size = 0;
  EXPECT_TRUE(store.read([&](sqlite::Db& db) -> Status {
    IPVM_TRY(auto v, db.query_int("PRAGMA page_size"));
    size = v.value_or(-1);
    return {};
  }));
  return size;
}

TEST(Store, NewStoresUseTheConfiguredPageSizeOldOnesKeepTheirs) {
  TempDir dir;
  {
    auto store = open_ok(dir.db());
    EXPECT_EQ(page_size(*store), StoreOptions{}.new_page_size);
  }
  // A store made with SQLite's default page size (an older ipvm) opens, keeps it, and works.
  TempDir old;
  {
    auto db = sqlite::Db::open(old.db(), sqlite::Db::Mode::kReadWriteCreate);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x)"));
  }
  auto store = open_ok(old.db());
  ASSERT_TRUE(store);
  EXPECT_EQ(page_size(*store), 4096);
  ASSERT_TRUE(store->put(block_cid(3), block_bytes(3)));
  store.reset();
  store = open_ok(old.db());
  EXPECT_EQ(*store->get(block_cid(3)), block_bytes(3));
  EXPECT_EQ(page_size(*store), 4096);
}

// A database as a binary that knew only migrations up to `version` left it.
void make_old_store(const std::string& path, int version) {
  auto db = sqlite::Db::open(path, sqlite::Db::Mode::kReadWriteCreate);
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->exec("PRAGMA journal_mode = WAL"));
  for (const Migration& m : migrations())
    if (m.version <= version) {
      ASSERT_TRUE((*db)->exec(m.sql)) << m.name;
    }
  ASSERT_TRUE((*db)->exec(fmt::format("PRAGMA user_version = {}", version)));
}

TEST(Store, UpgradesAnOlderSchema) {
  // A store written by a binary that only knew version 1 gets the later tables on open,
  // and keeps its blocks.
  TempDir dir;
  make_old_store(dir.db(), 1);
  {
    auto db = sqlite::Db::open(dir.db(), sqlite::Db::Mode::kReadWrite);
    ASSERT_TRUE(db);
    ASSERT_TRUE(blocks::put(**db, block_cid(7), block_bytes(7)));
  }
  auto store = open_ok(dir.db());
  int64_t version = 0, memo_table = 0;
  ASSERT_TRUE(store->read([&](sqlite::Db& db) -> Status {
    IPVM_TRY(auto v, db.query_int("PRAGMA user_version"));
    version = v.value_or(-1);
    IPVM_TRY(auto t, db.query_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'task_memo'"));
    memo_table = t.value_or(0);
    return {};
  }));
  EXPECT_EQ(version, schema_version());
  EXPECT_EQ(memo_table, 1);
  EXPECT_EQ(*store->get(block_cid(7)), block_bytes(7));
  EXPECT_TRUE(store->put(block_cid(8), block_bytes(8)));
}

TEST(Store, RefusesANewerSchema) {
  TempDir dir;
  {
    auto store = open_ok(dir.db());
    ASSERT_TRUE(store->write([](sqlite::Db& db) { return db.exec("PRAGMA user_version = 999"); }));
  }
  auto again = Store::open(dir.db());
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("schema version 999"), std::string::npos) << again.error().message;
}

TEST(Store, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  FILE* f = fopen(dir.db().c_str(), "w");
  fputs("this is not sqlite, just text that is long enough to look like a header page....", f);
  fclose(f);
  auto s = Store::open(dir.db());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, "store");
}

TEST(Store, FailedWriteRollsBack) {
  TempDir dir;
  auto store = open_ok(dir.db());
  auto st = store->write([](sqlite::Db& db) -> Status {
    IPVM_TRY_STATUS(blocks::put(db, block_cid(1), block_bytes(1)));
    IPVM_TRY_STATUS(blocks::put(db, block_cid(2), block_bytes(2)));
    return fail("test", "changed my mind");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, "test");
  EXPECT_FALSE(*store->has(block_cid(1)));
  EXPECT_FALSE(*store->has(block_cid(2)));
  // The writer is usable afterwards.
  EXPECT_TRUE(store->put(block_cid(3), block_bytes(3)));
}

TEST(Store, OneWriterManyReaders) {
  TempDir dir;
  auto store = open_ok(dir.db());
  constexpr int kBlocks = 400;
  std::atomic<int> written{0};
  std::atomic<bool> bad{false};
  std::atomic<int> hits{0};
  std::thread writer([&] {
    for (int i = 0; i < kBlocks; ++i) {
      if (!store->put(block_cid(i), block_bytes(i))) bad = true;
      written = i + 1;
    }
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      while (written < kBlocks) {
        int upto = written;
        for (int i = t; i < upto; i += 4) {
          auto got = store->get(block_cid(i));
          if (!got || *got != block_bytes(i)) bad = true;
          else ++hits;
        }
        auto future = store->has(block_cid(kBlocks + t));
        if (!future || *future) bad = true;
      }
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  EXPECT_FALSE(bad);
  for (int i = 0; i < kBlocks; ++i) EXPECT_TRUE(*store->has(block_cid(i)));
}

TEST(Store, TwoStoresOnOneFile) {
  // Two handles stand in for two processes: both write, each sees the other's blocks.
  TempDir dir;
  auto a = open_ok(dir.db());
  auto b = open_ok(dir.db());
  std::thread ta([&] {
    for (int i = 0; i < 100; i += 2) EXPECT_TRUE(a->put(block_cid(i), block_bytes(i)));
  });
  std::thread tb([&] {
    for (int i = 1; i < 100; i += 2) EXPECT_TRUE(b->put(block_cid(i), block_bytes(i)));
  });
  ta.join();
  tb.join();
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(*a->has(block_cid(i)));
    EXPECT_TRUE(*b->has(block_cid(i)));
  }
}

TEST(Store, KilledMidWriteLeavesWholeTransactions) {
  TempDir dir;
  { open_ok(dir.db()); }
  constexpr int kBatch = 10;
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto s = Store::open(dir.db());
    if (!s) ::_exit(2);
    for (int batch = 0;; ++batch) {
      auto st = (*s)->write([&](sqlite::Db& db) -> Status {
        for (int i = batch * kBatch; i < (batch + 1) * kBatch; ++i)
          IPVM_TRY_STATUS(blocks::put(db, block_cid(i), block_bytes(i)));
        return {};
      });
      if (!st) ::_exit(3);
    }
  }
  // Let it write for a while, then kill it without warning.
  for (int tries = 0; tries < 1000; ++tries) {
    ::usleep(10000);
    auto s = Store::open(dir.db());
    ASSERT_TRUE(s);
    if (*(*s)->has(block_cid(5 * kBatch))) break;
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);

  auto store = open_ok(dir.db());
  std::string integrity;
  uint64_t n = 0;
  ASSERT_TRUE(store->read([&](sqlite::Db& db) -> Status {
    IPVM_TRY(auto s, db.cached("PRAGMA integrity_check"));
    IPVM_TRY(bool row, s->step());
    if (row) integrity = std::string(s->column_text(0));
    return {};
  }));
  ASSERT_TRUE(store->read([&](sqlite::Db& db) -> Status {
    IPVM_TRY(n, blocks::count(db));
    return {};
  }));
  EXPECT_EQ(integrity, "ok");
  EXPECT_GE(n, uint64_t(5 * kBatch));
  EXPECT_EQ(n % kBatch, 0u) << "a transaction was torn";
  for (uint64_t i = 0; i < n; ++i) EXPECT_EQ(*store->get(block_cid(static_cast<int>(i))), block_bytes(static_cast<int>(i)));
  // And it still takes writes.
  EXPECT_TRUE(store->put(block_cid(1000000), block_bytes(1000000)));
}

}  // namespace
}  // namespace ipvm::store
