#include "ipld/block.h"

#include <optional>

#include "base/utf8.h"
#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"

namespace ipvm::ipld {

Result<Value> decode_block(const Cid& cid, ByteView data) {
  switch (cid.codec()) {
    case codec::kDagCbor: return dag_cbor_decode(data);
    case codec::kDagJson: return dag_json_decode(data);
    case codec::kRaw: return Value::bytes(Bytes(data.begin(), data.end()));
    case codec::kDagPb: return dag_pb_decode(data);
    default:
      return failf("block", "cannot decode block {}: codec 0x{:x} is not dag-cbor, dag-json, dag-pb or raw",
                   cid.to_string(), cid.codec());
  }
}

void collect_links(const Value& v, std::vector<Cid>& out) {
  switch (v.kind()) {
    case Kind::kLink: out.push_back(v.as_link()); break;
    case Kind::kList:
      for (const Value& item : v.as_list()) collect_links(item, out);
      break;
    case Kind::kMap:
      for (const auto& [key, item] : v.as_map()) collect_links(item, out);
      break;
    default: break;
  }
}

namespace {

// Protobuf wire format, just enough of it for dag-pb: varints and length-delimited fields.
struct PbReader {
  ByteView in;
  size_t pos = 0;

  bool done() const { return pos >= in.size(); }

  Result<uint64_t> varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= in.size()) return failf("dag-pb", "truncated varint at byte {}", pos);
      uint8_t b = in[pos++];
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return failf("dag-pb", "varint too long at byte {}", pos);
  }

  Result<ByteView> delimited() {
    IPVM_TRY(uint64_t len, varint());
    if (len > in.size() - pos) return failf("dag-pb", "field length {} runs past the end at byte {}", len, pos);
    ByteView out = in.subspan(pos, len);
    pos += len;
    return out;
  }
};

}  // namespace

// The dag-pb data model (ipld/specs codecs/dag-pb): {"Data": bytes?, "Links": [{"Hash": link,
// "Name": string?, "Tsize": int?}]}. Lenient about field order, strict about structure.
Result<Value> dag_pb_decode(ByteView data) {
  List links;
  std::optional<Bytes> payload;
  PbReader node{data};
  while (!node.done()) {
    size_t at = node.pos;
    IPVM_TRY(uint64_t key, node.varint());
    uint64_t field = key >> 3, wire = key & 7;
    if (wire != 2 || (field != 1 && field != 2))
      return failf("dag-pb", "unexpected field {} (wire type {}) in PBNode at byte {}", field, wire, at);
    IPVM_TRY(ByteView body, node.delimited());
    if (field == 1) {
      if (payload) return failf("dag-pb", "repeated Data field at byte {}", at);
      payload = Bytes(body.begin(), body.end());
      continue;
    }
    PbReader link{body};
    Map entries;
    bool have_hash = false, have_name = false, have_tsize = false;
    while (!link.done()) {
      size_t lat = at + link.pos;
      IPVM_TRY(uint64_t lkey, link.varint());
      uint64_t lfield = lkey >> 3, lwire = lkey & 7;
      if (lfield == 1 && lwire == 2 && !have_hash) {
        IPVM_TRY(ByteView hash, link.delimited());
        auto cid = Cid::from_bytes(hash);
        if (!cid) return failf("dag-pb", "bad link Hash at byte {}: {}", lat, cid.error().message);
        entries.emplace_back("Hash", Value::link(std::move(*cid)));
        have_hash = true;
      } else if (lfield == 2 && lwire == 2 && !have_name) {
        IPVM_TRY(ByteView name, link.delimited());
        std::string text(as_string_view(name));
        if (!utf8_valid(text)) return failf("dag-pb", "link Name is not UTF-8 at byte {}", lat);
        entries.emplace_back("Name", Value::string(std::move(text)));
        have_name = true;
      } else if (lfield == 3 && lwire == 0 && !have_tsize) {
        IPVM_TRY(uint64_t tsize, link.varint());
        entries.emplace_back("Tsize", Value::uinteger(tsize));
        have_tsize = true;
      } else {
        return failf("dag-pb", "unexpected or repeated field {} (wire type {}) in PBLink at byte {}", lfield,
                     lwire, lat);
      }
    }
    if (!have_hash) return failf("dag-pb", "PBLink without Hash at byte {}", at);
    links.push_back(Value::map(std::move(entries)));
  }
  Map node_map;
  if (payload) node_map.emplace_back("Data", Value::bytes(std::move(*payload)));
  node_map.emplace_back("Links", Value::list(std::move(links)));
  return Value::map(std::move(node_map));
}

