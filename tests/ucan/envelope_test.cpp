#include "ucan/envelope.h"

#include <gtest/gtest.h>

#include "ipld/dag_cbor.h"
#include "ucan/delegation.h"
#include "ucan/invocation.h"
#include "ucan_test_util.h"

namespace ipvm::ucan {
namespace {

struct DelegationFixture {
  ipld::Value fx;
  const ipld::Value* c = nullptr;
  Bytes token;
  DelegationFixture() {
    fx = test::load_fixture("delegation.json");
    c = fx.find("valid")->at(0);
    token = test::b64(c->find("token")->as_string());
  }
  Ed25519Signer principal(const char* name) {
    return *Ed25519Signer::from_multikey(test::b64(fx.find("principals")->find(name)->as_string()));
  }
};

TEST(DelegationFixture, DecodesRoundTripsAndHasTheListedCid) {
  DelegationFixture f;
  auto d = decode_delegation(f.token);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->cid().to_string(), f.c->find("cid")->as_string());
  EXPECT_EQ(ipld::dag_cbor_encode(*ipld::dag_cbor_decode(f.token)), f.token);
  const ipld::Value& env = *f.c->find("envelope");
  const ipld::Value& p = *env.find("payload");
  EXPECT_EQ(d->iss, p.find("iss")->as_string());
  EXPECT_EQ(d->aud, p.find("aud")->as_string());
  EXPECT_EQ(*d->sub, p.find("sub")->as_string());
  EXPECT_EQ(d->cmd, p.find("cmd")->as_string());
  EXPECT_EQ(*d->exp, *p.find("exp")->to_int64());
  EXPECT_FALSE(d->nbf);
  EXPECT_EQ(d->nonce, test::b64(p.find("nonce")->as_string()));
  EXPECT_EQ(d->envelope.signature, test::b64(env.find("signature")->as_string()));
  EXPECT_EQ(d->envelope.tag, "ucan/dlg@1.0.0");
  EXPECT_EQ(d->envelope.header, (Bytes{0x34, 0x01, 0xed, 0x01, 0xed, 0x01, 0x13, 0x71}));
  EXPECT_TRUE(verify_envelope(d->envelope));
}

TEST(DelegationFixture, ReSigningTheSamePayloadGivesTheSameBytes) {
  // Ed25519 is deterministic, so our encoder and signer must reproduce the token exactly.
  DelegationFixture f;
  const ipld::Value& p = *f.c->find("envelope")->find("payload");
  Ed25519Signer bob = f.principal("bob");
  DelegationParams params;
  params.aud = p.find("aud")->as_string();
  params.sub = p.find("sub")->as_string();
  params.cmd = p.find("cmd")->as_string();
  params.exp = *p.find("exp")->to_int64();
  params.nonce = test::b64(p.find("nonce")->as_string());
  auto env = sign_delegation(bob, params);
  ASSERT_TRUE(env) << env.error().message;
  EXPECT_EQ(env->bytes, f.token);
  EXPECT_EQ(env->cid.to_string(), f.c->find("cid")->as_string());
}

TEST(Envelope, TamperedTokensFailTheirSignature) {
  DelegationFixture f;
  // Flip one byte of the payload (inside the "cmd" string "/account" -> "/bccount").
  Bytes t = f.token;
  std::string_view text = as_string_view(t);
  size_t at = text.find("/account");
  ASSERT_NE(at, std::string_view::npos);
  t[at + 1] = 'b';
  auto d = decode_delegation(t);
  ASSERT_TRUE(d);
  auto ok = verify_envelope(d->envelope);
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().kind, "InvalidSignature");
  // Flip a signature byte.
  Bytes s = f.token;
  s[5] ^= 0x80;
  auto d2 = decode_delegation(s);
  ASSERT_TRUE(d2);
  EXPECT_FALSE(verify_envelope(d2->envelope));
}

