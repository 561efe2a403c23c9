#include "ucan/validator.h"

#include <gtest/gtest.h>

#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"
#include "ucan_test_util.h"

namespace ipvm::ucan {
namespace {

Result<ValidatedInvocation> run(const Bytes& inv, const std::vector<Bytes>& proofs, int64_t now,
                                const RevocationList* revoked = nullptr, VerifiedCache* cache = nullptr) {
  ProofStore store;
  for (const Bytes& p : proofs) store.add(p);
  ValidationOptions o;
  o.now = now;
  o.revoked = revoked;
  o.cache = cache;
  return validate_invocation(inv, store.lookup(), o);
}

TEST(InvocationFixture, EveryCaseValidatesOrFailsWithTheListedError) {
  ipld::Value fx = test::load_fixture("invocation.json");
  int valid = 0, invalid = 0;
  for (std::string_view group : {"valid", "invalid"}) {
    for (const ipld::Value& c : fx.find(group)->as_list()) {
      std::string name = c.find("name")->as_string();
      Bytes inv = c.find("invocation")->as_bytes();
      std::vector<Bytes> proofs;
      for (const ipld::Value& p : c.find("proofs")->as_list()) proofs.push_back(p.as_bytes());
      int64_t now = *c.find("time")->to_int64();
      for (bool with_cache : {false, true}) {
        VerifiedCache cache;
        for (int round = 0; round < (with_cache ? 2 : 1); ++round) {
          auto r = run(inv, proofs, now, nullptr, with_cache ? &cache : nullptr);
          if (group == "valid") {
            EXPECT_TRUE(r) << name << ": " << (r ? "" : r.error().to_string());
          } else {
            std::string want = c.find("error")->find("name")->as_string();
            ASSERT_FALSE(r) << name << " validated but should fail with " << want;
            EXPECT_EQ(r.error().kind, want) << name << ": " << r.error().message;
            EXPECT_FALSE(r.error().message.empty());
          }
        }
      }
      (group == "valid" ? valid : invalid)++;
    }
  }
  EXPECT_EQ(valid, 7);
  EXPECT_EQ(invalid, 13);
}

// A small world: alice owns the resource, delegates to bob, who delegates to carol, who invokes.
struct World {
  Ed25519Signer alice = test::signer_from_seed_byte(0xa1);
  Ed25519Signer bob = test::signer_from_seed_byte(0xb0);
  Ed25519Signer carol = test::signer_from_seed_byte(0xc0);
  Ed25519Signer mallory = test::signer_from_seed_byte(0x66);
  int64_t now = 1'700'000'000;

  Envelope dlg(const Ed25519Signer& from, const std::string& to, std::optional<std::string> sub,
               std::string cmd = "/msg", std::string pol = "[]", std::optional<int64_t> exp = std::nullopt,
               std::optional<int64_t> nbf = std::nullopt) {
    DelegationParams p;
    p.aud = to;
    p.sub = std::move(sub);
    p.cmd = std::move(cmd);
    p.pol = *ipld::dag_json_decode(pol);
    p.exp = exp;
    p.nbf = nbf;
    auto e = sign_delegation(from, p);
    EXPECT_TRUE(e) << e.error().message;
    return *e;
  }
  Envelope inv(const Ed25519Signer& from, const std::string& sub, std::vector<ipld::Cid> prf,
               std::string cmd = "/msg/send", std::string args = "{}", std::optional<int64_t> exp = std::nullopt) {
    InvocationParams p;
    p.sub = sub;
    p.cmd = std::move(cmd);
    p.args = *ipld::dag_json_decode(args);
    p.prf = std::move(prf);
    p.exp = exp;
    auto e = sign_invocation(from, p);
    EXPECT_TRUE(e) << e.error().message;
    return *e;
  }
  // alice -> bob -> carol, carol invokes.
  std::string kind_of(const Envelope& i, const std::vector<Envelope>& proofs, const RevocationList* rev = nullptr) {
    std::vector<Bytes> b;
    for (const auto& p : proofs) b.push_back(p.bytes);
    auto r = run(i.bytes, b, now, rev);
    return r ? "valid" : r.error().kind;
  }
};

TEST(Validator, ATwoStepChainValidates) {
  World w;
  auto d1 = w.dlg(w.alice, w.bob.did(), w.alice.did());
  auto d2 = w.dlg(w.bob, w.carol.did(), w.alice.did(), "/msg/send");
  auto i = w.inv(w.carol, w.alice.did(), {d1.cid, d2.cid});
  EXPECT_EQ(w.kind_of(i, {d1, d2}), "valid");
  // Proofs in the wrong order break the chain.
  auto j = w.inv(w.carol, w.alice.did(), {d2.cid, d1.cid});
  EXPECT_EQ(w.kind_of(j, {d1, d2}), "InvalidSubject");
}

TEST(Validator, SelfIssuedInvocationsNeedNoProof) {
  World w;
  EXPECT_EQ(w.kind_of(w.inv(w.alice, w.alice.did(), {}), {}), "valid");
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {}), {}), "InvalidClaim");
}

