// Fuzzes the UCAN envelope decoder and everything that reads untrusted token bytes: payload
// parsing, signature verification, the policy parser/evaluator and the chain validator.
#include <cstddef>
#include <cstdint>

#include "ucan/delegation.h"
#include "ucan/envelope.h"
#include "ucan/invocation.h"
#include "ucan/policy.h"
#include "ucan/selector.h"
#include "ucan/validator.h"

using namespace ipvm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteView in(data, size);
  // Selectors straight from the bytes.
  if (size < 256) {
    if (auto s = ucan::parse_selector(as_string_view(in))) (void)ucan::select(*s, ipld::Value::map({}));
  }
  auto env = ucan::decode_envelope(in);
  if (!env) return 0;
  (void)ucan::verify_envelope(*env);
  if (auto d = ucan::delegation_from_envelope(*env)) {
    (void)ucan::matches(d->pol, d->meta.is_null() ? env->payload : d->meta);
  }
  if (auto i = ucan::invocation_from_envelope(*env)) {
    (void)ucan::task_id(*i);
    ucan::ValidationOptions o;
    o.now = 1700000000;
    // Offer the invocation's own bytes for every proof: exercises the lookup/CID mismatch paths.
    Bytes self(in.begin(), in.end());
    (void)ucan::validate_invocation(in, [&](const ipld::Cid&) { return std::optional<ByteView>(self); }, o);
  }
  return 0;
}
