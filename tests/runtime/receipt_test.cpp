#include "runtime/receipt.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"

namespace ipvm::runtime {
namespace {

ucan::Ed25519Signer key() { return *ucan::Ed25519Signer::from_seed(Bytes(32, 3)); }

ipld::Cid some_cid(std::string_view s) { return *ipld::Cid::of(ipld::codec::kDagCbor, as_bytes(s)); }

TEST(Receipt, SignDecodeVerifyRoundTrip) {
  auto signer = key();
  ReceiptParams p;
  p.ran = some_cid("inv");
  p.out = ok_out(ipld::Value::integer(42));
  p.meta = ipld::Value::map({{"fuel", ipld::Value::integer(7)}});
  p.iat = 1700000000;
  auto r = sign_receipt(signer, p);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->envelope.tag, kReceiptTag);
  EXPECT_EQ(r->iss, signer.did());
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(r->fuel(), 7u);
  EXPECT_TRUE(verify_receipt_signature(*r));

  auto back = decode_receipt(r->envelope.bytes);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->cid(), r->cid());
  EXPECT_EQ(back->ran, p.ran);
  EXPECT_EQ(*back->ok_value(), ipld::Value::integer(42));
  EXPECT_EQ(back->iat, 1700000000);
  EXPECT_TRUE(back->fx.empty());
  EXPECT_EQ(ipld::dag_json_encode(back->envelope.payload),
            fmt::format(R"({{"fx":[],"iat":1700000000,"iss":"{}","meta":{{"fuel":7}},"out":{{"ok":42}},"prf":[],"ran":{{"/":"{}"}}}})",
                        signer.did(), p.ran.to_string()));
}

TEST(Receipt, ErrorOut) {
  ReceiptParams p;
  p.ran = some_cid("inv");
  p.out = error_out(errname::kTrap, "trap: unreachable");
  auto r = sign_receipt(key(), p);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->ok_value(), nullptr);
  EXPECT_EQ(r->error_name(), "Trap");
  EXPECT_EQ(r->error_message(), "trap: unreachable");
  EXPECT_EQ(ipld::dag_json_encode(r->out), R"({"error":{"message":"trap: unreachable","name":"Trap"}})");
}

TEST(Receipt, TamperedSignatureFails) {
  ReceiptParams p;
  p.ran = some_cid("inv");
  p.out = ok_out(ipld::Value());
  auto r = sign_receipt(key(), p);
  ASSERT_TRUE(r);
  Bytes bytes = r->envelope.bytes;
  bytes[10] ^= 1;  // inside the signature
  auto back = decode_receipt(bytes);
  ASSERT_TRUE(back);
  auto st = verify_receipt_signature(*back);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, "InvalidSignature");
}

TEST(Receipt, RejectsMalformedPayloads) {
  auto signer = key();
  auto payload = [&](ipld::Map extra_or_missing) { return ipld::Value::map(std::move(extra_or_missing)); };
  ipld::Value good_out = ok_out(ipld::Value::integer(1));
  ipld::Value ran = ipld::Value::link(some_cid("x"));
  struct Case {
    const char* what;
    ipld::Value p;
  } cases[] = {
      {"no ran", payload({{"iss", ipld::Value::string(signer.did())}, {"out", good_out}, {"fx", ipld::Value::list({})}})},
      {"bad out", payload({{"iss", ipld::Value::string(signer.did())}, {"ran", ran}, {"out", ipld::Value::integer(1)},
                           {"fx", ipld::Value::list({})}})},
      {"no fx", payload({{"iss", ipld::Value::string(signer.did())}, {"ran", ran}, {"out", good_out}})},
      {"bad iss", payload({{"iss", ipld::Value::string("alice")}, {"ran", ran}, {"out", good_out},
                           {"fx", ipld::Value::list({})}})},
  };
  for (auto& c : cases) {
    auto env = ucan::sign_envelope(signer, kReceiptTag, c.p);
    ASSERT_TRUE(env) << c.what;
    auto r = decode_receipt(env->bytes);
    EXPECT_FALSE(r) << c.what;
    if (!r) {
      EXPECT_EQ(r.error().kind, "receipt") << c.what;
    }
  }
  // An invocation is not a receipt.
  auto inv = ucan::sign_envelope(signer, "ucan/inv@1.0.0", payload({{"iss", ipld::Value::string(signer.did())}}));
  ASSERT_TRUE(inv);
  EXPECT_FALSE(decode_receipt(inv->bytes));
  EXPECT_FALSE(decode_receipt(as_bytes("junk")));
}

