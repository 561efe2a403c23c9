// DAG-JSON decoder: never crashes; an accepted document re-encodes to canonical DAG-JSON that
// decodes to the same value, is a fixed point of encode(decode(.)), and survives DAG-CBOR.
#include <cstdlib>

#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"

using namespace ipvm;
using namespace ipvm::ipld;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto v = dag_json_decode(ByteView(data, size));
  if (!v) {
    if (v.error().kind != "dag-json") std::abort();
    return 0;
  }
  std::string canon = dag_json_encode(*v);
  auto again = dag_json_decode(canon);
  if (!again || !(*again == *v)) std::abort();
  if (dag_json_encode(*again) != canon) std::abort();
  Bytes cbor = dag_cbor_encode(*v);
  auto from_cbor = dag_cbor_decode(cbor);
  if (!from_cbor || !(*from_cbor == *v)) std::abort();
  return 0;
}
