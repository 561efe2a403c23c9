#include "ucan/keystore.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "ipld/multibase.h"

namespace ipvm::ucan {

std::string node_key_path(const std::string& home) { return home + "/node.key"; }

Result<Ed25519Signer> load_node_key(const std::string& home) {
  std::string path = node_key_path(home);
  if (::access(path.c_str(), F_OK) != 0)
    return failf("key", "no node key in {}; create one with `ipvm key init`", home);
  auto data = read_file(path);
  if (!data) return fail("key", data.error().message);
  std::string text(as_string_view(*data));
  sodium_memzero(data->data(), data->size());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  auto raw = ipld::base64_decode(text);
  sodium_memzero(text.data(), text.size());
  if (!raw) return failf("key", "{} is not a base64 key file", path);
  auto s = Ed25519Signer::from_multikey(*raw);
  sodium_memzero(raw->data(), raw->size());
  if (!s) return failf("key", "{}: {}", path, s.error().message);
  return std::move(*s);
}

Result<NodeKey> init_node_key(const std::string& home) {
  std::string path = node_key_path(home);
  if (::access(path.c_str(), F_OK) == 0) {
    IPVM_TRY(Ed25519Signer s, load_node_key(home));
    return NodeKey{std::move(s), false};
  }
  Ed25519Signer s = Ed25519Signer::generate();
  Bytes mk = s.to_multikey();
  std::string line = ipld::base64_encode(mk, false, true) + "\n";
  sodium_memzero(mk.data(), mk.size());
  // O_EXCL: two concurrent inits cannot both write; the loser loads the winner's key.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    sodium_memzero(line.data(), line.size());
    if (errno == EEXIST) {
      IPVM_TRY(Ed25519Signer existing, load_node_key(home));
      return NodeKey{std::move(existing), false};
    }
    return failf("key", "cannot create {}: {}", path, std::strerror(errno));
  }
  ::fchmod(fd, 0600);  // whatever the umask
  ssize_t n = ::write(fd, line.data(), line.size());
  int e = errno;
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size()) || !synced) {
    ::unlink(path.c_str());
    return failf("key", "cannot write {}: {}", path, std::strerror(e));
  }
  return NodeKey{std::move(s), true};
}

}  // namespace ipvm::ucan
