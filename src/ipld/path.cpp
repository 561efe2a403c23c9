#include "ipld/path.h"

#include <charconv>

namespace ipvm::ipld {

namespace {

std::string join(const std::vector<std::string>& segs, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += "/" + segs[i];
  return out.empty() ? "/" : out;
}

std::optional<size_t> parse_index(std::string_view s) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  size_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Result<IpldPath> parse_path(std::string_view text) {
  std::string_view rest = text;
  for (std::string_view prefix : {"/ipfs/", "/ipld/"})
    if (rest.substr(0, prefix.size()) == prefix) {
      rest.remove_prefix(prefix.size());
      break;
    }
  size_t slash = rest.find('/');
  std::string_view cid_text = rest.substr(0, slash);
  if (cid_text.empty()) return failf("path", "path \"{}\" does not start with a CID", text);
  auto cid = Cid::parse(cid_text);
  if (!cid) return failf("path", "path \"{}\": bad CID: {}", text, cid.error().message);
  IpldPath out{std::move(*cid), {}};
  if (slash == std::string_view::npos) return out;
  rest.remove_prefix(slash + 1);
  while (!rest.empty()) {
    size_t next = rest.find('/');
    std::string_view seg = rest.substr(0, next);
    if (seg.empty()) return failf("path", "path \"{}\" has an empty segment", text);
    out.segments.emplace_back(seg);
    if (next == std::string_view::npos) break;
    rest.remove_prefix(next + 1);
  }
  return out;
}

Result<Resolved> resolve_path(const IpldPath& path, const BlockLoader& load, bool follow_final_link) {
  auto load_node = [&](const Cid& cid, size_t at) -> Result<Value> {
    auto data = load(cid);
    if (!data) {
      if (at == 0) return tl::unexpected(data.error());
      return failf(data.error().kind, "{} (at {})", data.error().message, join(path.segments, at));
    }
    auto v = decode_block(cid, *data);
    if (!v) return failf("path", "cannot read block {} at {}: {}", cid.to_string(), join(path.segments, at),
                         v.error().to_string());
    return v;
  };

  Resolved r;
  r.block = path.root;
  IPVM_TRY(r.value, load_node(path.root, 0));
  for (size_t i = 0; i < path.segments.size(); ++i) {
    if (r.value.is_link()) {
      r.block = r.value.as_link();
      IPVM_TRY(r.value, load_node(r.block, i));
    }
    const std::string& seg = path.segments[i];
    const Value* next = nullptr;
    if (r.value.is_map()) {
      next = r.value.find(seg);
      if (!next) return failf("path", "no key \"{}\" in the map at {} (block {})", seg,
                              join(path.segments, i), r.block.to_string());
    } else if (r.value.is_list()) {
      auto idx = parse_index(seg);
      if (!idx) return failf("path", "\"{}\" is not a list index, at {} (block {})", seg,
                             join(path.segments, i), r.block.to_string());
      next = r.value.at(*idx);
      if (!next) return failf("path", "index {} is out of range (list of {}) at {} (block {})", *idx,
                              r.value.as_list().size(), join(path.segments, i), r.block.to_string());
    } else {
      return failf("path", "cannot look up \"{}\" in a {} at {} (block {})", seg, kind_name(r.value.kind()),
                   join(path.segments, i), r.block.to_string());
    }
    Value v = *next;  // copy before replacing the node that holds it
    r.value = std::move(v);
    r.consumed.push_back(seg);
  }
  if (follow_final_link && r.value.is_link()) {
    r.block = r.value.as_link();
    IPVM_TRY(r.value, load_node(r.block, path.segments.size()));
  }
  return r;
}

}  // namespace ipvm::ipld