TEST(Envelope, SwappedSignaturesFail) {
  auto alice = test::signer_from_seed_byte(1), bob = test::signer_from_seed_byte(2);
  DelegationParams p;
  p.aud = bob.did();
  p.sub = alice.did();
  p.cmd = "/msg";
  auto a = *sign_delegation(alice, p);
  p.cmd = "/msg/send";
  auto b = *sign_delegation(alice, p);
  // b's payload with a's signature.
  Bytes forged = ipld::dag_cbor_encode(ipld::Value::list(
      {ipld::Value::bytes(a.signature), ipld::dag_cbor_decode(b.bytes)->as_list()[1]}));
  auto d = decode_delegation(forged);
  ASSERT_TRUE(d);
  EXPECT_EQ(verify_envelope(d->envelope).error().kind, "InvalidSignature");
  // A payload claiming alice as issuer but signed by bob.
  ipld::Map m;
  for (const auto& kv : a.payload.as_map()) m.push_back(kv);
  auto by_bob = sign_envelope(bob, kDelegationTag, ipld::Value::map(m));
  ASSERT_TRUE(by_bob);
  EXPECT_EQ(verify_envelope(*by_bob).error().kind, "InvalidSignature");
}

TEST(Envelope, RejectsMalformedAndOversizedInput) {
  auto bad = [](const Bytes& b) {
    auto e = decode_envelope(b);
    EXPECT_FALSE(e);
    return e ? std::string() : e.error().kind;
  };
  EXPECT_EQ(bad({}), "envelope");
  EXPECT_EQ(bad({0x82}), "envelope");
  EXPECT_EQ(bad(ipld::dag_cbor_encode(ipld::Value::list({}))), "envelope");
  auto sig = ipld::Value::bytes(Bytes(64));
  auto h = ipld::Value::bytes(varsig_header(SigAlg::kEd25519));
  auto env = [&](ipld::Map m) {
    return ipld::dag_cbor_encode(ipld::Value::list({sig, ipld::Value::map(std::move(m))}));
  };
  auto payload = ipld::Value::map({{"iss", ipld::Value::string("did:key:x")}});
  EXPECT_TRUE(decode_envelope(env({{"h", h}, {"ucan/dlg@1.0.0", payload}})));
  bad(env({{"h", h}}));                                                    // no tag
  bad(env({{"h", h}, {"ucan/dlg@1.0.0", payload}, {"ucan/inv@1.0.0", payload}}));  // two tags
  bad(env({{"h", h}, {"nonsense", payload}}));                             // malformed tag
  bad(env({{"h", h}, {"ucan/dlg@1.0.0", ipld::Value::list({})}}));         // payload not a map
  bad(env({{"h", ipld::Value::string("x")}, {"ucan/dlg@1.0.0", payload}}));  // header not bytes
  bad(env({{"h", ipld::Value::bytes({0x34, 0x01, 0xec, 0x01})}, {"ucan/dlg@1.0.0", payload}}));  // ECDSA
  bad(env({{"h", ipld::Value::bytes({0x34, 0x01, 0xed, 0x01, 0xed, 0x01, 0x13, 0x81, 0x02})}, {"ucan/dlg@1.0.0", payload}}));
  // Oversized: refused before decoding.
  Bytes big(kMaxEnvelopeSize + 1, 0);
  EXPECT_EQ(bad(big), "envelope");
  // Trailing bytes after the envelope are refused by the strict decoder.
  Bytes good = env({{"h", h}, {"ucan/dlg@1.0.0", payload}});
  Bytes trailing = good;
  trailing.push_back(0);
  bad(trailing);
}