// sign_envelope builds the token from the bytes it writes instead of decoding them again: every
// field must equal what decoding those bytes gives.
TEST(Receipt, SignedEnvelopeEqualsItsDecoding) {
  auto signer = key();
  ReceiptParams p;
  p.ran = some_cid("inv");
  p.out = ok_out(ipld::Value::map({{"s", ipld::Value::string("h\xc3\xa9")}, {"f", ipld::Value::float64(0.5)},
                                   {"l", ipld::Value::list({ipld::Value::link(some_cid("x")), ipld::Value()})}}));
  p.meta = ipld::Value::map({{"fuel", ipld::Value::integer(7)}, {"stdout", ipld::Value::string("hi")}});
  p.iat = 1;
  auto r = sign_receipt(signer, p);
  ASSERT_TRUE(r) << r.error().to_string();
  auto e = ucan::decode_envelope(r->envelope.bytes);
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(e->cid, r->envelope.cid);
  EXPECT_EQ(e->signature, r->envelope.signature);
  EXPECT_EQ(e->header, r->envelope.header);
  EXPECT_EQ(e->tag, r->envelope.tag);
  EXPECT_EQ(e->spec, r->envelope.spec);
  EXPECT_EQ(e->version, r->envelope.version);
  EXPECT_EQ(e->signed_offset, r->envelope.signed_offset);
  EXPECT_EQ(e->payload, r->envelope.payload);
  EXPECT_EQ(e->varsig.alg, r->envelope.varsig.alg);
  EXPECT_TRUE(ucan::verify_envelope(*e));
}

// sign_receipt(ReceiptParams&&) fills the receipt from the values it was given, not from the
// payload: every field must equal what decoding the signed bytes gives.
TEST(Receipt, MovedParamsGiveTheDecodedFields) {
  auto signer = key();
  for (int variant = 0; variant < 3; ++variant) {
    ReceiptParams p;
    p.ran = some_cid("inv");
    p.out = variant == 1 ? error_out("Trap", "trap: unreachable") : ok_out(ipld::Value::integer(42));
    if (variant == 0) {
      p.fx = {some_cid("fx1"), some_cid("fx2")};
      p.prf = {some_cid("prf")};
      p.meta = ipld::Value::map({{"fuel", ipld::Value::integer(7)}, {"mod", ipld::Value::link(some_cid("m"))}});
      p.iat = 1234;
    }
    if (variant == 2) p.meta = ipld::Value();  // not a map: an empty one
    auto r = sign_receipt(signer, std::move(p));
    ASSERT_TRUE(r) << r.error().to_string();
    auto d = decode_receipt(r->envelope.bytes);
    ASSERT_TRUE(d) << d.error().to_string();
    EXPECT_EQ(r->iss, d->iss);
    EXPECT_EQ(r->ran, d->ran);
    EXPECT_EQ(r->out, d->out);
    EXPECT_EQ(r->fx, d->fx);
    EXPECT_EQ(r->meta, d->meta);
    EXPECT_EQ(r->iat, d->iat);
    EXPECT_EQ(r->prf, d->prf);
    EXPECT_EQ(r->cid(), d->cid());
    EXPECT_EQ(r->envelope.payload, d->envelope.payload);
    EXPECT_TRUE(verify_receipt_signature(*r));
  }
}

// What would not decode again is refused at signing, so no unreadable receipt is ever stored.
TEST(Receipt, RefusesPayloadsThatWouldNotDecode) {
  auto signer = key();
  ipld::Value nested = ipld::Value::integer(1);
  for (size_t i = 0; i < ipld::kMaxDepth; ++i) nested = ipld::Value::list({nested});
  const ipld::Value bad[] = {
      ipld::Value::float64(std::nan("")),
      ipld::Value::float64(-HUGE_VAL),
      ipld::Value::string("\xff"),
      ipld::Value::map_presorted({{"bb", ipld::Value()}, {"a", ipld::Value()}}),
      ipld::Value::map_presorted({{"a", ipld::Value()}, {"a", ipld::Value()}}),
      ipld::Value::link(ipld::Cid()),
      nested,
  };
  for (size_t i = 0; i < std::size(bad); ++i) {
    ReceiptParams p;
    p.ran = some_cid("inv");
    p.out = ok_out(bad[i]);
    auto r = sign_receipt(signer, p);
    EXPECT_FALSE(r) << "case " << i;
    if (!r) {
      EXPECT_EQ(r.error().kind, "envelope");
    }
  }
}

}  // namespace
}  // namespace ipvm::runtime
