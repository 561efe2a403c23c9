// Fuzzes the CARv1 reader (header, sections, CID parsing, hash checks) and the dag-cbor/dag-pb link
// scans on every block it accepts. Anything may be rejected; nothing may crash or over-allocate.
#include <cstddef>
#include <cstdint>

#include "ipld/block.h"
#include "ipld/car.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ipvm::ipld;
  MemorySource source(ipvm::ByteView(data, size));
  // Small limits so hostile lengths meet the "over the limit" path as well as truncation.
  auto reader = CarReader::open(source, CarLimits{1 << 16, 1 << 16});
  if (!reader) return 0;
  for (int i = 0; i < 10000; ++i) {
    auto block = reader->next();
    if (!block || !*block) break;
    (void)block_links((*block)->cid, (*block)->data);
    // Also scan the block as if it were dag-cbor, whatever its codec says.
    (void)block_links(Cid::v1(codec::kDagCbor, (*block)->cid.multihash()), (*block)->data);
  }
  return 0;
}
