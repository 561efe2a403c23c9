#include "ucan/did_key.h"

#include <gtest/gtest.h>

#include "ucan/signer.h"
#include "ucan_test_util.h"

namespace ipvm::ucan {
namespace {

TEST(DidKey, FixturePrincipalsMatchTheDidsInTheirTokens) {
  // The delegation fixture is bob -> carol, with sub bob.
  ipld::Value fx = test::load_fixture("delegation.json");
  const ipld::Value* principals = fx.find("principals");
  ASSERT_NE(principals, nullptr);
  auto bob = Ed25519Signer::from_multikey(test::b64(principals->find("bob")->as_string()));
  auto carol = Ed25519Signer::from_multikey(test::b64(principals->find("carol")->as_string()));
  ASSERT_TRUE(bob && carol);
  const ipld::Value& payload = *fx.find("valid")->at(0)->find("envelope")->find("payload");
  EXPECT_EQ(bob->did(), payload.find("iss")->as_string());
  EXPECT_EQ(carol->did(), payload.find("aud")->as_string());
}

TEST(DidKey, RoundTripsAnEd25519Key) {
  auto s = test::signer_from_seed_byte(7);
  EXPECT_EQ(s.did().substr(0, 12), "did:key:z6Mk");
  auto pk = parse_did_key(s.did());
  ASSERT_TRUE(pk) << pk.error().message;
  EXPECT_EQ(pk->type, KeyType::kEd25519);
  EXPECT_EQ(Bytes(s.public_key().begin(), s.public_key().end()), pk->bytes);
  EXPECT_EQ(ed25519_did(pk->bytes), s.did());
  // A fragment names a key, it does not change the principal.
  auto frag = parse_did_key(s.did() + "#" + s.did().substr(8));
  ASSERT_TRUE(frag);
  EXPECT_EQ(frag->bytes, pk->bytes);
  EXPECT_EQ(did_without_fragment(s.did() + "#x"), s.did());
}

TEST(DidKey, RefusesOtherMethodsAndKeyTypesClearly) {
  auto web = parse_did_key("did:web:example.com");
  ASSERT_FALSE(web);
  EXPECT_NE(web.error().message.find("did:web"), std::string::npos);
  // A P-256 did:key (multicodec 0x1200).
  auto p256 = parse_did_key("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169");
  ASSERT_FALSE(p256);
  EXPECT_NE(p256.error().message.find("P-256"), std::string::npos) << p256.error().message;
  // secp256k1 (0xe7).
  auto k1 = parse_did_key("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme");
  ASSERT_FALSE(k1);
  EXPECT_NE(k1.error().message.find("secp256k1"), std::string::npos) << k1.error().message;
  EXPECT_FALSE(parse_did_key("did:key:6Mkabc"));   // not base58btc
  EXPECT_FALSE(parse_did_key("did:key:z6Mk"));     // too short
  EXPECT_FALSE(parse_did_key("did:key:z0OIl"));    // not base58 alphabet
  EXPECT_FALSE(parse_did_key("not a did"));
  EXPECT_FALSE(parse_did_key(""));
}

TEST(Signer, SignaturesAreDeterministicAndVerify) {
  auto s = test::signer_from_seed_byte(1);
  Bytes msg = to_bytes("hello");
  Bytes a = s.sign(msg), b = s.sign(msg);
  EXPECT_EQ(a, b);
  auto pk = *parse_did_key(s.did());
  EXPECT_TRUE(verify_signature(pk, Varsig{}, msg, a));
  a[0] ^= 1;
  auto bad = verify_signature(pk, Varsig{}, msg, a);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, "InvalidSignature");
  EXPECT_FALSE(verify_signature(pk, Varsig{}, msg, Bytes(3)));
  auto mk = s.to_multikey();
  auto again = Ed25519Signer::from_multikey(mk);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->did(), s.did());
  EXPECT_FALSE(Ed25519Signer::from_seed(Bytes(31)));
  EXPECT_FALSE(Ed25519Signer::from_multikey(Bytes{0x80}));
}

}  // namespace
}  // namespace ipvm::ucan