TEST(Validator, TimeBounds) {
  World w;
  auto expired = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/msg", "[]", w.now - 1);
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {expired.cid}), {expired}), "Expired");
  auto at_exp = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/msg", "[]", w.now);
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {at_exp.cid}), {at_exp}), "valid");
  auto early = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/msg", "[]", std::nullopt, w.now + 10);
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {early.cid}), {early}), "TooEarly");
  auto ok = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/msg", "[]", w.now + 10, w.now - 10);
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {ok.cid}), {ok}), "valid");
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {ok.cid}, "/msg/send", "{}", w.now - 5), {ok}), "Expired");
}

TEST(Validator, BrokenChainsAndWrongPrincipals) {
  World w;
  auto d1 = w.dlg(w.alice, w.bob.did(), w.alice.did());
  auto d2 = w.dlg(w.bob, w.carol.did(), w.alice.did());
  // mallory presents carol's chain.
  EXPECT_EQ(w.kind_of(w.inv(w.mallory, w.alice.did(), {d1.cid, d2.cid}), {d1, d2}), "InvalidAudience");
  // A link issued by someone who was never delegated to.
  auto m2 = w.dlg(w.mallory, w.carol.did(), w.alice.did());
  EXPECT_EQ(w.kind_of(w.inv(w.carol, w.alice.did(), {d1.cid, m2.cid}), {d1, m2}), "InvalidAudience");
  // Wrong subject in the middle, in the invocation, and a root not issued by its subject.
  auto s2 = w.dlg(w.bob, w.carol.did(), w.bob.did());
  EXPECT_EQ(w.kind_of(w.inv(w.carol, w.alice.did(), {d1.cid, s2.cid}), {d1, s2}), "InvalidSubject");
  EXPECT_EQ(w.kind_of(w.inv(w.carol, w.bob.did(), {d1.cid, d2.cid}), {d1, d2}), "InvalidSubject");
  auto forged_root = w.dlg(w.mallory, w.bob.did(), w.alice.did());
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {forged_root.cid}), {forged_root}), "InvalidSubject");
  // Missing proof.
  EXPECT_EQ(w.kind_of(w.inv(w.carol, w.alice.did(), {d1.cid, d2.cid}), {d1}), "UnavailableProof");
  // An invocation used as a proof.
  auto other = w.inv(w.alice, w.alice.did(), {});
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {other.cid}), {other}), "InvalidClaim");
}

TEST(Validator, Powerlines) {
  World w;
  auto root = w.dlg(w.alice, w.bob.did(), w.alice.did());
  auto power = w.dlg(w.bob, w.carol.did(), std::nullopt);
  EXPECT_EQ(w.kind_of(w.inv(w.carol, w.alice.did(), {root.cid, power.cid}), {root, power}), "valid");
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {power.cid}), {power}), "InvalidClaim");
}

TEST(Validator, CommandEscalation) {
  World w;
  auto crypto = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/crypto");
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {crypto.cid}, "/crypto/sign"), {crypto}), "valid");
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {crypto.cid}, "/crypto"), {crypto}), "valid");
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {crypto.cid}, "/cryptocurrency"), {crypto}), "InvalidClaim");
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {crypto.cid}, "/"), {crypto}), "InvalidClaim");
  auto top = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/");
  EXPECT_EQ(w.kind_of(w.inv(w.bob, w.alice.did(), {top.cid}, "/anything/else"), {top}), "valid");
  // A narrower first link cannot be widened later.
  auto narrow = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/crypto/sign");
  auto wide = w.dlg(w.bob, w.carol.did(), w.alice.did(), "/");
  EXPECT_EQ(w.kind_of(w.inv(w.carol, w.alice.did(), {narrow.cid, wide.cid}, "/crypto/verify"), {narrow, wide}),
            "InvalidClaim");
}

TEST(Validator, PoliciesOfEveryLinkApply) {
  World w;
  auto d1 = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/msg", R"([["==", ".from", "alice@example.com"]])");
  auto d2 = w.dlg(w.bob, w.carol.did(), w.alice.did(), "/msg/send", R"([["any", ".to", ["like", ".", "*@example.com"]]])");
  auto call = [&](const char* args) { return w.kind_of(w.inv(w.carol, w.alice.did(), {d1.cid, d2.cid}, "/msg/send", args), {d1, d2}); };
  EXPECT_EQ(call(R"({"from":"alice@example.com","to":["bob@example.com"]})"), "valid");
  EXPECT_EQ(call(R"({"from":"eve@example.com","to":["bob@example.com"]})"), "MatchError");
  EXPECT_EQ(call(R"({"from":"alice@example.com","to":["x@evil.com"]})"), "MatchError");
  EXPECT_EQ(call(R"({"to":["bob@example.com"]})"), "MatchError");
}

