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
  Status put(const Cid& inv, const Cid& rct, std::optional<Cid> memo) {
    return store_->write([&](sqlite::Db& db) { return receipts::put(db, inv, rct, memo, 1); });
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
