#include "ucan/keystore.h"

#include <cstdlib>
#include <filesystem>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "base/file.h"
#include "ucan/revocation.h"

namespace ipvm::ucan {
namespace {

struct TempHome {
  std::string path;
  TempHome() {
    char tmpl[] = "/tmp/ipvm-ucan-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempHome() { std::filesystem::remove_all(path); }
};

TEST(KeyStore, InitCreatesA0600KeyAndNeverOverwritesIt) {
  TempHome home;
  EXPECT_EQ(load_node_key(home.path).error().kind, "key");
  auto first = init_node_key(home.path);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->created);
  struct stat st;
  ASSERT_EQ(::stat(node_key_path(home.path).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = init_node_key(home.path);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->signer.did(), first->signer.did());
  auto loaded = load_node_key(home.path);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->did(), first->signer.did());
}

TEST(KeyStore, CorruptKeyFilesAreReported) {
  TempHome home;
  ASSERT_TRUE(write_file(node_key_path(home.path), as_bytes("not base64 !!")));
  EXPECT_EQ(load_node_key(home.path).error().kind, "key");
  ASSERT_TRUE(write_file(node_key_path(home.path), as_bytes("AAAA")));
  EXPECT_EQ(load_node_key(home.path).error().kind, "key");
}

TEST(Revocation, PersistsAcrossReopen) {
  TempHome home;
  auto cid = *ipld::Cid::parse("bafyreigyftnzjf4rcu7glp5kfop53vqlopc3zcldauoqdxqlz7t4343gr4");
  {
    auto f = RevocationFile::open(revocation_path(home.path));
    ASSERT_TRUE(f);
    EXPECT_FALSE((*f)->is_revoked(cid));
    ASSERT_TRUE((*f)->revoke(cid));
    ASSERT_TRUE((*f)->revoke(cid));  // idempotent
    EXPECT_TRUE((*f)->is_revoked(cid));
  }
  auto g = RevocationFile::open(revocation_path(home.path));
  ASSERT_TRUE(g);
  EXPECT_TRUE((*g)->is_revoked(cid));
  EXPECT_EQ((*g)->size(), 1u);
  ASSERT_TRUE(write_file(revocation_path(home.path), as_bytes("# comment\n\nnot-a-cid\n")));
  auto bad = RevocationFile::open(revocation_path(home.path));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("line 3"), std::string::npos);
}

}  // namespace
}  // namespace ipvm::ucan
