#include "base/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <iterator>
#include <unistd.h>

namespace ipvm {

Result<Bytes> read_file(const std::string& path) {
  if (path == "-") {
    Bytes out;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) out.insert(out.end(), buf, buf + n);
    if (ferror(stdin)) return fail("io", "cannot read standard input");
    return out;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return failf("io", "cannot open {}: {}", path, std::strerror(errno));
  Bytes out;
  uint8_t buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return failf("io", "cannot read {}: {}", path, std::strerror(e));
    }
    if (n == 0) break;
    out.insert(out.end(), buf, buf + n);
  }
  ::close(fd);
  return out;
}

Status write_file(const std::string& path, ByteView data) {
  if (path == "-") {
    if (fwrite(data.data(), 1, data.size(), stdout) != data.size() || fflush(stdout) != 0)
      return fail("io", "cannot write standard output");
    return {};
  }
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return failf("io", "cannot create {}: {}", path, std::strerror(errno));
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return failf("io", "cannot write {}: {}", path, std::strerror(e));
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return failf("io", "cannot flush {}", path);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return failf("io", "cannot write {}: {}", path, std::strerror(e));
  }
  return {};
}

}  // namespace ipvm
