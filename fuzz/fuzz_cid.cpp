// CID parsing from bytes and from strings: never crashes; whatever parses round-trips.
#include <cstdlib>
#include <string_view>

#include "ipld/cid.h"

using namespace ipvm;
using namespace ipvm::ipld;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteView in(data, size);
  if (auto c = Cid::from_bytes(in)) {
    Bytes b = c->to_bytes();
    if (b.size() != size || !std::equal(b.begin(), b.end(), data)) std::abort();
    if (c->encoded_size() != size) std::abort();
    auto again = Cid::parse(c->to_string());
    if (!again || !(*again == *c)) std::abort();
    (void)c->hash_code();
    (void)c->digest();
    (void)c->verify(in);
  } else if (c.error().kind != "cid") {
    std::abort();
  }
  size_t used = 0;
  if (auto c = Cid::read_prefix(in, used)) {
    if (used == 0 || used > size) std::abort();
  }
  if (auto c = Cid::parse(as_string_view(in))) {
    auto again = Cid::from_bytes(c->to_bytes());
    if (!again || !(*again == *c)) std::abort();
  }
  return 0;
}
