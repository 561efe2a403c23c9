// Validations per second of an invocation with a 3-delegation chain (alice -> bob -> carol ->
// dave, dave invokes), on one thread:
//   cold         no cache: every token decoded and all 4 signatures checked on every validation
//   warm proofs  the 3 proofs cached, each invocation new (its own signature still checked)
//   warm         proofs and the invocation cached (a re-validation: time, chain, policies only)
// Anchor: raw Ed25519 verifications per second (libsodium) in the same run, since the cold path
// is bounded by 4 of them. Goals: 5,000/s cold, 100,000/s warm.
#include <chrono>
#include <cstdio>
#include <vector>

#include <sodium.h>

#include "ipld/dag_json.h"
#include "ucan/delegation.h"
#include "ucan/invocation.h"
#include "ucan/validator.h"

using namespace ipvm;
using namespace ipvm::ucan;
using Clock = std::chrono::steady_clock;

namespace {

template <class F>
double per_second(F&& f, double min_seconds = 1.0) {
  size_t n = 0;
  auto start = Clock::now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 100; ++i) f(n++);
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < min_seconds);
  return static_cast<double>(n) / elapsed;
}

Ed25519Signer key(uint8_t b) { return *Ed25519Signer::from_seed(Bytes(32, b)); }

}  // namespace

int main() {
  Ed25519Signer alice = key(1), bob = key(2), carol = key(3), dave = key(4);
  const int64_t now = 1'700'000'000;
  auto dlg = [&](const Ed25519Signer& from, const Ed25519Signer& to, const char* cmd, const char* pol) {
    DelegationParams p;
    p.aud = to.did();
    p.sub = alice.did();
    p.cmd = cmd;
    p.pol = *ipld::dag_json_decode(std::string_view(pol));
    p.exp = now + 3600;
    return *sign_delegation(from, p);
  };
  std::vector<Envelope> chain{dlg(alice, bob, "/wasm", R"([["<=", ".fuel", 1000000]])"),
                              dlg(bob, carol, "/wasm/run", R"([["like", ".mod", "bafy*"]])"),
                              dlg(carol, dave, "/wasm/run", R"([["any", ".args", [">", ".", 0]]])")};
  ProofStore store;
  std::vector<ipld::Cid> prf;
  for (const auto& d : chain) prf.push_back(store.add(d.bytes));
  auto lookup = store.lookup();

  const size_t kInvocations = 4096;
  std::vector<Bytes> invocations;
  for (size_t i = 0; i < kInvocations; ++i) {
    InvocationParams p;
    p.sub = alice.did();
    p.cmd = "/wasm/run";
    p.args = *ipld::dag_json_decode(std::string_view(R"({"mod":"bafyabc","fuel":5000,"args":[1,2,3]})"));
    p.prf = prf;
    p.exp = now + 60;
    invocations.push_back(sign_invocation(dave, p)->bytes);
  }

  ValidationOptions cold;
  cold.now = now;
  if (!validate_invocation(invocations[0], lookup, cold)) {
    std::fprintf(stderr, "the benchmark chain does not validate\n");
    return 1;
  }
  size_t failures = 0;
  double cold_rate = per_second([&](size_t i) {
    failures += !validate_invocation(invocations[i % kInvocations], lookup, cold);
  });

  VerifiedCache proof_cache(1 << 16);
  ValidationOptions warm_proofs = cold;
  warm_proofs.cache = &proof_cache;
  (void)validate_invocation(invocations[0], lookup, warm_proofs);
  // Each invocation is validated once (fresh), so its own signature is checked every time.
  size_t next = 1;
  double warm_proofs_rate = per_second(
      [&](size_t) {
        if (next == kInvocations) {  // out of fresh invocations: forget them, keep the proofs
          proof_cache.clear();
          (void)validate_invocation(invocations[0], lookup, warm_proofs);
          next = 1;
        }
        failures += !validate_invocation(invocations[next++], lookup, warm_proofs);
      },
      0.5);

  VerifiedCache cache;
  ValidationOptions warm = cold;
  warm.cache = &cache;
  (void)validate_invocation(invocations[0], lookup, warm);
  double warm_rate = per_second([&](size_t) { failures += !validate_invocation(invocations[0], lookup, warm); });

  if (sodium_init() < 0) return 1;
  Bytes msg(300, 7), sig = dave.sign(msg);
  ByteView pk = dave.public_key();
  double verify_rate = per_second([&](size_t) {
    failures += crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), pk.data()) != 0;
  });

  std::printf("ucan_validate: invocation + 3-delegation chain, one thread\n");
  std::printf("  anchor  ed25519 verify      %10.0f /s\n", verify_rate);
  std::printf("  cold    (4 signatures)      %10.0f /s  (goal 5000; %.2f x anchor/4)\n", cold_rate,
              cold_rate / (verify_rate / 4));
  std::printf("  warm    proofs cached       %10.0f /s  (new invocation each time: 1 signature)\n", warm_proofs_rate);
  std::printf("  warm    all cached          %10.0f /s  (goal 100000)\n", warm_rate);
  if (failures) std::printf("  %zu validations FAILED\n", failures);
  return failures ? 1 : 0;
}