TEST(Validator, ForgedAndTamperedProofs) {
  World w;
  auto d1 = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/msg/send");
  // Change the command inside the signed payload and re-encode: the signature no longer holds.
  ipld::Value v = *ipld::dag_cbor_decode(d1.bytes);
  ipld::Map sp = v.as_list()[1].as_map();
  ipld::Map payload = sp[1].second.as_map();
  for (auto& [k, val] : payload)
    if (k == "cmd") val = ipld::Value::string("/");
  sp[1].second = ipld::Value::map(payload);
  Bytes tampered = ipld::dag_cbor_encode(ipld::Value::list({v.as_list()[0], ipld::Value::map(sp)}));
  auto tcid = *ipld::Cid::of(ipld::codec::kDagCbor, tampered);
  auto i = w.inv(w.bob, w.alice.did(), {tcid}, "/admin");
  std::vector<Bytes> proofs{tampered};
  auto r = run(i.bytes, proofs, w.now);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, "InvalidSignature");
  // The invocation itself re-signed by someone else.
  auto j = w.inv(w.bob, w.alice.did(), {d1.cid});
  Bytes forged = j.bytes;
  forged[10] ^= 1;
  EXPECT_EQ(run(forged, {d1.bytes}, w.now).error().kind, "InvalidSignature");
}

TEST(Validator, RevokedProofsAreRefused) {
  World w;
  auto d1 = w.dlg(w.alice, w.bob.did(), w.alice.did());
  auto d2 = w.dlg(w.bob, w.carol.did(), w.alice.did());
  auto i = w.inv(w.carol, w.alice.did(), {d1.cid, d2.cid});
  RevocationSet revoked;
  EXPECT_EQ(w.kind_of(i, {d1, d2}, &revoked), "valid");
  revoked.add(d1.cid);
  EXPECT_EQ(w.kind_of(i, {d1, d2}, &revoked), "Revoked");
  RevocationSet only_invocation;
  only_invocation.add(i.cid);
  EXPECT_EQ(w.kind_of(i, {d1, d2}, &only_invocation), "Revoked");
}

TEST(Validator, CachedInvocationWinsOverAModifiedCopy) {
  World w;
  auto d1 = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/msg/send");
  auto i = w.inv(w.bob, w.alice.did(), {d1.cid});
  VerifiedCache cache;
  ProofStore store;
  store.add(d1.bytes);
  ValidationOptions o;
  o.now = w.now;
  o.cache = &cache;
  ASSERT_TRUE(validate_invocation(i.bytes, store.lookup(), o));
  // Same envelope (so same CID), but the caller changed a field after decoding.
  auto changed = std::make_shared<Invocation>(*decode_invocation(i.bytes));
  changed->cmd = "/admin";
  auto r = validate_invocation(std::shared_ptr<const Invocation>(changed), store.lookup(), o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->invocation->cmd, "/msg/send");
  o.cache = nullptr;  // without the cache the check reads the changed field and refuses it
  EXPECT_FALSE(validate_invocation(std::shared_ptr<const Invocation>(changed), store.lookup(), o));
}

TEST(Validator, CacheSkipsSignaturesButStillChecksTimeAndRevocation) {
  World w;
  auto d1 = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/msg", "[]", w.now + 100);
  auto i = w.inv(w.bob, w.alice.did(), {d1.cid});
  VerifiedCache cache(8);
  RevocationSet revoked;
  EXPECT_TRUE(run(i.bytes, {d1.bytes}, w.now, &revoked, &cache));
  EXPECT_EQ(cache.size(), 2u);
  // Second time the proof need not even be supplied: it is known by CID.
  EXPECT_TRUE(run(i.bytes, {}, w.now, &revoked, &cache));
  EXPECT_EQ(run(i.bytes, {}, w.now + 101, &revoked, &cache).error().kind, "Expired");
  revoked.add(d1.cid);
  EXPECT_EQ(run(i.bytes, {}, w.now, &revoked, &cache).error().kind, "Revoked");
  // Bounded.
  VerifiedCache tiny(1);
  EXPECT_TRUE(run(i.bytes, {d1.bytes}, w.now, nullptr, &tiny));
  EXPECT_EQ(tiny.size(), 1u);
}

TEST(Validator, ProofBytesMustMatchTheirCid) {
  World w;
  auto d1 = w.dlg(w.alice, w.bob.did(), w.alice.did());
  auto d2 = w.dlg(w.alice, w.bob.did(), w.alice.did(), "/");
  auto i = w.inv(w.bob, w.alice.did(), {d1.cid});
  ValidationOptions o;
  o.now = w.now;
  auto lookup = [&](const ipld::Cid&) -> std::optional<ByteView> { return ByteView(d2.bytes); };
  auto r = validate_invocation(i.bytes, lookup, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, "UnavailableProof");
}

TEST(Validator, MalformedInvocationsAreInvalidClaims) {
  World w;
  EXPECT_EQ(run(Bytes{0x01, 0x02}, {}, w.now).error().kind, "InvalidClaim");
  EXPECT_EQ(run(Bytes(kMaxEnvelopeSize + 1, 0x82), {}, w.now).error().kind, "InvalidClaim");
  auto d = w.dlg(w.alice, w.bob.did(), w.alice.did());
  EXPECT_EQ(run(d.bytes, {}, w.now).error().kind, "InvalidClaim");  // a delegation, not an invocation
}

}  // namespace
}  // namespace ipvm::ucan
