// The task index (store/receipt_store.h): receipts by invocation and by memo key, first answer
// kept, and the one-statement "already answered?" check the executor makes for each new task.
#include <gtest/gtest.h>

#include <filesystem>

#include "ipld/cid.h"
#include "store/receipt_store.h"
#include "store/store.h"

namespace ipvm::store {
namespace {

using ipld::Cid;

Cid cid_of(std::string_view s) { return *Cid::of(ipld::codec::kDagCbor, to_bytes(std::string(s))); }

class ReceiptIndex : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ipvm-receipt-index-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    auto s = Store::open_home(dir_);
    ASSERT_TRUE(s) << s.error().to_string();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // The invocation's bytes only need to be some block's: the index does not hash them.
  Status put(const Cid& inv, const Cid& rct, std::optional<Cid> memo) {
    return store_->write([&](sqlite::Db& db) { return receipts::put(db, inv, to_bytes("inv"), rct, memo); });
  }
  bool answered(const Cid& inv, const Cid* memo) {
    bool out = false;
    EXPECT_TRUE(store_->read([&](sqlite::Db& db) -> Status {
      IPVM_TRY(out, receipts::answered(db, inv, memo));
      return {};
    }));
    return out;
  }
  std::optional<Cid> by_inv(const Cid& inv) {
    std::optional<Cid> out;
    EXPECT_TRUE(store_->read([&](sqlite::Db& db) -> Status {
      IPVM_TRY(out, receipts::by_invocation(db, inv));
      return {};
    }));
    return out;
  }
  std::optional<Cid> by_memo(const Cid& key) {
    std::optional<Cid> out;
    EXPECT_TRUE(store_->read([&](sqlite::Db& db) -> Status {
      IPVM_TRY(out, receipts::by_memo(db, key));
      return {};
    }));
    return out;
  }
  std::string dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ReceiptIndex, AnsweredByInvocationOrByMemoKey) {
  Cid inv = cid_of("inv"), rct = cid_of("rct"), key = cid_of("key");
  Cid other_inv = cid_of("other inv"), other_key = cid_of("other key");
  EXPECT_FALSE(answered(inv, nullptr));
  EXPECT_FALSE(answered(inv, &key));
  ASSERT_TRUE(put(inv, rct, key));
  EXPECT_TRUE(answered(inv, nullptr));
  EXPECT_TRUE(answered(inv, &other_key));
  EXPECT_TRUE(answered(other_inv, &key));  // a new invocation of an answered pure task
  EXPECT_FALSE(answered(other_inv, &other_key));
  EXPECT_FALSE(answered(other_inv, nullptr));
  EXPECT_EQ(by_inv(inv), rct);
  EXPECT_EQ(by_memo(key), rct);
  EXPECT_EQ(by_inv(other_inv), std::nullopt);
}

TEST_F(ReceiptIndex, AnInvocationKeepsItsFirstReceipt) {
  Cid inv = cid_of("inv"), first = cid_of("first"), second = cid_of("second"), key = cid_of("key");
  ASSERT_TRUE(put(inv, first, key));
  ASSERT_TRUE(put(inv, second, key));
  EXPECT_EQ(by_inv(inv), first);
  EXPECT_EQ(by_memo(key), first);
  uint64_t n = 0;
  ASSERT_TRUE(store_->read([&](sqlite::Db& db) -> Status {
    IPVM_TRY(n, receipts::count(db));
    return {};
  }));
  EXPECT_EQ(n, 1u);
}

TEST_F(ReceiptIndex, AnInvocationStoredUnansweredGetsItsAnswerLater) {
  Bytes bytes = to_bytes("an invocation first refused, then run");
  Cid inv = *Cid::of(ipld::codec::kDagCbor, bytes), rct = cid_of("rct");
  ASSERT_TRUE(store_->put(inv, bytes));
  EXPECT_FALSE(answered(inv, nullptr));
  EXPECT_EQ(by_inv(inv), std::nullopt);
  ASSERT_TRUE(store_->write([&](sqlite::Db& db) { return receipts::put(db, inv, bytes, rct, std::nullopt); }));
  EXPECT_TRUE(answered(inv, nullptr));
  EXPECT_EQ(by_inv(inv), rct);
  EXPECT_EQ(*store_->get(inv), bytes);
  // Removing the invocation block forgets the answer.
  ASSERT_TRUE(store_->remove(inv));
  EXPECT_FALSE(answered(inv, nullptr));
}

TEST_F(ReceiptIndex, IndexSurvivesReopen) {
  Cid inv = cid_of("inv"), rct = cid_of("rct"), key = cid_of("key");
  ASSERT_TRUE(put(inv, rct, key));
  store_.reset();
  auto s = Store::open_home(dir_);
  ASSERT_TRUE(s);
  store_ = std::move(*s);
  EXPECT_TRUE(answered(inv, nullptr));
  EXPECT_EQ(by_memo(key), rct);
}

}  // namespace
}  // namespace ipvm::store

