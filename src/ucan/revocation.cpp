#include "ucan/revocation.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <unistd.h>

#include "base/file.h"

namespace ipvm::ucan {

bool RevocationSet::is_revoked(const ipld::Cid& cid) const {
  std::shared_lock lock(mu_);
  return set_.count(cid) != 0;
}

bool RevocationSet::add(const ipld::Cid& cid) {
  std::unique_lock lock(mu_);
  return set_.insert(cid).second;
}

size_t RevocationSet::size() const {
  std::shared_lock lock(mu_);
  return set_.size();
}

std::string revocation_path(const std::string& home) { return home + "/revoked.txt"; }

Result<std::unique_ptr<RevocationFile>> RevocationFile::open(std::string path) {
  std::unique_ptr<RevocationFile> f(new RevocationFile(path));
  if (::access(path.c_str(), F_OK) != 0) return f;
  IPVM_TRY(Bytes data, read_file(path));
  std::string_view text = as_string_view(data);
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) continue;
    auto cid = ipld::Cid::parse(line);
    if (!cid) return failf("revocation", "{} line {}: not a CID: {}", path, line_no, cid.error().message);
    f->add(*cid);
  }
  return f;
}

Status RevocationFile::revoke(const ipld::Cid& cid) {
  if (!add(cid)) return {};
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return failf("revocation", "cannot open {}: {}", path_, std::strerror(errno));
  std::string line = cid.to_string() + "\n";
  ssize_t n = ::write(fd, line.data(), line.size());
  int e = errno;
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size()) || !synced)
    return failf("revocation", "cannot write {}: {}", path_, std::strerror(e));
  return {};
}

}  // namespace ipvm::ucan