TEST(Varsig, ParsesV1AndLegacyHeaders) {
  auto v1 = parse_varsig_header(varsig_header(SigAlg::kEd25519));
  ASSERT_TRUE(v1);
  EXPECT_FALSE(v1->legacy);
  auto legacy = parse_varsig_header(Bytes{0x34, 0xed, 0x01, 0x71});
  ASSERT_TRUE(legacy);
  EXPECT_TRUE(legacy->legacy);
  auto json = parse_varsig_header(Bytes{0x34, 0x01, 0xed, 0x01, 0xed, 0x01, 0x13, 0xa9, 0x02});
  ASSERT_FALSE(json);
  EXPECT_NE(json.error().message.find("DAG-JSON"), std::string::npos);
  EXPECT_FALSE(parse_varsig_header(Bytes{0x35, 0x01}));
  EXPECT_FALSE(parse_varsig_header(Bytes{0x34}));
  EXPECT_FALSE(parse_varsig_header(Bytes{0x34, 0x01, 0xed, 0x01, 0xed, 0x01, 0x12, 0x71}));  // sha2-256
}

TEST(Envelope, ReadsReleaseCandidateTagsAndPreV1Headers) {
  auto alice = test::signer_from_seed_byte(9);
  DelegationParams p;
  p.aud = alice.did();
  p.sub = alice.did();
  p.cmd = "/";
  auto v1 = *sign_delegation(alice, p);
  // The same payload under the rc.1 tag with the pre-v1 header 34 ed01 71, signed by hand.
  ipld::Map sp{{"h", ipld::Value::bytes({0x34, 0xed, 0x01, 0x71})}, {"ucan/dlg@1.0.0-rc.1", v1.payload}};
  Bytes signed_bytes = ipld::dag_cbor_encode(ipld::Value::map(sp));
  Bytes token = ipld::dag_cbor_encode(ipld::Value::list(
      {ipld::Value::bytes(alice.sign(signed_bytes)), ipld::Value::map(sp)}));
  auto d = decode_delegation(token);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->envelope.version, "1.0.0-rc.1");
  EXPECT_TRUE(d->envelope.varsig.legacy);
  EXPECT_TRUE(verify_envelope(d->envelope));
  // Unknown versions and other token types are refused by the payload layer.
  ipld::Map sp2{{"h", ipld::Value::bytes(v1.header)}, {"ucan/dlg@2.0.0", v1.payload}};
  Bytes t2 = ipld::dag_cbor_encode(ipld::Value::list({ipld::Value::bytes(Bytes(64)), ipld::Value::map(sp2)}));
  auto d2 = decode_delegation(t2);
  ASSERT_FALSE(d2);
  EXPECT_EQ(d2.error().kind, "InvalidClaim");
  auto receipt = sign_envelope(alice, "ucan/rct@1.0.0", ipld::Value::map({{"iss", ipld::Value::string(alice.did())}}));
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->spec, "rct");
  EXPECT_TRUE(verify_envelope(*receipt));
  EXPECT_FALSE(decode_delegation(receipt->bytes));
  EXPECT_FALSE(decode_invocation(receipt->bytes));
}

TEST(Invocation, TaskIdIsTheCidOfSubCmdArgsNonce) {
  auto alice = test::signer_from_seed_byte(3);
  InvocationParams p;
  p.sub = alice.did();
  p.cmd = "/wasm/run";
  p.args = ipld::Value::map({{"x", ipld::Value::integer(1)}});
  p.nonce = Bytes{};
  auto a = decode_invocation(sign_invocation(alice, p)->bytes);
  p.iat = 5;  // not part of the task
  auto b = decode_invocation(sign_invocation(alice, p)->bytes);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->cid(), b->cid());
  EXPECT_EQ(task_id(*a), task_id(*b));
  ipld::Map m{{"sub", ipld::Value::string(p.sub)}, {"cmd", ipld::Value::string(p.cmd)}, {"args", p.args},
              {"nonce", ipld::Value::bytes({})}};
  EXPECT_EQ(task_id(*a), *ipld::Cid::of(ipld::codec::kDagCbor, ipld::dag_cbor_encode(ipld::Value::map(m))));
  p.nonce = Bytes{1};
  auto c = decode_invocation(sign_invocation(alice, p)->bytes);
  EXPECT_NE(task_id(*a), task_id(*c));
}

}  // namespace
}  // namespace ipvm::ucan