namespace ipvm::store {
namespace {

// A version-2 store (answers in their own table) keeps its answers through migration 3, which
// moves them into the invocation blocks' rows.
TEST(ReceiptIndexMigration, Version2AnswersSurvive) {
  char tmpl[] = "/tmp/ipvm-receipt-migration-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  std::string path = dir + "/store.sqlite";
  Bytes inv_bytes = to_bytes("an invocation envelope");
  Cid inv = *Cid::of(ipld::codec::kDagCbor, inv_bytes), rct = cid_of("rct"), key = cid_of("key");
  Cid orphan = cid_of("an invocation whose block was removed");
  {
    auto db = sqlite::Db::open(path, sqlite::Db::Mode::kReadWriteCreate);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->exec("PRAGMA journal_mode = WAL"));
    for (const Migration& m : migrations())
      if (m.version <= 2) {
        ASSERT_TRUE((*db)->exec(m.sql)) << m.name;
      }
    ASSERT_TRUE((*db)->exec("PRAGMA user_version = 2"));
    ASSERT_TRUE(blocks::put(**db, inv, inv_bytes));
    auto row = [&](std::string_view sql, const Cid& a, const Cid& b) -> Status {
      Bytes x = a.to_bytes(), y = b.to_bytes();
      IPVM_TRY(auto s, (*db)->cached(sql));
      IPVM_TRY_STATUS(s->bind(1, ByteView(x)));
      IPVM_TRY_STATUS(s->bind(2, ByteView(y)));
      return s->run();
    };
    ASSERT_TRUE(row("INSERT INTO task_receipts (invocation, receipt, created) VALUES (?1, ?2, 1)", inv, rct));
    ASSERT_TRUE(row("INSERT INTO task_receipts (invocation, receipt, created) VALUES (?1, ?2, 1)", orphan, rct));
    ASSERT_TRUE(row("INSERT INTO task_memo (memo_key, receipt) VALUES (?1, ?2)", key, rct));
  }
  {
    auto store = Store::open(path);
    ASSERT_TRUE(store) << store.error().to_string();
    std::optional<Cid> by_inv, by_key, by_orphan;
    uint64_t n = 0;
    ASSERT_TRUE((*store)->read([&](sqlite::Db& db) -> Status {
      IPVM_TRY(by_inv, receipts::by_invocation(db, inv));
      IPVM_TRY(by_orphan, receipts::by_invocation(db, orphan));
      IPVM_TRY(by_key, receipts::by_memo(db, key));
      IPVM_TRY(n, receipts::count(db));
      return {};
    }));
    EXPECT_EQ(by_inv, rct);
    EXPECT_EQ(by_key, rct);
    EXPECT_EQ(by_orphan, std::nullopt);  // no block to carry it
    EXPECT_EQ(n, 1u);
    EXPECT_EQ(*(*store)->get(inv), inv_bytes);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ipvm::store
