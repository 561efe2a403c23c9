// DAG-CBOR decoder: never crashes; anything it accepts is canonical, so re-encoding gives the
// input back byte for byte; the DAG-JSON form of an accepted value never crashes either.
#include <cstdlib>

#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"

using namespace ipvm;
using namespace ipvm::ipld;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteView in(data, size);
  auto v = dag_cbor_decode(in);
  if (!v) {
    if (v.error().kind != "dag-cbor") std::abort();
    return 0;
  }
  Bytes again = dag_cbor_encode(*v);
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  std::string json = dag_json_encode(*v);
  // A map with a "/" key has no DAG-JSON form; otherwise the JSON must decode to the same value.
  auto back = dag_json_decode(json);
  if (back && !(*back == *v) && json.find("\"/\"") == std::string::npos) std::abort();
  return 0;
}
