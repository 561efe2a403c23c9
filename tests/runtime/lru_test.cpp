// The runtime's LRU cache: bounded, least recently used evicted first, a find refreshes an entry.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "runtime/lru.h"

namespace ipvm::runtime {
namespace {

std::shared_ptr<const std::string> s(std::string v) { return std::make_shared<const std::string>(std::move(v)); }

TEST(LruCache, EvictsTheLeastRecentlyUsed) {
  LruCache<int, std::string> c(3);
  c.insert(1, s("a"));
  c.insert(2, s("b"));
  c.insert(3, s("c"));
  ASSERT_TRUE(c.find(1));  // 1 is now the most recent; 2 the least
  c.insert(4, s("d"));
  EXPECT_EQ(c.size(), 3u);
  EXPECT_FALSE(c.find(2));
  EXPECT_EQ(*c.find(1), "a");
  EXPECT_EQ(*c.find(3), "c");
  EXPECT_EQ(*c.find(4), "d");
  c.insert(5, s("e"));  // order now 5 4 3 1: 1 goes
  EXPECT_FALSE(c.find(1));
  EXPECT_EQ(c.size(), 3u);
}

TEST(LruCache, InsertKeepsTheFirstValueAndEraseForgets) {
  LruCache<int, std::string> c(2);
  EXPECT_EQ(*c.insert(1, s("first")), "first");
  EXPECT_EQ(*c.insert(1, s("second")), "first");
  EXPECT_EQ(*c.find(1), "first");
  c.erase(1);
  EXPECT_FALSE(c.find(1));
  EXPECT_EQ(c.size(), 0u);
  c.erase(42);  // absent: nothing happens
  EXPECT_EQ(*c.insert(1, s("again")), "again");
  c.insert(2, s("two"));
  c.erase(1);  // the tail
  c.insert(3, s("three"));
  c.insert(4, s("four"));  // evicts 2
  EXPECT_FALSE(c.find(2));
  EXPECT_TRUE(c.find(3));
  EXPECT_TRUE(c.find(4));
}

TEST(LruCache, CapacityOneAndManyEntries) {
  LruCache<std::string, std::string> one(1);
  one.insert("a", s("1"));
  one.insert("b", s("2"));
  EXPECT_FALSE(one.find("a"));
  EXPECT_EQ(*one.find("b"), "2");
  LruCache<int, std::string> big(1000);
  for (int i = 0; i < 5000; ++i) big.insert(i, s(std::to_string(i)));  // rehashes along the way
  EXPECT_EQ(big.size(), 1000u);
  for (int i = 0; i < 4000; ++i) EXPECT_FALSE(big.find(i)) << i;
  for (int i = 4000; i < 5000; ++i) EXPECT_EQ(*big.find(i), std::to_string(i));
}

TEST(LruCache, SharedBetweenThreads) {
  LruCache<int, std::string> c(64);
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&c, t] {
      for (int i = 0; i < 2000; ++i) {
        c.insert((i * 7 + t) % 100, s("v"));
        (void)c.find(i % 100);
        if (i % 13 == 0) c.erase(i % 100);
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_LE(c.size(), 64u);
}

}  // namespace
}  // namespace ipvm::runtime