namespace {

// Finds tag-42 links in CBOR without the strict DAG-CBOR rules: blocks in the wild (Filecoin
// chain data, for one) break them, yet their links must still be followed to export a DAG.
struct CborLinkScan {
  ByteView in;
  std::vector<Cid>& out;
  size_t pos = 0;

  Status need(uint64_t n) const {
    if (n > in.size() - pos) return failf("cbor", "truncated at byte {}", pos);
    return {};
  }

  // Reads an item head; `indefinite` for additional info 31.
  Status head(int& major, uint64_t& arg, bool& indefinite) {
    IPVM_TRY_STATUS(need(1));
    uint8_t ib = in[pos++];
    major = ib >> 5;
    int ai = ib & 31;
    indefinite = false;
    if (ai < 24) {
      arg = static_cast<uint64_t>(ai);
    } else if (ai <= 27) {
      size_t n = size_t(1) << (ai - 24);
      IPVM_TRY_STATUS(need(n));
      arg = 0;
      for (size_t i = 0; i < n; ++i) arg = arg << 8 | in[pos++];
    } else if (ai == 31 && major >= 2 && major <= 5) {
      indefinite = true;
    } else {
      return failf("cbor", "bad additional info {} at byte {}", ai, pos - 1);
    }
    return {};
  }

  bool at_break() const { return pos < in.size() && in[pos] == 0xff; }

  Status item(size_t depth) {
    if (depth > kMaxDepth) return failf("cbor", "nesting deeper than {} at byte {}", kMaxDepth, pos);
    size_t at = pos;
    int major;
    uint64_t arg;
    bool indefinite;
    IPVM_TRY_STATUS(head(major, arg, indefinite));
    switch (major) {
      case 2:
      case 3:
        if (!indefinite) {
          IPVM_TRY_STATUS(need(arg));
          pos += arg;
          return {};
        }
        while (!at_break()) IPVM_TRY_STATUS(item(depth + 1));
        ++pos;
        return {};
      case 4:
      case 5: {
        if (indefinite) {
          while (!at_break()) IPVM_TRY_STATUS(item(depth + 1));
          if (pos >= in.size()) return failf("cbor", "truncated at byte {}", pos);
          ++pos;
          return {};
        }
        // Every item takes at least one byte, so a huge count runs out of input quickly.
        for (uint64_t i = 0; i < arg; ++i) {
          IPVM_TRY_STATUS(item(depth + 1));
          if (major == 5) IPVM_TRY_STATUS(item(depth + 1));
        }
        return {};
      }
      case 6: {
        if (arg != 42) return item(depth + 1);
        int m;
        uint64_t len;
        bool indef;
        IPVM_TRY_STATUS(head(m, len, indef));
        if (m != 2 || indef) return failf("cbor", "tag 42 at byte {} is not over a byte string", at);
        IPVM_TRY_STATUS(need(len));
        ByteView body = in.subspan(pos, static_cast<size_t>(len));
        pos += static_cast<size_t>(len);
        if (body.empty() || body[0] != 0)
          return failf("cbor", "link at byte {} lacks the 0x00 multibase prefix", at);
        auto cid = Cid::from_bytes(body.subspan(1));
        if (!cid) return failf("cbor", "bad link at byte {}: {}", at, cid.error().message);
        out.push_back(std::move(*cid));
        return {};
      }
      default: return {};  // integers, simple values, floats: the head was all of it
    }
  }
};

}  // namespace

Result<std::vector<Cid>> block_links(const Cid& cid, ByteView data) {
  std::vector<Cid> links;
  switch (cid.codec()) {
    case codec::kRaw:
    case codec::kLibp2pKey: return links;
    case codec::kDagPb: {
      auto v = dag_pb_decode(data);
      if (!v) return failf("block", "block {}: {}", cid.to_string(), v.error().to_string());
      collect_links(*v, links);
      return links;
    }
    case codec::kDagCbor: {
      CborLinkScan scan{data, links};
      auto st = scan.item(0);
      if (!st) return failf("block", "block {}: {}", cid.to_string(), st.error().to_string());
      return links;
    }
    case codec::kDagJson: {
      auto v = decode_block(cid, data);
      if (!v) return failf("block", "block {}: {}", cid.to_string(), v.error().to_string());
      collect_links(*v, links);
      return links;
    }
    default:
      return failf("block", "cannot follow the links of block {}: unknown codec 0x{:x}",
                   cid.to_string(), cid.codec());
  }
}

}  // namespace ipvm::ipld
